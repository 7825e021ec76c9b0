package admin

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"throughline"
	"throughline/refdata"
	"throughline/web/page"
)

// Courts' addresses in the directory (ADR 0234): where a victim is told to
// go when she is told of a hearing. One entry per court as hearings record
// it: a court of the reference data, chosen from the list.

type courtPage struct {
	page.Layout
	Action, Remove string
	Court          page.Select
	Address        page.Textarea
	Checked        page.Choices
	LastChecked    string
	Submit         page.Button
}

// courtName is a court as staff read it: its name in the reference data.
func courtName(court string) string {
	if name, ok := refdata.CourtName(court); ok {
		return name
	}
	return court
}

func (s *Directory) courtView(rq *page.Request, id string, v url.Values, last string, err error) courtPage {
	title := "Add a court's address"
	if id != "new" {
		title = "Change a court's address"
	}
	p := courtPage{Layout: page.NewLayout(rq, title, "directory"), Action: "/admin/directory/courts/" + url.PathEscape(id), Submit: page.Button{Text: "Save"}}
	p.Back = "/admin/directory"
	if id != "new" {
		p.Remove = p.Action + "/remove"
	}
	if last != "" {
		p.LastChecked = checkedOn(last)
	}
	var msgs page.FieldMessages
	if err != nil {
		p.ErrorSummary, msgs = page.ErrorSummaryOf(err, page.SameField)
	}
	em := msgs.Of
	label := func(t string) *page.Label { return &page.Label{Text: t, Classes: "govuk-label--s"} }
	court := v.Get("court")
	p.Court = page.Select{Name: "court", Label: label("Court"), ErrorMessage: em("court"), Items: []page.Choice{{Value: "", Text: "Choose a court"}}}
	for _, m := range refdata.MagistratesCourts() {
		p.Court.Items = append(p.Court.Items, page.Choice{Value: m.ID, Text: m.Name, Selected: court == m.ID})
	}
	for _, cc := range refdata.CrownCourts() {
		p.Court.Items = append(p.Court.Items, page.Choice{Value: cc.ID, Text: cc.Name, Selected: court == cc.ID})
	}
	p.Address = page.Textarea{Name: "address", Value: v.Get("address"), Label: label("Address"), Hint: &page.Hint{Text: "One part a line, with the postcode. A victim is sent here: copy it from the court and tribunal finder."}, ErrorMessage: em("address"), Rows: 4}
	p.Checked = page.Choices{Name: "checked_on", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "Have you checked this address today?", Classes: "govuk-fieldset__legend--s"}}, ErrorMessage: em("checked_on"),
		Items: []page.Choice{{Value: "today", Text: "Yes, today", Checked: v.Get("checked_on") == "today"}, {Value: "keep", Text: "No: keep the date it was last checked", Checked: v.Get("checked_on") == "keep"}}}
	return p
}

// CourtForm: GET /admin/directory/courts/{id} ("new" to add one).
func (s *Directory) CourtForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	id, v, last := r.PathValue("id"), url.Values{}, ""
	if id != "new" {
		a, err := s.court(r.Context(), id)
		if err != nil {
			return err
		}
		v, last = url.Values{"court": {a.Court}, "address": {a.Address}}, a.CheckedOn
	}
	s.Render(w, r, http.StatusOK, "admin-court", s.courtView(rq, id, v, last, nil))
	return nil
}

func (s *Directory) court(ctx context.Context, id string) (throughline.CourtAddress, error) {
	as, err := s.Store.CourtAddresses(ctx)
	if err != nil {
		return throughline.CourtAddress{}, err
	}
	for _, a := range as {
		if a.ID == id {
			return a, nil
		}
	}
	return throughline.CourtAddress{}, throughline.Errorf(throughline.ENOTFOUND, "no court address %s", id)
}

// Court: POST /admin/directory/courts/{id}: add or change a court's
// address; a bad one (or a second for the same court) is shown again with
// what is wrong, and nothing changes.
func (s *Directory) Court(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	id, v := r.PathValue("id"), r.PostForm
	a := throughline.CourtAddress{Court: v.Get("court"), Address: v.Get("address")}
	last := ""
	if id != "new" {
		old, err := s.court(r.Context(), id)
		if err != nil {
			return err
		}
		a.ID, last = id, old.CheckedOn
	}
	switch v.Get("checked_on") {
	case "today":
		a.CheckedOn = s.Now().In(throughline.London).Format(time.DateOnly)
	case "keep":
		a.CheckedOn = last
	}
	if _, err := s.Store.SaveCourtAddress(r.Context(), rq.User.ID, a); err != nil {
		if c := throughline.ErrorCode(err); c != throughline.EINVALID && c != throughline.ECONFLICT {
			return err
		}
		s.Render(w, r, http.StatusUnprocessableEntity, "admin-court", s.courtView(rq, id, v, last, err))
		return nil
	}
	http.Redirect(w, r, "/admin/directory?saved=court", http.StatusSeeOther)
	return nil
}

// RemoveCourt: POST /admin/directory/courts/{id}/remove.
func (s *Directory) RemoveCourt(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if err := s.Store.RemoveCourtAddress(r.Context(), rq.User.ID, r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/directory?saved=removed", http.StatusSeeOther)
	return nil
}
