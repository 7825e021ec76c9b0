package sim

import (
	"errors"
	"fmt"
)

// Difference is scenario B minus scenario A. Replication i of both used the
// same seeds, so differences are taken replication by replication (paired)
// and their confidence intervals are those of the mean paired difference:
// with common random numbers these are much narrower than the two scenarios'
// own intervals suggest. Medians and 90th percentiles are differences of the
// pooled figures and have no interval.
type Difference struct {
	Of string `json:"of"` // "B − A"

	WaitDaysMean          Estimate `json:"wait_days_mean"`
	WaitDaysMedian        Num      `json:"wait_days_median"`
	WaitDaysP90           Num      `json:"wait_days_p90"`
	ChargeToTrialDaysMean Estimate `json:"charge_to_trial_days_mean"`
	ReportToTrialDaysMean Estimate `json:"report_to_trial_days_mean"`

	TrialsPerYear      Estimate `json:"trials_per_year"`
	WithdrawalsPerYear Estimate `json:"withdrawals_per_year"`
	WithdrawalShare    Estimate `json:"withdrawal_share"`
	IneffectiveShare   Estimate `json:"ineffective_share"`
	Utilisation        Estimate `json:"utilisation"`
	BacklogEnd         Estimate `json:"backlog_end"`

	// Backlog is the paired difference at each sample day, when both
	// scenarios sample the same days.
	Backlog []BacklogPoint `json:"backlog,omitempty"`
}

// Compare returns b − a. Both must come from runs with the same seed and
// number of replications, or the pairing would be meaningless.
func Compare(a, b *Result) (*Difference, error) {
	switch {
	case a == nil || b == nil:
		return nil, errors.New("compare: missing result")
	case a.Replications != b.Replications || len(a.Runs) != len(b.Runs):
		return nil, fmt.Errorf("compare: %d and %d replications; run both with the same number", a.Replications, b.Replications)
	case a.Seed != b.Seed:
		return nil, fmt.Errorf("compare: seeds %d and %d differ; run both with the same seed", a.Seed, b.Seed)
	}
	yearsA := float64(a.HorizonDays-a.WarmupDays) / daysPerYear
	yearsB := float64(b.HorizonDays-b.WarmupDays) / daysPerYear
	paired := func(f func(r *Replication) float64) Estimate {
		xs := make([]float64, len(a.Runs))
		for i := range xs {
			xs[i] = f(&b.Runs[i]) - f(&a.Runs[i])
		}
		return estimate(xs)
	}
	pairedRate := func(f func(r *Replication) int) Estimate {
		xs := make([]float64, len(a.Runs))
		for i := range xs {
			xs[i] = float64(f(&b.Runs[i]))/yearsB - float64(f(&a.Runs[i]))/yearsA
		}
		return estimate(xs)
	}
	d := &Difference{
		Of:                    b.Name + " − " + a.Name,
		WaitDaysMean:          paired(func(r *Replication) float64 { return r.WaitDays.Mean }),
		WaitDaysMedian:        b.WaitDays.Median - a.WaitDays.Median,
		WaitDaysP90:           b.WaitDays.P90 - a.WaitDays.P90,
		ChargeToTrialDaysMean: paired(func(r *Replication) float64 { return r.ChargeToTrialDays.Mean }),
		ReportToTrialDaysMean: paired(func(r *Replication) float64 { return r.ReportToTrialDays.Mean }),
		TrialsPerYear:         pairedRate(func(r *Replication) int { return r.TrialsStarted }),
		WithdrawalsPerYear:    pairedRate(func(r *Replication) int { return r.Withdrawals }),
		WithdrawalShare: paired(func(r *Replication) float64 {
			return ratio(float64(r.Withdrawals), float64(r.Withdrawals+r.TrialsStarted+r.Cracked))
		}),
		IneffectiveShare: paired(func(r *Replication) float64 { return ratio(float64(r.Ineffective), float64(r.Listings)) }),
		Utilisation:      paired(func(r *Replication) float64 { return r.Utilisation }),
		BacklogEnd:       paired(func(r *Replication) float64 { return float64(r.BacklogEnd) }),
	}
	if sameDays(a.Backlog, b.Backlog) {
		for i, pt := range a.Backlog {
			e := paired(func(r *Replication) float64 { return float64(r.Backlog[i]) })
			d.Backlog = append(d.Backlog, BacklogPoint{Day: pt.Day, Mean: e.Mean, CI95: e.CI95})
		}
	}
	return d, nil
}

func sameDays(a, b []BacklogPoint) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Day != b[i].Day {
			return false
		}
	}
	return true
}
