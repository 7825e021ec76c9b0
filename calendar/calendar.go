// Package calendar counts days in England and Wales: calendar days, and
// working days (Monday to Friday except bank holidays, including substitute
// days and the one-off holidays such as the 2022 State Funeral). England and
// Wales share one calendar.
//
// Dates are days, not instants. The time-based functions take and return a
// time.Time at midnight UTC that stands for a London calendar day (what
// throughline.When.Date returns); a time.Time in another location is read as
// the calendar date it shows there. Day is the same thing as a number, for
// fast arithmetic.
//
// # Working-day clocks
//
// A clock that starts on a non-working day starts on the next working day.
// "Due within n working days of an event on day D" means due by the end of
// AddWorkingDays(D, n): the n-th working day after the day the clock started.
// With n = 1 an event on Friday 18 December 2020 is due by the end of
// Monday 21 December; an event on Thursday 24 December 2020 is due by the end
// of Tuesday 29 December (25 and 28 December were bank holidays); an event on
// Saturday 26 December 2020 starts its clock on Tuesday 29 December and is due
// by the end of Wednesday 30 December.
//
// The bank holidays are computed from the rules (Easter computus, first and
// last Mondays, substitute days) plus the known one-off changes, and held as a
// precomputed table of working-day indexes for 1980–2199, so working-day
// arithmetic inside that range is a few array reads. Outside it the same rules
// are applied day by day.
package calendar

import (
	"fmt"
	"time"
)

// Day is a calendar day counted from Thursday 1 January 1970 (day 0).
type Day int32

// Date returns the Day of year-month-day. Out-of-range months and days are
// normalised as time.Date does (Date(2024, 2, 30) is 1 March 2024).
func Date(year int, month time.Month, day int) Day {
	if month < 1 || month > 12 || day < 1 || day > 28 {
		t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
		year, month, day = t.Date()
	}
	return Day(daysFromCivil(year, int(month), day))
}

// DayOf returns the calendar day t shows in its own location; for the
// midnight-UTC values this package uses, that is the day t stands for.
func DayOf(t time.Time) Day {
	if t.Location() == time.UTC {
		s := t.Unix()
		d := s / 86400
		if s < 0 && s%86400 != 0 {
			d--
		}
		return Day(d)
	}
	y, m, d := t.Date()
	return Day(daysFromCivil(y, int(m), d))
}

// Time returns d as midnight UTC.
func (d Day) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// Civil returns the year, month and day of d.
func (d Day) Civil() (year int, month time.Month, day int) {
	y, m, dd := civilFromDays(int64(d))
	return y, time.Month(m), dd
}

