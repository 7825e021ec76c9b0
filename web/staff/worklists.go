package staff

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"throughline"
	"throughline/web/access"
	"throughline/web/page"
)

// workListStore is what this file's pages need from storage.
type workListStore interface {
	FailedDeliveries(ctx context.Context, f throughline.ScopeFilter) ([]throughline.MessageRecord, error)
	MyCases(ctx context.Context, u throughline.User, f throughline.MyCaseFilter) ([]throughline.MyCase, int, error)
	Silence(ctx context.Context, asOf time.Time, f throughline.ScopeFilter) ([]throughline.SilentComplainant, error)
	Tasks(ctx context.Context, ref string, open bool, f throughline.ScopeFilter) ([]throughline.CommsTask, error)
	CaseLines(ctx context.Context, refs []string) (map[string]throughline.CaseLine, error)
	MessageOwners(ctx context.Context, refs []string) (map[string]string, error)
}

// WorkLists serves the work lists across cases: deadlines and victim contact.
type WorkLists struct {
	*page.Base
	// Access applies the policy to cases and logs consultations.
	Access *access.Cases
	// Deadlines answers the deadline work lists.
	Deadlines DeadlineIndex
	Store     workListStore
}

// Work lists across cases: "My deadlines", "Team deadlines", failed
// deliveries and complainants not updated. Each row's case is decided by
// the policy (ActionReadCase) and the consultation of every case shown is
// logged before the page is written. People are named as the decision
// shows them (names).

// workList is the view of one work-list page.
type (
	workList  = page.WorkList
	workTable = page.WorkTable
)

const workListMax = 300

// agencyScope reports whether a case belongs to the user's own agency: the
// force for the police and Witness Care, the area for the CPS.
func agencyScope(u throughline.User, force, area string) bool {
	a, err := throughline.ParseAgency(u.Agency)
	if err != nil {
		return false
	}
	switch a.Kind {
	case "police", "wcu":
		return force == a.ID
	case "cps":
		return area == a.ID
	}
	return false
}

// agencyFilter narrows a cross-case query to the user's agency; ok is
// false for an agency that has no cases of its own.
func agencyFilter(u throughline.User) (throughline.ScopeFilter, bool) {
	a, err := throughline.ParseAgency(u.Agency)
	if err != nil {
		return throughline.ScopeFilter{}, false
	}
	switch a.Kind {
	case "police", "wcu":
		return throughline.ScopeFilter{Forces: []string{a.ID}, Limit: workListMax}, true
	case "cps":
		return throughline.ScopeFilter{CPSAreas: []string{a.ID}, Limit: workListMax}, true
	}
	return throughline.ScopeFilter{}, false
}

// names returns, for each case, its people's names as its decision shows
// them, for naming the subject of a row.
func (s *WorkLists) names(ctx context.Context, cases map[string]*access.Case) (map[string]page.Names, error) {
	refs := make([]string, 0, len(cases))
	for ref, ca := range cases {
		if ca != nil {
			refs = append(refs, ref)
		}
	}
	lines, err := s.Store.CaseLines(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]page.Names, len(refs))
	for _, ref := range refs {
		n := page.Names{}
		for _, p := range s.Access.Parties(ctx, cases[ref], lines[ref].Parties) {
			n[p.ID] = p.Name
		}
		out[ref] = n
	}
	return out, nil
}

