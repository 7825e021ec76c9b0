package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Scenario is one what-if for the Crown Court RASSO list, as read from JSON.
// name, horizon_days, arrivals, courtrooms and trial_days are required
// (arrivals and rooms may be given per area instead); every other field has a
// default that switches its mechanism off, so a bare scenario is an M/M/c
// queue. Times are in calendar days unless a field says sitting days.
//
// The model's case arrives when it is sent to the Crown Court. It then passes
// through the stages sending → PTPH (stages.ptph_days) → ready for trial
// (stages.readiness_days) and waits for a courtroom. Each time it reaches a
// room its listing cracks (the case ends without a trial), is ineffective (the
// trial does not go ahead and the case is relisted after relist_delay_days) or
// is effective (the trial starts: the case leaves the backlog). While it waits
// the complainant may withdraw. charge_to_sending_days and
// report_to_charge_days add the time before arrival to the reported
// charge→trial and report→trial days; they use no court capacity.
type Scenario struct {
	Name  string `json:"name"`
	Notes Notes  `json:"notes,omitempty"`

	HorizonDays     float64 `json:"horizon_days"`
	WarmupDays      float64 `json:"warmup_days,omitempty"`
	SampleEveryDays float64 `json:"sample_every_days,omitempty"` // backlog sampling; default 30

	Arrivals       *Arrivals   `json:"arrivals,omitempty"`
	InitialBacklog int         `json:"initial_backlog,omitempty"`
	Courtrooms     *Courtrooms `json:"courtrooms,omitempty"`
	Areas          []Area      `json:"areas,omitempty"`

	Stages              *Stages `json:"stages,omitempty"`
	ChargeToSendingDays *Dist   `json:"charge_to_sending_days,omitempty"`
	ReportToChargeDays  *Dist   `json:"report_to_charge_days,omitempty"`

	TrialDays                     *Dist   `json:"trial_days"`
	CrackedProbability            float64 `json:"cracked_probability,omitempty"`
	IneffectiveProbability        float64 `json:"ineffective_probability,omitempty"`
	FloaterShare                  float64 `json:"floater_share,omitempty"`
	FloaterIneffectiveProbability float64 `json:"floater_ineffective_probability,omitempty"`
	IneffectiveRoomDays           float64 `json:"ineffective_room_days,omitempty"`
	RelistDelayDays               *Dist   `json:"relist_delay_days,omitempty"`

	Withdrawal *Withdrawal `json:"withdrawal,omitempty"`
	S28        *S28        `json:"s28,omitempty"`
}

// Notes holds the sources and assumptions behind a scenario. In JSON it is a
// string or a list of strings (one per paragraph, easier to read in a file).
type Notes []string

// UnmarshalJSON accepts a string or a list of strings.
func (n *Notes) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*n = Notes{s}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return errors.New("notes must be a string or a list of strings")
	}
	*n = list
	return nil
}

// Arrivals is the arrival process of cases sent to the Crown Court for trial.
// Only "poisson" exists: arrivals in disjoint intervals are independent, at
// per_day cases a day on average. With areas, per_day is given per area.
type Arrivals struct {
	Process string  `json:"process,omitempty"` // "poisson" (the default)
	PerDay  float64 `json:"per_day,omitempty"`
}

// Courtrooms are the rooms that hear RASSO trials and when they sit.
//
// Specialist rooms hear RASSO cases only when there are any (they take them
// first) and list them as fixtures. General rooms hear other Crown Court work
// too: general_rasso_share is the share of their sitting days that RASSO cases
// may take. It is modelled without simulating the other work: after a RASSO
// listing that holds a general room for d sitting days, the room hears
// d·(1−share)/share sitting days of other work before it can take its next
// RASSO case, so a busy room gives RASSO exactly its share. The default share
// is 1 (general rooms are RASSO room-equivalents).
//
// Sitting days default to every day; give sitting_days_per_week (e.g. 5) or
// sitting_days_per_year (e.g. 230), not both.
type Courtrooms struct {
	General            int      `json:"general,omitempty"`
	Specialist         int      `json:"specialist,omitempty"`
	GeneralRASSOShare  *float64 `json:"general_rasso_share,omitempty"`
	SittingDaysPerWeek *float64 `json:"sitting_days_per_week,omitempty"`
	SittingDaysPerYear *float64 `json:"sitting_days_per_year,omitempty"`
}

