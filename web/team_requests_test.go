package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/sqlstore/storetest"
)

var requestActionRE = regexp.MustCompile(`action="(/cases/[^"]+/team/requests/[^"]+)"`)

// approveRequests approves, as b, every addition waiting on ref's team.
func approveRequests(t *testing.T, b *browser, ref string) int {
	t.Helper()
	r := b.get("/cases/" + url.PathEscape(ref) + "/team/requests")
	if r.status != http.StatusOK {
		t.Fatalf("team requests: %d %s", r.status, text(r.body))
	}
	seen := map[string]bool{}
	for _, m := range requestActionRE.FindAllStringSubmatch(r.body, -1) {
		a := html.UnescapeString(m[1])
		if seen[a] {
			continue
		}
		seen[a] = true
		if p := b.post(a, url.Values{"decision": {"approve"}}); p.status != http.StatusSeeOther {
			t.Fatalf("approve %s: %d %s", a, p.status, text(p.body))
		}
	}
	return len(seen)
}

// Issue 11, finding 14: administration never grants case access on its
// own. An administrator's addition to a case team, or anyone's addition of
// a member of another agency, waits for a second person of the case's own
// agency; the requester and the member cannot approve it; both steps are
// logged.
func TestTeamAdditionsNeedASecondPerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		casePath := "/cases/" + url.PathEscape(testRef)
		outsider, colleague := s.people["outsider"], s.people["colleague"]
		admin := s.signIn("admin")

		// The administrator adds another force's officer, and an account
		// of their own agency (as one they had just made for themselves).
		admin.post(casePath+"/team", url.Values{"member": {"user:" + outsider.ID}})
		admin.post(casePath+"/team", url.Values{"member": {"user:" + colleague.ID}})
		for _, k := range []string{"outsider", "colleague"} {
			if r := s.signIn(k).get(casePath); r.status != http.StatusNotFound {
				t.Fatalf("%s reads the case on an administrator's say-so alone: %d", k, r.status)
			}
		}
		// Neither the administrator nor the member may approve.
		if r := admin.get(casePath + "/team/requests"); r.status != http.StatusNotFound {
			t.Fatalf("administrator sees the requests: %d", r.status)
		}
		qs, err := s.store.CaseMemberRequests(ctx, testRef)
		if err != nil || len(qs) != 2 {
			t.Fatalf("requests: %+v %v", qs, err)
		}
		for _, q := range qs {
			if err := s.store.DecideCaseMember(ctx, s.people["admin"].ID, testRef, q.ID, true); throughline.ErrorCode(err) != throughline.EFORBIDDEN {
				t.Fatalf("the requester approved their own request: %v", err)
			}
			if q.Kind == "user" {
				if err := s.store.DecideCaseMember(ctx, q.MemberID, testRef, q.ID, true); throughline.ErrorCode(err) != throughline.EFORBIDDEN {
					t.Fatalf("the member approved their own addition: %v", err)
				}
			}
		}
		// The officer on the case team, of the case's force, approves.
		if n := approveRequests(t, s.signIn("officer"), testRef); n != 2 {
			t.Fatalf("approved %d requests, want 2", n)
		}
		for _, k := range []string{"outsider", "colleague"} {
			if r := s.signIn(k).get(casePath); r.status != http.StatusOK {
				t.Fatalf("%s after approval: %d", k, r.status)
			}
		}
		// Both steps are in the administration log.
		log, err := s.store.AdminActions(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var requested, approved int
		for _, a := range log {
			switch a.Action {
			case "request_case_member":
				requested++
			case "approve_case_member":
				approved++
			}
		}
		if requested != 2 || approved != 2 {
			t.Fatalf("admin log: %d requested, %d approved: %+v", requested, approved, log)
		}

		// The force's supervisor adds an officer of their own force at once;
		// another force's officer only on approval.
		other := s.addPerson("other", "Al Other", "officer", "police:20")
		sup := s.signIn("supervisor")
		extra := s.addPerson("extra", "Eve Extra", "officer", "police:13")
		sup.post(casePath+"/team", url.Values{"member": {"user:" + extra.ID, "user:" + other.ID}})
		if r := s.signIn("extra").get(casePath); r.status != http.StatusOK {
			t.Fatalf("supervisor's own-force addition: %d", r.status)
		}
		if r := s.signIn("other").get(casePath); r.status != http.StatusNotFound {
			t.Fatalf("another force's officer added by the supervisor alone: %d", r.status)
		}
		if qs, _ := s.store.CaseMemberRequests(ctx, testRef); len(qs) != 1 || !strings.Contains(qs[0].Agency, "police:20") {
			t.Fatalf("requests: %+v", qs)
		}
	})
}

