package staff

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"throughline"
	"throughline/refdata"
	"throughline/web/access"
	"throughline/web/page"
)

// caseListStore is what this file's pages need from storage.
type caseListStore interface {
	MyCases(ctx context.Context, u throughline.User, f throughline.MyCaseFilter) ([]throughline.MyCase, int, error)
	SearchCases(ctx context.Context, u throughline.User, q string, names bool, limit int) ([]throughline.SearchHit, error)
	WaitingCaseMemberRequests(ctx context.Context) ([]throughline.CaseMemberRequest, error)
}

// CaseList serves the case list and search.
type CaseList struct {
	*page.Base
	// Access applies the policy to cases and logs consultations.
	Access *access.Cases
	// Deadlines answers the "due soon" and "overdue" filters.
	Deadlines DeadlineIndex
	Store     caseListStore
}

// requestsWaiting tells an approver, on the page they open first, that
// requests to join a case team wait for their decision: nil when none do.
func (s *CaseList) requestsWaiting(ctx context.Context, u throughline.User) (*page.NotificationBanner, error) {
	qs, err := s.Store.WaitingCaseMemberRequests(ctx)
	if err != nil || len(qs) == 0 {
		return nil, err
	}
	if qs, err = s.Access.Approvable(ctx, u, qs); err != nil || len(qs) == 0 {
		return nil, err
	}
	verb := " are"
	if len(qs) == 1 {
		verb = " is"
	}
	return &page.NotificationBanner{Heading: plural(len(qs), "request") + " to join a case team" + verb + " waiting for your decision.",
		Text: "Nobody added by an administrator, or from another organisation, sees a case until a second person approves.", LinkHref: "/team-requests", LinkText: "Decide on case team requests"}, nil
}

// dueCases returns, of the given forces' cases, those with an open deadline
// overdue (status missed) or due soon, as of today.
func (s *CaseList) dueCases(ctx context.Context, forces []string, today time.Time) (soon, overdue map[string]bool, err error) {
	ds, err := s.Deadlines.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, DueBefore: today.AddDate(0, 0, 42), Forces: forces})
	if err != nil {
		return nil, nil, err
	}
	soon, overdue = map[string]bool{}, map[string]bool{}
	for _, d := range ds {
		switch d.Status(today) {
		case throughline.DeadlineMissed:
			overdue[d.Case] = true
		case throughline.DeadlineDueSoon:
			soon[d.Case] = true
		}
	}
	return soon, overdue, nil
}

// CasesPage is the view of "Your cases".
type casesPage struct {
	page.Layout
	Stage    page.Select
	Force    page.Select
	Area     page.Select
	Due      page.Choices
	Apply    page.Button
	Clear    string
	Table    page.Table
	Total    int
	Shown    int
	Prev     string
	Next     string
	Page     int
	Pages    int
	Filtered bool
}

const casesPerPage = 50

