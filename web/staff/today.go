package staff

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/deadline"
	"throughline/oversight"
	"throughline/web/access"
	"throughline/web/page"
)

// todayStore is what the today page needs from storage.
type todayStore interface {
	MyCases(ctx context.Context, u throughline.User, f throughline.MyCaseFilter) ([]throughline.MyCase, int, error)
	CasesOf(ctx context.Context, refs []string) (map[string]*throughline.Case, error)
	DeadlinesOf(ctx context.Context, refs []string) (map[string][]throughline.CaseDeadline, error)
	Messages(ctx context.Context, ref string) ([]throughline.MessageRecord, error)
	Tasks(ctx context.Context, ref string, open bool, f throughline.ScopeFilter) ([]throughline.CommsTask, error)
	MessageOwners(ctx context.Context, refs []string) (map[string]string, error)
	HearingsBetween(ctx context.Context, f throughline.HearingFilter) ([]throughline.CaseHearing, error)
	Workload(ctx context.Context, agency string, asOf time.Time) ([]throughline.Workload, error)
	BreakGlassGrants(ctx context.Context, f throughline.BreakGlassFilter) ([]throughline.BreakGlassGrant, error)
	// What attribution.Stalled reads (oversight.Stalls).
	oversight.StallStore
}

// Today serves the page each person lands on after signing in: what needs
// them now, across the cases whose team they are on, and for those who
// supervise, across their agency's.
type Today struct {
	*page.Base
	// Access applies the policy to cases and logs consultations.
	Access *access.Cases
	// Deadlines answers the team lists.
	Deadlines DeadlineIndex
	Store     todayStore

	// stalls remembers which cases have stalled, by version and day, so
	// the team list reads again only the cases that moved.
	stalls attribution.StallMemo
}

// Which lists a person sees follows from what the policy lets them do and
// what their agency must do, never from comparing roles: duties are shown
// to the agency that owns them (deadline.Rule.Owner), victim contact to
// those who may record that a victim was told, the team lists to those who
// see their agency's cases without being on their teams.

const (
	todayCases  = 300 // the most of one's own cases the page reads
	hearingDays = 14  // hearings "coming up"
	ctlWarning  = 28  // custody time limits: the first warning (deadline/custody.go)
	todayRows   = 25  // rows per team list
	recentShown = 5   // recent changes shown
)

// ownerOf is the deadline owner a user's agency answers for: "police",
// "cps" or "wcu"; "" for an agency that owns no duties (an ISVA service,
// the inspectorate).
func ownerOf(u throughline.User) string {
	a, err := throughline.ParseAgency(u.Agency)
	if err != nil {
		return ""
	}
	switch a.Kind {
	case "police", "cps", "wcu":
		return a.Kind
	}
	return ""
}

// todayCase is one of the user's cases as the page uses it.
type todayCase struct {
	*access.Case
	deadlines []throughline.CaseDeadline // shown to this user
	parts     map[string]bool            // parts shown, for the consultation log
}

func (c *todayCase) show(parts ...string) {
	for _, p := range parts {
		c.parts[p] = true
	}
}

// name is a party of the case by name, as the decision shows it.
func (c *todayCase) name(id string) string {
	c.show(throughline.PartParties)
	return page.NamesOf(c.Case.Case).Of(id)
}

// caseCell is a list's first cell: the case reference, linked.
func caseCell(ref string) page.TableCell {
	return page.TableCell{Text: ref, Href: page.CaseURL(ref)}
}

// recordLink is a cell linking to the form that records typ on the case,
// with answers filled in, if the user may record it there.
func recordLink(u throughline.User, c *access.Case, typ, text string, fill url.Values) page.TableCell {
	if _, ok := formFor(typ); !ok || !throughline.CanRecord(u, typ, &c.Scope, c.Relation).Allowed {
		return page.TableCell{}
	}
	href := page.CaseURL(c.Ref, "record", typ)
	if len(fill) > 0 {
		href += "?" + fill.Encode()
	}
	return page.TableCell{Text: text, Href: href}
}

