package throughline

import "slices"

// The state of the joint police–CPS work on a case, folded from the
// events of data_collab.go and the action-plan events of data.go.

// Action item statuses.
const (
	ItemPending   = "pending"
	ItemDone      = "done"
	ItemDisputed  = "disputed"
	ItemCancelled = "cancelled"
)

// ActionPlan is a police–CPS action plan.
type ActionPlan struct {
	ID     string `json:",omitzero"`
	Issued When   `json:",omitzero"`
	// IssuedBy is the kind of agency that issued it ("police" or "cps"),
	// "conference" for the items a case conference raised, or "" when the
	// log does not say (an import without agencies).
	IssuedBy string     `json:",omitzero"`
	Items    []PlanItem `json:",omitzero"`
}

// Complete reports whether every item of the plan is done or cancelled.
func (p *ActionPlan) Complete() bool {
	return !slices.ContainsFunc(p.Items, func(it PlanItem) bool {
		s := it.Status()
		return s != ItemDone && s != ItemCancelled
	})
}

// Item returns the plan's item with id, or nil.
func (p *ActionPlan) Item(id string) *PlanItem {
	for i := range p.Items {
		if p.Items[i].ItemID == id {
			return &p.Items[i]
		}
	}
	return nil
}

// PlanItem is one action and what has become of it.
type PlanItem struct {
	ActionItem
	Completed     When          `json:",omitzero"`
	Disputed      When          `json:",omitzero"`
	DisputeReason string        `json:",omitzero"`
	Cancelled     When          `json:",omitzero"`
	CancelReason  string        `json:",omitzero"`
	Comments      []ItemComment `json:",omitzero"`
	// Resolution is the settling of the latest dispute, if any.
	Resolution *Resolution `json:",omitzero"`
}

// Status is the item's status: done, cancelled, disputed (and not yet
// settled), or pending.
func (it *PlanItem) Status() string {
	switch {
	case !it.Completed.IsZero():
		return ItemDone
	case !it.Cancelled.IsZero():
		return ItemCancelled
	case !it.Disputed.IsZero() && !it.Resolution.Settled():
		return ItemDisputed
	}
	return ItemPending
}

// ItemComment is one entry of an item's comment thread.
type ItemComment struct {
	On     When   `json:",omitzero"`
	Agency string `json:",omitzero"` // the writer's agency, e.g. "police:13"
	Actor  string `json:",omitzero"` // the writer's user id
	Text   string `json:",omitzero"`
}

// Resolution is the settling of a dispute by a police supervisor and a CPS
// manager: each side records its outcome; the dispute is settled when both
// have recorded the same one.
type Resolution struct {
	Police     string `json:",omitzero"` // upheld or withdrawn, as the police supervisor recorded it
	PoliceNote string `json:",omitzero"`
	CPS        string `json:",omitzero"` // as the CPS manager recorded it
	CPSNote    string `json:",omitzero"`
	Outcome    string `json:",omitzero"` // the agreed outcome, once settled
	SettledOn  When   `json:",omitzero"`
}

// Settled reports whether both sides agreed (false for nil).
func (r *Resolution) Settled() bool { return r != nil && r.Outcome != "" }

// record puts one side's outcome on the resolution, and settles it when
// the sides agree.
func (r *Resolution) record(side, outcome, note string, on When) {
	switch side {
	case "police":
		r.Police, r.PoliceNote = outcome, note
	case "cps":
		r.CPS, r.CPSNote = outcome, note
	}
	if r.Police != "" && r.Police == r.CPS {
		r.Outcome, r.SettledOn = r.Police, on
	}
}

// FileAssessment is the CPS's assessment of a file's quality, with the
// police's answer to each reason.
type FileAssessment struct {
	ID        string           `json:",omitzero"`
	SuspectID string           `json:",omitzero"`
	On        When             `json:",omitzero"`
	Outcome   string           `json:",omitzero"`
	Comment   string           `json:",omitzero"`
	Reasons   []AssessedReason `json:",omitzero"`
}

// Reason returns the assessment's reason with code, or nil.
func (a *FileAssessment) Reason(code string) *AssessedReason {
	for i := range a.Reasons {
		if a.Reasons[i].Code == code {
			return &a.Reasons[i]
		}
	}
	return nil
}

// AssessedReason is one reason and where it stands.
type AssessedReason struct {
	QualityReason
	Answer        string      `json:",omitzero"` // "", accepted or disputed
	AnswerComment string      `json:",omitzero"`
	AnsweredOn    When        `json:",omitzero"`
	Resolution    *Resolution `json:",omitzero"`
}

// Reason statuses, as AssessedReason.Status reads them.
const (
	ReasonUnanswered = "unanswered"
	ReasonAccepted   = "accepted"
	ReasonDisputed   = "disputed"  // disputed, not yet settled
	ReasonUpheld     = "upheld"    // disputed; both supervisors agreed it stands
	ReasonWithdrawn  = "withdrawn" // disputed; both supervisors agreed to withdraw it
)

// Status is where the reason stands.
func (r *AssessedReason) Status() string {
	switch {
	case r.Answer == "":
		return ReasonUnanswered
	case r.Answer == "accepted":
		return ReasonAccepted
	case r.Resolution.Settled():
		return r.Resolution.Outcome
	}
	return ReasonDisputed
}

// Designation is the person holding a role on the case (TeamRoles).
type Designation struct {
	Role     string `json:",omitzero"`
	Name     string `json:",omitzero"`
	Phone    string `json:",omitzero"`
	Email    string `json:",omitzero"`
	Since    When   `json:",omitzero"`
	Handover string `json:",omitzero"`
}

// Conference is a case conference held.
type Conference struct {
	ID        string     `json:",omitzero"`
	On        When       `json:",omitzero"`
	Attendees []Attendee `json:",omitzero"`
	Decisions string     `json:",omitzero"`
}

// Assessment returns the file-quality assessment with id, or nil.
func (c *Case) Assessment(id string) *FileAssessment {
	for i := range c.Assessments {
		if c.Assessments[i].ID == id {
			return &c.Assessments[i]
		}
	}
	return nil
}

// Designated returns who holds role on the case, or nil.
func (c *Case) Designated(role string) *Designation {
	for i := range c.Team {
		if c.Team[i].Role == role {
			return &c.Team[i]
		}
	}
	return nil
}

// agencyKind is the kind of an event's agency ("police", "cps", "wcu", …),
// or "" when the event names none the policy knows (an import, synthetic
// data).
func agencyKind(e Event) string {
	a, err := ParseAgency(e.Agency)
	if err != nil {
		return ""
	}
	return a.Kind
}
