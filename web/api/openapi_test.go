package api

import (
	"encoding/json"
	"testing"

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
}
