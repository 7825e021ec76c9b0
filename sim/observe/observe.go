// Package observe fits the backlog simulator to the case record: it reads
// what happened to cases in the Crown Court — sendings, listings, trial
// outcomes, waits and withdrawals — and writes a sim.Calibration from them,
// for `throughline simulate --calibrate-from`.
package observe

import (
	"fmt"
	"time"

	"throughline"
	"throughline/sim"
)

// Observer accumulates facts case by case.
type Observer struct {
	asOf   time.Time // the present
	window time.Time // arrivals are counted from here to asOf
	c      sim.Calibration

	sent, trialListings, cracked, ineffective int
	waitYears                                 float64
	withdrawals                               int
	cases                                     int
}

// New returns an Observer that counts arrivals over the year before asOf.
func New(asOf time.Time) *Observer {
	return &Observer{asOf: asOf, window: asOf.AddDate(-1, 0, 0)}
}

func days(a, b throughline.When) float64 { return b.Date().Sub(a.Date()).Hours() / 24 }

// Add folds one case into the facts.
func (o *Observer) Add(c *throughline.Case) {
	o.cases++
	var sentOn throughline.When
	for _, d := range c.Defendants {
		if !d.Charged.IsZero() {
			o.c.ReportToChargeDays = append(o.c.ReportToChargeDays, days(c.Reported, d.Charged))
		}
		if d.Sent.IsZero() {
			continue
		}
		if sentOn.IsZero() || d.Sent.Before(sentOn) {
			sentOn = d.Sent
		}
	}
	if sentOn.IsZero() {
		return // never reached the Crown Court
	}
	for _, d := range c.Defendants {
		if !d.Sent.IsZero() && !d.Charged.IsZero() && d.Sent == sentOn {
			o.c.ChargeToSendingDays = append(o.c.ChargeToSendingDays, days(d.Charged, d.Sent))
			break
		}
	}
	if !sentOn.Date().Before(o.window) && !sentOn.Date().After(o.asOf) {
		o.sent++
	}
	// The case waits from sending until its trial starts or it ends another way.
	end := throughline.At(o.asOf)
	var trialStart throughline.When
	for _, d := range c.Defendants {
		for _, w := range []throughline.When{d.TrialStarted, d.VerdictOn, d.Stopped} {
			if !w.IsZero() && w.Before(end) {
				end = w
			}
		}
		if !d.TrialStarted.IsZero() && (trialStart.IsZero() || d.TrialStarted.Before(trialStart)) {
			trialStart = d.TrialStarted
		}
	}
	waiting := c.Stage() == throughline.StageCrownCourt || c.Stage() == throughline.StageRetrial
	if waiting {
		o.c.InitialBacklog++
	}
	o.waitYears += max(0, days(sentOn, end)) / 365.25
	for _, cp := range c.Complainants {
		if !cp.Withdrawn.IsZero() && !cp.Withdrawn.Before(sentOn) {
			o.withdrawals++
		}
	}
	// Hearings: PTPH timing, trial listings and their outcomes, relistings.
	var lastIneffective throughline.When
	for _, h := range c.Hearings {
		switch h.Kind {
		case "ptph":
			if h.Status == "held" {
				o.c.PTPHDays = append(o.c.PTPHDays, days(sentOn, h.StartsAt))
			}
		case "trial":
			if !lastIneffective.IsZero() {
				o.c.RelistDelayDays = append(o.c.RelistDelayDays, days(lastIneffective, h.StartsAt))
				lastIneffective = throughline.When{}
			}
			if h.Status != "held" {
				continue
			}
			o.trialListings++
			switch h.Outcome {
			case "cracked":
				o.cracked++
			case "ineffective":
				o.ineffective++
				lastIneffective = h.HeldOn
			}
		}
	}
	// Trial length: first day to verdict, in sitting (working) days.
	if !trialStart.IsZero() {
		for _, d := range c.Defendants {
			if !d.VerdictOn.IsZero() && d.Verdict != "guilty_plea" && !d.VerdictOn.Before(trialStart) {
				o.c.TrialDays = append(o.c.TrialDays, float64(weekdays(trialStart.Date(), d.VerdictOn.Date())))
				break
			}
		}
	}
}

// weekdays counts Monday–Friday days from a to b inclusive.
func weekdays(a, b time.Time) int {
	n := 0
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// Calibration returns the fitted facts. Courtrooms are not in the record:
// the caller supplies them (the built-in scenario's, unless told otherwise).
func (o *Observer) Calibration(general, specialist int) sim.Calibration {
	c := o.c
	c.Name = "calibrated from the case record"
	c.ArrivalsPerDay = float64(o.sent) / o.asOf.Sub(o.window).Hours() * 24
	c.GeneralRooms, c.SpecialistRooms = general, specialist
	if o.trialListings > 0 {
		c.CrackedRate = float64(o.cracked) / float64(o.trialListings)
		c.IneffectiveRate = float64(o.ineffective) / float64(o.trialListings)
	}
	if o.waitYears > 0 {
		c.WithdrawalsPerYearWaiting = float64(o.withdrawals) / o.waitYears
	}
	c.Notes = append(c.Notes,
		fmt.Sprintf("Fitted on %s from %d cases: %d sent to the Crown Court in the year before, %d trial listings (%d cracked, %d ineffective), %d withdrawals over %.0f case-years of waiting, %d awaiting trial.",
			o.asOf.Format(time.DateOnly), o.cases, o.sent, o.trialListings, o.cracked, o.ineffective, o.withdrawals, o.waitYears, c.InitialBacklog),
		"Courtrooms are not recorded in the case store; they are taken from the built-in scenario unless given.")
	return c
}
