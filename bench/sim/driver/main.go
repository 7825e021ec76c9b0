// Command driver runs the Go side of bench/sim/compare.sh: the M/M/c queue of
// mmc_simpy.py on Throughline's simulation engine, or the bare event heap that
// bounds the engine's speed, and prints one line of JSON.
//
//	go run ./bench/sim/driver -c 20 -rho 0.85 -customers 2000000
//	go run ./bench/sim/driver -heap -customers 2000000
//	go run ./bench/sim/driver -scenario today -replications 1000
//
// Events are counted as the engine processes them: for M/M/c one per arrival
// and one per service completion, as mmc_simpy.py counts them.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"throughline/sim"
)

type report struct {
	Engine          string  `json:"engine"`
	C               int     `json:"c,omitempty"`
	Rho             float64 `json:"rho,omitempty"`
	Scenario        string  `json:"scenario,omitempty"`
	Customers       int     `json:"customers,omitempty"`
	Replications    int     `json:"replications"`
	Workers         int     `json:"workers"`
	Events          int64   `json:"events"`
	Seconds         float64 `json:"seconds"`
	EventsPerSecond float64 `json:"events_per_second"`
	MeanWait        float64 `json:"mean_wait,omitempty"`
	ErlangC         float64 `json:"erlang_c,omitempty"`
}

func main() {
	c := flag.Int("c", 20, "servers (courtrooms)")
	rho := flag.Float64("rho", 0.85, "load per server")
	customers := flag.Int("customers", 2_000_000, "customers (cases) per replication, M/M/c")
	reps := flag.Int("replications", 1, "replications")
	workers := flag.Int("workers", 1, "parallel workers")
	heap := flag.Bool("heap", false, "time the bare event heap (hold model) instead of the model")
	scenario := flag.String("scenario", "", "run a built-in scenario instead of M/M/c")
	flag.Parse()

	var r report
	var err error
	switch {
	case *heap:
		r = heapHold(*c+1, 2**customers)
	case *scenario != "":
		r, err = builtin(*scenario, *reps, *workers)
	default:
		r, err = mmc(*c, *rho, *customers, *reps, *workers)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "driver:", err)
		os.Exit(1)
	}
	r.EventsPerSecond = math.Round(float64(r.Events) / r.Seconds)
	r.Seconds = math.Round(r.Seconds*1000) / 1000
	json.NewEncoder(os.Stdout).Encode(r)
}

func mmc(c int, rho float64, customers, reps, workers int) (report, error) {
	lambda := rho * float64(c)
	horizon := float64(customers) / lambda
	s := sim.Scenario{
		Name:            fmt.Sprintf("M/M/%d", c),
		HorizonDays:     horizon,
		SampleEveryDays: horizon, // two samples: the events are the queue's own
		Arrivals:        &sim.Arrivals{Process: "poisson", PerDay: lambda},
		Courtrooms:      &sim.Courtrooms{General: c},
		TrialDays:       sim.Exponential(1),
	}
	start := time.Now()
	res, err := sim.Run(context.Background(), s, sim.Options{Replications: reps, Seed: 1, Workers: workers})
	if err != nil {
		return report{}, err
	}
	return report{Engine: "throughline/sim", C: c, Rho: rho, Customers: customers, Replications: reps, Workers: workers,
		Events: res.Events, Seconds: time.Since(start).Seconds(), MeanWait: float64(res.WaitDays.Mean),
		ErlangC: sim.ErlangCWait(lambda, 1, c)}, nil
}

func builtin(name string, reps, workers int) (report, error) {
	s, _, err := sim.Builtin(name)
	if err != nil {
		return report{}, err
	}
	start := time.Now()
	res, err := sim.Run(context.Background(), s, sim.Options{Replications: reps, Seed: 1, Workers: workers})
	if err != nil {
		return report{}, err
	}
	return report{Engine: "throughline/sim", Scenario: name, Replications: reps, Workers: workers,
		Events: res.Events, Seconds: time.Since(start).Seconds(), MeanWait: float64(res.WaitDays.Mean)}, nil
}

// heapHold is the classic hold model: a heap of n pending events, each step
// pops the earliest and pushes it back an exponential time later. It is what
// any event-driven engine must do per event, without a model: the ceiling.
func heapHold(n, events int) report {
	var q sim.EventQueue
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		q.Push(r.ExpFloat64(), 1, int32(i), 0)
	}
	start := time.Now()
	for range events {
		e, _ := q.Pop()
		q.Push(e.T+r.ExpFloat64(), 1, e.ID, 0)
	}
	return report{Engine: "throughline/sim EventQueue (hold model)", C: n - 1, Replications: 1, Workers: 1,
		Events: int64(events), Seconds: time.Since(start).Seconds()}
}
