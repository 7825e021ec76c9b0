package throughline

import (
	"slices"
	"strings"
	"time"
)

// A victim information request as a workflow of events (ADR 0400):
//
//	information_requested                 drafted: each s.44A condition answered
//	information_request_approved          a police supervisor approves it (not its author)
//	information_notice_exception          notice later (s.44B(3)(b)) or none (s.44B(5)), with grounds
//	information_notice_exception_approved a police supervisor approves the exception (not its author)
//	victim_informed with request_id       the written notice delivered (s.44B(1), (2))
//	information_request_view              the prosecutor's view of it, and their advice
//	information_request_sent              the request made to the holder
//	information_request_response          the holder provided it, or refused
//	information_request_withdrawn         the police withdrew it
//
// The request is "made" (s.44A(2), s.44B(3)(a)) when it is sent to the
// holder: information_requested records the officer's draft of it, which is
// why its notice may go before it is sent, and why sending is where Decide
// enforces the notice and the approvals.

// The event types of the workflow.
const (
	TypeInformationRequestApproved         = "information_request_approved"
	TypeInformationNoticeExceptionApproved = "information_notice_exception_approved"
	TypeInformationRequestSent             = "information_request_sent"
	TypeInformationRequestResponse         = "information_request_response"
	TypeInformationRequestWithdrawn        = "information_request_withdrawn"
	TypeInformationRequestView             = "information_request_view"
)

// WrittenChannels are the ways of telling the victim that are notice "in
// writing" (s.44B(2)): the Interpretation Act 1978, Schedule 1, reads
// writing as any mode of representing words in a visible form. A phone call
// or a conversation in person is not notice under the section.
var WrittenChannels = []string{"letter", "email", "sms", "portal"}

// NoticeRecipients are those a notice is given to for a child, or for an
// adult without capacity (s.44B(4)): "given to V by giving it to" them.
var NoticeRecipients = []string{
	"parent_or_guardian",  // s.44B(4)(a): a parent or guardian of V
	"care_representative", // s.44B(4)(a): if V is in the care of a relevant authority or voluntary organisation, a person representing it
	"appropriate_adult",   // s.44B(4)(b): if no one in (a) is available, any adult the authorised person considers appropriate
}

// NoticeReaches reports whether a written notice given on day (a London
// calendar day as midnight UTC, as When.Date gives it), to
// recipient ("" for her own), is notice to a victim born on dateOfBirth
// (YYYY-MM-DD, "" if unknown). A child's notice is given by giving it to one
// of NoticeRecipients (s.44B(4)): one sent to her own address is not notice
// under the section. An adult's own notice is; one given to an adult the
// police chose is too, the police having judged she lacks capacity (the
// record holds no finding of capacity to check it against).
func NoticeReaches(dateOfBirth string, day time.Time, recipient string) bool {
	if recipient != "" {
		return true
	}
	born, err := time.Parse("2006-01-02", dateOfBirth)
	return err != nil || !day.Before(born.AddDate(18, 0, 0))
}

// The holder's answers, and the prosecutor's advice.
var (
	RequestResults = []string{"received", "refused"}
	RequestAdvice  = []string{"supported", "not_supported"}
)

// RequestFlow is where one victim information request stands. It is kept
// beside the request (Complainant.Flows) rather than in it, so the
// request's payload stays what the officer recorded.
type RequestFlow struct {
	RequestID string
	// DraftedBy is the actor who recorded the request; ExceptionBy the one
	// who recorded its notice exception: neither may approve it.
	DraftedBy string `json:",omitzero"`
	Drafted   When   `json:",omitzero"`
	Approved  When   `json:",omitzero"`
	// Exception is the notice exception last recorded (NoticeLater or
	// NoticeNone); ExceptionApproved is set once a supervisor approved that
	// exception, and cleared by a new one.
	Exception         string `json:",omitzero"`
	ExceptionBy       string `json:",omitzero"`
	ExceptionOn       When   `json:",omitzero"`
	ExceptionApproved When   `json:",omitzero"`
	// NoticeGiven is when a written notice naming the request was delivered.
	NoticeGiven When   `json:",omitzero"`
	Sent        When   `json:",omitzero"`
	Result      string `json:",omitzero"`
	Responded   When   `json:",omitzero"`
	Withdrawn   When   `json:",omitzero"`
	Advice      string `json:",omitzero"` // the prosecutor's latest advice
}

