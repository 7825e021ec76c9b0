package deadline

import (
	"strings"
	"time"

	"throughline"
	"throughline/calendar"
)

// Action plans: each item of a police–CPS action plan (or of a case
// conference) is due on the date the plan set for it. The deadline is kept
// for the case, concerning the item ("item:P1/2"), and its duty holder is
// the item's owner. It is met when the item is done; cancelled in time (by
// the issuer, or withdrawn when a dispute is settled), it no longer applies.
// Reminders fall 7 days and 1 day before the due date (due_soon from 7
// days); once missed, the deadline is the owner's supervisor's to chase
// (Escalated).

var actionPlansFrom = date(2016, time.January, 1) // items have always had due dates: no change of rule to date

func actionPlanRows() []Rule {
	return []Rule{{
		ID: ActionItem, Version: "TL2026", Title: "Action plan item done",
		Source: "The due date the action plan set for the item (police–CPS action plans, CPS and NPCC joint national operating model for adult rape and serious sexual offences, 2023)",
		Starts: []string{throughline.TypeActionPlanIssued, throughline.TypeCaseConferenceHeld}, From: FromOccurred,
		Protects: "case", Subject: "case", Owner: "police",
		Unit: CalendarDays, MetBy: []string{throughline.TypeActionItemCompleted}, DueSoon: 7, Warnings: []int{7, 1},
		EndedBy:       []string{throughline.TypeActionItemCancelled, throughline.TypeDisputeResolved},
		EffectiveFrom: actionPlansFrom,
		Notes: "One deadline per item, due on the item's own due date; the duty holder is the item's owner (police or CPS), whatever the Owner column says. " +
			"Ended by the item's cancellation, or by a dispute settled as withdrawn (both sides agreeing), on or before the due date; after it, the item stays missed. " +
			"Once missed it escalates to the owner's supervisor (a police supervisor, a CPS manager).",
	}}
}

// Escalated reports whether deadline d, as of asOf, is an action item past
// its due date and not done: the owner's supervisor's to chase (a police
// supervisor for the police's items, a CPS manager for the CPS's).
func Escalated(d throughline.Deadline, asOf time.Time) bool {
	return d.Rule == ActionItem && d.Status(asOf) == throughline.DeadlineMissed
}

// itemKey names an item of a plan.
func itemKey(plan, item string) string { return plan + "/" + item }

// ItemOf is the plan and item an action item deadline concerns ("item:P1/2").
func ItemOf(concerning string) (plan, item string, ok bool) {
	key, ok := strings.CutPrefix(concerning, "item:")
	if !ok {
		return "", "", false
	}
	return strings.Cut(key, "/")
}

// actionItems adds a deadline for each item of each plan and conference.
func (s *state) actionItems() {
	rs := s.rules.get(ActionItem)
	type side struct{ police, cps string }
	for k := range s.evs {
		e := &s.evs[k]
		var plan string
		var items []throughline.ActionItem
		switch d := e.data.(type) {
		case *throughline.ActionPlanIssued:
			plan, items = d.PlanID, d.Items
		case *throughline.CaseConferenceHeld:
			plan, items = d.ConferenceID, d.Items
		default:
			continue
		}
		for _, it := range items {
			key := itemKey(plan, it.ItemID)
			d, r := newDeadline(rs, "case", "item:"+key, e, e.occ)
			d.Owner = it.Owner
			dueDay := noDay
			if w, err := throughline.ParseWhen(it.Due); err == nil && r != nil {
				dueDay = calendar.DayOf(w.Time())
				d.Due = dueDay.Time()
				for _, before := range r.Warnings {
					d.Warnings = append(d.Warnings, dueDay.AddDays(-before).Time())
				}
			}
			// What became of the item, in date order.
			var sides side
			for j := k + 1; j < len(s.evs) && d.MetAt.IsZero() && d.NotApplicable == ""; j++ {
				x := &s.evs[j]
				switch xd := x.data.(type) {
				case *throughline.ActionItemCompleted:
					if itemKey(xd.PlanID, xd.ItemID) == key {
						meet(&d, dueDay, x.occ, x.typ, x.v)
					}
				case *throughline.ActionItemCancelled:
					if itemKey(xd.PlanID, xd.ItemID) == key && moot(&d, x, e.occ, dueDay) {
						d.NotApplicable = "the item was cancelled on " + x.occ.String()
					}
				case *throughline.DisputeResolved:
					if itemKey(xd.PlanID, xd.ItemID) != key || xd.PlanID == "" {
						continue
					}
					if x.agency == "cps" {
						sides.cps = xd.Outcome
					} else {
						sides.police = xd.Outcome
					}
					if sides.police == "withdrawn" && sides.cps == "withdrawn" && moot(&d, x, e.occ, dueDay) {
						d.NotApplicable = "the item was withdrawn when a dispute about it was settled on " + x.occ.String()
					}
				}
			}
			s.out = append(s.out, d)
		}
	}
}
