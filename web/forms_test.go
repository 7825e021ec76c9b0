package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
)

var (
	formRE     = regexp.MustCompile(`(?s)<form method="post" action="[^"]*/record/[^"]*"[^>]*>(.*?)</form>`)
	inputRE    = regexp.MustCompile(`<input\b[^>]*>`)
	attrRE     = regexp.MustCompile(`\s([a-z-]+)(?:="([^"]*)")?`)
	textareaRE = regexp.MustCompile(`(?s)<textarea\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>`)
	selectRE   = regexp.MustCompile(`(?s)<select\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>`)
	selectedRE = regexp.MustCompile(`<option value="([^"]*)"[^>]*\bselected`)
)

// formAsItStands is what a browser would send for the page's record form as it
// was drawn: text inputs and hidden fields with their values, the boxes
// and buttons checked, the options selected, the textareas' text.
func formAsItStands(t *testing.T, body string) url.Values {
	t.Helper()
	m := formRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form:\n%s", text(body))
	}
	v := url.Values{}
	for _, tag := range inputRE.FindAllString(m[1], -1) {
		a := map[string]string{}
		present := map[string]bool{}
		for _, kv := range attrRE.FindAllStringSubmatch(tag, -1) {
			a[kv[1]], present[kv[1]] = html.UnescapeString(kv[2]), true
		}
		if (a["type"] == "checkbox" || a["type"] == "radio") && !present["checked"] {
			continue
		}
		if a["name"] != "" {
			v.Add(a["name"], a["value"])
		}
	}
	for _, ta := range textareaRE.FindAllStringSubmatch(m[1], -1) {
		v.Add(ta[1], html.UnescapeString(strings.TrimPrefix(ta[2], "\n")))
	}
	for _, sel := range selectRE.FindAllStringSubmatch(m[1], -1) {
		if o := selectedRE.FindStringSubmatch(sel[2]); o != nil {
			v.Add(sel[1], html.UnescapeString(o[1]))
		}
	}
	return v
}

// G10: the contact preferences form opens with every preference recorded,
// and saved as it stands it records the very same preferences again,
// dated the day she confirmed them (the log keeps both: nothing is
// overwritten, and a preference set that is the same but newer says they
// were checked with her). The confirmation says the day the record is
// dated, and that it is today (G18).
func TestContactPreferencesFormOpensWithThem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := todaySite(t, dsn)
		s.appendRaw(chargedRef, `{"type":"contact_preferences_set","occurred_at":"2026-11-24","data":{"complainant_id":"C1","channels":["phone","email","letter"],
			"email":"amelia@example.org","mobile":"07700900123","address":"1 Example Street\nLeeds LS1 1AA","language":"cy","safe_times":"weeknights after the children are in bed",
			"safe_windows":[{"days":["mon","tue","wed","thu","fri"],"from":"19:30","to":"22:00"},{"days":["sun"],"from":"10:00","to":"12:00"}],
			"never_write_home":true,"nominated_contact":"Her sister, Jo, 07700900999","formats":["large_print","braille"],"routine_every_days":14}}`)
		before := lastEvent(t, s, chargedRef)
		witness := s.signIn("witness")
		form := "/cases/" + url.PathEscape(chargedRef) + "/record/contact_preferences_set"
		r := witness.get(form)
		for _, w := range []string{"Safe time 1: on which days?", "Safe time 3: on which days?", "Today's date is filled in: change it if it was another day"} {
			if !strings.Contains(html.UnescapeString(text(r.body)), w) {
				t.Errorf("the form does not show %q", w)
			}
		}
		v := formAsItStands(t, r.body)
		for k, want := range map[string]string{"channels": "phone", "channels-then": "email", "channels-then2": "letter", "safe1-from": "19:30", "safe2-to": "12:00",
			"never_write_home": "yes", "language": "cy", "routine_every_days": "14", "address": "1 Example Street\nLeeds LS1 1AA"} {
			if v.Get(k) != want {
				t.Errorf("the form opens with %s = %q, want %q", k, v.Get(k), want)
			}
		}
		r = witness.post(form, v)
		if r.status != http.StatusSeeOther {
			t.Fatalf("saved as it stands: %d %s", r.status, text(r.body))
		}
		after := lastEvent(t, s, chargedRef)
		if after.Version != before.Version+1 || after.Type != throughline.TypeContactPreferencesSet {
			t.Fatalf("saved: version %d %s, after %d", after.Version, after.Type, before.Version)
		}
		a, _ := json.Marshal(before.Data)
		b, _ := json.Marshal(after.Data)
		if string(a) != string(b) {
			t.Errorf("saved as it stands, the preferences changed:\nbefore %s\nafter  %s", a, b)
		}
		page := text(witness.get(r.header.Get("Location")).body)
		if !strings.Contains(page, "Contact preferences recorded Dated 25 November 2026 (today).") {
			t.Errorf("the confirmation does not say the day:\n%s", page)
		}
		if !strings.Contains(page, "Safe times Monday to Friday, 7:30pm to 10pm; Sunday, 10am to midday") {
			t.Errorf("the case page does not say her safe times in words:\n%s", page)
		}
	})
}

