package throughline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Event is one change to a case: the unit of the append-only log.
//
// Two times say when: OccurredAt is when it happened in the world, RecordedAt
// when the agency learned of it. AppendedAt is when the log stored it. Duties
// that protect a victim run from when the agency could act (RecordedAt); the
// inspection's timeliness measures run from OccurredAt. Each rule says which.
type Event struct {
	Case       string // the caller's case reference, e.g. a police URN
	Version    int64  // the event's position in its case, from 1
	Type       string
	OccurredAt When
	RecordedAt When
	AppendedAt time.Time
	Actor      string // who appended it (a user id, or "import")
	Agency     string // the actor's agency, e.g. "police:13"
	Data       Data
}

// Data is the typed payload of an event. Each event type has one.
type Data interface {
	// EventType returns the stable event type name.
	EventType() string
	// validate checks the payload on its own, without the case.
	validate(fe *fieldErrors)
}

// eventJSON is the wire form of an event: one line of an import or export
// file, and the body the API returns.
type eventJSON struct {
	Case       string          `json:"case"`
	Version    int64           `json:"version,omitempty"`
	Type       string          `json:"type"`
	OccurredAt string          `json:"occurred_at"`
	RecordedAt string          `json:"recorded_at,omitempty"`
	Actor      string          `json:"actor,omitempty"`
	Agency     string          `json:"agency,omitempty"`
	Data       json.RawMessage `json:"data"`
}

// MarshalJSON writes the wire form. The version is left out: it belongs to
// the log, and an export must import into an empty database unchanged.
func (e Event) MarshalJSON() ([]byte, error) {
	data, err := json.Marshal(e.Data)
	if err != nil {
		return nil, err
	}
	return json.Marshal(eventJSON{Case: e.Case, Type: e.Type, OccurredAt: e.OccurredAt.String(), RecordedAt: e.RecordedAt.String(), Actor: e.Actor, Agency: e.Agency, Data: data})
}

// ParseEvent reads the wire form of one event and validates it on its own
// (not against the case). A missing recorded_at is left zero for the caller
// to default. Errors are *Error with one FieldError per problem.
func ParseEvent(b []byte) (Event, error) {
	var w eventJSON
	if err := DecodeStrict(b, &w, false); err != nil {
		err.(*Error).Message = "not a valid event"
		return Event{}, err
	}
	e := Event{Case: NormalizeReference(w.Case), Type: w.Type, Actor: w.Actor, Agency: w.Agency}
	var fe fieldErrors
	if !ValidReference(e.Case) {
		fe.add("case", "%s", ReferenceRule)
	}
	for _, f := range []struct{ name, v string }{{"actor", w.Actor}, {"agency", w.Agency}} {
		if msg := CheckText(f.v, DefaultText); msg != "" {
			fe.add(f.name, "%s", msg)
		}
	}
	e.OccurredAt = parseWhen(&fe, "occurred_at", w.OccurredAt, true)
	e.RecordedAt = parseWhen(&fe, "recorded_at", w.RecordedAt, false)
	if !e.RecordedAt.IsZero() && !e.OccurredAt.IsZero() && e.RecordedAt.Before(e.OccurredAt) {
		fe.add("recorded_at", "cannot be before occurred_at: an agency cannot learn of something before it happens")
	}
	data, err := decodeData(w.Type, w.Data, true)
	if err != nil {
		if de, ok := err.(*Error); ok {
			fe = append(fe, de.Fields...)
		} else {
			fe.add("data", "%v", err)
		}
	}
	e.Data = data
	msg := "not a valid event"
	if _, known := eventTypes[w.Type]; known {
		msg = "not a valid " + w.Type + " event"
	}
	if err := fe.err(msg); err != nil {
		return Event{}, err
	}
	return e, nil
}

// parseWhen parses a time field, recording a field error if it is malformed
// or, when required, missing.
func parseWhen(fe *fieldErrors, field, s string, required bool) When {
	if s == "" {
		if required {
			fe.add(field, "is required")
		}
		return When{}
	}
	w, err := ParseWhen(s)
	if err != nil {
		fe.add(field, "%v", err)
	}
	return w
}

// parseDate is parseWhen for fields that hold a calendar date only.
func parseDate(fe *fieldErrors, field, s string, required bool) When {
	w := parseWhen(fe, field, s, required)
	if !w.IsZero() && !w.DateOnly() {
		fe.add(field, "must be a date (YYYY-MM-DD), without a time")
		return When{}
	}
	return w
}

