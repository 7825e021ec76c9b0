package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"throughline"
	"throughline/deadline"
	"throughline/refdata"
	"throughline/sqlstore"
)

// DeadlineIndex is what the case list needs to filter cases with deadlines
// due soon or overdue: the lead's deadlines projection (sqlstore.Store
// satisfies it), or a stand-in in tests.
type DeadlineIndex interface {
	DeadlinesDue(ctx context.Context, f sqlstore.DeadlineFilter) ([]sqlstore.CaseDeadline, error)
}

func (s *Server) deadlines() DeadlineIndex {
	if s.Deadlines != nil {
		return s.Deadlines
	}
	return s.Store
}

// dueCases returns, of the given forces' cases, those with an open deadline
// overdue (status missed) or due soon, as of today.
func (s *Server) dueCases(ctx context.Context, forces []string, today time.Time) (soon, overdue map[string]bool, err error) {
	ds, err := s.deadlines().DeadlinesDue(ctx, sqlstore.DeadlineFilter{OpenOnly: true, DueBefore: today.AddDate(0, 0, 42), Forces: forces})
	if err != nil {
		return nil, nil, err
	}
	soon, overdue = map[string]bool{}, map[string]bool{}
	for _, d := range ds {
		switch d.Status(today) {
		case deadline.StatusMissed:
			overdue[d.Case] = true
		case deadline.StatusDueSoon:
			soon[d.Case] = true
		}
	}
	return soon, overdue, nil
}

// casesPage is the view of "Your cases".
type casesPage struct {
	Layout
	Stage    Select
	Force    Select
	Area     Select
	Due      Choices
	Apply    Button
	Clear    string
	Table    Table
	Total    int
	Shown    int
	Prev     string
	Next     string
	Page     int
	Pages    int
	Filtered bool
}

const casesPerPage = 50

