package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Notify is a client of the GOV.UK Notify API (v2), or any service that
// speaks it: text messages with POST /v2/notifications/sms, letters as
// precompiled PDFs with POST /v2/notifications/letter, status with GET
// /v2/notifications/{id}, and lookup by reference with GET
// /v2/notifications?reference=. Requests carry a JWT (HS256) whose iss is
// the service id and iat the time, signed with the API key's secret.
type Notify struct {
	base      string
	serviceID string
	secret    []byte
	HTTP      *http.Client
	Now       func() time.Time
	// SMSTemplate is the id of the Notify template a text is sent with: a
	// template whose content is the single placeholder ((body)).
	SMSTemplate string
	// Kind is "sms" or "letter": which endpoint Send uses.
	Kind string
	// Letter renders a letter as PDF (letters only).
	Letter func(d Delivery) ([]byte, error)
}

// DefaultSMSTemplate is the template id used when none is configured.
const DefaultSMSTemplate = "5b6b6b2e-7d0c-4bb4-a1b8-0d0f3a6f7c01"

// ParseKey splits a Notify API key, "{name}-{service id}-{secret}" where
// both ids are UUIDs, into the service id and the secret.
func ParseKey(key string) (serviceID, secret string, err error) {
	const uuidLen = 36
	if len(key) < 2*uuidLen+1 {
		return "", "", errors.New("a Notify API key is {key name}-{service id}-{secret key}")
	}
	secret = key[len(key)-uuidLen:]
	serviceID = key[len(key)-2*uuidLen-1 : len(key)-uuidLen-1]
	if key[len(key)-uuidLen-1] != '-' {
		return "", "", errors.New("a Notify API key is {key name}-{service id}-{secret key}")
	}
	return serviceID, secret, nil
}

// NewNotify returns a client of the Notify API at base (e.g.
// https://api.notifications.service.gov.uk) for kind "sms" or "letter".
func NewNotify(base, key, kind string) (*Notify, error) {
	sid, secret, err := ParseKey(key)
	if err != nil {
		return nil, fmt.Errorf("the GOV.UK Notify API key (--notify-key-file or THROUGHLINE_NOTIFY_KEY): %w", err)
	}
	if _, err := url.Parse(base); err != nil || base == "" {
		return nil, fmt.Errorf("--notify-url %q is not a URL", base)
	}
	return &Notify{base: strings.TrimSuffix(base, "/"), serviceID: sid, secret: []byte(secret), HTTP: &http.Client{Timeout: 20 * time.Second},
		Now: time.Now, SMSTemplate: DefaultSMSTemplate, Kind: kind, Letter: RenderLetter}, nil
}

// Token returns a JWT for the API.
func Token(serviceID string, secret []byte, iat time.Time) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	claims, _ := json.Marshal(map[string]any{"iss": serviceID, "iat": iat.Unix()})
	signing := header + "." + enc.EncodeToString(claims)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(mac.Sum(nil))
}

// apiError is Notify's error body.
type apiError struct {
	StatusCode int `json:"status_code"`
	Errors     []struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (n *Notify) do(ctx context.Context, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, n.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+Token(n.serviceID, n.secret, n.Now()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "throughline-notify/1")
	resp, err := n.HTTP.Do(req)
	if err != nil {
		return fail(Technical, "Notify: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 300 {
		var ae apiError
		json.Unmarshal(raw, &ae)
		msg := resp.Status
		if len(ae.Errors) > 0 {
			msg = ae.Errors[0].Error + ": " + ae.Errors[0].Message
		}
		switch {
		case resp.StatusCode == 429, resp.StatusCode >= 500:
			return fail(Temporary, "Notify %s %s: %s", method, path, msg)
		case resp.StatusCode == 400:
			return fail(Permanent, "Notify refused the message: %s", msg)
		default: // 401, 403: our key or configuration
			return fail(Technical, "Notify %s %s: %s", method, path, msg)
		}
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fail(Technical, "Notify: unreadable response: %v", err)
		}
	}
	return nil
}

// Notification is Notify's view of a message.
type Notification struct {
	ID          string `json:"id"`
	Reference   string `json:"reference"`
	Type        string `json:"type"`
	Status      string `json:"status"`
	CreatedAt   string `json:"created_at"`
	CompletedAt string `json:"completed_at,omitempty"`
}

// Send posts a text message or a letter.
func (n *Notify) Send(ctx context.Context, d Delivery) (Result, error) {
	var created struct {
		ID        string `json:"id"`
		Reference string `json:"reference"`
	}
	switch n.Kind {
	case "letter":
		pdf, err := n.Letter(d)
		if err != nil {
			return Result{}, fail(Technical, "render the letter: %v", err)
		}
		body := map[string]any{"reference": d.Reference, "content": base64.StdEncoding.EncodeToString(pdf), "postage": "first"}
		if err := n.do(ctx, "POST", "/v2/notifications/letter", body, &created); err != nil {
			return Result{}, err
		}
	default:
		body := map[string]any{"phone_number": d.To, "template_id": n.SMSTemplate, "personalisation": map[string]string{"body": d.Body}, "reference": d.Reference}
		if err := n.do(ctx, "POST", "/v2/notifications/sms", body, &created); err != nil {
			return Result{}, err
		}
	}
	return Result{ProviderID: created.ID, Status: Accepted}, nil
}

// Status asks Notify for a notification's status.
func (n *Notify) Status(ctx context.Context, id string) (Result, error) {
	var nt Notification
	if err := n.do(ctx, "GET", "/v2/notifications/"+url.PathEscape(id), nil, &nt); err != nil {
		return Result{}, err
	}
	return Result{ProviderID: nt.ID, Status: MapStatus(nt.Status)}, nil
}

// Lookup finds the latest notification with reference.
func (n *Notify) Lookup(ctx context.Context, reference string) (Result, bool, error) {
	var list struct {
		Notifications []Notification `json:"notifications"`
	}
	if err := n.do(ctx, "GET", "/v2/notifications?reference="+url.QueryEscape(reference), nil, &list); err != nil {
		return Result{}, false, err
	}
	if len(list.Notifications) == 0 {
		return Result{}, false, nil
	}
	nt := list.Notifications[0] // newest first
	return Result{ProviderID: nt.ID, Status: MapStatus(nt.Status)}, true, nil
}

// MapStatus maps a Notify status to Accepted, Delivered or a failure.
// A letter "received" has been printed and posted: as delivered as a
// letter gets.
func MapStatus(s string) string {
	switch s {
	case "delivered", "received", "sent":
		return Delivered
	case "permanent-failure", "validation-failed", "virus-scan-failed", "cancelled":
		return Permanent
	case "temporary-failure":
		return Temporary
	case "technical-failure":
		return Technical
	default: // created, sending, pending, accepted, pending-virus-check
		return Accepted
	}
}

// Receipt is the body of a Notify delivery-receipt callback.
type Receipt struct {
	ID               string `json:"id"`
	Reference        string `json:"reference"`
	To               string `json:"to"`
	Status           string `json:"status"`
	CreatedAt        string `json:"created_at"`
	CompletedAt      string `json:"completed_at"`
	SentAt           string `json:"sent_at"`
	NotificationType string `json:"notification_type"`
}