// The approvers are told that a request waits — on the case list they open
// first, on the case page, and in their work list across cases — and
// nobody else is: not whoever asked, not the person to be added, not
// another force's officer.
func TestApproversAreToldOfTeamRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		casePath := "/cases/" + url.PathEscape(testRef)
		outsider := s.people["outsider"]
		admin := s.signIn("admin")
		officer := s.signIn("officer")
		if r := officer.get("/cases"); strings.Contains(text(r.body), "waiting for your decision") {
			t.Fatal("told of a request before there is one")
		}
		if r := officer.get("/team-requests"); r.status != http.StatusOK || !strings.Contains(text(r.body), "Nothing is waiting for approval") {
			t.Fatalf("empty work list: %d %s", r.status, text(r.body))
		}
		admin.post(casePath+"/team", url.Values{"member": {"user:" + outsider.ID}})

		// The officer on the team, of the case's force, is told three ways.
		r := officer.get("/cases")
		if words := text(r.body); !strings.Contains(words, "1 request to join a case team is waiting for your decision") || !strings.Contains(r.body, `href="/team-requests"`) {
			t.Fatalf("case list does not tell the approver: %s", words)
		}
		if r := officer.get(casePath); !strings.Contains(text(r.body), "Case team requests: 1 waiting") {
			t.Fatalf("case page does not link the request: %s", text(r.body))
		}
		r = officer.get("/team-requests")
		if words := text(r.body); r.status != http.StatusOK || !strings.Contains(words, testRef) || !strings.Contains(words, outsider.Name) || !strings.Contains(words, s.people["admin"].Name) {
			t.Fatalf("work list: %d %s", r.status, words)
		}
		if strings.Contains(r.body, s.people["admin"].ID) || strings.Contains(r.body, outsider.ID+"<") {
			t.Fatal("the work list shows internal ids")
		}
		// Nobody else is told or may decide.
		for _, k := range []string{"outsider", "colleague"} {
			b := s.signIn(k)
			if r := b.get("/cases"); strings.Contains(text(r.body), "waiting for your decision") {
				t.Fatalf("%s is told of a request they may not decide", k)
			}
			if r := b.get("/team-requests"); strings.Contains(text(r.body), testRef) {
				t.Fatalf("%s's work list shows the request", k)
			}
		}
		if r := admin.get("/team-requests"); r.status != http.StatusForbidden {
			t.Fatalf("the administrator's work list of requests: %d", r.status)
		}

		// Deciding from the work list: approved, and no longer waiting.
		m := requestActionRE.FindStringSubmatch(r.body)
		if m == nil || !strings.Contains(r.body, `name="from" value="list"`) {
			t.Fatalf("no decision buttons: %s", text(r.body))
		}
		// Approving gives access: after five minutes the approver proves
		// who they are again first, and nothing changes until they do.
		s.clock.Advance(throughline.ReauthWithin + time.Minute)
		approve := url.Values{"decision": {"approve"}, "from": {"list"}}
		if p := officer.post(html.UnescapeString(m[1]), approve); p.status != http.StatusSeeOther || p.header.Get("Location") != "/reauth?next=%2Fteam-requests" {
			t.Fatalf("a stale approval: %d %s", p.status, p.header.Get("Location"))
		}
		if qs, _ := s.store.CaseMemberRequests(context.Background(), testRef); len(qs) != 1 {
			t.Fatalf("a stale approval decided the request: %+v", qs)
		}
		o := s.people["officer"]
		if p := officer.post("/reauth", url.Values{"password": {o.password}, "code": {credentialTOTP(o.secret, s.clock.Now())}, "next": {"/team-requests"}}); p.status != http.StatusSeeOther {
			t.Fatalf("reauth: %d %s", p.status, text(p.body))
		}
		if p := officer.post(html.UnescapeString(m[1]), approve); p.status != http.StatusSeeOther || p.header.Get("Location") != "/team-requests" {
			t.Fatalf("approve from the work list: %d %s %s", p.status, p.header.Get("Location"), text(p.body))
		}
		if r := officer.get("/cases"); strings.Contains(text(r.body), "waiting for your decision") {
			t.Fatal("still told after deciding")
		}
		if r := s.signIn("outsider").get(casePath); r.status != http.StatusOK {
			t.Fatalf("approved member: %d", r.status)
		}
	})
}
