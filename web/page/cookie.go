package page

import (
	"context"
	"net/http"
	"net/url"
)

// Cookie names of the staff session: behind TLS the __Host- prefix pins
// the cookie to this host, path / and Secure.
const (
	cookieTLS   = "__Host-throughline"
	cookiePlain = "throughline"
)

// Secure reports whether the request came over TLS: directly, or to a
// trusted proxy that says so (WithForwardedTLS). X-Forwarded-Proto itself is
// never read here: anyone can send it.
func Secure(r *http.Request) bool {
	tls, _ := r.Context().Value(forwardedTLSKey{}).(bool)
	return r.TLS != nil || tls
}

type forwardedTLSKey struct{}

// WithForwardedTLS is r marked as having come over TLS to a proxy the
// server trusts, which terminated it (the server decides; see web.Server's
// TrustedProxies).
func WithForwardedTLS(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), forwardedTLSKey{}, true))
}

// SessionToken is the staff session token the request carries, or "".
func SessionToken(r *http.Request) string {
	for _, name := range []string{cookieTLS, cookiePlain} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

// SetSession sets the session cookie: HttpOnly, SameSite=Lax, Secure with
// the __Host- prefix behind TLS, and no expiry (the server ends sessions).
func SetSession(w http.ResponseWriter, r *http.Request, token string) {
	c := &http.Cookie{Name: cookiePlain, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if Secure(r) {
		c.Name, c.Secure = cookieTLS, true
	}
	http.SetCookie(w, c)
}

// ClearSession removes the session cookie.
func ClearSession(w http.ResponseWriter, r *http.Request) {
	c := &http.Cookie{Name: cookiePlain, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: -1}
	if Secure(r) {
		c.Name, c.Secure = cookieTLS, true
	}
	http.SetCookie(w, c)
}

// SignInURL is the sign-in page, coming back to next afterwards; expired
// says the session ended.
func SignInURL(next string, expired bool) string {
	q := url.Values{}
	if next = SafeNext(next); next != "" {
		q.Set("next", next)
	}
	if expired {
		q.Set("ended", "1")
	}
	if len(q) == 0 {
		return "/sign-in"
	}
	return "/sign-in?" + q.Encode()
}
