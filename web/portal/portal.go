package portal

import (
	"cmp"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/comms"
	"throughline/web/access"
	"throughline/web/page"
)

// portalStore is what the victim's pages need from storage.
type portalStore interface {
	Append(ctx context.Context, e throughline.Event, expected int64) ([]throughline.Event, *throughline.Case, error)
	Case(ctx context.Context, ref string) (*throughline.Case, error)
	FeedbackGiven(ctx context.Context, ref, complainant, stage string) (bool, error)
	GiveFeedback(ctx context.Context, f throughline.Feedback) error
	Messages(ctx context.Context, ref string) ([]throughline.MessageRecord, error)
	PortalIssueCodes(ctx context.Context, ref, addr, device string) ([]throughline.PortalCode, error)
	PortalCodeFor(ctx context.Context, ref, complainant, staffID string) (throughline.PortalCode, error)
	PortalDeviceToken(ctx context.Context, ref string) (string, error)
	PortalSession(ctx context.Context, token string) (ref, complainant string, err error)
	PortalSignOut(ctx context.Context, token string) error
	PortalVerify(ctx context.Context, ref, code, addr string) (token, complainant string, err error)
	PortalContactCode(ctx context.Context, ref, complainant, channel, address string) (string, error)
	PortalConfirmContact(ctx context.Context, ref, complainant, channel, address, code string) error
	// Her contacts' numbers and hours, and the support services.
	comms.DirectoryReader
}

// Store is what the portal needs from storage.
type Store interface {
	portalStore
	feedStore
}

// Portal serves the victim portal, and its case page to staff as the
// Victim sees it.
type Portal struct {
	Store  Store
	Access *access.Cases // the staff view only
	Logger *slog.Logger
	Now    func() time.Time
	// ClientIP is the address sign-in limits count against.
	ClientIP func(*http.Request) string
	// Send sends sign-in codes; nil sends none.
	Send Sender
	// Fail answers a request that failed (package web's one mapping from
	// errors to what the caller sees).
	Fail func(w http.ResponseWriter, r *http.Request, err error)
	// Demo, when set, is a demonstration's outbox and victim (portal_demo.go).
	Demo *Demo
}

// The victim portal at /victim: sign in with the case reference and a
// one-time code sent to the email or mobile staff recorded with the victim;
// see where the case is and what happens next, every message sent, the
// dates to come (with a calendar file), who to contact; change how to be
// contacted; ask for a call back. English and Welsh; "Exit this page" on
// every page. It has its own session cookie, scoped to /victim, and no
// staff access: a victim sees their own case only.

//go:embed portal_templates/*.tmpl
var portalFS embed.FS

var portalTmpl = template.Must(template.New("portal").Funcs(template.FuncMap{"tel": tel}).ParseFS(portalFS, "portal_templates/*.tmpl"))

// tel is a phone number as a tel: link wants it: digits and a leading +.
func tel(number string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, number)
}

const portalCookie = "tl_victim"

// deviceCookie holds the device token of the browser that last signed in
// here (identity.PortalDeviceToken): its code requests have a limit of
// their own, which someone who knows her reference cannot use up. It
// outlives sign-out (it is her phone's), and "Exit this page" removes it,
// leaving nothing of the portal behind.
const (
	deviceCookie = "tl_victim_device"
	deviceMaxAge = 90 * 24 * 60 * 60
)

// Sender sends a sign-in code: channel is "email" or "sms".
type Sender func(ctx context.Context, channel, to, subject, body string) error

// portalView is the view model of every portal page.
type portalView struct {
	Lang, Other, OtherName string
	// LangHref is the language switch: this page in the other language (for
	// the answer to a form, the page the form belongs to).
	LangHref          string
	T                 map[string]string
	Title             string
	Error, ErrorField string
	Flash             string
	Ref               string
	Case              *portalCaseView
	Prefs             *portalPrefsView
	// Preview: a member of staff sees the case page as the victim does
	// (victimView); the victim's forms are left out and Back leads to the
	// staff record.
	Preview bool
	Back    string
	// Ratings are the survey's answers, 1 to 5.
	Ratings []string
	// Demo is the demo outbox page's; DemoOutbox says a demonstration's
	// outbox is there to be pointed to.
	Demo       *demoView
	DemoOutbox bool
	Support    *supportView
	Rights     []comms.Right
	// Nav is the service navigation of a signed-in victim's pages.
	Nav       []portalNav
	Statement *statementView
	Review    *reviewView
	// Reviewable: the rights page points to a review she may ask for.
	Reviewable bool
	// LargePrint and EasyRead are the formats she asked for: large print
	// sets every page larger; easy read gives the easy-read versions of
	// what happens next and her rights.
	LargePrint, EasyRead bool
}

