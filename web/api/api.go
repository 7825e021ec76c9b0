// Package api is the JSON API under /api/v1: cases, their events,
// deadlines and victim messages, GOV.UK Notify's delivery receipts, and the
// OpenAPI document that describes them. Handlers return a status and a body
// to write as JSON, or an error that package web maps to a status, once.
package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"throughline"
	"throughline/web/access"
)

// Handler is an API handler for a user the bearer token named: it returns a
// value to write as JSON with a status, or an error.
type Handler func(w http.ResponseWriter, r *http.Request, u throughline.User) (status int, body any, err error)

// Base is what every API handler shares.
type Base struct {
	Access *access.Cases
	Logger *slog.Logger
	Now    func() time.Time
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
func (s *Base) visibleCase(r *http.Request, u throughline.User, action string) (*throughline.Case, error) {
	ca, err := s.visible(r, u, action)
	if err != nil {
		return nil, err
	}
	return ca.Case, nil
}

// visible is visibleCase with the decision, for the handlers that return
// rows beside the record (messages, deadlines): they take them through the
// decision (access.Case's Messages, Deadlines). A route none of whose parts
// the user's view of the case includes is refused: the same parts as the
// case view, on every endpoint.
func (s *Base) visible(r *http.Request, u throughline.User, action string) (*access.Case, error) {
	ca, err := s.Access.Load(r.Context(), u, r.PathValue("ref"), action)
	if err != nil {
		return nil, err
	}
	if parts := Parts[access.Target(r)]; len(parts) > 0 {
		if !ca.Shows(parts...) && !ca.Decision.Has(parts[0]) {
			return nil, throughline.Errorf(throughline.EFORBIDDEN, "Your view of case %s does not include this part of it.", ca.Ref)
		}
		if err := s.Access.Consulted(r, u, ca, parts, throughline.ChannelAPI); err != nil {
			return nil, err
		}
	}
	return ca, nil
}

// Parts are the parts of a case each API route returns, for the
// consultation log. A route that returns personal data must be listed.
var Parts = map[string][]string{
	"GET /api/v1/cases/{ref}":           {throughline.PartSummary, throughline.PartParties, throughline.PartOffences, throughline.PartKeyDates, throughline.PartHearings},
	"GET /api/v1/cases/{ref}/events":    {throughline.PartEvents},
	"GET /api/v1/cases/{ref}/deadlines": {throughline.PartWork},
	"GET /api/v1/cases/{ref}/messages":  {throughline.PartVictim, throughline.PartWork},
	"POST /api/v1/cases/{ref}/messages": {throughline.PartVictim},
}

// Store is everything the API needs from storage: the union of what each
// file declares.
type Store interface {
	casesStore
	deadlinesStore
	messagesStore
}
