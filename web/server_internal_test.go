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

// A template that fails to execute is a plain 500, never half a page.
func TestRenderFailureIsAPlainPage(t *testing.T) {
	s := &Server{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	rec := httptest.NewRecorder()
	s.render(rec, httptest.NewRequest("GET", "/", nil), http.StatusOK, "case", struct{ Wrong int }{1})
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "Sorry, there is a problem with the service") || strings.Contains(rec.Body.String(), "Wrong") {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	s.render(rec, httptest.NewRequest("GET", "/", nil), http.StatusOK, "no-such-page", nil)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("missing page: %d", rec.Code)
	}
}