// TodayPage: GET /today.
func (s *Today) TodayPage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ctx := r.Context()
	u := rq.User
	now := s.Now()
	today := throughline.At(now).Date()
	p := workList{Layout: page.NewLayout(rq, "Today", "today"), Heading: "Today",
		Intro: "What needs you on " + today.Format("Monday 2 January 2006") + ", most urgent first. Closed cases are never shown."}

	if r.URL.Query().Get("done") != "" {
		p.Banner = &page.NotificationBanner{Success: true, Heading: "Task marked as done"}
	}
	cases, err := s.myCases(ctx, u)
	if err != nil {
		return err
	}
	// Someone who oversees their agency's cases and works none of their
	// own sees the team lists only.
	team := throughline.SeesOwnAgency(u)
	own := len(cases) > 0 || !team
	owner := ownerOf(u)
	if owner != "" && own {
		p.Lists = append(p.Lists, s.duties(u, cases, owner, today), filesWaiting(u, cases, today), actionItems(u, cases, owner, today))
	}
	tasks, err := s.tasks(ctx, u, cases)
	if err != nil {
		return err
	}
	if tasks != nil && own {
		p.Lists = append(p.Lists, *tasks)
	}
	hearings, err := s.hearings(ctx, u, cases, now)
	if err != nil {
		return err
	}
	if own {
		p.Lists = append(p.Lists, hearings)
	}
	messages, err := s.messagesSent(ctx, cases)
	if err != nil {
		return err
	}
	if messages != nil {
		p.Lists = append(p.Lists, *messages)
	}
	if own {
		p.Lists = append(p.Lists, recentChanges(cases))
	}

	var logs []access.Consultation
	if team {
		team, teamLogs, err := s.teamLists(ctx, u, now)
		if err != nil {
			return err
		}
		p.Lists = append(p.Lists, team...)
		logs = append(logs, teamLogs...)
	}
	for _, c := range cases {
		var parts []string
		for _, part := range []string{throughline.PartSummary, throughline.PartParties, throughline.PartWork, throughline.PartHearings, throughline.PartVictim} {
			if c.parts[part] {
				parts = append(parts, part)
			}
		}
		logs = append(logs, access.Consultation{Case: c.Case, Parts: parts})
	}
	if err := s.Access.ConsultedMany(r, u, throughline.ChannelPage, logs...); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "worklist", p)
	return nil
}

// myCases reads the open cases whose team u is on, each redacted for u,
// with the deadlines u may see; those u may not read are left out.
func (s *Today) myCases(ctx context.Context, u throughline.User) ([]*todayCase, error) {
	mine, _, err := s.Store.MyCases(ctx, u, throughline.MyCaseFilter{Open: true, Team: true, Sort: "last", Desc: true, Limit: todayCases})
	if err != nil {
		return nil, err
	}
	// The cases and then their deadlines in one query each: a page's
	// worth of round trips per case was most of the page's time.
	refs := make([]string, len(mine))
	for i, m := range mine {
		refs[i] = m.Ref
	}
	cs, err := s.Store.CasesOf(ctx, refs)
	if err != nil {
		return nil, err
	}
	var out []*todayCase
	var work []string
	for _, m := range mine {
		c, ok := cs[m.Ref]
		if !ok {
			continue // gone since the list was read (erased)
		}
		ca, err := s.Access.Open(ctx, u, c, m.Relation, throughline.ActionReadCase)
		if throughline.ErrorCode(err) == throughline.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, &todayCase{Case: ca, parts: map[string]bool{}})
		if ca.Read.Has(throughline.PartWork) {
			work = append(work, ca.Ref)
		}
	}
	ds, err := s.Store.DeadlinesOf(ctx, work)
	if err != nil {
		return nil, err
	}
	for _, tc := range out {
		if d, ok := ds[tc.Ref]; ok {
			tc.deadlines = tc.Case.Deadlines(d)
		}
	}
	return out, nil
}

