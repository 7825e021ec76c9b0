package api

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"throughline"
)

// The OpenAPI document builds, and documents every event type.
func TestOpenAPIBuilds(t *testing.T) {
	b, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, typ := range throughline.EventTypes() {
		if doc.Components.Schemas[typ] == nil {
			t.Errorf("no schema for event type %s", typ)
		}
	}
	// Enumerated fields list their values.
	news, _ := doc.Components.Schemas["news_received"].(map[string]any)
	from, _ := news["properties"].(map[string]any)["from"].(map[string]any)
	if enum, _ := from["enum"].([]any); len(enum) != 2 || enum[0] != "court" {
		t.Errorf("news_received.from: %v", from)
	}
}

// Event and NewEvent are one of a schema per event type, picked by the
// discriminator on type, and each holds its type's payload schema: a
// generic validator (kin-openapi here) checks a payload against its type.
func TestOpenAPIEventPayloadsLinked(t *testing.T) {
	b, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Event", "NewEvent"} {
		s := doc.Components.Schemas[name].Value
		if s.Discriminator == nil || s.Discriminator.PropertyName != "type" || len(s.OneOf) != len(throughline.EventTypes()) {
			t.Fatalf("%s: no discriminator on type over one schema per event type", name)
		}
		for _, typ := range throughline.EventTypes() {
			ref := s.Discriminator.Mapping[typ]
			per := doc.Components.Schemas[name+"_"+typ]
			if ref.Ref != "#/components/schemas/"+name+"_"+typ || per == nil || per.Value.Properties["data"].Ref != "#/components/schemas/"+typ {
				t.Errorf("%s: type %s is not linked to its payload schema", name, typ)
			}
		}
	}
	ev := func(data string) any {
		var v any
		if err := json.Unmarshal([]byte(`{"type": "case_opened", "occurred_at": "2026-01-05", "expected_version": 0, "data": `+data+`}`), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	newEvent := doc.Components.Schemas["NewEvent"].Value
	if err := newEvent.VisitJSON(ev(`{"force": "13", "cps_area": "x", "offences": [], "complainants": [], "suspects": []}`)); err != nil {
		t.Errorf("a case_opened payload of the right shape: %v", err)
	}
	for _, bad := range []string{`{"force": 13}`, `{"no_such_field": "x", "force": "13", "cps_area": "x", "offences": [], "complainants": [], "suspects": []}`, `[]`} {
		if err := newEvent.VisitJSON(ev(bad)); err == nil {
			t.Errorf("case_opened payload %s accepted", bad)
		}
	}
}

// sentenced's custodial_months is optional, and its schema holds the
// validator's bounds.
func TestOpenAPISentencedCustodialMonths(t *testing.T) {
	b, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas["sentenced"].Value
	for data, ok := range map[string]bool{
		`{"defendant_id": "D1"}`:                           true,
		`{"defendant_id": "D1", "custodial_months": 0}`:    true,
		`{"defendant_id": "D1", "custodial_months": 18}`:   true,
		`{"defendant_id": "D1", "custodial_months": -1}`:   false,
		`{"defendant_id": "D1", "custodial_months": 1201}`: false,
		`{"defendant_id": "D1", "custodial_months": "18"}`: false,
	} {
		var v any
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			t.Fatal(err)
		}
		if err := s.VisitJSON(v); (err == nil) != ok {
			t.Errorf("sentenced %s: err %v, want accepted %v", data, err, ok)
		}
	}
}