// portalNav is an item of the service navigation: Active for the page's
// section, Current when it is the page itself.
type portalNav struct {
	Text, Href      string
	Active, Current bool
}

// navSection is the navigation item of pages reached from another's.
var navSection = map[string]string{"confirm": "prefs", "statement": "case", "review": "case"}

// navPages are the pages of the service navigation, by template.
var navPages = []struct{ content, href, text string }{
	{"case", "/victim/case", "nav_case"}, {"support", "/victim/support", "nav_support"}, {"rights", "/victim/rights", "nav_rights"}, {"prefs", "/victim/preferences", "nav_prefs"},
}

type portalCaseView struct {
	// Survey: the feedback survey to ask ("charge", "verdict",
	// "sentence"), or "" when the case is at no key stage or the victim has
	// answered.
	Survey  string
	Rating  string
	Comment string
	Ref     string
	Stage   string
	Dates   []comms.HearingFacts
	Feed    string // the address of the calendar feed of these dates
	// Contacts are the people she can reach, Witness Care first.
	Contacts []comms.Contact
	// Services is how many support services there are in her area.
	Services int
	// Next is what happens next, one paragraph a line.
	Next []string
	// Easy says Next is in easy read.
	Easy bool
	// Statement says whether she has written a Victim Personal Statement,
	// StatementOpen whether she still can (until the sentence); Review
	// whether there is a decision she may ask to have reviewed.
	Statement, StatementOpen, Review bool
	Messages                         []portalMessage
}

type portalMessage struct {
	Subject string
	Date    string
	Lines   []string
}

type portalOption struct{ Value, Label string }

type portalPrefsView struct {
	Options                  []portalOption
	First, Second            string
	Email, Mobile, SafeTimes string
	Language                 string
	Every                    int
	Cadences                 []int
	// LargePrint and EasyRead are the formats she can choose here.
	LargePrint, EasyRead bool
}

// portalPages are the pages a form's answer may show, by template.
var portalPages = map[string]string{"signin": "/victim", "code": "/victim/code", "case": "/victim/case", "prefs": "/victim/preferences", "confirm": "/victim/preferences", "support": "/victim/support", "rights": "/victim/rights", "statement": "/victim/statement", "review": "/victim/review"}

// portalLang is the page's language: ?lang=, else the cookie, else fallback.
func portalLang(w http.ResponseWriter, r *http.Request, fallback string) string {
	lang := r.URL.Query().Get("lang")
	if lang == "" {
		lang = r.PostFormValue("lang")
	}
	if lang == "en" || lang == "cy" {
		http.SetCookie(w, &http.Cookie{Name: "tl_lang", Value: lang, Path: "/victim", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: page.Secure(r), MaxAge: 365 * 86400})
		return lang
	}
	if c, err := r.Cookie("tl_lang"); err == nil && (c.Value == "en" || c.Value == "cy") {
		return c.Value
	}
	if fallback == "cy" {
		return "cy"
	}
	return "en"
}

