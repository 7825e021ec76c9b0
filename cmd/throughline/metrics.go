package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"throughline"
	"throughline/oversight"
	"throughline/sqlstore"
)

func init() {
	register("metrics", "the inspection's measures: timeliness, attrition, outcomes, caseload, compliance", runMetrics)
}

// eventLog is what metrics needs of the store: the measures' roll-up (each
// case's facts, kept in the append transaction, and their narrow records),
// and every event, each case's in log order (the store gives the global
// append order, which interleaves cases), for the recomputation from the
// raw events.
type eventLog interface {
	EachCaseFacts(ctx context.Context, fn func(record []byte) error) error
	EachNarrowFacts(ctx context.Context, fn func(record []byte) error) (int, error)
	EachEvent(ctx context.Context, fn func(throughline.Event) error) error
}

// measureLog computes the measures from the roll-up's narrow records, or
// with fromEvents recomputes them from every event in the log (the
// reference: the same figures, TestMetricsOfGeneratedCases); a note on
// stderr says when it had to read the full records instead. It returns the
// cases whose events it read.
func measureLog(ctx context.Context, log eventLog, p oversight.Params, fromEvents bool, stderr io.Writer) (oversight.Report, []string, error) {
	if !fromEvents {
		r, err := measureNarrow(ctx, log, p, stderr)
		return r, nil, err
	}
	facts, refs, err := readFacts(ctx, log, true)
	if err != nil {
		return oversight.Report{}, nil, err
	}
	r, err := oversight.Aggregate(facts, p)
	return r, refs, err
}

// measureNarrow computes the measures from every case's narrow record
// (docs/adr/0258), or, if some case has none (a database written before
// migration 0132, until `throughline rebuild`), from every case's full
// record, saying so on stderr: the same figures, more slowly.
func measureNarrow(ctx context.Context, log eventLog, p oversight.Params, stderr io.Writer) (oversight.Report, error) {
	var cases int
	r, err := oversight.AggregateNarrow(func(fn func([]byte) error) error {
		var err error
		cases, err = log.EachNarrowFacts(ctx, fn)
		return err
	}, p)
	if err != nil || r.Cases >= cases {
		return r, err
	}
	fmt.Fprintf(stderr, "metrics: %d of the %d cases have no narrow record in the roll-up (the database was written before migration 0132): "+
		"reading the cases' full records instead, which is slower. Run `throughline rebuild` once to write them.\n", cases-r.Cases, cases)
	facts, _, err := readFacts(ctx, log, false)
	if err != nil {
		return oversight.Report{}, err
	}
	return oversight.Aggregate(facts, p)
}

// readFacts reads every case's facts from the roll-up, or with fromEvents
// extracts them from every event in the log, and the cases' references.
func readFacts(ctx context.Context, log eventLog, fromEvents bool) ([]oversight.Facts, []string, error) {
	var facts []oversight.Facts
	if fromEvents {
		var c oversight.Collector
		if err := log.EachEvent(ctx, c.Add); err != nil {
			return nil, nil, err
		}
		facts = c.Facts()
	} else {
		var err error
		if facts, err = oversight.DecodeAll(func(fn func([]byte) error) error { return log.EachCaseFacts(ctx, fn) }); err != nil {
			return nil, nil, err
		}
	}
	refs := make([]string, len(facts))
	for i, f := range facts {
		refs[i] = f.Case
	}
	return facts, refs, nil
}

