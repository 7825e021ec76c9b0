package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
)

type requestIDKey struct{}

// RequestID is the id of the request ctx belongs to ("" outside one).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// requestID is the id of r: the X-Request-Id a trusted proxy sent, if it is
// a safe short token, else a new random one. From anyone else the header
// counts for nothing: a client could otherwise write what it likes into
// the logs.
func (s *Server) requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); safeRequestID(id) {
		peer := r.RemoteAddr
		if host, _, err := net.SplitHostPort(peer); err == nil {
			peer = host
		}
		if addr, err := netip.ParseAddr(peer); err == nil && s.trustedProxy(addr) {
			return id
		}
	}
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// safeRequestID: 1 to 64 letters, digits, '-', '_' or '.'.
func safeRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// requestIDHandler adds the request id of a log call's context to its
// record, as request_id.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id := RequestID(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// withRequestIDs makes the server's logger name the request of each line
// logged with a request's context (once: a rebuilt server keeps it).
func (s *Server) withRequestIDs() {
	if _, ok := s.Logger.Handler().(requestIDHandler); !ok {
		s.Logger = slog.New(requestIDHandler{s.Logger.Handler()})
	}
}
