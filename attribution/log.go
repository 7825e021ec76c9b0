package attribution

import (
	"context"
	"time"

	"throughline"
)

// Log is what attributing every case from scratch reads: the whole log in
// order, and one case's log.
type Log interface {
	EachEvent(ctx context.Context, fn func(throughline.Event) error) error
	Events(ctx context.Context, ref string) ([]throughline.Event, error)
}

// EachFromLog calls add with every case's Result as of asOf (toTrial:
// counted to its first trial, SpansToTrial), in no particular order, from
// the whole log streamed once, each case folded as its events go by (a
// case is finished, and forgotten, when it closes); a case whose log runs
// backwards in time is attributed from its own log. It is the reference
// the kept attribution (Kept) is checked against, and its baseline.
func EachFromLog(ctx context.Context, s Log, asOf time.Time, toTrial bool, add func(Result)) error {
	var again []string
	finish := func(f *Fold) {
		if f.Disordered() {
			again = append(again, f.Case())
			return
		}
		add(f.Result())
	}
	done := &Fold{} // a closed case's marker: later events (victim_informed) change nothing
	open := map[string]*Fold{}
	err := s.EachEvent(ctx, func(e throughline.Event) error {
		f := open[e.Case]
		switch {
		case f == done:
			return nil
		case f == nil:
			f = new(Fold)
			f.Init(asOf, false)
			f.toTrial = toTrial
			open[e.Case] = f
		}
		f.Add(e)
		if f.Closed() {
			finish(f)
			open[e.Case] = done
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range open {
		if f != done {
			finish(f)
		}
	}
	for _, ref := range again {
		evs, err := s.Events(ctx, ref)
		if err != nil {
			return err
		}
		add(spans(evs, asOf, toTrial))
	}
	return nil
}
