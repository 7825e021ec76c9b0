package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"throughline"
)

// Cookie names: behind TLS the __Host- prefix pins the cookie to this host,
// path / and Secure.
const (
	cookieTLS   = "__Host-throughline"
	cookiePlain = "throughline"
)

// secure reports whether the request came over TLS (directly or through a
// proxy that says so).
func secure(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

func sessionToken(r *http.Request) string {
	for _, name := range []string{cookieTLS, cookiePlain} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

// setSession sets the session cookie: HttpOnly, SameSite=Lax, Secure with
// the __Host- prefix behind TLS, and no expiry (the server ends sessions).
func setSession(w http.ResponseWriter, r *http.Request, token string) {
	c := &http.Cookie{Name: cookiePlain, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if secure(r) {
		c.Name, c.Secure = cookieTLS, true
	}
	http.SetCookie(w, c)
}

func clearSession(w http.ResponseWriter, r *http.Request) {
	c := &http.Cookie{Name: cookiePlain, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: -1}
	if secure(r) {
		c.Name, c.Secure = cookieTLS, true
	}
	http.SetCookie(w, c)
}

// request is what a signed-in page handler knows of the request.
type request struct {
	User    throughline.User
	Session throughline.Session
	Token   string
}

// pageFunc is a page handler. An error it returns becomes the right page:
// ENOTFOUND a 404, EFORBIDDEN a 403, anything unexpected a 500.
type pageFunc func(w http.ResponseWriter, r *http.Request, rq *request) error

// signedIn serves h to a fully signed-in user, and sends anyone else to sign
// in, coming back here afterwards.
func (s *Server) signedIn(h pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := sessionToken(r)
		se, err := s.Identity.Session(r.Context(), token)
		if err == nil && se.State != throughline.SessionActive {
			err = throughline.ErrNoSession
		}
		if err != nil {
			if throughline.ErrorCode(err) != throughline.EUNAUTHORIZED {
				s.pageError(w, r, nil, err)
				return
			}
			if token != "" {
				clearSession(w, r)
			}
			next := ""
			if r.Method == http.MethodGet {
				next = r.URL.RequestURI()
			}
			http.Redirect(w, r, signInURL(next, token != ""), http.StatusSeeOther)
			return
		}
		rq := &request{User: se.User, Session: se, Token: token}
		if err := h(w, r, rq); err != nil {
			s.pageError(w, r, rq, err)
		}
	})
}

// halfSignedIn serves h to a session in the given sign-in state.
func (s *Server) halfSignedIn(state string, h pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := sessionToken(r)
		se, err := s.Identity.Session(r.Context(), token)
		if err != nil || se.State != state {
			if err != nil && throughline.ErrorCode(err) != throughline.EUNAUTHORIZED {
				s.pageError(w, r, nil, err)
				return
			}
			http.Redirect(w, r, signInURL(r.URL.Query().Get("next"), token != ""), http.StatusSeeOther)
			return
		}
		rq := &request{User: se.User, Session: se, Token: token}
		if err := h(w, r, rq); err != nil {
			s.pageError(w, r, rq, err)
		}
	})
}

// public serves a page that needs no sign-in.
func (s *Server) public(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.pageError(w, r, nil, err)
		}
	})
}

func signInURL(next string, expired bool) string {
	q := url.Values{}
	if safeNext(next) != "" {
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

// safeNext returns next if it is a path on this site, else "".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return ""
	}
	return next
}

// errorPage is the view of an error page.
type errorPage struct {
	Layout
	Heading    string
	Message    string
	BreakGlass string // a link to ask for emergency access, on a 404 for a case
}

