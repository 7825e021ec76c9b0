package staff

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"throughline"
	"throughline/web/access"
	"throughline/web/page"
	"throughline/web/portal"
)

// caseStore is what this file's pages need from storage.
type caseStore interface {
	BreakGlassGrant(ctx context.Context, id string) (throughline.BreakGlassGrant, error)
	CaseFeedback(ctx context.Context, ref string) ([]throughline.Feedback, error)
	Events(ctx context.Context, ref string) ([]throughline.Event, error)
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
	CaseMemberRequests(ctx context.Context, ref string) ([]throughline.CaseMemberRequest, error)
}

// CaseRecordStore is what the case page and its work panels need.
type CaseRecordStore interface {
	caseStore
	workStore
}

// CaseRecord serves the page of one case.
type CaseRecord struct {
	*page.Base
	// Access applies the policy to cases and logs consultations.
	Access *access.Cases
	Store  CaseRecordStore
}

// signInCode is a button that sends a complainant a portal sign-in code.
type signInCode struct{ Action, Name string }

// CasePage is the view of one case.
type casePage struct {
	page.Layout
	Ref          string
	Stage        page.Tag
	Access       string
	BreakGlass   bool
	GlassExpires string
	Pseudonyms   bool
	VictimFacing bool
	Actions      []page.ActionLink
	Summary      page.SummaryList
	Defendants   []page.SummaryList
	Complainants []page.SummaryList
	Offences     []string
	KeyDates     *page.SummaryList
	Hearings     *page.Table
	Timeline     *page.Timeline
	// WaitingOn is who the case waited on, span by span (the casework
	// only), and Held the days per party in words.
	WaitingOn *page.Table
	Held      string
	ShowWork  bool
	// RequestsDocument links to the information-request section of the
	// Disclosure Management Document (dmd.go), for those who may have it.
	RequestsDocument string
	Events           int
	// The work panels (ShowWork only).
	Deadlines []deadlineItem
	Messages  []messageItem
	Retry     bool // failed messages offer "Try again"
	// SignInCodes are the buttons that send a complainant a code to sign in
	// to the victim portal, for those who keep her informed.
	SignInCodes      []signInCode
	Tasks            []taskItem
	Plans            []planItem
	Quality          []qualityItem
	PlansWithheld    bool
	Requests         []requestItem
	RequestsWithheld bool
	Devices          []deviceItem
	DevicesWithheld  bool
}

// complainantOf is the complainant an event is about, if any.
func complainantOf(d throughline.Data) string {
	switch d := d.(type) {
	case *throughline.ComplainantWithdrew:
		return d.ComplainantID
	case *throughline.VictimInformed:
		return d.ComplainantID
	case *throughline.ContactPreferencesSet:
		return d.ComplainantID
	case *throughline.InformationRequested:
		return d.ComplainantID
	case *throughline.SpecialMeasuresApplied:
		return d.ComplainantID
	case *throughline.SpecialMeasuresDecided:
		return d.ComplainantID
	case *throughline.InformationNoticeException:
		return d.ComplainantID
	case *throughline.InformationRequestApproved:
		return d.ComplainantID
	case *throughline.InformationNoticeExceptionApproved:
		return d.ComplainantID
	case *throughline.InformationRequestSent:
		return d.ComplainantID
	case *throughline.InformationRequestResponse:
		return d.ComplainantID
	case *throughline.InformationRequestWithdrawn:
		return d.ComplainantID
	case *throughline.InformationRequestView:
		return d.ComplainantID
	case *throughline.DeviceExtractionRequested:
		return d.ComplainantID
	case *throughline.DeviceExtractionAnswered:
		return d.ComplainantID
	case *throughline.DeviceExtractionWithdrawn:
		return d.ComplainantID
	case *throughline.CallbackMade:
		return d.ComplainantID
	case *throughline.MaterialDecision:
		return d.ComplainantID
	}
	return ""
}

