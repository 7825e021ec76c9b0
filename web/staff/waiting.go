package staff

import (
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/web/page"
)

// The waiting-on history of a case (package attribution, rules in
// docs/measures.md): which party the case waited on, span by span, and
// the days each held it.

var waitingWords = map[attribution.Party]string{
	attribution.Police: "Police", attribution.CPS: "CPS", attribution.Court: "Court", attribution.Defence: "Defence",
	attribution.Complainant: "Complainant", attribution.Nobody: "Nobody",
}

// waitingOn is the case page's table of spans, oldest first, and a line
// of the days per party.
func waitingOn(evs []throughline.Event, now time.Time) (*page.Table, string) {
	r := attribution.Spans(evs, now)
	if len(r.Spans) == 0 {
		return nil, ""
	}
	date := func(d attribution.Day) string { return d.Time().Format("2 January 2006") }
	t := page.Table{Caption: "Who the case has waited on", CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Waiting on"}, {Text: "From"}, {Text: "To"}, {Text: "Days", Format: "numeric"}, {Text: "Why"}}}
	for _, s := range r.Spans {
		t.Rows = append(t.Rows, []page.TableCell{{Text: waitingWords[s.Party]}, {Text: date(s.From)}, {Text: date(s.To)},
			{Text: strconv.Itoa(s.Days()), Format: "numeric"}, {Text: page.Sentence(s.Because.Rule.String())}})
	}
	var held []string
	for _, p := range attribution.Parties {
		if n := r.Days.Of(p); n > 0 {
			held = append(held, waitingWords[p]+" "+plural(n, "day"))
		}
	}
	return &t, "Of its " + plural(r.Days.Total(), "day") + ": " + strings.Join(held, ", ") + "."
}
