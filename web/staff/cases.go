package staff

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
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
	CaseLines(ctx context.Context, refs []string) (map[string]throughline.CaseLine, error)
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
	Query    page.Input
	Closed   page.Choices
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

// CasesPage: GET /cases: the cases the user may see, filtered and sorted,
// each by the names of its people as the policy shows them (so the list is
// a consultation, logged before it is shown). Closed cases are left out
// unless asked for.
func (s *CaseList) CasesPage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	u := rq.User
	q := r.URL.Query()
	stage, force, area, search := q.Get("stage"), q.Get("force"), q.Get("area"), strings.TrimSpace(q.Get("q"))
	withClosed := q.Get("closed") == "yes"
	due := q["due"]
	sortBy, desc := q.Get("sort"), q.Get("dir") == "desc"
	if _, ok := map[string]bool{"ref": true, "stage": true, "reported": true, "last": true, "force": true}[sortBy]; !ok {
		sortBy, desc = "last", true
	}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	pageNo = max(pageNo, 1)
	f := throughline.MyCaseFilter{Open: !withClosed, Stage: stage, Force: force, CPSArea: area, Sort: sortBy, Desc: desc, Offset: (pageNo - 1) * casesPerPage, Limit: casesPerPage}
	today := s.Now()
	if len([]rune(search)) >= 2 {
		// A search narrows the list to the cases whose reference or
		// shown names match.
		hits, _, err := s.search(r, u, search, casesSearchMax)
		if err != nil {
			return err
		}
		f.Refs = []string{}
		for _, h := range hits {
			if !slices.Contains(f.Refs, h.Ref) {
				f.Refs = append(f.Refs, h.Ref)
			}
		}
	}
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
		var refs []string
		for _, c := range all {
			if ((slices.Contains(due, "soon") && soon[c.Ref]) || (slices.Contains(due, "overdue") && overdue[c.Ref])) && (f.Refs == nil || slices.Contains(f.Refs, c.Ref)) {
				refs = append(refs, c.Ref)
			}
		}
		f.Refs = append([]string{}, refs...)
	}
	rows, total, err := s.Store.MyCases(r.Context(), u, f)
	if err != nil {
		return err
	}
	p := casesPage{Layout: page.NewLayout(rq, "Your cases", "cases"), Total: total, Page: pageNo, Pages: max(1, (total+casesPerPage-1)/casesPerPage),
		Apply: page.Button{Text: "Apply filters", Classes: "govuk-!-margin-bottom-4"}, Filtered: stage != "" || force != "" || area != "" || len(due) > 0 || search != "" || withClosed, Clear: "/cases"}
	p.Query = page.Input{Name: "q", Type: "search", Value: search, Label: &page.Label{Text: "Reference or name", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "Part of a case reference, or of a complainant's or defendant's name"}, Spellcheck: new(bool)}
	p.Closed = page.Choices{Name: "closed", Classes: "govuk-checkboxes--small", Items: []page.Choice{{Value: "yes", Text: "Include closed cases", Checked: withClosed}}}
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
	p.Table = page.Table{Caption: "Cases", CaptionClasses: "govuk-visually-hidden", Sortable: true, FirstCellIsHeader: true, Stacked: true,
		Head: []page.TableHead{head("Reference", "ref"), {Text: "People"}, head("Stage", "stage"), {Text: "Next deadline"}, {Text: "Officer in the case"}, {Text: "Prosecutor"}}}
	refs := make([]string, len(rows))
	for i, c := range rows {
		refs[i] = c.Ref
	}
	lines, err := s.Store.CaseLines(r.Context(), refs)
	if err != nil {
		return err
	}
	var logs []access.Consultation
	teams := false // whether any case shown may show its team
	for _, c := range rows {
		sc := throughline.CaseScope{Ref: c.Ref, Force: c.Force, CPSArea: c.CPSArea}
		d := throughline.Can(u, throughline.ActionReadCase, &sc, c.Relation)
		if !d.Allowed {
			continue
		}
		ca := &access.Case{Ref: c.Ref, Scope: sc, Relation: c.Relation, Decision: d, Read: d}
		line := lines[c.Ref]
		var parts []string
		people := peopleWords(s.Access.Parties(r.Context(), ca, line.Parties))
		if people != "" {
			parts = append(parts, throughline.PartParties)
		}
		next := ""
		if line.Next != nil && d.Has(throughline.PartWork) && len(ca.Deadlines([]throughline.CaseDeadline{{Case: c.Ref, Deadline: *line.Next}})) > 0 {
			it := newDeadlineItem(c.Ref, *line.Next, today, nil, nil)
			next = it.Due + ": " + it.Rule
			parts = append(parts, throughline.PartWork)
		}
		var officers, prosecutors string
		if d.Has(throughline.PartTeam) {
			officers, prosecutors = strings.Join(line.Officers, ", "), strings.Join(line.Prosecutors, ", ")
			parts = append(parts, throughline.PartTeam)
			teams = true
		}
		if len(parts) > 0 {
			logs = append(logs, access.Consultation{Case: ca, Parts: append(parts, throughline.PartSummary)})
		}
		stage := stageName(c.Stage)
		if c.ClosedOn != "" {
			stage = "Closed on " + isoDay(c.ClosedOn)
		}
		p.Table.Rows = append(p.Table.Rows, []page.TableCell{
			{Text: c.Ref, Href: page.CaseURL(c.Ref), SortValue: c.Ref},
			{Text: people},
			{Text: stage},
			{Text: next},
			{Text: officers},
			{Text: prosecutors},
		})
	}
	if !teams {
		// Someone who may see no case's team (an ISVA) gets no officer and
		// prosecutor columns rather than two always blank.
		p.Table.Head = p.Table.Head[:len(p.Table.Head)-2]
		for i, row := range p.Table.Rows {
			p.Table.Rows[i] = row[:len(row)-2]
		}
	}
	if err := s.Access.ConsultedMany(r, u, throughline.ChannelPage, logs...); err != nil {
		return err
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

// peopleWords names a case's people for a list: "Amelia Hart v Daniel
// Ross", complainants before the v.
func peopleWords(ps []throughline.Party) string {
	var comps, defs []string
	for _, p := range ps {
		if p.Role == "complainant" {
			comps = append(comps, p.Name)
		} else {
			defs = append(defs, p.Name)
		}
	}
	switch {
	case len(comps) == 0:
		return strings.Join(defs, ", ")
	case len(defs) == 0:
		return strings.Join(comps, ", ")
	}
	return strings.Join(comps, ", ") + " v " + strings.Join(defs, ", ")
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
		Query:  page.Input{Name: "q", Value: q, Type: "search", Label: &page.Label{Text: "Search your cases", Classes: "govuk-label--l", IsPageHeading: true}, Hint: &page.Hint{Text: "Part of a case reference, or part of a complainant's or defendant's name"}, Spellcheck: new(bool)},
		Button: page.Button{Text: "Search"}}
	if len([]rune(q)) >= 2 {
		p.Asked = true
		hits, logs, err := s.search(r, u, q, 50)
		if err != nil {
			return err
		}
		p.Results = page.Table{Caption: "Results", CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true, Head: []page.TableHead{{Text: "Reference"}, {Text: "Stage"}, {Text: "Matched"}}}
		for _, h := range hits {
			matched := "Reference"
			if h.PartyID != "" {
				matched = h.PartyName + " (" + h.PartyRole + ")"
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

// casesSearchMax is how many matches a search of the case list narrows to.
const casesSearchMax = 500

// search finds, among the cases u may read, those whose reference contains
// q or with a party whose name contains q and whom the decision shows by
// name (an inspector sees pseudonyms, so real names never match; an ISVA
// sees only their own complainants). Each name match is a consultation;
// the caller logs them.
func (s *CaseList) search(r *http.Request, u throughline.User, q string, limit int) ([]throughline.SearchHit, []access.Consultation, error) {
	hits, err := s.Store.SearchCases(r.Context(), u, q, true, limit)
	if err != nil {
		return nil, nil, err
	}
	var out []throughline.SearchHit
	var logs []access.Consultation
	for _, h := range hits {
		sc := throughline.CaseScope{Ref: h.Ref, Force: h.Force, CPSArea: h.CPSArea}
		d := throughline.Can(u, throughline.ActionReadCase, &sc, h.Relation)
		if !d.Allowed {
			continue
		}
		if h.PartyID != "" {
			shown := d.Has(throughline.PartParties) && !d.Pseudonymise
			if h.PartyRole == "complainant" {
				shown = shown && d.ShowsComplainant(h.PartyID)
			}
			if !shown {
				continue
			}
			logs = append(logs, access.Consultation{Case: &access.Case{Ref: h.Ref, Scope: sc, Relation: h.Relation, Decision: d, Read: d}, Parts: []string{throughline.PartSearch}})
		}
		out = append(out, h)
	}
	return out, logs, nil
}
