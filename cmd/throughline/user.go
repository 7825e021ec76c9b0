package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"throughline"
	"throughline/credential"
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
	u, token, err := s.AddUser(ctx, *name, *role, *agency)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "user %s (%s, %s, %s)\nAPI token (shown once): %s\n", u.ID, u.Name, u.Role, u.Agency, token)
	if password == "" {
		if *login != "" {
			if err := s.SetLogin(ctx, u.ID, *login); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Sign-in: %s, with their organisation's identity provider only\n", throughline.NormalizeLogin(*login))
		}
		return nil
	}
	if err := s.SetPassword(ctx, u.ID, *login, password); err != nil {
		return err
	}
	secret, err := credential.NewTOTPSecret()
	if err != nil {
		return err
	}
	if err := s.EnrolTOTP(ctx, u.ID, secret, 0); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Sign-in: %s with the password from %s\nAuthenticator setup key (shown once): %s\n%s\n",
		throughline.NormalizeLogin(*login), *passwordFile, credential.GroupedSecret(secret), credential.OTPAuthURI("Throughline", throughline.NormalizeLogin(*login), secret))
	return nil
}
