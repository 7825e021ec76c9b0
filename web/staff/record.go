package staff

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/web/access"
	"throughline/web/api"
	"throughline/web/page"
)

// recordStore is what this file's pages need from storage.
type recordStore interface {
	Append(ctx context.Context, e throughline.Event, expected int64) ([]throughline.Event, *throughline.Case, error)
	Events(ctx context.Context, ref string) ([]throughline.Event, error)
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
	Tasks(ctx context.Context, ref string, open bool, f throughline.ScopeFilter) ([]throughline.CommsTask, error)
	CompleteTask(ctx context.Context, id int64, by string) error
}

// Recording serves the forms that record events on a case.
type Recording struct {
	*page.Base
	// Access applies the policy to cases and logs consultations.
	Access *access.Cases
	Store  recordStore
}

// An event form: the fields of one event type's payload as GOV.UK
// controls. What the user enters goes through the same parser and the same
// Store.Append as the API, with the case version the user saw.

type option struct{ value, text string }

type formField struct {
	name     string // the payload's JSON field
	kind     string // defendant, suspect, complainant, hearing, request, radios, select, text, months, textarea, offences, datetime, newhearing, about, contactteam
	label    string
	hint     string
	options  []option
	optional bool
	none     string                                // an optional person or hearing field: the choice of none of them
	hearings func(h throughline.Hearing) bool      // which hearings a hearing field offers
	items    func(it throughline.PlanItem) bool    // which actions an item field offers
	flows    func(f *throughline.RequestFlow) bool // which information requests an ofrequest field offers
}

type eventForm struct {
	typ    string
	title  string // "Record a charge"
	done   string // "Charge recorded"
	when   string // the occurred_at question
	fields []formField
}

func opts(values []string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{v, page.Sentence(enumWord(v))}
	}
	return out
}

func listed(h throughline.Hearing) bool { return h.Status == "listed" }

