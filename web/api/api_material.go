package api

import (
	"encoding/base64"
	"net/http"
	"strings"

	"throughline"
	"throughline/restricted"
)

// Restricted material through the API (ADR 0402): stored and opened only
// by the case's named disclosure officer and reviewing prosecutor (CPIA
// 1996; the Attorney General's Guidelines on Disclosure 2024); for anyone
// else every call answers 404, exactly as for a case they may not see.
// Opening an original needs a justification, sent in the
// Throughline-Justification header rather than the URL, so that it is kept
// out of proxies' and servers' request logs; it is written, with the
// access, to the case's consultation log before anything is returned.

// JustificationHeader carries why the caller opens restricted material.
const JustificationHeader = "Throughline-Justification"

// Material serves restricted material.
type Material struct {
	*Base
	Service *restricted.Service
	People  restricted.People
}

// newMaterial is the body of POST /api/v1/cases/{ref}/material.
type newMaterial struct {
	RequestID     string `json:"request_id"`
	Title         string `json:"title"`
	Holder        string `json:"holder,omitempty"`
	MediaType     string `json:"media_type,omitempty"`
	ContentBase64 string `json:"content_base64"`
}

// materialView is an item as the API returns it.
type materialView struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	Holder        string `json:"holder,omitempty"`
	MediaType     string `json:"media_type"`
	ContentBase64 string `json:"content_base64"`
	RedactedFrom  string `json:"redacted_from,omitempty"`
	Reason        string `json:"redaction_reason,omitempty"`
}

// stored answers a store: the new item's id.
type stored struct {
	ID string `json:"id"`
}

func (s *Material) access(r *http.Request, u throughline.User, action string) (restricted.Access, error) {
	ca, err := s.Access.Load(r.Context(), u, throughline.NormalizeReference(r.PathValue("ref")), action)
	if err != nil {
		return restricted.Access{}, err
	}
	return restricted.Access{User: u, Case: ca.Full, Relation: ca.Relation, Channel: throughline.ChannelAPI}, nil
}

// content decodes content_base64, naming the field if it is not base64.
func content(v string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, &throughline.Error{Code: throughline.EINVALID, Message: "the material was not stored", Fields: []throughline.FieldError{{Field: "content_base64", Message: "must be the content in base64 (RFC 4648, with padding)"}}}
	}
	return b, nil
}

// apiFields renames the service's content field to the API's.
func apiFields(err error) error {
	if te, ok := err.(*throughline.Error); ok {
		for i := range te.Fields {
			if te.Fields[i].Field == "content" {
				te.Fields[i].Field = "content_base64"
			}
		}
	}
	return err
}

// PostMaterial: POST /api/v1/cases/{ref}/material. Only the named two may
// store material: whoever stores it has read it, so nobody else need ever
// hold it in Throughline (the police officer who records the holder's
// answer hands it to the disclosure officer, as the CPIA Code expects of
// material gathered in an investigation).
func (s *Material) PostMaterial(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	a, err := s.access(r, u, throughline.ActionReadCase)
	if err != nil {
		return 0, nil, err
	}
	if !restricted.May(a) {
		return 0, nil, throughline.Errorf(throughline.ENOTFOUND, "no case %s", a.Case.Ref)
	}
	var body newMaterial
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	b, err := content(body.ContentBase64)
	if err != nil {
		return 0, nil, err
	}
	id, err := s.Service.Receive(r.Context(), a, restricted.Upload{RequestID: body.RequestID, Title: body.Title, Holder: body.Holder, MediaType: body.MediaType, Content: b})
	if err != nil {
		return 0, nil, apiFields(err)
	}
	return http.StatusCreated, stored{ID: id}, nil
}

// GetMaterial: GET /api/v1/cases/{ref}/material/{id}. An original, for
// the named two, with the justification header; a redacted copy, for the
// case team.
func (s *Material) GetMaterial(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	a, err := s.access(r, u, throughline.ActionReadCase)
	if err != nil {
		return 0, nil, err
	}
	id := r.PathValue("id")
	if orig, rd := a.Case.RedactionOf(id); rd != nil {
		it, rd, err := s.Service.OpenRedacted(r.Context(), a, id)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, materialView{ID: id, Title: it.Title, MediaType: it.MediaType, ContentBase64: base64.StdEncoding.EncodeToString(it.Content), RedactedFrom: orig.ID, Reason: rd.Reason}, nil
	}
	if !restricted.May(a) || a.Case.RestrictedItem(id) == nil {
		return 0, nil, throughline.Errorf(throughline.ENOTFOUND, "no case %s", a.Case.Ref)
	}
	it, err := s.Service.Open(r.Context(), a, id, restricted.Download, r.Header.Get(JustificationHeader))
	if te, ok := err.(*throughline.Error); ok && te.Code == throughline.EINVALID {
		for i := range te.Fields {
			te.Fields[i].Field = JustificationHeader
		}
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, materialView{ID: id, Title: it.Title, Holder: it.Holder, MediaType: it.MediaType, ContentBase64: base64.StdEncoding.EncodeToString(it.Content)}, nil
}

// newRedaction is the body of POST …/material/{id}/redactions.
type newRedaction struct {
	Title         string `json:"title"`
	ContentBase64 string `json:"content_base64"`
	Reason        string `json:"reason"`
}

// PostRedaction: POST /api/v1/cases/{ref}/material/{id}/redactions: a
// redacted copy for the case team, by one of the named two.
func (s *Material) PostRedaction(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	a, err := s.access(r, u, throughline.ActionReadCase)
	if err != nil {
		return 0, nil, err
	}
	if !restricted.May(a) {
		return 0, nil, throughline.Errorf(throughline.ENOTFOUND, "no case %s", a.Case.Ref)
	}
	var body newRedaction
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	b, err := content(body.ContentBase64)
	if err != nil {
		return 0, nil, err
	}
	id, err := s.Service.Redact(r.Context(), a, r.PathValue("id"), restricted.Item{Title: body.Title, Content: b}, body.Reason)
	if err != nil {
		return 0, nil, apiFields(err)
	}
	return http.StatusCreated, stored{ID: id}, nil
}

// newDesignation is the body of POST …/disclosure-designations.
type newDesignation struct {
	Role   string `json:"role"`
	UserID string `json:"user_id"`
	Reason string `json:"reason"`
}

// PostDesignation: POST /api/v1/cases/{ref}/disclosure-designations: a
// police supervisor names the disclosure officer, a CPS manager the
// reviewing prosecutor.
func (s *Material) PostDesignation(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	a, err := s.access(r, u, throughline.ActionReadCase)
	if err != nil {
		return 0, nil, err
	}
	var body newDesignation
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	if err := s.Service.Designate(r.Context(), a, strings.TrimSpace(body.Role), body.UserID, body.Reason, s.People); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, struct {
		Role   string `json:"role"`
		UserID string `json:"user_id"`
	}{body.Role, body.UserID}, nil
}
