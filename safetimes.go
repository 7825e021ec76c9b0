package throughline

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Safe times as a schedule (ADR 0327). A victim's safe times were her own
// words ("weekdays after 6pm"), which no one can check a call against. A
// SafeWindow is the same wish as days and hours, so that a call recorded
// outside them is seen, and asks why, like a letter she asked never to
// have. Her words are still kept beside the windows, and preferences set
// before windows existed keep only their words.

// Weekdays are the days a SafeWindow names, Monday first.
var Weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// SafeWindow is a time of the week when she can safely be called: on each
// of Days, from From until To, London time ("18:00", "21:00"; To may be
// "24:00", the end of the day). A window does not cross midnight: "10pm to
// 1am" is two windows.
type SafeWindow struct {
	Days []string `json:"days"`
	From string   `json:"from"`
	To   string   `json:"to"`
}

// clockMinutes reads "HH:MM" (00:00 to 24:00) as minutes after midnight.
func clockMinutes(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, false
	}
	hn, e1 := strconv.Atoi(h)
	mn, e2 := strconv.Atoi(m)
	if e1 != nil || e2 != nil || hn < 0 || mn < 0 || mn > 59 || hn > 24 || hn == 24 && mn != 0 {
		return 0, false
	}
	return hn*60 + mn, true
}

func (w SafeWindow) validate(fe *fieldErrors, field string) {
	if len(w.Days) == 0 {
		fe.add(field+".days", "at least one day is required")
	}
	for i, d := range w.Days {
		if !slices.Contains(Weekdays, d) {
			fe.add(fmt.Sprintf("%s.days[%d]", field, i), "must be one of %s, not %q", strings.Join(Weekdays, ", "), d)
		} else if slices.Index(w.Days, d) != i {
			fe.add(fmt.Sprintf("%s.days[%d]", field, i), "%q is listed twice", d)
		}
	}
	from, ok1 := clockMinutes(w.From)
	to, ok2 := clockMinutes(w.To)
	switch {
	case !ok1:
		fe.add(field+".from", "must be a time of day, HH:MM, not %q", w.From)
	case !ok2:
		fe.add(field+".to", "must be a time of day, HH:MM (24:00 for the end of the day), not %q", w.To)
	case to <= from:
		fe.add(field+".to", "must be after %s: a window that crosses midnight is two windows", w.From)
	}
}

// weekday is t's day of the week as Weekdays names it.
func weekday(t time.Time) string { return Weekdays[(int(t.Weekday())+6)%7] }

// SafeAt reports whether a call at t falls in one of the windows, by the
// clock in London (so 18:30 is 18:30 in summer and in winter); known is
// false when no windows are recorded (none, or only her words), and then
// a call cannot be checked.
func (d *ContactPreferencesSet) SafeAt(t time.Time) (safe, known bool) {
	if d == nil || len(d.SafeWindows) == 0 {
		return false, false
	}
	lt := t.In(London)
	now := lt.Hour()*60 + lt.Minute()
	for _, w := range d.SafeWindows {
		from, _ := clockMinutes(w.From)
		to, _ := clockMinutes(w.To)
		if slices.Contains(w.Days, weekday(lt)) && from <= now && now < to {
			return true, true
		}
	}
	return false, true
}

// SafeTimesWords are her safe times in words: the windows ("Monday to
// Friday, 6pm to 9pm"), else her own words as recorded, else "".
func (d *ContactPreferencesSet) SafeTimesWords() string {
	if d == nil {
		return ""
	}
	if len(d.SafeWindows) == 0 {
		return d.SafeTimes
	}
	var out []string
	for _, w := range d.SafeWindows {
		out = append(out, daysWords(w.Days)+", "+clockWords(w.From)+" to "+clockWords(w.To))
	}
	return strings.Join(out, "; ")
}

var dayNames = map[string]string{"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}

// daysWords names days in week order, a run of three or more as "Monday
// to Friday": "Monday to Friday", "Saturday and Sunday", "every day".
func daysWords(days []string) string {
	var idx []int
	for i, d := range Weekdays {
		if slices.Contains(days, d) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 7 {
		return "every day"
	}
	var parts []string
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && idx[j+1] == idx[j]+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, dayNames[Weekdays[idx[i]]]+" to "+dayNames[Weekdays[idx[j]]])
		} else {
			for k := i; k <= j; k++ {
				parts = append(parts, dayNames[Weekdays[idx[k]]])
			}
		}
		i = j + 1
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// clockWords writes "18:30" as "6:30pm", "12:00" as "midday", "00:00" and
// "24:00" as "midnight".
func clockWords(hm string) string {
	m, ok := clockMinutes(hm)
	if !ok {
		return hm
	}
	switch m {
	case 0, 24 * 60:
		return "midnight"
	case 12 * 60:
		return "midday"
	}
	return clockTime(m)
}

// clockTime writes minutes after midnight as "6pm" or "6:30pm".
func clockTime(m int) string {
	h, suffix := m/60, "am"
	if h >= 12 {
		h, suffix = h-12, "pm"
	}
	if h == 0 {
		h = 12
	}
	if m%60 == 0 {
		return strconv.Itoa(h) + suffix
	}
	return fmt.Sprintf("%d:%02d%s", h, m%60, suffix)
}

// callWords says when a call was made, for a refusal: "at 9pm on Sunday
// 29 November 2026".
func callWords(t time.Time) string {
	lt := t.In(London)
	return "at " + clockTime(lt.Hour()*60+lt.Minute()) + " on " + lt.Format("Monday 2 January 2006")
}

// outsideSafeTimes is why a phone call at w to cp went against her safe
// times, in words, or "" if it did not or cannot be known (no windows
// recorded, or only the day of the call).
func outsideSafeTimes(cp *Complainant, w When) string {
	if w.IsZero() || w.DateOnly() {
		return ""
	}
	if safe, known := cp.Preferences.SafeAt(w.Time()); !known || safe {
		return ""
	}
	return "was called " + callWords(w.Time()) + ", outside the safe times she gave (" + cp.Preferences.SafeTimesWords() + ")"
}
