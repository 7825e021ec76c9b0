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
type eventCache struct {
	mu    sync.Mutex
	max   int
	cases map[string][]throughline.Event
}

func newEventCache(max int) *eventCache {
	return &eventCache{max: max, cases: make(map[string][]throughline.Event)}
}

// get returns the case's events if the cache holds exactly version of them.
func (c *eventCache) get(ref string, version int64) ([]throughline.Event, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	evs, ok := c.cases[ref]
	if !ok || int64(len(evs)) != version {
		return nil, false
	}
	return evs[:len(evs):len(evs)], true
}

// put stores a case's whole log, evicting an arbitrary entry when full.
func (c *eventCache) put(ref string, evs []throughline.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.cases[ref]; !ok && len(c.cases) >= c.max {
		for k := range c.cases {
			delete(c.cases, k)
			break
		}
	}
	c.cases[ref] = evs[:len(evs):len(evs)]
}
