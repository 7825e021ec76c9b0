package staff

import (
	"context"
	"slices"
	"strconv"
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/deadline"
	"throughline/oversight"
	"throughline/web/access"
	"throughline/web/page"
)

// The today page's lists for those who see their agency's cases without
// being on their teams (a police supervisor): the team's overdue duties,
// custody time limits in the warning window, cases that have stalled,
// emergency accesses to review and each person's workload. Every case row
// is decided by the policy, and the cases named are logged.

// teamLists builds the team lists and the consultations they make.
func (s *Today) teamLists(ctx context.Context, u throughline.User, now time.Time) ([]workTable, []access.Consultation, error) {
	f, ok := agencyFilter(u)
	if !ok {
		return nil, nil, nil
	}
	today := throughline.At(now).Date()
	t := &teamCases{s: s, u: u, cases: map[string]*access.Case{}}
	// Only the duties the agency itself owes: a supervisor cannot chase the
	// court, the defence or the other agency.
	owner := ownerOf(u)

	overdue, err := s.Deadlines.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, LiveCases: true, DueBefore: today.AddDate(0, 0, -1), Forces: f.Forces, CPSAreas: f.CPSAreas,
		Owners: []string{owner}, Limit: todayRows})
	if err != nil {
		return nil, nil, err
	}
	overdueList, err := t.deadlines(ctx, overdue, today, "Overdue across your agency", "Nothing on your agency's open cases is overdue.")
	if err != nil {
		return nil, nil, err
	}
	// Custody time limits only, asked of the database: an agency of a large
	// force has tens of thousands of other open deadlines.
	ctls, err := s.Deadlines.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, LiveCases: true, DueBefore: today.AddDate(0, 0, ctlWarning), Forces: f.Forces, CPSAreas: f.CPSAreas,
		Rules: []string{deadline.CTLCrown, deadline.CTLMagistrates}, Limit: todayRows})
	if err != nil {
		return nil, nil, err
	}
	ctlList, err := t.deadlines(ctx, ctls, today, "Custody time limits in the next 28 days", "No custody time limit expires in the next 28 days.")
	if err != nil {
		return nil, nil, err
	}
	stalled, err := s.stalled(ctx, u, f, now)
	if err != nil {
		return nil, nil, err
	}
	lists := []workTable{overdueList, ctlList, stalled}
	// Action plan items the agency has let pass their due date: each is its
	// supervisor's to chase (deadline.Escalated).
	missed, err := s.Deadlines.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, LiveCases: true, DueBefore: today.AddDate(0, 0, -1), Forces: f.Forces, CPSAreas: f.CPSAreas,
		Owners: []string{owner}, Rules: []string{deadline.ActionItem}, Limit: todayRows})
	if err != nil {
		return nil, nil, err
	}
	esc, err := t.escalated(ctx, missed, today)
	if err != nil {
		return nil, nil, err
	}
	lists = append([]workTable{esc}, lists...)
	if throughline.CanSome(u, throughline.ActionReviewAll) {
		review, err := t.breakGlass(ctx)
		if err != nil {
			return nil, nil, err
		}
		lists = append(lists, review)
	}
	wl, err := s.Store.Workload(ctx, u.Agency, now)
	if err != nil {
		return nil, nil, err
	}
	load := page.Table{Caption: "Workload", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Name"}, {Text: "Role"}, {Text: "Open cases", Format: "numeric"}, {Text: "With a duty overdue", Format: "numeric"}}}
	for _, w := range wl {
		load.Rows = append(load.Rows, []page.TableCell{{Text: w.Name}, {Text: page.Sentence(throughline.RoleName(w.Role))}, {Text: strconv.Itoa(w.Cases), Format: "numeric"}, {Text: strconv.Itoa(w.Overdue), Format: "numeric"}})
	}
	lists = append(lists, workTable{Heading: "Workload", Table: load, Empty: "No one in your agency is on the team of an open case."})
	return lists, t.consultations(), nil
}

// teamCases decides, case by case, what u may see of the cases the team
// lists name, and remembers what was shown.
type teamCases struct {
	s     *Today
	u     throughline.User
	cases map[string]*access.Case
	shown []access.Consultation
}

