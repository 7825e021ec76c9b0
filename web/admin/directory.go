package admin

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"throughline"
	"throughline/refdata"
	"throughline/web/page"
)

// The directory administrators keep for the victim's side (ADR 0230): how
// victims reach the people on their case, and the support services of
// their area. No case data: the entries are staff's work details and
// public services.

// directoryStore is what the directory pages need from storage.
type directoryStore interface {
	throughline.Directory
	Accounts(ctx context.Context) ([]throughline.Account, error)
}

// Directory serves the directory pages.
type Directory struct {
	*page.Base
	Store directoryStore
}

// contactRoleNames say who a contact is to the victim.
var contactRoleNames = map[string]string{
	throughline.ContactWitnessCare: "Witness Care officer",
	throughline.ContactOfficer:     "Officer in the case",
	throughline.ContactISVA:        "Independent Sexual Violence Adviser (ISVA)",
}

// audienceNames say whom a service is for, as staff read it (the portal
// has its own words, in English and Welsh).
var audienceNames = map[string]string{
	throughline.ForAll:           "All survivors",
	throughline.ForWomen:         "Women",
	throughline.ForMen:           "Men",
	throughline.ForLGBT:          "LGBT+",
	throughline.ForByAndFor:      "Black and minoritised (\"by and for\")",
	throughline.ForDisabled:      "Disabled people",
	throughline.ForDeaf:          "Deaf (BSL)",
	throughline.ForYoung:         "Children and young people",
	throughline.ForWelshLanguage: "Welsh-language",
}

type directoryPage struct {
	page.Layout
	Contacts, Services, Courts       page.Table
	AddContact, AddService, AddCourt page.Button
}

