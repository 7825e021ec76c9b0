package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"throughline"
	"throughline/identity"
)

func init() {
	register("user", "user add: create a user and print their API token", runUser)
}

func runUser(ctx context.Context, m *Main, args []string) error {
	rest, err := m.sub(args, "add", "user add --name N --role R --agency A [--login EMAIL --password-file FILE] [--db DSN]")
	if err != nil {
		return err
	}
	fs := m.flags("user add", "user add --name N --role R --agency A [--login EMAIL --password-file FILE] [--db DSN]")
	db := dbFlag(fs)
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "one of: officer, police_supervisor, prosecutor, paralegal, vlu, witness_care, isva, inspector, admin")
	agency := fs.String("agency", "", "police:<PNC force code>, cps:<area>, wcu:<force code>, isva:<organisation> or inspectorate")
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