// duties lists the open deadlines of u's cases that u's agency must meet
// and that are overdue or due soon, overdue first; each row links to the
// form that meets it.
func (s *Today) duties(u throughline.User, cases []*todayCase, owner string, today time.Time) workTable {
	type row struct {
		c *todayCase
		d throughline.CaseDeadline
	}
	var rows []row
	for _, c := range cases {
		for _, d := range c.deadlines {
			st := d.Status(today)
			if d.Owner == owner && (st == throughline.DeadlineMissed || st == throughline.DeadlineDueSoon) {
				rows = append(rows, row{c, d})
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int { return a.d.Due.Compare(b.d.Due) })
	t := page.Table{Caption: "Your duties overdue or due soon", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "What is due"}, {Text: "For"}, {Text: "Due by"}, {Text: "Status"}, {Text: "Action"}}}
	for _, r := range rows {
		r.c.show(throughline.PartWork)
		it := newDeadlineItem(r.c.Ref, r.d.Deadline, today, r.c.Case.Case, page.NamesOf(r.c.Case.Case))
		if strings.HasPrefix(r.d.Subject, "complainant:") || strings.HasPrefix(r.d.Subject, "defendant:") {
			r.c.show(throughline.PartParties)
		}
		t.Rows = append(t.Rows, []page.TableCell{caseCell(r.c.Ref), {Text: it.Rule}, {Text: it.Subject}, {Text: it.Due}, {HTML: page.TagHTML(it.Status)}, s.meet(u, r.c, r.d)})
	}
	return workTable{Heading: "Your duties overdue or due soon", Table: t, Empty: "Nothing your agency must do is overdue or due in the next few days."}
}

// meet links to the form whose event meets a deadline, filled in with
// whom it is about.
func (s *Today) meet(u throughline.User, c *todayCase, d throughline.CaseDeadline) page.TableCell {
	r, ok := ruleOf(d.Rule, d.Starts)
	if !ok || len(r.MetBy) == 0 {
		return page.TableCell{}
	}
	fill := url.Values{}
	if kind, id, ok := strings.Cut(d.Subject, ":"); ok {
		switch kind {
		case "complainant":
			fill.Set("complainant_id", id)
		case "defendant":
			fill.Set("defendant_id", id)
			fill.Set("suspect_id", id)
		}
	}
	if len(r.About) > 0 {
		about := r.About[0]
		if slices.Contains(r.About, d.StartedBy) {
			about = d.StartedBy
		}
		fill.Set("about", about)
	}
	// A duty owed for one hearing is met by telling her of that hearing.
	if id, ok := strings.CutPrefix(d.Concerning, "hearing:"); ok && slices.Contains(throughline.AboutHearing, fill.Get("about")) {
		fill.Set("hearing_id", id)
	}
	// An action plan item is met by recording that item done.
	if plan, item, ok := deadline.ItemOf(d.Concerning); ok {
		fill.Set("plan_id", plan+"|"+item)
	}
	return recordLink(u, c.Case, r.MetBy[0], "Record it", fill)
}

