// Package validatortest runs the independent validators that check
// Throughline's outputs against their standards in the tests: the Nu HTML
// Checker (vnu-jar), Redocly CLI and Spectral for the OpenAPI document, and
// ical.js for the calendar. They are npm packages (package.json
// devDependencies, installed by scripts/assets.sh with npm ci); the Nu
// checker runs on Java (Debian's default-jre-headless, installed by
// scripts/test.sh). A validator that is missing fails the test under
// CI=true or THROUGHLINE_REQUIRE_ALL=1 (as make test sets) and skips it
// otherwise: it never passes unrun.
package validatortest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// RequireAll reports whether a missing validator fails rather than skips.
func RequireAll() bool {
	return os.Getenv("THROUGHLINE_REQUIRE_ALL") != "" || os.Getenv("CI") != ""
}

// Missing fails (RequireAll) or skips the test for a validator not installed.
func Missing(t testing.TB, what string) {
	t.Helper()
	if RequireAll() {
		t.Fatalf("validator missing: %s (scripts/test.sh installs it)", what)
	}
	t.Skipf("validator missing: %s (make test installs it; CI=true or THROUGHLINE_REQUIRE_ALL=1 fails instead)", what)
}

// Root is the module's root directory, where package.json and node_modules
// are.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = up
	}
}

// Node is the path of node, or Missing.
func Node(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		Missing(t, "node (Debian's nodejs)")
	}
	return p
}

// Bin is the path of an npm package's command in node_modules/.bin, or
// Missing.
func Bin(t testing.TB, name string) string {
	t.Helper()
	Node(t)
	p := filepath.Join(Root(t), "node_modules", ".bin", name)
	if _, err := os.Stat(p); err != nil {
		Missing(t, name+" (npm devDependency: bash scripts/assets.sh)")
	}
	return p
}

// Module is the directory of an npm package in node_modules, or Missing.
func Module(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(Root(t), "node_modules", name)
	if _, err := os.Stat(filepath.Join(p, "package.json")); err != nil {
		Missing(t, name+" (npm devDependency: bash scripts/assets.sh)")
	}
	return p
}

// Version is an npm package's version, for the test log.
func Version(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Module(t, name), "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, v, _ := strings.Cut(string(b), `"version": "`)
	v, _, _ = strings.Cut(v, `"`)
	return v
}

// Run runs a validator in the module's root and returns its combined
// output, failing the test if it exits non-zero (every validator here exits
// non-zero on an error in what it checks).
func Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = Root(t)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Errorf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// HaveVNU reports whether the Nu HTML Checker can run: vnu.jar from npm
// and java.
func HaveVNU(t testing.TB) bool {
	t.Helper()
	if _, err := exec.LookPath("java"); err != nil {
		return false
	}
	_, err := os.Stat(filepath.Join(Root(t), "node_modules", "vnu-jar", "build", "dist", "vnu.jar"))
	return err == nil
}

// VNU runs the Nu HTML Checker over HTML files and fails the test on any
// error it reports (warnings are logged). It needs Java.
func VNU(t testing.TB, files ...string) {
	t.Helper()
	java, err := exec.LookPath("java")
	if err != nil {
		Missing(t, "java (Debian's default-jre-headless)")
	}
	jar := filepath.Join(Module(t, "vnu-jar"), "build", "dist", "vnu.jar")
	if _, err := os.Stat(jar); err != nil {
		Missing(t, "vnu.jar (npm vnu-jar)")
	}
	if len(files) == 0 {
		t.Fatal("vnu: no pages to check")
	}
	cmd := exec.Command(java, append([]string{"-jar", jar, "--format", "gnu", "--also-check-css", "--also-check-svg"}, files...)...)
	out, err := cmd.CombinedOutput()
	var errs, warnings []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		switch {
		case l == "":
		case strings.Contains(l, ": info warning:") || strings.Contains(l, ": info:"):
			warnings = append(warnings, l)
		default: // errors, fatal errors, and anything else vnu says
			errs = append(errs, l)
		}
	}
	t.Logf("Nu HTML Checker (vnu-jar %s) over %d pages: %d errors, %d warnings (not failures)", Version(t, "vnu-jar"), len(files), len(errs), len(warnings))
	if err != nil || len(errs) > 0 {
		t.Errorf("Nu HTML Checker: %v\n%s", err, strings.Join(errs, "\n"))
	}
}

