package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"throughline"
	"throughline/jsonl"
	"throughline/sqlstore/storetest"
)

// eventLine makes one more event of case ref.
func eventLine(t *testing.T, ref, raw string) jsonl.Line {
	t.Helper()
	e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `",` + raw[1:]))
	if err != nil {
		t.Fatal(err)
	}
	return jsonl.Line{Event: e}
}

// The work lists' cross-case questions leave closed cases out: a hearing
// of a closed case is in no list, and a closed case is no one's workload.
func TestHearingsBetweenAndWorkload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		const open, closed, other = "13RS0000201/24", "13RS0000202/24", "13RS0000203/24"
		listed := func(ref, id, starts string) jsonl.Line {
			return eventLine(t, ref, `{"type":"hearing_listed","occurred_at":"2026-11-20","data":{"hearing_id":"`+id+`","kind":"first_appearance","court":"leeds_magistrates","starts_at":"`+starts+`","listing":"fixture"}}`)
		}
		// Each case is charged (line 9); the victim has not been told, so
		// each has an overdue duty.
		appendAll(t, s, append(withRef(journey(t)[:9], open), listed(open, "H1", "2026-12-01T10:00:00Z"), listed(open, "H2", "2027-01-20T10:00:00Z")))
		appendAll(t, s, append(withRef(journey(t)[:9], closed), listed(closed, "H1", "2026-12-02T10:00:00Z"),
			eventLine(t, closed, `{"type":"prosecution_stopped","occurred_at":"2026-11-21","data":{"defendant_id":"D1","how":"discontinued"}}`),
			eventLine(t, closed, `{"type":"case_closed","occurred_at":"2026-11-21","data":{"reason":"no longer proceeding"}}`)))
		appendAll(t, s, append(withRef(journey(t)[:9], other), listed(other, "H1", "2026-11-26T09:30:00Z")))

		from := clock
		to := clock.AddDate(0, 0, 14)
		hs, err := s.HearingsBetween(ctx, throughline.HearingFilter{From: from, To: to, Forces: []string{"13"}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hs {
			got = append(got, h.Case+" "+h.ID+" "+h.StartsAt.Time().UTC().Format(time.RFC3339))
		}
		want := []string{other + " H1 2026-11-26T09:30:00Z", open + " H1 2026-12-01T10:00:00Z"}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("hearings in the next 14 days: got %v, want %v (the closed case's and the one after the window left out)", got, want)
		}
		hs, err = s.HearingsBetween(ctx, throughline.HearingFilter{From: from, To: to, Refs: []string{open}})
		if err != nil || len(hs) != 1 || hs[0].Kind != "first_appearance" || hs[0].Court != "leeds_magistrates" {
			t.Errorf("hearings of one case: %+v, %v", hs, err)
		}
		if hs, err := s.HearingsBetween(ctx, throughline.HearingFilter{From: from, To: to, Refs: []string{}}); err != nil || len(hs) != 0 {
			t.Errorf("no cases asked for: %v, %v", hs, err)
		}

		officer := addUser(t, s, "Priya Shah", "officer", "police:13")
		colleague := addUser(t, s, "Kim Lee", "officer", "police:13")
		addUser(t, s, "Idle Ivan", "officer", "police:13")
		prosecutor := addUser(t, s, "Ruth Adeyemi", "prosecutor", "cps:yorkshire_humberside")
		for _, ref := range []string{open, closed, other} {
			if err := s.SetCaseMember(ctx, "test", ref, "user", officer.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		team, err := s.CreateTeam(ctx, "test", "Leeds RASSO", "police:13")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetTeamMember(ctx, "test", team.ID, colleague.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCaseMember(ctx, "test", open, "team", team.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCaseMember(ctx, "test", open, "user", prosecutor.ID, true); err != nil {
			t.Fatal(err)
		}
		// Kim Lee is on the open case in person too, and a disabled
		// officer of the force is on it in person: neither counts twice.
		left := throughline.User{ID: "u_left", Name: "Left Lou", Role: "officer", Agency: "police:13", Disabled: true}
		if err := s.InsertUser(ctx, throughline.NewUser{User: left, TokenHash: []byte("left"), Created: s.Now()}, nil); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{colleague.ID, left.ID} {
			if err := s.SetCaseMember(ctx, "test", open, "user", id, true); err != nil {
				t.Fatal(err)
			}
		}
		wl, err := s.Workload(ctx, "police:13", clock)
		if err != nil {
			t.Fatal(err)
		}
		if len(wl) != 2 || wl[0].UserID != officer.ID || wl[0].Cases != 2 || wl[0].Overdue != 2 || wl[1].UserID != colleague.ID || wl[1].Cases != 1 || wl[1].Overdue != 1 {
			t.Errorf("workload of force 13: %+v; want Priya Shah on 2 open cases (both overdue), Kim Lee on 1 in person and through her team, no one else", wl)
		}
		// Before any duty fell due (the first is the CPS's action-plan item,
		// due 26 July 2024), nothing was overdue.
		wl, err = s.Workload(ctx, "police:13", time.Date(2024, 7, 25, 12, 0, 0, 0, time.UTC))
		if err != nil || len(wl) != 2 || wl[0].Overdue != 0 {
			t.Errorf("workload before any duty fell due: %+v, %v", wl, err)
		}
		if err := s.SetCaseMember(ctx, "test", open, "user", left.ID, false); err != nil {
			t.Fatal(err)
		}

		// A case list's lines: names, the next deadline (the CPS's action-plan
		// item, never done in this history), and the officer in the case and
		// the prosecutor as the log designates them (ADR 0326): the officer
		// who handed over is gone, and the case with no designation names
		// no one, whoever has access to it.
		designate(t, s, open, 11, "2026-11-21", "officer_in_case", "DC Priya Shah", "police:13")
		designate(t, s, open, 12, "2026-11-21", "reviewing_prosecutor", "Ruth Adeyemi", "cps:yorkshire_humberside")
		designate(t, s, open, 13, "2026-11-21", "officer_in_case", "DC Kim Lee", "police:13")
		lines, err := s.CaseLines(ctx, []string{open, other})
		if err != nil {
			t.Fatal(err)
		}
		l := lines[open]
		if len(l.Parties) != 2 || l.Parties[0].Name != "Amelia Hart" || l.Parties[0].Role != "complainant" || l.Parties[1].Name != "Daniel Ross" ||
			fmt.Sprint(l.Officers) != "[DC Kim Lee]" || fmt.Sprint(l.Prosecutors) != "[Ruth Adeyemi]" || l.Next == nil || l.Next.Rule != "action_item" {
			t.Errorf("line of %s: %+v (next %+v)", open, l, l.Next)
		}
		if l := lines[other]; len(l.Officers) != 0 || len(l.Prosecutors) != 0 {
			t.Errorf("line of %s: %+v", other, l)
		}

		// A page's cases and deadlines read at once are those read one by one.
		refs := []string{open, closed, "13RS9999999/99"}
		cs, err := s.CasesOf(ctx, refs)
		if err != nil || len(cs) != 2 || cs[open].Ref != open || cs[closed].Closed.IsZero() {
			t.Errorf("cases of %v: %v, %v; want the two that exist, the second closed", refs, cs, err)
		}
		byCase, err := s.DeadlinesOf(ctx, refs)
		if err != nil {
			t.Fatal(err)
		}
		for _, ref := range refs {
			one, err := s.Deadlines(ctx, ref)
			if err != nil || fmt.Sprint(one) != fmt.Sprint(byCase[ref]) {
				t.Errorf("deadlines of %s: read at once %v, one by one %v (%v)", ref, byCase[ref], one, err)
			}
		}
		if len(byCase[open]) == 0 {
			t.Errorf("no deadline of %s read", open)
		}

		// The open-cases filter of a user's list, and of the deadlines.
		mine, total, err := s.MyCases(ctx, officer, throughline.MyCaseFilter{Open: true, Sort: "ref"})
		if err != nil || total != 2 || len(mine) != 2 || mine[0].Ref != open || mine[1].Ref != other {
			t.Errorf("open cases: %+v (%d), %v", mine, total, err)
		}
		ds, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, LiveCases: true, Forces: []string{"13"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Case == closed {
				t.Errorf("a closed case's deadline in a work list: %+v", d)
			}
		}
		if len(ds) == 0 {
			t.Error("no open deadlines of the open cases")
		}
		// The closed case's duties never met stay open (its page shows
		// them as they were): the list leaves them out because the case
		// closed, and so does the same list by the CPS area.
		every, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, Forces: []string{"13"}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(every, func(d throughline.CaseDeadline) bool { return d.Case == closed }) {
			t.Error("the closed case has no open deadline: this test cannot see a closed case's deadline listed")
		}
		byArea, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, LiveCases: true, CPSAreas: []string{"yorkshire_humberside"}, DueBefore: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil || len(byArea) == 0 || slices.ContainsFunc(byArea, func(d throughline.CaseDeadline) bool { return d.Case == closed }) {
			t.Errorf("the area's open deadlines of open cases: %d, %v (the closed case's must not be among them)", len(byArea), err)
		}
		// A list of some rules only is the same list, filtered by the
		// database (the supervisors' custody time limits).
		rule := ds[len(ds)-1].Rule
		some, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, LiveCases: true, Forces: []string{"13"}, Rules: []string{rule}})
		if err != nil {
			t.Fatal(err)
		}
		var wantRule, gotRule []string
		for _, d := range ds {
			if d.Rule == rule {
				wantRule = append(wantRule, d.Case+" "+d.Key())
			}
		}
		for _, d := range some {
			gotRule = append(gotRule, d.Case+" "+d.Key())
		}
		if len(wantRule) == 0 || fmt.Sprint(gotRule) != fmt.Sprint(wantRule) {
			t.Errorf("rule %s: %v, want %v", rule, gotRule, wantRule)
		}
		// A list of the duties one agency owes (a supervisor's): the same
		// list with the court's, the defence's and the other agency's left
		// out by the database.
		var wantOwner, gotOwner []string
		others := 0
		for _, d := range ds {
			if d.Owner == "police" {
				wantOwner = append(wantOwner, d.Case+" "+d.Key())
			} else {
				others++
			}
		}
		police, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, LiveCases: true, Forces: []string{"13"}, Owners: []string{"police"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range police {
			gotOwner = append(gotOwner, d.Case+" "+d.Key())
		}
		if len(wantOwner) == 0 || others == 0 || fmt.Sprint(gotOwner) != fmt.Sprint(wantOwner) {
			t.Errorf("the police's duties: %v, want %v (of %d, %d owed by others)", gotOwner, wantOwner, len(ds), others)
		}
		// The metrics' counts by owner agree with the work list, day by day
		// (the closed case left out of both).
		for _, today := range []time.Time{clock, clock.AddDate(0, 0, 10), clock.AddDate(0, 2, 0)} {
			over, due, err := s.DeadlineBacklog(ctx, today)
			if err != nil {
				t.Fatal(err)
			}
			wantOver, wantDue := map[string]int{}, map[string]int{}
			for _, d := range ds {
				switch {
				case d.Due.IsZero() || d.Due.After(today):
				case d.Due.Before(today):
					wantOver[d.Owner]++
				default:
					wantDue[d.Owner]++
				}
			}
			if len(wantOver) == 0 && today.After(clock) {
				t.Errorf("on %s: nothing overdue to count", today.Format(time.DateOnly))
			}
			if fmt.Sprint(over) != fmt.Sprint(wantOver) || fmt.Sprint(due) != fmt.Sprint(wantDue) {
				t.Errorf("on %s: overdue %v due %v, want %v and %v", today.Format(time.DateOnly), over, due, wantOver, wantDue)
			}
		}

		// A case closed after its team was set leaves its members'
		// workload at once, and a rebuild keeps it so (members.go).
		for i, raw := range []string{
			`{"type":"prosecution_stopped","occurred_at":"2026-11-22","data":{"defendant_id":"D1","how":"discontinued"}}`,
			`{"type":"case_closed","occurred_at":"2026-11-22","data":{"reason":"no longer proceeding"}}`,
		} {
			e := eventLine(t, other, raw).Event
			e.Actor, e.Agency = "u_test", "police:13"
			if _, _, err := s.Append(ctx, e, int64(10+i)); err != nil {
				t.Fatal(err)
			}
		}
		for _, when := range []string{"closed", "rebuilt"} {
			if when == "rebuilt" {
				if _, err := s.Rebuild(ctx, nil); err != nil {
					t.Fatal(err)
				}
			}
			wl, err := s.Workload(ctx, "police:13", clock)
			if err != nil || len(wl) != 2 || wl[0].Cases != 1 || wl[1].Cases != 1 {
				t.Errorf("workload once %s was %s: %+v, %v; want Priya Shah and Kim Lee on the one open case", other, when, wl, err)
			}
		}
	})
}
