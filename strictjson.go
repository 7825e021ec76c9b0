package throughline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// DecodeStrict decodes one JSON value from b into v, refusing what a loose
// decoder lets through: invalid UTF-8 (a decoder would store U+FFFD), a
// duplicated key in any object (a decoder keeps the last), anything but
// white space after the value, and, unless allowUnknown, fields v does not
// have. Every JSON body of the API and every line of an import is read
// with it. Errors are EINVALID *Error naming the field.
func DecodeStrict(b []byte, v any, allowUnknown bool) error {
	return decodeStrict(b, v, allowUnknown, false)
}

// decodeStrict is DecodeStrict; checked says b lies inside a body that
// DecodeStrict has already checked whole (its UTF-8, its keys, its depth),
// as an event's data does inside its line, so only decoding is left.
func decodeStrict(b []byte, v any, allowUnknown, checked bool) error {
	if !checked {
		if err := checkBytes(b); err != nil {
			return err
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if !allowUnknown {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return &Error{Code: EINVALID, Message: "not valid JSON", Fields: []FieldError{{Field: jsonField(err, ""), Message: jsonMessage(err)}}}
	}
	return nil
}

// checkBytes refuses invalid UTF-8 (naming the byte) and what checkShape
// refuses.
func checkBytes(b []byte) error {
	if !utf8.Valid(b) {
		off := 0
		for off < len(b) {
			r, n := utf8.DecodeRune(b[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return &Error{Code: EINVALID, Message: "not valid JSON", Fields: []FieldError{{Field: "", Message: fmt.Sprintf("is not valid UTF-8 (at byte %d)", off)}}}
	}
	return checkShape(b)
}

// maxDepth is the deepest nesting of objects and arrays accepted: every
// body and payload of the vocabulary is at most four deep.
const maxDepth = 32

// checkShape refuses what a decoder would let through: anything but exactly
// one value, an object with the same key twice (keys compare as decoded
// strings, so "a" and "\u0061" are the same key), and nesting deeper than
// maxDepth. Almost every body and line is fine, so a fast scan decides
// first; only what it refuses is walked token by token, to name the field.
func checkShape(b []byte) error {
	if scanShape(b) {
		return nil
	}
	return walkShape(b)
}

// scanShape reports whether b is one JSON value with no key twice in any
// object and no deeper nesting than maxDepth, in one pass over the bytes
// without allocating for keys that need no unescaping. json.Valid checks
// the syntax (it is the decoder's own scanner), so the pass after it need
// only find strings, brackets and keys.
func scanShape(b []byte) bool {
	if !json.Valid(b) {
		return false
	}
	// keys holds the keys of every open object, each object's from its mark;
	// an object with many keys is looked up in a set of its own instead, so
	// a hostile body of many keys costs linear time, not quadratic.
	// Their first room is on the stack: a line of the import is scanned
	// millions of times, and payloads are a few keys, a few levels deep.
	var keyRoom [2 * listedKeys][]byte
	var markRoom [8]int
	var setRoom [8]map[string]bool
	keys := keyRoom[:0]
	marks := markRoom[:0] // where each open object's keys start; -1 for an array
	sets := setRoom[:0]   // per open container: nil until its object outgrows the list
	expectKey := false    // the next string in this object is a key
	for i := 0; i < len(b); i++ {
		c := b[i]
		if len(marks) > maxDepth && c != '}' && c != ']' && c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false // a value nested deeper than maxDepth
		}
		switch c {
		case '{', '[':
			if c == '{' {
				marks = append(marks, len(keys))
				expectKey = true
			} else {
				marks = append(marks, -1)
			}
			sets = append(sets, nil)
		case '}', ']':
			if m := marks[len(marks)-1]; m >= 0 {
				keys = keys[:m]
			}
			marks, sets = marks[:len(marks)-1], sets[:len(sets)-1]
			expectKey = false
		case ',':
			expectKey = len(marks) > 0 && marks[len(marks)-1] >= 0
		case '"':
			end, escaped := i+1, false
			for b[end] != '"' {
				if b[end] == '\\' {
					escaped = true
					end++
				}
				end++
			}
			if expectKey {
				k := b[i+1 : end]
				if escaped {
					var s string
					if json.Unmarshal(b[i:end+1], &s) != nil {
						return false
					}
					k = []byte(s)
				}
				if !addKey(&keys, marks[len(marks)-1], &sets[len(sets)-1], k) {
					return false
				}
				expectKey = false
			}
			i = end
		}
	}
	return true
}

// listedKeys is how many keys an object may have before they are kept in
// a set rather than compared one by one: payload objects have at most a
// dozen or so.
const listedKeys = 16

// addKey adds k to the keys of the object whose keys start at mark, and
// reports false if it is already there.
func addKey(keys *[][]byte, mark int, set *map[string]bool, k []byte) bool {
	if *set != nil {
		if (*set)[string(k)] {
			return false
		}
		(*set)[string(k)] = true
		return true
	}
	own := (*keys)[mark:]
	for _, seen := range own {
		if bytes.Equal(seen, k) {
			return false
		}
	}
	if len(own) < listedKeys {
		*keys = append(*keys, k)
		return true
	}
	*set = make(map[string]bool, 2*listedKeys)
	for _, seen := range own {
		(*set)[string(seen)] = true
	}
	(*set)[string(k)] = true
	return true
}

// walkShape is checkShape token by token, naming the field at fault.
func walkShape(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := walkValue(dec, "", 0); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return shapeError("", "trailing data after the JSON value")
	}
	return nil
}

func shapeError(field, message string) error {
	return &Error{Code: EINVALID, Message: "not valid JSON", Fields: []FieldError{{Field: field, Message: message}}}
}

func walkValue(dec *json.Decoder, path string, depth int) error {
	if depth > maxDepth {
		return shapeError(path, fmt.Sprintf("nested more than %d deep", maxDepth))
	}
	tok, err := dec.Token()
	if err == io.EOF {
		if depth == 0 {
			return shapeError("", "the body is empty")
		}
		return shapeError(path, "the JSON ends too early")
	}
	if err != nil {
		return shapeError(path, jsonMessage(err))
	}
	switch tok {
	case json.Delim('{'):
		keys := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return shapeError(path, jsonMessage(err))
			}
			k, _ := kt.(string)
			field := k
			if path != "" {
				field = path + "." + k
			}
			if keys[k] {
				return shapeError(field, "appears twice in the same object")
			}
			keys[k] = true
			if err := walkValue(dec, field, depth+1); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return shapeError(path, jsonMessage(err))
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := walkValue(dec, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return shapeError(path, jsonMessage(err))
		}
	}
	return nil
}
