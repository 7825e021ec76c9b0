package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"throughline"
	"throughline/attribution"
	"throughline/oversight"
	"throughline/refdata"
)

func init() {
	register("attribution", "who each case waited on, day by day: one case, or where a period's days went", runAttribution)
}

// attributionStore is what the attribution command reads: the measures'
// roll-up, and the log.
type attributionStore interface {
	attribution.Log
	EachCaseFactsSplit(ctx context.Context, parts int, fn func(part int, record []byte) error) error
}

func runAttribution(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("attribution", "attribution --case REF [--json|--csv] [--db DSN]\n"+
		"       throughline attribution --from YYYY-MM-DD --to YYYY-MM-DD [--by force|area] [--charged|--to-trial] [--from-log] [--json|--csv] [--db DSN]")
	db := m.dbFlag(fs)
	ref := fs.String("case", "", "one case: its days and spans as of now")
	from := fs.String("from", "", "first day of the period: cases closed or open from this day")
	to := fs.String("to", "", "last day of the period; open cases are counted up to the end of it")
	by := fs.String("by", "", "group the period's cases by force or area (CPS area)")
	charged := fs.Bool("charged", false, "only the period's cases in which a suspect was charged (the post-charge cohort of the 706 days)")
	toTrial := fs.Bool("to-trial", false, "only the cases whose first trial started in the period, each counted from the report to that day (the inspection's 706 days)")
	fromLog := fs.Bool("from-log", false, "a period's figures from the whole log, every case folded again, not from the attribution kept with the events: the reference, which gives the same, slowly")
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *asJSON && *asCSV {
		return usagef("--json or --csv, not both")
	}
	period := *from != "" || *to != ""
	switch {
	case *ref != "" && period:
		return usagef("--case, or --from and --to: not both")
	case *ref == "" && !period:
		return usagef("--case REF, or --from and --to, is required")
	case *ref != "" && (*by != "" || *charged || *toTrial || *fromLog):
		return usagef("--by, --charged, --to-trial and --from-log go with --from and --to")
	case *charged && *toTrial:
		return usagef("--charged or --to-trial, not both")
	case *by != "" && *by != "force" && *by != "area":
		return usagef("--by must be force or area, not %q", *by)
	}
	var f, t throughline.When
	if period {
		var err1, err2 error
		f, err1 = throughline.ParseWhen(*from)
		t, err2 = throughline.ParseWhen(*to)
		if err1 != nil || err2 != nil || !f.DateOnly() || !t.DateOnly() || t.Before(f) {
			return usagef("--from and --to must be dates (YYYY-MM-DD), --from not after --to")
		}
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	format := "text"
	if *asJSON {
		format = "json"
	} else if *asCSV {
		format = "csv"
	}
	if *ref != "" {
		return attributeCase(ctx, m, s, *ref, format)
	}
	cohort := allCases
	if *charged {
		cohort = chargedCases
	} else if *toTrial {
		cohort = toTrialCases
	}
	return attributePeriod(ctx, m, s, attribution.DayOf(f.Date()), attribution.DayOf(t.Date()), *by, cohort, *fromLog, format)
}

// attributeCase prints one case's attribution as of now.
func attributeCase(ctx context.Context, m *Main, s attributionStore, ref, format string) error {
	evs, err := s.Events(ctx, ref)
	if err != nil {
		return err
	}
	r := attribution.Spans(evs, m.Now())
	switch format {
	case "json":
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "csv":
		w := csv.NewWriter(m.Stdout)
		w.Write([]string{"case", "defendant", "party", "from", "to", "days", "because"})
		write := func(def string, spans []attribution.Span) {
			for _, sp := range spans {
				w.Write([]string{r.Case, def, sp.Party.String(), sp.From.String(), sp.To.String(), strconv.Itoa(sp.Days()), sp.Because.String()})
			}
		}
		write("", r.Spans)
		for _, d := range r.Defendants {
			write(d.ID, d.Spans)
		}
		w.Flush()
		return w.Error()
	}
	state := "open, as of " + attribution.DayOf(m.Now().In(throughline.London)).String()
	if r.Closed {
		state = "closed on " + r.End.String()
	}
	fmt.Fprintf(m.Stdout, "Case %s: reported on %s, %s: %d days\n\n", r.Case, r.Reported, state, r.Days.Total())
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	printDays(tw, r.Days)
	fmt.Fprintln(tw)
	printSpans(tw, r.Spans)
	tw.Flush()
	for _, d := range r.Defendants {
		fmt.Fprintf(m.Stdout, "\nDefendant %s on their own:\n\n", d.ID)
		printDays(tw, d.Days)
		fmt.Fprintln(tw)
		printSpans(tw, d.Spans)
		tw.Flush()
	}
	return nil
}

func printDays(w io.Writer, d attribution.Days) {
	fmt.Fprintln(w, "WAITING ON\tDAYS\tSHARE")
	for _, p := range attribution.Parties {
		fmt.Fprintf(w, "%s\t%d\t%s\n", p, d.Of(p), share(d.Of(p), d.Total()))
	}
}

func printSpans(w io.Writer, spans []attribution.Span) {
	fmt.Fprintln(w, "FROM\tTO\tDAYS\tWAITING ON\tBECAUSE")
	for _, s := range spans {
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\n", s.From, s.To, s.Days(), s.Party, s.Because)
	}
}

// share is n as a percentage of of, through the same formatting as the
// metrics' rates.
func share(n, of int) string {
	if of == 0 {
		return pct(nil)
	}
	r := float64(n) / float64(of)
	return pct(&r)
}

// periodReport is the JSON of a period's attribution.
type periodReport struct {
	From string `json:"from"`
	To   string `json:"to"`
	AsOf string `json:"as_of"` // the first day not counted for cases still open
	By   string `json:"by,omitempty"`
	// Charged: only cases in which a suspect was charged.
	Charged bool `json:"charged,omitempty"`
	// ToTrial: only cases whose first trial started in the period, counted
	// to that day.
	ToTrial bool                  `json:"to_trial,omitempty"`
	Groups  []attribution.Summary `json:"groups"` // "all" first
}

// cohort is which of the period's cases count, and to when.
type cohort int

const (
	allCases     cohort = iota // closed or open in the period, to closing or the period's end
	chargedCases               // those in which a suspect was charged
	toTrialCases               // those whose first trial started in the period, to that day
)

// attributePeriod prints where the days of the cases closed or open in the
// period went: from the attribution kept in each case's facts, or fromLog
// from the whole log folded again (attribution.EachFromLog: the reference,
// which gives the same).
func attributePeriod(ctx context.Context, m *Main, s attributionStore, from, to attribution.Day, by string, c cohort, fromLog bool, format string) error {
	asOf := (to + 1).Time()
	if now := m.Now(); now.Before(asOf) {
		asOf = now
	}
	var agg attribution.Aggregate
	add := func(r attribution.Result) {
		switch {
		case c == toTrialCases && (!r.Trial || r.End < from || r.End > to):
			return
		case !attribution.InPeriod(r, from, to) || (c == chargedCases && !r.Charged):
			return
		}
		agg.Add("all", r)
		switch by {
		case "force":
			agg.Add(r.Force, r)
		case "area":
			agg.Add(r.CPSArea, r)
		}
	}
	var err error
	if fromLog {
		err = attribution.EachFromLog(ctx, s, asOf, c == toTrialCases, add)
	} else {
		err = oversight.EachAttribution(ctx, s, asOf, c == toTrialCases, add)
	}
	if err != nil {
		return err
	}
	rep := periodReport{From: from.String(), To: to.String(), AsOf: attribution.DayOf(asOf.In(throughline.London)).String(), By: by, Charged: c == chargedCases, ToTrial: c == toTrialCases}
	all := agg.Summaries()
	for _, g := range all {
		if g.Group == "all" {
			rep.Groups = append(rep.Groups, g)
		}
	}
	for _, g := range all {
		if g.Group != "all" {
			rep.Groups = append(rep.Groups, g)
		}
	}
	switch format {
	case "json":
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "csv":
		w := csv.NewWriter(m.Stdout)
		w.Write([]string{"group", "cases", "party", "rule", "days", "share", "median_days", "median_age_days"})
		for _, g := range rep.Groups {
			for _, p := range attribution.Parties {
				w.Write([]string{g.Group, strconv.Itoa(g.Cases), p.String(), "", strconv.Itoa(g.Days.Of(p)),
					strconv.FormatFloat(g.Share.Of(p), 'f', 4, 64), strconv.FormatFloat(g.Median.Of(p), 'f', 1, 64),
					strconv.FormatFloat(g.MedianAge, 'f', 1, 64)})
			}
			for _, r := range g.Rules {
				w.Write([]string{g.Group, strconv.Itoa(g.Cases), r.Party.String(), r.Rule.String(), strconv.Itoa(r.Days),
					strconv.FormatFloat(r.Share, 'f', 4, 64), "", strconv.FormatFloat(g.MedianAge, 'f', 1, 64)})
			}
		}
		w.Flush()
		return w.Error()
	}
	switch c {
	case toTrialCases:
		fmt.Fprintf(m.Stdout, "Where the days went from the report to the trial: cases whose first trial started from %s to %s\n", rep.From, rep.To)
	case chargedCases:
		fmt.Fprintf(m.Stdout, "Where the days went: charged cases closed or open from %s to %s, counted to %s\n", rep.From, rep.To, rep.AsOf)
	default:
		fmt.Fprintf(m.Stdout, "Where the days went: cases closed or open from %s to %s, counted to %s\n", rep.From, rep.To, rep.AsOf)
	}
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	for _, g := range rep.Groups {
		fmt.Fprintf(m.Stdout, "\n%s: %d cases, %d days, median age %s days\n\n", groupName(by, g.Group), g.Cases, g.AgeDays, strconv.FormatFloat(g.MedianAge, 'f', -1, 64))
		fmt.Fprintln(tw, "WAITING ON\tDAYS\tSHARE\tMEDIAN DAYS PER CASE")
		for _, p := range attribution.Parties {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", p, g.Days.Of(p), share(g.Days.Of(p), g.AgeDays), strconv.FormatFloat(g.Median.Of(p), 'f', -1, 64))
		}
		fmt.Fprintln(tw)
		fmt.Fprintln(tw, "WAITING ON\tBECAUSE\tDAYS\tSHARE")
		for _, r := range g.Rules {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", r.Party, r.Rule, r.Days, share(r.Days, g.AgeDays))
		}
		tw.Flush()
	}
	if len(rep.Groups) == 0 {
		fmt.Fprintln(m.Stdout, "\nNo cases.")
	}
	return nil
}

func groupName(by, g string) string {
	switch {
	case g == "all":
		return "All cases"
	case by == "force":
		if f, ok := refdata.LookupForce(g); ok {
			return f.Name + " (" + g + ")"
		}
	case by == "area":
		if a, ok := refdata.LookupCPSArea(g); ok {
			return a.Name
		}
	}
	return g
}
