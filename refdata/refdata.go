// Package refdata holds the reference data Throughline needs about the criminal
// justice system of England and Wales: police forces, CPS areas, Crown Court
// centres, magistrates' courts and sexual offence codes.
//
// The tables live in CSV files embedded in the binary and are loaded once when
// the package is initialised. Each file starts with comment lines that give its
// source and date:
//
//   - forces.csv: the 43 territorial police forces with their PNC force codes,
//     the CPS areas that prosecute their cases, an approximate population (ONS
//     mid-2023 estimates) and the Crown Court centres that normally serve them.
//   - cps_areas.csv: the 14 CPS areas (cps.gov.uk, 2024).
//   - crown_courts.csv: the Crown Court centres (HMCTS court and tribunal
//     finder, 2024).
//   - magistrates_courts.csv: magistrates' courts of the forces the demo works
//     on (HMCTS court and tribunal finder, 2024).
//   - offences_ho.csv: Home Office offence classifications for sexual offences
//     (Home Office Counting Rules for Recorded Crime, April 2024).
//   - offences_cjs.csv: CJS offence codes for the main Sexual Offences Act 2003
//     rape and sexual assault offences (CJS Offence Index, September 2023).
//
// The embedded files are part of the program: a malformed file, a duplicate
// code or a reference to something that does not exist makes the package
// panic at initialisation, and the package tests catch it first.
//
// Every function returns copies, so callers cannot change the tables.
package refdata

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Force is a territorial police force of England and Wales.
type Force struct {
	// Code is the two-digit PNC force code, e.g. "13" for West Yorkshire.
	Code string
	// Name is the force's name, e.g. "West Yorkshire Police".
	Name string
	// CPSAreas are the ids of the CPS areas that prosecute the force's cases.
	// There is always at least one; the first is the default.
	CPSAreas []string
	// Population is the approximate resident population of the force area
	// (ONS mid-2023 estimates, rounded to the nearest thousand). It is meant
	// for spreading synthetic cases, not for statistics.
	Population int
	// CrownCourts are the ids of the Crown Court centres that normally hear
	// the force's cases. There is always at least one.
	CrownCourts []string
}

// CPSArea is one of the 14 geographical areas of the Crown Prosecution Service.
type CPSArea struct {
	// ID is the stable lowercase id, e.g. "london_north".
	ID string
	// Name is the display name, e.g. "CPS London North".
	Name string
}

// CrownCourt is a Crown Court centre.
type CrownCourt struct {
	// ID is the stable lowercase id, e.g. "leeds" or "central_criminal_court".
	ID string
	// Name is the display name, e.g. "Leeds Crown Court".
	Name string
	// CPSArea is the id of the CPS area that prosecutes most cases there.
	CPSArea string
}

// HOOffence is a Home Office offence classification for a sexual offence,
// as used in police recorded crime.
type HOOffence struct {
	// Code is the classification, e.g. "19C".
	Code string
	// Title is the classification's title, e.g. "Rape of a female aged 16 and over".
	Title string
	// Rape is true for the rape classifications 19C to 19H.
	Rape bool
}

// CJSOffence is a Criminal Justice System offence code.
type CJSOffence struct {
	// Code is the CJS offence code, e.g. "SX03002".
	Code string
	// Title is the CJS short title of the offence.
	Title string
	// Legislation is the Act and section, e.g. "Sexual Offences Act 2003 s.1".
	Legislation string
	// IndictableOnly is true if the offence can be tried only in the Crown
	// Court; false if it is triable either way.
	IndictableOnly bool
	// Rape is true for rape offences.
	Rape bool
}

var (
	//go:embed forces.csv
	forcesCSV []byte
	//go:embed cps_areas.csv
	cpsAreasCSV []byte
	//go:embed crown_courts.csv
	crownCourtsCSV []byte
	//go:embed magistrates_courts.csv
	magistratesCSV []byte
	//go:embed offences_ho.csv
	offencesHOCSV []byte
	//go:embed offences_cjs.csv
	offencesCJSCSV []byte
)

