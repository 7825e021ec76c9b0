package page

import (
	"net/http"
	"net/url"
	"time"

	"throughline"
)

// Proven reports whether the user proved who they are (password and code,
// or their identity provider) within throughline.ReauthWithin of now. A
// break-glass, approving an addition to a case team and every change an
// administrator makes to who may do what ask for it (ASVS 5.0 V7.5): a
// session left open on a desk is not enough.
func (rq *Request) Proven(now time.Time) bool {
	return now.Sub(rq.AuthAt) <= throughline.ReauthWithin
}

// Reauth sends the browser to prove who they are, then on to next (a page
// of this site: it goes through SafeNext there). Nothing has changed.
func Reauth(w http.ResponseWriter, r *http.Request, next string) {
	http.Redirect(w, r, "/reauth?next="+url.QueryEscape(next), http.StatusSeeOther)
}
