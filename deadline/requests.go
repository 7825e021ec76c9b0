package deadline

import (
	"slices"
	"time"

	"throughline/calendar"
)

// Information requests: before the police (or another authority) ask a
// third party for information about a victim (counselling notes, medical,
// education or social care records, a phone), the victim must be given
// notice of the request. The duty is a notice, due on or before the request
// (NoticeBefore), so a notice given in advance meets it.

var ch3AInForce = date(2026, time.January, 12) // PCSCA 2022 Ch. 3A (Victims and Prisoners Act 2024)

func requestRows() []Rule {
	return []Rule{{
		ID: InfoRequestNotice, Version: "PCSCA2022", Title: "Victim given notice of a request for information about them",
		Source: "Police, Crime, Sentencing and Courts Act 2022 s.44B (Chapter 3A, inserted by the Victims and Prisoners Act 2024), in force 12 January 2026",
		Starts: []string{TypeInformationRequested}, From: FromOccurred, Protects: "complainant", Subject: "complainant", Owner: "police",
		Unit: CalendarDays, Days: 0, MetBy: []string{"victim_informed"}, About: []string{TypeInformationRequested},
		NoticeBefore: true, DueSoon: 0, EffectiveFrom: ch3AInForce,
		Notes: "Due on or before the request. Notices and requests are paired in date order: a notice given after the previous request and on or before this one is on time; otherwise the first unused notice after it is late.",
	}}
}

// informationRequests adds, per complainant, a notice deadline for each
// request for information about them (a request naming no complainant is
// about each). Notices do not (yet) say which request they are for, so they
// are paired in date order, erring against claiming compliance: a notice
// meets the unmet requests made the same day; else the latest unmet request
// before it (late); else the next request after it (in advance, on time).
func (s *state) informationRequests() {
	rs := s.rules.get(InfoRequestNotice)
	if !slices.ContainsFunc(s.evs, func(e ev) bool { return rs.startedBy(&e) }) {
		return
	}
	for ci := range s.comps {
		c := &s.comps[ci]
		first := len(s.out)
		var met []*Rule // the version of each request's deadline
		for k := range s.evs {
			e := &s.evs[k]
			if !rs.startedBy(e) || !e.concernsComp(c.id) {
				continue
			}
			start := rs.clockStart(e)
			d, r := newDeadline(rs, c.subject, "", e, start)
			if r != nil {
				d.Due = due(r, start, r.Days).Time()
			}
			s.out = append(s.out, d)
			met = append(met, r)
		}
		reqs := s.out[first:]
		open := func(j int) bool { return reqs[j].NotApplicable == "" && reqs[j].MetAt.IsZero() }
		for k := range s.evs {
			x := &s.evs[k]
			if !x.concernsComp(c.id) || !slices.ContainsFunc(met, func(r *Rule) bool { return r != nil && r.met.match(x) }) {
				continue
			}
			N := x.occ
			target := noDay
			for j := range reqs {
				if open(j) && calendar.DayOf(reqs[j].Starts) == N {
					target = N
				}
			}
			if target == noDay {
				for j := range reqs {
					if open(j) && calendar.DayOf(reqs[j].Starts) < N {
						target = calendar.DayOf(reqs[j].Starts)
					}
				}
			}
			if target == noDay {
				for j := range reqs {
					if open(j) && calendar.DayOf(reqs[j].Starts) > N {
						target = calendar.DayOf(reqs[j].Starts)
						break
					}
				}
			}
			for j := range reqs {
				if open(j) && calendar.DayOf(reqs[j].Starts) == target && met[j].met.match(x) {
					meet(&reqs[j], target, N, x.typ, x.v)
				}
			}
		}
	}
}
