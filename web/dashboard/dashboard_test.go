package dashboard

import (
	"context"
	"slices"
	"testing"
	"time"

	"throughline"
	"throughline/deadline"
	"throughline/oversight"
	"throughline/web/page"
)

// records is a roll-up in memory: each case's record as the store keeps
// it, with its version, and the log's head; reads counts the roll-up read
// whole, readOf the records read by name.
type records struct {
	refs     []string
	recs     [][]byte
	versions []int64
	head     int64
	reads    int
	readOf   int
}

func (r *records) EachCaseFacts(_ context.Context, fn func([]byte) error) error {
	r.reads++
	for _, rec := range r.recs {
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

func (r *records) CaseFactsOf(_ context.Context, refs []string, fn func([]byte) error) error {
	for _, ref := range refs {
		if i := slices.Index(r.refs, ref); i >= 0 {
			r.readOf++
			if err := fn(r.recs[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *records) CaseVersions(_ context.Context, fn func(string, int64) error) error {
	for i, ref := range r.refs {
		if err := fn(ref, r.versions[i]); err != nil {
			return err
		}
	}
	return nil
}

func (r *records) LogHead(context.Context) (int64, error) { return r.head, nil }

// add puts a case's record in the roll-up, as an append would: evs are
// all its events, a new case's or one that moved.
func (r *records) add(evs []throughline.Event) {
	rec, v := oversight.Record(evs, deadline.Compute(evs)), int64(len(evs))
	if i := slices.Index(r.refs, evs[0].Case); i >= 0 {
		r.recs[i], r.versions[i] = rec, v
	} else {
		r.refs, r.recs, r.versions = append(r.refs, evs[0].Case), append(r.recs, rec), append(r.versions, v)
	}
	r.head++
}

// The roll-up is read again only when the log has moved on, and then at
// most once a minute, and then only the records of the cases that moved;
// the page's time is when the figures were last known to be the record's.
func TestRollupIsReadAgainOnlyWhenTheLogMoves(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	opened := func(ref, force string) throughline.Event {
		e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `","type":"case_opened","occurred_at":"2026-01-10","data":{"force":"` + force + `","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"A B"}],"suspects":[{"id":"D1","name":"C D"}]}}`))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	closed := func(ref string) throughline.Event {
		e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `","type":"case_closed","occurred_at":"2026-02-10","data":{"reason":"no_further_action"}}`))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	first, second := "13RS0000001/26", "13RS0000002/26"
	st := &records{}
	st.add([]throughline.Event{opened(first, "13")})
	d := &Dashboard{Base: &page.Base{Now: func() time.Time { return now }}, Store: st}
	for i, step := range []struct {
		after          time.Duration
		write          []throughline.Event // a case's events, appended before the request
		reads, readOf  int
		cases, reports int // cases, and cases reported in the quarter
		closed         int // cases closed in the quarter
		at             time.Duration
	}{
		{0, nil, 1, 0, 1, 1, 0, 0},
		{10 * time.Minute, nil, 1, 0, 1, 1, 0, 10 * time.Minute}, // nothing written: still the record's
		{10*time.Minute + 30*time.Second, []throughline.Event{opened(second, "13")}, 1, 0, 1, 1, 0, 10 * time.Minute},
		{11 * time.Minute, nil, 1, 1, 2, 2, 0, 11 * time.Minute},                                                     // the new case alone is read
		{13 * time.Minute, []throughline.Event{opened(first, "13"), closed(first)}, 1, 2, 2, 2, 1, 13 * time.Minute}, // the first case moved: read again
	} {
		if step.write != nil {
			st.add(step.write)
		}
		d.Now = func() time.Time { return now.Add(step.after) }
		d.mu.Lock()
		cube, at, err := d.cubeOf(context.Background(), now)
		d.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		q := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		r, err := cube.Report(oversight.Params{From: q, To: q.AddDate(0, 3, -1)}, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if st.reads != step.reads || st.readOf != step.readOf || !at.Equal(now.Add(step.at)) || len(cube.Facts()) != step.cases || r.Reports != step.reports || r.ConvictionRate.Outcomes["closed"]+r.Attrition.PreCharge.Total != step.closed {
			t.Errorf("step %d (+%s): %d whole reads, %d records read by name, %d cases (%d reported, %d closed) as of %s; want %d, %d, %d (%d, %d) as of +%s", i, step.after,
				st.reads, st.readOf, len(cube.Facts()), r.Reports, r.ConvictionRate.Outcomes["closed"]+r.Attrition.PreCharge.Total, at,
				step.reads, step.readOf, step.cases, step.reports, step.closed, step.at)
		}
	}
}
