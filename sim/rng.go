package sim

import "math/rand/v2"

// Each replication draws from two PCG streams derived from (seed, replication
// index) alone, so a replication's result does not depend on which worker ran
// it or in what order. The two streams split the randomness by purpose:
//
//   - the arrival stream gives everything about a case that is known when it
//     arrives (arrival time, area, stage durations, offsets, s.28, the
//     complainant's withdrawal threshold);
//   - the court stream gives what happens in court (trial outcome and length,
//     relisting delay).
//
// Two scenarios with the same arrivals therefore see the same cases in the same
// replication (common random numbers), and the difference between them is
// measured with far less noise than two independent runs would give.

const (
	streamArrivals = 1
	streamCourt    = 2
)

// splitmix64 is the standard 64-bit finaliser: a bijective mix that turns
// nearby integers (seed, index) into unrelated-looking ones.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// streamSeed returns the two PCG seed words of one stream of one replication.
func streamSeed(seed uint64, rep int, stream uint64) (uint64, uint64) {
	a := splitmix64(seed ^ splitmix64(uint64(rep)+1))
	a = splitmix64(a ^ stream*0xd1b54a32d192ed03)
	return a, splitmix64(a)
}

// rng is one stream: a PCG source and the rand.Rand over it, kept together so a
// worker reseeds it for each replication without allocating.
type rng struct {
	pcg rand.PCG
	r   *rand.Rand
}

func newRNG() *rng {
	g := &rng{}
	g.r = rand.New(&g.pcg)
	return g
}

func (g *rng) seed(seed uint64, rep int, stream uint64) {
	g.pcg.Seed(streamSeed(seed, rep, stream))
}

// float64 returns a uniform number in [0, 1).
func (g *rng) float64() float64 { return g.r.Float64() }

// exp returns an exponential number with mean 1.
func (g *rng) exp() float64 { return g.r.ExpFloat64() }
