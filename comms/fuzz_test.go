package comms_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"throughline"
	"throughline/comms"
)

// Messages built from hostile data — a name, a contact's team and number
// typed by whoever recorded them — come out whole: the names as plain data
// (a name that looks like a template action is printed, not run), no control
// character but the line breaks the templates write, and a subject line that
// is the neutral lock-screen sentence, never the name.
func FuzzComposeHostileNames(f *testing.F) {
	for _, s := range []string{"Amelia Hart", "{{.Ref}}", "<script>alert(1)</script>", "Ŵyn ap Siôn", "\u202eevil", "a\x1b[31mred", "%s%d%n", strings.Repeat("x", 200)} {
		f.Add(s, "West Yorkshire Witness Care Unit", "0113 496 0000", "en")
		f.Add(s, s, s, "cy")
	}
	f.Fuzz(func(t *testing.T, name, team, phone, lang string) {
		if lang != "cy" {
			lang = "en"
		}
		str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		lines := append(append([]string(nil), toCharge...),
			`{"type":"named_contact_changed","occurred_at":"2024-11-13","data":{"complainant_id":"C1","name":`+str(name)+`,"team":`+str(team)+`,"phone":`+str(phone)+`}}`,
			charged)
		c := foldOrSkip(t, lang, lines...)
		if c == nil {
			return // the record refused the data: nothing is sent
		}
		for _, kind := range []string{comms.KindCharge, comms.KindContactChanged} {
			m, err := comms.Compose(c, comms.Request{Complainant: "C1", Kind: kind, Subject: "defendant:D1", About: "charged"}, now)
			if err != nil {
				continue
			}
			if m.Subject != comms.LockScreen[lang] {
				t.Fatalf("subject %q is not the lock-screen sentence", m.Subject)
			}
			for _, r := range m.Body {
				if unicode.IsControl(r) && r != '\n' {
					t.Fatalf("control character %U in the message:\n%q", r, m.Body)
				}
			}
			if strings.Contains(m.Body, "<no value>") {
				t.Fatalf("unfilled placeholder:\n%s", m.Body)
			}
		}
	})
}

// foldOrSkip is fold for fuzzing: nil when the record refuses a line, as a
// live append would.
func foldOrSkip(t *testing.T, lang string, lines ...string) (c *throughline.Case) {
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("folding panicked: %v", r)
		}
	}()
	opened := `{"case":"13RS0000101/24","type":"case_opened","occurred_at":"2024-01-15","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Amelia Hart","language":"` + lang + `"}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}}`
	c = &throughline.Case{}
	for _, l := range append([]string{opened}, lines...) {
		if !strings.HasPrefix(l, `{"case"`) {
			l = `{"case":"13RS0000101/24",` + l[1:]
		}
		e, err := throughline.ParseEvent([]byte(l))
		if err != nil {
			return nil
		}
		if e.RecordedAt.IsZero() {
			e.RecordedAt = e.OccurredAt
		}
		evs, err := throughline.Decide(c, e)
		if err != nil {
			return nil
		}
		for _, ev := range evs {
			ev.Version = c.Version + 1
			c.Apply(ev)
		}
	}
	return c
}
