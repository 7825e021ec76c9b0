package attribution

import (
	"encoding/json"
	"fmt"
	"time"

	"throughline"
)

// Kept is a case's attribution worked out once, as its events arrive, and
// kept beside its log (in the case's measures facts, ADR 0252): every later
// question of where its days went — as of any day, to its closing or to its
// first trial — is answered from it by Result without the log, and gives
// exactly what Spans and SpansToTrial give (ADR 0303).
//
// It rests on one property of the rule: a day's party and rule follow from
// the events dated before it, so the days up to any asOf are a prefix of the
// days attributed with no end. The exceptions are logs that carry, after
// the closing, an event dated before it, or an event dated before the
// report: Backdated says so, and such a case is answered from its log.
type Kept struct {
	Case     string
	Reported Day // the first day counted (0 for a log without a report)
	// Changes are the days from which the rule deciding the case's days
	// changed, in order: each rule holds from its day until the next one's,
	// and the last until Close (or for ever, while the case is open).
	Changes []Change
	// Close is the closing day (not counted), Trial the day the first trial
	// started (the end of the count to trial, when it came before the
	// closing), Charged the day a suspect was first charged; 0 for none.
	Close, Trial, Charged Day
	Force, Area           string // of the report (case_opened)
	Backdated             bool
}

// Change is a rule holding from a day.
type Change struct {
	From Day
	Rule Rule
}

// forever is the day the attribution is kept to: later than any case, so
// an open case's last rule runs on.
var forever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Keep works out a case's Kept from its log (in version order).
func Keep(events []throughline.Event) Kept {
	f := folds.Get().(*Fold)
	defer folds.Put(f)
	r := f.run(events, forever, false)
	k := Kept{Case: r.Case, Reported: r.Reported, Force: r.Force, Area: r.CPSArea, Backdated: f.late}
	if r.Closed {
		k.Close = r.End
	}
	if r.Charged {
		k.Charged = f.chargedDay
	}
	for _, s := range r.Spans {
		if n := len(k.Changes); n > 0 && k.Changes[n-1].Rule == s.Because.Rule {
			continue
		}
		k.Changes = append(k.Changes, Change{From: s.From, Rule: s.Because.Rule})
	}
	t := f.run(events, forever, true)
	if t.Trial {
		k.Trial = t.End
	}
	k.Backdated = k.Backdated || f.late
	return k
}

// Result is the case's days as of asOf (Spans), or, toTrial, up to its
// first trial's start (SpansToTrial), but without the spans, the
// defendants' strands: what an aggregate needs.
// Not for a Backdated case.
func (k *Kept) Result(asOf time.Time, toTrial bool) Result {
	a := DayOf(asOf.In(throughline.London))
	closing := k.Close
	if toTrial && k.Trial != 0 {
		closing = k.Trial
	}
	r := Result{Case: k.Case, Reported: k.Reported, End: a, Force: k.Force, CPSArea: k.Area}
	// An event counts when dated before asOf's day.
	if closing != 0 && closing < a {
		r.End, r.Closed = closing, true
		r.Trial = toTrial && k.Trial != 0
	}
	if r.Reported >= a {
		// Reported on or after asOf: not yet history, nor is where.
		r.End, r.Force, r.CPSArea = r.Reported, "", ""
	}
	r.Charged = k.Charged != 0 && k.Charged < a && (!r.Closed || k.Charged <= r.End)
	for i, c := range k.Changes {
		to := r.End
		if i+1 < len(k.Changes) {
			to = min(to, k.Changes[i+1].From)
		}
		if n := int(to - c.From); n > 0 {
			r.Days.Add(c.Rule.Party(), n)
			r.ByRule[c.Rule] += n
		}
	}
	return r
}

// keptJSON is Kept's record: days as numbers (0 for none, left out) and
// the changes as one flat list of day, rule pairs, to keep the record
// small and quick to read.
type keptJSON struct {
	Case      string  `json:"case"`
	Reported  int32   `json:"reported"`
	Changes   []int32 `json:"changes,omitempty"`
	Close     int32   `json:"close,omitempty"`
	Trial     int32   `json:"trial,omitempty"`
	Charged   int32   `json:"charged,omitempty"`
	Force     string  `json:"force,omitempty"`
	Area      string  `json:"area,omitempty"`
	Backdated bool    `json:"backdated,omitempty"`
}

// MarshalJSON writes the record.
func (k Kept) MarshalJSON() ([]byte, error) {
	j := keptJSON{Case: k.Case, Reported: int32(k.Reported), Close: int32(k.Close), Trial: int32(k.Trial), Charged: int32(k.Charged),
		Force: k.Force, Area: k.Area, Backdated: k.Backdated, Changes: make([]int32, 0, 2*len(k.Changes))}
	for _, c := range k.Changes {
		j.Changes = append(j.Changes, int32(c.From), int32(c.Rule))
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the record, refusing one that no Keep could write.
func (k *Kept) UnmarshalJSON(b []byte) error {
	if q, n, ok := ReadKept(b); ok && n == len(b) {
		*k = q
		return nil
	}
	var j keptJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if len(j.Changes)%2 != 0 {
		return fmt.Errorf("attribution kept: %d numbers in the changes, not pairs", len(j.Changes))
	}
	*k = Kept{Case: j.Case, Reported: Day(j.Reported), Close: Day(j.Close), Trial: Day(j.Trial), Charged: Day(j.Charged),
		Force: j.Force, Area: j.Area, Backdated: j.Backdated, Changes: make([]Change, 0, len(j.Changes)/2)}
	for i := 0; i < len(j.Changes); i += 2 {
		c := Change{From: Day(j.Changes[i]), Rule: Rule(j.Changes[i+1])}
		if c.Rule < RuleWithdrawal || c.Rule > RuleOutcome || (len(k.Changes) > 0 && c.From <= k.Changes[len(k.Changes)-1].From) {
			return fmt.Errorf("attribution kept: change %d (day %d, rule %d) out of order or of no rule", i/2, c.From, c.Rule)
		}
		k.Changes = append(k.Changes, c)
	}
	return nil
}
