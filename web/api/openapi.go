package web

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"throughline"
)

//go:embed openapi.json
var openAPIBase []byte

var (
	openAPIOnce sync.Once
	openAPIDoc  []byte
)

// OpenAPI returns the OpenAPI 3 document: the hand-written paths and
// schemas of openapi.json, plus one schema per event type derived from the
// payload structs themselves, so the documented vocabulary cannot drift
// from the code.
func OpenAPI() []byte {
	openAPIOnce.Do(func() {
		var doc map[string]any
		if err := json.Unmarshal(openAPIBase, &doc); err != nil {
			panic("openapi.json: " + err.Error())
		}
		schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
		types := throughline.EventTypes()
		schemas["EventType"] = map[string]any{"type": "string", "enum": types}
		for _, t := range types {
			schemas[t] = schemaOf(reflect.TypeOf(throughline.NewData(t)).Elem())
		}
		b, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			panic(err)
		}
		openAPIDoc = b
	})
	return openAPIDoc
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(OpenAPI())
}

// schemaOf derives a JSON Schema from a payload struct's JSON tags.
func schemaOf(t reflect.Type) map[string]any {
	switch t.Kind() {
	case reflect.Pointer:
		return schemaOf(t.Elem())
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Struct:
		props := map[string]any{}
		var required []string
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			props[name] = schemaOf(f.Type)
			if !strings.Contains(opts, "omitempty") {
				required = append(required, name)
			}
		}
		s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		if len(required) > 0 {
			s["required"] = required
		}
		return s
	}
	return map[string]any{}
}
