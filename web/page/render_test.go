package page

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// A template that fails to execute writes nothing: the caller answers with
// an error page, never half a page.
func TestRenderFailureWritesNothing(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	if err := Render(rec, http.StatusOK, "case", struct{ Wrong int }{1}); err == nil || rec.Body.Len() != 0 || rec.Code != http.StatusOK && rec.Code != 0 {
		t.Fatalf("bad data: err %v, %d %q", err, rec.Code, rec.Body.String())
	}
	if err := Render(httptest.NewRecorder(), http.StatusOK, "no-such-page", nil); err == nil {
		t.Fatal("missing page rendered")
	}
}
