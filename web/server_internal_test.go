package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A panic in a handler is a plain error page (a JSON error under /api/),
// with the security headers, never a stack trace.
func TestRecoverGivesAPlainPage(t *testing.T) {
	s := &Server{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := s.harden(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom: secret detail") }))
	for _, path := range []string{"/cases/x", "/api/v1/cases/x"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		body := rec.Body.String()
		if rec.Code != http.StatusInternalServerError || strings.Contains(body, "secret detail") || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d %q", path, rec.Code, body)
		}
		if strings.HasPrefix(path, "/api/") != strings.Contains(rec.Header().Get("Content-Type"), "json") {
			t.Errorf("%s: content type %s", path, rec.Header().Get("Content-Type"))
		}
	}
}

// Sign-in limits count against the client: the peer, or behind a trusted
// load balancer the nearest untrusted address it forwarded. A forged
// X-Forwarded-For moves nothing.
func TestClientIP(t *testing.T) {
	proxies, err := ParseProxies("10.0.0.0/8, ::1")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{TrustedProxies: proxies}
	cases := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy", "203.0.113.7:5000", nil, "203.0.113.7"},
		{"forged by a client", "203.0.113.7:5000", []string{"198.51.100.1"}, "203.0.113.7"},
		{"through the balancer", "10.0.0.5:443", []string{"203.0.113.7"}, "203.0.113.7"},
		{"forged, then through the balancer", "10.0.0.5:443", []string{"198.51.100.1, 203.0.113.7"}, "203.0.113.7"},
		{"two balancers", "10.0.0.5:443", []string{"203.0.113.7, 10.1.2.3"}, "203.0.113.7"},
		{"headers repeated", "10.0.0.5:443", []string{"198.51.100.1", "203.0.113.8"}, "203.0.113.8"},
		{"malformed entry", "10.0.0.5:443", []string{"203.0.113.7, junk"}, "10.0.0.5"},
		{"balancer without the header", "10.0.0.5:443", nil, "10.0.0.5"},
		{"IPv6 balancer", "[::1]:443", []string{"2001:db8::7"}, "2001:db8::7"},
		{"IPv4-mapped balancer", "[::ffff:10.0.0.5]:443", []string{"203.0.113.9"}, "203.0.113.9"},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("POST", "/sign-in", nil)
		r.RemoteAddr = tc.peer
		for _, v := range tc.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.clientIP(r); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.5:443"
	r.Header.Set("X-Forwarded-For", "203.0.113.7")
	if got := (&Server{}).clientIP(r); got != "10.0.0.5" {
		t.Errorf("no trusted proxies configured: %s", got)
	}
	if _, err := ParseProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad range was accepted")
	}
}
