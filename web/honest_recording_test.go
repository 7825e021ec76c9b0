package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
)

// formVersion is the case version a record form was opened at.
var formVersion = regexp.MustCompile(`name="version" value="(\d+)"`)

// open fetches a record form and returns its values to send, at the
// version it shows.
func (b *browser) open(path string) url.Values {
	b.s.t.Helper()
	r := b.get(path)
	m := formVersion.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		b.s.t.Fatalf("GET %s: %d %s", path, r.status, text(r.body))
	}
	return url.Values{"version": {m[1]}}
}

// Recording is honest about what happened: a telling of a hearing's news
// says which hearing; a telling against the victim's stated wishes (she
// asked never to be written to at home, she gave safe times to call) is
// warned of before the form is filled and needs a reason, kept on the
// record; a sending to the Crown Court dated before the first appearance
// is refused, saying why, in the form.
func TestHonestRecording(t *testing.T) {
	for name, dsn := range storetest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			s := todaySite(t, dsn)
			witness := s.signIn("witness")
			charged := url.PathEscape(chargedRef)
			form := "/cases/" + charged + "/record/victim_informed"
			told := func(v url.Values) url.Values {
				v.Set("complainant_id", "C1")
				v.Set("occurred_at-day", "25")
				v.Set("occurred_at-month", "11")
				v.Set("occurred_at-year", "2026")
				return v
			}

			// Before the form is filled in: her wishes, and the hearings by
			// court and date to choose from.
			r := witness.get(form)
			for _, w := range []string{"Amelia Hart asked never to be written to at home.", "Amelia Hart can be called safely only weekdays after 6pm.",
				"Which hearing were they told about?", "Plea and trial preparation hearing (PTPH), Leeds Crown Court, 30 November 2026"} {
				if !strings.Contains(text(r.body), w) {
					t.Errorf("the form does not show %q:\n%s", w, text(r.body))
				}
			}

			// Told of a hearing's outcome: which hearing?
			v := told(witness.open(form))
			v.Set("about", "hearing_listed")
			v.Set("hearing_id", "none")
			v.Set("channel", "email")
			if r := witness.post(form, v); r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), "Select the hearing they were told about") || !strings.Contains(r.body, `href="#hearing_id"`) {
				t.Fatalf("a hearing's news with no hearing: %d %s", r.status, text(r.body))
			}

			// The Witness Care Unit's receipt of a hearing's news names
			// the hearing too: news of none would meet the court's duty
			// for every hearing.
			news := "/cases/" + charged + "/record/news_received"
			nv := witness.open(news)
			nv.Set("occurred_at-day", "25")
			nv.Set("occurred_at-month", "11")
			nv.Set("occurred_at-year", "2026")
			nv.Set("about", "hearing_listed")
			nv.Set("from", "court")
			nv.Set("hearing_id", "none")
			nv.Set("defendant_id", "none")
			if r := witness.post(news, nv); r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), "Select the hearing the news is about") || !strings.Contains(r.body, `href="#hearing_id"`) {
				t.Fatalf("news of a hearing with no hearing: %d %s", r.status, text(r.body))
			}
			nv.Set("hearing_id", "H1")
			if r := witness.post(news, nv); r.status != http.StatusSeeOther {
				t.Fatalf("news of the PTPH: %d %s", r.status, text(r.body))
			}
			v.Set("version", witness.open(form).Get("version")) // the case moved on

			// A letter home she asked never to have: the form asks why.
			v.Set("hearing_id", "H1")
			v.Set("channel", "letter")
			r = witness.post(form, v)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), "Amelia Hart asked never to be written to at home: say why this was done against her wishes") || !strings.Contains(r.body, `href="#against_preferences"`) {
				t.Fatalf("a letter home with no reason: %d %s", r.status, text(r.body))
			}
			// A call outside her safe times likewise: safe times in her
			// words only, so the caller says so.
			v.Set("channel", "phone")
			v.Set("called_at", "8am")
			v.Set("outside_safe_times", "yes")
			if r := witness.post(form, v); r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), "Amelia Hart was called outside the safe times she gave: say why") {
				t.Fatalf("a call outside her safe times with no reason: %d %s", r.status, text(r.body))
			}
			// With the reason, it is recorded, and the reason is kept.
			v.Set("against_preferences", "The hearing moved to the next morning: she had to know that evening")
			if r := witness.post(form, v); r.status != http.StatusSeeOther {
				t.Fatalf("a call outside her safe times with a reason: %d %s", r.status, text(r.body))
			}
			page := text(witness.get("/cases/" + charged).body)
			for _, w := range []string{"Hearing: plea and trial preparation hearing (PTPH)", "Called outside the safe times they gave",
				"Why, against their wishes: The hearing moved to the next morning: she had to know that evening"} {
				if !strings.Contains(page, w) {
					t.Errorf("the case's timeline does not show %q:\n%s", w, page)
				}
			}

			// Sent to the Crown Court before the first appearance: refused,
			// with why, in the form.
			officer, prosecutor := s.signIn("officer"), s.signIn("prosecutor")
			ref := url.PathEscape(testRef)
			charge := officer.open("/cases/" + ref + "/record/charged")
			for k, x := range map[string]string{"defendant_id": "D1", "offences": "19C|SX03002", "method": "custody", "occurred_at-day": "13", "occurred_at-month": "11", "occurred_at-year": "2024"} {
				charge.Set(k, x)
			}
			if r := officer.post("/cases/"+ref+"/record/charged", charge); r.status != http.StatusSeeOther {
				t.Fatalf("charge: %d %s", r.status, text(r.body))
			}
			s.appendRaw(testRef, `{"type":"hearing_listed","occurred_at":"2024-11-13","data":{"hearing_id":"H1","kind":"first_appearance","court":"leeds_magistrates","starts_at":"2024-11-15T10:00:00Z","listing":"fixture"}}`)
			send := prosecutor.open("/cases/" + ref + "/record/sent_to_crown_court")
			for k, x := range map[string]string{"defendant_id": "D1", "court": "leeds", "occurred_at-day": "14", "occurred_at-month": "11", "occurred_at-year": "2024"} {
				send.Set(k, x)
			}
			r = prosecutor.post("/cases/"+ref+"/record/sent_to_crown_court", send)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), "Defendant Daniel Ross cannot be sent to the Crown Court on 14 November 2024, before the first appearance on 15 November 2024: the magistrates&#39; court sends the case at the first appearance") {
				t.Fatalf("sent before the first appearance: %d %s", r.status, text(r.body))
			}
			send.Set("occurred_at-day", "15")
			if r := prosecutor.post("/cases/"+ref+"/record/sent_to_crown_court", send); r.status != http.StatusSeeOther {
				t.Fatalf("sent at the first appearance: %d %s", r.status, text(r.body))
			}
		})
	}
}
