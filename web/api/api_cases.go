package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"throughline"
)

// casesStore is what this file's handlers need from storage.
type casesStore interface {
	Append(ctx context.Context, e throughline.Event, expected int64) ([]throughline.Event, *throughline.Case, error)
	Events(ctx context.Context, ref string) ([]throughline.Event, error)
	MyCases(ctx context.Context, u throughline.User, f throughline.MyCaseFilter) ([]throughline.MyCase, int, error)
	OpenCase(ctx context.Context, e throughline.Event, opener string) ([]throughline.Event, *throughline.Case, error)
}

// Cases serves the cases and their events.
type Cases struct {
	*Base
	Store casesStore
}

// GetCase: GET /api/v1/cases/{ref}.
func (s *Cases) GetCase(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	c, err := s.visibleCase(r, u, throughline.ActionReadCase)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, NewCaseView(c), nil
}

// caseList is the body of GET /api/v1/cases.
type caseList struct {
	Cases []throughline.CaseSummary `json:"cases"`
	Next  string                    `json:"next,omitempty"`
}

// ListCases: GET /api/v1/cases?force=&cps_area=&stage=&after=&limit=.
// The list holds the cases the policy lets the user read: their case teams'
// (and, for a police supervisor, their force's). It shows no names, so it
// is not a consultation.
func (s *Cases) ListCases(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	q := r.URL.Query()
	f := throughline.MyCaseFilter{Stage: q.Get("stage"), Force: q.Get("force"), CPSArea: q.Get("cps_area"), Sort: "ref", Limit: 50}
	if v := q.Get("after"); v != "" {
		after, err := s.openCursor(r.Context(), u, v)
		if err != nil && !errors.Is(err, errCursor) {
			return 0, nil, err
		}
		if err != nil {
			return 0, nil, &throughline.Error{Code: throughline.EINVALID, Message: "bad query", Fields: []throughline.FieldError{{Field: "after", Message: "is not a cursor this API gave you: pass the next value of the previous page"}}}
		}
		f.After = after
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return 0, nil, &throughline.Error{Code: throughline.EINVALID, Message: "bad query", Fields: []throughline.FieldError{{Field: "limit", Message: "must be a whole number from 1 to 1000"}}}
		}
		f.Limit = n
	}
	rows, _, err := s.Store.MyCases(r.Context(), u, f)
	if err != nil {
		return 0, nil, err
	}
	out := caseList{Cases: []throughline.CaseSummary{}}
	for _, c := range rows {
		sc := throughline.CaseScope{Ref: c.Ref, Force: c.Force, CPSArea: c.CPSArea}
		if throughline.Can(u, throughline.ActionReadCase, &sc, c.Relation).Allowed {
			out.Cases = append(out.Cases, c.CaseSummary)
		}
	}
	if len(rows) == f.Limit {
		// The last row read may be a case the user may not see: the cursor
		// carries it sealed, so nobody learns a reference from it.
		if out.Next, err = s.sealCursor(r.Context(), u, rows[len(rows)-1].Ref); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, out, nil
}

// NewEvent is the body of POST /api/v1/cases and POST …/events.
type NewEvent struct {
	Ref             string          `json:"ref,omitempty"`
	Type            string          `json:"type,omitempty"`
	OccurredAt      string          `json:"occurred_at"`
	RecordedAt      string          `json:"recorded_at,omitempty"`
	ExpectedVersion *int64          `json:"expected_version,omitempty"`
	Data            json.RawMessage `json:"data"`
}

// appended is the response to an append.
type appended struct {
	Version int64       `json:"version"`
	Events  []EventView `json:"events"`
}

// CreateCase: POST /api/v1/cases with {"ref", "occurred_at", "data"} where
// data is a case_opened payload.
//
// Nothing in the answer depends on whether a case the caller may not see
// holds the reference: the policy (own force, own force's numbering) is
// decided on the request alone, before the store is asked; and a reference
// in use answers one fixed conflict, without the case's version, whoever
// may see that case.
func (s *Cases) CreateCase(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	var body NewEvent
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	e, err := ParseNew(body, body.Ref, throughline.TypeCaseOpened, u, s.Now())
	if err != nil {
		return 0, nil, err
	}
	d := e.Data.(*throughline.CaseOpened)
	if !throughline.CanRecord(u, throughline.TypeCaseOpened, &throughline.CaseScope{Ref: e.Case, Force: d.Force, CPSArea: d.CPSArea}, throughline.Relation{}).Allowed {
		return 0, nil, throughline.Errorf(throughline.EFORBIDDEN, "you may open cases of your own force only, under references that begin with its force code")
	}
	// Whoever opens a case is on its team, in the same transaction.
	evs, c, err := s.Store.OpenCase(r.Context(), e, u.ID)
	if throughline.ErrorCode(err) == throughline.ECONFLICT {
		return 0, nil, ErrReferenceInUse
	}
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", CaseURL(c.Ref))
	return http.StatusCreated, views(evs, c), nil
}

