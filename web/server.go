// Package web serves Throughline over HTTP. It is a shell: the server, its
// hardening, the route table — which is the guard: every route names how
// access to it is decided, and a policy route's handler runs only after
// throughline.Can allowed its action — and the one mapping from domain
// errors to what the caller sees (errors.go). The pages and calls
// themselves live by audience — web/signin, web/staff, web/admin,
// web/simulator, web/portal and web/api — over the GOV.UK components of
// web/page.
package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"time"

	"throughline"
	"throughline/envelope"
	"throughline/restricted"
	"throughline/web/access"
	"throughline/web/admin"
	"throughline/web/api"
	"throughline/web/dashboard"
	"throughline/web/page"
	"throughline/web/portal"
	"throughline/web/review"
	"throughline/web/signin"
	"throughline/web/simulator"
	"throughline/web/staff"
)

// Store is what the server needs from storage: what each audience's
// handlers declare, and what authentication and the guard need.
type Store interface {
	access.Store
	signin.Store
	staff.Store
	admin.Store
	simulator.Store
	dashboard.Store
	dashboard.FeedbackStore
	dashboard.UnitStore
	review.Store
	api.Store
	portal.Store
	restricted.Store
	restricted.People
	staff.DeadlineIndex
	Session(ctx context.Context, token string) (throughline.Session, error)
	UserByToken(ctx context.Context, token string) (throughline.User, error)
}

// PortalSender sends victim-portal sign-in codes.
type PortalSender = portal.Sender

// Demo is a demonstration's outbox and victim (serve --demo).
type Demo = portal.Demo

// OIDC is sign-in with an identity provider.
type OIDC = signin.OIDC

// OIDCConfig configures it.
type OIDCConfig = signin.OIDCConfig

// NewOIDC discovers an identity provider.
var NewOIDC = signin.NewOIDC

// Server holds what the handlers need.
type Server struct {
	Store  Store
	Logger *slog.Logger
	Now    func() time.Time
	// OIDC, when set, offers sign-in with an identity provider.
	OIDC *OIDC
	// Deadlines answers the "due soon" and "overdue" filters of the case
	// list; nil means the store's deadlines projection.
	Deadlines staff.DeadlineIndex
	// NotifyCallbackToken is the bearer token GOV.UK Notify sends with
	// delivery receipts (POST /notify/receipts); empty refuses them all.
	NotifyCallbackToken string
	// PortalSend sends victim-portal sign-in codes; nil sends none.
	PortalSend PortalSender
	// Demo, only in a demonstration (serve --demo with no SMTP or Notify),
	// serves the demo outbox at /demo/outbox and names a demo victim.
	Demo *portal.Demo
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client; from anyone else the header is ignored.
	TrustedProxies []netip.Prefix
	// Ready answers the readiness probe (GET /readyz): nil when this
	// server should be sent requests, else a plain reason (no secrets).
	// Nil asks the store, if it can say (sqlstore: reachable, migrated).
	Ready func(ctx context.Context) error
	// Observe, when set, is told of every answered request: its route
	// pattern ("GET /cases/{ref}"; "unmatched" when none), status and
	// time taken (the metrics' latency histogram).
	Observe func(route string, status int, elapsed time.Duration)
	// PseudonymKey is the key of inspectors' pseudonyms, held outside the
	// database (serve --pseudonym-key, ADR 0113): every process serving one
	// database must be given the same. Nil makes one for this server alone,
	// which is what a test wants and no deployment.
	PseudonymKey []byte
	// MaterialKey wraps the data keys of restricted material (ADR 0402),
	// held outside the database (serve --material-key). Nil: this server
	// neither stores nor opens restricted material, and says so.
	MaterialKey envelope.KeyWrapper
	// Context, when set, is the server's own (serve's, cancelled at
	// shutdown): the dashboards read their figures again under it, in the
	// background, not under the request that asked (docs/adr/0256); and
	// Build starts reading the measures' figures at once, so that their
	// first reader does not wait. Nil: context.Background(), and the first
	// reader waits.
	Context context.Context

	access *access.Cases
}

// maxBody bounds every request body.
const maxBody = 1 << 20

// Build puts the server together: the templates parsed, the OpenAPI
// document built, every route of the table mounted behind its guard. A
// fault in any of them is an error here, not a broken page later.
func (s *Server) Build() (http.Handler, error) {
	h, err := s.handlers()
	if err != nil {
		return nil, err
	}
	return s.handler(s.routes(h)), nil
}

// Handler is Build for tests and tools: it panics if the server cannot be
// built. serve uses Build.
func (s *Server) Handler() http.Handler {
	h, err := s.Build()
	if err != nil {
		panic(err)
	}
	return h
}