func runMetrics(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("metrics", "metrics [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by "+strings.Join(oversight.Breakdowns, "|")+"] [--json|--csv] [--from-events] [--db DSN]")
	db := m.dbFlag(fs)
	from := fs.String("from", "", "first day of the period (default: the first report)")
	to := fs.String("to", "", "last day of the period (default: today); the open caseload is as of this day")
	by := fs.String("by", "", "break down by "+strings.Join(oversight.Breakdowns, ", "))
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV: one row per group, measure and figure")
	fromEvents := fs.Bool("from-events", false, "recompute from every event in the log (the reference) rather than read the roll-up")
	purpose := fs.String("purpose", "aggregate statistics (oversight measures)", "why: written to the administrators' log (and with --from-events to the consultation log of every case)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *asJSON && *asCSV {
		return usagef("--json and --csv cannot be used together")
	}
	if *by != "" && !slices.Contains(oversight.Breakdowns, *by) {
		return usagef("--by must be one of %s", strings.Join(oversight.Breakdowns, ", "))
	}
	var p oversight.Params
	p.By = *by
	for _, d := range []struct {
		flag, val string
		dst       *time.Time
	}{{"--from", *from, &p.From}, {"--to", *to, &p.To}} {
		if d.val == "" {
			continue
		}
		w, err := throughline.ParseWhen(d.val)
		if err != nil || !w.DateOnly() {
			return usagef("%s must be a date (YYYY-MM-DD)", d.flag)
		}
		*d.dst = w.Date()
	}
	if p.To.IsZero() {
		p.To = throughline.At(m.Now()).Date()
	}
	if !p.From.IsZero() && p.To.Before(p.From) {
		return usagef("--to is before --from")
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	// Every case's facts are held at once (700,000 on a national record)
	// and most of what is allocated stays live: collecting garbage at the
	// default pace would scan them again and again for little.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	rep, refs, err := measureLog(ctx, s, p, *fromEvents, m.Stderr)
	if err != nil {
		return err
	}
	if err := logMetrics(ctx, m, s, p, refs, *fromEvents, *purpose); err != nil {
		return err
	}
	switch {
	case *asJSON:
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case *asCSV:
		return writeMetricsCSV(m.Stdout, rep)
	}
	return writeMetricsTable(m.Stdout, rep)
}

// logMetrics records the query before any figure is shown (docs/adr/0257).
// The roll-up holds no personal data — the age band at report is a band,
// kept so that it survives erasure — so reading it consults no case: one
// entry in the administrators' log says who asked, when, and for what
// period and breakdown. The recomputation from the events reads every
// case's log, dates of birth included: an entry per case in the
// consultation log, as before.
func logMetrics(ctx context.Context, m *Main, s *sqlstore.Store, p oversight.Params, refs []string, fromEvents bool, purpose string) error {
	if fromEvents {
		return m.logConsultation(ctx, s, refs, []string{"date of birth (age band at report)"}, "cli", "metrics", purpose)
	}
	scope := "all cases, to " + p.To.Format(time.DateOnly)
	if !p.From.IsZero() {
		scope = "all cases, " + p.From.Format(time.DateOnly) + " to " + p.To.Format(time.DateOnly)
	}
	if p.By != "" {
		scope += ", by " + p.By
	}
	if err := s.AdminLog(ctx, "cli:"+m.operator(), "metrics", scope, purpose); err != nil {
		return fmt.Errorf("administrators' log: %w (nothing was shown)", err)
	}
	return nil
}

// writeMetricsCSV writes one row per group, measure and figure:
// by,key,label,from,to,measure,field,value. The whole (every case) is the
// row group with an empty key. A null figure is an empty value.
func writeMetricsCSV(w io.Writer, r oversight.Report) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"by", "key", "label", "from", "to", "measure", "field", "value"})
	rows := func(key, label, from, to string, ms oversight.Measures) error {
		flat, err := flatten(ms)
		if err != nil {
			return err
		}
		for _, f := range flat {
			cw.Write([]string{r.By, key, label, from, to, f[0], f[1], f[2]})
		}
		return nil
	}
	if err := rows("", "All cases", r.From, r.To, r.Measures); err != nil {
		return err
	}
	for _, g := range r.Groups {
		from, to := r.From, r.To
		if g.From != "" {
			from, to = g.From, g.To
		}
		if err := rows(g.Key, g.Label, from, to, g.Measures); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// flatten turns the measures' JSON into (measure, field, value) triples,
// fields as dotted paths; compliance rows are keyed rule/owner.
func flatten(ms oversight.Measures) ([][3]string, error) {
	b, err := json.Marshal(ms)
	if err != nil {
		return nil, err
	}
	var top map[string]any
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, err
	}
	var out [][3]string
	var walk func(measure, path string, v any)
	walk = func(measure, path string, v any) {
		join := func(k string) string {
			if path == "" {
				return k
			}
			return path + "." + k
		}
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(measure, join(k), x[k])
			}
		case []any:
			for i, e := range x {
				k := strconv.Itoa(i)
				if row, ok := e.(map[string]any); ok && row["rule"] != nil {
					k = fmt.Sprint(row["rule"], "/", row["owner"])
					row = without(row, "rule", "owner")
					e = row
				}
				walk(measure, join(k), e)
			}
		case nil:
			out = append(out, [3]string{measure, path, ""})
		case float64:
			out = append(out, [3]string{measure, path, strconv.FormatFloat(x, 'f', -1, 64)})
		default:
			out = append(out, [3]string{measure, path, fmt.Sprint(x)})
		}
	}
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		walk(k, "", top[k])
	}
	return out, nil
}

