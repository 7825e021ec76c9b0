package throughline

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Victim information requests: Chapter 3A of Part 2 of the Police, Crime,
// Sentencing and Courts Act 2022 (inserted by the Victims and Prisoners Act
// 2024 s.28), in force 12 January 2026. A request by the police to anyone
// else for information about a victim (s.44A(2)) may be made only if the
// three conditions of s.44A(3) are met, and, where it goes to someone who
// provides counselling services, the stricter test of s.44A(4) too. Each is
// answered in its own field, in the officer's words, so that the record
// shows the decision and its reasons (Attorney General's Guidelines on
// Disclosure 2024: decisions and reasons recorded). ADR 0400.

// Chapter3AInForce is the day Chapter 3A came into force. A request made
// before it was not governed by the Chapter, so the record need not answer
// its conditions.
var Chapter3AInForce = On(2026, time.January, 12)

// InformationRequested records a victim information request (s.44A(2)):
// the material sought about the complainant, from whom, and the answer to
// each condition the Chapter sets. Everything but the kind of material is
// sealed with the case's personal data: the holder (a counselling service,
// a school, a GP) can identify her, and the reasons say what she has told
// others.
type InformationRequested struct {
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
	Material      string `json:"material"`
	Holder        string `json:"holder"`
	// HolderCounselling says the holder provides counselling services: any
	// service offering psychological or emotional support to improve a
	// person's emotional or mental health (the Police, Crime, Sentencing and
	// Courts Act 2022 (Counselling Services) Regulations 2025 reg.2). A
	// request to such a holder is a counselling information request
	// (s.44A(5)), whatever is sought from it.
	HolderCounselling bool `json:"holder_counselling,omitempty"`
	// HolderBelief: why the police believe the holder has the information
	// (s.44A(3)(a)).
	HolderBelief string `json:"holder_belief,omitempty"`
	// LineOfEnquiry: the reasonable line of enquiry it is relevant to, and
	// why that is not speculation (s.44A(3)(b)).
	LineOfEnquiry string `json:"line_of_enquiry,omitempty"`
	// Necessity: why the request is necessary and proportionate to prevent,
	// detect, investigate or prosecute crime (s.44A(3)(c)).
	Necessity string `json:"necessity,omitempty"`
	// ProbativeValue: for a counselling information request, why the
	// information is likely to have substantial probative value to that
	// line of enquiry (s.44A(4)), rebutting the presumption that such a
	// request is not necessary and proportionate (s.44D(2)(a)).
	ProbativeValue string `json:"probative_value,omitempty"`
	// Reason is why the information is sought, in words for the victim: the
	// notice says it (s.44B(2)(b)).
	Reason string `json:"reason"`
	// Handling is how the information will be dealt with once obtained, in
	// words for the victim: the notice says it (s.44B(2)(c)).
	Handling string `json:"handling,omitempty"`
}

// Counselling reports whether the request is a counselling information
// request (s.44A(5)): to a holder who provides counselling services, which
// counselling and therapy notes always come from.
func (d *InformationRequested) Counselling() bool {
	return d.HolderCounselling || d.Material == "counselling_notes" || d.Material == "therapy_notes"
}

// minReasons is the shortest answer a condition takes: enough for a
// sentence, so a condition cannot be met with "yes" or "n/a".
const minReasons = 20

func (*InformationRequested) EventType() string { return TypeInformationRequested }
func (d *InformationRequested) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	partyID(fe, "request_id", d.RequestID)
	oneOf(fe, "material", d.Material, Materials)
	required(fe, "holder", d.Holder)
	if len(strings.TrimSpace(d.Reason)) < minReasons {
		fe.add("reason", "Say, for the victim, why the information is sought (s.44B(2)(b)), in at least %d characters", minReasons)
	}
	for _, c := range d.conditions() {
		if *c.v != "" && len(strings.TrimSpace(*c.v)) < minReasons {
			fe.add(c.field, "%s, in at least %d characters", c.ask, minReasons)
		}
	}
	if d.ProbativeValue != "" && !d.Counselling() {
		fe.add("probative_value", "is only for a request to a counselling service (s.44A(4))")
	}
}

