package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"throughline/web/page"
)

// X-Forwarded-Proto counts only from a trusted proxy: HSTS, and
// page.Secure (the __Host- cookie, Secure cookies), follow it only then.
func TestForwardedProtoOnlyFromTrustedProxy(t *testing.T) {
	proxies, err := ParseProxies("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		trusted bool // --trusted-proxy 10.0.0.0/8
		peer    string
		proto   string
		secure  bool
	}{
		{"no trusted proxy, forged", false, "203.0.113.7:5000", "https", false},
		{"no trusted proxy, from a 10/8 peer", false, "10.0.0.5:443", "https", false},
		{"not from the trusted proxy", true, "203.0.113.7:5000", "https", false},
		{"from the trusted proxy", true, "10.0.0.5:443", "https", true},
		{"from the trusted proxy, HTTPS in capitals, a list", true, "10.0.0.5:443", "HTTPS, http", true},
		{"from the trusted proxy, plain", true, "10.0.0.5:443", "http", false},
		{"from the trusted proxy, no header", true, "10.0.0.5:443", "", false},
	} {
		s := &Server{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if tc.trusted {
			s.TrustedProxies = proxies
		}
		var sawSecure bool
		h := s.harden(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sawSecure = page.Secure(r) }))
		r := httptest.NewRequest("GET", "/cases", nil)
		r.RemoteAddr = tc.peer
		if tc.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if sawSecure != tc.secure || (rec.Header().Get("Strict-Transport-Security") != "") != tc.secure {
			t.Errorf("%s: secure %v, HSTS %q; want %v", tc.name, sawSecure, rec.Header().Get("Strict-Transport-Security"), tc.secure)
		}
	}
}
