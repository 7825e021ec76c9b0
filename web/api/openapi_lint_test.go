package api

import (
	"os"
	"path/filepath"
	"testing"

	"throughline/internal/validatortest"
)

// The OpenAPI document, as served (openapi.json with the event payload
// schemas built in), passes Redocly CLI and Spectral with no errors: each
// fails the test on one. (openapi.json alone refers to the payload
// schemas the build adds, so the built document is the one to lint.)
func TestOpenAPILint(t *testing.T) {
	b, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	built := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(built, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("redocly", func(t *testing.T) {
		bin := validatortest.Bin(t, "redocly")
		t.Logf("Redocly CLI %s, recommended rules", validatortest.Version(t, "@redocly/cli"))
		for _, f := range []string{built} {
			t.Log(validatortest.Run(t, bin, "lint", "--format", "stylish", f))
		}
	})
	t.Run("spectral", func(t *testing.T) {
		bin := validatortest.Bin(t, "spectral")
		t.Logf("Spectral %s, spectral:oas rules", validatortest.Version(t, "@stoplight/spectral-cli"))
		ruleset := filepath.Join(t.TempDir(), ".spectral.json")
		if err := os.WriteFile(ruleset, []byte(`{"extends": [["spectral:oas", "recommended"]]}`), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{built} {
			t.Log(validatortest.Run(t, bin, "lint", "--ruleset", ruleset, "--fail-severity", "error", "--format", "text", f))
		}
	})
}
