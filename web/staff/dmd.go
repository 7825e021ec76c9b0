package staff

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"throughline"
	"throughline/web/page"
)

// The information-request section of a Disclosure Management Document, as
// text and as PDF: every victim information request of the case with each condition
// the officer answered (PCSCA 2022 s.44A), its approval, its notice to the
// victim or the exception to it (s.44B), the prosecutor's view, when it was
// sent and what the holder answered, each decision with its reasons, as
// the Attorney General's Guidelines on Disclosure require them recorded
// (ADR 0400); then every decision not to seek or to withhold material about
// her, and its review. It holds what the victim told others: only those who see the
// victim's part of the record and the case's work, with its free text,
// may have it (the officer, the prosecutor, their supervisors), and having
// it is logged as an export.

// InformationRequestsText: GET /cases/{ref}/disclosure/information-requests.
func (s *CaseRecord) InformationRequestsText(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	return s.disclosureDocument(w, r, rq, "text/plain; charset=utf-8", "information-requests.txt", func(d dmdSection) ([]byte, error) {
		return []byte(d.text()), nil
	})
}

// InformationRequestsPDF: GET /cases/{ref}/disclosure/information-requests.pdf,
// the same section as an A4 PDF (dmd_pdf.go).
func (s *CaseRecord) InformationRequestsPDF(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	return s.disclosureDocument(w, r, rq, "application/pdf", "information-requests.pdf", dmdSection.pdf)
}

// disclosureDocument serves the section in one format: to those who may
// have it, written in full before its export is logged, and logged before
// any of it is sent.
func (s *CaseRecord) disclosureDocument(w http.ResponseWriter, r *http.Request, rq *page.Request, contentType, name string, write func(dmdSection) ([]byte, error)) error {
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
	doc, err := write(informationRequests(ca.Case, evs))
	if err != nil {
		return err
	}
	if err := s.Access.Consulted(r, rq.User, ca, []string{throughline.PartSummary, throughline.PartParties, throughline.PartVictim, throughline.PartWork}, throughline.ChannelExport); err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(doc)
	return err
}

// mayHaveRequests reports whether decision d shows a case's information
// requests with their reasons.
func mayHaveRequests(d throughline.Decision) bool {
	return d.Has(throughline.PartVictim) && d.Has(throughline.PartWork) && !d.WithholdsFreeText()
}

// dmdSection is the section's content, whatever it is written as: a
// heading, then parts (the requests; the decisions about material), each
// a numbered list of items of lines.
type dmdSection struct {
	Title string
	Lines []string // under the title: the case, the Act
	Parts []dmdPart
}

type dmdPart struct {
	Heading string // none for the first part, the requests
	Items   []dmdItem
	None    string // said when there are no items
}

type dmdItem struct {
	Heading string
	Lines   []string
}

// informationRequests reads the section from the case and its log.
func informationRequests(c *throughline.Case, evs []throughline.Event) dmdSection {
	doc := dmdSection{Title: "Disclosure Management Document: victim information requests",
		Lines: []string{"Case " + c.Ref, "Police, Crime, Sentencing and Courts Act 2022, Part 2, Chapter 3A (in force 12 January 2026)"}}
	requests := dmdPart{None: "No information about the victim has been requested."}
	for i := range c.Complainants {
		cp := &c.Complainants[i]
		for _, rq := range cp.Requests {
			it := dmdItem{Heading: page.Sentence(enumWord(rq.Material)) + ", about " + cp.Name}
			add := func(format string, args ...any) { it.Lines = append(it.Lines, fmt.Sprintf(format, args...)) }
			add("Held by: %s", rq.Holder)
			if rq.Counselling() {
				add("A counselling information request (s.44A(5))")
			}
			if f := cp.Flow(rq.RequestID); f != nil {
				add("Recorded: %s", day(f.Drafted))
				add("Where it stands: %s", page.Sentence(requestStateWords[f.State()]))
			}
			for _, a := range requestRecord(rq) {
				add("%s: %s", a.Question, oneLine(a.Answer))
			}
			for _, e := range evs {
				if s := requestStepText(e, cp.ID, rq.RequestID); s != "" {
					add("%s (%s)", s, day(e.OccurredAt))
				}
			}
			requests.Items = append(requests.Items, it)
		}
	}
	doc.Parts = []dmdPart{requests, materialDecisions(c, evs)}
	return doc
}

// materialDecisions: every decision not to seek material about a victim,
// or to withhold it, and every review of one (data_material.go), with its
// reasons and whether it is still under review.
func materialDecisions(c *throughline.Case, evs []throughline.Event) dmdPart {
	part := dmdPart{Heading: "Decisions not to seek or to withhold material", None: "No decision not to seek or to withhold material has been recorded."}
	for _, e := range evs {
		d, ok := e.Data.(*throughline.MaterialDecision)
		if !ok {
			continue
		}
		cp := c.Complainant(d.ComplainantID)
		if cp == nil {
			continue
		}
		it := dmdItem{Heading: page.Sentence(materialDecisionWords[d.Decision]) + ": " + enumWord(d.Material) + ", about " + cp.Name + " (" + day(e.OccurredAt) + ")"}
		if rq := cp.Request(d.RequestID); rq != nil {
			it.Lines = append(it.Lines, "Concerning the request for "+enumWord(rq.Material)+" held by "+rq.Holder)
		}
		it.Lines = append(it.Lines, "Reasons: "+oneLine(d.Reason))
		if d.Decision != throughline.MaterialRevisited {
			under := slices.ContainsFunc(cp.UnderReview, func(u throughline.UnderReview) bool {
				return u.Material == d.Material && !u.On.Before(e.OccurredAt) && !e.OccurredAt.Before(u.On)
			})
			it.Lines = append(it.Lines, map[bool]string{true: "Under review: to be revisited before the PTPH and after the defence statement", false: "Reviewed since (revisited, or a request for it sent)"}[under])
		}
		part.Items = append(part.Items, it)
	}
	return part
}

// materialDecisionWords say what a decision about material was.
var materialDecisionWords = map[string]string{throughline.MaterialNotSought: "not sought", throughline.MaterialWithheld: "withheld", throughline.MaterialRevisited: "decision revisited"}

// text writes the section as plain text.
func (d dmdSection) text() string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("%s", d.Title)
	for _, l := range d.Lines {
		line("%s", l)
	}
	for _, p := range d.Parts {
		if p.Heading != "" {
			line("")
			line("%s", p.Heading)
		}
		for i, it := range p.Items {
			line("")
			line("%d. %s", i+1, it.Heading)
			for _, l := range it.Lines {
				line("   %s", l)
			}
		}
		if len(p.Items) == 0 {
			line("")
			line("%s", p.None)
		}
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
