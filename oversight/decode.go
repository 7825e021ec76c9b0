package oversight

import (
	"bytes"
	"strconv"

	"throughline/attribution"
	"throughline/calendar"
)

// A record in the roll-up is JSON (Record), and decoding it was most of the
// cost of reading 700,000 of them. quickDecode reads the JSON that Record
// writes — an object of the Facts' fields by their exact names, strings
// without escapes, whole numbers, booleans, arrays, null — field by field,
// without reflection, as json.Unmarshal (Facts.UnmarshalJSON) would, and
// says false at anything else (an escape, a number with a fraction, a name
// it does not know), for Decode to read the record again with
// encoding/json. TestQuickDecodeIsUnmarshal holds it to json.Unmarshal.
//
// Its strings are interned: but for the case reference, a record's strings
// come from small sets (forces, areas, outcomes, rules…), and 700,000
// records then hold a few hundred strings rather than millions.
func quickDecode(b []byte, f *Facts, strs map[string]string) bool {
	r := reader{b: b, strs: strs}
	*f = noneFacts()
	if !r.facts(f) {
		return false
	}
	r.space()
	return r.i == len(r.b)
}

type reader struct {
	b    []byte
	i    int
	strs map[string]string // interned strings (nil: none)
}

// maxInterned bounds the strings a reader interns, should a record hold
// more than a small set.
const maxInterned = 4096

// intern returns b as a string, the one it returned before for the same
// bytes (a map lookup of string(b) allocates nothing).
func (r *reader) intern(b []byte) string {
	if s, ok := r.strs[string(b)]; ok {
		return s
	}
	return r.keep(string(b))
}

// keep interns s, returning the string interned for its bytes.
func (r *reader) keep(s string) string {
	if t, ok := r.strs[s]; ok {
		return t
	}
	if r.strs != nil && len(r.strs) < maxInterned {
		r.strs[s] = s
	}
	return s
}

func (r *reader) space() {
	for r.i < len(r.b) && (r.b[r.i] == ' ' || r.b[r.i] == '\n' || r.b[r.i] == '\t' || r.b[r.i] == '\r') {
		r.i++
	}
}

// next consumes c, after any space.
func (r *reader) next(c byte) bool {
	r.space()
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// null consumes null, after any space.
func (r *reader) null() bool {
	r.space()
	if bytes.HasPrefix(r.b[r.i:], []byte("null")) {
		r.i += len("null")
		return true
	}
	return false
}

// raw reads a string without escapes, returning its bytes.
func (r *reader) raw() ([]byte, bool) {
	if !r.next('"') {
		return nil, false
	}
	start := r.i
	for r.i < len(r.b) {
		switch c := r.b[r.i]; {
		case c == '"':
			r.i++
			return r.b[start : r.i-1], true
		case c == '\\' || c < 0x20:
			return nil, false
		}
		r.i++
	}
	return nil, false
}

// str reads an interned string into s; null leaves s as it is, as
// json.Unmarshal does.
func (r *reader) str(s *string) bool {
	if r.null() {
		return true
	}
	b, ok := r.raw()
	*s = r.intern(b)
	return ok
}

// num reads a whole number of at most bits bits.
func (r *reader) num(bits int) (int64, bool) {
	r.space()
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		r.i++
	}
	if r.i < len(r.b) && (r.b[r.i] == '.' || r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		return 0, false
	}
	n, err := strconv.ParseInt(string(r.b[start:r.i]), 10, bits)
	return n, err == nil
}

func (r *reader) day(d *calendar.Day) bool {
	if r.null() {
		return true
	}
	n, ok := r.num(32)
	*d = calendar.Day(n)
	return ok
}

func (r *reader) int(v *int) bool {
	if r.null() {
		return true
	}
	n, ok := r.num(64)
	*v = int(n)
	return ok
}

func (r *reader) bool(v *bool) bool {
	switch {
	case r.null():
	case bytes.HasPrefix(r.b[r.i:], []byte("true")):
		*v, r.i = true, r.i+len("true")
	case bytes.HasPrefix(r.b[r.i:], []byte("false")):
		*v, r.i = false, r.i+len("false")
	default:
		return false
	}
	return true
}