var eventForms = []eventForm{
	{typ: throughline.TypeFileSubmitted, title: "Record a file sent to the CPS", done: "File sent to the CPS recorded", when: "When was the file sent?", fields: []formField{
		{name: "suspect_id", kind: "suspect", label: "Which suspect is the file about?"},
		{name: "purpose", kind: "radios", label: "What is the file for?", options: opts(throughline.FilePurposes)},
		{name: "contents", kind: "contents"}}},
	{typ: throughline.TypeEarlyAdviceGiven, title: "Record early advice given", done: "Early advice recorded", when: "When was the advice given?", fields: []formField{
		{name: "suspect_id", kind: "suspect", label: "Which suspect is the advice about?"}}},
	{typ: throughline.TypeChargingDecision, title: "Record a charging decision", done: "Charging decision recorded", when: "When was the decision made?", fields: []formField{
		{name: "suspect_id", kind: "suspect", label: "Which suspect is the decision about?"},
		{name: "decision", kind: "radios", label: "What did the CPS decide?", options: opts(throughline.Decisions)}}},
	{typ: throughline.TypeCharged, title: "Record a charge", done: "Charge recorded", when: "When was the defendant charged?", fields: []formField{
		{name: "defendant_id", kind: "suspect", label: "Who was charged?"},
		{name: "offences", kind: "offences", label: "Which offences?", hint: "Select all that apply"},
		{name: "method", kind: "radios", label: "How were they charged?", options: opts(throughline.ChargeMethods)}}},
	{typ: throughline.TypeRemandStatusChanged, title: "Record a change of remand status", done: "Remand status recorded", when: "When did it change?", fields: []formField{
		{name: "defendant_id", kind: "defendant", label: "Which defendant?"},
		{name: "status", kind: "radios", label: "Where is the defendant now?", options: []option{{"custody", "Remanded in custody"}, {"bail", "On bail"}, {"released", "Released without bail"}}}}},
	{typ: throughline.TypeAllocationDecided, title: "Record where the court decided the case is to be tried", done: "Place of trial recorded", when: "When did the court decide?", fields: []formField{
		{name: "defendant_id", kind: "defendant", label: "Which defendant?"},
		{name: "venue", kind: "radios", label: "Where are their offences triable either way to be tried?",
			hint:    "Summary trial decided on within 56 days of the first appearance makes the custody time limit 56 days, not 70.",
			options: []option{{"magistrates_court", "In the magistrates' court (summary trial)"}, {"crown_court", "In the Crown Court"}}}}},
	{typ: throughline.TypeSentToCrownCourt, title: "Record a sending to the Crown Court", done: "Sending to the Crown Court recorded", when: "When was the defendant sent?", fields: []formField{
		{name: "defendant_id", kind: "defendant", label: "Which defendant was sent?"},
		{name: "court", kind: "crowncourt", label: "Which Crown Court?"}}},
	{typ: throughline.TypeHearingListed, title: "Record a hearing listed", done: "Hearing listed", when: "When was it listed?", fields: []formField{
		{name: "hearing_id", kind: "newhearing", label: "Is this a new hearing, or a hearing moved?", hearings: listed},
		{name: "kind", kind: "radios", label: "What kind of hearing?", options: []option{{"first_appearance", "First appearance"}, {"ptph", "Plea and trial preparation hearing (PTPH)"}, {"mention", "Mention"}, {"ground_rules", "Ground rules hearing"}, {"s28", "Section 28 pre-recorded cross-examination"}, {"trial", "Trial"}, {"sentence", "Sentencing hearing"}}},
		{name: "court", kind: "court", label: "Which court?"},
		{name: "starts_at", kind: "datetime", label: "When does it start?"},
		{name: "listing", kind: "radios", label: "How is it listed?", options: []option{{"fixture", "Fixture (a fixed date)"}, {"floater", "Floater"}, {"warned", "Warned list"}}}}},
	{typ: throughline.TypeHearingVacated, title: "Record a hearing vacated", done: "Vacated hearing recorded", when: "When was it vacated?", fields: []formField{
		{name: "hearing_id", kind: "hearing", label: "Which hearing?", hearings: listed},
		{name: "reason", kind: "textarea", label: "Why was it vacated?"}}},
	{typ: throughline.TypeHearingHeld, title: "Record a hearing held", done: "Hearing outcome recorded", when: "When did it sit?", fields: []formField{
		{name: "hearing_id", kind: "hearing", label: "Which hearing?", hearings: listed},
		{name: "outcome", kind: "radios", label: "What happened?", options: []option{{"effective", "It went ahead (effective)"}, {"cracked", "It ended without a trial (cracked)"}, {"ineffective", "It did not go ahead and must be relisted (ineffective)"}}},
		{name: "reason", kind: "reason", label: "If it cracked or was ineffective, why?", optional: true}}},
	{typ: throughline.TypeTrialStarted, title: "Record a trial started", done: "Trial start recorded", when: "When did the trial start?", fields: []formField{
		{name: "hearing_id", kind: "hearing", label: "Which trial listing?", hearings: func(h throughline.Hearing) bool { return h.Kind == "trial" && h.Status != "vacated" && !h.TrialOpen }}}},
	{typ: throughline.TypeVerdict, title: "Record a verdict or plea", done: "Verdict recorded", when: "When was the verdict or plea?", fields: []formField{
		{name: "defendant_id", kind: "defendant", label: "Which defendant?"},
		{name: "result", kind: "radios", label: "What was the result?", options: []option{{"guilty_plea", "Pleaded guilty"}, {"guilty", "Found guilty"}, {"not_guilty", "Found not guilty"}, {"hung_jury", "The jury could not agree"}}}}},
	{typ: throughline.TypeSentenced, title: "Record a sentence", done: "Sentence recorded", when: "When was the defendant sentenced?", fields: []formField{
		{name: "defendant_id", kind: "defendant", label: "Which defendant?"},
		{name: "custodial_months", kind: "months", label: "Custodial sentence, in months (optional)", optional: true,
			hint: "0 for a sentence without custody. A sentence of 12 months or more for a sexual or violent offence owes a referral to the Victim Contact Scheme."}}},
	{typ: throughline.TypeStage1Served, title: "Record the prosecution case served (Stage 1)", done: "Stage 1 recorded", when: "When was it served?", fields: []formField{
		{name: "defendant_id", kind: "defendant", label: "Which defendant's case?"}}},
	{typ: throughline.TypeStage2Served, title: "Record the defence response (Stage 2)", done: "Stage 2 recorded", when: "When did the defence respond?", fields: []formField{
		{name: "defendant_id", kind: "defendant", label: "Which defendant responded?"}}},
	{typ: throughline.TypeSpecialMeasuresApplied, title: "Record an application for special measures", done: "Special measures application recorded", when: "When was the application made?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "For whom?"},
		{name: "measures", kind: "checkboxes", label: "Which measures were asked for?", hint: "Select all that apply", options: measureOptions}}},
	{typ: throughline.TypeSpecialMeasuresDecided, title: "Record the court's decision on special measures", done: "Special measures decision recorded", when: "When did the court decide?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "For whom?"},
		{name: "granted", kind: "checkboxes", label: "Which measures were granted?", hint: "Select all that apply", options: measureOptions, optional: true},
		{name: "refused", kind: "checkboxes", label: "Which measures were refused?", hint: "Select all that apply", options: measureOptions, optional: true}}},
	{typ: throughline.TypeProsecutionStopped, title: "Record a prosecution stopped", done: "Decision recorded", when: "When was the decision?", fields: []formField{
		{name: "defendant_id", kind: "defendant", label: "Which defendant?"},
		{name: "how", kind: "radios", label: "What did the CPS do?", options: []option{{"discontinued", "Discontinued the prosecution"}, {"no_evidence_offered", "Offered no evidence"}, {"charge_altered", "Altered the charge"}}}}},
	{typ: throughline.TypeVictimInformed, title: "Record that the victim was told", done: "Update to the victim recorded", when: "When was the victim told?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Who was told?"},
		{name: "about", kind: "about", label: "What were they told about?"},
		{name: "hearing_id", kind: "hearing", label: "Which hearing were they told about?", hint: "For news of a hearing's date, time and place, or of how it went",
			optional: true, none: "It was not news of one hearing"},
		{name: "channel", kind: "radios", label: "How?", options: opts(throughline.InformedChannels)},
		{name: "request_id", kind: "request", label: "If this was notice of a request for their information, which request?", optional: true, none: "It was not notice of a request",
			hint: "A request can be sent only once its notice has been delivered in writing: by letter, email, text message or the portal (PCSCA 2022 s.44B)"},
		{name: "recipient", kind: "radios", label: "Who was the notice of the request given to?", optional: true,
			hint: "A child's notice, or that of an adult without capacity, is given to someone for them (s.44B(4)): one sent to a child's own address does not count",
			options: []option{{noneValue, "To the victim themselves"}, {"parent_or_guardian", "A parent or guardian"},
				{"care_representative", "Someone representing the authority or organisation caring for them"},
				{"appropriate_adult", "Another appropriate adult, as none of those was available"}}},
		{name: "called_at", kind: "calltime", label: "If they were called, at what time? (optional)",
			hint: "For example, 18:30 or 6:30pm. A call is checked against the safe times they gave as days and times"},
		{name: "outside_safe_times", kind: "yesno", label: "The call was outside the safe times they gave",
			hint: "For safe times recorded only in their words, which cannot be checked"},
		{name: "against_preferences", kind: "textarea", label: "If this went against what they asked for, why? (optional)",
			hint: "For example, a letter when they asked never to be written to at home, or a call outside their safe times. It is kept on the case record.", optional: true}}},
	{typ: throughline.TypeNewsReceived, title: "Record news received from the court or the CPS", done: "Receipt recorded", when: "When did the Witness Care Unit receive it?", fields: []formField{
		{name: "about", kind: "radios", label: "What was the news?", hint: "The Witness Care Unit's time to tell the victim runs from when it receives the news", options: []option{
			{throughline.TypeHearingListed, "A hearing's date, time and place"}, {throughline.TypeHearingHeld, "A hearing's outcome"},
			{throughline.TypeVerdict, "A verdict or plea"}, {throughline.TypeSentenced, "A sentence"}, {throughline.TypeRemandStatusChanged, "A decision on bail or custody"},
			{throughline.TypeBailConditionsChanged, "A change to bail conditions"}, {throughline.TypeWarrantIssued, "A warrant for arrest"},
			{throughline.TypeWitnessRequirementDecided, "Whether the victim is required to give evidence"}}},
		{name: "from", kind: "radios", label: "Who sent it?", options: []option{{"court", "The court"}, {"cps", "The CPS"}}},
		{name: "hearing_id", kind: "hearing", label: "Which hearing is it about?", optional: true, none: "It is not about one hearing"},
		{name: "defendant_id", kind: "defendant", label: "Which defendant is it about?", optional: true, none: "It is not about one defendant"}}},
	{typ: throughline.TypeBailConditionsChanged, title: "Record a change to bail conditions", done: "Change to bail conditions recorded", when: "When did the court change them?", fields: []formField{
		{name: "defendant_id", kind: "defendant", label: "Which defendant?", hint: "Keep the conditions themselves in the case file: they may say where the victim lives"}}},
	{typ: throughline.TypeWarrantIssued, title: "Record a warrant for arrest", done: "Warrant recorded", when: "When did the court issue it?", fields: []formField{
		{name: "defendant_id", kind: "defendant", label: "Which defendant?"}}},
	{typ: throughline.TypeWitnessRequirementDecided, title: "Record whether the victim is required to give evidence", done: "Decision recorded", when: "When did the CPS decide?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Which victim?"},
		{name: "requirement", kind: "radios", label: "Is the victim required to give evidence?", options: []option{{"required", "Yes, they are required to give evidence"}, {"not_required", "No, they are not (or no longer) required"}}}}},
	{typ: throughline.TypePoliceNoFurtherAction, title: "Record a police decision of no further action", done: "Decision recorded", when: "When did the police decide?", fields: []formField{
		{name: "suspect_id", kind: "suspect", label: "Which suspect?", hint: "A decision by the police themselves. Record a CPS decision not to charge as a charging decision"}}},
	{typ: throughline.TypeReviewRequested, title: "Record a request for a Victims' Right to Review", done: "Review request recorded", when: "When was the request received?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Who asked for the review?"},
		{name: "scheme", kind: "radios", label: "Which decision is to be reviewed?", options: reviewSchemes}}},
	{typ: throughline.TypeReviewDecided, title: "Record a Victims' Right to Review decision", done: "Review decision recorded", when: "When was the victim sent the decision?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Whose review?"},
		{name: "scheme", kind: "radios", label: "Which scheme reviewed it?", options: reviewSchemes},
		{name: "result", kind: "radios", label: "What did the review decide?", options: []option{{"decision_upheld", "The decision stands"}, {"decision_overturned", "The decision was overturned"}}}}},
	{typ: throughline.TypeVictimPersonalStatement, title: "Record the victim's personal statement", done: "Personal statement recorded", when: "When was this?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Which victim?"},
		{name: "action", kind: "radios", label: "What happened?", hint: "After a conviction the victim must have the chance to make or update their statement before sentence", options: []option{
			{"offered", "They were offered the chance to make or update it"}, {"made", "They made a statement"}, {"updated", "They updated their statement"}, {"declined", "They chose not to make one"},
			{"help_wanted", "They asked for help to write it"}}},
		{name: "text", kind: "textarea", label: "Their statement in their own words, if they made or updated it with you (optional, kept sealed)", optional: true}}},
	{typ: throughline.TypeInformationNoticeException, title: "Record why notice of an information request was not given by the request", done: "Reason recorded", when: "When was this decided?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Which victim is the information about?"},
		{name: "request_id", kind: "request", label: "Which request?"},
		{name: "exception", kind: "radios", label: "Why?", options: []option{
			{throughline.NoticeLater, "Notice on or before the request was not reasonably practicable: it will be given in writing as soon as it is (s.44B(3)(b))"},
			{throughline.NoticeNone, "No notice will be given: the exception in s.44B(5) applies"}}},
		{name: "reason", kind: "textarea", label: "Your grounds", hint: "Kept sealed with the case's personal data. The victim does not see them"}}},
	{typ: throughline.TypeContactPreferencesSet, title: "Record how the victim wants to be contacted", done: "Contact preferences recorded", when: "When did they tell you?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Whose preferences?"},
		{name: "channels", kind: "channels", label: "How do they want to be contacted first?"},
		{name: "email", kind: "text", label: "Email address", optional: true},
		{name: "mobile", kind: "text", label: "Mobile phone number", optional: true},
		{name: "address", kind: "textarea", label: "Postal address", optional: true},
		{name: "never_write_home", kind: "yesno", label: "Never write to their home", hint: "Letters are then never sent, whatever else is chosen"},
		{name: "safe_windows", kind: "safewindows", label: "When is it safe to call?"},
		{name: "safe_times", kind: "text", label: "When it is safe to call, in their words (optional)",
			hint: "Kept as they said it. Calls are checked against the days and times above, not these words", optional: true},
		{name: "nominated_contact", kind: "text", label: "Someone to contact for them (optional)", hint: "Their name and how to reach them", optional: true},
		{name: "language", kind: "radios", label: "Language", options: []option{{"en", "English"}, {"cy", "Welsh (Cymraeg)"}}},
		{name: "formats", kind: "checkboxes", label: "Formats they need (optional)", hint: "Select all that apply", options: opts(throughline.Formats), optional: true},
		{name: "routine_every_days", kind: "days", label: "Update them at least every (days, optional)", hint: "28 days if left empty", optional: true}}},
	{typ: throughline.TypeNamedContactChanged, title: "Record the victim's named contact", done: "Named contact recorded", when: "From when?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "For whom?"},
		{name: "name", kind: "text", label: "Name of the contact"},
		{name: "team", kind: "contactteam", label: "Team", hint: "Where they work: the force's Witness Care Unit or police force comes first"},
		{name: "phone", kind: "text", label: "Phone (optional)", optional: true},
		{name: "email", kind: "text", label: "Email (optional)", optional: true}}},
	{typ: throughline.TypeCallbackRequested, title: "Record that the victim asked to be called back", done: "Call-back request recorded", when: "When did they ask?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Who asked?"},
		{name: "when", kind: "text", label: "When suits them? (optional)", hint: "In their words, for example tomorrow after 5pm", optional: true}}},
	{typ: throughline.TypeCallbackMade, title: "Record a call-back made", done: "Call-back recorded", when: "What day did you call?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Who did you call?"},
		{name: "reached", kind: "reached", label: "Did you reach them?"},
		{name: "note", kind: "textarea", label: "What did you tell them? If you did not reach them, why not?",
			hint: "For example, what they asked about and what you said, or that there was no answer and you left no message. Kept sealed with the case's personal data"},
		{name: "called_at", kind: "calltime", label: "What time did you call?", hint: "For example, 18:30 or 6:30pm. The call is checked against the safe times they gave as days and times"},
		{name: "against_preferences", kind: "textarea", label: "If the call was outside their safe times, why? (optional)", hint: "It is kept on the case record", optional: true}}},
	{typ: throughline.TypeInformationRequested, title: "Record a request for the victim's information", done: "Information request recorded", when: "When was the request made?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Whose information?"},
		{name: "request_id", kind: "newrequest", label: ""},
		{name: "material", kind: "radios", label: "What material?", options: materialOptions},
		{name: "holder", kind: "text", label: "Who holds it?", hint: "For example, the counselling service, the GP surgery or the school"},
		{name: "holder_counselling", kind: "yesno", label: "The holder provides counselling services",
			hint: "Any service offering psychological or emotional support, paid or unpaid, including a Rape Crisis centre. A request to them is a counselling information request (s.44A(5))"},
		{name: "holder_belief", kind: "textarea", label: "Why do you believe the holder has the information?", hint: "Section 44A(3)(a). For example, what the victim or a witness said", optional: true},
		{name: "line_of_enquiry", kind: "textarea", label: "Which reasonable line of enquiry is it relevant to, and why is that not speculation?", hint: "Section 44A(3)(b)", optional: true},
		{name: "necessity", kind: "textarea", label: "Why is the request necessary and proportionate?", hint: "Section 44A(3)(c). Say why you cannot do without it, and why you ask for no more than you need", optional: true},
		{name: "probative_value", kind: "textarea", label: "For counselling information only: why is it likely to have substantial probative value?",
			hint: "Section 44A(4). Start from the presumption that such a request is not necessary and proportionate (s.44D(2)), and say what rebuts it. Leave empty for other holders", optional: true},
		{name: "reason", kind: "textarea", label: "Why the information is sought, in words for the victim", hint: "The notice to the victim says this (s.44B(2)(b))"},
		{name: "handling", kind: "textarea", label: "How the information will be dealt with once obtained, in words for the victim", hint: "The notice to the victim says this (s.44B(2)(c)): who will see it, what will be used, how it is kept", optional: true}}},
	// A request's workflow (ADR 0400): each form offers only the requests
	// at the step it records; the record menu says why the others wait.
	{typ: throughline.TypeInformationRequestApproved, title: "Approve a request for the victim's information", done: "Request approved", when: "When did you approve it?", fields: []formField{
		{name: "request_id", kind: "ofrequest", label: "Which request do you approve?", hint: "You cannot approve a request you recorded yourself",
			flows: func(f *throughline.RequestFlow) bool { return f.State() == throughline.RequestDraft }},
		{name: "note", kind: "textarea", label: "Why do you approve it?", hint: "Say why each condition of s.44A is met, and for counselling information what rebuts the presumption that it is not necessary and proportionate (s.44D(2)). Kept sealed with the case's personal data"}}},
	{typ: throughline.TypeInformationNoticeExceptionApproved, title: "Approve an exception to notice to the victim", done: "Exception to notice approved", when: "When did you approve it?", fields: []formField{
		{name: "request_id", kind: "ofrequest", label: "Which request's exception do you approve?", hint: "You cannot approve an exception you recorded yourself",
			flows: func(f *throughline.RequestFlow) bool {
				return f.Exception != "" && f.ExceptionApproved.IsZero() && f.Sent.IsZero()
			}},
		{name: "note", kind: "textarea", label: "Why do you approve it?", hint: "Say why notice by the request is not reasonably practicable (s.44B(3)(b)), or why no notice is to be given (s.44B(5)). Kept sealed with the case's personal data"}}},
	{typ: throughline.TypeInformationRequestView, title: "Record your view of a request for the victim's information", done: "View recorded", when: "When did you give it?", fields: []formField{
		{name: "request_id", kind: "ofrequest", label: "Which request?", flows: func(f *throughline.RequestFlow) bool { return f.Withdrawn.IsZero() }},
		{name: "advice", kind: "radios", label: "Your advice", options: []option{{"supported", "The request is supported"}, {"not_supported", "The request is not supported"}}},
		{name: "view", kind: "textarea", label: "Your view and its reasons", hint: "The Attorney General's Guidelines on Disclosure require the decision and its reasons to be recorded. Kept sealed with the case's personal data"}}},
	// A decision not to seek or to withhold material is kept under review
	// (ADR 0400, the material_review deadline): the form records it, and
	// its revisiting, one question at a time.
	{typ: throughline.TypeMaterialDecision, title: "Record a decision not to seek or to withhold material", done: "Decision recorded", when: "When was the decision made?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Whose material?"},
		{name: "decision", kind: "radios", label: "What was decided?",
			hint: "A decision not to seek or to withhold material is reviewed before the PTPH and after the defence statement. Record it again as revisited when you have reviewed it",
			options: []option{{throughline.MaterialNotSought, "Not to seek it"}, {throughline.MaterialWithheld, "To withhold it"},
				{throughline.MaterialRevisited, "An earlier decision about it was revisited"}}},
		{name: "material", kind: "radios", label: "What material?", options: materialOptions},
		{name: "request_id", kind: "request", label: "Which request does it concern?", optional: true, none: "It does not concern a request",
			hint: "For material a request brought in, or one the decision is about"},
		{name: "reason", kind: "textarea", label: "Why was it decided?",
			hint: "The Attorney General's Guidelines on Disclosure require the decision and its reasons to be recorded. Kept sealed with the case's personal data"}}},
	{typ: throughline.TypeInformationRequestSent, title: "Record a request for the victim's information sent", done: "Request sent", when: "When was it sent to the holder?", fields: []formField{
		{name: "request_id", kind: "ofrequest", label: "Which request was sent?",
			hint:  "A request can be sent once the victim's written notice of it is delivered, or a supervisor has approved an exception to notice; a counselling information request also needs a supervisor's approval",
			flows: func(f *throughline.RequestFlow) bool { return f.Sent.IsZero() && f.Withdrawn.IsZero() }}}},
	{typ: throughline.TypeInformationRequestResponse, title: "Record the holder's answer to a request", done: "Answer recorded", when: "When did they answer?", fields: []formField{
		{name: "request_id", kind: "ofrequest", label: "Which request did they answer?",
			flows: func(f *throughline.RequestFlow) bool { return f.State() == throughline.RequestSent }},
		{name: "result", kind: "radios", label: "What did they do?", options: []option{{"received", "They provided the information"}, {"refused", "They refused the request"}}},
		{name: "note", kind: "textarea", label: "What they sent, or why they refused (optional)", hint: "Kept sealed with the case's personal data", optional: true}}},
	{typ: throughline.TypeInformationRequestWithdrawn, title: "Withdraw a request for the victim's information", done: "Request withdrawn", when: "When was it withdrawn?", fields: []formField{
		{name: "request_id", kind: "ofrequest", label: "Which request?",
			flows: func(f *throughline.RequestFlow) bool { return f.Withdrawn.IsZero() && f.Result == "" }},
		{name: "reason", kind: "textarea", label: "Why is it withdrawn?", hint: "Kept sealed with the case's personal data"}}},
	{typ: throughline.TypeComplainantWithdrew, title: "Record that a complainant withdrew support", done: "Withdrawal recorded", when: "When did they withdraw?", fields: []formField{
		{name: "complainant_id", kind: "complainant", label: "Who withdrew?"},
		{name: "reason", kind: "textarea", label: "What did they say?"}}},
	{typ: throughline.TypeCaseClosed, title: "Close the case", done: "Case closed", when: "When was the case closed?", fields: []formField{
		{name: "reason", kind: "textarea", label: "Why is the case closing?"}}},
}

