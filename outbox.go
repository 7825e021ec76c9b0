package throughline

import "time"

// MessageRecord is one message to a complainant, as staff and the victim
// portal see it: the same row, so both sides show the same words.
type MessageRecord struct {
	ID          int64     `json:"id"`
	Case        string    `json:"case"`
	Complainant string    `json:"complainant_id"`
	Kind        string    `json:"kind"`
	About       string    `json:"about"`
	Status      string    `json:"status"`
	Channel     string    `json:"channel,omitempty"`
	Attempts    int       `json:"attempts"`
	Failure     string    `json:"failure,omitempty"`
	LastError   string    `json:"last_error,omitempty"`
	Reference   string    `json:"reference,omitempty"`
	Lang        string    `json:"lang,omitempty"`
	Subject     string    `json:"subject,omitempty"` // the subject line, once composed
	Body        string    `json:"body,omitempty"`    // the words sent, once composed
	TriggeredBy string    `json:"triggered_by"`      // who recorded the event that called for it
	Agency      string    `json:"agency"`
	CausedBy    int64     `json:"caused_by_version,omitempty"`
	Created     time.Time `json:"created_at"`
	Sent        string    `json:"sent_at,omitempty"`
	Delivered   string    `json:"delivered_at,omitempty"`
}

// CommsTask is a task for a person.
type CommsTask struct {
	ID          int64     `json:"id"`
	Case        string    `json:"case"`
	Complainant string    `json:"complainant_id"`
	MessageID   int64     `json:"message_id"`
	Kind        string    `json:"kind"`
	Assignee    string    `json:"assignee"`
	Detail      string    `json:"detail"`
	Say         string    `json:"say,omitempty"`
	Status      string    `json:"status"`
	Created     time.Time `json:"created_at"`
	DoneBy      string    `json:"done_by,omitempty"`
}

// SilentComplainant is a complainant owed a regular update.
type SilentComplainant struct {
	Case        string    `json:"case"`
	Force       string    `json:"force"`
	CPSArea     string    `json:"cps_area"`
	Complainant string    `json:"complainant_id"`
	Since       time.Time `json:"since"` // the last update (or the charge)
	Due         time.Time `json:"due"`   // when the next update was due
	DaysSilent  int       `json:"days_silent"`
	Every       int       `json:"every_days"` // their cadence
}
