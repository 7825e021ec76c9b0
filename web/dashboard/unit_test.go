package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/deadline"
	"throughline/opendata"
	"throughline/oversight"
	"throughline/synth"
	"throughline/web/page"
)

// unitLog is two cases: one of West Yorkshire Police's (force 13) whose file
// failed on two reasons — one accepted, one disputed and withdrawn by both
// supervisors — with a plan of three police items (one done on time, one
// late, one never done), and one of another force whose file was
// acceptable, which counts only in the national figures.
func unitLog(t *testing.T) events {
	t.Helper()
	lines := []string{
		`13RS1/26 2026-01-10 case_opened@police:13 {"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"A B"}],"suspects":[{"id":"D1","name":"C D"}]}`,
		`20RS2/26 2026-01-12 case_opened@police:20 {"force":"20","cps_area":"west_midlands","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"E F"}],"suspects":[{"id":"D1","name":"G H"}]}`,
		`13RS1/26 2026-02-01 file_submitted@police:13 {"suspect_id":"D1","purpose":"charging_decision"}`,
		`20RS2/26 2026-02-03 file_submitted@police:20 {"suspect_id":"D1","purpose":"charging_decision"}`,
		`20RS2/26 2026-02-05 file_quality_assessed@cps:west_midlands {"assessment_id":"A1","suspect_id":"D1","outcome":"acceptable"}`,
		`13RS1/26 2026-02-10 file_quality_assessed@cps:yorkshire_humberside {"assessment_id":"A1","suspect_id":"D1","outcome":"not_acceptable","reasons":[{"code":"missing_statements"},{"code":"no_digital_review"}]}`,
		`13RS1/26 2026-02-10 action_plan_issued@cps:yorkshire_humberside {"plan_id":"P1","items":[{"item_id":"1","description":"Statements","owner":"police","owner_name":"DC Sam Patel","due":"2026-03-01"},{"item_id":"2","description":"Phone","owner":"police","due":"2026-03-10"},{"item_id":"3","description":"Medical","owner":"police","owner_name":"DC Sam Patel","due":"2026-04-01"}]}`,
		`13RS1/26 2026-02-12 file_quality_answered@police:13 {"assessment_id":"A1","reason":"missing_statements","answer":"accepted"}`,
		`13RS1/26 2026-02-12 file_quality_answered@police:13 {"assessment_id":"A1","reason":"no_digital_review","answer":"disputed","comment":"Reviewed on 1 February"}`,
		`13RS1/26 2026-02-20 action_item_completed@police:13 {"plan_id":"P1","item_id":"1"}`,
		`13RS1/26 2026-03-01 dispute_resolved@police:13 {"assessment_id":"A1","reason":"no_digital_review","outcome":"withdrawn","note":"It was done"}`,
		`13RS1/26 2026-03-02 dispute_resolved@cps:yorkshire_humberside {"assessment_id":"A1","reason":"no_digital_review","outcome":"withdrawn","note":"Agreed"}`,
		`13RS1/26 2026-03-15 action_item_completed@police:13 {"plan_id":"P1","item_id":"2"}`,
	}
	var es events
	versions := map[string]int64{}
	for _, l := range lines {
		f := strings.SplitN(l, " ", 4)
		typ, agency, _ := strings.Cut(f[2], "@")
		e, err := throughline.ParseEvent(fmt.Appendf(nil, `{"case":%q,"type":%q,"occurred_at":%q,"data":%s}`, f[0], typ, f[1], f[3]))
		if err != nil {
			t.Fatal(l, err)
		}
		versions[f[0]]++
		e.Version, e.Agency = versions[f[0]], agency
		es = append(es, e)
	}
	return es
}

func (es events) Events(_ context.Context, ref string) ([]throughline.Event, error) {
	var out []throughline.Event
	for _, e := range es {
		if e.Case == ref {
			out = append(out, e)
		}
	}
	return out, nil
}

