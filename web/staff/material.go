package staff

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"throughline"
	"throughline/restricted"
	"throughline/web/access"
	"throughline/web/page"
)

// Restricted material in the pages (ADR 0402): what a holder sent back in
// answer to a victim information request (PCSCA 2022 Part 2 Chapter 3A)
// is seen only by the case's named disclosure officer and reviewing
// prosecutor (CPIA 1996 and its Code of Practice; the Attorney General's
// Guidelines on Disclosure 2024), each time with a justification written
// to the access log; the case team sees the redacted copies they make.
// Anyone else asking for an item, or for a form of the named two, is
// answered exactly as for a case they may not see.

// materialStore is what these pages need from storage.
type materialStore interface {
	CaseMembers(ctx context.Context, ref string) ([]throughline.CaseMember, error)
	User(ctx context.Context, id string) (throughline.User, error)
	Relation(ctx context.Context, u throughline.User, ref string) (throughline.Relation, error)
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
}

// Material serves the restricted material pages.
type Material struct {
	*page.Base
	Access  *access.Cases
	Store   materialStore
	Service *restricted.Service
}

// materialPage lists a case's restricted material as the user may know it.
type materialPage struct {
	page.Layout
	Ref       string
	Holder    bool // the user is one of the named two
	Named     page.SummaryList
	Items     page.Table
	Copies    page.Table
	Upload    string
	Designate string
}

// load loads the case for reading, with the restricted material's access.
func (s *Material) load(r *http.Request, rq *page.Request) (*access.Case, restricted.Access, error) {
	ca, err := s.Access.Load(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionReadCase)
	if err != nil {
		return nil, restricted.Access{}, err
	}
	return ca, restricted.Access{User: rq.User, Case: ca.Full, Relation: ca.Relation, Channel: throughline.ChannelPage}, nil
}

// MaterialPage: GET /cases/{ref}/material.
func (s *Material) MaterialPage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, a, err := s.load(r, rq)
	if err != nil {
		return err
	}
	c := ca.Full
	if ca.Read.WithholdsFreeText() {
		// A pseudonymised or victim-facing view (an inspector's, an ISVA's)
		// has no material requests, nor their material: as the case page's
		// panel says.
		return access.NotFound(ca.Ref)
	}
	p := materialPage{Layout: page.NewLayout(rq, "Restricted material", ""), Ref: c.Ref, Holder: restricted.May(a)}
	p.Back = page.CaseURL(c.Ref)
	switch r.URL.Query().Get("done") {
	case "upload":
		p.Banner = &page.NotificationBanner{Success: true, Heading: "Material stored, encrypted: only the disclosure officer and the reviewing prosecutor can open it"}
	case "redact":
		p.Banner = &page.NotificationBanner{Success: true, Heading: "Redacted copy saved: the case team can now see it"}
	case "designate":
		p.Banner = &page.NotificationBanner{Success: true, Heading: "Designation recorded"}
	}
	for _, role := range throughline.DisclosureRoles {
		who := "Not named yet"
		if cu := c.Custodian(role); cu != nil {
			who = cu.Name + " (since " + day(cu.Since) + ")"
		}
		p.Named.Rows = append(p.Named.Rows, page.SummaryRow{Key: page.SummaryText{Text: page.Sentence(throughline.TeamRoleWord(role))}, Value: page.SummaryText{Text: who}})
	}
	for _, role := range throughline.DisclosureRoles {
		if throughline.MayDesignate(rq.User, role, ca.Scope, ca.Relation) {
			p.Designate = page.CaseURL(c.Ref, "material", "designations")
		}
	}
	n := page.NamesOf(c)
	if p.Holder {
		p.Upload = page.CaseURL(c.Ref, "material", "new")
		p.Items = page.Table{Caption: "Material received", CaptionClasses: "govuk-table__caption--m", Head: []page.TableHead{{Text: "Item"}, {Text: "In answer to"}, {Text: "Received"}, {Text: "Redacted copies"}}}
		for _, it := range c.Restricted {
			p.Items.Rows = append(p.Items.Rows, []page.TableCell{{Text: "Item " + it.ID, Href: page.CaseURL(c.Ref, "material", it.ID)}, {Text: requestWords(c, it.ComplainantID, it.RequestID, n)}, {Text: day(it.Received)}, {Text: fmt.Sprint(len(it.Redactions))}})
		}
	}
	var ids []string
	for _, it := range c.Restricted {
		for _, rd := range it.Redactions {
			ids = append(ids, rd.By)
		}
	}
	who, err := s.Store.UserNames(r.Context(), ids)
	if err != nil {
		return err
	}
	p.Copies = page.Table{Caption: "Redacted copies for the case team", CaptionClasses: "govuk-table__caption--m", Head: []page.TableHead{{Text: "Copy"}, {Text: "Made by"}, {Text: "On"}, {Text: "Why"}}}
	for _, it := range c.Restricted {
		for _, rd := range it.Redactions {
			p.Copies.Rows = append(p.Copies.Rows, []page.TableCell{{Text: "Copy " + rd.ID, Href: page.CaseURL(c.Ref, "material", rd.ID)}, {Text: nameOr(who, rd.By)}, {Text: day(rd.On)}, {Text: rd.Reason}})
		}
	}
	return s.render(w, r, rq, ca, p)
}

