package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"throughline"
)

// The directory administrators keep (throughline.Directory): staff
// contacts, support services and courts' addresses. Small tables, read whole; each change is
// one transaction with its admin-log entry.

const selectStaffContacts = `SELECT id, name, role, team, agency, user_id, phone, email, hours, updated_at FROM staff_contacts ORDER BY role, agency, name, id`

// StaffContacts returns the whole contact directory.
func (s *Store) StaffContacts(ctx context.Context) ([]throughline.StaffContact, error) {
	rows, err := s.db.QueryContext(ctx, selectStaffContacts)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.StaffContact
	for rows.Next() {
		var c throughline.StaffContact
		var at string
		if err := rows.Scan(&c.ID, &c.Name, &c.Role, &c.Team, &c.Agency, &c.UserID, &c.Phone, &c.Email, &c.Hours, &at); err != nil {
			return nil, err
		}
		c.UpdatedAt = accessParseTS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveStaffContact adds c (no ID) or replaces the entry with c's ID.
// Errors: EINVALID, ENOTFOUND.
func (s *Store) SaveStaffContact(ctx context.Context, actorID string, c throughline.StaffContact) (throughline.StaffContact, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	c.UpdatedAt = s.Now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		args := []any{c.Name, c.Role, c.Team, c.Agency, c.UserID, c.Phone, c.Email, c.Hours, accessTS(c.UpdatedAt)}
		action, err := s.upsert(ctx, tx, "staff_contacts", "staff_contact", &c.ID,
			`UPDATE staff_contacts SET name = ?, role = ?, team = ?, agency = ?, user_id = ?, phone = ?, email = ?, hours = ?, updated_at = ? WHERE id = ?`,
			`INSERT INTO staff_contacts (name, role, team, agency, user_id, phone, email, hours, updated_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args)
		if err != nil {
			return err
		}
		return s.logAdmin(ctx, tx, actorID, action, c.ID, c.Role+" "+c.Agency+" "+c.Name)
	})
	return c, err
}

// RemoveStaffContact removes an entry. Errors: ENOTFOUND.
func (s *Store) RemoveStaffContact(ctx context.Context, actorID, id string) error {
	return s.remove(ctx, actorID, "staff_contacts", "staff_contact", id)
}

const selectSupportServices = `SELECT id, name, offers, for_whom, areas, phone, text_to, web, email, hours, checked_on, updated_at FROM support_services ORDER BY name, id`

// SupportServices returns every support service, by name.
func (s *Store) SupportServices(ctx context.Context) ([]throughline.SupportService, error) {
	rows, err := s.db.QueryContext(ctx, selectSupportServices)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.SupportService
	for rows.Next() {
		var v throughline.SupportService
		var forWhom, areas, at string
		if err := rows.Scan(&v.ID, &v.Name, &v.Offers, &forWhom, &areas, &v.Phone, &v.Text, &v.Web, &v.Email, &v.Hours, &v.CheckedOn, &at); err != nil {
			return nil, err
		}
		v.For, v.Areas, v.UpdatedAt = strings.Fields(forWhom), strings.Fields(areas), accessParseTS(at)
		out = append(out, v)
	}
	return out, rows.Err()
}

// SaveSupportService adds v (no ID) or replaces the service with v's ID.
// Errors: EINVALID, ENOTFOUND.
func (s *Store) SaveSupportService(ctx context.Context, actorID string, v throughline.SupportService) (throughline.SupportService, error) {
	if err := v.Validate(s.Now()); err != nil {
		return v, err
	}
	v.UpdatedAt = s.Now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		args := []any{v.Name, v.Offers, strings.Join(v.For, " "), strings.Join(v.Areas, " "), v.Phone, v.Text, v.Web, v.Email, v.Hours, v.CheckedOn, accessTS(v.UpdatedAt)}
		action, err := s.upsert(ctx, tx, "support_services", "support_service", &v.ID,
			`UPDATE support_services SET name = ?, offers = ?, for_whom = ?, areas = ?, phone = ?, text_to = ?, web = ?, email = ?, hours = ?, checked_on = ?, updated_at = ? WHERE id = ?`,
			`INSERT INTO support_services (name, offers, for_whom, areas, phone, text_to, web, email, hours, checked_on, updated_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args)
		if err != nil {
			return err
		}
		return s.logAdmin(ctx, tx, actorID, action, v.ID, v.Name)
	})
	return v, err
}

// RemoveSupportService removes a service. Errors: ENOTFOUND.
func (s *Store) RemoveSupportService(ctx context.Context, actorID, id string) error {
	return s.remove(ctx, actorID, "support_services", "support_service", id)
}

const selectCourtAddresses = `SELECT id, court, address, checked_on, updated_at FROM court_addresses ORDER BY court, id`

// CourtAddresses returns every court's address, by court.
func (s *Store) CourtAddresses(ctx context.Context) ([]throughline.CourtAddress, error) {
	rows, err := s.db.QueryContext(ctx, selectCourtAddresses)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.CourtAddress
	for rows.Next() {
		var a throughline.CourtAddress
		var at string
		if err := rows.Scan(&a.ID, &a.Court, &a.Address, &a.CheckedOn, &at); err != nil {
			return nil, err
		}
		a.UpdatedAt = accessParseTS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// SaveCourtAddress adds a (no ID) or replaces the address with a's ID.
// Errors: EINVALID, ENOTFOUND, ECONFLICT (another entry has the court).
func (s *Store) SaveCourtAddress(ctx context.Context, actorID string, a throughline.CourtAddress) (throughline.CourtAddress, error) {
	if err := a.Validate(s.Now()); err != nil {
		return a, err
	}
	a.UpdatedAt = s.Now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		args := []any{a.Court, a.Address, a.CheckedOn, accessTS(a.UpdatedAt)}
		action, err := s.upsert(ctx, tx, "court_addresses", "court_address", &a.ID,
			`UPDATE court_addresses SET court = ?, address = ?, checked_on = ?, updated_at = ? WHERE id = ?`,
			`INSERT INTO court_addresses (court, address, checked_on, updated_at, id) VALUES (?, ?, ?, ?, ?)`, args)
		if isUniqueViolation(err) {
			return &throughline.Error{Code: throughline.ECONFLICT, Message: "the court has an address already",
				Fields: []throughline.FieldError{{Field: "court", Message: "This court has an address already: change that one"}}}
		}
		if err != nil {
			return err
		}
		return s.logAdmin(ctx, tx, actorID, action, a.ID, a.Court)
	})
	return a, err
}

// RemoveCourtAddress removes an address. Errors: ENOTFOUND.
func (s *Store) RemoveCourtAddress(ctx context.Context, actorID, id string) error {
	return s.remove(ctx, actorID, "court_addresses", "court_address", id)
}

// upsert updates the row *id of table, or inserts it under a new id when
// *id is empty; args are the columns both statements set, the id last. It
// returns the admin-log action: add_<what> or change_<what>.
func (s *Store) upsert(ctx context.Context, tx *sql.Tx, table, what string, id *string, update, insert string, args []any) (string, error) {
	if *id != "" {
		res, err := tx.ExecContext(ctx, s.d.rebind(update), append(args, *id)...)
		if err != nil {
			return "", err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return "", throughline.Errorf(throughline.ENOTFOUND, "no %s %s", strings.ReplaceAll(what, "_", " "), *id)
		}
		return "change_" + what, nil
	}
	prefix := map[string]string{"staff_contacts": "sc_", "support_services": "ss_", "court_addresses": "ca_"}[table]
	newID, err := randomID(prefix, 8)
	if err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, s.d.rebind(insert), append(args, newID)...); err != nil {
		return "", err
	}
	*id = newID
	return "add_" + what, nil
}

// remove deletes row id of a directory table, with its admin-log entry.
func (s *Store) remove(ctx context.Context, actorID, table, what, id string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM `+table+` WHERE id = ?`), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return throughline.Errorf(throughline.ENOTFOUND, "no %s %s", strings.ReplaceAll(what, "_", " "), id)
		}
		return s.logAdmin(ctx, tx, actorID, "remove_"+what, id, "")
	})
}
