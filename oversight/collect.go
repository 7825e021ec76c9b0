package oversight

import "throughline"

// Collector groups a stream of events from many cases (the log's global
// order interleaves them) into each case's events in log order, and
// extracts their Facts. It holds every event until Facts is called: the
// reference recomputation trades memory for simplicity; the roll-up kept in
// the append transaction is the path that scales.
type Collector struct {
	order []string
	cases map[string][]throughline.Event
}

// Add takes the next event of the stream. Events of one case must come in
// their log order (their versions ascending).
func (c *Collector) Add(e throughline.Event) error {
	if c.cases == nil {
		c.cases = map[string][]throughline.Event{}
	}
	evs, seen := c.cases[e.Case]
	if !seen {
		c.order = append(c.order, e.Case)
	}
	c.cases[e.Case] = append(evs, e)
	return nil
}

// Facts extracts every case's Facts, in the order the cases first appeared,
// and releases the events.
func (c *Collector) Facts() []Facts {
	out := make([]Facts, 0, len(c.order))
	for _, ref := range c.order {
		out = append(out, Extract(c.cases[ref]))
		delete(c.cases, ref)
	}
	c.order = nil
	return out
}
