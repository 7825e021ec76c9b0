package throughline_test

import (
	"strings"
	"testing"

	"throughline"
)

// A Victim Personal Statement: her words (or her asking for help) sealed as
// personal data, a later one replacing the earlier, words only with a
// statement made, updated or help asked for, and her writing refused once
// the sentence is passed (a staff record of an offer is not).
func TestVictimPersonalStatementUntilSentence(t *testing.T) {
	vps := func(on, data string) throughline.Event {
		t.Helper()
		e, err := throughline.ParseEvent([]byte(`{"case":"13RS0000101/24","type":"victim_personal_statement","occurred_at":"` + on + `","data":` + data + `}`))
		if err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		return e
	}
	for _, bad := range []string{
		`{"complainant_id":"C1","action":"written"}`,
		`{"complainant_id":"C1","action":"declined","text":"I do not want to."}`,
		`{"complainant_id":"C1","action":"made","text":"   "}`,
		`{"complainant_id":"C1","action":"made","text":"` + strings.Repeat("a", throughline.MaxStatement+1) + `"}`,
	} {
		if _, err := throughline.ParseEvent([]byte(`{"case":"13RS0000101/24","type":"victim_personal_statement","occurred_at":"2025-01-02","data":` + bad + `}`)); throughline.ErrorCode(err) != throughline.EINVALID {
			t.Errorf("%.60s: %v, want EINVALID", bad, err)
		}
	}
	evs := journey(t)
	sentenced := 0
	for i, e := range evs {
		if e.Type == throughline.TypeSentenced {
			sentenced = i
		}
	}
	before := append(append([]throughline.Event{}, evs[:sentenced]...),
		vps("2025-01-02", `{"complainant_id":"C1","action":"help_wanted","text":"I cannot"}`))
	c := fold(t, before)
	if cp := c.Complainant("C1"); cp.Statement != "I cannot" || !cp.StatementHelp || cp.StatementOn.String() != "2025-01-02" {
		t.Fatalf("help wanted: statement %q help %v on %s", cp.Statement, cp.StatementHelp, cp.StatementOn)
	}
	before = append(before, vps("2025-02-03", `{"complainant_id":"C1","action":"updated","text":"I cannot sleep."}`),
		vps("2025-02-04", `{"complainant_id":"C1","action":"offered"}`))
	c = fold(t, before)
	if cp := c.Complainant("C1"); cp.Statement != "I cannot sleep." || cp.StatementHelp || cp.StatementOn.String() != "2025-02-03" {
		t.Fatalf("updated: statement %q help %v on %s", cp.Statement, cp.StatementHelp, cp.StatementOn)
	}
	if _, err := throughline.Decide(c, vps("2025-02-03", `{"complainant_id":"C9","action":"made","text":"x"}`)); throughline.ErrorCode(err) == "" {
		t.Error("a statement of no complainant accepted")
	}
	c = fold(t, append(before, evs[sentenced]))
	if _, err := throughline.Decide(c, vps("2025-06-21", `{"complainant_id":"C1","action":"updated","text":"Too late."}`)); throughline.ErrorCode(err) != throughline.EINVALID || !strings.Contains(err.Error(), "until the sentence") {
		t.Errorf("after the sentence: %v", err)
	}
	if _, err := throughline.Decide(c, vps("2025-06-21", `{"complainant_id":"C1","action":"declined"}`)); err != nil {
		t.Errorf("a record that she declined, after the sentence: %v", err)
	}
	if !throughline.HasPersonal(throughline.TypeVictimPersonalStatement) {
		t.Error("her statement is not sealed as personal data")
	}
	if e := throughline.Erase(vps("2025-02-03", `{"complainant_id":"C1","action":"made","text":"My words."}`).Data); e.(*throughline.VictimPersonalStatement).Text == "My words." {
		t.Error("her words survive the erasure of the case's key")
	}
}

// Which decision she may ask to have reviewed, by which scheme, and her
// window: 10 working days (across the Christmas bank holidays) and 3
// months; none once she has asked, none when the decision is changed.
func TestReviewFor(t *testing.T) {
	evs := journey(t)
	ev := func(on string, d throughline.Data) throughline.Event {
		w, err := throughline.ParseWhen(on)
		if err != nil {
			t.Fatal(err)
		}
		return throughline.Event{Case: "13RS0000101/24", Type: d.EventType(), OccurredAt: w, RecordedAt: w, Data: d}
	}
	upTo := func(typ string) []throughline.Event {
		for i, e := range evs {
			if e.Type == typ {
				return append([]throughline.Event(nil), evs[:i]...)
			}
		}
		t.Fatalf("no %s", typ)
		return nil
	}
	cases := []struct {
		name                  string
		evs                   []throughline.Event
		scheme, askBy, lastDy string
	}{
		{"under investigation", upTo(throughline.TypeFileSubmitted), "", "", ""},
		{"police no further action", append(upTo(throughline.TypeFileSubmitted), ev("2024-12-16", &throughline.PoliceNoFurtherAction{SuspectID: "D1"})), "police", "2025-01-02", "2025-03-16"},
		{"CPS decision not to charge", append(upTo(throughline.TypeChargingDecision), ev("2024-11-12", &throughline.ChargingDecision{SuspectID: "D1", Decision: "no_further_action"})), "cps", "2024-11-26", "2025-02-12"},
		{"charged", upTo(throughline.TypeHearingListed), "", "", ""},
		{"discontinued", append(upTo(throughline.TypeCTLExtended), ev("2025-02-03", &throughline.ProsecutionStopped{DefendantID: "D1", How: "discontinued"})), "cps", "2025-02-17", "2025-05-03"},
		{"charge altered", append(upTo(throughline.TypeCTLExtended), ev("2025-02-03", &throughline.ProsecutionStopped{DefendantID: "D1", How: "charge_altered"})), "", "", ""},
		{"asked already", append(upTo(throughline.TypeCTLExtended), ev("2025-02-03", &throughline.ProsecutionStopped{DefendantID: "D1", How: "discontinued"}),
			ev("2025-02-10", &throughline.ReviewRequested{ComplainantID: "C1", Scheme: "cps"})), "", "", ""},
	}
	for _, tc := range cases {
		c := fold(t, tc.evs)
		rv, ok := throughline.ReviewFor(c, c.Complainant("C1"))
		if ok != (tc.scheme != "") {
			t.Errorf("%s: reviewable %v", tc.name, ok)
			continue
		}
		if ok && (rv.Scheme != tc.scheme || rv.DefendantID != "D1" || rv.AskBy.Format("2006-01-02") != tc.askBy || rv.LastDay.Format("2006-01-02") != tc.lastDy) {
			t.Errorf("%s: %s ask by %s, last day %s; want %s %s %s", tc.name, rv.Scheme, rv.AskBy.Format("2006-01-02"), rv.LastDay.Format("2006-01-02"), tc.scheme, tc.askBy, tc.lastDy)
		}
	}
}
