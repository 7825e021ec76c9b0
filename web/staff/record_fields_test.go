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

// Any values sent to any record form are read without a panic: each is
// either built into an event payload the domain then judges, or answered by
// field errors, each naming its field and saying what is wrong.
func FuzzRecordForms(f *testing.F) {
	f.Add(uint8(0), "defendant_id=D1&occurred_at-day=2&occurred_at-month=6&occurred_at-year=2025")
	f.Add(uint8(5), "occurred_at-day=31&occurred_at-month=2&occurred_at-year=99999&custodial_months=-1")
	f.Add(uint8(9), "complainant_id=C1&channels=email&channels=email&email=%00&safe_times=25:99")
	f.Add(uint8(17), "a=%ZZ&&&=&offences=19C|SX03002&offences=|")
	c := &throughline.Case{Ref: "13RS0000101/24", Version: 3,
		Complainants: []throughline.Complainant{{ComplainantRecord: throughline.ComplainantRecord{ID: "C1", Name: "Amelia Hart"}}},
		Defendants:   []throughline.Defendant{{ID: "D1", Name: "Daniel Ross"}}}
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		form := allForms[int(which)%len(allForms)]
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		data, _, fe := buildEvent(form, c, v)
		for _, e := range fe {
			if e.Field == "" {
				t.Fatalf("%s: a field error names no field: %v", form.typ, fe)
			}
			if e.Message == "" {
				t.Fatalf("%s: a field error for %q says nothing", form.typ, e.Field)
			}
		}
		if len(fe) == 0 && data == nil {
			t.Fatalf("%s: no payload and no error", form.typ)
		}
	})
}
