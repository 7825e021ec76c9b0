package deadline_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/deadline"
)

// caseLog builds one case's events in log order, numbering versions.
type caseLog struct {
	evs []throughline.Event
}

func when(s string) throughline.When {
	w, err := throughline.ParseWhen(s)
	if err != nil {
		panic(err)
	}
	return w
}

// day returns the midnight-UTC time.Time of a YYYY-MM-DD date.
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// add appends an event that occurred (and was recorded) on occ.
func (l *caseLog) add(occ string, d throughline.Data) *caseLog { return l.addRec(occ, occ, d) }

// addRec appends an event that occurred on occ and was recorded on rec.
func (l *caseLog) addRec(occ, rec string, d throughline.Data) *caseLog {
	l.evs = append(l.evs, throughline.Event{Case: "TL-1", Version: int64(len(l.evs) + 1), Type: d.EventType(),
		OccurredAt: when(occ), RecordedAt: when(rec), Data: d})
	return l
}

// raw appends an event of a type not yet in the vocabulary, without a payload.
func (l *caseLog) raw(typ, occ string) *caseLog {
	l.evs = append(l.evs, throughline.Event{Case: "TL-1", Version: int64(len(l.evs) + 1), Type: typ,
		OccurredAt: when(occ), RecordedAt: when(occ)})
	return l
}

var rape = []throughline.Offence{{HOCode: "19C", CJSCode: "SX03002"}}

func no() *bool { f := false; return &f }

// open starts a case reported on date with complainant C1 (enhanced by
// default), C2 (recorded as not enhanced) if two, and the given suspects.
func open(date string, twoComplainants bool, suspects ...string) *caseLog {
	cs := []throughline.ComplainantRecord{{ID: "C1", Name: "A"}}
	if twoComplainants {
		cs = append(cs, throughline.ComplainantRecord{ID: "C2", Name: "B", Enhanced: no()})
	}
	var ss []throughline.SuspectRecord
	for _, s := range suspects {
		ss = append(ss, throughline.SuspectRecord{ID: s, Name: "S " + s})
	}
	l := &caseLog{}
	return l.add(date, &throughline.CaseOpened{Force: "13", CPSArea: "yorkshire_humberside", Offences: rape, Complainants: cs, Suspects: ss})
}

func (l *caseLog) charge(date, def, method string) *caseLog {
	l.add(date, &throughline.FileSubmitted{SuspectID: def, Purpose: "charging_decision"})
	l.add(date, &throughline.ChargingDecision{SuspectID: def, Decision: "charge"})
	return l.add(date, &throughline.Charged{DefendantID: def, Offences: rape, Method: method})
}

func (l *caseLog) told(date, comp, about string) *caseLog {
	return l.add(date, &throughline.VictimInformed{ComplainantID: comp, About: about, Channel: "phone"})
}

// wrote records a telling in writing (a letter).
func (l *caseLog) wrote(date, comp, about string) *caseLog {
	return l.add(date, &throughline.VictimInformed{ComplainantID: comp, About: about, Channel: "letter"})
}

func (l *caseLog) remand(date, def, status string) *caseLog {
	return l.add(date, &throughline.RemandStatusChanged{DefendantID: def, Status: status})
}

func (l *caseLog) hearing(listed, id, kind, starts string) *caseLog {
	return l.add(listed, &throughline.HearingListed{HearingID: id, Kind: kind, Court: "Leeds", StartsAt: starts, Listing: "fixture"})
}

func (l *caseLog) held(date, id string) *caseLog {
	return l.add(date, &throughline.HearingHeld{HearingID: id, Outcome: "effective"})
}

func (l *caseLog) sent(date, def string) *caseLog {
	return l.add(date, &throughline.SentToCrownCourt{DefendantID: def, Court: "Leeds"})
}

func (l *caseLog) compute() []throughline.Deadline { return deadline.Compute(l.evs) }

// pick returns the deadlines of rule for subject (and concerning, if not "*").
func pick(ds []throughline.Deadline, rule, subject, concerning string) []throughline.Deadline {
	var out []throughline.Deadline
	for _, d := range ds {
		if d.Rule == rule && d.Subject == subject && (concerning == "*" || d.Concerning == concerning) {
			out = append(out, d)
		}
	}
	return out
}

// one returns the single deadline of rule for subject and concerning.
func one(t *testing.T, ds []throughline.Deadline, rule, subject, concerning string) throughline.Deadline {
	t.Helper()
	got := pick(ds, rule, subject, concerning)
	if len(got) != 1 {
		t.Fatalf("%d deadlines %s for %s concerning %q, want 1; all:\n%s", len(got), rule, subject, concerning, dump(ds))
	}
	return got[0]
}

func dump(ds []throughline.Deadline) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %-20s %-16s %-14s starts %s due %s met %s by %s late %d na %q alert %q\n", d.Rule, d.Subject, d.Concerning,
			ds10(d.Starts), ds10(d.Due), ds10(d.MetAt), d.MetBy, d.LateDays, d.NotApplicable, d.Alert)
	}
	return b.String()
}

func ds10(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}

// check compares a deadline's due date, met date, late days and status.
func check(t *testing.T, d throughline.Deadline, due, met string, late int, asOf, status string) {
	t.Helper()
	if ds10(d.Due) != due {
		t.Errorf("%s %s %s: due %s, want %s", d.Rule, d.Subject, d.Concerning, ds10(d.Due), due)
	}
	if ds10(d.MetAt) != met {
		t.Errorf("%s %s %s: met %s, want %s", d.Rule, d.Subject, d.Concerning, ds10(d.MetAt), met)
	}
	if d.LateDays != late {
		t.Errorf("%s %s %s: late days %d, want %d", d.Rule, d.Subject, d.Concerning, d.LateDays, late)
	}
	if got := d.Status(day(asOf)); got != status {
		t.Errorf("%s %s %s: status as of %s is %s, want %s (na %q, alert %q)", d.Rule, d.Subject, d.Concerning, asOf, got, status, d.NotApplicable, d.Alert)
	}
}
