package sim

// The Crown Court RASSO model. One model belongs to one worker goroutine and
// runs its replications one after another, reusing every slice, so the event
// loop allocates nothing once the slices have grown.
//
// Cases live in a slice of value structs indexed by int32 and recycled through
// a free list; a slot's generation counter changes when it is freed, so an
// event or queue entry for a case that has left is recognised as stale.
//
// Withdrawals are not events. A case's withdrawal time is drawn when it
// arrives, and the model notices it the next time it touches the case — when
// the case would become ready, come back from relisting or be taken by a room
// — or at the horizon. Withdrawal changes nothing else in the dynamics (it
// only stops the case being listed), so this gives exactly the results of a
// withdrawal event, while keeping one pending event per waiting case out of the
// heap (a third of its size in the national model) and the stale events of
// cases tried first off it. The statistics that counted the case after it
// withdrew — the time integral of the backlog and the backlog samples — are
// corrected when it is noticed (see withdraw).

// Event kinds.
const (
	evArrival uint8 = iota + 1
	evReady
	evRelist
	evFreeGeneral
	evFreeSpecialist
	evSample
)

// Case states.
const (
	stFree      uint8 = iota // slot not in use
	stStage                  // sent, not yet ready for trial
	stWaiting                // in a trial queue
	stRelisting              // adjourned after an ineffective trial
)

type caseRec struct {
	arrival  float64 // day sent to the Crown Court (negative for the initial backlog)
	withdraw float64 // day the complainant withdraws (+Inf: never)
	charge   float64 // days from charge to sending
	report   float64 // days from report to charge
	gen      uint32
	area     int32
	state    uint8
	inWindow bool // arrived in the measurement window
}

type qEntry struct {
	id  int32
	gen uint32
}

// fifo is a queue of cases on a slice: pushes append, pops advance a head
// index, and the slice is compacted when the dead prefix is large.
type fifo struct {
	buf  []qEntry
	head int
}

func (f *fifo) push(e qEntry) { f.buf = append(f.buf, e) }

func (f *fifo) pop() (qEntry, bool) {
	if f.head == len(f.buf) {
		return qEntry{}, false
	}
	e := f.buf[f.head]
	f.head++
	switch {
	case f.head == len(f.buf):
		f.buf, f.head = f.buf[:0], 0
	case f.head >= 1024 && f.head*2 >= len(f.buf):
		n := copy(f.buf, f.buf[f.head:])
		f.buf, f.head = f.buf[:n], 0
	}
	return e, true
}

func (f *fifo) reset() { f.buf, f.head = f.buf[:0], 0 }

// areaState is one area's rooms, queues and statistics.
type areaState struct {
	freeGeneral, freeSpecialist int
	queue                       fifo // ready cases, first come first served
	relist                      fifo // relisted cases, heard before new ones
	n                           int  // cases in the system

	arrivals, trials            int
	waitSum                     float64
	busyGeneral, busySpecialist float64 // sitting days of RASSO listings in the window
}

// counters are one replication's statistics, all over the window
// [warmup, horizon] unless they say otherwise.
type counters struct {
	events int64

	n     int     // cases in the system now
	lastT float64 // time of the last change of n
	area  float64 // ∫ n dt over the window

	arrivals         int     // arrivals in the window
	presentNew       int     // of those, still in the system
	presentNewArrSum float64 // sum of their arrival days
	sojournNew       float64 // time in system of window arrivals that left
	presentOld       int     // cases from before the window still in the system
	sojournOld       float64 // their time in system within the window, for those that left

	listings, trials, cracked, ineffective, withdrawals int
	waitSum, chargeSum, reportSum                       float64
}

type model struct {
	p     *plan
	cum   []float64 // cumulative arrival rate by area
	q     EventQueue
	arr   *rng
	court *rng

	cases []caseRec
	free  []int32
	areas []areaState
	ages  []float64
	st    counters

	wait, charge, report *histogram
	backlog              []int
	sitW, sitT           float64 // sitting time at warm-up and at the horizon
}

func newModel(p *plan) *model {
	m := &model{p: p, arr: newRNG(), court: newRNG(),
		areas: make([]areaState, len(p.areas)),
		wait:  new(histogram), charge: new(histogram), report: new(histogram)}
	var c float64
	for _, a := range p.areas {
		c += a.perDay
		m.cum = append(m.cum, c)
	}
	m.sitW, m.sitT = p.cal.sitting(p.warmup), p.cal.sitting(p.horizon)
	return m
}

func (m *model) reset(seed uint64, rep int) {
	m.q.Reset()
	m.arr.seed(seed, rep, streamArrivals)
	m.court.seed(seed, rep, streamCourt)
	m.cases, m.free = m.cases[:0], m.free[:0]
	for i, a := range m.p.areas {
		q, r := m.areas[i].queue, m.areas[i].relist
		q.reset()
		r.reset()
		m.areas[i] = areaState{freeGeneral: a.general, freeSpecialist: a.specialist, queue: q, relist: r}
	}
	m.st = counters{}
	m.wait.reset()
	m.charge.reset()
	m.report.reset()
	m.backlog = nil
}

// run simulates replication rep and returns its statistics.
func (m *model) run(seed uint64, rep int) Replication {
	m.reset(seed, rep)
	p := m.p
	m.staggerGeneralRooms()
	m.admitInitial()
	if p.perDay > 0 {
		if t := m.arr.exp() / p.perDay; t <= p.horizon {
			m.q.Push(t, evArrival, 0, 0)
		}
	}
	m.backlog = make([]int, 0, p.samples())
	m.q.Push(p.warmup, evSample, 0, 0)
	for {
		e, ok := m.q.Pop()
		if !ok || e.T > p.horizon {
			break
		}
		m.st.events++
		t := e.T
		switch e.Kind() {
		case evArrival:
			m.arrive(t)
		case evReady:
			if c := &m.cases[e.ID]; c.gen == e.Gen && c.state == stStage && !m.withdrawn(e.ID, t) {
				m.ready(e.ID, t, false)
			}
		case evRelist:
			if c := &m.cases[e.ID]; c.gen == e.Gen && c.state == stRelisting && !m.withdrawn(e.ID, t) {
				m.ready(e.ID, t, true)
			}
		case evFreeGeneral:
			m.serve(e.ID, false, t)
		case evFreeSpecialist:
			m.serve(e.ID, true, t)
		case evSample:
			m.backlog = append(m.backlog, m.st.n)
			if i := len(m.backlog); i < cap(m.backlog) {
				m.q.Push(p.sampleDay(i), evSample, 0, 0)
			}
		}
	}
	m.advance(p.horizon)
	for id := range m.cases {
		if m.cases[id].state != stFree {
			m.withdrawn(int32(id), p.horizon)
		}
	}
	return m.replication(rep)
}

// advance accumulates ∫ n dt over the window up to time t.
func (m *model) advance(t float64) {
	if t <= m.st.lastT {
		return
	}
	if w := m.p.warmup; t > w {
		m.st.area += float64(m.st.n) * (t - max(m.st.lastT, w))
	}
	m.st.lastT = t
}
