package throughline

// Actions a user may take on a case.
const (
	ActionReadCase   = "read_case"
	ActionListCases  = "list_cases"
	ActionAppend     = "append_event"
	ActionOpenCase   = "open_case"
	ActionReadEvents = "read_events"
)

// Can decides whether u may take action on case c (nil for actions not about
// one case). It is the one policy function: the API and every page ask it.
// Deny by default. Until case teams exist, need-to-know is the agency's
// scope: police and Witness Care see their force's cases, the CPS its area's,
// the inspectorate every case read-only; administrators see no case data,
// and ISVAs see a case only through a victim's recorded consent (not yet
// recordable, so never).
func Can(u User, action string, c *Case) bool {
	if u.Disabled {
		return false
	}
	a, err := ParseAgency(u.Agency)
	if err != nil {
		return false
	}
	inScope := func() bool {
		if c == nil {
			return false
		}
		switch a.Kind {
		case "police", "wcu":
			return c.Force == a.ID
		case "cps":
			return c.CPSArea == a.ID
		case "inspectorate":
			return true
		}
		return false
	}
	switch u.Role {
	case RoleAdmin, RoleISVA:
		return false
	case RoleInspector:
		switch action {
		case ActionListCases:
			return true
		case ActionReadCase, ActionReadEvents:
			return inScope()
		}
		return false
	}
	switch action {
	case ActionListCases:
		return true
	case ActionOpenCase:
		return u.Role == RoleOfficer || u.Role == RolePoliceSupervisor
	case ActionReadCase, ActionReadEvents, ActionAppend:
		return inScope()
	}
	return false
}
