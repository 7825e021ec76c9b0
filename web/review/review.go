// Package review serves case-file reviews for inspectors: drawing a
// stratified random sample of closed cases (oversight.Sample, over the
// measures' roll-up), which gives the reviewing inspectors pseudonymised
// access to those cases until the review's window closes, and the review's
// page, which lists them. Reading a case of the sample is the case page
// itself: the guard asks the policy with the review as the relation
// (throughline.Relation.Review), the case is pseudonymised, and the look
// is a consultation like any other, its purpose the review (ADR 0254).
package review

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/oversight"
	"throughline/web/access"
	"throughline/web/page"
)

// Store is what the reviews need from storage.
type Store interface {
	EachCaseFacts(ctx context.Context, fn func(record []byte) error) error
	CreateReview(ctx context.Context, r throughline.CaseReview) (string, error)
	Reviews(ctx context.Context, userID string) ([]throughline.CaseReview, error)
	Review(ctx context.Context, id string) (throughline.CaseReview, error)
	RecordAnswers(ctx context.Context, reviewID string, answers []throughline.ReviewAnswer) error
	ReviewAnswers(ctx context.Context, reviewID string) ([]throughline.ReviewAnswer, error)
	Accounts(ctx context.Context) ([]throughline.Account, error)
	// Deadlines and Events are what the record shows on each question
	// (evidence.go).
	Deadlines(ctx context.Context, ref string) ([]throughline.CaseDeadline, error)
	Events(ctx context.Context, ref string) ([]throughline.Event, error)
}

// Reviews serves /reviews and /reviews/{id}.
type Reviews struct {
	*page.Base
	// Access reads a case of the sample as the case page does: the policy
	// with the review as the relation, pseudonymised, the look logged.
	Access *access.Cases
	Store  Store
}

// Limits of a review.
const (
	maxPerStratum = 20
	maxDays       = 90
	defaultDays   = 28
	maxQuestions  = 20
)

// listPage is the view of GET /reviews.
type listPage struct {
	page.Layout
	Reviews                page.Table
	Name, PerStratum, Days page.Input
	By, Reviewers          page.Choices
	Questions              page.Textarea
	Submit                 page.Button
}

// List: GET /reviews: the user's reviews, and the form to draw one.
func (h *Reviews) List(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	p, err := h.listView(r.Context(), rq, url.Values{}, nil)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "reviews", p)
	return nil
}

