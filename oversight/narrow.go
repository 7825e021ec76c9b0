package oversight

import (
	"encoding/binary"
	"errors"

	"throughline/attribution"
	"throughline/calendar"
)

// A case's narrow record (docs/adr/0258) is what Aggregate reads of its
// Facts and nothing else — not the case's reference, its attribution or its
// file-quality assessments — in a compact binary form: `metrics` reads one
// per case, and at 700,000 cases reading the JSON records was most of its
// time. The store keeps it beside the record (case_facts_narrow), written
// in the same transaction from the same Facts.
//
// The form: a first byte, narrowForm; then every field in a fixed order,
// the report and the last day first.
// A day is an unsigned varint, 0 for None, else 1 + the zigzag of its
// distance from the case's report (from day 0 for the report itself, and
// for every day of a case with no report), so that most days take two
// bytes; a string is its length as an unsigned varint and its bytes; a
// count a signed varint; a list its length and its elements.

// narrowForm is the first byte of a narrow record: another form of the
// record would have another.
const narrowForm = 1

// Narrow is the case's narrow record.
func Narrow(f *Facts) []byte {
	w := narrowWriter{b: make([]byte, 0, 256)}
	w.b = append(w.b, narrowForm)
	w.day(f.Reported)
	if f.Reported != None {
		w.base = f.Reported
	}
	w.day(f.Last) // second, for narrowBounds
	for _, s := range []string{f.Force, f.Area, f.Offence, f.Sex, f.Ethnicity, f.AgeBand, f.Court, f.Outcome, f.ExitStage, f.ExitReason} {
		w.str(s)
	}
	for _, d := range []calendar.Day{f.FileForDecision, f.Decision, f.Charged, f.FirstHearing, f.Sent, f.TrialStarted,
		f.Completed, f.Closed, f.Exit, f.WithdrewAfterCharge, f.HeldEnd} {
		w.day(d)
	}
	w.bool(f.ExitAfterWithdrawal)
	w.int(f.Adjournments)
	for _, ds := range [][]Dated{f.Decisions, f.Stops, f.Verdicts} {
		writeList(&w, ds, func(d *Dated) { w.day(d.On); w.str(d.What) })
	}
	writeList(&w, f.Trials, func(t *TrialHearing) { w.day(t.On); w.str(t.Outcome); w.str(t.Reason) })
	writeList(&w, f.Deadlines, func(d *DeadlineFact) { w.str(d.Rule); w.str(d.Owner); w.day(d.Due); w.day(d.Met) })
	writeList(&w, f.Requests, func(r *RequestFact) {
		w.str(r.Material)
		w.bool(r.Counselling)
		for _, d := range []calendar.Day{r.Recorded, r.Approved, r.Sent, r.Responded, r.Withdrawn} {
			w.day(d)
		}
		w.str(r.Notice)
		w.str(r.Result)
	})
	writeList(&w, f.Devices, func(d *DeviceFact) { w.day(d.Requested); w.str(d.Answer); w.day(d.Answered); w.day(d.Withdrawn) })
	writeList(&w, f.Held, func(h *HeldFrom) { w.day(h.From); w.str(h.Party.String()) })
	return w.b
}

// writeList writes a list's length and its elements, each by elem.
func writeList[T any](w *narrowWriter, s []T, elem func(*T)) {
	w.int(len(s))
	for i := range s {
		elem(&s[i])
	}
}

type narrowWriter struct {
	b    []byte
	base calendar.Day
}

func (w *narrowWriter) day(d calendar.Day) {
	if d == None {
		w.b = append(w.b, 0)
		return
	}
	w.b = binary.AppendUvarint(w.b, zigzag(int64(d)-int64(w.base))+1)
}

func zigzag(n int64) uint64 { return uint64(n<<1) ^ uint64(n>>63) }

func (w *narrowWriter) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *narrowWriter) int(n int) { w.b = binary.AppendVarint(w.b, int64(n)) }