var reviewSchemes = []option{{"cps", "A CPS decision (the CPS scheme)"}, {"police", "A police decision (the police scheme)"}}

// allForms are the event forms, the joint police–CPS work's after the rest.
var allForms = slices.Concat(eventForms, collabForms, deviceForms)

// measureOptions are the special measures of YJCEA 1999 ss.23–30.
var measureOptions = func() []option {
	var out []option
	for _, m := range throughline.SpecialMeasures {
		out = append(out, option{m, page.MeasureName(m)})
	}
	return out
}()

// materialOptions are the kinds of material a victim information request
// may seek.
var materialOptions = []option{{"counselling_notes", "Counselling notes"}, {"therapy_notes", "Therapy notes"}, {"medical", "Medical records"},
	{"education", "Education records"}, {"social_care", "Social care records"}, {"devices", "Information from a device"}, {"other", "Other"}}

// aboutOptions are what a victim may be told about.
var aboutOptions = []option{{"charged", "The charge"}, {"remand_status_changed", "Bail or custody"}, {"hearing_listed", "A hearing date, time and place"}, {"hearing_vacated", "A hearing vacated"}, {"hearing_held", "A hearing's outcome"}, {"verdict", "The verdict"}, {"sentenced", "The sentence"}, {"prosecution_stopped", "A decision to stop or alter the prosecution"}, {"charging_decision", "The charging decision"}, {"police_no_further_action", "A police decision of no further action"}, {"bail_conditions_changed", "A change to bail conditions"}, {"warrant_issued", "A warrant for arrest"}, {"witness_requirement_decided", "Whether they are required to give evidence"}, {"information_requested", "A request for information about them (notice under s.44B)"}, {"device_extraction_requested", "A request to extract information from their device (written notice under s.39(3))"}, {"regular_update", "A regular update"}, {"victim_contact_scheme", "Referred to the Victim Contact Scheme"}}

