package dashboard

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"throughline"
	"throughline/deadline"
	"throughline/oversight"
	"throughline/web/page"
)

// records is a roll-up in memory: each case's record as the store keeps
// it, with its version, and the log's head; reads counts the roll-up read
// whole, readOf the records read by name, versionReads the reads of every
// case's version. The dashboard reads it in the background while the test
// writes, so mu guards it.
type records struct {
	mu           sync.Mutex
	refs         []string
	recs         [][]byte
	versions     []int64
	head         int64
	reads        int
	readOf       int
	versionReads int
	// hold, when set, holds each read of the versions until the test sends
	// on it — nil to go on, an error to fail the read — so that the test
	// knows a read is under way and chooses when it ends.
	hold chan error
}

func (r *records) EachCaseFacts(_ context.Context, fn func([]byte) error) error {
	r.mu.Lock()
	r.reads++
	recs := slices.Clone(r.recs)
	r.mu.Unlock()
	for _, rec := range recs {
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

func (r *records) CaseFactsOf(_ context.Context, refs []string, fn func([]byte) error) error {
	r.mu.Lock()
	var recs [][]byte
	for _, ref := range refs {
		if i := slices.Index(r.refs, ref); i >= 0 {
			r.readOf++
			recs = append(recs, r.recs[i])
		}
	}
	r.mu.Unlock()
	for _, rec := range recs {
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

func (r *records) CaseVersions(_ context.Context, fn func(string, int64) error) error {
	if r.hold != nil {
		if err := <-r.hold; err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.versionReads++
	refs, versions := slices.Clone(r.refs), slices.Clone(r.versions)
	r.mu.Unlock()
	for i, ref := range refs {
		if err := fn(ref, versions[i]); err != nil {
			return err
		}
	}
	return nil
}

func (r *records) LogHead(context.Context) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.head, nil
}

// add puts a case's record in the roll-up, as an append would: evs are
// all its events, a new case's or one that moved.
func (r *records) add(evs []throughline.Event) {
	rec, v := oversight.Record(evs, deadline.Compute(evs)), int64(len(evs))
	r.mu.Lock()
	defer r.mu.Unlock()
	if i := slices.Index(r.refs, evs[0].Case); i >= 0 {
		r.recs[i], r.versions[i] = rec, v
	} else {
		r.refs, r.recs, r.versions = append(r.refs, evs[0].Case), append(r.recs, rec), append(r.versions, v)
	}
	r.head++
}

// counts are the store's reads so far: whole, by name, of the versions.
func (r *records) counts() [3]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return [3]int{r.reads, r.readOf, r.versionReads}
}

// opened and closed are a case's events in the tests of the reads.
func opened(t *testing.T, ref string) throughline.Event {
	e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `","type":"case_opened","occurred_at":"2026-01-10","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"A B"}],"suspects":[{"id":"D1","name":"C D"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func closed(t *testing.T, ref string) throughline.Event {
	e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `","type":"case_closed","occurred_at":"2026-02-10","data":{"reason":"no_further_action"}}`))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// asked is what a request of the dashboard finds, as figures finds it: the
// cases in the cube, those closed in the first quarter of 2026, and the
// time the page says the figures are of.
type asked struct {
	cases, closed int
	at            time.Time
	err           error
}

func ask(d *Dashboard, st *records, today time.Time) asked {
	head, _ := st.LogHead(context.Background())
	d.mu.Lock()
	defer d.mu.Unlock()
	cube, at, err := d.cubeOf(context.Background(), head, today)
	if err != nil {
		return asked{err: err}
	}
	q := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r, err := cube.Report(oversight.Params{From: q, To: q.AddDate(0, 3, -1)}, "", "")
	return asked{len(cube.Facts()), r.ConvictionRate.Outcomes["closed"] + r.Attrition.PreCharge.Total, at, err}
}

// ended waits for r's read under way, if any, to end; mu guards r.
func ended(mu *sync.Mutex, r *refresher) {
	mu.Lock()
	done := r.reading
	mu.Unlock()
	if done != nil {
		<-done
	}
}

// Once the figures are read, no request waits for the roll-up to be read
// again (docs/adr/0256): while the log stands still it is not read again,
// and the page's time is now; when the log has moved, a request a minute or
// more after the figures were read starts one read in the background —
// however many requests come while it runs — and is answered from the
// figures as they were, with the time they were read; the read takes only
// the cases that moved, and the figures move when it ends. A read that
// fails is logged and changes nothing, and a later request reads again.
func TestRequestsDoNotWaitForTheRollupToBeReadAgain(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	first, second := "13RS0000001/26", "13RS0000002/26"
	st := &records{hold: make(chan error)}
	st.add([]throughline.Event{opened(t, first)})
	var log strings.Builder
	clk := &clock{t: now}
	d := &Dashboard{Base: &page.Base{Now: clk.Now, Logger: slog.New(slog.NewTextHandler(&log, nil))}, Store: st}
	at := func(after time.Duration) asked {
		clk.set(now.Add(after))
		return ask(d, st, now)
	}
	want := func(step string, got asked, cases, closed int, at time.Duration, reads [3]int) {
		t.Helper()
		if got.err != nil || got.cases != cases || got.closed != closed || !got.at.Equal(now.Add(at)) || st.counts() != reads {
			t.Errorf("%s: %d cases, %d closed, as of %s, reads (whole, by name, versions) %v, %v; want %d, %d, as of +%s, %v",
				step, got.cases, got.closed, got.at, st.counts(), got.err, cases, closed, at, reads)
		}
	}

	// The server warms the figures; a request before they are read waits
	// for that read and starts no other.
	d.Warm()
	answered := make(chan asked)
	go func() { answered <- at(0) }()
	st.hold <- nil
	want("first request, during the warming read", <-answered, 1, 0, 0, [3]int{1, 0, 1})
	want("log standing still", at(10*time.Minute), 1, 0, 10*time.Minute, [3]int{1, 0, 1})

	// The log moves: a new case.
	st.add([]throughline.Event{opened(t, second)})
	want("log moved, under a minute after the read", at(10*time.Minute+30*time.Second), 1, 0, 10*time.Minute, [3]int{1, 0, 1})
	want("a minute after: a read starts, the request does not wait", at(11*time.Minute), 1, 0, 10*time.Minute, [3]int{1, 0, 1})
	want("while it runs: no second read", at(12*time.Minute), 1, 0, 10*time.Minute, [3]int{1, 0, 1})
	st.hold <- nil // the read started at +11 min goes on
	ended(&d.mu, &d.refresh)
	want("after it: the new case alone was read", at(12*time.Minute), 2, 0, 12*time.Minute, [3]int{1, 1, 2})

	// The first case moves; the next read fails, then the one after works.
	st.add([]throughline.Event{opened(t, first), closed(t, first)})
	want("log moved", at(12*time.Minute+30*time.Second), 2, 0, 12*time.Minute, [3]int{1, 1, 2})
	want("a read starts", at(13*time.Minute), 2, 0, 12*time.Minute, [3]int{1, 1, 2})
	st.hold <- errors.New("disk on fire")
	ended(&d.mu, &d.refresh)
	if !strings.Contains(log.String(), "disk on fire") {
		t.Errorf("the failed read is not logged: %q", log.String())
	}
	want("the read failed: the figures stand, as of their read", at(13*time.Minute), 2, 0, 12*time.Minute, [3]int{1, 1, 2})
	st.hold <- nil // the read that request started goes on
	ended(&d.mu, &d.refresh)
	// The log moves on again: the page gives the time of the read, not now.
	st.add([]throughline.Event{opened(t, "13RS0000003/26")})
	want("read again: the moved case", at(13*time.Minute+30*time.Second), 2, 1, 13*time.Minute, [3]int{1, 2, 3})
}

// clock is a time the test sets, which the dashboard's reads ask in the
// background.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
