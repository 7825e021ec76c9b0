package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"throughline"
	"throughline/oversight"
	"throughline/web/access"
	"throughline/web/page"
)

// Victims' feedback (issue 14, "her voice, counted"): the portal survey's
// answers per stage, rolled up for everyone who may see the measures, and
// what victims wrote for a supervisor of the force or CPS area whose cases
// they are. The roll-up names no case; the comments do, so each case's
// comments are shown only when the policy lets the supervisor read its
// victim's details, and every case shown is in the consultation log.

// FeedbackStore is what the feedback page needs from storage.
type FeedbackStore interface {
	FeedbackCounts(ctx context.Context) ([]throughline.FeedbackCount, error)
	FeedbackComments(ctx context.Context, f throughline.ScopeFilter, from, to string) ([]throughline.Feedback, error)
}

// Feedback serves GET /dashboard/feedback.
type Feedback struct {
	*page.Base
	Store  FeedbackStore
	Access *access.Cases
}

// maxComments is how many comments the page shows, newest first.
const maxComments = 50

type feedbackPage struct {
	page.Layout
	Heading, Intro string
	From, To       page.Select
	Submit         page.Button
	Tables         []page.Table
	// Comments are what victims wrote, for a supervisor; CommentsFor names
	// their agency ("" when the page shows none).
	Comments    []feedbackComment
	CommentsFor string
}

type feedbackComment struct {
	Date, Stage, Rating, Comment string
	Ref, Href                    string
}

// stageWords say a survey's stage as staff read it.
var stageWords = map[string]string{
	throughline.FeedbackCharge:   "After the charge",
	throughline.FeedbackVerdict:  "After the verdict",
	throughline.FeedbackSentence: "After the sentence",
}

// ratingWords say an answer as the victim chose it.
var ratingWords = []string{"", "1 – Very poorly", "2 – Poorly", "3 – Neither well nor poorly", "4 – Well", "5 – Very well"}

// Page: GET /dashboard/feedback.
func (d *Feedback) Page(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	today := throughline.At(d.Now()).Date()
	p := feedbackPage{Layout: page.NewLayout(rq, "Victims' feedback", "measures"), Heading: "Victims' feedback: " + national,
		Intro: "After the charge, the verdict and the sentence, the portal asks each victim how well we have kept them informed, from 1 (very poorly) to 5 (very well). " +
			"Each answer is counted in the month it was given. No case is named in the figures."}
	f, err := parse(r.URL.Query(), rq.User, today)
	var msgs page.FieldMessages
	if err != nil {
		if throughline.ErrorCode(err) != throughline.EINVALID {
			return err
		}
		p.ErrorSummary, msgs = page.ErrorSummaryOf(err, page.SameField)
	}
	d.feedbackForm(&p, f, today, msgs.Of)
	if err != nil {
		d.Render(w, r, http.StatusUnprocessableEntity, "dashboard-feedback", p)
		return nil
	}
	counts, err := d.Store.FeedbackCounts(r.Context())
	if err != nil {
		return err
	}
	first, last := f.period(today)
	from, to := first.Format("2006-01"), last.Format("2006-01")
	period := longDate(first) + " to " + longDate(last)
	wh := throughline.Can(rq.User, throughline.ActionViewMeasures, nil, throughline.Relation{}).SmallNumbers
	own, lead := throughline.Supervised(rq.User)
	if lead {
		p.Heading = "Victims' feedback: " + own.Name() + " and " + national
		mine := func(n throughline.FeedbackCount) bool {
			return own.Kind == "police" && n.Force == own.ID || own.Kind == "cps" && n.CPSArea == own.ID
		}
		p.Tables = append(p.Tables, feedbackTable(own.Name()+", "+period, oversight.Feedback(counts, from, to, mine), wh))
	}
	p.Tables = append(p.Tables, feedbackTable(national+", "+period, oversight.Feedback(counts, from, to, nil), wh))
	if lead {
		p.CommentsFor = own.Name()
		if p.Comments, err = d.comments(r, rq.User, own, from, to); err != nil {
			return err
		}
	}
	d.Render(w, r, http.StatusOK, "dashboard-feedback", p)
	return nil
}

func (d *Feedback) feedbackForm(p *feedbackPage, f filters, today time.Time, em func(string) *page.ErrorMessage) {
	now := quarterOf(today)
	sel := func(name, label string) page.Select {
		return page.Select{Name: name, Label: &page.Label{Text: label, Classes: "govuk-label--s"}, ErrorMessage: em(name), Classes: "govuk-!-width-full"}
	}
	p.From, p.To = sel("from", "From the quarter"), sel("to", "To the quarter")
	for i := range quarters {
		qq := add(now, -i)
		p.From.Items = append(p.From.Items, page.Choice{Value: qq.String(), Text: qq.Label(), Selected: qq == f.from})
		p.To.Items = append(p.To.Items, page.Choice{Value: qq.String(), Text: qq.Label(), Selected: qq == f.to})
	}
	p.Submit = page.Button{Text: "Show the feedback"}
}

