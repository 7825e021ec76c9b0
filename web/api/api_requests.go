package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"throughline"
)

// NewInformationRequest is the body of POST
// /api/v1/cases/{ref}/information-requests: a victim information request
// (PCSCA 2022 Part 2 Chapter 3A) as the officer drafts it, each condition
// of s.44A in its own field, beside the case version last read and when it
// was drafted.
type NewInformationRequest struct {
	ExpectedVersion *int64 `json:"expected_version"`
	OccurredAt      string `json:"occurred_at"`
	throughline.InformationRequested
}

// PostInformationRequest: POST /api/v1/cases/{ref}/information-requests.
// Unlike a record of a past request through /events, a request made here
// must answer every condition whatever its date (s.44A(3), and (4) for
// counselling information), and the handling its notice will state
// (s.44B(2)(c)): 422 names each one missing or empty, beside any other bad
// field, and nothing is recorded. request_id may be left out: the next free
// R number is given. The request is recorded as information_requested; its
// approval, notice, sending and answer follow through /events.
func (s *Cases) PostInformationRequest(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	ca, err := s.visible(r, u, throughline.ActionAppend)
	if err != nil {
		return 0, nil, err
	}
	var body NewInformationRequest
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	d := body.InformationRequested
	if d.RequestID == "" {
		d.RequestID = ca.Full.NextRequestID()
	}
	var fields []throughline.FieldError
	if body.ExpectedVersion == nil || *body.ExpectedVersion < 0 {
		fields = append(fields, throughline.FieldError{Field: "expected_version", Message: "is required, a whole number from 0: the version of the case you last read"})
	}
	raw, _ := json.Marshal(&d)
	e, err := ParseNew(NewEvent{OccurredAt: body.OccurredAt, Data: raw}, ca.Ref, throughline.TypeInformationRequested, u, s.Now())
	if err != nil {
		fe, ok := err.(*throughline.Error)
		if !ok || fe.Code != throughline.EINVALID {
			return 0, nil, err
		}
		// The body is flat: a payload field is named as sent.
		for _, f := range fe.Fields {
			f.Field = strings.TrimPrefix(f.Field, "data.")
			fields = append(fields, f)
		}
	}
	for _, f := range d.Unanswered() {
		if !hasField(fields, f.Field) {
			fields = append(fields, f)
		}
	}
	if len(fields) > 0 {
		return 0, nil, &throughline.Error{Code: throughline.EINVALID, Message: throughline.ErrConditionsUnmet + ", and each field of the request valid", Fields: fields}
	}
	evs, c, err := s.Store.Append(r.Context(), e, *body.ExpectedVersion)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", CaseURL(c.Ref, "events"))
	return http.StatusCreated, views(evs, c), nil
}

func hasField(fs []throughline.FieldError, name string) bool {
	for _, f := range fs {
		if f.Field == name {
			return true
		}
	}
	return false
}
