package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"throughline/web"
)

func init() {
	register("case", "case show REF: print a case", runCase)
}

func runCase(ctx context.Context, m *Main, args []string) error {
	rest, err := m.sub(args, "show", "case show REF [--json] [--db DSN]")
	if err != nil {
		return err
	}
	fs := m.flags("case show", "case show REF [--json] [--db DSN]")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the case as JSON (the API's form)")
	purpose := fs.String("purpose", "case enquiry by an operator", "why you are looking: written to the consultation log")
	// The reference may come before or after the flags.
	var ref string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		ref, rest = rest[0], rest[1:]
	}
	if err := parse(fs, rest, 1); err != nil {
		return err
	}
	if ref == "" {
		ref = fs.Arg(0)
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
	v := web.NewCaseView(c)
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	w := m.Stdout
	fmt.Fprintf(w, "Case %s (version %d)\n", v.Ref, v.Version)
	fmt.Fprintf(w, "  Force %s, CPS area %s, stage %s\n", v.Force, v.CPSArea, v.Stage)
	for _, o := range v.Offences {
		fmt.Fprintf(w, "  Offence %s / %s\n", o.HOCode, o.CJSCode)
	}
	for _, cp := range v.Complainants {
		fmt.Fprintf(w, "  Complainant %s: %s (enhanced service: %t, language %s)\n", cp.ID, cp.Name, cp.Enhanced, cp.Language)
	}
	for _, d := range v.Defendants {
		fmt.Fprintf(w, "  Defendant %s: %s, %s\n", d.ID, d.Name, d.Stage)
	}
	for _, h := range v.Hearings {
		fmt.Fprintf(w, "  Hearing %s: %s at %s on %s (%s, %s %s)\n", h.ID, h.Kind, h.Court, h.StartsAt, h.Listing, h.Status, h.Outcome)
	}
	for _, k := range v.KeyDates {
		fmt.Fprintf(w, "  %-20s %s\n", k.Name, k.On)
	}
	return nil
}
