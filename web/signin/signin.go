// Package signin serves staff sign-in: the sign-in page, the security
// code, authenticator enrolment, sign-in with an identity provider (OIDC,
// oidc.go), re-authentication, signing out and the account page.
package signin

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/skip2/go-qrcode"

	"throughline"
	"throughline/identity"
	"throughline/web/access"
	"throughline/web/page"
)

// signInStore is what this file's pages need from storage.
type signInStore interface {
	Account(ctx context.Context, id string) (throughline.Account, error)
	CheckCode(ctx context.Context, userID, code, ip string) error
	CheckPassword(ctx context.Context, login, password, ip string) (throughline.Account, error)
	CreateSession(ctx context.Context, u throughline.User, state, method string) (string, error)
	EndSession(ctx context.Context, token string) error
	EnrolTOTP(ctx context.Context, userID string, secret []byte, step int64) error
	PromoteSession(ctx context.Context, token, state string) (string, error)
	Reauthenticated(ctx context.Context, token string) error
	Secret(ctx context.Context, name string, n int) ([]byte, error)
	Session(ctx context.Context, token string) (throughline.Session, error)
	Sessions(ctx context.Context, userID, token string) ([]throughline.Session, error)
	EndSessionByHandle(ctx context.Context, userID, handle string) error
	EndOtherSessions(ctx context.Context, userID, token string) error
}

// Store is everything the sign-in pages need from storage: the union of
// what each file declares.
type Store interface {
	signInStore
	oidcStore
}

// SignInPages serves sign-in, the security code, authenticator set-up,
// sign-in with an identity provider, re-authentication and the account page.
type SignInPages struct {
	*page.Base
	// ClientIP is the address sign-in limits count against.
	ClientIP func(*http.Request) string
	// OIDC, when set, offers sign-in with an identity provider.
	OIDC  *OIDC
	Store Store
}

// signInPage is the view of the sign-in, security code and set-up pages.
type signInPage struct {
	page.Layout
	Next      string
	Login     page.Input
	Password  page.Input
	Code      page.Input
	Submit    page.Button
	OIDC      bool         // offer sign-in with the organisation's identity provider
	OIDCName  string       // the provider's name
	Secret    string       // enrolment: the setup key, grouped
	URI       string       // enrolment: the otpauth URI
	QR        template.URL // enrolment: the URI as a QR code, a PNG data URL
	Signed    string       // enrolment: the secret, signed
	Reauth    bool
	Heading   string
	SignedOut bool
}

func (s *SignInPages) Home(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Path != "/" {
		return access.NotFound("")
	}
	if se, err := s.Store.Session(r.Context(), page.SessionToken(r)); err == nil && se.State == throughline.SessionActive {
		switch {
		case throughline.CanSome(se.User, throughline.ActionListCases):
			http.Redirect(w, r, "/today", http.StatusSeeOther)
		case throughline.CanSome(se.User, throughline.ActionViewMeasures):
			http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		case throughline.CanSome(se.User, throughline.ActionAdminister):
			http.Redirect(w, r, "/admin/today", http.StatusSeeOther)
		default:
			http.Redirect(w, r, "/account", http.StatusSeeOther)
		}
		return nil
	}
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
	return nil
}

func (s *SignInPages) signInView(r *http.Request) signInPage {
	p := signInPage{
		Layout:   page.Layout{Title: "Sign in"},
		Next:     page.SafeNext(r.FormValue("next")),
		Login:    page.Input{Name: "login", Label: &page.Label{Text: "Email address or username", Classes: "govuk-label--s"}, Autocomplete: "username", Spellcheck: new(bool), Autocapitalize: "none"},
		Password: page.Input{Name: "password", Type: "password", Label: &page.Label{Text: "Password", Classes: "govuk-label--s"}, Autocomplete: "current-password"},
		Submit:   page.Button{Text: "Continue"},
		OIDC:     s.OIDC != nil,
		Heading:  "Sign in to Throughline",
	}
	if s.OIDC != nil {
		p.OIDCName = s.OIDC.Name
	}
	if r.URL.Query().Get("ended") == "1" {
		p.Banner = &page.NotificationBanner{Heading: "You have been signed out", Text: "For your security, you are signed out after 30 minutes without using Throughline, after 12 hours, or when your account changes. Sign in again to continue."}
	}
	if r.URL.Query().Get("out") == "1" {
		p.Banner = &page.NotificationBanner{Success: true, Heading: "You have signed out"}
	}
	return p
}