// cell finds the text of a table's row (by its first cell) and column.
func cell(t *testing.T, tables []page.Table, caption, row, col string) string {
	t.Helper()
	for _, tb := range tables {
		if !strings.HasPrefix(tb.Caption, caption) {
			continue
		}
		for _, r := range tb.Rows {
			if r[0].Text != row {
				continue
			}
			for i, h := range tb.Head {
				if h.Text == col {
					return r[i].Text
				}
			}
		}
		t.Fatalf("table %q has no %q / %q", caption, row, col)
	}
	t.Fatalf("no table %q", caption)
	return ""
}

// A police supervisor's unit: only force 13's case, its file-quality
// reasons by what became of them, its items by timeliness (done on time,
// late, never), the overdue item by its owner, and the days its open case
// waited on each party beside the nation's two cases.
func TestUnitFigures(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	today := throughline.At(now).Date()
	unit := throughline.Agency{Kind: "police", ID: "13"}
	x, err := readUnit(context.Background(), unitLog(t), unit, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.cases) != 1 || x.cases[0].c.Ref != "13RS1/26" || len(x.national) != 2 {
		t.Fatalf("%d unit cases, %d national: want force 13's one of two", len(x.cases), len(x.national))
	}
	f, err := parseUnit(nil, today)
	if err != nil {
		t.Fatal(err)
	}
	tables, charts := unitFigures(x, unit, f, today)
	for _, c := range charts {
		tables = append(tables, c.Table)
	}
	for _, c := range []struct{ caption, row, col, want string }{
		{"Reasons files", "Statements missing", "Given", "1"},
		{"Reasons files", "Statements missing", "Accepted by the police", "1"},
		{"Reasons files", "Digital material not reviewed", "Disputed, then withdrawn", "1"},
		{"File quality and disputes", "January to March 2026", "Files assessed", "1"},
		{"File quality and disputes", "January to March 2026", "Not acceptable (%)", "100.0%"},
		{"File quality and disputes", "January to March 2026", "Not acceptable, England and Wales (%)", "50.0%"},
		{"File quality and disputes", "January to March 2026", "File-quality reasons disputed", "1"},
		{"File quality and disputes", "January to March 2026", "Disputes settled", "1"},
		{"Action items by the quarter", "January to March 2026, Police", "Items due", "2"},
		{"Action items by the quarter", "January to March 2026, Police", "Done on time", "1"},
		{"Action items by the quarter", "January to March 2026, Police", "Done late", "1"},
		{"Action items by the quarter", "April to June 2026, Police", "Not done", "1"},
		{"Action items by the quarter", "April to June 2026, Police", "Done on time (%)", "0.0%"},
		{"Action items overdue", "DC Sam Patel", "Items overdue", "1"},
		{"Action items overdue", "DC Sam Patel", "Longest overdue (days)", "238"},
		// The split is attribution's; the page only adds it up.
		{"Days each party has held the cases open today", "The police", "Days", fmt.Sprint(x.cases[0].days.Days.Police)},
		{"Days each party has held the cases open today", "The CPS", "Days", fmt.Sprint(x.cases[0].days.Days.CPS)},
	} {
		if got := cell(t, tables, c.caption, c.row, c.col); got != c.want {
			t.Errorf("%s / %s / %s: %q, want %q", c.caption, c.row, c.col, got, c.want)
		}
	}
	if d := x.cases[0].days.Days; d.Total() != 319 || d.CPS == 0 || d.Police == 0 {
		t.Errorf("the case's days %+v should add up to its 319 days, some the police's, some the CPS's", d)
	}
}

