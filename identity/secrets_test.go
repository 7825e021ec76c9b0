package identity

import (
	"strings"
	"testing"
	"time"
)

// RFC 6238 Appendix B: the seeds are the ASCII strings "12345678901234567890"
// repeated to the hash's length, 8 digits.
func TestTOTPRFC6238Vectors(t *testing.T) {
	seeds := map[string]string{
		"SHA1":   "12345678901234567890",
		"SHA256": "12345678901234567890123456789012",
		"SHA512": "1234567890123456789012345678901234567890123456789012345678901234",
	}
	vectors := []struct {
		unix int64
		want map[string]string
	}{
		{59, map[string]string{"SHA1": "94287082", "SHA256": "46119246", "SHA512": "90693936"}},
		{1111111109, map[string]string{"SHA1": "07081804", "SHA256": "68084774", "SHA512": "25091201"}},
		{1111111111, map[string]string{"SHA1": "14050471", "SHA256": "67062674", "SHA512": "99943326"}},
		{1234567890, map[string]string{"SHA1": "89005924", "SHA256": "91819424", "SHA512": "93441116"}},
		{2000000000, map[string]string{"SHA1": "69279037", "SHA256": "90698825", "SHA512": "38618901"}},
		{20000000000, map[string]string{"SHA1": "65353130", "SHA256": "77737706", "SHA512": "47863826"}},
	}
	for _, v := range vectors {
		for alg, want := range v.want {
			got := HOTP(Hashes[alg], []byte(seeds[alg]), Step(time.Unix(v.unix, 0)), 8)
			if got != want {
				t.Errorf("T=%d %s: got %s, want %s", v.unix, alg, got, want)
			}
		}
	}
	// The 6-digit SHA-1 code the apps show is the last six digits.
	if got := TOTP([]byte(seeds["SHA1"]), time.Unix(59, 0)); got != "287082" {
		t.Errorf("6-digit TOTP at 59: %s", got)
	}
}

// RFC 4226 Appendix D.
func TestHOTPRFC4226Vectors(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := HOTP(Hashes["SHA1"], []byte("12345678901234567890"), int64(i), 6); got != w {
			t.Errorf("counter %d: got %s, want %s", i, got, w)
		}
	}
}

func TestCheckTOTPSkewAndReplay(t *testing.T) {
	secret, _ := NewTOTPSecret()
	now := time.Date(2026, 11, 25, 9, 0, 10, 0, time.UTC)
	code := TOTP(secret, now)
	step, ok := CheckTOTP(secret, code, now, 0)
	if !ok || step != Step(now) {
		t.Fatal("current code refused")
	}
	if _, ok := CheckTOTP(secret, code, now, step); ok {
		t.Fatal("a used code was accepted again")
	}
	if _, ok := CheckTOTP(secret, TOTP(secret, now.Add(-30*time.Second)), now, 0); !ok {
		t.Fatal("previous step refused")
	}
	if _, ok := CheckTOTP(secret, TOTP(secret, now.Add(-90*time.Second)), now, 0); ok {
		t.Fatal("a code three steps old was accepted")
	}
	if _, ok := CheckTOTP(secret, "12345", now, 0); ok {
		t.Fatal("short code accepted")
	}
	back, err := DecodeSecret(strings.ToLower(GroupedSecret(secret)))
	if err != nil || string(back) != string(secret) {
		t.Fatalf("secret round trip: %v", err)
	}
	uri := OTPAuthURI("Throughline", "priya@example.police.uk", secret)
	if !strings.HasPrefix(uri, "otpauth://totp/Throughline:priya@example.police.uk?") || !strings.Contains(uri, "secret="+EncodeSecret(secret)) {
		t.Fatalf("uri %s", uri)
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %s", h)
	}
	if ok, err := CheckPassword(h, "correct horse battery staple"); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := CheckPassword(h, "correct horse battery stapler"); ok {
		t.Fatal("wrong password accepted")
	}
	if _, err := CheckPassword("$2a$10$bcrypt", "x"); err == nil {
		t.Fatal("malformed hash accepted")
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Fatal("same salt twice")
	}
	if CheckNothing("x") {
		t.Fatal("CheckNothing")
	}
}
