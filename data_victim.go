package throughline

import (
	"fmt"
	"slices"
	"strings"
)

// The victim's side of the event vocabulary: a complainant withdrawing,
// being informed, their contact preferences, information requests, their
// named contact and callback requests.

// ComplainantWithdrew records a complainant no longer supporting the prosecution.
type ComplainantWithdrew struct {
	ComplainantID string `json:"complainant_id"`
	Reason        string `json:"reason"`
}

func (*ComplainantWithdrew) EventType() string { return TypeComplainantWithdrew }
func (d *ComplainantWithdrew) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	required(fe, "reason", d.Reason)
}

// VictimInformed records a complainant told about an event. Besides the
// event types, About may be AboutRegularUpdate (progress when nothing has
// changed) or AboutVictimContactScheme (she was referred to the Probation
// Service's Victim Contact Scheme, and told so).
type VictimInformed struct {
	ComplainantID string `json:"complainant_id"`
	About         string `json:"about"`
	Channel       string `json:"channel"`
	// RequestID names the information request a notice is about (PCSCA
	// 2022 s.44B), or the device extraction request (s.39(3)): "" for
	// other news, and for notices recorded before notices named their
	// request.
	RequestID string `json:"request_id,omitempty"`
	// Recipient is to whom a notice of an information request was given
	// for her, where not to her (PCSCA 2022 s.44B(4)): "" for her own.
	Recipient string `json:"recipient,omitempty"`
	// HearingID names the hearing a telling of a listing or an outcome is
	// about: with two hearings listed, "told of a hearing's outcome" must
	// say which, or the telling of one would meet the duty owed for the
	// other. "" for other news, and for tellings recorded before it.
	HearingID string `json:"hearing_id,omitempty"`
	// OutsideSafeTimes says a call was made outside the safe times she
	// gave; AgainstPreferences is why contact went against what she asked
	// (a letter when she asked never to be written to at home, a call
	// outside her safe times). Decide asks for the why whenever it did:
	// her safety rests on those wishes, so crossing them is recorded, with
	// its reason, never done silently.
	OutsideSafeTimes   bool   `json:"outside_safe_times,omitempty"`
	AgainstPreferences string `json:"against_preferences,omitempty"`
}

// CrossedPreferences is how a telling went against the stated wishes of
// the complainant told, in words, or "" if it did not: a letter when she
// asked never to be written to at home, a call outside her safe times.
// A call is checked against her safe windows when the telling says the
// time it was made (at); with only her words, or only the day, it rests on
// the caller's saying so (OutsideSafeTimes).
func (d *VictimInformed) CrossedPreferences(cp *Complainant, at When) string {
	var why []string
	if p := cp.Preferences; p != nil && p.NeverWriteHome && d.Channel == "letter" {
		why = append(why, "asked never to be written to at home")
	}
	outside := ""
	if d.Channel == "phone" {
		outside = outsideSafeTimes(cp, at)
	}
	switch {
	case outside != "":
		why = append(why, outside)
	case d.OutsideSafeTimes:
		why = append(why, "was called outside the safe times she gave")
	}
	if len(why) == 0 {
		return ""
	}
	return "complainant " + cp.ID + " " + strings.Join(why, " and ")
}

// AboutHearing is the news a telling names its hearing for.
var AboutHearing = []string{TypeHearingListed, TypeHearingHeld, TypeHearingVacated}

// The victim_informed abouts that are not event types.
const (
	AboutRegularUpdate       = "regular_update"
	AboutVictimContactScheme = "victim_contact_scheme"
)

