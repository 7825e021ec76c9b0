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
}

// ReviewCase is one case of a review's sample, with its stratum.
type ReviewCase struct {
	Case    string
	Stratum string
}

// Open reports whether the review's window is open at now.
func (r CaseReview) Open(now time.Time) bool { return now.Before(r.Ends) }
