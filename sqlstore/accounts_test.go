package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
)

// Each account action writes everything it writes, its audit entry
// included, in one transaction: refused, it writes nothing.
func TestAccountWritesAreOneTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := openAt(t, dsn)
		audit := func(action, subject string) *throughline.AdminAction {
			return &throughline.AdminAction{At: clk.now, ActorID: "u_admin", Action: action, Subject: subject}
		}
		u := throughline.NewUser{User: throughline.User{ID: "u_1", Name: "Priya Shah", Role: "officer", Agency: "police:13"}, TokenHash: []byte("h1"), Created: clk.now,
			Login: "priya", Credentials: throughline.Credentials{PasswordHash: "$argon2id$stand-in", TOTPSecret: []byte("secret"), TOTPLastStep: 7}}
		if err := s.InsertUser(ctx, u, audit("add_user", "u_1")); err != nil {
			t.Fatal(err)
		}
		a, c, err := s.AccountByLogin(ctx, "priya")
		if err != nil || a.ID != "u_1" || !a.HasPassword || !a.TOTPEnrolled || c.PasswordHash != "$argon2id$stand-in" || string(c.TOTPSecret) != "secret" || c.TOTPLastStep != 7 {
			t.Fatalf("account: %+v %+v %v", a, c, err)
		}
		// A second user with the same sign-in: no user, no log entry.
		u2 := throughline.NewUser{User: throughline.User{ID: "u_2", Name: "Tom Hughes", Role: "officer", Agency: "police:13"}, TokenHash: []byte("h2"), Created: clk.now, Login: "priya"}
		if err := s.InsertUser(ctx, u2, audit("add_user", "u_2")); throughline.ErrorCode(err) != throughline.ECONFLICT {
			t.Fatalf("taken sign-in name: %v", err)
		}
		if _, err := s.User(ctx, "u_2"); throughline.ErrorCode(err) != throughline.ENOTFOUND {
			t.Fatalf("a refused user was written: %v", err)
		}
		if acts, _ := s.AdminActions(ctx, 10); len(acts) != 1 {
			t.Fatalf("admin log: %+v", acts)
		}
		// A change refused by its rule writes nothing either.
		refused := errors.New("refused")
		err = s.ChangeUser(ctx, "u_1", func(old throughline.User) (throughline.User, bool, throughline.AdminAction, error) {
			old.Name = "Changed"
			return old, true, *audit("update_user", "u_1"), refused
		})
		if !errors.Is(err, refused) {
			t.Fatal(err)
		}
		if got, _ := s.User(ctx, "u_1"); got.Name != "Priya Shah" {
			t.Fatalf("refused change written: %+v", got)
		}
		// An accepted change writes the user and its log entry together.
		err = s.ChangeUser(ctx, "u_1", func(old throughline.User) (throughline.User, bool, throughline.AdminAction, error) {
			old.Disabled = true
			return old, true, *audit("update_user", "u_1"), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.User(ctx, "u_1"); !got.Disabled {
			t.Fatal("change not written")
		}
		if acts, _ := s.AdminActions(ctx, 10); len(acts) != 2 || acts[0].Action != "update_user" {
			t.Fatalf("admin log: %+v", acts)
		}
		// A link is made once.
		if err := s.LinkOIDC(ctx, "u_1", "https://idp", "sub-1", clk.now); err != nil {
			t.Fatal(err)
		}
		if err := s.LinkOIDC(ctx, "u_1", "https://idp", "sub-2", clk.now); throughline.ErrorCode(err) != throughline.ECONFLICT {
			t.Fatalf("second link: %v", err)
		}
		if a, err := s.AccountByOIDC(ctx, "https://idp", "sub-1"); err != nil || a.ID != "u_1" {
			t.Fatalf("by subject: %+v %v", a, err)
		}
	})
}
