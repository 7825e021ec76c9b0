package throughline

import "time"

// Consultation is one entry of the consultation log: a view of personal
// data (DPA 2018 s.62) — who, when, which case and parts, and why.
type Consultation struct {
	ID         int64
	At         time.Time
	UserID     string
	UserName   string
	Role       string
	Agency     string
	CaseRef    string
	Parts      []string
	Purpose    string
	Basis      string
	Channel    string // page, api, export
	Target     string // what was asked for
	BreakGlass string // the break-glass access relied on, if any
}

// ConsultationChannels are where a consultation happened.
const (
	ChannelPage   = "page"
	ChannelAPI    = "api"
	ChannelExport = "export"
)

// ConsultationFilter selects log entries, newest first.
type ConsultationFilter struct {
	CaseRef string
	UserID  string
	Before  int64 // entries with id below this (paging); 0: the newest
	Limit   int
}

// BreakGlassGrant is one break-glass access and its reviews.
type BreakGlassGrant struct {
	ID        string
	CaseRef   string
	Force     string
	CPSArea   string
	UserID    string
	UserName  string
	Role      string
	Agency    string
	Reason    string
	GrantedAt time.Time
	ExpiresAt time.Time
	Reviews   []BreakGlassReview
}

// BreakGlassReview is a supervisor's review of a break-glass access.
type BreakGlassReview struct {
	ReviewerID string
	Reviewer   string
	Outcome    string // justified or not_justified
	Note       string
	At         time.Time
}

// BreakGlassFilter selects break-glass accesses, newest first.
type BreakGlassFilter struct {
	Force      string // cases of this force
	CaseRef    string
	Unreviewed bool
	Limit      int
}

// Consent is one entry of a victim's consent to share their case with
// their ISVA organisation: given or withdrawn.
type Consent struct {
	ID            int64
	CaseRef       string
	ComplainantID string
	ISVAAgency    string
	Given         bool
	Note          string
	RecordedBy    string
	RecordedAt    time.Time
}
