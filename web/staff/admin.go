package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"throughline"
)

// Administration: users, teams and case teams. Administrators see no case
// data: a case team page shows its reference and its members, nothing else.

type adminUsersPage struct {
	Layout
	Table Table
	Add   Button
	Teams string
}

func (s *Server) mustAdminister(rq *request) error {
	if !throughline.Can(rq.User, throughline.ActionAdminister, nil, throughline.Relation{}).Allowed {
		return throughline.Errorf(throughline.EFORBIDDEN, "Only administrators manage users and teams.")
	}
	return nil
}

// adminUsers: GET /admin/users.
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.mustAdminister(rq); err != nil {
		return err
	}
	accts, err := s.Store.Accounts(r.Context())
	if err != nil {
		return err
	}
	p := adminUsersPage{Layout: s.layout(rq, "Users", "admin"), Add: Button{Text: "Add a user", Href: "/admin/users/new"}, Teams: "/admin/teams"}
	p.Table = Table{Caption: "Users", CaptionClasses: "govuk-visually-hidden", Sortable: true, FirstCellIsHeader: true, Head: []TableHead{{Text: "Name", AriaSort: "ascending"}, {Text: "Role", AriaSort: "none"}, {Text: "Organisation", AriaSort: "none"}, {Text: "Sign-in", AriaSort: "none"}, {Text: "Status", AriaSort: "none"}}}
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
		p.Table.Rows = append(p.Table.Rows, []TableCell{{Text: a.Name, Href: "/admin/users/" + url.PathEscape(a.ID)}, {Text: throughline.RoleName(a.Role)}, {Text: a.Agency}, {Text: signin}, {Text: status}})
	}
	s.render(w, r, http.StatusOK, "admin-users", p)
	return nil
}

type adminUserPage struct {
	Layout
	Heading   string
	Action    string
	Name      Input
	Role      Select
	Agency    Input
	Login     Input
	Password  Input
	Disabled  Choices
	Submit    Button
	ResetTOTP bool
	UserID    string
}

func (s *Server) userView(rq *request, title string, v url.Values, err error, isNew bool) adminUserPage {
	p := adminUserPage{Layout: s.layout(rq, title, "admin"), Heading: title, Submit: Button{Text: "Save"}}
	p.Back = "/admin/users"
	var msgs fieldMessages
	if err != nil {
		p.ErrorSummary, msgs = errorSummary(err, sameField)
	}
	em := msgs.of
	p.Name = Input{Name: "name", Value: v.Get("name"), Label: &Label{Text: "Full name", Classes: "govuk-label--s"}, ErrorMessage: em("name"), Autocomplete: "off"}
	p.Role = Select{Name: "role", Label: &Label{Text: "Role", Classes: "govuk-label--s"}, ErrorMessage: em("role")}
	for _, role := range throughline.Roles {
		p.Role.Items = append(p.Role.Items, Choice{Value: role, Text: sentence(throughline.RoleName(role)), Selected: v.Get("role") == role})
	}
	p.Agency = Input{Name: "agency", Value: v.Get("agency"), Label: &Label{Text: "Organisation", Classes: "govuk-label--s"}, Hint: &Hint{Text: "police:13 (a force by PNC code), cps:yorkshire_humberside, wcu:13, isva:rape-crisis-leeds or inspectorate"}, ErrorMessage: em("agency"), Spellcheck: ptr(false)}
	p.Login = Input{Name: "login", Value: v.Get("login"), Label: &Label{Text: "Sign-in name", Classes: "govuk-label--s"}, Hint: &Hint{Text: "Their work email address. It is also how they sign in with their organisation's account."}, ErrorMessage: em("login"), Spellcheck: ptr(false), Autocomplete: "off"}
	pwHint := "At least 12 characters. Give it to them in person or by phone; they set up their authenticator app when they first sign in."
	if !isNew {
		pwHint = "Leave blank to keep their password."
	}
	p.Password = Input{Name: "password", Type: "password", Label: &Label{Text: "Password", Classes: "govuk-label--s"}, Hint: &Hint{Text: pwHint}, ErrorMessage: em("password"), Autocomplete: "new-password"}
	if !isNew {
		p.Disabled = Choices{Name: "disabled", Fieldset: &Fieldset{Legend: &Legend{Text: "Account", Classes: "govuk-fieldset__legend--s"}},
			Items: []Choice{{Value: "no", Text: "Active", Checked: v.Get("disabled") != "yes"}, {Value: "yes", Text: "Disabled: signs them out everywhere at once", Checked: v.Get("disabled") == "yes"}}}
	}
	return p
}