// An ICalEvent is a VEVENT as ical.js read it back: TEXT values unescaped
// and unfolded, start and end as ical.js prints them (a date, or a local
// date-time with its TZID resolved by the calendar's VTIMEZONE).
type ICalEvent struct {
	UID, Summary, Location, Description string
	Start, End, StartZone               string
	AllDay                              bool
	Sequence                            int
}

// icalScript parses each file with ical.js (throwing on a syntax error),
// registers the calendar's time zones, checks what RFC 5545 requires that
// ical.js does not (VERSION and PRODID once, at least one component, UID,
// DTSTAMP and DTSTART in every VEVENT, a TZID that names a VTIMEZONE) and
// prints the events as JSON, one calendar a line.
const icalScript = `
import ICAL from %q;
import { readFileSync } from "node:fs";
const fail = (f, m) => { console.error(f + ": " + m); process.exitCode = 1; };
for (const f of process.argv.slice(2)) {
  let cal;
  try { cal = new ICAL.Component(ICAL.parse(readFileSync(f, "utf8"))); } catch (e) { fail(f, "ical.js: " + e.message); console.log("[]"); continue; }
  if (cal.name !== "vcalendar") fail(f, "not a VCALENDAR: " + cal.name);
  for (const p of ["version", "prodid"]) if (cal.getAllProperties(p).length !== 1) fail(f, p + " must appear once");
  if (cal.getFirstPropertyValue("version") !== "2.0") fail(f, "VERSION is not 2.0");
  if (cal.getAllSubcomponents().length === 0) fail(f, "no component (RFC 5545 §3.6 needs one)");
  const zones = new Set();
  for (const z of cal.getAllSubcomponents("vtimezone")) { const tz = new ICAL.Timezone(z); ICAL.TimezoneService.register(tz); zones.add(tz.tzid); }
  const out = [];
  for (const c of cal.getAllSubcomponents("vevent")) {
    for (const p of ["uid", "dtstamp", "dtstart"]) if (c.getAllProperties(p).length !== 1) fail(f, "VEVENT without exactly one " + p);
    const tzid = c.getFirstProperty("dtstart").getParameter("tzid");
    if (tzid && !zones.has(tzid)) fail(f, "DTSTART names TZID " + tzid + " with no VTIMEZONE");
    const e = new ICAL.Event(c);
    out.push({UID: e.uid, Summary: e.summary, Location: e.location || "", Description: e.description || "",
      Start: e.startDate.toString(), End: e.endDate ? e.endDate.toString() : "", StartZone: e.startDate.zone ? e.startDate.zone.tzid : "",
      AllDay: e.startDate.isDate, Sequence: e.sequence || 0});
  }
  console.log(JSON.stringify(out));
}
`

