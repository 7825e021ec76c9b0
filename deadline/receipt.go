package deadline

import "throughline"

// When the Witness Care Unit received the news. The Victims' Code gives the
// Witness Care Unit its days "of them receiving the information" from the
// court or the CPS (Rights 8 and 9), and the court its own days to send a
// result. A news_received records the receipt, as its own event, because
// the event itself may have been recorded by the CPS, or before the Witness
// Care Unit heard of it: recorded_at says when the recording agency
// learned of it, not when the Witness Care Unit did.

// receipts works out, for every event, when the Witness Care Unit received
// its news: the first news_received about its type, on or after the day it
// occurred, naming the same hearing, defendant and complainant where it
// names any. An event whose receipt nobody recorded was received when it
// was recorded (recorded_at), as before news_received existed.
func (s *state) receipts() {
	for k := range s.evs {
		e := &s.evs[k]
		e.recv, e.recvBy = e.rec, -1
		if e.typ == throughline.TypeNewsReceived {
			continue
		}
		for j := range s.evs {
			n := &s.evs[j]
			if n.typ == throughline.TypeNewsReceived && n.kind == e.typ && n.occ >= e.occ && newsOf(n, e) {
				e.recv, e.recvBy = n.occ, j
				break
			}
		}
	}
}

// newsOf reports whether news_received n names nothing that e does not.
func newsOf(n, e *ev) bool {
	return (n.hearing == "" || n.hearing == e.hearing) && (n.def == "" || n.def == e.def) && (n.comp == "" || n.comp == e.comp)
}

func receiptRows() []Rule {
	return []Rule{{
		ID: CourtResult, Version: "VC2020", Title: "The court sends the result of a hearing to the Witness Care Unit",
		Source: "Code of Practice for Victims of Crime in England and Wales (2020), Right 8.1: the Witness Care Unit tells the victim " +
			"of receiving the information from the court, \"which will be within five working days of the outcome of the relevant hearing\"",
		Starts: []string{"hearing_held", "verdict", "sentenced", "remand_status_changed", "bail_conditions_changed", "warrant_issued"},
		From:   FromOccurred, Protects: "complainant", Subject: "case", Owner: "court",
		Unit: WorkingDays, Days: 5, MetBy: []string{throughline.TypeNewsReceived}, DueSoon: 2,
		EffectiveFrom: vc2020.from,
		Notes: "From the hearing's outcome (occurred_at), met by the Witness Care Unit's news_received from the court about it. " +
			"The court is not a Throughline user: the record of its duty is the Witness Care Unit's receipt, so an outcome whose receipt " +
			"nobody recorded stays open, never met in silence, and one the WCU heard of from the CPS leaves the court's duty unmet. " +
			"An effective trial or sentence hearing starts no duty: its result is the verdict or the sentence. " +
			"Source read in a police and crime commissioner's summary of Right 8, not the Code's own text: to confirm.",
	}}
}

// courtResults adds the court's duty to send each outcome to the Witness
// Care Unit, met by the WCU's receipt of it from the court.
func (s *state) courtResults() {
	rs := s.rules.get(CourtResult)
	for k := range s.evs {
		e := &s.evs[k]
		if !rs.startedBy(e) {
			continue
		}
		if h, ok := e.data.(*throughline.HearingHeld); ok && !throughline.HearingOutcomeIsNews(e.kind, h.Outcome) {
			continue
		}
		start := rs.clockStart(e)
		d, r := newDeadline(rs, "case", s.concerning(e), e, start)
		if r != nil {
			dd := due(r, start, r.Days)
			d.Due = dd.Time()
			if e.recvBy >= 0 {
				if n := &s.evs[e.recvBy]; fromCourt(n) {
					meet(&d, dd, n.occ, n.typ, n.v)
				}
			}
		}
		s.out = append(s.out, d)
	}
}

func fromCourt(n *ev) bool {
	d, ok := n.data.(*throughline.NewsReceived)
	return ok && d.From == "court"
}
