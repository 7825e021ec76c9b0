package web_test

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
)

// The today page's cases, each at the point where someone must act:
const (
	fileRef    = "13RS0000102/24" // a file waiting for the CPS's charging decision
	chargedRef = "13RS0000103/24" // charged in custody, the victim not yet told, sent for trial, a PTPH in five days
	closedRef  = "13RS0000104/24" // closed: in no list
)

// todaySite is newSite with those cases; the officer, the prosecutor and
// Witness Care are on every team, the ISVA (with the victim's consent) and
// the inspector on the charged case's, and a colleague has broken the glass
// on the file's case.
func todaySite(t *testing.T, dsn string) *site {
	t.Helper()
	s := newSite(t, dsn)
	s.seedToday()
	return s
}

// seedToday adds the today page's cases to a site.
func (s *site) seedToday() {
	t := s.t
	t.Helper()
	ctx := context.Background()
	s.loadJourney(fileRef, 7)
	s.loadJourney(chargedRef, 9)
	s.appendRaw(chargedRef, `{"type":"sent_to_crown_court","occurred_at":"2026-11-24","data":{"defendant_id":"D1","court":"leeds"}}`)
	s.appendRaw(chargedRef, `{"type":"hearing_listed","occurred_at":"2026-11-24","data":{"hearing_id":"H1","kind":"ptph","court":"leeds","starts_at":"2026-11-30T10:00:00Z","listing":"fixture"}}`)
	// An action the police owe, given to the officer and now overdue: it
	// escalates to her supervisor.
	s.appendRaw(chargedRef, `{"type":"action_plan_issued","occurred_at":"2026-11-02","data":{"plan_id":"AP2","items":[{"item_id":"1","description":"Obtain the taxi firm's CCTV","owner":"police","owner_name":"DC Priya Shah","due":"2026-11-20"}]}}`)
	s.loadJourney(closedRef, 9)
	s.appendRaw(closedRef, `{"type":"hearing_listed","occurred_at":"2026-11-24","data":{"hearing_id":"H1","kind":"first_appearance","court":"leeds_magistrates","starts_at":"2026-11-27T10:00:00Z","listing":"fixture"}}`)
	s.appendRaw(closedRef, `{"type":"prosecution_stopped","occurred_at":"2026-11-24","data":{"defendant_id":"D1","how":"discontinued"}}`)
	s.appendRaw(closedRef, `{"type":"case_closed","occurred_at":"2026-11-24","data":{"reason":"prosecution discontinued"}}`)
	for _, ref := range []string{fileRef, chargedRef, closedRef} {
		for _, k := range []string{"officer", "prosecutor", "paralegal", "witness"} {
			if err := s.store.SetCaseMember(ctx, "test", ref, "user", s.people[k].ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, k := range []string{"isva", "inspector"} {
		if err := s.store.SetCaseMember(ctx, "test", chargedRef, "user", s.people[k].ID, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.store.RecordConsent(ctx, throughline.Consent{CaseRef: chargedRef, ComplainantID: "C1", ISVAAgency: "isva:rape-crisis-leeds", Given: true, RecordedBy: s.people["officer"].ID}); err != nil {
		t.Fatal(err)
	}
	sc, err := s.store.CaseScope(ctx, fileRef)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.BreakGlass(ctx, s.people["colleague"].User, sc, "Suspect arrested overnight; checking the file"); err != nil {
		t.Fatal(err)
	}
	s.appendRaw(chargedRef, `{"type":"callback_requested","occurred_at":"2026-11-25T08:30:00Z","data":{"complainant_id":"C1","when":"tomorrow after 5pm"}}`)
}

// appendRaw appends one event (JSON without its case) to case ref, as
// imported from the CPS.
func (s *site) appendRaw(ref, raw string) {
	s.t.Helper()
	s.appendAs(ref, "import", "cps:yorkshire_humberside", raw)
}

// Each role lands on its today page, which lists what needs it, by name,
// with a link to the form that does it; a closed case is in no list, and
// the cases shown are logged as consulted; on both databases.
func TestTodayPerRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := todaySite(t, dsn)
		charged, file := url.PathEscape(chargedRef), url.PathEscape(fileRef)
		for _, tc := range []struct {
			who  string
			want []string
			not  []string
		}{
			{"officer", []string{"Your duties overdue or due soon", "Victim told of the charge", "Amelia Hart",
				`href="/cases/` + charged + `/record/victim_informed?about=charged&amp;complainant_id=C1"`,
				"Files waiting for the CPS", "Daniel Ross", "Hearings in the next 14 days", "Plea and trial preparation hearing (PTPH), Leeds Crown Court", "Victims to contact", "The victim asked to be called back: tomorrow after 5pm"},
				[]string{"Workload", "Emergency access to review", "Messages sent to the victims you support"}},
			{"prosecutor", []string{"Files waiting for the CPS", `href="/cases/` + file + `/record/charging_decision?suspect_id=D1"`, "Open action plan items", "Review third-party material request"},
				[]string{"Victims to contact", "Record the advice"}},
			{"witness", []string{"Victim told the date, time and place of a hearing", "Amelia Hart: not told yet; prefers email; safe times weekdays after 6pm",
				`/record/victim_informed?about=hearing_listed&amp;complainant_id=C1`}, nil},
			{"paralegal", []string{"Your duties overdue or due soon", "Action plan item done", "Open action plan items", "Review third-party material request", `/record/action_item_completed?plan_id=AP1%7C2`, "Hearings in the next 14 days"},
				[]string{"Victims to contact", "Workload", `/record/action_item_completed?plan_id=AP2%7C1`}},
			{"supervisor", []string{"Action plan items overdue: yours to chase", "Obtain the taxi firm&#39;s CCTV", "DC Priya Shah, Police", `/record/action_item_completed?plan_id=AP2%7C1`, "Overdue across your agency", "Emergency access to review", "Kim Lee", "Workload", "Priya Shah", "Cases waiting on your agency with no progress for 28 days"}, nil},
			{"manager", []string{"Action plan items overdue: yours to chase", "Review third-party material request", `/record/action_item_completed?plan_id=AP1%7C2`, "Overdue across your agency", "Workload", "Ruth Adeyemi", "Cases waiting on your agency with no progress for 28 days", fileRef},
				// The police's overdue duty (telling the victim of the charge)
				// is not the CPS's to chase.
				[]string{"Priya Shah", "Emergency access to review", "Your duties overdue", "Victim told of the charge"}},
			{"isva", []string{"Hearings in the next 14 days", chargedRef, "Amelia Hart: not told yet", "Messages sent to the victims you support"},
				[]string{fileRef, "Your duties overdue", "Files waiting", "Daniel Ross"}},
			{"inspector", []string{chargedRef, "Complainant "}, []string{"Amelia Hart", "Daniel Ross", "Your duties overdue"}},
			// An administrator sees no case: their today is accounts, case team
			// requests and the system's own work (web/admin/today.go).
			{"admin", []string{"Sign-ins locked after failed attempts", "No one is locked out.", "Accounts not set up yet", "Case team requests waiting for a second person", "Messages and checkpoints"},
				[]string{"Amelia Hart", "Daniel Ross", chargedRef, fileRef, "Your duties overdue"}},
		} {
			t.Run(tc.who, func(t *testing.T) {
				// Where they land: an administrator's today is their own.
				home := cmp.Or(map[string]string{"admin": "/admin/today"}[tc.who], "/today")
				b := s.signIn(tc.who)
				if r := b.get("/"); r.status != http.StatusSeeOther || r.header.Get("Location") != home {
					t.Fatalf("signed in, / answers %d %s; want the today page", r.status, r.header.Get("Location"))
				}
				r := b.get(home)
				if r.status != http.StatusOK {
					t.Fatalf("GET %s: %d %s", home, r.status, text(r.body))
				}
				for _, w := range append(tc.want, "<h1 class=\"govuk-heading-l\">Today</h1>") {
					if !strings.Contains(r.body, w) {
						t.Errorf("the today page does not show %q:\n%s", w, text(r.body))
					}
				}
				// "Overdue across your agency" lists only the duties the
				// agency owes: no other owner in its "Who must act" column.
				if other, ok := map[string]string{"supervisor": "CPS", "manager": "Police"}[tc.who]; ok {
					overdue := between(r.body, "Overdue across your agency</h2>", "<h2")
					if overdue == "" || strings.Contains(overdue, `<td class="govuk-table__cell">`+other+`</td>`) {
						t.Errorf("the %s's overdue list shows a duty %s owes, or is missing: %s", tc.who, other, text(overdue))
					}
				}
				for _, w := range append(tc.not, closedRef) {
					if strings.Contains(r.body, w) {
						t.Errorf("the today page shows %q", w)
					}
				}
			})
		}
		// The officer's look at the cases was logged, each case once.
		cs, err := s.store.Consultations(context.Background(), throughline.ConsultationFilter{UserID: s.people["officer"].ID})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		for _, c := range cs {
			if c.Target == "GET /today" {
				seen[c.CaseRef] = strings.Join(c.Parts, ",")
			}
		}
		if !strings.Contains(seen[chargedRef], "work") || !strings.Contains(seen[chargedRef], "parties") || seen[fileRef] == "" || seen[closedRef] != "" {
			t.Errorf("the officer's today page logged %v; want both open cases (the charged one's work and names), never the closed one", seen)
		}
	})
}

// The case list names each case's people, its next deadline, officer and
// prosecutor; hides closed cases unless asked; and finds cases by part of
// a reference or of a name. An inspector's list has pseudonyms.
func TestCaseListNamesAndSearch(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	s.appendAs(chargedRef, s.people["officer"].ID, "police:13", `{"type":"case_team_changed","occurred_at":"2026-11-24","data":{"role":"officer_in_case","name":"DC Priya Shah","handover":"First designation"}}`)
	s.appendAs(chargedRef, s.people["prosecutor"].ID, "cps:yorkshire_humberside", `{"type":"case_team_changed","occurred_at":"2026-11-24","data":{"role":"reviewing_prosecutor","name":"Ruth Adeyemi","handover":"First designation"}}`)
	officer := s.signIn("officer")
	r := officer.get("/cases")
	for _, want := range []string{"Amelia Hart v Daniel Ross", "26 July 2024: Action plan item done", "DC Priya Shah", "Ruth Adeyemi", chargedRef, fileRef} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the case list does not show %q:\n%s", want, text(r.body))
		}
	}
	if strings.Contains(r.body, closedRef) {
		t.Error("a closed case is listed by default")
	}
	if r := officer.get("/cases?closed=yes"); !strings.Contains(r.body, closedRef) || !strings.Contains(r.body, "Closed on 24 November 2026") {
		t.Errorf("closed cases asked for: %s", text(r.body))
	}
	r = officer.get("/cases?q=0000103")
	if !strings.Contains(r.body, chargedRef) || strings.Contains(r.body, fileRef) || !strings.Contains(r.body, "1 case") {
		t.Errorf("part of a reference: %s", text(r.body))
	}
	if r := officer.get("/search?q=000010"); !strings.Contains(r.body, chargedRef) || !strings.Contains(r.body, fileRef) {
		t.Errorf("search by part of a reference: %s", text(r.body))
	}
	if r := officer.get("/cases?q=ross&closed=yes"); !strings.Contains(r.body, closedRef) || !strings.Contains(r.body, "4 cases") {
		t.Errorf("by name, closed included: %s", text(r.body))
	}
	inspector := s.signIn("inspector")
	r = inspector.get("/cases")
	if !strings.Contains(r.body, chargedRef) || strings.Contains(r.body, "Amelia") || strings.Contains(r.body, "Daniel") || !strings.Contains(r.body, "Complainant ") {
		t.Errorf("inspector's list: %s", text(r.body))
	}
	if r := inspector.get("/cases?q=hart"); strings.Contains(r.body, chargedRef) {
		t.Error("an inspector found a case by a real name")
	}
	// An ISVA may see no case's team: her list has no officer and
	// prosecutor columns, rather than two always blank; the officer's has
	// them, each cell labelled for a phone's stacked rows.
	if r := s.signIn("isva").get("/cases"); !strings.Contains(r.body, chargedRef) || strings.Contains(r.body, "Officer in the case") || strings.Contains(r.body, ">Prosecutor<") {
		t.Errorf("the ISVA's list: %s", text(r.body))
	}
	if r := officer.get("/cases"); !strings.Contains(r.body, `data-label="Officer in the case">DC Priya Shah`) {
		t.Errorf("the officer's list has no labelled officer cell: %s", r.body)
	}
}

