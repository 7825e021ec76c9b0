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
	Ref      string
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
	p := teamRequestsPage{Layout: page.NewLayout(rq, "Case team requests for "+ca.Ref, ""), Ref: ca.Ref,
		Requests: page.Table{Caption: "Waiting for approval", CaptionClasses: "govuk-table__caption--m", Head: []page.TableHead{{Text: "Member"}, {Text: "Organisation"}, {Text: "Asked"}, {Text: ""}}}}
	action := page.CaseURL(ca.Ref, "team/requests")
	for _, q := range qs {
		p.Requests.Rows = append(p.Requests.Rows, []page.TableCell{{Text: q.Name}, {Text: page.AgencyName(q.Agency)}, {Text: page.LondonTime(q.RequestedAt)},
			{HTML: decideButton(action+"/"+q.ID, "approve", "Approve "+q.Name) + decideButton(action+"/"+q.ID, "refuse", "Refuse")}})
	}
	s.Render(w, r, http.StatusOK, "team-requests", p)
	return nil
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
	if err := s.Store.DecideCaseMember(r.Context(), rq.User.ID, ca.Ref, r.PathValue("id"), r.PostFormValue("decision") == "approve"); err != nil {
		return err
	}
	http.Redirect(w, r, page.CaseURL(ca.Ref, "team/requests"), http.StatusSeeOther)
	return nil
}

func decideButton(action, decision, label string) template.HTML {
	return template.HTML(`<form method="post" action="` + template.HTMLEscapeString(action) + `" class="app-inline-form"><input type="hidden" name="decision" value="` + decision + `"><button type="submit" class="govuk-button govuk-button--secondary app-button--small" data-module="govuk-button">` + template.HTMLEscapeString(label) + `</button></form>`)
}
