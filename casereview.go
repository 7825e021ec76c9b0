package throughline

import "time"

// CaseReview is a case-file review: a stratified random sample of closed
// cases that its reviewing inspectors may read, pseudonymised, until Ends
// (ADR 0254). It is drawn once and never changed; every look at one of its
// cases is a consultation like any other, with the review as its purpose.
type CaseReview struct {
	ID    string
	Title string
	// By is how the sample was stratified (force or area, crossed with
	// how the case ended), PerStratum how many were drawn from each
	// stratum, Seed the generator's seed: with the record, enough to draw
	// the same sample again.
	By         string
	PerStratum int
	Seed       uint64
	CreatedBy  string // user id
	CreatedAt  time.Time
	Ends       time.Time // access ends
	Reviewers  []string  // user ids of the reviewing inspectors
	Cases      []ReviewCase
	// Questions are what each case is read for, numbered from 1 in
	// order (DefaultReviewQuestions unless the inspector changed them).
	Questions []string
}

// DefaultReviewQuestions are a review's questions unless its inspector
// writes others: the areas the joint inspection of rape cases read case
// files for.
var DefaultReviewQuestions = []string{
	"Victim communication: was the victim kept informed, on time, at each stage?",
	"Case progression and supervision: did the case progress without avoidable delay, with supervision recorded?",
	"Disclosure and therapy material: were requests for the victim's material necessary and proportionate?",
	"Special measures: were special measures considered and applied for in time?",
	"Police–CPS collaboration: did the police and the CPS work on the case together, with action plans followed?",
}

// Review answers.
const (
	AnswerYes           = "yes"
	AnswerPartly        = "partly"
	AnswerNo            = "no"
	AnswerNotApplicable = "not_applicable"
)

// ReviewAnswers lists the answers a reviewer may give, in order.
var ReviewAnswers = []string{AnswerYes, AnswerPartly, AnswerNo, AnswerNotApplicable}

// ReviewAnswer is a reviewer's answer to one question about one case of a
// review, with their finding. Answers are never changed: a later answer
// to the same question by the same reviewer stands instead.
type ReviewAnswer struct {
	Case     string
	Question int // from 1
	UserID   string
	Answer   string // one of ReviewAnswers
	Finding  string
	At       time.Time
}

// ReviewCase is one case of a review's sample, with its stratum.
type ReviewCase struct {
	Case    string
	Stratum string
}

// Open reports whether the review's window is open at now.
func (r CaseReview) Open(now time.Time) bool { return now.Before(r.Ends) }
