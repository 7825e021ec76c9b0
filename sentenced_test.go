package throughline_test

import (
	"strings"
	"testing"

	"throughline"
)

// custodial_months is optional (a sentence recorded without it, as every
// sentence was before it existed, is still valid), a whole number of months
// from 0 to MaxCustodialMonths.
func TestSentencedCustodialMonths(t *testing.T) {
	for _, tc := range []struct {
		data string
		want int // -1: not given
		err  string
	}{
		{`{"defendant_id":"D1"}`, -1, ""},
		{`{"defendant_id":"D1","custodial_months":0}`, 0, ""},
		{`{"defendant_id":"D1","custodial_months":12}`, 12, ""},
		{`{"defendant_id":"D1","custodial_months":1200}`, 1200, ""},
		{`{"defendant_id":"D1","custodial_months":-1}`, 0, "custodial_months: must be between 0 and 1200 months"},
		{`{"defendant_id":"D1","custodial_months":1201}`, 0, "custodial_months: must be between 0 and 1200 months"},
		{`{"defendant_id":"D1","custodial_months":1.5}`, 0, "custodial_months"},
	} {
		e, err := throughline.ParseEvent([]byte(`{"case":"13RS0000101/24","type":"sentenced","occurred_at":"2025-06-02","data":` + tc.data + `}`))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err %v, want %q", tc.data, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.data, err)
			continue
		}
		got := e.Data.(*throughline.Sentenced).CustodialMonths
		switch {
		case tc.want < 0 && got != nil:
			t.Errorf("%s: custodial_months %d, want none", tc.data, *got)
		case tc.want >= 0 && (got == nil || *got != tc.want):
			t.Errorf("%s: custodial_months %v, want %d", tc.data, got, tc.want)
		}
	}
}
