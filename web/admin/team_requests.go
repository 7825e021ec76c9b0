package admin

import (
	"context"
	"html/template"
	"net/http"

	"throughline"
	"throughline/web/access"
	"throughline/web/page"
)

// Additions to a case team that wait for a second person (issue 11,
// finding 14): administration never grants case access on its own. Who
// must wait is the policy's (throughline.TeamAdditionImmediate), who may
// approve too (throughline.ActionApproveCaseTeam); the store keeps the two
// persons apart and logs both.

// teamRequestStore is what the requests need from storage.
type teamRequestStore interface {
	MemberAgency(ctx context.Context, kind, id string) (string, error)
	RequestCaseMember(ctx context.Context, actorID, ref, kind, id string) (string, error)
	CaseMemberRequests(ctx context.Context, ref string) ([]throughline.CaseMemberRequest, error)
	WaitingCaseMemberRequests(ctx context.Context) ([]throughline.CaseMemberRequest, error)
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
	DecideCaseMember(ctx context.Context, approverID, ref, requestID string, approve bool) error
}

// changeCaseMember adds or removes one member: a removal and a
// supervisor's addition of their own agency's member at once, any other
// addition as a request for a second person to approve.
func (s *Admin) changeCaseMember(r *http.Request, u throughline.User, ca *access.Case, kind, id string, in bool) error {
	if !in {
		return s.Store.SetCaseMember(r.Context(), u.ID, ca.Ref, kind, id, false)
	}
	agency, err := s.Store.MemberAgency(r.Context(), kind, id)
	if err != nil {
		return err
	}
	if throughline.TeamAdditionImmediate(u, agency, ca.Scope, ca.Relation) {
		return s.Store.SetCaseMember(r.Context(), u.ID, ca.Ref, kind, id, true)
	}
	_, err = s.Store.RequestCaseMember(r.Context(), u.ID, ca.Ref, kind, id)
	return err
}

type teamRequestsPage struct {
	page.Layout
	Ref      string // "" on the list across cases
	Requests page.Table
}

// TeamRequests: GET /cases/{ref}/team/requests: the additions to the case
// team waiting for approval, for a second person of the case's agency.
func (s *Admin) TeamRequests(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.Access.Scope(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionApproveCaseTeam)
	if err != nil {
		return err
	}
	qs, err := s.Store.CaseMemberRequests(r.Context(), ca.Ref)
	if err != nil {
		return err
	}
	p := teamRequestsPage{Layout: page.NewLayout(rq, "Case team requests for "+ca.Ref, ""), Ref: ca.Ref}
	p.Back = page.CaseURL(ca.Ref, "")
	p.Requests, err = s.requestsTable(r.Context(), rq.User, qs, false)
	if err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "team-requests", p)
	return nil
}

// WaitingTeamRequests: GET /team-requests: the approver's work list, every
// request to join a case team that this user may decide, across cases.
func (s *Admin) WaitingTeamRequests(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	qs, err := s.Store.WaitingCaseMemberRequests(r.Context())
	if err != nil {
		return err
	}
	qs, err = s.Access.Approvable(r.Context(), rq.User, qs)
	if err != nil {
		return err
	}
	p := teamRequestsPage{Layout: page.NewLayout(rq, "Case team requests waiting for you", "team-requests")}
	p.Requests, err = s.requestsTable(r.Context(), rq.User, qs, true)
	if err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "team-requests", p)
	return nil
}

// requestsTable lists requests with their decision buttons; across cases,
// each row names its case and links to it. A request the user made, or
// that would add them, has no buttons: a second person decides.
func (s *Admin) requestsTable(ctx context.Context, u throughline.User, qs []throughline.CaseMemberRequest, cases bool) (page.Table, error) {
	var by []string
	for _, q := range qs {
		by = append(by, q.RequestedBy)
	}
	names, err := s.Store.UserNames(ctx, by)
	if err != nil {
		return page.Table{}, err
	}
	t := page.Table{Caption: "Waiting for approval", CaptionClasses: "govuk-table__caption--m"}
	if cases {
		t.Head = append(t.Head, page.TableHead{Text: "Case"})
	}
	t.Head = append(t.Head, page.TableHead{Text: "Member"}, page.TableHead{Text: "Organisation"}, page.TableHead{Text: "Asked by"}, page.TableHead{Text: "Asked"}, page.TableHead{Text: ""})
	for _, q := range qs {
		var row []page.TableCell
		if cases {
			row = append(row, page.TableCell{HTML: template.HTML(`<a class="govuk-link" href="` + template.HTMLEscapeString(page.CaseURL(q.CaseRef, "team/requests")) + `">` + template.HTMLEscapeString(q.CaseRef) + `</a>`)})
		}
		decide := template.HTML("You cannot decide this one")
		if q.RequestedBy != u.ID && !(q.Kind == "user" && q.MemberID == u.ID) {
			action := page.CaseURL(q.CaseRef, "team/requests/"+q.ID)
			decide = decideButton(action, "approve", "Approve "+q.Name, cases) + decideButton(action, "refuse", "Refuse "+q.Name, cases)
		}
		t.Rows = append(t.Rows, append(row, page.TableCell{Text: q.Name}, page.TableCell{Text: page.AgencyName(q.Agency)}, page.TableCell{Text: names[q.RequestedBy]}, page.TableCell{Text: page.LondonTime(q.RequestedAt)}, page.TableCell{HTML: decide}))
	}
	return t, nil
}

// DecideTeamRequest: POST /cases/{ref}/team/requests/{id} with decision
// approve or refuse.
func (s *Admin) DecideTeamRequest(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.Access.Scope(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionApproveCaseTeam)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	back := page.CaseURL(ca.Ref, "team/requests")
	if r.PostFormValue("from") == "list" {
		back = "/team-requests"
	}
	approve := r.PostFormValue("decision") == "approve"
	// Approving gives someone a case: as for a break-glass, the approver
	// proves who they are first (ASVS 5.0 V7.5), then decides again.
	// Refusing gives nothing and needs no proof.
	if approve && !rq.Proven(s.Now()) {
		page.Reauth(w, r, back)
		return nil
	}
	if err := s.Store.DecideCaseMember(r.Context(), rq.User.ID, ca.Ref, r.PathValue("id"), approve); err != nil {
		return err
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// decideButton is a form deciding one request; fromList brings the
// approver back to their work list across cases afterwards.
func decideButton(action, decision, label string, fromList bool) template.HTML {
	from := ""
	if fromList {
		from = `<input type="hidden" name="from" value="list">`
	}
	return template.HTML(`<form method="post" action="` + template.HTMLEscapeString(action) + `" class="app-inline-form"><input type="hidden" name="decision" value="` + decision + `">` + from + `<button type="submit" class="govuk-button govuk-button--secondary app-button--small" data-module="govuk-button">` + template.HTMLEscapeString(label) + `</button></form>`)
}
