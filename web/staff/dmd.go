package staff

import (
	"fmt"
	"net/http"
	"strings"

	"throughline"
	"throughline/web/page"
)

// The information-request section of a Disclosure Management Document, as
// text: every victim information request of the case with each condition
// the officer answered (PCSCA 2022 s.44A), its approval, its notice to the
// victim or the exception to it (s.44B), the prosecutor's view, when it was
// sent and what the holder answered, each decision with its reasons, as
// the Attorney General's Guidelines on Disclosure require them recorded
// (ADR 0400). It holds what the victim told others: only those who see the
// victim's part of the record and the case's work, with its free text,
// may have it (the officer, the prosecutor, their supervisors), and having
// it is logged as an export.

// InformationRequestsText: GET /cases/{ref}/disclosure/information-requests.
func (s *CaseRecord) InformationRequestsText(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.Access.Load(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionReadCase)
	if err != nil {
		return err
	}
	if !mayHaveRequests(ca.Read) {
		// As for a case they may not see: a refusal says nothing of what it holds.
		return throughline.Errorf(throughline.ENOTFOUND, "no such document")
	}
	evs, err := s.Store.Events(r.Context(), ca.Ref)
	if err != nil {
		return err
	}
	text := informationRequestsText(ca.Case, evs)
	if err := s.Access.Consulted(r, rq.User, ca, []string{throughline.PartSummary, throughline.PartParties, throughline.PartVictim, throughline.PartWork}, throughline.ChannelExport); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="information-requests.txt"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write([]byte(text))
	return err
}

// mayHaveRequests reports whether decision d shows a case's information
// requests with their reasons.
func mayHaveRequests(d throughline.Decision) bool {
	return d.Has(throughline.PartVictim) && d.Has(throughline.PartWork) && !d.WithholdsFreeText()
}

// informationRequestsText writes the section from the case and its log.
func informationRequestsText(c *throughline.Case, evs []throughline.Event) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("Disclosure Management Document: victim information requests")
	line("Case %s", c.Ref)
	line("Police, Crime, Sentencing and Courts Act 2022, Part 2, Chapter 3A (in force 12 January 2026)")
	n := 0
	for i := range c.Complainants {
		cp := &c.Complainants[i]
		for _, rq := range cp.Requests {
			n++
			line("")
			line("%d. %s, about %s", n, page.Sentence(enumWord(rq.Material)), cp.Name)
			line("   Held by: %s", rq.Holder)
			if rq.Counselling() {
				line("   A counselling information request (s.44A(5))")
			}
			if f := cp.Flow(rq.RequestID); f != nil {
				line("   Recorded: %s", day(f.Drafted))
				line("   Where it stands: %s", page.Sentence(requestStateWords[f.State()]))
			}
			for _, a := range requestRecord(rq) {
				line("   %s: %s", a.Question, oneLine(a.Answer))
			}
			for _, e := range evs {
				if s := requestStepText(e, cp.ID, rq.RequestID); s != "" {
					line("   %s (%s)", s, day(e.OccurredAt))
				}
			}
		}
	}
	if n == 0 {
		line("")
		line("No information about the victim has been requested.")
	}
	return b.String()
}

// requestStepText is event e as a line of the section, if it is a step of
// request id about complainant comp.
func requestStepText(e throughline.Event, comp, id string) string {
	is := func(c, r string) bool { return c == comp && r == id }
	switch d := e.Data.(type) {
	case *throughline.InformationRequestApproved:
		if is(d.ComplainantID, d.RequestID) {
			return "Approved by a police supervisor: " + oneLine(d.Note)
		}
	case *throughline.InformationNoticeException:
		if is(d.ComplainantID, d.RequestID) {
			return "Exception to notice recorded, " + exceptionWords[d.Exception] + ": " + oneLine(d.Reason)
		}
	case *throughline.InformationNoticeExceptionApproved:
		if is(d.ComplainantID, d.RequestID) {
			return "Exception to notice approved by a police supervisor: " + oneLine(d.Note)
		}
	case *throughline.VictimInformed:
		if is(d.ComplainantID, d.RequestID) {
			to := "to her"
			if d.Recipient != "" {
				to = "for her to " + enumWord(d.Recipient) + " (s.44B(4))"
			}
			return "Notice given " + to + " by " + enumWord(d.Channel)
		}
	case *throughline.InformationRequestView:
		if is(d.ComplainantID, d.RequestID) {
			advice := map[string]string{"supported": "supports the request", "not_supported": "does not support the request"}[d.Advice]
			return "The prosecutor " + advice + ": " + oneLine(d.View)
		}
	case *throughline.InformationRequestSent:
		if is(d.ComplainantID, d.RequestID) {
			return "Sent to the holder"
		}
	case *throughline.InformationRequestResponse:
		if is(d.ComplainantID, d.RequestID) {
			s := map[string]string{"received": "The holder provided the information", "refused": "The holder refused the request"}[d.Result]
			if d.Note != "" {
				s += ": " + oneLine(d.Note)
			}
			return s
		}
	case *throughline.InformationRequestWithdrawn:
		if is(d.ComplainantID, d.RequestID) {
			return "Withdrawn: " + oneLine(d.Reason)
		}
	}
	return ""
}

// oneLine keeps typed text on its line of the document.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
