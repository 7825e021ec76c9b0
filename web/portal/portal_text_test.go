package portal

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"

	"throughline/comms"
)

// Every word a portal page asks for is there in English and in Welsh: a
// missing one would render as nothing, silently.
func TestEveryPortalTextInBothLanguages(t *testing.T) {
	keyRE := regexp.MustCompile(`\.T\.([a-z0-9_]+)`)
	seen := map[string]bool{}
	err := fs.WalkDir(portalFS, "portal_templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(portalFS, path)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			seen[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 50 {
		t.Fatalf("found only %d keys: the pattern is wrong", len(seen))
	}
	for k := range seen {
		for _, lang := range []string{"en", "cy"} {
			if portalText[lang][k] == "" {
				t.Errorf("%s has no %q", lang, k)
			}
		}
	}
	for k := range portalText["en"] {
		if portalText["cy"][k] == "" {
			t.Errorf("cy has no %q", k)
		}
	}
}

// The words of her Victim Personal Statement and review pages, and of the
// formats she can ask for, are held to the messages' plain-language limits
// (ADR 0202), in both languages, with a date and a name where the page puts
// them.
func TestStatementReviewAndFormatWordsArePlain(t *testing.T) {
	for _, lang := range []string{"en", "cy"} {
		for _, prefix := range []string{"statement_", "review_", "format"} {
			var body []string
			for k, v := range portalText[lang] {
				if strings.HasPrefix(k, prefix) {
					body = append(body, strings.TrimRight(strings.ReplaceAll(strings.ReplaceAll(v, "%d", "10000"), "%s", "Friday 14 March 2025"), ".")+".")
				}
			}
			sort.Strings(body)
			text := strings.Join(body, "\n")
			if r := comms.Measure(lang, text, "Friday 14 March 2025"); !r.OK() {
				t.Errorf("%s %s: too long %q; unexplained %v; flesch %.1f; mean word %.2f, longest %q", lang, prefix, r.TooLong, r.Unexplained, r.Flesch, r.MeanWordLen, r.LongWord)
			}
		}
	}
}
