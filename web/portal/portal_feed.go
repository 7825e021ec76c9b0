package portal

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/comms"
)

// feedStore is what the calendar feed need from storage.
type feedStore interface {
	Case(ctx context.Context, ref string) (*throughline.Case, error)
	Secret(ctx context.Context, name string, n int) ([]byte, error)
	PortalFeedKey(ctx context.Context, ref, complainant string) ([]byte, error)
	PortalRotateFeed(ctx context.Context, ref, complainant string) error
}

// A victim can subscribe their calendar to their court dates: the feed's
// address carries a token, an HMAC of the case, the complainant and the
// complainant's own feed key under an installation secret, so a calendar
// app fetches it without signing in and the dates stay current as hearings
// are listed or moved. Anyone holding the address sees the dates, as with
// any calendar subscription; the portal says so. The victim withdraws
// their feed (a new key, a new address) by asking for a new link or by
// signing out; rotating the installation secret ("calendar-feed")
// withdraws every feed.

const feedSecret = "calendar-feed"

// feedToken is the token of a complainant's calendar feed.
func (s *Portal) feedToken(ctx context.Context, ref, complainant string) (string, error) {
	key, err := s.Store.Secret(ctx, feedSecret, 32)
	if err != nil {
		return "", err
	}
	own, err := s.Store.PortalFeedKey(ctx, ref, complainant)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(ref + "\n" + complainant + "\n"))
	m.Write(own)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24]), nil
}

// feedURL is the address of a complainant's calendar feed.
func (s *Portal) feedURL(ctx context.Context, ref, complainant string) (string, error) {
	tok, err := s.feedToken(ctx, ref, complainant)
	if err != nil {
		return "", err
	}
	return "/victim/feed.ics?" + url.Values{"c": {ref}, "p": {complainant}, "t": {tok}}.Encode(), nil
}

// Feed: GET /victim/feed.ics?c=REF&p=COMPLAINANT&t=TOKEN. Any fault in
// the token answers 404, as for a case that does not exist.
func (s *Portal) Feed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ref, complainant := q.Get("c"), q.Get("p")
	if ref == "" || complainant == "" || !throughline.ValidReference(ref) || len(complainant) > 64 {
		http.NotFound(w, r)
		return
	}
	want, err := s.feedToken(r.Context(), ref, complainant)
	if err != nil {
		s.Fail(w, r, fmt.Errorf("calendar feed: %w", err))
		return
	}
	if ref == "" || !hmac.Equal([]byte(q.Get("t")), []byte(want)) {
		http.NotFound(w, r)
		return
	}
	c, err := s.Store.Case(r.Context(), ref)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	cp := c.Complainant(complainant)
	if cp == nil {
		http.NotFound(w, r)
		return
	}
	lang := cp.Language
	if lang != "cy" {
		lang = "en"
	}
	s.Calendar(w, r, c, cp, lang)
}

// NewFeed gives the signed-in victim's calendar feed a new address: the
// old one stops working.
func (s *Portal) NewFeed(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	if err := s.Store.PortalRotateFeed(r.Context(), c.Ref, cp.ID); err != nil {
		s.Fail(w, r, fmt.Errorf("calendar feed: %w", err))
		return
	}
	s.portalCasePage(w, r, c, cp, lang, portalText[lang]["feed_renewed"])
}

