package portal

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"

	"throughline"
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
