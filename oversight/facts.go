package oversight

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/calendar"
	"throughline/deadline"
)

// None is the Day of a fact that has not happened (yet).
const None calendar.Day = math.MinInt32

// Dated is something that happened on a day: a charging decision, a
// prosecution stopped, a verdict.
type Dated struct {
	On   calendar.Day `json:"on"`
	What string       `json:"what"` // the decision, how, or result
}

// TrialHearing is a trial hearing that sat (hearing_held of a hearing listed
// as kind "trial").
type TrialHearing struct {
	On      calendar.Day `json:"on"`
	Outcome string       `json:"outcome"` // effective, cracked, ineffective
	Reason  string       `json:"reason,omitempty"`
}

// DeadlineFact is one applicable, computable deadline of the case, as
// deadline.Compute gives it: enough to count it in deadline.Compliance.
type DeadlineFact struct {
	Rule  string       `json:"rule"`
	Owner string       `json:"owner"`
	Due   calendar.Day `json:"due"`
	Met   calendar.Day `json:"met"` // None if not met
}

// Facts are what the measures need to know of one case, extracted from its
// events alone (Extract). Every measure is an aggregation over Facts, so an
// incremental roll-up that keeps each case's Facts up to date as events are
// appended produces exactly the reference figures.
//
// Days are London calendar days of the events' occurred_at; None when the
// thing has not happened. "First" means the earliest occurred_at day.
type Facts struct {
	Case string `json:"case"`

	// Breakdowns, fixed at the report (case_opened) except Court.
	Force     string `json:"force"`     // PNC code
	Area      string `json:"area"`      // CPS area id
	Offence   string `json:"offence"`   // HO code of the first offence reported
	Sex       string `json:"sex"`       // of the first complainant listed; "not_recorded" if blank
	Ethnicity string `json:"ethnicity"` // of the first complainant listed; "not_recorded" if blank
	AgeBand   string `json:"age_band"`  // of the first complainant at the report (AgeBand)
	Court     string `json:"court"`     // Crown Court of the first sending; "not_sent" if none

	Reported        calendar.Day `json:"reported"`          // case_opened
	FileForDecision calendar.Day `json:"file_for_decision"` // first file_submitted (charging_decision) of Decision's suspect, on or before Decision
	Decision        calendar.Day `json:"decision"`          // first charging_decision "charge" or "no_further_action"
	Charged         calendar.Day `json:"charged"`           // first charged
	FirstHearing    calendar.Day `json:"first_hearing"`     // first hearing_held on or after Charged
	Sent            calendar.Day `json:"sent"`              // first sent_to_crown_court
	TrialStarted    calendar.Day `json:"trial_started"`     // first trial_started
	Completed       calendar.Day `json:"completed"`         // charged cases: every charged defendant disposed of, or case_closed if earlier
	Closed          calendar.Day `json:"closed"`            // first case_closed
	Last            calendar.Day `json:"last"`              // latest day of any event

	// Outcome at Completed: convicted, stopped, acquitted or closed ("" if
	// not completed).
	Outcome string `json:"outcome,omitempty"`

	// Attrition: the case left the process without a conviction.
	ExitStage  string       `json:"exit_stage,omitempty"`  // pre_charge or post_charge
	ExitReason string       `json:"exit_reason,omitempty"` // see docs/measures.md
	Exit       calendar.Day `json:"exit"`
	// ExitAfterWithdrawal: a post-charge exit after the complainant withdrew.
	ExitAfterWithdrawal bool `json:"exit_after_withdrawal,omitempty"`
	// WithdrewAfterCharge is the first complainant_withdrew on or after Charged.
	WithdrewAfterCharge calendar.Day `json:"withdrew_after_charge"`

	// Adjournments counts trial listings that did not go ahead as listed.
	Adjournments int `json:"adjournments"`

	Decisions []Dated        `json:"decisions,omitempty"` // every charging_decision
	Stops     []Dated        `json:"stops,omitempty"`     // every prosecution_stopped
	Verdicts  []Dated        `json:"verdicts,omitempty"`  // every verdict
	Trials    []TrialHearing `json:"trials,omitempty"`    // every trial hearing that sat
	Deadlines []DeadlineFact `json:"deadlines,omitempty"`

	// Requests are the victim information requests about any complainant
	// of the case, Devices the requests to extract from her device, in the
	// order of the complainants and then of the requests (requests.go).
	Requests []RequestFact `json:"requests,omitempty"`
	Devices  []DeviceFact  `json:"devices,omitempty"`

	// Held is who the case was waiting on, by package attribution's rule:
	// each party from its day until the next one's, up to HeldEnd, the
	// case's closing day (not counted; None while it is open) (held.go).
	Held    []HeldFrom   `json:"held,omitempty"`
	HeldEnd calendar.Day `json:"held_end"`

	// Attribution is the case's attribution kept for `throughline
	// attribution --from --to` and the unit dashboard: every rule's days,
	// the closing, the first charge and the first trial (ADR 0303). Nil in a
	// record written before it was kept: that case is read from its log.
	Attribution *attribution.Kept `json:"attribution,omitempty"`
	// Quality is every file-quality assessment of the case: its day and
	// outcome (acceptable or not_acceptable), for the unit dashboard's
	// national comparison.
	Quality []Dated `json:"quality,omitempty"`
}