// ICal parses each iCalendar object with ical.js and returns its events;
// a calendar ical.js refuses, or one without what RFC 5545 requires, fails
// the test. It also checks the octets: CRLF line ends only, no line over 75
// octets, no fold inside a UTF-8 character.
func ICal(t testing.TB, calendars ...string) [][]ICalEvent {
	t.Helper()
	node := Node(t)
	lib := filepath.Join(Module(t, "ical.js"), "dist", "ical.js")
	dir := t.TempDir()
	script := filepath.Join(dir, "check.mjs")
	if err := os.WriteFile(script, []byte(fmt.Sprintf(icalScript, "file://"+lib)), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{script}
	for i, c := range calendars {
		ICalOctets(t, c)
		f := filepath.Join(dir, fmt.Sprintf("%d.ics", i))
		if err := os.WriteFile(f, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
	}
	cmd := exec.Command(node, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Errorf("ical.js %s: %v\n%s", Version(t, "ical.js"), err, stderr.String())
	}
	var out [][]ICalEvent
	for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var evs []ICalEvent
		if err := json.Unmarshal([]byte(l), &evs); err != nil {
			t.Fatalf("ical.js output %q: %v", l, err)
		}
		out = append(out, evs)
	}
	if len(out) != len(calendars) {
		t.Fatalf("ical.js read %d calendars of %d", len(out), len(calendars))
	}
	return out
}

// ICalOctets checks an iCalendar object's octets (RFC 5545 §3.1): every
// line ends in CRLF and there is no other CR or LF, no line is longer than
// 75 octets, no line is empty, and each is valid UTF-8, so no fold splits a
// character.
func ICalOctets(t testing.TB, ics string) {
	t.Helper()
	if !strings.HasSuffix(ics, "\r\n") {
		t.Errorf("iCalendar does not end in CRLF")
	}
	for i, l := range strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
		switch {
		case strings.ContainsAny(l, "\r\n"):
			t.Errorf("iCalendar line %d: a bare CR or LF: %q", i+1, l)
		case len(l) > 75:
			t.Errorf("iCalendar line %d: %d octets (75 at most): %q", i+1, len(l), l)
		case l == "":
			t.Errorf("iCalendar line %d: empty", i+1)
		case !utf8.ValidString(l):
			t.Errorf("iCalendar line %d: a fold splits a UTF-8 character: %q", i+1, l)
		}
	}
}

// Poppler runs a poppler-utils tool (pdfinfo, pdffonts, pdftotext) over a
// PDF — "%pdf" in args stands for its file — and returns what it prints. A
// complaint on standard error fails the test too: poppler reports a damaged
// file (a wrong cross-reference table, say) there and carries on.
func Poppler(t testing.TB, pdf []byte, tool string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath(tool)
	if err != nil {
		Missing(t, tool+" (Debian's poppler-utils)")
	}
	if len(pdf) == 0 {
		t.Fatal("no PDF to read")
	}
	f := filepath.Join(t.TempDir(), "document.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	argv := make([]string, len(args))
	for i, a := range args {
		if a == "%pdf" {
			a = f
		}
		argv[i] = a
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, argv...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("%s complains of the PDF: %s", tool, stderr.String())
	}
	return string(out)
}

// PDFFonts checks pdffonts' table of a PDF: every font embedded, a subset,
// named with the six-letter tag ISO 32000-1 §9.6.4 requires, and with a
// Unicode map (so that its text can be copied and read aloud). It returns
// the faces' PostScript names, untagged.
func PDFFonts(t testing.TB, table string) map[string]bool {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[1], "---") {
		t.Fatalf("pdffonts: no fonts listed:\n%s", table)
	}
	faces := map[string]bool{}
	for _, l := range lines[2:] {
		// name, type (two words: "CID TrueType"), encoding, emb, sub, uni, object, generation
		f := strings.Fields(l)
		if len(f) < 8 {
			t.Errorf("pdffonts: cannot read %q", l)
			continue
		}
		name, emb, sub, uni := f[0], f[len(f)-5], f[len(f)-4], f[len(f)-3]
		if emb != "yes" || sub != "yes" || uni != "yes" {
			t.Errorf("pdffonts: %s has emb %s, sub %s, uni %s; want yes, yes, yes", name, emb, sub, uni)
		}
		tag, face, ok := strings.Cut(name, "+")
		if !ok || len(tag) != 6 || strings.ToUpper(tag) != tag || strings.ContainsAny(tag, "0123456789") {
			t.Errorf("pdffonts: %q has no subset tag", name)
			continue
		}
		faces[face] = true
	}
	return faces
}