// visibleEvents are the events of a case the decision shows.
func visibleEvents(evs []throughline.Event, d throughline.Decision) []throughline.Event {
	var out []throughline.Event
	for _, e := range evs {
		if d.VictimFacing && !throughline.VictimFacingEvent(e.Type) {
			continue
		}
		if c := complainantOf(e.Data); c != "" && !d.ShowsComplainant(c) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// CasePage: GET /cases/{ref}: the case as the policy lets this user see it.
// The consultation is logged, durably, before the page is written.
func (s *CaseRecord) CasePage(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	u := rq.User
	ca, err := s.Access.Load(r.Context(), u, r.PathValue("ref"), throughline.ActionReadCase)
	if err != nil {
		return err
	}
	c, d := ca.Case, ca.Decision
	p := casePage{Layout: page.NewLayout(rq, "Case "+c.Ref, ""), Ref: c.Ref, Stage: stageTag(c.Stage()), Pseudonyms: d.Pseudonymise, VictimFacing: d.VictimFacing, ShowWork: d.Has(throughline.PartWork)}
	p.Back = "/cases"
	if typ := r.URL.Query().Get("recorded"); typ != "" {
		if f, ok := formFor(typ); ok {
			p.Banner = &page.NotificationBanner{Success: true, Heading: f.done, Text: recordedOn(r.URL.Query().Get("on"), s.Now())}
		}
	}
	switch r.URL.Query().Get("sent") {
	case "message":
		p.Banner = &page.NotificationBanner{Success: true, Heading: messageForm.done}
	case "retry":
		p.Banner = &page.NotificationBanner{Success: true, Heading: "The message will be tried again, from her first choice of channel"}
	case "code":
		p.Banner = &page.NotificationBanner{Success: true, Heading: "A sign-in code was sent to her address for codes: it works for 10 minutes"}
	}
	switch d.Basis {
	case throughline.BasisTeam:
		p.Access = "You are on this case's team."
	case throughline.BasisSupervisor:
		a, _ := throughline.Supervised(rq.User)
		p.Access = "You see every case of " + a.Name() + " as their supervisor."
	case throughline.BasisConsent:
		p.Access = "You see the victim-facing parts of this case because the victim consented to share it with you."
	case throughline.BasisBreakGlass:
		p.BreakGlass = true
		p.Access = ca.Relation.BreakGlassReason
		if gs, err := s.Store.BreakGlassGrant(r.Context(), ca.Relation.BreakGlass); err == nil {
			p.GlassExpires = page.LondonTime(gs.ExpiresAt)
		}
	}
	if d.Pseudonymise {
		p.Access = "You see this case for inspection: people's names are replaced by pseudonyms and contact details are withheld."
	}
	// What else the user may do here, each asked of the policy.
	sc := ca.Scope
	can := func(action string) bool { return throughline.Can(u, action, &sc, ca.Relation).Allowed }
	if can(throughline.ActionRecord) && c.Closed.IsZero() {
		p.Actions = append(p.Actions, page.ActionLink{Href: page.CaseURL(c.Ref, "record"), Text: "Record an event"})
	}
	if can(throughline.ActionAppend) && c.Closed.IsZero() {
		if !d.Pseudonymise && len(c.Complainants) > 0 {
			p.Actions = append(p.Actions, page.ActionLink{Href: page.CaseURL(c.Ref, "messages/new"), Text: "Send the victim a message"})
			p.Retry = true
			if ca.MayRecord(u, throughline.TypeVictimInformed) {
				for _, cp := range c.Complainants {
					if _, to := cp.Preferences.CodeAddress(); to != "" {
						p.SignInCodes = append(p.SignInCodes, signInCode{Action: page.CaseURL(c.Ref, "complainants", cp.ID, "sign-in-code"), Name: cp.Name})
					}
				}
			}
		}
	}
	if can(throughline.ActionRecordConsent) {
		p.Actions = append(p.Actions, page.ActionLink{Href: page.CaseURL(c.Ref, "consent"), Text: "Record ISVA consent"})
	}
	if can(throughline.ActionVictimView) {
		p.Actions = append(p.Actions, page.ActionLink{Href: page.CaseURL(c.Ref, "victim-view"), Text: "See the victim's view"})
	}
	if can(throughline.ActionReadConsultations) {
		p.Actions = append(p.Actions, page.ActionLink{Href: page.CaseURL(c.Ref, "access-log"), Text: "Who has looked at this case"})
	}
	if can(throughline.ActionManageCaseTeam) {
		p.Actions = append(p.Actions, page.ActionLink{Href: page.CaseURL(c.Ref, "team"), Text: "Case team"})
	}
	if can(throughline.ActionApproveCaseTeam) {
		qs, err := s.Store.CaseMemberRequests(r.Context(), c.Ref)
		if err != nil {
			return err
		}
		if qs, err = s.Access.Approvable(r.Context(), u, qs); err != nil {
			return err
		}
		if len(qs) > 0 {
			p.Actions = append(p.Actions, page.ActionLink{Href: page.CaseURL(c.Ref, "team/requests"), Text: "Case team requests: " + itoa64(int64(len(qs))) + " waiting"})
		}
	}

	row := func(k, v string) page.SummaryRow {
		return page.SummaryRow{Key: page.SummaryText{Text: k}, Value: page.SummaryText{Text: v}}
	}
	p.Summary = page.SummaryList{Rows: []page.SummaryRow{row("Reference", c.Ref), row("Stage", stageName(c.Stage())), row("Police force", forceName(c.Force)), row("CPS area", page.AreaName(c.CPSArea)), row("Reported", day(c.Reported))}}
	if !c.Closed.IsZero() {
		p.Summary.Rows = append(p.Summary.Rows, row("Closed", day(c.Closed)+": "+freeText(c.CloseReason, d.WithholdsFreeText())))
	}
	for _, des := range c.Team { // redacted away unless the decision shows the team
		who := des.Name + ", since " + day(des.Since)
		if des.Phone != "" {
			who += ", " + des.Phone
		}
		p.Summary.Rows = append(p.Summary.Rows, row(page.Sentence(teamRoleWords[des.Role]), who))
	}
	parts := []string{throughline.PartSummary}
	if d.Has(throughline.PartParties) {
		parts = append(parts, throughline.PartParties)
		for _, df := range c.Defendants {
			t := stageTag(df.Stage)
			l := page.SummaryList{Card: &page.SummaryCard{Title: &page.CardTitle{Text: df.Name, HeadingLevel: 3}}, Rows: []page.SummaryRow{
				{Key: page.SummaryText{Text: "Stage"}, Value: page.SummaryText{HTML: page.TagHTML(t)}}}}
			if !df.Charged.IsZero() {
				l.Rows = append(l.Rows, row("Charged", day(df.Charged)+", "+enumWord(df.ChargeMethod)))
			}
			if df.Remand != "" {
				l.Rows = append(l.Rows, row("Remand", enumWord(df.Remand)+" since "+day(df.RemandSince)))
			}
			if df.Court != "" {
				l.Rows = append(l.Rows, row("Crown Court", courtName(df.Court)))
			}
			if df.Verdict != "" {
				l.Rows = append(l.Rows, row("Verdict", page.Sentence(enumWord(df.Verdict))+" on "+day(df.VerdictOn)))
			}
			if !df.Sentenced.IsZero() {
				l.Rows = append(l.Rows, row("Sentenced", day(df.Sentenced)))
			}
			if !df.CTLExpires.IsZero() {
				l.Rows = append(l.Rows, row("Custody time limit", day(df.CTLExpires)))
			}
			p.Defendants = append(p.Defendants, l)
		}
		// Her answers to the portal's survey, for those who work with her:
		// the comment is her own words, so it is shown as part of the
		// victim's details, never to inspectors.
		var feedback []throughline.Feedback
		if d.Has(throughline.PartVictim) && !d.Pseudonymise {
			if feedback, err = s.Store.CaseFeedback(r.Context(), c.Ref); err != nil {
				return err
			}
		}
		for _, cp := range c.Complainants {
			l := page.SummaryList{Card: &page.SummaryCard{Title: &page.CardTitle{Text: cp.Name, HeadingLevel: 3}}}
			support := "Supports the prosecution"
			if !cp.Withdrawn.IsZero() {
				support = "Withdrew support on " + day(cp.Withdrawn)
			}
			service := "Enhanced (Victims' Code)"
			if !cp.IsEnhanced() {
				service = "Standard"
			}
			lang := "English"
			if cp.Language == "cy" {
				lang = "Welsh"
			}
			l.Rows = append(l.Rows, row("Support", support), row("Service", service), row("Language", lang))
			if !cp.LastInformed.IsZero() {
				l.Rows = append(l.Rows, row("Last told of progress", day(cp.LastInformed)))
			}
			if d.Has(throughline.PartVictim) && !d.Pseudonymise {
				if pr := cp.Preferences; pr != nil {
					var ch []string
					for _, x := range pr.Channels {
						ch = append(ch, enumWord(x))
					}
					l.Rows = append(l.Rows, row("Contact by", strings.Join(ch, ", then ")))
					if st := pr.SafeTimesWords(); st != "" {
						l.Rows = append(l.Rows, row("Safe times", st))
					}
					if pr.NeverWriteHome {
						l.Rows = append(l.Rows, row("Letters", "Never write to the home address"))
					}
				}
				for _, f := range feedback {
					if f.ComplainantID == cp.ID {
						l.Rows = append(l.Rows, row("Feedback after the "+f.Stage, feedbackWords(f)))
					}
				}
				// Her Victim Personal Statement, as she last wrote it: for
				// the prosecutor to read before the sentence.
				if !cp.StatementOn.IsZero() {
					vps := cp.Statement
					if cp.StatementHelp {
						vps = strings.TrimSpace("Asked for help to write it. " + vps)
					}
					l.Rows = append(l.Rows, row("Victim Personal Statement, "+day(cp.StatementOn), vps))
				}
				if len(cp.MeasuresGranted) > 0 {
					var ms []string
					for _, m := range cp.MeasuresGranted {
						ms = append(ms, page.MeasureName(m))
					}
					l.Rows = append(l.Rows, row("Special measures granted", strings.Join(ms, ", ")))
				}
			}
			p.Complainants = append(p.Complainants, l)
		}
	}
	if d.Has(throughline.PartVictim) {
		parts = append(parts, throughline.PartVictim)
	}
	if d.Has(throughline.PartOffences) {
		parts = append(parts, throughline.PartOffences)
		for _, o := range c.Offences {
			p.Offences = append(p.Offences, offenceName(o)+" ("+o.HOCode+", "+o.CJSCode+")")
		}
	}
	if d.Has(throughline.PartKeyDates) {
		parts = append(parts, throughline.PartKeyDates)
		kd := page.SummaryList{}
		for _, k := range c.KeyDates() {
			if d.VictimFacing && k.Name == "file_submitted" {
				continue
			}
			kd.Rows = append(kd.Rows, row(keyDateName(k.Name), day(k.On)))
		}
		p.KeyDates = &kd
	}
	if d.Has(throughline.PartHearings) {
		parts = append(parts, throughline.PartHearings)
		t := page.Table{Caption: "Hearings", CaptionClasses: "govuk-table__caption--m", Head: []page.TableHead{{Text: "Hearing"}, {Text: "Court"}, {Text: "When"}, {Text: "Listing"}, {Text: "Status"}}}
		hs := slices.Clone(c.Hearings)
		slices.SortStableFunc(hs, func(a, b throughline.Hearing) int { return a.StartsAt.Time().Compare(b.StartsAt.Time()) })
		for _, h := range hs {
			status := map[string]string{"listed": "Listed", "vacated": "Vacated", "held": "Held"}[h.Status]
			if h.Status == "held" {
				status = "Held: " + enumWord(h.Outcome)
			}
			t.Rows = append(t.Rows, []page.TableCell{{Text: hearingKind(h.Kind)}, {Text: courtName(h.Court)}, {Text: day(h.StartsAt)}, {Text: page.Sentence(enumWord(h.Listing))}, {Text: status}})
		}
		p.Hearings = &t
	}
	if d.Has(throughline.PartTimeline) {
		parts = append(parts, throughline.PartTimeline)
		evs, err := s.Store.Events(r.Context(), c.Ref)
		if err != nil {
			return err
		}
		if d.Has(throughline.PartWork) {
			p.WaitingOn, p.Held = waitingOn(evs, s.Now())
		}
		evs = visibleEvents(evs, d)
		var actors []string
		for _, e := range evs {
			if !slices.Contains(actors, e.Actor) {
				actors = append(actors, e.Actor)
			}
		}
		who, err := s.Store.UserNames(r.Context(), actors)
		if err != nil {
			return err
		}
		n := page.NamesOf(c)
		tl := page.Timeline{HeadingLevel: 3}
		for i := len(evs) - 1; i >= 0; i-- { // newest first
			e := evs[i]
			title, text, lines := describe(e, c, n, d.WithholdsFreeText())
			if e.Type == throughline.TypeCaseOpened && !d.Has(throughline.PartOffences) {
				lines = nil
			}
			tl.Items = append(tl.Items, page.TimelineItem{Label: title, Byline: byline(e, who, n), DateTime: e.OccurredAt.String(), Date: day(e.OccurredAt), Text: text, Lines: lines})
		}
		p.Timeline = &tl
		p.Events = len(evs)
	}
	if d.Has(throughline.PartWork) {
		parts = append(parts, throughline.PartWork)
		if err := s.workPanels(r.Context(), &p, ca, u); err != nil {
			return err
		}
	}
	if err := s.Access.Consulted(r, u, ca, parts, throughline.ChannelPage); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "case", p)
	return nil
}

var keyDateWords = map[string]string{
	"reported": "Reported", "file_submitted": "File sent to the CPS", "charging_decision": "Charging decision", "charged": "Charged",
	"sent_to_crown_court": "Sent to the Crown Court", "ptph": "Plea and trial preparation hearing", "trial_listed": "Trial listed for",
	"trial_started": "Trial started", "verdict": "Verdict", "sentenced": "Sentenced", "closed": "Closed",
}

func keyDateName(k string) string {
	if w, ok := keyDateWords[k]; ok {
		return w
	}
	return strings.ReplaceAll(k, "_", " ")
}

// feedbackWords is a survey answer as staff read it: the rating in the
// victim's own scale, when she gave it, and her comment.
func feedbackWords(f throughline.Feedback) string {
	w := portal.Rating("en", f.Rating)
	if t, err := time.Parse(time.RFC3339Nano, f.GivenAt); err == nil {
		w += " (" + page.LondonTime(t) + ")"
	}
	if f.Comment != "" {
		w += ": “" + f.Comment + "”"
	}
	return w
}

// byline is who recorded an event, by name: a member of staff with their
// organisation, the victim herself (the portal records her as
// "victim:<party>"), Throughline itself when it delivered a message to her
// (the delivery is what records that she was told), or, for an event that
// came in a file rather than from a person here, where it came from
// ("West Yorkshire Police, imported from its records").
func byline(e throughline.Event, who map[string]string, n page.Names) string {
	if cp, ok := strings.CutPrefix(e.Actor, "victim:"); ok {
		return n.Of(cp) + ", the victim, in the portal"
	}
	if by := who[e.Actor]; by != "" {
		// A name that says its organisation already ("Priya Shah (DC,
		// West Yorkshire Police)", as the demo's are) says it once.
		if ag := page.AgencyName(e.Agency); !strings.Contains(by, ag) {
			by += " (" + ag + ")"
		}
		return by
	}
	if strings.HasPrefix(e.Actor, "throughline:") {
		if vi, ok := e.Data.(*throughline.VictimInformed); ok {
			return "Throughline, delivering a message to " + n.Of(vi.ComplainantID)
		}
		return "Throughline"
	}
	if e.Actor == "synth" || e.Agency == "synthetic" {
		// The generator's cases (the demo's, the benchmarks'), whichever
		// agency it recorded an event as.
		return "the synthetic data generator (made-up demonstration data)"
	}
	return page.AgencyName(e.Agency) + ", imported from its records"
}
