// Package comms is one voice to the victim: the messages a complainant must
// receive under the Victims' Code and PCSCA 2022 s.44B, composed from the
// case's facts at the moment of sending, in their language (English or
// Welsh), in plain words, and checked never to contradict the record.
//
// It is pure apart from the Dispatcher, which delivers the outbox through
// the channels of package notify and records what happened through a store
// interface of its own.
package comms

import (
	"fmt"
	"strings"

	"throughline"
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
	KindVCL, KindInformationRequest, KindRegularUpdate, KindContactChanged, KindFreeText}

// AboutRegularUpdate is the victim_informed "about" of an update that is
// not about one event: the regular update and a free-text update.
const AboutRegularUpdate = "regular_update"

// Trigger is a message an event calls for: which complainant, which
// template, and what it is about. Triggers hold no facts to print: the
// message is composed from the case as it stands when it is sent.
type Trigger struct {
	Complainant string
	Kind        string
	// About is the event type that the victim_informed recorded on
	// delivery names, so the Victims' Code deadline it meets is closed.
	About string
	// Subject is what the message is about: "hearing:H3", "defendant:D1",
	// "request:R1", or "" for the case as a whole.
	Subject string
	// Facts fingerprints the news: two triggers with the same complainant,
	// subject and facts are the same news (several agencies recording the
	// same listing), and become one message.
	Facts string
	// Version is the case version of the event that caused it.
	Version int64
}

// DedupeKey is the outbox's uniqueness key for a trigger: the event type,
// the subject and the facts, so that the same news recorded twice (by two
// agencies, or a listing re-entered unchanged) is one message.
func (t Trigger) DedupeKey() string { return t.About + "|" + t.Subject + "|" + t.Facts }

// Triggers returns the messages that events evs call for, given the case c
// as it stands after them. Complainants who withdrew their support are
// still told (withdrawing support is not opting out of information).
func Triggers(c *throughline.Case, evs []throughline.Event) []Trigger {
	var out []Trigger
	all := func(kind, about, subject, facts string, v int64) {
		for _, cp := range c.Complainants {
			out = append(out, Trigger{Complainant: cp.ID, Kind: kind, About: about, Subject: subject, Facts: facts, Version: v})
		}
	}
	for _, e := range evs {
		v := e.Version
		switch d := e.Data.(type) {
		case *throughline.Charged:
			all(KindCharge, e.Type, "defendant:"+d.DefendantID, "charged|"+d.Method, v)
		case *throughline.RemandStatusChanged:
			all(KindRemand, e.Type, "defendant:"+d.DefendantID, "remand|"+d.Status+"|"+e.OccurredAt.String(), v)
		case *throughline.HearingListed:
			h := c.Hearing(d.HearingID)
			kind := KindHearingListed
			switch {
			case h != nil && h.Moves > 0:
				kind = KindHearingMoved
			case d.Kind == "trial":
				kind = KindTrialListed
			}
			all(kind, e.Type, "hearing:"+d.HearingID, "listed|"+d.Court+"|"+d.StartsAt+"|"+d.Listing, v)
		case *throughline.HearingVacated:
			kind := KindHearingCancelled
			if h := c.Hearing(d.HearingID); h != nil && h.Kind == "trial" {
				kind = KindTrialNotGoingAhead
			}
			all(kind, e.Type, "hearing:"+d.HearingID, "vacated", v)
		case *throughline.HearingHeld:
			h := c.Hearing(d.HearingID)
			kind := KindHearingOutcome
			switch {
			case h != nil && h.Kind == "trial" && d.Outcome == "effective":
				continue // the verdict is the news
			case h != nil && h.Kind == "trial":
				kind = KindTrialNotGoingAhead
			case h != nil && h.Kind == "ptph":
				kind = KindPTPHOutcome
			case h != nil && h.Kind == "sentence" && d.Outcome == "effective":
				continue // the sentence is the news
			}
			all(kind, e.Type, "hearing:"+d.HearingID, "held|"+d.Outcome, v)
		case *throughline.Verdict:
			all(KindVerdict, e.Type, "defendant:"+d.DefendantID, "verdict|"+d.Result, v)
		case *throughline.Sentenced:
			all(KindSentence, e.Type, "defendant:"+d.DefendantID, "sentenced", v)
		case *throughline.ProsecutionStopped:
			all(KindVCL, e.Type, "defendant:"+d.DefendantID, "stopped|"+d.How, v)
		case *throughline.InformationRequested:
			out = append(out, Trigger{Complainant: d.ComplainantID, Kind: KindInformationRequest, About: e.Type,
				Subject: "request:" + d.RequestID, Facts: "requested", Version: v})
		case *throughline.NamedContactChanged:
			out = append(out, Trigger{Complainant: d.ComplainantID, Kind: KindContactChanged, About: e.Type,
				Subject: "contact", Facts: strings.Join([]string{d.Name, d.Team, d.Phone, d.Email}, "|"), Version: v})
		}
	}
	return out
}

// RegularUpdate is the trigger of the update owed when nothing has changed,
// due on the given day (YYYY-MM-DD): one per complainant per due day.
func RegularUpdate(complainant, due string) Trigger {
	return Trigger{Complainant: complainant, Kind: KindRegularUpdate, About: AboutRegularUpdate, Subject: "", Facts: "due|" + due}
}

// FreeText is the trigger of an update a person wrote; id makes it unique.
func FreeText(complainant, id string) Trigger {
	return Trigger{Complainant: complainant, Kind: KindFreeText, About: AboutRegularUpdate, Subject: "", Facts: "text|" + id}
}

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
