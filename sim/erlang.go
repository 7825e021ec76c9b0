package sim

import "math"

// ErlangCWait is the mean time a customer waits in queue in an M/M/c queue
// with arrival rate lambda, service rate mu per server and c servers: the
// probability of waiting (Erlang C) divided by the rate at which the queue
// drains, cμ − λ. It is +Inf when the queue is unstable (λ ≥ cμ) and NaN for
// meaningless input.
//
// Erlang C is computed from Erlang B by the recursion
// B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)) with A = λ/μ, then
// C = B / (1 − ρ(1 − B)). Every step stays in [0, 1], so it is stable for any
// number of servers, unlike the textbook sum of A^k/k! which overflows.
func ErlangCWait(lambda, mu float64, c int) float64 {
	if !(lambda >= 0) || !(mu > 0) || c < 1 || math.IsInf(lambda, 0) || math.IsInf(mu, 0) {
		return math.NaN()
	}
	a := lambda / mu
	rho := a / float64(c)
	if rho >= 1 {
		return math.Inf(1)
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	erlangC := b / (1 - rho*(1-b))
	return erlangC / (float64(c)*mu - lambda)
}