// feedbackTable is one scope's answers, a row per stage.
// Small counts are withheld as on the measures dashboard: the ratings of a
// stage add up to its answers, so a rating withheld takes another with it
// where the rest would give it away (ADR 0253).
func feedbackTable(caption string, stages []oversight.FeedbackStage, small bool) page.Table {
	w := newWithhold(small)
	for _, s := range stages {
		var parts []string
		for i, n := range s.Ratings {
			k := fmt.Sprintf("%s/%d", s.Stage, i+1)
			w.cell(k, n, false)
			parts = append(parts, k)
		}
		w.cell(s.Stage, s.Answers, true)
		w.sum(s.Stage, parts...)
	}
	w.protect()
	t := page.Table{Caption: caption, CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Stage"}, {Text: "Answers", Format: "numeric"}, {Text: "1 Very poorly", Format: "numeric"}, {Text: "2 Poorly", Format: "numeric"},
			{Text: "3 Neither", Format: "numeric"}, {Text: "4 Well", Format: "numeric"}, {Text: "5 Very well", Format: "numeric"},
			{Text: "Mean rating", Format: "numeric"}, {Text: "Kept well informed (4 or 5)", Format: "numeric"}}}
	for _, s := range stages {
		row := []page.TableCell{{Text: stageWords[s.Stage]}, {Text: w.counted(s.Stage, s.Answers), Format: "numeric"}}
		for i, n := range s.Ratings {
			row = append(row, page.TableCell{Text: w.counted(fmt.Sprintf("%s/%d", s.Stage, i+1), n), Format: "numeric"})
		}
		mean, well := "No answers", "No answers"
		switch {
		case w.hides(s.Answers):
			mean, well = fewFigure, fewFigure
		case s.Mean != nil:
			mean, well = strconv.FormatFloat(*s.Mean, 'f', 1, 64), fmt.Sprintf("%.0f%%", *s.WellInformed*100)
		}
		t.Rows = append(t.Rows, append(row, page.TableCell{Text: mean, Format: "numeric"}, page.TableCell{Text: well, Format: "numeric"}))
	}
	return t
}

// comments are the comments on own's cases in the months from to to that
// the policy lets u read with the victim's details, newest first; the
// cases shown are logged as consulted before the page is written.
func (d *Feedback) comments(r *http.Request, u throughline.User, own throughline.Agency, from, to string) ([]feedbackComment, error) {
	scope := throughline.ScopeFilter{Limit: maxComments}
	if own.Kind == "police" {
		scope.Forces = []string{own.ID}
	} else {
		scope.CPSAreas = []string{own.ID}
	}
	fs, err := d.Store.FeedbackComments(r.Context(), scope, from, to)
	if err != nil {
		return nil, err
	}
	allowed := map[string]*access.Case{}
	var out []feedbackComment
	var looked []access.Consultation
	for _, f := range fs {
		ca, seen := allowed[f.CaseRef]
		if !seen {
			ca, err = d.Access.Scope(r.Context(), u, f.CaseRef, throughline.ActionReadCase)
			if err != nil && throughline.ErrorCode(err) != throughline.ENOTFOUND {
				return nil, err
			}
			if ca != nil && !ca.Read.Has(throughline.PartVictim) {
				ca = nil
			}
			allowed[f.CaseRef] = ca
			if ca != nil {
				looked = append(looked, access.Consultation{Case: ca, Parts: []string{throughline.PartVictim}})
			}
		}
		if ca == nil || f.Comment == "" {
			continue
		}
		date := f.GivenAt
		if t, err := time.Parse(time.RFC3339Nano, f.GivenAt); err == nil {
			date = longDate(t.In(throughline.London))
		}
		rating := ""
		if f.Rating >= 1 && f.Rating <= 5 {
			rating = ratingWords[f.Rating]
		}
		out = append(out, feedbackComment{Date: date, Stage: stageWords[f.Stage], Rating: rating, Comment: f.Comment, Ref: f.CaseRef, Href: "/cases/" + url.PathEscape(f.CaseRef)})
	}
	if len(looked) > 0 {
		if err := d.Access.ConsultedMany(r, u, throughline.ChannelPage, looked...); err != nil {
			return nil, err
		}
	}
	return out, nil
}