// Age bands at the report.
const (
	AgeUnder13  = "under_13"
	Age13to15   = "13_15"
	Age16to17   = "16_17"
	Age18to24   = "18_24"
	Age25to34   = "25_34"
	Age35to44   = "35_44"
	Age45to54   = "45_54"
	Age55Plus   = "55_plus"
	AgeUnknown  = "unknown"
	notRecorded = "not_recorded"
	notSent     = "not_sent"
)

// AgeBands lists the age bands in order.
var AgeBands = []string{AgeUnder13, Age13to15, Age16to17, Age18to24, Age25to34, Age35to44, Age45to54, Age55Plus, AgeUnknown}

// AgeBand returns the band of the age in whole years on the day reported of
// someone born on dob (YYYY-MM-DD). A missing, erased or malformed date of
// birth, or one after the report, is AgeUnknown.
func AgeBand(dob string, reported calendar.Day) string {
	b, err := time.Parse(time.DateOnly, dob)
	if err != nil || reported == None {
		return AgeUnknown
	}
	by, bm, bd := b.Date()
	ry, rm, rd := reported.Civil()
	age := ry - by
	if rm < bm || (rm == bm && rd < bd) {
		age--
	}
	switch {
	case age < 0:
		return AgeUnknown
	case age < 13:
		return AgeUnder13
	case age < 16:
		return Age13to15
	case age < 18:
		return Age16to17
	case age < 25:
		return Age18to24
	case age < 35:
		return Age25to34
	case age < 45:
		return Age35to44
	case age < 55:
		return Age45to54
	}
	return Age55Plus
}

// dayOf is the London calendar day of w.
func dayOf(w throughline.When) calendar.Day {
	if w.IsZero() {
		return None
	}
	return calendar.DayOf(w.Date())
}

// earliest returns the earlier of two days, None counting as later than any.
func earliest(a, b calendar.Day) calendar.Day {
	if a == None || (b != None && b < a) {
		return b
	}
	return a
}

// Extract reads one case's events (in log order) and returns its Facts.
// It is O(events) apart from deadline.Compute, and depends on the order
// of the events only to break ties between events of the same day.
func Extract(events []throughline.Event) Facts {
	return extract(events, deadline.Compute(events))
}

// Record is the case's record in the store's roll-up (Records gives it to
// the store, with its narrow record): its Facts as
// JSON, from its events in log order and the deadlines deadline.Compute
// gave them, which the store has already computed for its projection.
// Decode reads it back; the figures from decoded records are Extract's.
//
// To keep the 700,000 records of a national record small to read, a record
// leaves out its days that are None (docs/adr/0257); Decode reads them so.
func Record(events []throughline.Event, ds []throughline.Deadline) []byte {
	f := extract(events, ds)
	return record(&f)
}

// Records are the case's record (Record) and its narrow record (Narrow),
// from the one extraction: the throughline.Measurer package wire gives the
// store.
func Records(events []throughline.Event, ds []throughline.Deadline) (rec, narrow []byte) {
	f := extract(events, ds)
	return record(&f), Narrow(&f)
}