// tables is the loaded, validated reference data.
type tables struct {
	forces []Force // sorted by code
	areas  []CPSArea
	courts []CrownCourt
	mags   []MagistratesCourt
	ho     []HOOffence
	cjs    []CJSOffence

	forceIdx map[string]int
	areaIdx  map[string]int
	courtIdx map[string]int
	magIdx   map[string]int
	hoIdx    map[string]int
	cjsIdx   map[string]int

	// compatible maps a CJS code to the set of HO codes it may be recorded under.
	compatible map[string]map[string]bool
}

// sources are the raw CSV files.
type sources struct {
	forces, areas, courts, mags, ho, cjs []byte
}

var data = mustLoad(sources{
	forces: forcesCSV,
	areas:  cpsAreasCSV,
	courts: crownCourtsCSV,
	mags:   magistratesCSV,
	ho:     offencesHOCSV,
	cjs:    offencesCJSCSV,
})

func mustLoad(s sources) *tables {
	t, err := load(s)
	if err != nil {
		panic("refdata: embedded reference data is invalid: " + err.Error())
	}
	return t
}

// Forces returns the 43 territorial police forces, sorted by code. Codes are
// PNC force codes; names are as at 2024; populations are approximate ONS
// mid-2023 figures (see forces.csv).
func Forces() []Force {
	out := make([]Force, len(data.forces))
	for i, f := range data.forces {
		out[i] = f.clone()
	}
	return out
}

// LookupForce returns the force with the given two-digit PNC code, e.g. "01".
// The bool is false if there is no such force.
func LookupForce(code string) (Force, bool) {
	i, ok := data.forceIdx[code]
	if !ok {
		return Force{}, false
	}
	return data.forces[i].clone(), true
}

// CPSAreas returns the 14 CPS areas, sorted by id (CPS area list on
// cps.gov.uk, as at 2024).
func CPSAreas() []CPSArea {
	return slices.Clone(data.areas)
}

// LookupCPSArea returns the CPS area with the given id, e.g. "wessex".
// The bool is false if there is no such area.
func LookupCPSArea(id string) (CPSArea, bool) {
	i, ok := data.areaIdx[id]
	if !ok {
		return CPSArea{}, false
	}
	return data.areas[i], true
}

// CrownCourts returns the Crown Court centres of England and Wales, sorted by
// id (HMCTS court and tribunal finder, as at 2024; main sitting centres only).
func CrownCourts() []CrownCourt {
	return slices.Clone(data.courts)
}

// LookupCrownCourt returns the Crown Court centre with the given id, e.g.
// "leeds". The bool is false if there is no such court.
func LookupCrownCourt(id string) (CrownCourt, bool) {
	i, ok := data.courtIdx[id]
	if !ok {
		return CrownCourt{}, false
	}
	return data.courts[i], true
}

// HOOffences returns the Home Office sexual offence classifications, sorted
// by code (Home Office Counting Rules for Recorded Crime, Sexual Offences,
// April 2024).
func HOOffences() []HOOffence {
	return slices.Clone(data.ho)
}

// LookupHO returns the Home Office classification with the given code, e.g.
// "19C". Codes are matched exactly (upper case). The bool is false if the code
// is not a known sexual offence classification.
func LookupHO(code string) (HOOffence, bool) {
	i, ok := data.hoIdx[code]
	if !ok {
		return HOOffence{}, false
	}
	return data.ho[i], true
}

// CJSOffences returns the known CJS offence codes, sorted by code (CJS Offence
// Index, September 2023). Only the main Sexual Offences Act 2003 rape and
// sexual assault codes are listed, not the whole index.
func CJSOffences() []CJSOffence {
	return slices.Clone(data.cjs)
}

// LookupCJS returns the CJS offence with the given code, e.g. "SX03002".
// Codes are matched exactly (upper case, without an attempt/conspiracy
// suffix). The bool is false if the code is not in the table.
func LookupCJS(code string) (CJSOffence, bool) {
	i, ok := data.cjsIdx[code]
	if !ok {
		return CJSOffence{}, false
	}
	return data.cjs[i], true
}