// DeadlinesPage serves GET /deadlines (team false: the cases on the user's
// case team) and GET /deadlines/team (a police supervisor: the force's
// cases; anyone else: their agency's cases they are on the team of).
func (s *WorkLists) DeadlinesPage(team bool) func(http.ResponseWriter, *http.Request, *page.Request) error {
	return func(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
		u := rq.User
		ctx := r.Context()
		mine, _, err := s.Store.MyCases(ctx, u, throughline.MyCaseFilter{Sort: "ref", Limit: 5000})
		if err != nil {
			return err
		}
		allowed := map[string]*access.Case{}
		var forces []string
		for _, c := range mine {
			sc := throughline.CaseScope{Ref: c.Ref, Force: c.Force, CPSArea: c.CPSArea}
			d := throughline.Can(u, throughline.ActionReadCase, &sc, c.Relation)
			if !d.Has(throughline.PartWork) {
				continue
			}
			if team {
				if !agencyScope(u, c.Force, c.CPSArea) || (d.Basis != throughline.BasisTeam && d.Basis != throughline.BasisSupervisor) {
					continue
				}
			} else if !c.Relation.OnTeam {
				continue
			}
			allowed[c.Ref] = &access.Case{Ref: c.Ref, Scope: sc, Relation: c.Relation, Decision: d, Read: d}
			if !slices.Contains(forces, c.Force) {
				forces = append(forces, c.Force)
			}
		}
		q := r.URL.Query()
		due := q["due"]
		today := s.Now()
		var rows []throughline.CaseDeadline
		if len(allowed) > 0 {
			f := throughline.DeadlineFilter{OpenOnly: true, Forces: forces}
			if team {
				// The duties the agency owes, as on the today page: the
				// court's, the defence's and the other agency's are not
				// theirs to chase.
				f.Owners = []string{ownerOf(u)}
			}
			ds, err := s.Deadlines.DeadlinesDue(ctx, f)
			if err != nil {
				return err
			}
			for _, d := range ds {
				if allowed[d.Case] == nil {
					continue
				}
				st := d.Status(today)
				if st != throughline.DeadlineMissed && st != throughline.DeadlineDueSoon && st != throughline.DeadlinePending {
					continue // met or not applicable since the projection was written
				}
				if len(due) > 0 && !(slices.Contains(due, "overdue") && st == throughline.DeadlineMissed) && !(slices.Contains(due, "soon") && st == throughline.DeadlineDueSoon) {
					continue
				}
				rows = append(rows, d)
			}
		}
		rows = sortedDeadlines(rows, today)
		more := ""
		if len(rows) > workListMax {
			more = "Showing the first " + strconv.Itoa(workListMax) + " of " + strconv.Itoa(len(rows)) + " deadlines. Filter to see fewer."
			rows = rows[:workListMax]
		}
		p := workList{Heading: "Your deadlines", Intro: "Open deadlines of the cases whose team you are on, overdue first. Statuses are as of today.", Action: "/deadlines", Clear: "/deadlines",
			Apply: page.Button{Text: "Apply filters", Classes: "govuk-button--secondary"}}
		active := "deadlines"
		p.Links = []page.ActionLink{{Href: "/deadlines/team", Text: "Your team's deadlines"}}
		if team {
			p.Heading, p.Action, p.Clear = "Team deadlines", "/deadlines/team", "/deadlines/team"
			p.Intro = "Open deadlines that your agency must meet, on its cases whose team you are on, overdue first."
			if a, ok := throughline.Supervised(u); ok && throughline.SeesOwnAgency(u) {
				p.Intro = "Open deadlines that " + a.Name() + " must meet, on all its cases, overdue first."
			}
			p.Links = []page.ActionLink{{Href: "/deadlines", Text: "Your own deadlines"}}
		}
		p.Layout = page.NewLayout(rq, p.Heading, active)
		p.Filter = &page.Choices{Name: "due", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "Show only", Classes: "govuk-fieldset__legend--s"}}, Classes: "govuk-checkboxes--small",
			Items: []page.Choice{{Value: "overdue", Text: "Overdue", Checked: slices.Contains(due, "overdue")}, {Value: "soon", Text: "Due soon", Checked: slices.Contains(due, "soon")}}}
		t := page.Table{Caption: "Deadlines", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
			Head: []page.TableHead{{Text: "Case"}, {Text: "Deadline"}, {Text: "For"}, {Text: "Who must act"}, {Text: "Due by"}, {Text: "Status"}}}
		shown := map[string]*access.Case{}
		for _, d := range rows {
			shown[d.Case] = allowed[d.Case]
		}
		names, err := s.names(ctx, shown)
		if err != nil {
			return err
		}
		var logs []access.Consultation
		logged := map[string]bool{}
		for _, d := range rows {
			it := newDeadlineItem(d.Case, d.Deadline, today, nil, names[d.Case])
			t.Rows = append(t.Rows, []page.TableCell{{Text: d.Case, Href: page.CaseURL(d.Case)}, {Text: it.Rule}, {Text: it.Subject}, {Text: it.Owner}, {Text: it.Due}, {HTML: page.TagHTML(it.Status)}})
			if !logged[d.Case] {
				logged[d.Case] = true
				logs = append(logs, access.Consultation{Case: allowed[d.Case], Parts: []string{throughline.PartWork, throughline.PartParties}})
			}
		}
		p.Lists = []workTable{{Table: t, More: more, Empty: "There are no open deadlines that match."}}
		if err := s.Access.ConsultedMany(r, u, throughline.ChannelPage, logs...); err != nil {
			return err
		}
		s.Render(w, r, http.StatusOK, "worklist", p)
		return nil
	}
}

