package deadline_test

import (
	"math/rand"
	"runtime"
	"sync"
	"testing"
	"time"

	"throughline"
	"throughline/deadline"
)

// benchCases builds n open post-charge cases of about 15 events each, with
// dates spread over 2022–2025, a third of defendants in custody, some events
// recorded late. Payloads are shared between cases (Compute never changes them).
func benchCases(n int, seed int64) [][]throughline.Event {
	rng := rand.New(rand.NewSource(seed))
	opened := &throughline.CaseOpened{Force: "13", CPSArea: "yorkshire_humberside", Offences: rape,
		Complainants: []throughline.ComplainantRecord{{ID: "C1", Name: "A"}}, Suspects: []throughline.SuspectRecord{{ID: "D1", Name: "B"}}}
	file := &throughline.FileSubmitted{SuspectID: "D1", Purpose: "charging_decision"}
	decision := &throughline.ChargingDecision{SuspectID: "D1", Decision: "charge"}
	chargedCustody := &throughline.Charged{DefendantID: "D1", Offences: rape, Method: "custody"}
	chargedBail := &throughline.Charged{DefendantID: "D1", Offences: rape, Method: "bail"}
	toldCharge := &throughline.VictimInformed{ComplainantID: "C1", About: "charged", Channel: "phone"}
	listFA := &throughline.HearingListed{HearingID: "F1", Kind: "first_appearance", Court: "Leeds", StartsAt: "2024-01-01", Listing: "fixture"}
	heldFA := &throughline.HearingHeld{HearingID: "F1", Outcome: "effective"}
	sent := &throughline.SentToCrownCourt{DefendantID: "D1", Court: "Leeds"}
	listPTPH := &throughline.HearingListed{HearingID: "P1", Kind: "ptph", Court: "Leeds", StartsAt: "2024-01-01", Listing: "fixture"}
	toldListed := &throughline.VictimInformed{ComplainantID: "C1", About: "hearing_listed", Channel: "email"}
	heldPTPH := &throughline.HearingHeld{HearingID: "P1", Outcome: "effective"}
	toldHeld := &throughline.VictimInformed{ComplainantID: "C1", About: "hearing_held", Channel: "email"}
	prefs := &throughline.ContactPreferencesSet{ComplainantID: "C1", Channels: []string{"email"}, Email: "a@example.org", RoutineEveryDays: 21}
	listTrial := &throughline.HearingListed{HearingID: "T1", Kind: "trial", Court: "Leeds", StartsAt: "2025-01-01", Listing: "warned"}
	bailed := &throughline.RemandStatusChanged{DefendantID: "D1", Status: "bail"}
	update := &throughline.VictimInformed{ComplainantID: "C1", About: "regular_update", Channel: "email"}

	base := time.Date(2022, 1, 3, 0, 0, 0, 0, throughline.London)
	cases := make([][]throughline.Event, n)
	for i := range cases {
		r := base.AddDate(0, 0, rng.Intn(4*365))
		at := func(days int) throughline.When {
			t := r.AddDate(0, 0, days)
			return throughline.On(t.Year(), t.Month(), t.Day())
		}
		evs := make([]throughline.Event, 0, 16)
		add := func(days, late int, d throughline.Data) {
			evs = append(evs, throughline.Event{Case: "TL", Version: int64(len(evs) + 1), Type: d.EventType(),
				OccurredAt: at(days), RecordedAt: at(days + late), Data: d})
		}
		c := 60 + rng.Intn(200) // charge, days after the report
		custody := rng.Intn(3) == 0
		add(0, 0, opened)
		add(c-30, 0, file)
		add(c-2, 0, decision)
		if custody {
			add(c, 0, chargedCustody)
		} else {
			add(c, rng.Intn(3), chargedBail)
		}
		add(c+1+rng.Intn(3), 0, toldCharge)
		add(c, 0, listFA)
		add(c+1, 0, heldFA)
		add(c+1, 0, sent)
		add(c+2, 0, listPTPH)
		add(c+3+rng.Intn(4), 0, toldListed)
		add(c+3, 0, prefs)
		add(c+29, 0, heldPTPH)
		add(c+30+rng.Intn(3), 0, toldHeld)
		if custody && rng.Intn(4) == 0 {
			add(c+40, 1, bailed)
		} else {
			add(c+50+rng.Intn(20), 0, update)
		}
		add(c+31, rng.Intn(2), listTrial)
		cases[i] = evs
	}
	return cases
}

// BenchmarkComputeAll recomputes every deadline of 100,000 open post-charge
// cases (about 15 events each), one after another; one op is all of them.
func BenchmarkComputeAll(b *testing.B) {
	cases := benchCases(100_000, 1)
	b.ReportAllocs()
	total := 0
	for b.Loop() {
		total = 0
		for _, evs := range cases {
			total += len(deadline.Compute(evs))
		}
	}
	b.ReportMetric(float64(total), "deadlines")
}

// BenchmarkComputeAllParallel is BenchmarkComputeAll on every CPU.
func BenchmarkComputeAllParallel(b *testing.B) {
	cases := benchCases(100_000, 1)
	workers := runtime.GOMAXPROCS(0)
	b.ReportAllocs()
	for b.Loop() {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := w; i < len(cases); i += workers {
					deadline.Compute(cases[i])
				}
			}(w)
		}
		wg.Wait()
	}
}

// The benchmark's cases are realistic enough to produce every kind of
// deadline they should.
// (No ctl_magistrates: the cases are rape, indictable only, which has no
// magistrates' custody time limit.)
func TestBenchCases(t *testing.T) {
	seen := map[string]bool{}
	for _, evs := range benchCases(200, 1) {
		for _, d := range deadline.Compute(evs) {
			seen[d.Rule] = true
		}
	}
	for _, r := range []string{deadline.VCCharge, deadline.VCHearingDate, deadline.VCOutcome, deadline.PTPH, deadline.BCMStage1,
		deadline.BCMStage2, deadline.CTLCrown, deadline.RegularUpdate, deadline.VCRemandChange} {
		if !seen[r] {
			t.Errorf("no %s deadlines in the benchmark's cases", r)
		}
	}
}
