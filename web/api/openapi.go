package api

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"throughline"
)

//go:embed openapi.json
var openAPIBase []byte

// OpenAPI returns the OpenAPI 3 document: the hand-written paths and
// schemas of openapi.json, plus one schema per event type derived from the
// payload structs themselves, so the documented vocabulary cannot drift
// from the code. The server builds it once, at start-up: an error fails
// the server's construction.
func OpenAPI() ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIBase, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	if schemas == nil {
		return nil, errors.New("openapi.json: no components.schemas")
	}
	types := throughline.EventTypes()
	schemas["EventType"] = map[string]any{"type": "string", "enum": types}
	for _, t := range types {
		d := throughline.NewData(t)
		if d == nil {
			return nil, fmt.Errorf("openapi: event type %s has no payload type", t)
		}
		schemas[t] = schemaOf(reflect.TypeOf(d).Elem())
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return b, nil
}

// ServeOpenAPI serves a built document.
func ServeOpenAPI(doc []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Write(doc)
	})
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
			ps := schemaOf(f.Type)
			if ps["type"] == "string" {
				if _, isTime := throughline.TimeFields[name]; !isTime {
					r := throughline.TextRuleFor(name)
					ps["maxLength"] = r.Max
					if r.Multiline {
						ps["description"] = "free text: line breaks allowed; no other control or bidirectional-formatting character"
					} else {
						ps["description"] = "one line: no control or bidirectional-formatting character"
					}
				}
			} else if items, ok := ps["items"].(map[string]any); ok && items["type"] == "string" {
				items["maxLength"] = throughline.TextRuleFor(name).Max
			}
			props[name] = ps
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
