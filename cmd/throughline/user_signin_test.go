package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"throughline/wire"

	"throughline/credential"
	"throughline/sqlstore"
)

// `user add --login --password-file` makes a staff sign-in and prints the
// authenticator key once; both work.
func TestUserAddWithPasswordAndAuthenticator(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "u.db")
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("a long enough first password\n"), 0o600)
	code, out, errs := run(t, "", "user", "add", "--db", dsn, "--name", "Priya Shah", "--role", "officer", "--agency", "police:13", "--login", "Priya@WYP.police.uk", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "otpauth://totp/Throughline:priya@wyp.police.uk?") {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	key := regexp.MustCompile(`setup key \(shown once\): ([A-Z2-7 ]+)`).FindStringSubmatch(out)
	if key == nil {
		t.Fatalf("no setup key: %s", out)
	}
	secret, err := credential.DecodeSecret(key[1])
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.Open(context.Background(), dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.CheckPassword(context.Background(), "priya@wyp.police.uk", "a long enough first password", "127.0.0.1")
	if err != nil || !a.TOTPEnrolled {
		t.Fatalf("password sign-in: %+v %v", a, err)
	}
	if err := s.CheckCode(context.Background(), a.ID, credential.TOTP(secret, s.Now()), "127.0.0.1"); err != nil {
		t.Fatalf("code: %v", err)
	}
	os.WriteFile(pw, []byte("short\n"), 0o600)
	if code, _, _ := run(t, "", "user", "add", "--db", dsn, "--name", "X", "--role", "officer", "--agency", "police:13", "--login", "x@y", "--password-file", pw); code != 2 {
		t.Fatalf("short password: exit %d", code)
	}
	if code, _, _ := run(t, "", "user", "add", "--db", dsn, "--name", "X", "--role", "officer", "--agency", "police:13", "--password-file", pw); code != 2 {
		t.Fatalf("password without login: exit %d", code)
	}
}
