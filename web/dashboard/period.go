package dashboard

import (
	"net/url"
	"time"

	"throughline"
	"throughline/opendata"
	"throughline/web/page"
)

// The period both dashboards are filtered by: a first and a last quarter,
// each one of the last `quarters`, from the query's from and to.

// parsePeriod reads from and to into the given quarters (left as they are
// when absent), and says which of them is not one of the choices.
func parsePeriod(q url.Values, today time.Time, from, to *opendata.Quarter) []throughline.FieldError {
	now := quarterOf(today)
	var fe []throughline.FieldError
	for _, p := range []struct {
		field, msg string
		dst        *opendata.Quarter
	}{
		{"from", "Select a quarter in the list for the start of the period", from},
		{"to", "Select a quarter in the list for the end of the period", to},
	} {
		v := q.Get(p.field)
		if v == "" {
			continue
		}
		qq, err := opendata.ParseQuarter(v)
		if err != nil || qq.First().After(today) || qq.First().Before(add(now, -quarters+1).First()) {
			fe = append(fe, throughline.FieldError{Field: p.field, Message: p.msg})
			continue
		}
		*p.dst = qq
	}
	return fe
}

// invalid is the filters' EINVALID naming each field in fe, and the end of
// the period if it comes before its start; or nil.
func invalid(fe []throughline.FieldError, from, to opendata.Quarter) error {
	if len(fe) == 0 && to.First().Before(from.First()) {
		fe = append(fe, throughline.FieldError{Field: "to", Message: "The end of the period must be the same as or after its start"})
	}
	if len(fe) == 0 {
		return nil
	}
	return &throughline.Error{Code: throughline.EINVALID, Message: "the filters are not valid", Fields: fe}
}

// periodSelects are the from and to choices, the latest quarter first.
func periodSelects(sel func(name, label string) page.Select, from, to opendata.Quarter, today time.Time) (page.Select, page.Select) {
	now := quarterOf(today)
	f, t := sel("from", "From the quarter"), sel("to", "To the quarter")
	for i := range quarters {
		qq := add(now, -i)
		f.Items = append(f.Items, page.Choice{Value: qq.String(), Text: qq.Label(), Selected: qq == from})
		t.Items = append(t.Items, page.Choice{Value: qq.String(), Text: qq.Label(), Selected: qq == to})
	}
	return f, t
}

// selector makes the filters' selects, each with its error message.
func selector(em func(string) *page.ErrorMessage) func(name, label string) page.Select {
	return func(name, label string) page.Select {
		return page.Select{Name: name, Label: &page.Label{Text: label, Classes: "govuk-label--s"}, ErrorMessage: em(name), Classes: "govuk-!-width-full"}
	}
}