// CasesPage: GET /cases: the cases the user may see, filtered and sorted.
// The list shows no names (so it is not a consultation of personal data).
func (s *CaseList) CasesPage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	u := rq.User
	q := r.URL.Query()
	stage, force, area := q.Get("stage"), q.Get("force"), q.Get("area")
	due := q["due"]
	sortBy, desc := q.Get("sort"), q.Get("dir") == "desc"
	if _, ok := map[string]bool{"ref": true, "stage": true, "reported": true, "last": true, "force": true}[sortBy]; !ok {
		sortBy, desc = "last", true
	}
	pageNo, _ := strconv.Atoi(q.Get("pageNo"))
	pageNo = max(pageNo, 1)
	f := throughline.MyCaseFilter{Stage: stage, Force: force, CPSArea: area, Sort: sortBy, Desc: desc, Offset: (pageNo - 1) * casesPerPage, Limit: casesPerPage}
	today := s.Now()
	if len(due) > 0 {
		// The deadline filters narrow the candidates to cases with such
		// deadlines, from the deadlines projection.
		all, _, err := s.Store.MyCases(r.Context(), u, throughline.MyCaseFilter{Stage: stage, Force: force, CPSArea: area, Limit: 5000})
		if err != nil {
			return err
		}
		var forces []string
		for _, c := range all {
			if !slices.Contains(forces, c.Force) {
				forces = append(forces, c.Force)
			}
		}
		soon, overdue, err := s.dueCases(r.Context(), forces, today)
		if err != nil {
			return err
		}
		f.Refs = []string{}
		for _, c := range all {
			if (slices.Contains(due, "soon") && soon[c.Ref]) || (slices.Contains(due, "overdue") && overdue[c.Ref]) {
				f.Refs = append(f.Refs, c.Ref)
			}
		}
	}
	rows, total, err := s.Store.MyCases(r.Context(), u, f)
	if err != nil {
		return err
	}
	p := casesPage{Layout: page.NewLayout(rq, "Your cases", "cases"), Total: total, Page: pageNo, Pages: max(1, (total+casesPerPage-1)/casesPerPage),
		Apply: page.Button{Text: "Apply filters", Classes: "govuk-!-margin-bottom-4"}, Filtered: stage != "" || force != "" || area != "" || len(due) > 0, Clear: "/cases"}
	stages := []page.Choice{{Value: "", Text: "Any stage"}}
	for _, st := range throughline.Stages {
		stages = append(stages, page.Choice{Value: st, Text: stageName(st), Selected: st == stage})
	}
	p.Stage = page.Select{Name: "stage", Label: &page.Label{Text: "Stage", Classes: "govuk-label--s"}, Items: stages}
	forces := []page.Choice{{Value: "", Text: "Any force"}}
	for _, fo := range refdata.Forces() {
		forces = append(forces, page.Choice{Value: fo.Code, Text: fo.Name, Selected: fo.Code == force})
	}
	p.Force = page.Select{Name: "force", Label: &page.Label{Text: "Police force", Classes: "govuk-label--s"}, Items: forces}
	areas := []page.Choice{{Value: "", Text: "Any CPS area"}}
	for _, a := range refdata.CPSAreas() {
		areas = append(areas, page.Choice{Value: a.ID, Text: a.Name, Selected: a.ID == area})
	}
	p.Area = page.Select{Name: "area", Label: &page.Label{Text: "CPS area", Classes: "govuk-label--s"}, Items: areas}
	p.Due = page.Choices{Name: "due", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "Deadlines", Classes: "govuk-fieldset__legend--s"}}, Classes: "govuk-checkboxes--small",
		Items: []page.Choice{{Value: "overdue", Text: "Overdue", Checked: slices.Contains(due, "overdue")}, {Value: "soon", Text: "Due soon", Checked: slices.Contains(due, "soon")}}}

	link := func(col string) (string, string) {
		v := url.Values{}
		for k, vs := range q {
			if k != "sort" && k != "dir" && k != "page" {
				v[k] = vs
			}
		}
		v.Set("sort", col)
		aria := "none"
		if col == sortBy {
			if desc {
				aria = "descending"
			} else {
				aria = "ascending"
				v.Set("dir", "desc")
			}
		}
		return "/cases?" + v.Encode(), aria
	}
	head := func(text, col string) page.TableHead {
		h, a := link(col)
		return page.TableHead{Text: text, Href: h, AriaSort: a}
	}
	p.Table = page.Table{Caption: "Cases", CaptionClasses: "govuk-visually-hidden", Sortable: true, FirstCellIsHeader: true,
		Head: []page.TableHead{head("Reference", "ref"), head("Stage", "stage"), head("Force", "force"), head("Reported", "reported"), head("Last event", "last"), {Text: "Your access"}}}
	for _, c := range rows {
		sc := throughline.CaseScope{Ref: c.Ref, Force: c.Force, CPSArea: c.CPSArea}
		d := throughline.Can(u, throughline.ActionReadCase, &sc, c.Relation)
		if !d.Allowed {
			continue
		}
		access := map[string]string{throughline.BasisTeam: "Case team", throughline.BasisSupervisor: "Supervisor", throughline.BasisBreakGlass: "Emergency access", throughline.BasisConsent: "Victim's consent"}[d.Basis]
		p.Table.Rows = append(p.Table.Rows, []page.TableCell{
			{Text: c.Ref, Href: page.CaseURL(c.Ref), SortValue: c.Ref},
			{Text: stageName(c.Stage)},
			{Text: forceName(c.Force)},
			{Text: isoDay(c.ReportedOn), SortValue: c.ReportedOn},
			{Text: isoDay(c.LastOccurred), SortValue: c.LastOccurred},
			{Text: access},
		})
	}
	p.Shown = len(p.Table.Rows)
	pageLink := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return "/cases?" + v.Encode()
	}
	if pageNo > 1 {
		p.Prev = pageLink(pageNo - 1)
	}
	if pageNo < p.Pages {
		p.Next = pageLink(pageNo + 1)
	}
	if p.Banner, err = s.requestsWaiting(r.Context(), u); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "cases", p)
	return nil
}

