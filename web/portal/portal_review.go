package portal

import (
	"fmt"
	"net/http"
	"slices"

	"throughline"
	"throughline/comms"
)

// Her Victims' Right to Review from the portal: where the record holds a
// decision she may ask to have looked at again (throughline.ReviewFor: a
// police decision of no further action, a CPS decision not to charge or to
// stop the prosecution), the page names the decision and her own window
// to ask, and her request is a review_requested event received by the
// scheme now: the scheme's duty to decide (deadline rules vrr_cps_response
// and vrr_police_response) runs from it.

type reviewView struct {
	// Decision says what was decided, and when; empty when there is no
	// decision to review.
	Decision       string
	Scheme         string
	AskBy, LastDay string
	// Late: her last day has passed, so a review is only for exceptional
	// circumstances.
	Late bool
	// Asked is the day she asked for a review still waiting for its
	// decision.
	Asked string
}

func (s *Portal) reviewModel(lang string, c *throughline.Case, cp *throughline.Complainant) *reviewView {
	t := portalText[lang]
	v := &reviewView{}
	for i := len(cp.ReviewsAsked) - 1; i >= 0; i-- {
		if a := cp.ReviewsAsked[i]; slices.Contains(cp.ReviewsOpen, a.Scheme) {
			v.Asked = comms.FormatDate(lang, a.On.Date())
			break
		}
	}
	rv, ok := throughline.ReviewFor(c, cp)
	if !ok {
		return v
	}
	v.Scheme = rv.Scheme
	on := comms.FormatDate(lang, rv.Decided.Date())
	d := c.Defendant(rv.DefendantID)
	switch {
	case rv.Scheme == "police":
		v.Decision = fmt.Sprintf(t["review_police_nfa"], on)
	case d.Stage == throughline.StageNFA:
		v.Decision = fmt.Sprintf(t["review_cps_nfa"], on)
	default:
		v.Decision = fmt.Sprintf(t["review_cps_stopped"], on, d.Name)
	}
	v.AskBy, v.LastDay = comms.FormatDate(lang, rv.AskBy), comms.FormatDate(lang, rv.LastDay)
	v.Late = throughline.At(s.Now()).Date().After(rv.LastDay)
	return v
}

// ReviewForm: GET /victim/review.
func (s *Portal) ReviewForm(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	s.portalRender(w, r, http.StatusOK, lang, "review", portalView{Review: s.reviewModel(lang, c, cp)})
}

// Review: POST /victim/review records her request for a review of the
// decision the page named, then redirects to her case page (a refresh
// asks nothing twice). With no decision to review (the case moved on, or
// she has already asked), the page is shown again, saying so, and nothing
// is recorded.
func (s *Portal) Review(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	rv, ok := throughline.ReviewFor(c, cp)
	if !ok || r.PostFormValue("scheme") != rv.Scheme {
		s.portalRender(w, r, http.StatusUnprocessableEntity, lang, "review", portalView{Review: s.reviewModel(lang, c, cp), Error: portalText[lang]["review_none"], ErrorField: "review"})
		return
	}
	e := throughline.Event{Case: c.Ref, Type: throughline.TypeReviewRequested, OccurredAt: throughline.At(s.Now().UTC()), Actor: "victim:" + cp.ID, Agency: "victim",
		Data: &throughline.ReviewRequested{ComplainantID: cp.ID, Scheme: rv.Scheme}}
	if _, _, err := s.Store.Append(r.Context(), e, throughline.AnyVersion); err != nil {
		s.Fail(w, r, fmt.Errorf("portal: review request on case %s: %w", c.Ref, err))
		return
	}
	http.Redirect(w, r, "/victim/case?sent=review", http.StatusSeeOther)
}
