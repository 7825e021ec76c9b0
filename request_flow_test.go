package throughline_test

import (
	"strings"
	"testing"

	"throughline"
)

// The people of these tests: an officer drafts, two supervisors approve.
const (
	officerID = "u-officer"
	superID   = "u-supervisor"
	super2ID  = "u-supervisor-2"
)

// flowAt builds an event of the request workflow recorded by actor.
func flowAt(t *testing.T) func(typ, when, actor string, d throughline.Data) throughline.Event {
	at := collab(t)
	return func(typ, when, actor string, d throughline.Data) throughline.Event {
		e := at(typ, when, police, d)
		if typ == throughline.TypeInformationRequestView {
			e.Agency = cps
		}
		e.Actor = actor
		return e
	}
}

func approval(id string) *throughline.InformationRequestApproved {
	return &throughline.InformationRequestApproved{ComplainantID: "C1", RequestID: id, Note: "The date of first disclosure is all that is sought; nothing less would do."}
}

func exceptionApproval(id string) *throughline.InformationNoticeExceptionApproved {
	return &throughline.InformationNoticeExceptionApproved{ComplainantID: "C1", RequestID: id, Note: "The suspect lives with her and opens her post; telling her now endangers her."}
}

func sent(id string) *throughline.InformationRequestSent {
	return &throughline.InformationRequestSent{ComplainantID: "C1", RequestID: id}
}

func notice(id, channel string) *throughline.VictimInformed {
	return &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeInformationRequested, Channel: channel, RequestID: id}
}

func noticeException(id, kind string) *throughline.InformationNoticeException {
	return &throughline.InformationNoticeException{ComplainantID: "C1", RequestID: id, Exception: kind, Reason: "The suspect lives with her and reads her post and her messages."}
}

// medicalRequest is a lawful request that is not for counselling
// information.
func medicalRequest(id string) *throughline.InformationRequested {
	r := lawfulRequest(id, "medical")
	r.ProbativeValue = ""
	return r
}

// TestCounsellingRequestNeedsApprovalAndNotice: a counselling information
// request drafted on 2 March 2026 is not sent without a supervisor's
// approval, nor before her written notice of it is delivered; a phone call
// is not that notice (s.44B(2)), and a send dated before the notice is
// refused (s.44B(3)(a)).
func TestCounsellingRequestNeedsApprovalAndNotice(t *testing.T) {
	c := fold(t, journey(t)[:2])
	at := flowAt(t)
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", officerID, lawfulRequest("R1", "counselling_notes")))
	refused(t, c, at(throughline.TypeInformationRequestSent, "2026-03-02", officerID, sent("R1")), "a police supervisor must approve it")

	// Her notice delivered, but no approval: still not.
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-03", "dispatcher", notice("R1", "email")))
	refused(t, c, at(throughline.TypeInformationRequestSent, "2026-03-03", officerID, sent("R1")), "a police supervisor must approve it")

	// Approved, and now sent on the day of the notice.
	step(t, c, at(throughline.TypeInformationRequestApproved, "2026-03-03", superID, approval("R1")))
	step(t, c, at(throughline.TypeInformationRequestSent, "2026-03-03", officerID, sent("R1")))
	if f := c.Complainant("C1").Flow("R1"); f.State() != throughline.RequestSent {
		t.Errorf("state %s, want sent", f.State())
	}

	// Approved, but her notice only told by phone, then delivered a day late.
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", officerID, lawfulRequest("R2", "therapy_notes")))
	step(t, c, at(throughline.TypeInformationRequestApproved, "2026-03-02", superID, approval("R2")))
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-02", officerID, notice("R2", "phone")))
	refused(t, c, at(throughline.TypeInformationRequestSent, "2026-03-02", officerID, sent("R2")), "until the victim's written notice of it (s.44B) has been delivered")
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-05", "dispatcher", notice("R2", "email")))
	refused(t, c, at(throughline.TypeInformationRequestSent, "2026-03-04", officerID, sent("R2")), "before the notice to the victim was delivered on 2026-03-05")
	step(t, c, at(throughline.TypeInformationRequestSent, "2026-03-05", officerID, sent("R2")))

	// A notice of another request does not count for this one.
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", officerID, medicalRequest("R3")))
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", officerID, medicalRequest("R4")))
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-02", "dispatcher", notice("R3", "email")))
	refused(t, c, at(throughline.TypeInformationRequestSent, "2026-03-02", officerID, sent("R4")), "written notice")
	// A request that is not for counselling information needs no approval.
	step(t, c, at(throughline.TypeInformationRequestSent, "2026-03-02", officerID, sent("R3")))
}

