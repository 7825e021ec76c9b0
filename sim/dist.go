package sim

import (
	"fmt"
	"math"
)

// Dist is a distribution of a duration in days (or sitting days, for trial
// lengths), as written in a scenario:
//
//	{"dist": "exponential", "mean": 4}
//	{"dist": "lognormal", "mean": 4, "sd": 2}      mean and sd of the duration itself
//	{"dist": "lognormal", "mu": 1.27, "sigma": 0.47} mean and sd of its natural log
//	{"dist": "empirical", "values": [3, 4, 4, 5, 9]} each value equally likely
//	{"dist": "constant", "value": 28}
//
// A lognormal takes exactly one of the two pairs. Planners usually know the
// mean and spread of trial lengths in days, so that is the pair Calibrate
// writes; mu and sigma are there for fits done elsewhere on the log scale.
type Dist struct {
	Dist   string    `json:"dist"`
	Mean   *float64  `json:"mean,omitempty"`
	SD     *float64  `json:"sd,omitempty"`
	Mu     *float64  `json:"mu,omitempty"`
	Sigma  *float64  `json:"sigma,omitempty"`
	Values []float64 `json:"values,omitempty"`
	Value  *float64  `json:"value,omitempty"`
}

// Distribution names.
const (
	DistExponential = "exponential"
	DistLognormal   = "lognormal"
	DistEmpirical   = "empirical"
	DistConstant    = "constant"
)

// maxDays bounds every duration a scenario may state: 200 years. Anything
// longer is a typing error, and bounding it keeps the simulation's arithmetic
// far from overflow.
const maxDays = 200 * 365.0

// Exponential returns an exponential distribution with the given mean.
func Exponential(mean float64) *Dist { return &Dist{Dist: DistExponential, Mean: &mean} }

// Lognormal returns a lognormal distribution with the given mean and standard
// deviation of the duration itself.
func Lognormal(mean, sd float64) *Dist { return &Dist{Dist: DistLognormal, Mean: &mean, SD: &sd} }

// Empirical returns a distribution that draws one of values, each equally likely.
func Empirical(values ...float64) *Dist { return &Dist{Dist: DistEmpirical, Values: values} }

// Constant returns a distribution that is always v.
func Constant(v float64) *Dist { return &Dist{Dist: DistConstant, Value: &v} }

