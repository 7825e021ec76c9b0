package page

import (
	"log/slog"
	"net/http"
	"time"
)

// Base is what every staff page handler shares, whatever its package: the
// log, the clock and rendering. What else a handler needs (the policy, the
// store, the deadlines index) it declares itself.
type Base struct {
	Logger *slog.Logger
	Now    func() time.Time
}

// Render writes page name, or the plain page of last resort if it cannot
// be rendered.
func (b *Base) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	if err := Render(w, status, name, data); err != nil {
		b.Logger.ErrorContext(r.Context(), "render", "page", name, "path", r.URL.Path, "err", err)
		PlainError(w, http.StatusInternalServerError)
	}
}