func record(f *Facts) []byte {
	b, err := json.Marshal(f)
	if err != nil {
		panic(err) // Facts holds only strings, numbers and slices of them
	}
	return dropNone(b)
}

// Decode reads a case's record in the roll-up (Record), in the form it has
// now or in the earlier one (every day written, None too).
func Decode(record []byte) (Facts, error) {
	var f Facts
	err := decode(record, nil, &f)
	return f, err
}

// decode is Decode into f, interning strings in strs (quickDecode).
func decode(record []byte, strs map[string]string, f *Facts) error {
	if quickDecode(record, f, strs) {
		return nil
	}
	if err := json.Unmarshal(record, f); err != nil { // all of *f, from noneFacts
		*f = Facts{}
		return fmt.Errorf("a case's facts in the roll-up: %w", err)
	}
	return nil
}

// UnmarshalJSON reads a record with encoding/json, as Decode reads it: a
// day left out is None.
func (f *Facts) UnmarshalJSON(b []byte) error {
	type plain Facts // without this method
	p := plain(noneFacts())
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*f = Facts(p)
	return nil
}

// noneFacts are the Facts of a case of which nothing has happened: every
// day None.
func noneFacts() Facts {
	return Facts{Reported: None, FileForDecision: None, Decision: None, Charged: None, FirstHearing: None, Sent: None,
		TrialStarted: None, Completed: None, Closed: None, Last: None, Exit: None, WithdrewAfterCharge: None, HeldEnd: None}
}

// DecodeAll decodes every record each yields (a store's EachCaseFacts, the
// roll-up read whole), in its order. each's records must be DecodeAll's to
// keep, as a store's are.
//
// The records are decoded beside the reading, in batches, by a goroutine
// per processor, with only a few batches waiting at a time; the batches'
// facts are joined once at the end, in order, rather than regrowing (and
// copying again and again) one slice of 700,000 big structs.
func DecodeAll(each func(fn func(record []byte) error) error) ([]Facts, error) {
	type batch struct {
		recs  [][]byte
		facts []Facts
		err   error
	}
	const size = 4096
	var (
		batches []*batch
		todo    = make(chan *batch, 2)
		failed  atomic.Bool
		wg      sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			strs := map[string]string{}
			for b := range todo {
				b.facts = make([]Facts, len(b.recs))
				for i, rec := range b.recs {
					if b.err = decode(rec, strs, &b.facts[i]); b.err != nil {
						failed.Store(true)
						break
					}
				}
				b.recs = nil
			}
		})
	}
	b := &batch{}
	send := func() {
		batches = append(batches, b)
		todo <- b
		b = &batch{}
	}
	err := each(func(rec []byte) error {
		if failed.Load() {
			return errStopped
		}
		if b.recs = append(b.recs, rec); len(b.recs) == size {
			send()
		}
		return nil
	})
	if len(b.recs) > 0 {
		send()
	}
	close(todo)
	wg.Wait()
	n := 0
	for _, b := range batches {
		if b.err != nil {
			return nil, b.err // the first record that failed
		}
		n += len(b.facts)
	}
	if err != nil {
		return nil, err
	}
	out := make([]Facts, 0, n)
	for _, b := range batches {
		out = append(out, b.facts...)
		b.facts = nil
	}
	return out, nil
}

// errStopped stops reading the roll-up once a record has failed to decode.
var errStopped = errors.New("stopped")