// check reports the first problem with d, naming field.
func (d *Dist) check(field string) error {
	bad := func(format string, args ...any) error {
		return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	need := func(name string, p *float64, lo float64, open bool) error {
		switch {
		case p == nil:
			return bad("%s distribution needs %q", d.Dist, name)
		case !isFinite(*p):
			return bad("%q must be a finite number", name)
		case open && *p <= lo:
			return bad("%q must be greater than %g, got %g", name, lo, *p)
		case !open && *p < lo:
			return bad("%q must be at least %g, got %g", name, lo, *p)
		case *p > maxDays:
			return bad("%q must be at most %g days, got %g", name, maxDays, *p)
		}
		return nil
	}
	unused := func(names ...string) error {
		present := map[string]bool{"mean": d.Mean != nil, "sd": d.SD != nil, "mu": d.Mu != nil,
			"sigma": d.Sigma != nil, "values": d.Values != nil, "value": d.Value != nil}
		for _, n := range names {
			if present[n] {
				return bad("%q does not apply to a %s distribution", n, d.Dist)
			}
		}
		return nil
	}
	switch d.Dist {
	case DistExponential:
		if err := unused("sd", "mu", "sigma", "values", "value"); err != nil {
			return err
		}
		return need("mean", d.Mean, 0, true)
	case DistConstant:
		if err := unused("mean", "sd", "mu", "sigma", "values"); err != nil {
			return err
		}
		return need("value", d.Value, 0, false)
	case DistEmpirical:
		if err := unused("mean", "sd", "mu", "sigma", "value"); err != nil {
			return err
		}
		if len(d.Values) == 0 {
			return bad("empirical distribution needs a non-empty \"values\" list")
		}
		if len(d.Values) > maxEmpirical {
			return bad("at most %d values, got %d", maxEmpirical, len(d.Values))
		}
		for i, v := range d.Values {
			if !isFinite(v) || v < 0 || v > maxDays {
				return bad("values[%d] must be between 0 and %g, got %g", i, maxDays, v)
			}
		}
		return nil
	case DistLognormal:
		if err := unused("values", "value"); err != nil {
			return err
		}
		byMoments := d.Mean != nil || d.SD != nil
		byLogs := d.Mu != nil || d.Sigma != nil
		switch {
		case byMoments && byLogs:
			return bad("lognormal takes either \"mean\" and \"sd\" or \"mu\" and \"sigma\", not both")
		case byLogs:
			if d.Mu == nil || !isFinite(*d.Mu) || math.Abs(*d.Mu) > math.Log(maxDays) {
				return bad("\"mu\" must be a number between %.3g and %.3g", -math.Log(maxDays), math.Log(maxDays))
			}
			if d.Sigma == nil || !isFinite(*d.Sigma) || *d.Sigma < 0 || *d.Sigma > 5 {
				return bad("\"sigma\" must be a number between 0 and 5")
			}
			return nil
		default:
			if err := need("mean", d.Mean, 0, true); err != nil {
				return err
			}
			if err := need("sd", d.SD, 0, false); err != nil {
				return err
			}
			if *d.SD > 100**d.Mean {
				return bad("\"sd\" must be at most 100 times the mean")
			}
			return nil
		}
	case "":
		return bad("missing \"dist\" (one of exponential, lognormal, empirical, constant)")
	default:
		return bad("unknown dist %q (want exponential, lognormal, empirical or constant)", d.Dist)
	}
}

// maxEmpirical bounds an empirical list: a million observations is more than
// any court's history.
const maxEmpirical = 1_000_000

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// sampler is a Dist compiled for drawing: no maps, no pointers to chase, one
// switch per draw.
type sampler struct {
	kind   uint8
	a, b   float64 // constant: a; exponential: mean a; lognormal: mu a, sigma b
	values []float64
}

const (
	sampleZero uint8 = iota // a stage the scenario does not name takes no time
	sampleConstant
	sampleExponential
	sampleLognormal
	sampleEmpirical
)

// compile turns a checked Dist into a sampler; a nil Dist always gives 0.
func (d *Dist) compile() sampler {
	if d == nil {
		return sampler{kind: sampleZero}
	}
	switch d.Dist {
	case DistConstant:
		return sampler{kind: sampleConstant, a: *d.Value}
	case DistExponential:
		return sampler{kind: sampleExponential, a: *d.Mean}
	case DistEmpirical:
		return sampler{kind: sampleEmpirical, values: d.Values}
	case DistLognormal:
		if d.Mu != nil {
			return sampler{kind: sampleLognormal, a: *d.Mu, b: *d.Sigma}
		}
		mu, sigma := lognormalParams(*d.Mean, *d.SD)
		return sampler{kind: sampleLognormal, a: mu, b: sigma}
	}
	return sampler{kind: sampleZero}
}

// lognormalParams converts the mean m and standard deviation s of a lognormal
// duration into the mean mu and standard deviation sigma of its logarithm.
func lognormalParams(m, s float64) (mu, sigma float64) {
	v := math.Log1p((s / m) * (s / m))
	return math.Log(m) - v/2, math.Sqrt(v)
}

// sample draws one value.
func (s *sampler) sample(g *rng) float64 {
	switch s.kind {
	case sampleConstant:
		return s.a
	case sampleExponential:
		return s.a * g.exp()
	case sampleLognormal:
		return math.Exp(s.a + s.b*g.r.NormFloat64())
	case sampleEmpirical:
		return s.values[g.r.IntN(len(s.values))]
	}
	return 0
}

// mean is the distribution's expected value.
func (s *sampler) mean() float64 {
	switch s.kind {
	case sampleConstant, sampleExponential:
		return s.a
	case sampleLognormal:
		return math.Exp(s.a + s.b*s.b/2)
	case sampleEmpirical:
		var sum float64
		for _, v := range s.values {
			sum += v
		}
		return sum / float64(len(s.values))
	}
	return 0
}

// zero reports whether the sampler always gives 0, so the model can skip a
// stage without an event.
func (s *sampler) zero() bool {
	return s.kind == sampleZero || (s.kind == sampleConstant && s.a == 0)
}
