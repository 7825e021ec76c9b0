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
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
	t.Logf("Nu HTML Checker (vnu-jar %s) over %d pages", Version(t, "vnu-jar"), len(files))
	out := Run(t, java, append([]string{"-jar", jar, "--format", "gnu", "--also-check-css", "--also-check-svg"}, files...)...)
	if strings.TrimSpace(out) != "" {
		t.Logf("vnu:\n%s", out)
	}
}
