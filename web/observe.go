package web

import (
	"context"
	"net/http"
	"time"
)

// requestInfo is what the outermost handler learns of a request as it is
// served: the route pattern the mux chose ("GET /cases/{ref}", never the
// path, which can name a case).
type requestInfo struct {
	route string
}

type requestInfoKey struct{}

// routeUnmatched labels a request no route matched.
const routeUnmatched = "unmatched"

// noteRoute records the pattern that serves r, for observe.
func noteRoute(r *http.Request, pattern string) {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		info.route = pattern
	}
}

// observe gives every request its id (the X-Request-Id response header, and
// request_id on the lines logged with its context), times it and reports
// it, by route pattern and status, to s.Observe (when set).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{route: routeUnmatched}
		id := s.requestID(r)
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(context.WithValue(r.Context(), requestInfoKey{}, info), requestIDKey{}, id)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if s.Observe != nil {
				status := sw.status
				if status == 0 {
					status = http.StatusOK
				}
				s.Observe(info.route, status, time.Since(start))
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