func (s *Portal) portalRender(w http.ResponseWriter, r *http.Request, status int, lang, content string, v portalView) {
	v.Lang, v.T = lang, portalText[lang]
	if p, ok := r.Context().Value(formatsKey{}).(*throughline.ContactPreferencesSet); ok && !v.Preview {
		v.LargePrint, v.EasyRead = p.Wants("large_print"), p.Wants("easy_read")
	}
	v.Ratings = []string{"1", "2", "3", "4", "5"}
	v.DemoOutbox = s.Demo != nil
	if _, signedIn := map[string]bool{"case": true, "support": true, "rights": true, "prefs": true, "confirm": true, "statement": true, "review": true}[content]; signedIn && !v.Preview {
		for _, n := range navPages {
			section := cmp.Or(navSection[content], content)
			v.Nav = append(v.Nav, portalNav{Text: v.T[n.text], Href: n.href, Active: n.content == section, Current: n.content == content})
		}
	}
	v.Other, v.OtherName = "cy", "Cymraeg"
	if lang == "cy" {
		v.Other, v.OtherName = "en", "English"
	}
	href, q := r.URL.EscapedPath(), url.Values{}
	if r.Method != http.MethodGet {
		href = portalPages[content]
	}
	if content == "code" && v.Ref != "" {
		q.Set("ref", v.Ref)
	}
	if c := r.URL.Query().Get("complainant"); c != "" {
		q.Set("complainant", c)
	}
	q.Set("lang", v.Other)
	v.LangHref = href + "?" + q.Encode()
	if v.Title == "" {
		v.Title = v.T[content+"_title"]
	}
	t, err := portalTmpl.Clone()
	if err == nil {
		_, err = t.New("content").Parse(`{{template "` + content + `" .}}`)
	}
	var buf strings.Builder
	if err == nil {
		err = t.ExecuteTemplate(&buf, "layout", v)
	}
	if err != nil {
		s.Fail(w, r, fmt.Errorf("portal render: %w", err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(buf.String()))
}

func (s *Portal) SignInForm(w http.ResponseWriter, r *http.Request) {
	s.portalRender(w, r, http.StatusOK, portalLang(w, r, ""), "signin", portalView{})
}

// SignIn sends codes and answers the same whether or not the
// reference exists; the codes go in the background so that the time taken
// does not tell either.
func (s *Portal) SignIn(w http.ResponseWriter, r *http.Request) {
	lang := portalLang(w, r, "")
	ref := strings.TrimSpace(r.PostFormValue("ref"))
	if !throughline.ValidReference(ref) {
		s.portalRender(w, r, http.StatusUnprocessableEntity, lang, "signin", portalView{Ref: ref, Error: portalText[lang]["ref_invalid"], ErrorField: "ref"})
		return
	}
	device := ""
	if ck, err := r.Cookie(deviceCookie); err == nil {
		device = ck.Value
	}
	codes, err := s.Store.PortalIssueCodes(r.Context(), ref, s.ClientIP(r), device)
	if errors.Is(err, throughline.ErrPortalLimited) {
		s.portalRender(w, r, http.StatusTooManyRequests, lang, "signin", portalView{Ref: ref, Error: portalText[lang]["limited"], ErrorField: "ref"})
		return
	}
	if err != nil {
		s.Fail(w, r, fmt.Errorf("portal: issue codes: %w", err))
		return
	}
	for _, c := range codes {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := s.sendCode(ctx, c); err != nil {
				s.Logger.Error("portal: sign-in code not sent", "case", ref, "channel", c.Channel, "err", err)
			}
		}()
	}
	http.Redirect(w, r, "/victim/code?ref="+url.QueryEscape(ref), http.StatusSeeOther)
}

// sendCode sends a sign-in code in her language to her address for codes.
func (s *Portal) sendCode(ctx context.Context, c throughline.PortalCode) error {
	if s.Send == nil {
		return errors.New("no channel is configured to send sign-in codes")
	}
	t := portalText[c.Lang]
	return s.Send(ctx, c.Channel, c.To, t["code_subject"], fmt.Sprintf(t["code_message"], c.Code))
}

// SendCodeFor sends complainant of case ref a sign-in code at a member of
// staff's request (identity's PortalCodeFor says why and within what
// limits), and says where it went, as the case shows her contact details.
func (s *Portal) SendCodeFor(ctx context.Context, ref, complainant, staffID string) (channel string, err error) {
	c, err := s.Store.PortalCodeFor(ctx, ref, complainant, staffID)
	if err != nil {
		return "", err
	}
	if err := s.sendCode(ctx, c); err != nil {
		return "", fmt.Errorf("the sign-in code could not be sent (%s): %w", c.Channel, err)
	}
	return c.Channel, nil
}

func (s *Portal) CodeForm(w http.ResponseWriter, r *http.Request) {
	s.portalRender(w, r, http.StatusOK, portalLang(w, r, ""), "code", portalView{Ref: r.URL.Query().Get("ref")})
}

func (s *Portal) Code(w http.ResponseWriter, r *http.Request) {
	lang := portalLang(w, r, "")
	ref, code := strings.TrimSpace(r.PostFormValue("ref")), strings.TrimSpace(r.PostFormValue("code"))
	token, _, err := s.Store.PortalVerify(r.Context(), ref, code, s.ClientIP(r))
	switch {
	case errors.Is(err, throughline.ErrPortalLimited):
		s.portalRender(w, r, http.StatusTooManyRequests, lang, "code", portalView{Ref: ref, Error: portalText[lang]["limited"], ErrorField: "code"})
		return
	case throughline.ErrorCode(err) == throughline.EUNAUTHORIZED:
		s.portalRender(w, r, http.StatusUnprocessableEntity, lang, "code", portalView{Ref: ref, Error: portalText[lang]["code_wrong"], ErrorField: "code"})
		return
	case err != nil:
		s.Fail(w, r, fmt.Errorf("portal: verify: %w", err))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: portalCookie, Value: token, Path: "/victim", HttpOnly: true, Secure: page.Secure(r), SameSite: http.SameSiteStrictMode})
	if device, err := s.Store.PortalDeviceToken(r.Context(), ref); err != nil {
		s.Logger.Error("portal: no device token", "err", err) // she is signed in all the same
	} else {
		http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: device, Path: "/victim", MaxAge: deviceMaxAge, HttpOnly: true, Secure: page.Secure(r), SameSite: http.SameSiteStrictMode})
	}
	http.Redirect(w, r, "/victim/case", http.StatusSeeOther)
}