func (s *Material) render(w http.ResponseWriter, r *http.Request, rq *page.Request, ca *access.Case, p materialPage) error {
	if err := s.Access.Consulted(r, rq.User, ca, []string{throughline.PartWork, throughline.PartTeam}, throughline.ChannelPage); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "material", p)
	return nil
}

func nameOr(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n
	}
	return "Someone no longer on the system"
}

// requestWords names a request by its material and holder: "Medical
// records held by Her GP (request R1, Amelia Hart)".
func requestWords(c *throughline.Case, complainantID, requestID string, n page.Names) string {
	cp := c.Complainant(complainantID)
	if cp == nil || cp.Request(requestID) == nil {
		return "Request " + requestID
	}
	rq := cp.Request(requestID)
	what := page.Sentence(enumWord(rq.Material))
	for _, o := range materialOptions {
		if o.value == rq.Material {
			what = o.text
		}
	}
	return fmt.Sprintf("%s held by %s (request %s, about %s)", what, rq.Holder, requestID, n.Of(complainantID))
}

// materialForm is the form of the named two (upload, justification,
// redaction) and of the supervisors (designation).
type materialForm struct {
	page.Layout
	Ref           string
	Heading       string
	Intro         string
	Action        string
	Request       *page.Select
	Role          *page.Choices
	Designee      *page.Select
	Title         *page.Input
	Holder        *page.Input
	Content       *page.Textarea
	Reason        *page.Textarea
	Justification *page.Textarea
	Verb          *page.Choices
	Submit        page.Button
	Cancel        string
}

func (s *Material) form(rq *page.Request, ref, title string, err error) (materialForm, page.FieldMessages) {
	f := materialForm{Layout: page.NewLayout(rq, title, ""), Ref: ref, Heading: title, Cancel: page.CaseURL(ref, "material")}
	f.Back = f.Cancel
	var msgs page.FieldMessages
	if err != nil {
		f.ErrorSummary, msgs = page.ErrorSummaryOf(err, page.SameField)
	}
	return f, msgs
}

// UploadForm: GET /cases/{ref}/material/new.
func (s *Material) UploadForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	return s.upload(w, r, rq, url.Values{}, nil)
}

func (s *Material) upload(w http.ResponseWriter, r *http.Request, rq *page.Request, v url.Values, err error) error {
	ca, a, lerr := s.load(r, rq)
	if lerr != nil {
		return lerr
	}
	if !restricted.May(a) {
		return access.NotFound(ca.Ref)
	}
	c := ca.Full
	f, msgs := s.form(rq, c.Ref, "Store material received", err)
	f.Intro = "What you store here is encrypted, and only the disclosure officer and the reviewing prosecutor can open it. Each time one of you opens it you will be asked why, and your answer is written to the case's access log."
	f.Action = page.CaseURL(c.Ref, "material")
	n := page.NamesOf(c)
	f.Request = &page.Select{Name: "request_id", Label: &page.Label{Text: "Which request does it answer?", Classes: "govuk-label--s"}, ErrorMessage: msgs.Of("request_id"), Items: []page.Choice{{Value: "", Text: "Choose a request"}}}
	for _, cp := range c.Complainants {
		for _, rqst := range cp.Requests {
			if fl := cp.Flow(rqst.RequestID); fl != nil && !fl.Sent.IsZero() && fl.Withdrawn.IsZero() {
				f.Request.Items = append(f.Request.Items, page.Choice{Value: rqst.RequestID, Text: requestWords(c, cp.ID, rqst.RequestID, n), Selected: v.Get("request_id") == rqst.RequestID})
			}
		}
	}
	if len(f.Request.Items) == 1 {
		f.Request.Hint = &page.Hint{Text: "No request has been sent yet: material is stored only in answer to a request made"}
	}
	f.Title = &page.Input{Name: "title", Value: v.Get("title"), Label: &page.Label{Text: "Title", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "For example, GP record of the visit on 21 November"}, ErrorMessage: msgs.Of("title")}
	f.Holder = &page.Input{Name: "holder", Value: v.Get("holder"), Label: &page.Label{Text: "Who sent it (optional)", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "The person or service that sent it, if not the holder named on the request"}, ErrorMessage: msgs.Of("holder")}
	f.Content = &page.Textarea{Name: "content", Value: v.Get("content"), Rows: 12, Label: &page.Label{Text: "The material", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "Paste its text. Files other than text can be stored through the API"}, ErrorMessage: msgs.Of("content")}
	f.Submit = page.Button{Text: "Store it encrypted"}
	// The requests are named by their holders: a read of the case's work.
	if err := s.Access.Consulted(r, rq.User, ca, []string{throughline.PartWork}, throughline.ChannelPage); err != nil {
		return err
	}
	status := http.StatusOK
	if err != nil {
		status = http.StatusUnprocessableEntity
	}
	s.Render(w, r, status, "material-form", f)
	return nil
}

