package throughline

// Predicates over the one policy, Can, for what a screen offers before any
// case is chosen: the navigation, the route guard of pages and API calls
// that are about cases but name none, the link to ask for emergency access.
// They ask Can; they never compare roles themselves.

// OwnScope is a case scope of u's own agency (their force, or their CPS
// area), for asking the policy about "a case of my own agency"; for a force,
// with a reference of the force's own numbering (no real case's).
func OwnScope(u User) CaseScope {
	a, err := ParseAgency(u.Agency)
	if err != nil {
		return CaseScope{}
	}
	switch a.Kind {
	case "police", "wcu":
		return CaseScope{Ref: a.ID + "*", Force: a.ID}
	case "cps":
		return CaseScope{CPSArea: a.ID}
	}
	return CaseScope{}
}

// InOwnScope reports whether the case of scope c belongs to u's own agency:
// the force for the police and Witness Care, the area for the CPS.
func InOwnScope(u User, c CaseScope) bool {
	a, err := ParseAgency(u.Agency)
	return err == nil && inScope(a, &c)
}

// someCase tries the policy on a case of u's own agency and on one of
// another, in each way one can stand to a case, and reports whether any
// decision satisfies ok.
func someCase(u User, action string, ok func(Decision) bool) bool {
	if !IsCaseAction(action) {
		return ok(Can(u, action, nil, Relation{}))
	}
	scopes := []CaseScope{OwnScope(u), {}}
	rels := []Relation{{}, {OnTeam: true, Consented: []string{"*"}}, {BreakGlass: "*"}}
	for _, sc := range scopes {
		for _, rel := range rels {
			if ok(Can(u, action, &sc, rel)) {
				return true
			}
		}
	}
	return false
}

// CanSome reports whether u may take action at all: on some case, for an
// action about one case, or at all for the others.
func CanSome(u User, action string) bool {
	return someCase(u, action, func(d Decision) bool { return d.Allowed })
}

// MaySeePart reports whether there is a case of which u may read part p
// (for example the casework: deadlines, messages, tasks).
func MaySeePart(u User, p string) bool {
	return someCase(u, ActionReadCase, func(d Decision) bool { return d.Has(p) })
}

// SeesOwnAgency reports whether u reads the cases of their own agency
// without being on their team (a police supervisor their force's).
func SeesOwnAgency(u User) bool {
	sc := OwnScope(u)
	return Can(u, ActionReadCase, &sc, Relation{}).Allowed
}
