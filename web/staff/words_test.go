package staff

import (
	"strings"
	"testing"

	"throughline"
	"throughline/web/page"
)

// Every kind of event has a title in words on the timeline, not its code
// with the underscores taken out ("callback requested").
func TestEveryEventHasATitle(t *testing.T) {
	c := &throughline.Case{}
	for _, typ := range throughline.EventTypes() {
		d := throughline.NewData(typ)
		if d == nil {
			t.Fatalf("%s: no data type", typ)
		}
		if title, _, _ := describe(throughline.Event{Type: typ, Data: d}, c, page.Names{}, false); title == strings.ReplaceAll(typ, "_", " ") {
			t.Errorf("%s: the timeline titles it %q", typ, title)
		}
	}
}

// A refusal the domain writes with ids and ISO dates reads with names and
// dates in words in the record menu and on a refused form.
func TestNamedRefusal(t *testing.T) {
	c := &throughline.Case{Complainants: []throughline.Complainant{{ComplainantRecord: throughline.ComplainantRecord{ID: "C1", Name: "Amelia Hart"}}}}
	got := named("case 13RS0000101/24 was closed on 2025-07-01: C1 cannot be told", c)
	if want := "Case 13RS0000101/24 was closed on 1 July 2025: Amelia Hart cannot be told"; got != want {
		t.Errorf("named: %q, want %q", got, want)
	}
}
