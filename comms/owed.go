package comms

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"time"

	"throughline"
)

// What is owed, and what supersedes what: the one place that answers "is
// a message owed to this complainant, or has a later one replaced it?".
// Triggers says what events owe; supersedes says which queued messages a
// new one replaces; Compose refuses at sending time a message the record
// has since made untrue (ErrSuperseded); RegularUpdates says which regular
// updates are due.

// Triggers returns the messages that events evs call for, given the case c
// as it stands after them. Complainants who withdrew their support are
// still told (withdrawing support is not opting out of information).
func Triggers(c *throughline.Case, evs []throughline.Event) []throughline.MessageOwed {
	var out []throughline.MessageOwed
	all := func(kind, about, subject, facts string, v int64) {
		for _, cp := range c.Complainants {
			out = append(out, throughline.MessageOwed{Complainant: cp.ID, Kind: kind, About: about, Subject: subject, Facts: facts, Version: v})
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
			if h != nil && !throughline.HearingOutcomeIsNews(h.Kind, d.Outcome) {
				continue // the verdict or the sentence is the news
			}
			switch {
			case h != nil && h.Kind == "trial":
				kind = KindTrialNotGoingAhead
			case h != nil && h.Kind == "ptph":
				kind = KindPTPHOutcome
			}
			all(kind, e.Type, "hearing:"+d.HearingID, "held|"+d.Outcome, v)
		case *throughline.Verdict:
			all(KindVerdict, e.Type, "defendant:"+d.DefendantID, "verdict|"+d.Result, v)
		case *throughline.Sentenced:
			all(KindSentence, e.Type, "defendant:"+d.DefendantID, "sentenced", v)
		case *throughline.ProsecutionStopped:
			all(KindVCL, e.Type, "defendant:"+d.DefendantID, "stopped|"+d.How, v)
		case *throughline.InformationRequested:
			if cp := c.Complainant(d.ComplainantID); cp != nil && slices.Contains(cp.NoNotice, d.RequestID) {
				continue // s.44B(5) recorded with the request: no notice goes
			}
			if childsNotice(c, e, d) {
				continue // s.44B(4): a person gives it to an adult for her (Owed)
			}
			out = append(out, throughline.MessageOwed{Complainant: d.ComplainantID, Kind: KindInformationRequest, About: e.Type,
				Subject: "request:" + d.RequestID, Facts: "requested", Version: v})
		case *throughline.DeviceExtractionRequested:
			// PCSCA 2022 s.39(3): the written notice, named by the request,
			// so that its delivery is what lets her agreement be recorded.
			out = append(out, throughline.MessageOwed{Complainant: d.ComplainantID, Kind: KindDeviceExtraction, About: e.Type,
				Subject: "request:" + d.RequestID, Facts: "requested", Version: v})
		case *throughline.NamedContactChanged:
			out = append(out, throughline.MessageOwed{Complainant: d.ComplainantID, Kind: KindContactChanged, About: e.Type,
				Subject: "contact", Facts: strings.Join([]string{d.Name, d.Team, d.Phone, d.Email}, "|"), Version: v})
		case *throughline.CaseTeamChanged:
			// The person who was her contact handed over: she is told
			// who her new contact is, as for a named_contact_changed.
			for _, cp := range c.Complainants {
				if throughline.ContactHandedOver(cp, d) {
					out = append(out, throughline.MessageOwed{Complainant: cp.ID, Kind: KindContactChanged, About: e.Type,
						Subject: "contact", Facts: strings.Join([]string{cp.Contact.Name, cp.Contact.Team, cp.Contact.Phone, cp.Contact.Email}, "|"), Version: v})
				}
			}
		}
	}
	for i := range out {
		out[i].Supersedes = supersedes(out[i])
	}
	return out
}

// supersedes lists the kinds of queued message about the same subject that
// m replaces: of a listing's messages (listed, moved, cancelled, trial
// listed or not going ahead) and of a defendant's remand changes only the
// latest queued one need go.
func supersedes(m throughline.MessageOwed) []string {
	if m.Subject == "" {
		return nil
	}
	switch m.Kind {
	case KindHearingListed, KindHearingMoved, KindTrialListed, KindHearingCancelled, KindTrialNotGoingAhead:
		return []string{KindHearingListed, KindHearingMoved, KindTrialListed, KindHearingCancelled, KindTrialNotGoingAhead}
	case KindRemand:
		return []string{KindRemand}
	}
	return nil
}