// SignInForm: GET /sign-in.
func (s *SignInPages) SignInForm(w http.ResponseWriter, r *http.Request) error {
	s.Render(w, r, http.StatusOK, "signin", s.signInView(r))
	return nil
}

// SignIn: POST /sign-in. Any failure reads the same.
func (s *SignInPages) SignIn(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := s.signInView(r)
	p.Login.Value = strings.TrimSpace(r.PostFormValue("login"))
	a, err := s.Store.CheckPassword(r.Context(), r.PostFormValue("login"), r.PostFormValue("password"), s.ClientIP(r))
	if err != nil {
		if throughline.ErrorCode(err) != throughline.EUNAUTHORIZED {
			return err
		}
		p.ErrorSummary = &page.ErrorSummary{TitleText: "There is a problem", ErrorList: []page.ErrorLink{{Text: throughline.ErrorMessage(err), Href: "#login"}}}
		p.Login.ErrorMessage = &page.ErrorMessage{Text: throughline.ErrorMessage(err)}
		p.Password.ErrorMessage = &page.ErrorMessage{Text: throughline.ErrorMessage(err)}
		s.Render(w, r, http.StatusUnauthorized, "signin", p)
		return nil
	}
	state, to := throughline.SessionCode, "/sign-in/code"
	if !a.TOTPEnrolled {
		state, to = throughline.SessionEnrol, "/sign-in/authenticator"
	}
	token, err := s.Store.CreateSession(r.Context(), a.User, state, "password")
	if err != nil {
		return err
	}
	page.SetSession(w, r, token)
	if p.Next != "" {
		to += "?next=" + url.QueryEscape(p.Next)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *SignInPages) codeView(r *http.Request, reauth bool) signInPage {
	p := signInPage{
		Layout: page.Layout{Title: "Enter your security code"},
		Next:   page.SafeNext(r.FormValue("next")),
		Code: page.Input{Name: "code", Label: &page.Label{Text: "Security code", Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "The 6-digit code your authenticator app shows for Throughline"},
			Classes: "govuk-input--width-5 govuk-input--extra-letter-spacing", Autocomplete: "one-time-code", Inputmode: "numeric", Spellcheck: new(bool)},
		Submit:  page.Button{Text: "Continue"},
		Heading: "Enter your security code",
		Reauth:  reauth,
	}
	return p
}

// CodeForm: GET /sign-in/code.
func (s *SignInPages) CodeForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	s.Render(w, r, http.StatusOK, "code", s.codeView(r, false))
	return nil
}

// Code: POST /sign-in/code.
func (s *SignInPages) Code(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	p := s.codeView(r, false)
	if err := s.Store.CheckCode(r.Context(), rq.User.ID, r.PostFormValue("code"), s.ClientIP(r)); err != nil {
		if throughline.ErrorCode(err) != throughline.EUNAUTHORIZED {
			return err
		}
		p.ErrorSummary = &page.ErrorSummary{TitleText: "There is a problem", ErrorList: []page.ErrorLink{{Text: throughline.ErrorMessage(err), Href: "#code"}}}
		p.Code.ErrorMessage = &page.ErrorMessage{Text: throughline.ErrorMessage(err)}
		s.Render(w, r, http.StatusUnauthorized, "code", p)
		return nil
	}
	return s.finishSignIn(w, r, rq, p.Next)
}

func (s *SignInPages) finishSignIn(w http.ResponseWriter, r *http.Request, rq *page.Request, next string) error {
	token, err := s.Store.PromoteSession(r.Context(), rq.Token, throughline.SessionActive)
	if err != nil {
		return err
	}
	page.SetSession(w, r, token)
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// formKey is the installation's key for signing values a form carries.
func (s *SignInPages) formKey(ctx context.Context) ([]byte, error) {
	return s.Store.Secret(ctx, "forms", 32)
}

func (s *SignInPages) signSecret(ctx context.Context, token string, secret []byte) (string, error) {
	key, err := s.formKey(ctx)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("enrol\x00" + token + "\x00"))
	m.Write(secret)
	return base64.RawURLEncoding.EncodeToString(secret) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

func (s *SignInPages) unsignSecret(ctx context.Context, token, signed string) ([]byte, bool) {
	enc, _, ok := strings.Cut(signed, ".")
	if !ok {
		return nil, false
	}
	secret, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return nil, false
	}
	want, err := s.signSecret(ctx, token, secret)
	if err != nil || !hmac.Equal([]byte(want), []byte(signed)) {
		return nil, false
	}
	return secret, true
}

