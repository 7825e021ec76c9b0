package sim

import "math"

// How cases enter the model: new arrivals, the initial backlog, and the
// general rooms' staggered start.

// staggerGeneralRooms starts each general room at a random point of its
// other work when general rooms give RASSO only a share of their time.
// Otherwise every room would take a RASSO case on day 0 and the whole estate
// would then turn to other work together, a synchronised burst and lull that
// no real court shows. A room's first RASSO case waits a uniform time in
// [0, mean trial length · (1 − share)/share): a room is as likely to be
// anywhere in its cycle of other work.
func (m *model) staggerGeneralRooms() {
	p := m.p
	if p.share >= 1 {
		return
	}
	cycle := p.trial.mean() * (1 - p.share) / p.share
	for ai := range m.areas {
		ar := &m.areas[ai]
		for range ar.freeGeneral {
			if at := p.cal.next(p.cal.after(0, m.court.float64()*cycle)); at <= p.horizon {
				m.q.Push(at, evFreeGeneral, int32(ai), 0)
			}
		}
		ar.freeGeneral = 0
	}
}

// arrive handles a new case at time t and schedules the next arrival.
func (m *model) arrive(t float64) {
	p := m.p
	if next := t + m.arr.exp()/p.perDay; next <= p.horizon {
		m.q.Push(next, evArrival, 0, 0)
	}
	a := int32(0)
	if len(m.cum) > 1 {
		u := m.arr.float64() * p.perDay
		for a < int32(len(m.cum)-1) && u >= m.cum[a] {
			a++
		}
	}
	m.admit(a, t, t, t >= p.warmup)
}

// admitInitial puts the initial backlog in the system at day 0. Its cases are
// the ones that arrived at the area's present rate over the recent past and
// have not been tried: their ages are the gaps of a Poisson process run
// backwards. Each passes through the stages like a new case (one sent last
// week may not have had its PTPH yet), enters the queue oldest first, and
// withdraws with the hazard for its age, conditional on not having withdrawn.
func (m *model) admitInitial() {
	if !m.p.initial {
		return
	}
	for ai, a := range m.p.areas {
		ages := m.ages[:0]
		age := 0.0
		for range a.initial {
			if a.perDay > 0 {
				age += m.arr.exp() / a.perDay
			}
			ages = append(ages, age)
		}
		for i := len(ages) - 1; i >= 0; i-- {
			m.admit(int32(ai), 0, -ages[i], false)
		}
		m.ages = ages
	}
}

// admit enters a case that arrived on day arrival into the system at time now.
func (m *model) admit(a int32, now, arrival float64, inWindow bool) {
	p := m.p
	id := m.alloc()
	c := &m.cases[id]
	*c = caseRec{arrival: arrival, withdraw: math.Inf(1), gen: c.gen, area: a, state: stStage, inWindow: inWindow,
		charge: p.chargeToSending.sample(m.arr), report: p.reportToCharge.sample(m.arr)}

	m.advance(now)
	m.st.n++
	m.areas[a].n++
	if inWindow {
		m.st.arrivals++
		m.st.presentNew++
		m.st.presentNewArrSum += arrival
		m.areas[a].arrivals++
	} else {
		m.st.presentOld++
	}

	ptph := p.ptph.sample(m.arr)
	ready := ptph + p.readiness.sample(m.arr)
	if !p.haz.none() {
		s28 := math.Inf(1)
		if p.s28Share > 0 && m.arr.float64() < p.s28Share {
			s28 = ptph + p.s28Delay.sample(m.arr)
		}
		c.withdraw = arrival + p.haz.withdrawAfter(m.arr.exp(), s28, now-arrival)
	}
	if p.noStages && p.cal.daily {
		m.ready(id, now, false)
		return
	}
	switch at := p.cal.next(arrival + ready); {
	case at <= now:
		m.ready(id, now, false)
	case at <= p.horizon:
		m.q.Push(at, evReady, id, c.gen)
	}
}

func (m *model) alloc() int32 {
	if n := len(m.free); n > 0 {
		id := m.free[n-1]
		m.free = m.free[:n-1]
		return id
	}
	m.cases = append(m.cases, caseRec{})
	return int32(len(m.cases) - 1)
}