// handler mounts routes and wraps them in the hardening.
func (s *Server) handler(routes []route) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		s.mount(mux, rt)
	}
	return s.observe(s.harden(s.unrouted(mux)))
}

// unrouted answers a request that matches no route, or a route but not its
// method, through Error like every other error (the styled page, or JSON
// under /api/), instead of the mux's plain text.
func (s *Server) unrouted(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			noteRoute(r, pattern)
			mux.ServeHTTP(w, r)
			return
		}
		// The mux's own answer says which: 404, or 405 with Allow.
		probe := &statusProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		switch probe.status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", probe.header.Get("Allow"))
			s.Error(w, r, nil, errMethodNotAllowed)
		case http.StatusNotFound:
			s.Error(w, r, nil, throughline.Errorf(throughline.ENOTFOUND, "no such page"))
		default: // a redirect to the canonical path, say
			mux.ServeHTTP(w, r)
		}
	})
}

// statusProbe records the status and headers a handler answers with,
// dropping its body.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header { return p.header }
func (p *statusProbe) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return len(b), nil
}
func (p *statusProbe) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}

// handlers makes each audience's handlers over the store.
func (s *Server) handlers() (*handlers, error) {
	if s.Store == nil {
		return nil, fmt.Errorf("web: no store")
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	s.withRequestIDs()
	if s.Now == nil {
		s.Now = time.Now
	}
	if err := page.Load(); err != nil {
		return nil, err
	}
	doc, err := api.OpenAPI()
	if err != nil {
		return nil, err
	}
	if s.PseudonymKey == nil {
		s.PseudonymKey = make([]byte, 32)
		rand.Read(s.PseudonymKey)
	}
	s.access = &access.Cases{Store: s.Store, PseudonymKey: s.PseudonymKey}
	due := s.Deadlines
	if due == nil {
		due = s.Store
	}
	b, acc := &page.Base{Logger: s.Logger, Now: s.Now}, s.access
	material := &restricted.Service{Store: s.Store, Key: s.MaterialKey, Now: s.Now}
	ab := &api.Base{Access: s.access, Logger: s.Logger, Now: s.Now}
	pt := &portal.Portal{Store: s.Store, Access: s.access, Logger: s.Logger, Now: s.Now, ClientIP: s.clientIP, Send: s.PortalSend,
		Fail: func(w http.ResponseWriter, r *http.Request, err error) { s.Error(w, r, nil, err) }, Demo: s.Demo}
	dash := &dashboard.Dashboard{Base: b, Store: s.Store, Context: s.Context}
	if s.Context != nil {
		dash.Warm()
	}
	return &handlers{
		cases:     &staff.CaseList{Base: b, Access: acc, Deadlines: due, Store: s.Store},
		caseRec:   &staff.CaseRecord{Base: b, Access: acc, Store: s.Store},
		material:  &staff.Material{Base: b, Access: acc, Store: s.Store, Service: material},
		apiMat:    &api.Material{Base: ab, Service: material, People: s.Store},
		record:    &staff.Recording{Base: b, Access: acc, Store: s.Store},
		work:      &staff.WorkLists{Base: b, Access: acc, Deadlines: due, Store: s.Store},
		today:     &staff.Today{Base: b, Access: acc, Deadlines: due, Store: s.Store},
		tasks:     &staff.Tasks{Base: b, Access: acc, Store: s.Store},
		messages:  &staff.Messaging{Base: b, Access: acc, Store: s.Store, Codes: pt},
		admin:     &admin.Admin{Base: b, Access: acc, Store: s.Store},
		adminDay:  &admin.Today{Base: b, Store: s.Store},
		oversight: &admin.Oversight{Base: b, Access: acc, Store: s.Store},
		directory: &admin.Directory{Base: b, Store: s.Store},
		dash:      dash,
		feedback:  &dashboard.Feedback{Base: b, Store: s.Store, Access: acc},
		unit:      &dashboard.Unit{Base: b, Store: s.Store, Context: s.Context},
		reviews:   &review.Reviews{Base: b, Access: acc, Store: s.Store},
		sim:       &simulator.Simulator{Base: b, Store: s.Store},
		signIn:    &signin.SignInPages{Base: b, ClientIP: s.clientIP, OIDC: s.OIDC, Store: s.Store},
		portal:    pt,
		apiCases:  &api.Cases{Base: ab, Store: s.Store},
		apiDue:    &api.Deadlines{Base: ab, Store: s.Store},
		apiMsgs:   &api.Messages{Base: ab, Store: s.Store, CallbackToken: s.NotifyCallbackToken},
		openAPI:   doc,
	}, nil
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
		if s.forwardedTLS(r) {
			r = page.WithForwardedTLS(r)
		}
		if page.Secure(r) {
			hd.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Error(w, r, nil, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		h.ServeHTTP(w, r)
	})
}
