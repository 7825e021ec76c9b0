package sqlstore_test

import (
	"context"
	"database/sql"
	"maps"
	"path/filepath"
	"testing"
)

// An import of a stream or a rebuild on SQLite runs with a large page
// cache on its connection (ADR 0331) and gives the connection back to the pool with the
// cache it had: every connection the pool then hands out has SQLite's own.
func TestBulkCacheIsGivenBack(t *testing.T) {
	ctx := context.Background()
	s := open(t, "sqlite:"+filepath.Join(t.TempDir(), "t.db"))
	conns := func() []*sql.Conn {
		var out []*sql.Conn
		for range 8 { // the store's most: the idle ones first, the bulk work's among them
			c, err := s.DB().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
		return out
	}
	caches := func() map[int]int {
		got := map[int]int{}
		cs := conns()
		for _, c := range cs {
			var kib int
			if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&kib); err != nil {
				t.Fatal(err)
			}
			got[kib]++
		}
		for _, c := range cs {
			c.Close()
		}
		return got
	}
	own := caches()
	if len(own) != 1 {
		t.Fatalf("before any bulk work the connections' caches differ: %v", own)
	}
	if _, err := streamed(t, s, journey(t), 5, false); err != nil {
		t.Fatal(err)
	}
	if got := caches(); !maps.Equal(got, own) {
		t.Errorf("after an import the connections' caches are %v (cache_size: connections), want %v", got, own)
	}
	if _, err := s.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := caches(); !maps.Equal(got, own) {
		t.Errorf("after a rebuild the connections' caches are %v, want %v", got, own)
	}
}