// Area is one part of the country with its own arrivals, rooms and list, such
// as a CPS area: its cases are heard only in its rooms. A scenario with areas
// gives per_day, general and specialist here and not at the top level (where
// courtrooms then only says when rooms sit and the general share). This is how
// a planner asks "what if we open four specialist rape courts in the South
// East?": copy the scenario and set that area's specialist to 4.
type Area struct {
	ID             string  `json:"id"`
	PerDay         float64 `json:"per_day"`
	General        int     `json:"general,omitempty"`
	Specialist     int     `json:"specialist,omitempty"`
	InitialBacklog int     `json:"initial_backlog,omitempty"`
}

// Stages are the durations between sending and readiness for trial. A stage
// the scenario does not name takes no time.
type Stages struct {
	PTPHDays      *Dist `json:"ptph_days,omitempty"`      // sending → plea and trial preparation hearing
	ReadinessDays *Dist `json:"readiness_days,omitempty"` // PTPH → ready for trial
}

// S28 is pre-recorded cross-examination under s.28 of the Youth Justice and
// Criminal Evidence Act 1999. A share of cases have it; their s.28 hearing is
// days_after_ptph after the PTPH (default 0). Once the complainant's evidence
// is recorded, the case no longer depends on them attending a trial years
// later, so the model assumes their withdrawal hazard is multiplied by
// withdrawal_hazard_factor from the hearing on (default 0.5). That factor is
// an assumption for planning, not a measured effect: set it from evidence
// where there is some. The s.28 hearing itself is not given a courtroom.
type S28 struct {
	Share                  float64  `json:"share"`
	DaysAfterPTPH          *Dist    `json:"days_after_ptph,omitempty"`
	WithdrawalHazardFactor *float64 `json:"withdrawal_hazard_factor,omitempty"`
}

// DefaultS28HazardFactor is the assumed multiplier on the withdrawal hazard
// after an s.28 hearing when the scenario does not give one.
const DefaultS28HazardFactor = 0.5

// MaxScenarioBytes bounds a scenario file: real ones are a few kilobytes.
const MaxScenarioBytes = 4 << 20

// ParseScenario decodes and validates a scenario. Decoding is strict: an
// unknown field, a value of the wrong type or trailing data is an error, so a
// misspelt "ineffective_probabilty" fails loudly instead of silently taking the
// default. Validation errors name the field (see Validate).
func ParseScenario(data []byte) (Scenario, error) {
	var s Scenario
	if len(data) > MaxScenarioBytes {
		return s, fmt.Errorf("scenario: larger than %d bytes", MaxScenarioBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Scenario{}, fmt.Errorf("scenario: %w", describeJSONError(data, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return Scenario{}, errors.New("scenario: unexpected data after the JSON object")
	}
	if err := s.Validate(); err != nil {
		return Scenario{}, err
	}
	return s, nil
}

// describeJSONError adds the line number to syntax and type errors.
func describeJSONError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("line %d: %w", lineOf(data, syn.Offset), err)
	case errors.As(err, &typ):
		return fmt.Errorf("line %d: field %q: %w", lineOf(data, typ.Offset), typ.Field, err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("line %d: unexpected end of input (an unclosed brace or bracket?)", lineOf(data, int64(len(data))))
	case errors.Is(err, io.EOF):
		return errors.New("empty input")
	}
	return err
}

func lineOf(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

// JSON returns the scenario as indented JSON, the form ParseScenario reads.
func (s Scenario) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("scenario %q: %w", s.Name, err)
	}
	return append(b, '\n'), nil
}
