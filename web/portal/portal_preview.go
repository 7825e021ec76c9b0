package portal

import (
	"net/http"

	"throughline"
	"throughline/web/access"
	"throughline/web/page"
)

// VictimView shows a member of staff the portal's case page as the victim
// sees it: the same view model and template. ?complainant= chooses the
// victim where the case has more than one; an ISVA sees only those whose
// consent stands. The consultation is logged before anything is shown.
func (s *Portal) VictimView(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	u := rq.User
	ca, err := s.Access.Load(r.Context(), u, r.PathValue("ref"), throughline.ActionVictimView)
	if err != nil {
		return err
	}
	c, d := ca.Full, ca.Decision
	var cp *throughline.Complainant
	want := r.URL.Query().Get("complainant")
	for i := range c.Complainants {
		x := &c.Complainants[i]
		if d.ShowsComplainant(x.ID) && (want == "" || want == x.ID) {
			cp = x
			break
		}
	}
	if cp == nil {
		return access.NotFound(c.Ref)
	}
	lang := r.URL.Query().Get("lang")
	if lang != "en" && lang != "cy" {
		lang = "en"
		if cp.Language == "cy" {
			lang = "cy"
		}
	}
	v, err := s.portalCaseModel(r.Context(), c, cp, lang)
	if err != nil {
		return err
	}
	if err := s.Access.Consulted(r, u, ca, d.Parts, throughline.ChannelPage); err != nil {
		return err
	}
	s.portalRender(w, r, http.StatusOK, lang, "case", portalView{Case: v, Preview: true, Back: page.CaseURL(c.Ref)})
	return nil
}
