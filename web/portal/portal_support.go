package portal

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"throughline"
	"throughline/comms"
	"throughline/refdata"
)

// The support services of her area (the police force area of her case),
// from the directory administrators keep, filterable by whom they are for:
// a GET form of checkboxes, so that it works without JavaScript and a
// filtered list can be bookmarked.

type supportView struct {
	Area     string
	Options  []supportOption
	Filtered bool
	Services []serviceView
}

type supportOption struct {
	Value, Label string
	Checked      bool
}

type serviceView struct {
	Name, Offers                   string
	For                            []string
	Phone, Text, Web, Email, Hours string
	CheckedOn                      string
	National                       bool
}

// SupportPage lists the services of her area, for whom she chose.
func (s *Portal) SupportPage(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	dir, err := comms.LoadDirectory(r.Context(), s.Store, c.Ref)
	if err != nil {
		s.Fail(w, r, fmt.Errorf("portal: support services: %w", err))
		return
	}
	t := portalText[lang]
	var whom []string
	for _, f := range r.URL.Query()["for"] {
		if slices.Contains(throughline.Audiences, f) && !slices.Contains(whom, f) {
			whom = append(whom, f)
		}
	}
	v := &supportView{Area: c.Force, Filtered: len(whom) > 0}
	if f, ok := refdata.LookupForce(c.Force); ok {
		v.Area = f.Name
	}
	for _, a := range throughline.Audiences {
		v.Options = append(v.Options, supportOption{Value: a, Label: t["for_"+a], Checked: slices.Contains(whom, a)})
	}
	for _, sv := range comms.ServicesFor(c, dir, whom...) {
		x := serviceView{Name: sv.Name, Offers: sv.Offers, Phone: sv.Phone, Text: sv.Text, Web: sv.Web, Email: sv.Email, Hours: sv.Hours,
			National: slices.Contains(sv.Areas, throughline.AreaNational)}
		for _, f := range sv.For {
			x.For = append(x.For, t["for_"+f])
		}
		if d, err := time.Parse(time.DateOnly, sv.CheckedOn); err == nil {
			x.CheckedOn = comms.FormatDate(lang, d)
		}
		v.Services = append(v.Services, x)
	}
	s.portalRender(w, r, http.StatusOK, lang, "support", portalView{Support: v})
}

// RightsPage lists her rights under the Victims' Code, those that matter
// most at her case's step first marked.
func (s *Portal) RightsPage(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	step := comms.WhatNext(lang, c, cp, s.Now()).Step
	_, reviewable := throughline.ReviewFor(c, cp)
	s.portalRender(w, r, http.StatusOK, lang, "rights", portalView{Rights: comms.Rights(lang, step, cp.Preferences.Wants("easy_read")), Reviewable: reviewable})
}