// Request states, as the pages show them.
const (
	RequestDraft     = "draft"
	RequestApproved  = "approved"
	RequestSent      = "sent"
	RequestReceived  = "received"
	RequestRefused   = "refused"
	RequestWithdrawn = "withdrawn"
)

// State is where the request stands.
func (f *RequestFlow) State() string {
	switch {
	case !f.Withdrawn.IsZero():
		return RequestWithdrawn
	case f.Result != "":
		return f.Result
	case !f.Sent.IsZero():
		return RequestSent
	case !f.Approved.IsZero():
		return RequestApproved
	}
	return RequestDraft
}

// Flow returns the workflow of request id, or nil.
func (cp *Complainant) Flow(id string) *RequestFlow {
	for i := range cp.Flows {
		if cp.Flows[i].RequestID == id {
			return &cp.Flows[i]
		}
	}
	return nil
}

// Request returns the request id, or nil.
func (cp *Complainant) Request(id string) *InformationRequested {
	for i := range cp.Requests {
		if cp.Requests[i].RequestID == id {
			return &cp.Requests[i]
		}
	}
	return nil
}

// InformationRequestApproved records a police supervisor's approval of a
// request: required before a counselling information request is sent
// (ADR 0400). The note is the supervisor's reasons, sealed: it discusses
// what the request says of her.
type InformationRequestApproved struct {
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
	Note          string `json:"note"`
}

// InformationNoticeExceptionApproved records a police supervisor's approval
// of the notice exception recorded for a request: without it the exception
// does not let the request be sent before the notice is delivered.
type InformationNoticeExceptionApproved struct {
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
	Note          string `json:"note"`
}

// InformationRequestSent records the request made to the holder.
type InformationRequestSent struct {
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
}

// InformationRequestResponse records the holder's answer: the information
// received, or the request refused. The note (what came, or why it was
// refused) is sealed.
type InformationRequestResponse struct {
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
	Result        string `json:"result"`
	Note          string `json:"note,omitempty"`
}

// InformationRequestWithdrawn records the police withdrawing a request,
// with their reason, sealed.
type InformationRequestWithdrawn struct {
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
	Reason        string `json:"reason"`
}

// InformationRequestView records the prosecutor's view of a request and
// their advice (Attorney General's Guidelines on Disclosure: decisions and
// reasons recorded). The view is sealed: it weighs what she has told others.
type InformationRequestView struct {
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
	Advice        string `json:"advice"`
	View          string `json:"view"`
}

func (*InformationRequestApproved) EventType() string { return TypeInformationRequestApproved }
func (*InformationNoticeExceptionApproved) EventType() string {
	return TypeInformationNoticeExceptionApproved
}
func (*InformationRequestSent) EventType() string      { return TypeInformationRequestSent }
func (*InformationRequestResponse) EventType() string  { return TypeInformationRequestResponse }
func (*InformationRequestWithdrawn) EventType() string { return TypeInformationRequestWithdrawn }
func (*InformationRequestView) EventType() string      { return TypeInformationRequestView }

// reasons refuses a reason too short to be one.
func reasons(fe *fieldErrors, field, v, ask string) {
	if len(strings.TrimSpace(v)) < minReasons {
		fe.add(field, "%s, in at least %d characters", ask, minReasons)
	}
}

func requestIDs(fe *fieldErrors, complainant, request string) {
	partyID(fe, "complainant_id", complainant)
	partyID(fe, "request_id", request)
}

func (d *InformationRequestApproved) validate(fe *fieldErrors) {
	requestIDs(fe, d.ComplainantID, d.RequestID)
	reasons(fe, "note", d.Note, "Say why you approve the request")
}

