package deadline

import (
	"fmt"
	"slices"
	"time"

	"throughline"
	"throughline/calendar"
)

// Information requests: before the police (or another authority) ask a
// third party for information about a victim (counselling notes, medical,
// education or social care records, a phone), the victim must be given
// notice of the request in writing (PCSCA 2022 s.44B(2)): on or before the
// day it is made (s.44B(3)(a)), or, if that is not reasonably practicable,
// as soon as is reasonably practicable after (s.44B(3)(b)). None is due
// where the authorised person considers the s.44B(5) exception applies.
// The duty is a notice, due on or before the request (NoticeBefore), so a
// notice given in advance meets it.

var ch3AInForce = date(2026, time.January, 12) // PCSCA 2022 Ch. 3A (Victims and Prisoners Act 2024)

// writtenChannels are the ways of telling that are notice "in writing"
// (s.44B(2)): the Interpretation Act 1978, Schedule 1, reads writing as any
// mode of representing words in a visible form. A phone call or a
// conversation in person is not notice under the section.
// The domain holds the list: sending a request waits for the same notice.
var writtenChannels = throughline.WrittenChannels

func requestRows() []Rule {
	return []Rule{{
		ID: InfoRequestNotice, Version: "PCSCA2022", Title: "Victim given notice in writing of a request for information about them",
		Source: "Police, Crime, Sentencing and Courts Act 2022 s.44B(2), (3) and (5) (Chapter 3A, inserted by the Victims and Prisoners Act 2024 s.28), in force 12 January 2026",
		Starts: []string{TypeInformationRequested}, From: FromOccurred, Protects: "complainant", Subject: "complainant", Owner: "police",
		Unit: CalendarDays, Days: 0, MetBy: []string{"victim_informed"}, About: []string{TypeInformationRequested},
		NoticeBefore: true, DueSoon: 0, EffectiveFrom: ch3AInForce,
		Notes: "Due on or before the request (s.44B(3)(a)): the day it is sent to the holder (information_request_sent), and until it is sent, " +
			"the day it was drafted (information_requested), so that the notice can go first; a request withdrawn before it was sent was never made, and owes none. " +
			"A child's notice is given to a parent or guardian, a representative of the authority caring for her, or another appropriate adult (s.44B(4)): one to her own address does not meet it. Only a notice in writing meets it (s.44B(2): letter, email, text message or the portal, " +
			"not a phone call or a conversation). Where the police record, on or before the notice, that notice by the request was not reasonably " +
			"practicable (information_notice_exception later_notice), it is due as soon as reasonably practicable after (s.44B(3)(b)): no fixed day, " +
			"so it is shown as needing attention until given, and a later notice is met, not late. Where they record that s.44B(5) applies " +
			"(no_notice, with their grounds), none is due. A notice naming its request meets that request's duty only; one that does not (recorded by hand, or before notices named their request) is paired in date order: " +
			"a notice given after the previous request and on or before this one is on time; otherwise the first unused notice after it is late. " +
			"The exact wording of the s.44B(5) conditions was not read in full (the text found breaks off): the grounds are recorded as the police give them.",
	}}
}