// extract is Extract given the case's deadlines.
func extract(events []throughline.Event, ds []throughline.Deadline) Facts {
	f := noneFacts()
	f.Court, f.Sex, f.Ethnicity, f.AgeBand = notSent, notRecorded, notRecorded, AgeUnknown
	if len(events) == 0 {
		return f
	}
	f.Case = events[0].Case
	type listing struct {
		kind   string
		starts string
		state  byte // 'l' listed, 'v' vacated, 'h' held
	}
	hearings := map[string]*listing{}
	charged := map[string]bool{}         // defendant ids charged
	final := map[string]calendar.Day{}   // defendant → first final outcome
	convict := map[string]calendar.Day{} // defendant → first conviction
	var withdrawals, held []calendar.Day
	var decisionSuspect string
	type file struct {
		suspect string
		on      calendar.Day
	}
	var files []file
	nfa := None
	for _, e := range events {
		d := dayOf(e.OccurredAt)
		if f.Last == None || d > f.Last {
			f.Last = d
		}
		switch x := e.Data.(type) {
		case *throughline.CaseOpened:
			if f.Reported != None && d >= f.Reported {
				break
			}
			f.Reported, f.Force, f.Area = d, x.Force, x.CPSArea
			if len(x.Offences) > 0 {
				f.Offence = x.Offences[0].HOCode
			}
			if len(x.Complainants) > 0 {
				c := x.Complainants[0]
				f.Sex, f.Ethnicity = orNotRecorded(c.Sex), orNotRecorded(c.Ethnicity)
				f.AgeBand = AgeBand(c.DateOfBirth, d)
			}
		case *throughline.CaseErased:
			// Her date of birth is gone: the band worked out before it went.
			if f.AgeBand == AgeUnknown && slices.Contains(AgeBands, x.AgeBandAtReport) {
				f.AgeBand = x.AgeBandAtReport
			}
		case *throughline.FileSubmitted:
			if x.Purpose == "charging_decision" {
				files = append(files, file{x.SuspectID, d})
			}
		case *throughline.ChargingDecision:
			f.Decisions = append(f.Decisions, Dated{d, x.Decision})
			if x.Decision != "further_investigation" && (f.Decision == None || d < f.Decision) {
				f.Decision, decisionSuspect = d, x.SuspectID
			}
			if x.Decision == "no_further_action" {
				nfa = earliest(nfa, d)
			}
		case *throughline.Charged:
			f.Charged = earliest(f.Charged, d)
			charged[x.DefendantID] = true
		case *throughline.SentToCrownCourt:
			if f.Sent == None || d < f.Sent {
				f.Sent, f.Court = d, x.Court
			}
		case *throughline.HearingListed:
			h := hearings[x.HearingID]
			switch {
			case h == nil:
				hearings[x.HearingID] = &listing{kind: x.Kind, starts: x.StartsAt, state: 'l'}
			case h.state == 'l' && h.starts != x.StartsAt:
				// A trial listing moved to another date: adjourned.
				if h.kind == "trial" || x.Kind == "trial" {
					f.Adjournments++
				}
				h.kind, h.starts = x.Kind, x.StartsAt
			default:
				h.kind, h.starts, h.state = x.Kind, x.StartsAt, 'l'
			}
		case *throughline.HearingVacated:
			if h := hearings[x.HearingID]; h != nil && h.state == 'l' {
				if h.kind == "trial" {
					f.Adjournments++
				}
				h.state = 'v'
			}
		case *throughline.HearingHeld:
			held = append(held, d)
			if h := hearings[x.HearingID]; h != nil {
				h.state = 'h'
				if h.kind == "trial" {
					f.Trials = append(f.Trials, TrialHearing{d, x.Outcome, x.Reason})
					if x.Outcome == "ineffective" {
						f.Adjournments++
					}
				}
			}
		case *throughline.TrialStarted:
			f.TrialStarted = earliest(f.TrialStarted, d)
		case *throughline.Verdict:
			f.Verdicts = append(f.Verdicts, Dated{d, x.Result})
			switch x.Result {
			case "guilty", "guilty_plea":
				convict[x.DefendantID] = earliest(get(convict, x.DefendantID), d)
				final[x.DefendantID] = earliest(get(final, x.DefendantID), d)
			case "not_guilty":
				final[x.DefendantID] = earliest(get(final, x.DefendantID), d)
			}
		case *throughline.ProsecutionStopped:
			f.Stops = append(f.Stops, Dated{d, x.How})
			if x.How != "charge_altered" {
				final[x.DefendantID] = earliest(get(final, x.DefendantID), d)
			}
		case *throughline.ComplainantWithdrew:
			withdrawals = append(withdrawals, d)
		case *throughline.CaseClosed:
			f.Closed = earliest(f.Closed, d)
		case *throughline.FileQualityAssessed:
			f.Quality = append(f.Quality, Dated{d, x.Outcome})
		}
	}
	// CPS receipt: the first file for a decision on the decided suspect.
	if f.Decision != None {
		for _, fl := range files {
			if fl.suspect == decisionSuspect && fl.on <= f.Decision {
				f.FileForDecision = earliest(f.FileForDecision, fl.on)
			}
		}
	}
	switch {
	case f.Charged != None && (f.Closed == None || f.Closed >= f.Charged):
		for _, h := range held {
			if h >= f.Charged {
				f.FirstHearing = earliest(f.FirstHearing, h)
			}
		}
		for _, w := range withdrawals {
			if w >= f.Charged {
				f.WithdrewAfterCharge = earliest(f.WithdrewAfterCharge, w)
			}
		}
		f.complete(charged, final, convict)
	case f.Closed != None:
		// Closed without a charge (or, in a log only an import could
		// hold, charged after closing: the closure decides).
		f.preChargeExit(withdrawals, nfa)
	}
	f.Deadlines = deadlineFacts(ds)
	f.Requests, f.Devices = requestFacts(events)
	f.Held, f.HeldEnd = heldFacts(events)
	k := attribution.Keep(events)
	f.Attribution = &k
	return f
}