func (d *InformationNoticeExceptionApproved) validate(fe *fieldErrors) {
	requestIDs(fe, d.ComplainantID, d.RequestID)
	reasons(fe, "note", d.Note, "Say why you approve the exception to notice")
}

func (d *InformationRequestSent) validate(fe *fieldErrors) {
	requestIDs(fe, d.ComplainantID, d.RequestID)
}

func (d *InformationRequestResponse) validate(fe *fieldErrors) {
	requestIDs(fe, d.ComplainantID, d.RequestID)
	oneOf(fe, "result", d.Result, RequestResults)
}

func (d *InformationRequestWithdrawn) validate(fe *fieldErrors) {
	requestIDs(fe, d.ComplainantID, d.RequestID)
	reasons(fe, "reason", d.Reason, "Say why the request is withdrawn")
}

func (d *InformationRequestView) validate(fe *fieldErrors) {
	requestIDs(fe, d.ComplainantID, d.RequestID)
	oneOf(fe, "advice", d.Advice, RequestAdvice)
	reasons(fe, "view", d.View, "Give your view of the request")
}

// The notes, reasons and views are sealed with the case's personal data:
// each weighs what she has told others. Once the case's key is destroyed
// they read Erased (a response's note, which is optional, reads empty).
func (d *InformationRequestApproved) splitPersonal() (Data, map[string]string) {
	pub, m := *d, map[string]string{}
	take(m, "note", &pub.Note)
	return &pub, m
}
func (d *InformationRequestApproved) mergePersonal(m map[string]string) {
	restore(m, "note", &d.Note, true)
}
func (d *InformationNoticeExceptionApproved) splitPersonal() (Data, map[string]string) {
	pub, m := *d, map[string]string{}
	take(m, "note", &pub.Note)
	return &pub, m
}
func (d *InformationNoticeExceptionApproved) mergePersonal(m map[string]string) {
	restore(m, "note", &d.Note, true)
}
func (d *InformationRequestResponse) splitPersonal() (Data, map[string]string) {
	pub, m := *d, map[string]string{}
	take(m, "note", &pub.Note)
	return &pub, m
}
func (d *InformationRequestResponse) mergePersonal(m map[string]string) {
	restore(m, "note", &d.Note, false)
}
func (d *InformationRequestWithdrawn) splitPersonal() (Data, map[string]string) {
	pub, m := *d, map[string]string{}
	take(m, "reason", &pub.Reason)
	return &pub, m
}
func (d *InformationRequestWithdrawn) mergePersonal(m map[string]string) {
	restore(m, "reason", &d.Reason, true)
}
func (d *InformationRequestView) splitPersonal() (Data, map[string]string) {
	pub, m := *d, map[string]string{}
	take(m, "view", &pub.View)
	return &pub, m
}
func (d *InformationRequestView) mergePersonal(m map[string]string) {
	restore(m, "view", &d.View, true)
}

