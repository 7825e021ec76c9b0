package comms_test

import (
	"strings"
	"testing"

	"throughline/comms"
)

func TestGuard(t *testing.T) {
	// The trial is listed for Monday 12 May 2025 at 10am at Leeds Crown Court.
	c := fold(t, "en", journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed)...)
	for _, tc := range []struct {
		text     string
		conflict string // "" when the text agrees with the record
	}{
		{"The trial is on 12 May 2025 at Leeds Crown Court.", ""},
		{"The trial is on 19 May 2025.", "19 May 2025"},
		{"Your trial starts on 12/05/2025 at 10am.", ""},
		{"Your trial starts on 13/05/2025.", "13/05/2025"},
		{"The trial will start on Monday 12 May.", ""},
		{"The trial will start on Monday 19 May.", "Monday 19 May"},
		{"The trial is on May 12th, 2025.", ""},
		{"The trial is on 2025-05-12.", ""},
		{"The trial is on 2025-05-13.", "2025-05-13"},
		{"The trial starts at 2pm on 12 May 2025.", "2pm"},
		{"The trial is on 12 May 2025 at Bradford Crown Court.", "Bradford Crown Court"},
		{"The trial will be at Sheffield Crown Court.", "Sheffield Crown Court"},
		{"Mae'r treial ar 19 Mai 2025.", "19 Mai 2025"},
		{"Mae'r treial ar 12 Mai 2025 yn Llys y Goron Leeds.", ""},
		{"The hearing to plan the trial was on 12 December 2024.", ""},
		{"The PTPH was on 13 December 2024.", "13 December 2024"},
		{"The sentencing hearing is on 20 June 2025.", "no sentencing hearing is listed"},
		{"He has been found guilty.", "nobody has been found guilty"},
		{"He has been sentenced to 8 years.", "nobody has been sentenced"},
		{"He has not been sentenced yet.", ""},
		{"The trial has started.", "no trial has started"},
		{"He has been charged and is in custody.", ""},
		{"He is on bail.", "no defendant is on bail"},
		{"The case has been dropped.", "the prosecution has not been stopped"},
		{"I will call you on 3 June to talk.", ""},
		{"I spoke to your ISVA on 14/02/2025.", ""},
	} {
		cs := comms.Check(c, tc.text, now)
		switch {
		case tc.conflict == "" && len(cs) > 0:
			t.Errorf("%q: unexpected conflict %v", tc.text, cs)
		case tc.conflict != "" && len(cs) == 0:
			t.Errorf("%q: no conflict found, want one naming %q", tc.text, tc.conflict)
		case tc.conflict != "":
			found := false
			for _, cf := range cs {
				found = found || strings.Contains(cf.Message(), tc.conflict)
			}
			if !found {
				t.Errorf("%q: conflicts %v do not name %q", tc.text, cs, tc.conflict)
			}
		}
	}
	// The conflict names the record's fact, so the writer can correct it.
	cs := comms.Check(c, "The trial is on 19 May 2025.", now)
	// It names the hearing as staff know it, never by its id ("H3").
	if len(cs) != 1 || !strings.HasSuffix(cs[0].Record, "Monday 12 May 2025 at 10am at Leeds Crown Court") {
		t.Fatalf("%+v", cs)
	}
	// A trial taken out of the list is not "still on".
	v := fold(t, "en", journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed, trialVacated)...)
	if cs := comms.Check(v, "The trial is still on 12 May 2025.", now); len(cs) != 1 || !strings.Contains(cs[0].Record, "cancelled") {
		t.Fatalf("vacated trial: %+v", cs)
	}
}
