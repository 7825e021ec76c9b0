// Package api is the JSON API under /api/v1: cases, their events,
// deadlines and victim messages, GOV.UK Notify's delivery receipts, and the
// OpenAPI document that describes them. Handlers return a status and a body
// to write as JSON, or an error that package web maps to a status, once.
package api

import (
	"errors"
	"io"
	"log/slog"
	"mime"
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

// decode reads the JSON body of every API call, strictly: the body must
// say it is application/json (415 otherwise), and it is read with
// throughline.DecodeStrict (one value, no key twice, valid UTF-8, no
// unknown fields).
func decode(r *http.Request, v any) error { return decodeBody(r, v, false) }

// decodeBody is decode, allowing unknown fields when the sender is not ours
// (GOV.UK Notify adds fields to its receipts).
func decodeBody(r *http.Request, v any, allowUnknown bool) error {
	if err := jsonContent(r); err != nil {
		return err
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return throughline.Errorf(throughline.EINVALID, "the request body could not be read")
	}
	if err := throughline.DecodeStrict(b, v, allowUnknown); err != nil {
		err.(*throughline.Error).Message = "the request body is not valid JSON for this call"
		return err
	}
	return nil
}

// jsonContent refuses a body whose Content-Type is not application/json
// (with, at most, charset=utf-8).
func jsonContent(r *http.Request) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	cs, hasCS := params["charset"]
	if err != nil || mt != "application/json" || len(params) > 1 || (len(params) == 1 && (!hasCS || !strings.EqualFold(cs, "utf-8"))) {
		return throughline.Errorf(throughline.EUNSUPPORTED, "the request body must be JSON, sent with Content-Type: application/json")
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
	ca, err := s.Access.Load(r.Context(), u, throughline.NormalizeReference(r.PathValue("ref")), action)
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
