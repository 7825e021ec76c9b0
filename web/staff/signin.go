package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"github.com/skip2/go-qrcode"
	"html/template"
	"net/http"
	"strings"

	"throughline"
	"throughline/credential"
	"throughline/sqlstore"
)

// signInPage is the view of the sign-in, security code and set-up pages.
type signInPage struct {
	Layout
	Next      string
	Login     Input
	Password  Input
	Code      Input
	Submit    Button
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

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Path != "/" {
		return notFound("")
	}
	if se, err := s.Store.Session(r.Context(), sessionToken(r)); err == nil && se.State == sqlstore.SessionActive {
		if se.User.Role == throughline.RoleAdmin {
			http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
		} else {
			http.Redirect(w, r, "/cases", http.StatusSeeOther)
		}
		return nil
	}
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
	return nil
}

func (s *Server) signInView(r *http.Request) signInPage {
	p := signInPage{
		Layout:   Layout{Title: "Sign in"},
		Next:     safeNext(r.FormValue("next")),
		Login:    Input{Name: "login", Label: &Label{Text: "Email address or username", Classes: "govuk-label--s"}, Autocomplete: "username", Spellcheck: new(bool), Autocapitalize: "none"},
		Password: Input{Name: "password", Type: "password", Label: &Label{Text: "Password", Classes: "govuk-label--s"}, Autocomplete: "current-password"},
		Submit:   Button{Text: "Continue"},
		OIDC:     s.OIDC != nil,
		Heading:  "Sign in to Throughline",
	}
	if s.OIDC != nil {
		p.OIDCName = s.OIDC.Name
	}
	if r.URL.Query().Get("ended") == "1" {
		p.Banner = &NotificationBanner{Heading: "You have been signed out", Text: "For your security, you are signed out after 30 minutes without using Throughline, after 12 hours, or when your account changes. Sign in again to continue."}
	}
	if r.URL.Query().Get("out") == "1" {
		p.Banner = &NotificationBanner{Success: true, Heading: "You have signed out"}
	}
	return p
}

// signInForm: GET /sign-in.
func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "signin", s.signInView(r))
	return nil
}

// signIn: POST /sign-in. Any failure reads the same.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := s.signInView(r)
	p.Login.Value = strings.TrimSpace(r.PostFormValue("login"))
	a, err := s.Store.CheckPassword(r.Context(), r.PostFormValue("login"), r.PostFormValue("password"), s.clientIP(r))
	if err != nil {
		if throughline.ErrorCode(err) != throughline.EUNAUTHORIZED {
			return err
		}
		p.ErrorSummary = &ErrorSummary{TitleText: "There is a problem", ErrorList: []ErrorLink{{Text: throughline.ErrorMessage(err), Href: "#login"}}}
		p.Login.ErrorMessage = &ErrorMessage{Text: throughline.ErrorMessage(err)}
		p.Password.ErrorMessage = &ErrorMessage{Text: throughline.ErrorMessage(err)}
		s.render(w, r, http.StatusUnauthorized, "signin", p)
		return nil
	}
	state, to := sqlstore.SessionCode, "/sign-in/code"
	if !a.TOTPEnrolled {
		state, to = sqlstore.SessionEnrol, "/sign-in/authenticator"
	}
	token, err := s.Store.CreateSession(r.Context(), a.User, state, "password")
	if err != nil {
		return err
	}
	setSession(w, r, token)
	if p.Next != "" {
		to += "?next=" + urlQueryEscape(p.Next)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) codeView(r *http.Request, reauth bool) signInPage {
	p := signInPage{
		Layout: Layout{Title: "Enter your security code"},
		Next:   safeNext(r.FormValue("next")),
		Code: Input{Name: "code", Label: &Label{Text: "Security code", Classes: "govuk-label--s"}, Hint: &Hint{Text: "The 6-digit code your authenticator app shows for Throughline"},
			Classes: "govuk-input--width-5 govuk-input--extra-letter-spacing", Autocomplete: "one-time-code", Inputmode: "numeric", Spellcheck: new(bool)},
		Submit:  Button{Text: "Continue"},
		Heading: "Enter your security code",
		Reauth:  reauth,
	}
	return p
}

// codeForm: GET /sign-in/code.
func (s *Server) codeForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.render(w, r, http.StatusOK, "code", s.codeView(r, false))
	return nil
}

// code: POST /sign-in/code.
func (s *Server) code(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.codeView(r, false)
	if err := s.Store.CheckCode(r.Context(), rq.User.ID, r.PostFormValue("code"), s.clientIP(r)); err != nil {
		if throughline.ErrorCode(err) != throughline.EUNAUTHORIZED {
			return err
		}
		p.ErrorSummary = &ErrorSummary{TitleText: "There is a problem", ErrorList: []ErrorLink{{Text: throughline.ErrorMessage(err), Href: "#code"}}}
		p.Code.ErrorMessage = &ErrorMessage{Text: throughline.ErrorMessage(err)}
		s.render(w, r, http.StatusUnauthorized, "code", p)
		return nil
	}
	return s.finishSignIn(w, r, rq, p.Next)
}

