// Package admin serves the pages of administration and oversight:
// users, teams and case teams (admin.go), and consent, the consultation
// log, break-glass and its review (oversight.go). Each file declares the
// little it needs from storage; the route guard of package web has asked
// the policy before any handler runs, and the handlers ask it again about
// what they show.
package admin

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"throughline/identity"
	"throughline/web/access"
	"throughline/web/page"

	"throughline"
)

// adminStore is what this file's pages need from storage.
type adminStore interface {
	Account(ctx context.Context, id string) (throughline.Account, error)
	Accounts(ctx context.Context) ([]throughline.Account, error)
	CreateAccount(ctx context.Context, actorID string, a identity.NewAccount) (throughline.User, string, error)
	CaseMembers(ctx context.Context, ref string) ([]throughline.CaseMember, error)
	CreateTeam(ctx context.Context, actorID, name, agency string) (throughline.Team, error)
	ResetTOTP(ctx context.Context, actorID, userID string) error
	Locked(ctx context.Context, accts []throughline.Account) ([]throughline.Account, error)
	Unlock(ctx context.Context, actorID, userID string) error
	SetCaseMember(ctx context.Context, actorID, ref, kind, id string, in bool) error
	teamRequestStore
	SetLogin(ctx context.Context, userID, login string) error
	SetPassword(ctx context.Context, userID, login, password string) error
	SetTeamMember(ctx context.Context, actorID, teamID, userID string, in bool) error
	Teams(ctx context.Context) ([]throughline.Team, error)
	UpdateUser(ctx context.Context, actorID, userID, name, role, agency string, disabled bool) error
}

// Store is everything the administration and oversight pages need from
// storage: the union of what each file declares.
type Store interface {
	adminStore
	oversightStore
	directoryStore
	todayStore
}

// Admin serves the administration of users, teams and case teams.
type Admin struct {
	*page.Base
	// Access applies the policy to cases and logs consultations.
	Access *access.Cases
	Store  adminStore
}

// Administration: users, teams and case teams. Administrators see no case
// data: a case team page shows its reference and its members, nothing else.

type adminUsersPage struct {
	page.Layout
	Table page.Table
	Add   page.Button
	Teams string
}

// AdminUsers: GET /admin/users.
func (s *Admin) AdminUsers(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	accts, err := s.Store.Accounts(r.Context())
	if err != nil {
		return err
	}
	p := adminUsersPage{Layout: page.NewLayout(rq, "Users", "admin"), Add: page.Button{Text: "Add a user", Href: "/admin/users/new"}, Teams: "/admin/teams"}
	p.Table = page.Table{Caption: "Users", CaptionClasses: "govuk-visually-hidden", Sortable: true, FirstCellIsHeader: true, Head: []page.TableHead{{Text: "Name", AriaSort: "ascending"}, {Text: "Role", AriaSort: "none"}, {Text: "Organisation", AriaSort: "none"}, {Text: "Sign-in", AriaSort: "none"}, {Text: "Status", AriaSort: "none"}}}
	for _, a := range accts {
		status := "Active"
		if a.Disabled {
			status = "Disabled"
		}
		signin := a.Login
		switch {
		case a.Login == "":
			signin = "API only"
		case a.OIDCSubject != "":
			signin += " (organisation sign-in)"
		case !a.TOTPEnrolled:
			signin += " (authenticator not set up)"
		}
		p.Table.Rows = append(p.Table.Rows, []page.TableCell{{Text: a.Name, Href: "/admin/users/" + url.PathEscape(a.ID)}, {Text: throughline.RoleName(a.Role)}, {Text: page.AgencyName(a.Agency)}, {Text: signin}, {Text: status}})
	}
	s.Render(w, r, http.StatusOK, "admin-users", p)
	return nil
}

type adminUserPage struct {
	page.Layout
	Heading   string
	Action    string
	Name      page.Input
	Role      page.Select
	Agency    page.Select
	NewISVA   page.Input
	Login     page.Input
	Password  page.Input
	Disabled  page.Choices
	Submit    page.Button
	ResetTOTP bool
	// Locked: their sign-in is locked after failed attempts, and the page
	// offers to lift the lock.
	Locked bool
	UserID string
}

// allAgencies is every kind of organisation a user or team belongs to.
var allAgencies = []string{page.KindPolice, page.KindCPS, page.KindWCU, page.KindISVA, page.KindInspectorate, page.KindCommissioner}

// isvaAgencies is the ISVA organisations Throughline already knows, from
// the accounts: there is no reference list of them.
func isvaAgencies(accts []throughline.Account) []string {
	var out []string
	for _, a := range accts {
		if strings.HasPrefix(a.Agency, page.KindISVA+":") && !slices.Contains(out, a.Agency) {
			out = append(out, a.Agency)
		}
	}
	return out
}

