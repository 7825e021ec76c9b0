package signin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"throughline"
	"throughline/web/page"
)

// oidcStore is what this file's pages need from storage.
type oidcStore interface {
	CreateSession(ctx context.Context, u throughline.User, state, method string) (string, error)
	Reauthenticated(ctx context.Context, token string) error
	Session(ctx context.Context, token string) (throughline.Session, error)
	UserByOIDC(ctx context.Context, issuer, subject, email string, emailVerified bool) (throughline.User, error)
}

// OIDC is sign-in with an OpenID Connect identity provider (a force's or
// the CPS's): the authorisation code flow with PKCE, state and nonce. The
// provider proves who someone is; Throughline decides what they may do
// (their role and agency are ours, never the provider's claims).
type OIDC struct {
	// Name is what the sign-in page calls the provider.
	Name     string
	issuer   string
	config   oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// OIDCConfig is what `serve` is told about the provider.
type OIDCConfig struct {
	Name         string
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string // https://throughline.example/sign-in/oidc/callback
}

// NewOIDC discovers the provider (its /.well-known/openid-configuration)
// and prepares the flow.
func NewOIDC(ctx context.Context, c OIDCConfig) (*OIDC, error) {
	if c.Issuer == "" || c.ClientID == "" || c.RedirectURL == "" {
		return nil, errors.New("oidc: issuer, client id and redirect URL are required")
	}
	p, err := oidc.NewProvider(ctx, c.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discover %s: %w", c.Issuer, err)
	}
	name := c.Name
	if name == "" {
		name = "your organisation"
	}
	return &OIDC{
		Name:     name,
		issuer:   c.Issuer,
		config:   oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: c.RedirectURL, Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}},
		verifier: p.Verifier(&oidc.Config{ClientID: c.ClientID}),
	}, nil
}

// oidcFlow is what the browser carries between the redirect and the
// callback, in a signed, short-lived cookie.
type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x,omitempty"`
	Reauth   bool   `json:"r,omitempty"`
	Expires  int64  `json:"e"`
}

const oidcCookie = "throughline_oidc"

func random(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *SignInPages) sealFlow(ctx context.Context, f oidcFlow) (string, error) {
	key, err := s.formKey(ctx)
	if err != nil {
		return "", err
	}
	body, _ := json.Marshal(f)
	m := hmac.New(sha256.New, key)
	m.Write([]byte("oidc\x00"))
	m.Write(body)
	return base64.RawURLEncoding.EncodeToString(body) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

func (s *SignInPages) openFlow(ctx context.Context, v string) (oidcFlow, bool) {
	var f oidcFlow
	enc, _, ok := strings.Cut(v, ".")
	if !ok {
		return f, false
	}
	body, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil || json.Unmarshal(body, &f) != nil {
		return f, false
	}
	want, err := s.sealFlow(ctx, f)
	if err != nil || !hmac.Equal([]byte(want), []byte(v)) || s.Now().Unix() > f.Expires {
		return f, false
	}
	return f, true
}

// OidcStart: GET /sign-in/oidc: off to the provider.
func (s *SignInPages) OidcStart(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return throughline.Errorf(throughline.ENOTFOUND, "no identity provider")
	}
	f := oidcFlow{State: random(24), Nonce: random(24), Verifier: oauth2.GenerateVerifier(), Next: page.SafeNext(r.URL.Query().Get("next")),
		Reauth: r.URL.Query().Get("reauth") == "1", Expires: s.Now().Add(10 * time.Minute).Unix()}
	sealed, err := s.sealFlow(r.Context(), f)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: sealed, Path: "/sign-in/oidc", HttpOnly: true, Secure: page.Secure(r), SameSite: http.SameSiteLaxMode, MaxAge: 600})
	opts := []oauth2.AuthCodeOption{oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)}
	if f.Reauth {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "login"), oauth2.SetAuthURLParam("max_age", "0"))
	}
	http.Redirect(w, r, s.OIDC.config.AuthCodeURL(f.State, opts...), http.StatusSeeOther)
	return nil
}

// OidcCallback: GET /sign-in/oidc/callback: the provider sends the browser
// back with a code; we exchange it, verify the ID token's signature,
// issuer, audience, expiry and nonce, and find the user.
func (s *SignInPages) OidcCallback(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return throughline.Errorf(throughline.ENOTFOUND, "no identity provider")
	}
	fail := func(msg string) error {
		p := s.signInView(r)
		p.ErrorSummary = &page.ErrorSummary{TitleText: "There is a problem", ErrorList: []page.ErrorLink{{Text: msg}}}
		s.Render(w, r, http.StatusUnauthorized, "signin", p)
		return nil
	}
	c, err := r.Cookie(oidcCookie)
	if err != nil {
		return fail("Signing in with " + s.OIDC.Name + " took too long or was started elsewhere. Try again")
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: "/sign-in/oidc", HttpOnly: true, Secure: page.Secure(r), SameSite: http.SameSiteLaxMode, MaxAge: -1})
	f, ok := s.openFlow(r.Context(), c.Value)
	q := r.URL.Query()
	if !ok || q.Get("state") == "" || !hmac.Equal([]byte(q.Get("state")), []byte(f.State)) {
		return fail("Signing in with " + s.OIDC.Name + " took too long or was started elsewhere. Try again")
	}
	if e := q.Get("error"); e != "" {
		return fail(s.OIDC.Name + " did not sign you in (" + e + ")")
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	tok, err := s.OIDC.config.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		s.Logger.Warn("oidc exchange", "err", err)
		return fail(s.OIDC.Name + " did not confirm the sign-in. Try again")
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := s.OIDC.verifier.Verify(ctx, raw)
	if err != nil {
		s.Logger.Warn("oidc id token", "err", err)
		return fail(s.OIDC.Name + " did not confirm the sign-in. Try again")
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
		AuthTime      int64  `json:"auth_time"`
	}
	if err := idt.Claims(&claims); err != nil || !hmac.Equal([]byte(idt.Nonce), []byte(f.Nonce)) {
		return fail(s.OIDC.Name + " did not confirm the sign-in. Try again")
	}
	verified := claims.EmailVerified != nil && *claims.EmailVerified
	u, err := s.Store.UserByOIDC(r.Context(), idt.Issuer, idt.Subject, claims.Email, verified)
	if err != nil {
		if throughline.ErrorCode(err) == throughline.EUNAUTHORIZED {
			return fail(throughline.ErrorMessage(err))
		}
		return err
	}
	next := f.Next
	if next == "" {
		next = "/"
	}
	if f.Reauth {
		token := page.SessionToken(r)
		se, err := s.Store.Session(r.Context(), token)
		fresh := claims.AuthTime > 0 && s.Now().Sub(time.Unix(claims.AuthTime, 0)) < throughline.ReauthWithin
		if err != nil || se.User.ID != u.ID || !fresh {
			return fail("We could not confirm it is you. Sign in to " + s.OIDC.Name + " again")
		}
		if err := s.Store.Reauthenticated(r.Context(), token); err != nil {
			return err
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	token, err := s.Store.CreateSession(r.Context(), u, throughline.SessionActive, "oidc")
	if err != nil {
		return err
	}
	page.SetSession(w, r, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}
