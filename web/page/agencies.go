package page

import (
	"slices"
	"strings"
	"unicode"

	"throughline/refdata"
)

// Kinds of organisation AgencyChoices can list, in the order it lists them.
const (
	KindPolice       = "police"
	KindWCU          = "wcu"
	KindCPS          = "cps"
	KindISVA         = "isva"
	KindInspectorate = "inspectorate"
	KindCommissioner = "commissioner"
)

// AgencyChoices is a list of organisations of the given kinds, each by its
// name, for a select: forces, their Witness Care Units and CPS areas come
// from the reference data; ISVA organisations have none, so the caller
// names those it knows (isvas, as "isva:<organisation>" ids). An
// administrator picks "West Yorkshire Police", never types "police:13",
// so one organisation has one spelling. selected is kept even if it is
// not among them, so an unusual record is shown rather than silently
// changed.
func AgencyChoices(selected string, kinds []string, isvas []string) []Choice {
	cs := []Choice{{Value: "", Text: "Choose an organisation"}}
	add := func(id string) {
		if !slices.ContainsFunc(cs, func(c Choice) bool { return c.Value == id }) {
			cs = append(cs, Choice{Value: id, Text: AgencyName(id), Selected: id == selected})
		}
	}
	for _, k := range kinds {
		switch k {
		case KindPolice, KindWCU:
			for _, f := range refdata.Forces() {
				add(k + ":" + f.Code)
			}
		case KindCPS:
			for _, a := range refdata.CPSAreas() {
				add(k + ":" + a.ID)
			}
		case KindISVA:
			isvas = slices.Clone(isvas)
			slices.SortFunc(isvas, func(a, b string) int { return strings.Compare(AgencyName(a), AgencyName(b)) })
			for _, id := range isvas {
				if strings.HasPrefix(id, KindISVA+":") {
					add(id)
				}
			}
		case KindInspectorate, KindCommissioner:
			add(k)
		}
	}
	if selected != "" {
		add(selected)
	}
	return cs
}

// ISVAAgency is the id of an ISVA organisation named in words, the
// inverse of AgencyName for "isva:": "Rape Crisis Leeds" is
// "isva:rape-crisis-leeds". An empty name is "".
func ISVAAgency(name string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
	}
	if b.Len() == 0 {
		return ""
	}
	return KindISVA + ":" + b.String()
}
