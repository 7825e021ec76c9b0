package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"throughline"
	"throughline/sqlstore/storetest"
)

// Each case's failed messages have one owner, from its case team: Witness
// Care when one of them is on it (here through a team), else the police
// (a disabled Witness Care account does not count), else the force's
// police supervisors; the administrator's count of messages failed for
// good is by the same owners.
func TestFailedMessagesHaveOneOwner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		const wcu, police, nobody = "OWN-W", "OWN-P", "OWN-S"
		for _, ref := range []string{wcu, police, nobody} {
			seedCase(t, s, ref)
		}
		unit, err := s.CreateTeam(ctx, "test", "Leeds Witness Care", "wcu:13")
		if err != nil {
			t.Fatal(err)
		}
		officer := addUser(t, s, "Priya Shah", "officer", "police:13")
		isva := addUser(t, s, "Ana Lopes", "isva", "isva:rape-crisis-leeds")
		gone := throughline.User{ID: "u_gone", Name: "Gone Gwen", Role: "witness_care", Agency: "wcu:13", Disabled: true}
		if err := s.InsertUser(ctx, throughline.NewUser{User: gone, TokenHash: []byte("gone"), Created: s.Now()}, nil); err != nil {
			t.Fatal(err)
		}
		for _, m := range []struct{ ref, kind, id string }{{wcu, "team", unit.ID}, {wcu, "user", officer.ID}, {police, "user", officer.ID}, {police, "user", gone.ID}, {nobody, "user", isva.ID}} {
			if err := s.SetCaseMember(ctx, "test", m.ref, m.kind, m.id, true); err != nil {
				t.Fatal(err)
			}
		}
		owners, err := s.MessageOwners(ctx, []string{wcu, police, nobody})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{wcu: throughline.OwnerWitnessCare, police: throughline.OwnerPolice, nobody: throughline.OwnerSupervisor}
		if fmt.Sprint(owners) != fmt.Sprint(want) {
			t.Errorf("owners: %v, want %v", owners, want)
		}

		// The message owed for each charge fails for good.
		claimed, err := s.Claim(ctx, "A", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range claimed {
			if err := s.Finish(ctx, "A", p.ID, throughline.MessageFailed, throughline.FailPermanent, "550 no such user"); err != nil {
				t.Fatal(err)
			}
		}
		byOwner, err := s.FailedByOwner(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(claimed) != 3 || fmt.Sprint(byOwner) != fmt.Sprint(map[string]int{throughline.OwnerWitnessCare: 1, throughline.OwnerPolice: 1, throughline.OwnerSupervisor: 1}) {
			t.Errorf("failed for good by owner: %v (of %d claimed)", byOwner, len(claimed))
		}
	})
}