func (h *Reviews) listView(ctx context.Context, rq *page.Request, v url.Values, ferr error) (listPage, error) {
	p := listPage{Layout: page.NewLayout(rq, "Case-file reviews", "reviews"), Submit: page.Button{Text: "Draw the sample"}}
	var msgs page.FieldMessages
	if ferr != nil {
		p.ErrorSummary, msgs = page.ErrorSummaryOf(ferr, page.SameField)
	}
	em := msgs.Of
	reviews, err := h.Store.Reviews(ctx, rq.User.ID)
	if err != nil {
		return p, err
	}
	now := h.Now()
	p.Reviews = page.Table{Caption: "Your reviews", CaptionClasses: "govuk-table__caption--m",
		Head: []page.TableHead{{Text: "Review"}, {Text: "Cases", Format: "numeric"}, {Text: "Access to the cases"}}}
	for _, rv := range reviews {
		p.Reviews.Rows = append(p.Reviews.Rows, []page.TableCell{
			{Text: rv.Title, Href: "/reviews/" + rv.ID}, {Text: strconv.Itoa(len(rv.Cases)), Format: "numeric"}, {Text: window(rv, now)}})
	}
	or := func(k, d string) string {
		if s := v.Get(k); s != "" || len(v) > 0 {
			return s
		}
		return d
	}
	p.Name = page.Input{Name: "title", Value: v.Get("title"), Label: &page.Label{Text: "Title of the review", Classes: "govuk-label--s"},
		Hint: &page.Hint{Text: "For example, Joint thematic inspection of RASSO case files, 2026"}, ErrorMessage: em("title")}
	p.By = page.Choices{Name: "by", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "Draw cases from each", Classes: "govuk-fieldset__legend--s"}},
		Hint:         &page.Hint{Text: "Closed cases are grouped by this and by how they ended (convicted, acquitted, stopped, closed after charge, or not charged), and the same number is drawn at random from each group."},
		ErrorMessage: em("by"), Classes: "govuk-radios--small",
		Items: []page.Choice{{Value: oversight.ByForce, Text: "Police force", Checked: or("by", oversight.ByForce) == oversight.ByForce},
			{Value: oversight.ByArea, Text: "CPS area", Checked: v.Get("by") == oversight.ByArea}}}
	p.PerStratum = page.Input{Name: "per_stratum", Value: or("per_stratum", "2"), Label: &page.Label{Text: "Cases from each group", Classes: "govuk-label--s"},
		Hint: &page.Hint{Text: "From 1 to " + strconv.Itoa(maxPerStratum)}, ErrorMessage: em("per_stratum"), Classes: "govuk-input--width-3", Inputmode: "numeric", Spellcheck: new(false)}
	p.Days = page.Input{Name: "days", Value: or("days", strconv.Itoa(defaultDays)), Label: &page.Label{Text: "Days the reviewers may read the cases", Classes: "govuk-label--s"},
		Hint: &page.Hint{Text: "From 1 to " + strconv.Itoa(maxDays) + ". Access ends at the same time of day, that many days from now."}, ErrorMessage: em("days"), Classes: "govuk-input--width-3", Inputmode: "numeric", Spellcheck: new(false)}
	p.Questions = page.Textarea{Name: "questions", Value: or("questions", strings.Join(throughline.DefaultReviewQuestions, "\n")), Rows: 8,
		Label: &page.Label{Text: "Questions to answer about each case", Classes: "govuk-label--s"},
		Hint:  &page.Hint{Text: "One a line. The inspection's five areas are written in: change them as the review needs."}, ErrorMessage: em("questions")}
	inspectors, err := h.inspectors(ctx)
	if err != nil {
		return p, err
	}
	chosen := v["reviewers"]
	if len(v) == 0 {
		chosen = []string{rq.User.ID}
	}
	p.Reviewers = page.Choices{Name: "reviewers", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "Reviewing inspectors", Classes: "govuk-fieldset__legend--s"}},
		Hint: &page.Hint{Text: "Only they may read the cases drawn, with every name replaced by a pseudonym, and every look is logged."}, ErrorMessage: em("reviewers"), Classes: "govuk-checkboxes--small"}
	for _, a := range inspectors {
		p.Reviewers.Items = append(p.Reviewers.Items, page.Choice{Value: a.ID, Text: a.Name, Checked: slices.Contains(chosen, a.ID)})
	}
	return p, nil
}

// inspectors are the accounts the policy lets review case files (enabled
// inspectors), by name: who may be a reviewer is the policy's to say.
func (h *Reviews) inspectors(ctx context.Context) ([]throughline.Account, error) {
	all, err := h.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []throughline.Account
	for _, a := range all {
		if throughline.Can(a.User, throughline.ActionReviewCaseFiles, nil, throughline.Relation{}).Allowed {
			out = append(out, a)
		}
	}
	return out, nil
}

// window is when access to a review's cases ends, or ended.
func window(rv throughline.CaseReview, now time.Time) string {
	if rv.Open(now) {
		return "Until " + page.LondonTime(rv.Ends)
	}
	return "Ended " + page.LondonTime(rv.Ends)
}

// Create: POST /reviews: validates the form, draws the sample from the
// closed cases and records the review. Bad input changes nothing.
func (h *Reviews) Create(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := r.PostForm
	inspectors, err := h.inspectors(r.Context())
	if err != nil {
		return err
	}
	rv, err := parse(v, inspectors)
	if err == nil {
		rv.Cases, err = h.sample(r.Context(), rv)
	}
	if err != nil {
		if throughline.ErrorCode(err) != throughline.EINVALID {
			return err
		}
		p, perr := h.listView(r.Context(), rq, v, err)
		if perr != nil {
			return perr
		}
		h.Render(w, r, http.StatusUnprocessableEntity, "reviews", p)
		return nil
	}
	now := h.Now()
	rv.CreatedBy, rv.CreatedAt, rv.Ends = rq.User.ID, now, now.Add(time.Duration(days(v))*24*time.Hour)
	id, err := h.Store.CreateReview(r.Context(), rv)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/reviews/"+id, http.StatusSeeOther)
	return nil
}