// A unit's figures are read from the log when first asked for, the request
// waiting, and then again in the background once they are five minutes old,
// the requests meanwhile answered from the figures as they were, with the
// time they were read (docs/adr/0256); a unit not asked for in five minutes
// is forgotten. A first read that fails fails its request, and the next
// request reads again.
func TestUnitReadsAreKeptFiveMinutes(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	st := &counting{events: unitLog(t), hold: make(chan error)}
	clk := &clock{t: now}
	d := &Unit{Base: &page.Base{Now: clk.Now, Logger: slog.New(slog.DiscardHandler)}, Store: unitStore{st}}
	police, cps := throughline.Agency{Kind: "police", ID: "13"}, throughline.Agency{Kind: "cps", ID: "west_midlands"}
	type answer struct {
		x   *unitData
		err error
	}
	for i, step := range []struct {
		after time.Duration
		unit  throughline.Agency
		read  any // what the request's read is let go with (nil or an error), or none or release
		reads int
		kept  int
		at    time.Duration // the time of the figures answered; -1: no figures, an error
	}{
		{0, police, nil, 1, 1, 0},
		{4 * time.Minute, police, none{}, 1, 1, 0},
		{4 * time.Minute, cps, nil, 2, 2, 4 * time.Minute},
		{5 * time.Minute, police, none{}, 2, 2, 0}, // a read starts; the request does not wait
		{5 * time.Minute, police, none{}, 2, 2, 0}, // no second read while it runs
		{5 * time.Minute, police, release{}, 3, 2, 5 * time.Minute},
		{10 * time.Minute, police, none{}, 3, 1, 5 * time.Minute}, // the CPS unit forgotten; a read starts
		{10 * time.Minute, police, release{}, 4, 1, 10 * time.Minute},
		{11 * time.Minute, cps, errors.New("disk on fire"), 4, 2, -1},
		{11 * time.Minute, cps, nil, 5, 2, 11 * time.Minute},
	} {
		clk.set(now.Add(step.after))
		if _, ok := step.read.(release); ok {
			st.hold <- nil
			d.mu.Lock()
			k := d.units[step.unit.String()]
			d.mu.Unlock()
			ended(&d.mu, &k.refresh)
		}
		answered := make(chan answer, 1)
		go func() {
			x, err := d.data(context.Background(), step.unit)
			answered <- answer{x, err}
		}()
		switch r := step.read.(type) {
		case error:
			st.hold <- r
		case nil: // the request waits for its read
			st.hold <- nil
		}
		a := <-answered
		st.mu.Lock()
		reads := st.reads
		st.mu.Unlock()
		d.mu.Lock()
		kept := len(d.units)
		d.mu.Unlock()
		switch {
		case step.at < 0:
			if a.err == nil {
				t.Errorf("step %d: the read failed, the request did not", i)
			}
		case a.err != nil || !a.x.at.Equal(now.Add(step.at)) || len(a.x.cases) != 1:
			t.Errorf("step %d: %v, figures of %v", i, a.err, a.x)
		}
		if reads != step.reads || kept != step.kept {
			t.Errorf("step %d: %d reads, %d units kept; want %d reads, %d kept", i, reads, kept, step.reads, step.kept)
		}
	}
}

// none and release are what a step of TestUnitReadsAreKeptFiveMinutes
// does with the reads: none lets none go; release lets the read under way
// go, and asks once it has ended.
type (
	none    struct{}
	release struct{}
)

// events is a log in memory: each case's log and facts without the
// database's read.
type events []throughline.Event

