package dashboard

import (
	"context"
	"slices"
	"strings"
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/deadline"
	"throughline/opendata"
	"throughline/oversight"
)

// What the unit dashboard reads: every case's measures facts once (the
// roll-up, ADR 0252) — the attribution kept in them (ADR 0303), for the
// national comparison, and their file-quality assessments, for the national
// count — and the logs of the unit's cases alone (a police RASSO unit's,
// a force's, or a CPS RASSO unit's, an area's), folded by the domain, with
// their action items' deadlines from the deadline engine and who each case
// waited on from package attribution. The page counts; every rule it counts
// by lives in those packages.

// UnitStore is what the unit dashboard needs from storage: the roll-up,
// and one case's log.
type UnitStore interface {
	EachCaseFacts(ctx context.Context, fn func(record []byte) error) error
	Events(ctx context.Context, ref string) ([]throughline.Event, error)
}

// unitData is one unit's figures' raw material, read at one moment.
type unitData struct {
	at    time.Time
	cases []unitCase
	// national is every case's days, for the national comparison, and
	// nationalOpen the summary of those open at the read (which no period
	// changes).
	national     []caseDays
	nationalOpen attribution.Summary
	// assessed counts every file-quality assessment nationally by quarter:
	// [0] all, [1] not acceptable.
	assessed map[opendata.Quarter]*[2]int
}

// caseDays is what the national comparison needs of a case's attribution:
// a few bytes, where a Result is hundreds, kept for every case.
type caseDays struct {
	days   attribution.Days
	end    attribution.Day
	closed bool
}

// addNational counts a case in the national comparison.
func (d *unitData) addNational(r attribution.Result) {
	d.national = append(d.national, caseDays{days: r.Days, end: r.End, closed: r.Closed})
}

// finishNational summarises the open cases, once for every request.
func (d *unitData) finishNational() {
	var open attribution.Aggregate
	for _, c := range d.national {
		if !c.closed {
			open.Add("", c.result())
		}
	}
	d.nationalOpen = one(open)
}

// result is the case's days as a Result, for an aggregate.
func (c caseDays) result() attribution.Result {
	return attribution.Result{Days: c.days, End: c.end, Closed: c.closed}
}

// unitCase is one case of the unit.
type unitCase struct {
	c     *throughline.Case
	items []throughline.Deadline // its action items' deadlines
	days  attribution.Result     // as of the read
	// stall is the case stalled as of the read (attribution.StallDays
	// without an event while it waits on someone), or nil.
	stall *attribution.Stall
}

// inUnit reports whether a case opened for force and area is the unit's.
func inUnit(unit throughline.Agency, force, area string) bool {
	return (unit.Kind == "police" && force == unit.ID) || (unit.Kind == "cps" && area == unit.ID)
}

// readUnit reads the roll-up once, and the unit's cases' logs, as of at.
func readUnit(ctx context.Context, s UnitStore, unit throughline.Agency, at time.Time) (*unitData, error) {
	d := &unitData{at: at, assessed: map[opendata.Quarter]*[2]int{}}
	var mine, again []string
	err := oversight.EachKept(func(fn func([]byte) error) error { return s.EachCaseFacts(ctx, fn) }, func(k *oversight.KeptFacts) error {
		for _, a := range k.Quality {
			y, m, _ := a.On.Civil()
			q := opendata.Quarter{Year: y, Q: (int(m)-1)/3 + 1}
			n := d.assessed[q]
			if n == nil {
				n = new([2]int)
				d.assessed[q] = n
			}
			n[0]++
			if a.What != "acceptable" {
				n[1]++
			}
		}
		if inUnit(unit, k.Force, k.Area) {
			mine = append(mine, k.Case)
		}
		if r, ok := k.Result(at, false); ok {
			d.addNational(r)
		} else {
			again = append(again, k.Case)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, ref := range again {
		evs, err := s.Events(ctx, ref)
		if err != nil {
			return nil, err
		}
		d.addNational(attribution.Spans(evs, at))
	}
	d.finishNational()
	slices.Sort(mine)
	for _, ref := range mine {
		evs, err := s.Events(ctx, ref)
		if err != nil {
			return nil, err
		}
		d.cases = append(d.cases, unitCaseOf(evs, at))
	}
	return d, nil
}

// unitCaseOf folds one of the unit's cases from its log, as of at.
func unitCaseOf(evs []throughline.Event, at time.Time) unitCase {
	c := new(throughline.Case)
	for _, e := range evs {
		c.Apply(e)
	}
	uc := unitCase{c: c, days: attribution.Spans(evs, at)}
	if st, ok := attribution.StalledCase(evs, at, attribution.StallDays); ok {
		uc.stall = &st
	}
	for _, dl := range deadline.Compute(evs) {
		if dl.Rule == deadline.ActionItem {
			uc.items = append(uc.items, dl)
		}
	}
	return uc
}

// item returns the plan item a deadline concerns ("item:PLAN/ITEM"), or nil.
func (u *unitCase) item(dl throughline.Deadline) *throughline.PlanItem {
	plan, id, ok := strings.Cut(strings.TrimPrefix(dl.Concerning, "item:"), "/")
	if !ok {
		return nil
	}
	for i := range u.c.Plans {
		if u.c.Plans[i].ID == plan {
			return u.c.Plans[i].Item(id)
		}
	}
	return nil
}

// Item timeliness, as the deadline engine decided it, as of a day.
const (
	itemOnTime    = iota // done by its due date
	itemLate             // done after it
	itemMissed           // past its due date, not done
	itemMoot             // cancelled, or withdrawn by both supervisors, in time
	itemNotYetDue        // open, not yet due
	itemOutcomes
)

// itemOutcome is where an item's deadline stands as of asOf, by its
// status.
func itemOutcome(dl throughline.Deadline, asOf time.Time) int {
	switch dl.Status(asOf) {
	case throughline.DeadlineNotApplicable:
		return itemMoot
	case throughline.DeadlineMetLate:
		return itemLate
	case throughline.DeadlineMet:
		return itemOnTime
	case throughline.DeadlineMissed:
		return itemMissed
	}
	return itemNotYetDue
}
