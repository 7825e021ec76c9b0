package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"throughline"
	"throughline/sqlstore"
)

// apiHandler is an API handler: it returns a value to write as JSON with a
// status, or an error that writeError maps to one.
type apiHandler func(w http.ResponseWriter, r *http.Request, u throughline.User) (status int, body any, err error)

// api authenticates the bearer token and renders the handler's result.
func (s *Server) api(h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="throughline"`)
			s.writeError(w, r, throughline.Errorf(throughline.EUNAUTHORIZED, "an API token is required: Authorization: Bearer <token>"))
			return
		}
		u, err := s.Store.UserByToken(r.Context(), token)
		if err == nil && u.Disabled {
			err = throughline.Errorf(throughline.EUNAUTHORIZED, "this account is disabled")
		}
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="throughline", error="invalid_token"`)
			s.writeError(w, r, err)
			return
		}
		status, body, err := h(w, r, u)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, status, body)
	})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

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

// statusOf maps error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	throughline.EINVALID:      http.StatusUnprocessableEntity,
	throughline.ECONFLICT:     http.StatusConflict,
	throughline.ENOTFOUND:     http.StatusNotFound,
	throughline.EFORBIDDEN:    http.StatusForbidden,
	throughline.EUNAUTHORIZED: http.StatusUnauthorized,
	throughline.EINTERNAL:     http.StatusInternalServerError,
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{errorDetail{Code: throughline.EINVALID, Message: "the request body is too large"}})
		return
	}
	code := throughline.ErrorCode(err)
	d := errorDetail{Code: code, Message: throughline.ErrorMessage(err)}
	var te *throughline.Error
	if errors.As(err, &te) {
		d.Fields = te.Fields
		if code == throughline.ECONFLICT && te.Version > 0 {
			v := te.Version
			d.CurrentVersion = &v
		}
	}
	if code == throughline.EINTERNAL {
		s.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, statusOf[code], errorBody{d})
}

// decode reads a JSON body strictly: unknown fields are refused.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return throughline.Errorf(throughline.EINVALID, "the request body is not valid JSON for this call: %v", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// visibleCase loads a case the user may take action on, redacted to what
// the policy shows them, and logs the consultation (before anything is
// returned) when the route shows personal data. A case the user may not
// see is ENOTFOUND, exactly as one that does not exist: nobody learns that
// a case exists from a refusal.
func (s *Server) visibleCase(r *http.Request, u throughline.User, action string) (*throughline.Case, error) {
	ca, err := s.loadCase(r.Context(), u, r.PathValue("ref"), action)
	if err != nil {
		return nil, err
	}
	if parts := apiParts[target(r)]; len(parts) > 0 {
		if err := s.consulted(r, u, ca, parts, sqlstore.ChannelAPI); err != nil {
			return nil, err
		}
	}
	return ca.Case, nil
}

// apiParts are the parts of a case each API route returns, for the
// consultation log. A route that returns personal data must be listed.
var apiParts = map[string][]string{
	"GET /api/v1/cases/{ref}":           {throughline.PartSummary, throughline.PartParties, throughline.PartOffences, throughline.PartKeyDates, throughline.PartHearings},
	"GET /api/v1/cases/{ref}/events":    {throughline.PartEvents},
	"GET /api/v1/cases/{ref}/deadlines": {throughline.PartWork},
}
