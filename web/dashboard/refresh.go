package dashboard

import (
	"context"
	"log/slog"
	"sync"
)

// refresher reads a dashboard's figures again in the background, one read
// at a time (docs/adr/0256): while a read runs, requests are answered from
// the figures read before, and only a request that has no figures yet
// waits for one.
type refresher struct {
	reading chan struct{} // closed when the read under way ends; nil when none is
	err     error         // why the last read failed; nil if it did not
}

// start begins a read under ctx unless one is under way, and returns a
// channel closed when the read under way ends. The caller holds mu, which
// guards r and everything apply changes. read runs in a goroutine of its
// own without mu, so that its I/O holds up no request; apply, what it
// returns, runs with mu held. A read that fails is logged, changes
// nothing, and leaves the next request to start another.
func (r *refresher) start(ctx context.Context, mu *sync.Mutex, log *slog.Logger, what string, read func(context.Context) (apply func(), err error)) <-chan struct{} {
	if r.reading == nil {
		done := make(chan struct{})
		r.reading = done
		go func() {
			apply, err := read(ctx)
			mu.Lock()
			defer mu.Unlock()
			r.reading, r.err = nil, err
			switch {
			case err == nil:
				apply()
			case ctx.Err() == nil: // not the server shutting down
				log.ErrorContext(ctx, "dashboard: reading the figures failed; the next request reads them again", "figures", what, "err", err)
			}
			close(done)
		}()
	}
	return r.reading
}

// wait waits for the read that ends with done, for a request that has no
// figures yet: the caller holds mu, which wait lets go of meanwhile and
// holds again when it returns. Its error is the request's, if the request
// ended first; whether the read failed, the caller learns from what it
// finds.
func (r *refresher) wait(ctx context.Context, mu *sync.Mutex, done <-chan struct{}) error {
	mu.Unlock()
	defer mu.Lock()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// background is the context of the reads: the server's, not a request's,
// whose reads outlive it.
func background(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}