// adminNewUserForm: GET /admin/users/new.
func (s *Server) adminNewUserForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.mustAdminister(rq); err != nil {
		return err
	}
	p := s.userView(rq, "Add a user", url.Values{}, nil, true)
	p.Action = "/admin/users/new"
	s.render(w, r, http.StatusOK, "admin-user", p)
	return nil
}

// adminNewUser: POST /admin/users/new.
func (s *Server) adminNewUser(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.mustAdminister(rq); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := r.PostForm
	name, role, agency, login, pw := strings.TrimSpace(v.Get("name")), v.Get("role"), strings.TrimSpace(v.Get("agency")), v.Get("login"), v.Get("password")
	var fields []throughline.FieldError
	for _, err := range []error{throughline.ValidateUser(name, role, agency), throughline.ValidateLogin(login), throughline.ValidatePassword(pw)} {
		if te, ok := err.(*throughline.Error); ok {
			fields = append(fields, te.Fields...)
		}
	}
	fail := func(err error) error {
		p := s.userView(rq, "Add a user", v, err, true)
		p.Action = "/admin/users/new"
		s.render(w, r, http.StatusUnprocessableEntity, "admin-user", p)
		return nil
	}
	if len(fields) > 0 {
		return fail(&throughline.Error{Code: throughline.EINVALID, Message: "not a valid user", Fields: fields})
	}
	u, _, err := s.Store.AddUser(r.Context(), name, role, agency)
	if err != nil {
		return err
	}
	if err := s.Store.SetPassword(r.Context(), u.ID, login, pw); err != nil {
		if c := throughline.ErrorCode(err); c == throughline.EINVALID || c == throughline.ECONFLICT {
			// The user exists without a sign-in; disable them so a retry
			// with another name does not leave a stray active account.
			s.Store.UpdateUser(r.Context(), rq.User.ID, u.ID, name, role, agency, true)
			return fail(err)
		}
		return err
	}
	if err := s.Store.AdminLog(r.Context(), rq.User.ID, "add_user", u.ID, name+" "+role+" "+agency); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	return nil
}

// adminUserForm: GET /admin/users/{id}.
func (s *Server) adminUserForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.mustAdminister(rq); err != nil {
		return err
	}
	a, err := s.Store.Account(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	v := url.Values{"name": {a.Name}, "role": {a.Role}, "agency": {a.Agency}, "login": {a.Login}}
	if a.Disabled {
		v.Set("disabled", "yes")
	}
	p := s.userView(rq, "Change "+a.Name, v, nil, false)
	p.Action, p.UserID, p.ResetTOTP = "/admin/users/"+url.PathEscape(a.ID), a.ID, a.TOTPEnrolled
	s.render(w, r, http.StatusOK, "admin-user", p)
	return nil
}

// adminUser: POST /admin/users/{id}: change role, organisation, sign-in or
// status; a change of role or organisation, or disabling, ends the user's
// sessions at once.
func (s *Server) adminUser(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.mustAdminister(rq); err != nil {
		return err
	}
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
	fail := func(err error) error {
		p := s.userView(rq, "Change "+a.Name, v, err, false)
		p.Action, p.UserID, p.ResetTOTP = "/admin/users/"+url.PathEscape(a.ID), a.ID, a.TOTPEnrolled
		s.render(w, r, http.StatusUnprocessableEntity, "admin-user", p)
		return nil
	}
	err = s.Store.UpdateUser(r.Context(), rq.User.ID, a.ID, strings.TrimSpace(v.Get("name")), v.Get("role"), strings.TrimSpace(v.Get("agency")), v.Get("disabled") == "yes")
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
	Layout
	Teams  []teamView
	Name   Input
	Agency Input
	Create Button
}

type teamView struct {
	ID      string
	Name    string
	Agency  string
	Members Table
	Add     Select
	Action  string
	Button  Button
}

