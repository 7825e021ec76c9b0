package throughline

import (
	"reflect"
	"strconv"
	"time"
)

// Meanings of a time in a payload.
const (
	TimePast   = "past"   // it has happened: not after now (plus ClockSkew)
	TimeFuture = "future" // it may be ahead: not more than MaxAhead after now
)

// TimeFields are the payload fields that hold a time or a date, by JSON
// name, with what they mean. An event's own occurred_at and recorded_at
// are things that happened. A test checks that every payload field named
// like a time is listed.
var TimeFields = map[string]string{
	"date_of_birth": TimePast,
	"starts_at":     TimeFuture,
	"due":           TimeFuture,
	"expires_on":    TimeFuture,
}

// CheckTimes refuses an event whose times say that what has happened
// happens later than now (beyond ClockSkew), or whose future times are
// more than MaxAhead away. The parser cannot: it has no clock. Every edge
// that takes events (the API, the forms, an import) calls it with its
// clock.
func CheckTimes(e Event, now time.Time) error {
	var fe fieldErrors
	latest := now.Add(ClockSkew)
	past := func(field string, w When) {
		if !w.IsZero() && w.After(latest) {
			fe.add(field, "is in the future (%s): only something that has happened can be recorded", w)
		}
	}
	past("occurred_at", e.OccurredAt)
	past("recorded_at", e.RecordedAt)
	if e.Data != nil {
		walkTimes(reflect.ValueOf(e.Data), "data", "", func(field, name, s string) {
			w, err := ParseWhen(s)
			if err != nil || w.IsZero() {
				return // the parser has said so
			}
			switch TimeFields[name] {
			case TimePast:
				past(field, w)
			case TimeFuture:
				if w.After(now.Add(MaxAhead)) {
					fe.add(field, "is more than %d years ahead", int(MaxAhead.Hours()/24/365))
				}
			}
		})
	}
	return fe.err("not a valid " + e.Type + " event")
}

// walkTimes calls f for each non-empty string field of v named in
// TimeFields, with its path.
func walkTimes(v reflect.Value, path, name string, f func(field, name, s string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkTimes(v.Elem(), path, name, f)
		}
	case reflect.String:
		if _, ok := TimeFields[name]; ok && v.String() != "" {
			f(path, name, v.String())
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkTimes(v.Index(i), path+"["+strconv.Itoa(i)+"]", name, f)
		}
	case reflect.Struct:
		for _, jf := range jsonFields(v.Type()) {
			fv := v.Field(jf.index)
			if fv.Kind() == reflect.String && TimeFields[jf.name] == "" {
				continue // not a time: no path to make
			}
			walkTimes(fv, path+"."+jf.name, jf.name, f)
		}
	}
}
