package opendata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/oversight"
	"throughline/synth"
)

func TestOpenDataParseQuarter(t *testing.T) {
	q, err := ParseQuarter("2026Q3")
	if err != nil || q.First().Format(time.DateOnly) != "2026-07-01" || q.Last().Format(time.DateOnly) != "2026-09-30" || q.Label() != "July to September 2026" {
		t.Fatalf("%v %v %v %v", q, err, q.First(), q.Last())
	}
	if q, _ := ParseQuarter("2025-Q4"); q.Last().Format(time.DateOnly) != "2025-12-31" {
		t.Fatal(q.Last())
	}
	for _, bad := range []string{"2026Q5", "2026", "Q3 2026", "26Q1"} {
		if _, err := ParseQuarter(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func syntheticFacts(t *testing.T, cases int) []oversight.Facts {
	t.Helper()
	var facts []oversight.Facts
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, throughline.London)
	if err := synth.Generate(synth.Options{Cases: cases, Seed: 9, FromYear: 2021, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		facts = append(facts, oversight.Extract(evs))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return facts
}

// The release of generated data: the linked force and area tables pass
// the attacker, the figures are the measures', names not codes.
func TestOpenDataReleaseOfGeneratedCases(t *testing.T) {
	facts := syntheticFacts(t, 4000)
	q := Quarter{2026, 3}
	rel, err := Build(facts, q)
	if err != nil {
		t.Fatal(err)
	}
	groups := components(facts, forceRows(facts), areaRows(facts))
	suppressed := 0
	for i := 0; i < len(rel.Tables); i += 2 {
		ft, at := rel.Tables[i], rel.Tables[i+1]
		p, st := linkedProblem(ft, at, groups)
		check(t, ft.ID, p, st)
		for _, s := range st {
			if s.Suppressed() {
				suppressed++
			}
		}
	}
	if suppressed == 0 {
		t.Error("nothing suppressed in a quarter of 4,000 cases over 43 forces: the test data is too big to test anything")
	}
	all, _ := oversight.Aggregate(facts, oversight.Params{From: q.First(), To: q.Last()})
	g := rel.Tables[0].Grid()
	last := g.Rows[len(g.Rows)-1]
	if last.Name != "England and Wales" || (!last.Figs[0].Suppressed && last.Figs[0].Value != all.Reports) {
		t.Errorf("England and Wales reports %+v, want %d", last, all.Reports)
	}
	for _, r := range g.Rows {
		if r.Code == "13" && r.Name != "West Yorkshire Police" {
			t.Errorf("force 13 is named %q", r.Name)
		}
	}
	var buf bytes.Buffer
	if err := rel.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[len(rows)-1][0] != "notes" {
		t.Error("no notes rows at the end")
	}
	buf.Reset()
	if err := rel.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var j jsonRelease
	if err := json.Unmarshal(buf.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	for _, tb := range j.Tables {
		for _, r := range tb.Rows {
			for _, c := range r.Values {
				if c.Suppressed != (c.Value == nil) {
					t.Fatalf("%s %s: suppressed %v with value %v", tb.ID, r.Name, c.Suppressed, c.Value)
				}
			}
		}
	}
	buf.Reset()
	if err := rel.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	h := buf.String()
	for _, want := range []string{`<html lang="en-GB">`, "<caption>Prosecutions completed, by outcome, by police force, July to September 2026</caption>", `<th scope="row">West Yorkshire Police</th>`, `<th scope="col"`, "@media print"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Count(h, "<caption>") != len(rel.Grids()) {
		t.Errorf("%d captions for %d tables", strings.Count(h, "<caption>"), len(rel.Grids()))
	}
}