func get(m map[string]calendar.Day, k string) calendar.Day {
	if d, ok := m[k]; ok {
		return d
	}
	return None
}

func orNotRecorded(s string) string {
	if s == "" || s == throughline.Erased {
		return notRecorded
	}
	return s
}

// complete sets Completed, Outcome and a post-charge exit of a charged case.
func (f *Facts) complete(charged map[string]bool, final, convict map[string]calendar.Day) {
	all := None
	for def := range charged {
		d, ok := final[def]
		if !ok {
			all = None
			break
		}
		if all == None || d > all {
			all = d
		}
	}
	f.Completed = earliest(all, f.Closed)
	if f.Completed == None {
		return
	}
	c := f.Completed
	for _, d := range convict {
		if d <= c {
			f.Outcome = "convicted"
			return
		}
	}
	last := None
	for _, s := range f.Stops {
		if s.What != "charge_altered" && s.On <= c && (last == None || s.On >= last) {
			last, f.ExitReason = s.On, s.What
		}
	}
	switch {
	case last != None:
		f.Outcome = "stopped"
	case hasVerdict(f.Verdicts, "not_guilty", c):
		f.Outcome = "acquitted"
		return
	default:
		f.Outcome, f.ExitReason = "closed", "closed_without_verdict"
	}
	f.ExitStage, f.Exit = "post_charge", c
	f.ExitAfterWithdrawal = f.WithdrewAfterCharge != None && f.WithdrewAfterCharge <= c
}

func hasVerdict(vs []Dated, result string, by calendar.Day) bool {
	for _, v := range vs {
		if v.What == result && v.On <= by {
			return true
		}
	}
	return false
}

// preChargeExit records a case closed without a charge: the reason is the
// earlier of the complainant's withdrawal and the CPS's decision not to
// charge (withdrawal on a tie), else the police took no further action.
func (f *Facts) preChargeExit(withdrawals []calendar.Day, nfa calendar.Day) {
	w := None
	for _, d := range withdrawals {
		if d <= f.Closed {
			w = earliest(w, d)
		}
	}
	if nfa > f.Closed {
		nfa = None
	}
	f.ExitStage, f.Exit = "pre_charge", f.Closed
	switch {
	case w != None && (nfa == None || w <= nfa):
		f.ExitReason = "complainant_withdrew"
	case nfa != None:
		f.ExitReason = "cps_no_further_action"
	default:
		f.ExitReason = "police_no_further_action"
	}
}

// deadlineFacts keeps the applicable, computable deadlines of the case.
func deadlineFacts(ds []throughline.Deadline) []DeadlineFact {
	var out []DeadlineFact
	for _, d := range ds {
		if d.NotApplicable != "" || d.Due.IsZero() {
			continue
		}
		met := None
		if !d.MetAt.IsZero() {
			met = calendar.DayOf(d.MetAt)
		}
		out = append(out, DeadlineFact{Rule: d.Rule, Owner: d.Owner, Due: calendar.DayOf(d.Due), Met: met})
	}
	return out
}
