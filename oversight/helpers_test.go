package oversight

import (
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/calendar"
)

// build parses one case's events, one per line as "type occurred_at {data}",
// and passes each through Decide and Apply as a live write would, so a test
// case cannot hold a sequence the product would refuse.
func build(t *testing.T, ref, lines string) []throughline.Event {
	t.Helper()
	var c throughline.Case
	var out []throughline.Event
	for i, l := range strings.Split(strings.TrimSpace(lines), "\n") {
		f := strings.SplitN(strings.TrimSpace(l), " ", 3)
		if len(f) < 2 {
			t.Fatalf("%s line %d: %q", ref, i+1, l)
		}
		data := "{}"
		if len(f) == 3 {
			data = f[2]
		}
		e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `","type":"` + f[0] + `","occurred_at":"` + f[1] + `","data":` + data + `}`))
		if err != nil {
			t.Fatalf("%s line %d: %v", ref, i+1, err)
		}
		e.RecordedAt = e.OccurredAt
		if _, err := throughline.Decide(&c, e); err != nil {
			t.Fatalf("%s line %d refused: %v", ref, i+1, err)
		}
		c.Apply(e)
		e.Version = c.Version
		out = append(out, e)
	}
	return out
}

func day(s string) calendar.Day {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return calendar.DayOf(t)
}

func date(s string) time.Time { return day(s).Time() }

// caseA is testdata/journey.jsonl: reported 15 Jan 2024, charged 13 Nov
// 2024 (custody), trial 12 May 2025, convicted 16 May, closed 1 July.
const caseA = `
case_opened 2024-01-15 {"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Amelia Hart","date_of_birth":"1998-04-02","sex":"female","ethnicity":"white","language":"en"}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}
file_submitted 2024-06-03 {"suspect_id":"D1","purpose":"early_advice"}
early_advice_given 2024-06-20 {"suspect_id":"D1"}
file_submitted 2024-09-02 {"suspect_id":"D1","purpose":"charging_decision"}
charging_decision 2024-11-12 {"suspect_id":"D1","decision":"charge"}
charged 2024-11-13T09:30:00Z {"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"custody"}
victim_informed 2024-11-13T16:00:00Z {"complainant_id":"C1","about":"charged","channel":"phone"}
hearing_listed 2024-11-13 {"hearing_id":"H1","kind":"first_appearance","court":"leeds_magistrates","starts_at":"2024-11-14T10:00:00Z","listing":"fixture"}
hearing_held 2024-11-14 {"hearing_id":"H1","outcome":"effective"}
sent_to_crown_court 2024-11-14 {"defendant_id":"D1","court":"leeds"}
hearing_listed 2024-11-14 {"hearing_id":"H2","kind":"ptph","court":"leeds","starts_at":"2024-12-12T10:00:00Z","listing":"fixture"}
hearing_held 2024-12-12 {"hearing_id":"H2","outcome":"effective"}
hearing_listed 2024-12-12 {"hearing_id":"H3","kind":"trial","court":"leeds","starts_at":"2025-05-12T10:00:00+01:00","listing":"fixture"}
trial_started 2025-05-12 {"hearing_id":"H3"}
hearing_held 2025-05-12 {"hearing_id":"H3","outcome":"effective"}
verdict 2025-05-16 {"defendant_id":"D1","result":"guilty"}
hearing_listed 2025-05-16 {"hearing_id":"H4","kind":"sentence","court":"leeds","starts_at":"2025-06-20T10:00:00+01:00","listing":"fixture"}
hearing_held 2025-06-20 {"hearing_id":"H4","outcome":"effective"}
sentenced 2025-06-20 {"defendant_id":"D1"}
case_closed 2025-07-01 {"reason":"sentenced; appeal period over"}
`

