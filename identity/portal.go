package identity

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"time"

	"throughline"
)

// The victim portal's sign-in: a complainant names their case reference and
// receives a one-time code on a channel staff recorded with them (their
// contact preferences: email or text). Codes last ten minutes and work once,
// and only the newest works: asking again ends the earlier ones. Requests
// are counted per address, and per reference, except from a browser that
// has signed in to the reference before, which has a limit of its own
// (PortalDeviceToken); wrong codes per address only,
// so that nobody who knows a reference can lock its victim out. Instead,
// portalGuessesPerCode wrong codes against a reference end its live codes
// (the victim asks for a new one), which bounds the guesses at any one
// code. The counts are in the store, so every serve process shares them.
// Nothing says whether a reference exists: the same answer, the same
// limits, the same work and (PortalFloor) the same time for every one.

const (
	PortalCodeTTL     = 10 * time.Minute
	PortalSessionIdle = 30 * time.Minute
	PortalSessionMax  = 4 * time.Hour
	portalWindow      = time.Hour
	portalSendsPerRef = 5  // code requests per reference per hour
	portalSendsPerIP  = 20 // code requests per address per hour
	// portalSendsPerStaff codes a member of staff may have sent to victims
	// per hour (PortalCodeFor).
	portalSendsPerStaff = 20
	portalFailsPerIP    = 30 // wrong codes per address per hour
	// portalGuessesPerCode wrong codes against a reference, from anywhere,
	// end its live codes: at most this many guesses at any one code.
	portalGuessesPerCode = 5
	// DefaultPortalFloor: see Service.PortalFloor.
	DefaultPortalFloor = 250 * time.Millisecond
)

// floor waits until at least d has passed since start.
func floor(start time.Time, d time.Duration) {
	if rest := d - time.Since(start); rest > 0 {
		time.Sleep(rest)
	}
}

func codeHash(ref, complainant, code string) []byte {
	h := sha256.Sum256([]byte("portal-code|" + ref + "|" + complainant + "|" + code))
	return h[:]
}