// condition is one question the Chapter asks of a request.
type condition struct {
	field, ask string
	v          *string
}

// conditions are the questions a request on or after Chapter3AInForce must
// answer, in the order the Act asks them.
func (d *InformationRequested) conditions() []condition {
	cs := []condition{
		{"holder_belief", "Say why you believe the holder has the information (s.44A(3)(a))", &d.HolderBelief},
		{"line_of_enquiry", "Say which reasonable line of enquiry it is relevant to, and why that is not speculation (s.44A(3)(b))", &d.LineOfEnquiry},
		{"necessity", "Say why the request is necessary and proportionate (s.44A(3)(c))", &d.Necessity},
	}
	if d.Counselling() {
		cs = append(cs, condition{"probative_value", "Say why the counselling information is likely to have substantial probative value to that line of enquiry (s.44A(4))", &d.ProbativeValue})
	}
	return append(cs, condition{"handling", "Say how the information will be dealt with once obtained, for the notice to the victim (s.44B(2)(c))", &d.Handling})
}

// decideRequest refuses a request about someone who is not a complainant,
// one whose id is taken, and, from Chapter3AInForce, one that leaves any
// condition unanswered, naming each (s.44A(1): a request must be made in
// accordance with the Chapter).
func decideRequest(c *Case, on When, d *InformationRequested) error {
	cp, err := complainant(c, d.ComplainantID)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(cp.Requests, func(r InformationRequested) bool { return r.RequestID == d.RequestID }) {
		return refuse("information request %s already exists", d.RequestID)
	}
	if on.Before(Chapter3AInForce) {
		return nil
	}
	if missing := d.Unanswered(); len(missing) > 0 {
		return &Error{Code: EINVALID, Message: ErrConditionsUnmet, Fields: missing}
	}
	return nil
}

// ErrConditionsUnmet is the refusal of a request that leaves a condition
// of the Chapter unanswered.
const ErrConditionsUnmet = "a victim information request may be made only if each condition of PCSCA 2022 s.44A is met"

// Unanswered names each condition of the Chapter the request leaves
// unanswered (s.44A(3), (4); and the handling its notice must state,
// s.44B(2)(c)), with what to say.
func (d *InformationRequested) Unanswered() []FieldError {
	var missing []FieldError
	for _, x := range d.conditions() {
		if strings.TrimSpace(*x.v) == "" {
			missing = append(missing, FieldError{Field: x.field, Message: x.ask})
		}
	}
	return missing
}

// NextRequestID is the id for a new information request on the case: the
// next R number no complainant's request uses.
func (c *Case) NextRequestID() string {
	n := 0
	for _, cp := range c.Complainants {
		n += len(cp.Requests)
	}
	for n++; ; n++ {
		id := "R" + strconv.Itoa(n)
		if !slices.ContainsFunc(c.Complainants, func(cp Complainant) bool {
			return slices.ContainsFunc(cp.Requests, func(r InformationRequested) bool { return r.RequestID == id })
		}) {
			return id
		}
	}
}

// The holder, the reasons and the handling are sealed with the case's
// personal data. A request recorded before they were sealed holds them in
// its public payload: they are kept as they are. Once the case's key is
// destroyed the holder and the reason read Erased, and the answers, which
// an erased case cannot show were ever given, read empty.
func (d *InformationRequested) splitPersonal() (Data, map[string]string) {
	pub := *d
	m := map[string]string{}
	for _, f := range pub.sealed() {
		take(m, f.key, f.v)
	}
	return &pub, m
}

func (d *InformationRequested) mergePersonal(m map[string]string) {
	for _, f := range d.sealed() {
		switch v, ok := m[f.key]; {
		case m == nil && (f.key == "holder" || f.key == "reason"):
			*f.v = Erased
		case ok:
			*f.v = v
		}
	}
}

func (d *InformationRequested) sealed() []struct {
	key string
	v   *string
} {
	return []struct {
		key string
		v   *string
	}{{"holder", &d.Holder}, {"holder_belief", &d.HolderBelief}, {"line_of_enquiry", &d.LineOfEnquiry},
		{"necessity", &d.Necessity}, {"probative_value", &d.ProbativeValue}, {"reason", &d.Reason}, {"handling", &d.Handling}}
}
