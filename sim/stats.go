package sim

import "math"

// histogram records non-negative durations with a relative resolution better
// than 1% at any scale from a tenth of a second to 90,000 years (a log-linear
// layout: 128 linear buckets in each doubling), so medians and 90th
// percentiles of waits measured in hours or in years come out right without
// storing every case. Counts are integers, so merging the histograms of
// replications run on different workers gives the same result in any order.
type histogram struct {
	zero   uint64 // exact zeros (cases that did not wait at all)
	n      uint64
	counts [histSub * histOctaves]uint64
}

const (
	histSub     = 128 // buckets per doubling
	histMinExp  = -19 // the first bucket starts at 2^-20 days
	histOctaves = 45  // up to 2^25 days
)

func (h *histogram) reset() { *h = histogram{} }

func (h *histogram) add(v float64) {
	h.n++
	if v <= 0 {
		h.zero++
		return
	}
	h.counts[histIndex(v)]++
}

func histIndex(v float64) int {
	if !(v <= math.MaxFloat64) { // +Inf or NaN: the last bucket, never a bad index
		return histSub*histOctaves - 1
	}
	frac, exp := math.Frexp(v) // v = frac·2^exp, frac in [0.5, 1)
	o := exp - histMinExp
	switch {
	case o < 0:
		return 0
	case o >= histOctaves:
		return histSub*histOctaves - 1
	}
	return histSub*o + int((2*frac-1)*histSub)
}

// histBounds returns the interval [lo, hi) that bucket i covers.
func histBounds(i int) (lo, hi float64) {
	o, sub := i/histSub, i%histSub
	base := math.Ldexp(1, o+histMinExp-1)
	return base * (1 + float64(sub)/histSub), base * (1 + float64(sub+1)/histSub)
}

func (h *histogram) merge(o *histogram) {
	h.zero += o.zero
	h.n += o.n
	for i, c := range o.counts {
		h.counts[i] += c
	}
}

// quantile returns the q-quantile, interpolating linearly within the bucket
// it falls in; NaN if the histogram is empty.
func (h *histogram) quantile(q float64) float64 {
	if h.n == 0 {
		return math.NaN()
	}
	rank := q * float64(h.n)
	if rank <= float64(h.zero) {
		return 0
	}
	cum := float64(h.zero)
	for i, c := range h.counts {
		if c == 0 {
			continue
		}
		if next := cum + float64(c); next >= rank {
			lo, hi := histBounds(i)
			return lo + (hi-lo)*(rank-cum)/float64(c)
		}
		cum += float64(c)
	}
	lo, _ := histBounds(len(h.counts) - 1)
	return lo
}

// meanCI returns the mean of xs (skipping NaN, which marks a replication that
// observed nothing) and its 95% confidence interval, mean ± t(0.975, n−1)·s/√n.
// With fewer than two values the interval is NaN. xs is summed in order, so
// the same inputs give the same bits.
func meanCI(xs []float64) (mean, lo, hi float64) {
	var n int
	var sum float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			n++
			sum += x
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	mean = sum / float64(n)
	if n < 2 {
		return mean, math.NaN(), math.NaN()
	}
	var ss float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			ss += (x - mean) * (x - mean)
		}
	}
	half := StudentT975(n-1) * math.Sqrt(ss/float64(n-1)/float64(n))
	return mean, mean - half, mean + half
}

// StudentT975 is the 97.5% quantile of Student's t distribution with df
// degrees of freedom: the multiplier of the standard error in a two-sided 95%
// confidence interval. It is found by bisection on the distribution function,
// which is written with the regularised incomplete beta function.
func StudentT975(df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	v := float64(df)
	// P(T > t) = I_{v/(v+t²)}(v/2, 1/2) / 2; find t with that equal to 0.025.
	tail := func(t float64) float64 { return regIncBeta(v/2, 0.5, v/(v+t*t)) / 2 }
	lo, hi := 1.9, 13.0 // t(0.975) is 12.706 at df = 1 and tends to 1.960
	for range 100 {
		mid := (lo + hi) / 2
		if tail(mid) > 0.025 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// regIncBeta is the regularised incomplete beta function I_x(a, b), by the
// continued fraction of Numerical Recipes (modified Lentz), using the symmetry
// I_x(a,b) = 1 − I_{1−x}(b,a) where the fraction converges faster.
func regIncBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	front := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, 1-x)/b
}

func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	c, d := 1.0, 1-(a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	f := d
	for m := 1; m <= 300; m++ {
		fm := float64(m)
		for _, num := range [2]float64{
			fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm)),
			-(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1)),
		} {
			d = 1 + num*d
			if math.Abs(d) < tiny {
				d = tiny
			}
			c = 1 + num/c
			if math.Abs(c) < tiny {
				c = tiny
			}
			d = 1 / d
			f *= c * d
		}
		if math.Abs(c*d-1) < 1e-15 {
			break
		}
	}
	return f
}
