package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

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
	f := throughline.MyCaseFilter{Stage: q.Get("stage"), After: q.Get("after"), Force: q.Get("force"), CPSArea: q.Get("cps_area"), Sort: "ref", Limit: 50}
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
		out.Next = rows[len(rows)-1].Ref
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
func (s *Cases) CreateCase(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	var body NewEvent
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	e, err := ParseNew(body, body.Ref, throughline.TypeCaseOpened, u)
	if err != nil {
		return 0, nil, err
	}
	d := e.Data.(*throughline.CaseOpened)
	if !throughline.Can(u, throughline.ActionOpenCase, &throughline.CaseScope{Ref: e.Case, Force: d.Force, CPSArea: d.CPSArea}, throughline.Relation{}).Allowed {
		return 0, nil, throughline.Errorf(throughline.EFORBIDDEN, "you may open cases of your own force only")
	}
	// Whoever opens a case is on its team, in the same transaction.
	evs, c, err := s.Store.OpenCase(r.Context(), e, u.ID)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.Ref)
	return http.StatusCreated, views(evs, c), nil
}

// AppendEvent: POST /api/v1/cases/{ref}/events.
func (s *Cases) AppendEvent(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	if _, err := s.visibleCase(r, u, throughline.ActionAppend); err != nil {
		return 0, nil, err
	}
	var body NewEvent
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	if body.ExpectedVersion == nil {
		return 0, nil, &throughline.Error{Code: throughline.EINVALID, Message: "not a valid event", Fields: []throughline.FieldError{{Field: "expected_version", Message: "is required: the version of the case you last read"}}}
	}
	e, err := ParseNew(body, r.PathValue("ref"), body.Type, u)
	if err != nil {
		return 0, nil, err
	}
	evs, c, err := s.Store.Append(r.Context(), e, *body.ExpectedVersion)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, views(evs, c), nil
}

// ParseNew validates a proposed event through the same parser as imports.
func ParseNew(body NewEvent, ref, typ string, u throughline.User) (throughline.Event, error) {
	if typ == throughline.TypeCaseErased {
		return throughline.Event{}, throughline.Errorf(throughline.EFORBIDDEN, "personal data is erased under the retention rules by records management (throughline case erase), not through the API")
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
	evs, err := s.Store.Events(r.Context(), r.PathValue("ref"))
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
