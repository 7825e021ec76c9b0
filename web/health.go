package web

import (
	"context"
	"io"
	"net/http"
	"time"
)

// readyTimeout bounds the readiness probe's questions to the database: a
// database that does not answer in this time is not ready.
const readyTimeout = 2 * time.Second

// healthz answers that the process is alive: no database, no dependency.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n")
}

// readyz answers whether this server should be sent requests: the
// database answers, its migrations are current, and the background work
// serve started (the dispatcher) runs. Not ready is 503 with a plain
// reason: never an address, a credential or a driver's message.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	check := s.Ready
	if check == nil {
		if st, ok := s.Store.(interface{ Ready(context.Context) error }); ok {
			check = st.Ready
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if check != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := check(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "not ready: "+err.Error()+"\n")
			return
		}
	}
	io.WriteString(w, "ready\n")
}