// adminTeams: GET /admin/teams.
func (s *Server) adminTeams(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.mustAdminister(rq); err != nil {
		return err
	}
	return s.renderTeams(w, r, rq, url.Values{}, nil)
}

func (s *Server) renderTeams(w http.ResponseWriter, r *http.Request, rq *request, v url.Values, ferr error) error {
	teams, err := s.Store.Teams(r.Context())
	if err != nil {
		return err
	}
	accts, err := s.Store.Accounts(r.Context())
	if err != nil {
		return err
	}
	p := adminTeamsPage{Layout: s.layout(rq, "Teams", "admin"), Create: Button{Text: "Create team", Classes: "govuk-button--secondary"}}
	var msgs fieldMessages
	if ferr != nil {
		p.ErrorSummary, msgs = errorSummary(ferr, func(f string) (string, string) { return f, "team-" + f })
	}
	em := msgs.of
	p.Name = Input{ID: "team-name", Name: "name", Value: v.Get("name"), Label: &Label{Text: "Team name", Classes: "govuk-label--s"}, ErrorMessage: em("name")}
	p.Agency = Input{ID: "team-agency", Name: "agency", Value: v.Get("agency"), Label: &Label{Text: "Organisation", Classes: "govuk-label--s"}, Hint: &Hint{Text: "For example, cps:yorkshire_humberside"}, ErrorMessage: em("agency"), Spellcheck: ptr(false)}
	for _, t := range teams {
		tv := teamView{ID: t.ID, Name: t.Name, Agency: t.Agency, Action: "/admin/teams/" + url.PathEscape(t.ID) + "/members", Button: Button{Text: "Add to team", Classes: "govuk-button--secondary"}}
		tv.Members = Table{Caption: t.Name + " (" + t.Agency + ")", CaptionClasses: "govuk-table__caption--m", Head: []TableHead{{Text: "Member"}, {Text: "Role"}, {Text: ""}}}
		in := map[string]bool{}
		for _, m := range t.Members {
			in[m.ID] = true
			tv.Members.Rows = append(tv.Members.Rows, []TableCell{{Text: m.Name}, {Text: throughline.RoleName(m.Role)}, {HTML: removeButton(tv.Action, "user_id", m.ID, "Remove "+m.Name)}})
		}
		tv.Add = Select{ID: "add-" + t.ID, Name: "user_id", Label: &Label{Text: "Add a member to " + t.Name}, Items: []Choice{{Value: "", Text: "Choose a user"}}}
		for _, a := range accts {
			if !in[a.ID] && !a.Disabled && a.Agency == t.Agency {
				tv.Add.Items = append(tv.Add.Items, Choice{Value: a.ID, Text: a.Name + " (" + throughline.RoleName(a.Role) + ")"})
			}
		}
		p.Teams = append(p.Teams, tv)
	}
	status := http.StatusOK
	if ferr != nil {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "admin-teams", p)
	return nil
}

// removeButton is a small form that removes one member.
func removeButton(action, field, id, label string) template.HTML {
	return template.HTML(`<form method="post" action="` + template.HTMLEscapeString(action) + `" class="app-inline-form"><input type="hidden" name="` + template.HTMLEscapeString(field) + `" value="` + template.HTMLEscapeString(id) + `"><input type="hidden" name="remove" value="yes"><button type="submit" class="govuk-button govuk-button--warning app-button--small" data-module="govuk-button">` + template.HTMLEscapeString(label) + `</button></form>`)
}

// adminTeamCreate: POST /admin/teams.
func (s *Server) adminTeamCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.mustAdminister(rq); err != nil {
		return err
	}
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

// adminTeamMembers: POST /admin/teams/{id}/members.
func (s *Server) adminTeamMembers(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.mustAdminister(rq); err != nil {
		return err
	}
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
	Layout
	Ref    Input
	Button Button
}

