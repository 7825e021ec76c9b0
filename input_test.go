package throughline_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"throughline"
)

func TestDecodeStrict(t *testing.T) {
	type body struct {
		A string         `json:"a"`
		B map[string]int `json:"b"`
		C []struct {
			D string `json:"d"`
		} `json:"c"`
	}
	for in, field := range map[string]string{
		`{"a":"x"} {"a":"y"}`:                 "",
		`{"a":"x"}x`:                          "",
		`{"a":"x","a":"y"}`:                   "a",
		`{"a":"x","\u0061":"y"}`:              "a",
		`{"b":{"k":1,"k":2}}`:                 "b.k",
		`{"c":[{"d":"1"},{"d":"1","d":"2"}]}`: "c[1].d",
		`{"z":1}`:                             "z",
		"{\"a\":\"\xff\"}":                    "",
		``:                                    "",
		`{"a":`:                               "a",
	} {
		var v body
		err := throughline.DecodeStrict([]byte(in), &v, false)
		te, ok := err.(*throughline.Error)
		if !ok || te.Code != throughline.EINVALID || len(te.Fields) != 1 || te.Fields[0].Field != field {
			t.Errorf("%q: %v, want EINVALID on %q", in, err, field)
		}
	}
	var v body
	if err := throughline.DecodeStrict([]byte(" {\"a\":\"x\",\"c\":[{\"d\":\"1\"},{\"d\":\"1\"}]}\n"), &v, false); err != nil || v.A != "x" {
		t.Errorf("good body: %v %+v", err, v)
	}
	if err := throughline.DecodeStrict([]byte(`{"a":"x","extra":1}`), &v, true); err != nil {
		t.Errorf("unknown field allowed: %v", err)
	}
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	var any []any
	if err := throughline.DecodeStrict([]byte(deep), &any, false); err == nil {
		t.Error("100 levels deep accepted")
	}
}

