package attribution

import (
	"cmp"
	"context"
	"slices"
	"strings"
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
	Case  string
	Party Party // who it waits on
	Rule  Rule  // the rule that holds it there
	Quiet int   // days since its latest event
	Since Day   // the day of its latest event
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
	return Stall{Case: r.Case, Party: s.Party, Rule: s.Because.Rule, Quiet: quiet, Since: last}, true
}

// stalled is StalledCase from the case's kept attribution and last, the
// day of its latest event, without its log; known is false where these
// cannot tell and the log must be read: a backdated log (Kept), or an event
// dated asOf's day or later (StalledCase counts only those before it).
func (k *Kept) stalled(last Day, asOf time.Time, quietDays int) (a stallAnswer, known bool) {
	if k.Backdated || last >= DayOf(asOf.In(throughline.London)) {
		return stallAnswer{}, false
	}
	r := k.Result(asOf, false)
	// The rule of the last day counted: the days up to asOf are a prefix
	// of those kept (ADR 0303), and none before the report.
	i := len(k.Changes) - 1
	for i >= 0 && k.Changes[i].From >= r.End {
		i--
	}
	if r.Closed || i < 0 {
		return stallAnswer{}, true
	}
	last = max(last, r.Reported)
	s := Stall{Case: k.Case, Party: k.Changes[i].Rule.Party(), Rule: k.Changes[i].Rule, Quiet: int(r.End - last), Since: last}
	return stallAnswer{stall: s, stalled: s.Quiet >= quietDays && s.Party != Nobody}, true
}

// CaseSource is what Stalled reads: the candidate cases, the attribution
// kept for them, and the logs of those it cannot answer.
type CaseSource interface {
	Cases(ctx context.Context, f throughline.CaseFilter) ([]throughline.CaseSummary, error)
	// Kept calls fn with the attribution kept for each case of refs that
	// keeps one, and the day of the case's latest event.
	Kept(ctx context.Context, refs []string, fn func(k *Kept, last Day) error) error
	Events(ctx context.Context, ref string) ([]throughline.Event, error)
}

// Stalled lists the cases of filter f (its forces or areas) stalled as of
// asOf while waiting on party: no event for quietDays or more, longest
// quiet first. It reads at most limit candidates (the store's page size);
// the caller decides each case with the policy and logs the consultation.
// Each candidate is answered from its kept attribution, or from its log
// where that cannot tell. With a memo, a candidate whose version and day
// it has answered for is not read again.
func Stalled(ctx context.Context, src CaseSource, f throughline.CaseFilter, party Party, quietDays int, asOf time.Time, memo *StallMemo) ([]Stall, error) {
	f.QuietBefore = asOf.In(throughline.London).AddDate(0, 0, 1-quietDays).Format(time.DateOnly)
	cases, err := src.Cases(ctx, f)
	if err != nil {
		return nil, err
	}
	day := asOf.In(throughline.London).Format(time.DateOnly)
	var out []Stall
	add := func(a stallAnswer) {
		if a.stalled && a.stall.Party == party {
			out = append(out, a.stall)
		}
	}
	var refs []string
	listed := map[string]int64{} // the candidates not remembered, by the version listed
	for _, c := range cases {
		if a, ok := memo.get(stallKey{ref: c.Ref, version: c.Version, day: day, quiet: quietDays}); ok {
			add(a)
		} else {
			refs = append(refs, c.Ref)
			listed[c.Ref] = c.Version
		}
	}
	err = src.Kept(ctx, refs, func(k *Kept, last Day) error {
		v, ok := listed[k.Case]
		a, known := k.stalled(last, asOf, quietDays)
		if !ok || !known {
			return nil
		}
		// The facts were read after the list, at its version or a later
		// one: a case that moved since is listed at its new version next
		// time, so the answer is never given for an older one.
		memo.put(stallKey{ref: k.Case, version: v, day: day, quiet: quietDays}, a)
		add(a)
		delete(listed, k.Case)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, ref := range refs {
		if _, ok := listed[ref]; !ok {
			continue
		}
		evs, err := src.Events(ctx, ref)
		if err != nil {
			return nil, err
		}
		var a stallAnswer
		a.stall, a.stalled = StalledCase(evs, asOf, quietDays)
		// The log read may be newer than the summary: remember the
		// answer for the version it was read at.
		if n := len(evs); n > 0 {
			memo.put(stallKey{ref: ref, version: evs[n-1].Version, day: day, quiet: quietDays}, a)
		}
		add(a)
	}
	slices.SortFunc(out, func(a, b Stall) int { return cmp.Or(b.Quiet-a.Quiet, strings.Compare(a.Case, b.Case)) })
	return out, nil
}

// StallMemo remembers Stalled's answers by case, version and day: a
// case's log at one version never changes, so its answer for a day holds
// until the case moves, and a list read every time a supervisor opens the
// today page reads again only the cases that moved. It keeps no
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
