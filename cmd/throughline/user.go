package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"throughline"
	"throughline/identity"
)

func init() {
	register("user", "user add | user token rotate | user token list: users and their API tokens", runUser)
}

func runUser(ctx context.Context, m *Main, args []string) error {
	if len(args) > 0 && args[0] == "token" {
		return runUserToken(ctx, m, args[1:])
	}
	rest, err := m.sub(args, "add", "user add --name N --role R --agency A [--login EMAIL --password-file FILE] [--db DSN]")
	if err != nil {
		return err
	}
	fs := m.flags("user add", "user add --name N --role R --agency A [--login EMAIL --password-file FILE] [--db DSN]")
	db := m.dbFlag(fs)
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "one of: "+strings.Join(throughline.Roles, ", "))
	agency := fs.String("agency", "", "police:<PNC force code>, cps:<area>, wcu:<force code>, isva:<organisation>, inspectorate or commissioner")
	login := fs.String("login", "", "sign-in name for the staff pages (their work email address); with --password-file")
	passwordFile := fs.String("password-file", "", "file holding their first password (at least 12 characters); an authenticator setup key is printed")
	if err := parse(fs, rest, 0); err != nil {
		return err
	}
	if err := throughline.ValidateUser(*name, *role, *agency); err != nil {
		return usagef("%v", err)
	}
	var password string
	if *passwordFile != "" {
		if *login == "" {
			return usagef("--password-file needs --login")
		}
		b, err := os.ReadFile(*passwordFile)
		if err != nil {
			return err
		}
		password = strings.TrimRight(string(b), "\r\n")
		if err := errors.Join(throughline.ValidateLogin(*login), throughline.ValidatePassword(password)); err != nil {
			return usagef("%v", err)
		}
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	n := identity.NewAccount{Name: *name, Role: *role, Agency: *agency, Login: *login, Password: password}
	if password != "" {
		if n.TOTPSecret, err = identity.NewTOTPSecret(); err != nil {
			return err
		}
	}
	// The user, their sign-in, their authenticator and the administrators'
	// log entry are written in one transaction.
	u, token, err := identity.New(s, m.Now).CreateAccount(ctx, cliActor, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "user %s (%s, %s, %s)\nAPI token (shown once): %s\n", u.ID, u.Name, u.Role, u.Agency, token)
	switch {
	case password != "":
		fmt.Fprintf(m.Stdout, "Sign-in: %s with the password from %s\nAuthenticator setup key (shown once): %s\n%s\n",
			throughline.NormalizeLogin(*login), *passwordFile, identity.GroupedSecret(n.TOTPSecret), identity.OTPAuthURI("Throughline", throughline.NormalizeLogin(*login), n.TOTPSecret))
	case *login != "":
		fmt.Fprintf(m.Stdout, "Sign-in: %s, with their organisation's identity provider only\n", throughline.NormalizeLogin(*login))
	}
	return nil
}

// cliActor names the command line in the administrators' log.
const cliActor = "command-line"

// runUserToken: "user token rotate --id U" gives a user a new API token
// (the old one stops working; the new one expires after
// identity.TokenLifetime) and "user token list" lists every token's owner,
// issue and expiry, never a token.
func runUserToken(ctx context.Context, m *Main, args []string) error {
	const synopsis = "user token rotate --id USER [--db DSN] | user token list [--db DSN]"
	if len(args) == 0 || (args[0] != "rotate" && args[0] != "list") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(m.Stderr, "Usage: throughline "+synopsis)
			return flag.ErrHelp
		}
		return usagef("takes one subcommand: rotate or list")
	}
	fs := m.flags("user token "+args[0], synopsis)
	db := m.dbFlag(fs)
	id := fs.String("id", "", "the user whose token to rotate")
	if err := parse(fs, args[1:], 0); err != nil {
		return err
	}
	if args[0] == "rotate" && *id == "" {
		return usagef("user token rotate needs --id")
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	ids := identity.New(s, m.Now)
	if args[0] == "rotate" {
		token, err := ids.RotateToken(ctx, cliActor, *id)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "user %s: new API token (shown once; the old one no longer works; expires %s): %s\n", *id, m.Now().Add(identity.TokenLifetime).UTC().Format("2006-01-02"), token)
		return nil
	}
	ts, err := ids.APITokens(ctx)
	if err != nil {
		return err
	}
	now := m.Now()
	for _, t := range ts {
		state := "live"
		switch {
		case t.User.Disabled:
			state = "disabled"
		case !now.Before(t.Expires):
			state = "expired"
		}
		fmt.Fprintf(m.Stdout, "%s\t%s\t%s\t%s\tissued %s\texpires %s\t%s\n", t.User.ID, cleanCell(t.User.Name), t.User.Role, t.User.Agency,
			t.Issued.UTC().Format("2006-01-02"), t.Expires.UTC().Format("2006-01-02"), state)
	}
	return nil
}

// cleanCell keeps a name to one printable line.
func cleanCell(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
