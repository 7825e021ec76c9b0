package web

import "throughline/web/api"

// The JSON views of cases, events and deadlines live in web/api; these
// names keep the command line's `--json` output (cmd/throughline case.go,
// deadlines.go) building until it imports web/api itself.
type (
	CaseView     = api.CaseView
	DeadlineView = api.DeadlineView
)

var (
	NewCaseView     = api.NewCaseView
	NewDeadlineView = api.NewDeadlineView
	SortDeadlines   = api.SortDeadlines
)
