package staff

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/deadline"
	"throughline/web/access"
	"throughline/web/api"
	"throughline/web/page"
)

// workStore is what this file's pages need from storage.
type workStore interface {
	Deadlines(ctx context.Context, ref string) ([]throughline.CaseDeadline, error)
	Messages(ctx context.Context, ref string) ([]throughline.MessageRecord, error)
	Tasks(ctx context.Context, ref string, open bool, f throughline.ScopeFilter) ([]throughline.CommsTask, error)
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
}

// The case page's work panels: deadlines, messages to the victim, action
// plans and material requests. They are shown only where the decision has
// PartWork, and built from the case as redacted for the user.

// deadlineItem is one deadline as the case page and the lists show it.
type deadlineItem struct {
	Case       string
	CaseHref   string
	Rule       string // the rule's title in plain words
	Source     string // where the rule comes from
	Subject    string // whom it protects
	Concerning string
	Owner      string
	Due        string
	DueSort    string
	Status     page.Tag
	Detail     string // met on, late by, why it does not apply
}

// deadlineStatus is a deadline status as a tag: words always, colour too.
func deadlineStatus(v api.DeadlineView) page.Tag {
	switch v.Status {
	case throughline.DeadlineMissed:
		return page.Tag{Text: "Overdue", Classes: "govuk-tag--red"}
	case throughline.DeadlineDueSoon:
		return page.Tag{Text: "Due soon", Classes: "govuk-tag--orange"}
	case throughline.DeadlinePending:
		return page.Tag{Text: "Not due yet", Classes: "govuk-tag--blue"}
	case throughline.DeadlineMet:
		return page.Tag{Text: "Met", Classes: "govuk-tag--green"}
	case throughline.DeadlineMetLate:
		return page.Tag{Text: "Met late", Classes: "govuk-tag--pink"}
	case throughline.DeadlineNotApplicable:
		return page.Tag{Text: "Does not apply", Classes: "govuk-tag--grey"}
	}
	return page.Tag{Text: page.Sentence(enumWord(v.Status)), Classes: "govuk-tag--grey"}
}

var ownerWords = map[string]string{"police": "Police", "cps": "CPS", "wcu": "Witness Care Unit", "court": "The court", "defence": "The defence"}

func ownerName(o string) string {
	if w, ok := ownerWords[o]; ok {
		return w
	}
	return page.Sentence(enumWord(o))
}

// partyWords names "complainant:C1", "defendant:D1" or "hearing:H1" for a
// reader: by name when the page shows names (n non-nil), else by role and id.
func partyWords(ref string, c *throughline.Case, n page.Names) string {
	kind, id, ok := strings.Cut(ref, ":")
	if !ok {
		if ref == "case" || ref == "" {
			return "The case"
		}
		return ref
	}
	switch kind {
	case "hearing":
		if c != nil {
			for _, h := range c.Hearings {
				if h.ID == id {
					return hearingKind(h.Kind) + " on " + day(h.StartsAt)
				}
			}
		}
		return "Hearing " + id
	case "complainant", "defendant":
		if n != nil {
			if name, ok := n[id]; ok {
				return name
			}
		}
		return page.Sentence(kind) + " " + id
	case "item":
		plan, item, _ := strings.Cut(id, "/")
		if c != nil {
			if p := c.Plan(plan); p != nil {
				if it := p.Item(item); it != nil {
					return "Action plan of " + day(p.Issued) + ", action " + item + ": " + it.Description
				}
			}
		}
		return "Action " + item + " of an action plan"
	}
	return ref
}

// newDeadlineItem describes a deadline; c and n (may be nil) name parties.
func newDeadlineItem(ref string, d throughline.Deadline, today time.Time, c *throughline.Case, n page.Names) deadlineItem {
	v := api.NewDeadlineView(ref, d, today)
	it := deadlineItem{Case: ref, CaseHref: page.CaseURL(ref), Rule: d.Rule, Subject: partyWords(d.Subject, c, n), Owner: ownerName(d.Owner), DueSort: v.Due, Status: deadlineStatus(v)}
	if r, ok := ruleOf(d.Rule, d.Starts); ok {
		it.Rule, it.Source = r.Title, r.Source
	}
	if d.Concerning != "" {
		it.Concerning = partyWords(d.Concerning, c, n)
	}
	it.Due = "Not known yet"
	if !d.Due.IsZero() {
		it.Due = d.Due.Format("2 January 2006")
	}
	switch v.Status {
	case throughline.DeadlineMet:
		it.Detail = "Met on " + d.MetAt.Format("2 January 2006")
	case throughline.DeadlineMetLate:
		it.Detail = "Met on " + d.MetAt.Format("2 January 2006") + ", " + plural(d.LateDays, "working day") + " late"
	case throughline.DeadlineNotApplicable:
		it.Detail = page.Sentence(page.DatesInWords(d.NotApplicable))
	}
	return it
}

