package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestWithdrawalInversionExact checks that the drawn withdrawal time t solves
// H(t) − H(age) = e for the piecewise cumulative hazard, for random hazards,
// rises, s.28 times, factors and ages.
func TestWithdrawalInversionExact(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for i := range 100_000 {
		w := Withdrawal{HazardPerYear: r.Float64() * 2, RisePerYear: r.Float64() * 3}
		if i%5 == 0 {
			w.RisePerYear = 0
		}
		if i%7 == 0 {
			w.HazardPerYear = 0
		}
		z := w.hazard(0.05 + r.Float64()*2)
		s := math.Inf(1)
		if i%2 == 0 {
			s = r.Float64() * 1000
		}
		age := 0.0
		if i%3 == 0 {
			age = r.Float64() * 800
		}
		e := r.ExpFloat64()
		got := z.withdrawAfter(e, s, age)
		if z.none() {
			if !math.IsInf(got, 1) {
				t.Fatalf("no hazard: got %v, want +Inf", got)
			}
			continue
		}
		if math.IsNaN(got) || got < age {
			t.Fatalf("%+v s=%v age=%v: withdraws at %v, before its age", z, s, age, got)
		}
		if d := z.cumS28(got, s) - z.cumS28(age, s); math.Abs(d-e) > 1e-9*max(1, e) {
			t.Fatalf("%+v s=%v age=%v e=%v: H(t) − H(age) = %v", z, s, age, e, d)
		}
	}
}

// TestWithdrawalSurvival draws many withdrawal times and compares the share
// still waiting at several times with exp(−H(t)), within 4.5 standard errors.
func TestWithdrawalSurvival(t *testing.T) {
	const n = 200_000
	z := (&Withdrawal{HazardPerYear: 0.3, RisePerYear: 0.4}).hazard(0.25)
	s28 := 200.0
	g := newRNG()
	g.seed(1, 0, 1)
	times := make([]float64, n)
	for i := range times {
		times[i] = z.withdrawAfter(g.exp(), s28, 0)
	}
	for _, at := range []float64{30, 100, 200, 365, 730, 1500} {
		var alive float64
		for _, x := range times {
			if x > at {
				alive++
			}
		}
		p := math.Exp(-z.cumS28(at, s28))
		se := math.Sqrt(p * (1 - p) / n)
		if got := alive / n; math.Abs(got-p) > 4.5*se {
			t.Errorf("day %v: %.4f still waiting, want %.4f ± %.4f", at, got, p, 4.5*se)
		}
	}
}

func TestWithdrawalEdgeCases(t *testing.T) {
	// Constant hazard: exponential times with mean 1/h.
	z := (&Withdrawal{HazardPerYear: 0.5}).hazard(1)
	if got, want := z.withdrawAfter(1, math.Inf(1), 0), daysPerYear/0.5; math.Abs(got-want) > 1e-9 {
		t.Errorf("constant hazard, e = 1: %v, want %v", got, want)
	}
	// A tiny rise must not lose precision to cancellation.
	z = hazard{h: 1e-3, r: 1e-18, factor: 1}
	if got := z.inv(1); math.Abs(got-1000) > 1e-6 {
		t.Errorf("tiny rise: %v, want 1000", got)
	}
	// Pure rise: H(t) = r t²/2.
	z = hazard{r: 2, factor: 1}
	if got := z.inv(4); math.Abs(got-2) > 1e-12 {
		t.Errorf("pure rise: %v, want 2", got)
	}
	// Factor 0: nobody withdraws after the s.28 hearing.
	z = (&Withdrawal{HazardPerYear: 1}).hazard(0)
	if got := z.withdrawAfter(5, 10, 0); !math.IsInf(got, 1) {
		t.Errorf("factor 0 after s.28: %v, want +Inf", got)
	}
	if got := z.withdrawAfter(1e-6, 10, 0); got > 10 {
		t.Errorf("factor 0, withdrawal before s.28: %v, want ≤ 10", got)
	}
	var none *Withdrawal
	if !none.hazard(0.5).none() {
		t.Error("nil Withdrawal should have no hazard")
	}
}
