package attribution

import (
	"context"
	"slices"
	"sync"
	"time"

	"throughline"
)

// Stalled cases: open cases in which nothing has happened for a number of
// days while they wait on a party. The supervisor of the agency waited on
// is the one to chase it: a police supervisor the police's, a CPS manager
// the CPS's (the today pages list them).

// StallDays is how long a case waiting on an agency may go without any
// event before it counts as stalled: the today pages of a police
// supervisor and a CPS manager list such cases, and the unit dashboard
// counts them, both by this one number. 28 days because that is the
// regular-update cadence (deadline.RegularUpdate): a victim is owed an
// update every 28 days even when nothing has changed, so a case silent for
// longer has a victim told "no news" with no one chasing why. A shorter
// span would flag cases that are properly waiting on a lab or a listing;
// a longer one lets a second update go by with nothing done.
const StallDays = 28

// Stall is one stalled case.
type Stall struct {
	Case    string
	Party   Party  // who it waits on
	Because Reason // the rule and event that hold it there
	Quiet   int    // days since its latest event
	Since   Day    // the day of its latest event
}

// StalledCase reports whether the case of events, as of asOf, has had no
// event for at least quietDays while waiting on a party other than nobody.
func StalledCase(events []throughline.Event, asOf time.Time, quietDays int) (Stall, bool) {
	r := Spans(events, asOf)
	if r.Closed || len(r.Spans) == 0 {
		return Stall{}, false
	}
	last := r.Reported
	for _, e := range events {
		if d := DayOf(e.OccurredAt.Date()); d > last && d < r.End {
			last = d
		}
	}
	s := r.Spans[len(r.Spans)-1]
	quiet := int(r.End - last)
	if quiet < quietDays || s.Party == Nobody {
		return Stall{}, false
	}
	return Stall{Case: r.Case, Party: s.Party, Because: s.Because, Quiet: quiet, Since: last}, true
}

// CaseSource is what Stalled reads: the candidate cases and their logs.
type CaseSource interface {
	Cases(ctx context.Context, f throughline.CaseFilter) ([]throughline.CaseSummary, error)
	Events(ctx context.Context, ref string) ([]throughline.Event, error)
}

// Stalled lists the cases of filter f (its forces or areas) stalled as of
// asOf while waiting on party: no event for quietDays or more, longest
// quiet first. It reads at most limit candidates (the store's page size);
// the caller decides each case with the policy and logs the consultation.
// With a memo, a candidate whose version and day it has answered for is
// not read again.
func Stalled(ctx context.Context, src CaseSource, f throughline.CaseFilter, party Party, quietDays int, asOf time.Time, memo *StallMemo) ([]Stall, error) {
	f.QuietBefore = asOf.In(throughline.London).AddDate(0, 0, 1-quietDays).Format(time.DateOnly)
	cases, err := src.Cases(ctx, f)
	if err != nil {
		return nil, err
	}
	day := asOf.In(throughline.London).Format(time.DateOnly)
	var out []Stall
	for _, c := range cases {
		k := stallKey{ref: c.Ref, version: c.Version, day: day, quiet: quietDays}
		a, ok := memo.get(k)
		if !ok {
			evs, err := src.Events(ctx, c.Ref)
			if err != nil {
				return nil, err
			}
			a.stall, a.stalled = StalledCase(evs, asOf, quietDays)
			// The log read may be newer than the summary: remember the
			// answer for the version it was read at.
			if n := len(evs); n > 0 {
				k.version = evs[n-1].Version
				memo.put(k, a)
			}
		}
		if a.stalled && a.stall.Party == party {
			out = append(out, a.stall)
		}
	}
	slices.SortStableFunc(out, func(a, b Stall) int { return b.Quiet - a.Quiet })
	return out, nil
}

// StallMemo remembers StalledCase's answers by case, version and day: a
// case's log at one version never changes, so its answer for a day holds
// until the case moves, and a list read every time a supervisor opens the
// today page reads only the logs of the cases that moved. It keeps no
// personal data, only the answers. The zero StallMemo is ready; a nil one
// remembers nothing.
type StallMemo struct {
	mu      sync.Mutex
	answers map[stallKey]stallAnswer
}

// stallsKept bounds a memo: past it the memo starts again (an answer of an
// old day or version is never asked for again, so nothing else ages out).
const stallsKept = 50_000

type stallKey struct {
	ref     string
	version int64
	day     string
	quiet   int
}

type stallAnswer struct {
	stall   Stall
	stalled bool
}

func (m *StallMemo) get(k stallKey) (stallAnswer, bool) {
	if m == nil {
		return stallAnswer{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.answers[k]
	return a, ok
}

func (m *StallMemo) put(k stallKey, a stallAnswer) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.answers == nil || len(m.answers) >= stallsKept {
		m.answers = map[stallKey]stallAnswer{}
	}
	m.answers[k] = a
}