// without returns m without the given keys.
func without(m map[string]any, drop ...string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !slices.Contains(drop, k) {
			out[k] = v
		}
	}
	return out
}

// writeMetricsTable prints the figures for a person to read.
func writeMetricsTable(w io.Writer, r oversight.Report) error {
	if r.From == "" {
		_, err := fmt.Fprintln(w, "No cases.")
		return err
	}
	fmt.Fprintf(w, "Throughline measures, %s to %s: %d cases in the record; each measure counts the cases whose end event falls in the period.\n\n", longDate(r.From), longDate(r.To), r.Cases)
	ms := r.Measures
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "TIMELINESS (calendar days)\tMEAN\tMEDIAN\tP90\tCASES\t")
	for _, s := range []struct {
		name string
		st   oversight.Stat
	}{
		{"report → charge", ms.ReportToCharge},
		{"CPS receipt → charging decision", ms.ReceiptToDecision},
		{"charge → first hearing", ms.ChargeToFirstHearing},
		{"sending → trial", ms.SendingToTrial},
		{"charge → trial", ms.ChargeToTrial},
		{"charge → completion", ms.ChargeToCompletion},
		{"report → trial", ms.ReportToTrial},
	} {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t\n", s.name, mean(s.st), num(s.st, s.st.Median), num(s.st, s.st.P90), s.st.N)
	}
	tw.Flush()
	cr, at, cv, to := ms.ChargeRate, ms.Attrition, ms.ConvictionRate, ms.TrialOutcomes
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Reports\t%d\n", ms.Reports)
	fmt.Fprintf(tw, "Charge rate\t%s\t%d charged, %d left before charge\n", pct(cr.Rate), cr.Charged, cr.LeftBeforeCharge)
	fmt.Fprintf(tw, "Left before charge\t%d\t%s\n", at.PreCharge.Total, reasons(at.PreCharge.Reasons))
	fmt.Fprintf(tw, "Left after charge\t%d\t%s; %d after the complainant withdrew\n", at.PostCharge.Total, reasons(at.PostCharge.Reasons), at.PostCharge.AfterComplainantWithdrew)
	fmt.Fprintf(tw, "Complainant withdrew after charge\t%d\n", at.ComplainantWithdrewAfterCharge)
	fmt.Fprintf(tw, "Conviction rate\t%s\t%d convicted of %d completed\n", pct(cv.Rate), cv.Convicted, cv.Completed)
	fmt.Fprintf(tw, "Jury conviction rate\t%s\t%s\n", pct(ms.Verdicts.JuryConvictionRate), reasons(ms.Verdicts.Results))
	fmt.Fprintf(tw, "Trials that sat\t%d\teffective %s, cracked %s, ineffective %s\n", to.Held, pct(to.EffectiveRate), pct(to.CrackedRate), pct(to.IneffectiveRate))
	fmt.Fprintf(tw, "  cracked because\t\t%s\n", reasons(to.CrackedReasons))
	fmt.Fprintf(tw, "  ineffective because\t\t%s\n", reasons(to.IneffectiveReasons))
	fmt.Fprintf(tw, "Adjournments per completed case\t%s\tmedian %s, p90 %s\n", mean(ms.Adjournments), num(ms.Adjournments, ms.Adjournments.Median), num(ms.Adjournments, ms.Adjournments.P90))
	oc := ms.OpenCaseload
	fmt.Fprintf(tw, "Open in the Crown Court on %s\t%d\tage in days: median %s, p90 %s\n", longDate(oc.AsOf), oc.Open, num(oc.AgeDays, oc.AgeDays.Median), num(oc.AgeDays, oc.AgeDays.P90))
	ir, dx := ms.InformationRequests, ms.DeviceExtraction
	fmt.Fprintf(tw, "Information requests recorded\t%d\t%d for counselling information; %d approved by a supervisor\n", ir.Recorded, ir.Counselling, ir.Approved)
	fmt.Fprintf(tw, "Information requests made\t%d\t%s\n", ir.Sent, reasons(ir.Material))
	fmt.Fprintf(tw, "  her notice\t\tbefore %d, after %d, excepted (s.44B(5)) %d, not given %d\n", ir.Notice[oversight.NoticeBefore], ir.Notice[oversight.NoticeAfter], ir.Notice[oversight.NoticeExcepted], ir.Notice[oversight.NoticeNotGiven])
	fmt.Fprintf(tw, "  holders' answers\t\treceived %d, refused %d; %d withdrawn (%d before being made)\n", ir.Received, ir.HolderRefused, ir.Withdrawn, ir.WithdrawnBeforeSent)
	fmt.Fprintf(tw, "Device extraction refused by her\t%s\t%d refused, %d agreed, of %d requested; %d agreements withdrawn\n", pct(dx.RefusalRate), dx.Refused, dx.Agreed, dx.Requested, dx.Withdrawn)
	cl, dh := ms.CustodyLimits, ms.DaysHeld
	fmt.Fprintf(tw, "Custody time limits: near misses\t%d\tof %d met, with %d days or fewer to spare (%s)\n", cl.NearMisses, cl.Met, cl.WithinDays, pct(cl.Rate))
	fmt.Fprintf(tw, "Days the cases waited on\t%d\tpolice %s, CPS %s, court %s, defence %s, complainant %s, nobody %s (%d cases)\n", dh.Days.Total(),
		pct(&dh.Share.Police), pct(&dh.Share.CPS), pct(&dh.Share.Court), pct(&dh.Share.Defence), pct(&dh.Share.Complainant), pct(&dh.Share.Nobody), dh.Cases)
	tw.Flush()
	if len(ms.VictimsCode) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VICTIMS' CODE\tDUTY HOLDER\tDUE\tON TIME\tLATE\tMISSED\tPENDING\tON TIME %")
		for _, c := range ms.VictimsCode {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%.1f\n", c.Rule, c.Owner, c.Due, c.MetOnTime, c.MetLate, c.Missed, c.Pending, 100*c.OnTimeShare)
		}
		tw.Flush()
	}
	if len(r.Groups) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nBY %s\n", strings.ToUpper(r.By))
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tREPORTS\tCHARGE RATE\tREPORT→TRIAL MEAN\tMEDIAN\tP90\tCASES\tCONVICTION RATE\tEFFECTIVE TRIALS\tOPEN CASELOAD\t")
	for _, g := range r.Groups {
		s := g.ReportToTrial
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%d\t\n", g.Label, g.Reports, pct(g.ChargeRate.Rate), mean(s), num(s, s.Median), num(s, s.P90), s.N,
			pct(g.ConvictionRate.Rate), pct(g.TrialOutcomes.EffectiveRate), g.OpenCaseload.Open)
	}
	return tw.Flush()
}

func mean(s oversight.Stat) string {
	if s.N == 0 {
		return "–"
	}
	return strconv.FormatFloat(s.Mean, 'f', 1, 64)
}

func num(s oversight.Stat, v int) string {
	if s.N == 0 {
		return "–"
	}
	return strconv.Itoa(v)
}

func pct(r *float64) string {
	if r == nil {
		return "–"
	}
	return strconv.FormatFloat(100**r, 'f', 1, 64) + "%"
}

func reasons(m map[string]int) string {
	if len(m) == 0 {
		return "–"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", strings.ReplaceAll(k, "_", " "), m[k])
	}
	return strings.Join(parts, ", ")
}

// longDate writes 2025-05-12 as 12 May 2025.
func longDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("2 January 2006")
}
