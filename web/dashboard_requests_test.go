package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/oversight"
	"throughline/sqlstore/storetest"
)

// seedRequests imports n cases of 2026, each with a victim information
// request and a request to extract from her phone, their steps varied by
// the case's number: the kind of material; her notice given before the
// request is made, excepted under s.44B(5), given after, or not yet; the
// holder's answer; a withdrawal before it is made; her agreement or
// refusal; the last case's request is the only one for "other" material.
// Forces West Yorkshire, the Met and West Midlands in turn.
func (s *site) seedRequests(n int) {
	s.t.Helper()
	forces := [][2]string{{"13", "yorkshire_humberside"}, {"01", "london_north"}, {"20", "west_midlands"}}
	materials := []string{"counselling_notes", "medical", "education", "social_care", "therapy_notes"}
	const answers = `"holder":"A counselling service","holder_belief":"She told the officer in interview she saw a counsellor there.","line_of_enquiry":"Whether her first account came before the suspect contacted her.","necessity":"Only the date of the first session is sought, nothing of its content.","reason":"To check when you first told someone about what happened to you.","handling":"Only the officer and the prosecutor will read it, and it is kept locked."`
	var batch []throughline.Proposed
	for i := range n {
		ref := fmt.Sprintf("%sRS%07d/26", forces[i%3][0], 9000+i)
		start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*2)
		var lines []string
		at := func(days int, typ, data string) {
			lines = append(lines, fmt.Sprintf(`{"case":%q,"type":%q,"occurred_at":%q,"data":{%s}}`, ref, typ, start.AddDate(0, 0, days).Format(time.DateOnly), data))
		}
		at(0, "case_opened", fmt.Sprintf(`"force":%q,"cps_area":%q,"offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Seeded Person%d","date_of_birth":"1990-01-01","sex":"female","ethnicity":"white","language":"en"}],"suspects":[{"id":"D1","name":"Seeded Suspect%d"}]`, forces[i%3][0], forces[i%3][1], i, i))
		material := materials[i%len(materials)]
		if i == n-1 {
			material = "other" // one of its kind: a count the commissioner must not see
		}
		extra := ""
		if material == "counselling_notes" || material == "therapy_notes" {
			extra = `,"probative_value":"The date of her first disclosure is the one fact that meets his account."`
		}
		rq := `"complainant_id":"C1","request_id":"R1"`
		at(3, "information_requested", rq+`,"material":"`+material+`",`+answers+extra)
		if extra != "" || i%2 == 0 {
			at(4, "information_request_approved", rq+`,"note":"Only the date of the first session is sought here."`)
		}
		if i%7 == 6 {
			at(5, "information_request_withdrawn", rq+`,"reason":"The suspect admitted the contact; nothing is needed now."`)
		} else {
			switch i % 4 {
			case 0: // told first
				at(5, "victim_informed", rq+`,"about":"information_requested","channel":"email"`)
			case 1: // s.44B(5)
				at(5, "information_notice_exception", rq+`,"exception":"no_notice","reason":"The suspect lives with her and reads her post and her messages."`)
				at(5, "information_notice_exception_approved", rq+`,"note":"Telling her now would put her at risk from him at home."`)
			default: // later (s.44B(3)(b)); told after for every other one
				at(5, "information_notice_exception", rq+`,"exception":"later_notice","reason":"She is abroad and out of reach; the records are due to be destroyed."`)
				at(5, "information_notice_exception_approved", rq+`,"note":"The records go before she can be told; she is told on return."`)
			}
			at(6, "information_request_sent", rq)
			if i%4 == 2 {
				at(9, "victim_informed", rq+`,"about":"information_requested","channel":"letter"`)
			}
			switch i % 3 {
			case 0:
				at(20, "information_request_response", rq+`,"result":"received"`)
			case 1:
				at(20, "information_request_response", rq+`,"result":"refused","note":"The service declines to release any notes."`)
			}
		}
		dv := `"complainant_id":"C1","request_id":"E1"`
		at(7, "device_extraction_requested", dv+`,"device":"your mobile phone","information_sought":"The messages between you and him in the week after.","scope_from":"2025-12-01","scope_to":"2025-12-31","data_kinds":["messages"],"reason":"He says you stayed friendly afterwards; the messages can show it.","handling":"Only the officer and the prosecutor will read them; the rest is deleted.","line_of_enquiry":"Whether her messages after the night support his account.","necessity":"The messages are the only record of what was said that week.","other_means":"His phone was not seized and the provider keeps no content."`)
		if i%3 == 0 {
			at(8, "device_extraction_answered", dv+`,"answer":"refused"`)
		} else {
			at(8, "victim_informed", dv+`,"about":"device_extraction_requested","channel":"letter"`)
			at(9, "device_extraction_answered", dv+`,"answer":"agreed","confirmed_in_writing":true,"data_kinds":["messages"]`)
		}
		for _, l := range lines {
			e, err := throughline.ParseEvent([]byte(l))
			if err != nil {
				s.t.Fatalf("%s: %v", l, err)
			}
			batch = append(batch, throughline.Proposed{Event: e})
		}
	}
	if _, err := s.store.Import(context.Background(), batch, false); err != nil {
		s.t.Fatal(err)
	}
}

