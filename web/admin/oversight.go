package admin

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/web/access"
	"throughline/web/page"
)

// oversightStore is what this file's pages need from storage.
type oversightStore interface {
	BreakGlass(ctx context.Context, u throughline.User, c throughline.CaseScope, reason string) (throughline.BreakGlassGrant, error)
	BreakGlassGrant(ctx context.Context, id string) (throughline.BreakGlassGrant, error)
	BreakGlassGrants(ctx context.Context, f throughline.BreakGlassFilter) ([]throughline.BreakGlassGrant, error)
	CaseMembers(ctx context.Context, ref string) ([]throughline.CaseMember, error)
	Consents(ctx context.Context, ref string) ([]throughline.Consent, error)
	Consultations(ctx context.Context, f throughline.ConsultationFilter) ([]throughline.Consultation, error)
	RecordConsent(ctx context.Context, c throughline.Consent) error
	ReviewBreakGlass(ctx context.Context, grantID string, reviewer throughline.User, outcome, note string) error
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
}

// Oversight serves consent, the consultation log, break-glass and its review.
type Oversight struct {
	*page.Base
	// Access applies the policy to cases and logs consultations.
	Access *access.Cases
	Store  oversightStore
}

// consentPage is the view of the ISVA consent form and its trail.
type consentPage struct {
	page.Layout
	Ref         string
	Complainant page.Choices
	Agency      page.Select
	Given       page.Choices
	Note        page.Textarea
	Submit      page.Button
	Trail       page.Table
}

func (s *Oversight) consentView(r *http.Request, rq *page.Request, ca *access.Case, v url.Values, err error) (consentPage, error) {
	c := ca.Case
	p := consentPage{Layout: page.NewLayout(rq, "ISVA consent", ""), Ref: c.Ref, Submit: page.Button{Text: "Save"}}
	p.Back = page.CaseURL(c.Ref)
	var msgs page.FieldMessages
	if err != nil {
		p.ErrorSummary, msgs = page.ErrorSummaryOf(err, page.SameField)
	}
	em := msgs.Of
	p.Complainant = page.Choices{Name: "complainant_id", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "Whose consent?", Classes: "govuk-fieldset__legend--s"}}, ErrorMessage: em("complainant_id")}
	for _, cp := range c.Complainants {
		p.Complainant.Items = append(p.Complainant.Items, page.Choice{Value: cp.ID, Text: cp.Name, Checked: v.Get("complainant_id") == cp.ID || len(c.Complainants) == 1})
	}
	p.Given = page.Choices{Name: "given", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "What did the victim say?", Classes: "govuk-fieldset__legend--s"}}, ErrorMessage: em("given"),
		Items: []page.Choice{{Value: "yes", Text: "They consent to their ISVA seeing the progress of their case", Checked: v.Get("given") == "yes"}, {Value: "no", Text: "They withdraw their consent", Checked: v.Get("given") == "no"}}}
	p.Note = page.Textarea{Name: "note", Value: v.Get("note"), Rows: 2, Label: &page.Label{Text: "How was consent given or withdrawn? (optional)", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "For example, signed form, or by phone to the officer in the case"}}
	trail, err := s.Store.Consents(r.Context(), c.Ref)
	if err != nil {
		return p, err
	}
	members, err := s.Store.CaseMembers(r.Context(), c.Ref)
	if err != nil {
		return p, err
	}
	// Her ISVA is one on the case team, or one she consented for before:
	// chosen by name, so a consent is never for a misspelt organisation
	// that no ISVA belongs to.
	var ids, isvas []string
	for _, m := range members {
		isvas = append(isvas, m.Agency)
	}
	for _, t := range trail {
		ids = append(ids, t.RecordedBy)
		isvas = append(isvas, t.ISVAAgency)
	}
	p.Agency = page.Select{Name: "isva_agency", Label: &page.Label{Text: "ISVA organisation", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "The organisation of an ISVA on the case team"}, ErrorMessage: em("isva_agency"),
		Items: page.AgencyChoices(v.Get("isva_agency"), []string{page.KindISVA}, isvas)}
	if len(p.Agency.Items) == 1 {
		p.Agency.Hint.Text = "No ISVA is on the case team yet: add their ISVA to the case team first"
	}
	who, err := s.Store.UserNames(r.Context(), ids)
	if err != nil {
		return p, err
	}
	n := page.NamesOf(c)
	p.Trail = page.Table{Caption: "Consent record", CaptionClasses: "govuk-table__caption--m", Head: []page.TableHead{{Text: "When"}, {Text: "Complainant"}, {Text: "ISVA organisation"}, {Text: "Consent"}, {Text: "Recorded by"}, {Text: "How"}}}
	for _, t := range trail {
		state := "Given"
		if !t.Given {
			state = "Withdrawn"
		}
		p.Trail.Rows = append(p.Trail.Rows, []page.TableCell{{Text: page.LondonTime(t.RecordedAt)}, {Text: n.Of(t.ComplainantID)}, {Text: page.AgencyName(t.ISVAAgency)}, {Text: state}, {Text: who[t.RecordedBy]}, {Text: t.Note}})
	}
	return p, nil
}