// Weekday returns the day of the week of d.
func (d Day) Weekday() time.Weekday {
	w := (int64(d) + 4) % 7 // 1 Jan 1970 was a Thursday
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// String returns d as YYYY-MM-DD.
func (d Day) String() string {
	y, m, dd := d.Civil()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// AddDays returns the day n calendar days after d (before, if n < 0).
// Calendar-day periods are not moved off weekends or bank holidays.
func (d Day) AddDays(n int) Day { return d + Day(n) }

// IsWorkingDay reports whether d is a Monday to Friday that is not a bank
// holiday in England and Wales.
func (d Day) IsWorkingDay() bool {
	if i := int(d - firstDay); i >= 0 && i < len(cum)-1 {
		return cum[i+1] != cum[i]
	}
	return isWorkingSlow(d)
}

// ClockStart returns d if it is a working day, else the next working day:
// the day a working-day clock started by an event on d starts.
func (d Day) ClockStart() Day { return d.AddWorkingDays(0) }

// AddWorkingDays returns the working day n working days after the clock
// started by an event on d (see the package comment): d itself if it is a
// working day, otherwise the next working day, then n working days on. With
// n = 0 it is the clock-start day. With n < 0 it counts back from the clock
// start, so the result is always a working day.
func (d Day) AddWorkingDays(n int) Day {
	if i := int(d - firstDay); i >= 0 && i < len(cum)-1 {
		if k := int(cum[i]) + n; k >= 0 && k < len(work) {
			return work[k]
		}
	}
	return addWorkingSlow(d, n)
}

// WorkingDaysTo returns the number of working days after d up to and
// including e: how many working days late something done on e is if it was
// due on d. It is negative (minus the working days after e up to and
// including d) if e is before d. For a working day d and any working day
// e ≥ d, d.AddWorkingDays(d.WorkingDaysTo(e)) == e.
func (d Day) WorkingDaysTo(e Day) int {
	i, j := int(d-firstDay)+1, int(e-firstDay)+1
	if i >= 0 && i < len(cum) && j >= 0 && j < len(cum) {
		return int(cum[j]) - int(cum[i])
	}
	return workingDaysToSlow(d, e)
}

// IsWorkingDay reports whether the day t stands for is a working day.
func IsWorkingDay(t time.Time) bool { return DayOf(t).IsWorkingDay() }

// NextWorkingDay returns t's day if it is a working day, else the next
// working day: the day a working-day clock started on t starts.
func NextWorkingDay(t time.Time) time.Time { return DayOf(t).ClockStart().Time() }

// AddWorkingDays returns the n-th working day after the clock started on
// start (start if a working day, else the next working day). "Due within n
// working days of an event on D" is due by the end of AddWorkingDays(D, n).
func AddWorkingDays(start time.Time, n int) time.Time {
	return DayOf(start).AddWorkingDays(n).Time()
}

// WorkingDaysBetween returns the number of working days after a up to and
// including b (negative if b is before a); see Day.WorkingDaysTo.
func WorkingDaysBetween(a, b time.Time) int { return DayOf(a).WorkingDaysTo(DayOf(b)) }

// AddDays returns the day n calendar days after start, for calendar-day rules.
func AddDays(start time.Time, n int) time.Time { return DayOf(start).AddDays(n).Time() }

// Holiday is one England and Wales bank holiday.
type Holiday struct {
	Date time.Time // midnight UTC
	Name string    // as gov.uk names it, e.g. "Boxing Day (substitute day)"
}

// BankHolidays returns the England and Wales bank holidays of year, in date
// order. Years after the last published list follow the standard rules.
func BankHolidays(year int) []Holiday {
	hs := holidays(year)
	out := make([]Holiday, len(hs))
	for i, h := range hs {
		out[i] = Holiday{Date: h.day.Time(), Name: h.name}
	}
	return out
}

// IsBankHoliday reports whether t's day is a bank holiday, and its name.
func IsBankHoliday(t time.Time) (string, bool) {
	d := DayOf(t)
	y, _, _ := d.Civil()
	for _, h := range holidays(y) {
		if h.day == d {
			return h.name, true
		}
	}
	return "", false
}

// The precomputed table.
const (
	tableFirstYear = 1980
	tableLastYear  = 2199
)

var (
	firstDay = Date(tableFirstYear, time.January, 1)
	// cum[i] is the number of working days in [firstDay, firstDay+i); it has
	// one more entry than there are days in the table, so cum[i] is also the
	// index in work of the first working day on or after firstDay+i.
	cum []int32
	// work[k] is the k-th working day of the table.
	work []Day
)

func init() {
	last := Date(tableLastYear, time.December, 31)
	n := int(last-firstDay) + 1
	hol := make([]bool, n)
	for y := tableFirstYear; y <= tableLastYear; y++ {
		for _, h := range holidays(y) {
			hol[h.day-firstDay] = true
		}
	}
	cum = make([]int32, n+1)
	work = make([]Day, 0, n*5/7+1)
	for i := 0; i < n; i++ {
		d := firstDay + Day(i)
		cum[i+1] = cum[i]
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !hol[i] {
			cum[i+1]++
			work = append(work, d)
		}
	}
}

func isWorkingSlow(d Day) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	y, _, _ := d.Civil()
	for _, h := range holidays(y) {
		if h.day == d {
			return false
		}
	}
	return true
}

func addWorkingSlow(d Day, n int) Day {
	for !isWorkingSlow(d) {
		d++
	}
	for ; n > 0; n-- {
		d++
		for !isWorkingSlow(d) {
			d++
		}
	}
	for ; n < 0; n++ {
		d--
		for !isWorkingSlow(d) {
			d--
		}
	}
	return d
}

// workingDaysToSlow counts the working days in (d, e] outside the table:
// weekdays by arithmetic, less the bank holidays (all on weekdays) year by year.
func workingDaysToSlow(d, e Day) int {
	sign := 1
	if e < d {
		d, e, sign = e, d, -1
	}
	a := int64(d) + 1 // count [a, b]
	b := int64(e)
	if a > b {
		return 0
	}
	n := (b - a + 1) / 7 * 5
	for x := a + (b-a+1)/7*7; x <= b; x++ {
		if wd := Day(x).Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	ya, _, _ := Day(a).Civil()
	yb, _, _ := Day(b).Civil()
	for y := ya; y <= yb; y++ {
		for _, h := range holidays(y) {
			if x := int64(h.day); x >= a && x <= b {
				n--
			}
		}
	}
	return sign * int(n)
}

// daysFromCivil converts a proleptic Gregorian date to days since 1970-01-01
// (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

func civilFromDays(z int64) (int, int, int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), int(m), int(d)
}