func (w *narrowWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// AggregateNarrow is Aggregate of the cases whose narrow records each yields
// (a store's EachNarrowFacts: every case's, each valid only until fn
// returns), without holding every case's Facts — 700,000 of them took
// most of the time of reading them, in memory first touched. The records
// are kept, copied one after another into buffers, each after its length;
// the period's bounds are taken from their first days; then each record is
// decoded in turn into the same Facts and counted.
func AggregateNarrow(each func(fn func(record []byte) error) error, p Params) (Report, error) {
	var bufs [][]byte
	var buf []byte
	n := 0
	first, last := None, None
	err := each(func(rec []byte) error {
		r := narrowReader{reader: reader{b: rec}}
		reported, caseLast := r.head()
		if r.bad {
			return errNarrow
		}
		first, last = widen(first, last, reported, caseLast)
		if len(buf)+binary.MaxVarintLen64+len(rec) > cap(buf) {
			if len(buf) > 0 {
				bufs = append(bufs, buf)
			}
			buf = make([]byte, 0, max(1<<20, binary.MaxVarintLen64+len(rec)))
		}
		buf = binary.AppendUvarint(buf, uint64(len(rec)))
		buf = append(buf, rec...)
		n++
		return nil
	})
	if err != nil {
		return Report{}, err
	}
	bufs = append(bufs, buf)
	var f Facts
	var bad error
	strs := map[string]string{}
	r, err := aggregate(n, func(yield func(*Facts) bool) {
		for _, b := range bufs {
			for len(b) > 0 {
				size, k := binary.Uvarint(b) // as written above
				rec := b[k : k+int(size)]
				b = b[k+int(size):]
				if bad = decodeNarrow(rec, strs, &f); bad != nil || !yield(&f) {
					return
				}
			}
		}
	}, first, last, p)
	if err == nil {
		err = bad
	}
	if err != nil {
		return Report{}, err
	}
	return r, nil
}

// DecodeNarrow reads a case's narrow record into f: every field Aggregate
// reads, as Decode reads them from the case's record; the others (Case,
// Attribution, Quality) are left zero.
func DecodeNarrow(b []byte, f *Facts) error { return decodeNarrow(b, nil, f) }

// decodeNarrow is DecodeNarrow, interning strings in strs (as quickDecode).
func decodeNarrow(b []byte, strs map[string]string, f *Facts) error {
	r := narrowReader{reader: reader{b: b, strs: strs}}
	// Every other field is set below.
	f.Case, f.Attribution, f.Quality = "", nil, nil
	f.Reported, f.Last = r.head()
	for _, s := range []*string{&f.Force, &f.Area, &f.Offence, &f.Sex, &f.Ethnicity, &f.AgeBand, &f.Court, &f.Outcome, &f.ExitStage, &f.ExitReason} {
		*s = r.str()
	}
	for _, d := range []*calendar.Day{&f.FileForDecision, &f.Decision, &f.Charged, &f.FirstHearing, &f.Sent, &f.TrialStarted,
		&f.Completed, &f.Closed, &f.Exit, &f.WithdrewAfterCharge, &f.HeldEnd} {
		*d = r.day()
	}
	f.ExitAfterWithdrawal = r.bool()
	f.Adjournments = r.int()
	for _, ds := range []*[]Dated{&f.Decisions, &f.Stops, &f.Verdicts} {
		*ds = narrowList(&r, func(d *Dated) { d.On, d.What = r.day(), r.str() })
	}
	f.Trials = narrowList(&r, func(t *TrialHearing) { t.On, t.Outcome, t.Reason = r.day(), r.str(), r.str() })
	f.Deadlines = narrowList(&r, func(d *DeadlineFact) { d.Rule, d.Owner, d.Due, d.Met = r.str(), r.str(), r.day(), r.day() })
	f.Requests = narrowList(&r, func(q *RequestFact) {
		q.Material, q.Counselling = r.str(), r.bool()
		q.Recorded, q.Approved, q.Sent, q.Responded, q.Withdrawn = r.day(), r.day(), r.day(), r.day(), r.day()
		q.Notice, q.Result = r.str(), r.str()
	})
	f.Devices = narrowList(&r, func(d *DeviceFact) {
		d.Requested, d.Answer, d.Answered, d.Withdrawn = r.day(), r.str(), r.day(), r.day()
	})
	f.Held = narrowList(&r, func(h *HeldFrom) {
		h.From = r.day()
		var ok bool
		if h.Party, ok = attribution.ParseParty(r.str()); !ok {
			r.bad = true
		}
	})
	if r.bad || r.i != len(b) {
		*f = Facts{}
		return errNarrow
	}
	return nil
}

var errNarrow = errors.New("a case's narrow record in the roll-up is not one Narrow wrote")

// narrowReader reads a narrow record; at anything that is not one it sets
// bad, and reads zeros from then on.
type narrowReader struct {
	reader
	base calendar.Day
	bad  bool
}

// head reads the form and the first two days: the report and the last.
func (r *narrowReader) head() (reported, last calendar.Day) {
	if len(r.b) == 0 || r.b[0] != narrowForm {
		r.bad = true
		return None, None
	}
	r.i = 1
	reported = r.day()
	if reported != None {
		r.base = reported
	}
	return reported, r.day()
}

func (r *narrowReader) uvarint() uint64 {
	if r.bad {
		return 0
	}
	n, k := binary.Uvarint(r.b[r.i:])
	if k <= 0 {
		r.bad = true
		return 0
	}
	r.i += k
	return n
}

func (r *narrowReader) day() calendar.Day {
	n := r.uvarint()
	if n == 0 {
		return None
	}
	return r.base + calendar.Day(unzigzag(n-1))
}

// unzigzag undoes zigzag, as binary.Varint reads what AppendVarint wrote.
func unzigzag(n uint64) int64 { return int64(n>>1) ^ -int64(n&1) }

func (r *narrowReader) str() string {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.b)-r.i) {
		r.bad = true
		return ""
	}
	s := r.intern(r.b[r.i : r.i+int(n)])
	r.i += int(n)
	return s
}

func (r *narrowReader) int() int { return int(unzigzag(r.uvarint())) }

func (r *narrowReader) bool() bool {
	if r.bad || r.i >= len(r.b) || r.b[r.i] > 1 {
		r.bad = true
		return false
	}
	r.i++
	return r.b[r.i-1] == 1
}

// narrowList reads a list's length and its elements, each by elem; none
// is nil, as Record leaves an empty list out and Decode reads it so.
func narrowList[T any](r *narrowReader, elem func(*T)) []T {
	n := r.int()
	if n <= 0 || n > len(r.b)-r.i { // an element takes a byte at least
		if n != 0 {
			r.bad = true
		}
		return nil
	}
	out := make([]T, n)
	for i := range out {
		elem(&out[i])
	}
	return out
}
