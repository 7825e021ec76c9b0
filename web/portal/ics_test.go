package portal

import (
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/comms"
	"throughline/internal/validatortest"
)

// swanseaAddress is a directory holding where Swansea Crown Court is
// (an address made up for the test).
var swanseaAddress = comms.Directory{Courts: []throughline.CourtAddress{{Court: "swansea", Address: "1 Example Street, Swansea, SA1 0AA"}}}

// checkICS checks the octets: CRLF only, 75 octets a line at most, no
// fold inside a UTF-8 character.
func checkICS(t *testing.T, ics string) { t.Helper(); validatortest.ICalOctets(t, ics) }

func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

func TestICSFold(t *testing.T) {
	for _, tc := range []struct {
		in    string
		lines []int // octets of each physical line, without CRLF
	}{
		{strings.Repeat("a", 75), []int{75}},
		{strings.Repeat("a", 76), []int{75, 2}},
		{strings.Repeat("a", 75+74), []int{75, 75}},
		{strings.Repeat("a", 75+75), []int{75, 75, 2}},
		// a 2-octet ŵ would straddle octets 75–76: it moves to the next line
		{strings.Repeat("a", 74) + "ŵ", []int{74, 3}},
		{strings.Repeat("a", 73) + "ŵ", []int{75}},
		// a 3-octet € at 74–76, then a 4-octet emoji at a continuation's end
		{strings.Repeat("a", 73) + "€" + strings.Repeat("b", 71) + "😀", []int{73, 75, 5}},
		{strings.Repeat("ŵ", 60), []int{75 - 1, 1 + 46}},
	} {
		got := icsFold(tc.in)
		checkICS(t, got)
		var lens []int
		for _, l := range strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n") {
			lens = append(lens, len(l))
		}
		if len(lens) != len(tc.lines) {
			t.Errorf("%q: lines of %v octets, want %v", tc.in, lens, tc.lines)
			continue
		}
		for i := range lens {
			if lens[i] != tc.lines[i] {
				t.Errorf("%q: lines of %v octets, want %v", tc.in, lens, tc.lines)
				break
			}
		}
		if u := unfold(got); u != tc.in+"\r\n" {
			t.Errorf("unfolds to %q, want %q", u, tc.in)
		}
	}
}

func TestICSText(t *testing.T) {
	for in, want := range map[string]string{
		`Crown Court, 1 Street; Town`: `Crown Court\, 1 Street\; Town`,
		`a\b`:                         `a\\b`,
		"line one\nline two":          `line one\nline two`,
		"line one\r\nline two":        `line one\nline two`,
		"bell\x07":                    "bell",
		"Llys y Goron Abertawe":       "Llys y Goron Abertawe",
	} {
		if got := icsText(in); got != want {
			t.Errorf("icsText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCalendarICS(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	at := func(s string) throughline.When {
		var w throughline.When
		if err := w.UnmarshalJSON([]byte(`"` + s + `"`)); err != nil {
			t.Fatal(err)
		}
		return w
	}
	c := &throughline.Case{Ref: "REF-1", Hearings: []throughline.Hearing{
		{ID: "h1", Kind: "ptph", Court: "swansea", StartsAt: at("2026-05-11T10:00:00+01:00"), Status: "listed", Listing: "fixture"},
		{ID: "h2", Kind: "trial", Court: "swansea", StartsAt: at("2026-06-17T10:00:00+01:00"), Status: "listed", Listing: "warned", Moves: 2},
		{ID: "h3", Kind: "sentence", Court: "Llys y Goron Caerdydd, Plas Tŵr Gwyn; Parc Cathays, Caerdydd CF10 3PG (Welsh: ŵŷ)", StartsAt: at("2026-07-01"), Status: "listed", Listing: "fixture"},
		{ID: "h0", Kind: "ptph", Court: "swansea", StartsAt: at("2026-04-01T10:00:00+01:00"), Status: "listed"}, // past
	}}
	for _, lang := range []string{"en", "cy"} {
		ics := calendarICS(c, lang, now, comms.Directory{})
		checkICS(t, ics)
		u := unfold(ics)
		if n := strings.Count(u, "BEGIN:VEVENT\r\n"); n != 3 {
			t.Errorf("%s: %d events, want 3:\n%s", lang, n, u)
		}
		for _, want := range []string{
			"DTSTART;TZID=Europe/London:20260511T100000\r\n",
			// warned: all-day, Monday 15 to Friday 19 June (DTEND exclusive)
			"DTSTART;VALUE=DATE:20260615\r\nDTEND;VALUE=DATE:20260620\r\nTRANSP:TRANSPARENT\r\n",
			"SEQUENCE:2\r\n",
			"DTSTART;VALUE=DATE:20260701\r\nDTEND;VALUE=DATE:20260702\r\n",
			"DTSTAMP:20260501T120000Z\r\n",
			"BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n",
			`LOCATION:Llys y Goron Caerdydd\, Plas Tŵr Gwyn\; Parc Cathays\, Caerdydd CF10 3PG (Welsh: ŵŷ)` + "\r\n",
		} {
			if !strings.Contains(u, want) {
				t.Errorf("%s: no %q in\n%s", lang, want, u)
			}
		}
		if strings.Contains(u, "20260617T") || strings.Contains(u, "REF-1") {
			t.Errorf("%s: a warned trial at a time, or the case reference in the calendar:\n%s", lang, u)
		}
	}
	// ical.js reads each back: the values as written, before escaping and
	// folding; the warned trial all-day; the timed one in London's zone.
	en, cy := calendarICS(c, "en", now, swanseaAddress), calendarICS(c, "cy", now, swanseaAddress)
	c2 := *c
	c2.Hearings = c.Hearings[3:]
	empty := calendarICS(&c2, "en", now, comms.Directory{})
	got := validatortest.ICal(t, en, cy, empty)
	if len(got[0]) != 3 || len(got[1]) != 3 || len(got[2]) != 0 {
		t.Fatalf("ical.js read %d, %d and %d events, want 3, 3 and 0", len(got[0]), len(got[1]), len(got[2]))
	}
	pth, trial, sentence := got[0][0], got[0][1], got[0][2]
	if pth.AllDay || pth.Start != "2026-05-11T10:00:00" || pth.StartZone != "Europe/London" || pth.Location != "Swansea Crown Court, 1 Example Street, Swansea, SA1 0AA" {
		t.Errorf("timed hearing: %+v", pth)
	}
	if !trial.AllDay || trial.Start != "2026-06-15" || trial.End != "2026-06-20" || trial.Sequence != 2 ||
		!strings.Contains(trial.Description, "The day and time are not fixed yet") || !strings.Contains(trial.Description, "Monday 15 June 2026") {
		t.Errorf("warned trial: %+v", trial)
	}
	if !strings.Contains(got[1][1].Description, "Nid yw'r diwrnod na'r amser wedi'u pennu eto") {
		t.Errorf("Welsh warned trial: %+v", got[1][1])
	}
	if !sentence.AllDay || sentence.Location != c.Hearings[2].Court {
		t.Errorf("all-day hearing, or its location does not read back: %+v", sentence)
	}

	// Nothing to come: still a calendar with a component, and no event.
	c.Hearings = c.Hearings[3:]
	ics := calendarICS(c, "en", now, comms.Directory{})
	checkICS(t, ics)
	if strings.Contains(ics, "VEVENT") || !strings.Contains(ics, "BEGIN:VTIMEZONE") || !strings.Contains(unfold(ics), "X-WR-CALDESC:There are no court dates in your case yet.") {
		t.Errorf("empty calendar:\n%s", ics)
	}
}