// ErrReferenceInUse is the one answer to opening a case under a reference
// already used: the same words, and no version, whether or not the caller
// may see that case.
var ErrReferenceInUse = throughline.Errorf(throughline.ECONFLICT, "this reference is already in use: check the reference")

// CaseURL is the API address of a case, and of its parts: every segment
// path-escaped, so the '/' of a reference stays inside its segment.
func CaseURL(ref string, parts ...string) string {
	u := "/api/v1/cases/" + url.PathEscape(ref)
	for _, p := range parts {
		u += "/" + url.PathEscape(p)
	}
	return u
}

// AppendEvent: POST /api/v1/cases/{ref}/events.
func (s *Cases) AppendEvent(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	ca, err := s.visible(r, u, throughline.ActionRecord)
	if err != nil {
		return 0, nil, err
	}
	var body NewEvent
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	// The store's AnyVersion (-1) skips its concurrency check: it is for
	// the system's own appends and never reachable from here.
	if body.ExpectedVersion == nil || *body.ExpectedVersion < 0 {
		return 0, nil, &throughline.Error{Code: throughline.EINVALID, Message: "not a valid event", Fields: []throughline.FieldError{{Field: "expected_version", Message: "is required, a whole number from 0: the version of the case you last read"}}}
	}
	e, err := ParseNew(body, throughline.NormalizeReference(r.PathValue("ref")), body.Type, u, s.Now())
	if err != nil {
		return 0, nil, err
	}
	if err := ca.MayRecordEvent(u, e); err != nil {
		return 0, nil, err
	}
	evs, c, err := s.Store.Append(r.Context(), e, *body.ExpectedVersion)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, views(evs, c), nil
}

// ParseNew validates an event proposed by u through the same parser as
// imports, checks its times against now (nothing that has happened is in
// the future) and that u's role records events of its type (the policy's
// Recorders: only the CPS records a charging decision). The caller has
// decided u's ActionAppend on the case.
func ParseNew(body NewEvent, ref, typ string, u throughline.User, now time.Time) (throughline.Event, error) {
	if typ == throughline.TypeCaseErased {
		return throughline.Event{}, throughline.Errorf(throughline.EFORBIDDEN, "personal data is erased under the retention rules by records management (throughline case erase), not through the API")
	}
	if throughline.NewData(typ) != nil && !throughline.MayRecord(u, typ) {
		return throughline.Event{}, throughline.Errorf(throughline.EFORBIDDEN, "your role (%s) does not record %s events", throughline.RoleName(u.Role), typ)
	}
	wire, _ := json.Marshal(struct {
		Case       string          `json:"case"`
		Type       string          `json:"type"`
		OccurredAt string          `json:"occurred_at"`
		RecordedAt string          `json:"recorded_at,omitempty"`
		Data       json.RawMessage `json:"data"`
	}{ref, typ, body.OccurredAt, body.RecordedAt, body.Data})
	e, err := throughline.ParseEvent(wire)
	if err != nil {
		return e, err
	}
	if err := throughline.CheckTimes(e, now); err != nil {
		return throughline.Event{}, err
	}
	e.Actor, e.Agency = u.ID, u.Agency
	return e, nil
}

func views(evs []throughline.Event, c *throughline.Case) appended {
	out := appended{Version: c.Version, Events: []EventView{}}
	for _, e := range evs {
		out.Events = append(out.Events, NewEventView(e))
	}
	return out
}

// ListEvents: GET /api/v1/cases/{ref}/events.
func (s *Cases) ListEvents(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	if _, err := s.visibleCase(r, u, throughline.ActionReadEvents); err != nil {
		return 0, nil, err
	}
	evs, err := s.Store.Events(r.Context(), throughline.NormalizeReference(r.PathValue("ref")))
	if err != nil {
		return 0, nil, err
	}
	out := struct {
		Events []EventView `json:"events"`
	}{Events: []EventView{}}
	for _, e := range evs {
		out.Events = append(out.Events, NewEventView(e))
	}
	return http.StatusOK, out, nil
}
