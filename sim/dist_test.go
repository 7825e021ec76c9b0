package sim

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// sampleMoments draws n values and returns their mean and standard deviation.
func sampleMoments(d *Dist, n int) (mean, sd float64) {
	s := d.compile()
	g := newRNG()
	g.seed(42, 0, 1)
	var sum, ss float64
	for range n {
		x := s.sample(g)
		sum += x
		ss += x * x
	}
	mean = sum / float64(n)
	return mean, math.Sqrt(ss/float64(n) - mean*mean)
}

// TestDistSampleMeans checks each distribution's sample mean against its
// expected value within 4 standard errors (a false alarm once in 15,000 runs;
// the seed is fixed, so in practice never), and the sd where it is known.
func TestDistSampleMeans(t *testing.T) {
	mu, sigma := 1.2, 0.5
	cases := []struct {
		name     string
		d        *Dist
		mean, sd float64
	}{
		{"exponential", Exponential(3), 3, 3},
		{"lognormal mean/sd", Lognormal(4, 2), 4, 2},
		{"lognormal mu/sigma", &Dist{Dist: DistLognormal, Mu: &mu, Sigma: &sigma},
			math.Exp(mu + sigma*sigma/2), math.Exp(mu+sigma*sigma/2) * math.Sqrt(math.Expm1(sigma*sigma))},
		{"empirical", Empirical(1, 2, 3, 10), 4, math.Sqrt((9 + 4 + 1 + 36) / 4.0)},
		{"constant", Constant(28), 28, 0},
	}
	const n = 400_000
	for _, c := range cases {
		if err := c.d.check("x"); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := c.d.compile(); math.Abs(got.mean()-c.mean) > 1e-9*c.mean {
			t.Errorf("%s: sampler mean %v, want %v", c.name, got.mean(), c.mean)
		}
		m, sd := sampleMoments(c.d, n)
		se := c.sd / math.Sqrt(n)
		if math.Abs(m-c.mean) > 4*se+1e-12 {
			t.Errorf("%s: sample mean %.4f, want %.4f ± %.4f", c.name, m, c.mean, 4*se)
		}
		if c.sd > 0 && math.Abs(sd/c.sd-1) > 0.02 {
			t.Errorf("%s: sample sd %.4f, want %.4f", c.name, sd, c.sd)
		}
	}
}

// TestEmpiricalUniform checks every value of an empirical list is drawn
// equally often (a chi-square test with 9 degrees of freedom at 0.1%).
func TestEmpiricalUniform(t *testing.T) {
	s := Empirical(0, 1, 2, 3, 4, 5, 6, 7, 8, 9).compile()
	g := newRNG()
	g.seed(7, 0, 1)
	var counts [10]float64
	const n = 100_000
	for range n {
		counts[int(s.sample(g))]++
	}
	var chi2 float64
	for _, c := range counts {
		chi2 += (c - n/10) * (c - n/10) / (n / 10)
	}
	if chi2 > 27.88 {
		t.Errorf("chi-square %.1f > 27.88: counts %v", chi2, counts)
	}
}

func TestLognormalParams(t *testing.T) {
	mu, sigma := lognormalParams(4, 2)
	if m := math.Exp(mu + sigma*sigma/2); math.Abs(m-4) > 1e-12 {
		t.Errorf("mean %v, want 4", m)
	}
	if v := math.Expm1(sigma*sigma) * math.Exp(2*mu+sigma*sigma); math.Abs(v-4) > 1e-12 {
		t.Errorf("variance %v, want 4", v)
	}
}

func TestDistCheck(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	bad := []struct {
		d    Dist
		want string
	}{
		{Dist{}, `missing "dist"`},
		{Dist{Dist: "gamma"}, `unknown dist "gamma"`},
		{Dist{Dist: DistExponential}, `needs "mean"`},
		{Dist{Dist: DistExponential, Mean: f(0)}, `"mean" must be greater than 0`},
		{Dist{Dist: DistExponential, Mean: f(math.Inf(1))}, "finite"},
		{Dist{Dist: DistExponential, Mean: f(3), SD: f(1)}, `"sd" does not apply`},
		{Dist{Dist: DistLognormal, Mean: f(3), Mu: f(1)}, "not both"},
		{Dist{Dist: DistLognormal, Mean: f(3)}, `needs "sd"`},
		{Dist{Dist: DistLognormal, Mu: f(1)}, `"sigma"`},
		{Dist{Dist: DistLognormal, Mu: f(1), Sigma: f(-1)}, `"sigma"`},
		{Dist{Dist: DistEmpirical}, "non-empty"},
		{Dist{Dist: DistEmpirical, Values: []float64{1, -2}}, "values[1]"},
		{Dist{Dist: DistConstant}, `needs "value"`},
		{Dist{Dist: DistConstant, Value: f(-1)}, `"value" must be at least 0`},
		{Dist{Dist: DistConstant, Value: f(1e9)}, "at most"},
	}
	for _, c := range bad {
		err := c.d.check("trial_days")
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "trial_days" || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want a trial_days error containing %q", c.d, err, c.want)
		}
	}
}