func (s *SignInPages) enrolView(r *http.Request, rq *page.Request, secret []byte) (signInPage, error) {
	signed, err := s.signSecret(r.Context(), rq.Token, secret)
	if err != nil {
		return signInPage{}, err
	}
	a, err := s.Store.Account(r.Context(), rq.User.ID)
	if err != nil {
		return signInPage{}, err
	}
	p := s.codeView(r, false)
	p.Title, p.Heading = "Set up your authenticator app", "Set up your authenticator app"
	p.Code.Label.Text = "Security code from your app"
	p.Code.Hint = &page.Hint{Text: "After adding the key, enter the 6-digit code the app shows"}
	p.Secret = identity.GroupedSecret(secret)
	p.URI = identity.OTPAuthURI("Throughline", a.Login, secret)
	if p.QR, err = qrDataURL(p.URI); err != nil {
		return signInPage{}, err
	}
	p.Signed = signed
	return p, nil
}

// qrDataURL is text as a QR code: a PNG in a data URL, so that the secret
// it carries is never fetched from a second address (or cached there).
func qrDataURL(text string) (template.URL, error) {
	png, err := qrcode.Encode(text, qrcode.Medium, 240)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

// EnrolForm: GET /sign-in/authenticator: a new secret to add to an app.
func (s *SignInPages) EnrolForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	secret, err := identity.NewTOTPSecret()
	if err != nil {
		return err
	}
	p, err := s.enrolView(r, rq, secret)
	if err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "enrol", p)
	return nil
}

// Enrol: POST /sign-in/authenticator: the first code proves the app has the secret.
func (s *SignInPages) Enrol(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	secret, ok := s.unsignSecret(r.Context(), rq.Token, r.PostFormValue("secret"))
	if !ok {
		http.Redirect(w, r, "/sign-in/authenticator", http.StatusSeeOther)
		return nil
	}
	step, ok := identity.CheckTOTP(secret, r.PostFormValue("code"), s.Now(), 0)
	if !ok {
		p, err := s.enrolView(r, rq, secret)
		if err != nil {
			return err
		}
		msg := "The security code is not right. Check the key you entered in the app, and enter the code it shows now"
		p.ErrorSummary = &page.ErrorSummary{TitleText: "There is a problem", ErrorList: []page.ErrorLink{{Text: msg, Href: "#code"}}}
		p.Code.ErrorMessage = &page.ErrorMessage{Text: msg}
		s.Render(w, r, http.StatusUnprocessableEntity, "enrol", p)
		return nil
	}
	if err := s.Store.EnrolTOTP(r.Context(), rq.User.ID, secret, step); err != nil {
		return err
	}
	return s.finishSignIn(w, r, rq, page.SafeNext(r.FormValue("next")))
}

// SignOut: POST /sign-out.
func (s *SignInPages) SignOut(w http.ResponseWriter, r *http.Request) error {
	if token := page.SessionToken(r); token != "" {
		if err := s.Store.EndSession(r.Context(), token); err != nil {
			return err
		}
	}
	page.ClearSession(w, r)
	http.Redirect(w, r, "/sign-in?out=1", http.StatusSeeOther)
	return nil
}

// ReauthForm: GET /reauth: prove who you are again (before a break-glass).
func (s *SignInPages) ReauthForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if rq.Method == "oidc" && s.OIDC != nil {
		http.Redirect(w, r, "/sign-in/oidc?reauth=1&next="+url.QueryEscape(page.SafeNext(r.FormValue("next"))), http.StatusSeeOther)
		return nil
	}
	s.Render(w, r, http.StatusOK, "reauth", s.reauthView(r, rq))
	return nil
}

func (s *SignInPages) reauthView(r *http.Request, rq *page.Request) signInPage {
	p := s.codeView(r, true)
	p.Layout = page.NewLayout(rq, "Confirm it is you", "")
	p.Heading = "Confirm it is you"
	p.Password = page.Input{Name: "password", Type: "password", Label: &page.Label{Text: "Password", Classes: "govuk-label--s"}, Autocomplete: "current-password"}
	return p
}

