package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"throughline"
	"throughline/sqlstore"
)

// consentPage is the view of the ISVA consent form and its trail.
type consentPage struct {
	Layout
	Ref         string
	Complainant Choices
	Agency      Input
	Given       Choices
	Note        Textarea
	Submit      Button
	Trail       Table
}

func (s *Server) consentView(r *http.Request, rq *request, ca *caseAccess, v url.Values, err error) (consentPage, error) {
	c := ca.Case
	p := consentPage{Layout: s.layout(rq, "ISVA consent", ""), Ref: c.Ref, Submit: Button{Text: "Save"}}
	p.Back = caseURL(c.Ref)
	var msgs fieldMessages
	if err != nil {
		p.ErrorSummary, msgs = errorSummary(err, sameField)
	}
	em := msgs.of
	p.Complainant = Choices{Name: "complainant_id", Fieldset: &Fieldset{Legend: &Legend{Text: "Whose consent?", Classes: "govuk-fieldset__legend--s"}}, ErrorMessage: em("complainant_id")}
	for _, cp := range c.Complainants {
		p.Complainant.Items = append(p.Complainant.Items, Choice{Value: cp.ID, Text: cp.Name, Checked: v.Get("complainant_id") == cp.ID || len(c.Complainants) == 1})
	}
	p.Agency = Input{Name: "isva_agency", Value: v.Get("isva_agency"), Label: &Label{Text: "ISVA organisation", Classes: "govuk-label--s"}, Hint: &Hint{Text: "As Throughline knows it, for example isva:rape-crisis-leeds"}, ErrorMessage: em("isva_agency"), Spellcheck: ptr(false)}
	p.Given = Choices{Name: "given", Fieldset: &Fieldset{Legend: &Legend{Text: "What did the victim say?", Classes: "govuk-fieldset__legend--s"}}, ErrorMessage: em("given"),
		Items: []Choice{{Value: "yes", Text: "They consent to their ISVA seeing the progress of their case", Checked: v.Get("given") == "yes"}, {Value: "no", Text: "They withdraw their consent", Checked: v.Get("given") == "no"}}}
	p.Note = Textarea{Name: "note", Value: v.Get("note"), Rows: 2, Label: &Label{Text: "How was consent given or withdrawn? (optional)", Classes: "govuk-label--s"}, Hint: &Hint{Text: "For example, signed form, or by phone to the officer in the case"}}
	trail, err := s.Store.Consents(r.Context(), c.Ref)
	if err != nil {
		return p, err
	}
	var ids []string
	for _, t := range trail {
		ids = append(ids, t.RecordedBy)
	}
	who, err := s.Store.UserNames(r.Context(), ids)
	if err != nil {
		return p, err
	}
	n := namesOf(c)
	p.Trail = Table{Caption: "Consent record", CaptionClasses: "govuk-table__caption--m", Head: []TableHead{{Text: "When"}, {Text: "Complainant"}, {Text: "ISVA organisation"}, {Text: "Consent"}, {Text: "Recorded by"}, {Text: "How"}}}
	for _, t := range trail {
		state := "Given"
		if !t.Given {
			state = "Withdrawn"
		}
		p.Trail.Rows = append(p.Trail.Rows, []TableCell{{Text: londonTime(t.RecordedAt)}, {Text: n.of(t.ComplainantID)}, {Text: t.ISVAAgency}, {Text: state}, {Text: who[t.RecordedBy]}, {Text: t.Note}})
	}
	return p, nil
}

// consentForm: GET /cases/{ref}/consent.
func (s *Server) consentForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	ca, err := s.loadCase(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionRecordConsent)
	if err != nil {
		return err
	}
	p, err := s.consentView(r, rq, ca, url.Values{}, nil)
	if err != nil {
		return err
	}
	if err := s.consulted(r, rq.User, ca, []string{throughline.PartVictim}, sqlstore.ChannelPage); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "consent", p)
	return nil
}

