package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"time"

	"throughline"
)

// The victim portal's sign-in: a complainant names their case reference and
// receives a one-time code on a channel staff recorded with them (their
// contact preferences: email or text). Codes last ten minutes and work once;
// requests and failures are counted per reference and per address in the
// database, so every serve process shares the limits. Nothing says whether a
// reference exists: the same answer, and the same limits, for every one.

const (
	PortalCodeTTL     = 10 * time.Minute
	PortalSessionIdle = 30 * time.Minute
	PortalSessionMax  = 4 * time.Hour
	portalWindow      = time.Hour
	portalSendsPerRef = 5  // code requests per reference per hour
	portalSendsPerIP  = 20 // code requests per address per hour
	portalFailsPerRef = 10 // wrong codes per reference per hour
	portalFailsPerIP  = 30 // wrong codes per address per hour
)

// ErrPortalLimited is returned when a reference or address has asked too
// often: the caller must wait.
var ErrPortalLimited = throughline.Errorf(throughline.EFORBIDDEN, "too many attempts: wait an hour and try again")

// PortalCode is a code to send to a complainant.
type PortalCode struct {
	Complainant string
	Channel     string // email or sms
	To          string
	Lang        string
	Code        string
}

func codeHash(ref, complainant, code string) []byte {
	h := sha256.Sum256([]byte("portal-code|" + ref + "|" + complainant + "|" + code))
	return h[:]
}

func (s *Store) portalCount(ctx context.Context, tx *sql.Tx, key string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM portal_attempts WHERE key = ? AND at > ?`), key, ts(s.Now().Add(-portalWindow))).Scan(&n)
	return n, err
}

func (s *Store) portalNote(ctx context.Context, tx *sql.Tx, keys ...string) error {
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO portal_attempts (key, at) VALUES (?, ?)`), k, ts(s.Now())); err != nil {
			return err
		}
	}
	return nil
}

// PortalIssueCodes makes a code for each complainant of case ref who has an
// email address or mobile number among their chosen channels, and returns
// them to send. An unknown reference returns none, and no error: the caller
// answers the same either way. Errors: ErrPortalLimited.
func (s *Store) PortalIssueCodes(ctx context.Context, ref, addr string) ([]PortalCode, error) {
	var out []PortalCode
	err := s.write(ctx, func(tx *sql.Tx) error {
		out = nil
		for _, lim := range []struct {
			key string
			max int
		}{{"send:ref:" + ref, portalSendsPerRef}, {"send:ip:" + addr, portalSendsPerIP}} {
			n, err := s.portalCount(ctx, tx, lim.key)
			if err != nil {
				return err
			}
			if n >= lim.max {
				return ErrPortalLimited
			}
		}
		if err := s.portalNote(ctx, tx, "send:ref:"+ref, "send:ip:"+addr); err != nil {
			return err
		}
		c, _, _, err := s.loadForUpdate(ctx, tx, ref)
		if err != nil || c.Version == 0 {
			return err
		}
		for _, cp := range c.Complainants {
			p := cp.Preferences
			if p == nil {
				continue
			}
			for _, ch := range p.Channels {
				to := map[string]string{"email": p.Email, "sms": p.Mobile}[ch]
				if to == "" {
					continue
				}
				code, err := sixDigits()
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO portal_codes (case_ref, complainant_id, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
					ref, cp.ID, codeHash(ref, cp.ID, code), ts(s.Now()), ts(s.Now().Add(PortalCodeTTL))); err != nil {
					return err
				}
				lang := "en"
				if cp.Language == "cy" {
					lang = "cy"
				}
				out = append(out, PortalCode{Complainant: cp.ID, Channel: ch, To: to, Lang: lang, Code: code})
				break
			}
		}
		return nil
	})
	return out, err
}

func sixDigits() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// PortalVerify checks a code for case ref and, if it is good, uses it up
// and opens a session. Errors: EUNAUTHORIZED for a wrong, used or expired
// code (which is counted); ErrPortalLimited.
func (s *Store) PortalVerify(ctx context.Context, ref, code, addr string) (token, complainant string, err error) {
	wrong := throughline.Errorf(throughline.EUNAUTHORIZED, "that code is not right, or it has expired")
	err = s.write(ctx, func(tx *sql.Tx) error {
		for _, lim := range []struct {
			key string
			max int
		}{{"fail:ref:" + ref, portalFailsPerRef}, {"fail:ip:" + addr, portalFailsPerIP}} {
			n, err := s.portalCount(ctx, tx, lim.key)
			if err != nil {
				return err
			}
			if n >= lim.max {
				return ErrPortalLimited
			}
		}
		rows, err := tx.QueryContext(ctx, s.d.rebind(`SELECT id, complainant_id, code_hash FROM portal_codes WHERE case_ref = ? AND used_at IS NULL AND expires_at > ?`), ref, ts(s.Now()))
		if err != nil {
			return err
		}
		var id int64
		for rows.Next() {
			var rid int64
			var cid string
			var h []byte
			if err := rows.Scan(&rid, &cid, &h); err != nil {
				rows.Close()
				return err
			}
			if subtle.ConstantTimeCompare(h, codeHash(ref, cid, code)) == 1 {
				id, complainant = rid, cid
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if id == 0 {
			return s.portalNote(ctx, tx, "fail:ref:"+ref, "fail:ip:"+addr)
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE portal_codes SET used_at = ? WHERE id = ?`), ts(s.Now()), id); err != nil {
			return err
		}
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		token = base64.RawURLEncoding.EncodeToString(b)
		h := sha256.Sum256([]byte(token))
		_, err = tx.ExecContext(ctx, s.d.rebind(`INSERT INTO portal_sessions (id_hash, case_ref, complainant_id, created_at, seen_at) VALUES (?, ?, ?, ?, ?)`),
			h[:], ref, complainant, ts(s.Now()), ts(s.Now()))
		return err
	})
	if err == nil && token == "" {
		return "", "", wrong
	}
	return token, complainant, err
}

// PortalSession returns the case and complainant of a live session and
// marks it seen. Errors: EUNAUTHORIZED when it is unknown or has expired
// (30 minutes idle, 4 hours in all).
func (s *Store) PortalSession(ctx context.Context, token string) (ref, complainant string, err error) {
	h := sha256.Sum256([]byte(token))
	var created, seen string
	err = s.db.QueryRowContext(ctx, s.d.rebind(`SELECT case_ref, complainant_id, created_at, seen_at FROM portal_sessions WHERE id_hash = ?`), h[:]).Scan(&ref, &complainant, &created, &seen)
	expired := throughline.Errorf(throughline.EUNAUTHORIZED, "please sign in again")
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", expired
	}
	if err != nil {
		return "", "", err
	}
	c, _ := time.Parse(time.RFC3339Nano, created)
	sn, _ := time.Parse(time.RFC3339Nano, seen)
	now := s.Now()
	if now.Sub(c) > PortalSessionMax || now.Sub(sn) > PortalSessionIdle {
		s.PortalSignOut(ctx, token)
		return "", "", expired
	}
	if now.Sub(sn) > time.Minute {
		s.db.ExecContext(ctx, s.d.rebind(`UPDATE portal_sessions SET seen_at = ? WHERE id_hash = ?`), ts(now), h[:])
	}
	return ref, complainant, nil
}

// PortalSignOut ends a session.
func (s *Store) PortalSignOut(ctx context.Context, token string) error {
	h := sha256.Sum256([]byte(token))
	_, err := s.db.ExecContext(ctx, s.d.rebind(`DELETE FROM portal_sessions WHERE id_hash = ?`), h[:])
	return err
}