// pageError renders the page for an error a page handler returned.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	var l Layout
	if rq != nil {
		l = s.layout(rq, "", "")
	}
	switch throughline.ErrorCode(err) {
	case throughline.ENOTFOUND:
		l.Title = "Page not found"
		p := errorPage{Layout: l, Heading: "Page not found", Message: "If you typed the web address, check it is correct. If you followed a link to a case, you may not be on its case team."}
		if ref := r.PathValue("ref"); ref != "" && rq != nil && rq.User.Role != throughline.RolePoliceSupervisor && isCaseworker(rq.User.Role) {
			p.BreakGlass = "/break-glass?ref=" + url.QueryEscape(ref)
		}
		s.render(w, r, http.StatusNotFound, "error", p)
	case throughline.EFORBIDDEN:
		l.Title = "You cannot do this"
		s.render(w, r, http.StatusForbidden, "error", errorPage{Layout: l, Heading: "You cannot do this", Message: throughline.ErrorMessage(err)})
	case throughline.EUNAUTHORIZED:
		http.Redirect(w, r, signInURL("", true), http.StatusSeeOther)
	default:
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			l.Title = "Too much information"
			s.render(w, r, http.StatusRequestEntityTooLarge, "error", errorPage{Layout: l, Heading: "Too much information", Message: "What you sent is too large. Go back and shorten it."})
			return
		}
		s.Logger.Error("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
		l.Title = "Sorry, there is a problem with the service"
		s.render(w, r, http.StatusInternalServerError, "error", errorPage{Layout: l, Heading: "Sorry, there is a problem with the service", Message: "Try again later. What you were doing has not been saved unless the page said so."})
	}
}

func isCaseworker(role string) bool {
	switch role {
	case throughline.RoleOfficer, throughline.RolePoliceSupervisor, throughline.RoleProsecutor, throughline.RoleParalegal, throughline.RoleVLU, throughline.RoleWitnessCare:
		return true
	}
	return false
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

// layout builds the layout for a signed-in user: the navigation shows what
// the policy lets them do.
func (s *Server) layout(rq *request, title, active string) Layout {
	l := Layout{Title: title}
	if rq == nil {
		return l
	}
	u := rq.User
	l.User = &u
	can := func(action string) bool { return throughline.Can(u, action, nil, throughline.Relation{}).Allowed }
	add := func(id, text, href string) {
		l.Nav = append(l.Nav, NavItem{Text: text, Href: href, Active: id == active})
	}
	if can(throughline.ActionListCases) {
		add("cases", "Your cases", "/cases")
	}
	if can(throughline.ActionSearch) {
		add("search", "Search", "/search")
	}
	if isCaseworker(u.Role) || u.Role == throughline.RoleInspector {
		add("deadlines", "Deadlines", "/deadlines")
	}
	if can(throughline.ActionContactQueues) {
		add("contact", "Victim contact", "/failed-deliveries")
	}
	if isCaseworker(u.Role) && u.Role != throughline.RolePoliceSupervisor {
		add("break-glass", "Emergency access", "/break-glass")
	}
	if can(throughline.ActionReviewAll) {
		add("access-review", "Access review", "/access-review")
	}
	if can(throughline.ActionAdminister) {
		add("admin", "Users and teams", "/admin/users")
		add("case-teams", "Case teams", "/admin/case-teams")
	}
	add("simulate", "Backlog simulator", "/simulate")
	add("account", "Your account", "/account")
	return l
}

// fieldErrors turns an error into an error summary and messages by field.
// Fields are named by their form names; fieldFor maps a domain field path
// (e.g. "data.defendant_id") to the form field and its first control's id.
func errorSummary(err error, fieldFor func(string) (name, id string)) (*ErrorSummary, fieldMessages) {
	msgs := fieldMessages{}
	es := &ErrorSummary{TitleText: "There is a problem"}
	var te *throughline.Error
	if !errors.As(err, &te) {
		es.ErrorList = append(es.ErrorList, ErrorLink{Text: "Sorry, there is a problem with the service. Try again later."})
		return es, msgs
	}
	if len(te.Fields) == 0 {
		es.ErrorList = append(es.ErrorList, ErrorLink{Text: sentence(te.Message)})
		return es, msgs
	}
	for _, f := range te.Fields {
		name, id := fieldFor(f.Field)
		msg := sentence(f.Message)
		if _, dup := msgs[name]; dup {
			continue
		}
		msgs[name] = msg
		link := ErrorLink{Text: msg}
		if id != "" {
			link.Href = "#" + id
		}
		es.ErrorList = append(es.ErrorList, link)
	}
	return es, msgs
}

// fieldMessages are a form's error messages by field name.
type fieldMessages map[string]string

// of is the message of a field, for its component; nil if none (or no
// error at all: msgs is then nil).
func (msgs fieldMessages) of(name string) *ErrorMessage {
	if m, ok := msgs[name]; ok {
		return &ErrorMessage{Text: m}
	}
	return nil
}

// sameField names a form field and its control alike: the field mapper of
// forms whose domain fields are their form fields.
func sameField(f string) (name, id string) { return f, f }

// sentence starts a message with a capital letter.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