// Reauth: POST /reauth.
func (s *SignInPages) Reauth(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	p := s.reauthView(r, rq)
	a, err := s.Store.Account(r.Context(), rq.User.ID)
	if err != nil {
		return err
	}
	_, err = s.Store.CheckPassword(r.Context(), a.Login, r.PostFormValue("password"), s.ClientIP(r))
	if err == nil {
		err = s.Store.CheckCode(r.Context(), rq.User.ID, r.PostFormValue("code"), s.ClientIP(r))
	}
	if err != nil {
		if throughline.ErrorCode(err) != throughline.EUNAUTHORIZED {
			return err
		}
		msg := "The password or security code is not right"
		if err == throughline.ErrTooMany {
			msg = throughline.ErrorMessage(err)
		}
		p.ErrorSummary = &page.ErrorSummary{TitleText: "There is a problem", ErrorList: []page.ErrorLink{{Text: msg, Href: "#password"}}}
		p.Password.ErrorMessage = &page.ErrorMessage{Text: msg}
		s.Render(w, r, http.StatusUnauthorized, "reauth", p)
		return nil
	}
	if err := s.Store.Reauthenticated(r.Context(), rq.Token); err != nil {
		return err
	}
	next := p.Next
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// accountPage is the view of the user's own account.
type accountPage struct {
	page.Layout
	Details  page.SummaryList
	Sessions []sessionItem
	Others   bool // sessions other than this one are live
}

// sessionItem is one of the user's live sessions.
type sessionItem struct {
	Started, Seen, How, State string
	Handle                    string
	Current                   bool
}

// Account: GET /account: who the user is, and where they are signed in,
// with a way to end any of those sessions (ASVS 5.0 V7, Level 3).
func (s *SignInPages) Account(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	a, err := s.Store.Account(r.Context(), rq.User.ID)
	if err != nil {
		return err
	}
	ses, err := s.Store.Sessions(r.Context(), rq.User.ID, rq.Token)
	if err != nil {
		return err
	}
	p := accountPage{Layout: page.NewLayout(rq, "Your account", "account"), Details: page.SummaryList{Rows: []page.SummaryRow{
		{Key: page.SummaryText{Text: "Name"}, Value: page.SummaryText{Text: a.Name}},
		{Key: page.SummaryText{Text: "Role"}, Value: page.SummaryText{Text: throughline.RoleName(a.Role)}},
		{Key: page.SummaryText{Text: "Organisation"}, Value: page.SummaryText{Text: page.AgencyName(a.Agency)}},
		{Key: page.SummaryText{Text: "Sign-in name"}, Value: page.SummaryText{Text: a.Login}},
		{Key: page.SummaryText{Text: "Signed in with"}, Value: page.SummaryText{Text: signedInWith(rq.Method)}},
		{Key: page.SummaryText{Text: "Signed in at"}, Value: page.SummaryText{Text: page.LondonTime(rq.SignedInAt)}},
	}}}
	for _, se := range ses {
		it := sessionItem{Started: page.LondonTime(se.Created), Seen: page.LondonTime(se.Seen), How: signedInWith(se.Method), Handle: se.Handle, Current: se.Current, State: "Signed in"}
		if se.State != throughline.SessionActive {
			it.State = "Password entered, sign-in not finished"
		}
		p.Others = p.Others || !se.Current
		p.Sessions = append(p.Sessions, it)
	}
	switch r.URL.Query().Get("ended") {
	case "one":
		p.Banner = &page.NotificationBanner{Success: true, Heading: "That session has ended. Whoever used it must sign in again."}
	case "others":
		p.Banner = &page.NotificationBanner{Success: true, Heading: "Every other session has ended. Only this one is still signed in."}
	}
	s.Render(w, r, http.StatusOK, "account", p)
	return nil
}

func signedInWith(method string) string {
	if method == "oidc" {
		return "Your organisation's sign-in"
	}
	return "Password and authenticator app"
}

// EndSessions: POST /account/sessions: end one of one's own sessions
// (session = its handle) or every other one (session = others). Ending the
// session in use signs out, as the sign-out button does.
func (s *SignInPages) EndSessions(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	which := r.PostFormValue("session")
	if which == "others" {
		if err := s.Store.EndOtherSessions(r.Context(), rq.User.ID, rq.Token); err != nil {
			return err
		}
		http.Redirect(w, r, "/account?ended=others", http.StatusSeeOther)
		return nil
	}
	ses, err := s.Store.Sessions(r.Context(), rq.User.ID, rq.Token)
	if err != nil {
		return err
	}
	if err := s.Store.EndSessionByHandle(r.Context(), rq.User.ID, which); err != nil {
		return err
	}
	for _, se := range ses {
		if se.Current && se.Handle == which {
			page.ClearSession(w, r)
			http.Redirect(w, r, "/sign-in?out=1", http.StatusSeeOther)
			return nil
		}
	}
	http.Redirect(w, r, "/account?ended=one", http.StatusSeeOther)
	return nil
}
