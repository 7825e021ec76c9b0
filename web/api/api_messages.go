package api

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"throughline"
	"throughline/notify"
)

// messagesStore is what this file's handlers need from storage.
type messagesStore interface {
	EnqueueFreeText(ctx context.Context, ref, complainant, text, actor, agency string) (int64, error)
	Message(ctx context.Context, id int64) (throughline.MessageRecord, error)
	Messages(ctx context.Context, ref string) ([]throughline.MessageRecord, error)
	Receipt(ctx context.Context, reference, status string) error
}

// Messages serves the victim messages of a case and Notify's receipts.
// CallbackToken is the bearer token GOV.UK Notify sends with delivery
// receipts; empty refuses them all.
type Messages struct {
	*Base
	Store         messagesStore
	CallbackToken string
}

// The victim-message API: the messages of a case (the same rows the victim
// portal shows, so both sides see the same words), a free-text update that
// must agree with the record, and GOV.UK Notify's delivery receipts.

// messageList is the body of GET /api/v1/cases/{ref}/messages.
type messageList struct {
	Messages []throughline.MessageRecord `json:"messages"`
}

// ListMessages: GET /api/v1/cases/{ref}/messages, oldest first: channel,
// status, who triggered each and the words sent.
func (s *Messages) ListMessages(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	ca, err := s.visible(r, u, throughline.ActionReadCase)
	if err != nil {
		return 0, nil, err
	}
	ms, err := s.Store.Messages(r.Context(), ca.Ref)
	if err != nil {
		return 0, nil, err
	}
	// Only the complainants the user may see; for a pseudonymised view,
	// without the words (they name people).
	return http.StatusOK, messageList{Messages: ca.Messages(ms)}, nil
}

// newMessage is the body of POST /api/v1/cases/{ref}/messages.
type newMessage struct {
	ComplainantID string `json:"complainant_id"`
	Body          string `json:"body"`
}

// PostMessage: POST /api/v1/cases/{ref}/messages queues a free-text update
// to a complainant. It is checked against the record first: a date, time,
// court or stage it states that the record contradicts refuses it (422, one
// FieldError on body per conflicting fact, naming the record's fact).
func (s *Messages) PostMessage(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	c, err := s.visibleCase(r, u, throughline.ActionAppend)
	if err != nil {
		return 0, nil, err
	}
	var body newMessage
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	if msg := throughline.CheckText(body.Body, throughline.FreeText); msg != "" {
		return 0, nil, &throughline.Error{Code: throughline.EINVALID, Message: "not a valid message",
			Fields: []throughline.FieldError{{Field: "body", Message: msg}}}
	}
	if c.Complainant(body.ComplainantID) == nil {
		return 0, nil, &throughline.Error{Code: throughline.EINVALID, Message: "not a valid message",
			Fields: []throughline.FieldError{{Field: "complainant_id", Message: "is not a complainant of this case you may write to"}}}
	}
	id, err := s.Store.EnqueueFreeText(r.Context(), c.Ref, body.ComplainantID, body.Body, u.ID, u.Agency)
	if err != nil {
		return 0, nil, err
	}
	m, err := s.Store.Message(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", CaseURL(c.Ref, "messages"))
	return http.StatusCreated, struct {
		Message throughline.MessageRecord `json:"message"`
	}{m}, nil
}

// NotifyReceipt: POST /notify/receipts, GOV.UK Notify's delivery-receipt
// callback, authenticated by the bearer token configured with Notify.
func (s *Messages) NotifyReceipt(w http.ResponseWriter, r *http.Request) (int, any, error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if s.CallbackToken == "" || !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.CallbackToken)) != 1 {
		return 0, nil, throughline.Errorf(throughline.EUNAUTHORIZED, "a valid callback token is required")
	}
	var rc notify.Receipt
	if err := decodeBody(r, &rc, true); err != nil {
		return 0, nil, err
	}
	if rc.Reference == "" {
		return 0, nil, throughline.Errorf(throughline.EINVALID, "not a delivery receipt")
	}
	if err := s.Store.Receipt(r.Context(), rc.Reference, notify.MapStatus(rc.Status)); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