// TestNoticeExceptionNeedsApproval: an exception to notice recorded with
// its grounds does not let a request be sent until a supervisor approves
// it, whether no notice (s.44B(5)) or notice after (s.44B(3)(b)); a new
// exception needs a new approval.
func TestNoticeExceptionNeedsApproval(t *testing.T) {
	for _, kind := range throughline.NoticeExceptions {
		t.Run(kind, func(t *testing.T) {
			c := fold(t, journey(t)[:2])
			at := flowAt(t)
			step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", officerID, medicalRequest("R1")))
			step(t, c, at(throughline.TypeInformationNoticeException, "2026-03-02", officerID, noticeException("R1", kind)))
			refused(t, c, at(throughline.TypeInformationRequestSent, "2026-03-02", officerID, sent("R1")), "has not been approved by a supervisor")
			step(t, c, at(throughline.TypeInformationNoticeExceptionApproved, "2026-03-03", superID, exceptionApproval("R1")))
			refused(t, c, at(throughline.TypeInformationRequestSent, "2026-03-02", officerID, sent("R1")), "before the exception to notice was approved on 2026-03-03")

			// The officer changes the exception: the approval was of the other.
			other := throughline.NoticeNone
			if kind == throughline.NoticeNone {
				other = throughline.NoticeLater
			}
			step(t, c, at(throughline.TypeInformationNoticeException, "2026-03-03", officerID, noticeException("R1", other)))
			refused(t, c, at(throughline.TypeInformationRequestSent, "2026-03-03", officerID, sent("R1")), "has not been approved by a supervisor")
			refused(t, c, at(throughline.TypeInformationNoticeExceptionApproved, "2026-03-02", super2ID, exceptionApproval("R1")), "before the exception to notice was recorded on 2026-03-03")
			step(t, c, at(throughline.TypeInformationNoticeExceptionApproved, "2026-03-03", super2ID, exceptionApproval("R1")))
			step(t, c, at(throughline.TypeInformationRequestSent, "2026-03-03", officerID, sent("R1")))
		})
	}
}

// TestNoticeGivenNeedsNoException: once her notice is delivered, an
// exception recorded alongside it (and approved later) does not hold the
// request back.
func TestNoticeGivenNeedsNoException(t *testing.T) {
	c := fold(t, journey(t)[:2])
	at := flowAt(t)
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", officerID, medicalRequest("R1")))
	step(t, c, at(throughline.TypeInformationNoticeException, "2026-03-02", officerID, noticeException("R1", throughline.NoticeLater)))
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-03", "dispatcher", notice("R1", "email")))
	step(t, c, at(throughline.TypeInformationNoticeExceptionApproved, "2026-03-05", superID, exceptionApproval("R1")))
	step(t, c, at(throughline.TypeInformationRequestSent, "2026-03-04", officerID, sent("R1")))
}

// TestApprovingYourOwnRefused: whoever recorded a request, or its exception
// to notice, cannot approve it; another supervisor can.
func TestApprovingYourOwnRefused(t *testing.T) {
	c := fold(t, journey(t)[:2])
	at := flowAt(t)
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", superID, lawfulRequest("R1", "counselling_notes")))
	refused(t, c, at(throughline.TypeInformationRequestApproved, "2026-03-02", superID, approval("R1")), "another supervisor must approve it")
	step(t, c, at(throughline.TypeInformationNoticeException, "2026-03-02", super2ID, noticeException("R1", throughline.NoticeNone)))
	refused(t, c, at(throughline.TypeInformationNoticeExceptionApproved, "2026-03-02", super2ID, exceptionApproval("R1")), "another supervisor must approve it")
	step(t, c, at(throughline.TypeInformationRequestApproved, "2026-03-02", super2ID, approval("R1")))
	step(t, c, at(throughline.TypeInformationNoticeExceptionApproved, "2026-03-02", superID, exceptionApproval("R1")))
	step(t, c, at(throughline.TypeInformationRequestSent, "2026-03-02", officerID, sent("R1")))
}

