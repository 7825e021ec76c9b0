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

// An event nobody here recorded says where it came from, in words: an
// agency's import, the synthetic data generator's made-up cases, or
// Throughline delivering a message to the victim; never an internal actor
// or agency code.
func TestBylineOfWhatNoPersonRecorded(t *testing.T) {
	n := page.Names{"C1": "Amelia Hart"}
	for _, tc := range []struct {
		e    throughline.Event
		want string
	}{
		{throughline.Event{Actor: "import", Agency: "cps:yorkshire_humberside"}, "CPS Yorkshire and Humberside, imported from its records"},
		{throughline.Event{Actor: "synth", Agency: "synthetic"}, "the synthetic data generator (made-up demonstration data)"},
		{throughline.Event{Actor: "synth", Agency: "police:13"}, "the synthetic data generator (made-up demonstration data)"},
		{throughline.Event{Actor: "throughline:dispatcher", Agency: "throughline", Data: &throughline.VictimInformed{ComplainantID: "C1", About: "charged", Channel: "email"}},
			"Throughline, delivering a message to Amelia Hart"},
		{throughline.Event{Actor: "throughline:notify-receipt", Agency: "throughline", Data: &throughline.VictimInformed{ComplainantID: "C1", About: "charged", Channel: "sms"}},
			"Throughline, delivering a message to Amelia Hart"},
	} {
		if got := byline(tc.e, map[string]string{}, n); got != tc.want {
			t.Errorf("%s (%s): byline %q, want %q", tc.e.Actor, tc.e.Agency, got, tc.want)
		}
	}
}
