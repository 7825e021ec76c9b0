package page

import (
	"net/url"
	"strings"
	"unicode"
)

// SafeNext returns where to go after signing in, as a path on this site
// rebuilt from its parsed parts, or "" if raw is not plainly one.
//
// Browsers are lenient where servers are strict: they drop tabs and
// newlines from a URL, read a backslash as a slash, and take "//host" or
// "/\host" as another site. So raw is refused unless it parses as a URL with
// no scheme, host or user, its path starts with exactly one "/", and
// neither raw nor its decoded path holds a control character, a backslash,
// a space, "//" or a dot segment. What is returned is re-encoded from the
// parsed path and query (the fragment is dropped), never raw itself.
func SafeNext(raw string) string {
	if raw == "" || len(raw) > 2048 || !strings.HasPrefix(raw, "/") || unsafeIn(raw) {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") || unsafeIn(p) || unsafeIn(u.RawQuery) || strings.Contains(p, "//") {
		return ""
	}
	// No dot segments: cleaning them can make "//", and a real address
	// never has them.
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return ""
		}
	}
	out := u.EscapedPath()
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") {
		return ""
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return ""
		}
		out += "?" + q.Encode()
	}
	return out
}

// unsafeIn reports whether s holds a control character, a format
// character (such as U+202E), a backslash, a space or invalid UTF-8,
// whether literal or percent-encoded (at any depth).
func unsafeIn(s string) bool {
	if strings.Contains(s, "%") {
		if d, err := url.PathUnescape(s); err != nil || (d != s && unsafeIn(d)) {
			return true
		}
	}
	for _, r := range s {
		if r == '\\' || r == unicode.ReplacementChar || unicode.IsControl(r) || unicode.IsSpace(r) ||
			unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}