// caseC: a boy of 13 in London; a decision sent back for further
// investigation, charged on bail, a trial moved, one ineffective, the next
// vacated; he withdraws and the prosecution is discontinued.
const caseC = `
case_opened 2024-02-01 {"force":"01","cps_area":"london_north","offences":[{"ho_code":"19G","cjs_code":"SX03003"}],"complainants":[{"id":"C1","name":"Sam Boy","date_of_birth":"2010-06-01","sex":"male","ethnicity":"black","language":"en"}],"suspects":[{"id":"D1","name":"Dan Def"}]}
file_submitted 2024-03-01 {"suspect_id":"D1","purpose":"charging_decision"}
charging_decision 2024-04-01 {"suspect_id":"D1","decision":"further_investigation"}
file_submitted 2024-05-01 {"suspect_id":"D1","purpose":"charging_decision"}
charging_decision 2024-06-03 {"suspect_id":"D1","decision":"charge"}
charged 2024-06-04 {"defendant_id":"D1","offences":[{"ho_code":"19G","cjs_code":"SX03003"}],"method":"bail"}
hearing_listed 2024-06-04 {"hearing_id":"H1","kind":"first_appearance","court":"highbury_corner_magistrates","starts_at":"2024-06-20T10:00:00+01:00","listing":"fixture"}
hearing_held 2024-06-20 {"hearing_id":"H1","outcome":"effective"}
sent_to_crown_court 2024-06-20 {"defendant_id":"D1","court":"wood_green"}
hearing_listed 2024-06-20 {"hearing_id":"H2","kind":"ptph","court":"wood_green","starts_at":"2024-07-18T10:00:00+01:00","listing":"fixture"}
hearing_held 2024-07-18 {"hearing_id":"H2","outcome":"effective"}
hearing_listed 2024-07-18 {"hearing_id":"H3","kind":"trial","court":"wood_green","starts_at":"2025-01-13T10:00:00Z","listing":"fixture"}
hearing_listed 2024-12-02 {"hearing_id":"H3","kind":"trial","court":"wood_green","starts_at":"2025-02-10T10:00:00Z","listing":"fixture"}
hearing_held 2025-02-10 {"hearing_id":"H3","outcome":"ineffective","reason":"no_courtroom_or_judge"}
hearing_listed 2025-02-10 {"hearing_id":"H4","kind":"trial","court":"wood_green","starts_at":"2025-06-09T10:00:00+01:00","listing":"warned"}
hearing_vacated 2025-05-01 {"hearing_id":"H4","reason":"no judge available"}
complainant_withdrew 2025-05-20 {"complainant_id":"C1","reason":"cannot face the wait any longer"}
prosecution_stopped 2025-06-02 {"defendant_id":"D1","how":"discontinued"}
case_closed 2025-07-01 {"reason":"prosecution stopped"}
`

// caseB: she withdraws before any decision; the police close the case.
const caseB = `
case_opened 2024-03-01 {"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Beth B"}],"suspects":[{"id":"D1","name":"Unknown"}]}
complainant_withdrew 2024-04-01 {"complainant_id":"C1","reason":"does not support police action"}
case_closed 2024-04-15 {"reason":"victim does not support further action (outcome 16)"}
`

// caseD: the CPS decides not to charge.
const caseD = `
case_opened 2024-02-10 {"force":"63","cps_area":"cymru_wales","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Delyth D","date_of_birth":"1960-02-10","sex":"female","ethnicity":"white","language":"cy"}],"suspects":[{"id":"D1","name":"Dewi D"}]}
file_submitted 2024-08-01 {"suspect_id":"D1","purpose":"charging_decision"}
charging_decision 2024-09-02 {"suspect_id":"D1","decision":"no_further_action"}
case_closed 2024-09-30 {"reason":"CPS decided not to charge (evidential stage)"}
`

// caseE: the police take no further action; no file reaches the CPS.
const caseE = `
case_opened 2024-05-05 {"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Erin E","date_of_birth":"2007-12-31","sex":"female","ethnicity":"asian"}],"suspects":[{"id":"D1","name":"Ed E"}]}
case_closed 2024-12-31 {"reason":"evidential difficulties: no further police action (outcome 15)"}
`

func allCases(t *testing.T) [][]throughline.Event {
	return [][]throughline.Event{
		build(t, "13RS0000001/24", caseA),
		build(t, "13RS0000002/24", caseB),
		build(t, "01RS0000003/24", caseC),
		build(t, "63RS0000004/24", caseD),
		build(t, "13RS0000005/24", caseE),
	}
}
