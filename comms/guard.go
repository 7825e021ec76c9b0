package comms

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/calendar"
	"throughline/refdata"
)

// Conflict is a fact a free text states that disagrees with the record.
type Conflict struct {
	Stated string // what the text says, as written
	Record string // what the record says
}

// Message names both sides, for the person who wrote the text.
func (c Conflict) Message() string {
	return fmt.Sprintf("the message says %q but the case record says %s", c.Stated, c.Record)
}

// ConflictError is the EINVALID error of a refused text: one FieldError on
// "body" per conflicting fact, so the API answers 422 naming each.
func ConflictError(cs []Conflict) error {
	e := &throughline.Error{Code: throughline.EINVALID, Message: "the message contradicts the case record; nothing was sent"}
	for _, c := range cs {
		e.Fields = append(e.Fields, throughline.FieldError{Field: "body", Message: c.Message()})
	}
	return e
}

var monthNames = map[string]time.Month{}

func init() {
	for m := time.January; m <= time.December; m++ {
		en := strings.ToLower(m.String())
		monthNames[en] = m
		monthNames[en[:3]] = m
		monthNames[strings.ToLower(calendar.WelshMonth(m))] = m
	}
	monthNames["sept"] = time.September
}

const (
	enMonth = `january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`
	cyMonth = `ionawr|chwefror|mawrth|ebrill|mai|mehefin|gorffennaf|awst|medi|hydref|tachwedd|rhagfyr`
	weekday = `(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thu|fri|sat|sun|dydd llun|dydd mawrth|dydd mercher|dydd iau|dydd gwener|dydd sadwrn|dydd sul)`
)