// applyFlow folds an event into the workflow of the request it names: the
// request, its notice exception, its delivered notice and the workflow's
// own events. It reports whether the event was one of the workflow's own.
func (c *Case) applyFlow(e Event) bool {
	on := e.OccurredAt
	flow := func(complainant, request string) *RequestFlow {
		if cp := c.Complainant(complainant); cp != nil {
			if f := cp.Flow(request); f != nil {
				return f
			}
		}
		return &RequestFlow{} // not reached: Decide refused an unknown request
	}
	switch d := e.Data.(type) {
	case *InformationRequested:
		if cp := c.Complainant(d.ComplainantID); cp != nil {
			cp.Flows = append(cp.Flows, RequestFlow{RequestID: d.RequestID, DraftedBy: e.Actor, Drafted: on})
		}
		return false
	case *InformationNoticeException:
		f := flow(d.ComplainantID, d.RequestID)
		// A new exception needs its own approval.
		f.Exception, f.ExceptionBy, f.ExceptionOn, f.ExceptionApproved = d.Exception, e.Actor, on, When{}
		return false
	case *VictimInformed:
		cp := c.Complainant(d.ComplainantID)
		if d.RequestID != "" && cp != nil && slices.Contains(WrittenChannels, d.Channel) && NoticeReaches(cp.DateOfBirth, on.Date(), d.Recipient) {
			if f := flow(d.ComplainantID, d.RequestID); f.NoticeGiven.IsZero() {
				f.NoticeGiven = on
			}
		}
		return false
	case *InformationRequestApproved:
		flow(d.ComplainantID, d.RequestID).Approved = on
	case *InformationNoticeExceptionApproved:
		flow(d.ComplainantID, d.RequestID).ExceptionApproved = on
	case *InformationRequestSent:
		flow(d.ComplainantID, d.RequestID).Sent = on
	case *InformationRequestResponse:
		f := flow(d.ComplainantID, d.RequestID)
		f.Result, f.Responded = d.Result, on
	case *InformationRequestWithdrawn:
		flow(d.ComplainantID, d.RequestID).Withdrawn = on
	case *InformationRequestView:
		flow(d.ComplainantID, d.RequestID).Advice = d.Advice
	default:
		return false
	}
	return true
}

// knownActor reports whether actor names a person: events brought in by an
// import, or built by hand, do not say who recorded them, so nobody can be
// shown to approve their own.
func knownActor(actor string) bool { return actor != "" && actor != "import" }

// decideFlow checks the workflow's events against the request they name.
// It reports whether e was one of them.
func decideFlow(c *Case, e Event) (bool, error) {
	var complainantID, requestID string
	switch d := e.Data.(type) {
	case *InformationRequestApproved:
		complainantID, requestID = d.ComplainantID, d.RequestID
	case *InformationNoticeExceptionApproved:
		complainantID, requestID = d.ComplainantID, d.RequestID
	case *InformationRequestSent:
		complainantID, requestID = d.ComplainantID, d.RequestID
	case *InformationRequestResponse:
		complainantID, requestID = d.ComplainantID, d.RequestID
	case *InformationRequestWithdrawn:
		complainantID, requestID = d.ComplainantID, d.RequestID
	case *InformationRequestView:
		complainantID, requestID = d.ComplainantID, d.RequestID
	default:
		return false, nil
	}
	cp, err := complainant(c, complainantID)
	if err != nil {
		return true, err
	}
	rq, f := cp.Request(requestID), cp.Flow(requestID)
	if rq == nil || f == nil {
		return true, refuse("complainant %s has no information request %s", cp.ID, requestID)
	}
	if err := notBefore(e, "the request was recorded", f.Drafted); err != nil {
		return true, err
	}
	// Nothing follows a withdrawal, and only the holder's answer follows
	// its answer: the request is over.
	switch {
	case !f.Withdrawn.IsZero():
		return true, refuse("information request %s was withdrawn on %s: nothing more can be recorded of it", requestID, f.Withdrawn)
	case f.Result != "" && e.Type != TypeInformationRequestView:
		return true, refuse("information request %s was already answered (%s) on %s", requestID, f.Result, f.Responded)
	}
	switch e.Data.(type) {
	case *InformationRequestApproved:
		switch {
		case !f.Approved.IsZero():
			return true, refuse("information request %s was already approved on %s", requestID, f.Approved)
		case !f.Sent.IsZero():
			return true, refuse("information request %s was already sent on %s: approval comes before it is sent", requestID, f.Sent)
		case knownActor(e.Actor) && e.Actor == f.DraftedBy:
			return true, refuse("you recorded information request %s: another supervisor must approve it", requestID)
		}
	case *InformationNoticeExceptionApproved:
		switch {
		case f.Exception == "":
			return true, refuse("no exception to notice has been recorded for information request %s", requestID)
		case !f.ExceptionApproved.IsZero():
			return true, refuse("the exception to notice of information request %s was already approved on %s", requestID, f.ExceptionApproved)
		case knownActor(e.Actor) && e.Actor == f.ExceptionBy:
			return true, refuse("you recorded the exception to notice of information request %s: another supervisor must approve it", requestID)
		}
		return true, notBefore(e, "the exception to notice was recorded", f.ExceptionOn)
	case *InformationRequestSent:
		if !f.Sent.IsZero() {
			return true, refuse("information request %s was already sent on %s", requestID, f.Sent)
		}
		return true, decideSend(e, cp, rq, f)
	case *InformationRequestResponse:
		if f.Sent.IsZero() {
			return true, refuse("information request %s has not been sent: the holder cannot have answered it", requestID)
		}
		return true, notBefore(e, "the request was sent", f.Sent)
	}
	return true, nil
}

