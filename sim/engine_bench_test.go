package sim

import (
	"context"
	"math/rand/v2"
	"testing"
)

// Benchmarks of the engine. Each reports events/s, the figure compared with
// SimPy in bench/sim/compare.sh and recorded in bench/sim/RESULTS.md.

// BenchmarkEventQueueHold is the ceiling: the classic hold model on the bare
// heap (pop the earliest event, push it back an exponential time later) with
// as many pending events as the M/M/20 benchmark keeps, and with 10,000 (the
// national model's heap holds one withdrawal event per waiting case).
func BenchmarkEventQueueHold(b *testing.B) {
	for _, n := range []int{21, 10000} {
		b.Run(map[int]string{21: "n=21", 10000: "n=10000"}[n], func(b *testing.B) {
			var q EventQueue
			r := rand.New(rand.NewPCG(1, 2))
			for i := range n {
				q.Push(r.ExpFloat64(), 1, int32(i), 0)
			}
			b.ResetTimer()
			for range b.N {
				e, _ := q.Pop()
				q.Push(e.T+r.ExpFloat64(), 1, e.ID, 0)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkMMc is the full model as an M/M/20 queue at ρ = 0.85 on one core:
// one replication of a million cases per iteration.
func BenchmarkMMc(b *testing.B) {
	s := mmcScenario(20, 0.85, 2e6, 1)
	s.WarmupDays = 0
	var events int64
	for b.Loop() {
		r, err := Run(context.Background(), s, Options{Replications: 1, Seed: 1, Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		events += r.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkToday is one ten-year replication of the national model on one
// core: the unit of the "1,000 replications in 60 s" budget.
func BenchmarkToday(b *testing.B) {
	s, _, err := Builtin("today")
	if err != nil {
		b.Fatal(err)
	}
	var events int64
	for b.Loop() {
		r, err := Run(context.Background(), s, Options{Replications: 1, Seed: 1, Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		events += r.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