func days(v url.Values) int { n, _ := strconv.Atoi(strings.TrimSpace(v.Get("days"))); return n }

// parse validates the form at the edge: every problem, each on its field.
func parse(v url.Values, inspectors []throughline.Account) (throughline.CaseReview, error) {
	var fe []throughline.FieldError
	rv := throughline.CaseReview{Title: strings.TrimSpace(v.Get("title")), By: v.Get("by")}
	if rv.Title == "" || len(rv.Title) > 200 {
		fe = append(fe, throughline.FieldError{Field: "title", Message: "Enter a title for the review, up to 200 characters"})
	}
	if rv.By != oversight.ByForce && rv.By != oversight.ByArea {
		fe = append(fe, throughline.FieldError{Field: "by", Message: "Select police force or CPS area"})
	}
	n, err := strconv.Atoi(strings.TrimSpace(v.Get("per_stratum")))
	if err != nil || n < 1 || n > maxPerStratum {
		fe = append(fe, throughline.FieldError{Field: "per_stratum", Message: "Enter a whole number of cases from 1 to " + strconv.Itoa(maxPerStratum)})
	}
	rv.PerStratum = n
	if d := days(v); d < 1 || d > maxDays {
		fe = append(fe, throughline.FieldError{Field: "days", Message: "Enter a whole number of days from 1 to " + strconv.Itoa(maxDays)})
	}
	for _, id := range v["reviewers"] {
		if !slices.ContainsFunc(inspectors, func(a throughline.Account) bool { return a.ID == id }) {
			fe = append(fe, throughline.FieldError{Field: "reviewers", Message: "Select reviewers from the list of inspectors"})
			break
		}
		if !slices.Contains(rv.Reviewers, id) {
			rv.Reviewers = append(rv.Reviewers, id)
		}
	}
	if len(v["reviewers"]) == 0 {
		fe = append(fe, throughline.FieldError{Field: "reviewers", Message: "Select at least one reviewing inspector"})
	}
	for _, l := range strings.Split(v.Get("questions"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			rv.Questions = append(rv.Questions, l)
		}
	}
	if len(rv.Questions) == 0 || len(rv.Questions) > maxQuestions || slices.ContainsFunc(rv.Questions, func(q string) bool { return len(q) > 300 }) {
		fe = append(fe, throughline.FieldError{Field: "questions", Message: "Enter from 1 to " + strconv.Itoa(maxQuestions) + " questions, one a line, each up to 300 characters"})
	}
	if len(fe) > 0 {
		return rv, &throughline.Error{Code: throughline.EINVALID, Message: "the review is not valid", Fields: fe}
	}
	var b [8]byte
	rand.Read(b[:])
	rv.Seed = binary.BigEndian.Uint64(b[:])
	return rv, nil
}

// sample draws the review's cases from the roll-up's closed cases.
func (h *Reviews) sample(ctx context.Context, rv throughline.CaseReview) ([]throughline.ReviewCase, error) {
	facts, err := oversight.DecodeAll(func(fn func([]byte) error) error { return h.Store.EachCaseFacts(ctx, fn) })
	if err != nil {
		return nil, err
	}
	drawn, err := oversight.Sample(facts, rv.By, rv.PerStratum, rv.Seed)
	if err != nil {
		return nil, err
	}
	if len(drawn) == 0 {
		return nil, &throughline.Error{Code: throughline.EINVALID, Message: "no closed case",
			Fields: []throughline.FieldError{{Field: "by", Message: "There are no closed cases to draw from yet"}}}
	}
	out := make([]throughline.ReviewCase, len(drawn))
	for i, d := range drawn {
		out[i] = throughline.ReviewCase{Case: d.Case, Stratum: d.Stratum}
	}
	return out, nil
}

