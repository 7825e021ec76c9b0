package sim

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteTable writes results side by side as a plain-text table for people:
// each figure as its mean with the 95% confidence interval in brackets, and,
// when diff is given, a last column with the paired difference.
func WriteTable(w io.Writer, results []*Result, diff *Difference) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 3, ' ', 0)
	columns := len(results)
	if diff != nil {
		columns++
	}
	// Every row has every cell: tabwriter aligns a column only over
	// consecutive rows that have it.
	row := func(label string, cells ...string) {
		for len(cells) < columns {
			cells = append(cells, "")
		}
		fmt.Fprintln(tw, label+"\t"+strings.Join(cells, "\t"))
	}
	each := func(f func(r *Result) string) []string {
		out := make([]string, len(results))
		for i, r := range results {
			out[i] = f(r)
		}
		return out
	}
	withDiff := func(cells []string, d string) []string {
		if diff != nil {
			return append(cells, d)
		}
		return cells
	}
	head := each(func(r *Result) string { return r.Name })
	if diff != nil {
		head = append(head, "difference")
	}
	row("", head...)
	row("replications", withDiff(each(func(r *Result) string { return fmt.Sprint(r.Replications) }), "(paired)")...)
	row("horizon (years)", each(func(r *Result) string { return fmt.Sprintf("%.1f", float64(r.HorizonDays)/daysPerYear) })...)
	d := func(f func(*Difference) Estimate) string {
		if diff == nil {
			return ""
		}
		return signedEstimate(f(diff), 0)
	}
	row("wait, sending → trial (days)", withDiff(each(func(r *Result) string { return durationMean(r.WaitDays) }), d(func(x *Difference) Estimate { return x.WaitDaysMean }))...)
	row("  median / 90th percentile", withDiff(each(func(r *Result) string { return medianP90(r.WaitDays) }), diffMedianP90(diff))...)
	row("charge → trial (days)", withDiff(each(func(r *Result) string { return durationMean(r.ChargeToTrialDays) }), d(func(x *Difference) Estimate { return x.ChargeToTrialDaysMean }))...)
	row("  median / 90th percentile", each(func(r *Result) string { return medianP90(r.ChargeToTrialDays) })...)
	row("report → trial (days)", withDiff(each(func(r *Result) string { return durationMean(r.ReportToTrialDays) }), d(func(x *Difference) Estimate { return x.ReportToTrialDaysMean }))...)
	row("  median / 90th percentile", each(func(r *Result) string { return medianP90(r.ReportToTrialDays) })...)
	row("trials started a year", withDiff(each(func(r *Result) string { return estimateText(r.TrialsPerYear, 0) }), d(func(x *Difference) Estimate { return x.TrialsPerYear }))...)
	row("cracked a year", each(func(r *Result) string { return estimateText(r.CrackedPerYear, 0) })...)
	row("ineffective a year", each(func(r *Result) string { return estimateText(r.IneffectivePerYear, 0) })...)
	row("  share of listings", withDiff(each(func(r *Result) string { return percent(r.IneffectiveShare) }), signedPercent(diff, func(x *Difference) Estimate { return x.IneffectiveShare }))...)
	row("withdrawals a year", withDiff(each(func(r *Result) string { return estimateText(r.WithdrawalsPerYear, 0) }), d(func(x *Difference) Estimate { return x.WithdrawalsPerYear }))...)
	row("  share of cases concluded", withDiff(each(func(r *Result) string { return percent(r.WithdrawalShare) }), signedPercent(diff, func(x *Difference) Estimate { return x.WithdrawalShare }))...)
	row("courtroom utilisation", withDiff(each(func(r *Result) string { return percent(r.Utilisation) }), signedPercent(diff, func(x *Difference) Estimate { return x.Utilisation }))...)
	row("backlog at the end", withDiff(each(func(r *Result) string { return estimateText(r.BacklogEnd, 0) }), d(func(x *Difference) Estimate { return x.BacklogEnd }))...)
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	for line := range strings.Lines(buf.String()) {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+"\n"); err != nil {
			return fmt.Errorf("table: %w", err)
		}
	}
	return nil
}

func durationMean(d Duration) string {
	return estimateText(Estimate{Mean: d.Mean, CI95: d.CI95}, 0)
}

func medianP90(d Duration) string {
	return num(float64(d.Median), 0) + " / " + num(float64(d.P90), 0)
}

func diffMedianP90(diff *Difference) string {
	if diff == nil {
		return ""
	}
	return signed(float64(diff.WaitDaysMedian), 0) + " / " + signed(float64(diff.WaitDaysP90), 0)
}

func estimateText(e Estimate, prec int) string {
	s := num(float64(e.Mean), prec)
	if lo, hi := float64(e.CI95[0]), float64(e.CI95[1]); !math.IsNaN(lo) && !math.IsNaN(hi) {
		s += " [" + num(lo, prec) + ", " + num(hi, prec) + "]"
	}
	return s
}

func signedEstimate(e Estimate, prec int) string {
	s := signed(float64(e.Mean), prec)
	if lo, hi := float64(e.CI95[0]), float64(e.CI95[1]); !math.IsNaN(lo) && !math.IsNaN(hi) {
		s += " [" + signed(lo, prec) + ", " + signed(hi, prec) + "]"
	}
	return s
}

func percent(e Estimate) string {
	if math.IsNaN(float64(e.Mean)) {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(e.Mean))
}

func signedPercent(diff *Difference, f func(*Difference) Estimate) string {
	if diff == nil {
		return ""
	}
	e := f(diff)
	if math.IsNaN(float64(e.Mean)) {
		return "–"
	}
	s := fmt.Sprintf("%+.1f pts", 100*float64(e.Mean))
	if lo, hi := float64(e.CI95[0]), float64(e.CI95[1]); !math.IsNaN(lo) && !math.IsNaN(hi) {
		s += fmt.Sprintf(" [%+.1f, %+.1f]", 100*lo, 100*hi)
	}
	return s
}

// num formats x with thousands separators; "–" for nothing to report.
func num(x float64, prec int) string { return Grouped(x, prec, "-") }

// Grouped formats x to prec decimals with thousands separators, and minus
// before a negative number ("-", or "−" on a page); "–" for NaN or an
// infinity: nothing to report.
func Grouped(x float64, prec int, minus string) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', prec, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if x < 0 && strings.Trim(s, "0.") != "" {
		b.WriteString(minus)
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

func signed(x float64, prec int) string {
	s := num(x, prec)
	if x > 0 && s != "0" {
		return "+" + s
	}
	return s
}
