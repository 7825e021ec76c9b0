package throughline

// Decide and Apply for the joint police–CPS work: file quality, action
// items, disputes, designations and conferences.

// decideCollab checks an event of the collaboration family; ok is false
// for an event of another family.
func decideCollab(c *Case, e Event) (ok bool, err error) {
	switch d := e.Data.(type) {
	case *ActionPlanIssued:
		return true, newPlanID(c, d.PlanID)
	case *ActionItemCompleted:
		// A disputed item may still be done: the dispute falls away.
		_, _, err := openItem(c, d.PlanID, d.ItemID, e)
		return true, err
	case *ActionItemDisputed:
		p, it, err := openItem(c, d.PlanID, d.ItemID, e)
		switch {
		case err != nil:
			return true, err
		case it.Status() == ItemDisputed:
			return true, refuse("item %s of action plan %s is already disputed (since %s)", it.ItemID, p.ID, it.Disputed)
		case agencyKind(e) != "" && agencyKind(e) != it.Owner:
			return true, refuse("item %s of action plan %s is for the %s to do: only they dispute it", it.ItemID, p.ID, ownerWord(it.Owner))
		}
	case *ActionItemCancelled:
		p, _, err := openItem(c, d.PlanID, d.ItemID, e)
		if err != nil {
			return true, err
		}
		if k := agencyKind(e); k != "" && (p.IssuedBy == "police" || p.IssuedBy == "cps") && k != p.IssuedBy {
			return true, refuse("action plan %s was issued by the %s: only they cancel its items (or both agencies' supervisors, settling a dispute)", p.ID, ownerWord(p.IssuedBy))
		}
	case *ActionItemCommented:
		p := c.Plan(d.PlanID)
		if p == nil {
			return true, refuse("no action plan %s", d.PlanID)
		}
		if p.Item(d.ItemID) == nil {
			return true, refuse("action plan %s has no item %s", d.PlanID, d.ItemID)
		}
		return true, notBefore(e, "the plan was issued", p.Issued)
	case *FileQualityAssessed:
		s, err := suspect(c, d.SuspectID)
		switch {
		case err != nil:
			return true, err
		case s.FileSubmitted.IsZero():
			return true, refuse("no file has been submitted on suspect %s: there is nothing to assess", s.ID)
		case c.Assessment(d.AssessmentID) != nil:
			return true, refuse("file-quality assessment %s already exists", d.AssessmentID)
		}
		return true, notBefore(e, "the file was submitted", s.FileSubmitted)
	case *FileQualityAnswered:
		a := c.Assessment(d.AssessmentID)
		if a == nil {
			return true, refuse("no file-quality assessment %s", d.AssessmentID)
		}
		r := a.Reason(d.Reason)
		switch {
		case r == nil:
			return true, refuse("assessment %s gives no reason %s", a.ID, d.Reason)
		case r.Answer == "accepted":
			return true, refuse("reason %s of assessment %s was already accepted", d.Reason, a.ID)
		case r.Resolution.Settled():
			return true, refuse("the dispute over reason %s of assessment %s was settled on %s", d.Reason, a.ID, r.Resolution.SettledOn)
		case r.Answer == "disputed" && d.Answer == "disputed":
			return true, refuse("reason %s of assessment %s is already disputed", d.Reason, a.ID)
		}
		return true, notBefore(e, "the assessment", a.On)
	case *DisputeResolved:
		return true, decideResolution(c, e, d)
	case *CaseTeamChanged:
		if k := agencyKind(e); k != "" && k != TeamRoleAgency(d.Role) {
			return true, refuse("the %s is designated by the %s", teamRoleWord(d.Role), ownerWord(TeamRoleAgency(d.Role)))
		}
		if cur := c.Designated(d.Role); cur != nil && cur.Name == d.Name {
			return true, refuse("%s is already the %s", d.Name, teamRoleWord(d.Role))
		}
	case *CaseConferenceHeld:
		if c.Conference(d.ConferenceID) != nil {
			return true, refuse("case conference %s already exists", d.ConferenceID)
		}
		if len(d.Items) > 0 {
			return true, newPlanID(c, d.ConferenceID)
		}
	default:
		return false, nil
	}
	return true, nil
}

