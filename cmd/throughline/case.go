package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"throughline"
	"throughline/calendar"
	"throughline/oversight"

	"throughline/web/api"
)

func init() {
	register("case", "case show REF: print a case; case erase REF: erase a closed case's personal data", runCase)
}

const caseSynopsis = "case show REF [--json] [--db DSN]\n       throughline case erase REF --reason TEXT [--on YYYY-MM-DD] [--db DSN]"

func runCase(ctx context.Context, m *Main, args []string) error {
	if len(args) > 0 && args[0] == "erase" {
		return runCaseErase(ctx, m, args[1:])
	}
	rest, err := m.sub(args, "show", caseSynopsis)
	if err != nil {
		return err
	}
	fs := m.flags("case show", "case show REF [--json] [--db DSN]")
	db := m.dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the case as JSON (the API's form)")
	purpose := fs.String("purpose", "case enquiry by an operator", "why you are looking: written to the consultation log")
	ref, err := parseRef(fs, rest)
	if err != nil {
		return err
	}
	if ref == "" {
		return usagef("the case reference is required: case show REF")
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := s.Case(ctx, ref)
	if err != nil {
		return err
	}
	if err := m.logConsultation(ctx, s, []string{ref}, []string{"summary", "parties", "hearings"}, "cli", "case show", *purpose); err != nil {
		return err
	}
	v := api.NewCaseView(c)
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	// Every stored string is printed through throughline.TerminalSafe: a
	// control character in a name reaches the terminal as \x1b, never as
	// an escape sequence.
	w := m.Stdout
	q := throughline.TerminalSafe
	fmt.Fprintf(w, "Case %s (version %d)\n", q(v.Ref), v.Version)
	fmt.Fprintf(w, "  Force %s, CPS area %s, stage %s\n", q(v.Force), q(v.CPSArea), q(v.Stage))
	for _, o := range v.Offences {
		fmt.Fprintf(w, "  Offence %s / %s\n", q(o.HOCode), q(o.CJSCode))
	}
	for _, cp := range v.Complainants {
		fmt.Fprintf(w, "  Complainant %s: %s (enhanced service: %t, language %s)\n", q(cp.ID), q(cp.Name), cp.Enhanced, q(cp.Language))
	}
	for _, d := range v.Defendants {
		fmt.Fprintf(w, "  Defendant %s: %s, %s\n", q(d.ID), q(d.Name), q(d.Stage))
	}
	for _, h := range v.Hearings {
		fmt.Fprintf(w, "  Hearing %s: %s at %s on %s (%s, %s %s)\n", q(h.ID), q(h.Kind), q(h.Court), q(fmt.Sprint(h.StartsAt)), q(h.Listing), q(h.Status), q(h.Outcome))
	}
	for _, k := range v.KeyDates {
		fmt.Fprintf(w, "  %-20s %s\n", q(k.Name), q(fmt.Sprint(k.On)))
	}
	return nil
}

// runCaseErase erases a closed case's personal data under the retention
// rules: it appends case_erased, and the store destroys the case's key in
// the same transaction. What the log held stays, sealed under a key that no
// longer exists, so the log still verifies; the projections are rewritten
// without personal data. The event names the operator and the reason.
func runCaseErase(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("case erase", "case erase REF --reason TEXT [--on YYYY-MM-DD] [--db DSN]")
	db := m.dbFlag(fs)
	reason := fs.String("reason", "", "why the personal data is erased, e.g. the retention review's decision (required)")
	on := fs.String("on", "", "the day of the decision to erase (default: today)")
	ref, err := parseRef(fs, args)
	if err != nil {
		return err
	}
	if ref == "" || strings.TrimSpace(*reason) == "" {
		return usagef("the case reference and --reason are required: case erase REF --reason TEXT")
	}
	today := m.Now().In(throughline.London)
	when := throughline.On(today.Year(), today.Month(), today.Day())
	if *on != "" {
		var err error
		if when, err = throughline.ParseWhen(*on); err != nil || !when.DateOnly() {
			return usagef("--on must be a date, YYYY-MM-DD")
		}
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	// The age band she reported at, for the measures, while her date of
	// birth can still be read; appended only to the case as read.
	before, err := s.Case(ctx, ref)
	if err != nil {
		return err
	}
	band := ""
	if len(before.Complainants) > 0 && !before.Reported.IsZero() {
		band = oversight.AgeBand(before.Complainants[0].DateOfBirth, calendar.DayOf(before.Reported.Date()))
	}
	e := throughline.Event{Case: ref, Type: throughline.TypeCaseErased, OccurredAt: when,
		Actor: "cli:" + m.operator(), Agency: "system", Data: &throughline.CaseErased{Reason: *reason, AgeBandAtReport: band}}
	_, c, err := s.Append(ctx, e, before.Version)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "case %s: personal data erased on %s (version %d): its key is destroyed, the log kept whole\n", ref, c.Erased, c.Version)
	return nil
}

// parseRef parses a command's flags and its one case reference, which may
// come before or after the flags; "" if none was given.
func parseRef(fs *flag.FlagSet, args []string) (string, error) {
	var ref string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		ref, args = args[0], args[1:]
	}
	if err := parse(fs, args, 1); err != nil {
		return "", err
	}
	if ref == "" {
		ref = fs.Arg(0)
	}
	return throughline.NormalizeReference(ref), nil
}
