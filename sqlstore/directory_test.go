package sqlstore_test

import (
	"context"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
)

// The directory: entries added, changed and removed, each change in the
// administrators' log; a bad entry is refused and changes nothing.
func TestDirectoryKeptByAdministrators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s, ctx := open(t, dsn), context.Background()
		c, err := s.SaveStaffContact(ctx, "u_admin", throughline.StaffContact{Name: "Gwen Price", Role: throughline.ContactWitnessCare,
			Team: "West Yorkshire Witness Care Unit", Agency: "wcu:13", Phone: "01632 960 201", Email: "gwen.price@wcu.example.gov.uk", Hours: "Monday to Friday, 9am to 5pm"})
		if err != nil || c.ID == "" {
			t.Fatalf("save: %v %+v", err, c)
		}
		c.Hours = "Monday to Thursday, 8am to 4pm"
		if _, err := s.SaveStaffContact(ctx, "u_admin", c); err != nil {
			t.Fatal(err)
		}
		bad := c
		bad.Email, bad.Phone = "not an address", ""
		if _, err := s.SaveStaffContact(ctx, "u_admin", bad); throughline.ErrorCode(err) != throughline.EINVALID {
			t.Fatalf("a bad email and no phone: %v", err)
		}
		got, err := s.StaffContacts(ctx)
		if err != nil || len(got) != 1 || got[0].Hours != "Monday to Thursday, 8am to 4pm" || got[0].Email != c.Email || !got[0].UpdatedAt.Equal(clock) {
			t.Fatalf("contacts: %v %+v", err, got)
		}
		if _, err := s.SaveStaffContact(ctx, "u_admin", throughline.StaffContact{ID: "sc_nobody", Name: "X", Role: "isva", Team: "T", Agency: "wcu:13", Phone: "1", Hours: "Any time"}); throughline.ErrorCode(err) != throughline.ENOTFOUND {
			t.Fatalf("an unknown id: %v", err)
		}

		v := throughline.SupportService{Name: "Example Valley Survivors' Line (fictional)", Offers: "Listening and advice by phone.",
			For: []string{throughline.ForAll, throughline.ForWelshLanguage}, Areas: []string{"13", "62"}, Phone: "01632 960 300", CheckedOn: "2026-11-02"}
		v, err = s.SaveSupportService(ctx, "u_admin", v)
		if err != nil {
			t.Fatal(err)
		}
		future := v
		future.CheckedOn = "2026-12-01"
		if _, err := s.SaveSupportService(ctx, "u_admin", future); throughline.ErrorCode(err) != throughline.EINVALID {
			t.Fatalf("checked in the future: %v", err)
		}
		vs, err := s.SupportServices(ctx)
		if err != nil || len(vs) != 1 || len(vs[0].For) != 2 || vs[0].For[1] != throughline.ForWelshLanguage || !vs[0].Serves("62") || vs[0].Serves("01") || vs[0].CheckedOn != "2026-11-02" {
			t.Fatalf("services: %v %+v", err, vs)
		}
		if err := s.RemoveSupportService(ctx, "u_admin", v.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveStaffContact(ctx, "u_admin", c.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveStaffContact(ctx, "u_admin", c.ID); throughline.ErrorCode(err) != throughline.ENOTFOUND {
			t.Fatalf("removed twice: %v", err)
		}
		acts, err := s.AdminActions(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var log []string
		for _, a := range acts {
			log = append(log, a.Action)
		}
		want := []string{"remove_staff_contact", "remove_support_service", "add_support_service", "change_staff_contact", "add_staff_contact"}
		if len(log) != len(want) {
			t.Fatalf("admin log %v, want %v", log, want)
		}
		for i := range want {
			if log[i] != want[i] {
				t.Fatalf("admin log %v, want %v", log, want)
			}
		}
	})
}

// Courts' addresses: one per court, written as lines and kept as one;
// an unknown court, a check in the future or a second entry for the same
// court is refused and changes nothing; each change in the admin log.
func TestCourtAddressesKeptByAdministrators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s, ctx := open(t, dsn), context.Background()
		a, err := s.SaveCourtAddress(ctx, "u_admin", throughline.CourtAddress{Court: "leeds", Address: "The Courthouse\n 1 Oxford Row,\n\nLeeds\nLS1 3BG ", CheckedOn: "2026-11-02"})
		if err != nil || a.ID == "" || a.Address != "The Courthouse, 1 Oxford Row, Leeds, LS1 3BG" {
			t.Fatalf("save: %v %+v", err, a)
		}
		for name, bad := range map[string]throughline.CourtAddress{
			"no such court":         {Court: "atlantis", Address: "1 Sea Row", CheckedOn: "2026-11-02"},
			"checked in the future": {Court: "leeds_magistrates", Address: "Westgate, Leeds", CheckedOn: "2026-12-01"},
			"no address":            {Court: "leeds_magistrates", Address: " ,\n", CheckedOn: "2026-11-02"},
		} {
			if _, err := s.SaveCourtAddress(ctx, "u_admin", bad); throughline.ErrorCode(err) != throughline.EINVALID {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := s.SaveCourtAddress(ctx, "u_admin", throughline.CourtAddress{Court: "leeds", Address: "Elsewhere", CheckedOn: "2026-11-02"}); throughline.ErrorCode(err) != throughline.ECONFLICT {
			t.Errorf("a second address for one court: %v", err)
		}
		got, err := s.CourtAddresses(ctx)
		if err != nil || len(got) != 1 || got[0] != a {
			t.Fatalf("addresses: %v %+v", err, got)
		}
		if err := s.RemoveCourtAddress(ctx, "u_admin", a.ID); err != nil {
			t.Fatal(err)
		}
		acts, err := s.AdminActions(ctx, 10)
		if err != nil || len(acts) != 2 || acts[0].Action != "remove_court_address" || acts[1].Action != "add_court_address" {
			t.Fatalf("admin log: %v %+v", err, acts)
		}
	})
}
