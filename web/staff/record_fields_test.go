package staff

import (
	"net/url"
	"testing"

	"throughline"
)

// The sentence form's custodial_months is optional and read as a whole
// number of months.
func TestSentenceFormMonths(t *testing.T) {
	f, ok := formFor(throughline.TypeSentenced)
	if !ok {
		t.Fatal("no sentence form")
	}
	date := url.Values{"defendant_id": {"D1"}, "occurred_at-day": {"2"}, "occurred_at-month": {"6"}, "occurred_at-year": {"2025"}}
	with := func(m string) url.Values {
		v := url.Values{}
		for k, x := range date {
			v[k] = x
		}
		v.Set("custodial_months", m)
		return v
	}
	c := &throughline.Case{}
	if data, _, fe := buildEvent(f, c, date); len(fe) != 0 || data["custodial_months"] != nil {
		t.Errorf("left out: %v %v", data, fe)
	}
	if data, _, fe := buildEvent(f, c, with(" 18 ")); len(fe) != 0 || data["custodial_months"] != 18 {
		t.Errorf("18: %v %v", data, fe)
	}
	if _, _, fe := buildEvent(f, c, with("eighteen")); len(fe) != 1 || fe[0].Field != "data.custodial_months" {
		t.Errorf("eighteen: %v", fe)
	}
}