// decideSend refuses to send a request the law does not yet let be made.
// From Chapter3AInForce:
//   - every condition of s.44A(3) (and (4)) must be answered (s.44A(1)),
//     even for a request drafted before the Chapter came into force;
//   - a counselling information request (s.44A(5)) must have been approved
//     by a police supervisor (ADR 0400: the force's safeguard, given the
//     presumption of s.44D(2)(a) that such a request is not necessary and
//     proportionate);
//   - written notice naming the request (s.44B(1), (2)) must have been
//     delivered on or before the day it is sent (s.44B(3)(a)), for a child
//     to one of NoticeRecipients (s.44B(4)), unless an
//     exception was recorded and a supervisor approved it: no notice
//     (s.44B(5)), or notice as soon as reasonably practicable after, where
//     notice by then is not (s.44B(3)(b)). The notice stays due in that
//     case (the info_request_notice deadline).
func decideSend(e Event, cp *Complainant, rq *InformationRequested, f *RequestFlow) error {
	if err := notBefore(e, "the request was approved", f.Approved); err != nil {
		return err
	}
	if e.OccurredAt.Before(Chapter3AInForce) {
		return nil
	}
	var missing []string
	for _, x := range rq.conditions() {
		if strings.TrimSpace(*x.v) == "" {
			missing = append(missing, x.field)
		}
	}
	if len(missing) > 0 {
		// Drafted before the Chapter came into force: made after it, it must
		// meet it (s.44A(1)).
		return &Error{Code: EINVALID, Message: "a victim information request may be made only if each condition of PCSCA 2022 s.44A is met",
			Fields: []FieldError{{Field: "request_id", Message: "Information request " + rq.RequestID + " does not answer " + strings.Join(missing, ", ") +
				": record a new request that answers each condition before sending it"}}}
	}
	if rq.Counselling() && f.Approved.IsZero() {
		return refuse("information request %s is for counselling information (s.44A(5)): a police supervisor must approve it before it is sent", rq.RequestID)
	}
	switch {
	case !f.NoticeGiven.IsZero() && !e.OccurredAt.Before(f.NoticeGiven):
		return nil // her notice came first (s.44B(3)(a))
	case f.Exception != "" && !f.ExceptionApproved.IsZero():
		return notBefore(e, "the exception to notice was approved", f.ExceptionApproved)
	case f.NoticeGiven.IsZero() && f.Exception != "":
		return refuse("information request %s cannot be sent: the victim's written notice (s.44B) has not been delivered, and the exception to notice recorded has not been approved by a supervisor", rq.RequestID)
	case f.NoticeGiven.IsZero() && !NoticeReaches(cp.DateOfBirth, e.OccurredAt.Date(), ""):
		return refuse("information request %s cannot be sent until its written notice (s.44B) has been delivered: she is a child, so it is given to a parent or guardian, a representative of the authority or organisation caring for her, or, if none is available, another appropriate adult (s.44B(4)); or an exception (s.44B(3)(b) or (5)) is recorded and approved by a supervisor", rq.RequestID)
	case f.NoticeGiven.IsZero():
		return refuse("information request %s cannot be sent until the victim's written notice of it (s.44B) has been delivered, or an exception (s.44B(3)(b) or (5)) is recorded and approved by a supervisor", rq.RequestID)
	}
	return notBefore(e, "the notice to the victim was delivered", f.NoticeGiven)
}
