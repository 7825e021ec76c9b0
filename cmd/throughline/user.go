package main

import (
	"context"
	"fmt"

	"throughline"
)

func init() {
	register("user", "user add: create a user and print their API token", runUser)
}

func runUser(ctx context.Context, m *Main, args []string) error {
	rest, err := m.sub(args, "add", "user add --name N --role R --agency A [--db DSN]")
	if err != nil {
		return err
	}
	fs := m.flags("user add", "user add --name N --role R --agency A [--db DSN]")
	db := dbFlag(fs)
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "one of: officer, police_supervisor, prosecutor, paralegal, vlu, witness_care, isva, inspector, admin")
	agency := fs.String("agency", "", "police:<PNC force code>, cps:<area>, wcu:<force code>, isva:<organisation> or inspectorate")
	if err := parse(fs, rest, 0); err != nil {
		return err
	}
	if err := throughline.ValidateUser(*name, *role, *agency); err != nil {
		return usagef("%v", err)
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
	return nil
}
