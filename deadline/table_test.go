package deadline_test

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"slices"
	"sort"
	"testing"

	"throughline"
	"throughline/deadline"
)

func TestRuleTable(t *testing.T) {
	want := []string{"vc_charge", "vc_remand_change", "vc_hearing_date", "vc_outcome", "vcl_letter", "early_advice", "ptph",
		"bcm_stage1", "bcm_stage2", "ctl_magistrates", "ctl_crown", "info_request_notice", "regular_update", "material_review"}
	ids := deadline.RuleIDs()
	for _, id := range want {
		if !slices.Contains(ids, id) {
			t.Errorf("rule %s missing", id)
		}
	}
	owners := []string{"police", "cps", "wcu", "court", "defence"}
	known := append(throughline.EventTypes(), deadline.TypeStage1Served, deadline.TypeStage2Served, deadline.TypeInformationRequested)
	for _, r := range deadline.Rules() {
		switch {
		case r.Source == "" || r.Title == "" || r.Version == "":
			t.Errorf("%s: source, title and version are required", r.ID)
		case !slices.Contains(owners, r.Owner):
			t.Errorf("%s: owner %q", r.ID, r.Owner)
		case r.From != deadline.FromOccurred && r.From != deadline.FromRecorded && r.From != deadline.FromReceived:
			t.Errorf("%s: clock %q", r.ID, r.From)
		case r.Unit != deadline.WorkingDays && r.Unit != deadline.CalendarDays:
			t.Errorf("%s: unit %q", r.ID, r.Unit)
		case len(r.Starts) == 0 || len(r.MetBy) == 0:
			t.Errorf("%s: starts and met-by are required", r.ID)
		}
		for _, typ := range append(append([]string(nil), r.Starts...), r.MetBy...) {
			if !slices.Contains(known, typ) {
				t.Errorf("%s: unknown event type %s", r.ID, typ)
			}
		}
		// Victim duties are 1 working day (enhanced) and 5 (standard), except
		// where the 2020 Code says 1 for all victims: Right 8.1 (hearings) and
		// Right 9 (outcomes), Right 8.2 (required to give evidence); and the
		// duties that are not to tell the victim: the Victim Contact Scheme
		// referral (Right 11), the court's result to the WCU, the review.
		enhanced, standard := 1, 5
		if r.Version == "VC2020" && (r.ID == deadline.VCHearingDate || r.ID == deadline.VCOutcome) {
			standard = 1
		}
		switch r.ID {
		case deadline.VCSReferral: // 20 working days under the 2015 Code, 10 under the 2020
			enhanced, standard = 10, 10
			if r.Version == "VC2015" {
				enhanced, standard = 20, 20
			}
		case deadline.VCEvidence: // Right 8.2: 1 working day for all victims
			standard = 1
		case deadline.CourtResult: // the court's 5 working days to the WCU, whoever the victim
			enhanced = 5
		case deadline.VRRCPS, deadline.VRRPolice: // the review's response time
			enhanced, standard = 30, 30
		case deadline.VCStatement: // due by the sentence, not a count of days
			enhanced, standard = 0, 0
		}
		if r.Protects == "complainant" && r.Unit == deadline.WorkingDays && (r.DueDays(true, false) != enhanced || r.DueDays(false, false) != standard) {
			t.Errorf("%s %s: victim duty of %d working days (enhanced) and %d (standard)", r.ID, r.Version, enhanced, standard)
		}
	}
	// Versions by clock start.
	for _, c := range []struct {
		id, on, version string
	}{
		{"vc_charge", "2020-12-24", "VC2015"},
		{"vc_charge", "2021-04-01", "VC2020"},
		{"ctl_crown", "2019-01-01", "1987"},
		{"ctl_crown", "2021-01-01", "SI2020/953"},
		{"ctl_crown", "2021-06-28", "1987"},
		{"info_request_notice", "2026-01-12", "PCSCA2022"},
		{"material_review", "2024-05-29", "AGG2024"},
		{"vcs_referral", "2021-03-31", "VC2015"},
		{"vcs_referral", "2021-04-01", "VC2020"},
	} {
		r, ok := deadline.RuleAt(c.id, day(c.on))
		if !ok || r.Version != c.version {
			t.Errorf("RuleAt(%s, %s) = %s, %v; want %s", c.id, c.on, r.Version, ok, c.version)
		}
	}
	if _, ok := deadline.RuleAt("info_request_notice", day("2026-01-11")); ok {
		t.Errorf("s.44B in force before 12 Jan 2026")
	}
	// material_review: owned by the CPS, counted in working days, its 5
	// days the reminder after the defence statement (the one before the
	// PTPH counts back from the hearing, in code).
	if r, ok := deadline.RuleAt("material_review", day("2026-01-12")); !ok || r.Owner != "cps" || r.Unit != deadline.WorkingDays || r.DueDays(true, false) != 5 || r.Protects != "case" {
		t.Errorf("material_review: %+v", r)
	}
	r, _ := deadline.RuleAt("bcm_stage1", day("2024-01-01"))
	if r.DueDays(true, true) != 50 || r.DueDays(true, false) != 70 {
		t.Errorf("stage 1 custody/bail %d/%d", r.DueDays(true, true), r.DueDays(true, false))
	}
}

