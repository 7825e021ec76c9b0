package dashboard

import (
	"context"
	"testing"
	"time"

	"throughline"
	"throughline/deadline"
	"throughline/oversight"
	"throughline/web/page"
)

// records is a roll-up in memory: each case's record as the store keeps
// it, and the log's head.
type records struct {
	recs  [][]byte
	head  int64
	reads int
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

func (r *records) LogHead(context.Context) (int64, error) { return r.head, nil }

// add puts a case's record in the roll-up, as an append would.
func (r *records) add(evs []throughline.Event) {
	r.recs = append(r.recs, oversight.Record(evs, deadline.Compute(evs)))
	r.head += int64(len(evs))
}

// The roll-up is read again only when the log has moved on, and then at
// most once a minute; the page's time is when the figures were last known
// to be the record's.
func TestRollupIsReadAgainOnlyWhenTheLogMoves(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	opened := func(ref string) []throughline.Event {
		e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `","type":"case_opened","occurred_at":"2026-01-10","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"A B"}],"suspects":[{"id":"D1","name":"C D"}]}}`))
		if err != nil {
			t.Fatal(err)
		}
		return []throughline.Event{e}
	}
	st := &records{}
	st.add(opened("13RS0000001/26"))
	d := &Dashboard{Base: &page.Base{Now: func() time.Time { return now }}, Store: st}
	for i, step := range []struct {
		after time.Duration
		write bool // a case is appended before the request
		reads int
		cases int
		at    time.Duration
	}{
		{0, false, 1, 1, 0},
		{10 * time.Minute, false, 1, 1, 10 * time.Minute}, // nothing written: still the record's
		{10*time.Minute + 30*time.Second, true, 1, 1, 10 * time.Minute},
		{11 * time.Minute, false, 2, 2, 11 * time.Minute},
	} {
		if step.write {
			st.add(opened("13RS0000002/26"))
		}
		d.Now = func() time.Time { return now.Add(step.after) }
		d.mu.Lock()
		cube, at, err := d.cubeOf(context.Background(), now)
		d.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		facts := cube.Facts()
		if st.reads != step.reads || !at.Equal(now.Add(step.at)) || len(facts) != step.cases || facts[0].Force != "13" {
			t.Errorf("step %d (+%s): %d reads, %d cases as of %s; want %d reads, %d cases as of +%s", i, step.after, st.reads, len(facts), at, step.reads, step.cases, step.at)
		}
	}
}