// lastEvent is the last event of case ref, its personal data opened.
func lastEvent(t *testing.T, s *site, ref string) throughline.Event {
	t.Helper()
	evs, err := s.store.Events(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return evs[len(evs)-1]
}

// G12a: a phone telling says when the call was made, in London time, and
// one outside her safe times asks why; one inside them, in summer time or
// winter time, does not.
func TestPhoneTellingAgainstSafeTimes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := todaySite(t, dsn)
		s.appendRaw(chargedRef, `{"type":"contact_preferences_set","occurred_at":"2026-11-24","data":{"complainant_id":"C1","channels":["phone"],"mobile":"07700900123",
			"safe_windows":[{"days":["mon","tue","wed","thu","fri"],"from":"18:00","to":"21:00"}]}}`)
		witness := s.signIn("witness")
		form := "/cases/" + url.PathEscape(chargedRef) + "/record/victim_informed"
		if w := "Amelia Hart can be called safely only Monday to Friday, 6pm to 9pm."; !strings.Contains(text(witness.get(form).body), w) {
			t.Errorf("the form does not warn %q", w)
		}
		told := func(day, month, year, at, why string) page {
			v := witness.open(form)
			for k, x := range map[string]string{"complainant_id": "C1", "about": "regular_update", "channel": "phone", "hearing_id": "none", "request_id": "none",
				"occurred_at-day": day, "occurred_at-month": month, "occurred_at-year": year, "called_at": at, "against_preferences": why} {
				v.Set(k, x)
			}
			return witness.post(form, v)
		}
		if r := told("22", "11", "2026", "", ""); r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), "Enter the time of the call") || !strings.Contains(r.body, `href="#called_at"`) {
			t.Errorf("a call with no time: %d %s", r.status, text(r.body))
		}
		r := told("22", "11", "2026", "9pm", "")
		if want := "Amelia Hart was called at 9pm on Sunday 22 November 2026, outside the safe times she gave (Monday to Friday, 6pm to 9pm): say why"; r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), want) || !strings.Contains(r.body, `href="#against_preferences"`) {
			t.Errorf("a call on Sunday at 9pm: %d, want %q in %s", r.status, want, text(r.body))
		}
		if r := told("22", "11", "2026", "9pm", "The defendant was released that evening"); r.status != http.StatusSeeOther {
			t.Errorf("a call on Sunday at 9pm, with why: %d %s", r.status, text(r.body))
		}
		// 6:15pm British Summer Time is 17:15 UTC: inside the window.
		if r := told("2", "6", "2026", "18:15", ""); r.status != http.StatusSeeOther {
			t.Errorf("a call on Tuesday at 6:15pm in summer: %d %s", r.status, text(r.body))
		} else if e := lastEvent(t, s, chargedRef); e.OccurredAt.String() != "2026-06-02T18:15:00+01:00" {
			t.Errorf("the call is recorded at %s", e.OccurredAt)
		}
		// 5:45pm GMT on a weekday: before the window opens.
		if r := told("23", "11", "2026", "5:45pm", ""); r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), "called at 5:45pm on Monday 23 November 2026") {
			t.Errorf("a call on Monday at 5:45pm in winter: %d %s", r.status, text(r.body))
		}
	})
}

// G12b: a call-back task is done by recording the call: whether she was
// reached, when, and what she was told or why not. The call is on the
// timeline, and the task leaves the list.
func TestCallbackTaskAsksWhatHappened(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := todaySite(t, dsn)
		ctx := context.Background()
		tasks := func() []throughline.CommsTask {
			ts, err := s.store.Tasks(ctx, chargedRef, true, throughline.ScopeFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var out []throughline.CommsTask
			for _, x := range ts {
				if x.Kind == throughline.TaskCallback {
					out = append(out, x)
				}
			}
			return out
		}
		open := tasks()
		if len(open) != 1 {
			t.Fatalf("call-back tasks: %+v", open)
		}
		witness := s.signIn("witness")
		ref := url.PathEscape(chargedRef)
		taskPath := fmt.Sprintf("/cases/%s/tasks/%d", ref, open[0].ID)
		form := "/cases/" + ref + "/record/callback_made"
		r := witness.get(taskPath)
		if !strings.Contains(r.body, `href="`+form+`?complainant_id=C1"`) || !strings.Contains(text(r.body), "Record the call") || strings.Contains(text(r.body), "Mark as done") {
			t.Errorf("the task page does not lead to recording the call:\n%s", text(r.body))
		}
		// Closing it unsaid leads to the form, and closes nothing.
		if r := witness.post(taskPath, url.Values{}); r.status != http.StatusSeeOther || r.header.Get("Location") != form+"?complainant_id=C1" || len(tasks()) != 1 {
			t.Errorf("a call-back closed unsaid: %d %s, %d open", r.status, r.header.Get("Location"), len(tasks()))
		}
		r = witness.get(form + "?complainant_id=C1")
		for _, w := range []string{"Did you reach them?", "What time did you call?", "Amelia Hart can be called safely only weekdays after 6pm."} {
			if !strings.Contains(text(r.body), w) {
				t.Errorf("the form does not show %q", w)
			}
		}
		v := formAsItStands(t, r.body)
		v.Set("occurred_at-day", "24")
		r = witness.post(form, v)
		for _, w := range []string{"Select whether you reached them", "Enter the time of the call", "Say what she was told, or why she was not reached"} {
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), w) {
				t.Errorf("a call-back left blank: %d, no %q in %s", r.status, w, text(r.body))
			}
		}
		v.Set("reached", "yes")
		v.Set("called_at", "18:30")
		v.Set("note", "The PTPH on 30 November is going ahead; she does not need to attend")
		if r := witness.post(form, v); r.status != http.StatusSeeOther {
			t.Fatalf("a call-back: %d %s", r.status, text(r.body))
		}
		if open := tasks(); len(open) != 0 {
			t.Errorf("the call-back task is still open: %+v", open)
		}
		e := lastEvent(t, s, chargedRef)
		if d, ok := e.Data.(*throughline.CallbackMade); !ok || !d.Reached || e.OccurredAt.String() != "2026-11-24T18:30:00Z" || e.Actor != s.people["witness"].ID {
			t.Errorf("recorded %s at %s by %s: %+v", e.Type, e.OccurredAt, e.Actor, e.Data)
		}
		page := text(witness.get("/cases/" + ref).body)
		for _, w := range []string{"Call-back made", "Amelia Hart was called back and reached.", "What they were told: The PTPH on 30 November is going ahead; she does not need to attend"} {
			if !strings.Contains(page, w) {
				t.Errorf("the timeline does not show %q", w)
			}
		}
	})
}