// load is the case redacted for u, or nil if u may not read it.
func (t *teamCases) load(ctx context.Context, ref string) (*access.Case, error) {
	if ca, ok := t.cases[ref]; ok {
		return ca, nil
	}
	ca, err := t.s.Access.Load(ctx, t.u, ref, throughline.ActionReadCase)
	if throughline.ErrorCode(err) == throughline.ENOTFOUND {
		ca, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	t.cases[ref] = ca
	return ca, nil
}

// preload loads, in one go, the cases of ds not loaded yet: a list's
// cases one query each were most of a supervisor's view.
func (t *teamCases) preload(ctx context.Context, ds []throughline.CaseDeadline) error {
	var refs []string
	for _, d := range ds {
		if _, ok := t.cases[d.Case]; !ok && !slices.Contains(refs, d.Case) {
			refs = append(refs, d.Case)
		}
	}
	cs, err := t.s.Access.LoadMany(ctx, t.u, refs, throughline.ActionReadCase)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		t.cases[ref] = cs[ref] // nil: u may not read it
	}
	return nil
}

func (t *teamCases) consultations() []access.Consultation { return t.shown }

// deadlines is a team list of deadlines, each named by whom it protects.
func (t *teamCases) deadlines(ctx context.Context, ds []throughline.CaseDeadline, today time.Time, heading, empty string) (workTable, error) {
	tb := page.Table{Caption: heading, CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "What is due"}, {Text: "For"}, {Text: "Who must act"}, {Text: "Due by"}, {Text: "Status"}}}
	if err := t.preload(ctx, ds); err != nil {
		return workTable{}, err
	}
	for _, d := range ds {
		ca, err := t.load(ctx, d.Case)
		if err != nil {
			return workTable{}, err
		}
		if ca == nil || len(ca.Deadlines([]throughline.CaseDeadline{d})) == 0 {
			continue
		}
		t.shown = append(t.shown, access.Consultation{Case: ca, Parts: []string{throughline.PartWork, throughline.PartParties}})
		it := newDeadlineItem(d.Case, d.Deadline, today, ca.Case, page.NamesOf(ca.Case))
		tb.Rows = append(tb.Rows, []page.TableCell{caseCell(d.Case), {Text: it.Rule}, {Text: it.Subject}, {Text: it.Owner}, {Text: it.Due}, {HTML: page.TagHTML(it.Status)}})
	}
	return workTable{Heading: heading, Table: tb, Empty: empty}, nil
}

// escalated lists the action plan items, of those deadlines, that have
// escalated to u (deadline.Escalated): the item, whom it was given to, how
// long it is overdue, and a link to record it done.
func (t *teamCases) escalated(ctx context.Context, ds []throughline.CaseDeadline, today time.Time) (workTable, error) {
	const heading = "Action plan items overdue: yours to chase"
	tb := page.Table{Caption: heading, CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "Action"}, {Text: "Given to"}, {Text: "Due by"}, {Text: "Days overdue", Format: "numeric"}, {Text: "Next step"}}}
	if err := t.preload(ctx, ds); err != nil {
		return workTable{}, err
	}
	for _, d := range ds {
		if !deadline.Escalated(d.Deadline, today) {
			continue
		}
		ca, err := t.load(ctx, d.Case)
		if err != nil {
			return workTable{}, err
		}
		if ca == nil || len(ca.Deadlines([]throughline.CaseDeadline{d})) == 0 {
			continue
		}
		plan, item, _ := deadline.ItemOf(d.Concerning)
		p := ca.Case.Plan(plan)
		if p == nil || p.Item(item) == nil || !open(*p.Item(item)) {
			continue
		}
		it := *p.Item(item)
		t.shown = append(t.shown, access.Consultation{Case: ca, Parts: []string{throughline.PartWork}})
		who := ownerName(it.Owner)
		if it.OwnerName != "" {
			who = it.OwnerName + ", " + who
		}
		late := int(today.Sub(d.Due).Hours() / 24)
		tb.Rows = append(tb.Rows, []page.TableCell{caseCell(d.Case), {Text: it.Description}, {Text: who}, {Text: d.Due.Format("2 January 2006")},
			{Text: strconv.Itoa(late), Format: "numeric"}, recordDone(t.u, ca, *p, it)})
	}
	return workTable{Heading: heading, Table: tb, Empty: "No action plan item your agency owns is overdue."}, nil
}

