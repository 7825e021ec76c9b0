package refdata

import "slices"

// MagistratesCourt is a magistrates' court that hears criminal cases: where
// a charged defendant first appears.
type MagistratesCourt struct {
	// ID is the stable lowercase id, e.g. "leeds_magistrates". No Crown Court
	// has the same id, so a hearing's court id names one court.
	ID string
	// Name is the display name, e.g. "Leeds Magistrates' Court".
	Name string
	// Force is the PNC code of the police force whose area it serves.
	Force string
}

// MagistratesCourts returns the magistrates' courts in the table, sorted by
// id (HMCTS court and tribunal finder, as at 2024). Only the forces the demo
// works on are listed so far (see magistrates_courts.csv).
func MagistratesCourts() []MagistratesCourt {
	return slices.Clone(data.mags)
}

// LookupMagistratesCourt returns the magistrates' court with the given id,
// e.g. "leeds_magistrates". The bool is false if there is no such court.
func LookupMagistratesCourt(id string) (MagistratesCourt, bool) {
	i, ok := data.magIdx[id]
	if !ok {
		return MagistratesCourt{}, false
	}
	return data.mags[i], true
}

// CourtName returns the name of the court with the given id, a Crown Court
// centre or a magistrates' court. The bool is false if there is no such court.
func CourtName(id string) (string, bool) {
	if c, ok := LookupCrownCourt(id); ok {
		return c.Name, true
	}
	if c, ok := LookupMagistratesCourt(id); ok {
		return c.Name, true
	}
	return "", false
}

func parseMagistrates(src []byte, forceIdx, crownIdx map[string]int) ([]MagistratesCourt, map[string]int, error) {
	recs, err := readCSV(src, "id", "name", "force")
	if err != nil {
		return nil, nil, err
	}
	courts := make([]MagistratesCourt, 0, len(recs))
	for _, r := range recs {
		c := MagistratesCourt{ID: r.fields[0], Name: r.fields[1], Force: r.fields[2]}
		if !isSlug(c.ID) {
			return nil, nil, r.errorf("id %q is not a lowercase id", c.ID)
		}
		if _, dup := crownIdx[c.ID]; dup {
			return nil, nil, r.errorf("court %s: a Crown Court has the same id", c.ID)
		}
		if _, ok := forceIdx[c.Force]; !ok {
			return nil, nil, r.errorf("court %s: unknown force %q", c.ID, c.Force)
		}
		courts = append(courts, c)
	}
	idx, err := index(courts, func(c MagistratesCourt) string { return c.ID })
	return courts, idx, err
}