// ConsentForm: GET /cases/{ref}/consent.
func (s *Oversight) ConsentForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.Access.Load(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionRecordConsent)
	if err != nil {
		return err
	}
	p, err := s.consentView(r, rq, ca, url.Values{}, nil)
	if err != nil {
		return err
	}
	if err := s.Access.Consulted(r, rq.User, ca, []string{throughline.PartVictim}, throughline.ChannelPage); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "consent", p)
	return nil
}

// Consent: POST /cases/{ref}/consent.
func (s *Oversight) Consent(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.Access.Load(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionRecordConsent)
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
		rerr = s.Store.RecordConsent(r.Context(), throughline.Consent{CaseRef: ca.Ref, ComplainantID: v.Get("complainant_id"), ISVAAgency: strings.TrimSpace(v.Get("isva_agency")), Given: g == "yes", Note: v.Get("note"), RecordedBy: rq.User.ID})
	}
	if rerr == nil {
		http.Redirect(w, r, page.CaseURL(ca.Ref, "consent"), http.StatusSeeOther)
		return nil
	}
	if throughline.ErrorCode(rerr) != throughline.EINVALID {
		return rerr
	}
	p, err := s.consentView(r, rq, ca, v, rerr)
	if err != nil {
		return err
	}
	s.Render(w, r, http.StatusUnprocessableEntity, "consent", p)
	return nil
}

// accessLogPage is the view of who consulted a case and why.
type accessLogPage struct {
	page.Layout
	Ref   string
	Table page.Table
	Older string
}