// informationRequests adds, per complainant, a notice deadline for each
// request for information about them (a request naming no complainant is
// about each). A notice that names its request (every notice the
// dispatcher delivers does) meets that request's deadline only. A notice that does
// not (one recorded by hand, or before notices named their request) is
// paired in date order, erring against claiming compliance: it meets the
// unmet requests made the same day; else the latest unmet request before it
// (late, unless a later notice was recorded as not reasonably practicable
// before it); else the next request after it (in advance, on time).
func (s *state) informationRequests() {
	rs := s.rules.get(InfoRequestNotice)
	if !slices.ContainsFunc(s.evs, func(e ev) bool { return rs.startedBy(&e) }) {
		return
	}
	for ci := range s.comps {
		c := &s.comps[ci]
		first := len(s.out)
		var met []*Rule           // the version of each request's deadline
		var later []calendar.Day  // the day a later notice was recorded as not reasonably practicable, or noDay
		var ids []string          // each request's id
		var sentOn []calendar.Day // the day each request was sent to the holder, or noDay
		for k := range s.evs {
			e := &s.evs[k]
			if !rs.startedBy(e) || !e.concernsComp(c.id) {
				continue
			}
			id := ""
			if r, ok := e.data.(*throughline.InformationRequested); ok {
				id = r.RequestID
			}
			start := rs.clockStart(e)
			d, r := newDeadline(rs, c.subject, "", e, start)
			l, sent := noDay, noDay
			if r != nil {
				// The request is made when it is sent to the holder (s.44A(2)):
				// once it is, notice is due on or before that day. Until then
				// it is due by the day it was drafted, so that it can go first.
				if x := s.requestStep(c.id, id, throughline.TypeInformationRequestSent); x != nil {
					sent = rs.clockStart(x)
					start = sent
				}
				d.Due = due(r, start, r.Days).Time()
				switch x := s.noticeException(c.id, e); {
				case x == nil:
				case x.kind == throughline.NoticeNone:
					d.NotApplicable = fmt.Sprintf("no notice is due: on %s the police recorded that the s.44B(5) exception applies, with their grounds", x.occ)
				default:
					l = x.occ
				}
				if w := s.requestStep(c.id, id, throughline.TypeInformationRequestWithdrawn); w != nil && sent == noDay && d.NotApplicable == "" {
					d.NotApplicable = fmt.Sprintf("no notice is due: the request was withdrawn on %s before it was sent, so it was never made", w.occ)
				}
			}
			s.out = append(s.out, d)
			met = append(met, r)
			later = append(later, l)
			ids = append(ids, id)
			sentOn = append(sentOn, sent)
		}
		reqs := s.out[first:]
		open := func(j int) bool { return reqs[j].NotApplicable == "" && reqs[j].MetAt.IsZero() }
		for k := range s.evs {
			x := &s.evs[k]
			if !x.concernsComp(c.id) || !written(x) || !reaches(c, x) || !slices.ContainsFunc(met, func(r *Rule) bool { return r != nil && r.met.match(x) }) {
				continue
			}
			N := x.occ
			target := noDay
			named := x.data.(*throughline.VictimInformed).RequestID
			for j := range reqs {
				if open(j) && (named != "" && named == ids[j] || named == "" && calendar.DayOf(reqs[j].Starts) == N) {
					target = calendar.DayOf(reqs[j].Starts)
				}
			}
			if target == noDay && named == "" {
				for j := range reqs {
					if open(j) && calendar.DayOf(reqs[j].Starts) < N {
						target = calendar.DayOf(reqs[j].Starts)
					}
				}
			}
			if target == noDay && named == "" {
				for j := range reqs {
					if open(j) && calendar.DayOf(reqs[j].Starts) > N {
						target = calendar.DayOf(reqs[j].Starts)
						break
					}
				}
			}
			for j := range reqs {
				if !open(j) || calendar.DayOf(reqs[j].Starts) != target || named != "" && named != ids[j] || !met[j].met.match(x) {
					continue
				}
				dueDay := target
				if sentOn[j] != noDay {
					dueDay = sentOn[j]
				}
				if later[j] != noDay && later[j] <= N && N > dueDay {
					// s.44B(3)(b): as soon as reasonably practicable after.
					reqs[j].Due, dueDay = time.Time{}, noDay
				}
				meet(&reqs[j], dueDay, N, x.typ, x.v)
			}
		}
		for j := range reqs {
			if open(j) && later[j] != noDay {
				reqs[j].Due = time.Time{} // no fixed day: s.44B(3)(b)
				reqs[j].Alert = fmt.Sprintf("on %s the police recorded that notice by the request was not reasonably practicable: "+
					"give it in writing as soon as is reasonably practicable (s.44B(3)(b))", later[j])
			}
		}
	}
}

// written reports whether telling x was in writing (s.44B(2)).
func written(x *ev) bool {
	d, ok := x.data.(*throughline.VictimInformed)
	return ok && slices.Contains(writtenChannels, d.Channel)
}

// reaches reports whether notice x reached complainant c: a child's is given
// to a parent, guardian, carer's representative or appropriate adult
// (s.44B(4)), not to her.
func reaches(c *complainant, x *ev) bool {
	d, ok := x.data.(*throughline.VictimInformed)
	return ok && throughline.NoticeReaches(c.dateOfBirth, x.occ.Time(), d.Recipient)
}

// requestStep returns the first event of type typ in the workflow of
// request id about complainant comp, or nil.
func (s *state) requestStep(comp, id, typ string) *ev {
	for k := range s.evs {
		x := &s.evs[k]
		if x.typ != typ || x.comp != comp {
			continue
		}
		switch d := x.data.(type) {
		case *throughline.InformationRequestSent:
			if d.RequestID == id {
				return x
			}
		case *throughline.InformationRequestWithdrawn:
			if d.RequestID == id {
				return x
			}
		}
	}
	return nil
}

// noticeException returns the first exception to notice recorded for
// request e about complainant comp, or nil.
func (s *state) noticeException(comp string, e *ev) *ev {
	req, ok := e.data.(*throughline.InformationRequested)
	if !ok {
		return nil
	}
	for k := range s.evs {
		x := &s.evs[k]
		if d, ok := x.data.(*throughline.InformationNoticeException); ok && d.RequestID == req.RequestID && x.comp == comp {
			return x
		}
	}
	return nil
}