// TestRequestTransitionsInOrder: each step of the workflow is refused out
// of its order, with a message that says why.
func TestRequestTransitionsInOrder(t *testing.T) {
	c := fold(t, journey(t)[:2])
	at := flowAt(t)
	response := func(id, result string) *throughline.InformationRequestResponse {
		return &throughline.InformationRequestResponse{ComplainantID: "C1", RequestID: id, Result: result, Note: "The service sent the date of the first session only."}
	}
	withdrawn := func(id string) *throughline.InformationRequestWithdrawn {
		return &throughline.InformationRequestWithdrawn{ComplainantID: "C1", RequestID: id, Reason: "She gave the date herself in a further statement."}
	}
	view := func(id string) *throughline.InformationRequestView {
		return &throughline.InformationRequestView{ComplainantID: "C1", RequestID: id, Advice: "supported", View: "The date alone answers the defence of late invention; seek nothing else."}
	}
	refused(t, c, at(throughline.TypeInformationRequestSent, "2026-03-02", officerID, sent("R9")), "no information request R9")

	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", officerID, medicalRequest("R1")))
	refused(t, c, at(throughline.TypeInformationRequestResponse, "2026-03-02", officerID, response("R1", "received")), "has not been sent")
	refused(t, c, at(throughline.TypeInformationNoticeExceptionApproved, "2026-03-02", superID, exceptionApproval("R1")), "no exception to notice has been recorded")
	refused(t, c, at(throughline.TypeInformationRequestApproved, "2026-03-01", superID, approval("R1")), "before the request was recorded on 2026-03-02")
	step(t, c, at(throughline.TypeInformationRequestView, "2026-03-02", "u-prosecutor", view("R1")))
	step(t, c, at(throughline.TypeInformationRequestApproved, "2026-03-02", superID, approval("R1")))
	refused(t, c, at(throughline.TypeInformationRequestApproved, "2026-03-02", super2ID, approval("R1")), "already approved")
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-02", "dispatcher", notice("R1", "email")))
	step(t, c, at(throughline.TypeInformationRequestSent, "2026-03-03", officerID, sent("R1")))
	refused(t, c, at(throughline.TypeInformationRequestSent, "2026-03-04", officerID, sent("R1")), "already sent on 2026-03-03")
	refused(t, c, at(throughline.TypeInformationRequestResponse, "2026-03-02", officerID, response("R1", "received")), "before the request was sent on 2026-03-03")
	step(t, c, at(throughline.TypeInformationRequestResponse, "2026-03-09", officerID, response("R1", "refused")))
	if f := c.Complainant("C1").Flow("R1"); f.State() != throughline.RequestRefused || f.Advice != "supported" {
		t.Errorf("flow %+v, want refused with the prosecutor's advice", f)
	}
	refused(t, c, at(throughline.TypeInformationRequestResponse, "2026-03-10", officerID, response("R1", "received")), "already answered (refused)")
	refused(t, c, at(throughline.TypeInformationRequestWithdrawn, "2026-03-10", officerID, withdrawn("R1")), "already answered")
	// The prosecutor may still give a view of what came of it.
	step(t, c, at(throughline.TypeInformationRequestView, "2026-03-10", "u-prosecutor", view("R1")))

	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", officerID, medicalRequest("R2")))
	step(t, c, at(throughline.TypeInformationRequestWithdrawn, "2026-03-04", officerID, withdrawn("R2")))
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-04", "dispatcher", notice("R2", "email")))
	for _, e := range []throughline.Event{
		at(throughline.TypeInformationRequestSent, "2026-03-05", officerID, sent("R2")),
		at(throughline.TypeInformationRequestApproved, "2026-03-05", superID, approval("R2")),
		at(throughline.TypeInformationRequestWithdrawn, "2026-03-05", officerID, withdrawn("R2")),
		at(throughline.TypeInformationRequestView, "2026-03-05", "u-prosecutor", view("R2")),
	} {
		refused(t, c, e, "was withdrawn on 2026-03-04")
	}
	if f := c.Complainant("C1").Flow("R2"); f.State() != throughline.RequestWithdrawn {
		t.Errorf("state %s, want withdrawn", f.State())
	}
}

// TestSendingUnderChapter3A: a request drafted before 12 January 2026 is
// sent without notice before it, but sent from that day it must meet the
// Chapter: each condition answered (named), and a counselling request
// approved.
func TestSendingUnderChapter3A(t *testing.T) {
	c := fold(t, journey(t)[:2])
	at := flowAt(t)
	bare := &throughline.InformationRequested{ComplainantID: "C1", RequestID: "R1", Material: "counselling_notes", Holder: "Leeds Rape Crisis",
		Reason: "The account given in counselling may differ."}
	step(t, c, at(throughline.TypeInformationRequested, "2026-01-05", officerID, bare))
	refused(t, c, at(throughline.TypeInformationRequestSent, "2026-01-12", officerID, sent("R1")), "does not answer holder_belief, line_of_enquiry, necessity, probative_value, handling")
	step(t, c, at(throughline.TypeInformationRequestSent, "2026-01-11", officerID, sent("R1")))

	step(t, c, at(throughline.TypeInformationRequested, "2026-01-09", officerID, lawfulRequest("R2", "counselling_notes")))
	step(t, c, at(throughline.TypeVictimInformed, "2026-01-09", "dispatcher", notice("R2", "email")))
	step(t, c, at(throughline.TypeInformationRequestSent, "2026-01-11", officerID, sent("R2")))
	step(t, c, at(throughline.TypeInformationRequested, "2026-01-09", officerID, lawfulRequest("R3", "counselling_notes")))
	step(t, c, at(throughline.TypeVictimInformed, "2026-01-09", "dispatcher", notice("R3", "email")))
	refused(t, c, at(throughline.TypeInformationRequestSent, "2026-01-12", officerID, sent("R3")), "a police supervisor must approve it")
}