// victimAccess decides, case by case, whether u may see the victim-contact
// parts of a case; it caches the answers.
type victimAccess struct {
	s     *WorkLists
	u     throughline.User
	cases map[string]*access.Case
}

func (v *victimAccess) allowed(ctx context.Context, ref string) (*access.Case, error) {
	if ca, ok := v.cases[ref]; ok {
		return ca, nil
	}
	ca, err := v.s.Access.Scope(ctx, v.u, ref, throughline.ActionReadCase)
	if throughline.ErrorCode(err) == throughline.ENOTFOUND {
		v.cases[ref] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !ca.Read.Has(throughline.PartVictim) {
		ca = nil
	}
	v.cases[ref] = ca
	return ca, nil
}

// names decides each of refs and returns the names each shows.
func (v *victimAccess) names(ctx context.Context, refs []string) (map[string]page.Names, error) {
	for _, ref := range refs {
		if _, err := v.allowed(ctx, ref); err != nil {
			return nil, err
		}
	}
	return v.s.names(ctx, v.cases)
}

func (v *victimAccess) consultations() []access.Consultation {
	var out []access.Consultation
	refs := make([]string, 0, len(v.cases))
	for ref, ca := range v.cases {
		if ca != nil {
			refs = append(refs, ref)
		}
	}
	slices.Sort(refs)
	for _, ref := range refs {
		out = append(out, access.Consultation{Case: v.cases[ref], Parts: []string{throughline.PartVictim, throughline.PartParties}})
	}
	return out
}

// contactQueue starts a victim-contact page: the policy's answer for the
// page, and the user's agency scope.
func (s *WorkLists) contactQueue(rq *page.Request) (throughline.ScopeFilter, *victimAccess, error) {
	u := rq.User
	if !throughline.Can(u, throughline.ActionContactQueues, nil, throughline.Relation{}).Allowed {
		return throughline.ScopeFilter{}, nil, throughline.Errorf(throughline.EFORBIDDEN, "This page is for Witness Care, the Victim Liaison Unit and police supervisors.")
	}
	f, ok := agencyFilter(u)
	if !ok {
		return f, nil, throughline.Errorf(throughline.EFORBIDDEN, "Your agency has no cases of its own.")
	}
	return f, &victimAccess{s: s, u: u, cases: map[string]*access.Case{}}, nil
}

var contactLinks = []page.ActionLink{{Href: "/failed-deliveries", Text: "Victim contact: messages and calls that need a person"}, {Href: "/not-updated", Text: "Victims not updated"}}

// FailedDeliveries: GET /failed-deliveries: messages to victims that failed
// or were stopped, and the open tasks for people, in the user's agency's
// cases they may see.
func (s *WorkLists) FailedDeliveries(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	f, va, err := s.contactQueue(rq)
	if err != nil {
		return err
	}
	ctx := r.Context()
	ms, err := s.Store.FailedDeliveries(ctx, f)
	if err != nil {
		return err
	}
	ts, err := s.Store.Tasks(ctx, "", true, f)
	if err != nil {
		return err
	}
	var refs []string
	for _, m := range ms {
		refs = append(refs, m.Case)
	}
	for _, t := range ts {
		refs = append(refs, t.Case)
	}
	names, err := va.names(ctx, refs)
	if err != nil {
		return err
	}
	// A failed message is on the list of its case's owner only.
	owners, err := s.Store.MessageOwners(ctx, refs)
	if err != nil {
		return err
	}
	failed := page.Table{Caption: "Messages not delivered", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "To"}, {Text: "About"}, {Text: "How"}, {Text: "Status"}, {Text: "Problem"}, {Text: "Created"}}}
	for _, m := range ms {
		ca, err := va.allowed(ctx, m.Case)
		if err != nil {
			return err
		}
		if ca == nil || !ca.Read.ShowsComplainant(m.Complainant) || !throughline.ActsOnFailed(rq.User, owners[m.Case]) {
			continue
		}
		ch := page.Sentence(enumWord(m.Channel))
		if ch == "" {
			ch = "None"
		}
		failed.Rows = append(failed.Rows, []page.TableCell{{Text: m.Case, Href: page.CaseURL(m.Case)}, {Text: partyWords("complainant:"+m.Complainant, nil, names[m.Case])}, {Text: page.Sentence(enumWord(m.About))},
			{Text: ch}, {HTML: page.TagHTML(messageStatus(m))}, {Text: page.Sentence(enumWord(m.Failure))}, {Text: page.LondonTime(m.Created)}})
	}
	tasks := page.Table{Caption: "Tasks for a person", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "What to do"}, {Text: "For"}, {Text: "Who should do it"}, {Text: "Since"}}}
	for _, t := range ts {
		ca, err := va.allowed(ctx, t.Case)
		if err != nil {
			return err
		}
		if ca == nil || !ca.Read.ShowsComplainant(t.Complainant) || (throughline.FailedTask(t.Kind) && !throughline.ActsOnFailed(rq.User, owners[t.Case])) {
			continue
		}
		tasks.Rows = append(tasks.Rows, []page.TableCell{{Text: t.Case, Href: page.CaseURL(t.Case)}, {Text: taskName(t.Kind)}, {Text: partyWords("complainant:"+t.Complainant, nil, names[t.Case])}, {Text: t.Assignee}, {Text: page.LondonTime(t.Created)}})
	}
	p := workList{Layout: page.NewLayout(rq, "Victim contact", "contact"), Heading: "Victim contact",
		Intro: "Messages to victims that could not be delivered or were stopped, and calls to make, in your agency's cases you may see. " + failedIntro(rq.User), Links: contactLinks[1:],
		Lists: []workTable{{Heading: "Tasks for a person", Table: tasks, Empty: "There are no open tasks."}, {Heading: "Messages not delivered", Table: failed, Empty: "Every message has been delivered or is on its way."}}}
	if err := s.Access.ConsultedMany(r, rq.User, throughline.ChannelPage, va.consultations()...); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "worklist", p)
	return nil
}

