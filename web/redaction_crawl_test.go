package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"throughline"
	"throughline/comms/dispatch"
	"throughline/internal/testwait"
	"throughline/notify"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// The redaction crawl. A case is planted with a distinctive marker in every
// personal field (names, date of birth, addresses, phones, emails, typed
// free text, the officer's name and phone, messages, survey answers); then
// every route of the route table and every API call is requested as each
// person who must not see some of them, and no marker may appear in any
// response body or header, nor in any log line. The class it hunts: any
// output that carries personal data past a redaction decision.

// crawlMarkers are the planted markers, by what they are. Each is searched
// for case-insensitively.
var crawlMarkers = map[string][]string{
	// The first complainant (the one the ISVA has consent for).
	"c1": {"QZXC1NAME", "1961-07-29", "29 July 1961", "qzxc1email", "07399482711", "QZXC1ADDR", "QZXC1SAFE", "QZXC1NOMINEE", "QZXC1FREE", "QZXC1HOLDER", "QZXC1REASON", "QZXC1BELIEF", "QZXC1ENQUIRY", "QZXC1NECESSITY", "QZXC1PROBATIVE", "QZXC1HANDLING", "QZXSURVEY", "QZXC1VPS", "QZXC1APPROVE", "QZXC1VIEW", "QZXC1WITHDRAWN", "QZXC1MATERIAL",
		"QZXC1DEVICE", "QZXC1SOUGHT", "QZXC1DEVREASON", "QZXC1DEVHANDLING", "QZXC1DEVENQUIRY", "QZXC1DEVNECESSITY", "QZXC1OTHERMEANS"},
	// The second complainant (no consent).
	"c2": {"QZXC2NAME", "qzxc2email", "07399482722", "QZXC2ADDR", "QZXC2SAFE", "QZXC2NOMINEE", "QZXC2FREE", "QZXC2WITHDRAW", "QZXC2VPS", "QZXC2DEVICE"},
	// The suspects and defendants.
	"defendants": {"QZXD1NAME", "QZXD2NAME"},
	// The victim's named officer, set through the contact details.
	"officer": {"QZXOFFNAME", "07399482733", "qzxoffemail"},
	// Internal work and typed free text about the case.
	"work": {"QZXWORKPLAN", "QZXFREEVACATE", "QZXCLOSE"},
	// The case itself: its reference, in every form a page or file writes
	// it. Only the commissioner is forbidden it, in answer to any request
	// that did not name it: they may not learn that any one case exists.
	"case": {crawlRef, "13RS0000777", "13rs0000777%2F24"},
}