// adminCaseTeams: GET /admin/case-teams?ref=: find a case's team by its
// reference (administrators and police supervisors).
func (s *Server) adminCaseTeams(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.User.Role != throughline.RoleAdmin && rq.User.Role != throughline.RolePoliceSupervisor {
		return throughline.Errorf(throughline.EFORBIDDEN, "Administrators and police supervisors manage case teams.")
	}
	ref := strings.TrimSpace(r.URL.Query().Get("ref"))
	p := caseTeamsPage{Layout: s.layout(rq, "Case teams", "case-teams"), Button: Button{Text: "Find case team"},
		Ref: Input{Name: "ref", Value: ref, Label: &Label{Text: "Case reference", Classes: "govuk-label--s"}, Classes: "govuk-input--width-20", Spellcheck: ptr(false)}}
	if ref != "" {
		if _, err := s.loadScope(r.Context(), rq.User, ref, throughline.ActionManageCaseTeam); err == nil {
			http.Redirect(w, r, caseURL(ref, "team"), http.StatusSeeOther)
			return nil
		} else if throughline.ErrorCode(err) != throughline.ENOTFOUND {
			return err
		}
		msg := "There is no case with this reference whose team you manage"
		p.ErrorSummary = &ErrorSummary{TitleText: "There is a problem", ErrorList: []ErrorLink{{Text: msg, Href: "#ref"}}}
		p.Ref.ErrorMessage = &ErrorMessage{Text: msg}
	}
	s.render(w, r, http.StatusOK, "case-teams", p)
	return nil
}

type caseTeamPage struct {
	Layout
	Ref      string
	Members  Table
	AddUser  Select
	AddTeam  Select
	Action   string
	Button   Button
	CaseLink string
}

// caseTeamPage: GET /cases/{ref}/team: who is on a case's team. It shows
// no case data, only staff.
func (s *Server) caseTeamPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	ca, err := s.loadScope(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionManageCaseTeam)
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
	p := caseTeamPage{Layout: s.layout(rq, "Case team for "+ca.Ref, "case-teams"), Ref: ca.Ref, Action: caseURL(ca.Ref, "team"), Button: Button{Text: "Add to case team", Classes: "govuk-button--secondary"}}
	if throughline.Can(rq.User, throughline.ActionReadCase, &ca.Scope, ca.Relation).Allowed {
		p.CaseLink = caseURL(ca.Ref)
	}
	p.Members = Table{Caption: "Case team", CaptionClasses: "govuk-table__caption--m", Head: []TableHead{{Text: "Member"}, {Text: "Role or kind"}, {Text: "Organisation"}, {Text: ""}}}
	on := map[string]bool{}
	for _, m := range members {
		on[m.Kind+":"+m.ID] = true
		kind := throughline.RoleName(m.Role)
		if m.Kind == "team" {
			kind = "Team"
		}
		p.Members.Rows = append(p.Members.Rows, []TableCell{{Text: m.Name}, {Text: sentence(kind)}, {Text: m.Agency}, {HTML: removeButton(p.Action, "member", m.Kind+":"+m.ID, "Remove "+m.Name)}})
	}
	p.AddUser = Select{Name: "member", ID: "add-user", Label: &Label{Text: "Add a person", Classes: "govuk-label--s"}, Items: []Choice{{Value: "", Text: "Choose a person"}}}
	for _, a := range accts {
		if !on["user:"+a.ID] && !a.Disabled && a.Role != throughline.RoleAdmin {
			p.AddUser.Items = append(p.AddUser.Items, Choice{Value: "user:" + a.ID, Text: a.Name + ", " + throughline.RoleName(a.Role) + " (" + a.Agency + ")"})
		}
	}
	p.AddTeam = Select{Name: "member", ID: "add-team", Label: &Label{Text: "Or add a team", Classes: "govuk-label--s"}, Items: []Choice{{Value: "", Text: "Choose a team"}}}
	for _, t := range teams {
		if !on["team:"+t.ID] {
			p.AddTeam.Items = append(p.AddTeam.Items, Choice{Value: "team:" + t.ID, Text: t.Name + " (" + t.Agency + ")"})
		}
	}
	s.render(w, r, http.StatusOK, "case-team", p)
	return nil
}

// caseTeamChange: POST /cases/{ref}/team.
func (s *Server) caseTeamChange(w http.ResponseWriter, r *http.Request, rq *request) error {
	ca, err := s.loadScope(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionManageCaseTeam)
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
		if err := s.Store.SetCaseMember(r.Context(), rq.User.ID, ca.Ref, kind, id, r.PostFormValue("remove") != "yes"); err != nil {
			return err
		}
	}
	http.Redirect(w, r, caseURL(ca.Ref, "team"), http.StatusSeeOther)
	return nil
}