func (s *Server) finishSignIn(w http.ResponseWriter, r *http.Request, rq *request, next string) error {
	token, err := s.Store.PromoteSession(r.Context(), rq.Token, sqlstore.SessionActive)
	if err != nil {
		return err
	}
	setSession(w, r, token)
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// formKey is the installation's key for signing values a form carries.
func (s *Server) formKey(ctx context.Context) ([]byte, error) {
	return s.Store.Secret(ctx, "forms", 32)
}

func (s *Server) signSecret(ctx context.Context, token string, secret []byte) (string, error) {
	key, err := s.formKey(ctx)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("enrol\x00" + token + "\x00"))
	m.Write(secret)
	return base64.RawURLEncoding.EncodeToString(secret) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

func (s *Server) unsignSecret(ctx context.Context, token, signed string) ([]byte, bool) {
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

func (s *Server) enrolView(r *http.Request, rq *request, secret []byte) (signInPage, error) {
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
	p.Code.Hint = &Hint{Text: "After adding the key, enter the 6-digit code the app shows"}
	p.Secret = credential.GroupedSecret(secret)
	p.URI = credential.OTPAuthURI("Throughline", a.Login, secret)
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

// enrolForm: GET /sign-in/authenticator: a new secret to add to an app.
func (s *Server) enrolForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	secret, err := credential.NewTOTPSecret()
	if err != nil {
		return err
	}
	p, err := s.enrolView(r, rq, secret)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "enrol", p)
	return nil
}

// enrol: POST /sign-in/authenticator: the first code proves the app has the secret.
func (s *Server) enrol(w http.ResponseWriter, r *http.Request, rq *request) error {
	secret, ok := s.unsignSecret(r.Context(), rq.Token, r.PostFormValue("secret"))
	if !ok {
		http.Redirect(w, r, "/sign-in/authenticator", http.StatusSeeOther)
		return nil
	}
	step, ok := credential.CheckTOTP(secret, r.PostFormValue("code"), s.Store.Now(), 0)
	if !ok {
		p, err := s.enrolView(r, rq, secret)
		if err != nil {
			return err
		}
		msg := "The security code is not right. Check the key you entered in the app, and enter the code it shows now"
		p.ErrorSummary = &ErrorSummary{TitleText: "There is a problem", ErrorList: []ErrorLink{{Text: msg, Href: "#code"}}}
		p.Code.ErrorMessage = &ErrorMessage{Text: msg}
		s.render(w, r, http.StatusUnprocessableEntity, "enrol", p)
		return nil
	}
	if err := s.Store.EnrolTOTP(r.Context(), rq.User.ID, secret, step); err != nil {
		return err
	}
	return s.finishSignIn(w, r, rq, safeNext(r.FormValue("next")))
}

// signOut: POST /sign-out.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if token := sessionToken(r); token != "" {
		if err := s.Store.EndSession(r.Context(), token); err != nil {
			return err
		}
	}
	clearSession(w, r)
	http.Redirect(w, r, "/sign-in?out=1", http.StatusSeeOther)
	return nil
}

// reauthForm: GET /reauth: prove who you are again (before a break-glass).
func (s *Server) reauthForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.Session.Method == "oidc" && s.OIDC != nil {
		http.Redirect(w, r, "/sign-in/oidc?reauth=1&next="+urlQueryEscape(safeNext(r.FormValue("next"))), http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "reauth", s.reauthView(r, rq))
	return nil
}

func (s *Server) reauthView(r *http.Request, rq *request) signInPage {
	p := s.codeView(r, true)
	p.Layout = s.layout(rq, "Confirm it is you", "")
	p.Heading = "Confirm it is you"
	p.Password = Input{Name: "password", Type: "password", Label: &Label{Text: "Password", Classes: "govuk-label--s"}, Autocomplete: "current-password"}
	return p
}

// reauth: POST /reauth.
func (s *Server) reauth(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.reauthView(r, rq)
	a, err := s.Store.Account(r.Context(), rq.User.ID)
	if err != nil {
		return err
	}
	_, err = s.Store.CheckPassword(r.Context(), a.Login, r.PostFormValue("password"), s.clientIP(r))
	if err == nil {
		err = s.Store.CheckCode(r.Context(), rq.User.ID, r.PostFormValue("code"), s.clientIP(r))
	}
	if err != nil {
		if throughline.ErrorCode(err) != throughline.EUNAUTHORIZED {
			return err
		}
		msg := "The password or security code is not right"
		if err == sqlstore.ErrTooMany {
			msg = throughline.ErrorMessage(err)
		}
		p.ErrorSummary = &ErrorSummary{TitleText: "There is a problem", ErrorList: []ErrorLink{{Text: msg, Href: "#password"}}}
		p.Password.ErrorMessage = &ErrorMessage{Text: msg}
		s.render(w, r, http.StatusUnauthorized, "reauth", p)
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
	Layout
	Details SummaryList
}

// account: GET /account.
func (s *Server) account(w http.ResponseWriter, r *http.Request, rq *request) error {
	a, err := s.Store.Account(r.Context(), rq.User.ID)
	if err != nil {
		return err
	}
	how := "Password and authenticator app"
	if rq.Session.Method == "oidc" {
		how = "Your organisation's sign-in"
	}
	p := accountPage{Layout: s.layout(rq, "Your account", "account"), Details: SummaryList{Rows: []SummaryRow{
		{Key: SummaryText{Text: "Name"}, Value: SummaryText{Text: a.Name}},
		{Key: SummaryText{Text: "Role"}, Value: SummaryText{Text: throughline.RoleName(a.Role)}},
		{Key: SummaryText{Text: "Organisation"}, Value: SummaryText{Text: a.Agency}},
		{Key: SummaryText{Text: "Sign-in name"}, Value: SummaryText{Text: a.Login}},
		{Key: SummaryText{Text: "Signed in with"}, Value: SummaryText{Text: how}},
		{Key: SummaryText{Text: "Signed in at"}, Value: SummaryText{Text: londonTime(rq.Session.Created)}},
	}}}
	s.render(w, r, http.StatusOK, "account", p)
	return nil
}
