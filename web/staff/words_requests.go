package staff

import (
	"fmt"
	"strings"

	"throughline"
	"throughline/web/page"
)

// describeRequestFlow describes the events of a victim information
// request's workflow (ADR 0400). The notes, reasons and views are sealed
// personal data: a view that withholds free text does not show them.
func describeRequestFlow(e throughline.Event, c *throughline.Case, n page.Names, withhold bool) (title, text string, lines []string, ok bool) {
	// A request is named by what it seeks, as the panel names it.
	req := func(comp, id string) string {
		if c != nil {
			if cp := c.Complainant(comp); cp != nil {
				if rq := cp.Request(id); rq != nil {
					return "the request for " + materialWord(rq.Material)
				}
			}
		}
		return "request " + id
	}
	sealed := func(label, s string) {
		if s != "" && !withhold {
			lines = append(lines, label+": "+s)
		}
	}
	switch d := e.Data.(type) {
	case *throughline.InformationRequestApproved:
		title = "Information request approved"
		text = fmt.Sprintf("A police supervisor approved %s about %s.", req(d.ComplainantID, d.RequestID), n.Of(d.ComplainantID))
		sealed("Why", d.Note)
	case *throughline.InformationNoticeExceptionApproved:
		title = "Exception to notice approved"
		text = fmt.Sprintf("A police supervisor approved the exception to notice to %s of %s.", n.Of(d.ComplainantID), req(d.ComplainantID, d.RequestID))
		sealed("Why", d.Note)
	case *throughline.InformationRequestSent:
		title = "Information request sent"
		text = fmt.Sprintf("The police sent %s about %s to the holder.", req(d.ComplainantID, d.RequestID), n.Of(d.ComplainantID))
	case *throughline.InformationRequestResponse:
		title = "Information request answered"
		if d.Result == "received" {
			text = fmt.Sprintf("The holder answered %s: they provided the information.", req(d.ComplainantID, d.RequestID))
		} else {
			text = fmt.Sprintf("The holder refused %s.", req(d.ComplainantID, d.RequestID))
		}
		sealed("Note", d.Note)
	case *throughline.InformationRequestWithdrawn:
		title = "Information request withdrawn"
		text = fmt.Sprintf("The police withdrew %s about %s.", req(d.ComplainantID, d.RequestID), n.Of(d.ComplainantID))
		sealed("Why", d.Reason)
	case *throughline.InformationRequestView:
		title = "Prosecutor's view of an information request"
		advice := map[string]string{"supported": "supports", "not_supported": "does not support"}[d.Advice]
		text = fmt.Sprintf("The prosecutor %s %s.", advice, req(d.ComplainantID, d.RequestID))
		sealed("View", d.View)
	case *throughline.MaterialDecision:
		what := strings.ToLower(enumWord(d.Material))
		switch d.Decision {
		case throughline.MaterialNotSought:
			title, text = "Decision not to seek material", fmt.Sprintf("It was decided not to seek %s about %s. The decision is kept under review.", what, n.Of(d.ComplainantID))
		case throughline.MaterialWithheld:
			title, text = "Decision to withhold material", fmt.Sprintf("It was decided to withhold %s about %s. The decision is kept under review.", what, n.Of(d.ComplainantID))
		default:
			title, text = "Decision about material revisited", fmt.Sprintf("The decision about %s about %s was revisited.", what, n.Of(d.ComplainantID))
		}
		if d.RequestID != "" {
			text += fmt.Sprintf(" It concerns %s.", req(d.ComplainantID, d.RequestID))
		}
		sealed("Why", d.Reason)
	default:
		return "", "", nil, false
	}
	return title, text, lines, true
}
