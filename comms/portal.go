package comms

import (
	"time"

	"throughline"
)

// What the victim portal shows, in the complainant's language, from the
// same facts and words as the messages.

// StageWords says where the case is now, in plain words.
func StageWords(lang string, c *throughline.Case) string {
	var names []string
	return stageWords(lang, c, &names)
}

// Upcoming lists the hearings still listed from today on, earliest first,
// as a message states them.
func Upcoming(lang string, c *throughline.Case, now time.Time) []HearingFacts {
	var out []HearingFacts
	except := map[string]bool{}
	for {
		var h *throughline.Hearing
		for i := range c.Hearings {
			x := &c.Hearings[i]
			if except[x.ID] || x.Status != "listed" || x.StartsAt.Date().Before(throughline.At(now).Date()) {
				continue
			}
			if h == nil || x.StartsAt.Before(h.StartsAt) {
				h = x
			}
		}
		if h == nil {
			return out
		}
		except[h.ID] = true
		out = append(out, hearingFacts(lang, h))
	}
}