// failedIntro says which cases' failed messages the page lists (their
// owners, throughline.ActsOnFailed).
func failedIntro(u throughline.User) string {
	switch u.Role {
	case throughline.RoleWitnessCare:
		return "Failed messages are listed for the cases with Witness Care on their team."
	case throughline.RolePoliceSupervisor:
		return "Failed messages are listed for the cases with no one from Witness Care or the police on their team; the others are on Witness Care's list or the officers' Today page."
	}
	return ""
}

// NotUpdated: GET /not-updated: complainants who have not been updated for
// longer than their cadence, longest silence first.
func (s *WorkLists) NotUpdated(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	f, va, err := s.contactQueue(rq)
	if err != nil {
		return err
	}
	ctx := r.Context()
	ss, err := s.Store.Silence(ctx, s.Now(), f)
	if err != nil {
		return err
	}
	var refs []string
	for _, sc := range ss {
		refs = append(refs, sc.Case)
	}
	names, err := va.names(ctx, refs)
	if err != nil {
		return err
	}
	t := page.Table{Caption: "Victims not updated", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "Victim"}, {Text: "Last updated"}, {Text: "Update was due"}, {Text: "Days without an update", Format: "numeric"}, {Text: "To be updated every"}}}
	for _, sc := range ss {
		ca, err := va.allowed(ctx, sc.Case)
		if err != nil {
			return err
		}
		if ca == nil || !ca.Read.ShowsComplainant(sc.Complainant) {
			continue
		}
		t.Rows = append(t.Rows, []page.TableCell{{Text: sc.Case, Href: page.CaseURL(sc.Case)}, {Text: partyWords("complainant:"+sc.Complainant, nil, names[sc.Case])},
			{Text: sc.Since.Format("2 January 2006")}, {Text: sc.Due.Format("2 January 2006")}, {Text: strconv.Itoa(sc.DaysSilent), Format: "numeric"}, {Text: plural(sc.Every, "day")}})
	}
	p := workList{Layout: page.NewLayout(rq, "Victims not updated", "contact"), Heading: "Victims not updated",
		Intro: "Victims who have not had an update for longer than agreed, longest first, in your agency's cases you may see.", Links: contactLinks[:1],
		Lists: []workTable{{Table: t, Empty: "Every victim has been updated on time."}}}
	if err := s.Access.ConsultedMany(r, rq.User, throughline.ChannelPage, va.consultations()...); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "worklist", p)
	return nil
}