// filesWaiting lists the suspects whose file is with the CPS for early
// advice or a charging decision, longest waiting first.
func filesWaiting(u throughline.User, cases []*todayCase, today time.Time) workTable {
	type row struct {
		c     *todayCase
		d     throughline.Defendant
		since time.Time
	}
	var rows []row
	for _, c := range cases {
		if !c.Read.Has(throughline.PartWork) {
			continue
		}
		for _, d := range c.Case.Case.Defendants {
			if waiting(d) {
				rows = append(rows, row{c, d, d.FileSubmitted.Date()})
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int { return a.since.Compare(b.since) })
	t := page.Table{Caption: "Files waiting for the CPS", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "Suspect"}, {Text: "Waiting for"}, {Text: "Sent"}, {Text: "Days waited", Format: "numeric"}, {Text: "Action"}}}
	for _, r := range rows {
		r.c.show(throughline.PartWork)
		typ, text := throughline.TypeChargingDecision, "Record the decision"
		if r.d.FilePurpose == "early_advice" {
			typ, text = throughline.TypeEarlyAdviceGiven, "Record the advice"
		}
		days := int(today.Sub(r.since).Hours() / 24)
		t.Rows = append(t.Rows, []page.TableCell{caseCell(r.c.Ref), {Text: r.c.name(r.d.ID)}, {Text: page.Sentence(enumWord(r.d.FilePurpose))}, {Text: day(r.d.FileSubmitted)},
			{Text: strconv.Itoa(days), Format: "numeric"}, recordLink(u, r.c.Case, typ, text, url.Values{"suspect_id": {r.d.ID}})})
	}
	return workTable{Heading: "Files waiting for the CPS", Table: withoutBlankLast(t), Empty: "No file is waiting for early advice or a charging decision."}
}

// withoutBlankLast drops a table's last column, the link to act, when no
// row has one: someone who may not act on any row (an officer, on the
// CPS's decisions) would otherwise read a column of blanks.
func withoutBlankLast(t page.Table) page.Table {
	for _, r := range t.Rows {
		if last := r[len(r)-1]; last.Text != "" || last.HTML != "" {
			return t
		}
	}
	t.Head = t.Head[:len(t.Head)-1]
	for i, r := range t.Rows {
		t.Rows[i] = r[:len(r)-1]
	}
	return t
}

// waiting reports whether a suspect's latest file still waits for the
// CPS's answer.
func waiting(d throughline.Defendant) bool {
	if d.FileSubmitted.IsZero() || !d.Charged.IsZero() {
		return false
	}
	switch d.FilePurpose {
	case "early_advice":
		return d.EarlyAdvice.IsZero() || d.EarlyAdvice.Before(d.FileSubmitted)
	case "charging_decision":
		return d.DecisionOn.IsZero() || d.DecisionOn.Before(d.FileSubmitted)
	}
	return false
}

// actionItems lists the open items of the action plans on u's cases: the
// user's own agency's first, then those awaiting the other agency; each by
// due date.
func actionItems(u throughline.User, cases []*todayCase, owner string, today time.Time) workTable {
	type row struct {
		c    *todayCase
		plan throughline.ActionPlan
		item throughline.PlanItem
	}
	var rows []row
	for _, c := range cases {
		for _, pl := range c.Case.Case.Plans {
			for _, it := range pl.Items {
				if open(it) {
					rows = append(rows, row{c, pl, it})
				}
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		if (a.item.Owner == owner) != (b.item.Owner == owner) {
			if a.item.Owner == owner {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.item.Due, b.item.Due)
	})
	isoToday := today.Format(time.DateOnly)
	t := page.Table{Caption: "Open action plan items", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "Action"}, {Text: "Who must act"}, {Text: "Due by"}, {Text: "Status"}, {Text: "Next step"}}}
	for _, r := range rows {
		r.c.show(throughline.PartWork)
		status := page.Tag{Text: "Not done yet", Classes: "govuk-tag--blue"}
		if r.item.Due != "" && r.item.Due < isoToday {
			status = page.Tag{Text: "Overdue", Classes: "govuk-tag--red"}
		}
		// Only the agency that owns an item says it is done.
		var next page.TableCell
		if r.item.Owner == owner {
			next = recordDone(u, r.c.Case, r.plan, r.item)
		}
		t.Rows = append(t.Rows, []page.TableCell{caseCell(r.c.Ref), {Text: r.item.Description}, {Text: ownerName(r.item.Owner)}, {Text: isoDay(r.item.Due)}, {HTML: page.TagHTML(status)}, next})
	}
	return workTable{Heading: "Open action plan items", Table: withoutBlankLast(t), Empty: "No action plan on your cases has an item still to do."}
}