// aboutValues are aboutOptions' values.
var aboutValues = func() []string {
	var out []string
	for _, o := range aboutOptions {
		out = append(out, o.value)
	}
	return out
}()

func formFor(typ string) (eventForm, bool) {
	i := slices.IndexFunc(allForms, func(f eventForm) bool { return f.typ == typ })
	if i < 0 {
		return eventForm{}, false
	}
	return allForms[i], true
}

// control is one form control of a page, of whichever kind.
type control struct {
	Heading   string // a heading over the controls that follow (an action of a plan)
	Input     *page.Input
	Textarea  *page.Textarea
	Select    *page.Select
	Radios    *page.Choices
	Checkbox  *page.Choices
	DateInput *page.DateInput
	Time      *page.Input
}

// recordPage is the view of an event form.
type recordPage struct {
	page.Layout
	Ref     string
	Heading string
	Action  string
	Version int64
	// Warnings are what the person recording must bear in mind before
	// they fill the form in: the victim's own wishes about contact.
	Warnings []string
	Controls []control
	Submit   page.Button
	Cancel   string
}

// RecordForm: GET /cases/{ref}/record/{type}. The form names the case's
// people, so showing it is a consultation.
func (s *Recording) RecordForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	f, ok := formFor(r.PathValue("type"))
	if !ok {
		return throughline.Errorf(throughline.ENOTFOUND, "no such form")
	}
	if !throughline.MayRecord(rq.User, f.typ) {
		return throughline.Errorf(throughline.EFORBIDDEN, "your role does not record this (%s)", strings.ToLower(f.title))
	}
	ca, err := s.Access.Load(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionRecord)
	if err != nil {
		return err
	}
	vals := url.Values{}
	today := s.Now().In(throughline.London)
	vals.Set("occurred_at-day", strconv.Itoa(today.Day()))
	vals.Set("occurred_at-month", strconv.Itoa(int(today.Month())))
	vals.Set("occurred_at-year", strconv.Itoa(today.Year()))
	// A link from a work list fills in whom the event is about.
	for _, fd := range f.fields {
		if v := r.URL.Query()[fd.name]; len(v) > 0 {
			vals[fd.name] = v
		}
	}
	// Her preferences open as they are recorded: the form replaces them
	// whole, so a form opened empty and saved would wipe them.
	if f.typ == throughline.TypeContactPreferencesSet {
		if cp := preferencesOf(ca.Case, vals.Get("complainant_id")); cp != nil {
			vals.Set("complainant_id", cp.ID)
			prefsValues(vals, cp.Preferences)
		}
	}
	if f.typ == throughline.TypeCharged && len(vals["offences"]) == 0 {
		for _, o := range ca.Case.Offences {
			vals.Add("offences", o.HOCode+"|"+o.CJSCode)
		}
	}
	p := s.recordView(rq, ca, f, vals, ca.Case.Version, nil)
	if err := s.Access.Consulted(r, rq.User, ca, []string{throughline.PartSummary, throughline.PartParties, throughline.PartHearings}, throughline.ChannelPage); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "record", p)
	return nil
}