// FuzzStrictJSON: DecodeStrict never panics; what it accepts, encoding/json
// accepts too, decodes to the same value, and holds no duplicate key
// (re-encoding and decoding again is stable).
func FuzzStrictJSON(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"a":1,"a":2}`, `{"a":{"b":[1,{"c":2,"c":3}]}}`, `{} {}`, `[1,2,3]`, `"x"`, "{\"a\":\"\xff\"}", `{"\u0061":1,"a":2}`, `{"a":1}   `, `nul`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v any
		if err := throughline.DecodeStrict(b, &v, true); err != nil {
			return
		}
		if !utf8.Valid(b) {
			t.Fatalf("accepted invalid UTF-8: %q", b)
		}
		var w any
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatalf("accepted what encoding/json refuses: %q: %v", b, err)
		}
		if !reflect.DeepEqual(v, w) {
			t.Fatalf("decoded differently: %#v vs %#v", v, w)
		}
		again, _ := json.Marshal(v)
		var x any
		if err := throughline.DecodeStrict(again, &x, true); err != nil {
			t.Fatalf("re-encoded value refused: %s: %v", again, err)
		}
	})
}

// The fast scan and the token walk of a body's shape agree on every input:
// the scan decides what is accepted, the walk only names the fault, so a
// difference would let through what the walk refuses (a duplicate key, a
// second value) or refuse a good body with no field to name.
func FuzzShapeScanMatchesWalk(f *testing.F) {
	many := func(n int, dup bool) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, "%q:%d,", fmt.Sprintf("k%d", i), i)
		}
		if dup {
			b.WriteString(`"k3":0,`)
		}
		b.WriteString(`"end":[]}`)
		return b.String()
	}
	for _, s := range []string{`{"a":1}`, `{"a":1,"a":2}`, `{"a":{"b":[1,{"c":2,"c":3}]}}`, `{} {}`, `[1,2,3]`, `"x"`, `{"\u0061":1,"a":2}`,
		`{"a":"\"","b":{"a":1},"a":2}`, `{"a":{"a":{"a":{}}}}`, `{"a\\":1,"a\\":2}`, ` {"x":[{"y":1},{"y":1}]} `, `{"a":1}x`, ``, `nul`,
		many(40, false), many(40, true), many(17, true),
		strings.Repeat("[", 32) + "1" + strings.Repeat("]", 32), strings.Repeat("[", 33) + "1" + strings.Repeat("]", 33),
		strings.Repeat("[", 33) + strings.Repeat("]", 33), strings.Repeat(`{"a":`, 33) + "1" + strings.Repeat("}", 33),
		strings.Repeat(`{"a":`, 32) + "{}" + strings.Repeat("}", 32)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		scan, walk := throughline.ScanShape(b), throughline.WalkShape(b)
		if scan != (walk == nil) {
			t.Fatalf("%q: the scan says %v, the walk %v", b, scan, walk)
		}
	})
}

// Every payload field named like a time is classified (past or future),
// so CheckTimes applies to it.
func TestEveryTimeFieldIsClassified(t *testing.T) {
	for _, typ := range throughline.EventTypes() {
		walkFields(reflect.TypeOf(throughline.NewData(typ)), func(name string) {
			if strings.HasSuffix(name, "_at") || strings.HasSuffix(name, "_on") || strings.Contains(name, "date") || name == "due" {
				if _, ok := throughline.TimeFields[name]; !ok {
					t.Errorf("%s.%s looks like a time but is not in throughline.TimeFields", typ, name)
				}
			}
		})
	}
}

func walkFields(t reflect.Type, f func(name string)) {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		walkFields(t.Elem(), f)
	case reflect.Struct:
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name != "" && name != "-" {
				if t.Field(i).Type.Kind() == reflect.String {
					f(name)
				}
				walkFields(t.Field(i).Type, f)
			}
		}
	}
}

func TestParseWhenYears(t *testing.T) {
	for _, s := range []string{"9999-01-01", "1899-12-31", "0001-01-01T00:00:00Z", "2101-01-01", "2100-12-31T23:30:00-02:00", "1900-01-01T00:30:00+01:00"} {
		if _, err := throughline.ParseWhen(s); err == nil {
			t.Errorf("%s accepted", s)
		}
	}
	for _, s := range []string{"1900-01-01", "2100-12-31", "2024-02-29T10:00:00Z"} {
		if _, err := throughline.ParseWhen(s); err != nil {
			t.Errorf("%s refused: %v", s, err)
		}
	}
}

func TestCheckTimes(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	line := func(occurred string) throughline.Event {
		e, err := throughline.ParseEvent([]byte(`{"case":"13RS1","type":"case_closed","occurred_at":"` + occurred + `","data":{"reason":"done"}}`))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	for occurred, ok := range map[string]bool{"2026-03-01": true, "2026-03-02": false, "2026-03-01T12:04:00Z": true, "2026-03-01T12:06:00Z": false} {
		if err := throughline.CheckTimes(line(occurred), now); (err == nil) != ok {
			t.Errorf("occurred %s: %v", occurred, err)
		}
	}
}

func TestReferenceForm(t *testing.T) {
	for ref, ok := range map[string]bool{"13RS0000001/24": true, "A-1/2": true, "abc": true, "///": false, "---": false, "1//2": false, "-12": false, "12/": false, "ab": false, "13 RS": false} {
		if throughline.ValidReference(ref) != ok {
			t.Errorf("ValidReference(%q) = %t", ref, !ok)
		}
	}
	if got := throughline.NormalizeReference(" 13rs0000001/24\t"); got != "13RS0000001/24" {
		t.Errorf("normalised: %q", got)
	}
	e, err := throughline.ParseEvent([]byte(`{"case":"13rs1","type":"case_closed","occurred_at":"2024-01-01","data":{"reason":"done"}}`))
	if err != nil || e.Case != "13RS1" {
		t.Errorf("parsed reference %q, %v", e.Case, err)
	}
}

func TestTextRules(t *testing.T) {
	for s, ok := range map[string]bool{"Amy Hart": true, "Siân Ó Brien": true, "a\x1bb": false, "a\u202eb": false, "a\rb": false, "a\r\nb": false, strings.Repeat("x", 201): false, "\xff": false} {
		if (throughline.CheckText(s, throughline.DefaultText) == "") != ok {
			t.Errorf("CheckText(%q, default): %q", s, throughline.CheckText(s, throughline.DefaultText))
		}
	}
	for s, ok := range map[string]bool{"line\nline": true, "line\r\nline": true, "a\rb": false, "tab\there": true, "a\x00": false, strings.Repeat("x", 2001): false} {
		if (throughline.CheckText(s, throughline.FreeText) == "") != ok {
			t.Errorf("CheckText(%q, free): %q", s, throughline.CheckText(s, throughline.FreeText))
		}
	}
	if got := throughline.TerminalSafe("Amy\x1b[31m\u202eHart\n\\"); got != `Amy\x1b[31m\u202eHart\x0a\\` {
		t.Errorf("TerminalSafe: %q", got)
	}
}

// A reference is one canonical form whatever is typed: normalising is
// idempotent; a valid reference stays valid once normalised; and a valid
// one is 3–40 characters of capitals, digits, '-' and '/', starting and
// ending with a letter or digit, with no two separators together.
func FuzzReference(f *testing.F) {
	for _, s := range []string{"13RS0000101/24", " 13rs0000101/24 ", "///", "---", "a/b", "13RS//01", "ǅ13", "13RS\u00e9", "x", strings.Repeat("A", 41)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		ref := throughline.NormalizeReference(typed)
		if again := throughline.NormalizeReference(ref); again != ref {
			t.Fatalf("normalising %q twice: %q then %q", typed, ref, again)
		}
		if throughline.ValidReference(typed) && !throughline.ValidReference(ref) {
			t.Fatalf("%q is valid but its canonical form %q is not", typed, ref)
		}
		if !throughline.ValidReference(ref) {
			return
		}
		if len(ref) < 3 || len(ref) > 40 {
			t.Fatalf("valid %q has %d bytes", ref, len(ref))
		}
		for i := 0; i < len(ref); i++ {
			c := ref[i]
			alnum := c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
			sep := c == '-' || c == '/'
			switch {
			case !alnum && !sep:
				t.Fatalf("valid %q holds %q", ref, c)
			case sep && (i == 0 || i == len(ref)-1):
				t.Fatalf("valid %q starts or ends with a separator", ref)
			case sep && (ref[i-1] == '-' || ref[i-1] == '/'):
				t.Fatalf("valid %q has two separators together", ref)
			}
		}
	})
}
