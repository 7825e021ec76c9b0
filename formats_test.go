package throughline_test

import (
	"strings"
	"testing"

	"throughline"
)

// Her letters are in large print when she asked for large print or for
// easy read; not otherwise, nor with no preferences recorded.
func TestLargePrintLetters(t *testing.T) {
	for formats, want := range map[string]bool{"": false, "braille": false, "large_print": true, "easy_read": true, "audio,easy_read": true} {
		p := &throughline.ContactPreferencesSet{Formats: strings.FieldsFunc(formats, func(r rune) bool { return r == ',' })}
		if p.LargePrint() != want {
			t.Errorf("formats %q: large print %v", formats, !want)
		}
	}
	if (*throughline.ContactPreferencesSet)(nil).LargePrint() {
		t.Error("large print with no preferences recorded")
	}
}