// AccessLog: GET /cases/{ref}/access-log: the consultation log of a case,
// for its supervisors and inspectors. Reading it is itself logged.
func (s *Oversight) AccessLog(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.Access.Scope(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionReadConsultations)
	if err != nil {
		return err
	}
	// Log this reading first: it then shows at the top of what is read.
	if err := s.Access.Consulted(r, rq.User, ca, []string{throughline.PartConsultations}, throughline.ChannelPage); err != nil {
		return err
	}
	var before int64
	if b := r.URL.Query().Get("before"); b != "" {
		before, _ = strconv.ParseInt(b, 10, 64)
	}
	entries, err := s.Store.Consultations(r.Context(), throughline.ConsultationFilter{CaseRef: ca.Ref, Before: before, Limit: 100})
	if err != nil {
		return err
	}
	p := accessLogPage{Layout: page.NewLayout(rq, "Who has looked at case "+ca.Ref, ""), Ref: ca.Ref}
	p.Back = page.CaseURL(ca.Ref)
	if ca.Read.Pseudonymise { // an inspector: the case page is not theirs to go back to
		p.Back = ""
	}
	p.Table = page.Table{Caption: "Consultations, newest first", CaptionClasses: "govuk-table__caption--m", Head: []page.TableHead{{Text: "When"}, {Text: "Who"}, {Text: "Role"}, {Text: "What they saw"}, {Text: "Purpose"}, {Text: "How"}}}
	for _, e := range entries {
		how := map[string]string{"page": "Web page", "api": "API", "export": "Export"}[e.Channel]
		purpose := e.Purpose
		if e.Basis == throughline.BasisBreakGlass {
			purpose = "Emergency access. " + purpose
		}
		saw := partWords(e.Parts)
		if slices.Contains(e.Parts, throughline.PartRestricted) {
			// Which item, and what was done with it (ADR 0402).
			saw = e.Target
		}
		p.Table.Rows = append(p.Table.Rows, []page.TableCell{{Text: page.LondonTime(e.At)}, {Text: e.UserName}, {Text: throughline.RoleName(e.Role) + " (" + page.AgencyName(e.Agency) + ")"}, {Text: saw}, {Text: purpose}, {Text: how}})
	}
	if len(entries) == 100 {
		p.Older = page.CaseURL(ca.Ref, "access-log") + "?before=" + strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	s.Render(w, r, http.StatusOK, "access-log", p)
	return nil
}

var partNames = map[string]string{
	throughline.PartSummary: "summary", throughline.PartParties: "people", throughline.PartOffences: "offences", throughline.PartKeyDates: "key dates",
	throughline.PartHearings: "hearings", throughline.PartTimeline: "timeline", throughline.PartVictim: "victim's details", throughline.PartWork: "casework",
	throughline.PartEvents: "event log", throughline.PartTeam: "case team", throughline.PartConsultations: "this log", throughline.PartSearch: "a name in search results",
	throughline.PartRestricted: "restricted material",
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
	return page.Sentence(strings.Join(out, ", "))
}

// breakGlassPage is the view of the emergency access form.
type breakGlassPage struct {
	page.Layout
	Ref    page.Input
	Reason page.Textarea
	Submit page.Button
	Hours  int
}

func (s *Oversight) breakGlassView(rq *page.Request, v url.Values, err error) breakGlassPage {
	p := breakGlassPage{Layout: page.NewLayout(rq, "Emergency access to a case", "break-glass"), Hours: int(throughline.BreakGlassFor / time.Hour),
		Submit: page.Button{Text: "Get emergency access", Classes: "govuk-button--warning"}}
	var msgs page.FieldMessages
	if err != nil {
		p.ErrorSummary, msgs = page.ErrorSummaryOf(err, page.SameField)
	}
	em := msgs.Of
	p.Ref = page.Input{Name: "ref", Value: v.Get("ref"), Label: &page.Label{Text: "Case reference", Classes: "govuk-label--s"}, ErrorMessage: em("ref"), Classes: "govuk-input--width-20", Spellcheck: new(false)}
	p.Reason = page.Textarea{Name: "reason", Value: v.Get("reason"), Label: &page.Label{Text: "Why do you need this case now?", Classes: "govuk-label--s"},
		Hint: &page.Hint{Text: "Your reason is logged, shown to the force's supervisors and reviewed. Say what has happened and why it cannot wait for you to be added to the case team."}, ErrorMessage: em("reason")}
	return p
}

// BreakGlassForm: GET /break-glass.
func (s *Oversight) BreakGlassForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	s.Render(w, r, http.StatusOK, "break-glass", s.breakGlassView(rq, r.URL.Query(), nil))
	return nil
}

// BreakGlass: POST /break-glass. The user must have proved who they are in
// the last few minutes; the access is read-only and time-limited.
func (s *Oversight) BreakGlass(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := r.PostForm
	ref := strings.TrimSpace(v.Get("ref"))
	fail := func(err error) error {
		s.Render(w, r, http.StatusUnprocessableEntity, "break-glass", s.breakGlassView(rq, v, err))
		return nil
	}
	if err := throughline.ValidateJustification(v.Get("reason")); err != nil {
		return fail(err)
	}
	notYours := &throughline.Error{Code: throughline.EINVALID, Message: "no case", Fields: []throughline.FieldError{{Field: "ref", Message: "There is no case with this reference that you can get emergency access to"}}}
	ca, err := s.Access.Scope(r.Context(), rq.User, ref, throughline.ActionBreakGlass)
	if err != nil {
		if throughline.ErrorCode(err) == throughline.ENOTFOUND {
			// Also for a case the user already sees: no need for the glass.
			if _, err2 := s.Access.Scope(r.Context(), rq.User, ref, throughline.ActionReadCase); err2 == nil {
				http.Redirect(w, r, page.CaseURL(ref), http.StatusSeeOther)
				return nil
			}
			return fail(notYours)
		}
		return err
	}
	if !rq.Proven(s.Now()) {
		// Prove it is you first; the form is shown again afterwards.
		page.Reauth(w, r, "/break-glass?"+url.Values{"ref": {ref}, "reason": {v.Get("reason")}}.Encode())
		return nil
	}
	if _, err := s.Store.BreakGlass(r.Context(), rq.User, ca.Scope, v.Get("reason")); err != nil {
		if throughline.ErrorCode(err) == throughline.EINVALID {
			return fail(err)
		}
		return err
	}
	s.Logger.Warn("break-glass", "user", rq.User.ID, "case", ref, "force", ca.Scope.Force)
	http.Redirect(w, r, page.CaseURL(ref), http.StatusSeeOther)
	return nil
}

// accessReviewPage lists break-glass accesses for review.
type accessReviewPage struct {
	page.Layout
	Grants []grantView
	All    bool
}

