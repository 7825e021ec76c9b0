// Package comms is one voice to the victim: the messages a complainant must
// receive under the Victims' Code and PCSCA 2022 s.44B, composed from the
// case's facts at the moment of sending, in their language (English or
// Welsh), in plain words, and checked never to contradict the record.
//
// It is pure: it decides what is owed, what supersedes what, what a written
// update may say, when a regular update is due and what a delivery
// records; the store applies those decisions (see Consequences), and
// package comms/dispatch delivers the outbox through the channels of
// package notify.
package comms

import (
	"fmt"
	"strings"
)

// Kinds of message, one template each (in English and Welsh).
const (
	KindCharge             = "charge"
	KindRemand             = "remand"
	KindHearingListed      = "hearing_listed"
	KindHearingMoved       = "hearing_moved"
	KindHearingCancelled   = "hearing_cancelled"
	KindHearingOutcome     = "hearing_outcome"
	KindPTPHOutcome        = "ptph_outcome"
	KindTrialListed        = "trial_listed"
	KindTrialNotGoingAhead = "trial_not_going_ahead"
	KindVerdict            = "verdict"
	KindSentence           = "sentence"
	KindVCL                = "vcl"
	KindInformationRequest = "information_request"
	KindRegularUpdate      = "regular_update"
	KindContactChanged     = "contact_changed"
	KindFreeText           = "free_text"
)

// Kinds lists every kind of message.
var Kinds = []string{KindCharge, KindRemand, KindHearingListed, KindHearingMoved, KindHearingCancelled,
	KindHearingOutcome, KindPTPHOutcome, KindTrialListed, KindTrialNotGoingAhead, KindVerdict, KindSentence,
	KindVCL, KindInformationRequest, KindRegularUpdate, KindContactChanged, KindFreeText, KindDeviceExtraction}

// AboutRegularUpdate is the victim_informed "about" of an update that is
// not about one event: the regular update and a free-text update.
const AboutRegularUpdate = "regular_update"

// ErrSuperseded is returned by Compose when the record has moved on so
// that the message would no longer be true (a hearing listed and then
// cancelled before the first message went): the later message tells it.
type ErrSuperseded struct{ Why string }

func (e *ErrSuperseded) Error() string { return "superseded: " + e.Why }

func subjectID(subject, prefix string) (string, error) {
	id, ok := strings.CutPrefix(subject, prefix+":")
	if !ok || id == "" {
		return "", fmt.Errorf("message subject %q is not a %s", subject, prefix)
	}
	return id, nil
}