// reviewPage is the view of GET /reviews/{id}.
type reviewPage struct {
	page.Layout
	Heading string
	Summary page.SummaryList
	Open    bool
	Ended   string
	Cases   page.Table
	Report  page.Table
}

// Show: GET /reviews/{id}: the review and its sample, to its reviewers and
// whoever drew it; nobody else learns it exists.
func (h *Reviews) Show(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	rv, err := h.Store.Review(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if rv.CreatedBy != rq.User.ID && !slices.Contains(rv.Reviewers, rq.User.ID) {
		return throughline.Errorf(throughline.ENOTFOUND, "no case-file review %s", rv.ID)
	}
	now := h.Now()
	p := reviewPage{Layout: page.NewLayout(rq, rv.Title, "reviews"), Heading: rv.Title, Open: rv.Open(now), Ended: page.LondonTime(rv.Ends)}
	names := map[string]string{}
	if accts, err := h.Store.Accounts(r.Context()); err == nil {
		for _, a := range accts {
			names[a.ID] = a.Name
		}
	} else {
		return err
	}
	var reviewers []string
	for _, id := range rv.Reviewers {
		reviewers = append(reviewers, names[id])
	}
	by := map[string]string{oversight.ByForce: "police force", oversight.ByArea: "CPS area"}[rv.By]
	p.Summary = page.SummaryList{Rows: []page.SummaryRow{
		{Key: page.SummaryText{Text: "Drawn by"}, Value: page.SummaryText{Text: names[rv.CreatedBy] + " on " + page.LondonTime(rv.CreatedAt)}},
		{Key: page.SummaryText{Text: "Reviewing inspectors"}, Value: page.SummaryText{Text: strings.Join(reviewers, ", ")}},
		{Key: page.SummaryText{Text: "Access to the cases"}, Value: page.SummaryText{Text: window(rv, now)}},
		{Key: page.SummaryText{Text: "How the cases were drawn"}, Value: page.SummaryText{Text: strconv.Itoa(rv.PerStratum) + " at random from each " + by + " and outcome, from the closed cases (seed " + strconv.FormatUint(rv.Seed, 10) + ")"}},
	}}
	answers, err := h.Store.ReviewAnswers(r.Context(), rv.ID)
	if err != nil {
		return err
	}
	mine := map[string]int{} // case → questions the user has answered
	for _, a := range answers {
		if a.UserID == rq.User.ID {
			mine[a.Case]++
		}
	}
	reviewer := slices.Contains(rv.Reviewers, rq.User.ID)
	p.Cases = page.Table{Caption: strconv.Itoa(len(rv.Cases)) + " cases drawn", CaptionClasses: "govuk-table__caption--m",
		Head: []page.TableHead{{Text: "Group"}, {Text: "Case"}, {Text: "Your answers"}}}
	for _, c := range rv.Cases {
		cell, ans := page.TableCell{Text: c.Case}, page.TableCell{Text: strconv.Itoa(mine[c.Case]) + " of " + strconv.Itoa(len(rv.Questions))}
		if p.Open {
			cell.Href = page.CaseURL(c.Case)
			if reviewer {
				ans.Href = answersURL(rv.ID, c.Case)
			}
		}
		p.Cases.Rows = append(p.Cases.Rows, []page.TableCell{{Text: stratum(rv.By, c.Stratum)}, cell, ans})
	}
	p.Report = report(rv, answers)
	h.Render(w, r, http.StatusOK, "review", p)
	return nil
}

// stratum is a stratum in words: "West Yorkshire Police, convicted".
func stratum(by, s string) string {
	k, outcome, _ := strings.Cut(s, "|")
	o := map[string]string{"convicted": "convicted", "acquitted": "acquitted", "stopped": "prosecution stopped",
		"closed": "closed after charge without a verdict", "not_charged": "not charged"}[outcome]
	if o == "" {
		o = outcome
	}
	return oversight.Label(by, k) + ", " + o
}
