package throughline

import (
	"reflect"
	"strings"
	"sync"
)

// namedField is a struct field that JSON names: its index and its name.
type namedField struct {
	index int
	name  string
}

// fieldsByType holds jsonFields' answer per struct type.
var fieldsByType sync.Map // reflect.Type → []namedField

// jsonFields is the exported fields of struct type t that have a JSON name,
// in order. Every payload is walked for its texts and its times, millions
// of times in an import, so each type's fields are read from its tags once.
func jsonFields(t reflect.Type) []namedField {
	if fs, ok := fieldsByType.Load(t); ok {
		return fs.([]namedField)
	}
	var fs []namedField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "" && name != "-" {
			fs = append(fs, namedField{index: i, name: name})
		}
	}
	fieldsByType.Store(t, fs)
	return fs
}