// consent: POST /cases/{ref}/consent.
func (s *Server) consent(w http.ResponseWriter, r *http.Request, rq *request) error {
	ca, err := s.loadCase(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionRecordConsent)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := r.PostForm
	var rerr error
	if g := v.Get("given"); g != "yes" && g != "no" {
		rerr = &throughline.Error{Code: throughline.EINVALID, Message: "not a valid consent", Fields: []throughline.FieldError{{Field: "given", Message: "Select whether the victim consents"}}}
	} else {
		rerr = s.Store.RecordConsent(r.Context(), sqlstore.Consent{CaseRef: ca.Ref, ComplainantID: v.Get("complainant_id"), ISVAAgency: strings.TrimSpace(v.Get("isva_agency")), Given: g == "yes", Note: v.Get("note"), RecordedBy: rq.User.ID})
	}
	if rerr == nil {
		http.Redirect(w, r, caseURL(ca.Ref, "consent"), http.StatusSeeOther)
		return nil
	}
	if throughline.ErrorCode(rerr) != throughline.EINVALID {
		return rerr
	}
	p, err := s.consentView(r, rq, ca, v, rerr)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusUnprocessableEntity, "consent", p)
	return nil
}

// accessLogPage is the view of who consulted a case and why.
type accessLogPage struct {
	Layout
	Ref   string
	Table Table
	Older string
}

// accessLog: GET /cases/{ref}/access-log: the consultation log of a case,
// for its supervisors and inspectors. Reading it is itself logged.
func (s *Server) accessLog(w http.ResponseWriter, r *http.Request, rq *request) error {
	ca, err := s.loadScope(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionReadConsultations)
	if err != nil {
		return err
	}
	// Log this reading first: it then shows at the top of what is read.
	if err := s.consulted(r, rq.User, ca, []string{throughline.PartConsultations}, sqlstore.ChannelPage); err != nil {
		return err
	}
	var before int64
	if b := r.URL.Query().Get("before"); b != "" {
		before, _ = parseInt64(b)
	}
	entries, err := s.Store.Consultations(r.Context(), sqlstore.ConsultationFilter{CaseRef: ca.Ref, Before: before, Limit: 100})
	if err != nil {
		return err
	}
	p := accessLogPage{Layout: s.layout(rq, "Who has looked at case "+ca.Ref, ""), Ref: ca.Ref}
	p.Back = caseURL(ca.Ref)
	if ca.Decision.Basis == throughline.BasisTeam && rq.User.Role == throughline.RoleInspector {
		p.Back = ""
	}
	p.Table = Table{Caption: "Consultations, newest first", CaptionClasses: "govuk-table__caption--m", Head: []TableHead{{Text: "When"}, {Text: "Who"}, {Text: "Role"}, {Text: "What they saw"}, {Text: "Purpose"}, {Text: "How"}}}
	for _, e := range entries {
		how := map[string]string{"page": "Web page", "api": "API", "export": "Export"}[e.Channel]
		purpose := e.Purpose
		if e.Basis == throughline.BasisBreakGlass {
			purpose = "Emergency access. " + purpose
		}
		p.Table.Rows = append(p.Table.Rows, []TableCell{{Text: londonTime(e.At)}, {Text: e.UserName}, {Text: throughline.RoleName(e.Role) + " (" + e.Agency + ")"}, {Text: partWords(e.Parts)}, {Text: purpose}, {Text: how}})
	}
	if len(entries) == 100 {
		p.Older = caseURL(ca.Ref, "access-log") + "?before=" + itoa64(entries[len(entries)-1].ID)
	}
	s.render(w, r, http.StatusOK, "access-log", p)
	return nil
}

var partNames = map[string]string{
	throughline.PartSummary: "summary", throughline.PartParties: "people", throughline.PartOffences: "offences", throughline.PartKeyDates: "key dates",
	throughline.PartHearings: "hearings", throughline.PartTimeline: "timeline", throughline.PartVictim: "victim's details", throughline.PartWork: "casework",
	throughline.PartEvents: "event log", throughline.PartTeam: "case team", throughline.PartConsultations: "this log", throughline.PartSearch: "a name in search results",
}

func partWords(parts []string) string {
	var out []string
	for _, p := range parts {
		if w, ok := partNames[p]; ok {
			out = append(out, w)
		} else {
			out = append(out, p)
		}
	}
	return sentence(strings.Join(out, ", "))
}

// breakGlassPage is the view of the emergency access form.
type breakGlassPage struct {
	Layout
	Ref    Input
	Reason Textarea
	Submit Button
	Hours  int
}