// object reads an object, each of its fields by field, which says false
// at a name it does not know; null reads as nothing.
func (r *reader) object(field func(name []byte) bool) bool {
	if r.null() {
		return true
	}
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	for {
		name, ok := r.raw()
		if !ok || !r.next(':') || !field(name) {
			return false
		}
		if r.next('}') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

// list reads an array into s, each element by elem (from its zero value);
// null is nil, [] empty, as json.Unmarshal reads them.
func list[T any](r *reader, s *[]T, elem func(*T) bool) bool {
	if r.null() {
		*s = nil
		return true
	}
	if !r.next('[') {
		return false
	}
	*s = make([]T, 0, 1)
	if r.next(']') {
		return true
	}
	for {
		var e T
		if !elem(&e) {
			return false
		}
		*s = append(*s, e)
		if r.next(']') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

func (r *reader) facts(f *Facts) bool {
	return r.object(func(name []byte) bool {
		switch string(name) { // allocates nothing
		case "case":
			if r.null() {
				return true
			}
			b, ok := r.raw() // different in every record: not interned
			f.Case = string(b)
			return ok
		case "force":
			return r.str(&f.Force)
		case "area":
			return r.str(&f.Area)
		case "offence":
			return r.str(&f.Offence)
		case "sex":
			return r.str(&f.Sex)
		case "ethnicity":
			return r.str(&f.Ethnicity)
		case "age_band":
			return r.str(&f.AgeBand)
		case "court":
			return r.str(&f.Court)
		case "reported":
			return r.day(&f.Reported)
		case "file_for_decision":
			return r.day(&f.FileForDecision)
		case "decision":
			return r.day(&f.Decision)
		case "charged":
			return r.day(&f.Charged)
		case "first_hearing":
			return r.day(&f.FirstHearing)
		case "sent":
			return r.day(&f.Sent)
		case "trial_started":
			return r.day(&f.TrialStarted)
		case "completed":
			return r.day(&f.Completed)
		case "closed":
			return r.day(&f.Closed)
		case "last":
			return r.day(&f.Last)
		case "outcome":
			return r.str(&f.Outcome)
		case "exit_stage":
			return r.str(&f.ExitStage)
		case "exit_reason":
			return r.str(&f.ExitReason)
		case "exit":
			return r.day(&f.Exit)
		case "exit_after_withdrawal":
			return r.bool(&f.ExitAfterWithdrawal)
		case "withdrew_after_charge":
			return r.day(&f.WithdrewAfterCharge)
		case "adjournments":
			return r.int(&f.Adjournments)
		case "decisions":
			return list(r, &f.Decisions, r.dated)
		case "stops":
			return list(r, &f.Stops, r.dated)
		case "verdicts":
			return list(r, &f.Verdicts, r.dated)
		case "quality":
			return list(r, &f.Quality, r.dated)
		case "trials":
			return list(r, &f.Trials, r.trial)
		case "deadlines":
			return list(r, &f.Deadlines, r.deadline)
		case "requests":
			return list(r, &f.Requests, r.request)
		case "devices":
			return list(r, &f.Devices, r.device)
		case "held":
			return list(r, &f.Held, r.held)
		case "held_end":
			return r.day(&f.HeldEnd)
		case "attribution":
			if r.null() {
				f.Attribution = nil
				return true
			}
			// In exactly the form attribution.Kept writes it, or
			// encoding/json's to read.
			k, n, ok := attribution.ReadKept(r.b[r.i:])
			r.i += n
			k.Force, k.Area = r.keep(k.Force), r.keep(k.Area)
			f.Attribution = &k
			return ok
		}
		return false
	})
}

func (r *reader) dated(d *Dated) bool {
	return r.object(func(name []byte) bool {
		switch string(name) { // allocates nothing
		case "on":
			return r.day(&d.On)
		case "what":
			return r.str(&d.What)
		}
		return false
	})
}

func (r *reader) trial(t *TrialHearing) bool {
	return r.object(func(name []byte) bool {
		switch string(name) { // allocates nothing
		case "on":
			return r.day(&t.On)
		case "outcome":
			return r.str(&t.Outcome)
		case "reason":
			return r.str(&t.Reason)
		}
		return false
	})
}

func (r *reader) deadline(d *DeadlineFact) bool {
	return r.object(func(name []byte) bool {
		switch string(name) { // allocates nothing
		case "rule":
			return r.str(&d.Rule)
		case "owner":
			return r.str(&d.Owner)
		case "due":
			return r.day(&d.Due)
		case "met":
			return r.day(&d.Met)
		}
		return false
	})
}

func (r *reader) request(q *RequestFact) bool {
	return r.object(func(name []byte) bool {
		switch string(name) { // allocates nothing
		case "material":
			return r.str(&q.Material)
		case "counselling":
			return r.bool(&q.Counselling)
		case "recorded":
			return r.day(&q.Recorded)
		case "approved":
			return r.day(&q.Approved)
		case "sent":
			return r.day(&q.Sent)
		case "notice":
			return r.str(&q.Notice)
		case "result":
			return r.str(&q.Result)
		case "responded":
			return r.day(&q.Responded)
		case "withdrawn":
			return r.day(&q.Withdrawn)
		}
		return false
	})
}

func (r *reader) device(d *DeviceFact) bool {
	return r.object(func(name []byte) bool {
		switch string(name) { // allocates nothing
		case "requested":
			return r.day(&d.Requested)
		case "answer":
			return r.str(&d.Answer)
		case "answered":
			return r.day(&d.Answered)
		case "withdrawn":
			return r.day(&d.Withdrawn)
		}
		return false
	})
}

func (r *reader) held(h *HeldFrom) bool {
	return r.object(func(name []byte) bool {
		switch string(name) { // allocates nothing
		case "from":
			return r.day(&h.From)
		case "party":
			b, ok := r.raw()
			if !ok {
				return false
			}
			h.Party, ok = attribution.ParseParty(string(b))
			return ok
		}
		return false
	})
}

// noneMember is how encoding/json writes a field's value of None.
var noneMember = []byte(":-2147483648")

// dropNone leaves out of a record (encoding/json's, no spaces) every field
// of its outer object whose value is None: most of a case's days have not
// happened, and reading them back as None is Decode's default. Fields of
// the objects inside it keep theirs. It rewrites b in place.
func dropNone(b []byte) []byte {
	out := b[:0] // never ahead of i
	depth, in := 0, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case in:
			if c == '\\' {
				out = append(out, c)
				i++
				c = b[i]
			} else if c == '"' {
				in = false
			}
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		case c == '"':
			in = true
			if depth != 1 || (b[i-1] != '{' && b[i-1] != ',') {
				break
			}
			// A name of the outer object (names hold no quotation mark).
			end := i + 1 + bytes.IndexByte(b[i+1:], '"')
			next := end + 1 + len(noneMember)
			if !bytes.HasPrefix(b[end+1:], noneMember) || next >= len(b) || (b[next] != ',' && b[next] != '}') {
				break
			}
			in = false
			if b[next] == ',' {
				i = next // the field and the comma after it
				continue
			}
			if out[len(out)-1] == ',' {
				out = out[:len(out)-1] // the last field, and the comma before it
			}
			i = next - 1
			continue
		}
		out = append(out, c)
	}
	return out
}