// recordDone links to the form that records an action plan item done,
// with the item chosen, if u may record it on the case.
func recordDone(u throughline.User, c *access.Case, p throughline.ActionPlan, it throughline.PlanItem) page.TableCell {
	return recordLink(u, c, throughline.TypeActionItemCompleted, "Record it done", url.Values{"plan_id": {p.ID + "|" + it.ItemID}})
}

// tasks lists the open victim-contact tasks of u's cases (calls to make,
// call-backs asked for, and messages that could not be delivered where u
// acts on them: throughline.ActsOnFailed), for those who may record that a
// victim was told; nil for anyone else.
func (s *Today) tasks(ctx context.Context, u throughline.User, cases []*todayCase) (*workTable, error) {
	if !throughline.MayRecord(u, throughline.TypeVictimInformed) {
		return nil, nil
	}
	t := page.Table{Caption: "Victims to contact", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "What to do"}, {Text: "Victim"}, {Text: "Since"}, {Text: "Action"}}}
	refs := make([]string, len(cases))
	for i, c := range cases {
		refs[i] = c.Ref
	}
	owners, err := s.Store.MessageOwners(ctx, refs)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		if !c.Read.Has(throughline.PartVictim) {
			continue
		}
		ts, err := s.Store.Tasks(ctx, c.Ref, true, throughline.ScopeFilter{})
		if err != nil {
			return nil, err
		}
		for _, task := range c.Tasks(ts) {
			if throughline.FailedTask(task.Kind) && !throughline.ActsOnFailed(u, owners[c.Ref]) {
				continue // on the list of whoever owns the case's failed messages
			}
			c.show(throughline.PartVictim)
			what := taskName(task.Kind)
			if task.Kind == throughline.TaskCallback && task.Say != "" {
				what += ": " + task.Say
			}
			t.Rows = append(t.Rows, []page.TableCell{caseCell(c.Ref), {Text: what}, {Text: c.name(task.Complainant)}, {Text: page.LondonTime(task.Created)},
				{Text: "Open task", Href: page.CaseURL(c.Ref, "tasks", strconv.FormatInt(task.ID, 10))}})
		}
	}
	return &workTable{Heading: "Victims to contact", Table: t, Empty: "No call to make and no message waiting for a person."}, nil
}

// hearings lists the hearings of u's cases in the next 14 days; where the
// user may see the victim's part, each complainant with whether they have
// been told of it, how they want to be contacted and when it is safe.
func (s *Today) hearings(ctx context.Context, u throughline.User, cases []*todayCase, now time.Time) (workTable, error) {
	byRef := map[string]*todayCase{}
	refs := []string{}
	for _, c := range cases {
		if c.Read.Has(throughline.PartHearings) {
			byRef[c.Ref] = c
			refs = append(refs, c.Ref)
		}
	}
	hs, err := s.Store.HearingsBetween(ctx, throughline.HearingFilter{From: now, To: now.AddDate(0, 0, hearingDays), Refs: refs})
	if err != nil {
		return workTable{}, err
	}
	t := page.Table{Caption: "Hearings in the next 14 days", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "Hearing"}, {Text: "When"}, {Text: "Victims"}}}
	for _, h := range hs {
		c := byRef[h.Case]
		c.show(throughline.PartHearings)
		t.Rows = append(t.Rows, []page.TableCell{caseCell(h.Case), {Text: hearingKind(h.Kind) + ", " + courtName(h.Court)}, {Text: page.LondonTime(h.StartsAt.Time())}, {Text: s.toldOf(c, h.ID)}})
	}
	return workTable{Heading: "Hearings in the next 14 days", Table: t, Empty: "None of your cases has a hearing in the next 14 days."}, nil
}

