// Package throughline is the domain core of Throughline: the case, its events,
// the rules that decide which events may happen, and the errors that explain
// why not. It is pure: no I/O, no clock, no randomness. Every other package
// depends on it; it depends on nothing but the reference data.
package throughline

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Package web maps them to HTTP statuses; the command exits 1
// on any error whatever its code (2 for a usage error, 0 on success), so
// scripts tell failures apart by the message printed, not the exit code.
const (
	EINVALID      = "invalid"      // the request breaks a rule; nothing was written
	ECONFLICT     = "conflict"     // the case changed since the caller read it
	ENOTFOUND     = "not_found"    // no such thing, or the caller may not know it exists
	EFORBIDDEN    = "forbidden"    // the caller may not do this
	EUNAUTHORIZED = "unauthorized" // the caller did not say who they are
	EUNSUPPORTED  = "unsupported"  // the request's body is not of a media type the call reads
	EINTERNAL     = "internal"     // a fault of ours
	// EUNAVAILABLE: what is asked cannot be done just now, through no
	// fault in the request: the database is out of storage space, or
	// restricted material is asked for without its key. Nothing was
	// written; the message says what is missing, and nothing of the data.
	EUNAVAILABLE = "unavailable"
)

// Error is a domain error: a code for machines and a message for people.
type Error struct {
	Code    string
	Message string
	// Fields holds one message per invalid field, for forms and 422 responses.
	Fields []FieldError
	// Version is the case's current version, set on ECONFLICT.
	Version int64
}

// FieldError names one invalid field, by its JSON path, and says what is wrong.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	if e.Message == "" {
		return strings.Join(parts, "; ")
	}
	return e.Message + ": " + strings.Join(parts, "; ")
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the human message of err, hiding internal details.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Error()
	default:
		return "internal error"
	}
}

// fieldErrors collects field errors while validating.
type fieldErrors []FieldError

func (fe *fieldErrors) add(field, format string, args ...any) {
	*fe = append(*fe, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// err returns an EINVALID *Error if any field failed, or nil.
func (fe fieldErrors) err(message string) error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: message, Fields: fe}
}