// DirectoryPage: GET /admin/directory.
func (s *Directory) DirectoryPage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	cs, err := s.Store.StaffContacts(r.Context())
	if err != nil {
		return err
	}
	vs, err := s.Store.SupportServices(r.Context())
	if err != nil {
		return err
	}
	as, err := s.Store.CourtAddresses(r.Context())
	if err != nil {
		return err
	}
	p := directoryPage{Layout: page.NewLayout(rq, "Contacts and support services", "directory"),
		AddContact: page.Button{Text: "Add a contact", Href: "/admin/directory/contacts/new", Classes: "govuk-button--secondary"},
		AddService: page.Button{Text: "Add a support service", Href: "/admin/directory/services/new", Classes: "govuk-button--secondary"},
		AddCourt:   page.Button{Text: "Add a court's address", Href: "/admin/directory/courts/new", Classes: "govuk-button--secondary"}}
	if msg := r.URL.Query().Get("saved"); msg != "" {
		p.Banner = &page.NotificationBanner{Success: true, Heading: map[string]string{"contact": "Contact saved", "service": "Support service saved", "court": "Court's address saved", "removed": "Removed"}[msg]}
	}
	p.Contacts = page.Table{Caption: "Contacts", CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Name"}, {Text: "Who to the victim"}, {Text: "Team"}, {Text: "Phone"}, {Text: "Email"}, {Text: "Hours"}}}
	for _, c := range cs {
		name := c.Name
		if name == "" {
			name = "Unit line"
		}
		p.Contacts.Rows = append(p.Contacts.Rows, []page.TableCell{{Text: name, Href: "/admin/directory/contacts/" + url.PathEscape(c.ID)},
			{Text: contactRoleNames[c.Role]}, {Text: c.Team}, {Text: c.Phone}, {Text: c.Email}, {Text: c.Hours}})
	}
	p.Services = page.Table{Caption: "Support services", CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Name"}, {Text: "For"}, {Text: "Areas"}, {Text: "Last checked"}}}
	for _, v := range vs {
		var whom []string
		for _, f := range v.For {
			whom = append(whom, audienceNames[f])
		}
		p.Services.Rows = append(p.Services.Rows, []page.TableCell{{Text: v.Name, Href: "/admin/directory/services/" + url.PathEscape(v.ID)},
			{Text: strings.Join(whom, ", ")}, {Text: areaNames(v.Areas)}, {Text: checkedOn(v.CheckedOn)}})
	}
	p.Courts = page.Table{Caption: "Courts' addresses", CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Court"}, {Text: "Address"}, {Text: "Last checked"}}}
	for _, a := range as {
		p.Courts.Rows = append(p.Courts.Rows, []page.TableCell{{Text: courtName(a.Court), Href: "/admin/directory/courts/" + url.PathEscape(a.ID)},
			{Text: a.Address}, {Text: checkedOn(a.CheckedOn)}})
	}
	s.Render(w, r, http.StatusOK, "admin-directory", p)
	return nil
}

func areaNames(areas []string) string {
	var out []string
	for _, a := range areas {
		if f, ok := refdata.LookupForce(a); ok {
			out = append(out, f.Name)
		} else if a == throughline.AreaNational {
			out = append(out, "All of England and Wales")
		}
	}
	return strings.Join(out, ", ")
}

func checkedOn(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("2 January 2006")
}

type contactPage struct {
	page.Layout
	Action, Remove      string
	Role, Account       page.Select
	Agency              page.Select
	Name, Team          page.Input
	Phone, Email, Hours page.Input
	Submit              page.Button
}

func (s *Directory) contactView(ctx context.Context, rq *page.Request, id string, v url.Values, err error) (contactPage, error) {
	title := "Add a contact"
	if id != "new" {
		title = "Change a contact"
	}
	p := contactPage{Layout: page.NewLayout(rq, title, "directory"), Action: "/admin/directory/contacts/" + url.PathEscape(id), Submit: page.Button{Text: "Save"}}
	p.Back = "/admin/directory"
	if id != "new" {
		p.Remove = p.Action + "/remove"
	}
	var msgs page.FieldMessages
	if err != nil {
		p.ErrorSummary, msgs = page.ErrorSummaryOf(err, page.SameField)
	}
	em := msgs.Of
	label := func(t string) *page.Label { return &page.Label{Text: t, Classes: "govuk-label--s"} }
	p.Role = page.Select{Name: "role", Label: label("Who they are to the victim"), ErrorMessage: em("role")}
	for _, role := range throughline.ContactRoles {
		p.Role.Items = append(p.Role.Items, page.Choice{Value: role, Text: contactRoleNames[role], Selected: v.Get("role") == role})
	}
	p.Name = page.Input{Name: "name", Value: v.Get("name"), Label: label("Name, as the victim is told it"), Hint: &page.Hint{Text: "For example, Gwen Price. Leave it empty for a unit's shared line."}, ErrorMessage: em("name"), Autocomplete: "off"}
	p.Team = page.Input{Name: "team", Value: v.Get("team"), Label: label("Team"), Hint: &page.Hint{Text: "For example, West Yorkshire Witness Care Unit"}, ErrorMessage: em("team")}
	accts, aerr := s.Store.Accounts(ctx)
	if aerr != nil {
		return p, aerr
	}
	p.Agency = page.Select{Name: "agency", Label: label("Organisation"), Hint: &page.Hint{Text: "A unit's shared line is used for every case of its force with no named contact."}, ErrorMessage: em("agency"),
		Items: page.AgencyChoices(v.Get("agency"), []string{page.KindWCU, page.KindPolice, page.KindISVA}, isvaAgencies(accts))}
	p.Account = page.Select{Name: "user_id", Label: label("Their staff account (optional)"), Hint: &page.Hint{Text: "Links the entry to the person on a case team, so their victims see it."}, ErrorMessage: em("user_id"),
		Items: []page.Choice{{Value: "", Text: "None"}}}
	for _, a := range accts {
		if slices.Contains(throughline.ContactRoles, a.Role) && !a.Disabled {
			p.Account.Items = append(p.Account.Items, page.Choice{Value: a.ID, Text: a.Name, Selected: v.Get("user_id") == a.ID})
		}
	}
	p.Phone = page.Input{Name: "phone", Type: "tel", Value: v.Get("phone"), Label: label("Direct phone number"), ErrorMessage: em("phone"), Classes: "govuk-input--width-20", Autocomplete: "off"}
	p.Email = page.Input{Name: "email", Type: "email", Value: v.Get("email"), Label: label("Email address"), ErrorMessage: em("email"), Spellcheck: new(false), Autocomplete: "off"}
	p.Hours = page.Input{Name: "hours", Value: v.Get("hours"), Label: label("When victims can call"), Hint: &page.Hint{Text: "For example, Monday to Friday, 9am to 5pm"}, ErrorMessage: em("hours")}
	return p, nil
}

// ContactForm: GET /admin/directory/contacts/{id} ("new" to add one).
func (s *Directory) ContactForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	id, v := r.PathValue("id"), url.Values{}
	if id != "new" {
		c, err := s.contact(r.Context(), id)
		if err != nil {
			return err
		}
		v = url.Values{"role": {c.Role}, "name": {c.Name}, "team": {c.Team}, "agency": {c.Agency}, "user_id": {c.UserID}, "phone": {c.Phone}, "email": {c.Email}, "hours": {c.Hours}}
	}
	p, err := s.contactView(r.Context(), rq, id, v, nil)
	if err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "admin-contact", p)
	return nil
}

