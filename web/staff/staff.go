// Package staff serves the pages on which people work cases: the case list
// and search, the case record and its forms, and the work lists across
// cases. Sign-in is web/signin, oversight and administration web/admin,
// and the backlog simulator web/simulator. Each file declares the little
// it needs from storage; the route guard of package web has asked the
// policy before any handler runs, and the handlers ask it again about what
// they show.
package staff

import (
	"context"

	"throughline"
)

// DeadlineIndex is what the case list and the deadline work lists need to
// find cases with deadlines due soon or overdue: the deadlines projection,
// or a stand-in in tests.
type DeadlineIndex interface {
	DeadlinesDue(ctx context.Context, f throughline.DeadlineFilter) ([]throughline.CaseDeadline, error)
}

// Store is everything the staff pages need from storage: the union of what
// each file declares.
type Store interface {
	caseListStore
	CaseRecordStore
	recordStore
	workListStore
	todayStore
	taskStore
	messageStore
}
