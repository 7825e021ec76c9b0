package review

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"throughline"
	"throughline/web/page"
)

// answersURL is the page on which a reviewer answers the review's
// questions about one of its cases.
func answersURL(id, ref string) string {
	return "/reviews/" + id + "/answers?" + url.Values{"case": {ref}}.Encode()
}

// answerWords are the answers in words.
var answerWords = map[string]string{throughline.AnswerYes: "Yes", throughline.AnswerPartly: "Partly", throughline.AnswerNo: "No", throughline.AnswerNotApplicable: "Not applicable"}

// report is the review's aggregate: for each question, how many answers of
// each kind its reviewers gave, over the cases drawn.
func report(rv throughline.CaseReview, answers []throughline.ReviewAnswer) page.Table {
	t := page.Table{Caption: "Answers so far, all reviewers", CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Question"}}}
	for _, a := range throughline.ReviewAnswers {
		t.Head = append(t.Head, page.TableHead{Text: answerWords[a], Format: "numeric"})
	}
	t.Head = append(t.Head, page.TableHead{Text: "Cases answered", Format: "numeric"})
	for i, q := range rv.Questions {
		counts := map[string]int{}
		cases := map[string]bool{}
		for _, a := range answers {
			if a.Question == i+1 {
				counts[a.Answer]++
				cases[a.Case] = true
			}
		}
		row := []page.TableCell{{Text: q}}
		for _, a := range throughline.ReviewAnswers {
			row = append(row, page.TableCell{Text: strconv.Itoa(counts[a]), Format: "numeric"})
		}
		row = append(row, page.TableCell{Text: strconv.Itoa(len(cases)) + " of " + strconv.Itoa(len(rv.Cases)), Format: "numeric"})
		t.Rows = append(t.Rows, row)
	}
	return t
}

// answersPage is the view of GET /reviews/{id}/answers?case=REF.
type answersPage struct {
	page.Layout
	Heading, Caption string
	CaseURL, Back    string
	Action           string
	Questions        []question
	Submit           page.Button
}

type question struct {
	Answer   page.Choices
	Finding  page.Textarea
	Evidence *evidence // what the record shows; nil for a question of the inspector's own
}

// open returns the review and case of the request if the user may answer
// about it now: one of its reviewers, the case drawn, the window open.
// Anything else is not found, as the case would be.
func (h *Reviews) open(r *http.Request, rq *page.Request) (throughline.CaseReview, string, error) {
	rv, err := h.Store.Review(r.Context(), r.PathValue("id"))
	if err != nil {
		return rv, "", err
	}
	ref := throughline.NormalizeReference(r.FormValue("case"))
	drawn := slices.ContainsFunc(rv.Cases, func(c throughline.ReviewCase) bool { return c.Case == ref })
	if !drawn || !slices.Contains(rv.Reviewers, rq.User.ID) || !rv.Open(h.Now()) {
		return rv, "", throughline.Errorf(throughline.ENOTFOUND, "no case %s in a review of yours that is open", ref)
	}
	return rv, ref, nil
}

// AnswersForm: GET /reviews/{id}/answers?case=REF: the review's questions
// about one case, with the reviewer's answers so far. It shows nothing of
// the case but its reference, which the review's page lists.
func (h *Reviews) AnswersForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	rv, ref, err := h.open(r, rq)
	if err != nil {
		return err
	}
	all, err := h.Store.ReviewAnswers(r.Context(), rv.ID)
	if err != nil {
		return err
	}
	v := url.Values{}
	for _, a := range all {
		if a.Case == ref && a.UserID == rq.User.ID {
			n := strconv.Itoa(a.Question)
			v.Set("answer-"+n, a.Answer)
			v.Set("finding-"+n, a.Finding)
		}
	}
	p, err := h.answersView(r, rq, rv, ref, v, nil)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "review-answers", p)
	return nil
}