// ruleOf is the rule a deadline follows (deadline.RuleNamed).
func ruleOf(id string, t time.Time) (deadline.Rule, bool) { return deadline.RuleNamed(id, t) }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return itoa64(int64(n)) + " " + word + "s"
}

// sortedDeadlines orders deadlines as api.SortDeadlines does: overdue first.
func sortedDeadlines(ds []throughline.CaseDeadline, today time.Time) []throughline.CaseDeadline {
	vs := make([]api.DeadlineView, len(ds))
	for i, d := range ds {
		vs[i] = api.NewDeadlineView(itoa64(int64(i)), d.Deadline, today)
	}
	api.SortDeadlines(vs)
	out := make([]throughline.CaseDeadline, len(ds))
	for i, v := range vs {
		j, _ := parseInt64(v.Case)
		out[i] = ds[j]
	}
	return out
}

// messageItem is one message to the victim.
type messageItem struct {
	When    string
	To      string
	Channel string
	Status  page.Tag
	By      string
	Subject string
	Problem string
	Retry   string // where "Try again" posts, for a message that failed
}

var messageStatusTags = map[string]page.Tag{
	throughline.MessageQueued:     {Text: "Waiting to send", Classes: "govuk-tag--blue"},
	throughline.MessageSending:    {Text: "Sending", Classes: "govuk-tag--blue"},
	throughline.MessageSent:       {Text: "Sent", Classes: "govuk-tag--turquoise"},
	throughline.MessageDelivered:  {Text: "Delivered", Classes: "govuk-tag--green"},
	throughline.MessageTask:       {Text: "Needs a phone call", Classes: "govuk-tag--yellow"},
	throughline.MessageFailed:     {Text: "Failed", Classes: "govuk-tag--red"},
	throughline.MessageBlocked:    {Text: "Stopped: did not match the record", Classes: "govuk-tag--red"},
	throughline.MessageSuperseded: {Text: "Replaced by a later message", Classes: "govuk-tag--grey"},
}

func messageStatus(m throughline.MessageRecord) page.Tag {
	if t, ok := messageStatusTags[m.Status]; ok {
		if m.Status == throughline.MessageQueued && m.Failure != "" {
			return page.Tag{Text: "Retrying after a failure", Classes: "govuk-tag--orange"}
		}
		return t
	}
	return page.Tag{Text: page.Sentence(enumWord(m.Status)), Classes: "govuk-tag--grey"}
}

var taskWords = map[string]string{
	throughline.TaskPhoneCall: "Phone the victim", throughline.TaskDeliveryFailed: "A message could not be delivered",
	throughline.TaskNoChannel: "No way to contact the victim", throughline.TaskBlocked: "A message was stopped", throughline.TaskCallback: "The victim asked to be called back",
	throughline.TaskTell: "Tell the victim", throughline.TaskStatementHelp: "Help the victim write their personal statement",
}

func taskName(k string) string {
	if w, ok := taskWords[k]; ok {
		return w
	}
	return page.Sentence(enumWord(k))
}

// recordTail ends the detail of a task an event opened: "(case …, event
// 9)". The store keeps it (it is what keeps the tasks of two events two);
// the person doing the task needs only the words before it.
var recordTail = regexp.MustCompile(`\s*\((?:case [^,()]+, )?event \d+\)$`)

// taskDetail is a task's detail in words: no reference to the record's
// events, no party id (a call-back's detail begins with hers; who asked is
// shown beside it by name), and a delivery failure's code as a sentence.
func taskDetail(t throughline.CommsTask) string {
	switch t.Kind {
	case throughline.TaskCallback:
		return "Asked to be called back"
	case throughline.TaskTell, throughline.TaskStatementHelp:
		return recordTail.ReplaceAllString(t.Detail, "")
	}
	return page.Sentence(enumWord(t.Detail))
}

// taskItem is an open task for a person.
type taskItem struct {
	Case     string
	CaseHref string
	What     string
	For      string
	Assignee string
	Detail   string
	Created  string
}

// planItem is one action of an action plan.
type planItem struct {
	Plan        string
	Description string
	Category    string
	Owner       string
	Due         string
	Done        page.Tag
	Notes       []string // the dispute, the cancellation, the comment thread
}