var (
	reDayMonth = regexp.MustCompile(`(?i)\b(?:` + weekday + `,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(` + enMonth + `|` + cyMonth + `)\b,?(?:\s+(\d{4}))?`)
	reMonthDay = regexp.MustCompile(`(?i)\b(?:` + weekday + `,?\s+)?(` + enMonth + `)\s+(\d{1,2})(?:st|nd|rd|th)?\b,?(?:\s+(\d{4}))?`)
	reSlash    = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b`)
	reDotted   = regexp.MustCompile(`\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\b`)
	reISO      = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	reTime12   = regexp.MustCompile(`(?i)\b(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|yb|yp|y bore|y prynhawn|yr hwyr)`)
	reTime24   = regexp.MustCompile(`\b([01]?\d|2[0-3]):([0-5]\d)\b`)
	reCourt    = regexp.MustCompile(`\b((?:[A-Z][\p{L}'’\-]*\s+){1,3})(Crown Court|Magistrates'? Court|Magistrates’ Court)`)
	reCyCourt  = regexp.MustCompile(`(?i)\bLlys (y Goron|Ynadon) ((?:yr\s+)?\p{Lu}[\p{L}'’\-]*(?:\s+\p{Lu}[\p{L}'’\-]*)?)`)
	reNegation = regexp.MustCompile(`(?i)\b(not|no longer|never|n't|ddim|nid|na)\b|n't`)
)

// hearingTerms map the words a person writes for a hearing to its kinds
// ("" stands for any hearing).
var hearingTerms = []struct {
	re    *regexp.Regexp
	kinds []string
}{
	{regexp.MustCompile(`(?i)\b(ptph|plea and trial preparation hearing|plea hearing|hearing to plan the trial)\b`), []string{"ptph"}},
	{regexp.MustCompile(`(?i)\b(sentencing|sentence hearing|sentencing hearing)\b`), []string{"sentence"}},
	{regexp.MustCompile(`(?i)\b(section 28|s\.?28|pre-recorded cross-examination|adran 28)\b`), []string{"s28"}},
	{regexp.MustCompile(`(?i)\b(ground rules)\b`), []string{"ground_rules"}},
	{regexp.MustCompile(`(?i)\b(first appearance|first hearing|first court hearing)\b`), []string{"first_appearance"}},
	{regexp.MustCompile(`(?i)\b(mention hearing|mention)\b`), []string{"mention"}},
	{regexp.MustCompile(`(?i)\b(re-?trial|trial|treial)\b`), []string{"trial"}},
	{regexp.MustCompile(`(?i)\b(hearing|court date|gwrandawiad|in court|at court)\b`), []string{""}},
}

// stageClaims are statements about where the case is, each with the test
// the record must pass for the statement to be true.
var stageClaims = []struct {
	re   *regexp.Regexp
	what string
	ok   func(c *throughline.Case) bool
}{
	{regexp.MustCompile(`(?i)\b(has been|was|have been|were|have) charged\b|\bwedi (ei |eu )?(g|ch)?yhuddo\b`), "nobody has been charged",
		func(c *throughline.Case) bool {
			return anyDef(c, func(d throughline.Defendant) bool { return !d.Charged.IsZero() })
		}},
	{regexp.MustCompile(`(?i)\b(found guilty|pleaded guilty|pled guilty|been convicted|was convicted|admitted (the|all|his|her|their)? ?(offence|offences|charge|charges|crime))\b|\byn euog\b`), "nobody has been found guilty",
		func(c *throughline.Case) bool {
			return anyDef(c, func(d throughline.Defendant) bool { return d.Verdict == "guilty" || d.Verdict == "guilty_plea" })
		}},
	{regexp.MustCompile(`(?i)\b(found not guilty|acquitted|yn ddieuog)\b`), "nobody has been found not guilty",
		func(c *throughline.Case) bool {
			return anyDef(c, func(d throughline.Defendant) bool {
				return d.Verdict == "not_guilty" || d.StoppedHow == "no_evidence_offered"
			})
		}},
	{regexp.MustCompile(`(?i)\b(has been sentenced|was sentenced|were sentenced|sentenced to|wedi (ei |eu )?ddedfrydu)\b`), "nobody has been sentenced",
		func(c *throughline.Case) bool {
			return anyDef(c, func(d throughline.Defendant) bool { return !d.Sentenced.IsZero() })
		}},
	{regexp.MustCompile(`(?i)\btrial (has started|started|began|has begun|is under way|is underway)\b|\btreial wedi dechrau\b`), "no trial has started",
		func(c *throughline.Case) bool {
			return anyDef(c, func(d throughline.Defendant) bool { return !d.TrialStarted.IsZero() })
		}},
	{regexp.MustCompile(`(?i)\b(case|prosecution|charges?) (has been|have been|was|were) (dropped|stopped|discontinued|ended)\b|\bdiscontinued\b`), "the prosecution has not been stopped",
		func(c *throughline.Case) bool {
			return anyDef(c, func(d throughline.Defendant) bool { return !d.Stopped.IsZero() })
		}},
	{regexp.MustCompile(`(?i)\b(is|are|remains|remain|stays|was) (on bail|bailed)\b|\bar fechnïaeth\b`), "no defendant is on bail",
		func(c *throughline.Case) bool {
			return anyDef(c, func(d throughline.Defendant) bool { return d.Remand == "bail" })
		}},
	{regexp.MustCompile(`(?i)\b(is|are|remains|remain|stays|stay|was) (in custody|in prison|remanded in custody)\b|\byn y carchar\b`), "no defendant is held in custody",
		func(c *throughline.Case) bool {
			return anyDef(c, func(d throughline.Defendant) bool { return d.Remand == "custody" })
		}},
}

func anyDef(c *throughline.Case, ok func(throughline.Defendant) bool) bool {
	for _, d := range c.Defendants {
		if ok(d) {
			return true
		}
	}
	return false
}

// statedDate is a date as written: a year of 0 means "not said".
type statedDate struct {
	raw   string
	year  int
	month time.Month
	day   int
}

func (d statedDate) matches(t time.Time) bool {
	t = t.In(throughline.London)
	return t.Month() == d.month && t.Day() == d.day && (d.year == 0 || d.year == t.Year())
}

func year(s string) int {
	if s == "" {
		return 0
	}
	y, _ := strconv.Atoi(s)
	if y < 100 {
		y += 2000
	}
	return y
}

// dates finds the dates a sentence states.
func dates(s string) []statedDate {
	var out []statedDate
	add := func(raw string, y int, m time.Month, d int) {
		if m >= time.January && m <= time.December && d >= 1 && d <= 31 {
			out = append(out, statedDate{raw: strings.TrimSpace(raw), year: y, month: m, day: d})
		}
	}
	taken := make([]bool, len(s))
	mark := func(loc []int) bool {
		for i := loc[0]; i < loc[1]; i++ {
			if taken[i] {
				return false
			}
		}
		for i := loc[0]; i < loc[1]; i++ {
			taken[i] = true
		}
		return true
	}
	for _, m := range reDayMonth.FindAllStringSubmatchIndex(s, -1) {
		if mark(m[:2]) {
			d, _ := strconv.Atoi(s[m[2]:m[3]])
			y := 0
			if m[6] >= 0 {
				y = year(s[m[6]:m[7]])
			}
			add(s[m[0]:m[1]], y, monthNames[strings.ToLower(s[m[4]:m[5]])], d)
		}
	}
	for _, m := range reMonthDay.FindAllStringSubmatchIndex(s, -1) {
		if mark(m[:2]) {
			d, _ := strconv.Atoi(s[m[4]:m[5]])
			y := 0
			if m[6] >= 0 {
				y = year(s[m[6]:m[7]])
			}
			add(s[m[0]:m[1]], y, monthNames[strings.ToLower(s[m[2]:m[3]])], d)
		}
	}
	for _, m := range reISO.FindAllStringSubmatchIndex(s, -1) {
		if mark(m[:2]) {
			y, _ := strconv.Atoi(s[m[2]:m[3]])
			mo, _ := strconv.Atoi(s[m[4]:m[5]])
			d, _ := strconv.Atoi(s[m[6]:m[7]])
			add(s[m[0]:m[1]], y, time.Month(mo), d)
		}
	}
	for _, re := range []*regexp.Regexp{reSlash, reDotted} {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			if mark(m[:2]) {
				d, _ := strconv.Atoi(s[m[2]:m[3]])
				mo, _ := strconv.Atoi(s[m[4]:m[5]])
				y := 0
				if m[6] >= 0 {
					y = year(s[m[6]:m[7]])
				}
				add(s[m[0]:m[1]], y, time.Month(mo), d)
			}
		}
	}
	return out
}

// statedTime is a time of day as written.
type statedTime struct {
	raw        string
	hour, mins int
}

func times(s string) []statedTime {
	var out []statedTime
	for _, m := range reTime12.FindAllStringSubmatch(s, -1) {
		h, _ := strconv.Atoi(m[1])
		mins, _ := strconv.Atoi(m[2])
		if h < 1 || h > 12 {
			continue
		}
		suffix := strings.ToLower(m[3])
		pm := strings.HasPrefix(suffix, "p") || suffix == "yp" || suffix == "y prynhawn" || suffix == "yr hwyr"
		if pm && h != 12 {
			h += 12
		}
		if !pm && h == 12 {
			h = 0
		}
		out = append(out, statedTime{raw: m[0], hour: h, mins: mins})
	}
	if len(out) == 0 {
		for _, m := range reTime24.FindAllStringSubmatch(s, -1) {
			h, _ := strconv.Atoi(m[1])
			mins, _ := strconv.Atoi(m[2])
			out = append(out, statedTime{raw: m[0], hour: h, mins: mins})
		}
	}
	return out
}

// normCourt reduces a court's name for comparison.
func normCourt(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("'", "", "’", "", ".", "").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// courtNames returns the court names a sentence states.
func courtNames(s string) []string {
	var out []string
	for _, m := range reCourt.FindAllStringSubmatch(s, -1) {
		town := strings.TrimSpace(m[1])
		// Drop leading words that are not part of a name ("At Leeds").
		if f := strings.Fields(town); len(f) > 1 {
			for len(f) > 1 && (f[0] == "At" || f[0] == "The" || f[0] == "In" || f[0] == "On") {
				f = f[1:]
			}
			town = strings.Join(f, " ")
		}
		if town == "At" || town == "The" || town == "In" {
			continue
		}
		out = append(out, town+" "+m[2])
	}
	for _, m := range reCyCourt.FindAllStringSubmatch(s, -1) {
		out = append(out, m[0])
	}
	for _, cc := range refdata.CrownCourts() {
		if !strings.HasSuffix(cc.Name, "Crown Court") && strings.Contains(s, cc.Name) {
			out = append(out, cc.Name)
		}
	}
	return out
}

// courtForms are every name a recorded court goes by.
func courtForms(court string) []string {
	return []string{normCourt(court), normCourt(CourtName("en", court)), normCourt(CourtName("cy", court))}
}

func sameCourt(stated, recorded string) bool {
	n := normCourt(stated)
	for _, f := range courtForms(recorded) {
		if f == n {
			return true
		}
	}
	return false
}

// describe states a hearing as the record has it, in the words of the
// person sending the message (who never sees a hearing's id).
func describe(h *throughline.Hearing) string {
	f := hearingFacts("en", h)
	s := fmt.Sprintf("%s on %s", kindName[h.Kind], f.Date)
	if f.Time != "" {
		s += " at " + f.Time
	}
	s += " at " + f.Court
	if h.Status != "listed" {
		s += " (" + map[string]string{"vacated": "cancelled", "held": "already held"}[h.Status] + ")"
	}
	return s
}

var kindName = map[string]string{"first_appearance": "the first appearance", "ptph": "the PTPH", "mention": "the mention hearing",
	"ground_rules": "the ground rules hearing", "s28": "the s.28 hearing", "trial": "the trial", "sentence": "the sentencing hearing"}

// Check returns every fact that text states and the record c contradicts:
// dates, times and courts of hearings, and where the case stands. now
// fixes "this year" for a date written without one. Check is conservative:
// a date is checked only in a sentence that talks about a hearing or a
// court, so "I will call you on 3 June" passes.
func Check(c *throughline.Case, text string, now time.Time) []Conflict {
	var out []Conflict
	seen := map[string]bool{}
	add := func(cf Conflict) {
		if k := cf.Stated + "|" + cf.Record; !seen[k] {
			seen[k] = true
			out = append(out, cf)
		}
	}
	for _, s := range Sentences(text) {
		var kinds []string
		mentionsKind := false
		for _, ht := range hearingTerms {
			if ht.re.MatchString(s) {
				if ht.kinds[0] != "" {
					mentionsKind = true
					kinds = append(kinds, ht.kinds...)
				} else if !mentionsKind {
					kinds = append(kinds, "")
				}
			}
		}
		if mentionsKind {
			kinds = slicesWithout(kinds, "")
		}
		courts := courtNames(s)
		ds := dates(s)
		ts := times(s)
		if len(kinds) > 0 || len(courts) > 0 {
			if len(kinds) == 0 {
				kinds = []string{""}
			}
			// The hearings the sentence may be about.
			var cands, listed []*throughline.Hearing
			for i := range c.Hearings {
				h := &c.Hearings[i]
				for _, k := range kinds {
					if k == "" || h.Kind == k {
						cands = append(cands, h)
						if h.Status == "listed" {
							listed = append(listed, h)
						}
						break
					}
				}
			}
			anyHit := false
			for _, d := range ds {
				var hit *throughline.Hearing
				for _, h := range cands {
					if d.matches(h.StartsAt.Time()) {
						hit = h
						if h.Status != "vacated" {
							break
						}
					}
				}
				switch {
				case hit != nil && hit.Status == "vacated":
					add(Conflict{Stated: d.raw, Record: describe(hit)})
				case hit == nil && len(listed) > 0:
					add(Conflict{Stated: d.raw, Record: describeAll(listed)})
				case hit == nil && len(cands) > 0:
					add(Conflict{Stated: d.raw, Record: describeAll(cands)})
				case hit == nil && kinds[0] != "":
					add(Conflict{Stated: d.raw, Record: "no " + strings.TrimPrefix(kindName[kinds[0]], "the ") + " is listed"})
				case hit == nil:
					add(Conflict{Stated: d.raw, Record: "no hearing is listed on that day"})
				}
				if hit != nil {
					anyHit = true
					for _, t := range ts {
						if !hit.StartsAt.DateOnly() {
							ht := hit.StartsAt.Time().In(throughline.London)
							if ht.Hour() != t.hour || ht.Minute() != t.mins {
								add(Conflict{Stated: t.raw, Record: describe(hit)})
							}
						}
					}
					for _, ct := range courts {
						if !sameCourt(ct, hit.Court) {
							add(Conflict{Stated: ct, Record: describe(hit)})
						}
					}
				}
			}
			if len(ds) > 0 && !anyHit && len(listed) > 0 {
				// A wrong date and a court: the court is checked against the
				// hearings the sentence may be about.
				for _, ct := range courts {
					ok := false
					for _, h := range listed {
						ok = ok || sameCourt(ct, h.Court)
					}
					if !ok {
						add(Conflict{Stated: ct, Record: describeAll(listed)})
					}
				}
			}
			if len(ds) == 0 {
				// A time or court without a date: the hearing of that kind still listed.
				target := listed
				if len(target) == 1 || (len(target) > 0 && kinds[0] != "") {
					h := target[0]
					for _, t := range ts {
						if !h.StartsAt.DateOnly() {
							ht := h.StartsAt.Time().In(throughline.London)
							if len(target) == 1 && (ht.Hour() != t.hour || ht.Minute() != t.mins) {
								add(Conflict{Stated: t.raw, Record: describe(h)})
							}
						}
					}
					for _, ct := range courts {
						ok := false
						for _, h := range target {
							ok = ok || sameCourt(ct, h.Court)
						}
						if !ok && kinds[0] != "" {
							add(Conflict{Stated: ct, Record: describeAll(target)})
						}
					}
				}
				if kinds[0] == "" {
					for _, ct := range courts {
						if !caseCourt(c, ct) {
							add(Conflict{Stated: ct, Record: "the case has no hearing at " + ct + courtsOf(c)})
						}
					}
				}
			}
		}
		if !reNegation.MatchString(s) {
			for _, sc := range stageClaims {
				if m := sc.re.FindString(s); m != "" && !sc.ok(c) {
					add(Conflict{Stated: m, Record: sc.what + " (the case is at stage " + c.Stage() + ")"})
				}
			}
		}
	}
	return out
}

func describeAll(hs []*throughline.Hearing) string {
	var parts []string
	for _, h := range hs {
		parts = append(parts, describe(h))
	}
	return strings.Join(parts, "; ")
}

func caseCourt(c *throughline.Case, stated string) bool {
	for _, h := range c.Hearings {
		if sameCourt(stated, h.Court) {
			return true
		}
	}
	for _, d := range c.Defendants {
		if d.Court != "" && sameCourt(stated, d.Court) {
			return true
		}
	}
	return false
}

func courtsOf(c *throughline.Case) string {
	var names []string
	seen := map[string]bool{}
	for _, h := range c.Hearings {
		if n := CourtName("en", h.Court); !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (its courts: " + strings.Join(names, ", ") + ")"
}

func slicesWithout(xs []string, drop string) []string {
	out := xs[:0]
	for _, x := range xs {
		if x != drop {
			out = append(out, x)
		}
	}
	return out
}
