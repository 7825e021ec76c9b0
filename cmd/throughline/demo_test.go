package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"throughline/internal/testwait"
)

// serve --demo with no SMTP or Notify names a demo victim, and anyone can
// walk in as her: the code "sent" to her is on the demo outbox page; her
// case page names her contacts with their numbers and hours.
func TestDemoVictimSignsInThroughTheDemoOutbox(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	if code, _, errb := runAt(t, testNow, "", "generate", "--db", dsn, "--cases", "800"); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errb)
	}
	m, out, errb := envMain(nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--demo"}) }()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve: exit %d: %s", code, errb)
		}
	}()
	victim := regexp.MustCompile(`Demo victim: sign in at (http://[^/]+)/victim with case number (\S+); the code goes to the demo outbox, (http://\S+/demo/outbox)`)
	got := waitForLine(t, out, errb, done, victim)
	base, ref, outbox := got[1], got[2], got[3]
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	get := func(u string) string {
		t.Helper()
		resp, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d\n%s", u, resp.StatusCode, b)
		}
		return string(b)
	}
	post := func(u string, form url.Values) string {
		t.Helper()
		resp, err := client.PostForm(u, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if page := get(outbox); !strings.Contains(page, "Demonstration") || !strings.Contains(page, "Nothing on this page was sent to anyone") || !strings.Contains(page, ref) {
		t.Fatalf("the outbox page is not marked as a demonstration, or names no victim:\n%s", page)
	}
	if page := post(base+"/victim/sign-in", url.Values{"ref": {ref}}); !strings.Contains(page, `href="/demo/outbox"`) {
		t.Fatalf("the code page does not point to the demo outbox:\n%s", page)
	}
	codeRE := regexp.MustCompile(`Your sign-in code is (\d{6})`)
	var code string
	testwait.For(t, "a sign-in code in the demo outbox", func() bool {
		if m := codeRE.FindStringSubmatch(get(outbox)); m != nil {
			code = m[1]
		}
		return code != ""
	})
	page := post(base+"/victim/code", url.Values{"ref": {ref}, "code": {code}})
	for _, want := range []string{"Who to contact", "Gwen Price", "0113 496 0201", "Monday to Friday, 9am to 5pm", "DC Priya Shah"} {
		if !strings.Contains(page, want) {
			t.Errorf("her case page lacks %q:\n%s", want, page)
		}
	}
	// Demo victims have answered the survey, so the feedback dashboard has
	// figures; the demo victim has not: she can answer it herself.
	st := openStore(t, dsn)
	counts, err := st.FeedbackCounts(ctx)
	if err != nil || len(counts) == 0 {
		t.Errorf("no demo feedback: %v", err)
	}
	if fs, err := st.CaseFeedback(ctx, ref); err != nil || len(fs) != 0 {
		t.Errorf("the demo victim has answered already: %v %+v", err, fs)
	}
}
