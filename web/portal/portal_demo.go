package portal

import (
	"net/http"
	"strings"

	"throughline/notify"
)

// Demo is what a demonstration adds to the portal (serve --demo with no
// SMTP or Notify configured): the outbox page, where the codes and
// messages "sent" to demo victims can be read, and the case a reviewer can
// sign in to as its victim. Never set in a real deployment.
type Demo struct {
	Outbox *notify.DemoOutbox
	// Victim is the reference of a demo case to sign in to.
	Victim string
}

type demoView struct {
	Victim   string
	Messages []demoMessage
}

type demoMessage struct {
	Channel, To, Subject string
	Lines                []string
}

// DemoOutbox shows what the demo outbox holds, newest first, clearly
// marked as a demonstration.
func (s *Portal) DemoOutbox(w http.ResponseWriter, r *http.Request) {
	lang := portalLang(w, r, "")
	v := &demoView{Victim: s.Demo.Victim}
	for _, m := range s.Demo.Outbox.Messages() {
		v.Messages = append(v.Messages, demoMessage{Channel: portalText[lang]["by_"+m.Channel], To: strings.ReplaceAll(m.To, "\n", ", "), Subject: m.Subject, Lines: nonEmpty(strings.Split(m.Body, "\n"))})
	}
	s.portalRender(w, r, http.StatusOK, lang, "demo_outbox", portalView{Demo: v})
}
