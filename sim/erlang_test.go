package sim

import (
	"math"
	"testing"
)

func TestErlangCWait(t *testing.T) {
	// M/M/1: Wq = ρ/(μ − λ).
	if got, want := ErlangCWait(0.85, 1, 1), 0.85/0.15; math.Abs(got-want) > 1e-12 {
		t.Errorf("M/M/1: got %v, want %v", got, want)
	}
	// M/M/2 closed form: Wq = ρ²/(λ(1−ρ²))·... use P(wait) = 2ρ²/(1+ρ), Wq = P/(2μ−λ).
	lambda, mu := 1.4, 1.0
	rho := lambda / (2 * mu)
	if got, want := ErlangCWait(lambda, mu, 2), 2*rho*rho/(1+rho)/(2*mu-lambda); math.Abs(got-want) > 1e-12 {
		t.Errorf("M/M/2: got %v, want %v", got, want)
	}
	// A textbook value: c = 10, A = 8 Erlangs, Erlang C = 0.4092 (to 4 d.p.).
	if got := ErlangCWait(8, 1, 10) * (10 - 8); math.Abs(got-0.4092) > 5e-5 {
		t.Errorf("C(10, 8) = %.5f, want 0.4092", got)
	}
	// Stable for thousands of servers, where A^c/c! overflows.
	if got := ErlangCWait(4900, 1, 5000); !(got > 0 && got < 1) {
		t.Errorf("c = 5000: got %v, want a small positive wait", got)
	}
	if !math.IsInf(ErlangCWait(2, 1, 2), 1) {
		t.Error("ρ = 1 should be +Inf")
	}
	for _, bad := range [][3]float64{{-1, 1, 1}, {1, 0, 1}, {1, 1, 0}, {math.NaN(), 1, 1}, {1, math.Inf(1), 1}} {
		if got := ErlangCWait(bad[0], bad[1], int(bad[2])); !math.IsNaN(got) {
			t.Errorf("ErlangCWait%v = %v, want NaN", bad, got)
		}
	}
}