// RegularUpdate is the update owed to a complainant when nothing has
// changed, due on the given day (YYYY-MM-DD): one per complainant per due
// day.
func RegularUpdate(complainant, due string) throughline.MessageOwed {
	return throughline.MessageOwed{Complainant: complainant, Kind: KindRegularUpdate, About: AboutRegularUpdate, Subject: "", Facts: "due|" + due}
}

// RegularUpdateWindow is how many days after it fell due a regular update
// is still sent by machine. Older silences are left to a person (the
// silence list): a machine message after months of silence is worse than a
// call.
const RegularUpdateWindow = 7

// regularUpdateRule is the deadline rule whose open deadlines are the
// regular updates due (deadline.RegularUpdate).
const regularUpdateRule = "regular_update"

// RegularUpdatesFilter selects the deadlines RegularUpdates reads: the
// open ones that fell due in the RegularUpdateWindow days up to today
// (London days) at now.
func RegularUpdatesFilter(now time.Time) throughline.DeadlineFilter {
	today := throughline.At(now).Date()
	return throughline.DeadlineFilter{OpenOnly: true, DueAfter: today.AddDate(0, 0, -RegularUpdateWindow-1), DueBefore: today}
}

// CaseMessage is a message owed on a case.
type CaseMessage struct {
	Case string
	throughline.MessageOwed
}

// RegularUpdates returns the regular updates the deadlines ds (as
// RegularUpdatesFilter selects them) owe: one per complainant and due day.
func RegularUpdates(ds []throughline.CaseDeadline) []CaseMessage {
	var out []CaseMessage
	for _, d := range ds {
		cp, ok := strings.CutPrefix(d.Subject, "complainant:")
		if d.Rule != regularUpdateRule || !ok || !d.MetAt.IsZero() || d.NotApplicable != "" {
			continue
		}
		out = append(out, CaseMessage{Case: d.Case, MessageOwed: RegularUpdate(cp, d.Due.Format("2006-01-02"))})
	}
	return out
}

// Consequences is the throughline.Consequences of victim communication:
// what the store must do atomically with an append.
type Consequences struct{}

var _ throughline.Consequences = Consequences{}

// Owed returns the messages appended events owe each complainant
// (Triggers), and the task of each call-back asked for, for the
// complainant's named contact, with the time that suits them, and of each
// request for help to write a Victim Personal Statement.
func (Consequences) Owed(c *throughline.Case, evs []throughline.Event) throughline.Owed {
	o := throughline.Owed{Messages: Triggers(c, evs)}
	for _, e := range evs {
		if d, ok := e.Data.(*throughline.CallbackRequested); ok {
			o.Tasks = append(o.Tasks, throughline.CommsTask{Case: c.Ref, Complainant: d.ComplainantID, Kind: throughline.TaskCallback,
				Assignee: ContactOf(c, c.Complainant(d.ComplainantID)),
				Detail:   fmt.Sprintf("%s asked to be called back (case %s, event %d)", d.ComplainantID, c.Ref, e.Version), Say: d.When})
		}
		if d, ok := e.Data.(*throughline.VictimPersonalStatement); ok && d.Action == throughline.StatementHelp {
			o.Tasks = append(o.Tasks, throughline.CommsTask{Case: c.Ref, Complainant: d.ComplainantID, Kind: throughline.TaskStatementHelp,
				Assignee: ContactOf(c, c.Complainant(d.ComplainantID)),
				Detail:   fmt.Sprintf("Asked for help to write their Victim Personal Statement (event %d)", e.Version)})
		}
		if d, ok := e.Data.(*throughline.InformationRequested); ok && childsNotice(c, e, d) {
			o.Tasks = append(o.Tasks, throughline.CommsTask{Case: c.Ref, Complainant: d.ComplainantID, Kind: throughline.TaskTell,
				Assignee: ContactOf(c, c.Complainant(d.ComplainantID)),
				Detail: fmt.Sprintf("Give written notice of the request for %s to a parent or guardian, a representative of the authority or organisation caring for them, "+
					"or, if none is available, another appropriate adult (PCSCA 2022 s.44B(4)); then record it, naming the request and to whom it was given (case %s, event %d)",
					strings.ReplaceAll(d.Material, "_", " "), c.Ref, e.Version)})
		}
		news, ok := toldByAPerson[e.Type]
		if !ok {
			continue
		}
		for _, cp := range c.Complainants {
			if id := complainantOf(e.Data); id != "" && id != cp.ID {
				continue
			}
			o.Tasks = append(o.Tasks, throughline.CommsTask{Case: c.Ref, Complainant: cp.ID, Kind: throughline.TaskTell,
				Assignee: ContactOf(c, c.Complainant(cp.ID)),
				Detail:   fmt.Sprintf("Tell the victim %s, then record that they were told (case %s, event %d)", news, c.Ref, e.Version)})
		}
	}
	return o
}