func (s *Portal) SignOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(portalCookie); err == nil {
		s.Store.PortalSignOut(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: portalCookie, Value: "", Path: "/victim", MaxAge: -1, HttpOnly: true})
	http.Redirect(w, r, "/victim", http.StatusSeeOther)
}

// ExitTo is where "Exit this page" lands: a neutral site, as GOV.UK's
// pattern does.
const ExitTo = "https://www.bbc.co.uk/weather"

// Exit ends the portal session on the server, tells the browser to drop
// the cookie and what it has cached of the portal, and sends it to a
// neutral site: Back or reload then shows the sign-in page, never the case.
// It is a GET, so that the exit link works without a form or script; the
// cookie is SameSite=Strict, so another site cannot end a session by it.
func (s *Portal) Exit(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(portalCookie); err == nil && c.Value != "" {
		if err := s.Store.PortalSignOut(r.Context(), c.Value); err != nil {
			s.Logger.Error("portal: exit: session not ended", "err", err)
		}
	}
	for _, name := range []string{portalCookie, deviceCookie} {
		http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/victim", MaxAge: -1, HttpOnly: true, Secure: page.Secure(r), SameSite: http.SameSiteStrictMode})
	}
	w.Header().Set("Clear-Site-Data", `"cache"`)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, ExitTo, http.StatusSeeOther)
}

// victimHandler is a portal handler for a signed-in victim.
type victimHandler func(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string)

func (s *Portal) Victim(h victimHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ck, err := r.Cookie(portalCookie)
		if err != nil {
			http.Redirect(w, r, "/victim", http.StatusSeeOther)
			return
		}
		ref, complainant, err := s.Store.PortalSession(r.Context(), ck.Value)
		if err != nil {
			http.Redirect(w, r, "/victim", http.StatusSeeOther)
			return
		}
		c, err := s.Store.Case(r.Context(), ref)
		if err != nil {
			http.Redirect(w, r, "/victim", http.StatusSeeOther)
			return
		}
		cp := c.Complainant(complainant)
		if cp == nil {
			http.Redirect(w, r, "/victim", http.StatusSeeOther)
			return
		}
		lang := portalLang(w, r, cp.Language) // parses the form, which the copy below then shares
		h(w, withFormats(r, cp), c, cp, lang)
	}
}

// formatsKey carries a signed-in victim's preferences to portalRender.
type formatsKey struct{}

// withFormats is r carrying cp's formats, which set how every page she
// sees is set (portalRender).
func withFormats(r *http.Request, cp *throughline.Complainant) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), formatsKey{}, cp.Preferences))
}

func (s *Portal) CasePage(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	flash := ""
	switch r.URL.Query().Get("sent") {
	case "callback":
		if !cp.CallbackRequested.IsZero() {
			flash = callbackFlash(lang, cp)
		}
	case "statement":
		if !cp.StatementOn.IsZero() {
			flash = portalText[lang]["statement_saved"]
		}
	case "review":
		if len(cp.ReviewsOpen) > 0 {
			flash = portalText[lang]["review_sent"]
		}
	}
	s.portalCasePage(w, r, c, cp, lang, flash)
}

func (s *Portal) portalCasePage(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang, flash string) {
	v, err := s.portalCaseModel(r.Context(), c, cp, lang)
	if err != nil {
		s.Fail(w, r, fmt.Errorf("portal: messages: %w", err))
		return
	}
	s.portalRender(w, r, http.StatusOK, lang, "case", portalView{Case: v, Flash: flash})
}