// casesPage: GET /cases: the cases the user may see, filtered and sorted.
// The list shows no names (so it is not a consultation of personal data).
func (s *Server) casesPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	u := rq.User
	if !throughline.Can(u, throughline.ActionListCases, nil, throughline.Relation{}).Allowed {
		return throughline.Errorf(throughline.EFORBIDDEN, "Administrators do not see cases. Use the administration pages.")
	}
	q := r.URL.Query()
	stage, force, area := q.Get("stage"), q.Get("force"), q.Get("area")
	due := q["due"]
	sortBy, desc := q.Get("sort"), q.Get("dir") == "desc"
	if _, ok := map[string]bool{"ref": true, "stage": true, "reported": true, "last": true, "force": true}[sortBy]; !ok {
		sortBy, desc = "last", true
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	f := sqlstore.MyCaseFilter{Stage: stage, Force: force, CPSArea: area, Sort: sortBy, Desc: desc, Offset: (page - 1) * casesPerPage, Limit: casesPerPage}
	today := s.Store.Now()
	if len(due) > 0 {
		// The deadline filters narrow the candidates to cases with such
		// deadlines, from the deadlines projection.
		all, _, err := s.Store.MyCases(r.Context(), u, sqlstore.MyCaseFilter{Stage: stage, Force: force, CPSArea: area, Limit: 5000})
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
	p := casesPage{Layout: s.layout(rq, "Your cases", "cases"), Total: total, Page: page, Pages: max(1, (total+casesPerPage-1)/casesPerPage),
		Apply: Button{Text: "Apply filters", Classes: "govuk-!-margin-bottom-4"}, Filtered: stage != "" || force != "" || area != "" || len(due) > 0, Clear: "/cases"}
	stages := []Choice{{Value: "", Text: "Any stage"}}
	for _, st := range throughline.Stages {
		stages = append(stages, Choice{Value: st, Text: stageName(st), Selected: st == stage})
	}
	p.Stage = Select{Name: "stage", Label: &Label{Text: "Stage", Classes: "govuk-label--s"}, Items: stages}
	forces := []Choice{{Value: "", Text: "Any force"}}
	for _, fo := range refdata.Forces() {
		forces = append(forces, Choice{Value: fo.Code, Text: fo.Name, Selected: fo.Code == force})
	}
	p.Force = Select{Name: "force", Label: &Label{Text: "Police force", Classes: "govuk-label--s"}, Items: forces}
	areas := []Choice{{Value: "", Text: "Any CPS area"}}
	for _, a := range refdata.CPSAreas() {
		areas = append(areas, Choice{Value: a.ID, Text: a.Name, Selected: a.ID == area})
	}
	p.Area = Select{Name: "area", Label: &Label{Text: "CPS area", Classes: "govuk-label--s"}, Items: areas}
	p.Due = Choices{Name: "due", Fieldset: &Fieldset{Legend: &Legend{Text: "Deadlines", Classes: "govuk-fieldset__legend--s"}}, Classes: "govuk-checkboxes--small",
		Items: []Choice{{Value: "overdue", Text: "Overdue", Checked: slices.Contains(due, "overdue")}, {Value: "soon", Text: "Due soon", Checked: slices.Contains(due, "soon")}}}

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
	head := func(text, col string) TableHead {
		h, a := link(col)
		return TableHead{Text: text, Href: h, AriaSort: a}
	}
	p.Table = Table{Caption: "Cases", CaptionClasses: "govuk-visually-hidden", Sortable: true, FirstCellIsHeader: true,
		Head: []TableHead{head("Reference", "ref"), head("Stage", "stage"), head("Force", "force"), head("Reported", "reported"), head("Last event", "last"), {Text: "Your access"}}}
	for _, c := range rows {
		sc := throughline.CaseScope{Ref: c.Ref, Force: c.Force, CPSArea: c.CPSArea}
		d := throughline.Can(u, throughline.ActionReadCase, &sc, c.Relation)
		if !d.Allowed {
			continue
		}
		access := map[string]string{throughline.BasisTeam: "Case team", throughline.BasisSupervisor: "Supervisor", throughline.BasisBreakGlass: "Emergency access", throughline.BasisConsent: "Victim's consent"}[d.Basis]
		p.Table.Rows = append(p.Table.Rows, []TableCell{
			{Text: c.Ref, Href: caseURL(c.Ref), SortValue: c.Ref},
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
	if page > 1 {
		p.Prev = pageLink(page - 1)
	}
	if page < p.Pages {
		p.Next = pageLink(page + 1)
	}
	s.render(w, r, http.StatusOK, "cases", p)
	return nil
}

// searchPage is the view of the search page.
type searchPage struct {
	Layout
	Query   Input
	Button  Button
	Asked   bool
	Results Table
	Count   int
}

// searchPage: GET /search?q=: cases by reference or by a party's name,
// among those the user may see. Each case whose names are shown is a
// consultation, logged before the results are.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	u := rq.User
	if !throughline.Can(u, throughline.ActionSearch, nil, throughline.Relation{}).Allowed {
		return throughline.Errorf(throughline.EFORBIDDEN, "Administrators do not search cases.")
	}
	q := r.URL.Query().Get("q")
	p := searchPage{Layout: s.layout(rq, "Search", "search"),
		Query:  Input{Name: "q", Value: q, Type: "search", Label: &Label{Text: "Search your cases", Classes: "govuk-label--l", IsPageHeading: true}, Hint: &Hint{Text: "A case reference, or part of a complainant's or defendant's name"}, Spellcheck: new(bool)},
		Button: Button{Text: "Search"}}
	if len([]rune(q)) >= 2 {
		p.Asked = true
		hits, err := s.Store.SearchCases(r.Context(), u, q, true, 50)
		if err != nil {
			return err
		}
		key, err := s.pseudonymKey(r.Context())
		if err != nil {
			return err
		}
		var logs []consultation
		p.Results = Table{Caption: "Results", CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true, Head: []TableHead{{Text: "Reference"}, {Text: "Stage"}, {Text: "Matched"}}}
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
				if d.Pseudonymise || !d.Has(throughline.PartParties) || (h.PartyRole == "complainant" && !d.ShowsComplainant(h.PartyID)) {
					continue
				}
				matched = h.PartyName + " (" + h.PartyRole + ")"
				logs = append(logs, consultation{&caseAccess{Ref: h.Ref, Scope: sc, Relation: h.Relation, Decision: d, Read: d}, []string{throughline.PartSearch}})
			}
			_ = key
			p.Results.Rows = append(p.Results.Rows, []TableCell{{Text: h.Ref, Href: caseURL(h.Ref)}, {Text: stageName(h.Stage)}, {Text: matched}})
		}
		p.Count = len(p.Results.Rows)
		if err := s.consultedMany(r, u, sqlstore.ChannelPage, logs...); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "search", p)
	return nil
}