func (s *Server) breakGlassView(rq *request, v url.Values, err error) breakGlassPage {
	p := breakGlassPage{Layout: s.layout(rq, "Emergency access to a case", "break-glass"), Hours: int(throughline.BreakGlassFor / time.Hour),
		Submit: Button{Text: "Get emergency access", Classes: "govuk-button--warning"}}
	var msgs fieldMessages
	if err != nil {
		p.ErrorSummary, msgs = errorSummary(err, sameField)
	}
	em := msgs.of
	p.Ref = Input{Name: "ref", Value: v.Get("ref"), Label: &Label{Text: "Case reference", Classes: "govuk-label--s"}, ErrorMessage: em("ref"), Classes: "govuk-input--width-20", Spellcheck: ptr(false)}
	p.Reason = Textarea{Name: "reason", Value: v.Get("reason"), Label: &Label{Text: "Why do you need this case now?", Classes: "govuk-label--s"},
		Hint: &Hint{Text: "Your reason is logged, shown to the force's supervisors and reviewed. Say what has happened and why it cannot wait for you to be added to the case team."}, ErrorMessage: em("reason")}
	return p
}

// breakGlassForm: GET /break-glass.
func (s *Server) breakGlassForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if !isCaseworker(rq.User.Role) || rq.User.Role == throughline.RolePoliceSupervisor {
		return throughline.Errorf(throughline.EFORBIDDEN, "Your role does not have emergency access to cases.")
	}
	s.render(w, r, http.StatusOK, "break-glass", s.breakGlassView(rq, r.URL.Query(), nil))
	return nil
}

// breakGlass: POST /break-glass. The user must have proved who they are in
// the last few minutes; the access is read-only and time-limited.
func (s *Server) breakGlass(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := r.PostForm
	ref := strings.TrimSpace(v.Get("ref"))
	fail := func(err error) error {
		s.render(w, r, http.StatusUnprocessableEntity, "break-glass", s.breakGlassView(rq, v, err))
		return nil
	}
	if err := throughline.ValidateJustification(v.Get("reason")); err != nil {
		return fail(err)
	}
	notYours := &throughline.Error{Code: throughline.EINVALID, Message: "no case", Fields: []throughline.FieldError{{Field: "ref", Message: "There is no case with this reference that you can get emergency access to"}}}
	ca, err := s.loadScope(r.Context(), rq.User, ref, throughline.ActionBreakGlass)
	if err != nil {
		if throughline.ErrorCode(err) == throughline.ENOTFOUND {
			// Also for a case the user already sees: no need for the glass.
			if _, err2 := s.loadScope(r.Context(), rq.User, ref, throughline.ActionReadCase); err2 == nil {
				http.Redirect(w, r, caseURL(ref), http.StatusSeeOther)
				return nil
			}
			return fail(notYours)
		}
		return err
	}
	if s.Store.Now().Sub(rq.Session.AuthAt) > throughline.ReauthWithin {
		// Prove it is you first; the form is shown again afterwards.
		q := url.Values{"ref": {ref}, "reason": {v.Get("reason")}}
		http.Redirect(w, r, "/reauth?next="+url.QueryEscape("/break-glass?"+q.Encode()), http.StatusSeeOther)
		return nil
	}
	if _, err := s.Store.BreakGlass(r.Context(), rq.User, ca.Scope, v.Get("reason")); err != nil {
		if throughline.ErrorCode(err) == throughline.EINVALID {
			return fail(err)
		}
		return err
	}
	s.Logger.Warn("break-glass", "user", rq.User.ID, "case", ref, "force", ca.Scope.Force)
	http.Redirect(w, r, caseURL(ref), http.StatusSeeOther)
	return nil
}

// accessReviewPage lists break-glass accesses for review.
type accessReviewPage struct {
	Layout
	Grants []grantView
	All    bool
}

type grantView struct {
	ID       string
	Summary  SummaryList
	Reviewed bool
	Outcome  Choices
	Note     Textarea
	Submit   Button
	Action   string
}

// accessReview: GET /access-review: the break-glass accesses to the
// supervisor's force's cases, unreviewed first.
func (s *Server) accessReview(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderAccessReview(w, r, rq, "", nil)
}

