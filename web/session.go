package web

import (
	"context"
	"net/http"
	"strings"

	"throughline"
	"throughline/web/api"
	"throughline/web/page"
)

// pageFunc is a signed-in page handler. An error it returns is answered by
// Error.
type pageFunc func(w http.ResponseWriter, r *http.Request, rq *page.Request) error

// userKey carries the authenticated user from authentication to the route
// guard.
type userKey struct{}

func withUser(r *http.Request, u throughline.User) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), userKey{}, u))
}

func userOf(r *http.Request) (throughline.User, bool) {
	u, ok := r.Context().Value(userKey{}).(throughline.User)
	return u, ok
}

// requestKey carries a signed-in page request to its handler.
type requestKey struct{}

// session finds the staff session of the request in state, as a page
// request; nil if there is none (err nil) or it could not be read.
func (s *Server) session(r *http.Request, state string) (*page.Request, error) {
	token := page.SessionToken(r)
	se, err := s.Store.Session(r.Context(), token)
	if err == nil && se.State != state {
		err = throughline.ErrNoSession
	}
	if err != nil {
		if throughline.ErrorCode(err) == throughline.EUNAUTHORIZED {
			return nil, nil
		}
		return nil, err
	}
	return &page.Request{User: se.User, Token: token, Method: se.Method, SignedInAt: se.Created, AuthAt: se.AuthAt}, nil
}

// signedIn authenticates a fully signed-in user, and sends anyone else to
// sign in, coming back here afterwards.
func (s *Server) signedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq, err := s.session(r, throughline.SessionActive)
		if err != nil {
			s.Error(w, r, nil, err)
			return
		}
		if rq == nil {
			token := page.SessionToken(r)
			if token != "" {
				page.ClearSession(w, r)
			}
			to := ""
			if r.Method == http.MethodGet {
				to = r.URL.RequestURI()
			}
			http.Redirect(w, r, page.SignInURL(to, token != ""), http.StatusSeeOther)
			return
		}
		r = withUser(r, rq.User)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestKey{}, rq)))
	})
}

// pageHandler serves a page to the signed-in user that signedIn found.
func (s *Server) pageHandler(h pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq, _ := r.Context().Value(requestKey{}).(*page.Request)
		if rq == nil {
			s.Error(w, r, nil, throughline.Errorf(throughline.EUNAUTHORIZED, "sign in first"))
			return
		}
		if err := h(w, r, rq); err != nil {
			s.Error(w, r, rq, err)
		}
	})
}

// halfSignedIn serves h to a session in the given sign-in state.
func (s *Server) halfSignedIn(state string, h pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq, err := s.session(r, state)
		if err != nil {
			s.Error(w, r, nil, err)
			return
		}
		if rq == nil {
			http.Redirect(w, r, page.SignInURL(r.URL.Query().Get("next"), page.SessionToken(r) != ""), http.StatusSeeOther)
			return
		}
		if err := h(w, r, rq); err != nil {
			s.Error(w, r, rq, err)
		}
	})
}

// public serves a page or call that needs no sign-in.
func (s *Server) public(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.Error(w, r, nil, err)
		}
	})
}

// bearer authenticates an API caller by their bearer token.
func (s *Server) bearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="throughline"`)
			s.Error(w, r, nil, throughline.Errorf(throughline.EUNAUTHORIZED, "an API token is required: Authorization: Bearer <token>"))
			return
		}
		u, err := s.Store.UserByToken(r.Context(), token)
		if err == nil && u.Disabled {
			err = throughline.Errorf(throughline.EUNAUTHORIZED, "this account is disabled")
		}
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="throughline", error="invalid_token"`)
			s.Error(w, r, nil, err)
			return
		}
		next.ServeHTTP(w, withUser(r, u))
	})
}

// apiHandler serves an API call to the user bearer found, as JSON.
func (s *Server) apiHandler(h api.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := userOf(r)
		if !ok {
			s.Error(w, r, nil, throughline.Errorf(throughline.EUNAUTHORIZED, "an API token is required"))
			return
		}
		status, body, err := h(w, r, u)
		if err != nil {
			s.Error(w, r, nil, err)
			return
		}
		writeJSON(w, status, body)
	})
}

// publicJSON serves a call that authenticates itself (Notify's receipts).
func (s *Server) publicJSON(h func(w http.ResponseWriter, r *http.Request) (int, any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, body, err := h(w, r)
		if err != nil {
			s.Error(w, r, nil, err)
			return
		}
		writeJSON(w, status, body)
	})
}
