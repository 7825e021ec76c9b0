package calendar

import (
	"sort"
	"time"
)

type holiday struct {
	day  Day
	name string
}

// Bank holidays moved from their usual day by proclamation, by year: the
// usual holiday's replacement day. Source: gov.uk/bank-holidays and the
// proclamations under the Banking and Financial Dealings Act 1971.
var (
	earlyMayMoved = map[int]Day{
		1995: Date(1995, time.May, 8), // 50th anniversary of VE Day
		2020: Date(2020, time.May, 8), // 75th anniversary of VE Day (Friday)
	}
	springMoved = map[int]Day{
		2002: Date(2002, time.June, 4), // Golden Jubilee
		2012: Date(2012, time.June, 4), // Diamond Jubilee
		2022: Date(2022, time.June, 2), // Platinum Jubilee (Thursday)
	}
	// One-off additional bank holidays.
	oneOffs = []holiday{
		{Date(1981, time.July, 29), "Royal wedding"},
		{Date(1999, time.December, 31), "Millennium Celebrations"},
		{Date(2002, time.June, 3), "Golden Jubilee bank holiday"},
		{Date(2011, time.April, 29), "Royal wedding"},
		{Date(2012, time.June, 5), "Queen's Diamond Jubilee"},
		{Date(2022, time.June, 3), "Platinum Jubilee bank holiday"},
		{Date(2022, time.September, 19), "Bank Holiday for the State Funeral of Queen Elizabeth II"},
		{Date(2023, time.May, 8), "Bank holiday for the coronation of King Charles III"},
	}
)

// holidays returns the England and Wales bank holidays of year, in order.
func holidays(year int) []holiday {
	hs := make([]holiday, 0, 10)
	add := func(d Day, name string) { hs = append(hs, holiday{d, name}) }

	if year >= 1974 { // New Year's Day became a bank holiday in 1974
		d := Date(year, time.January, 1)
		switch d.Weekday() {
		case time.Saturday:
			add(d+2, "New Year’s Day (substitute day)")
		case time.Sunday:
			add(d+1, "New Year’s Day (substitute day)")
		default:
			add(d, "New Year’s Day")
		}
	}

	easter := easterSunday(year)
	add(easter-2, "Good Friday")
	add(easter+1, "Easter Monday")

	if year >= 1978 { // the May Day holiday began in 1978
		if d, ok := earlyMayMoved[year]; ok {
			add(d, "Early May bank holiday (VE day)")
		} else {
			add(firstMonday(year, time.May), "Early May bank holiday")
		}
	}

	if d, ok := springMoved[year]; ok {
		add(d, "Spring bank holiday")
	} else {
		add(lastMonday(year, time.May), "Spring bank holiday")
	}

	add(lastMonday(year, time.August), "Summer bank holiday")

	// Christmas Day and Boxing Day; a holiday on a weekend moves to the next
	// weekday that is not already a holiday.
	xmas := Date(year, time.December, 25)
	switch xmas.Weekday() {
	case time.Friday: // Boxing Day on Saturday
		add(xmas, "Christmas Day")
		add(xmas+3, "Boxing Day (substitute day)")
	case time.Saturday:
		add(xmas+2, "Christmas Day (substitute day)")
		add(xmas+3, "Boxing Day (substitute day)")
	case time.Sunday:
		add(xmas+1, "Boxing Day")
		add(xmas+2, "Christmas Day (substitute day)")
	default:
		add(xmas, "Christmas Day")
		add(xmas+1, "Boxing Day")
	}

	for _, h := range oneOffs {
		if y, _, _ := h.day.Civil(); y == year {
			hs = append(hs, h)
		}
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].day < hs[j].day })
	return hs
}

// easterSunday returns Easter Sunday of year in the Gregorian calendar
// (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
func easterSunday(year int) Day {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date(year, time.Month(month), day)
}

func firstMonday(year int, month time.Month) Day {
	d := Date(year, month, 1)
	return d + Day((int(time.Monday)-int(d.Weekday())+7)%7)
}

func lastMonday(year int, month time.Month) Day {
	d := Date(year, month+1, 1) - 1 // the last day of month
	return d - Day((int(d.Weekday())-int(time.Monday)+7)%7)
}