func (es events) EachEvent(_ context.Context, fn func(throughline.Event) error) error {
	for _, e := range es {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// EachCaseFacts yields each case's facts as the store keeps them.
func (es events) EachCaseFacts(ctx context.Context, fn func(record []byte) error) error {
	return indexLog(es).EachCaseFacts(ctx, fn)
}

// indexed is a log in memory with each case's log and facts worked out
// once, as the database keeps them.
type indexed struct {
	by    map[string][]throughline.Event
	facts [][]byte // in reference order
}

func indexLog(es events) *indexed {
	x := &indexed{by: map[string][]throughline.Event{}}
	for _, e := range es {
		x.by[e.Case] = append(x.by[e.Case], e)
	}
	refs := slices.Sorted(maps.Keys(x.by))
	for _, ref := range refs {
		evs := x.by[ref]
		x.facts = append(x.facts, oversight.Record(evs, deadline.Compute(evs)))
	}
	return x
}

func (x *indexed) EachCaseFacts(_ context.Context, fn func(record []byte) error) error {
	for _, f := range x.facts {
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

func (x *indexed) Events(_ context.Context, ref string) ([]throughline.Event, error) {
	return x.by[ref], nil
}

// counting is a store that counts its reads of the roll-up, which it
// holds as records' hold does its reads of the versions.
type counting struct {
	events
	mu    sync.Mutex
	reads int
	hold  chan error
}

func (c *counting) EachCaseFacts(ctx context.Context, fn func(record []byte) error) error {
	if err := <-c.hold; err != nil {
		return err
	}
	c.mu.Lock()
	c.reads++
	c.mu.Unlock()
	return c.events.EachCaseFacts(ctx, fn)
}

// unitStore is a counting store with each case's log.
type unitStore struct{ *counting }

func (u unitStore) Events(ctx context.Context, ref string) ([]throughline.Event, error) {
	return u.counting.events.Events(ctx, ref)
}

// The unit's figures from the facts kept and the unit's own logs are
// exactly those from the whole log read and every case folded (the page's
// reading before the facts kept the attribution, readUnitFromLog), for a
// police unit and a CPS unit, over generated cases.
func TestUnitFiguresFromTheFactsAreTheLogs(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var es events
	if err := synth.Generate(synth.Options{Cases: 3000, Seed: 2022, FromYear: 2022, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		es = append(es, evs...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	today := throughline.At(now).Date()
	store := indexLog(es)
	for _, unit := range []throughline.Agency{{Kind: "police", ID: "13"}, {Kind: "cps", ID: "london_south"}} {
		got, err := readUnit(context.Background(), store, unit, now)
		if err != nil {
			t.Fatal(err)
		}
		want, err := readUnitFromLog(context.Background(), es, unit, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.cases) < 20 || len(got.national) != 3000 || len(got.assessed) == 0 {
			t.Fatalf("%s: %d unit cases, %d national, %d quarters assessed: too few to compare", unit, len(got.cases), len(got.national), len(got.assessed))
		}
		for _, q := range []string{"", "from=2024-Q1&to=2026-Q4", "from=2022-Q1&to=2022-Q4"} {
			v, _ := url.ParseQuery(q)
			f, err := parseUnit(v, today)
			if err != nil {
				t.Fatal(err)
			}
			gt, gc := unitFigures(got, unit, f, today)
			wt, wc := unitFigures(want, unit, f, today)
			if !reflect.DeepEqual(gt, wt) || !reflect.DeepEqual(gc, wc) {
				t.Errorf("%s %s: the figures from the facts are not the log's:\n%+v\n%+v", unit, q, gt, wt)
			}
		}
	}
}

// readUnitFromLog is how the page read a unit before the facts kept each
// case's attribution (ADR 0303): the whole log, every case folded. It is
// the reference the page's reading is checked against.
func readUnitFromLog(ctx context.Context, s events, unit throughline.Agency, at time.Time) (*unitData, error) {
	d := &unitData{at: at, assessed: map[opendata.Quarter]*[2]int{}}
	folds := map[string]*attribution.Fold{}
	mine := map[string][]throughline.Event{}
	var again []string
	err := s.EachEvent(ctx, func(e throughline.Event) error {
		if a, ok := e.Data.(*throughline.FileQualityAssessed); ok {
			q := quarterOf(e.OccurredAt.Date())
			n := d.assessed[q]
			if n == nil {
				n = new([2]int)
				d.assessed[q] = n
			}
			n[0]++
			if a.Outcome != "acceptable" {
				n[1]++
			}
		}
		if o, ok := e.Data.(*throughline.CaseOpened); ok && inUnit(unit, o.Force, o.CPSArea) {
			mine[e.Case] = nil
		}
		if evs, ok := mine[e.Case]; ok {
			mine[e.Case] = append(evs, e)
		}
		f := folds[e.Case]
		if f == nil {
			f = new(attribution.Fold)
			f.Init(at, false)
			folds[e.Case] = f
		}
		f.Add(e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for ref, f := range folds {
		if f.Disordered() {
			again = append(again, ref)
			continue
		}
		d.addNational(f.Result())
	}
	for _, ref := range again {
		evs, err := s.Events(ctx, ref)
		if err != nil {
			return nil, err
		}
		d.addNational(attribution.Spans(evs, at))
	}
	d.finishNational()
	for _, ref := range slices.Sorted(maps.Keys(mine)) {
		d.cases = append(d.cases, unitCaseOf(mine[ref], at))
	}
	return d, nil
}
