package web

import (
	"net/http"
	"net/url"
	"strings"

	"throughline"
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

// Access kinds of a route. A route of any other kind (or none) is never
// served: the server answers 404 without running its handler.
const (
	accessPublic  = "public"  // no sign-in: sign-in pages, assets, the OpenAPI document, the victim portal
	accessSigning = "signing" // half signed in: the security code and authenticator set-up
	accessSession = "session" // any signed-in user: no case data (their account; simulator aggregates)
	accessPolicy  = "policy"  // decided by throughline.Can: the guard asks about actions[0] before the handler runs
)

// route is one entry of the route table: every pattern the server serves,
// with how access to it is decided. For a policy route, the guard asks the
// policy about actions[0] before the handler runs (on the case of the
// pattern's {ref}, or, for a route about no one case, whether the user may
// take the action at all); the other actions are the finer questions the
// handler asks. The access matrix test walks this table.
type route struct {
	pattern string
	access  string
	actions []string
	// auth authenticates the caller of a session or policy route (pages:
	// signedIn; API: bearer).
	auth    func(http.Handler) http.Handler
	handler http.Handler
	// back, on a route that changes who may do what (administration: users,
	// teams, case teams, the directory), asks for a sign-in proof within
	// throughline.ReauthWithin before the handler runs; a stale session goes
	// to /reauth, changing nothing, and then to back (a path whose {names}
	// are the request's path values), the page the form was on.
	back string
}

// handlers are the audiences' handlers, made once per server.
type handlers struct {
	cases     *staff.CaseList
	caseRec   *staff.CaseRecord
	material  *staff.Material
	apiMat    *api.Material
	record    *staff.Recording
	work      *staff.WorkLists
	today     *staff.Today
	tasks     *staff.Tasks
	messages  *staff.Messaging
	admin     *admin.Admin
	adminDay  *admin.Today
	oversight *admin.Oversight
	directory *admin.Directory
	dash      *dashboard.Dashboard
	feedback  *dashboard.Feedback
	unit      *dashboard.Unit
	reviews   *review.Reviews
	sim       *simulator.Simulator
	signIn    *signin.SignInPages
	portal    *portal.Portal
	apiCases  *api.Cases
	apiDue    *api.Deadlines
	apiMsgs   *api.Messages
	openAPI   []byte
}

func (s *Server) routes(h *handlers) []route {
	pg := func(pattern string, actions []string, f pageFunc) route {
		return route{pattern: pattern, access: accessPolicy, actions: actions, auth: s.signedIn, handler: s.pageHandler(f)}
	}
	session := func(pattern string, f pageFunc) route {
		return route{pattern: pattern, access: accessSession, auth: s.signedIn, handler: s.pageHandler(f)}
	}
	pub := func(pattern string, f func(http.ResponseWriter, *http.Request) error) route {
		return route{pattern: pattern, access: accessPublic, handler: s.public(f)}
	}
	signing := func(pattern, state string, f pageFunc) route {
		return route{pattern: pattern, access: accessSigning, handler: s.halfSignedIn(state, f)}
	}
	call := func(pattern string, actions []string, f api.Handler) route {
		return route{pattern: pattern, access: accessPolicy, actions: actions, auth: s.bearer, handler: s.apiHandler(f)}
	}
	victim := func(pattern string, f http.HandlerFunc) route {
		return route{pattern: pattern, access: accessPublic, handler: f}
	}
	// administer is a page route that changes who may do what.
	administer := func(pattern, back string, actions []string, f pageFunc) route {
		rt := pg(pattern, actions, f)
		rt.back = back
		return rt
	}
	acts := func(a ...string) []string { return a }
	p, si, st := h.portal, h.signIn, h.cases
	var demo []route
	if s.Demo != nil {
		// A demonstration's outbox: what was "sent" to demo victims. Never
		// in a real deployment (serve sets Demo only with --demo and no
		// delivery channel configured).
		demo = append(demo, victim("GET /demo/outbox", p.DemoOutbox))
	}
	return append(demo, []route{
		// Public.
		pub("GET /{$}", si.Home),
		// Probes for load balancers and orchestrators: no case data.
		{pattern: "GET /healthz", access: accessPublic, handler: http.HandlerFunc(s.healthz)},
		{pattern: "GET /readyz", access: accessPublic, handler: http.HandlerFunc(s.readyz)},
		{pattern: "GET /assets/", access: accessPublic, handler: page.Assets()},
		{pattern: "GET /api/v1/openapi.json", access: accessPublic, handler: api.ServeOpenAPI(h.openAPI)},
		pub("GET /sign-in", si.SignInForm),
		pub("POST /sign-in", si.SignIn),
		pub("POST /sign-out", si.SignOut),
		pub("GET /sign-in/oidc", si.OidcStart),
		pub("GET /sign-in/oidc/callback", si.OidcCallback),

		// Half signed in.
		signing("GET /sign-in/code", throughline.SessionCode, si.CodeForm),
		signing("POST /sign-in/code", throughline.SessionCode, si.Code),
		signing("GET /sign-in/authenticator", throughline.SessionEnrol, si.EnrolForm),
		signing("POST /sign-in/authenticator", throughline.SessionEnrol, si.Enrol),

		// Signed in, about oneself.
		session("GET /account", si.Account),
		session("POST /account/sessions", si.EndSessions),
		session("GET /reauth", si.ReauthForm),
		session("POST /reauth", si.Reauth),

		// Backlog simulator: aggregates only, no case data.
		session("GET /simulate", h.sim.SimulateForm),
		session("POST /simulate", h.sim.Simulate),

		// The page each person lands on: what needs them now.
		pg("GET /today", acts(throughline.ActionListCases, throughline.ActionReadCase, throughline.ActionReviewAccess), h.today.TodayPage),

		// Cases.
		pg("GET /cases", acts(throughline.ActionListCases), st.CasesPage),
		pg("GET /search", acts(throughline.ActionSearch), st.SearchPage),
		pg("GET /cases/{ref}", acts(throughline.ActionReadCase, throughline.ActionAppend, throughline.ActionRecordConsent, throughline.ActionReadConsultations, throughline.ActionManageCaseTeam, throughline.ActionVictimView, throughline.ActionApproveCaseTeam), h.caseRec.CasePage),
		pg("GET /cases/{ref}/disclosure/information-requests", acts(throughline.ActionReadCase), h.caseRec.InformationRequestsText),
		pg("GET /cases/{ref}/disclosure/information-requests.pdf", acts(throughline.ActionReadCase), h.caseRec.InformationRequestsPDF),
		// Restricted material (ADR 0402): every route asks, in its handler,
		// whether the user is one of the case's named two
		// (throughline.CanHoldRestricted), or, for a designation, the
		// case's supervisor of the role.
		pg("GET /cases/{ref}/material", acts(throughline.ActionReadCase), h.material.MaterialPage),
		pg("GET /cases/{ref}/material/new", acts(throughline.ActionReadCase), h.material.UploadForm),
		pg("POST /cases/{ref}/material", acts(throughline.ActionReadCase), h.material.Upload),
		pg("GET /cases/{ref}/material/designations", acts(throughline.ActionManageCaseTeam), h.material.DesignateForm),
		administer("POST /cases/{ref}/material/designations", "/cases/{ref}/material/designations", acts(throughline.ActionManageCaseTeam), h.material.Designate),
		pg("GET /cases/{ref}/material/{id}", acts(throughline.ActionReadCase), h.material.ItemPage),
		pg("POST /cases/{ref}/material/{id}", acts(throughline.ActionReadCase), h.material.Open),
		pg("POST /cases/{ref}/material/{id}/redactions", acts(throughline.ActionReadCase), h.material.Redact),
		pg("GET /cases/{ref}/record", acts(throughline.ActionRecord), h.record.RecordMenu),
		pg("GET /cases/{ref}/record/{type}", acts(throughline.ActionRecord), h.record.RecordForm),
		pg("POST /cases/{ref}/record/{type}", acts(throughline.ActionRecord), h.record.Record),
		pg("GET /cases/{ref}/tasks/{id}", acts(throughline.ActionAppend), h.tasks.TaskPage),
		pg("POST /cases/{ref}/tasks/{id}", acts(throughline.ActionAppend), h.tasks.CompleteTask),
		pg("GET /cases/{ref}/messages/new", acts(throughline.ActionAppend), h.messages.MessageForm),
		pg("POST /cases/{ref}/messages", acts(throughline.ActionAppend), h.messages.SendMessage),
		pg("POST /cases/{ref}/messages/{id}/retry", acts(throughline.ActionAppend), h.messages.RetryMessage),
		pg("POST /cases/{ref}/complainants/{id}/sign-in-code", acts(throughline.ActionAppend), h.messages.SendSignInCode),
		pg("GET /cases/{ref}/consent", acts(throughline.ActionRecordConsent), h.oversight.ConsentForm),
		pg("POST /cases/{ref}/consent", acts(throughline.ActionRecordConsent), h.oversight.Consent),
		pg("GET /cases/{ref}/victim-view", acts(throughline.ActionVictimView), p.VictimView),
		pg("GET /cases/{ref}/access-log", acts(throughline.ActionReadConsultations), h.oversight.AccessLog),
		pg("GET /cases/{ref}/team", acts(throughline.ActionManageCaseTeam), h.admin.CaseTeamPage),
		administer("POST /cases/{ref}/team", "/cases/{ref}/team", acts(throughline.ActionManageCaseTeam), h.admin.CaseTeamChange),
		pg("GET /cases/{ref}/team/requests", acts(throughline.ActionApproveCaseTeam), h.admin.TeamRequests),
		pg("POST /cases/{ref}/team/requests/{id}", acts(throughline.ActionApproveCaseTeam), h.admin.DecideTeamRequest),
		pg("GET /break-glass", acts(throughline.ActionBreakGlass, throughline.ActionReadCase), h.oversight.BreakGlassForm),
		pg("POST /break-glass", acts(throughline.ActionBreakGlass, throughline.ActionReadCase), h.oversight.BreakGlass),
		pg("GET /access-review", acts(throughline.ActionReviewAll, throughline.ActionReviewAccess), h.oversight.AccessReview),
		pg("POST /access-review/{id}", acts(throughline.ActionReviewAccess), h.oversight.ReviewAccess),

		// Work lists across cases: each row's case decided by the policy.
		pg("GET /deadlines", acts(throughline.ActionListCases, throughline.ActionReadCase), h.work.DeadlinesPage(false)),
		pg("GET /deadlines/team", acts(throughline.ActionListCases, throughline.ActionReadCase), h.work.DeadlinesPage(true)),
		pg("GET /failed-deliveries", acts(throughline.ActionContactQueues, throughline.ActionReadCase), h.work.FailedDeliveries),
		pg("GET /not-updated", acts(throughline.ActionContactQueues, throughline.ActionReadCase), h.work.NotUpdated),
		pg("GET /team-requests", acts(throughline.ActionListCases, throughline.ActionApproveCaseTeam), h.admin.WaitingTeamRequests),

		// The oversight dashboards: the measures' aggregates, no case.
		pg("GET /dashboard", acts(throughline.ActionViewMeasures), h.dash.Page),
		pg("GET /dashboard.csv", acts(throughline.ActionViewMeasures), h.dash.CSV),
		pg("GET /dashboard/feedback", acts(throughline.ActionViewMeasures), h.feedback.Page),
		// A supervisor's own unit: the joint police–CPS work, no case.
		pg("GET /dashboard/unit", acts(throughline.ActionViewMeasures), h.unit.Page),
		pg("GET /dashboard/unit.csv", acts(throughline.ActionViewMeasures), h.unit.CSV),

		// Case-file reviews: a sample of closed cases; each case of it is
		// read through the case page, under the review's relation.
		pg("GET /reviews", acts(throughline.ActionReviewCaseFiles), h.reviews.List),
		pg("POST /reviews", acts(throughline.ActionReviewCaseFiles), h.reviews.Create),
		pg("GET /reviews/{id}", acts(throughline.ActionReviewCaseFiles), h.reviews.Show),
		// A reviewer's answers about one case of the review (?case=): they
		// show no case data, only the reviewer's own answers.
		pg("GET /reviews/{id}/answers", acts(throughline.ActionReviewCaseFiles), h.reviews.AnswersForm),
		pg("POST /reviews/{id}/answers", acts(throughline.ActionReviewCaseFiles), h.reviews.Answers),

		// Administration: no case data.
		pg("GET /admin/today", acts(throughline.ActionAdminister), h.adminDay.AdminToday),
		pg("GET /admin/users", acts(throughline.ActionAdminister), h.admin.AdminUsers),
		pg("GET /admin/users/new", acts(throughline.ActionAdminister), h.admin.AdminNewUserForm),
		administer("POST /admin/users/new", "/admin/users/new", acts(throughline.ActionAdminister), h.admin.AdminNewUser),
		pg("GET /admin/users/{id}", acts(throughline.ActionAdminister), h.admin.AdminUserForm),
		administer("POST /admin/users/{id}", "/admin/users/{id}", acts(throughline.ActionAdminister), h.admin.AdminUser),
		pg("GET /admin/teams", acts(throughline.ActionAdminister), h.admin.AdminTeams),
		administer("POST /admin/teams", "/admin/teams", acts(throughline.ActionAdminister), h.admin.AdminTeamCreate),
		administer("POST /admin/teams/{id}/members", "/admin/teams", acts(throughline.ActionAdminister), h.admin.AdminTeamMembers),
		pg("GET /admin/case-teams", acts(throughline.ActionManageCaseTeam), h.admin.AdminCaseTeams),
		pg("GET /admin/directory", acts(throughline.ActionAdminister), h.directory.DirectoryPage),
		pg("GET /admin/directory/contacts/{id}", acts(throughline.ActionAdminister), h.directory.ContactForm),
		administer("POST /admin/directory/contacts/{id}", "/admin/directory/contacts/{id}", acts(throughline.ActionAdminister), h.directory.Contact),
		administer("POST /admin/directory/contacts/{id}/remove", "/admin/directory/contacts/{id}", acts(throughline.ActionAdminister), h.directory.RemoveContact),
		pg("GET /admin/directory/services/{id}", acts(throughline.ActionAdminister), h.directory.ServiceForm),
		administer("POST /admin/directory/services/{id}", "/admin/directory/services/{id}", acts(throughline.ActionAdminister), h.directory.Service),
		administer("POST /admin/directory/services/{id}/remove", "/admin/directory/services/{id}", acts(throughline.ActionAdminister), h.directory.RemoveService),
		pg("GET /admin/directory/courts/{id}", acts(throughline.ActionAdminister), h.directory.CourtForm),
		administer("POST /admin/directory/courts/{id}", "/admin/directory/courts/{id}", acts(throughline.ActionAdminister), h.directory.Court),
		administer("POST /admin/directory/courts/{id}/remove", "/admin/directory/courts/{id}", acts(throughline.ActionAdminister), h.directory.RemoveCourt),

		// The JSON API.
		call("POST /api/v1/cases", acts(throughline.ActionOpenCase), h.apiCases.CreateCase),
		call("GET /api/v1/cases", acts(throughline.ActionListCases, throughline.ActionReadCase), h.apiCases.ListCases),
		call("GET /api/v1/cases/{ref}", acts(throughline.ActionReadCase), h.apiCases.GetCase),
		call("POST /api/v1/cases/{ref}/events", acts(throughline.ActionRecord), h.apiCases.AppendEvent),
		call("GET /api/v1/cases/{ref}/events", acts(throughline.ActionReadEvents), h.apiCases.ListEvents),
		call("GET /api/v1/cases/{ref}/deadlines", acts(throughline.ActionReadCase), h.apiDue.ListDeadlines),
		call("GET /api/v1/cases/{ref}/messages", acts(throughline.ActionReadCase), h.apiMsgs.ListMessages),
		call("POST /api/v1/cases/{ref}/messages", acts(throughline.ActionAppend), h.apiMsgs.PostMessage),
		call("POST /api/v1/cases/{ref}/information-requests", acts(throughline.ActionAppend), h.apiCases.PostInformationRequest),
		call("POST /api/v1/cases/{ref}/material", acts(throughline.ActionReadCase), h.apiMat.PostMaterial),
		call("GET /api/v1/cases/{ref}/material/{id}", acts(throughline.ActionReadCase), h.apiMat.GetMaterial),
		call("POST /api/v1/cases/{ref}/material/{id}/redactions", acts(throughline.ActionReadCase), h.apiMat.PostRedaction),
		// A designation changes who may open restricted material: the page
		// asks for a fresh sign-in proof; a bearer token has no session to
		// prove afresh, so the API's guard asks only that the case be read,
		// and the handler asks CanDesignate (the case's supervisor of the
		// role's agency). ADR 0402.
		call("POST /api/v1/cases/{ref}/disclosure-designations", acts(throughline.ActionReadCase, throughline.ActionManageCaseTeam), h.apiMat.PostDesignation),
		{pattern: "POST /notify/receipts", access: accessPublic, handler: s.publicJSON(h.apiMsgs.NotifyReceipt)},

		// The victim portal: its own sign-in, a victim's own case only.
		victim("GET /victim", p.SignInForm),
		victim("POST /victim/sign-in", p.SignIn),
		victim("GET /victim/code", p.CodeForm),
		victim("POST /victim/code", p.Code),
		victim("GET /victim/case", p.Victim(p.CasePage)),
		victim("GET /victim/calendar.ics", p.Victim(p.Calendar)),
		victim("GET /victim/feed.ics", p.Feed),
		victim("GET /victim/support", p.Victim(p.SupportPage)),
		victim("GET /victim/rights", p.Victim(p.RightsPage)),
		victim("GET /victim/statement", p.Victim(p.StatementForm)),
		victim("POST /victim/statement", p.Victim(p.Statement)),
		victim("GET /victim/review", p.Victim(p.ReviewForm)),
		victim("POST /victim/review", p.Victim(p.Review)),
		victim("GET /victim/preferences", p.Victim(p.PrefsForm)),
		victim("POST /victim/preferences", p.Victim(p.Prefs)),
		victim("POST /victim/preferences/confirm", p.Victim(p.PrefsConfirm)),
		victim("POST /victim/callback", p.Victim(p.Callback)),
		victim("POST /victim/feedback", p.Victim(p.Feedback)),
		victim("POST /victim/sign-out", p.SignOut),
		victim("GET /victim/exit", p.Exit),
		victim("POST /victim/feed/new", p.Victim(p.NewFeed)),
	}...)
}

// mount serves one route as its access kind says: a policy route only
// after authentication and the guard; a route of no known kind never.
func (s *Server) mount(mux *http.ServeMux, rt route) {
	var h http.Handler
	switch {
	case rt.access == accessPublic || rt.access == accessSigning:
		h = rt.handler
	case rt.access == accessSession && rt.auth != nil:
		h = rt.auth(rt.handler)
	case rt.access == accessPolicy && rt.auth != nil && len(rt.actions) > 0 && rt.back != "":
		h = rt.auth(s.guard(rt, s.proven(rt.back, rt.handler)))
	case rt.access == accessPolicy && rt.auth != nil && len(rt.actions) > 0:
		h = rt.auth(s.guard(rt, rt.handler))
	default:
		s.Logger.Error("route refused: no access kind, or a policy route without actions", "pattern", rt.pattern, "access", rt.access)
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.Error(w, r, nil, throughline.Errorf(throughline.ENOTFOUND, "no such page"))
		})
	}
	mux.Handle(rt.pattern, h)
}

