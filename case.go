package throughline

import "slices"

// Defendant stages, from report to outcome. A suspect becomes a defendant
// when charged; the stage is kept per person because co-accused part ways.
const (
	StageInvestigation = "investigation"     // reported, police investigating
	StagePreCharge     = "pre_charge"        // file with the CPS for a charging decision
	StageNFA           = "no_further_action" // the CPS or police decided not to charge
	StageCharged       = "charged"           // charged, before the Crown Court
	StageCrownCourt    = "crown_court"       // sent for trial
	StageTrial         = "trial"             // trial under way
	StageRetrial       = "retrial"           // the jury could not agree; awaiting a retrial decision
	StageConvicted     = "convicted"         // guilty plea or verdict, awaiting sentence
	StageAcquitted     = "acquitted"         // found not guilty
	StageStopped       = "stopped"           // discontinued or no evidence offered
	StageSentenced     = "sentenced"
	StageClosed        = "closed" // the case as a whole
)

// Stages lists case stages in the order a case moves through them.
var Stages = []string{StageInvestigation, StageNFA, StagePreCharge, StageCharged, StageStopped, StageCrownCourt,
	StageTrial, StageRetrial, StageAcquitted, StageConvicted, StageSentenced, StageClosed}

// active reports whether a defendant at stage s is still being prosecuted.
func active(s string) bool {
	switch s {
	case StageCharged, StageCrownCourt, StageTrial, StageRetrial, StageConvicted:
		return true
	}
	return false
}

// Case is the state of one case, folded from its events by Apply. It is
// stored with every case (the case row's state), so its JSON leaves out
// what has not happened: that halves it.
type Case struct {
	Ref          string        `json:",omitzero"`
	Version      int64         `json:",omitzero"`
	Force        string        `json:",omitzero"`
	CPSArea      string        `json:",omitzero"`
	Reported     When          `json:",omitzero"`
	Offences     []Offence     `json:",omitzero"`
	Complainants []Complainant `json:",omitzero"`
	Defendants   []Defendant   `json:",omitzero"`
	Hearings     []Hearing     `json:",omitzero"`
	Plans        []ActionPlan  `json:",omitzero"`
	// Assessments, Team and Conferences are the joint police–CPS work
	// (case_collab.go).
	Assessments []FileAssessment `json:",omitzero"`
	Team        []Designation    `json:",omitzero"`
	Conferences []Conference     `json:",omitzero"`
	// Custodians and Restricted are the restricted material's named
	// disclosure officer and reviewing prosecutor, and its items
	// (data_restricted.go).
	Custodians  []Custodian      `json:",omitzero"`
	Restricted  []RestrictedItem `json:",omitzero"`
	Closed      When             `json:",omitzero"`
	CloseReason string           `json:",omitzero"`
	// Erased is when the case's personal data was erased: its key destroyed.
	Erased When `json:",omitzero"`
	// LastOccurred is the latest OccurredAt of any event.
	LastOccurred When `json:",omitzero"`
}

// Complainant is a complainant and what has happened to them in the case.
type Complainant struct {
	ComplainantRecord
	Withdrawn    When                   `json:",omitzero"`
	Preferences  *ContactPreferencesSet `json:",omitzero"`
	LastInformed When                   `json:",omitzero"`
	// Requests are victim information requests about this complainant.
	Requests []InformationRequested `json:",omitzero"`
	// NoNotice are the requests of which she is to be given no notice: the
	// police recorded that the s.44B(5) exception applies.
	NoNotice []string `json:",omitzero"`
	// Flows are where each request stands in its workflow (data_request_flow.go).
	Flows []RequestFlow `json:",omitzero"`
	// Devices are requests to extract information from her device (PCSCA
	// 2022 s.37), with her answers.
	Devices []DeviceExtraction `json:",omitzero"`
	// UnderReview are her decisions not to seek or to withhold material
	// not yet revisited (data_material.go).
	UnderReview []UnderReview `json:",omitzero"`
	// MeasuresApplied and MeasuresGranted are special measures.
	MeasuresApplied []string `json:",omitzero"`
	MeasuresGranted []string `json:",omitzero"`
	// ReviewsOpen are the Victims' Right to Review schemes ("cps", "police")
	// asked for a review they have not yet decided.
	ReviewsOpen []string `json:",omitzero"`
	// ReviewsAsked are every review she asked for (ReviewFor).
	ReviewsAsked []ReviewAsked `json:",omitzero"`
	// Contact is the complainant's named point of contact, if recorded.
	Contact *NamedContactChanged `json:",omitzero"`
	// CallbackRequested is when they last asked to be called back, and
	// CallbackWhen the time that suits them, in their words (personal data:
	// sealed in the log, redacted with their contact preferences).
	CallbackRequested When   `json:",omitzero"`
	CallbackWhen      string `json:",omitzero"`
	// Statement is her Victim Personal Statement as she last wrote it
	// (personal data, redacted with the victim's part of the record),
	// StatementOn when she last wrote it or asked for help, and
	// StatementHelp whether her last word was to ask for help to write it.
	Statement     string `json:",omitzero"`
	StatementOn   When   `json:",omitzero"`
	StatementHelp bool   `json:",omitzero"`
}

// IsEnhanced reports whether the complainant gets the Victims' Code enhanced
// service: every victim of a sexual offence does unless recorded otherwise.
func (c Complainant) IsEnhanced() bool { return c.Enhanced == nil || *c.Enhanced }

