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
)

// What the unit dashboard reads from the log: a police RASSO unit's (a
// force's) or a CPS RASSO unit's (an area's) cases folded by the domain,
// their action items' deadlines from the deadline engine, and who each case
// waited on from package attribution; beside them, every case's days and
// the national count of file-quality assessments, for comparison. The page
// counts; every rule it counts by lives in those packages.

// UnitStore is what the unit dashboard needs from storage: the whole log in
// order, and one case's log (a case whose dates run backwards is attributed
// from its own log, as attribution.Fold asks).
type UnitStore interface {
	EachEvent(ctx context.Context, fn func(throughline.Event) error) error
	Events(ctx context.Context, ref string) ([]throughline.Event, error)
}

// unitData is one unit's figures' raw material, read at one moment.
type unitData struct {
	at    time.Time
	cases []unitCase
	// national is every case's attribution (days only).
	national []attribution.Result
	// assessed counts every file-quality assessment nationally by quarter:
	// [0] all, [1] not acceptable.
	assessed map[opendata.Quarter]*[2]int
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

// readUnit reads the log once, as of at.
func readUnit(ctx context.Context, s UnitStore, unit throughline.Agency, at time.Time) (*unitData, error) {
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
		d.national = append(d.national, f.Result())
	}
	for _, ref := range again {
		evs, err := s.Events(ctx, ref)
		if err != nil {
			return nil, err
		}
		d.national = append(d.national, attribution.Spans(evs, at))
	}
	refs := make([]string, 0, len(mine))
	for ref := range mine {
		refs = append(refs, ref)
	}
	slices.Sort(refs)
	for _, ref := range refs {
		evs := mine[ref]
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
		d.cases = append(d.cases, uc)
	}
	return d, nil
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