// toldOf says, for each complainant the user may see, whether they have
// been told of hearing id (the latest duty to tell them of its listing is
// met), and how and when to reach them.
func (s *Today) toldOf(c *todayCase, hearing string) string {
	if !c.Read.Has(throughline.PartVictim) {
		return ""
	}
	c.show(throughline.PartVictim, throughline.PartParties)
	var out []string
	for _, cp := range c.Case.Case.Complainants {
		if !cp.Withdrawn.IsZero() {
			continue
		}
		told := "not told yet"
		var latest *throughline.CaseDeadline
		for i, d := range c.deadlines {
			if d.Rule == deadline.VCHearingDate && d.Subject == "complainant:"+cp.ID && d.Concerning == "hearing:"+hearing && (latest == nil || d.StartVersion > latest.StartVersion) {
				latest = &c.deadlines[i]
			}
		}
		if latest != nil && !latest.MetAt.IsZero() {
			told = "told"
		}
		line := cp.Name + ": " + told
		if pr := cp.Preferences; pr != nil {
			if len(pr.Channels) > 0 {
				line += "; prefers " + enumWord(pr.Channels[0])
			}
			if st := pr.SafeTimesWords(); st != "" {
				line += "; safe times " + st
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, ". ")
}

// messagesSent lists the latest messages sent to the victims of u's cases,
// for a victim-facing view (an ISVA's); nil for anyone else, whose cases
// show them on the case page.
func (s *Today) messagesSent(ctx context.Context, cases []*todayCase) (*workTable, error) {
	type row struct {
		c *todayCase
		m throughline.MessageRecord
	}
	var rows []row
	facing := false
	for _, c := range cases {
		if !c.Read.VictimFacing {
			continue
		}
		facing = true
		ms, err := s.Store.Messages(ctx, c.Ref)
		if err != nil {
			return nil, err
		}
		for _, m := range c.Messages(ms) {
			rows = append(rows, row{c, m})
		}
	}
	if !facing {
		return nil, nil
	}
	slices.SortStableFunc(rows, func(a, b row) int { return b.m.Created.Compare(a.m.Created) })
	t := page.Table{Caption: "Messages sent to the victims you support", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "To"}, {Text: "About"}, {Text: "How"}, {Text: "Status"}, {Text: "When"}}}
	for _, r := range rows[:min(len(rows), todayRows)] {
		r.c.show(throughline.PartVictim)
		ch := page.Sentence(enumWord(r.m.Channel))
		if ch == "" {
			ch = "Not chosen yet"
		}
		t.Rows = append(t.Rows, []page.TableCell{caseCell(r.c.Ref), {Text: r.c.name(r.m.Complainant)}, {Text: page.Sentence(enumWord(r.m.About))}, {Text: ch}, {HTML: page.TagHTML(messageStatus(r.m))}, {Text: page.LondonTime(r.m.Created)}})
	}
	return &workTable{Heading: "Messages sent to the victims you support", Table: t, Empty: "No message has been sent to them yet."}, nil
}

// recentChanges lists the user's cases changed most recently.
func recentChanges(cases []*todayCase) workTable {
	t := page.Table{Caption: "Your cases changed most recently", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "Victims"}, {Text: "Stage"}, {Text: "Last event"}}}
	for _, c := range cases[:min(len(cases), recentShown)] {
		c.show(throughline.PartSummary)
		var names []string
		for _, cp := range c.Case.Case.Complainants {
			names = append(names, c.name(cp.ID))
		}
		t.Rows = append(t.Rows, []page.TableCell{caseCell(c.Ref), {Text: strings.Join(names, ", ")}, {Text: stageName(c.Case.Case.Stage())}, {Text: day(c.Case.Case.LastOccurred)}})
	}
	return workTable{Heading: "Your cases changed most recently", Table: t, Empty: "You are not on the team of any open case yet."}
}