// answersView is the answers page, with what the record shows on each
// default question: the case read through the policy and the look logged,
// as on the case page.
func (h *Reviews) answersView(r *http.Request, rq *page.Request, rv throughline.CaseReview, ref string, v url.Values, ferr error) (answersPage, error) {
	ctx := r.Context()
	ca, err := h.Access.Load(ctx, rq.User, ref, throughline.ActionReadCase)
	if err != nil {
		return answersPage{}, err
	}
	var ds []throughline.CaseDeadline
	var evs []throughline.Event
	var parts []string
	if ca.Read.Has(throughline.PartWork) {
		all, err := h.Store.Deadlines(ctx, ref)
		if err != nil {
			return answersPage{}, err
		}
		ds, parts = ca.Deadlines(all), append(parts, throughline.PartWork)
	}
	if ca.Read.Has(throughline.PartTimeline) {
		if evs, err = h.Store.Events(ctx, ref); err != nil {
			return answersPage{}, err
		}
		parts = append(parts, throughline.PartTimeline, throughline.PartHearings)
	}
	if err := h.Access.Consulted(r, rq.User, ca, parts, throughline.ChannelPage); err != nil {
		return answersPage{}, err
	}
	ev := evidenceFor(rv.Questions, ca, ds, evs, throughline.At(h.Now()).Date())
	p := answersPage{Layout: page.NewLayout(rq, "Answers: "+ref, "reviews"), Heading: "Your answers about " + ref, Caption: rv.Title,
		CaseURL: page.CaseURL(ref), Back: "/reviews/" + rv.ID, Action: answersURL(rv.ID, ref), Submit: page.Button{Text: "Save your answers"}}
	var msgs page.FieldMessages
	if ferr != nil {
		p.ErrorSummary, msgs = page.ErrorSummaryOf(ferr, page.SameField)
	}
	for i, q := range rv.Questions {
		n := strconv.Itoa(i + 1)
		c := page.Choices{Name: "answer-" + n, Fieldset: &page.Fieldset{Legend: &page.Legend{Text: q, Classes: "govuk-fieldset__legend--s"}},
			ErrorMessage: msgs.Of("answer-" + n), Classes: "govuk-radios--small govuk-radios--inline"}
		for _, a := range throughline.ReviewAnswers {
			c.Items = append(c.Items, page.Choice{Value: a, Text: answerWords[a], Checked: v.Get("answer-"+n) == a})
		}
		p.Questions = append(p.Questions, question{Answer: c, Finding: page.Textarea{Name: "finding-" + n, Value: v.Get("finding-" + n), Rows: 3,
			Label: &page.Label{Text: "Finding (optional)"}, ErrorMessage: msgs.Of("finding-" + n)}, Evidence: ev[i]})
	}
	return p, nil
}

// Answers: POST /reviews/{id}/answers?case=REF: records the answers given (a
// question left unanswered is left as it was). Bad input changes nothing.
func (h *Reviews) Answers(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	rv, ref, err := h.open(r, rq)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := r.PostForm
	now := h.Now()
	var out []throughline.ReviewAnswer
	var fe []throughline.FieldError
	for i := range rv.Questions {
		n := strconv.Itoa(i + 1)
		ans, finding := v.Get("answer-"+n), strings.TrimSpace(v.Get("finding-"+n))
		switch {
		case ans == "" && finding == "":
			continue
		case ans == "":
			fe = append(fe, throughline.FieldError{Field: "answer-" + n, Message: "Select an answer to question " + n + " to save its finding"})
		case !slices.Contains(throughline.ReviewAnswers, ans):
			fe = append(fe, throughline.FieldError{Field: "answer-" + n, Message: "Select an answer to question " + n + " from the list"})
		case len(finding) > 5000:
			fe = append(fe, throughline.FieldError{Field: "finding-" + n, Message: "Write the finding on question " + n + " in 5,000 characters or fewer"})
		default:
			out = append(out, throughline.ReviewAnswer{Case: ref, Question: i + 1, UserID: rq.User.ID, Answer: ans, Finding: finding, At: now})
		}
	}
	if len(fe) > 0 {
		p, err := h.answersView(r, rq, rv, ref, v, &throughline.Error{Code: throughline.EINVALID, Message: "the answers are not valid", Fields: fe})
		if err != nil {
			return err
		}
		h.Render(w, r, http.StatusUnprocessableEntity, "review-answers", p)
		return nil
	}
	if len(out) > 0 {
		if err := h.Store.RecordAnswers(r.Context(), rv.ID, out); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/reviews/"+rv.ID, http.StatusSeeOther)
	return nil
}
