// Package web serves Throughline over HTTP: the JSON API under /api/v1 with
// its OpenAPI document, and (in later files) the staff pages and the victim
// portal. Every request passes the same hardening middleware; every case
// access is decided by throughline.Can.
package web

import (
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"throughline/identity"
	"throughline/sqlstore"
)

// Server holds what the handlers need.
type Server struct {
	Store  *sqlstore.Store
	Logger *slog.Logger
	Now    func() time.Time

	// Identity signs staff and complainants in and keeps their accounts
	// and sessions.
	Identity *identity.Service
	// OIDC, when set, offers sign-in with an identity provider.
	OIDC *OIDC
	// Deadlines answers the "due soon" and "overdue" filters of the case
	// list; nil means the store's deadlines projection.
	Deadlines DeadlineIndex
	// NotifyCallbackToken is the bearer token GOV.UK Notify sends with
	// delivery receipts (POST /notify/receipts); empty refuses them all.
	NotifyCallbackToken string
	// PortalSend sends victim-portal sign-in codes; nil sends none.
	PortalSend PortalSender
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client; from anyone else the header is ignored.
	TrustedProxies []netip.Prefix

	pseudo struct {
		sync.Mutex
		key []byte
	}
}

// maxBody bounds every request body.
const maxBody = 1 << 20

// Handler returns the whole HTTP handler. Every route is in the table of
// routes.go, with the policy actions its handler asks about: the access
// matrix test fails for a route whose actions it does not cover.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, rt.handler)
	}
	return s.harden(mux)
}

// harden wraps every response in the security headers, bounds the body,
// refuses cross-origin writes and turns a panic into a plain 500.
func (s *Server) harden(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	h := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-store")
		if secure(r) {
			hd.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				if strings.HasPrefix(r.URL.Path, "/api/") {
					writeJSON(w, http.StatusInternalServerError, errorBody{errorDetail{Code: "internal", Message: "internal error"}})
					return
				}
				plainError(w, http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}
