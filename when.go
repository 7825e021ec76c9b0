package throughline

import (
	"encoding/json"
	"fmt"
	"time"
)

// London is the civil time zone of England and Wales: date-only values mean
// a day there, and working days are counted there.
var London = mustZone("Europe/London")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("time zone %s: %v (import time/tzdata)", name, err))
	}
	return loc
}

// When is a moment in the world as an agency recorded it: either a calendar
// date ("2024-03-01", when only the day is known) or an instant with its UTC
// offset ("2024-03-01T10:00:00Z"). Keeping the precision the source gave means
// an export reproduces the import exactly and nobody invents a time of day.
type When struct {
	t        time.Time
	dateOnly bool
}

// The years a When may fall in. Nothing in a case happened before 1900
// (the oldest complainant's birth included), and nothing is planned after
// 2100; outside them a year is a typing error, and beyond 9999 it cannot
// even be written back as RFC 3339.
const (
	MinYear = 1900
	MaxYear = 2100
)

// ParseWhen parses "YYYY-MM-DD" or RFC 3339, in the years MinYear to
// MaxYear. Every time and date of an event and its payload is parsed here.
func ParseWhen(s string) (When, error) {
	if len(s) == len(time.DateOnly) {
		t, err := time.ParseInLocation(time.DateOnly, s, London)
		if err != nil {
			return When{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
		}
		return checkYear(When{t: t, dateOnly: true}, s)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return When{}, fmt.Errorf("%q is neither a date (YYYY-MM-DD) nor a date and time (RFC 3339)", s)
	}
	return checkYear(When{t: t}, s)
}

func checkYear(w When, s string) (When, error) {
	if y := w.t.UTC().Year(); y < MinYear || y > MaxYear || w.t.Year() < MinYear || w.t.Year() > MaxYear {
		return When{}, fmt.Errorf("%q: the year must be from %d to %d", s, MinYear, MaxYear)
	}
	return w, nil
}

// ClockSkew is how far after the server's clock a time that has happened
// may be, for the clocks of the systems that send them.
const ClockSkew = 5 * time.Minute

// MaxAhead is how far ahead a time that means the future may be: a hearing
// listed, an action due, a custody time limit.
const MaxAhead = 10 * 365 * 24 * time.Hour

// After reports whether w is later than t: for a date, whether its day is
// after t's London day.
func (w When) After(t time.Time) bool {
	if w.dateOnly {
		y, m, d := t.In(London).Date()
		return w.Date().After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	}
	return w.t.After(t)
}

// At returns the When of an instant.
func At(t time.Time) When { return When{t: t} }

// On returns the When of a calendar date.
func On(year int, month time.Month, day int) When {
	return When{t: time.Date(year, month, day, 0, 0, 0, 0, London), dateOnly: true}
}

// IsZero reports whether w is unset.
func (w When) IsZero() bool { return w.t.IsZero() }

// DateOnly reports whether only the day is known.
func (w When) DateOnly() bool { return w.dateOnly }

// Time returns the instant; for a date, the start of that day in London.
func (w When) Time() time.Time { return w.t }

// Date returns the London calendar day as midnight UTC, the form in which the
// calendar package counts days.
func (w When) Date() time.Time {
	y, m, d := w.t.In(London).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Before reports whether w is before v. A date compares by its day: a date is
// before an instant only if the instant falls on a later London day.
func (w When) Before(v When) bool {
	if w.dateOnly || v.dateOnly {
		return w.Date().Before(v.Date())
	}
	return w.t.Before(v.t)
}

func (w When) String() string {
	switch {
	case w.t.IsZero():
		return ""
	case w.dateOnly:
		return w.t.Format(time.DateOnly)
	default:
		return w.t.Format(time.RFC3339Nano)
	}
}

// MarshalJSON writes the string form; the zero When is null. Both forms
// are digits, '-', ':', '.', 'T', 'Z' and '+' only, so need no escaping.
func (w When) MarshalJSON() ([]byte, error) {
	if w.t.IsZero() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 40)
	b = append(b, '"')
	if w.dateOnly {
		b = w.t.AppendFormat(b, time.DateOnly)
	} else {
		b = w.t.AppendFormat(b, time.RFC3339Nano)
	}
	return append(b, '"'), nil
}

// UnmarshalJSON reads the string form; null leaves w zero.
func (w *When) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*w = When{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("must be a date or date and time string")
	}
	v, err := ParseWhen(s)
	if err != nil {
		return err
	}
	*w = v
	return nil
}
