package page

import (
	"errors"
	"strings"

	"throughline"
)

// ErrorSummaryOf turns an error into an error summary and messages by
// field. Fields are named by their form names; fieldFor maps a domain field
// path (e.g. "data.defendant_id") to the form field and its first control's id.
func ErrorSummaryOf(err error, fieldFor func(string) (name, id string)) (*ErrorSummary, FieldMessages) {
	msgs := FieldMessages{}
	es := &ErrorSummary{TitleText: "There is a problem"}
	var te *throughline.Error
	if !errors.As(err, &te) {
		es.ErrorList = append(es.ErrorList, ErrorLink{Text: "Sorry, there is a problem with the service. Try again later."})
		return es, msgs
	}
	if len(te.Fields) == 0 {
		es.ErrorList = append(es.ErrorList, ErrorLink{Text: Sentence(te.Message)})
		return es, msgs
	}
	for _, f := range te.Fields {
		name, id := fieldFor(f.Field)
		msg := Sentence(f.Message)
		if _, dup := msgs[name]; dup {
			continue
		}
		msgs[name] = msg
		link := ErrorLink{Text: msg}
		if id != "" {
			link.Href = "#" + id
		}
		es.ErrorList = append(es.ErrorList, link)
	}
	return es, msgs
}

// FieldMessages are a form's error messages by field name.
type FieldMessages map[string]string

// Of is the message of a field, for its component; nil if none (or no
// error at all: msgs is then nil).
func (msgs FieldMessages) Of(name string) *ErrorMessage {
	if m, ok := msgs[name]; ok {
		return &ErrorMessage{Text: m}
	}
	return nil
}

// SameField names a form field and its control alike: the field mapper of
// forms whose domain fields are their form fields.
func SameField(f string) (name, id string) { return f, f }

// Sentence starts a message with a capital letter.
func Sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