func (s *Directory) contact(ctx context.Context, id string) (throughline.StaffContact, error) {
	cs, err := s.Store.StaffContacts(ctx)
	if err != nil {
		return throughline.StaffContact{}, err
	}
	for _, c := range cs {
		if c.ID == id {
			return c, nil
		}
	}
	return throughline.StaffContact{}, throughline.Errorf(throughline.ENOTFOUND, "no contact %s", id)
}

// Contact: POST /admin/directory/contacts/{id}: add or change an entry; a
// bad one is shown again with what is wrong, and nothing changes.
func (s *Directory) Contact(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	id, v := r.PathValue("id"), r.PostForm
	c := throughline.StaffContact{Role: v.Get("role"), Name: v.Get("name"), Team: v.Get("team"), Agency: v.Get("agency"), UserID: v.Get("user_id"),
		Phone: v.Get("phone"), Email: v.Get("email"), Hours: v.Get("hours")}
	if id != "new" {
		c.ID = id
	}
	if _, err := s.Store.SaveStaffContact(r.Context(), rq.User.ID, c); err != nil {
		if throughline.ErrorCode(err) != throughline.EINVALID {
			return err
		}
		p, verr := s.contactView(r.Context(), rq, id, v, err)
		if verr != nil {
			return verr
		}
		s.Render(w, r, http.StatusUnprocessableEntity, "admin-contact", p)
		return nil
	}
	http.Redirect(w, r, "/admin/directory?saved=contact", http.StatusSeeOther)
	return nil
}

// RemoveContact: POST /admin/directory/contacts/{id}/remove.
func (s *Directory) RemoveContact(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if err := s.Store.RemoveStaffContact(r.Context(), rq.User.ID, r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/directory?saved=removed", http.StatusSeeOther)
	return nil
}

type servicePage struct {
	page.Layout
	Action, Remove         string
	Name, Phone, Text, Web page.Input
	Email, Hours           page.Input
	Offers                 page.Textarea
	For, Areas             page.Choices
	Checked                page.Choices
	LastChecked            string
	Submit                 page.Button
}

func (s *Directory) serviceView(rq *page.Request, id string, v url.Values, last string, err error) servicePage {
	title := "Add a support service"
	if id != "new" {
		title = "Change a support service"
	}
	p := servicePage{Layout: page.NewLayout(rq, title, "directory"), Action: "/admin/directory/services/" + url.PathEscape(id), Submit: page.Button{Text: "Save"}}
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
	legend := func(t string) *page.Fieldset {
		return &page.Fieldset{Legend: &page.Legend{Text: t, Classes: "govuk-fieldset__legend--s"}}
	}
	p.Name = page.Input{Name: "name", Value: v.Get("name"), Label: label("Name"), ErrorMessage: em("name")}
	p.Offers = page.Textarea{Name: "offers", Value: v.Get("offers"), Label: label("What it offers"), Hint: &page.Hint{Text: "A sentence or two, in plain words: a victim reads this."}, ErrorMessage: em("offers"), Rows: 3}
	p.For = page.Choices{Name: "for", Fieldset: legend("Who it is for"), Hint: &page.Hint{Text: "Choose every group it is for."}, ErrorMessage: em("for"), Classes: "govuk-checkboxes--small"}
	for _, a := range throughline.Audiences {
		p.For.Items = append(p.For.Items, page.Choice{Value: a, Text: audienceNames[a], Checked: slices.Contains(v["for"], a)})
	}
	p.Areas = page.Choices{Name: "areas", Fieldset: legend("Police force areas it covers"), Hint: &page.Hint{Text: "Victims see the services of their case's force area."}, ErrorMessage: em("areas"), Classes: "govuk-checkboxes--small"}
	p.Areas.Items = append(p.Areas.Items, page.Choice{Value: throughline.AreaNational, Text: "All of England and Wales", Checked: slices.Contains(v["areas"], throughline.AreaNational)})
	for _, f := range refdata.Forces() {
		p.Areas.Items = append(p.Areas.Items, page.Choice{Value: f.Code, Text: f.Name, Checked: slices.Contains(v["areas"], f.Code)})
	}
	p.Phone = page.Input{Name: "phone", Type: "tel", Value: v.Get("phone"), Label: label("Phone number"), ErrorMessage: em("phone"), Classes: "govuk-input--width-20"}
	p.Text = page.Input{Name: "text", Type: "tel", Value: v.Get("text"), Label: label("Number to text"), ErrorMessage: em("text"), Classes: "govuk-input--width-20"}
	p.Web = page.Input{Name: "web", Type: "url", Value: v.Get("web"), Label: label("Website"), Hint: &page.Hint{Text: "In full, starting https://"}, ErrorMessage: em("web"), Spellcheck: new(false)}
	p.Email = page.Input{Name: "email", Type: "email", Value: v.Get("email"), Label: label("Email address"), ErrorMessage: em("email"), Spellcheck: new(false)}
	p.Hours = page.Input{Name: "hours", Value: v.Get("hours"), Label: label("Opening hours"), Hint: &page.Hint{Text: "For example, Monday to Friday, 9am to 5pm"}, ErrorMessage: em("hours")}
	p.Checked = page.Choices{Name: "checked_on", Fieldset: legend("Have you checked these details with the service today?"), ErrorMessage: em("checked_on"),
		Items: []page.Choice{{Value: "today", Text: "Yes, today", Checked: v.Get("checked_on") == "today"}, {Value: "keep", Text: "No: keep the date they were last checked", Checked: v.Get("checked_on") == "keep"}}}
	return p
}

// ServiceForm: GET /admin/directory/services/{id} ("new" to add one).
func (s *Directory) ServiceForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	id, v, last := r.PathValue("id"), url.Values{}, ""
	if id != "new" {
		sv, err := s.service(r.Context(), id)
		if err != nil {
			return err
		}
		v = url.Values{"name": {sv.Name}, "offers": {sv.Offers}, "for": sv.For, "areas": sv.Areas, "phone": {sv.Phone}, "text": {sv.Text}, "web": {sv.Web}, "email": {sv.Email}, "hours": {sv.Hours}}
		last = sv.CheckedOn
	}
	s.Render(w, r, http.StatusOK, "admin-service", s.serviceView(rq, id, v, last, nil))
	return nil
}

