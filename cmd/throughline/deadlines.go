package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"throughline"
	"throughline/web/api"
)

func init() {
	register("deadlines", "list a case's deadlines, or every deadline due before a date", runDeadlines)
}

func runDeadlines(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("deadlines", "deadlines (--case REF | --due-before YYYY-MM-DD [--force F]) [--as-of YYYY-MM-DD] [--json] [--db DSN]")
	db := m.dbFlag(fs)
	ref := fs.String("case", "", "the case's reference")
	before := fs.String("due-before", "", "list open deadlines due on or before this day, across cases")
	force := fs.String("force", "", "with --due-before: only this force (PNC code)")
	asOfFlag := fs.String("as-of", "", "the day statuses are worked out for (default today)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if (*ref == "") == (*before == "") {
		return usagef("give either --case REF or --due-before YYYY-MM-DD")
	}
	asOf := m.Now()
	if *asOfFlag != "" {
		w, err := throughline.ParseWhen(*asOfFlag)
		if err != nil || !w.DateOnly() {
			return usagef("--as-of must be a date (YYYY-MM-DD)")
		}
		asOf = w.Date()
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	var ds []throughline.CaseDeadline
	if *ref != "" {
		if _, err := s.Case(ctx, *ref); err != nil {
			return err
		}
		ds, err = s.Deadlines(ctx, *ref)
	} else {
		w, perr := throughline.ParseWhen(*before)
		if perr != nil || !w.DateOnly() {
			return usagef("--due-before must be a date (YYYY-MM-DD)")
		}
		f := throughline.DeadlineFilter{OpenOnly: true, DueBefore: w.Date()}
		if *force != "" {
			f.Forces = []string{*force}
		}
		ds, err = s.DeadlinesDue(ctx, f)
	}
	if err != nil {
		return err
	}
	views := make([]api.DeadlineView, 0, len(ds))
	for _, d := range ds {
		r := d.Case
		if *ref != "" {
			r = ""
		}
		views = append(views, api.NewDeadlineView(r, d.Deadline, asOf))
	}
	api.SortDeadlines(views)
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(views)
	}
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "STATUS\tDUE\tRULE\tSUBJECT\tCONCERNING\tOWNER\tCASE\tMET\n")
	for _, v := range views {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.Status, v.Due, v.Rule, v.Subject, v.Concerning, v.Owner, v.Case, v.MetAt)
	}
	fmt.Fprintf(tw, "(%d deadlines, statuses as of %s)\n", len(views), asOf.In(throughline.London).Format(time.DateOnly))
	return tw.Flush()
}