// Offence classes: how an offence may be tried, which decides, among other
// things, its custody time limits.
const (
	IndictableOnly = "indictable_only" // Crown Court only; sent under s.51 Crime and Disorder Act 1998
	EitherWay      = "either_way"      // magistrates' court or Crown Court
	SummaryOnly    = "summary_only"    // magistrates' court only
)

// OffenceClass returns how the offence recorded with Home Office
// classification ho and CJS offence code cjs may be tried: IndictableOnly,
// EitherWay or SummaryOnly. The CJS code decides when it is in the table. A
// Home Office classification decides only when every offence recorded
// under it is tried the same way: the rape classifications 19C–19H (rape is
// indictable only); the others mix offences of both classes (20B covers
// assault of a girl under 13 by penetration, indictable only, and sexual
// assault of a girl under 13, either way). Otherwise it returns "": not
// known, and a caller must not guess in the defendant's disfavour.
func OffenceClass(ho, cjs string) string {
	if o, ok := LookupCJS(cjs); ok {
		if o.IndictableOnly {
			return IndictableOnly
		}
		return EitherWay
	}
	if o, ok := LookupHO(ho); ok && o.Rape {
		return IndictableOnly
	}
	return ""
}

// Compatible reports whether an offence may carry both the Home Office
// classification ho and the CJS offence code cjs: for example "19C" (rape of a
// female aged 16 and over) with "SX03002" (rape of a woman 16 or over), or
// "19E" with "SX03013". It is false when the two codes contradict each other
// (a different sex or age band, or rape against a non-rape offence) and also
// when either code is not in the tables, so an unknown pair is refused rather
// than accepted unchecked.
func Compatible(ho, cjs string) bool {
	return data.compatible[cjs][ho]
}

func (f Force) clone() Force {
	f.CPSAreas = slices.Clone(f.CPSAreas)
	f.CrownCourts = slices.Clone(f.CrownCourts)
	return f
}

// load parses and cross-checks the six CSV files.
func load(s sources) (*tables, error) {
	t := &tables{}
	var err error
	if t.areas, t.areaIdx, err = parseAreas(s.areas); err != nil {
		return nil, fmt.Errorf("cps_areas.csv: %w", err)
	}
	if t.courts, t.courtIdx, err = parseCourts(s.courts, t.areaIdx); err != nil {
		return nil, fmt.Errorf("crown_courts.csv: %w", err)
	}
	if t.forces, t.forceIdx, err = parseForces(s.forces, t.areaIdx, t.courtIdx); err != nil {
		return nil, fmt.Errorf("forces.csv: %w", err)
	}
	if t.mags, t.magIdx, err = parseMagistrates(s.mags, t.forceIdx, t.courtIdx); err != nil {
		return nil, fmt.Errorf("magistrates_courts.csv: %w", err)
	}
	if t.ho, t.hoIdx, err = parseHO(s.ho); err != nil {
		return nil, fmt.Errorf("offences_ho.csv: %w", err)
	}
	if t.cjs, t.cjsIdx, t.compatible, err = parseCJS(s.cjs, t.ho, t.hoIdx); err != nil {
		return nil, fmt.Errorf("offences_cjs.csv: %w", err)
	}
	return t, nil
}

// readCSV reads a CSV file whose comment lines start with '#' and whose first
// record is the header want. It returns the records after the header, each
// paired with its line number for error messages.
func readCSV(src []byte, want ...string) ([]record, error) {
	r := csv.NewReader(bytes.NewReader(src))
	r.Comment = '#'
	r.FieldsPerRecord = len(want)
	header, err := r.Read()
	if err == io.EOF {
		return nil, errors.New("empty file")
	}
	if err != nil {
		return nil, err
	}
	if !slices.Equal(header, want) {
		return nil, fmt.Errorf("header is %q, want %q", header, want)
	}
	var out []record
	for {
		fields, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		for i, f := range fields {
			if f == "" || strings.TrimSpace(f) != f {
				return nil, fmt.Errorf("line %d: field %q is empty or has surrounding spaces", line, want[i])
			}
		}
		out = append(out, record{line: line, fields: fields})
	}
	if len(out) == 0 {
		return nil, errors.New("no records")
	}
	return out, nil
}

