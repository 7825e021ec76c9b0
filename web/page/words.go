package page

import (
	"strings"
	"time"

	"throughline"
	"throughline/refdata"
)

// LondonTime formats an instant in London time: "3 February 2025 at 10:00am".
func LondonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(throughline.London).Format("2 January 2006 at 3:04pm")
}

// AreaName is a CPS area's name, or its id if it is not known.
func AreaName(id string) string {
	if a, ok := refdata.LookupCPSArea(id); ok {
		return a.Name
	}
	return id
}

// AgencyName is an agency by its name, as people know it: "West Yorkshire
// Police", "CPS Yorkshire and Humberside", "Witness Care Unit, West
// Yorkshire Police", an ISVA service by its organisation's words; never the
// stored code ("police:13") unless it is not one Throughline knows.
func AgencyName(agency string) string {
	a, err := throughline.ParseAgency(agency)
	if err != nil {
		return agency
	}
	force := func() string {
		if f, ok := refdata.LookupForce(a.ID); ok {
			return f.Name
		}
		return "force " + a.ID
	}
	switch a.Kind {
	case "police":
		return force()
	case "wcu":
		return "Witness Care Unit, " + force()
	case "cps":
		if ar, ok := refdata.LookupCPSArea(a.ID); ok {
			return ar.Name
		}
		return "CPS " + a.ID
	case "isva":
		words := strings.Fields(strings.NewReplacer("-", " ", "_", " ").Replace(a.ID))
		for i, w := range words {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
		return strings.Join(words, " ") + " (ISVA service)"
	case "inspectorate":
		return "HM Inspectorate"
	}
	return agency
}

// Names maps party ids to names as the (redacted) case shows them.
type Names map[string]string

// NamesOf is the names of a case's complainants and defendants.
func NamesOf(c *throughline.Case) Names {
	n := Names{}
	for _, cp := range c.Complainants {
		n[cp.ID] = cp.Name
	}
	for _, d := range c.Defendants {
		n[d.ID] = d.Name
	}
	return n
}

// Of is the name of party id, or words saying it is not shown.
func (n Names) Of(id string) string {
	if v, ok := n[id]; ok {
		return v
	}
	return "someone not shown to you"
}
