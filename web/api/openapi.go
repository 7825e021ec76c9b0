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
	for _, t := range types {
		d := throughline.NewData(t)
		if d == nil {
			return nil, fmt.Errorf("openapi: event type %s has no payload type", t)
		}
		s := schemaOf(reflect.TypeOf(d).Elem())
		props, _ := s["properties"].(map[string]any)
		for field, values := range throughline.PayloadEnums[t] {
			if p, ok := props[field].(map[string]any); ok {
				p["enum"] = values
			}
		}
		schemas[t] = s
	}
	for _, name := range []string{"Event", "NewEvent"} {
		if err := perType(schemas, name, types); err != nil {
			return nil, err
		}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return b, nil
}

// perType turns the hand-written schema name (Event or NewEvent), which
// holds an event's type and its payload as data, into one of a schema per
// event type (name_<type>): the same object with type fixed to that type
// and data the type's payload schema. A discriminator on type picks the
// one, so a generic client or validator checks a payload against its
// type's schema, not a plain object.
func perType(schemas map[string]any, name string, types []string) error {
	base, _ := schemas[name].(map[string]any)
	props, _ := base["properties"].(map[string]any)
	if props == nil || props["type"] == nil || props["data"] == nil {
		return fmt.Errorf("openapi.json: components.schemas.%s has no type and data properties", name)
	}
	desc, _ := base["description"].(string)
	var oneOf []any
	mapping := map[string]any{}
	for _, t := range types {
		s := map[string]any{}
		for k, v := range base {
			s[k] = v
		}
		p := map[string]any{}
		for k, v := range props {
			p[k] = v
		}
		p["type"] = map[string]any{"type": "string", "enum": []any{t}}
		p["data"] = map[string]any{"$ref": "#/components/schemas/" + t}
		s["properties"] = p
		s["description"] = fmt.Sprintf("%s of type %s: data is a %s payload.", name, t, t)
		ref := "#/components/schemas/" + name + "_" + t
		schemas[name+"_"+t] = s
		oneOf = append(oneOf, map[string]any{"$ref": ref})
		mapping[t] = ref
	}
	out := map[string]any{"oneOf": oneOf, "discriminator": map[string]any{"propertyName": "type", "mapping": mapping}}
	if desc != "" {
		out["description"] = desc
	}
	schemas[name] = out
	return nil
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
			if b, ok := throughline.IntRanges[name]; ok && ps["type"] == "integer" {
				ps["minimum"], ps["maximum"] = b[0], b[1]
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
