package admin

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/web/page"
)

// The administrator's today page (issue 12): what needs an administrator
// now, from what Throughline holds. An administrator sees no case data
// (access.go), so every list is about accounts, case teams by reference
// and member, and the system's own health in counts and times.

// todayStore is what the page needs from storage and identity.
type todayStore interface {
	Accounts(ctx context.Context) ([]throughline.Account, error)
	Locked(ctx context.Context, accts []throughline.Account) ([]throughline.Account, error)
	WaitingCaseMemberRequests(ctx context.Context) ([]throughline.CaseMemberRequest, error)
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
	OutboxBacklog(ctx context.Context) (queued int, oldest time.Time, failed map[string]int, err error)
	FailedByOwner(ctx context.Context) (map[string]int, error)
	LatestCheckpoint(ctx context.Context) (time.Time, bool, error)
}

// Today serves the administrator's today page.
type Today struct {
	*page.Base
	Store todayStore
}

// When the system's work is late: the thresholds of the alerts in
// docs/operations.md ("Alerts and what to do").
const (
	outboxLate     = 30 * time.Minute // messages to victims are waiting
	checkpointLate = 15 * time.Minute // three of serve's default 5-minute intervals
)

// AdminToday: GET /admin/today.
func (s *Today) AdminToday(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ctx := r.Context()
	now := s.Now()
	accts, err := s.Store.Accounts(ctx)
	if err != nil {
		return err
	}
	locked, err := s.Store.Locked(ctx, accts)
	if err != nil {
		return err
	}
	reqs, err := s.Store.WaitingCaseMemberRequests(ctx)
	if err != nil {
		return err
	}
	system, err := s.system(ctx, now)
	if err != nil {
		return err
	}
	teams, err := s.teamRequests(ctx, reqs, now)
	if err != nil {
		return err
	}
	p := page.WorkList{Layout: page.NewLayout(rq, "Today", "today"), Heading: "Today",
		Intro: "What needs an administrator on " + throughline.At(now).Date().Format("Monday 2 January 2006") + "."}
	p.Lists = []page.WorkTable{lockedList(locked), setUpList(accts), teams, system}
	s.Render(w, r, http.StatusOK, "worklist", p)
	return nil
}

// userCells are a user's name, linked to their page, role and organisation.
func userCells(a throughline.Account) []page.TableCell {
	return []page.TableCell{{Text: a.Name, Href: "/admin/users/" + url.PathEscape(a.ID)}, {Text: throughline.RoleName(a.Role)}, {Text: page.AgencyName(a.Agency)}}
}