// Calendar: the dates to come as an iCalendar object (RFC 5545), for the
// download (/victim/calendar.ics) and the feed alike.
//
//   - A hearing with a time is an event at that time in the court's clock
//     (DTSTART;TZID=Europe/London, two hours); one recorded as a date only
//     is an all-day event.
//   - A trial on a warned list has no fixed day: it could start on any
//     day of the week. It is an all-day event over that week, Monday to
//     Friday, free rather than busy, with a description saying the day and
//     time are not fixed, as the letters say it; never a 10am appointment.
//   - The calendar always holds the VTIMEZONE of Europe/London, which the
//     timed events refer to. So when there are no dates to come it is
//     still a valid calendar (the grammar needs at least one component),
//     and shows nothing: a subscribed calendar app keeps its subscription
//     and no made-up "no dates" event appears in the victim's calendar,
//     where anyone glancing at their phone would see it. The calendar's
//     description (X-WR-CALDESC) says there are no dates yet.
//   - UID is stable for a hearing (a hash of case and hearing, so the case
//     reference is not copied into calendar apps); SEQUENCE counts the
//     times the hearing was moved; DTSTAMP is when this copy was made.
func (s *Portal) Calendar(w http.ResponseWriter, r *http.Request, c *throughline.Case, cp *throughline.Complainant, lang string) {
	dir, err := comms.LoadDirectory(r.Context(), s.Store, c.Ref)
	if err != nil {
		s.Fail(w, r, fmt.Errorf("calendar: %w", err))
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="court-dates.ics"`)
	w.Write([]byte(calendarICS(c, lang, s.Now(), dir)))
}

var calendarText = map[string]map[string]string{
	"en": {
		"name":    "Court dates",
		"desc":    "The court dates in your case.",
		"none":    "There are no court dates in your case yet. They will appear here when the court sets them.",
		"warned":  "The court has put it in a warned list for the week starting %s. This means it could start on any day that week. The day and time are not fixed yet. We will tell you the day as soon as the court tells us.",
		"summary": "%s (warned list: day not fixed)",
	},
	"cy": {
		"name":    "Dyddiadau llys",
		"desc":    "Y dyddiadau llys yn eich achos.",
		"none":    "Does dim dyddiadau llys yn eich achos eto. Byddant yn ymddangos yma pan fydd y llys yn eu pennu.",
		"warned":  "Mae'r llys wedi ei roi ar restr rybudd ar gyfer yr wythnos sy'n dechrau %s. Mae hyn yn golygu y gallai ddechrau ar unrhyw ddiwrnod yr wythnos honno. Nid yw'r diwrnod na'r amser wedi'u pennu eto. Byddwn yn dweud pa ddiwrnod wrthych cyn gynted ag y bydd y llys yn dweud wrthym.",
		"summary": "%s (rhestr rybudd: diwrnod heb ei bennu)",
	},
}

// londonTZ is Europe/London since 1996 (EU summer time rules), which every
// timed event refers to.
var londonTZ = []string{
	"BEGIN:VTIMEZONE", "TZID:Europe/London",
	"BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST",
	"DTSTART:19810329T010000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
	"BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT",
	"DTSTART:19961027T020000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
	"END:VTIMEZONE",
}

// calendarICS is the calendar of a case's dates to come, in language lang,
// as at now, each at its court and, where the directory holds it, the
// court's address.
func calendarICS(c *throughline.Case, lang string, now time.Time, dir comms.Directory) string {
	t := calendarText[lang]
	if t == nil {
		t = calendarText["en"]
	}
	moves := map[string]int{}
	for _, h := range c.Hearings {
		moves[h.ID] = h.Moves
	}
	dates := dir.WithAddresses(comms.Upcoming(lang, c, now))
	var w icsWriter
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", "-//Throughline//Victim portal//EN")
	w.line("CALSCALE", "GREGORIAN")
	w.text("X-WR-CALNAME", t["name"])
	if len(dates) == 0 {
		w.text("X-WR-CALDESC", t["none"])
	} else {
		w.text("X-WR-CALDESC", t["desc"])
	}
	w.line("X-WR-TIMEZONE", "Europe/London")
	for _, l := range londonTZ {
		name, value, _ := strings.Cut(l, ":")
		w.line(name, value)
	}
	stamp := now.UTC().Format("20060102T150405Z")
	for _, h := range dates {
		uid := sha256.Sum256([]byte(c.Ref + "\n" + h.ID))
		start := h.Start.In(throughline.London)
		w.line("BEGIN", "VEVENT")
		w.line("UID", hex.EncodeToString(uid[:16])+"@throughline")
		w.line("DTSTAMP", stamp)
		w.line("SEQUENCE", strconv.Itoa(moves[h.ID]))
		switch {
		case h.Listing == "warned":
			monday := start.AddDate(0, 0, -((int(start.Weekday()) + 6) % 7))
			w.line("DTSTART;VALUE=DATE", monday.Format("20060102"))
			w.line("DTEND;VALUE=DATE", monday.AddDate(0, 0, 5).Format("20060102"))
			w.line("TRANSP", "TRANSPARENT")
			w.text("SUMMARY", fmt.Sprintf(t["summary"], h.What))
			w.text("DESCRIPTION", fmt.Sprintf(t["warned"], h.WeekOf))
		case h.DateOnly:
			w.line("DTSTART;VALUE=DATE", start.Format("20060102"))
			w.line("DTEND;VALUE=DATE", start.AddDate(0, 0, 1).Format("20060102"))
			w.text("SUMMARY", h.What)
		default:
			w.line("DTSTART;TZID=Europe/London", start.Format("20060102T150405"))
			w.line("DURATION", "PT2H")
			w.text("SUMMARY", h.What)
		}
		if h.Address != "" {
			w.text("LOCATION", h.Court+", "+h.Address)
		} else {
			w.text("LOCATION", h.Court)
		}
		w.line("END", "VEVENT")
	}
	w.line("END", "VCALENDAR")
	return w.String()
}