// Upload: POST /cases/{ref}/material.
func (s *Material) Upload(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	_, a, err := s.load(r, rq)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := r.PostForm
	id, err := s.Service.Receive(r.Context(), a, restricted.Upload{RequestID: v.Get("request_id"), Title: v.Get("title"), Holder: v.Get("holder"), Content: []byte(strings.ReplaceAll(v.Get("content"), "\r\n", "\n"))})
	if throughline.ErrorCode(err) == throughline.EINVALID {
		return s.upload(w, r, rq, v, err)
	}
	if err != nil {
		return err
	}
	_ = id
	http.Redirect(w, r, page.CaseURL(a.Case.Ref, "material")+"?done=upload", http.StatusSeeOther)
	return nil
}

// ItemPage: GET /cases/{ref}/material/{id}: for an original, the named
// two's justification form; for a redacted copy, the copy, for the team.
func (s *Material) ItemPage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	return s.item(w, r, rq, url.Values{}, nil)
}

func (s *Material) item(w http.ResponseWriter, r *http.Request, rq *page.Request, v url.Values, err error) error {
	ca, a, lerr := s.load(r, rq)
	if lerr != nil {
		return lerr
	}
	id := r.PathValue("id")
	if _, rd := a.Case.RedactionOf(id); rd != nil {
		it, rd, err := s.Service.OpenRedacted(r.Context(), a, id)
		if err != nil {
			return err
		}
		return s.show(w, r, rq, ca, id, it, rd)
	}
	if !restricted.May(a) || a.Case.RestrictedItem(id) == nil {
		return access.NotFound(ca.Ref)
	}
	f, msgs := s.form(rq, ca.Ref, "Open item "+id, err)
	f.Intro = "Only you and the other named member of the case's disclosure team can open this. Say why you need it now: your answer and the time are written to the case's access log, which supervisors review."
	f.Action = page.CaseURL(ca.Ref, "material", id)
	f.Justification = &page.Textarea{Name: "justification", Value: v.Get("justification"), Rows: 3, Label: &page.Label{Text: "Why do you need to see it now?", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "For example, scheduling it on the MG6D, or reviewing it for the defence statement"}, ErrorMessage: msgs.Of("justification")}
	f.Verb = &page.Choices{Name: "verb", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "How?", Classes: "govuk-fieldset__legend--s"}}, Classes: "govuk-radios--small",
		Items: []page.Choice{{Value: restricted.View, Text: "Show it on screen", Checked: v.Get("verb") != restricted.Download}, {Value: restricted.Download, Text: "Download it", Checked: v.Get("verb") == restricted.Download}}}
	f.Submit = page.Button{Text: "Open it"}
	status := http.StatusOK
	if err != nil {
		status = http.StatusUnprocessableEntity
	}
	s.Render(w, r, status, "material-form", f)
	return nil
}

