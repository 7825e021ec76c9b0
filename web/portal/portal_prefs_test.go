package portal

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"throughline"
)

// Her safe times as days and hours were taken by staff from her words:
// saved from the portal with the same words they stay; with new words
// they go, as they no longer say what she asked.
func TestNewWordsDropSafeWindows(t *testing.T) {
	windows := []throughline.SafeWindow{{Days: []string{"mon", "tue", "wed", "thu", "fri"}, From: "18:00", To: "21:00"}}
	cp := &throughline.Complainant{ComplainantRecord: throughline.ComplainantRecord{ID: "C1"},
		Preferences: &throughline.ContactPreferencesSet{ComplainantID: "C1", Channels: []string{"phone"}, Mobile: "07700900111", SafeTimes: "weekdays after 6pm", SafeWindows: windows}}
	for words, keep := range map[string]bool{"weekdays after 6pm": true, "only Saturday mornings now": false} {
		form := url.Values{"first": {"phone"}, "mobile": {"07700900111"}, "safe_times": {words}, "language": {"en"}, "every": {"28"}}
		r := httptest.NewRequest("POST", "/victim/preferences", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			t.Fatal(err)
		}
		if d := prefsFromForm(r, cp); (len(d.SafeWindows) > 0) != keep {
			t.Errorf("safe times %q: windows %v, want kept %v", words, d.SafeWindows, keep)
		}
	}
}
