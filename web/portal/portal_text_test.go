package portal

import (
	"io/fs"
	"regexp"
	"testing"
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