func sixDigits() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// PortalIssueCodes makes a code for each complainant of case ref who has an
// email address or mobile number among their chosen channels (the first
// such channel), and returns them to send. An unknown reference returns
// none, and no error: the caller answers the same either way. device is
// the browser's device token (PortalDeviceToken), or "": a browser that has
// signed in to ref before asks within its own limit, which nobody else can
// use up; every other request shares the reference's.
// Errors: throughline.ErrPortalLimited.
func (s *Service) PortalIssueCodes(ctx context.Context, ref, addr, device string) ([]throughline.PortalCode, error) {
	defer floor(time.Now(), s.PortalFloor)
	now := s.now()
	limits := []throughline.AttemptLimit{{Key: "send:ref:" + ref, Max: portalSendsPerRef}, {Key: "send:ip:" + addr, Max: portalSendsPerIP}}
	known, err := s.portalDevice(ctx, ref, device)
	if err != nil {
		return nil, err
	}
	if known != "" {
		limits[0] = throughline.AttemptLimit{Key: "send:device:" + known, Max: portalSendsPerRef}
	}
	var out []throughline.PortalCode
	err = s.store.IssuePortalCodes(ctx, ref, limits, now.Add(-portalWindow), now, func(complainants []throughline.Complainant) ([]throughline.PortalCodeHash, error) {
		var hashes []throughline.PortalCodeHash
		var err error
		if hashes, out, err = newCodes(ref, complainants, now); err != nil {
			return nil, err
		}
		if len(hashes) == 0 {
			// The same work for a reference with nobody to send to, or
			// none at all: a code made and stored that nothing can match.
			decoy, err := sixDigits()
			if err != nil {
				return nil, err
			}
			h := sha256.Sum256([]byte("portal-decoy|" + ref + "|" + decoy + "|" + now.String()))
			hashes = append(hashes, throughline.PortalCodeHash{Complainant: "", Hash: h[:], Expires: now.Add(PortalCodeTTL)})
		}
		return hashes, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// newCodes makes a code for each complainant with an address for codes:
// the hashes to store and the codes to send.
func newCodes(ref string, complainants []throughline.Complainant, now time.Time) ([]throughline.PortalCodeHash, []throughline.PortalCode, error) {
	var hashes []throughline.PortalCodeHash
	var out []throughline.PortalCode
	for _, cp := range complainants {
		ch, to := cp.Preferences.CodeAddress()
		if to == "" {
			continue
		}
		code, err := sixDigits()
		if err != nil {
			return nil, nil, err
		}
		hashes = append(hashes, throughline.PortalCodeHash{Complainant: cp.ID, Hash: codeHash(ref, cp.ID, code), Expires: now.Add(PortalCodeTTL)})
		lang := "en"
		if cp.Language == "cy" {
			lang = "cy"
		}
		out = append(out, throughline.PortalCode{Complainant: cp.ID, Channel: ch, To: to, Lang: lang, Code: code})
	}
	return hashes, out, nil
}

// PortalCodeFor makes a code for complainant of case ref at the request of
// a member of staff (staffID), for when she cannot get one herself: the
// reference's shared limit on requests from browsers that have not signed
// in to it can be used up by anyone who knows the reference, and a victim
// on a new phone would then wait an hour. Her Witness Care officer's
// request does not count against that limit: it has limits of its own, per
// member of staff and per complainant, so that nobody can flood her with
// codes this way either. The code goes only to her address for codes,
// never to the member of staff. Errors: throughline.ErrPortalLimited;
// EINVALID when she has no address for codes.
func (s *Service) PortalCodeFor(ctx context.Context, ref, complainant, staffID string) (throughline.PortalCode, error) {
	now := s.now()
	limits := []throughline.AttemptLimit{
		{Key: "send:staff:" + staffID, Max: portalSendsPerStaff},
		{Key: "send:complainant:" + ref + "|" + complainant, Max: portalSendsPerRef},
	}
	var out throughline.PortalCode
	err := s.store.IssuePortalCodes(ctx, ref, limits, now.Add(-portalWindow), now, func(complainants []throughline.Complainant) ([]throughline.PortalCodeHash, error) {
		for _, cp := range complainants {
			if cp.ID != complainant {
				continue
			}
			hashes, codes, err := newCodes(ref, []throughline.Complainant{cp}, now)
			if err != nil {
				return nil, err
			}
			if len(codes) == 0 {
				return nil, throughline.Errorf(throughline.EINVALID, "No email address or mobile phone number is recorded for her sign-in codes: record her contact preferences first.")
			}
			out = codes[0]
			return hashes, nil
		}
		return nil, throughline.Errorf(throughline.ENOTFOUND, "no complainant %s on case %s", complainant, ref)
	})
	return out, err
}

// A browser that has signed in to a case holds a device token for its
// reference: a random nonce and its HMAC under the installation secret
// "portal-device". It grants nothing but a limit of its own on code
// requests, so that someone who knows the reference and uses up the
// reference's shared limit does not stop the victim signing in from her
// own phone. Nobody can make one without signing in.
const portalDeviceSecret = "portal-device"

// PortalDeviceToken is a new device token for reference ref, to give the
// browser that has just signed in to it.
func (s *Service) PortalDeviceToken(ctx context.Context, ref string) (string, error) {
	nonce := make([]byte, 18)
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	n := base64.RawURLEncoding.EncodeToString(nonce)
	mac, err := s.deviceMAC(ctx, ref, n)
	if err != nil {
		return "", err
	}
	return n + "." + mac, nil
}

// portalDevice is the nonce of device if it is a good device token for
// ref, else "".
func (s *Service) portalDevice(ctx context.Context, ref, device string) (string, error) {
	n, mac, ok := strings.Cut(device, ".")
	if !ok || len(n) != 24 {
		return "", nil
	}
	want, err := s.deviceMAC(ctx, ref, n)
	if err != nil || !hmac.Equal([]byte(mac), []byte(want)) {
		return "", err
	}
	return n, nil
}

func (s *Service) deviceMAC(ctx context.Context, ref, nonce string) (string, error) {
	key, err := s.store.Secret(ctx, portalDeviceSecret, 32)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("portal-device|" + ref + "|" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

// PortalVerify checks a code for case ref and, if it is good, uses it up
// and opens a session, returning its token and the complainant.
// Errors: EUNAUTHORIZED for a wrong, used or expired code (which is
// counted); throughline.ErrPortalLimited.
func (s *Service) PortalVerify(ctx context.Context, ref, code, addr string) (token, complainant string, err error) {
	defer floor(time.Now(), s.PortalFloor)
	token, err = randomToken()
	if err != nil {
		return "", "", err
	}
	now := s.now()
	limits := []throughline.AttemptLimit{{Key: "fail:ip:" + addr, Max: portalFailsPerIP}}
	burn := throughline.AttemptLimit{Key: "guess:ref:" + ref, Max: portalGuessesPerCode}
	match := func(cid string, h []byte) bool {
		ok := subtle.ConstantTimeCompare(h, codeHash(ref, cid, code)) == 1
		return ok && cid != "" // a decoy never matches
	}
	complainant, err = s.store.RedeemPortalCode(ctx, ref, limits, burn, now.Add(-portalWindow), now, match, tokenHash(token))
	if err != nil {
		return "", "", err
	}
	if complainant == "" {
		return "", "", throughline.Errorf(throughline.EUNAUTHORIZED, "that code is not right, or it has expired")
	}
	return token, complainant, nil
}

// PortalSession returns the case and complainant of a live session and
// marks it seen. Errors: EUNAUTHORIZED when it is unknown or has expired
// (30 minutes idle, 4 hours in all).
func (s *Service) PortalSession(ctx context.Context, token string) (ref, complainant string, err error) {
	id := tokenHash(token)
	p, err := s.store.PortalSessionByHash(ctx, id)
	expired := throughline.Errorf(throughline.EUNAUTHORIZED, "please sign in again")
	if isCode(err, throughline.ENOTFOUND) {
		return "", "", expired
	}
	if err != nil {
		return "", "", err
	}
	now := s.now()
	if now.Sub(p.Created) > PortalSessionMax || now.Sub(p.Seen) > PortalSessionIdle {
		s.store.DeletePortalSession(ctx, id)
		return "", "", expired
	}
	if now.Sub(p.Seen) > time.Minute {
		s.store.TouchPortalSession(ctx, id, now)
	}
	return p.Ref, p.Complainant, nil
}

// PortalSignOut ends a session, and withdraws the complainant's calendar
// feed (its address changes): a feed found on a shared or seized device
// stops working once its owner signs out.
func (s *Service) PortalSignOut(ctx context.Context, token string) error {
	id := tokenHash(token)
	p, err := s.store.PortalSessionByHash(ctx, id)
	if err != nil && !isCode(err, throughline.ENOTFOUND) {
		return err
	}
	if err := s.store.DeletePortalSession(ctx, id); err != nil {
		return err
	}
	if err == nil {
		return s.PortalRotateFeed(ctx, p.Ref, p.Complainant)
	}
	return nil
}

// PortalFeedKey is the key of a complainant's calendar feed, made on
// first use. The feed's address is signed with it.
func (s *Service) PortalFeedKey(ctx context.Context, ref, complainant string) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	return s.store.FeedKeyRow(ctx, ref, complainant, fresh, s.now())
}

// PortalRotateFeed gives a complainant's calendar feed a new key: its old
// address stops working, and no other complainant's feed changes.
func (s *Service) PortalRotateFeed(ctx context.Context, ref, complainant string) error {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	return s.store.SaveFeedKeyRow(ctx, ref, complainant, key, s.now())
}

// A victim who changes where her codes and updates go proves the change:
// it takes effect only once a code is entered, sent to the new address, or
// for a removal or a switch among addresses already held, to where her
// codes go now (the portal decides which: proofFor). Anyone who borrows a
// signed-in phone for a moment cannot move the victim's codes and updates
// to themselves, nor take her addresses away.
const (
	contactCodesPerComplainant = 5 // codes sent per complainant per hour
	contactCodeAttempts        = 5 // wrong codes before the change must start again
)

func contactCodeHash(ref, complainant, channel, address, code string) []byte {
	h := sha256.Sum256([]byte("portal-contact|" + ref + "|" + complainant + "|" + channel + "|" + address + "|" + code))
	return h[:]
}

// PortalContactCode makes the code that proves a complainant's new
// address (channel "email" or "sms"), replacing any pending one, and
// returns it to send there. Errors: throughline.ErrPortalLimited.
func (s *Service) PortalContactCode(ctx context.Context, ref, complainant, channel, address string) (string, error) {
	code, err := sixDigits()
	if err != nil {
		return "", err
	}
	now := s.now()
	limits := []throughline.AttemptLimit{{Key: "contact:" + ref + ":" + complainant, Max: contactCodesPerComplainant}}
	err = s.store.SaveContactCode(ctx, ref, complainant, limits, now.Add(-portalWindow), now, contactCodeHash(ref, complainant, channel, address, code), now.Add(PortalCodeTTL))
	return code, err
}

// PortalConfirmContact checks the code sent to a complainant's new
// address: it works once, for that channel and address only, for ten
// minutes; five wrong tries end it. Errors: EUNAUTHORIZED.
func (s *Service) PortalConfirmContact(ctx context.Context, ref, complainant, channel, address, code string) error {
	want := contactCodeHash(ref, complainant, channel, address, code)
	ok, err := s.store.RedeemContactCode(ctx, ref, complainant, s.now(), contactCodeAttempts, func(h []byte) bool { return subtle.ConstantTimeCompare(h, want) == 1 })
	if err != nil {
		return err
	}
	if !ok {
		return throughline.Errorf(throughline.EUNAUTHORIZED, "that code is not right, or it has expired")
	}
	return nil
}
