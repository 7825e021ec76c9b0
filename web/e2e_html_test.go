package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"throughline/internal/validatortest"
)

// Every page the browser journeys are served passes the Nu HTML Checker
// (vnu-jar). The site saves each HTML response, as served (not the DOM
// after scripts ran), to a directory: $THROUGHLINE_HTML_DIR/<test> if set,
// to keep them, else a temporary one. When the journey ends, vnu checks
// them all and any error fails the test.
func (e *e2e) validateHTML() {
	t := e.t
	t.Helper()
	if !validatortest.HaveVNU(t) {
		if validatortest.RequireAll() {
			t.Fatal("the Nu HTML Checker is missing: vnu-jar (npm) and java (Debian's default-jre-headless); scripts/test.sh installs them")
		}
		t.Log("the Nu HTML Checker is missing (vnu-jar, java): the journey's pages are not validated (CI=true or THROUGHLINE_REQUIRE_ALL=1 fails instead)")
		return
	}
	dir := os.Getenv("THROUGHLINE_HTML_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_"))
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	e.s.htmlDir.Store(&dir)
	t.Cleanup(func() {
		e.s.htmlDir.Store(nil)
		files, err := filepath.Glob(filepath.Join(dir, "*.html"))
		if err != nil || len(files) == 0 {
			t.Errorf("no pages saved for the Nu HTML Checker in %s (%v)", dir, err)
			return
		}
		validatortest.VNU(t, files...)
	})
}

// savingHTML serves h and saves each text/html response body in dir,
// numbered in order with its method and path; error pages too, not
// redirects.
func savingHTML(h http.Handler, dir string, seq *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &htmlRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || rec.body.Len() == 0 || rec.status/100 == 3 {
			return // not a page: a redirect's body is a link, not a document
		}
		name := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				return r
			}
			return '-'
		}, r.Method+" "+r.URL.Path)
		if len(name) > 80 {
			name = name[:80]
		}
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d-%s.html", seq.Add(1), name)), rec.body.Bytes(), 0o644)
	})
}

type htmlRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *htmlRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *htmlRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if strings.HasPrefix(r.Header().Get("Content-Type"), "text/html") {
		r.body.Write(b)
	}
	return r.ResponseWriter.Write(b)
}

func (r *htmlRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