// Record: POST /cases/{ref}/record/{type}: append the event with the
// version the user saw; a stale form says someone else changed the case.
func (s *Recording) Record(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	f, ok := formFor(r.PathValue("type"))
	if !ok {
		return throughline.Errorf(throughline.ENOTFOUND, "no such form")
	}
	ca, err := s.Access.Load(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionRecord)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	vals := r.PostForm
	version, err := strconv.ParseInt(vals.Get("version"), 10, 64)
	if err != nil || version < 1 {
		return throughline.Errorf(throughline.EINVALID, "the form has no case version: open it again from the case")
	}
	data, occurred, formErrs := buildEvent(f, ca.Full, vals)
	// Parse through the same parser as the API, even when the form could
	// not be read whole, so that every field's message shows at once.
	if occurred == "" {
		occurred = ca.Full.Reported.Date().Format("2006-01-02")
	}
	raw, _ := json.Marshal(data)
	e, appendErr := api.ParseNew(api.NewEvent{OccurredAt: occurred, Data: raw}, ca.Ref, f.typ, rq.User, s.Now())
	if len(formErrs) > 0 {
		fields := formErrs
		var te *throughline.Error
		if errors.As(appendErr, &te) {
			for _, fe := range te.Fields {
				// A request chosen brings its complainant: a form that asks
				// only for the request has no complainant to name as missing.
				if fe.Field == "data.complainant_id" && !slices.ContainsFunc(f.fields, func(fd formField) bool { return fd.name == "complainant_id" }) {
					continue
				}
				if !slices.ContainsFunc(fields, func(x throughline.FieldError) bool { return x.Field == fe.Field }) {
					fields = append(fields, fe)
				}
			}
		}
		appendErr = &throughline.Error{Code: throughline.EINVALID, Message: "not a valid " + f.typ + " event", Fields: fields}
	}
	if appendErr == nil {
		appendErr = ca.MayRecordEvent(rq.User, e)
	}
	if appendErr == nil {
		_, _, appendErr = s.Store.Append(r.Context(), e, version)
		if appendErr == nil && f.typ == throughline.TypeCallbackMade {
			if err := s.callbackDone(r.Context(), e, rq.User); err != nil {
				return err
			}
		}
		if appendErr == nil {
			http.Redirect(w, r, page.CaseURL(ca.Ref)+"?recorded="+url.QueryEscape(f.typ)+"&on="+url.QueryEscape(occurred), http.StatusSeeOther)
			return nil
		}
	}
	code := throughline.ErrorCode(appendErr)
	status := http.StatusUnprocessableEntity
	switch code {
	case throughline.EINVALID:
	case throughline.ECONFLICT:
		status = http.StatusConflict
	case throughline.ENOTFOUND:
		return appendErr
	default:
		return appendErr
	}
	if code == throughline.ECONFLICT {
		// Show what changed, and let the user check and send again against
		// the case as it is now.
		fresh, err := s.Access.Load(r.Context(), rq.User, ca.Ref, throughline.ActionRecord)
		if err != nil {
			return err
		}
		since, err := s.changesSince(r, fresh, version)
		if err != nil {
			return err
		}
		p := s.recordView(rq, fresh, f, vals, fresh.Case.Version, nil)
		p.ErrorSummary = &page.ErrorSummary{TitleText: "Someone else changed this case", DescriptionText: "While you had this form open, someone else recorded something on this case. Check what changed below and on the case page, then check your answers and send them again.",
			ErrorList: since}
		s.Render(w, r, status, "record", p)
		return nil
	}
	p := s.recordView(rq, ca, f, vals, version, appendErr)
	s.Render(w, r, status, "record", p)
	return nil
}

