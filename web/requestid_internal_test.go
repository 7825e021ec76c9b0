package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"testing"
)

// Every answer carries a request id: a trusted proxy's, when it is a safe
// short token, else a new one; the lines logged for the request name it.
func TestRequestID(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32")}}
	s.withRequestIDs()
	h := s.observe(s.harden(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/boom" {
			panic("boom")
		}
		w.Write([]byte("ok"))
	})))
	call := func(peer, path, id string) string {
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = peer + ":1234"
		if id != "" {
			req.Header.Set("X-Request-Id", id)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Header().Get("X-Request-Id")
	}
	generated := regexp.MustCompile(`^[0-9a-f]{24}$`)
	if id := call("192.0.2.7", "/", ""); !generated.MatchString(id) {
		t.Errorf("no id given: %q", id)
	}
	if id := call("10.0.0.1", "/", "lb-abc.123_X"); id != "lb-abc.123_X" {
		t.Errorf("trusted proxy's id: %q", id)
	}
	if id := call("192.0.2.7", "/", "lb-abc.123_X"); !generated.MatchString(id) {
		t.Errorf("an untrusted client's id was taken: %q", id)
	}
	if id := call("10.0.0.1", "/", "bad id\"<x>"); !generated.MatchString(id) {
		t.Errorf("an unsafe id was taken: %q", id)
	}
	id := call("192.0.2.7", "/boom", "")
	var line struct {
		Msg       string `json:"msg"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("log: %v: %s", err, logs.String())
	}
	if line.Msg != "request failed" || line.RequestID != id {
		t.Errorf("log line %+v, want request_id %s", line, id)
	}
}
