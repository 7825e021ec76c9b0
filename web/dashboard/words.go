package dashboard

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"throughline/web/page"
)

// num is a numeric table cell.
func num(text string) page.TableCell { return page.TableCell{Text: text, Format: "numeric"} }

// pct is a rate as a percentage to one decimal place, or "No figure".
func pct(r *float64) string {
	if r == nil {
		return "No figure"
	}
	return strconv.FormatFloat(math.Round(*r*1000)/10, 'f', 1, 64) + "%"
}

// valueText is a measure's figure in words: whole days and cases, rates to
// one decimal place.
func valueText(m measure, v float64) string {
	switch {
	case math.IsNaN(v):
		return "No figure"
	case m.timely || m.Unit == "cases" || m.Unit == "requests":
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64) + "%"
}

// longDate is a day in words: "1 January 2025".
func longDate(t time.Time) string { return t.Format("2 January 2006") }

// shortQuarter writes a quarter's key "2025-Q1" as "2025 Q1", short enough
// for a chart's axis.
func shortQuarter(key string) string { return strings.Replace(key, "-", " ", 1) }

// lower starts s with a small letter, unless it starts with an acronym
// ("CPS area", "Crown Court" keeps its capitals as a proper name).
func lower(s string) string {
	if s == "" || strings.HasPrefix(s, "CPS") || strings.HasPrefix(s, "Crown") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// namesOf lists the scopes' names: "West Yorkshire Police and England and Wales".
func namesOf(scopes []*scope) string {
	var names []string
	for _, s := range scopes {
		names = append(names, s.name)
	}
	return strings.Join(names, " and ")
}

// sortedKeys are a map's keys, in order.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