func TestCompliance(t *testing.T) {
	// Three cases' vc_charge: on time, late, missed; and one due later.
	var all []throughline.Deadline
	all = append(all, open("2024-01-02", false, "D1").charge("2024-03-01", "D1", "bail").told("2024-03-04", "C1", "charged").compute()...) // due Mon 4 Mar: on time
	all = append(all, open("2024-01-02", false, "D1").charge("2024-03-05", "D1", "bail").told("2024-03-07", "C1", "charged").compute()...) // due Wed 6: late
	all = append(all, open("2024-01-02", false, "D1").charge("2024-03-07", "D1", "bail").compute()...)                                     // due Fri 8: missed
	all = append(all, open("2024-01-02", false, "D1").charge("2024-03-28", "D1", "bail").compute()...)                                     // due Tue 2 Apr: outside
	rows := deadline.ComplianceAsOf(all, day("2024-03-01"), day("2024-03-31"), day("2024-03-20"))
	var vc *deadline.RuleCompliance
	for i := range rows {
		if rows[i].Rule == deadline.VCCharge {
			vc = &rows[i]
		}
	}
	if vc == nil {
		t.Fatalf("no vc_charge row: %+v", rows)
	}
	if vc.Owner != "police" || vc.Due != 3 || vc.MetOnTime != 1 || vc.MetLate != 1 || vc.Missed != 1 || vc.Pending != 0 {
		t.Errorf("vc_charge: %+v", *vc)
	}
	if vc.OnTimeShare < 0.333 || vc.OnTimeShare > 0.334 {
		t.Errorf("share %v, want 1/3", vc.OnTimeShare)
	}
	// As of 7 Mar, the third (due 8 Mar) is still pending.
	rows = deadline.ComplianceAsOf(all, day("2024-03-01"), day("2024-03-31"), day("2024-03-07"))
	for _, r := range rows {
		if r.Rule == deadline.VCCharge && (r.Pending != 1 || r.Missed != 0 || r.OnTimeShare != 0.5) {
			t.Errorf("as of 7 Mar: %+v", r)
		}
	}
	// Rows in table order: vc_charge before regular_update.
	rows = deadline.Compliance(all, day("2024-03-01"), day("2024-04-30"))
	if len(rows) < 2 || rows[0].Rule != deadline.VCCharge {
		t.Errorf("order: %+v", rows)
	}
	for _, r := range rows {
		if r.Due != r.MetOnTime+r.MetLate+r.Missed+r.Pending {
			t.Errorf("counts do not add up: %+v", r)
		}
	}
}

// A deadline serialises with snake_case names and without empty dates.
func TestDeadlineJSON(t *testing.T) {
	d := one(t, open("2024-01-02", false, "D1").charge("2024-03-01", "D1", "bail").compute(), deadline.VCCharge, "complainant:C1", "defendant:D1")
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if m["due"] != "2024-03-04T00:00:00Z" || m["met_at"] != nil || m["rule"] != "vc_charge" {
		t.Errorf("%s", b)
	}
}

// busyCase is a case with a bit of everything, for order-independence.
func busyCase() *caseLog {
	l := open("2023-03-01", true, "D1", "D2")
	l.add("2023-07-03", &throughline.FileSubmitted{SuspectID: "D2", Purpose: "early_advice"})
	l.add("2023-07-20", &throughline.EarlyAdviceGiven{SuspectID: "D2"})
	l.charge("2023-09-04", "D1", "custody")
	l.told("2023-09-05", "C1", "charged")
	l.hearing("2023-09-04", "F1", "first_appearance", "2023-09-05")
	l.held("2023-09-05", "F1")
	l.sent("2023-09-05", "D1")
	l.addRec("2023-09-06", "2023-09-08", &throughline.RemandStatusChanged{DefendantID: "D1", Status: "bail"})
	l.remand("2023-09-20", "D1", "custody")
	l.hearing("2023-09-06", "P1", "ptph", "2023-10-02")
	l.told("2023-09-07", "C2", "hearing_listed")
	l.held("2023-10-02", "P1")
	l.told("2023-10-04", "C1", "hearing_held")
	l.raw(deadline.TypeStage1Served, "2023-10-20")
	l.add("2023-11-01", &throughline.ContactPreferencesSet{ComplainantID: "C2", Channels: []string{"phone"}, Mobile: "07700900000", RoutineEveryDays: 21})
	l.told("2023-11-10", "C2", "regular_update")
	l.add("2024-02-01", &throughline.CTLExtended{DefendantID: "D1", ExpiresOn: "2024-06-28", Decision: "granted"})
	l.hearing("2023-12-01", "T1", "trial", "2024-05-07")
	l.told("2023-12-04", "C1", "hearing_listed")
	l.add("2024-05-07", &throughline.TrialStarted{HearingID: "T1"})
	l.add("2024-05-20", &throughline.Verdict{DefendantID: "D1", Result: "guilty"})
	return l
}