// A case that has stalled is one rule with one number of days
// (attribution.StallDays): the list on a supervisor's today page and the
// count on their unit dashboard agree, each agency sees the cases waiting
// on it, and the file the CPS has sat on since 2024 is the CPS manager's;
// on both databases.
func TestStalledCasesOneRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := todaySite(t, dsn)
		refs := regexp.MustCompile(`\b\d{2}RS\d{7}/\d{2}\b`)
		for _, tc := range []struct{ who, party, want string }{
			{"supervisor", "The police", testRef},
			{"manager", "The CPS", fileRef},
		} {
			b := s.signIn(tc.who)
			today := text(b.get("/today").body)
			_, list, ok := strings.Cut(today, "Cases waiting on your agency with no progress for 28 days")
			if !ok {
				t.Fatalf("%s: no stalled list: %s", tc.who, today)
			}
			for _, next := range []string{"Emergency access to review", "Workload"} {
				list, _, _ = strings.Cut(list, next)
			}
			listed := refs.FindAllString(list, -1)
			if !slices.Contains(listed, tc.want) || slices.Contains(listed, chargedRef) {
				t.Errorf("%s: the stalled list shows %v; want %s and not the case moved this week", tc.who, listed, tc.want)
			}
			dash := text(b.get("/dashboard/unit").body)
			m := regexp.MustCompile(`with no progress for 28 days, by whom they wait on Waiting on Cases Longest without progress \(days\).*?` + tc.party + ` (\d+) `).FindStringSubmatch(dash)
			if m == nil {
				t.Fatalf("%s: the unit dashboard counts no stalled cases: %s", tc.who, dash)
			}
			if m[1] != strconv.Itoa(len(listed)) {
				t.Errorf("%s: the unit dashboard counts %s stalled with %s, the today page lists %d", tc.who, m[1], tc.party, len(listed))
			}
		}
		// The CPS decides: the file leaves the CPS manager's list at once, as
		// the page has read it before (the list remembers by version).
		s.appendRaw(fileRef, `{"type":"charging_decision","occurred_at":"2026-11-25","data":{"suspect_id":"D1","decision":"charge"}}`)
		today := text(s.signIn("manager").get("/today").body)
		if _, list, _ := strings.Cut(today, "Cases waiting on your agency with no progress for 28 days"); strings.Contains(list, fileRef) {
			t.Errorf("the file decided today is still listed as stalled: %s", list)
		}
	})
}

// A list's last column, the link to act, is left out for someone who may
// act on none of its rows: the officer cannot record the CPS's decision, so
// her list of files waiting for it has no column of blanks; the
// prosecutor's has the links.
func TestTodayLeavesOutAnEmptyActionColumn(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	head := regexp.MustCompile(`(?s)Files waiting for the CPS</caption>.*?</thead>`)
	for who, want := range map[string]bool{"officer": false, "prosecutor": true} {
		r := s.signIn(who).get("/today")
		h := head.FindString(r.body)
		if h == "" {
			t.Fatalf("%s: no list of files waiting:\n%s", who, text(r.body))
		}
		if got := strings.Contains(h, ">Action</th>"); got != want {
			t.Errorf("%s: the list of files waiting has an Action column: %v, want %v\n%s", who, got, want, h)
		}
	}
}
