package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"throughline"

	"throughline/sqlstore/storetest"
	"throughline/web"
)

// After a key stage the portal asks how well the victim was kept informed;
// the answer is kept append-only, once per stage, with the comment sealed
// under the case key and never logged.
func TestPortalFeedback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		var logs bytes.Buffer
		codes := make(chan string, 10)
		s.configure(func(ws *web.Server) {
			ws.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			ws.PortalSend = func(ctx context.Context, channel, to, subject, body string) error {
				if channel == "email" {
					codes <- sixDigits.FindString(body)
				}
				return nil
			}
		})
		jar, _ := cookiejar.New(nil)
		p := &portal{t: t, srv: s.srv, hc: &http.Client{Jar: jar}, codes: codes}
		p.post("/victim/sign-in", url.Values{"ref": {testRef}})
		if code, body := p.post("/victim/code", url.Values{"ref": {testRef}, "code": {p.code()}}); code != 200 || !strings.Contains(body, "Where your case is now") {
			t.Fatalf("sign in: %d", code)
		}
		// Before charge: no survey.
		if _, body := p.get("/victim/case"); strings.Contains(body, "/victim/feedback") {
			t.Fatal("a survey before any key stage")
		}
		appendLine(t, s.store.Store, testRef, `{"type":"charged","occurred_at":"2024-11-13T09:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"custody"}}`)
		_, body := p.get("/victim/case")
		for _, want := range []string{"now that someone has been charged", "How well have we kept you informed", `name="rating" type="radio" value="5"`, "5 – Very well", `name="stage" value="charge"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the survey lacks %q", want)
			}
		}
		// No rating: an error, linked to the first radio, the comment kept.
		const secret = "The officer never rang back: SECRET-7731"
		code, body := p.post("/victim/feedback", url.Values{"stage": {"charge"}, "comment": {secret}})
		if code != 422 || !strings.Contains(body, `href="#rating-1"`) || !strings.Contains(body, "Choose how well we have kept you informed") || !strings.Contains(body, "SECRET-7731") {
			t.Fatalf("no rating: %d %s", code, text(body))
		}
		if code, _ := p.post("/victim/feedback", url.Values{"stage": {"charge"}, "rating": {"6"}}); code != 422 {
			t.Fatalf("rating 6: %d", code)
		}
		code, body = p.post("/victim/feedback", url.Values{"stage": {"charge"}, "rating": {"2"}, "comment": {secret}})
		if code != 200 || !strings.Contains(body, "Thank you for your feedback.") || strings.Contains(body, `action="/victim/feedback"`) || !strings.Contains(body, `href="/victim/case?lang=cy"`) {
			t.Fatalf("feedback: %d %s", code, text(body))
		}
		// Once per stage: a second answer is thanked and not kept.
		p.post("/victim/feedback", url.Values{"stage": {"charge"}, "rating": {"5"}})
		fs, err := s.store.CaseFeedback(ctx, testRef)
		if err != nil || len(fs) != 1 || fs[0].Rating != 2 || fs[0].Comment != secret || fs[0].Stage != throughline.FeedbackCharge || fs[0].ComplainantID != "C1" {
			t.Fatalf("stored: %+v %v", fs, err)
		}
		// Sealed at rest, and never in the logs.
		var raw []byte
		if err := s.store.DB().QueryRowContext(ctx, `SELECT comment_sealed FROM portal_feedback`).Scan(&raw); err != nil || len(raw) == 0 || bytes.Contains(raw, []byte("SECRET-7731")) {
			t.Fatalf("the comment is not sealed: %q %v", raw, err)
		}
		if strings.Contains(logs.String(), "SECRET-7731") {
			t.Fatal("the comment is in the logs")
		}
		// Append-only.
		if _, err := s.store.DB().ExecContext(ctx, `UPDATE portal_feedback SET rating = 5`); err == nil {
			t.Fatal("feedback was changed")
		}
		if _, err := s.store.DB().ExecContext(ctx, `DELETE FROM portal_feedback`); err == nil {
			t.Fatal("feedback was deleted")
		}
		// The case team reads her answer with her details.
		casePath := "/cases/" + url.PathEscape(testRef)
		if r := s.signIn("officer").get(casePath); r.status != 200 || !strings.Contains(text(r.body), "Feedback after the charge 2 – Poorly (25 November 2026") || !strings.Contains(r.body, "SECRET-7731") {
			t.Errorf("the officer's case page lacks the feedback: %d %s", r.status, text(r.body))
		}
	})
}
