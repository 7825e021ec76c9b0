package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestStudentT975(t *testing.T) {
	// Values from standard tables.
	for _, c := range []struct {
		df   int
		want float64
	}{{1, 12.7062}, {2, 4.3027}, {5, 2.5706}, {9, 2.2622}, {30, 2.0423}, {199, 1.9720}, {999, 1.9623}, {1 << 30, 1.9600}} {
		if got := StudentT975(c.df); math.Abs(got-c.want) > 1e-4 {
			t.Errorf("t(0.975, %d) = %.5f, want %.4f", c.df, got, c.want)
		}
	}
	if !math.IsNaN(StudentT975(0)) {
		t.Error("df 0 should be NaN")
	}
}

func TestMeanCI(t *testing.T) {
	m, lo, hi := meanCI([]float64{1, 2, 3, 4, math.NaN(), 5})
	half := StudentT975(4) * math.Sqrt(2.5/5)
	if m != 3 || math.Abs(lo-(3-half)) > 1e-12 || math.Abs(hi-(3+half)) > 1e-12 {
		t.Errorf("meanCI = %v [%v, %v], want 3 ± %v", m, lo, hi, half)
	}
	if m, lo, _ := meanCI([]float64{7}); m != 7 || !math.IsNaN(lo) {
		t.Errorf("one value: %v [%v], want 7 [NaN]", m, lo)
	}
	if m, _, _ := meanCI(nil); !math.IsNaN(m) {
		t.Errorf("no values: %v, want NaN", m)
	}
}

// TestHistogramQuantiles compares histogram quantiles with exact ones at
// several scales: the bucket layout promises better than 1% everywhere.
func TestHistogramQuantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 3))
	for _, scale := range []float64{0.01, 1, 400, 1e5} {
		var h histogram
		xs := make([]float64, 50000)
		for i := range xs {
			xs[i] = r.ExpFloat64() * scale
			if i%10 == 0 {
				xs[i] = 0 // a tenth wait no time at all
			}
			h.add(xs[i])
		}
		slices.Sort(xs)
		for _, q := range []float64{0.05, 0.5, 0.9, 0.99} {
			want := xs[int(math.Ceil(q*float64(len(xs))))-1]
			if got := h.quantile(q); math.Abs(got-want) > 0.01*want {
				t.Errorf("scale %v, q %v: %v, want %v", scale, q, got, want)
			}
		}
	}
	var h histogram
	if !math.IsNaN(h.quantile(0.5)) {
		t.Error("empty histogram should give NaN")
	}
	h.add(0)
	if h.quantile(0.9) != 0 {
		t.Error("all zeros should give 0")
	}
	for i := range len(h.counts) {
		lo, hi := histBounds(i)
		if mid := (lo + hi) / 2; histIndex(mid) != i && i < len(h.counts)-1 {
			t.Fatalf("bucket %d [%v, %v): midpoint maps to %d", i, lo, hi, histIndex(mid))
		}
	}
}
