package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"throughline"
	"throughline/comms"
	"throughline/deadline"
	"throughline/sqlstore"
)

// The demo's today pages: what the generator leaves to chance (a hearing
// in the next fortnight, a custody time limit about to expire) or never
// makes (a failed message, a call-back asked for) is added to the demo
// users' cases, relative to the demo's today, so that no section of any
// demo user's today page is stuck in its empty state. Each step first
// looks for what it would add, so a restart adds nothing twice and a
// demo left running for weeks gets new dates when it is started again.

// demoCTLFrom and demoCTLTo bound the custody time limit a demo case is
// given: due within the warning window (28 days) from today.
const demoCTLFrom, demoCTLTo = 1, 27

// demoCustody puts a defendant of one of open's cases sent to the Crown
// Court in custody since the sending, so that the case's custody time
// limit (182 days) falls in the warning window, unless a picked case has
// one there already. It returns picked with that case added.
func demoCustody(ctx context.Context, s *sqlstore.Store, open, picked []throughline.CaseSummary, now time.Time) ([]throughline.CaseSummary, error) {
	refs := summaryRefs(picked)
	today := throughline.At(now).Date()
	ctls, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, LiveCases: true, Forces: []string{"13"}, DueAfter: today, DueBefore: today.AddDate(0, 0, 28),
		Rules: []string{deadline.CTLCrown}})
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(ctls, func(d throughline.CaseDeadline) bool { return slices.Contains(refs, d.Case) }) {
		return picked, nil
	}
	// Sent 182 days before a day in the window.
	first, last := today.AddDate(0, 0, demoCTLFrom-182), today.AddDate(0, 0, demoCTLTo-182)
	for _, sum := range open {
		if sum.Stage != throughline.StageCrownCourt {
			continue
		}
		c, err := s.Case(ctx, sum.Ref)
		if err != nil {
			return nil, err
		}
		for _, d := range c.Defendants {
			sent := d.Sent.Time()
			if d.Sent.IsZero() || sent.Before(first) || sent.After(last) {
				continue
			}
			// A later change of remand (bailed, released) would stop the
			// clock: only a defendant whose remand has not changed since.
			if d.RemandSince.Time().After(sent) && d.Remand != "custody" {
				continue
			}
			e := throughline.Event{Case: c.Ref, Type: throughline.TypeRemandStatusChanged, OccurredAt: d.Sent, Actor: "synth", Agency: "synthetic",
				Data: &throughline.RemandStatusChanged{DefendantID: d.ID, Status: "custody"}}
			if _, _, err := s.Append(ctx, e, throughline.AnyVersion); err != nil {
				continue // the record allows no remand here: try another
			}
			if !slices.Contains(refs, sum.Ref) {
				picked = append(picked, sum)
			}
			return picked, nil
		}
	}
	return picked, nil
}

// demoHearing lists a mention in ten days' time on the first picked case
// at the Crown Court, unless a picked case has a hearing in the next 14
// days already.
func demoHearing(ctx context.Context, s *sqlstore.Store, picked []throughline.CaseSummary, now time.Time) error {
	refs := summaryRefs(picked)
	hs, err := s.HearingsBetween(ctx, throughline.HearingFilter{From: now, To: now.AddDate(0, 0, 14), Refs: refs})
	if err != nil || len(hs) > 0 {
		return err
	}
	var refused error // why the record allowed no listing, if it did not
	for _, sum := range picked {
		if sum.Stage != throughline.StageCrownCourt {
			continue
		}
		c, err := s.Case(ctx, sum.Ref)
		if err != nil {
			return err
		}
		court := "leeds"
		for _, h := range c.Hearings {
			if h.Kind != "first_appearance" {
				court = h.Court
			}
		}
		id := fmt.Sprintf("H%d", len(c.Hearings)+1)
		for slices.ContainsFunc(c.Hearings, func(h throughline.Hearing) bool { return h.ID == id }) {
			id += "a"
		}
		day := throughline.At(now).Date().AddDate(0, 0, 10)
		starts := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, throughline.London)
		e := throughline.Event{Case: c.Ref, Type: throughline.TypeHearingListed, OccurredAt: throughline.At(now), Actor: "synth", Agency: "synthetic",
			Data: &throughline.HearingListed{HearingID: id, Kind: "mention", Court: court, StartsAt: starts.UTC().Format(time.RFC3339), Listing: "fixture"}}
		_, _, err = s.Append(ctx, e, throughline.AnyVersion)
		if err == nil {
			return nil
		}
		refused = fmt.Errorf("demo hearing on %s: %w", c.Ref, err)
	}
	return refused
}

// demoOverdueItem issues, on the first of refs, an action plan whose item
// the CPS let pass its due date a week ago: it has escalated to the CPS
// manager. Unless an item the CPS owes on refs is overdue already.
func demoOverdueItem(ctx context.Context, s *sqlstore.Store, prosecutor throughline.User, refs []string) error {
	today := throughline.At(s.Now()).Date()
	missed, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, LiveCases: true, DueBefore: today.AddDate(0, 0, -1), Owners: []string{"cps"}, Rules: []string{deadline.ActionItem}})
	if err != nil || slices.ContainsFunc(missed, func(d throughline.CaseDeadline) bool { return slices.Contains(refs, d.Case) }) || len(refs) == 0 {
		return err
	}
	c, err := s.Case(ctx, refs[0])
	if err != nil {
		return err
	}
	plan := fmt.Sprintf("AP%d", len(c.Plans)+1)
	e := throughline.Event{Case: c.Ref, Type: throughline.TypeActionPlanIssued, OccurredAt: throughline.At(today.AddDate(0, 0, -21)), Actor: prosecutor.ID, Agency: prosecutor.Agency,
		Data: &throughline.ActionPlanIssued{PlanID: plan, Items: []throughline.ActionItem{{ItemID: "1", Description: "Review the unused material schedule", Owner: "cps",
			OwnerName: demoProsecutor, Due: today.AddDate(0, 0, -7).Format(time.DateOnly)}}}}
	if _, _, err := s.Append(ctx, e, throughline.AnyVersion); err != nil {
		return fmt.Errorf("demo action plan on %s: %w", c.Ref, err)
	}
	return nil
}