// requestItem is a victim information request: what the officer answered
// to each condition of PCSCA 2022 s.44A, for the prosecutor's review, and
// what the victim is told (s.44B).
type requestItem struct {
	For         string
	Material    string
	Holder      string
	Counselling bool // a counselling information request (s.44A(5))
	Answers     []answer
	NoNotice    bool // the s.44B(5) exception was recorded
	// Where it stands in its workflow (ADR 0400), and what it waits for.
	State, Notice, Approval, Advice string
	// Next are the steps this user may record of it now.
	Next []page.ActionLink
}

// requestFlowWords say where a request stands: its state, its notice to
// the victim, its approval and the prosecutor's advice.
func requestFlowWords(f *throughline.RequestFlow, counselling bool) (state, notice, approval, advice string) {
	state = page.Sentence(requestStateWords[f.State()])
	switch {
	case !f.NoticeGiven.IsZero():
		notice = "Delivered in writing on " + day(f.NoticeGiven)
	case f.Exception != "" && !f.ExceptionApproved.IsZero():
		notice = "Exception approved by a supervisor: " + exceptionWords[f.Exception]
	case f.Exception != "":
		notice = "Exception recorded, waiting for a supervisor's approval: " + exceptionWords[f.Exception]
	default:
		notice = "Not yet delivered: the request cannot be sent until it is"
	}
	switch {
	case !f.Approved.IsZero():
		approval = "Approved by a police supervisor on " + day(f.Approved)
	case counselling:
		approval = "Not yet approved: a counselling information request cannot be sent until a police supervisor approves it"
	default:
		approval = "Not approved"
	}
	advice = map[string]string{"supported": "The prosecutor supports the request", "not_supported": "The prosecutor does not support the request"}[f.Advice]
	return state, notice, approval, advice
}

// requestNext links to the forms of the steps u may record of request rq
// now, the request chosen: the lawful next step one click away. Decide
// still has the last word on each (a send without her notice is refused).
func requestNext(ca *access.Case, rq throughline.InformationRequested, f *throughline.RequestFlow, u throughline.User, material string) []page.ActionLink {
	ref := ca.Ref
	open := f.Withdrawn.IsZero() && f.Result == ""
	var out []page.ActionLink
	for _, step := range []struct {
		typ, text string
		now       bool
	}{
		{throughline.TypeInformationRequestApproved, "Approve the request", open && f.Approved.IsZero() && f.Sent.IsZero()},
		{throughline.TypeInformationNoticeExceptionApproved, "Approve the exception to notice", open && f.Exception != "" && f.ExceptionApproved.IsZero() && f.Sent.IsZero()},
		{throughline.TypeInformationRequestSent, "Record it sent", open && f.Sent.IsZero()},
		{throughline.TypeInformationRequestResponse, "Record the holder's answer", open && !f.Sent.IsZero()},
		{throughline.TypeInformationRequestWithdrawn, "Withdraw it", open},
		{throughline.TypeInformationRequestView, "Record your view", f.Withdrawn.IsZero()},
	} {
		if step.now && ca.MayRecord(u, step.typ) {
			out = append(out, page.ActionLink{Href: page.CaseURL(ref, "record", step.typ) + "?request_id=" + url.QueryEscape(rq.RequestID), Text: step.text,
				VisuallyHiddenText: " (the request for " + strings.ToLower(material) + ", " + rq.RequestID + ")"})
		}
	}
	return out
}

// exceptionWords name an exception to notice.
var exceptionWords = map[string]string{throughline.NoticeLater: "notice as soon as reasonably practicable after the request (s.44B(3)(b))",
	throughline.NoticeNone: "no notice (s.44B(5))"}

// answer is one question of the request and its answer.
type answer struct{ Question, Answer string }

// requestAnswers are a request's answers, in the order the Act asks; a
// request made before Chapter 3A was in force has only its reason.
func requestAnswers(rq throughline.InformationRequested, pseudonymise bool) []answer {
	out := requestRecord(rq)
	for i := range out {
		out[i].Answer = freeText(out[i].Answer, pseudonymise)
	}
	return out
}

// requestRecord is requestAnswers as the officer wrote them, for the record.
func requestRecord(rq throughline.InformationRequested) []answer {
	var out []answer
	for _, a := range []answer{
		{"Why the holder is believed to have it (s.44A(3)(a))", rq.HolderBelief},
		{"The reasonable line of enquiry (s.44A(3)(b))", rq.LineOfEnquiry},
		{"Why it is necessary and proportionate (s.44A(3)(c))", rq.Necessity},
		{"Its likely substantial probative value (s.44A(4))", rq.ProbativeValue},
		{"Why it is sought, as the victim is told (s.44B(2)(b))", rq.Reason},
		{"How it will be dealt with, as the victim is told (s.44B(2)(c))", rq.Handling},
	} {
		if a.Answer != "" {
			out = append(out, a)
		}
	}
	return out
}