func (s *Directory) service(ctx context.Context, id string) (throughline.SupportService, error) {
	vs, err := s.Store.SupportServices(ctx)
	if err != nil {
		return throughline.SupportService{}, err
	}
	for _, v := range vs {
		if v.ID == id {
			return v, nil
		}
	}
	return throughline.SupportService{}, throughline.Errorf(throughline.ENOTFOUND, "no support service %s", id)
}

// Service: POST /admin/directory/services/{id}: add or change a service.
// "Checked today" dates the check by the server's clock; otherwise the
// last check stands (a new service must be checked to be added).
func (s *Directory) Service(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	id, v := r.PathValue("id"), r.PostForm
	sv := throughline.SupportService{Name: v.Get("name"), Offers: v.Get("offers"), For: v["for"], Areas: v["areas"],
		Phone: v.Get("phone"), Text: v.Get("text"), Web: v.Get("web"), Email: v.Get("email"), Hours: v.Get("hours")}
	last := ""
	if id != "new" {
		old, err := s.service(r.Context(), id)
		if err != nil {
			return err
		}
		sv.ID, last = id, old.CheckedOn
	}
	switch v.Get("checked_on") {
	case "today":
		sv.CheckedOn = s.Now().In(throughline.London).Format(time.DateOnly)
	case "keep":
		sv.CheckedOn = last
	}
	if _, err := s.Store.SaveSupportService(r.Context(), rq.User.ID, sv); err != nil {
		if throughline.ErrorCode(err) != throughline.EINVALID {
			return err
		}
		s.Render(w, r, http.StatusUnprocessableEntity, "admin-service", s.serviceView(rq, id, v, last, err))
		return nil
	}
	http.Redirect(w, r, "/admin/directory?saved=service", http.StatusSeeOther)
	return nil
}

// RemoveService: POST /admin/directory/services/{id}/remove.
func (s *Directory) RemoveService(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if err := s.Store.RemoveSupportService(r.Context(), rq.User.ID, r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/directory?saved=removed", http.StatusSeeOther)
	return nil
}
