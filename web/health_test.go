package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
	"throughline/web"
)

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// /healthz says the process is alive; /readyz says the database answers
// and is migrated, and answers 503 with a plain reason once it does not.
func TestHealthAndReadiness(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	if code, body, _ := get(t, s.srv.URL+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	if code, body, _ := get(t, s.srv.URL+"/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("/readyz, healthy: %d %q", code, body)
	}
	// A readiness check of serve's own (the dispatcher stopped) is asked.
	s.configure(func(w *web.Server) {
		w.Ready = func(ctx context.Context) error { return errors.New("dispatcher not running") }
	})
	if code, body, _ := get(t, s.srv.URL+"/readyz"); code != 503 || body != "not ready: dispatcher not running\n" {
		t.Errorf("/readyz, dispatcher stopped: %d %q", code, body)
	}
	s.configure(func(w *web.Server) { w.Ready = nil })
	s.store.DB().Close()
	code, body, _ := get(t, s.srv.URL+"/readyz")
	if code != http.StatusServiceUnavailable || body != "not ready: database unreachable\n" {
		t.Errorf("/readyz, database closed: %d %q", code, body)
	}
	if strings.Contains(body, "sqlite") || strings.Contains(body, "/") {
		t.Errorf("/readyz tells too much: %q", body)
	}
	if code, _, _ := get(t, s.srv.URL+"/healthz"); code != 200 {
		t.Errorf("/healthz, database closed: %d", code)
	}
}
