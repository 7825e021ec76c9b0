// Package notifytest is a local server that speaks the GOV.UK Notify API
// (v2) for tests: it verifies each request's JWT, answers with Notify's
// response shapes, moves each notification to a final status, and posts
// delivery-receipt callbacks with a bearer token, as Notify does.
//
// Nothing in it waits on the clock: a notification is finished at once (or,
// with Hold, when the test calls Release), and a test waits for that event
// with Wait rather than for time to pass.
package notifytest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Notification is one message the fake holds.
type Notification struct {
	ID          string            `json:"id"`
	Reference   string            `json:"reference"`
	Type        string            `json:"type"`
	Status      string            `json:"status"`
	PhoneNumber string            `json:"phone_number,omitempty"`
	Body        string            `json:"body,omitempty"`
	CreatedAt   string            `json:"created_at"`
	CompletedAt string            `json:"completed_at,omitempty"`
	Template    map[string]string `json:"template"`
	PDF         []byte            `json:"-"`
}

// Server is the fake Notify.
type Server struct {
	*httptest.Server
	ServiceID string
	Secret    string
	// Final decides each notification's final status (default delivered).
	Final func(n *Notification) string
	// CallbackURL and CallbackToken: where receipts are posted.
	CallbackURL   string
	CallbackToken string
	// Down makes every request answer 503.
	Down bool
	// Hold keeps each new notification in its first status (created or
	// accepted) until Release: a test can then record the acceptance
	// before the receipt comes, as it does in life, without a race.
	Hold bool

	mu    sync.Mutex
	byID  map[string]*Notification
	done  map[string]chan struct{} // closed once the notification is final and its receipt answered
	held  []*Notification
	order []*Notification
	seq   int
	t     testing.TB
}

// Key is an API key the fake accepts.
func (s *Server) Key() string { return "throughline_test-" + s.ServiceID + "-" + s.Secret }

// New starts a fake Notify; it stops with the test.
func New(t testing.TB) *Server {
	s := &Server{ServiceID: "26785a09-ab16-4eb0-8407-a37497a57506", Secret: "3d844edf-8d35-48ac-975b-e847b4f122b0",
		byID: map[string]*Notification{}, done: map[string]chan struct{}{}, t: t}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/notifications/sms", s.auth(s.sms))
	mux.HandleFunc("POST /v2/notifications/letter", s.auth(s.letter))
	mux.HandleFunc("GET /v2/notifications/{id}", s.auth(s.get))
	mux.HandleFunc("GET /v2/notifications", s.auth(s.list))
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, status int, kind, msg string) {
	writeJSON(w, status, map[string]any{"status_code": status, "errors": []map[string]string{{"error": kind, "message": msg}}})
}

// auth checks the JWT as Notify does: HS256 over header.claims with the
// secret, iss = the service id, iat within 30 seconds of now.
func (s *Server) auth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		down := s.Down
		s.mu.Unlock()
		if down {
			apiError(w, 503, "ServiceUnavailable", "down for maintenance")
			return
		}
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		parts := strings.Split(tok, ".")
		if !ok || len(parts) != 3 {
			apiError(w, 401, "AuthError", "Unauthorized: authentication token must be provided")
			return
		}
		mac := hmac.New(sha256.New, []byte(s.Secret))
		mac.Write([]byte(parts[0] + "." + parts[1]))
		sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
		var hdr struct{ Alg, Typ string }
		var claims struct {
			Iss string `json:"iss"`
			Iat int64  `json:"iat"`
		}
		hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
		cb, _ := base64.RawURLEncoding.DecodeString(parts[1])
		json.Unmarshal(hb, &hdr)
		json.Unmarshal(cb, &claims)
		switch {
		case hdr.Alg != "HS256":
			apiError(w, 403, "AuthError", "Invalid token: algorithm used is not HS256")
		case !hmac.Equal(sig, mac.Sum(nil)):
			apiError(w, 403, "AuthError", "Invalid token: signature, api token not found")
		case claims.Iss != s.ServiceID:
			apiError(w, 403, "AuthError", "Invalid token: service not found")
		case time.Since(time.Unix(claims.Iat, 0)).Abs() > 30*time.Second:
			apiError(w, 403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
		default:
			h(w, r)
		}
	}
}

func (s *Server) add(n *Notification) {
	s.mu.Lock()
	s.seq++
	n.ID = fmt.Sprintf("740e5834-3a29-46b4-9a6f-%012d", s.seq)
	n.CreatedAt = time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	s.byID[n.ID] = n
	s.done[n.ID] = make(chan struct{})
	s.order = append(s.order, n)
	hold := s.Hold
	if hold {
		s.held = append(s.held, n)
	}
	s.mu.Unlock()
	if !hold {
		go s.finish(n)
	}
}