// demoContact gives Witness Care a victim to call back and a message that
// failed, on the demo users' cases (refs), unless one of them has each
// already.
func demoContact(ctx context.Context, s *sqlstore.Store, users map[string]throughline.User, refs []string) error {
	var callback, failed bool
	for _, ref := range refs {
		ts, err := s.Tasks(ctx, ref, true, throughline.ScopeFilter{})
		if err != nil {
			return err
		}
		for _, t := range ts {
			callback = callback || t.Kind == throughline.TaskCallback
			failed = failed || t.Kind == throughline.TaskDeliveryFailed
		}
	}
	if len(refs) < 2 {
		return nil
	}
	if !callback {
		c, err := s.Case(ctx, refs[0])
		if err != nil {
			return err
		}
		cp := c.Complainants[0].ID
		e := throughline.Event{Case: refs[0], Type: throughline.TypeCallbackRequested, OccurredAt: throughline.At(s.Now()), Actor: "victim:" + cp, Agency: "victim",
			Data: &throughline.CallbackRequested{ComplainantID: cp, When: "a weekday evening after 6pm"}}
		if _, _, err := s.Append(ctx, e, throughline.AnyVersion); err != nil {
			return fmt.Errorf("demo call-back on %s: %w", refs[0], err)
		}
	}
	if !failed {
		return demoFailedMessage(ctx, s, users[throughline.RoleOfficer], refs[1])
	}
	return nil
}

// demoFailedMessage sends the officer's update to the first complainant of
// case ref by text, and has the text fail for good as a network would
// report it: the message is failed, and Witness Care has a task to follow
// it up (comms/dispatch does the same for a real failure).
func demoFailedMessage(ctx context.Context, s *sqlstore.Store, officer throughline.User, ref string) error {
	const owner = "demo-seed"
	c, err := s.Case(ctx, ref)
	if err != nil {
		return err
	}
	cp := &c.Complainants[0]
	id, err := s.EnqueueFreeText(ctx, ref, cp.ID, "I will call you this week to talk about what happens next.", officer.ID, officer.Agency)
	if err != nil {
		return fmt.Errorf("demo message on %s: %w", ref, err)
	}
	// Nothing else is queued before the dispatcher starts; a lease of no
	// time leaves anything else claimed here free for the dispatcher.
	ps, err := s.Claim(ctx, owner, 100, 0)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ps, func(p throughline.PendingMessage) bool { return p.ID == id })
	if i < 0 {
		return fmt.Errorf("demo message %d on %s was not claimed", id, ref)
	}
	p := ps[i]
	p.Channel, p.Reference = "sms", fmt.Sprintf("demo-%d", id)
	if err := s.Sending(ctx, owner, p); err != nil {
		return err
	}
	const why = "the mobile phone number is not in service"
	if err := s.OpenTask(ctx, throughline.CommsTask{Case: ref, Complainant: cp.ID, MessageID: id, Kind: throughline.TaskDeliveryFailed,
		Assignee: comms.ContactOf(c, cp), Detail: "free_text message by sms failed (permanent): " + why}); err != nil {
		return err
	}
	return s.Finish(ctx, owner, id, throughline.MessageFailed, throughline.FailPermanent, why)
}

func summaryRefs(cs []throughline.CaseSummary) []string {
	refs := make([]string, len(cs))
	for i, c := range cs {
		refs[i] = c.Ref
	}
	return refs
}

// The demo staff's names as a victim and a colleague know them: the
// directory's, the log's designations and an action item's owner.
const demoOfficer, demoWitnessCare, demoProsecutor = "DC Priya Shah", "Gwen Price", "Ruth Adeyemi"

// demoDesignations makes the demo users the people the log designates on
// their cases (ADR 0326: the case page, the case list, the portal and the
// victim's messages name whom the log designates, not whoever has access):
// the officer in the case, the Witness Care officer, and the reviewing
// prosecutor where the case is their area's. A case that designates them
// already is left alone, so a restart adds nothing.
func demoDesignations(ctx context.Context, s *sqlstore.Store, refs []string) error {
	for _, ref := range refs {
		c, err := s.Case(ctx, ref)
		if err != nil {
			return err
		}
		want := map[string]string{throughline.OfficerInCase: demoOfficer, throughline.WitnessCareOfficer: demoWitnessCare}
		if c.CPSArea == "yorkshire_humberside" {
			want[throughline.ReviewingProsecutor] = demoProsecutor
		}
		for _, role := range throughline.TeamRoles {
			name, ok := want[role]
			if !ok {
				continue
			}
			if d := c.Designated(role); d != nil && d.Name == name {
				continue
			}
			e := throughline.Event{Case: ref, Type: throughline.TypeCaseTeamChanged, OccurredAt: throughline.At(s.Now()), Actor: "synth", Agency: "synthetic",
				Data: &throughline.CaseTeamChanged{Role: role, Name: name, Handover: "Demonstration: the demo's own staff take the case over, so that what they see is theirs."}}
			if _, _, err := s.Append(ctx, e, throughline.AnyVersion); err != nil {
				return fmt.Errorf("demo designation on %s: %w", ref, err)
			}
		}
	}
	return nil
}
