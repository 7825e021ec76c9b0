package web

import (
	"net/http"

	"throughline"
)

// Access kinds of a route that the policy does not decide.
const (
	accessPublic  = "public"  // no sign-in: sign-in pages, assets, the OpenAPI document
	accessSigning = "signing" // half signed in: the security code and authenticator set-up
	accessSession = "session" // any signed-in user: no case data (their account; simulator aggregates)
	accessPolicy  = "policy"  // decided by throughline.Can for the actions listed
)

// route is one entry of the route table: every pattern the server serves,
// with how access to it is decided. The access matrix test walks this table
// and fails for a route whose actions the matrix does not cover.
type route struct {
	pattern string
	access  string
	actions []string
	handler http.Handler
}

func (s *Server) routes() []route {
	p := func(pattern string, actions []string, h http.Handler) route {
		return route{pattern: pattern, access: accessPolicy, actions: actions, handler: h}
	}
	acts := func(a ...string) []string { return a }
	return append([]route{
		// Public.
		{pattern: "GET /{$}", access: accessPublic, handler: s.public(s.home)},
		{pattern: "GET /assets/", access: accessPublic, handler: s.assets()},
		{pattern: "GET /api/v1/openapi.json", access: accessPublic, handler: http.HandlerFunc(s.openAPI)},
		{pattern: "GET /sign-in", access: accessPublic, handler: s.public(s.signInForm)},
		{pattern: "POST /sign-in", access: accessPublic, handler: s.public(s.signIn)},
		{pattern: "POST /sign-out", access: accessPublic, handler: s.public(s.signOut)},
		{pattern: "GET /sign-in/oidc", access: accessPublic, handler: s.public(s.oidcStart)},
		{pattern: "GET /sign-in/oidc/callback", access: accessPublic, handler: s.public(s.oidcCallback)},

		// Half signed in.
		{pattern: "GET /sign-in/code", access: accessSigning, handler: s.halfSignedIn(throughline.SessionCode, s.codeForm)},
		{pattern: "POST /sign-in/code", access: accessSigning, handler: s.halfSignedIn(throughline.SessionCode, s.code)},
		{pattern: "GET /sign-in/authenticator", access: accessSigning, handler: s.halfSignedIn(throughline.SessionEnrol, s.enrolForm)},
		{pattern: "POST /sign-in/authenticator", access: accessSigning, handler: s.halfSignedIn(throughline.SessionEnrol, s.enrol)},

		// Signed in, about oneself.
		{pattern: "GET /account", access: accessSession, handler: s.signedIn(s.account)},
		{pattern: "GET /reauth", access: accessSession, handler: s.signedIn(s.reauthForm)},
		{pattern: "POST /reauth", access: accessSession, handler: s.signedIn(s.reauth)},

		// Backlog simulator: aggregates only, no case data (simulate.go).
		{pattern: "GET /simulate", access: accessSession, handler: s.signedIn(s.simulateForm)},
		{pattern: "POST /simulate", access: accessSession, handler: s.signedIn(s.simulate)},

		// Cases.
		p("GET /cases", acts(throughline.ActionListCases), s.signedIn(s.casesPage)),
		p("GET /search", acts(throughline.ActionSearch), s.signedIn(s.searchPage)),
		p("GET /cases/{ref}", acts(throughline.ActionReadCase, throughline.ActionAppend, throughline.ActionRecordConsent, throughline.ActionReadConsultations, throughline.ActionManageCaseTeam), s.signedIn(s.casePage)),
		p("GET /cases/{ref}/record", acts(throughline.ActionAppend), s.signedIn(s.recordMenu)),
		p("GET /cases/{ref}/record/{type}", acts(throughline.ActionAppend), s.signedIn(s.recordForm)),
		p("POST /cases/{ref}/record/{type}", acts(throughline.ActionAppend), s.signedIn(s.record)),
		p("GET /cases/{ref}/consent", acts(throughline.ActionRecordConsent), s.signedIn(s.consentForm)),
		p("POST /cases/{ref}/consent", acts(throughline.ActionRecordConsent), s.signedIn(s.consent)),
		p("GET /cases/{ref}/victim-view", acts(throughline.ActionVictimView), s.signedIn(s.victimView)),
		p("GET /cases/{ref}/access-log", acts(throughline.ActionReadConsultations), s.signedIn(s.accessLog)),
		p("GET /cases/{ref}/team", acts(throughline.ActionManageCaseTeam), s.signedIn(s.caseTeamPage)),
		p("POST /cases/{ref}/team", acts(throughline.ActionManageCaseTeam), s.signedIn(s.caseTeamChange)),
		p("GET /break-glass", acts(throughline.ActionBreakGlass), s.signedIn(s.breakGlassForm)),
		p("POST /break-glass", acts(throughline.ActionBreakGlass), s.signedIn(s.breakGlass)),
		p("GET /access-review", acts(throughline.ActionReviewAll, throughline.ActionReviewAccess), s.signedIn(s.accessReview)),
		p("POST /access-review/{id}", acts(throughline.ActionReviewAccess), s.signedIn(s.reviewAccess)),

		// Work lists across cases (worklists.go): each row's case decided by the policy.
		p("GET /deadlines", acts(throughline.ActionListCases, throughline.ActionReadCase), s.signedIn(s.deadlinesPage(false))),
		p("GET /deadlines/team", acts(throughline.ActionListCases, throughline.ActionReadCase), s.signedIn(s.deadlinesPage(true))),
		p("GET /failed-deliveries", acts(throughline.ActionContactQueues, throughline.ActionReadCase), s.signedIn(s.failedDeliveries)),
		p("GET /not-updated", acts(throughline.ActionContactQueues, throughline.ActionReadCase), s.signedIn(s.notUpdated)),

		// Administration: no case data.
		p("GET /admin/users", acts(throughline.ActionAdminister), s.signedIn(s.adminUsers)),
		p("GET /admin/users/new", acts(throughline.ActionAdminister), s.signedIn(s.adminNewUserForm)),
		p("POST /admin/users/new", acts(throughline.ActionAdminister), s.signedIn(s.adminNewUser)),
		p("GET /admin/users/{id}", acts(throughline.ActionAdminister), s.signedIn(s.adminUserForm)),
		p("POST /admin/users/{id}", acts(throughline.ActionAdminister), s.signedIn(s.adminUser)),
		p("GET /admin/teams", acts(throughline.ActionAdminister), s.signedIn(s.adminTeams)),
		p("POST /admin/teams", acts(throughline.ActionAdminister), s.signedIn(s.adminTeamCreate)),
		p("POST /admin/teams/{id}/members", acts(throughline.ActionAdminister), s.signedIn(s.adminTeamMembers)),
		p("GET /admin/case-teams", acts(throughline.ActionManageCaseTeam), s.signedIn(s.adminCaseTeams)),

		// The JSON API.
		p("POST /api/v1/cases", acts(throughline.ActionOpenCase), s.api(s.createCase)),
		p("GET /api/v1/cases", acts(throughline.ActionListCases, throughline.ActionReadCase), s.api(s.listCases)),
		p("GET /api/v1/cases/{ref}", acts(throughline.ActionReadCase), s.api(s.getCase)),
		p("POST /api/v1/cases/{ref}/events", acts(throughline.ActionAppend), s.api(s.appendEvent)),
		p("GET /api/v1/cases/{ref}/events", acts(throughline.ActionReadEvents), s.api(s.listEvents)),
		p("GET /api/v1/cases/{ref}/deadlines", acts(throughline.ActionReadCase), s.api(s.listDeadlines)),
	}, s.messageRoutes()...)
}
