package throughline_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"throughline"
)

// evenings is "Monday to Friday, 6pm to 9pm, and Saturday from 10am".
var evenings = []throughline.SafeWindow{{Days: []string{"mon", "tue", "wed", "thu", "fri"}, From: "18:00", To: "21:00"}, {Days: []string{"sat"}, From: "10:00", To: "24:00"}}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// A call is safe by the clock in London: the same 5:30pm UTC is inside the
// window under British Summer Time (6:30pm) and outside it a week later
// under GMT (5:30pm). Clocks went back on Sunday 25 October 2026.
func TestSafeAt(t *testing.T) {
	p := &throughline.ContactPreferencesSet{SafeWindows: evenings}
	for _, tc := range []struct {
		at   string
		safe bool
	}{
		{"2026-10-23T17:30:00Z", true},  // Friday 6:30pm BST
		{"2026-10-30T17:30:00Z", false}, // Friday 5:30pm GMT
		{"2026-10-30T18:30:00Z", true},  // Friday 6:30pm GMT
		{"2026-10-26T21:00:00Z", false}, // Monday 9pm GMT: the window ends at 9pm
		{"2026-10-26T20:59:00Z", true},  // Monday 8:59pm GMT
		{"2026-11-29T21:00:00Z", false}, // Sunday 9pm: no window on Sundays
		{"2026-10-24T22:59:00Z", true},  // Saturday 11:59pm BST
		{"2026-10-24T23:30:00Z", false}, // Sunday 12:30am BST, the night the clocks go back
		{"2026-03-28T10:30:00Z", true},  // Saturday 10:30am GMT, the day before BST
		{"2026-03-28T09:30:00Z", false}, // Saturday 9:30am GMT
		{"2026-04-04T09:30:00Z", true},  // Saturday 10:30am BST
		{"2026-04-04T08:30:00Z", false}, // Saturday 9:30am BST
	} {
		safe, known := p.SafeAt(utc(tc.at))
		if !known || safe != tc.safe {
			t.Errorf("%s (%s in London): safe %v known %v, want safe %v", tc.at, utc(tc.at).In(throughline.London).Format("Mon 15:04 MST"), safe, known, tc.safe)
		}
	}
	if _, known := (&throughline.ContactPreferencesSet{SafeTimes: "weekdays after 6pm"}).SafeAt(utc("2026-11-29T21:00:00Z")); known {
		t.Error("her words alone are checked as if they were a schedule")
	}
}

func TestSafeTimesWords(t *testing.T) {
	for _, tc := range []struct {
		p    throughline.ContactPreferencesSet
		want string
	}{
		{throughline.ContactPreferencesSet{SafeWindows: evenings}, "Monday to Friday, 6pm to 9pm; Saturday, 10am to midnight"},
		{throughline.ContactPreferencesSet{SafeWindows: []throughline.SafeWindow{{Days: []string{"sun", "mon", "wed", "sat"}, From: "12:00", To: "13:30"}}}, "Monday, Wednesday, Saturday and Sunday, midday to 1:30pm"},
		{throughline.ContactPreferencesSet{SafeWindows: []throughline.SafeWindow{{Days: throughline.Weekdays, From: "00:00", To: "07:15"}}}, "every day, midnight to 7:15am"},
		{throughline.ContactPreferencesSet{SafeTimes: "weekdays after 6pm"}, "weekdays after 6pm"},
		{throughline.ContactPreferencesSet{SafeTimes: "weekdays after 6pm", SafeWindows: []throughline.SafeWindow{{Days: []string{"sat", "sun"}, From: "09:00", To: "12:00"}}}, "Saturday and Sunday, 9am to midday"},
	} {
		if got := tc.p.SafeTimesWords(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p.SafeWindows, got, tc.want)
		}
	}
}

// Windows that cannot be a schedule are refused with the field that is wrong.
func TestSafeWindowsValidate(t *testing.T) {
	for _, tc := range []struct {
		w    string
		want string
	}{
		{`{"days":[],"from":"18:00","to":"21:00"}`, "safe_windows[0].days: at least one day"},
		{`{"days":["monday"],"from":"18:00","to":"21:00"}`, "safe_windows[0].days[0]: must be one of"},
		{`{"days":["mon","mon"],"from":"18:00","to":"21:00"}`, `"mon" is listed twice`},
		{`{"days":["mon"],"from":"6pm","to":"21:00"}`, "safe_windows[0].from: must be a time of day"},
		{`{"days":["mon"],"from":"22:00","to":"01:00"}`, "a window that crosses midnight is two windows"},
		{`{"days":["mon"],"from":"22:00","to":"24:30"}`, "safe_windows[0].to: must be a time of day"},
		{`{"days":["mon"],"from":"22:00","to":"24:00"}`, ""},
	} {
		_, err := throughline.ParseEvent([]byte(`{"case":"13RS0000101/24","type":"contact_preferences_set","occurred_at":"2024-11-20","data":{"complainant_id":"C1","channels":["phone"],"mobile":"07700900123","safe_windows":[` + tc.w + `]}}`))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.w, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.w, err, tc.want)
		}
	}
}