// TestFlowEventsSealed: the supervisor's notes, the holder's answer, the
// reason for a withdrawal and the prosecutor's view are sealed with the
// case's personal data; they read Erased once its key is destroyed.
func TestFlowEventsSealed(t *testing.T) {
	const secret = "She told her counsellor about the night in March."
	for _, tc := range []struct {
		typ   string
		d     throughline.Data
		field func(throughline.Data) string
	}{
		{throughline.TypeInformationRequestApproved, &throughline.InformationRequestApproved{ComplainantID: "C1", RequestID: "R1", Note: secret},
			func(d throughline.Data) string { return d.(*throughline.InformationRequestApproved).Note }},
		{throughline.TypeInformationNoticeExceptionApproved, &throughline.InformationNoticeExceptionApproved{ComplainantID: "C1", RequestID: "R1", Note: secret},
			func(d throughline.Data) string { return d.(*throughline.InformationNoticeExceptionApproved).Note }},
		{throughline.TypeInformationRequestResponse, &throughline.InformationRequestResponse{ComplainantID: "C1", RequestID: "R1", Result: "received", Note: secret},
			func(d throughline.Data) string { return d.(*throughline.InformationRequestResponse).Note }},
		{throughline.TypeInformationRequestWithdrawn, &throughline.InformationRequestWithdrawn{ComplainantID: "C1", RequestID: "R1", Reason: secret},
			func(d throughline.Data) string { return d.(*throughline.InformationRequestWithdrawn).Reason }},
		{throughline.TypeInformationRequestView, &throughline.InformationRequestView{ComplainantID: "C1", RequestID: "R1", Advice: "not_supported", View: secret},
			func(d throughline.Data) string { return d.(*throughline.InformationRequestView).View }},
	} {
		public, personal, err := throughline.SplitPersonal(tc.d)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(public), "counsellor") || !strings.Contains(string(public), `"request_id":"R1"`) {
			t.Errorf("%s: public payload %s", tc.typ, public)
		}
		back, _ := throughline.DecodeStored(tc.typ, public, personal)
		if tc.field(back) != secret {
			t.Errorf("%s: round trip lost the sealed field: %+v", tc.typ, back)
		}
		erased, _ := throughline.DecodeStored(tc.typ, public, nil)
		if got := tc.field(erased); got == secret || tc.typ != throughline.TypeInformationRequestResponse && got != throughline.Erased {
			t.Errorf("%s erased reads %q", tc.typ, got)
		}
	}
}

// TestChildsNoticeGoesToAnAdult: a child's notice is given to her by giving
// it to a parent or guardian, her carer's representative or, failing them,
// another appropriate adult (s.44B(4)): one sent to her own address does
// not let the request be sent, and from her eighteenth birthday her own
// does.
func TestChildsNoticeGoesToAnAdult(t *testing.T) {
	evs := journey(t)[:2]
	evs[0].Data.(*throughline.CaseOpened).Complainants[0].DateOfBirth = "2008-03-04" // 18 on Wednesday 4 March 2026
	c := fold(t, evs)
	at := flowAt(t)
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", officerID, medicalRequest("R1")))
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-02", "dispatcher", notice("R1", "email")))
	refused(t, c, at(throughline.TypeInformationRequestSent, "2026-03-02", officerID, sent("R1")), "she is a child, so it is given to a parent or guardian")
	toMother := notice("R1", "email")
	toMother.Recipient = "parent_or_guardian"
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-03", officerID, toMother))
	step(t, c, at(throughline.TypeInformationRequestSent, "2026-03-03", officerID, sent("R1")))

	// An adult's own notice reaches her: from her birthday, hers does.
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-03", officerID, medicalRequest("R2")))
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-03", "dispatcher", notice("R2", "email")))
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-03", officerID, medicalRequest("R3")))
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-04", "dispatcher", notice("R3", "email")))
	if !c.Complainant("C1").Flow("R2").NoticeGiven.IsZero() || c.Complainant("C1").Flow("R3").NoticeGiven.IsZero() {
		t.Errorf("R2's notice the day before her birthday counted, or R3's on it did not: %+v %+v", c.Complainant("C1").Flow("R2"), c.Complainant("C1").Flow("R3"))
	}
	step(t, c, at(throughline.TypeInformationRequestSent, "2026-03-04", officerID, sent("R3")))
}