// G19: the record menu's reasons are true of the case at hand, at each
// stage: none says "after a charge" of a case charged and sent, nor "once
// a hearing is listed" of a case whose trial is listed for a later day.
func TestRecordMenuReasonsFitTheCase(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	ctx := context.Background()
	stages := map[string]int{"investigation": 3, "awaiting charge": 8, "sent": 13, "trial listed": 15, "convicted": 20}
	for name, n := range stages {
		ref := fmt.Sprintf("13RS00004%02d/24", n)
		s.loadJourney(ref, n)
		if name == "trial listed" {
			s.appendAs(ref, "import", "cps:yorkshire_humberside", `{"type":"hearing_listed","occurred_at":"2024-12-12","data":{"hearing_id":"H3","kind":"trial","court":"leeds","starts_at":"2027-03-01T10:00:00Z","listing":"fixture"}}`)
		}
		for _, who := range []string{"officer", "prosecutor"} {
			if err := s.store.SetCaseMember(ctx, "test", ref, "user", s.people[who].ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	officer, prosecutor := s.signIn("officer"), s.signIn("prosecutor")
	for _, tc := range []struct {
		stage string
		who   *browser
		form  string
		want  string
	}{
		{"investigation", officer, "Record a charge", "You can record a charge after the CPS decides to charge."},
		{"investigation", prosecutor, "Record a sending to the Crown Court", "You can record a sending after a charge."},
		{"investigation", prosecutor, "Record a verdict or plea", "You can record a verdict or plea after a charge."},
		{"awaiting charge", prosecutor, "Record a hearing held", "No hearing on this case is listed to sit: you can record a hearing's outcome once one is listed."},
		{"sent", officer, "Record a charge", "Everyone on this case is charged."},
		{"sent", officer, "Record a file sent to the CPS", "A file for early advice or a charging decision comes before a charge, and everyone on this case is charged."},
		{"sent", prosecutor, "Record a sending to the Crown Court", "Everyone charged has been sent to the Crown Court."},
		{"sent", prosecutor, "Record a charging decision", "A charging decision comes before a charge, and everyone on this case is charged."},
		{"sent", prosecutor, "Record where the court decided the case is to be tried", "Everyone charged has been sent to the Crown Court: where an offence triable either way is tried is decided before sending."},
		{"trial listed", prosecutor, "Record a hearing held", "You can record a hearing's outcome on or after the day it sits: the next is the trial at Leeds Crown Court on 1 March 2027 at 10:00am."},
		{"trial listed", prosecutor, "Record a trial started", "The trial is listed for 1 March 2027 at 10:00am: you can record it started on that day or after."},
		{"trial listed", prosecutor, "Record a sentence", "You can record a sentence after a conviction."},
		{"convicted", prosecutor, "Record a verdict or plea", "No one charged is awaiting a verdict or plea: each has one, or their prosecution was stopped."},
		{"convicted", prosecutor, "Record a prosecution stopped", "No prosecution on this case is still going on: each defendant charged has a verdict or plea, or was already stopped."},
	} {
		ref := fmt.Sprintf("13RS00004%02d/24", stages[tc.stage])
		r := tc.who.get("/cases/" + url.PathEscape(ref) + "/record")
		got := ""
		for _, w := range waitingRE.FindAllStringSubmatch(r.body, -1) {
			if html.UnescapeString(w[1]) == tc.form {
				got = html.UnescapeString(w[2])
			}
		}
		if got != tc.want {
			t.Errorf("%s, %q: %q, want %q", tc.stage, tc.form, got, tc.want)
		}
	}
}
