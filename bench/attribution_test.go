package bench

import (
	"context"
	"os"
	"reflect"
	"strconv"
	"syscall"
	"testing"
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/oversight"
	"throughline/synth"
)

// BenchmarkAttribution: where every case's days went, as `throughline
// attribution --from --to` computes it, over a generated national set
// (THROUGHLINE_BENCH_ATTRIBUTION_CASES, 100,000 by default: a seventh of
// the ten-year set, from memory), each way in the same run:
//
//   - "from scratch": every case's log folded (attribution.Fold, days only)
//     and the results aggregated: the baseline, what the command does today
//     once the log is read;
//   - "kept": the same aggregate over each case's result kept as its events
//     arrive (the projection), so a request pays only the aggregation;
//   - "kept, one append": what keeping them costs an append: the case's
//     result refolded from its log.
//
// ns/case is the figure: 700,000 cases in 5 s is 7,143 ns/case.
// BenchmarkAttributionFromTheLog adds the database's read on the loaded set.
func BenchmarkAttribution(b *testing.B) {
	n := 100000
	if v := os.Getenv("THROUGHLINE_BENCH_ATTRIBUTION_CASES"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	var cases [][]throughline.Event
	if err := synth.Generate(synth.Options{Cases: n, Seed: 1, FromYear: 2016, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		cases = append(cases, evs)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	from, to := attribution.DayOf(time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)), attribution.DayOf(now)-1
	aggregate := func(results []attribution.Result) attribution.Summary {
		var a attribution.Aggregate
		for _, r := range results {
			if attribution.InPeriod(r, from, to) {
				a.Add("all", r)
			}
		}
		return a.Summaries()[0]
	}
	perCase := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cases)), "ns/case")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cases))*700000/1e9, "s/700k-cases")
	}
	fold := func(f *attribution.Fold, evs []throughline.Event) attribution.Result {
		f.Init(now, false)
		for i := range evs {
			f.Add(evs[i])
		}
		return f.Result()
	}
	kept := make([]attribution.Result, len(cases))
	var f attribution.Fold
	for i, evs := range cases {
		kept[i] = fold(&f, evs)
	}
	want := aggregate(kept)
	b.Run("from scratch", func(b *testing.B) {
		results := make([]attribution.Result, len(cases))
		for b.Loop() {
			for i, evs := range cases {
				results[i] = fold(&f, evs)
			}
			if got := aggregate(results); got.Days != want.Days {
				b.Fatalf("from scratch %+v, kept %+v", got.Days, want.Days)
			}
		}
		perCase(b)
	})
	b.Run("kept", func(b *testing.B) {
		for b.Loop() {
			if got := aggregate(kept); got.Cases != want.Cases {
				b.Fatal(got.Cases, want.Cases)
			}
		}
		perCase(b)
	})
	b.Run("kept, one append", func(b *testing.B) {
		i := 0
		for b.Loop() {
			evs := cases[i%len(cases)]
			kept[i%len(cases)] = fold(&f, evs)
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i), "ns/append")
	})
}

// BenchmarkAttributionFromTheLog: the whole command's work on the loaded
// set — every event read from the database in order, each case folded as
// its events go by — against the bare read of the same log.
func BenchmarkAttributionFromTheLog(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			s := bigDB(b, d)
			ctx := context.Background()
			var cases int
			for b.Loop() {
				open := map[string]*attribution.Fold{}
				if err := s.EachEvent(ctx, func(e throughline.Event) error {
					f := open[e.Case]
					if f == nil {
						f = new(attribution.Fold)
						f.Init(now, false)
						open[e.Case] = f
					}
					f.Add(e)
					return nil
				}); err != nil {
					b.Fatal(err)
				}
				var a attribution.Aggregate
				for _, f := range open {
					a.Add("all", f.Result())
				}
				cases = len(open)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cases), "ns/case")
			start := time.Now()
			events := 0
			if err := s.EachEvent(ctx, func(throughline.Event) error { events++; return nil }); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(cases), "baseline-read-ns/case")
		})
	}
}

// BenchmarkAttributionKept: `throughline attribution --from --to` over the
// loaded set (THROUGHLINE_BENCH_BIG_sqlite / _postgres: any database,
// the 700,000-case set included, whose facts were written or rebuilt by
// this release), both ways in each iteration on the same database:
//
//   - "kept": one read of the roll-up, each case's attribution kept in its
//     facts (oversight.EachAttribution), as the command does;
//   - "from scratch": the whole log read and every case folded again
//     (attribution.EachFromLog, the command's --from-log): the baseline.
//
// Each iteration checks that both give the same figures, for every case
// and by force. kept-s and scratch-s are seconds per run, ratio the
// baseline's time over the kept path's; kept-s/700k-cases scales the kept
// path to the ten-year set by its cases (the limit is 5 s).
// Run with -benchtime 1x: the baseline is minutes on a large set.
func BenchmarkAttributionKept(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			s := bigDB(b, d)
			ctx := context.Background()
			from, to := attribution.DayOf(time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)), attribution.DayOf(now)-1
			asOf := (to + 1).Time()
			figures := func(each func(add func(attribution.Result)) error) ([]attribution.Summary, int, time.Duration, time.Duration) {
				start, cpu := time.Now(), cpuTime(b)
				var a attribution.Aggregate
				cases := 0
				if err := each(func(r attribution.Result) {
					cases++
					if attribution.InPeriod(r, from, to) {
						a.Add("all", r)
						a.Add(r.Force, r)
					}
				}); err != nil {
					b.Fatal(err)
				}
				sums := a.Summaries()
				return sums, cases, time.Since(start), cpuTime(b) - cpu
			}
			var kept, scratch, keptCPU, scratchCPU time.Duration
			var cases int
			for b.Loop() {
				k, n, tk, ck := figures(func(add func(attribution.Result)) error {
					return oversight.EachAttribution(ctx, s, asOf, false, add)
				})
				l, _, tl, cl := figures(func(add func(attribution.Result)) error {
					return attribution.EachFromLog(ctx, s, asOf, false, add)
				})
				if !reflect.DeepEqual(k, l) {
					b.Fatalf("the kept figures are not the log's:\n%+v\n%+v", k[0], l[0])
				}
				kept, scratch, keptCPU, scratchCPU, cases = kept+tk, scratch+tl, keptCPU+ck, scratchCPU+cl, n
			}
			runs := float64(b.N)
			b.ReportMetric(kept.Seconds()/runs, "kept-s")
			b.ReportMetric(scratch.Seconds()/runs, "scratch-s")
			b.ReportMetric(scratch.Seconds()/kept.Seconds(), "ratio")
			// CPU seconds of the process (this goroutine's work, the
			// driver's, the collector's): what a loaded machine inflates
			// least. On PostgreSQL the server's own work is not in them.
			b.ReportMetric(keptCPU.Seconds()/runs, "kept-cpu-s")
			b.ReportMetric(scratchCPU.Seconds()/runs, "scratch-cpu-s")
			b.ReportMetric(float64(cases), "cases")
			b.ReportMetric(kept.Seconds()/runs/float64(cases)*700000, "kept-s/700k-cases")
			b.ReportMetric(keptCPU.Seconds()/runs/float64(cases)*700000, "kept-cpu-s/700k-cases")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
