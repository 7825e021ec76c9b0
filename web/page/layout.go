package page

import (
	"net/url"
	"strings"
	"time"

	"throughline"
)

// Request is what a signed-in page handler knows of its request: who is
// signed in, and how.
type Request struct {
	User throughline.User
	// Token is the session's token; Method how the user signed in
	// ("password" or "oidc"), SignedInAt when, and AuthAt when they last
	// proved who they are (for a break-glass).
	Token      string
	Method     string
	SignedInAt time.Time
	AuthAt     time.Time
}

// NavItem is a link of the service navigation.
type NavItem struct {
	Text   string
	Href   string
	Active bool
}

// Layout is what every page's layout needs.
type Layout struct {
	Title        string
	User         *throughline.User
	Nav          []NavItem
	Back         string
	ErrorSummary *ErrorSummary
	Banner       *NotificationBanner
}

// NewLayout builds the layout of a page for a signed-in user (none when rq
// is nil): the navigation shows what the policy lets them do, and only that.
func NewLayout(rq *Request, title, active string) Layout {
	l := Layout{Title: title}
	if rq == nil {
		return l
	}
	u := rq.User
	l.User = &u
	can := func(action string) bool { return throughline.CanSome(u, action) }
	add := func(id, text, href string) {
		l.Nav = append(l.Nav, NavItem{Text: text, Href: href, Active: id == active})
	}
	if can(throughline.ActionListCases) {
		add("today", "Today", "/today")
		add("cases", "Your cases", "/cases")
	}
	if can(throughline.ActionSearch) {
		add("search", "Search", "/search")
	}
	if throughline.MaySeePart(u, throughline.PartWork) {
		add("deadlines", "Your deadlines", "/deadlines")
	}
	if can(throughline.ActionContactQueues) {
		add("contact", "Victim contact", "/failed-deliveries")
	}
	if can(throughline.ActionBreakGlass) {
		add("break-glass", "Emergency access to a case", "/break-glass")
	}
	if can(throughline.ActionReviewAll) {
		add("access-review", "Access review", "/access-review")
	}
	if can(throughline.ActionViewMeasures) {
		add("measures", "Measures", "/dashboard")
		if _, ok := throughline.Supervised(u); ok {
			add("unit", "Your unit", "/dashboard/unit")
		}
	}
	if can(throughline.ActionReviewCaseFiles) {
		add("reviews", "Case-file reviews", "/reviews")
	}
	if can(throughline.ActionAdminister) {
		add("today", "Today", "/admin/today")
		add("admin", "Users", "/admin/users")
		add("case-teams", "Case teams", "/admin/case-teams")
		add("directory", "Contacts and support services", "/admin/directory")
	}
	add("simulate", "Compare backlog scenarios", "/simulate")
	add("account", "Your account", "/account")
	return l
}

// ErrorView is the view of the error page.
type ErrorView struct {
	Layout
	Heading    string
	Message    string
	BreakGlass string // a link to ask for emergency access, on a 404 for a case
}

// CaseURL is the address of a case's page, or of a page under it.
func CaseURL(ref string, rest ...string) string {
	u := "/cases/" + url.PathEscape(ref)
	if len(rest) > 0 {
		u += "/" + strings.Join(rest, "/")
	}
	return u
}
