package throughline

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// Personal data in an event payload is stored apart from the rest, so that
// it can be encrypted under the case's key: erasing a case under the
// retention rules is destroying that key, and the log stays whole and
// verifiable. The payload types that hold personal data implement
// personalData; the rest are public throughout.
type personalData interface {
	Data
	// splitPersonal returns a copy of the payload without its personal
	// fields, and those fields keyed by path (e.g. "complainants.0.name").
	splitPersonal() (Data, map[string]string)
	// mergePersonal puts the fields back; nil means erased.
	mergePersonal(map[string]string)
}

// Erased stands in for personal data whose key has been destroyed.
const Erased = "[erased]"

// HasPersonal reports whether events of type typ carry personal data.
func HasPersonal(typ string) bool {
	_, ok := NewData(typ).(personalData)
	return ok
}

// Erase returns d as it reads once its case's key is destroyed: a copy with
// every personal field Erased. Payloads without personal data are returned
// as they are.
func Erase(d Data) Data {
	pd, ok := d.(personalData)
	if !ok {
		return d
	}
	public, _ := pd.splitPersonal()
	public.(personalData).mergePersonal(nil)
	return public
}

// CarriesErased reports whether any personal field of d reads Erased: a
// payload from the log of an erased case, which only an import of that log
// may bring back.
func CarriesErased(d Data) bool {
	pd, ok := d.(personalData)
	if !ok {
		return false
	}
	_, m := pd.splitPersonal()
	for _, v := range m {
		if v == Erased {
			return true
		}
	}
	return false
}

// SplitPersonal returns d's payload as JSON without its personal fields, and
// those fields by path. personal is nil when the type holds none.
func SplitPersonal(d Data) (public []byte, personal map[string]string, err error) {
	if pd, ok := d.(personalData); ok {
		d, personal = pd.splitPersonal()
	}
	public, err = json.Marshal(d)
	return public, personal, err
}

// DecodeStored rebuilds the payload of an event read from the log, merging
// its personal fields back in. It does not validate: what the log holds was
// valid when appended, and reference data may have moved on since. A nil
// personal map for a type with personal fields means the case's key was
// destroyed: those fields read as Erased.
func DecodeStored(typ string, public []byte, personal map[string]string) (Data, error) {
	d := NewData(typ)
	if d == nil {
		return nil, fmt.Errorf("unknown event type %q in the log", typ)
	}
	if err := json.Unmarshal(public, d); err != nil {
		return nil, fmt.Errorf("decode %s: %w", typ, err)
	}
	if pd, ok := d.(personalData); ok {
		pd.mergePersonal(personal)
	}
	return d, nil
}

// field moves *v into m under key, leaving *v empty.
func take(m map[string]string, key string, v *string) {
	if *v != "" {
		m[key] = *v
		*v = ""
	}
}

// restore sets *v from m, or to Erased when m is nil and the field is one
// that is always present.
func restore(m map[string]string, key string, v *string, always bool) {
	switch {
	case m == nil && always:
		*v = Erased
	case m != nil:
		*v = m[key]
	}
}

func (d *CaseOpened) splitPersonal() (Data, map[string]string) {
	pub := *d
	pub.Complainants = slices.Clone(d.Complainants)
	pub.Suspects = slices.Clone(d.Suspects)
	m := map[string]string{}
	for i := range pub.Complainants {
		p := "complainants." + strconv.Itoa(i) + "."
		take(m, p+"name", &pub.Complainants[i].Name)
		take(m, p+"date_of_birth", &pub.Complainants[i].DateOfBirth)
	}
	for i := range pub.Suspects {
		take(m, "suspects."+strconv.Itoa(i)+".name", &pub.Suspects[i].Name)
	}
	return &pub, m
}

func (d *CaseOpened) mergePersonal(m map[string]string) {
	for i := range d.Complainants {
		p := "complainants." + strconv.Itoa(i) + "."
		restore(m, p+"name", &d.Complainants[i].Name, true)
		restore(m, p+"date_of_birth", &d.Complainants[i].DateOfBirth, false)
	}
	for i := range d.Suspects {
		restore(m, "suspects."+strconv.Itoa(i)+".name", &d.Suspects[i].Name, true)
	}
}

func (d *ContactPreferencesSet) splitPersonal() (Data, map[string]string) {
	pub := *d
	m := map[string]string{}
	take(m, "email", &pub.Email)
	take(m, "mobile", &pub.Mobile)
	take(m, "address", &pub.Address)
	take(m, "safe_times", &pub.SafeTimes)
	take(m, "nominated_contact", &pub.NominatedContact)
	// Her safe windows say when she is alone: as personal as her words.
	if len(pub.SafeWindows) > 0 {
		b, _ := json.Marshal(pub.SafeWindows)
		m["safe_windows"], pub.SafeWindows = string(b), nil
	}
	return &pub, m
}

func (d *ContactPreferencesSet) mergePersonal(m map[string]string) {
	// The details a channel needs were there: erased, they read as Erased.
	restore(m, "email", &d.Email, slices.Contains(d.Channels, "email"))
	restore(m, "mobile", &d.Mobile, slices.Contains(d.Channels, "sms") || slices.Contains(d.Channels, "phone"))
	restore(m, "address", &d.Address, slices.Contains(d.Channels, "letter"))
	restore(m, "safe_times", &d.SafeTimes, false)
	restore(m, "nominated_contact", &d.NominatedContact, false)
	d.SafeWindows = nil
	if w := m["safe_windows"]; w != "" {
		// Written by splitPersonal from windows that were valid.
		_ = json.Unmarshal([]byte(w), &d.SafeWindows)
	}
}

func (d *ComplainantWithdrew) splitPersonal() (Data, map[string]string) {
	pub := *d
	m := map[string]string{}
	take(m, "reason", &pub.Reason)
	return &pub, m
}

func (d *ComplainantWithdrew) mergePersonal(m map[string]string) {
	restore(m, "reason", &d.Reason, true)
}
