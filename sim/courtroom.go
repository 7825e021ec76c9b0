package sim

// What happens to a case in court: it waits for a room, its listing cracks,
// is ineffective or starts a trial, or its complainant withdraws first.

// ready puts a case that is ready for trial (or back from relisting) before a
// free room, specialist rooms first, or in its area's queue. A free room
// implies an empty queue, so the case does not jump anyone.
func (m *model) ready(id int32, t float64, relisted bool) {
	c := &m.cases[id]
	ar := &m.areas[c.area]
	switch {
	case ar.freeSpecialist > 0:
		ar.freeSpecialist--
		if !m.list(id, c.area, true, t) {
			m.serve(c.area, true, t)
		}
	case ar.freeGeneral > 0:
		ar.freeGeneral--
		if !m.list(id, c.area, false, t) {
			m.serve(c.area, false, t)
		}
	default:
		c.state = stWaiting
		if relisted {
			ar.relist.push(qEntry{id, c.gen})
		} else {
			ar.queue.push(qEntry{id, c.gen})
		}
	}
}

// serve gives a room that has just become free its next case, relisted cases
// first, or marks it free. Listings that leave the room free (a cracked trial,
// an ineffective one that holds no room time) pass it to the next case.
func (m *model) serve(a int32, specialist bool, t float64) {
	for {
		id, ok := m.next(a, t)
		if !ok {
			break
		}
		if m.list(id, a, specialist, t) {
			return
		}
	}
	if specialist {
		m.areas[a].freeSpecialist++
	} else {
		m.areas[a].freeGeneral++
	}
}

// next pops the area's next waiting case at time t, taking out the cases
// that have withdrawn since they joined the queue.
func (m *model) next(a int32, t float64) (int32, bool) {
	ar := &m.areas[a]
	for _, q := range [2]*fifo{&ar.relist, &ar.queue} {
		for {
			e, ok := q.pop()
			if !ok {
				break
			}
			if c := &m.cases[e.id]; c.gen == e.gen && c.state == stWaiting && !m.withdrawn(e.id, t) {
				return e.id, true
			}
		}
	}
	return 0, false
}

// withdrawn reports whether the case's complainant has withdrawn by time t
// and, if so, takes the case out as of its withdrawal day w ≤ t. If the time
// integral of the backlog has already run past w (to lastT), the case was
// counted after it withdrew: the integral and any backlog samples taken at or
// after w are corrected, so every statistic is as if the withdrawal had been an
// event at w.
func (m *model) withdrawn(id int32, t float64) bool {
	c := &m.cases[id]
	w := c.withdraw
	if w > t {
		return false
	}
	p := m.p
	if w >= m.st.lastT {
		m.advance(w)
	} else if over := m.st.lastT - max(w, p.warmup); over > 0 {
		m.st.area -= over
	}
	for i := len(m.backlog) - 1; i >= 0 && p.sampleDay(i) >= w; i-- {
		m.backlog[i]--
	}
	if w >= p.warmup {
		m.st.withdrawals++
	}
	m.leave(id, w)
	return true
}

// list hears a case's trial listing in a room at time t (a sitting moment) and
// reports whether the room is now occupied. The listing cracks, is
// ineffective or is effective; a general room lists a share of its RASSO
// trials as floaters, which are ineffective more often.
func (m *model) list(id int32, a int32, specialist bool, t float64) bool {
	p := m.p
	counted := t >= p.warmup
	if counted {
		m.st.listings++
	}
	u := m.court.float64()
	ineffective := p.ineffective
	if !specialist && p.floaterShare > 0 && m.court.float64() < p.floaterShare {
		ineffective = p.floaterIneffective
	}
	switch {
	case u < p.cracked:
		if counted {
			m.st.cracked++
		}
		m.depart(id, t)
		return false
	case u < p.cracked+ineffective:
		if counted {
			m.st.ineffective++
		}
		c := &m.cases[id]
		c.state = stRelisting
		if back := p.cal.next(t + p.relist.sample(m.court)); back <= p.horizon {
			m.q.Push(back, evRelist, id, c.gen)
		}
		if p.ineffectiveRoomDays == 0 {
			return false
		}
		m.occupy(a, specialist, t, p.ineffectiveRoomDays)
		return true
	default:
		m.startTrial(id, t)
		m.occupy(a, specialist, t, p.trial.sample(m.court))
		return true
	}
}

// occupy holds a room for d sitting days of RASSO work from t, plus the other
// work a general room does in proportion, and schedules its release.
func (m *model) occupy(a int32, specialist bool, t, d float64) {
	p := m.p
	hold := d
	if !specialist && p.share < 1 {
		hold = d / p.share
	}
	// Utilisation counts the room's whole hold, scaled by the RASSO share for
	// a general room, so it is the share of the rooms' RASSO capacity used and
	// never exceeds 1 even when a hold straddles the window's edge.
	s := p.cal.sitting(t)
	if busy := min(s+hold, m.sitT) - max(s, m.sitW); busy > 0 {
		if specialist {
			m.areas[a].busySpecialist += busy
		} else {
			m.areas[a].busyGeneral += busy * p.share
		}
	}
	end := p.cal.next(p.cal.after(t, hold))
	if end > p.horizon {
		return
	}
	if specialist {
		m.q.Push(end, evFreeSpecialist, a, 0)
	} else {
		m.q.Push(end, evFreeGeneral, a, 0)
	}
}

// startTrial records an effective trial's start, which ends the case's wait.
func (m *model) startTrial(id int32, t float64) {
	if t >= m.p.warmup {
		c := &m.cases[id]
		w := t - c.arrival
		m.st.trials++
		m.st.waitSum += w
		m.st.chargeSum += w + c.charge
		m.st.reportSum += w + c.charge + c.report
		m.wait.add(w)
		m.charge.add(w + c.charge)
		m.report.add(w + c.charge + c.report)
		ar := &m.areas[c.area]
		ar.trials++
		ar.waitSum += w
	}
	m.depart(id, t)
}

// depart removes a case from the system at time t (its trial started or
// cracked) and frees its slot.
func (m *model) depart(id int32, t float64) {
	m.advance(t)
	m.leave(id, t)
}

// leave updates the counts for a case leaving the system on day t and frees
// its slot; t may be before the time integral's lastT (a withdrawal noticed
// late), whose caller corrects the integral.
func (m *model) leave(id int32, t float64) {
	c := &m.cases[id]
	m.st.n--
	m.areas[c.area].n--
	if c.inWindow {
		m.st.presentNew--
		m.st.presentNewArrSum -= c.arrival
		m.st.sojournNew += t - c.arrival
	} else {
		m.st.presentOld--
		if t > m.p.warmup {
			m.st.sojournOld += t - m.p.warmup
		}
	}
	c.gen++
	c.state = stFree
	m.free = append(m.free, id)
}