// lockedList lists the users who cannot sign in now because of too many
// failed attempts: they call the administrator, who checks who is calling
// before lifting the lock on the user's page.
func lockedList(locked []throughline.Account) page.WorkTable {
	t := page.Table{Caption: "Sign-ins locked", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Name"}, {Text: "Role"}, {Text: "Organisation"}, {Text: "Action"}}}
	for _, a := range locked {
		t.Rows = append(t.Rows, append(userCells(a), page.TableCell{Text: "Unlock their sign-in", Href: "/admin/users/" + url.PathEscape(a.ID)}))
	}
	return page.WorkTable{Heading: "Sign-ins locked after failed attempts", Table: t,
		More:  "A lock lifts by itself " + strconv.Itoa(int(throughline.SignInWindow.Minutes())) + " minutes after the last failed attempt. Lift it sooner only once you know who is asking.",
		Empty: "No one is locked out."}
}

// setUpList lists the active users who have a sign-in name but cannot
// finish signing in yet: no password, or no authenticator app (new, or
// reset). Organisation sign-in needs neither.
func setUpList(accts []throughline.Account) page.WorkTable {
	t := page.Table{Caption: "Accounts not set up", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Name"}, {Text: "Role"}, {Text: "Organisation"}, {Text: "Waiting for"}}}
	for _, a := range accts {
		if a.Disabled || a.Login == "" || a.OIDCSubject != "" {
			continue
		}
		var waits string
		switch {
		case !a.HasPassword:
			waits = "A password from you"
		case !a.TOTPEnrolled:
			waits = "Them to set up their authenticator app when they sign in"
		default:
			continue
		}
		t.Rows = append(t.Rows, append(userCells(a), page.TableCell{Text: waits}))
	}
	return page.WorkTable{Heading: "Accounts not set up yet", Table: t, Empty: "Every active account can sign in."}
}

// teamRequests lists the additions to case teams waiting for a second
// person of the case's agency, oldest first: an administrator cannot
// approve them (access.go), but sees who is waiting for access and for
// how long, and can withdraw a request on the case's team page.
func (s *Today) teamRequests(ctx context.Context, qs []throughline.CaseMemberRequest, now time.Time) (page.WorkTable, error) {
	var by []string
	for _, q := range qs {
		by = append(by, q.RequestedBy)
	}
	names, err := s.Store.UserNames(ctx, by)
	if err != nil {
		return page.WorkTable{}, err
	}
	qs = slices.Clone(qs)
	slices.SortStableFunc(qs, func(a, b throughline.CaseMemberRequest) int { return a.RequestedAt.Compare(b.RequestedAt) })
	t := page.Table{Caption: "Case team requests waiting", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Case"}, {Text: "Member"}, {Text: "Organisation"}, {Text: "Asked by"}, {Text: "Days waiting", Format: "numeric"}}}
	for _, q := range qs {
		days := int(now.Sub(q.RequestedAt).Hours() / 24)
		t.Rows = append(t.Rows, []page.TableCell{{Text: q.CaseRef, Href: page.CaseURL(q.CaseRef, "team")}, {Text: q.Name}, {Text: page.AgencyName(q.Agency)}, {Text: names[q.RequestedBy]}, {Text: strconv.Itoa(days), Format: "numeric"}})
	}
	return page.WorkTable{Heading: "Case team requests waiting for a second person", Table: t,
		More:  "A supervisor or a caseworker on the case, of its own organisation, approves or refuses each one.",
		Empty: "No addition to a case team is waiting."}, nil
}

// failedOwners say where the messages that failed for good on a case are,
// by its owner (throughline.ActsOnFailed).
var failedOwners = []struct{ owner, where string }{
	{throughline.OwnerWitnessCare, "with Witness Care, on their Victim contact page"},
	{throughline.OwnerPolice, "with the officers on the case team, on their Today page"},
	{throughline.OwnerSupervisor, "with the police supervisors of the force (no one from Witness Care or the police on the case team), on their Victim contact page"},
	{"closed", "on closed cases, on no list"},
}

// system reports the work the system does on its own that an
// administrator should chase when it is late: messages to victims waiting
// or failed, and the signed checkpoints. Counts and times only.
func (s *Today) system(ctx context.Context, now time.Time) (page.WorkTable, error) {
	queued, oldest, _, err := s.Store.OutboxBacklog(ctx)
	if err != nil {
		return page.WorkTable{}, err
	}
	taken, any, err := s.Store.LatestCheckpoint(ctx)
	if err != nil {
		return page.WorkTable{}, err
	}
	ok := page.Tag{Text: "On time", Classes: "govuk-tag--green"}
	late := page.Tag{Text: "Late", Classes: "govuk-tag--red"}
	t := page.Table{Caption: "Messages and checkpoints", CaptionClasses: "govuk-visually-hidden", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "What"}, {Text: "Now"}, {Text: "Status"}, {Text: "Who deals with it"}}}
	waiting, status := "None waiting", ok
	if queued > 0 {
		waiting = strconv.Itoa(queued) + " waiting, the oldest since " + page.LondonTime(oldest)
		if now.Sub(oldest) > outboxLate {
			status = late
		}
	}
	t.Rows = append(t.Rows, []page.TableCell{{Text: "Messages to victims waiting to be sent"}, {Text: waiting}, {HTML: page.TagHTML(status)}, {Text: "Operations: the mail server or GOV.UK Notify"}})
	byOwner, err := s.Store.FailedByOwner(ctx)
	if err != nil {
		return page.WorkTable{}, err
	}
	var nFailed int
	var where []string
	for _, o := range failedOwners {
		if n := byOwner[o.owner]; n > 0 {
			nFailed += n
			where = append(where, strconv.Itoa(n)+" "+o.where)
		}
	}
	failedText, status, who := "None", ok, "Witness Care, the officers or the police supervisors of the case, as its team says"
	if nFailed > 0 {
		failedText, status, who = strconv.Itoa(nFailed)+" failed for good", page.Tag{Text: "To follow up", Classes: "govuk-tag--yellow"}, strings.Join(where, "; ")
	}
	t.Rows = append(t.Rows, []page.TableCell{{Text: "Messages to victims that could not be delivered"}, {Text: failedText}, {HTML: page.TagHTML(status)}, {Text: who}})
	seal, status := "None taken yet", late
	if any {
		seal = page.LondonTime(taken)
		if now.Sub(taken) <= checkpointLate {
			status = ok
		}
	}
	t.Rows = append(t.Rows, []page.TableCell{{Text: "Latest signed checkpoint of the record"}, {Text: seal}, {HTML: page.TagHTML(status)}, {Text: "Operations: the checkpoint key and the serve processes"}})
	return page.WorkTable{Heading: "Messages and checkpoints", Table: t, Empty: ""}, nil
}