// callbackDone closes the call-back tasks of the complainant a call-back
// made was to: the call she asked for is made, whether or not it reached
// her (a call not reached is asked for again by a new request, or tried
// again by the caller). The event is recorded first: a task closed
// meanwhile by someone else is not an error.
func (s *Recording) callbackDone(ctx context.Context, e throughline.Event, u throughline.User) error {
	d := e.Data.(*throughline.CallbackMade)
	ts, err := s.Store.Tasks(ctx, e.Case, true, throughline.ScopeFilter{})
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.Kind != throughline.TaskCallback || t.Complainant != d.ComplainantID {
			continue
		}
		if err := s.Store.CompleteTask(ctx, t.ID, u.ID); err != nil && throughline.ErrorCode(err) != throughline.EINVALID {
			return err
		}
	}
	return nil
}

// changesSince lists the events recorded after version, as error summary
// entries.
func (s *Recording) changesSince(r *http.Request, ca *access.Case, version int64) ([]page.ErrorLink, error) {
	evs, err := s.Store.Events(r.Context(), ca.Ref)
	if err != nil {
		return nil, err
	}
	evs = visibleEvents(evs, ca.Decision)
	var actors []string
	for _, e := range evs {
		actors = append(actors, e.Actor)
	}
	who, err := s.Store.UserNames(r.Context(), actors)
	if err != nil {
		return nil, err
	}
	var out []page.ErrorLink
	n := page.NamesOf(ca.Case)
	for _, e := range evs {
		if e.Version <= version {
			continue
		}
		title, text, _ := describe(e, ca.Case, n, ca.Decision.Pseudonymise)
		by := who[e.Actor]
		if by == "" {
			by = e.Agency
		}
		out = append(out, page.ErrorLink{Text: title + ": " + text + " (recorded by " + by + ")", Href: page.CaseURL(ca.Ref)})
	}
	if len(out) == 0 {
		out = append(out, page.ErrorLink{Text: "Open the case again to see what changed", Href: page.CaseURL(ca.Ref)})
	}
	return out, nil
}

