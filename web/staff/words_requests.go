package staff

import (
	"fmt"

	"throughline"
	"throughline/web/page"
)

// describeRequestFlow describes the events of a victim information
// request's workflow (ADR 0400). The notes, reasons and views are sealed
// personal data: a view that withholds free text does not show them.
func describeRequestFlow(e throughline.Event, n page.Names, withhold bool) (title, text string, lines []string, ok bool) {
	sealed := func(label, s string) {
		if s != "" && !withhold {
			lines = append(lines, label+": "+s)
		}
	}
	switch d := e.Data.(type) {
	case *throughline.InformationRequestApproved:
		title = "Information request approved"
		text = fmt.Sprintf("A police supervisor approved request %s for information about %s.", d.RequestID, n.Of(d.ComplainantID))
		sealed("Why", d.Note)
	case *throughline.InformationNoticeExceptionApproved:
		title = "Exception to notice approved"
		text = fmt.Sprintf("A police supervisor approved the exception to notice to %s of request %s.", n.Of(d.ComplainantID), d.RequestID)
		sealed("Why", d.Note)
	case *throughline.InformationRequestSent:
		title = "Information request sent"
		text = fmt.Sprintf("The police sent request %s for information about %s to the holder.", d.RequestID, n.Of(d.ComplainantID))
	case *throughline.InformationRequestResponse:
		title = "Information request answered"
		if d.Result == "received" {
			text = fmt.Sprintf("The holder provided the information sought by request %s.", d.RequestID)
		} else {
			text = fmt.Sprintf("The holder refused request %s.", d.RequestID)
		}
		sealed("Note", d.Note)
	case *throughline.InformationRequestWithdrawn:
		title = "Information request withdrawn"
		text = fmt.Sprintf("The police withdrew request %s for information about %s.", d.RequestID, n.Of(d.ComplainantID))
		sealed("Why", d.Reason)
	case *throughline.InformationRequestView:
		title = "Prosecutor's view of an information request"
		advice := map[string]string{"supported": "supports", "not_supported": "does not support"}[d.Advice]
		text = fmt.Sprintf("The prosecutor %s request %s.", advice, d.RequestID)
		sealed("View", d.View)
	default:
		return "", "", nil, false
	}
	return title, text, lines, true
}
