package sim

// The event queue is the hot path of every replication: each event is pushed
// once and popped once. It is a hand-written 4-ary min-heap on a slice of value
// structs, so a push or pop moves 24-byte values, compares two numbers and never
// allocates once the slice has grown to the largest population of the run. A
// 4-ary heap is shallower than a binary one (log4 n levels) and its four
// children share a cache line, which is faster on the short, busy heaps a court
// model keeps (one arrival, one event per occupied room, one per waiting case).

// Event is one scheduled happening: at time T, kind Kind happens to the object
// ID (a case, an area) of generation Gen. Gen lets the model recognise an event
// for a case slot that has since been reused, without searching the heap to
// cancel it.
type Event struct {
	T   float64
	key uint64 // seq<<8 | kind: ties on T pop in scheduling order
	ID  int32
	Gen uint32
}

// Kind is the event's type, as given to Push.
func (e Event) Kind() uint8 { return uint8(e.key) }

// before orders events by time, then by the order they were scheduled, so the
// simulation is deterministic whatever the heap's internal layout.
func (e *Event) before(o *Event) bool {
	return e.T < o.T || (e.T == o.T && e.key < o.key)
}

// EventQueue is a priority queue of events by time. The zero value is empty and
// ready to use. It is not safe for concurrent use: each replication has its own.
type EventQueue struct {
	h   []Event
	seq uint64
}

// Len is the number of events waiting.
func (q *EventQueue) Len() int { return len(q.h) }

// Reset empties the queue, keeping its memory for the next replication.
func (q *EventQueue) Reset() {
	q.h = q.h[:0]
	q.seq = 0
}

// Push schedules an event.
func (q *EventQueue) Push(t float64, kind uint8, id int32, gen uint32) {
	q.seq++
	e := Event{T: t, key: q.seq<<8 | uint64(kind), ID: id, Gen: gen}
	h := append(q.h, e)
	// Sift up: move parents down into the hole until e's place is found.
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) >> 2
		if !e.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
	q.h = h
}

// Pop removes and returns the earliest event. It reports false if the queue is
// empty.
func (q *EventQueue) Pop() (Event, bool) {
	h := q.h
	n := len(h) - 1
	if n < 0 {
		return Event{}, false
	}
	top := h[0]
	last := h[n]
	h = h[:n]
	q.h = h
	if n == 0 {
		return top, true
	}
	// Sift down: the last element falls from the root, the smallest of each
	// node's (up to) four children rising into the hole.
	i := 0
	for {
		c := i<<2 + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if h[j].before(&h[m]) {
				m = j
			}
		}
		if !h[m].before(&last) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = last
	return top, true
}

// Peek returns the earliest event without removing it.
func (q *EventQueue) Peek() (Event, bool) {
	if len(q.h) == 0 {
		return Event{}, false
	}
	return q.h[0], true
}