// childsNotice reports whether the notice of request d, recorded by e, is
// due to a child: given to her by giving it to an adult for her (s.44B(4)),
// which the machine cannot do. Written to her own address it would not be
// notice under the section, and would tell a child before the adults
// around her could. No notice is owed under the s.44B(5) exception.
func childsNotice(c *throughline.Case, e throughline.Event, d *throughline.InformationRequested) bool {
	cp := c.Complainant(d.ComplainantID)
	return cp != nil && !slices.Contains(cp.NoNotice, d.RequestID) && !throughline.NoticeReaches(cp.DateOfBirth, e.OccurredAt.Date(), "")
}

// toldByAPerson is the news a person tells the victim, by phone or in
// person, rather than a message composed by machine: a decision that ends
// the investigation, a warrant, new bail conditions, whether she must give
// evidence. The task goes to her named contact; recording the telling
// (victim_informed) meets the Victims' Code duty (package deadline).
var toldByAPerson = map[string]string{
	throughline.TypePoliceNoFurtherAction:     "of the police's decision to take no further action (Victims' Code Right 6)",
	throughline.TypeBailConditionsChanged:     "of the change to bail conditions and what they mean for their safety (Right 8.1)",
	throughline.TypeWarrantIssued:             "that a warrant was issued for the arrest (Right 8.1)",
	throughline.TypeWitnessRequirementDecided: "whether they are required to give evidence (Right 8.2)",
}

// complainantOf is the complainant an event names, or "" for every one.
func complainantOf(d throughline.Data) string {
	if w, ok := d.(*throughline.WitnessRequirementDecided); ok {
		return w.ComplainantID
	}
	return ""
}

// FreeText checks an update a person wrote against the case as it stands
// at now: the complainant must exist, the text must not be empty, and it
// must not contradict the record (Check). The message it owes is unique to
// the case version and the moment.
func (Consequences) FreeText(c *throughline.Case, complainant, text string, now time.Time) (throughline.MessageOwed, error) {
	if c.Complainant(complainant) == nil {
		return throughline.MessageOwed{}, &throughline.Error{Code: throughline.EINVALID, Message: "not a valid message",
			Fields: []throughline.FieldError{{Field: "complainant_id", Message: fmt.Sprintf("case %s has no complainant %q", c.Ref, complainant)}}}
	}
	if strings.TrimSpace(text) == "" {
		return throughline.MessageOwed{}, &throughline.Error{Code: throughline.EINVALID, Message: "not a valid message",
			Fields: []throughline.FieldError{{Field: "body", Message: "is required"}}}
	}
	if cs := Check(c, text, now); len(cs) > 0 {
		return throughline.MessageOwed{}, ConflictError(cs)
	}
	// The same words to her on the case as it stands are one message: a
	// form sent twice or a repeated call queues it once.
	sum := sha256.Sum256([]byte(text))
	m := throughline.MessageOwed{Complainant: complainant, Kind: KindFreeText, About: AboutRegularUpdate, Subject: "",
		Facts: fmt.Sprintf("text|%d|%x", c.Version, sum[:12]), Version: c.Version}
	return m, nil
}

// Informed is what a delivery records: victim_informed, about the event
// the message was owed for, on the channel it went by. It is what meets
// the Victims' Code duty.
// A notice of an information request names its request (s.44B), so the
// deadline is met by the notice of that request and no other.
func (Consequences) Informed(ref, complainant, about, subject, channel, actor string, now time.Time) throughline.Event {
	d := &throughline.VictimInformed{ComplainantID: complainant, About: about, Channel: channel}
	if id, ok := strings.CutPrefix(subject, "request:"); ok {
		d.RequestID = id
	}
	// A message about a hearing names it, so it meets that hearing's duty.
	if id, ok := strings.CutPrefix(subject, "hearing:"); ok && slices.Contains(throughline.AboutHearing, about) {
		d.HearingID = id
	}
	at := throughline.At(now.UTC())
	if channel == "phone" {
		// A call is recorded done when the caller says so, not when it
		// was made: the day only, which her safe times cannot be checked
		// against (a time would be the click's, and could refuse a call
		// made in her safe times).
		y, m, dd := now.In(throughline.London).Date()
		at = throughline.On(y, m, dd)
	}
	return throughline.Event{Case: ref, Type: throughline.TypeVictimInformed, OccurredAt: at,
		Actor: actor, Agency: "throughline", Data: d}
}