func (s *Server) renderAccessReview(w http.ResponseWriter, r *http.Request, rq *request, failed string, ferr error) error {
	u := rq.User
	if !throughline.Can(u, throughline.ActionReviewAll, nil, throughline.Relation{}).Allowed {
		return throughline.Errorf(throughline.EFORBIDDEN, "Only police supervisors review emergency access.")
	}
	a, _ := throughline.ParseAgency(u.Agency)
	all := r.URL.Query().Get("all") == "1"
	gs, err := s.Store.BreakGlassGrants(r.Context(), sqlstore.BreakGlassFilter{Force: a.ID, Unreviewed: !all, Limit: 200})
	if err != nil {
		return err
	}
	p := accessReviewPage{Layout: s.layout(rq, "Access review", "access-review"), All: all}
	var logs []consultation
	for _, g := range gs {
		sc := throughline.CaseScope{Ref: g.CaseRef, Force: g.Force, CPSArea: g.CPSArea}
		d := throughline.Can(u, throughline.ActionReviewAccess, &sc, throughline.Relation{})
		if !d.Allowed {
			continue
		}
		logs = append(logs, consultation{&caseAccess{Ref: g.CaseRef, Scope: sc, Decision: d}, []string{throughline.PartConsultations}})
		row := func(k, v string) SummaryRow {
			return SummaryRow{Key: SummaryText{Text: k}, Value: SummaryText{Text: v}}
		}
		gv := grantView{ID: g.ID, Action: "/access-review/" + g.ID, Submit: Button{Text: "Save review", Classes: "govuk-button--secondary"},
			Summary: SummaryList{Card: &SummaryCard{Title: &CardTitle{Text: "Case " + g.CaseRef, HeadingLevel: 2}, Actions: &Actions{Items: []ActionLink{{Href: caseURL(g.CaseRef), Text: "Open case"}}}}, Rows: []SummaryRow{
				row("Who", g.UserName+", "+throughline.RoleName(g.Role)+" ("+g.Agency+")"),
				row("When", londonTime(g.GrantedAt)+" until "+londonTime(g.ExpiresAt)),
				row("Reason given", g.Reason)}}}
		for _, rv := range g.Reviews {
			gv.Reviewed = true
			out := "Justified"
			if rv.Outcome == "not_justified" {
				out = "Not justified"
			}
			gv.Summary.Rows = append(gv.Summary.Rows, row("Review", out+" ("+rv.Reviewer+", "+londonTime(rv.At)+") "+rv.Note))
		}
		gv.Outcome = Choices{Name: "outcome", IDPrefix: "outcome-" + g.ID, Classes: "govuk-radios--inline", Fieldset: &Fieldset{Legend: &Legend{Text: "Was this access justified?", Classes: "govuk-fieldset__legend--s"}},
			Items: []Choice{{Value: "justified", Text: "Yes"}, {Value: "not_justified", Text: "No"}}}
		gv.Note = Textarea{Name: "note", ID: "note-" + g.ID, Rows: 2, Label: &Label{Text: "Notes", Classes: "govuk-label--s"}, Hint: &Hint{Text: "Required if it was not justified: say what happens next"}}
		if g.ID == failed && ferr != nil {
			var msgs fieldMessages
			p.ErrorSummary, msgs = errorSummary(ferr, func(f string) (string, string) {
				if f == "outcome" {
					return f, "outcome-" + g.ID
				}
				return f, "note-" + g.ID
			})
			gv.Outcome.ErrorMessage, gv.Note.ErrorMessage = msgs.of("outcome"), msgs.of("note")
		}
		p.Grants = append(p.Grants, gv)
	}
	if err := s.consultedMany(r, u, sqlstore.ChannelPage, logs...); err != nil {
		return err
	}
	status := http.StatusOK
	if ferr != nil {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "access-review", p)
	return nil
}

// reviewAccess: POST /access-review/{id}.
func (s *Server) reviewAccess(w http.ResponseWriter, r *http.Request, rq *request) error {
	g, err := s.Store.BreakGlassGrant(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	sc := throughline.CaseScope{Ref: g.CaseRef, Force: g.Force, CPSArea: g.CPSArea}
	if !throughline.Can(rq.User, throughline.ActionReviewAccess, &sc, throughline.Relation{}).Allowed {
		return throughline.Errorf(throughline.ENOTFOUND, "no such access")
	}
	if err := s.Store.ReviewBreakGlass(r.Context(), g.ID, rq.User, r.PostFormValue("outcome"), r.PostFormValue("note")); err != nil {
		if throughline.ErrorCode(err) == throughline.EINVALID {
			return s.renderAccessReview(w, r, rq, g.ID, err)
		}
		return err
	}
	http.Redirect(w, r, "/access-review", http.StatusSeeOther)
	return nil
}