func (*VictimInformed) EventType() string { return TypeVictimInformed }
func (d *VictimInformed) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	if _, ok := eventTypes[d.About]; !ok && d.About != AboutRegularUpdate && d.About != AboutVictimContactScheme {
		fe.add("about", "must be an event type, %q or %q, not %q", AboutRegularUpdate, AboutVictimContactScheme, d.About)
	}
	oneOf(fe, "channel", d.Channel, InformedChannels)
	if d.RequestID != "" {
		partyID(fe, "request_id", d.RequestID)
		if d.About != TypeInformationRequested && d.About != TypeDeviceExtractionRequested {
			fe.add("request_id", "names an information request or a device extraction request: only for about %q or %q", TypeInformationRequested, TypeDeviceExtractionRequested)
		}
	}
	if d.Recipient != "" {
		oneOf(fe, "recipient", d.Recipient, NoticeRecipients)
		if d.RequestID == "" {
			fe.add("recipient", "is for a notice of an information request (s.44B(4)): name the request")
		}
	}
	d.AgainstPreferences = strings.TrimSpace(d.AgainstPreferences)
	text(fe, "against_preferences", d.AgainstPreferences, 1000, false)
	if d.OutsideSafeTimes && d.Channel != "phone" {
		fe.add("outside_safe_times", "only a phone call is made at a time: not for %s", d.Channel)
	}
	if d.HearingID != "" {
		partyID(fe, "hearing_id", d.HearingID)
		if !slices.Contains(AboutHearing, d.About) {
			fe.add("hearing_id", "names a hearing: only for news of a hearing's listing, vacating or outcome")
		}
	}
}

// ContactPreferencesSet records how a complainant wants to hear from us.
type ContactPreferencesSet struct {
	ComplainantID string   `json:"complainant_id"`
	Channels      []string `json:"channels"`
	Email         string   `json:"email,omitempty"`
	Mobile        string   `json:"mobile,omitempty"`
	Address       string   `json:"address,omitempty"`
	Language      string   `json:"language,omitempty"`
	SafeTimes     string   `json:"safe_times,omitempty"`
	// SafeWindows are her safe times as days and hours, which a call can
	// be checked against (safetimes.go); SafeTimes stays as her words.
	SafeWindows      []SafeWindow `json:"safe_windows,omitempty"`
	NeverWriteHome   bool         `json:"never_write_home,omitempty"`
	NominatedContact string       `json:"nominated_contact,omitempty"`
	Formats          []string     `json:"formats,omitempty"`
	RoutineEveryDays int          `json:"routine_every_days,omitempty"`
}

func (*ContactPreferencesSet) EventType() string { return TypeContactPreferencesSet }

// CodeAddress is where the victim portal sends the complainant's sign-in
// codes: the first of her channels that is email or text and has an
// address ("email" or "sms", and the address); "" if none.
func (d *ContactPreferencesSet) CodeAddress() (channel, to string) {
	if d == nil {
		return "", ""
	}
	for _, ch := range d.Channels {
		if to := map[string]string{"email": d.Email, "sms": d.Mobile}[ch]; to != "" {
			return ch, to
		}
	}
	return "", ""
}

// Wants reports whether the complainant asked for format (one of Formats,
// e.g. "large_print"); none are asked for when no preferences are recorded.
func (d *ContactPreferencesSet) Wants(format string) bool {
	return d != nil && slices.Contains(d.Formats, format)
}

// LargePrint reports whether her letters are set in large print: when she
// asked for large print, or for easy read, whose guidance asks for 14 point
// at least (the easy words themselves are the portal's).
func (d *ContactPreferencesSet) LargePrint() bool {
	return d.Wants("large_print") || d.Wants("easy_read")
}
func (d *ContactPreferencesSet) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	if len(d.Channels) == 0 {
		fe.add("channels", "at least one channel is required")
	}
	seen := map[string]bool{}
	for i, c := range d.Channels {
		f := fmt.Sprintf("channels[%d]", i)
		oneOf(fe, f, c, Channels)
		if seen[c] {
			fe.add(f, "%q is listed twice", c)
		}
		seen[c] = true
		switch {
		case c == "email" && !strings.Contains(d.Email, "@") && d.Email != Erased:
			fe.add("email", "an email address is required to contact by email")
		case c == "sms" && len(strings.TrimSpace(d.Mobile)) < 10 && d.Mobile != Erased:
			fe.add("mobile", "a mobile number is required to contact by text message")
		case c == "letter" && strings.TrimSpace(d.Address) == "":
			fe.add("address", "an address is required to contact by letter")
		case c == "phone" && strings.TrimSpace(d.Mobile) == "" && strings.TrimSpace(d.NominatedContact) == "":
			fe.add("mobile", "a phone number or a nominated contact is required to contact by phone")
		}
	}
	if d.Language != "" {
		oneOf(fe, "language", d.Language, Languages)
	}
	for i, f := range d.Formats {
		oneOf(fe, fmt.Sprintf("formats[%d]", i), f, Formats)
	}
	for i, w := range d.SafeWindows {
		w.validate(fe, fmt.Sprintf("safe_windows[%d]", i))
	}
	if d.RoutineEveryDays < 0 || d.RoutineEveryDays > 366 {
		fe.add("routine_every_days", "must be between 1 and 366 days")
	}
}

