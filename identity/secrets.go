package identity

// The secrets staff sign in with: passwords hashed with argon2id (RFC 9106)
// in the PHC string format, and time-based one-time passwords (TOTP, RFC
// 6238) for the second factor. These functions are pure: the caller passes
// the time, and randomness comes from crypto/rand.

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, one
// lane) costs about 40 ms here, cheap enough to run on every sign-in and
// expensive enough to make offline guessing slow.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// HashPassword returns the argon2id hash of password as a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrMalformedHash is returned for a stored hash that is not an argon2id PHC string.
var ErrMalformedHash = errors.New("identity: malformed argon2id hash")

// CheckPassword reports whether password matches the PHC-encoded hash, in
// time that does not depend on where they differ.
func CheckPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformedHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, ErrMalformedHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 100 {
		return false, ErrMalformedHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, ErrMalformedHash
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when the account does not exist, so that an
// unknown account costs the same time as a wrong password.
var dummyHash, _ = HashPassword("no such account: the same work as a real check")

// CheckNothing does the work of CheckPassword against a hash that no
// password matches, and returns false.
func CheckNothing(password string) bool {
	CheckPassword(dummyHash, password)
	return false
}

// TOTP parameters (RFC 6238 defaults that every authenticator app accepts).
const (
	TOTPDigits = 6
	TOTPPeriod = 30 * time.Second
	// TOTPSkew is how many periods either side of now a code is accepted
	// for: one, for clocks a little apart and codes typed at the boundary.
	TOTPSkew = 1
	// TOTPSecretLen is the secret's length in bytes (160 bits, RFC 4226).
	TOTPSecretLen = 20
)

// NewTOTPSecret returns a fresh random TOTP secret.
func NewTOTPSecret() ([]byte, error) {
	s := make([]byte, TOTPSecretLen)
	_, err := rand.Read(s)
	return s, err
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// EncodeSecret is the base32 form authenticator apps take ("setup key").
func EncodeSecret(secret []byte) string { return b32.EncodeToString(secret) }

// GroupedSecret is EncodeSecret in groups of four for reading aloud or typing.
func GroupedSecret(secret []byte) string {
	s := EncodeSecret(secret)
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// DecodeSecret reads a base32 secret, ignoring spaces and case.
func DecodeSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	return b32.DecodeString(strings.TrimRight(s, "="))
}

// OTPAuthURI is the otpauth:// URI an authenticator app reads (the Key
// Uri Format of Google Authenticator, which the others follow).
func OTPAuthURI(issuer, account string, secret []byte) string {
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	q := url.Values{}
	q.Set("secret", EncodeSecret(secret))
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", strconv.Itoa(TOTPDigits))
	q.Set("period", strconv.Itoa(int(TOTPPeriod/time.Second)))
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// Step is the TOTP time step of t: the number of periods since the epoch.
func Step(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod/time.Second) }

// HOTP is RFC 4226's HMAC-based one-time password for counter, with digits
// digits and the given hash (SHA-1 for every authenticator app; RFC 6238
// also tests SHA-256 and SHA-512).
func HOTP(newHash func() hash.Hash, secret []byte, counter int64, digits int) string {
	mac := hmac.New(newHash, secret)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, code%mod)
}

// Hashes names the hash functions of RFC 6238's test vectors.
var Hashes = map[string]func() hash.Hash{"SHA1": sha1.New, "SHA256": sha256.New, "SHA512": sha512.New}

// TOTP is the RFC 6238 code for secret at time t (SHA-1, 6 digits, 30 s).
func TOTP(secret []byte, t time.Time) string {
	return HOTP(sha1.New, secret, Step(t), TOTPDigits)
}

// CheckTOTP checks code against the secret at time now, allowing TOTPSkew
// steps either side, and refusing any step at or before lastStep (a code
// once used cannot be used again). It returns the step matched.
func CheckTOTP(secret []byte, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != TOTPDigits {
		return 0, false
	}
	now0 := Step(now)
	matched := int64(-1)
	for d := int64(-TOTPSkew); d <= TOTPSkew; d++ {
		s := now0 + d
		want := HOTP(sha1.New, secret, s, TOTPDigits)
		// Compare every candidate, so timing does not say which matched.
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && s > lastStep {
			matched = s
		}
	}
	if matched < 0 {
		return 0, false
	}
	return matched, true
}
