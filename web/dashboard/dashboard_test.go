package dashboard

import (
	"context"
	"testing"
	"time"

	"throughline"
	"throughline/web/page"
)

// counting is a store that counts its reads of the log.
type counting struct {
	events
	reads int
}

func (c *counting) EachEvent(ctx context.Context, fn func(throughline.Event) error) error {
	c.reads++
	return c.events.EachEvent(ctx, fn)
}

// The log is read once for every request within factsFor, and again after:
// the page says when.
func TestFactsAreReadAtMostOnceEveryFiveMinutes(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	e, err := throughline.ParseEvent([]byte(`{"case":"13RS0000001/26","type":"case_opened","occurred_at":"2026-01-10","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"A B"}],"suspects":[{"id":"D1","name":"C D"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	st := &counting{events: events{e}}
	d := &Dashboard{Base: &page.Base{Now: func() time.Time { return now }}, Store: st}
	for i, step := range []struct {
		after time.Duration
		reads int
		at    time.Time
	}{
		{0, 1, now},
		{time.Minute, 1, now},
		{4*time.Minute + 59*time.Second, 1, now},
		{5 * time.Minute, 2, now.Add(5 * time.Minute)},
	} {
		d.Now = func() time.Time { return now.Add(step.after) }
		facts, at, err := d.allFacts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st.reads != step.reads || !at.Equal(step.at) || len(facts) != 1 || facts[0].Force != "13" {
			t.Errorf("step %d (+%s): %d reads, facts of %s (%d), want %d reads, of %s", i, step.after, st.reads, at, len(facts), step.reads, step.at)
		}
	}
}