// Open: POST /cases/{ref}/material/{id}, with the justification.
func (s *Material) Open(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, a, err := s.load(r, rq)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	id, verb := r.PathValue("id"), r.PostForm.Get("verb")
	if verb != restricted.Download {
		verb = restricted.View
	}
	it, err := s.Service.Open(r.Context(), a, id, verb, r.PostForm.Get("justification"))
	if throughline.ErrorCode(err) == throughline.EINVALID {
		return s.item(w, r, rq, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	if verb == restricted.Download {
		download(w, id, it)
		return nil
	}
	return s.show(w, r, rq, ca, id, it, nil)
}

// download writes an item as an attachment.
func download(w http.ResponseWriter, id string, it restricted.Item) {
	ext := ".bin"
	if it.Text() {
		ext = ".txt"
	}
	w.Header().Set("Content-Type", it.MediaType)
	w.Header().Set("Content-Disposition", `attachment; filename="material-`+id+ext+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(it.Content)
}

// materialView shows an item: the named two's original, with the form to
// make a redacted copy, or a redacted copy.
type materialView struct {
	page.Layout
	Ref     string
	ID      string
	Item    page.SummaryList
	Text    string
	Binary  bool
	Copy    bool
	Reason  string
	Redact  *materialForm
	Warning string
}

func (s *Material) show(w http.ResponseWriter, r *http.Request, rq *page.Request, ca *access.Case, id string, it restricted.Item, rd *throughline.Redaction) error {
	p := materialView{Layout: page.NewLayout(rq, "Item "+id, ""), Ref: ca.Ref, ID: id, Text: string(it.Content), Binary: !it.Text(), Copy: rd != nil}
	p.Back = page.CaseURL(ca.Ref, "material")
	row := func(k, v string) {
		p.Item.Rows = append(p.Item.Rows, page.SummaryRow{Key: page.SummaryText{Text: k}, Value: page.SummaryText{Text: v}})
	}
	row("Title", it.Title)
	if it.Holder != "" {
		row("Sent by", it.Holder)
	}
	if rd != nil {
		row("Why it was redacted", rd.Reason)
		p.Layout.Title = "Redacted copy " + id
	} else {
		p.Warning = "This is restricted material. Do not copy it into the case record, messages or notes. Share only a redacted copy."
		f, _ := s.form(rq, ca.Ref, "Make a redacted copy for the case team", nil)
		f.Action = page.CaseURL(ca.Ref, "material", id, "redactions")
		f.Intro = "Edit the text below: take out what must not be shared, and mark where with [redacted]. The copy is shown to the case team with who made it and why."
		f.Title = &page.Input{Name: "title", Value: it.Title + " (redacted)", Label: &page.Label{Text: "Title of the copy", Classes: "govuk-label--s"}}
		if !p.Binary {
			f.Content = &page.Textarea{Name: "content", Value: p.Text, Rows: 12, Label: &page.Label{Text: "The redacted text", Classes: "govuk-label--s"}}
		}
		f.Reason = &page.Textarea{Name: "reason", Rows: 3, Label: &page.Label{Text: "What did you take out, and why may the rest be shared?", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "Do not repeat what you took out"}}
		f.Submit = page.Button{Text: "Save the redacted copy"}
		p.Redact = &f
	}
	s.Render(w, r, http.StatusOK, "material-view", p)
	return nil
}

// Redact: POST /cases/{ref}/material/{id}/redactions.
func (s *Material) Redact(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, a, err := s.load(r, rq)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	v, id := r.PostForm, r.PathValue("id")
	if !restricted.May(a) {
		return access.NotFound(ca.Ref)
	}
	_, err = s.Service.Redact(r.Context(), a, id, restricted.Item{Title: v.Get("title"), Content: []byte(strings.ReplaceAll(v.Get("content"), "\r\n", "\n"))}, v.Get("reason"))
	if throughline.ErrorCode(err) == throughline.EINVALID {
		// Shown again without the material: re-opening it is another
		// access, with its own justification.
		f, msgs := s.form(rq, ca.Ref, "Make a redacted copy for the case team", err)
		f.Action = page.CaseURL(ca.Ref, "material", id, "redactions")
		f.Title = &page.Input{Name: "title", Value: v.Get("title"), Label: &page.Label{Text: "Title of the copy", Classes: "govuk-label--s"}, ErrorMessage: msgs.Of("title")}
		f.Content = &page.Textarea{Name: "content", Value: v.Get("content"), Rows: 12, Label: &page.Label{Text: "The redacted text", Classes: "govuk-label--s"}, ErrorMessage: msgs.Of("content")}
		f.Reason = &page.Textarea{Name: "reason", Value: v.Get("reason"), Rows: 3, Label: &page.Label{Text: "What did you take out, and why may the rest be shared?", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "Do not repeat what you took out"}, ErrorMessage: msgs.Of("reason")}
		f.Submit = page.Button{Text: "Save the redacted copy"}
		s.Render(w, r, http.StatusUnprocessableEntity, "material-form", f)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, page.CaseURL(ca.Ref, "material")+"?done=redact", http.StatusSeeOther)
	return nil
}

// DesignateForm: GET /cases/{ref}/material/designations.
func (s *Material) DesignateForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	return s.designate(w, r, rq, url.Values{}, nil)
}

func (s *Material) designate(w http.ResponseWriter, r *http.Request, rq *page.Request, v url.Values, err error) error {
	ca, err2 := s.Access.Load(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionManageCaseTeam)
	if err2 != nil {
		return err2
	}
	var roles []string
	for _, role := range throughline.DisclosureRoles {
		if throughline.MayDesignate(rq.User, role, ca.Scope, ca.Relation) {
			roles = append(roles, role)
		}
	}
	if len(roles) == 0 {
		return access.NotFound(ca.Ref)
	}
	f, msgs := s.form(rq, ca.Ref, "Name who may see restricted material", err)
	f.Intro = "Only the case's disclosure officer and reviewing prosecutor can open material a holder sent in answer to an information request. Naming someone replaces whoever held the role."
	f.Action = page.CaseURL(ca.Ref, "material", "designations")
	f.Role = &page.Choices{Name: "role", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "Which role?", Classes: "govuk-fieldset__legend--s"}}, ErrorMessage: msgs.Of("role")}
	for _, role := range roles {
		f.Role.Items = append(f.Role.Items, page.Choice{Value: role, Text: page.Sentence(throughline.TeamRoleWord(role)), Checked: v.Get("role") == role || len(roles) == 1})
	}
	members, err := s.Store.CaseMembers(r.Context(), ca.Ref)
	if err != nil {
		return err
	}
	f.Designee = &page.Select{Name: "user_id", Label: &page.Label{Text: "Who?", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "Someone on the case team, or yourself"}, ErrorMessage: msgs.Of("user_id"), Items: []page.Choice{{Value: "", Text: "Choose a person"}}}
	seen := map[string]bool{}
	add := func(id, name, role string) {
		if seen[id] {
			return
		}
		seen[id] = true
		f.Designee.Items = append(f.Designee.Items, page.Choice{Value: id, Text: name + ", " + throughline.RoleName(role), Selected: v.Get("user_id") == id})
	}
	add(rq.User.ID, rq.User.Name, rq.User.Role)
	for _, m := range members {
		if m.Kind == "user" && slices.ContainsFunc(roles, func(role string) bool { return throughline.MayHold(role, m.Role) }) {
			add(m.ID, m.Name, m.Role)
		}
	}
	f.Reason = &page.Textarea{Name: "reason", Value: v.Get("reason"), Rows: 2, Label: &page.Label{Text: "Why them?", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "For example, trained disclosure officer for the unit"}, ErrorMessage: msgs.Of("reason")}
	f.Submit = page.Button{Text: "Save"}
	status := http.StatusOK
	if err != nil {
		status = http.StatusUnprocessableEntity
	}
	s.Render(w, r, status, "material-form", f)
	return nil
}

