package attribution

import "bytes"

// ReadKept reads a Kept record in exactly the form MarshalJSON writes it
// (no spaces, no escapes in its strings, keys it knows) from the start of
// b, and returns how many bytes it took. ok is false for anything else,
// which the caller then reads with encoding/json: this is the quick way
// through the roll-up's 700,000 records, not a JSON parser.
func ReadKept(b []byte) (k Kept, n int, ok bool) {
	n, ok = readKept(b, &k, func(_ string, v []byte) string { return string(v) })
	return k, n, ok
}

// A KeptReader reads one record after another as ReadKept does, for a
// reader of every case's: Kept is the last record read, valid until the
// next Read, whose changes reuse its memory; force and area, a few dozen
// strings nationally, are made once; and the case reference is not read
// into it (Case is empty), since such a reader has it beside the record.
type KeptReader struct {
	Kept Kept
	strs map[string]string
}

// Read reads the record at the start of b into r.Kept, as ReadKept.
func (r *KeptReader) Read(b []byte) (n int, ok bool) {
	if r.strs == nil {
		r.strs = map[string]string{}
	}
	r.Kept = Kept{Changes: r.Kept.Changes[:0]}
	return readKept(b, &r.Kept, func(key string, v []byte) string {
		if key == "case" {
			return ""
		}
		if s, ok := r.strs[string(v)]; ok { // no allocation for the lookup
			return s
		}
		s := string(v)
		if len(r.strs) < maxStrings {
			r.strs[s] = s
		}
		return s
	})
}

// maxStrings bounds the strings a KeptReader keeps, should a store hold
// more forces and areas than England and Wales.
const maxStrings = 1024

// readKept is ReadKept into k, appending to its changes, with str making
// each string of the record from its key and bytes.
func readKept(b []byte, k *Kept, str func(key string, v []byte) string) (n int, ok bool) {
	s := scanner{b: b, ok: true}
	s.want('{')
	for first := true; s.ok && !s.next('}'); first = false {
		if !first {
			s.want(',')
		}
		key := s.str()
		s.want(':')
		switch string(key) {
		case "case":
			k.Case = str("case", s.str())
		case "reported":
			k.Reported = Day(s.int())
		case "close":
			k.Close = Day(s.int())
		case "trial":
			k.Trial = Day(s.int())
		case "charged":
			k.Charged = Day(s.int())
		case "force":
			k.Force = str("force", s.str())
		case "area":
			k.Area = str("area", s.str())
		case "backdated":
			k.Backdated = s.word("true")
		case "changes":
			s.want('[')
			for first := true; s.ok && !s.next(']'); first = false {
				if !first {
					s.want(',')
				}
				c := Change{From: Day(s.int())}
				s.want(',')
				c.Rule = Rule(s.int())
				if c.Rule < RuleWithdrawal || c.Rule > RuleOutcome || (len(k.Changes) > 0 && c.From <= k.Changes[len(k.Changes)-1].From) {
					s.ok = false
				}
				k.Changes = append(k.Changes, c)
			}
		default:
			s.ok = false
		}
	}
	return s.i, s.ok
}

// scanner reads the few JSON forms of a Kept record; any surprise clears ok.
type scanner struct {
	b  []byte
	i  int
	ok bool
}

// next consumes c if it is the next byte.
func (s *scanner) next(c byte) bool {
	if s.ok && s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) want(c byte) {
	if !s.next(c) {
		s.ok = false
	}
}

// str reads a string without escapes, returning its bytes.
func (s *scanner) str() []byte {
	s.want('"')
	if !s.ok {
		return nil
	}
	j := bytes.IndexByte(s.b[s.i:], '"')
	if j < 0 || bytes.IndexByte(s.b[s.i:s.i+j], '\\') >= 0 {
		s.ok = false
		return nil
	}
	v := s.b[s.i : s.i+j]
	s.i += j + 1
	return v
}

// int reads an integer of at most nine digits (a day or a rule).
func (s *scanner) int() int32 {
	neg := s.next('-')
	var v int32
	d := 0
	for s.ok && s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' && d < 9 {
		v = v*10 + int32(s.b[s.i]-'0')
		s.i++
		d++
	}
	if d == 0 || (s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9') {
		s.ok = false
	}
	if neg {
		v = -v
	}
	return v
}

// word reads a literal: true.
func (s *scanner) word(w string) bool {
	if s.ok && bytes.HasPrefix(s.b[s.i:], []byte(w)) {
		s.i += len(w)
		return true
	}
	s.ok = false
	return false
}
