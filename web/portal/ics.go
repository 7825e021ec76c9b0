package portal

import (
	"strings"
	"unicode/utf8"
)

// An iCalendar (RFC 5545) writer: just the content-line rules the portal's
// calendar needs, so that every line it writes is well formed whatever text
// goes into it.
//
//   - Every line ends in CRLF (§3.1).
//   - A line longer than 75 octets is folded: CRLF and one space before the
//     octet that would be the 76th, never inside a UTF-8 sequence (§3.1:
//     "SHOULD NOT be longer than 75 octets, excluding the line break"; a
//     continuation line's leading space counts towards its 75).
//   - TEXT values escape backslash, semicolon, comma and newline (§3.3.11).

// icsMaxLine is the longest content line, in octets, before the line break.
const icsMaxLine = 75

// icsWriter accumulates an iCalendar object.
type icsWriter struct {
	b strings.Builder
}

// line writes one content line, folded, as given: the caller escapes TEXT
// values (icsText) and leaves other values, which have no characters to
// escape, alone.
func (w *icsWriter) line(name, value string) {
	w.b.WriteString(icsFold(name + ":" + value))
}

// text writes a property whose value is TEXT, escaped.
func (w *icsWriter) text(name, value string) {
	w.line(name, icsText(value))
}

func (w *icsWriter) String() string { return w.b.String() }

// icsText escapes a TEXT value (RFC 5545 §3.3.11). A CR is dropped: a
// newline in a value is written \n whatever the source's line endings.
func icsText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			if r < 0x20 && r != '\t' || r == 0x7f {
				continue // control characters are not allowed in TEXT
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// icsFold folds one unfolded content line at 75 octets on UTF-8 character
// boundaries and ends it, and each continuation, with CRLF.
func icsFold(l string) string {
	var b strings.Builder
	n := 0 // octets written to the current physical line
	for _, r := range l {
		size := utf8.RuneLen(r)
		if size < 0 { // invalid UTF-8 is written as U+FFFD
			size = utf8.RuneLen(utf8.RuneError)
		}
		if n+size > icsMaxLine {
			b.WriteString("\r\n ")
			n = 1 // the leading space
		}
		b.WriteRune(r)
		n += size
	}
	b.WriteString("\r\n")
	return b.String()
}
