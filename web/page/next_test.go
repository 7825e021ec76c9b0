package page

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// TestSafeNextRefusesOffSite hunts the class: every spelling of "another
// site" a browser accepts where a server sees a path.
func TestSafeNextRefusesOffSite(t *testing.T) {
	bad := []string{
		"/%09/evil.example/phish", "/\t/evil.example/phish", "/a/../b", "/a/./b", "/\n/evil", "/\r/evil", "/%0a/evil", "/%0d%0a/evil",
		"//evil", "///evil", "/\\evil", "\\\\evil", "/%5cevil", "/%5C%5Cevil", "/%2f/evil", "/%2F%2Fevil",
		"https://evil", "http:evil", "javascript:alert(1)", "evil.example", "", " /cases", "/ /evil",
		"/./evil/..//evil", "/.//evil", "/x/..//evil", "/%00/evil", "/\x00/evil", "/\u2028/evil", "/\u202e/evil",
		"/%252509/evil", "/%E2%80%AE/evil", "/%ff/evil", "//%09evil", "/%09%09/evil",
	}
	for _, raw := range bad {
		if got := SafeNext(raw); got != "" {
			t.Errorf("SafeNext(%q) = %q, want refused", raw, got)
		}
	}
}

func TestSafeNextKeepsOwnPaths(t *testing.T) {
	for raw, want := range map[string]string{
		"/":                       "/",
		"/cases":                  "/cases",
		"/cases/13RS0001/":        "/cases/13RS0001/",
		"/cases?stage=charge&q=a": "/cases?q=a&stage=charge",
		"/cases/a%2Fb":            "/cases/a%2Fb",
		"/work#top":               "/work",
	} {
		if got := SafeNext(raw); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", raw, got, want)
		}
	}
}

// TestSafeNextLocationStaysHere: whatever SafeNext lets through, once
// written as a Location and resolved as a browser would against this site,
// stays on this site.
func TestSafeNextLocationStaysHere(t *testing.T) {
	base, _ := url.Parse("https://throughline.example/sign-in")
	for _, raw := range []string{"/cases", "/cases?x=%2F%2Fevil", "/%09/evil.example/phish", "//evil", "/\\evil", "https://evil"} {
		next := SafeNext(raw)
		if next == "" {
			next = "/"
		}
		w := httptest.NewRecorder()
		http.Redirect(w, httptest.NewRequest("POST", "/sign-in", nil), next, http.StatusSeeOther)
		loc := w.Header().Get("Location")
		u, err := base.Parse(loc)
		if err != nil || u.Host != base.Host {
			t.Errorf("next %q: Location %q leaves the site (%v)", raw, loc, err)
		}
	}
}

func TestSignInURLCarriesOnlySafeNext(t *testing.T) {
	if got := SignInURL("/%09/evil.example/phish", false); got != "/sign-in" {
		t.Errorf("SignInURL kept a bad next: %q", got)
	}
	if got := SignInURL("/cases", true); got != "/sign-in?ended=1&next=%2Fcases" {
		t.Errorf("SignInURL = %q", got)
	}
}
