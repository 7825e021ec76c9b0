package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"throughline/deadline"

	"throughline"
)

func init() {
	register("compliance", "the share of each rule's deadlines met on time, by duty holder", runCompliance)
}

func runCompliance(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("compliance", "compliance --from YYYY-MM-DD --to YYYY-MM-DD [--force F] [--area A] [--json] [--db DSN]")
	db := m.dbFlag(fs)
	from := fs.String("from", "", "first day of the period (deadlines due on or after it)")
	to := fs.String("to", "", "last day of the period")
	force := fs.String("force", "", "only this force (PNC code)")
	area := fs.String("area", "", "only this CPS area")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	f, err1 := throughline.ParseWhen(*from)
	t, err2 := throughline.ParseWhen(*to)
	if err1 != nil || err2 != nil || !f.DateOnly() || !t.DateOnly() || t.Before(f) {
		return usagef("--from and --to must be dates (YYYY-MM-DD), --from not after --to")
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	var forces, areas []string
	if *force != "" {
		forces = []string{*force}
	}
	if *area != "" {
		areas = []string{*area}
	}
	day1, dayN := f.Date(), t.Date()
	ds, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{DueAfter: day1.AddDate(0, 0, -1), DueBefore: dayN, Forces: forces, CPSAreas: areas})
	if err != nil {
		return err
	}
	plain := make([]throughline.Deadline, len(ds))
	for i, d := range ds {
		plain[i] = d.Deadline
	}
	rows := deadline.ComplianceAsOf(plain, day1, dayN, m.Now())
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tOWNER\tDUE\tON TIME\tLATE\tMISSED\tPENDING\tON TIME %")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%.1f\n", r.Rule, r.Owner, r.Due, r.MetOnTime, r.MetLate, r.Missed, r.Pending, 100*r.OnTimeShare)
	}
	return tw.Flush()
}