// agencyOf is the organisation a user or team form chose: one from the
// list, or a new ISVA organisation by its name.
func agencyOf(v url.Values) string {
	if n := page.ISVAAgency(v.Get("new_isva")); n != "" && v.Get("agency") == "" {
		return n
	}
	return v.Get("agency")
}

func (s *Admin) userView(ctx context.Context, rq *page.Request, title string, v url.Values, err error, isNew bool) (adminUserPage, error) {
	p := adminUserPage{Layout: page.NewLayout(rq, title, "admin"), Heading: title, Submit: page.Button{Text: "Save"}}
	p.Back = "/admin/users"
	var msgs page.FieldMessages
	if err != nil {
		p.ErrorSummary, msgs = page.ErrorSummaryOf(err, page.SameField)
	}
	em := msgs.Of
	p.Name = page.Input{Name: "name", Value: v.Get("name"), Label: &page.Label{Text: "Full name", Classes: "govuk-label--s"}, ErrorMessage: em("name"), Autocomplete: "off"}
	p.Role = page.Select{Name: "role", Label: &page.Label{Text: "Role", Classes: "govuk-label--s"}, ErrorMessage: em("role")}
	for _, role := range throughline.Roles {
		p.Role.Items = append(p.Role.Items, page.Choice{Value: role, Text: page.Sentence(throughline.RoleName(role)), Selected: v.Get("role") == role})
	}
	accts, aerr := s.Store.Accounts(ctx)
	if aerr != nil {
		return p, aerr
	}
	p.Agency = page.Select{Name: "agency", Label: &page.Label{Text: "Organisation", Classes: "govuk-label--s"}, ErrorMessage: em("agency"), Items: page.AgencyChoices(v.Get("agency"), allAgencies, isvaAgencies(accts))}
	p.NewISVA = page.Input{Name: "new_isva", Value: v.Get("new_isva"), Label: &page.Label{Text: "Or a new ISVA organisation (optional)", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "Only if their ISVA organisation is not in the list: its name, for example Rape Crisis Leeds"}, Autocomplete: "off"}
	p.Login = page.Input{Name: "login", Value: v.Get("login"), Label: &page.Label{Text: "Sign-in name", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "Their work email address. It is also how they sign in with their organisation's account."}, ErrorMessage: em("login"), Spellcheck: new(false), Autocomplete: "off"}
	pwHint := "At least 12 characters. Give it to them in person or by phone; they set up their authenticator app when they first sign in."
	if !isNew {
		pwHint = "Leave blank to keep their password."
	}
	p.Password = page.Input{Name: "password", Type: "password", Label: &page.Label{Text: "Password", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: pwHint}, ErrorMessage: em("password"), Autocomplete: "new-password"}
	if !isNew {
		p.Disabled = page.Choices{Name: "disabled", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "Account", Classes: "govuk-fieldset__legend--s"}},
			Items: []page.Choice{{Value: "no", Text: "Active", Checked: v.Get("disabled") != "yes"}, {Value: "yes", Text: "Disabled: signs them out everywhere at once", Checked: v.Get("disabled") == "yes"}}}
	}
	return p, nil
}

// AdminNewUserForm: GET /admin/users/new.
func (s *Admin) AdminNewUserForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	p, err := s.userView(r.Context(), rq, "Add a user", url.Values{}, nil, true)
	if err != nil {
		return err
	}
	p.Action = "/admin/users/new"
	s.Render(w, r, http.StatusOK, "admin-user", p)
	return nil
}

