package oversight

import (
	"slices"

	"throughline"
	"throughline/calendar"
)

// Victim information requests (PCSCA 2022 Chapter 3A) and requests to
// extract from her device (ss.37 and 39), counted for oversight
// (docs/measures.md, "Information requests"; ADR 0403). No holder, reason
// or answer is in the facts: only kinds, outcomes and days.

// Where a request's notice to the victim stood when the request was made
// (RequestFact.Notice).
const (
	// NoticeBefore: a written notice naming the request reached her on or
	// before the day it was sent (s.44B(3)(a): "on or before the date").
	NoticeBefore = "before"
	// NoticeAfter: her notice reached her after the day it was sent
	// (s.44B(3)(b)), whenever that was.
	NoticeAfter = "after"
	// NoticeExcepted: sent under an approved s.44B(5) exception (no notice),
	// and none has reached her.
	NoticeExcepted = "excepted"
	// NoticeNotGiven: sent, and no notice has reached her nor was an
	// s.44B(5) exception approved when it was sent: notice still owed.
	NoticeNotGiven = "not_given"
)

// NoticeTimings lists the values of RequestFact.Notice, in order.
var NoticeTimings = []string{NoticeBefore, NoticeAfter, NoticeExcepted, NoticeNotGiven}

// RequestFact is one victim information request of the case.
type RequestFact struct {
	Material    string       `json:"material"`
	Counselling bool         `json:"counselling,omitempty"` // a counselling information request (s.44A(5))
	Recorded    calendar.Day `json:"recorded"`              // information_requested
	Approved    calendar.Day `json:"approved"`              // information_request_approved
	Sent        calendar.Day `json:"sent"`                  // information_request_sent: the request made
	Notice      string       `json:"notice,omitempty"`      // of a sent request: one of NoticeTimings
	Result      string       `json:"result,omitempty"`      // the holder's answer: received or refused
	Responded   calendar.Day `json:"responded"`
	Withdrawn   calendar.Day `json:"withdrawn"`
}

// DeviceFact is one request to extract information from her device.
type DeviceFact struct {
	Requested calendar.Day `json:"requested"`
	Answer    string       `json:"answer,omitempty"` // agreed or refused
	Answered  calendar.Day `json:"answered"`
	Withdrawn calendar.Day `json:"withdrawn"` // she withdrew her agreement
}

// requestFacts reads the case's requests by folding the events that shape
// them into a Case with the domain's own Apply, so that what counts as her
// notice (in writing, to an adult for a child: throughline.NoticeReaches)
// is the rule Decide enforces, not a copy of it.
func requestFacts(events []throughline.Event) ([]RequestFact, []DeviceFact) {
	// Most cases have no request: they are not folded at all.
	if !slices.ContainsFunc(events, func(e throughline.Event) bool {
		switch e.Data.(type) {
		case *throughline.InformationRequested, *throughline.DeviceExtractionRequested:
			return true
		}
		return false
	}) {
		return nil, nil
	}
	var c throughline.Case
	type ref struct{ complainant, request string }
	excepted := map[ref]bool{} // sent under an approved s.44B(5) exception
	for _, e := range events {
		switch x := e.Data.(type) {
		case *throughline.CaseOpened, *throughline.InformationRequested, *throughline.DeviceExtractionRequested,
			*throughline.InformationNoticeException, *throughline.VictimInformed,
			*throughline.InformationRequestApproved, *throughline.InformationNoticeExceptionApproved,
			*throughline.InformationRequestResponse, *throughline.InformationRequestWithdrawn, *throughline.InformationRequestView,
			*throughline.DeviceExtractionAnswered, *throughline.DeviceExtractionWithdrawn:
		case *throughline.InformationRequestSent:
			if cp := c.Complainant(x.ComplainantID); cp != nil {
				if f := cp.Flow(x.RequestID); f != nil {
					excepted[ref{x.ComplainantID, x.RequestID}] = f.Exception == throughline.NoticeNone && !f.ExceptionApproved.IsZero()
				}
			}
		default:
			continue
		}
		c.Apply(e)
	}
	var reqs []RequestFact
	var devs []DeviceFact
	for _, cp := range c.Complainants {
		for _, rq := range cp.Requests {
			f := cp.Flow(rq.RequestID)
			if f == nil {
				continue
			}
			r := RequestFact{Material: rq.Material, Counselling: rq.Counselling(), Recorded: dayOf(f.Drafted), Approved: dayOf(f.Approved),
				Sent: dayOf(f.Sent), Result: f.Result, Responded: dayOf(f.Responded), Withdrawn: dayOf(f.Withdrawn)}
			if r.Sent != None {
				r.Notice = noticeTiming(r.Sent, dayOf(f.NoticeGiven), excepted[ref{cp.ID, rq.RequestID}])
			}
			reqs = append(reqs, r)
		}
		for _, d := range cp.Devices {
			devs = append(devs, DeviceFact{Requested: dayOf(d.RequestedOn), Answer: d.Answer, Answered: dayOf(d.AnsweredOn), Withdrawn: dayOf(d.WithdrawnOn)})
		}
	}
	return reqs, devs
}