// Release finishes every held notification, in the order they came: each
// moves to its final status and its receipt is posted. It returns once every
// receipt has been answered.
func (s *Server) Release() {
	s.mu.Lock()
	held := s.held
	s.held = nil
	s.mu.Unlock()
	for _, n := range held {
		s.finish(n)
	}
}

// Wait blocks until the notification with id is final and its receipt (if
// a callback is set) has been answered. An unknown id fails the test.
func (s *Server) Wait(id string) {
	s.t.Helper()
	s.mu.Lock()
	done, ok := s.done[id]
	s.mu.Unlock()
	if !ok {
		s.t.Fatalf("notifytest: no notification %q", id)
	}
	<-done
}

// finish moves a notification to its final status and posts the receipt.
func (s *Server) finish(n *Notification) {
	s.mu.Lock()
	done := s.done[n.ID]
	s.mu.Unlock()
	defer close(done)
	final := "delivered"
	if n.Type == "letter" {
		final = "received"
	}
	if s.Final != nil {
		final = s.Final(n)
	}
	s.mu.Lock()
	n.Status, n.CompletedAt = final, time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	url, token := s.CallbackURL, s.CallbackToken
	body, _ := json.Marshal(map[string]string{"id": n.ID, "reference": n.Reference, "to": n.PhoneNumber, "status": final,
		"created_at": n.CreatedAt, "completed_at": n.CompletedAt, "sent_at": n.CreatedAt, "notification_type": n.Type})
	s.mu.Unlock()
	if url == "" {
		return
	}
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Errorf("notifytest: posting the receipt for %s: %v", n.Reference, err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		s.t.Errorf("notifytest: the receipt for %s was refused: %s", n.Reference, resp.Status)
	}
}

func (s *Server) sms(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PhoneNumber     string            `json:"phone_number"`
		TemplateID      string            `json:"template_id"`
		Personalisation map[string]string `json:"personalisation"`
		Reference       string            `json:"reference"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.TemplateID == "" {
		apiError(w, 400, "ValidationError", "template_id is a required property")
		return
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, in.PhoneNumber)
	if len(digits) < 10 {
		apiError(w, 400, "ValidationError", "phone_number Not enough digits")
		return
	}
	n := &Notification{Reference: in.Reference, Type: "sms", Status: "created", PhoneNumber: in.PhoneNumber, Body: in.Personalisation["body"],
		Template: map[string]string{"id": in.TemplateID, "version": "1"}}
	s.add(n)
	writeJSON(w, 201, map[string]any{"id": n.ID, "reference": n.Reference, "content": map[string]any{"body": n.Body, "from_number": "GOVUK"},
		"uri": s.URL + "/v2/notifications/" + n.ID, "template": map[string]any{"id": in.TemplateID, "version": 1, "uri": s.URL + "/v2/template/" + in.TemplateID}})
}

func (s *Server) letter(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reference string `json:"reference"`
		Content   string `json:"content"`
		Postage   string `json:"postage"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Reference == "" {
		apiError(w, 400, "ValidationError", "reference is a required property")
		return
	}
	pdf, err := base64.StdEncoding.DecodeString(in.Content)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		apiError(w, 400, "ValidationError", "Letter content is not a valid PDF")
		return
	}
	n := &Notification{Reference: in.Reference, Type: "letter", Status: "accepted", PDF: pdf, Template: map[string]string{"id": "precompiled"}}
	s.add(n)
	writeJSON(w, 201, map[string]any{"id": n.ID, "reference": n.Reference, "postage": in.Postage})
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n, ok := s.byID[r.PathValue("id")]
	var cp Notification
	if ok {
		cp = *n
	}
	s.mu.Unlock()
	if !ok {
		apiError(w, 404, "NoResultFound", "No result found")
		return
	}
	writeJSON(w, 200, cp)
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	ref := r.URL.Query().Get("reference")
	s.mu.Lock()
	out := []Notification{}
	for i := len(s.order) - 1; i >= 0; i-- { // newest first
		if n := s.order[i]; ref == "" || n.Reference == ref {
			out = append(out, *n)
		}
	}
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"notifications": out, "links": map[string]string{"current": s.URL + "/v2/notifications"}})
}

// Notifications returns every notification, oldest first.
func (s *Server) Notifications() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Notification, len(s.order))
	for i, n := range s.order {
		out[i] = *n
	}
	return out
}

// SetDown switches the fake's outage on or off.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	s.Down = down
	s.mu.Unlock()
}