// Designate: POST /cases/{ref}/material/designations.
func (s *Material) Designate(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.Access.Load(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionManageCaseTeam)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := r.PostForm
	err = s.Service.Designate(r.Context(), restricted.Access{User: rq.User, Case: ca.Full, Relation: ca.Relation, Channel: throughline.ChannelPage}, v.Get("role"), v.Get("user_id"), v.Get("reason"), s.Store)
	switch code := throughline.ErrorCode(err); {
	case code == throughline.EINVALID:
		return s.designate(w, r, rq, v, err)
	case err != nil:
		return err
	}
	http.Redirect(w, r, page.CaseURL(ca.Ref, "material")+"?done=designate", http.StatusSeeOther)
	return nil
}

// describeRestricted puts the events of restricted material on the
// timeline: ids and who, never what the material is.
func describeRestricted(e throughline.Event, n page.Names) (title, text string, ok bool) {
	switch d := e.Data.(type) {
	case *throughline.DisclosureDesignated:
		return page.Sentence(throughline.TeamRoleWord(d.Role)) + " named", d.Name + " is the case's " + throughline.TeamRoleWord(d.Role) + " for restricted material.", true
	case *throughline.RestrictedMaterialReceived:
		return "Restricted material stored", "Item " + d.MaterialID + ", received in answer to request " + d.RequestID + ", is stored encrypted. Only the disclosure officer and the reviewing prosecutor can open it.", true
	case *throughline.RestrictedMaterialRedacted:
		return "Redacted copy made", "Copy " + d.RedactionID + " of item " + d.MaterialID + " was made for the case team.", true
	}
	return "", "", false
}
