package throughline

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on text. Every string of every event payload is checked by
// checkTexts (by reflection over the payload, so a new field is covered
// without a line of code): at most its rule's length in characters, valid
// UTF-8, and no control or bidirectional-formatting character, except line
// breaks in the free-text fields. docs/security.md (Input at the edge) lists them.
type TextRule struct {
	Max       int  // characters (runes)
	Multiline bool // line breaks (LF or CRLF) and tabs allowed
}

// DefaultText is the rule for a payload string not named in TextRules: a
// name, a court, an identifier, an enumeration.
var DefaultText = TextRule{Max: 200}

// FreeText is the rule for a written update to a victim.
var FreeText = TextRule{Max: 2000, Multiline: true}

// TextRules are the payload fields, by JSON name, with a rule of their own.
var TextRules = map[string]TextRule{
	"name":        {Max: 200},
	"email":       {Max: 254},
	"mobile":      {Max: 32},
	"phone":       {Max: 32},
	"address":     {Max: 500, Multiline: true},
	"description": {Max: 2000, Multiline: true},
	"reason":      {Max: 2000, Multiline: true},
	"comment":     {Max: 2000, Multiline: true},
	"note":        {Max: 2000, Multiline: true},
	"handover":    {Max: 4000, Multiline: true},
	"decisions":   {Max: 4000, Multiline: true},
	// A victim information request's answers to the Act (ADR 0400), and
	// the prosecutor's view of it: reasons, not names.
	"holder_belief":   {Max: 2000, Multiline: true},
	"line_of_enquiry": {Max: 2000, Multiline: true},
	"necessity":       {Max: 2000, Multiline: true},
	"probative_value": {Max: 2000, Multiline: true},
	"handling":        {Max: 2000, Multiline: true},
	"view":            {Max: 4000, Multiline: true},
}

// TextRuleFor returns the rule of a payload field.
func TextRuleFor(field string) TextRule {
	if r, ok := TextRules[field]; ok {
		return r
	}
	return DefaultText
}

// CheckText returns what is wrong with s under rule r, or "".
func CheckText(s string, r TextRule) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	if n := utf8.RuneCountInString(s); n > r.Max {
		return fmt.Sprintf("must be at most %d characters (it has %d)", r.Max, n)
	}
	for i, c := range s {
		switch {
		case c == '\n' || c == '\t':
			if !r.Multiline {
				return "must be on one line"
			}
		case c == '\r':
			if !r.Multiline {
				return "must be on one line"
			}
			if !strings.HasPrefix(s[i:], "\r\n") {
				return "contains a carriage return that does not end a line"
			}
		case Unsafe(c):
			return fmt.Sprintf("contains the control or formatting character U+%04X at character %d", c, utf8.RuneCountInString(s[:i])+1)
		}
	}
	return ""
}

// Unsafe reports whether c is a character no stored text may hold (line
// breaks and tabs aside, which CheckText allows in free text): the C0 and
// C1 controls and DEL, which reach a terminal as escape sequences; the
// Unicode line and paragraph separators; the bidirectional embeddings,
// overrides and isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E,
// U+200F, U+061C), which make text read differently from what it holds;
// the byte-order mark; and the replacement character, which stands for
// bytes that were not text.
func Unsafe(c rune) bool {
	switch {
	case c < 0x20, c >= 0x7f && c <= 0x9f:
		return true
	case c == 0x2028, c == 0x2029, c >= 0x202a && c <= 0x202e, c >= 0x2066 && c <= 0x2069:
		return true
	case c == 0x200e, c == 0x200f, c == 0x061c, c == 0xfeff, c == utf8.RuneError:
		return true
	}
	return false
}

// TerminalSafe returns s with every unsafe character (and line breaks and
// tabs) written as a visible escape, \x1b or \u202e, for printing to a
// terminal: stored text never reaches one as control sequences.
func TerminalSafe(s string) string {
	if !strings.ContainsFunc(s, func(c rune) bool { return Unsafe(c) || c == '\n' || c == '\r' || c == '\t' || c == '\\' }) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case c == '\\':
			b.WriteString(`\\`)
		case c < 0x80 && (Unsafe(c) || c == '\n' || c == '\r' || c == '\t'):
			fmt.Fprintf(&b, `\x%02x`, c)
		case Unsafe(c):
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteRune(c)
		}
		i += n
	}
	return b.String()
}

// checkTexts checks every string of a payload against its field's rule.
func checkTexts(fe *fieldErrors, v reflect.Value, path, name string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			checkTexts(fe, v.Elem(), path, name)
		}
	case reflect.String:
		if msg := CheckText(v.String(), TextRuleFor(name)); msg != "" {
			fe.add(path, "%s", msg)
		}
	case reflect.Slice:
		for i := range v.Len() {
			checkTexts(fe, v.Index(i), path+"["+strconv.Itoa(i)+"]", name)
		}
	case reflect.Struct:
		for _, f := range jsonFields(v.Type()) {
			fv := v.Field(f.index)
			if fv.Kind() == reflect.String { // most fields: checked here, the path made only for a fault
				if msg := CheckText(fv.String(), TextRuleFor(f.name)); msg != "" {
					fe.add(joinPath(path, f.name), "%s", msg)
				}
				continue
			}
			checkTexts(fe, fv, joinPath(path, f.name), f.name)
		}
	}
}

// joinPath is the path of field name inside path ("" at the top).
func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
