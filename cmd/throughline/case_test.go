package main

import (
	"context"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// case show writes stored text for a terminal: a control character that
// reached the store before the edge refused it (an old row, a restored
// backup) prints as a visible escape, never as an escape sequence. The
// reference is read in its canonical form.
func TestCaseShowIsTerminalSafe(t *testing.T) {
	dsn := storetest.DSNs(t)["sqlite"]
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := throughline.Event{Case: "13RS0000777/24", Type: throughline.TypeCaseOpened, OccurredAt: throughline.On(2025, 3, 3), Actor: "test",
		Data: &throughline.CaseOpened{Force: "13", CPSArea: "yorkshire_humberside", Offences: []throughline.Offence{{HOCode: "19C", CJSCode: "SX03002"}},
			Complainants: []throughline.ComplainantRecord{{ID: "C1", Name: "Amy\x1b]0;owned\x07\x1b[2JHart\u202e"}}, Suspects: []throughline.SuspectRecord{{ID: "D1", Name: "Dan\rRoss"}}}}
	if _, _, err := s.Append(ctx, e, 0); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, errs := run(t, "", "case", "show", "13rs0000777/24", "--db", dsn)
	if code != 0 {
		t.Fatalf("case show: %d %s", code, errs)
	}
	if strings.ContainsAny(out, "\x1b\x07\r\u202e") {
		t.Fatalf("case show wrote control characters: %q", out)
	}
	if !strings.Contains(out, `Amy\x1b]0;owned\x07\x1b[2JHart\u202e`) || !strings.Contains(out, `Dan\x0dRoss`) {
		t.Errorf("case show: %q", out)
	}
}