// breakGlass lists the emergency accesses to the agency's cases that no
// one has reviewed yet, each decided by the policy.
func (t *teamCases) breakGlass(ctx context.Context) (workTable, error) {
	a, _ := throughline.ParseAgency(t.u.Agency)
	gs, err := t.s.Store.BreakGlassGrants(ctx, throughline.BreakGlassFilter{Force: a.ID, Unreviewed: true, Limit: todayRows})
	if err != nil {
		return workTable{}, err
	}
	tb := page.Table{Caption: "Emergency access to review", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "Who"}, {Text: "When"}, {Text: "Action"}}}
	for _, g := range gs {
		if _, err := t.s.Access.Scope(ctx, t.u, g.CaseRef, throughline.ActionReviewAccess); err != nil {
			if throughline.ErrorCode(err) == throughline.ENOTFOUND {
				continue
			}
			return workTable{}, err
		}
		tb.Rows = append(tb.Rows, []page.TableCell{caseCell(g.CaseRef), {Text: g.UserName + " (" + throughline.RoleName(g.Role) + ")"}, {Text: page.LondonTime(g.GrantedAt)}, {Text: "Review", Href: "/access-review"}})
	}
	return workTable{Heading: "Emergency access to review", Table: tb, Empty: "Every emergency access has been reviewed."}, nil
}

// stalled lists the agency's open cases that have stalled waiting on it
// (attribution.Stalled: no event for attribution.StallDays while the
// police, or the CPS, must act), the longest quiet first, with why each
// waits. The unit dashboard counts them by the same rule. It shows no
// names.
func (s *Today) stalled(ctx context.Context, u throughline.User, f throughline.ScopeFilter, now time.Time) (workTable, error) {
	heading := "Cases waiting on your agency with no progress for " + strconv.Itoa(attribution.StallDays) + " days"
	tb := page.Table{Caption: heading, CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "Stage"}, {Text: "Waiting because"}, {Text: "Last event"}, {Text: "Days since", Format: "numeric"}}}
	wt := workTable{Heading: heading, Table: tb, Empty: "No open case has waited on your agency for " + strconv.Itoa(attribution.StallDays) + " days without progress."}
	party := attribution.Police
	if len(f.CPSAreas) > 0 {
		party = attribution.CPS
	}
	src := &summaries{Stalls: oversight.Stalls{StallStore: s.Store}, of: map[string]throughline.CaseSummary{}}
	stalls, err := attribution.Stalled(ctx, src, throughline.CaseFilter{Forces: f.Forces, CPSAreas: f.CPSAreas, Limit: todayCases}, party, attribution.StallDays, now, &s.stalls)
	if err != nil {
		return wt, err
	}
	for _, st := range stalls {
		c := src.of[st.Case]
		sc := throughline.CaseScope{Ref: c.Ref, Force: c.Force, CPSArea: c.CPSArea}
		if len(wt.Table.Rows) == todayRows || !throughline.Can(u, throughline.ActionReadCase, &sc, throughline.Relation{}).Allowed {
			continue
		}
		wt.Table.Rows = append(wt.Table.Rows, []page.TableCell{caseCell(c.Ref), {Text: stageName(c.Stage)}, {Text: page.Sentence(st.Rule.String())},
			{Text: st.Since.Time().Format("2 January 2006")}, {Text: strconv.Itoa(st.Quiet), Format: "numeric"}})
	}
	return wt, nil
}

// summaries keeps the summaries of the cases attribution.Stalled reads, for
// the rows' stage and the policy's scope.
type summaries struct {
	oversight.Stalls
	of map[string]throughline.CaseSummary
}

func (s *summaries) Cases(ctx context.Context, f throughline.CaseFilter) ([]throughline.CaseSummary, error) {
	cs, err := s.Stalls.Cases(ctx, f)
	for _, c := range cs {
		s.of[c.Ref] = c
	}
	return cs, err
}