// Her windows are sealed with her personal data, and come back whole; once
// erased they are gone, and calls are no longer checked.
func TestSafeWindowsArePersonal(t *testing.T) {
	p := &throughline.ContactPreferencesSet{ComplainantID: "C1", Channels: []string{"phone"}, Mobile: "07700900123", SafeTimes: "weekday evenings", SafeWindows: evenings}
	public, personal, err := throughline.SplitPersonal(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(public), "18:00") || personal["safe_windows"] == "" {
		t.Errorf("public %s, personal %v", public, personal)
	}
	back, err := throughline.DecodeStored(throughline.TypeContactPreferencesSet, public, personal)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(p)
	b, _ := json.Marshal(back)
	if string(a) != string(b) {
		t.Errorf("round trip:\n%s\n%s", a, b)
	}
	erased, _ := throughline.DecodeStored(throughline.TypeContactPreferencesSet, public, nil)
	if w := erased.(*throughline.ContactPreferencesSet).SafeWindows; w != nil {
		t.Errorf("erased windows: %v", w)
	}
}

// A phone call, told or called back, at a time outside her windows asks
// why; one at a time inside them, or on a day with no time, does not. A
// call-back must say when it was made.
func TestDecideSafeTimes(t *testing.T) {
	evs := journey(t)[:9]
	ev := func(when string, d throughline.Data) throughline.Event {
		w, err := throughline.ParseWhen(when)
		if err != nil {
			t.Fatal(err)
		}
		return throughline.Event{Case: "13RS0000101/24", Type: d.EventType(), OccurredAt: w, RecordedAt: w, Data: d}
	}
	prefs := ev("2024-11-20", &throughline.ContactPreferencesSet{ComplainantID: "C1", Channels: []string{"phone"}, Mobile: "07700900123", SafeWindows: evenings})
	words := ev("2024-11-20", &throughline.ContactPreferencesSet{ComplainantID: "C1", Channels: []string{"phone"}, Mobile: "07700900123", SafeTimes: "weekdays after 6pm"})
	told := func(when, why string) throughline.Event {
		return ev(when, &throughline.VictimInformed{ComplainantID: "C1", About: "charged", Channel: "phone", AgainstPreferences: why})
	}
	called := func(when, why string) throughline.Event {
		return ev(when, &throughline.CallbackMade{ComplainantID: "C1", Reached: true, Note: "The trial date was confirmed", AgainstPreferences: why})
	}
	for _, tc := range []struct {
		name  string
		prefs throughline.Event
		e     throughline.Event
		want  string
	}{
		{"told on Sunday at 9pm", prefs, told("2024-11-24T21:00:00Z", ""), "complainant C1 was called at 9pm on Sunday 24 November 2024, outside the safe times she gave (Monday to Friday, 6pm to 9pm; Saturday, 10am to midnight): say why"},
		{"told on Sunday at 9pm, with why", prefs, told("2024-11-24T21:00:00Z", "The defendant was released that evening"), ""},
		{"told on Monday at 7pm", prefs, told("2024-11-25T19:00:00Z", ""), ""},
		{"told on a day, no time", prefs, told("2024-11-24", ""), ""},
		{"told on Sunday at 9pm, her words only", words, told("2024-11-24T21:00:00Z", ""), ""},
		{"told by letter on Sunday at 9pm", prefs, ev("2024-11-24T21:00:00Z", &throughline.VictimInformed{ComplainantID: "C1", About: "charged", Channel: "email"}), ""},
		{"called back on Sunday at 9pm", prefs, called("2024-11-24T21:00:00Z", ""), "outside the safe times she gave"},
		{"called back on Sunday at 9pm, with why", prefs, called("2024-11-24T21:00:00Z", "She asked for Sunday evening in her request"), ""},
		{"called back on Tuesday at 6:15pm, summer time", prefs, called("2025-06-03T17:15:00Z", ""), ""},
		{"called back on Tuesday at 5:15pm, winter time", prefs, called("2024-12-03T17:15:00Z", ""), "was called at 5:15pm on Tuesday 3 December 2024"},
		{"called back, no time", prefs, called("2024-11-25", ""), "say what time the call was made"},
		{"called back, not reached, outside", prefs, ev("2024-11-24T21:00:00Z", &throughline.CallbackMade{ComplainantID: "C1", Note: "No answer"}), "outside the safe times"},
	} {
		c := fold(t, append(append([]throughline.Event(nil), evs...), tc.prefs))
		_, err := throughline.Decide(c, tc.e)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || throughline.ErrorCode(err) != throughline.EINVALID):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
