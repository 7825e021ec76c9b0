package sim

import "math"

// Replication is what one run of the model measured over its window
// [warmup_days, horizon_days]. Counts are over the window; durations are of
// the cases whose trial started in the window.
type Replication struct {
	Index  int
	Events int64 // events processed, warm-up included

	Arrivals      int
	Listings      int
	TrialsStarted int
	Cracked       int
	Ineffective   int
	Withdrawals   int

	WaitDays          Summary // sending → trial start
	ChargeToTrialDays Summary // wait + charge_to_sending
	ReportToTrialDays Summary // + report_to_charge

	Utilisation           float64
	UtilisationGeneral    float64
	UtilisationSpecialist float64

	BacklogEnd int
	Backlog    []int // cases in the system at each sample day

	Little Little
	Areas  []AreaReplication
}

// Summary describes one replication's durations.
type Summary struct {
	N      int
	Mean   float64
	Median float64
	P90    float64
}

// AreaReplication is one area's share of a replication.
type AreaReplication struct {
	ID            string
	Arrivals      int
	TrialsStarted int
	WaitMean      float64
	BacklogEnd    int
	Utilisation   float64
}

// Little holds what Little's law (L = λW) needs, measured over the window on
// "cases in the system" (sent and not yet tried, cracked or withdrawn):
// Area is ∫ n(t) dt over the window; Arrivals are the window's arrivals and
// SojournNew their time in the system, counting a case still waiting at the
// horizon up to the horizon; SojournOld is the time in the window of the cases
// already in the system when it opened. Area = SojournNew + SojournOld exactly,
// whatever the model does: that is the bookkeeping identity the tests check on
// every run. L and λW agree to within the share of SojournOld, which is small
// when the window is long against the wait.
type Little struct {
	Window     float64
	Area       float64
	Arrivals   int
	SojournNew float64
	SojournOld float64
}

// L is the time-average number of cases in the system.
func (l Little) L() float64 { return l.Area / l.Window }

// Lambda is the arrival rate per day.
func (l Little) Lambda() float64 { return float64(l.Arrivals) / l.Window }

// W is the mean time in the system of the window's arrivals.
func (l Little) W() float64 { return l.SojournNew / float64(l.Arrivals) }

// replication assembles the statistics of the replication just run.
func (m *model) replication(rep int) Replication {
	p, st := m.p, &m.st
	r := Replication{
		Index: rep, Events: st.events,
		Arrivals: st.arrivals, Listings: st.listings, TrialsStarted: st.trials,
		Cracked: st.cracked, Ineffective: st.ineffective, Withdrawals: st.withdrawals,
		WaitDays:          summary(m.wait, st.waitSum, st.trials),
		ChargeToTrialDays: summary(m.charge, st.chargeSum, st.trials),
		ReportToTrialDays: summary(m.report, st.reportSum, st.trials),
		BacklogEnd:        st.n,
		Backlog:           m.backlog,
		Little: Little{
			Window:     p.horizon - p.warmup,
			Area:       st.area,
			Arrivals:   st.arrivals,
			SojournNew: st.sojournNew + float64(st.presentNew)*p.horizon - st.presentNewArrSum,
			SojournOld: st.sojournOld + float64(st.presentOld)*(p.horizon-p.warmup),
		},
	}
	window := m.sitT - m.sitW
	var busyG, busyS, capG, capS float64
	for i, a := range p.areas {
		s := &m.areas[i]
		busyG += s.busyGeneral
		busyS += s.busySpecialist
		cg, cs := float64(a.general)*p.share*window, float64(a.specialist)*window
		capG += cg
		capS += cs
		if a.id != "" {
			r.Areas = append(r.Areas, AreaReplication{ID: a.id, Arrivals: s.arrivals, TrialsStarted: s.trials,
				WaitMean: ratio(s.waitSum, float64(s.trials)), BacklogEnd: s.n,
				Utilisation: ratio(s.busyGeneral+s.busySpecialist, cg+cs)})
		}
	}
	r.Utilisation = ratio(busyG+busyS, capG+capS)
	r.UtilisationGeneral = ratio(busyG, capG)
	r.UtilisationSpecialist = ratio(busyS, capS)
	return r
}

func summary(h *histogram, sum float64, n int) Summary {
	return Summary{N: n, Mean: ratio(sum, float64(n)), Median: h.quantile(0.5), P90: h.quantile(0.9)}
}

// ratio is a/b, or NaN when b is 0 (nothing to measure).
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}
