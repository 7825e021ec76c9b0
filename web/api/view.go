package api

import (
	"sort"
	"time"

	"throughline"
)

// CaseView is the JSON form of a case: the API's response and `case show
// --json`. Field names are stable API (see openapi.json).
type CaseView struct {
	Ref          string            `json:"ref"`
	Version      int64             `json:"version"`
	Force        string            `json:"force"`
	CPSArea      string            `json:"cps_area"`
	Stage        string            `json:"stage"`
	Reported     string            `json:"reported"`
	Closed       string            `json:"closed,omitempty"`
	CloseReason  string            `json:"close_reason,omitempty"`
	Offences     []OffenceView     `json:"offences"`
	Complainants []ComplainantView `json:"complainants"`
	Defendants   []DefendantView   `json:"defendants"`
	Hearings     []HearingView     `json:"hearings"`
	KeyDates     []KeyDateView     `json:"key_dates"`
}

// OffenceView is an offence.
type OffenceView struct {
	HOCode  string `json:"ho_code"`
	CJSCode string `json:"cjs_code"`
}

// ComplainantView is a complainant.
type ComplainantView struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Enhanced  bool   `json:"enhanced"`
	Language  string `json:"language"`
	Withdrawn string `json:"withdrawn,omitempty"`
}

// DefendantView is a suspect or defendant and their stage.
type DefendantView struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Stage   string `json:"stage"`
	Charged string `json:"charged,omitempty"`
	Remand  string `json:"remand,omitempty"`
	Court   string `json:"court,omitempty"`
	Verdict string `json:"verdict,omitempty"`
}

// HearingView is a hearing.
type HearingView struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Court    string `json:"court"`
	StartsAt string `json:"starts_at"`
	Listing  string `json:"listing"`
	Status   string `json:"status"`
	Outcome  string `json:"outcome,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// KeyDateView is a milestone.
type KeyDateView struct {
	Name string `json:"name"`
	On   string `json:"on"`
}

// NewCaseView builds the JSON view of a case.
func NewCaseView(c *throughline.Case) CaseView {
	v := CaseView{Ref: c.Ref, Version: c.Version, Force: c.Force, CPSArea: c.CPSArea, Stage: c.Stage(),
		Reported: c.Reported.String(), Closed: c.Closed.String(), CloseReason: c.CloseReason,
		Offences: []OffenceView{}, Complainants: []ComplainantView{}, Defendants: []DefendantView{}, Hearings: []HearingView{}, KeyDates: []KeyDateView{}}
	for _, o := range c.Offences {
		v.Offences = append(v.Offences, OffenceView{o.HOCode, o.CJSCode})
	}
	for _, cp := range c.Complainants {
		lang := cp.Language
		if lang == "" {
			lang = "en"
		}
		v.Complainants = append(v.Complainants, ComplainantView{ID: cp.ID, Name: cp.Name, Enhanced: cp.IsEnhanced(), Language: lang, Withdrawn: cp.Withdrawn.String()})
	}
	for _, d := range c.Defendants {
		v.Defendants = append(v.Defendants, DefendantView{ID: d.ID, Name: d.Name, Stage: d.Stage, Charged: d.Charged.String(), Remand: d.Remand, Court: d.Court, Verdict: d.Verdict})
	}
	for _, h := range c.Hearings {
		v.Hearings = append(v.Hearings, HearingView{ID: h.ID, Kind: h.Kind, Court: h.Court, StartsAt: h.StartsAt.String(), Listing: h.Listing, Status: h.Status, Outcome: h.Outcome, Reason: h.Reason})
	}
	for _, k := range c.KeyDates() {
		v.KeyDates = append(v.KeyDates, KeyDateView{k.Name, k.On.String()})
	}
	return v
}

// EventView is the JSON form of a logged event.
type EventView struct {
	Version    int64            `json:"version"`
	Type       string           `json:"type"`
	OccurredAt string           `json:"occurred_at"`
	RecordedAt string           `json:"recorded_at"`
	AppendedAt string           `json:"appended_at"`
	Actor      string           `json:"actor"`
	Agency     string           `json:"agency"`
	Data       throughline.Data `json:"data"`
}

// NewEventView builds the JSON view of an event.
func NewEventView(e throughline.Event) EventView {
	return EventView{Version: e.Version, Type: e.Type, OccurredAt: e.OccurredAt.String(), RecordedAt: e.RecordedAt.String(),
		AppendedAt: e.AppendedAt.UTC().Format(time.RFC3339Nano), Actor: e.Actor, Agency: e.Agency, Data: e.Data}
}

// DeadlineView is the JSON form of a deadline: the API's response and
// `deadlines --json`. Dates are London calendar days (YYYY-MM-DD).
type DeadlineView struct {
	Case          string   `json:"case,omitempty"`
	Rule          string   `json:"rule"`
	Subject       string   `json:"subject"`
	Concerning    string   `json:"concerning,omitempty"`
	Owner         string   `json:"owner"`
	Starts        string   `json:"starts"`
	Due           string   `json:"due,omitempty"`
	Status        string   `json:"status"`
	MetAt         string   `json:"met_at,omitempty"`
	MetBy         string   `json:"met_by,omitempty"`
	LateDays      int      `json:"late_days,omitempty"`
	NotApplicable string   `json:"not_applicable,omitempty"`
	Alert         string   `json:"alert,omitempty"`
	Warnings      []string `json:"warnings,omitempty"`
}

// NewDeadlineView builds the JSON view of a deadline as of a day.
func NewDeadlineView(ref string, d throughline.Deadline, asOf time.Time) DeadlineView {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	v := DeadlineView{Case: ref, Rule: d.Rule, Subject: d.Subject, Concerning: d.Concerning, Owner: d.Owner, Starts: day(d.Starts), Due: day(d.Due),
		Status: d.Status(asOf), MetAt: day(d.MetAt), MetBy: d.MetBy, LateDays: d.LateDays, NotApplicable: d.NotApplicable, Alert: d.Alert}
	for _, w := range d.Warnings {
		v.Warnings = append(v.Warnings, day(w))
	}
	return v
}

// statusRank orders deadlines for people: overdue first, then due soon.
var statusRank = map[string]int{throughline.DeadlineMissed: 0, throughline.DeadlineDueSoon: 1, throughline.DeadlinePending: 2, throughline.DeadlineMetLate: 3, throughline.DeadlineMet: 4, throughline.DeadlineNotApplicable: 5}

// SortDeadlines orders views overdue first, then due soon, then by due date.
func SortDeadlines(vs []DeadlineView) {
	sort.SliceStable(vs, func(i, j int) bool {
		if statusRank[vs[i].Status] != statusRank[vs[j].Status] {
			return statusRank[vs[i].Status] < statusRank[vs[j].Status]
		}
		return vs[i].Due < vs[j].Due
	})
}
