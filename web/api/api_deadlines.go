package api

import (
	"context"
	"net/http"

	"throughline"
)

// deadlinesStore is what this file's handlers need from storage.
type deadlinesStore interface {
	Deadlines(ctx context.Context, ref string) ([]throughline.CaseDeadline, error)
}

// Deadlines serves a case's deadlines.
type Deadlines struct {
	*Base
	Store deadlinesStore
}

// ListDeadlines: GET /api/v1/cases/{ref}/deadlines, overdue first, with
// each status as of today.
func (s *Deadlines) ListDeadlines(w http.ResponseWriter, r *http.Request, u throughline.User) (int, any, error) {
	ca, err := s.visible(r, u, throughline.ActionReadCase)
	if err != nil {
		return 0, nil, err
	}
	ds, err := s.Store.Deadlines(r.Context(), ca.Ref)
	if err != nil {
		return 0, nil, err
	}
	today := s.Now()
	out := struct {
		AsOf      string         `json:"as_of"`
		Deadlines []DeadlineView `json:"deadlines"`
	}{AsOf: today.In(throughline.London).Format("2006-01-02"), Deadlines: []DeadlineView{}}
	for _, d := range ca.Deadlines(ds) {
		out.Deadlines = append(out.Deadlines, NewDeadlineView("", d.Deadline, today))
	}
	SortDeadlines(out.Deadlines)
	return http.StatusOK, out, nil
}