type record struct {
	line   int
	fields []string
}

func (r record) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", r.line, fmt.Sprintf(format, args...))
}

// isSlug reports whether s is a lowercase id: letters, digits and single
// underscores, starting with a letter.
func isSlug(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func parseBool(r record, s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, r.errorf("%q is not true or false", s)
}

// splitList splits a ";"-separated list, refusing empty items and duplicates.
func splitList(r record, s string) ([]string, error) {
	items := strings.Split(s, ";")
	seen := make(map[string]bool, len(items))
	for _, it := range items {
		if it == "" {
			return nil, r.errorf("empty item in list %q", s)
		}
		if seen[it] {
			return nil, r.errorf("%q appears twice in list %q", it, s)
		}
		seen[it] = true
	}
	return items, nil
}

// index sorts rows by key and returns the key-to-position map, refusing
// duplicate keys.
func index[T any](rows []T, key func(T) string) (map[string]int, error) {
	slices.SortStableFunc(rows, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	idx := make(map[string]int, len(rows))
	for i, row := range rows {
		k := key(row)
		if _, dup := idx[k]; dup {
			return nil, fmt.Errorf("duplicate key %q", k)
		}
		idx[k] = i
	}
	return idx, nil
}

func parseAreas(src []byte) ([]CPSArea, map[string]int, error) {
	recs, err := readCSV(src, "id", "name")
	if err != nil {
		return nil, nil, err
	}
	areas := make([]CPSArea, 0, len(recs))
	for _, r := range recs {
		a := CPSArea{ID: r.fields[0], Name: r.fields[1]}
		if !isSlug(a.ID) {
			return nil, nil, r.errorf("id %q is not a lowercase id", a.ID)
		}
		areas = append(areas, a)
	}
	idx, err := index(areas, func(a CPSArea) string { return a.ID })
	return areas, idx, err
}

func parseCourts(src []byte, areaIdx map[string]int) ([]CrownCourt, map[string]int, error) {
	recs, err := readCSV(src, "id", "name", "cps_area")
	if err != nil {
		return nil, nil, err
	}
	courts := make([]CrownCourt, 0, len(recs))
	for _, r := range recs {
		c := CrownCourt{ID: r.fields[0], Name: r.fields[1], CPSArea: r.fields[2]}
		if !isSlug(c.ID) {
			return nil, nil, r.errorf("id %q is not a lowercase id", c.ID)
		}
		if _, ok := areaIdx[c.CPSArea]; !ok {
			return nil, nil, r.errorf("court %s: unknown CPS area %q", c.ID, c.CPSArea)
		}
		courts = append(courts, c)
	}
	idx, err := index(courts, func(c CrownCourt) string { return c.ID })
	return courts, idx, err
}

func parseForces(src []byte, areaIdx, courtIdx map[string]int) ([]Force, map[string]int, error) {
	recs, err := readCSV(src, "code", "name", "cps_areas", "population", "crown_courts")
	if err != nil {
		return nil, nil, err
	}
	forces := make([]Force, 0, len(recs))
	for _, r := range recs {
		f := Force{Code: r.fields[0], Name: r.fields[1]}
		if len(f.Code) != 2 || !isDigits(f.Code) {
			return nil, nil, r.errorf("force code %q is not two digits", f.Code)
		}
		if f.CPSAreas, err = splitList(r, r.fields[2]); err != nil {
			return nil, nil, err
		}
		for _, a := range f.CPSAreas {
			if _, ok := areaIdx[a]; !ok {
				return nil, nil, r.errorf("force %s: unknown CPS area %q", f.Code, a)
			}
		}
		if !isDigits(r.fields[3]) {
			return nil, nil, r.errorf("force %s: population %q is not a whole number", f.Code, r.fields[3])
		}
		if f.Population, err = strconv.Atoi(r.fields[3]); err != nil || f.Population <= 0 {
			return nil, nil, r.errorf("force %s: bad population %q", f.Code, r.fields[3])
		}
		if f.CrownCourts, err = splitList(r, r.fields[4]); err != nil {
			return nil, nil, err
		}
		for _, c := range f.CrownCourts {
			if _, ok := courtIdx[c]; !ok {
				return nil, nil, r.errorf("force %s: unknown Crown Court %q", f.Code, c)
			}
		}
		forces = append(forces, f)
	}
	idx, err := index(forces, func(f Force) string { return f.Code })
	return forces, idx, err
}

func parseHO(src []byte) ([]HOOffence, map[string]int, error) {
	recs, err := readCSV(src, "code", "title", "rape")
	if err != nil {
		return nil, nil, err
	}
	offences := make([]HOOffence, 0, len(recs))
	for _, r := range recs {
		o := HOOffence{Code: r.fields[0], Title: r.fields[1]}
		if !isHOCode(o.Code) {
			return nil, nil, r.errorf("%q is not a Home Office classification code", o.Code)
		}
		if o.Rape, err = parseBool(r, r.fields[2]); err != nil {
			return nil, nil, err
		}
		offences = append(offences, o)
	}
	idx, err := index(offences, func(o HOOffence) string { return o.Code })
	return offences, idx, err
}

// isHOCode reports whether s looks like a Home Office classification: one to
// three digits, optionally followed by one upper-case letter.
func isHOCode(s string) bool {
	digits := strings.TrimRight(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	return len(s)-len(digits) <= 1 && len(digits) >= 1 && len(digits) <= 3 && isDigits(digits)
}

// isCJSCode reports whether s looks like a CJS offence code of the form
// AAYYNNN (two upper-case letters, two-digit year, three-digit number).
func isCJSCode(s string) bool {
	if len(s) != 7 {
		return false
	}
	for _, c := range s[:2] {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return isDigits(s[2:])
}

func parseCJS(src []byte, ho []HOOffence, hoIdx map[string]int) ([]CJSOffence, map[string]int, map[string]map[string]bool, error) {
	recs, err := readCSV(src, "code", "title", "legislation", "mode", "rape", "ho_codes")
	if err != nil {
		return nil, nil, nil, err
	}
	offences := make([]CJSOffence, 0, len(recs))
	compatible := make(map[string]map[string]bool, len(recs))
	for _, r := range recs {
		o := CJSOffence{Code: r.fields[0], Title: r.fields[1], Legislation: r.fields[2]}
		if !isCJSCode(o.Code) {
			return nil, nil, nil, r.errorf("%q is not a CJS offence code", o.Code)
		}
		switch r.fields[3] {
		case "indictable_only":
			o.IndictableOnly = true
		case "either_way":
		default:
			return nil, nil, nil, r.errorf("%s: mode %q is not indictable_only or either_way", o.Code, r.fields[3])
		}
		if o.Rape, err = parseBool(r, r.fields[4]); err != nil {
			return nil, nil, nil, err
		}
		codes, err := splitList(r, r.fields[5])
		if err != nil {
			return nil, nil, nil, err
		}
		if compatible[o.Code] != nil {
			return nil, nil, nil, r.errorf("duplicate key %q", o.Code)
		}
		set := make(map[string]bool, len(codes))
		for _, c := range codes {
			i, ok := hoIdx[c]
			if !ok {
				return nil, nil, nil, r.errorf("%s: unknown Home Office code %q", o.Code, c)
			}
			if ho[i].Rape != o.Rape {
				return nil, nil, nil, r.errorf("%s: rape=%t but Home Office code %s has rape=%t", o.Code, o.Rape, c, ho[i].Rape)
			}
			set[c] = true
		}
		compatible[o.Code] = set
		offences = append(offences, o)
	}
	idx, err := index(offences, func(o CJSOffence) string { return o.Code })
	return offences, idx, compatible, err
}