// crawlLines are the case's events: every personal field carries a marker.
var crawlLines = []string{
	`{"type":"case_opened","occurred_at":"2025-01-10","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Alys QZXC1NAME","date_of_birth":"1961-07-29","sex":"female","language":"en"},{"id":"C2","name":"Bryn QZXC2NAME","sex":"male","language":"en"}],"suspects":[{"id":"D1","name":"Dai QZXD1NAME"},{"id":"D2","name":"Evan QZXD2NAME"}]}}`,
	`{"type":"contact_preferences_set","occurred_at":"2025-01-11","data":{"complainant_id":"C1","channels":["email","sms"],"email":"qzxc1email@example.org","mobile":"07399482711","address":"1 QZXC1ADDR Road, Leeds","safe_times":"QZXC1SAFE evenings","nominated_contact":"QZXC1NOMINEE Smith"}}`,
	`{"type":"contact_preferences_set","occurred_at":"2025-01-11","data":{"complainant_id":"C2","channels":["email"],"email":"qzxc2email@example.org","mobile":"07399482722","address":"2 QZXC2ADDR Road, Leeds","safe_times":"QZXC2SAFE mornings","nominated_contact":"QZXC2NOMINEE Jones"}}`,
	`{"type":"named_contact_changed","occurred_at":"2025-01-12","data":{"complainant_id":"C1","name":"Officer QZXOFFNAME","team":"Leeds RASSO","phone":"07399482733","email":"qzxoffemail@example.gov.uk"}}`,
	`{"type":"named_contact_changed","occurred_at":"2025-01-12","data":{"complainant_id":"C2","name":"Officer QZXOFFNAME","team":"Leeds RASSO","phone":"07399482733","email":"qzxoffemail@example.gov.uk"}}`,
	`{"type":"action_plan_issued","occurred_at":"2025-02-01","data":{"plan_id":"AP1","items":[{"item_id":"1","description":"QZXWORKPLAN phone download","owner":"police","due":"2025-03-01"}]}}`,
	`{"type":"information_requested","occurred_at":"2025-02-02","data":{"complainant_id":"C1","request_id":"R1","material":"counselling_notes","holder":"QZXC1HOLDER Counselling","reason":"QZXC1REASON relevant",` +
		`"holder_belief":"QZXC1BELIEF she said so in interview","line_of_enquiry":"QZXC1ENQUIRY first disclosure date","necessity":"QZXC1NECESSITY only the first date",` +
		`"probative_value":"QZXC1PROBATIVE meets the late invention defence","handling":"QZXC1HANDLING seen by two people only"}}`,
	`{"type":"information_request_approved","occurred_at":"2025-02-03","data":{"complainant_id":"C1","request_id":"R1","note":"QZXC1APPROVE the date alone is sought"}}`,
	`{"type":"information_request_view","occurred_at":"2025-02-03","data":{"complainant_id":"C1","request_id":"R1","advice":"supported","view":"QZXC1VIEW the date is in issue"}}`,
	`{"type":"information_request_withdrawn","occurred_at":"2025-02-04","data":{"complainant_id":"C1","request_id":"R1","reason":"QZXC1WITHDRAWN she gave the date herself"}}`,
	`{"type":"material_decision","occurred_at":"2025-02-04","data":{"complainant_id":"C1","request_id":"R1","decision":"not_sought","material":"counselling_notes","reason":"QZXC1MATERIAL she gave the date herself"}}`,
	`{"type":"device_extraction_requested","occurred_at":"2025-02-05","data":{"complainant_id":"C1","request_id":"E1","device":"QZXC1DEVICE phone","information_sought":"QZXC1SOUGHT the messages in June",` +
		`"data_kinds":["messages"],"reason":"QZXC1DEVREASON what was said","handling":"QZXC1DEVHANDLING two people only","line_of_enquiry":"QZXC1DEVENQUIRY his account of the night",` +
		`"necessity":"QZXC1DEVNECESSITY only June is sought","other_means":"QZXC1OTHERMEANS his phone was not seized"}}`,
	`{"type":"device_extraction_requested","occurred_at":"2025-02-05","data":{"complainant_id":"C2","request_id":"E2","device":"QZXC2DEVICE tablet","information_sought":"The photos he sent in May.",` +
		`"data_kinds":["photos_and_videos"],"reason":"To show what he sent you.","handling":"Only the officer will see them.","line_of_enquiry":"Whether he sent the photos he denies sending.",` +
		`"necessity":"No other record of the photos exists now.","other_means":"The provider keeps no copies of the photos."}}`,
	`{"type":"file_submitted","occurred_at":"2025-03-03","data":{"suspect_id":"D1","purpose":"charging_decision"}}`,
	`{"type":"charging_decision","occurred_at":"2025-03-10","data":{"suspect_id":"D1","decision":"charge"}}`,
	`{"type":"charged","occurred_at":"2025-03-11T09:00:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"custody"}}`,
	`{"type":"sent_to_crown_court","occurred_at":"2025-03-12","data":{"defendant_id":"D1","court":"leeds"}}`,
	`{"type":"hearing_listed","occurred_at":"2025-03-12","data":{"hearing_id":"H1","kind":"ptph","court":"leeds","starts_at":"2025-04-09T10:00:00+01:00","listing":"fixture"}}`,
	`{"type":"hearing_vacated","occurred_at":"2025-03-20","data":{"hearing_id":"H1","reason":"QZXFREEVACATE judge unwell"}}`,
	`{"type":"hearing_listed","occurred_at":"2025-03-21","data":{"hearing_id":"H2","kind":"trial","court":"leeds","starts_at":"2027-01-11T10:00:00Z","listing":"fixture"}}`,
	`{"type":"victim_personal_statement","occurred_at":"2025-03-25","data":{"complainant_id":"C1","action":"made","text":"QZXC1VPS I cannot sleep"}}`,
	`{"type":"victim_personal_statement","occurred_at":"2025-03-25","data":{"complainant_id":"C2","action":"help_wanted","text":"QZXC2VPS so far"}}`,
	`{"type":"complainant_withdrew","occurred_at":"2025-04-01","data":{"complainant_id":"C2","reason":"QZXC2WITHDRAW moving away"}}`,
}