// Defendant is a suspect and, once charged, a defendant.
type Defendant struct {
	ID                string    `json:",omitzero"`
	Name              string    `json:",omitzero"`
	Stage             string    `json:",omitzero"`
	FileSubmitted     When      `json:",omitzero"`
	FilePurpose       string    `json:",omitzero"`
	EarlyAdvice       When      `json:",omitzero"`
	Decision          string    `json:",omitzero"`
	DecisionOn        When      `json:",omitzero"`
	DecisionBy        string    `json:",omitzero"` // "police" or "cps": whose Decision it is
	Charged           When      `json:",omitzero"`
	ChargeMethod      string    `json:",omitzero"`
	ChargeOffences    []Offence `json:",omitzero"`
	Remand            string    `json:",omitzero"` // custody, bail or released, once charged
	RemandSince       When      `json:",omitzero"`
	Venue             string    `json:",omitzero"` // where the court allocated its either-way offences: magistrates_court or crown_court
	Allocated         When      `json:",omitzero"`
	Sent              When      `json:",omitzero"`
	Court             string    `json:",omitzero"`
	TrialStarted      When      `json:",omitzero"`
	Verdict           string    `json:",omitzero"`
	VerdictOn         When      `json:",omitzero"`
	Sentenced         When      `json:",omitzero"`
	Stopped           When      `json:",omitzero"`
	StoppedHow        string    `json:",omitzero"`
	ChargeAltered     When      `json:",omitzero"`
	CTLExpires        When      `json:",omitzero"` // the latest limit a court set
	CTLExtendDecision string    `json:",omitzero"`
	Stage1Served      When      `json:",omitzero"`
	Stage2Served      When      `json:",omitzero"`
}

// Hearing is a hearing as listed, moved, vacated or held.
type Hearing struct {
	ID        string `json:",omitzero"`
	Kind      string `json:",omitzero"`
	Court     string `json:",omitzero"`
	StartsAt  When   `json:",omitzero"`
	Listing   string `json:",omitzero"`
	Status    string `json:",omitzero"` // listed, vacated, held
	Outcome   string `json:",omitzero"`
	Reason    string `json:",omitzero"`
	ListedOn  When   `json:",omitzero"` // when first listed
	Moves     int    `json:",omitzero"` // times re-listed to another date or court
	HeldOn    When   `json:",omitzero"`
	TrialOpen bool   `json:",omitzero"` // a trial that has started on this listing
}

// Stage returns the case's stage: closed, or the furthest stage any
// defendant has reached.
func (c *Case) Stage() string {
	if !c.Closed.IsZero() {
		return StageClosed
	}
	best := StageInvestigation
	for _, d := range c.Defendants {
		if slices.Index(Stages, d.Stage) > slices.Index(Stages, best) {
			best = d.Stage
		}
	}
	return best
}

// Defendant returns the defendant with id, or nil.
func (c *Case) Defendant(id string) *Defendant {
	for i := range c.Defendants {
		if c.Defendants[i].ID == id {
			return &c.Defendants[i]
		}
	}
	return nil
}

// Complainant returns the complainant with id, or nil.
func (c *Case) Complainant(id string) *Complainant {
	for i := range c.Complainants {
		if c.Complainants[i].ID == id {
			return &c.Complainants[i]
		}
	}
	return nil
}

// Hearing returns the hearing with id, or nil.
func (c *Case) Hearing(id string) *Hearing {
	for i := range c.Hearings {
		if c.Hearings[i].ID == id {
			return &c.Hearings[i]
		}
	}
	return nil
}

// Plan returns the action plan with id, or nil.
func (c *Case) Plan(id string) *ActionPlan {
	for i := range c.Plans {
		if c.Plans[i].ID == id {
			return &c.Plans[i]
		}
	}
	return nil
}

// KeyDate is a milestone of the case.
type KeyDate struct {
	Name string // stable id, e.g. "charged"
	On   When
}

// KeyDates returns the case's milestones that have happened, in case order.
// Each is the first time it happened for any defendant.
func (c *Case) KeyDates() []KeyDate {
	kd := []KeyDate{{"reported", c.Reported}}
	first := func(name string, get func(d Defendant) When) {
		var w When
		for _, d := range c.Defendants {
			if v := get(d); !v.IsZero() && (w.IsZero() || v.Before(w)) {
				w = v
			}
		}
		if !w.IsZero() {
			kd = append(kd, KeyDate{name, w})
		}
	}
	first("file_submitted", func(d Defendant) When { return d.FileSubmitted })
	first("charging_decision", func(d Defendant) When { return d.DecisionOn })
	first("charged", func(d Defendant) When { return d.Charged })
	first("sent_to_crown_court", func(d Defendant) When { return d.Sent })
	var ptph, trial When
	for _, h := range c.Hearings {
		if h.Status == "vacated" {
			continue
		}
		switch {
		case h.Kind == "ptph" && (ptph.IsZero() || h.StartsAt.Before(ptph)):
			ptph = h.StartsAt
		case h.Kind == "trial" && h.Status == "listed" && (trial.IsZero() || h.StartsAt.Before(trial)):
			trial = h.StartsAt
		}
	}
	if !ptph.IsZero() {
		kd = append(kd, KeyDate{"ptph", ptph})
	}
	if !trial.IsZero() {
		kd = append(kd, KeyDate{"trial_listed", trial})
	}
	first("trial_started", func(d Defendant) When { return d.TrialStarted })
	first("verdict", func(d Defendant) When { return d.VerdictOn })
	first("sentenced", func(d Defendant) When { return d.Sentenced })
	if !c.Closed.IsZero() {
		kd = append(kd, KeyDate{"closed", c.Closed})
	}
	return kd
}
