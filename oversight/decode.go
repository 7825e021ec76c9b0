package oversight

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// A record in the roll-up is JSON (Record), and encoding/json's decoding
// was most of the cost of reading 700,000 of them. quickDecode reads the
// JSON that Record writes — objects of the Facts' fields by their exact
// names, strings without escapes, whole numbers, booleans, arrays, null —
// into v as json.Unmarshal would, and says false at anything else (an
// escape, a number with a fraction, a name it does not know), for Decode to
// read the record again with encoding/json. TestQuickDecodeIsUnmarshal
// holds it to json.Unmarshal.
//
// Its strings are interned: but for the case reference, a record's strings
// come from small sets (forces, areas, outcomes, rules…), and 700,000
// records then hold a few hundred strings rather than millions.
func quickDecode(b []byte, v any, strs map[string]string) bool {
	r := reader{b: b, strs: strs}
	if !r.value(reflect.ValueOf(v).Elem()) {
		return false
	}
	r.space()
	return r.i == len(r.b)
}

type reader struct {
	b    []byte
	i    int
	strs map[string]string // interned strings (nil: none)
	ref  bool              // the string next read is the case reference
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
	s := string(b)
	if r.strs != nil && !r.ref && len(r.strs) < maxInterned {
		r.strs[s] = s
	}
	return s
}

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// fieldsOf maps each struct type's JSON names to its fields' indexes.
var fieldsOf sync.Map // reflect.Type → map[string]int

func fields(t reflect.Type) map[string]int {
	if m, ok := fieldsOf.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() || f.Anonymous {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = i
	}
	fieldsOf.Store(t, m)
	return m
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

// literal consumes the word w (null, true, false).
func (r *reader) literal(w string) bool {
	if strings.HasPrefix(string(r.b[r.i:min(len(r.b), r.i+len(w))]), w) {
		r.i += len(w)
		return true
	}
	return false
}

// str reads a string without escapes, returning its bytes.
func (r *reader) str() ([]byte, bool) {
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

// skip passes over one string, object or array, as str reads strings.
func (r *reader) skip() bool {
	depth := 0
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case '"':
			if _, ok := r.str(); !ok {
				return false
			}
			if depth == 0 {
				return true
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth <= 0 {
				r.i++
				return depth == 0
			}
		default:
			if depth == 0 {
				return false
			}
		}
		r.i++
	}
	return false
}

// value reads one value into v.
func (r *reader) value(v reflect.Value) bool {
	r.space()
	if r.i >= len(r.b) {
		return false
	}
	if v.Kind() == reflect.Pointer {
		if r.b[r.i] == 'n' {
			if !r.literal("null") {
				return false
			}
			v.SetZero() // as json.Unmarshal does
			return true
		}
		e := reflect.New(v.Type().Elem())
		if !r.value(e.Elem()) {
			return false
		}
		v.Set(e)
		return true
	}
	if v.CanAddr() && v.Addr().Type().Implements(unmarshaler) {
		// A type that reads itself (a day as a string; the kept
		// attribution as an object) is handed its value's bytes.
		start := r.i
		if !r.skip() {
			return false
		}
		return v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(r.b[start:r.i]) == nil
	}
	if r.b[r.i] == 'n' {
		if !r.literal("null") {
			return false
		}
		if v.Kind() == reflect.Slice || v.Kind() == reflect.Map {
			v.SetZero() // as json.Unmarshal does; null leaves anything else as it is
		}
		return true
	}
	switch v.Kind() {
	case reflect.String:
		s, ok := r.str()
		v.SetString(r.intern(s))
		return ok
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		start := r.i
		if r.b[r.i] == '-' {
			r.i++
		}
		for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
			r.i++
		}
		if r.i < len(r.b) && (r.b[r.i] == '.' || r.b[r.i] == 'e' || r.b[r.i] == 'E') {
			return false
		}
		n, err := strconv.ParseInt(string(r.b[start:r.i]), 10, 64)
		if err != nil || v.OverflowInt(n) {
			return false
		}
		v.SetInt(n)
		return true
	case reflect.Bool:
		switch {
		case r.literal("true"):
			v.SetBool(true)
		case r.literal("false"):
			v.SetBool(false)
		default:
			return false
		}
		return true
	case reflect.Slice:
		if !r.next('[') {
			return false
		}
		v.Set(reflect.MakeSlice(v.Type(), 0, 4))
		if r.next(']') {
			return true
		}
		for {
			v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
			if !r.value(v.Index(v.Len() - 1)) {
				return false
			}
			if r.next(']') {
				return true
			}
			if !r.next(',') {
				return false
			}
		}
	case reflect.Struct:
		if !r.next('{') {
			return false
		}
		if r.next('}') {
			return true
		}
		fs := fields(v.Type())
		for {
			name, ok := r.str()
			i, known := fs[string(name)]
			r.ref = string(name) == "case" // different in every record: not interned
			if !ok || !known || !r.next(':') || !r.value(v.Field(i)) {
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
	return false
}