// guard asks the policy about the route's first action before its handler
// runs: on the case of the pattern's {ref} (a refusal is ENOTFOUND, exactly
// as a case that does not exist), or, for a route about no one case,
// whether the user may take the action at all (a refusal is EFORBIDDEN).
// A handler that forgets to ask is still guarded.
func (s *Server) guard(rt route, next http.Handler) http.Handler {
	action := rt.actions[0]
	aboutCase := strings.Contains(rt.pattern, "{ref}")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq, _ := r.Context().Value(requestKey{}).(*page.Request)
		u, ok := userOf(r)
		if !ok {
			s.Error(w, r, rq, throughline.Errorf(throughline.EUNAUTHORIZED, "sign in first"))
			return
		}
		if aboutCase {
			// One canonical form of a reference, for the guard and for
			// every handler after it: "13rs1/24" is case 13RS1/24.
			r.SetPathValue("ref", throughline.NormalizeReference(r.PathValue("ref")))
			if _, err := s.access.Scope(r.Context(), u, r.PathValue("ref"), action); err != nil {
				s.Error(w, r, rq, err)
				return
			}
		} else if !throughline.CanSome(u, action) {
			s.Error(w, r, rq, throughline.Errorf(throughline.EFORBIDDEN, "Your role (%s) does not allow this.", throughline.RoleName(u.Role)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// proven runs next only for a user who proved who they are within
// throughline.ReauthWithin (page.Request.Proven); anyone else goes to
// /reauth and then to back, with {names} filled from the request's path.
func (s *Server) proven(back string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq, _ := r.Context().Value(requestKey{}).(*page.Request)
		if rq == nil || !rq.Proven(s.Now()) {
			page.Reauth(w, r, pathFilled(back, r))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// pathFilled is pattern with each {name} replaced by r's path value,
// escaped.
func pathFilled(pattern string, r *http.Request) string {
	segs := strings.Split(pattern, "/")
	for i, seg := range segs {
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			segs[i] = url.PathEscape(r.PathValue(strings.TrimSuffix(name, "}")))
		}
	}
	return strings.Join(segs, "/")
}