// DecodeData decodes and validates the payload of an event of type typ.
// Unknown types and unknown fields are refused.
func DecodeData(typ string, raw json.RawMessage) (Data, error) {
	return decodeData(typ, raw, false)
}

// decodeData is DecodeData; checked says raw is part of an event that
// DecodeStrict has checked whole (see decodeStrict).
func decodeData(typ string, raw json.RawMessage, checked bool) (Data, error) {
	mk, ok := eventTypes[typ]
	if !ok {
		return nil, &Error{Code: EINVALID, Message: "not a valid event", Fields: []FieldError{{Field: "type", Message: fmt.Sprintf("unknown event type %q", typ)}}}
	}
	d := mk()
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		raw = []byte("{}")
	}
	if err := decodeStrict(raw, d, false, checked); err != nil {
		te := err.(*Error)
		te.Message = "not a valid event"
		for i, f := range te.Fields {
			te.Fields[i].Field = strings.TrimSuffix("data."+f.Field, ".")
		}
		return nil, te
	}
	var fe fieldErrors
	checkTexts(&fe, reflect.ValueOf(d), "", "")
	if len(fe) == 0 {
		d.validate(&fe)
	}
	for i := range fe {
		fe[i].Field = "data." + fe[i].Field
	}
	if err := fe.err("not a valid " + typ + " event"); err != nil {
		return nil, err
	}
	return d, nil
}

// EventTypes lists every event type name, in vocabulary order.
func EventTypes() []string { return append([]string(nil), eventTypeOrder...) }

// ReferenceRule says in words what ValidReference accepts.
const ReferenceRule = "must be 3 to 40 letters, digits, '-' or '/', beginning and ending with a letter or digit, with no two '-' or '/' together"

// NormalizeReference returns the one canonical form of a case reference:
// without surrounding white space, in capitals. A reference is normalised
// wherever one is read (an event, a path, a form, a command's argument),
// so "13rs1/24" and "13RS1/24" are one case.
func NormalizeReference(ref string) string { return strings.ToUpper(strings.TrimSpace(ref)) }

// ValidReference reports whether ref is a well-formed case reference:
// 3–40 characters of ASCII letters, digits, '-' and '/', beginning and
// ending with a letter or digit, with no two separators together (so
// "///" and "---" are refused).
func ValidReference(ref string) bool {
	if len(ref) < 3 || len(ref) > 40 {
		return false
	}
	alnum := func(r byte) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' }
	if !alnum(ref[0]) || !alnum(ref[len(ref)-1]) {
		return false
	}
	for i := 0; i < len(ref); i++ {
		switch r := ref[i]; {
		case alnum(r):
		case r == '-' || r == '/':
			if !alnum(ref[i-1]) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// ReferenceForce reports whether ref is numbered by force: a police
// reference (URN) begins with the force's two-digit PNC code.
func ReferenceForce(ref, force string) bool {
	return force != "" && strings.HasPrefix(ref, force) && len(ref) > len(force)
}

// jsonField names the field a decoding error is about.
func jsonField(err error, prefix string) string {
	join := func(f string) string {
		switch {
		case prefix == "":
			return f
		case f == "":
			return prefix
		default:
			return prefix + "." + f
		}
	}
	switch e := err.(type) {
	case *json.UnmarshalTypeError:
		return join(e.Field)
	default:
		const unknown = "json: unknown field "
		if s := err.Error(); len(s) > len(unknown) && s[:len(unknown)] == unknown {
			var name string
			_ = json.Unmarshal([]byte(s[len(unknown):]), &name)
			return join(name)
		}
		return prefix
	}
}

// jsonMessage turns a decoding error into words for a caseworker.
func jsonMessage(err error) string {
	switch e := err.(type) {
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("must be %s, not %s", jsonKind(e.Type.Kind().String()), e.Value)
	case *json.SyntaxError:
		return fmt.Sprintf("malformed JSON at byte %d", e.Offset)
	default:
		const unknown = "json: unknown field "
		if s := err.Error(); len(s) > len(unknown) && s[:len(unknown)] == unknown {
			return "is not a known field"
		}
		if s := err.Error(); len(s) > 6 && s[:6] == "json: " {
			return s[6:]
		}
		return err.Error()
	}
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "text"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	case "int", "int64", "float64":
		return "a number"
	default:
		return k
	}
}

// NewData returns a zero payload of event type typ, or nil if unknown.
func NewData(typ string) Data {
	if mk, ok := eventTypes[typ]; ok {
		return mk()
	}
	return nil
}
