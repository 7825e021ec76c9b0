package throughline

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// personalPaths names, per event type, the fields that hold personal data.
// The log stores them apart from the rest of the payload so that they can be
// encrypted under the case's key: erasing a case under the retention rules is
// destroying that key, and the log stays whole and verifiable. "*" matches
// every element of a list.
var personalPaths = map[string][]string{
	TypeCaseOpened:            {"complainants.*.name", "complainants.*.date_of_birth", "suspects.*.name"},
	TypeContactPreferencesSet: {"email", "mobile", "address", "safe_times", "nominated_contact"},
	TypeComplainantWithdrew:   {"reason"},
}

// Erased stands in for personal data whose key has been destroyed.
const Erased = "[erased]"

// SplitPersonal returns d's payload as JSON without its personal fields, and
// those fields as a map from concrete path (e.g. "complainants.0.name") to
// value. personal is nil when the event type holds no personal data.
func SplitPersonal(d Data) (public []byte, personal map[string]any, err error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, nil, err
	}
	paths := personalPaths[d.EventType()]
	if len(paths) == 0 {
		return raw, nil, nil
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, nil, err
	}
	personal = map[string]any{}
	for _, p := range paths {
		take(tree, strings.Split(p, "."), "", personal)
	}
	public, err = json.Marshal(tree)
	return public, personal, err
}

// take moves the values at path out of tree into out, keyed by concrete path.
func take(tree any, path []string, prefix string, out map[string]any) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch t := tree.(type) {
	case map[string]any:
		v, ok := t[path[0]]
		if !ok {
			return
		}
		if len(path) == 1 {
			out[join(path[0])] = v
			delete(t, path[0])
			return
		}
		take(v, path[1:], join(path[0]), out)
	case []any:
		if path[0] != "*" {
			return
		}
		for i, el := range t {
			if len(path) == 1 {
				continue
			}
			take(el, path[1:], join(strconv.Itoa(i)), out)
		}
	}
}

// DecodeStored rebuilds the payload of an event read from the log, merging
// its personal fields back in. It does not validate: what the log holds was
// valid when appended, and reference data may have moved on since. A nil
// personal map for a type that has personal fields means the case's key was
// destroyed, and those fields read as Erased.
func DecodeStored(typ string, public []byte, personal map[string]any) (Data, error) {
	mk, ok := eventTypes[typ]
	if !ok {
		return nil, fmt.Errorf("unknown event type %q in the log", typ)
	}
	d := mk()
	paths := personalPaths[typ]
	if len(paths) == 0 {
		if err := json.Unmarshal(public, d); err != nil {
			return nil, fmt.Errorf("decode %s: %w", typ, err)
		}
		return d, nil
	}
	var tree any
	if err := json.Unmarshal(public, &tree); err != nil {
		return nil, fmt.Errorf("decode %s: %w", typ, err)
	}
	if personal == nil {
		for _, p := range paths {
			fill(tree, strings.Split(p, "."), Erased)
		}
	}
	for k, v := range personal {
		put(tree, strings.Split(k, "."), v)
	}
	raw, err := json.Marshal(tree)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, d); err != nil {
		return nil, fmt.Errorf("decode %s: %w", typ, err)
	}
	return d, nil
}

// put sets the value at a concrete path, e.g. complainants.0.name.
func put(tree any, path []string, v any) {
	switch t := tree.(type) {
	case map[string]any:
		if len(path) == 1 {
			t[path[0]] = v
			return
		}
		put(t[path[0]], path[1:], v)
	case []any:
		i, err := strconv.Atoi(path[0])
		if err != nil || i < 0 || i >= len(t) {
			return
		}
		put(t[i], path[1:], v)
	}
}

// fill sets every value matching a pattern path (with "*") that is a string
// field, so an erased name reads as Erased rather than vanishing.
func fill(tree any, path []string, v string) {
	switch t := tree.(type) {
	case map[string]any:
		if len(path) == 1 {
			t[path[0]] = v
			return
		}
		fill(t[path[0]], path[1:], v)
	case []any:
		for _, el := range t {
			fill(el, path[1:], v)
		}
	}
}

// HasPersonal reports whether events of type typ carry personal data.
func HasPersonal(typ string) bool { return len(personalPaths[typ]) > 0 }
