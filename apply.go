package throughline

import "slices"

// Apply folds one event into the case. It is total for events that Decide
// accepted (or that came from the log, which holds nothing else): it never
// fails and never looks at anything but c and e. It changes c in place.
func (c *Case) Apply(e Event) {
	c.Version++
	if c.LastOccurred.IsZero() || c.LastOccurred.Before(e.OccurredAt) {
		c.LastOccurred = e.OccurredAt
	}
	if c.applyCollab(e) || c.applyMaterial(e) || c.applyFlow(e) || c.applyDevices(e) || c.applyRestricted(e) {
		return
	}
	on := e.OccurredAt
	switch d := e.Data.(type) {
	case *CaseOpened:
		c.Ref, c.Force, c.CPSArea, c.Reported = e.Case, d.Force, d.CPSArea, on
		c.Offences = append([]Offence(nil), d.Offences...)
		for _, r := range d.Complainants {
			c.Complainants = append(c.Complainants, Complainant{ComplainantRecord: r})
		}
		for _, s := range d.Suspects {
			c.Defendants = append(c.Defendants, Defendant{ID: s.ID, Name: s.Name, Stage: StageInvestigation})
		}
	case *FileSubmitted:
		def := c.Defendant(d.SuspectID)
		def.FileSubmitted, def.FilePurpose = on, d.Purpose
		if d.Purpose == "charging_decision" {
			def.Stage = StagePreCharge
		}
	case *EarlyAdviceGiven:
		c.Defendant(d.SuspectID).EarlyAdvice = on
	case *ChargingDecision:
		def := c.Defendant(d.SuspectID)
		def.Decision, def.DecisionOn, def.DecisionBy = d.Decision, on, "cps"
		switch d.Decision {
		case "no_further_action":
			def.Stage = StageNFA
		case "further_investigation":
			def.Stage = StageInvestigation
		}
	case *Charged:
		def := c.Defendant(d.DefendantID)
		def.Stage, def.Charged, def.ChargeMethod = StageCharged, on, d.Method
		def.ChargeOffences = append([]Offence(nil), d.Offences...)
		def.Remand, def.RemandSince = remandOnCharge(d.Method), on
	case *RemandStatusChanged:
		def := c.Defendant(d.DefendantID)
		def.Remand, def.RemandSince = d.Status, on
	case *AllocationDecided:
		def := c.Defendant(d.DefendantID)
		def.Venue, def.Allocated = d.Venue, on
	case *SentToCrownCourt:
		def := c.Defendant(d.DefendantID)
		def.Stage, def.Sent, def.Court = StageCrownCourt, on, d.Court
	case *HearingListed:
		if h := c.Hearing(d.HearingID); h != nil {
			h.Court, h.StartsAt, h.Listing = d.Court, mustWhen(d.StartsAt), d.Listing
			h.Moves++
			break
		}
		c.Hearings = append(c.Hearings, Hearing{ID: d.HearingID, Kind: d.Kind, Court: d.Court,
			StartsAt: mustWhen(d.StartsAt), Listing: d.Listing, Status: "listed", ListedOn: on})
	case *HearingVacated:
		h := c.Hearing(d.HearingID)
		h.Status, h.Reason = "vacated", d.Reason
	case *HearingHeld:
		h := c.Hearing(d.HearingID)
		h.Status, h.Outcome, h.Reason, h.HeldOn = "held", d.Outcome, d.Reason, on
	case *TrialStarted:
		c.Hearing(d.HearingID).TrialOpen = true
		for i := range c.Defendants {
			if def := &c.Defendants[i]; awaitingTrial(def.Stage) {
				def.Stage, def.TrialStarted = StageTrial, on
			}
		}
	case *Verdict:
		def := c.Defendant(d.DefendantID)
		def.Verdict, def.VerdictOn = d.Result, on
		switch d.Result {
		case "guilty", "guilty_plea":
			def.Stage = StageConvicted
		case "not_guilty":
			def.Stage = StageAcquitted
		case "hung_jury":
			def.Stage = StageRetrial
		}
	case *Sentenced:
		def := c.Defendant(d.DefendantID)
		def.Stage, def.Sentenced = StageSentenced, on
	case *ProsecutionStopped:
		def := c.Defendant(d.DefendantID)
		if d.How == "charge_altered" {
			def.ChargeAltered = on
			break
		}
		def.Stage, def.Stopped, def.StoppedHow = StageStopped, on, d.How
	case *PoliceNoFurtherAction:
		def := c.Defendant(d.SuspectID)
		def.Decision, def.DecisionOn, def.DecisionBy, def.Stage = "no_further_action", on, "police", StageNFA
	case *ComplainantWithdrew:
		c.Complainant(d.ComplainantID).Withdrawn = on
	case *VictimInformed:
		if cp := c.Complainant(d.ComplainantID); cp.LastInformed.Before(on) || cp.LastInformed.IsZero() {
			cp.LastInformed = on
		}
	case *ContactPreferencesSet:
		p := *d
		cp := c.Complainant(d.ComplainantID)
		cp.Preferences = &p
		if d.Language != "" {
			cp.Language = d.Language
		}
	case *CTLExtended:
		def := c.Defendant(d.DefendantID)
		def.CTLExpires, def.CTLExtendDecision = mustWhen(d.ExpiresOn), d.Decision
	case *CaseClosed:
		c.Closed, c.CloseReason = on, d.Reason
	case *CaseErased:
		c.Erased = on
	case *Stage1Served:
		for i := range c.Defendants {
			if def := &c.Defendants[i]; (d.DefendantID == "" || d.DefendantID == def.ID) && !def.Sent.IsZero() {
				def.Stage1Served = on
			}
		}
	case *Stage2Served:
		for i := range c.Defendants {
			if def := &c.Defendants[i]; (d.DefendantID == "" || d.DefendantID == def.ID) && !def.Stage1Served.IsZero() {
				def.Stage2Served = on
			}
		}
	case *VictimPersonalStatement:
		if cp := c.Complainant(d.ComplainantID); d.writes() {
			if d.Text != "" || d.Action != StatementHelp {
				cp.Statement = d.Text
			}
			cp.StatementOn, cp.StatementHelp = on, d.Action == StatementHelp
		}
	case *ReviewRequested:
		cp := c.Complainant(d.ComplainantID)
		cp.ReviewsOpen = append(cp.ReviewsOpen, d.Scheme)
		cp.ReviewsAsked = append(cp.ReviewsAsked, ReviewAsked{Scheme: d.Scheme, On: on})
	case *ReviewDecided:
		cp := c.Complainant(d.ComplainantID)
		if i := slices.Index(cp.ReviewsOpen, d.Scheme); i >= 0 {
			cp.ReviewsOpen = slices.Delete(cp.ReviewsOpen, i, i+1)
		}
	case *InformationRequested:
		cp := c.Complainant(d.ComplainantID)
		cp.Requests = append(cp.Requests, *d)
	case *InformationNoticeException:
		if d.Exception == NoticeNone {
			cp := c.Complainant(d.ComplainantID)
			cp.NoNotice = append(cp.NoNotice, d.RequestID)
		}
	case *SpecialMeasuresApplied:
		cp := c.Complainant(d.ComplainantID)
		cp.MeasuresApplied = union(cp.MeasuresApplied, d.Measures)
	case *SpecialMeasuresDecided:
		cp := c.Complainant(d.ComplainantID)
		cp.MeasuresGranted = union(cp.MeasuresGranted, d.Granted)
	case *NamedContactChanged:
		nc := *d
		c.Complainant(d.ComplainantID).Contact = &nc
	case *CallbackRequested:
		cp := c.Complainant(d.ComplainantID)
		cp.CallbackRequested, cp.CallbackWhen = on, d.When
	}
}

// remandOnCharge is where a defendant stands the moment they are charged.
func remandOnCharge(method string) string {
	switch method {
	case "custody":
		return "custody"
	case "bail":
		return "bail"
	default: // a postal requisition: summonsed to court, not held or bailed
		return "released"
	}
}

// awaitingTrial reports whether a defendant at stage s goes on trial when one starts.
func awaitingTrial(s string) bool { return s == StageCrownCourt || s == StageRetrial }

// mustWhen parses a time that validation has already checked.
func mustWhen(s string) When {
	w, _ := ParseWhen(s)
	return w
}

// union appends the members of b not already in a.
func union(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}
