package web_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"throughline/sqlstore/storetest"
	"throughline/web"
)

// testProvider is a small OpenID Connect provider that speaks the real
// protocol: discovery, JWKS, an authorisation endpoint that signs in one
// configured person at once, and a token endpoint that checks the client
// secret and PKCE and returns an RS256-signed ID token.
type testProvider struct {
	srv      *httptest.Server
	key      *rsa.PrivateKey
	signWith *rsa.PrivateKey // normally key; another to forge
	clock    func() time.Time

	mu      sync.Mutex
	subject string
	email   string
	codes   map[string]grant
	prompts []string
}

type grant struct {
	nonce, challenge, redirect string
}

const clientID, clientSecret = "throughline", "s3cret-of-the-client"

func newProvider(t *testing.T, clock func() time.Time) *testProvider {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &testProvider{key: key, signWith: key, clock: clock, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": p.srv.URL, "authorization_endpoint": p.srv.URL + "/authorize", "token_endpoint": p.srv.URL + "/token",
			"jwks_uri": p.srv.URL + "/jwks", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		b64 := base64.RawURLEncoding.EncodeToString
		json.NewEncoder(w).Encode(map[string]any{"keys": []any{map[string]any{
			"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256", "n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("client_id") != clientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || !strings.Contains(q.Get("scope"), "openid") {
			http.Error(w, "bad authorisation request: "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		code := base64.RawURLEncoding.EncodeToString([]byte(time.Now().String()))
		p.mu.Lock()
		p.codes[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
		p.prompts = append(p.prompts, q.Get("prompt")+"/"+q.Get("max_age"))
		p.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		id, secret, ok := r.BasicAuth()
		if !ok {
			id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
		}
		p.mu.Lock()
		g, found := p.codes[r.PostFormValue("code")]
		delete(p.codes, r.PostFormValue("code"))
		sub, email := p.subject, p.email
		p.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		switch {
		case id != clientID || secret != clientSecret:
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client"})
			return
		case !found || r.PostFormValue("redirect_uri") != g.redirect || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
			return
		}
		now := time.Now()
		claims := map[string]any{"iss": p.srv.URL, "sub": sub, "aud": clientID, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
			"nonce": g.nonce, "email": email, "email_verified": true, "auth_time": p.clock().Unix()}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at-" + sub, "token_type": "Bearer", "expires_in": 300, "id_token": p.sign(claims)})
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *testProvider) sign(claims map[string]any) string {
	b64 := base64.RawURLEncoding.EncodeToString
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": "k1", "typ": "JWT"})
	c, _ := json.Marshal(claims)
	signing := b64(h) + "." + b64(c)
	sum := sha256.Sum256([]byte(signing))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, p.signWith, crypto.SHA256, sum[:])
	return signing + "." + b64(sig)
}

func (p *testProvider) as(sub, email string) {
	p.mu.Lock()
	p.subject, p.email = sub, email
	p.mu.Unlock()
}

// follow follows redirects between the two servers, as a browser does,
// and returns the last response's status, location and body.
func (b *browser) follow(start string, max int) (int, string, string) {
	b.s.t.Helper()
	next := start
	for range max {
		resp, err := b.client.Get(next)
		if err != nil {
			b.s.t.Fatal(err)
		}
		body := make([]byte, 1<<16)
		n, _ := resp.Body.Read(body)
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode/100 != 3 || strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "/sign-in/oidc") {
			return resp.StatusCode, loc, string(body[:n])
		}
		if strings.HasPrefix(loc, "/") {
			loc = b.s.srv.URL + loc
		}
		next = loc
	}
	b.s.t.Fatal("too many redirects")
	return 0, "", ""
}

func TestOIDCSignInAgainstALocalProvider(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		p := newProvider(t, s.clock.Now)
		o, err := web.NewOIDC(ctx, web.OIDCConfig{Name: "West Yorkshire Police", Issuer: p.srv.URL, ClientID: clientID, ClientSecret: clientSecret, RedirectURL: s.srv.URL + "/sign-in/oidc/callback"})
		if err != nil {
			t.Fatal(err)
		}
		s.configure(func(ws *web.Server) { ws.OIDC = o })
		if r := s.browser().get("/sign-in"); !strings.Contains(r.body, "Sign in with West Yorkshire Police") {
			t.Fatal("no organisation sign-in offered")
		}
		// The officer's account is linked by her verified email address.
		officer := s.people["officer"]
		p.as("wyp-0042", officer.login)
		b := s.browser()
		status, loc, body := b.follow(s.srv.URL+"/sign-in/oidc?next="+url.QueryEscape("/cases"), 6)
		if status != http.StatusSeeOther || loc != "/cases" {
			t.Fatalf("oidc sign-in: %d %s %s", status, loc, text(body))
		}
		if r := b.get("/cases"); r.status != 200 || !strings.Contains(r.body, testRef) {
			t.Fatalf("after oidc sign-in: %d", r.status)
		}
		if a, _ := s.store.Account(ctx, officer.ID); a.OIDCSubject != "wyp-0042" {
			t.Fatalf("not linked: %+v", a)
		}
		// Re-authentication goes back to the provider with prompt=login.
		status, loc, _ = b.follow(s.srv.URL+"/reauth?next=%2Fbreak-glass", 6)
		if status != http.StatusSeeOther || loc != "/break-glass" || p.prompts[len(p.prompts)-1] != "login/0" {
			t.Fatalf("oidc reauth: %d %s %v", status, loc, p.prompts)
		}
		// Someone the provider knows but Throughline does not.
		p.as("wyp-9999", "stranger@example.gov.uk")
		status, _, body = s.browser().follow(s.srv.URL+"/sign-in/oidc", 6)
		if status != http.StatusUnauthorized || !strings.Contains(body, "do not have a Throughline account") {
			t.Fatalf("stranger: %d %s", status, text(body))
		}
		// A forged ID token (signed with another key) is refused.
		p.as("wyp-0042", officer.login)
		p.signWith, _ = rsa.GenerateKey(rand.Reader, 2048)
		status, _, body = s.browser().follow(s.srv.URL+"/sign-in/oidc", 6)
		if status != http.StatusUnauthorized || !strings.Contains(body, "did not confirm the sign-in") {
			t.Fatalf("forged token: %d %s", status, text(body))
		}
		p.signWith = p.key
		// A callback without the browser's flow cookie (a forged or replayed
		// state) is refused.
		b2 := s.browser()
		resp, err := b2.client.Get(s.srv.URL + "/sign-in/oidc")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		authURL := resp.Header.Get("Location")
		resp, err = b2.client.Get(authURL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		callback := resp.Header.Get("Location")
		if r := s.browser().get(strings.TrimPrefix(callback, s.srv.URL)); r.status != http.StatusUnauthorized {
			t.Fatalf("callback without the flow cookie: %d", r.status)
		}
		u, _ := url.Parse(callback)
		q := u.Query()
		q.Set("state", "forged")
		u.RawQuery = q.Encode()
		if r := b2.get(strings.TrimPrefix(u.String(), s.srv.URL)); r.status != http.StatusUnauthorized {
			t.Fatalf("forged state: %d", r.status)
		}
		// A disabled account cannot sign in through the provider either.
		s.web.Store.UpdateUser(ctx, "admin", officer.ID, officer.Name, officer.Role, officer.Agency, true)
		status, _, _ = s.browser().follow(s.srv.URL+"/sign-in/oidc", 6)
		if status != http.StatusUnauthorized {
			t.Fatalf("disabled account: %d", status)
		}
	})
}
