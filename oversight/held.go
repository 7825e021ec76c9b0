package oversight

import (
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/calendar"
	"throughline/deadline"
)

// Who each case was waiting on, and custody time limits met with little
// to spare (docs/measures.md, "Days held per agency" and "Custody time
// limits: near misses"; ADR 0403).

// HeldFrom is the party a case waited on from a day until the next
// HeldFrom's day (Facts.Held).
type HeldFrom struct {
	From  calendar.Day      `json:"from"`
	Party attribution.Party `json:"party"`
}

// openEnded is the day package attribution is asked to attribute to: later
// than any case, so that an open case's last party runs on until the
// period asked for ends. Attribution is a day-by-day fold of the events
// before each day, so a day's party does not depend on how far on it is
// asked.
var openEnded = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// heldFacts is the case's days by party, by package attribution's one rule
// (attribution.Spans), as the points where the party changed, and the day
// its days end (its closing day; None while it is open).
func heldFacts(events []throughline.Event) ([]HeldFrom, calendar.Day) {
	r := attribution.Spans(events, openEnded)
	var out []HeldFrom
	for _, s := range r.Spans {
		if n := len(out); n > 0 && out[n-1].Party == s.Party {
			continue
		}
		out = append(out, HeldFrom{From: calendar.Day(s.From), Party: s.Party})
	}
	end := None
	if r.Closed {
		end = calendar.Day(r.End)
	}
	return out, end
}

// DaysHeld is, over the days of the period, how many days the cases open on
// them were waiting on each party.
type DaysHeld struct {
	Cases int                `json:"cases"` // cases open on at least one day of the period
	Days  attribution.Days   `json:"days"`
	Share attribution.Floats `json:"share"` // each party's share of the days, 0 to 1
}

// addHeld counts the case's days in [from, to] by party, n times, and
// says whether it was open on any of them (DaysHeld.Cases is the caller's).
func (d *DaysHeld) addHeld(f *Facts, from, to calendar.Day, n int) bool {
	if len(f.Held) == 0 {
		return false
	}
	last := to
	if f.HeldEnd != None && f.HeldEnd-1 < last {
		last = f.HeldEnd - 1 // the closing day is not counted
	}
	counted := false
	for i, h := range f.Held {
		end := last
		if i+1 < len(f.Held) {
			end = min(end, f.Held[i+1].From-1)
		}
		if days := int(end-max(h.From, from)) + 1; days > 0 {
			if d != nil {
				d.Days.Add(h.Party, n*days)
			}
			counted = true
		}
	}
	return counted
}

// finish sets the shares.
func (d *DaysHeld) finish() {
	total := d.Days.Total()
	if total == 0 {
		return
	}
	share := func(p attribution.Party) float64 { return float64(d.Days.Of(p)) / float64(total) }
	d.Share = attribution.Floats{Police: share(attribution.Police), CPS: share(attribution.CPS), Court: share(attribution.Court),
		Defence: share(attribution.Defence), Complainant: share(attribution.Complainant), Nobody: share(attribution.Nobody)}
}

// NearMissDays is how close to its expiry a custody time limit may be met
// and still count as a near miss: 7 calendar days. An application to extend
// a limit must be made before it expires (Prosecution of Offences (Custody
// Time Limits) Regulations 1987 reg. 7(1), (2)), on at least 2 days'
// written notice (reg. 7(4)), and the Crown Court hears it no sooner than 5
// days after the notice (CrimPR r.14.18(2)(a)): with 7 days or fewer left,
// a limit that slipped could no longer be extended in the ordinary way. It
// is also the deadline engine's last warning (deadline.Rules: 28, 14, 7).
const NearMissDays = 7

// CustodyLimits counts the custody time limits the cases moved past in the
// period, and of those the near misses.
type CustodyLimits struct {
	WithinDays int      `json:"within_days"` // NearMissDays
	Met        int      `json:"met"`         // limits met on or before their expiry, on a day in the period
	NearMisses int      `json:"near_misses"` // of those, met with NearMissDays or fewer to spare
	Rate       *float64 `json:"rate"`        // near_misses / met
}

// addLimits counts the case's custody time limits met in [from, to], n times.
func (c *CustodyLimits) addLimits(f *Facts, from, to calendar.Day, n int) {
	for _, d := range f.Deadlines {
		if (d.Rule != deadline.CTLMagistrates && d.Rule != deadline.CTLCrown) || !in(d.Met, from, to) || d.Met > d.Due {
			continue
		}
		c.Met += n
		if d.Due-d.Met <= NearMissDays {
			c.NearMisses += n
		}
	}
}
