package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"throughline"
	"throughline/web/page"
)

// answer is what the caller sees for one error code: the HTTP status, and
// on a page its heading and message ("" for the error's own message).
type answer struct {
	status           int
	heading, message string
}

// answers is the one table from domain error codes to what the caller
// sees, for the JSON API and for pages alike.
var answers = map[string]answer{
	throughline.EINVALID:      {http.StatusUnprocessableEntity, "There is a problem", ""},
	throughline.ECONFLICT:     {http.StatusConflict, "The case has changed", ""},
	throughline.ENOTFOUND:     {http.StatusNotFound, "Page not found", "If you typed the web address, check it is correct. If you followed a link to a case, you may not be on its case team."},
	throughline.EFORBIDDEN:    {http.StatusForbidden, "You cannot do this", ""},
	throughline.EUNAUTHORIZED: {http.StatusUnauthorized, "Sign in", ""},
	throughline.EUNSUPPORTED:  {http.StatusUnsupportedMediaType, "There is a problem", ""},
	throughline.EUNAVAILABLE:  {http.StatusServiceUnavailable, "Sorry, this cannot be done just now", ""},
	throughline.EINTERNAL:     {http.StatusInternalServerError, "Sorry, there is a problem with the service", "Try again later. What you were doing has not been saved unless the page said so."},
}

// tooLarge answers a request body over the limit.
var tooLarge = answer{http.StatusRequestEntityTooLarge, "Too much information", "What you sent is too large. Go back and shorten it."}

// notAllowed answers a method a route does not take (errMethodNotAllowed).
var notAllowed = answer{http.StatusMethodNotAllowed, "Page not found", "This page cannot be used that way. Go back and try again."}

// errMethodNotAllowed is a request whose path has routes but none for its
// method (the mux's 405).
var errMethodNotAllowed = throughline.Errorf(throughline.EINVALID, "method not allowed")

// errorBody is the JSON of every API error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code           string                   `json:"code"`
	Message        string                   `json:"message"`
	Fields         []throughline.FieldError `json:"fields,omitempty"`
	CurrentVersion *int64                   `json:"current_version,omitempty"`
}

// Error answers a request that failed with err: the status from the one
// table; JSON under /api/ (and for Notify's receipts), the styled error
// page otherwise (a signed-out page asks to sign in). Only internal errors
// are logged: the others are the caller's. rq is the signed-in user, if any.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, rq *page.Request, err error) {
	code := throughline.ErrorCode(err)
	if code == "" {
		code = throughline.EINTERNAL
	}
	a := answers[code]
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code, a = throughline.EINVALID, tooLarge
	}
	if err == errMethodNotAllowed {
		code, a = throughline.EINVALID, notAllowed
	}
	if code == throughline.EINTERNAL || code == throughline.EUNAVAILABLE {
		s.Logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if wantsJSON(r) {
		d := errorDetail{Code: code, Message: throughline.ErrorMessage(err)}
		if a == tooLarge {
			d.Message = "the request body is too large"
		}
		if a == notAllowed {
			d.Message = "method not allowed"
		}
		var te *throughline.Error
		if errors.As(err, &te) {
			d.Fields = te.Fields
			if code == throughline.ECONFLICT && te.Version > 0 {
				v := te.Version
				d.CurrentVersion = &v
			}
		}
		writeJSON(w, a.status, errorBody{d})
		return
	}
	if code == throughline.EUNAUTHORIZED {
		http.Redirect(w, r, page.SignInURL("", true), http.StatusSeeOther)
		return
	}
	v := page.ErrorView{Layout: page.NewLayout(rq, a.heading, ""), Heading: a.heading, Message: a.message}
	if v.Message == "" {
		v.Message = throughline.ErrorMessage(err)
	}
	if ref := r.PathValue("ref"); code == throughline.ENOTFOUND && ref != "" && rq != nil && throughline.CanSome(rq.User, throughline.ActionBreakGlass) {
		v.BreakGlass = "/break-glass?ref=" + url.QueryEscape(ref)
	}
	if err := page.Render(w, a.status, "error", v); err != nil {
		s.Logger.ErrorContext(r.Context(), "render", "page", "error", "path", r.URL.Path, "err", err)
		page.PlainError(w, a.status)
	}
}

// wantsJSON reports whether the caller reads JSON: the API and Notify.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/notify/")
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	if body == nil {
		w.WriteHeader(status)
		return
	}
	b, err := json.Marshal(body)
	if err != nil {
		page.PlainError(w, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