// workPanels fills the case page's panels. The case is already redacted
// for the decision; its deadlines, messages and tasks go through
// access.Case, the one home of what each decision shows of them.
func (s *CaseRecord) workPanels(ctx context.Context, p *casePage, ca *access.Case, u throughline.User) error {
	c, d := ca.Case, ca.Read
	today := s.Now()
	n := page.NamesOf(c)
	ds, err := s.Store.Deadlines(ctx, c.Ref)
	if err != nil {
		return err
	}
	for _, cd := range sortedDeadlines(ca.Deadlines(ds), today) {
		p.Deadlines = append(p.Deadlines, newDeadlineItem(c.Ref, cd.Deadline, today, c, n))
	}

	ms, err := s.Store.Messages(ctx, c.Ref)
	if err != nil {
		return err
	}
	ms = ca.Messages(ms)
	var actors []string
	for _, m := range ms {
		if !slices.Contains(actors, m.TriggeredBy) {
			actors = append(actors, m.TriggeredBy)
		}
	}
	who, err := s.Store.UserNames(ctx, actors)
	if err != nil {
		return err
	}
	for i := len(ms) - 1; i >= 0; i-- { // newest first
		m := ms[i]
		it := messageItem{When: page.LondonTime(m.Created), To: n.Of(m.Complainant), Channel: page.Sentence(enumWord(m.Channel)), Status: messageStatus(m), By: who[m.TriggeredBy], Subject: page.Sentence(enumWord(m.About))}
		if it.Channel == "" {
			it.Channel = "Not chosen yet"
		}
		if it.By == "" {
			it.By = "Throughline (from the record)"
		}
		// What the message is about, not its subject line: every subject
		// is the same neutral words, so that a lock screen says nothing.
		// A message that reached them on a later channel has no problem
		// left to show: only one still failing, stopped or retrying does.
		if m.Failure != "" && m.Status != throughline.MessageDelivered && m.Status != throughline.MessageSent && !d.Pseudonymise {
			it.Problem = page.Sentence(enumWord(m.Failure))
		}
		if m.Status == throughline.MessageFailed && p.Retry {
			it.Retry = page.CaseURL(c.Ref, "messages", strconv.FormatInt(m.ID, 10), "retry")
		}
		p.Messages = append(p.Messages, it)
	}
	ts, err := s.Store.Tasks(ctx, c.Ref, true, throughline.ScopeFilter{})
	if err != nil {
		return err
	}
	for _, t := range ca.Tasks(ts) {
		it := taskItem{What: taskName(t.Kind), For: n.Of(t.Complainant), Assignee: t.Assignee, Detail: taskDetail(t), Created: page.LondonTime(t.Created)}
		if t.Kind == throughline.TaskCallback && !d.Pseudonymise {
			// Its detail is for the record; the time that suits them is
			// what the caller needs.
			it.Detail = ""
			if t.Say != "" {
				it.Detail = "When suits them: " + t.Say
			}
		}
		p.Tasks = append(p.Tasks, it)
	}

	// Action plans and material requests: the redaction already removed
	// them from views that may not see them.
	p.PlansWithheld = d.Pseudonymise
	for _, pl := range c.Plans {
		p.Plans = append(p.Plans, planItems(pl, today)...)
	}
	p.Quality = qualityItems(c)
	p.RequestsWithheld = !d.Has(throughline.PartVictim)
	if mayHaveRequests(d) {
		p.RequestsDocument = page.CaseURL(c.Ref, "disclosure", "information-requests")
	}
	for _, cp := range c.Complainants {
		for _, rq := range cp.Requests {
			it := requestItem{For: cp.Name, Material: page.Sentence(enumWord(rq.Material)), Holder: freeText(rq.Holder, d.Pseudonymise),
				Counselling: rq.Counselling(), Answers: requestAnswers(rq, d.Pseudonymise), NoNotice: slices.Contains(cp.NoNotice, rq.RequestID)}
			if f := cp.Flow(rq.RequestID); f != nil {
				it.State, it.Notice, it.Approval, it.Advice = requestFlowWords(f, rq.Counselling())
				it.Next = requestNext(ca, rq, f, u, it.Material)
			}
			p.Requests = append(p.Requests, it)
		}
	}
	p.Devices, p.DevicesWithheld = deviceItems(c, d)
	return nil
}
