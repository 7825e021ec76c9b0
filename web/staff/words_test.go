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
