package staff

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"throughline"
	"throughline/web/access"
	"throughline/web/page"
)

// taskStore is what a task's page needs from storage.
type taskStore interface {
	Tasks(ctx context.Context, ref string, open bool, f throughline.ScopeFilter) ([]throughline.CommsTask, error)
	CompleteTask(ctx context.Context, id int64, by string) error
}

// Tasks serves a victim-contact task of a case: what to do, whom to call
// and when it is safe, and the button that closes it. Only those who may
// record that a victim was told close tasks: a phone call done is the
// victim told.
type Tasks struct {
	*page.Base
	Access *access.Cases
	Store  taskStore
}

type taskPage struct {
	page.Layout
	Ref     string
	Heading string
	Details page.SummaryList
	Action  string
	Submit  page.Button
	// Record is the form that records the task done, where it is done by
	// recording what happened (a call-back), in place of Submit.
	Record *page.Button
}

// task finds open task id of the case for u; a task of another case, a
// closed one or one u may not close is ENOTFOUND or EFORBIDDEN.
func (s *Tasks) task(r *http.Request, u throughline.User) (*access.Case, throughline.CommsTask, error) {
	if !throughline.MayRecord(u, throughline.TypeVictimInformed) {
		return nil, throughline.CommsTask{}, throughline.Errorf(throughline.EFORBIDDEN, "Only those who keep the victim informed close these tasks.")
	}
	ca, err := s.Access.Load(r.Context(), u, r.PathValue("ref"), throughline.ActionAppend)
	if err != nil {
		return nil, throughline.CommsTask{}, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, throughline.CommsTask{}, throughline.Errorf(throughline.ENOTFOUND, "no such task")
	}
	ts, err := s.Store.Tasks(r.Context(), ca.Ref, true, throughline.ScopeFilter{})
	if err != nil {
		return nil, throughline.CommsTask{}, err
	}
	ts = ca.Tasks(ts)
	i := slices.IndexFunc(ts, func(t throughline.CommsTask) bool { return t.ID == id })
	if i < 0 {
		return nil, throughline.CommsTask{}, throughline.Errorf(throughline.ENOTFOUND, "This task is done or does not exist. Go back to Today to see what is left.")
	}
	return ca, ts[i], nil
}

// TaskPage: GET /cases/{ref}/tasks/{id}.
func (s *Tasks) TaskPage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, t, err := s.task(r, rq.User)
	if err != nil {
		return err
	}
	c := ca.Case
	p := taskPage{Layout: page.NewLayout(rq, taskName(t.Kind), ""), Ref: ca.Ref, Heading: taskName(t.Kind), Action: page.CaseURL(ca.Ref, "tasks", strconv.FormatInt(t.ID, 10)),
		Submit: page.Button{Text: "Mark as done", PreventDoubleClick: new(true)}}
	p.Back = "/today"
	row := func(k, v string) {
		if v != "" {
			p.Details.Rows = append(p.Details.Rows, page.SummaryRow{Key: page.SummaryText{Text: k}, Value: page.SummaryText{Text: v}})
		}
	}
	row("Victim", page.NamesOf(c).Of(t.Complainant))
	if cp := c.Complainant(t.Complainant); cp != nil && cp.Preferences != nil {
		row("Phone", cp.Preferences.Mobile)
		row("Safe times", cp.Preferences.SafeTimesWords())
		if len(cp.Preferences.Channels) > 0 {
			row("Prefers", page.Sentence(enumWord(cp.Preferences.Channels[0])))
		}
	}
	switch t.Kind {
	case throughline.TaskCallback:
		// A call-back's words are the time that suits them; its detail
		// is for the record, not for the caller. Done is the call
		// recorded: whether she was reached, when, and what was said.
		row("When suits them", t.Say)
		p.Record = &page.Button{Text: "Record the call", Href: callbackForm(ca.Ref, t)}
	case throughline.TaskStatementHelp:
		row("What they asked", "Help to write their Victim Personal Statement: call them, and write it with them or take it down")
	case throughline.TaskTell:
		row("What to do", taskDetail(t))
	default:
		row("What to say", t.Say)
		row("What went wrong", taskDetail(t))
	}
	row("Since", page.LondonTime(t.Created))
	if t.Kind == throughline.TaskPhoneCall {
		p.Submit.Text = "I have made the call"
	}
	if err := s.Access.Consulted(r, rq.User, ca, []string{throughline.PartParties, throughline.PartVictim}, throughline.ChannelPage); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "task", p)
	return nil
}

// CompleteTask: POST /cases/{ref}/tasks/{id}: the task is done; a phone
// call done is the message delivered, which records the victim told.
func (s *Tasks) CompleteTask(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, t, err := s.task(r, rq.User)
	if err != nil {
		return err
	}
	if t.Kind == throughline.TaskCallback {
		// Not closed unsaid: the call is recorded in its form, which
		// closes the task.
		http.Redirect(w, r, callbackForm(ca.Ref, t), http.StatusSeeOther)
		return nil
	}
	if err := s.Store.CompleteTask(r.Context(), t.ID, rq.User.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/today?done="+url.QueryEscape(t.Kind), http.StatusSeeOther)
	return nil
}

// callbackForm is the form that records call-back task t done.
func callbackForm(ref string, t throughline.CommsTask) string {
	return page.CaseURL(ref, "record", throughline.TypeCallbackMade) + "?complainant_id=" + url.QueryEscape(t.Complainant)
}