func newPlanID(c *Case, id string) error {
	if c.Plan(id) != nil {
		return refuse("action plan %s already exists", id)
	}
	return nil
}

// openItem finds an item that is neither done nor cancelled, and checks
// the event is not dated before its plan.
func openItem(c *Case, planID, itemID string, e Event) (*ActionPlan, *PlanItem, error) {
	p := c.Plan(planID)
	if p == nil {
		return nil, nil, refuse("no action plan %s", planID)
	}
	it := p.Item(itemID)
	switch {
	case it == nil:
		return nil, nil, refuse("action plan %s has no item %s", planID, itemID)
	case it.Status() == ItemDone:
		return nil, nil, refuse("item %s of action plan %s was already completed on %s", itemID, planID, it.Completed)
	case it.Status() == ItemCancelled:
		return nil, nil, refuse("item %s of action plan %s was cancelled on %s", itemID, planID, it.Cancelled)
	}
	return p, it, notBefore(e, "the plan was issued", p.Issued)
}

// decideResolution: a side (the recording agency: police or CPS) records
// its outcome on a dispute that is open.
func decideResolution(c *Case, e Event, d *DisputeResolved) error {
	side := agencyKind(e)
	if side != "police" && side != "cps" {
		return refuse("a dispute is settled by a police supervisor and a CPS manager together: each records their outcome from their own account")
	}
	var res *Resolution
	var since When
	if d.AssessmentID != "" {
		a := c.Assessment(d.AssessmentID)
		if a == nil {
			return refuse("no file-quality assessment %s", d.AssessmentID)
		}
		r := a.Reason(d.Reason)
		if r == nil || r.Status() != ReasonDisputed {
			return refuse("reason %s of assessment %s is not in dispute", d.Reason, d.AssessmentID)
		}
		res, since = r.Resolution, r.AnsweredOn
	} else {
		p, it, err := openItem(c, d.PlanID, d.ItemID, e)
		if err != nil {
			return err
		}
		if it.Status() != ItemDisputed {
			return refuse("item %s of action plan %s is not in dispute", it.ItemID, p.ID)
		}
		res, since = it.Resolution, it.Disputed
	}
	if err := notBefore(e, "the dispute was raised", since); err != nil {
		return err
	}
	if res != nil && ((side == "police" && res.Police == d.Outcome) || (side == "cps" && res.CPS == d.Outcome)) {
		return refuse("the %s side has already recorded %s: the other side's supervisor must now record theirs", ownerWord(side), d.Outcome)
	}
	return nil
}

