package comms

import "testing"

// The kinds of data read as a list does, with Welsh's mutations after "a".
func TestJoinWords(t *testing.T) {
	for _, tc := range []struct {
		lang string
		ws   []string
		want string
	}{
		{"en", []string{"messages"}, "messages"},
		{"en", []string{"messages", "your contacts", "social media"}, "messages, your contacts and social media"},
		{"cy", []string{"negeseuon", "cyfryngau cymdeithasol"}, "negeseuon a chyfryngau cymdeithasol"},
		{"cy", []string{"negeseuon", "y rhestr o'ch galwadau"}, "negeseuon a'r rhestr o'ch galwadau"},
		{"cy", []string{"negeseuon", "eich cysylltiadau"}, "negeseuon a'ch cysylltiadau"},
		{"cy", []string{"negeseuon", "ar-lein"}, "negeseuon ac ar-lein"},
		{"cy", []string{"negeseuon", "lluniau a fideos", "gwybodaeth arall"}, "negeseuon, lluniau a fideos a gwybodaeth arall"},
	} {
		if got := joinWords(tc.lang, tc.ws); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.lang, tc.ws, got, tc.want)
		}
	}
}