// SearchPage is the view of the search page.
type searchPage struct {
	page.Layout
	Query   page.Input
	Button  page.Button
	Asked   bool
	Results page.Table
	Count   int
}

// SearchPage: GET /search?q=: cases by reference or by a party's name,
// among those the user may see. Each case whose names are shown is a
// consultation, logged before the results are.
func (s *CaseList) SearchPage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	u := rq.User
	q := r.URL.Query().Get("q")
	p := searchPage{Layout: page.NewLayout(rq, "Search", "search"),
		Query:  page.Input{Name: "q", Value: q, Type: "search", Label: &page.Label{Text: "Search your cases", Classes: "govuk-label--l", IsPageHeading: true}, Hint: &page.Hint{Text: "A case reference, or part of a complainant's or defendant's name"}, Spellcheck: new(bool)},
		Button: page.Button{Text: "Search"}}
	if len([]rune(q)) >= 2 {
		p.Asked = true
		hits, err := s.Store.SearchCases(r.Context(), u, q, true, 50)
		if err != nil {
			return err
		}
		var logs []access.Consultation
		p.Results = page.Table{Caption: "Results", CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true, Head: []page.TableHead{{Text: "Reference"}, {Text: "Stage"}, {Text: "Matched"}}}
		for _, h := range hits {
			sc := throughline.CaseScope{Ref: h.Ref, Force: h.Force, CPSArea: h.CPSArea}
			d := throughline.Can(u, throughline.ActionReadCase, &sc, h.Relation)
			if !d.Allowed {
				continue
			}
			matched := "Reference"
			if h.PartyID != "" {
				// A name matched: only if the decision shows that party by
				// name (an inspector sees pseudonyms, so real names never
				// match; an ISVA sees only their own complainants).
				shown := d.Has(throughline.PartParties) && !d.Pseudonymise
				switch h.PartyRole {
				case "complainant":
					shown = shown && d.ShowsComplainant(h.PartyID)
				}
				if !shown {
					continue
				}
				matched = h.PartyName + " (" + h.PartyRole + ")"
				logs = append(logs, access.Consultation{Case: &access.Case{Ref: h.Ref, Scope: sc, Relation: h.Relation, Decision: d, Read: d}, Parts: []string{throughline.PartSearch}})
			}
			p.Results.Rows = append(p.Results.Rows, []page.TableCell{{Text: h.Ref, Href: page.CaseURL(h.Ref)}, {Text: stageName(h.Stage)}, {Text: matched}})
		}
		p.Count = len(p.Results.Rows)
		if err := s.Access.ConsultedMany(r, u, throughline.ChannelPage, logs...); err != nil {
			return err
		}
	}
	s.Render(w, r, http.StatusOK, "search", p)
	return nil
}