// The information-request figures on the dashboards (docs/measures.md): a
// police supervisor's table gives their force's figures and the nation's,
// each as package oversight computes it from the raw events, in the page
// and the CSV, with the two new measures' charts; the commissioner is shown
// no count of 1 to 4 of them.
func TestInformationRequestDashboard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		s.addPerson("commissioner", "Grace Whitfield", throughline.RoleCommissioner, "commissioner")
		s.seedRequests(90)
		from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
		nation := s.expected(from, to, func(oversight.Facts) bool { return true })
		wy := s.expected(from, to, func(f oversight.Facts) bool { return f.Force == "13" })
		ir := nation.InformationRequests
		for k, n := range ir.Notice {
			if n < 5 {
				t.Fatalf("the seeded requests have %d with notice %s: the test would prove little", n, k)
			}
		}
		if ir.Withdrawn == 0 || ir.HolderRefused == 0 || nation.DeviceExtraction.Refused == 0 {
			t.Fatalf("seeded figures %+v %+v", ir, nation.DeviceExtraction)
		}

		b := s.signIn("supervisor")
		q := "from=2026Q1&to=2026Q4&by=force&measure="
		r := b.get("/dashboard?" + q + "information_requests")
		if r.status != http.StatusOK {
			t.Fatalf("dashboard: %d %s", r.status, text(r.body))
		}
		words := text(r.body)
		row := func(label string, a, b int) string { return fmt.Sprintf("%s %d %d", label, a, b) }
		for _, w := range []string{
			"Information requests and device extraction",
			row("Information requests made", wy.InformationRequests.Sent, ir.Sent),
			row("Made: told on or before the day it was made", wy.InformationRequests.Notice[oversight.NoticeBefore], ir.Notice[oversight.NoticeBefore]),
			row("Made: not told: no notice under s.44B(5)", wy.InformationRequests.Notice[oversight.NoticeExcepted], ir.Notice[oversight.NoticeExcepted]),
			row("Made: told after it was made", wy.InformationRequests.Notice[oversight.NoticeAfter], ir.Notice[oversight.NoticeAfter]),
			row("Made: not yet told", wy.InformationRequests.Notice[oversight.NoticeNotGiven], ir.Notice[oversight.NoticeNotGiven]),
			row("Made, kind of material: counselling notes", wy.InformationRequests.Material["counselling_notes"], ir.Material["counselling_notes"]),
			row("Refused by the holder", wy.InformationRequests.HolderRefused, ir.HolderRefused),
			row("Withdrawn before being made", wy.InformationRequests.WithdrawnBeforeSent, ir.WithdrawnBeforeSent),
			row("She refused device extraction", wy.DeviceExtraction.Refused, nation.DeviceExtraction.Refused),
			"Victim information requests made by quarter", "Victim information requests made by police force", "Victim information requests made, by when she was told, West Yorkshire Police",
		} {
			if !strings.Contains(words, w) {
				t.Errorf("the dashboard does not say %q:\n%.4000s", w, words)
			}
		}
		if n := strings.Count(r.body, `<svg `); n != 3 {
			t.Errorf("%d charts, want 3", n)
		}
		r = b.get("/dashboard?" + q + "device_refusals")
		if want := fmt.Sprintf("%.1f%%", 100**wy.DeviceExtraction.RefusalRate); r.status != http.StatusOK || !strings.Contains(text(r.body), "Device extraction refused by the victim by quarter") || !strings.Contains(text(r.body), want) {
			t.Errorf("device refusals: %d, want %s:\n%.3000s", r.status, want, text(r.body))
		}
		c := b.get("/dashboard.csv?" + q + "information_requests")
		if got := csvFigure(t, c.body, "Information requests and device extraction", "Information requests made", "England and Wales"); got != strconv.Itoa(ir.Sent) {
			t.Errorf("CSV requests made %s, want %d", got, ir.Sent)
		}

		// The commissioner: no count of 1 to 4 in the table, however split.
		b = s.signIn("commissioner")
		withheld := 0
		// The one request for "other" material is withheld, and so is
		// another kind, or the requests made less the kinds shown give it.
		c = b.get("/dashboard.csv?" + q + "information_requests")
		unknown := 0
		for _, k := range throughline.Materials {
			label := "Made, kind of material: " + strings.ReplaceAll(k, "_", " ")
			if _, err := strconv.Atoi(csvFigure(t, c.body, "Information requests and device extraction", label, "England and Wales")); err != nil {
				unknown++
			}
		}
		if unknown < 2 {
			t.Errorf("%d kinds of material withheld from the commissioner: the one request for other material can be worked out", unknown)
		}
		for _, m := range []string{"information_requests", "device_refusals"} {
			c := b.get("/dashboard.csv?" + q + m)
			recs, err := csv.NewReader(strings.NewReader(c.body)).ReadAll()
			if err != nil || c.status != http.StatusOK {
				t.Fatal(c.status, err)
			}
			for _, r := range recs[1:] {
				if !strings.HasPrefix(r[0], "Information requests") && !strings.Contains(r[0], "by police force") {
					continue
				}
				if r[3] == "Fewer than 5" || r[3] == "Withheld" {
					withheld++
				}
				if n, err := strconv.Atoi(r[3]); err == nil && n >= 1 && n <= 4 {
					t.Errorf("the commissioner is shown a count of %d: %v", n, r)
				}
			}
		}
		if withheld == 0 {
			t.Error("nothing withheld from the commissioner: the seeded data has no small count, or suppression is off")
		}
	})
}