// NamedContactChanged records who is now the complainant's named point of
// contact (usually a Witness Care Officer after charge): the person every
// message to the victim names, and who makes the phone calls.
type NamedContactChanged struct {
	ComplainantID string `json:"complainant_id"`
	Name          string `json:"name"`
	Team          string `json:"team"`
	Phone         string `json:"phone,omitempty"`
	Email         string `json:"email,omitempty"`
}

func (*NamedContactChanged) EventType() string { return TypeNamedContactChanged }
func (d *NamedContactChanged) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	required(fe, "name", d.Name)
	required(fe, "team", d.Team)
	if d.Email != "" && !strings.Contains(d.Email, "@") {
		fe.add("email", "must be an email address")
	}
}

// CallbackRequested records a complainant asking their named contact to
// call them (from the victim portal, or passed on by anyone).
type CallbackRequested struct {
	ComplainantID string `json:"complainant_id"`
	When          string `json:"when,omitempty"` // when suits them, in their words
}

func (*CallbackRequested) EventType() string { return TypeCallbackRequested }

// complainant is whom the event is about, for CanRecordEvent.
func (d *CallbackRequested) complainant() string { return d.ComplainantID }
func (d *CallbackRequested) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	if len(d.When) > 200 {
		fe.add("when", "must be at most 200 characters")
	}
}

// When they would like the call is theirs to tell: it is sealed with the
// case's personal data.
func (d *CallbackRequested) splitPersonal() (Data, map[string]string) {
	pub := *d
	m := map[string]string{}
	take(m, "when", &pub.When)
	return &pub, m
}

func (d *CallbackRequested) mergePersonal(m map[string]string) {
	restore(m, "when", &d.When, false)
}

// CallbackMade records the call a complainant asked for, made: whether she
// was reached, and what she was told, or why she was not reached. The
// event's occurred_at is when the call was made, so that it can be checked
// against her safe times (a call that rings at an unsafe time is a risk
// whether or not she answers).
type CallbackMade struct {
	ComplainantID string `json:"complainant_id"`
	Reached       bool   `json:"reached"`
	// Note is what she was told, or why she was not reached: her words and
	// her case's, sealed with the case's personal data.
	Note               string `json:"note"`
	AgainstPreferences string `json:"against_preferences,omitempty"`
}

func (*CallbackMade) EventType() string { return TypeCallbackMade }
func (d *CallbackMade) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	d.Note = strings.TrimSpace(d.Note)
	if d.Note == "" {
		fe.add("note", "say what she was told, or why she was not reached")
	}
	text(fe, "note", d.Note, 2000, false)
	d.AgainstPreferences = strings.TrimSpace(d.AgainstPreferences)
	text(fe, "against_preferences", d.AgainstPreferences, 1000, false)
}

func (d *CallbackMade) splitPersonal() (Data, map[string]string) {
	pub := *d
	m := map[string]string{}
	take(m, "note", &pub.Note)
	return &pub, m
}

func (d *CallbackMade) mergePersonal(m map[string]string) {
	restore(m, "note", &d.Note, true)
}