// applyCollab folds an event of the collaboration family; false for an
// event of another family.
func (c *Case) applyCollab(e Event) bool {
	on := e.OccurredAt
	switch d := e.Data.(type) {
	case *ActionPlanIssued:
		p := ActionPlan{ID: d.PlanID, Issued: on, IssuedBy: agencyKind(e)}
		for _, it := range d.Items {
			p.Items = append(p.Items, PlanItem{ActionItem: it})
		}
		c.Plans = append(c.Plans, p)
	case *ActionItemCompleted:
		c.Plan(d.PlanID).Item(d.ItemID).Completed = on
	case *ActionItemDisputed:
		it := c.Plan(d.PlanID).Item(d.ItemID)
		it.Disputed, it.DisputeReason, it.Resolution = on, d.Reason, nil
	case *ActionItemCancelled:
		it := c.Plan(d.PlanID).Item(d.ItemID)
		it.Cancelled, it.CancelReason = on, d.Reason
	case *ActionItemCommented:
		it := c.Plan(d.PlanID).Item(d.ItemID)
		it.Comments = append(it.Comments, ItemComment{On: on, Agency: e.Agency, Actor: e.Actor, Text: d.Comment})
	case *FileQualityAssessed:
		a := FileAssessment{ID: d.AssessmentID, SuspectID: d.SuspectID, On: on, Outcome: d.Outcome, Comment: d.Comment}
		for _, r := range d.Reasons {
			a.Reasons = append(a.Reasons, AssessedReason{QualityReason: r})
		}
		c.Assessments = append(c.Assessments, a)
	case *FileQualityAnswered:
		r := c.Assessment(d.AssessmentID).Reason(d.Reason)
		r.Answer, r.AnswerComment, r.AnsweredOn = d.Answer, d.Comment, on
	case *DisputeResolved:
		if d.AssessmentID != "" {
			r := c.Assessment(d.AssessmentID).Reason(d.Reason)
			if r.Resolution == nil {
				r.Resolution = &Resolution{}
			}
			r.Resolution.record(agencyKind(e), d.Outcome, d.Note, on)
			break
		}
		it := c.Plan(d.PlanID).Item(d.ItemID)
		if it.Resolution == nil {
			it.Resolution = &Resolution{}
		}
		it.Resolution.record(agencyKind(e), d.Outcome, d.Note, on)
		if it.Resolution.Outcome == "withdrawn" {
			it.Cancelled, it.CancelReason = on, "Withdrawn when the dispute was settled: "+d.Note
		}
	case *CaseTeamChanged:
		des := Designation{Role: d.Role, Name: d.Name, Phone: d.Phone, Email: d.Email, Since: on, Handover: d.Handover}
		if cur := c.Designated(d.Role); cur != nil {
			c.handOverContacts(cur.Name, des)
			*cur = des
		} else {
			c.Team = append(c.Team, des)
		}
	case *CaseConferenceHeld:
		c.Conferences = append(c.Conferences, Conference{ID: d.ConferenceID, On: on, Attendees: d.Attendees, Decisions: d.Decisions})
		if len(d.Items) > 0 {
			p := ActionPlan{ID: d.ConferenceID, Issued: on, IssuedBy: "conference"}
			for _, it := range d.Items {
				p.Items = append(p.Items, PlanItem{ActionItem: it})
			}
			c.Plans = append(c.Plans, p)
		}
	default:
		return false
	}
	return true
}

// Conference returns the case conference with id, or nil.
func (c *Case) Conference(id string) *Conference {
	for i := range c.Conferences {
		if c.Conferences[i].ID == id {
			return &c.Conferences[i]
		}
	}
	return nil
}

func ownerWord(kind string) string {
	switch kind {
	case "police":
		return "police"
	case "cps":
		return "CPS"
	case "wcu":
		return "Witness Care Unit"
	}
	return kind
}

func teamRoleWord(role string) string {
	switch role {
	case "officer_in_case":
		return "officer in the case"
	case "reviewing_prosecutor":
		return "reviewing prosecutor"
	case "witness_care_officer":
		return "Witness Care officer"
	case DisclosureOfficer:
		return "disclosure officer"
	}
	return role
}

// handOverContacts makes the new holder of a role the named contact of
// every complainant whose contact was the person they replace: one voice,
// so the victim hears of the change once, from the record (comms owes her
// the "new contact" message).
func (c *Case) handOverContacts(previous string, des Designation) {
	team := Agency{Kind: TeamRoleAgency(des.Role), ID: c.Force}
	if team.Kind == "cps" {
		team.ID = c.CPSArea
	}
	for i := range c.Complainants {
		cp := &c.Complainants[i]
		if cp.Contact != nil && cp.Contact.Name == previous {
			cp.Contact = &NamedContactChanged{ComplainantID: cp.ID, Name: des.Name, Team: team.Name(), Phone: des.Phone, Email: des.Email}
		}
	}
}

// ContactHandedOver reports whether the complainant's named contact is the
// holder of a designation changed by d: whether she is owed the news of her
// new contact.
func ContactHandedOver(cp Complainant, d *CaseTeamChanged) bool {
	return cp.Contact != nil && cp.Contact.Name == d.Name
}
