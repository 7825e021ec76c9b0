package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"testing"

	"throughline"
	"throughline/jsonl"
	"throughline/sqlstore/storetest"
)

var (
	offeredRE = regexp.MustCompile(`<li><a class="govuk-link" href="/cases/[^"]+/record/([a-z0-9_]+)">`)
	// rawReason is a refusal in the domain's codes: a validation message,
	// a JSON path or a snake_case value.
	rawReason = regexp.MustCompile(`Not a valid|data\.|\b[a-z]+_[a-z_]+\b`)
	waitingRE = regexp.MustCompile(`<div class="govuk-summary-list__row" data-type="[a-z_0-9]+"><dt class="govuk-summary-list__key">([^<]+)</dt><dd class="govuk-summary-list__value">([^<]+)</dd>`)
)

// The record menu, for each role at each stage of a case's life, matches
// the policy and the domain: it offers only what the role records
// (throughline.Recorders), accounts for every form of those (offered, or
// waiting with a reason), and offers the event that came next in a real
// case's history to every role that records it; what the domain would
// refuse waits, with the reason in words.
func TestRecordMenuFollowsTheCase(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	ctx := context.Background()
	f, err := os.Open("../testdata/journey.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines, _, err := jsonl.Read(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	roles := []string{"officer", "supervisor", "prosecutor", "witness", "manager"}
	browsers := map[string]*browser{}
	for _, who := range roles {
		browsers[who] = s.signIn(who)
	}
	allForms := map[string]bool{}
	for _, n := range []int{2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 17, 19, 22, 23, 24} {
		ref := fmt.Sprintf("13RS00003%02d/24", n)
		s.loadJourney(ref, n)
		for _, who := range []string{"officer", "prosecutor", "witness"} {
			if err := s.store.SetCaseMember(ctx, "test", ref, "user", s.people[who].ID, true); err != nil {
				t.Fatal(err)
			}
		}
		next := "" // after the last event, the case is closed
		if n < len(lines) {
			next = lines[n].Event.Type
		}
		for _, who := range roles {
			u := s.people[who].User
			r := browsers[who].get("/cases/" + url.PathEscape(ref) + "/record")
			if r.status != 200 {
				t.Fatalf("%s, %s: record menu %d", who, ref, r.status)
			}
			var offered []string
			for _, m := range offeredRE.FindAllStringSubmatch(r.body, -1) {
				offered = append(offered, m[1])
				allForms[m[1]] = true
				if !throughline.MayRecord(u, m[1]) {
					t.Errorf("%s, after %d events: offered %s, which the role does not record", who, n, m[1])
				}
			}
			waiting := waitingRE.FindAllStringSubmatch(r.body, -1)
			for _, w := range waiting {
				if rawReason.MatchString(w[2]) {
					t.Errorf("%s, after %d events: %s waits with a reason in code, not words: %s", who, n, w[1], w[2])
				}
			}
			if next != throughline.TypeCTLExtended &&
				next != "" && throughline.MayRecord(u, next) && !slices.Contains(offered, next) {
				t.Errorf("%s, after %d events: %s happened next in the journey but is not offered (offered %v, waiting %v)", who, n, next, offered, waiting)
			}
			if n == 7 && who == "officer" {
				if slices.Contains(offered, throughline.TypeCharged) || !slices.ContainsFunc(waiting, func(w []string) bool {
					return w[1] == "Record a charge" && w[2] == "You can record a charge after the CPS decides to charge."
				}) {
					t.Errorf("before the charging decision, the officer's menu offers %v and says %v", offered, waiting)
				}
			}
			if next == "" {
				for _, typ := range offered {
					if typ != throughline.TypeVictimInformed && typ != throughline.TypeContactPreferencesSet && typ != throughline.TypeCallbackRequested && typ != throughline.TypeCallbackMade {
						t.Errorf("%s: a closed case offers %s", who, typ)
					}
				}
			}
		}
	}
	if len(allForms) < 15 {
		t.Errorf("only %d forms were ever offered: %v", len(allForms), allForms)
	}
}
