package staff

import (
	"testing"

	"throughline"
	"throughline/web/page"
)

// A byline names the organisation once: after a bare name, and not again
// after a name that already says it.
func TestBylineNamesTheOrganisationOnce(t *testing.T) {
	who := map[string]string{"u1": "Priya Shah", "u2": "Tom Hughes (DS, West Yorkshire Police)"}
	for actor, want := range map[string]string{
		"u1": "Priya Shah (West Yorkshire Police)",
		"u2": "Tom Hughes (DS, West Yorkshire Police)",
	} {
		if got := byline(throughline.Event{Actor: actor, Agency: "police:13"}, who, page.Names{}); got != want {
			t.Errorf("%s: byline %q, want %q", actor, got, want)
		}
	}
}
