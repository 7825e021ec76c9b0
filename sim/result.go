package sim

import (
	"math"
	"strconv"
)

// Result is a scenario's Monte Carlo result: each figure is over the
// replications, with a 95% confidence interval for its mean (Student t on the
// per-replication values). Medians and 90th percentiles are of all the cases
// of all the replications pooled. Rates are per year of the window
// [warmup_days, horizon_days].
type Result struct {
	Name         string `json:"name"`
	Replications int    `json:"replications"`
	Seed         uint64 `json:"seed"`
	Events       int64  `json:"events"`
	HorizonDays  Num    `json:"horizon_days"`
	WarmupDays   Num    `json:"warmup_days"`

	WaitDays          Duration `json:"wait_days"`
	ChargeToTrialDays Duration `json:"charge_to_trial_days"`
	ReportToTrialDays Duration `json:"report_to_trial_days"`

	ArrivalsPerYear    Estimate `json:"arrivals_per_year"`
	TrialsPerYear      Estimate `json:"trials_per_year"`
	CrackedPerYear     Estimate `json:"cracked_per_year"`
	IneffectivePerYear Estimate `json:"ineffective_per_year"`
	WithdrawalsPerYear Estimate `json:"withdrawals_per_year"`
	CrackedShare       Estimate `json:"cracked_share"`     // of listings
	IneffectiveShare   Estimate `json:"ineffective_share"` // of listings
	WithdrawalShare    Estimate `json:"withdrawal_share"`  // of cases concluded (tried, cracked or withdrawn)

	Utilisation           Estimate `json:"utilisation"`
	UtilisationGeneral    Estimate `json:"utilisation_general"`
	UtilisationSpecialist Estimate `json:"utilisation_specialist"`

	BacklogEnd Estimate       `json:"backlog_end"`
	Backlog    []BacklogPoint `json:"backlog"`
	Areas      []AreaResult   `json:"areas,omitempty"`

	// Runs are the replications in index order, for tests and paired
	// comparisons; they are not part of the JSON.
	Runs []Replication `json:"-"`
}

// Duration summarises a duration in days: the mean with the 95% confidence
// interval of the mean across replications, and the pooled median and 90th
// percentile.
type Duration struct {
	Mean   Num    `json:"mean"`
	Median Num    `json:"median"`
	P90    Num    `json:"p90"`
	CI95   [2]Num `json:"ci95"`
}

// Estimate is a mean across replications with its 95% confidence interval.
type Estimate struct {
	Mean Num    `json:"mean"`
	CI95 [2]Num `json:"ci95"`
}

// BacklogPoint is the number of cases in the system on one day.
type BacklogPoint struct {
	Day  Num    `json:"day"`
	Mean Num    `json:"mean"`
	CI95 [2]Num `json:"ci95"`
}

// AreaResult is one area's figures.
type AreaResult struct {
	ID            string   `json:"id"`
	WaitDaysMean  Estimate `json:"wait_days_mean"`
	TrialsPerYear Estimate `json:"trials_per_year"`
	Utilisation   Estimate `json:"utilisation"`
	BacklogEnd    Estimate `json:"backlog_end"`
}

// Num is a number in the JSON output: rounded to six significant digits (the
// simulation is not more precise than that, and shorter numbers read better)
// and null when there is nothing to report (NaN: no trial started, no room of
// that kind).
type Num float64

// MarshalJSON writes the rounded number, or null.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, round6(f), 'f', -1, 64), nil
}

// UnmarshalJSON reads a number or null (NaN).
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Num(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	*n = Num(f)
	return err
}

func round6(f float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 6, 64), 64)
	return r
}

func estimate(xs []float64) Estimate {
	m, lo, hi := meanCI(xs)
	return Estimate{Mean: Num(m), CI95: [2]Num{Num(lo), Num(hi)}}
}

// aggregate turns replications (in index order) and their pooled histograms
// into a Result.
func aggregate(p *plan, seed uint64, runs []Replication, wait, charge, report *histogram) *Result {
	res := &Result{Name: p.name, Replications: len(runs), Seed: seed,
		HorizonDays: Num(p.horizon), WarmupDays: Num(p.warmup), Runs: runs}
	years := (p.horizon - p.warmup) / daysPerYear
	col := func(f func(r *Replication) float64) Estimate {
		xs := make([]float64, len(runs))
		for i := range runs {
			xs[i] = f(&runs[i])
		}
		return estimate(xs)
	}
	duration := func(f func(r *Replication) Summary, h *histogram) Duration {
		e := col(func(r *Replication) float64 { return f(r).Mean })
		return Duration{Mean: e.Mean, CI95: e.CI95, Median: Num(h.quantile(0.5)), P90: Num(h.quantile(0.9))}
	}
	for i := range runs {
		res.Events += runs[i].Events
	}
	res.WaitDays = duration(func(r *Replication) Summary { return r.WaitDays }, wait)
	res.ChargeToTrialDays = duration(func(r *Replication) Summary { return r.ChargeToTrialDays }, charge)
	res.ReportToTrialDays = duration(func(r *Replication) Summary { return r.ReportToTrialDays }, report)

	perYear := func(f func(r *Replication) int) Estimate {
		return col(func(r *Replication) float64 { return float64(f(r)) / years })
	}
	res.ArrivalsPerYear = perYear(func(r *Replication) int { return r.Arrivals })
	res.TrialsPerYear = perYear(func(r *Replication) int { return r.TrialsStarted })
	res.CrackedPerYear = perYear(func(r *Replication) int { return r.Cracked })
	res.IneffectivePerYear = perYear(func(r *Replication) int { return r.Ineffective })
	res.WithdrawalsPerYear = perYear(func(r *Replication) int { return r.Withdrawals })
	res.CrackedShare = col(func(r *Replication) float64 { return ratio(float64(r.Cracked), float64(r.Listings)) })
	res.IneffectiveShare = col(func(r *Replication) float64 { return ratio(float64(r.Ineffective), float64(r.Listings)) })
	res.WithdrawalShare = col(func(r *Replication) float64 {
		return ratio(float64(r.Withdrawals), float64(r.Withdrawals+r.TrialsStarted+r.Cracked))
	})
	res.Utilisation = col(func(r *Replication) float64 { return r.Utilisation })
	res.UtilisationGeneral = col(func(r *Replication) float64 { return r.UtilisationGeneral })
	res.UtilisationSpecialist = col(func(r *Replication) float64 { return r.UtilisationSpecialist })
	res.BacklogEnd = col(func(r *Replication) float64 { return float64(r.BacklogEnd) })

	for i := range p.samples() {
		e := col(func(r *Replication) float64 { return float64(r.Backlog[i]) })
		res.Backlog = append(res.Backlog, BacklogPoint{Day: Num(p.sampleDay(i)), Mean: e.Mean, CI95: e.CI95})
	}
	for ai, a := range p.areas {
		if a.id == "" {
			continue
		}
		area := func(r *Replication) *AreaReplication { return &r.Areas[ai] }
		res.Areas = append(res.Areas, AreaResult{
			ID:            a.id,
			WaitDaysMean:  col(func(r *Replication) float64 { return area(r).WaitMean }),
			TrialsPerYear: col(func(r *Replication) float64 { return float64(area(r).TrialsStarted) / years }),
			Utilisation:   col(func(r *Replication) float64 { return area(r).Utilisation }),
			BacklogEnd:    col(func(r *Replication) float64 { return float64(area(r).BacklogEnd) }),
		})
	}
	return res
}
