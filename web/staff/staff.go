// Package staff serves the pages for the people who work cases, supervise
// and inspect them, and administer the service: sign-in, the case list and
// search, the case record and its forms, work lists, oversight (consent,
// the consultation log, break-glass), administration and the backlog
// simulator. Each file declares the little it needs from storage; the
// route guard of package web has asked the policy before any handler runs,
// and the handlers ask it again about what they show.
package staff

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"throughline"

	"throughline/web/access"
	"throughline/web/page"
)

// Base is what every staff page shares.
type Base struct {
	// Access applies the policy to cases and logs consultations.
	Access *access.Cases
	Logger *slog.Logger
	Now    func() time.Time
	// ClientIP is the address sign-in limits count against.
	ClientIP func(*http.Request) string
	// Deadlines answers the "due soon" and "overdue" filters and the
	// deadline work lists.
	Deadlines DeadlineIndex
	// OIDC, when set, offers sign-in with an identity provider.
	OIDC *OIDC
}

// DeadlineIndex is what the case list and the deadline work lists need to
// find cases with deadlines due soon or overdue: the deadlines projection,
// or a stand-in in tests.
type DeadlineIndex interface {
	DeadlinesDue(ctx context.Context, f throughline.DeadlineFilter) ([]throughline.CaseDeadline, error)
}

// render writes page name, or the plain page of last resort if it cannot
// be rendered.
func (b *Base) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	if err := page.Render(w, status, name, data); err != nil {
		b.Logger.Error("render", "page", name, "path", r.URL.Path, "err", err)
		page.PlainError(w, http.StatusInternalServerError)
	}
}

// Store is everything the staff pages need from storage: the union of what
// each file declares.
type Store interface {
	caseListStore
	CaseRecordStore
	recordStore
	workListStore
	adminStore
	oversightStore
	simulatorStore
	SignInStore
}
