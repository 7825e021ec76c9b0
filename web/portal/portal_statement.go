package portal

import (
	"fmt"
	"net/http"
	"strings"

	"throughline"
	"throughline/comms"
)

// Her Victim Personal Statement (Victims' Code Right 7): she writes it in
// the portal, or asks her contact for help, and sees and changes it until
// the sentence. Each version is a victim_personal_statement event, its
// words sealed with the case's personal data; the prosecutor reads the
// latest on the case record, where every look is in the consultation log.

type statementView struct {
	Text   string
	Help   bool
	On     string
	Closed bool // the sentence has been passed: it can no longer change
}

func statementModel(lang string, c *throughline.Case, cp *throughline.Complainant) *statementView {
	v := &statementView{Text: cp.Statement, Help: cp.StatementHelp, Closed: !throughline.StatementOpen(c)}
	if !cp.StatementOn.IsZero() {
		v.On = comms.FormatDate(lang, cp.StatementOn.Time())
	}
	return v
}

// StatementForm: GET /victim/statement.
func (s *Portal) StatementForm(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	s.portalRender(w, r, http.StatusOK, lang, "statement", portalView{Statement: statementModel(lang, c, cp)})
}

// statementAction is what her form records: her words as made (the first
// time) or updated, or her asking for help with what she has so far; ""
// when she wrote nothing and asked for nothing.
func statementAction(cp *throughline.Complainant, text string, help bool) string {
	switch {
	case help:
		return throughline.StatementHelp
	case text == "":
		return ""
	case cp.Statement == "":
		return throughline.StatementMade
	}
	return throughline.StatementUpdated
}

// Statement: POST /victim/statement records her statement, then redirects
// to her case page (a refresh sends nothing twice). A statement the record
// refuses (empty without a request for help, too long, after the
// sentence) is shown again with what is wrong, and nothing is recorded.
func (s *Portal) Statement(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	text, help := strings.TrimSpace(r.PostFormValue("text")), r.PostFormValue("help") == "yes"
	d := &throughline.VictimPersonalStatement{ComplainantID: cp.ID, Action: statementAction(cp, text, help), Text: text}
	e := throughline.Event{Case: c.Ref, Type: throughline.TypeVictimPersonalStatement, OccurredAt: throughline.At(s.Now().UTC()), Actor: "victim:" + cp.ID, Agency: "victim", Data: d}
	_, err := throughline.DecodeData(e.Type, mustJSON(d))
	if err == nil {
		_, _, err = s.Store.Append(r.Context(), e, throughline.AnyVersion)
	}
	if throughline.ErrorCode(err) == throughline.EINVALID {
		t := portalText[lang]
		v := statementModel(lang, c, cp)
		v.Text, v.Help = text, help
		msg := t["statement_empty"]
		switch {
		case v.Closed:
			msg = t["statement_closed"]
		case len([]rune(text)) > throughline.MaxStatement:
			msg = fmt.Sprintf(t["statement_too_long"], throughline.MaxStatement)
		}
		s.portalRender(w, r, http.StatusUnprocessableEntity, lang, "statement", portalView{Statement: v, Error: msg, ErrorField: "text"})
		return
	}
	if err != nil {
		// The error may quote nothing of her words; name the case only.
		s.Fail(w, r, fmt.Errorf("portal: statement not recorded on case %s: %s", c.Ref, throughline.ErrorCode(err)))
		return
	}
	http.Redirect(w, r, "/victim/case?sent=statement", http.StatusSeeOther)
}
