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
	invalid := func(field, format string, args ...any) error {
		return &Error{Code: EINVALID, Message: "not valid JSON", Fields: []FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
	}
	if !utf8.Valid(b) {
		off := 0
		for off < len(b) {
			r, n := utf8.DecodeRune(b[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return invalid("", "is not valid UTF-8 (at byte %d)", off)
	}
	if err := checkShape(b); err != nil {
		return err
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

// maxDepth is the deepest nesting of objects and arrays accepted: every
// body and payload of the vocabulary is at most four deep.
const maxDepth = 32

// checkShape walks the tokens of b: exactly one value, no object with the
// same key twice (keys compare as decoded strings, so "a" and "\u0061" are
// the same key), and no deeper nesting than maxDepth.
func checkShape(b []byte) error {
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
