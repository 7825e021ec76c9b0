package review

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/deadline"
	"throughline/web/access"
	"throughline/web/page"
)

// What the record shows for each of the default questions: the reviewer's
// starting point, drawn from the same case view the case page gives them
// (pseudonymised, with the work but not the victim's own details), each
// with a link to where on the case page the evidence is. The reviewer still
// answers; the record only says what it holds. A question the inspector
// wrote themselves has none.

// evidence is what the record shows on one question.
type evidence struct {
	Lines []string
	Href  string // where on the case page to read it
	Link  string
}

// evidenceFor returns, for each of the review's questions that is a
// default question, what the case's record shows; nil for the others.
func evidenceFor(questions []string, ca *access.Case, ds []throughline.CaseDeadline, evs []throughline.Event, today time.Time) []*evidence {
	out := make([]*evidence, len(questions))
	deadlines := page.CaseURL(ca.Ref) + "#deadlines-heading"
	for i, q := range questions {
		switch slices.Index(throughline.DefaultReviewQuestions, q) {
		case 0: // victim communication
			out[i] = &evidence{Lines: []string{tally("The victim's entitlements under the Victims' Code", ds, today, func(d throughline.CaseDeadline) bool {
				return protects(d) == "complainant" && d.Rule != deadline.InfoRequestNotice
			})}, Href: deadlines, Link: "the deadlines"}
		case 1: // progression and supervision
			lines := []string{tally("The police's and the CPS's case duties (advice, charge, court stages, custody time limits)", ds, today, func(d throughline.CaseDeadline) bool {
				return protects(d) != "complainant" && d.Rule != deadline.ActionItem && d.Rule != deadline.MaterialReview
			})}
			if c := ca.Case; c != nil && !c.Reported.IsZero() {
				for _, df := range c.Defendants {
					if !df.Charged.IsZero() {
						lines = append(lines, "Reported on "+day(c.Reported)+"; charged on "+day(df.Charged)+", "+strconv.Itoa(daysBetween(c.Reported, df.Charged))+" days later.")
						break
					}
				}
			}
			out[i] = &evidence{Lines: lines, Href: deadlines, Link: "the deadlines"}
		case 2: // disclosure and therapy material
			out[i] = &evidence{Lines: []string{
				tally("Written notice to the victim on or before each information request (PCSCA 2022 s.44B)", ds, today, func(d throughline.CaseDeadline) bool { return d.Rule == deadline.InfoRequestNotice }),
				tally("Reviews of decisions not to seek, or to withhold, material about her", ds, today, func(d throughline.CaseDeadline) bool { return d.Rule == deadline.MaterialReview }),
			}, Href: deadlines, Link: "the deadlines"}
		case 3: // special measures
			out[i] = &evidence{Lines: measures(ca.Case, evs), Href: page.CaseURL(ca.Ref) + "#timeline", Link: "the timeline"}
		case 4: // police–CPS collaboration
			lines := []string{tally("Action plan items", ds, today, func(d throughline.CaseDeadline) bool { return d.Rule == deadline.ActionItem })}
			if c := ca.Case; c != nil && len(c.Assessments) > 0 {
				n := 0
				for _, a := range c.Assessments {
					if a.Outcome == "not_acceptable" {
						n++
					}
				}
				lines = append(lines, strconv.Itoa(len(c.Assessments))+" file-quality assessments by the CPS, "+strconv.Itoa(n)+" finding the file not acceptable.")
			}
			out[i] = &evidence{Lines: lines, Href: deadlines, Link: "the deadlines"}
		}
	}
	return out
}

// protects is whom a deadline's rule protects: "complainant", "defendant"
// or "case".
func protects(d throughline.CaseDeadline) string {
	r, _ := deadline.RuleNamed(d.Rule, d.Starts)
	return r.Protects
}

// tally says how the deadlines of a kind stand: met on time, met late,
// missed, still running.
func tally(what string, ds []throughline.CaseDeadline, today time.Time, of func(throughline.CaseDeadline) bool) string {
	n := map[string]int{}
	total := 0
	for _, d := range ds {
		if !of(d) {
			continue
		}
		st := d.Status(today)
		if st == throughline.DeadlineNotApplicable {
			continue
		}
		n[st]++
		total++
	}
	if total == 0 {
		return what + ": none applied to this case."
	}
	parts := []string{strconv.Itoa(n[throughline.DeadlineMet]) + " met on time"}
	if k := n[throughline.DeadlineMetLate]; k > 0 {
		parts = append(parts, strconv.Itoa(k)+" met late")
	}
	if k := n[throughline.DeadlineMissed]; k > 0 {
		parts = append(parts, strconv.Itoa(k)+" missed")
	}
	if k := n[throughline.DeadlineDueSoon] + n[throughline.DeadlinePending]; k > 0 {
		parts = append(parts, strconv.Itoa(k)+" not yet due")
	}
	return what + ": " + strconv.Itoa(total) + " in all; " + strings.Join(parts, ", ") + "."
}

// measures says what special measures were applied for, when, against the
// plea and trial preparation hearing, and what the court granted.
func measures(c *throughline.Case, evs []throughline.Event) []string {
	if c == nil {
		return nil
	}
	var ptph time.Time
	for _, h := range c.Hearings {
		if h.Kind == "ptph" && !h.StartsAt.IsZero() && (ptph.IsZero() || h.StartsAt.Time().Before(ptph)) {
			ptph = h.StartsAt.Date()
		}
	}
	var lines []string
	for _, e := range evs {
		a, ok := e.Data.(*throughline.SpecialMeasuresApplied)
		if !ok {
			continue
		}
		line := "Applied for " + words(a.Measures) + " on " + day(e.OccurredAt)
		if !ptph.IsZero() {
			switch n := daysBetween(throughline.At(ptph), e.OccurredAt); {
			case n >= 0:
				line += ", " + strconv.Itoa(n) + " days after the plea and trial preparation hearing (the Criminal Procedure Rules ask for it within 28 days of a not-guilty plea, r.18.3)"
			default:
				line += ", before the plea and trial preparation hearing"
			}
		}
		lines = append(lines, line+".")
	}
	for _, cp := range c.Complainants {
		if len(cp.MeasuresGranted) > 0 {
			lines = append(lines, "Granted: "+words(cp.MeasuresGranted)+".")
		}
	}
	if len(lines) == 0 {
		lines = []string{"No application for special measures is recorded."}
	}
	return lines
}

func words(ms []string) string {
	var out []string
	for _, m := range ms {
		out = append(out, page.MeasureName(m))
	}
	return strings.Join(out, ", ")
}

func day(w throughline.When) string { return w.Time().Format("2 January 2006") }

func daysBetween(from, to throughline.When) int { return int(to.Date().Sub(from.Date()).Hours() / 24) }