type grantView struct {
	ID       string
	Summary  page.SummaryList
	Reviewed bool
	Outcome  page.Choices
	Note     page.Textarea
	Submit   page.Button
	Action   string
}

// AccessReview: GET /access-review: the break-glass accesses to the
// supervisor's force's cases, unreviewed first.
func (s *Oversight) AccessReview(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	return s.renderAccessReview(w, r, rq, "", nil)
}

func (s *Oversight) renderAccessReview(w http.ResponseWriter, r *http.Request, rq *page.Request, failed string, ferr error) error {
	u := rq.User
	if !throughline.Can(u, throughline.ActionReviewAll, nil, throughline.Relation{}).Allowed {
		return throughline.Errorf(throughline.EFORBIDDEN, "Only police supervisors review emergency access.")
	}
	a, _ := throughline.ParseAgency(u.Agency)
	all := r.URL.Query().Get("all") == "1"
	gs, err := s.Store.BreakGlassGrants(r.Context(), throughline.BreakGlassFilter{Force: a.ID, Unreviewed: !all, Limit: 200})
	if err != nil {
		return err
	}
	p := accessReviewPage{Layout: page.NewLayout(rq, "Access review", "access-review"), All: all}
	var logs []access.Consultation
	for _, g := range gs {
		sc := throughline.CaseScope{Ref: g.CaseRef, Force: g.Force, CPSArea: g.CPSArea}
		d := throughline.Can(u, throughline.ActionReviewAccess, &sc, throughline.Relation{})
		if !d.Allowed {
			continue
		}
		logs = append(logs, access.Consultation{Case: &access.Case{Ref: g.CaseRef, Scope: sc, Decision: d}, Parts: []string{throughline.PartConsultations}})
		row := func(k, v string) page.SummaryRow {
			return page.SummaryRow{Key: page.SummaryText{Text: k}, Value: page.SummaryText{Text: v}}
		}
		gv := grantView{ID: g.ID, Action: "/access-review/" + g.ID, Submit: page.Button{Text: "Save review", Classes: "govuk-button--secondary"},
			Summary: page.SummaryList{Card: &page.SummaryCard{Title: &page.CardTitle{Text: "Case " + g.CaseRef, HeadingLevel: 2}, Actions: &page.Actions{Items: []page.ActionLink{{Href: page.CaseURL(g.CaseRef), Text: "Open case"}}}}, Rows: []page.SummaryRow{
				row("Who", g.UserName+", "+throughline.RoleName(g.Role)+" ("+page.AgencyName(g.Agency)+")"),
				row("When", page.LondonTime(g.GrantedAt)+" until "+page.LondonTime(g.ExpiresAt)),
				row("Reason given", g.Reason)}}}
		for _, rv := range g.Reviews {
			gv.Reviewed = true
			out := "Justified"
			if rv.Outcome == "not_justified" {
				out = "Not justified"
			}
			gv.Summary.Rows = append(gv.Summary.Rows, row("Review", out+" ("+rv.Reviewer+", "+page.LondonTime(rv.At)+") "+rv.Note))
		}
		gv.Outcome = page.Choices{Name: "outcome", IDPrefix: "outcome-" + g.ID, Classes: "govuk-radios--inline", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "Was this access justified?", Classes: "govuk-fieldset__legend--s"}},
			Items: []page.Choice{{Value: "justified", Text: "Yes"}, {Value: "not_justified", Text: "No"}}}
		gv.Note = page.Textarea{Name: "note", ID: "note-" + g.ID, Rows: 2, Label: &page.Label{Text: "Notes", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "Required if it was not justified: say what happens next"}}
		if g.ID == failed && ferr != nil {
			var msgs page.FieldMessages
			p.ErrorSummary, msgs = page.ErrorSummaryOf(ferr, func(f string) (string, string) {
				if f == "outcome" {
					return f, "outcome-" + g.ID
				}
				return f, "note-" + g.ID
			})
			gv.Outcome.ErrorMessage, gv.Note.ErrorMessage = msgs.Of("outcome"), msgs.Of("note")
		}
		p.Grants = append(p.Grants, gv)
	}
	if err := s.Access.ConsultedMany(r, u, throughline.ChannelPage, logs...); err != nil {
		return err
	}
	status := http.StatusOK
	if ferr != nil {
		status = http.StatusUnprocessableEntity
	}
	s.Render(w, r, status, "access-review", p)
	return nil
}

// ReviewAccess: POST /access-review/{id}.
func (s *Oversight) ReviewAccess(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
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
