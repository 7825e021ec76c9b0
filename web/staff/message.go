package staff

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"throughline"
	"throughline/web/access"
	"throughline/web/page"
)

// messageStore is what sending and retrying a victim message need.
type messageStore interface {
	EnqueueFreeText(ctx context.Context, ref, complainant, text, actor, agency string) (int64, error)
	RetryFailed(ctx context.Context, ref string, id int64, by string) error
}

// Messaging serves what the API's messages call does, in the pages: an
// update in a person's own words to a complainant, checked against the
// record by the store's contradiction guard before it is queued (its
// answer shown on the form, naming the record's fact), and a message that
// failed on every channel tried again — the same message, so at most one
// reaches her.
type Messaging struct {
	*page.Base
	Access *access.Cases
	Store  messageStore
	// Codes sends a victim a sign-in code for the portal at a member of
	// staff's request (the portal's SendCodeFor); nil offers none.
	Codes interface {
		SendCodeFor(ctx context.Context, ref, complainant, staffID string) (channel string, err error)
	}
}

// messageForm is the one form: whom to write to, and the words.
var messageForm = eventForm{typ: "message", title: "Send the victim a message", done: "Message queued: it goes on her preferred channel", fields: []formField{
	{name: "complainant_id", kind: "complainant", label: "Who is it to?"},
	{name: "body", kind: "textarea", label: "Your message", hint: "In plain words. It is checked against the record before it is sent: a date, time, court or stage the record contradicts stops it."}}}

// load is the case for a message, if u may write to its victims: the
// route's guard asked for ActionAppend; a pseudonymised view names no one.
func (s *Messaging) load(r *http.Request, u throughline.User) (*access.Case, error) {
	ca, err := s.Access.Load(r.Context(), u, r.PathValue("ref"), throughline.ActionAppend)
	if err != nil {
		return nil, err
	}
	if ca.Decision.Pseudonymise || !ca.Case.Closed.IsZero() {
		return nil, throughline.Errorf(throughline.EFORBIDDEN, "Messages cannot be sent from this view of the case.")
	}
	return ca, nil
}

func (s *Messaging) view(rq *page.Request, ca *access.Case, v url.Values, err error) recordPage {
	p := (&Recording{Base: s.Base}).recordView(rq, ca, messageForm, v, ca.Case.Version, err)
	p.Action = page.CaseURL(ca.Ref, "messages")
	p.Back = page.CaseURL(ca.Ref)
	p.Submit.Text = "Send"
	// The "when" date of an event form has no place in a message.
	p.Controls = p.Controls[:len(p.Controls)-1]
	return p
}

// MessageForm: GET /cases/{ref}/messages/new. It names her, so showing it
// is a consultation.
func (s *Messaging) MessageForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.load(r, rq.User)
	if err != nil {
		return err
	}
	v := url.Values{}
	if id := r.URL.Query().Get("complainant_id"); id != "" {
		v.Set("complainant_id", id)
	}
	if err := s.Access.Consulted(r, rq.User, ca, []string{throughline.PartParties}, throughline.ChannelPage); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "record", s.view(rq, ca, v, nil))
	return nil
}

// SendMessage: POST /cases/{ref}/messages. A refusal (no words, someone
// not on the case, a fact the record contradicts, the same words already
// sent) shows the form again with the answer and changes nothing.
func (s *Messaging) SendMessage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.load(r, rq.User)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := r.PostForm
	to, body := v.Get("complainant_id"), v.Get("body")
	var fields []throughline.FieldError
	if ca.Case.Complainant(to) == nil {
		fields = append(fields, throughline.FieldError{Field: "complainant_id", Message: "Select who the message is to"})
	}
	if msg := throughline.CheckText(body, throughline.FreeText); msg != "" || body == "" {
		fields = append(fields, throughline.FieldError{Field: "body", Message: "Enter your message"})
	}
	err = &throughline.Error{Code: throughline.EINVALID, Message: "not a valid message", Fields: fields}
	if len(fields) == 0 {
		if _, err = s.Store.EnqueueFreeText(r.Context(), ca.Ref, to, body, rq.User.ID, rq.User.Agency); err == nil {
			http.Redirect(w, r, page.CaseURL(ca.Ref)+"?sent=message#messages-heading", http.StatusSeeOther)
			return nil
		}
	}
	status := http.StatusUnprocessableEntity
	switch throughline.ErrorCode(err) {
	case throughline.EINVALID:
	case throughline.ECONFLICT:
		status = http.StatusConflict
	default:
		return err
	}
	s.Render(w, r, status, "record", s.view(rq, ca, v, err))
	return nil
}

// RetryMessage: POST /cases/{ref}/messages/{id}/retry puts a message that
// failed on every channel back in the queue.
func (s *Messaging) RetryMessage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.load(r, rq.User)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return throughline.Errorf(throughline.ENOTFOUND, "no such message")
	}
	if err := s.Store.RetryFailed(r.Context(), ca.Ref, id, rq.User.Name); err != nil {
		return err
	}
	http.Redirect(w, r, page.CaseURL(ca.Ref)+"?sent=retry#messages-heading", http.StatusSeeOther)
	return nil
}

// SendSignInCode: POST /cases/{ref}/complainants/{id}/sign-in-code sends her
// a code to sign in to the victim portal, for when she cannot get one
// herself: on a browser she has not used before, her requests share the
// reference's limit, which anyone who knows the reference can use up. Only
// those who keep the victim informed may (the recorders of
// victim_informed); the code goes to her own address for codes, never to
// them, and sending it is in the consultation log.
func (s *Messaging) SendSignInCode(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.load(r, rq.User)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if s.Codes == nil || !ca.MayRecord(rq.User, throughline.TypeVictimInformed) {
		return throughline.Errorf(throughline.EFORBIDDEN, "Only those who keep the victim informed can send her a sign-in code.")
	}
	if ca.Case.Complainant(id) == nil {
		return throughline.Errorf(throughline.ENOTFOUND, "no such complainant")
	}
	if err := s.Access.Consulted(r, rq.User, ca, []string{throughline.PartVictim}, throughline.ChannelPage); err != nil {
		return err
	}
	if _, err := s.Codes.SendCodeFor(r.Context(), ca.Ref, id, rq.User.ID); err != nil {
		if errors.Is(err, throughline.ErrPortalLimited) {
			return throughline.Errorf(throughline.ECONFLICT, "Enough sign-in codes have been sent to her in the last hour. Ask her to use the newest one she received, or try again later.")
		}
		return err
	}
	http.Redirect(w, r, page.CaseURL(ca.Ref)+"?sent=code#messages-heading", http.StatusSeeOther)
	return nil
}