// recordView builds an event form with the user's values and errors.
func (s *Recording) recordView(rq *page.Request, ca *access.Case, f eventForm, v url.Values, version int64, err error) recordPage {
	c := ca.Case
	p := recordPage{Layout: page.NewLayout(rq, f.title, ""), Ref: c.Ref, Heading: f.title, Action: page.CaseURL(c.Ref, "record", f.typ), Version: version,
		Submit: page.Button{Text: "Save", PreventDoubleClick: new(true)}, Cancel: page.CaseURL(c.Ref)}
	p.Back = page.CaseURL(c.Ref, "record")
	var msgs page.FieldMessages
	if err != nil {
		p.ErrorSummary, msgs = page.ErrorSummaryOf(namedErr(plainMessages(err), c), func(field string) (string, string) { return formFieldOf(f, field) })
	}
	errFor := msgs.Of
	if f.typ == throughline.TypeVictimInformed || f.typ == throughline.TypeCallbackMade {
		p.Warnings = wishes(c)
	}
	legend := func(text string) *page.Fieldset {
		return &page.Fieldset{Legend: &page.Legend{Text: text, Classes: "govuk-fieldset__legend--s"}}
	}
	radios := func(name, label, hint string, items []option, optional bool) control {
		ch := page.Choices{Name: name, Fieldset: legend(label), ErrorMessage: errFor(name)}
		if hint != "" {
			ch.Hint = &page.Hint{Text: hint}
		}
		for _, o := range items {
			ch.Items = append(ch.Items, page.Choice{Value: o.value, Text: o.text, Checked: v.Get(name) == o.value})
		}
		return control{Radios: &ch}
	}
	for _, fd := range f.fields {
		if cs, ok := collabControls(fd, c, v, errFor); ok {
			p.Controls = append(p.Controls, cs...)
			continue
		}
		if cs, ok := deviceControls(fd, c, v, errFor); ok {
			p.Controls = append(p.Controls, cs...)
			continue
		}
		switch fd.kind {
		case "suspect", "defendant", "complainant":
			var items []option
			if fd.kind == "complainant" {
				for _, cp := range c.Complainants {
					items = append(items, option{cp.ID, cp.Name})
				}
			} else {
				for _, d := range c.Defendants {
					if fd.kind == "defendant" && d.Charged.IsZero() {
						continue
					}
					items = append(items, option{d.ID, d.Name + " (" + stageName(d.Stage) + ")"})
				}
			}
			p.Controls = append(p.Controls, radios(fd.name, fd.label, fd.hint, withNone(fd, items, v), false))
		case "request":
			var items []option
			for _, cp := range c.Complainants {
				for _, rq := range cp.Requests {
					items = append(items, option{rq.RequestID, page.Sentence(enumWord(rq.Material)) + " held by " + rq.Holder + ", about " + cp.Name})
				}
			}
			if f.typ == throughline.TypeVictimInformed {
				items = append(items, deviceNoticeOptions(c)...)
			}
			hint := fd.hint
			if len(items) == 0 {
				hint = "No information request has been recorded on this case"
			}
			p.Controls = append(p.Controls, radios(fd.name, fd.label, hint, withNone(fd, items, v), false))
		case "ofrequest":
			var items []option
			for _, o := range requestOptions(c, fd) {
				items = append(items, option{o.id, o.text})
			}
			hint := fd.hint
			if len(items) == 0 {
				hint = "No information request on this case is at this step"
			}
			p.Controls = append(p.Controls, radios(fd.name, fd.label, hint, withNone(fd, items, v), false))
		case "radios":
			p.Controls = append(p.Controls, radios(fd.name, fd.label, fd.hint, fd.options, fd.optional))
		case "hearing", "newhearing":
			var items []option
			if fd.kind == "newhearing" {
				items = append(items, option{"new", "A new hearing"})
				if v.Get(fd.name) == "" {
					v.Set(fd.name, "new")
				}
			}
			for _, h := range c.Hearings {
				if fd.hearings == nil || fd.hearings(h) {
					prefix := ""
					if fd.kind == "newhearing" {
						prefix = "Move: "
					}
					items = append(items, option{h.ID, prefix + hearingKind(h.Kind) + ", " + courtName(h.Court) + ", " + day(h.StartsAt)})
				}
			}
			hint := fd.hint
			if len(items) == 0 {
				hint = "There are no hearings this applies to"
			}
			p.Controls = append(p.Controls, radios(fd.name, fd.label, hint, withNone(fd, items, v), false))
		case "offences":
			ch := page.Choices{Name: fd.name, Fieldset: legend(fd.label), Hint: &page.Hint{Text: fd.hint}, ErrorMessage: errFor(fd.name)}
			for _, o := range c.Offences {
				val := o.HOCode + "|" + o.CJSCode
				ch.Items = append(ch.Items, page.Choice{Value: val, Text: offenceName(o) + " (" + o.CJSCode + ")", Checked: slices.Contains(v[fd.name], val)})
			}
			p.Controls = append(p.Controls, control{Checkbox: &ch})
		case "crowncourt", "court":
			sel := page.Select{Name: fd.name, Label: &page.Label{Text: fd.label, Classes: "govuk-label--s"}, ErrorMessage: errFor(fd.name)}
			// Offered first: the Crown Court a defendant was sent to, else
			// the force's own first court.
			courts := courtOptions(c.Force, fd.kind == "crowncourt")
			want := v.Get(fd.name)
			for _, d := range c.Defendants {
				if want == "" && d.Court != "" {
					want = d.Court
				}
			}
			if want == "" {
				want = courts[0].value
			}
			for _, o := range courts {
				sel.Items = append(sel.Items, page.Choice{Value: o.value, Text: o.text, Selected: o.value == want})
			}
			p.Controls = append(p.Controls, control{Select: &sel})
		case "contactteam":
			sel := page.Select{Name: fd.name, Label: &page.Label{Text: fd.label, Classes: "govuk-label--s"}, Hint: &page.Hint{Text: fd.hint}, ErrorMessage: errFor(fd.name)}
			want := v.Get(fd.name)
			for i, o := range contactTeams(c.Force) {
				sel.Items = append(sel.Items, page.Choice{Value: o, Text: o, Selected: o == want || (want == "" && i == 0)})
			}
			p.Controls = append(p.Controls, control{Select: &sel})
		case "reason":
			sel := page.Select{Name: fd.name, Label: &page.Label{Text: fd.label, Classes: "govuk-label--s"}, ErrorMessage: errFor(fd.name), Items: []page.Choice{{Value: "", Text: "Not applicable: it went ahead"}}}
			for _, rs := range throughline.IneffectiveReasons {
				sel.Items = append(sel.Items, page.Choice{Value: rs.Code, Text: "Ineffective: " + rs.Text, Selected: v.Get(fd.name) == rs.Code})
			}
			for _, rs := range throughline.CrackedReasons {
				if rs.Code == "other" {
					continue
				}
				sel.Items = append(sel.Items, page.Choice{Value: rs.Code, Text: "Cracked: " + rs.Text, Selected: v.Get(fd.name) == rs.Code})
			}
			p.Controls = append(p.Controls, control{Select: &sel})
		case "about":
			sel := page.Select{Name: fd.name, Label: &page.Label{Text: fd.label, Classes: "govuk-label--s"}, ErrorMessage: errFor(fd.name)}
			for _, o := range aboutOptions {
				sel.Items = append(sel.Items, page.Choice{Value: o.value, Text: o.text, Selected: v.Get(fd.name) == o.value})
			}
			p.Controls = append(p.Controls, control{Select: &sel})
		case "checkboxes":
			ch := page.Choices{Name: fd.name, Fieldset: legend(fd.label), Hint: &page.Hint{Text: fd.hint}, ErrorMessage: errFor(fd.name)}
			for _, o := range fd.options {
				ch.Items = append(ch.Items, page.Choice{Value: o.value, Text: o.text, Checked: slices.Contains(v[fd.name], o.value)})
			}
			p.Controls = append(p.Controls, control{Checkbox: &ch})
		case "channels":
			chans := []option{{"email", "Email"}, {"sms", "Text message"}, {"letter", "Letter"}, {"phone", "Phone call"}}
			p.Controls = append(p.Controls, radios(fd.name, fd.label, "", chans, false))
			then := append([]option{{"", "No other way"}}, chans...)
			p.Controls = append(p.Controls, radios(fd.name+"-then", "If that does not reach them, how next?", "", then, true))
			// Third and fourth choices, recorded through the API, are
			// shown when there are any, so that saving keeps them.
			for i := 2; i < len(throughline.Channels) && v.Get(channelField(fd.name, i)) != ""; i++ {
				p.Controls = append(p.Controls, radios(channelField(fd.name, i), "If that does not reach them either, how next?", "", then, true))
			}
		case "safewindows":
			p.Controls = append(p.Controls, safeWindowControls(fd, v, errFor)...)
		case "yesno":
			ch := page.Choices{Name: fd.name, Classes: "govuk-checkboxes--small", Items: []page.Choice{{Value: "yes", Text: fd.label, Hint: &page.Hint{Text: fd.hint}, Checked: v.Get(fd.name) == "yes"}}}
			p.Controls = append(p.Controls, control{Checkbox: &ch})
		case "days":
			in := page.Input{Name: fd.name, Value: v.Get(fd.name), Label: &page.Label{Text: fd.label, Classes: "govuk-label--s"}, ErrorMessage: errFor(fd.name),
				Hint: &page.Hint{Text: fd.hint}, Classes: "govuk-input--width-3", Inputmode: "numeric", Spellcheck: new(bool)}
			p.Controls = append(p.Controls, control{Input: &in})
		case "text":
			in := page.Input{Name: fd.name, Value: v.Get(fd.name), Label: &page.Label{Text: fd.label, Classes: "govuk-label--s"}, ErrorMessage: errFor(fd.name)}
			if fd.hint != "" {
				in.Hint = &page.Hint{Text: fd.hint}
			}
			p.Controls = append(p.Controls, control{Input: &in})
		case "reached":
			p.Controls = append(p.Controls, radios(fd.name, fd.label, "", []option{{"yes", "Yes, I spoke to them"}, {"no", "No, I did not reach them"}}, false))
		case "calltime":
			in := page.Input{Name: fd.name, Value: v.Get(fd.name), Label: &page.Label{Text: fd.label, Classes: "govuk-label--s"}, ErrorMessage: errFor(fd.name),
				Hint: &page.Hint{Text: fd.hint}, Classes: "govuk-input--width-5"}
			p.Controls = append(p.Controls, control{Input: &in})
		case "months":
			in := page.Input{Name: fd.name, Value: v.Get(fd.name), Label: &page.Label{Text: fd.label, Classes: "govuk-label--s"}, ErrorMessage: errFor(fd.name),
				Hint: &page.Hint{Text: fd.hint}, Classes: "govuk-input--width-4", Inputmode: "numeric", Spellcheck: new(bool)}
			p.Controls = append(p.Controls, control{Input: &in})
		case "textarea":
			ta := page.Textarea{Name: fd.name, Value: v.Get(fd.name), Label: &page.Label{Text: fd.label, Classes: "govuk-label--s"}, ErrorMessage: errFor(fd.name), Rows: 3}
			if fd.hint != "" {
				ta.Hint = &page.Hint{Text: fd.hint}
			}
			p.Controls = append(p.Controls, control{Textarea: &ta})
		case "datetime":
			di := page.DateInput{ID: fd.name, Day: v.Get(fd.name + "-day"), Month: v.Get(fd.name + "-month"), Year: v.Get(fd.name + "-year"),
				Fieldset: legend(fd.label), Hint: &page.Hint{Text: "For example, 27 3 2026"}, ErrorMessage: errFor(fd.name)}
			p.Controls = append(p.Controls, control{DateInput: &di})
			tm := page.Input{Name: fd.name + "-time", Value: v.Get(fd.name + "-time"), Label: &page.Label{Text: "Time"}, Hint: &page.Hint{Text: "For example, 10:00 or 2pm"}, Classes: "govuk-input--width-5"}
			p.Controls = append(p.Controls, control{Time: &tm})
		}
	}
	// The form opens with today's date filled in, as most things are
	// recorded the day they happen; the hint says so, and so does the
	// confirmation, so that a date left as it was is never a surprise.
	when := page.DateInput{ID: "occurred_at", Day: v.Get("occurred_at-day"), Month: v.Get("occurred_at-month"), Year: v.Get("occurred_at-year"),
		Fieldset: legend(f.when), Hint: &page.Hint{Text: "Today's date is filled in: change it if it was another day. For example, 27 3 2026"}, ErrorMessage: errFor("occurred_at")}
	p.Controls = append(p.Controls, control{DateInput: &when})
	return p
}

