package page

import (
	"bytes"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// requireAll reports whether a missing dependency must fail the test (CI,
// make test) rather than leave part of it out.
func requireAll() bool {
	return os.Getenv("THROUGHLINE_REQUIRE_ALL") != "" || os.Getenv("CI") != ""
}

// fixtures reads govuk-frontend's fixtures of a component, from the
// node_modules that `make assets` installs.
func fixtures(t *testing.T, component string) []fixture {
	t.Helper()
	path := filepath.Join("..", "..", "node_modules", "govuk-frontend", "dist", "govuk", "components", component, "fixtures.json")
	b, err := os.ReadFile(path)
	if err != nil {
		if requireAll() {
			t.Fatalf("%v: run `make assets` (npm ci) first", err)
		}
		t.Skipf("fixtures missing: %v (make assets installs them; CI=true or THROUGHLINE_REQUIRE_ALL=1 fails instead)", err)
	}
	var f struct {
		Fixtures []fixture `json:"fixtures"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Fixtures
}

type fixture struct {
	Name    string          `json:"name"`
	Options json.RawMessage `json:"options"`
	HTML    string          `json:"html"`
	Hidden  bool            `json:"hidden"`
}

var (
	wsRE       = regexp.MustCompile(`\s+`)
	aroundTags = regexp.MustCompile(`\s*(<[^>]+>)\s*`)
)

// normalise makes two HTML fragments comparable: entities decoded,
// whitespace collapsed, and whitespace next to tags dropped.
func normalise(s string) string {
	s = html.UnescapeString(s)
	s = wsRE.ReplaceAllString(s, " ")
	s = aroundTags.ReplaceAllString(s, "$1")
	return strings.TrimSpace(s)
}

// Our typed components render the same HTML as govuk-frontend's own
// Nunjucks macros, for every fixture whose options our view models hold.
func TestComponentsMatchGOVUKFixtures(t *testing.T) {
	cases := []struct {
		component string
		template  string
		model     func() any
		must      []string // fixtures that must be among those compared
	}{
		{"button", "govukButton", func() any { return &Button{} }, []string{"default", "secondary", "warning", "link", "name", "type", "value", "id", "classes", "start", "disabled", "don't prevent double click"}},
		{"input", "govukInput", func() any { return &Input{} }, []string{"default", "with hint text", "with error message", "with error and hint", "with width-2 class", "value", "with label as page heading", "inputmode", "with autocomplete attribute", "with spellcheck disabled"}},
		{"error-summary", "govukErrorSummary", func() any { return &ErrorSummary{} }, []string{"default", "without links", "with everything", "mixed with and without links", "autofocus disabled"}},
		{"summary-list", "govukSummaryList", func() any { return &SummaryList{} }, []string{"default", "with actions", "as a summary card with a text header", "as a summary card with actions", "with some actions", "no-border"}},
		{"tag", "govukTag", func() any { return &Tag{} }, []string{"default", "grey", "red", "green"}},
		{"textarea", "govukTextarea", func() any { return &Textarea{} }, []string{"default", "with error message"}},
	}
	for _, c := range cases {
		t.Run(c.component, func(t *testing.T) {
			fs := fixtures(t, c.component)
			compared := map[string]bool{}
			for _, f := range fs {
				m := c.model()
				dec := json.NewDecoder(bytes.NewReader(f.Options))
				dec.DisallowUnknownFields()
				if err := dec.Decode(m); err != nil {
					continue // an option our view model does not have
				}
				got, err := Component(c.template, m)
				if err != nil {
					t.Errorf("%s: %v", f.Name, err)
					continue
				}
				compared[f.Name] = true
				if normalise(got) != normalise(f.HTML) {
					t.Errorf("fixture %q differs:\n got: %s\nwant: %s", f.Name, normalise(got), normalise(f.HTML))
				}
			}
			for _, name := range c.must {
				if !compared[name] {
					t.Errorf("fixture %q was not compared", name)
				}
			}
			t.Logf("%s: %d of %d fixtures compared", c.component, len(compared), len(fs))
		})
	}
}