// noticeTiming says where the notice of a request sent on sent stood: a
// notice that reached her counts, before or after, even under an
// exception.
func noticeTiming(sent, notice calendar.Day, excepted bool) string {
	switch {
	case notice != None && notice <= sent:
		return NoticeBefore
	case notice != None:
		return NoticeAfter
	case excepted:
		return NoticeExcepted
	}
	return NoticeNotGiven
}

// InformationRequests counts victim information requests (docs/measures.md).
type InformationRequests struct {
	Recorded    int `json:"recorded"`    // drafted in the period
	Counselling int `json:"counselling"` // of those, counselling information requests
	Approved    int `json:"approved"`    // approved by a police supervisor in the period
	// Sent counts the requests made (sent to the holder) in the period;
	// Material those by the kind of material sought, Notice by where her
	// notice stood (NoticeTimings), each adding up to Sent.
	Sent     int            `json:"sent"`
	Material map[string]int `json:"material"`
	Notice   map[string]int `json:"notice"`
	// Received and HolderRefused count the holders' answers in the period.
	Received      int `json:"received"`
	HolderRefused int `json:"holder_refused"`
	// Withdrawn counts requests withdrawn in the period, BeforeSent those
	// withdrawn before they were made.
	Withdrawn           int `json:"withdrawn"`
	WithdrawnBeforeSent int `json:"withdrawn_before_sent"`
}

// DeviceExtraction counts requests to extract from her device and her
// answers (docs/measures.md).
type DeviceExtraction struct {
	Requested int `json:"requested"`
	Agreed    int `json:"agreed"`
	Refused   int `json:"refused"`
	// RefusalRate is refused / (agreed + refused), of the answers in the
	// period.
	RefusalRate *float64 `json:"refusal_rate"`
	// Withdrawn counts agreements she withdrew in the period.
	Withdrawn int `json:"withdrawn"`
}

func newInformationRequests() InformationRequests {
	n := map[string]int{}
	for _, k := range NoticeTimings {
		n[k] = 0
	}
	return InformationRequests{Material: map[string]int{}, Notice: n}
}

// addRequests counts the case's requests in the period [from, to], n times.
func (m *Measures) addRequests(f *Facts, from, to calendar.Day, n int) {
	ir := &m.InformationRequests
	for _, r := range f.Requests {
		if in(r.Recorded, from, to) {
			ir.Recorded += n
			if r.Counselling {
				ir.Counselling += n
			}
		}
		if in(r.Approved, from, to) {
			ir.Approved += n
		}
		if in(r.Sent, from, to) {
			ir.Sent += n
			ir.Material[r.Material] += n
			ir.Notice[r.Notice] += n
		}
		if in(r.Responded, from, to) {
			switch r.Result {
			case throughline.RequestReceived:
				ir.Received += n
			case throughline.RequestRefused:
				ir.HolderRefused += n
			}
		}
		if in(r.Withdrawn, from, to) {
			ir.Withdrawn += n
			if r.Sent == None {
				ir.WithdrawnBeforeSent += n
			}
		}
	}
	dx := &m.DeviceExtraction
	for _, d := range f.Devices {
		if in(d.Requested, from, to) {
			dx.Requested += n
		}
		if in(d.Answered, from, to) {
			switch d.Answer {
			case throughline.DeviceAgreed:
				dx.Agreed += n
			case throughline.DeviceRefused:
				dx.Refused += n
			}
		}
		if in(d.Withdrawn, from, to) {
			dx.Withdrawn += n
		}
	}
}

// requestDays are the days on which the case's requests count in a period.
func (f *Facts) requestDays() []calendar.Day {
	var out []calendar.Day
	for _, r := range f.Requests {
		out = append(out, r.Recorded, r.Approved, r.Sent, r.Responded, r.Withdrawn)
	}
	for _, d := range f.Devices {
		out = append(out, d.Requested, d.Answered, d.Withdrawn)
	}
	return out
}
