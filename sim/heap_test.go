package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestEventQueueOrder pushes random times, with many ties, interleaved with
// pops, and checks that events come out by time and, on ties, in the order
// they were pushed.
func TestEventQueueOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var q EventQueue
	type ev struct {
		t  float64
		id int32
	}
	var pending []ev
	var id int32
	popOne := func() {
		e, ok := q.Pop()
		if !ok {
			t.Fatal("pop from non-empty queue failed")
		}
		// The expected event: smallest time, then smallest id (push order).
		i := 0
		for j, p := range pending {
			if p.t < pending[i].t || (p.t == pending[i].t && p.id < pending[i].id) {
				i = j
			}
		}
		want := pending[i]
		pending = slices.Delete(pending, i, i+1)
		if e.T != want.t || e.ID != want.id || e.Kind() != uint8(want.id%7) {
			t.Fatalf("popped (%v, %d, kind %d), want (%v, %d)", e.T, e.ID, e.Kind(), want.t, want.id)
		}
	}
	for range 20000 {
		if r.IntN(3) > 0 || q.Len() == 0 {
			tm := float64(r.IntN(50)) // few distinct times: many ties
			q.Push(tm, uint8(id%7), id, 0)
			pending = append(pending, ev{tm, id})
			id++
		} else {
			popOne()
		}
		if q.Len() != len(pending) {
			t.Fatalf("Len %d, want %d", q.Len(), len(pending))
		}
	}
	for q.Len() > 0 {
		popOne()
	}
	if _, ok := q.Pop(); ok {
		t.Fatal("pop from empty queue succeeded")
	}
}

func TestEventQueueSorts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var q EventQueue
	want := make([]float64, 10000)
	for i := range want {
		want[i] = r.Float64() * 1000
		q.Push(want[i], 1, int32(i), uint32(i))
	}
	slices.Sort(want)
	if e, _ := q.Peek(); e.T != want[0] {
		t.Fatalf("Peek = %v, want %v", e.T, want[0])
	}
	for i, w := range want {
		e, _ := q.Pop()
		if e.T != w || e.Gen != uint32(e.ID) {
			t.Fatalf("pop %d: got (%v, id %d, gen %d), want %v", i, e.T, e.ID, e.Gen, w)
		}
	}
	q.Push(1, 1, 1, 1)
	q.Reset()
	if q.Len() != 0 {
		t.Fatal("Reset left events")
	}
	if _, ok := q.Peek(); ok {
		t.Fatal("Peek on empty queue succeeded")
	}
}

// TestEventQueueNoAllocs checks the hot path allocates nothing once the heap
// has grown to its working size.
func TestEventQueueNoAllocs(t *testing.T) {
	var q EventQueue
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 1000 {
		q.Push(r.Float64(), 1, int32(i), 0)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		e, _ := q.Pop()
		q.Push(e.T+r.ExpFloat64(), 1, e.ID, 0)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per pop+push, want 0", allocs)
	}
}
