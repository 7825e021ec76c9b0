package sqlstore

import (
	"sync"

	"throughline"
)

// eventCache keeps the decoded events of recently written cases, so that an
// append does not decode a case's whole log again. Events are immutable and
// numbered, so a cached log is valid exactly when its length equals the
// case's version read under the row lock; any other process's write moves
// the version on and the entry is simply not used.
//
// Beside the log it keeps the deadline rows the append wrote, so that the
// next append compares its deadlines with them instead of reading them back
// (deadlines are computed once per append, and cost no extra round trip).
type eventCache struct {
	mu    sync.Mutex
	max   int
	cases map[string]cachedCase
}

type cachedCase struct {
	events    []throughline.Event
	deadlines [][]any
}

func newEventCache(max int) *eventCache {
	return &eventCache{max: max, cases: make(map[string]cachedCase)}
}

// get returns the case's events, and the deadline rows stored with them,
// if the cache holds exactly version of them.
func (c *eventCache) get(ref string, version int64) ([]throughline.Event, [][]any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cc, ok := c.cases[ref]
	if !ok || int64(len(cc.events)) != version {
		return nil, nil, false
	}
	return cc.events[:len(cc.events):len(cc.events)], cc.deadlines, true
}

// holds reports whether the cache holds some version of the case.
func (c *eventCache) holds(ref string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.cases[ref]
	return ok
}

// put stores a case's whole log and its deadline rows, evicting an
// arbitrary entry when full.
func (c *eventCache) put(ref string, evs []throughline.Event, deadlines [][]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.cases[ref]; !ok && len(c.cases) >= c.max {
		for k := range c.cases {
			delete(c.cases, k)
			break
		}
	}
	c.cases[ref] = cachedCase{events: evs[:len(evs):len(evs)], deadlines: deadlines}
}