const crawlRef = "13RS0000777/24"

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// crawlChannel delivers every message at once.
type crawlChannel struct{}

func (crawlChannel) Send(context.Context, notify.Delivery) (notify.Result, error) {
	return notify.Result{Status: notify.Delivered}, nil
}
func (crawlChannel) Lookup(context.Context, string) (notify.Result, bool, error) {
	return notify.Result{}, false, notify.ErrCannotLookup
}
func (crawlChannel) Status(context.Context, string) (notify.Result, error) {
	return notify.Result{Status: notify.Delivered}, nil
}

// lockedBuffer is a log sink shared by the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestNoPersonalDataPastARedactionDecision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		raw, err := sqlstore.Open(ctx, dsn, wire.Rules())
		if err != nil {
			t.Fatal(err)
		}
		st := wire.NewBackend(raw)
		t.Cleanup(func() { st.Close() })
		now := func() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) }
		st.Now = now
		if err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, l := range crawlLines {
			e, err := throughline.ParseEvent([]byte(`{"case":"` + crawlRef + `",` + l[1:]))
			if err != nil {
				t.Fatal(err)
			}
			e.Actor, e.Agency = "import", "police:13"
			if _, _, err := st.Append(ctx, e, throughline.AnyVersion); err != nil {
				t.Fatalf("%s: %v", l, err)
			}
		}
		// Messages in words that name everyone, composed and delivered.
		for _, m := range []struct{ c, text string }{
			{"C1", "Dear Alys QZXC1NAME, QZXC1FREE: Dai QZXD1NAME stays in custody. Call Officer QZXOFFNAME on 07399482733."},
			{"C2", "Dear Bryn QZXC2NAME, QZXC2FREE: Evan QZXD2NAME. Call 07399482733."},
		} {
			if _, err := st.EnqueueFreeText(ctx, crawlRef, m.c, m.text, "import", "police:13"); err != nil {
				t.Fatal(err)
			}
		}
		d := &dispatch.Dispatcher{Store: raw, Channels: map[string]notify.Channel{"email": crawlChannel{}, "sms": crawlChannel{}}, Owner: "t", Now: now, Logger: slog.New(slog.DiscardHandler)}
		if _, err := d.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if err := st.GiveFeedback(ctx, throughline.Feedback{CaseRef: crawlRef, ComplainantID: "C1", Stage: throughline.FeedbackStage(throughline.StageCharged), Rating: 2, Comment: "QZXSURVEY it was slow"}); err != nil {
			t.Fatal(err)
		}

		// The people: one who may see everything (the control), and those
		// who must not see some or all of the markers.
		type caller struct {
			who, session, token string
			id                  string
			victim              string   // a victim portal session instead
			forbidden           []string // marker groups
		}
		all := []string{"c1", "c2", "defendants", "officer", "work"}
		var callers []caller
		var userIDs []string
		add := func(who, role, agency string, team bool, forbidden ...string) {
			u, token, err := st.AddUser(ctx, who, role, agency)
			if err != nil {
				t.Fatal(err)
			}
			userIDs = append(userIDs, u.ID)
			if team {
				if err := st.SetCaseMember(ctx, "test", crawlRef, "user", u.ID, true); err != nil {
					t.Fatal(err)
				}
			}
			session, err := st.CreateSession(ctx, u, throughline.SessionActive, "password")
			if err != nil {
				t.Fatal(err)
			}
			callers = append(callers, caller{who: who, session: session, token: token, id: u.ID, forbidden: forbidden})
		}
		add("officer on the team (control)", throughline.RoleOfficer, "police:13", true)
		add("inspector on the team (pseudonymised)", throughline.RoleInspector, "inspectorate", true, all...)
		add("ISVA with consent for C1 only", throughline.RoleISVA, "isva:rape-crisis-leeds", true, "c2", "work")
		add("ISVA on the team without consent", throughline.RoleISVA, "isva:other-org", true, all...)
		add("officer of another force", throughline.RoleOfficer, "police:01", false, all...)
		add("inspector off the team", throughline.RoleInspector, "inspectorate", false, all...)
		// An inspector off the team who reads the case in a case-file
		// review: pseudonymised like one on it.
		add("inspector reviewing it in a case-file review", throughline.RoleInspector, "inspectorate", false, all...)
		reviewer := callers[len(callers)-1]
		reviewID, err := st.CreateReview(ctx, throughline.CaseReview{Title: "Crawl review", By: "force", PerStratum: 1, CreatedBy: reviewer.id,
			CreatedAt: now(), Ends: now().Add(24 * time.Hour), Reviewers: []string{reviewer.id}, Cases: []throughline.ReviewCase{{Case: crawlRef, Stratum: "13|convicted"}}})
		if err != nil {
			t.Fatal(err)
		}
		add("CPS manager of another area", throughline.RoleCPSManager, "cps:london_north", false, all...)
		// The commissioner, even if put on the case's team, sees aggregates
		// only: no marker of the case, not even its reference.
		add("commissioner, put on the team", throughline.RoleCommissioner, "commissioner", true, append(slices.Clone(all), "case")...)
		for _, role := range throughline.Roles {
			if _, supervisor := throughline.Supervised(matrixUsers[role]); supervisor || role == throughline.RoleISVA || role == throughline.RoleInspector || role == throughline.RoleCommissioner {
				continue
			}
			add(throughline.RoleName(role)+" of the case's agency, off the team", role, matrixUsers[role].Agency, false, all...)
		}
		if err := st.RecordConsent(ctx, throughline.Consent{CaseRef: crawlRef, ComplainantID: "C1", ISVAAgency: "isva:rape-crisis-leeds", Given: true, RecordedBy: "test"}); err != nil {
			t.Fatal(err)
		}

		logs := &lockedBuffer{}
		codes := make(chan string, 4)
		sent := func(ctx context.Context, channel, to, subject, body string) error {
			if strings.HasPrefix(to, "qzxc1email") || to == "07399482711" {
				codes <- sixDigits.FindString(body)
			}
			return nil
		}
		s := &Server{Store: st, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), Now: now, PortalSend: sent}
		h, err := s.handlers()
		if err != nil {
			t.Fatal(err)
		}
		routes := s.routes(h)
		srv := httptest.NewServer(s.handler(routes))
		t.Cleanup(srv.Close)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

		// Every route, with each path parameter given every value that
		// might lead somewhere, and the queries that filter or search.
		ids := append([]string{"x", "1", "2", reviewID}, userIDs...)
		values := map[string][]string{
			"{ref}":  {url.PathEscape(crawlRef)},
			"{type}": throughline.EventTypes(),
			"{id}":   ids,
		}
		queries := []string{"", "?q=QZX", "?q=Alys", "?q=Bryn", "?q=Dai", "?q=Zzqq", "?q=" + url.QueryEscape(crawlRef), "?complainant=C2", "?format=csv", "?team=1"}
		var paths [][3]string // method, path, pattern
		for _, rt := range routes {
			method, pattern, _ := strings.Cut(rt.pattern, " ")
			expanded := []string{pattern}
			for param, vs := range values {
				var next []string
				for _, p := range expanded {
					if !strings.Contains(p, param) {
						next = append(next, p)
						continue
					}
					for _, v := range vs {
						next = append(next, strings.ReplaceAll(p, param, v))
					}
				}
				expanded = next
			}
			for _, p := range expanded {
				if method == http.MethodGet {
					qs := queries
					if strings.Contains(pattern, "{type}") || strings.Contains(pattern, "{id}") {
						qs = queries[:1] // the forms and records by id take no filters
					}
					for _, q := range qs {
						paths = append(paths, [3]string{method, p + q, rt.pattern})
					}
				} else {
					paths = append(paths, [3]string{method, p, rt.pattern})
				}
			}
		}
		sort.Slice(paths, func(i, j int) bool { return paths[i][1] < paths[j][1] })

		request := func(c caller, method, path string) (int, string) {
			t.Helper()
			var body io.Reader
			if method != http.MethodGet {
				body = strings.NewReader("{}")
			}
			req, _ := http.NewRequest(method, srv.URL+path, body)
			if strings.HasPrefix(path, "/api/") {
				req.Header.Set("Authorization", "Bearer "+c.token)
				req.Header.Set("Content-Type", "application/json")
			} else if c.victim != "" {
				req.AddCookie(&http.Cookie{Name: "tl_victim", Value: c.victim})
			} else {
				req.AddCookie(&http.Cookie{Name: "throughline", Value: c.session})
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var hdr strings.Builder
			for k, vs := range resp.Header {
				hdr.WriteString(k + ": " + strings.Join(vs, ", ") + "\n")
			}
			return resp.StatusCode, hdr.String() + "\n" + string(b)
		}
		if status, _ := request(reviewer, "GET", "/cases/"+url.PathEscape(crawlRef)); status != http.StatusOK {
			t.Fatalf("the reviewing inspector cannot read the case (control): %d", status)
		}
		if status, body := request(reviewer, "GET", "/reviews/"+reviewID); status != http.StatusOK || !strings.Contains(body, "Crawl review") {
			t.Fatalf("the reviewing inspector's review page (control): %d", status)
		}
		found := func(text string, groups ...string) []string {
			text = strings.ToLower(text)
			var out []string
			for _, g := range groups {
				for _, m := range crawlMarkers[g] {
					if strings.Contains(text, strings.ToLower(m)) {
						out = append(out, m)
					}
				}
			}
			return out
		}

		// The victim C1, signed in to the portal, must see nothing of C2
		// nor of the internal work.
		{
			form := func(path string, v url.Values) *http.Response {
				req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(v.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp
			}
			form("/victim/sign-in", url.Values{"ref": {crawlRef}})
			var code string
			select {
			case code = <-codes:
			case <-testwait.Deadline(t):
				t.Fatal("no portal sign-in code sent to C1")
			}
			resp := form("/victim/code", url.Values{"ref": {crawlRef}, "code": {code}})
			for _, c := range resp.Cookies() {
				if c.Name == "tl_victim" && c.Value != "" {
					callers = append(callers, caller{who: "victim C1 in the portal", victim: c.Value, forbidden: []string{"c2", "work"}})
				}
			}
			if callers[len(callers)-1].victim == "" {
				t.Fatalf("portal sign-in: %d", resp.StatusCode)
			}
			if status, body := request(callers[len(callers)-1], "GET", "/victim/case"); status != http.StatusOK || len(found(body, "officer")) == 0 {
				t.Fatalf("the victim's portal page (control: their officer's name): %d %.300q", status, body)
			}
		}

		// The control: the officer on the team sees the markers, so the
		// planting worked and the crawl would see a leak.
		control := callers[0]
		if _, page := request(control, "GET", "/cases/"+url.PathEscape(crawlRef)); len(found(page, "c1", "c2", "defendants")) < 3 {
			t.Fatalf("the control does not see the planted names: %.300q", page)
		}
		if _, body := request(control, "GET", "/api/v1/cases/"+url.PathEscape(crawlRef)+"/messages"); len(found(body, "c1", "defendants", "officer")) < 3 {
			t.Fatalf("the control does not see the planted message words: %.300q", body)
		}

		// The control for the search check: a name finds the case for the
		// officer, a name that matches nothing does not.
		if _, body := request(control, "GET", "/search?q=Bryn"); !strings.Contains(body, "13RS0000777") {
			t.Fatalf("the control's search by name does not find the case")
		}
		if _, body := request(control, "GET", "/search?q=Zzqq"); strings.Contains(body, "13RS0000777") {
			t.Fatalf("the control's search finds the case by a name that matches nothing")
		}

		// Finding 6: an ISVA with consent for C1 only is shown no
		// deadline (internal work: C2's duties, custody time limits), and
		// the messages of C1 only, logged.
		isva := callers[2]
		if status, body := request(isva, "GET", "/api/v1/cases/"+url.PathEscape(crawlRef)+"/deadlines"); status != http.StatusForbidden || strings.Contains(body, "complainant:C2") || strings.Contains(body, "ctl") {
			t.Errorf("deadlines as the ISVA: %d %.300s", status, body)
		}
		if status, body := request(isva, "GET", "/api/v1/cases/"+url.PathEscape(crawlRef)+"/messages"); status != http.StatusOK || strings.Contains(body, `"C2"`) || !strings.Contains(body, `"C1"`) {
			t.Errorf("messages as the ISVA: %d %.300s", status, body)
		}

		requests := 0
		for _, c := range callers[1:] {
			shown := map[string]bool{}  // patterns about the case answered 200
			hasRef := map[string]bool{} // paths whose answer names the case
			for _, mp := range paths {
				status, resp := request(c, mp[0], mp[1])
				requests++
				forbidden := c.forbidden
				if strings.Contains(strings.ToLower(mp[1]), "13rs0000777") {
					// A reference the caller typed may be echoed back (a 404
					// names what was asked for, exactly as for a case that
					// does not exist): only a reference not asked for leaks.
					forbidden = slices.DeleteFunc(slices.Clone(forbidden), func(g string) bool { return g == "case" })
				}
				if leaks := found(resp, forbidden...); len(leaks) > 0 {
					t.Errorf("%s %s as %s: %d shows %v", mp[0], mp[1], c.who, status, leaks)
				}
				hasRef[mp[1]] = strings.Contains(resp, "13RS0000777")
				// (The case team page shows an administrator the team's
				// accounts, no part of the record: finding 14 is its own.)
				if status == http.StatusOK && mp[0] == http.MethodGet && strings.Contains(mp[2], "{ref}") && mp[2] != "GET /cases/{ref}/team" {
					shown[mp[2]] = true
				}
			}
			// Nor may a search by a name one may not see find the case (where
			// a name that matches nothing does not): that links the name to
			// the case as surely as showing it.
			for path, with := range hasRef {
				for q, group := range map[string]string{"?q=Bryn": "c2", "?q=Dai": "defendants"} {
					base, ok := strings.CutSuffix(path, q)
					if ok && with && slices.Contains(c.forbidden, group) && !hasRef[base+"?q=Zzqq"] {
						t.Errorf("GET %s as %s: a name it may not see finds the case", path, c.who)
					}
				}
			}
			// Whatever part of the case was shown, the consultation was
			// logged: every endpoint, not only the case page.
			if c.victim != "" {
				continue // the victim's own case: no consultation of staff
			}
			cs, err := st.Consultations(ctx, throughline.ConsultationFilter{CaseRef: crawlRef, UserID: c.id, Limit: 100000})
			if err != nil {
				t.Fatal(err)
			}
			logged := map[string]bool{}
			for _, e := range cs {
				logged[e.Target] = true
			}
			for pattern := range shown {
				if !logged[pattern] {
					t.Errorf("%s as %s: answered 200 but no consultation was logged", pattern, c.who)
				}
			}
		}
		// Log lines carry no personal data, whoever asked.
		for _, mp := range paths {
			request(control, mp[0], mp[1])
		}
		if leaks := found(logs.String(), all...); len(leaks) > 0 {
			t.Errorf("the log shows %v", leaks)
		}
		t.Logf("%d routes, %d requests per person, %d people, %d requests, %d markers", len(routes), len(paths), len(callers)-1, requests, len(found(strings.Join(flatten(crawlMarkers), " "), all...)))
	})
}

func flatten(m map[string][]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v...)
	}
	return out
}
