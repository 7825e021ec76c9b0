// Package attribution says, for every day of a case's life, which party the
// case was waiting on: the police, the CPS, the court, the defence, the
// complainant, or nobody. It is pure: it reads a case's events and returns
// day counts and spans; the rules and their precedence are written down in
// docs/measures.md ("Who the case is waiting on") and in rank below.
//
// Time is the world's: every rule runs on an event's occurred_at, as a
// London calendar day. recorded_at (when an agency learned of it) is not
// used: a file the CPS had on 3 June was with the CPS on 3 June however late
// it reached the record.
package attribution

import (
	"fmt"
	"strconv"
	"time"
)

// Party is who a case is waiting on.
type Party uint8

// The parties, in the order of the days object.
const (
	Police Party = iota
	CPS
	Court
	Defence
	Complainant
	Nobody
)

// Parties lists every party in the order of the days object.
var Parties = [...]Party{Police, CPS, Court, Defence, Complainant, Nobody}

var partyNames = [...]string{"police", "cps", "court", "defence", "complainant", "nobody"}

func (p Party) String() string {
	if int(p) < len(partyNames) {
		return partyNames[p]
	}
	return "party(" + strconv.Itoa(int(p)) + ")"
}

// MarshalJSON writes the party's name.
func (p Party) MarshalJSON() ([]byte, error) { return []byte(`"` + p.String() + `"`), nil }

// UnmarshalJSON reads the party's name, as MarshalJSON writes it.
func (p *Party) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return err
	}
	q, ok := ParseParty(s)
	if !ok {
		return fmt.Errorf("no party %q", s)
	}
	*p = q
	return nil
}

// ParseParty returns the party named s.
func ParseParty(s string) (Party, bool) {
	for i, n := range partyNames {
		if n == s {
			return Party(i), true
		}
	}
	return 0, false
}

// Days counts days per party. The JSON keys are the parties' names.
type Days struct {
	Police      int `json:"police"`
	CPS         int `json:"cps"`
	Court       int `json:"court"`
	Defence     int `json:"defence"`
	Complainant int `json:"complainant"`
	Nobody      int `json:"nobody"`
}

func (d *Days) ptr(p Party) *int {
	switch p {
	case Police:
		return &d.Police
	case CPS:
		return &d.CPS
	case Court:
		return &d.Court
	case Defence:
		return &d.Defence
	case Complainant:
		return &d.Complainant
	default:
		return &d.Nobody
	}
}

// Of returns the days of party p.
func (d Days) Of(p Party) int { return *d.ptr(p) }

// Add adds n days to party p.
func (d *Days) Add(p Party, n int) { *d.ptr(p) += n }

// Total is the sum over every party: the case's age in days.
func (d Days) Total() int {
	return d.Police + d.CPS + d.Court + d.Defence + d.Complainant + d.Nobody
}

// Day is a London calendar day, counted in days from 1970-01-01.
type Day int32

// DayOf returns the day of t's calendar date in t's own location.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Time returns the day as midnight UTC.
func (d Day) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func (d Day) String() string { return d.Time().Format(time.DateOnly) }

// MarshalJSON writes "YYYY-MM-DD".
func (d Day) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 12)
	b = append(b, '"')
	b = d.Time().AppendFormat(b, time.DateOnly)
	return append(b, '"'), nil
}
