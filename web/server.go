// Package web serves Throughline over HTTP: the JSON API under /api/v1 with
// its OpenAPI document, and (in later files) the staff pages and the victim
// portal. Every request passes the same hardening middleware; every case
// access is decided by throughline.Can.
package web

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"throughline/sqlstore"
)

// Server holds what the handlers need.
type Server struct {
	Store  *sqlstore.Store
	Logger *slog.Logger
	Now    func() time.Time
}

// maxBody bounds every request body.
const maxBody = 1 << 20

// Handler returns the whole HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)
	mux.Handle("POST /api/v1/cases", s.api(s.createCase))
	mux.Handle("GET /api/v1/cases", s.api(s.listCases))
	mux.Handle("GET /api/v1/cases/{ref}", s.api(s.getCase))
	mux.Handle("POST /api/v1/cases/{ref}/events", s.api(s.appendEvent))
	mux.Handle("GET /api/v1/cases/{ref}/events", s.api(s.listEvents))
	mux.Handle("GET /api/v1/cases/{ref}/deadlines", s.api(s.listDeadlines))
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
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			hd.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				http.Error(w, "Sorry, something went wrong. It has been logged.", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("Throughline: the shared record of a rape or serious sexual offence case.\n\nJSON API: /api/v1 (Authorization: Bearer <token>)\nOpenAPI document: /api/v1/openapi.json\n"))
}