func sortedKeys(ds []throughline.Deadline) []throughline.Deadline {
	out := slices.Clone(ds)
	sort.Slice(out, func(i, j int) bool { return out[i].Key()+out[i].StartedBy < out[j].Key()+out[j].StartedBy })
	return out
}

// Property: the deadlines do not depend on the order the events were
// recorded in, only on their own dates (and versions).
func TestComputeIgnoresLogOrder(t *testing.T) {
	l := busyCase()
	want := sortedKeys(l.compute())
	if len(want) < 20 {
		t.Fatalf("busy case has only %d deadlines:\n%s", len(want), dump(want))
	}
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 200; i++ {
		evs := slices.Clone(l.evs)
		// case_opened stays first (parties are identified by it); the rest shuffle.
		rng.Shuffle(len(evs)-1, func(a, b int) { evs[a+1], evs[b+1] = evs[b+1], evs[a+1] })
		got := sortedKeys(deadline.Compute(evs))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffle %d differs:\ngot\n%s\nwant\n%s", i, dump(got), dump(want))
		}
	}
}

// Spot checks on the busy case.
func TestBusyCase(t *testing.T) {
	ds := busyCase().compute()
	// D1 charged in custody 4 Sep 2023, FA 5 Sep, sent 5 Sep, bailed 6 Sep,
	// remanded 20 Sep. Magistrates' custody 5 → 5 Sep = 0 days. Crown: 1 day
	// in custody (5 → 6 Sep), then from 20 Sep: 181 days left → 19 Mar 2024
	// (Sep 20 + 10 = Sep 30, Oct 31 (41), Nov 30 (71), Dec 31 (102), Jan 31
	// (133), Feb 29 (162), + 19 = Mar 19: 181). Extended on 1 Feb 2024 to 28
	// Jun; the trial started 7 May: met.
	c := one(t, ds, deadline.CTLCrown, "defendant:D1", "")
	check(t, c, "2024-06-28", "2024-05-07", 0, "2024-06-01", deadline.StatusMet)
	// The bail on 6 Sep was recorded on Fri 8 Sep: told by Mon 11 Sep; nobody was.
	rc := pick(ds, deadline.VCRemandChange, "complainant:C1", "defendant:D1")
	if len(rc) != 2 {
		t.Fatalf("remand changes:\n%s", dump(rc))
	}
	check(t, rc[0], "2023-09-11", "-", 0, "2023-09-12", deadline.StatusMissed)
	// C2's regular updates: from the charge recorded 4 Sep (28 days: 2 Oct);
	// the telling on 7 Sep meets it; from 7 Sep + 28 = 5 Oct, met late on 10 Nov
	// (preferences of 1 Nov are after that clock started); from 10 Nov every
	// 21 days: 1 Dec, not met (C2 told nothing else), case not concluded
	// (convicted, awaiting sentence).
	ru := pick(ds, deadline.RegularUpdate, "complainant:C2", "")
	if len(ru) != 3 {
		t.Fatalf("C2 regular updates:\n%s", dump(ru))
	}
	check(t, ru[0], "2023-10-02", "2023-09-07", 0, "2024-06-01", deadline.StatusMet)
	check(t, ru[1], "2023-10-05", "2023-11-10", 26, "2024-06-01", deadline.StatusMetLate)
	check(t, ru[2], "2023-12-01", "-", 0, "2024-06-01", deadline.StatusMissed)
}

// Compute is safe to call from several goroutines (it pools its scratch space).
func TestComputeConcurrent(t *testing.T) {
	l := busyCase()
	want := sortedKeys(l.compute())
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			ok := true
			for i := 0; i < 50; i++ {
				ok = ok && reflect.DeepEqual(sortedKeys(deadline.Compute(l.evs)), want)
			}
			done <- ok
		}()
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Error("concurrent Compute gave different deadlines")
		}
	}
}