// portalCaseModel is the view model of the portal's case page: the victim's
// own, and the staff's view of it (victimView).
func (s *Portal) portalCaseModel(ctx context.Context, c *throughline.Case, cp *throughline.Complainant, lang string) (*portalCaseView, error) {
	ms, err := s.Store.Messages(ctx, c.Ref)
	if err != nil {
		return nil, err
	}
	dir, err := comms.LoadDirectory(ctx, s.Store, c.Ref)
	if err != nil {
		return nil, err
	}
	next := comms.WhatNext(lang, c, cp, s.Now())
	v := &portalCaseView{Ref: c.Ref, Stage: comms.StageWords(lang, c), Dates: dir.WithAddresses(comms.Upcoming(lang, c, s.Now())),
		Contacts: comms.Contacts(c, cp, lang, dir), Services: len(comms.ServicesFor(c, dir)), Next: next.Lines, Easy: next.Easy,
		Statement: cp.Statement != "", StatementOpen: throughline.StatementOpen(c)}
	_, v.Review = throughline.ReviewFor(c, cp)
	if v.Feed, err = s.feedURL(ctx, c.Ref, cp.ID); err != nil {
		return nil, err
	}
	if st := throughline.FeedbackStage(c.Stage()); st != "" {
		given, err := s.Store.FeedbackGiven(ctx, c.Ref, cp.ID, st)
		if err != nil {
			return nil, err
		}
		if !given {
			v.Survey = st
		}
	}
	for i := len(ms) - 1; i >= 0; i-- { // newest first
		m := ms[i]
		if m.Complainant != cp.ID || (m.Status != throughline.MessageDelivered && m.Status != throughline.MessageSent) || m.Body == "" {
			continue
		}
		when, _ := time.Parse(time.RFC3339Nano, m.Delivered)
		if when.IsZero() {
			when, _ = time.Parse(time.RFC3339Nano, m.Sent)
		}
		date := ""
		if !when.IsZero() {
			date = comms.FormatDate(lang, when)
		}
		body := m.Body
		for _, l := range comms.LockScreen { // the lock-screen line is the heading already
			body = strings.TrimPrefix(body, l+".")
		}
		v.Messages = append(v.Messages, portalMessage{Subject: m.Subject, Date: date, Lines: nonEmpty(strings.Split(body, "\n"))})
	}
	return v, nil
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (s *Portal) prefsView(lang string, p *throughline.ContactPreferencesSet) *portalPrefsView {
	t := portalText[lang]
	v := &portalPrefsView{Options: []portalOption{{"email", t["by_email"]}, {"sms", t["by_sms"]}, {"letter", t["by_letter"]}, {"phone", t["by_phone"]}},
		Language: lang, Every: 28, Cadences: []int{7, 14, 28}}
	if p != nil {
		if len(p.Channels) > 0 {
			v.First = p.Channels[0]
		}
		if len(p.Channels) > 1 {
			v.Second = p.Channels[1]
		}
		v.Email, v.Mobile, v.SafeTimes = p.Email, p.Mobile, p.SafeTimes
		v.LargePrint, v.EasyRead = p.Wants("large_print"), p.Wants("easy_read")
		if p.Language != "" {
			v.Language = p.Language
		}
		if p.RoutineEveryDays > 0 {
			v.Every = p.RoutineEveryDays
		}
	}
	return v
}

func (s *Portal) PrefsForm(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	s.portalRender(w, r, http.StatusOK, lang, "prefs", portalView{Prefs: s.prefsView(lang, cp.Preferences)})
}

// prefsFromForm is the preferences the form asks for, keeping what it does
// not show (address, never write home, nominated contact, other formats).
func prefsFromForm(r *http.Request, cp *throughline.Complainant) throughline.ContactPreferencesSet {
	d := throughline.ContactPreferencesSet{}
	if cp.Preferences != nil {
		d = *cp.Preferences
	}
	d.ComplainantID = cp.ID
	d.Channels = nil
	for _, ch := range []string{r.PostFormValue("first"), r.PostFormValue("second")} {
		if ch != "" && (len(d.Channels) == 0 || d.Channels[0] != ch) {
			d.Channels = append(d.Channels, ch)
		}
	}
	d.Email, d.Mobile, d.SafeTimes = strings.TrimSpace(r.PostFormValue("email")), strings.TrimSpace(r.PostFormValue("mobile")), strings.TrimSpace(r.PostFormValue("safe_times"))
	// Her safe times as days and hours were taken from her words by
	// staff: new words make them stale, so they go, and calls are not
	// checked against a schedule she no longer gave.
	if cp.Preferences != nil && d.SafeTimes != cp.Preferences.SafeTimes {
		d.SafeWindows = nil
	}
	if l := r.PostFormValue("language"); l == "en" || l == "cy" {
		d.Language = l
	}
	if n, err := strconv.Atoi(r.PostFormValue("every")); err == nil {
		d.RoutineEveryDays = n
	}
	// The formats the form offers are as she ticks them; others staff
	// recorded with her (braille, audio) stay.
	offered := []string{"large_print", "easy_read"}
	d.Formats = slices.DeleteFunc(slices.Clone(d.Formats), func(f string) bool { return slices.Contains(offered, f) })
	for _, f := range offered {
		if slices.Contains(r.PostForm["formats"], f) {
			d.Formats = append(d.Formats, f)
		}
	}
	return d
}

// proofFor is the address a code must go to, and be entered from, before d
// replaces cp's preferences ("" if d changes nothing of where her codes and
// updates go). Every change of that is a change of how she signs in:
//   - a new or changed email address or mobile number is proved by a code
//     sent to it;
//   - removing one, or moving her codes to another address already held, is
//     proved by a code sent where her codes go now (if nowhere, to the
//     address removed, or where they will go): someone who kept her session
//     cannot do it without her phone or inbox again.
//
// two reports a change needing two proofs: two new addresses, or a new one
// and a removal; she makes one, then the other.
func proofFor(cp *throughline.Complainant, d throughline.ContactPreferencesSet) (channel, address string, two bool) {
	var old throughline.ContactPreferencesSet
	if cp.Preferences != nil {
		old = *cp.Preferences
	}
	emailNew := d.Email != "" && !strings.EqualFold(d.Email, old.Email)
	mobileNew := d.Mobile != "" && d.Mobile != old.Mobile
	removed := old.Email != "" && d.Email == "" || old.Mobile != "" && d.Mobile == ""
	oldCh, oldTo := old.CodeAddress()
	newCh, newTo := d.CodeAddress()
	moved := oldCh != newCh || !strings.EqualFold(oldTo, newTo)
	switch {
	case emailNew && mobileNew, (emailNew || mobileNew) && removed:
		return "", "", true
	case emailNew:
		return "email", d.Email, false
	case mobileNew:
		return "sms", d.Mobile, false
	case (removed || moved) && oldTo != "":
		return oldCh, oldTo, false
	case removed && old.Email != "" && d.Email == "":
		return "email", old.Email, false
	case removed:
		return "sms", old.Mobile, false
	case moved:
		return newCh, newTo, false
	}
	return "", "", false
}

// Prefs records the victim's new contact preferences as a
// contact_preferences_set event. A change of where her codes and updates
// go takes effect only once a code is entered (proofFor, PrefsConfirm);
// nothing is recorded until then.
func (s *Portal) Prefs(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	d := prefsFromForm(r, cp)
	e := throughline.Event{Case: c.Ref, Type: throughline.TypeContactPreferencesSet, OccurredAt: throughline.At(s.Now().UTC()), Actor: "victim:" + cp.ID, Agency: "victim", Data: &d}
	if _, err := throughline.DecodeData(e.Type, mustJSON(d)); err != nil {
		s.portalPrefsError(w, r, lang, &d, err)
		return
	}
	channel, address, two := proofFor(cp, d)
	if two {
		s.portalRender(w, r, http.StatusUnprocessableEntity, lang, "prefs", portalView{Prefs: s.prefsView(lang, &d), Error: portalText[lang]["one_at_a_time"], ErrorField: "email"})
		return
	}
	if channel != "" {
		s.sendContactCode(w, r, c, cp, lang, &d, channel, address)
		return
	}
	s.savePrefs(w, r, c, cp, lang, d)
}

// sendContactCode sends a code to the address that proves the change and
// asks for it.
func (s *Portal) sendContactCode(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string, d *throughline.ContactPreferencesSet, channel, address string) {
	code, err := s.Store.PortalContactCode(r.Context(), c.Ref, cp.ID, channel, address)
	if errors.Is(err, throughline.ErrPortalLimited) {
		s.portalRender(w, r, http.StatusTooManyRequests, lang, "prefs", portalView{Prefs: s.prefsView(lang, d), Error: portalText[lang]["limited"], ErrorField: map[string]string{"email": "email", "sms": "mobile"}[channel]})
		return
	}
	if err != nil {
		s.Fail(w, r, fmt.Errorf("portal: contact code: %w", err))
		return
	}
	t := portalText[lang]
	if s.Send == nil {
		s.Logger.Error("portal: no channel configured to send codes", "case", c.Ref)
	} else if err := s.Send(r.Context(), channel, address, t["code_subject"], fmt.Sprintf(t["contact_code_message"], code)); err != nil {
		s.Logger.Error("portal: contact code not sent", "case", c.Ref, "channel", channel, "err", err)
	}
	s.portalRender(w, r, http.StatusOK, lang, "confirm", portalView{Prefs: s.prefsView(lang, d), Flash: fmt.Sprintf(t["contact_code_sent"], address)})
}

// PrefsConfirm takes the code sent to the address that proves the change
// (proofFor), with the preferences the victim asked for (carried by their browser: the code is
// bound to the channel and address, so nothing else can be swapped in),
// records them, and tells the old address of the change.
func (s *Portal) PrefsConfirm(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	d := prefsFromForm(r, cp)
	channel, address, two := proofFor(cp, d)
	if two || channel == "" {
		s.portalRender(w, r, http.StatusUnprocessableEntity, lang, "prefs", portalView{Prefs: s.prefsView(lang, &d), Error: portalText[lang]["prefs_invalid"], ErrorField: "first"})
		return
	}
	err := s.Store.PortalConfirmContact(r.Context(), c.Ref, cp.ID, channel, address, strings.TrimSpace(r.PostFormValue("code")))
	if throughline.ErrorCode(err) == throughline.EUNAUTHORIZED {
		s.portalRender(w, r, http.StatusUnprocessableEntity, lang, "confirm", portalView{Prefs: s.prefsView(lang, &d), Error: portalText[lang]["code_wrong"], ErrorField: "code"})
		return
	}
	if err != nil {
		s.Fail(w, r, fmt.Errorf("portal: confirm contact: %w", err))
		return
	}
	s.savePrefs(w, r, c, cp, lang, d)
}

// savePrefs records d, then tells each old email address or mobile number
// that d changes or removes: a change the victim did not make is known.
func (s *Portal) savePrefs(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string, d throughline.ContactPreferencesSet) {
	e := throughline.Event{Case: c.Ref, Type: throughline.TypeContactPreferencesSet, OccurredAt: throughline.At(s.Now().UTC()), Actor: "victim:" + cp.ID, Agency: "victim", Data: &d}
	if _, err := throughline.DecodeData(e.Type, mustJSON(d)); err != nil {
		s.portalPrefsError(w, r, lang, &d, err)
		return
	}
	if _, _, err := s.Store.Append(r.Context(), e, throughline.AnyVersion); err != nil {
		s.portalPrefsError(w, r, lang, &d, err)
		return
	}
	s.tellOldAddresses(r.Context(), c, cp, d)
	if d.Language != "" {
		lang = d.Language
	}
	c, _ = s.Store.Case(r.Context(), c.Ref)
	cp = c.Complainant(cp.ID)
	s.portalCasePage(w, withFormats(r, cp), c, cp, lang, portalText[lang]["prefs_saved"])
}

// tellOldAddresses sends, to each email address or mobile number of cp's
// that next changes or removes, word of the change: the lock-screen line
// first, then what changed and whom to call if it was not them.
func (s *Portal) tellOldAddresses(ctx context.Context, c *throughline.Case, cp *throughline.Complainant, next throughline.ContactPreferencesSet) {
	if cp.Preferences == nil {
		return
	}
	old := *cp.Preferences
	lang := "en"
	if cp.Language == "cy" {
		lang = "cy"
	}
	t := portalText[lang]
	ct := comms.ContactFor(c, cp, lang)
	who := ct.Team
	if ct.Phone != "" {
		who += " (" + ct.Phone + ")"
	}
	body := comms.LockScreen[lang] + ".\n\n" + fmt.Sprintf(t["contact_changed_message"], comms.FormatDate(lang, s.Now()), who)
	for _, o := range []struct{ channel, was, now string }{{"email", old.Email, next.Email}, {"sms", old.Mobile, next.Mobile}} {
		if o.was == "" || strings.EqualFold(o.was, o.now) {
			continue
		}
		if s.Send == nil {
			s.Logger.Error("portal: no channel configured to tell the old address", "case", c.Ref)
			continue
		}
		if err := s.Send(ctx, o.channel, o.was, comms.LockScreen[lang], body); err != nil {
			s.Logger.Error("portal: old address not told of the change", "case", c.Ref, "channel", o.channel, "err", err)
		}
	}
}

func (s *Portal) portalPrefsError(w http.ResponseWriter, r *http.Request, lang string, d *throughline.ContactPreferencesSet, err error) {
	var te *throughline.Error
	if !errors.As(err, &te) {
		s.Fail(w, r, fmt.Errorf("portal: preferences: %w", err))
		return
	}
	field, msg := "first", portalText[lang]["prefs_invalid"]
	if len(te.Fields) > 0 {
		switch f := strings.TrimPrefix(te.Fields[0].Field, "data."); {
		case f == "email":
			field, msg = "email", portalText[lang]["need_email"]
		case f == "mobile":
			field, msg = "mobile", portalText[lang]["need_mobile"]
		}
	}
	s.portalRender(w, r, http.StatusUnprocessableEntity, lang, "prefs", portalView{Prefs: s.prefsView(lang, d), Error: msg, ErrorField: field})
}

// Callback records a call-back request; the store opens a task for
// the named contact in the same transaction.
func (s *Portal) Callback(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	when := strings.TrimSpace(r.PostFormValue("when"))
	if len(when) > 200 {
		when = when[:200]
	}
	e := throughline.Event{Case: c.Ref, Type: throughline.TypeCallbackRequested, OccurredAt: throughline.At(s.Now().UTC()), Actor: "victim:" + cp.ID, Agency: "victim",
		Data: &throughline.CallbackRequested{ComplainantID: cp.ID, When: when}}
	if _, _, err := s.Store.Append(r.Context(), e, throughline.AnyVersion); err != nil {
		s.Fail(w, r, fmt.Errorf("portal: call back: %w", err))
		return
	}
	// Redirect after the post: refreshing the page must not ask twice.
	http.Redirect(w, r, "/victim/case?sent=callback", http.StatusSeeOther)
}

// callbackFlash confirms her call-back request with the time she asked
// for, from the record.
func callbackFlash(lang string, cp *throughline.Complainant) string {
	t := portalText[lang]
	if cp.CallbackWhen == "" {
		return t["callback_done"]
	}
	return t["callback_done"] + " " + fmt.Sprintf(t["callback_when_was"], cp.CallbackWhen)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// Feedback records the victim's answer to the survey of the case's
// current key stage. The comment is sealed by the store and never logged.
func (s *Portal) Feedback(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	st := throughline.FeedbackStage(c.Stage())
	if st == "" || r.PostFormValue("stage") != st {
		// The case moved on since the form was shown: ask again.
		s.portalCasePage(w, r, c, cp, lang, "")
		return
	}
	rating, _ := strconv.Atoi(r.PostFormValue("rating"))
	comment := r.PostFormValue("comment")
	err := s.Store.GiveFeedback(r.Context(), throughline.Feedback{CaseRef: c.Ref, ComplainantID: cp.ID, Stage: st, Rating: rating, Comment: comment})
	var te *throughline.Error
	switch {
	case err == nil, throughline.ErrorCode(err) == throughline.ECONFLICT:
		s.portalCasePage(w, r, c, cp, lang, portalText[lang]["feedback_done"])
		return
	case errors.As(err, &te) && te.Code == throughline.EINVALID && len(te.Fields) > 0:
		v, err := s.portalCaseModel(r.Context(), c, cp, lang)
		if err != nil {
			s.Fail(w, r, fmt.Errorf("portal: feedback: %w", err))
			return
		}
		v.Rating, v.Comment = r.PostFormValue("rating"), comment
		field, msg := "rating-1", portalText[lang]["feedback_need_rating"]
		if te.Fields[0].Field == "comment" {
			field, msg = "comment", portalText[lang]["feedback_too_long"]
		}
		s.portalRender(w, r, http.StatusUnprocessableEntity, lang, "case", portalView{Case: v, Error: msg, ErrorField: field})
		return
	}
	// The error may quote nothing of the comment; log the case only.
	s.Fail(w, r, fmt.Errorf("portal: feedback not recorded on case %s: %s", c.Ref, throughline.ErrorCode(err)))
}