// AdminNewUser: POST /admin/users/new.
func (s *Admin) AdminNewUser(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := r.PostForm
	name, role, agency, login, pw := strings.TrimSpace(v.Get("name")), v.Get("role"), agencyOf(v), v.Get("login"), v.Get("password")
	var fields []throughline.FieldError
	for _, err := range []error{throughline.ValidateUser(name, role, agency), throughline.ValidateLogin(login), throughline.ValidatePassword(pw)} {
		if te, ok := err.(*throughline.Error); ok {
			fields = append(fields, te.Fields...)
		}
	}
	fail := func(err error) error {
		p, verr := s.userView(r.Context(), rq, "Add a user", v, err, true)
		if verr != nil {
			return verr
		}
		p.Action = "/admin/users/new"
		s.Render(w, r, http.StatusUnprocessableEntity, "admin-user", p)
		return nil
	}
	if len(fields) > 0 {
		return fail(&throughline.Error{Code: throughline.EINVALID, Message: "not a valid user", Fields: fields})
	}
	// The user, their sign-in and the administrators' log entry are
	// written in one transaction: a refused sign-in name leaves no user.
	if _, _, err := s.Store.CreateAccount(r.Context(), rq.User.ID, identity.NewAccount{Name: name, Role: role, Agency: agency, Login: login, Password: pw}); err != nil {
		if c := throughline.ErrorCode(err); c == throughline.EINVALID || c == throughline.ECONFLICT {
			return fail(err)
		}
		return err
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	return nil
}

// AdminUserForm: GET /admin/users/{id}.
func (s *Admin) AdminUserForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	a, err := s.Store.Account(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	v := url.Values{"name": {a.Name}, "role": {a.Role}, "agency": {a.Agency}, "login": {a.Login}}
	if a.Disabled {
		v.Set("disabled", "yes")
	}
	p, err := s.userView(r.Context(), rq, "Change "+a.Name, v, nil, false)
	if err != nil {
		return err
	}
	p.Action, p.UserID, p.ResetTOTP = "/admin/users/"+url.PathEscape(a.ID), a.ID, a.TOTPEnrolled
	locked, err := s.Store.Locked(r.Context(), []throughline.Account{a})
	if err != nil {
		return err
	}
	p.Locked = len(locked) > 0
	if r.URL.Query().Get("unlocked") != "" && !p.Locked {
		p.Banner = &page.NotificationBanner{Success: true, Heading: a.Name + " can sign in again"}
	}
	s.Render(w, r, http.StatusOK, "admin-user", p)
	return nil
}

// AdminUser: POST /admin/users/{id}: change role, organisation, sign-in or
// status; a change of role or organisation, or disabling, ends the user's
// sessions at once.
func (s *Admin) AdminUser(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	a, err := s.Store.Account(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := r.PostForm
	if v.Get("reset_totp") == "yes" {
		if err := s.Store.ResetTOTP(r.Context(), rq.User.ID, a.ID); err != nil {
			return err
		}
		http.Redirect(w, r, "/admin/users/"+url.PathEscape(a.ID), http.StatusSeeOther)
		return nil
	}
	if v.Get("unlock") == "yes" {
		if err := s.Store.Unlock(r.Context(), rq.User.ID, a.ID); err != nil {
			return err
		}
		http.Redirect(w, r, "/admin/users/"+url.PathEscape(a.ID)+"?unlocked=1", http.StatusSeeOther)
		return nil
	}
	fail := func(err error) error {
		p, verr := s.userView(r.Context(), rq, "Change "+a.Name, v, err, false)
		if verr != nil {
			return verr
		}
		p.Action, p.UserID, p.ResetTOTP = "/admin/users/"+url.PathEscape(a.ID), a.ID, a.TOTPEnrolled
		s.Render(w, r, http.StatusUnprocessableEntity, "admin-user", p)
		return nil
	}
	err = s.Store.UpdateUser(r.Context(), rq.User.ID, a.ID, strings.TrimSpace(v.Get("name")), v.Get("role"), agencyOf(v), v.Get("disabled") == "yes")
	if err == nil && (v.Get("password") != "" || (v.Get("login") != "" && v.Get("login") != a.Login)) {
		if v.Get("password") != "" {
			err = s.Store.SetPassword(r.Context(), a.ID, v.Get("login"), v.Get("password"))
		} else {
			err = s.Store.SetLogin(r.Context(), a.ID, v.Get("login"))
		}
	}
	if err != nil {
		if c := throughline.ErrorCode(err); c == throughline.EINVALID || c == throughline.ECONFLICT {
			return fail(err)
		}
		return err
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	return nil
}

type adminTeamsPage struct {
	page.Layout
	Teams  []teamView
	Name   page.Input
	Agency page.Select
	Create page.Button
}

type teamView struct {
	ID      string
	Name    string
	Agency  string
	Members page.Table
	Add     page.Select
	Action  string
	Button  page.Button
}

// AdminTeams: GET /admin/teams.
func (s *Admin) AdminTeams(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	return s.renderTeams(w, r, rq, url.Values{}, nil)
}

func (s *Admin) renderTeams(w http.ResponseWriter, r *http.Request, rq *page.Request, v url.Values, ferr error) error {
	teams, err := s.Store.Teams(r.Context())
	if err != nil {
		return err
	}
	accts, err := s.Store.Accounts(r.Context())
	if err != nil {
		return err
	}
	p := adminTeamsPage{Layout: page.NewLayout(rq, "Teams", "admin"), Create: page.Button{Text: "Create team", Classes: "govuk-button--secondary"}}
	var msgs page.FieldMessages
	if ferr != nil {
		p.ErrorSummary, msgs = page.ErrorSummaryOf(ferr, func(f string) (string, string) { return f, "team-" + f })
	}
	em := msgs.Of
	p.Name = page.Input{ID: "team-name", Name: "name", Value: v.Get("name"), Label: &page.Label{Text: "Team name", Classes: "govuk-label--s"}, ErrorMessage: em("name")}
	p.Agency = page.Select{ID: "team-agency", Name: "agency", Label: &page.Label{Text: "Organisation", Classes: "govuk-label--s"}, ErrorMessage: em("agency"), Items: page.AgencyChoices(v.Get("agency"), allAgencies, isvaAgencies(accts))}
	for _, t := range teams {
		tv := teamView{ID: t.ID, Name: t.Name, Agency: t.Agency, Action: "/admin/teams/" + url.PathEscape(t.ID) + "/members", Button: page.Button{Text: "Add to team", Classes: "govuk-button--secondary"}}
		tv.Members = page.Table{Caption: t.Name + " (" + page.AgencyName(t.Agency) + ")", CaptionClasses: "govuk-table__caption--m", Head: []page.TableHead{{Text: "Member"}, {Text: "Role"}, {Text: ""}}}
		in := map[string]bool{}
		for _, m := range t.Members {
			in[m.ID] = true
			tv.Members.Rows = append(tv.Members.Rows, []page.TableCell{{Text: m.Name}, {Text: throughline.RoleName(m.Role)}, {HTML: removeButton(tv.Action, "user_id", m.ID, "Remove "+m.Name)}})
		}
		tv.Add = page.Select{ID: "add-" + t.ID, Name: "user_id", Label: &page.Label{Text: "Add a member to " + t.Name}, Items: []page.Choice{{Value: "", Text: "Choose a user"}}}
		for _, a := range accts {
			if !in[a.ID] && !a.Disabled && a.Agency == t.Agency {
				tv.Add.Items = append(tv.Add.Items, page.Choice{Value: a.ID, Text: a.Name + " (" + throughline.RoleName(a.Role) + ")"})
			}
		}
		p.Teams = append(p.Teams, tv)
	}
	status := http.StatusOK
	if ferr != nil {
		status = http.StatusUnprocessableEntity
	}
	s.Render(w, r, status, "admin-teams", p)
	return nil
}

// removeButton is a small form that removes one member.
func removeButton(action, field, id, label string) template.HTML {
	return template.HTML(`<form method="post" action="` + template.HTMLEscapeString(action) + `" class="app-inline-form"><input type="hidden" name="` + template.HTMLEscapeString(field) + `" value="` + template.HTMLEscapeString(id) + `"><input type="hidden" name="remove" value="yes"><button type="submit" class="govuk-button govuk-button--warning app-button--small" data-module="govuk-button">` + template.HTMLEscapeString(label) + `</button></form>`)
}

// AdminTeamCreate: POST /admin/teams.
func (s *Admin) AdminTeamCreate(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	if _, err := s.Store.CreateTeam(r.Context(), rq.User.ID, r.PostFormValue("name"), strings.TrimSpace(r.PostFormValue("agency"))); err != nil {
		if c := throughline.ErrorCode(err); c == throughline.EINVALID || c == throughline.ECONFLICT {
			return s.renderTeams(w, r, rq, r.PostForm, err)
		}
		return err
	}
	http.Redirect(w, r, "/admin/teams", http.StatusSeeOther)
	return nil
}

// AdminTeamMembers: POST /admin/teams/{id}/members.
func (s *Admin) AdminTeamMembers(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	uid := r.PostFormValue("user_id")
	if uid != "" {
		if err := s.Store.SetTeamMember(r.Context(), rq.User.ID, r.PathValue("id"), uid, r.PostFormValue("remove") != "yes"); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/admin/teams", http.StatusSeeOther)
	return nil
}

type caseTeamsPage struct {
	page.Layout
	Ref    page.Input
	Button page.Button
}

// AdminCaseTeams: GET /admin/case-teams?ref=: find a case's team by its
// reference (administrators and police supervisors).
func (s *Admin) AdminCaseTeams(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ref := strings.TrimSpace(r.URL.Query().Get("ref"))
	p := caseTeamsPage{Layout: page.NewLayout(rq, "Case teams", "case-teams"), Button: page.Button{Text: "Find case team"},
		Ref: page.Input{Name: "ref", Value: ref, Label: &page.Label{Text: "Case reference", Classes: "govuk-label--s"}, Classes: "govuk-input--width-20", Spellcheck: new(false)}}
	if ref != "" {
		if _, err := s.Access.Scope(r.Context(), rq.User, ref, throughline.ActionManageCaseTeam); err == nil {
			http.Redirect(w, r, page.CaseURL(ref, "team"), http.StatusSeeOther)
			return nil
		} else if throughline.ErrorCode(err) != throughline.ENOTFOUND {
			return err
		}
		msg := "There is no case with this reference whose team you manage"
		p.ErrorSummary = &page.ErrorSummary{TitleText: "There is a problem", ErrorList: []page.ErrorLink{{Text: msg, Href: "#ref"}}}
		p.Ref.ErrorMessage = &page.ErrorMessage{Text: msg}
	}
	s.Render(w, r, http.StatusOK, "case-teams", p)
	return nil
}

type caseTeamPage struct {
	page.Layout
	Ref      string
	Members  page.Table
	AddUser  page.Select
	AddTeam  page.Select
	Action   string
	Button   page.Button
	CaseLink string
}

// CaseTeamPage: GET /cases/{ref}/team: who is on a case's team. It shows
// no case data, only staff.
func (s *Admin) CaseTeamPage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.Access.Scope(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionManageCaseTeam)
	if err != nil {
		return err
	}
	members, err := s.Store.CaseMembers(r.Context(), ca.Ref)
	if err != nil {
		return err
	}
	accts, err := s.Store.Accounts(r.Context())
	if err != nil {
		return err
	}
	teams, err := s.Store.Teams(r.Context())
	if err != nil {
		return err
	}
	p := caseTeamPage{Layout: page.NewLayout(rq, "Case team for "+ca.Ref, "case-teams"), Ref: ca.Ref, Action: page.CaseURL(ca.Ref, "team"), Button: page.Button{Text: "Add to case team", Classes: "govuk-button--secondary"}}
	if throughline.Can(rq.User, throughline.ActionReadCase, &ca.Scope, ca.Relation).Allowed {
		p.CaseLink = page.CaseURL(ca.Ref)
	}
	p.Members = page.Table{Caption: "Case team", CaptionClasses: "govuk-table__caption--m", Head: []page.TableHead{{Text: "Member"}, {Text: "Role or kind"}, {Text: "Organisation"}, {Text: ""}}}
	on := map[string]bool{}
	for _, m := range members {
		on[m.Kind+":"+m.ID] = true
		kind := throughline.RoleName(m.Role)
		if m.Kind == "team" {
			kind = "Team"
		}
		p.Members.Rows = append(p.Members.Rows, []page.TableCell{{Text: m.Name}, {Text: page.Sentence(kind)}, {Text: page.AgencyName(m.Agency)}, {HTML: removeButton(p.Action, "member", m.Kind+":"+m.ID, "Remove "+m.Name)}})
	}
	p.AddUser = page.Select{Name: "member", ID: "add-user", Label: &page.Label{Text: "Add a person", Classes: "govuk-label--s"}, Items: []page.Choice{{Value: "", Text: "Choose a person"}}}
	for _, a := range accts {
		if !on["user:"+a.ID] && !a.Disabled && throughline.CanSome(a.User, throughline.ActionReadCase) {
			p.AddUser.Items = append(p.AddUser.Items, page.Choice{Value: "user:" + a.ID, Text: a.Name + ", " + throughline.RoleName(a.Role) + " (" + page.AgencyName(a.Agency) + ")"})
		}
	}
	p.AddTeam = page.Select{Name: "member", ID: "add-team", Label: &page.Label{Text: "Or add a team", Classes: "govuk-label--s"}, Items: []page.Choice{{Value: "", Text: "Choose a team"}}}
	for _, t := range teams {
		if !on["team:"+t.ID] {
			p.AddTeam.Items = append(p.AddTeam.Items, page.Choice{Value: "team:" + t.ID, Text: t.Name + " (" + page.AgencyName(t.Agency) + ")"})
		}
	}
	s.Render(w, r, http.StatusOK, "case-team", p)
	return nil
}

// CaseTeamChange: POST /cases/{ref}/team.
func (s *Admin) CaseTeamChange(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.Access.Scope(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionManageCaseTeam)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	for _, m := range r.PostForm["member"] {
		kind, id, ok := strings.Cut(m, ":")
		if !ok {
			continue
		}
		if err := s.changeCaseMember(r, rq.User, ca, kind, id, r.PostFormValue("remove") != "yes"); err != nil {
			return err
		}
	}
	http.Redirect(w, r, page.CaseURL(ca.Ref, "team"), http.StatusSeeOther)
	return nil
}