// withNone adds an optional field's choice of none, and chooses the only
// choice there is for the user when the field is not optional.
func withNone(fd formField, items []option, v url.Values) []option {
	if fd.optional {
		items = append(items, option{noneValue, fd.none})
		if v.Get(fd.name) == "" {
			v.Set(fd.name, noneValue)
		}
	} else if len(items) == 1 && v.Get(fd.name) == "" {
		v.Set(fd.name, items[0].value)
	}
	return items
}

// noneValue is the value of an optional field's choice of none.
const noneValue = "none"

// formFieldOf maps a domain field path to the form field and the id of
// its first control, for error summary links.
func formFieldOf(f eventForm, field string) (string, string) {
	name := strings.TrimPrefix(field, "data.")
	if i := strings.IndexAny(name, ".["); i >= 0 {
		name = name[:i]
	}
	if name == "occurred_at" {
		return name, "occurred_at-day"
	}
	if i, ok := safeWindowOf(field); ok {
		return "safe" + strconv.Itoa(i+1), "safe" + strconv.Itoa(i+1) + "-days"
	}
	if n, id, ok := collabFieldOf(name); ok {
		return n, id
	}
	for _, fd := range f.fields {
		if fd.name == name {
			switch fd.kind {
			case "datetime", "date":
				return name, name + "-day"
			}
			return name, name
		}
	}
	return name, ""
}

// missingWords say what to do about a field left out, in the Design
// System's style, where the domain says only that it is required.
var missingWords = map[string]string{
	"defendant_id": "Select the defendant", "suspect_id": "Select the suspect", "complainant_id": "Select the victim",
	"method": "Select how they were charged", "status": "Select where the defendant is now", "court": "Select the court",
	"hearing_id": "Select the hearing", "kind": "Select the kind of hearing", "starts_at": "Enter when the hearing starts",
	"listing": "Select how the hearing is listed", "reason": "Enter the reason", "outcome": "Select what happened",
	"result": "Select the result", "how": "Select what the CPS did", "about": "Select what they were told about",
	"channel": "Select how they were told", "purpose": "Select what the file is for", "decision": "Select the decision",
	"offences": "Select at least one offence", "from": "Select who sent it", "scheme": "Select the scheme",
	"requirement": "Select whether the victim is required to give evidence", "request_id": "Select the request", "advice": "Select your advice",
	"note": "Enter your reasons", "view": "Enter your view and its reasons", "recipient": "Select who the notice was given to", "exception": "Select why", "action": "Select what happened",
	"measures": "Select at least one measure", "granted": "Select the measures granted or refused",
	"channels": "Select how they want to be contacted first", "material": "Select the material", "holder": "Enter who holds the material",
	"name": "Enter the contact's name", "team": "Enter the contact's team",
	"answer": "Select what she said", "device": "Enter which device", "reached": "Select whether you reached them",
}

// namedErr puts the case's people's names for their ids in the domain's
// messages: "Amelia Hart asked never to be written to at home", not "C1".
func namedErr(err error, c *throughline.Case) error {
	var te *throughline.Error
	if !errors.As(err, &te) {
		return err
	}
	out := *te
	out.Message = named(te.Message, c)
	out.Fields = slices.Clone(te.Fields)
	for i := range out.Fields {
		out.Fields[i].Message = named(out.Fields[i].Message, c)
	}
	return &out
}

// wishes are the victims' stated wishes about contact, shown before a
// telling is recorded, so that going against them is a choice made
// knowingly (and the domain then asks why).
func wishes(c *throughline.Case) []string {
	var out []string
	for _, cp := range c.Complainants {
		p := cp.Preferences
		if p == nil {
			continue
		}
		if p.NeverWriteHome {
			out = append(out, cp.Name+" asked never to be written to at home.")
		}
		if st := p.SafeTimesWords(); st != "" {
			out = append(out, cp.Name+" can be called safely only "+st+".")
		}
	}
	return out
}

// plainMessages rewrites the domain's "is required" and "must be one of …"
// messages for a form left incomplete.
func plainMessages(err error) error {
	var te *throughline.Error
	if !errors.As(err, &te) || len(te.Fields) == 0 {
		return err
	}
	out := *te
	out.Fields = slices.Clone(te.Fields)
	for i, fe := range out.Fields {
		name := strings.TrimPrefix(fe.Field, "data.")
		if j := strings.IndexAny(name, ".["); j >= 0 {
			name = name[:j]
		}
		if w, ok := missingWords[name]; ok && (fe.Message == "is required" || strings.HasPrefix(fe.Message, "must be one of") || strings.HasPrefix(fe.Message, "at least one")) {
			out.Fields[i].Message = w
		}
	}
	return &out
}

// recordedOn says on the confirmation what day a record is dated, and
// whether that is today: the form fills today's date in, and a date left
// as it was should be seen. "" for a link with no date.
func recordedOn(date string, now time.Time) string {
	w, err := throughline.ParseWhen(date)
	if err != nil {
		return ""
	}
	out := "Dated " + day(w)
	if w.Date().Equal(throughline.At(now).Date()) {
		out += " (today)"
	}
	return out + "."
}
