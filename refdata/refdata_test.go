package refdata

import (
	"slices"
	"strings"
	"testing"
)

func TestForcesCountAndOrder(t *testing.T) {
	forces := Forces()
	if len(forces) != 43 {
		t.Fatalf("got %d forces, want 43", len(forces))
	}
	seen := map[string]bool{}
	names := map[string]bool{}
	for i, f := range forces {
		if seen[f.Code] {
			t.Errorf("duplicate force code %q", f.Code)
		}
		seen[f.Code] = true
		if names[f.Name] {
			t.Errorf("duplicate force name %q", f.Name)
		}
		names[f.Name] = true
		if i > 0 && forces[i-1].Code >= f.Code {
			t.Errorf("forces not sorted by code: %q before %q", forces[i-1].Code, f.Code)
		}
	}
}

// TestForceCodes pins every PNC force code to its force.
func TestForceCodes(t *testing.T) {
	want := map[string]string{
		"01": "Metropolitan Police Service", "03": "Cumbria", "04": "Lancashire",
		"05": "Merseyside", "06": "Greater Manchester", "07": "Cheshire", "10": "Northumbria",
		"11": "Durham", "12": "North Yorkshire", "13": "West Yorkshire", "14": "South Yorkshire",
		"16": "Humberside", "17": "Cleveland", "20": "West Midlands", "21": "Staffordshire",
		"22": "West Mercia", "23": "Warwickshire", "30": "Derbyshire", "31": "Nottinghamshire",
		"32": "Lincolnshire", "33": "Leicestershire", "34": "Northamptonshire",
		"35": "Cambridgeshire", "36": "Norfolk", "37": "Suffolk", "40": "Bedfordshire",
		"41": "Hertfordshire", "42": "Essex", "43": "Thames Valley", "44": "Hampshire",
		"45": "Surrey", "46": "Kent", "47": "Sussex", "48": "City of London",
		"50": "Devon and Cornwall", "52": "Avon and Somerset", "53": "Gloucestershire",
		"54": "Wiltshire", "55": "Dorset", "60": "North Wales", "61": "Gwent",
		"62": "South Wales", "63": "Dyfed-Powys",
	}
	if len(want) != 43 {
		t.Fatalf("test table has %d entries", len(want))
	}
	for code, prefix := range want {
		f, ok := LookupForce(code)
		if !ok {
			t.Errorf("LookupForce(%q) not found", code)
			continue
		}
		if !strings.HasPrefix(f.Name, prefix) {
			t.Errorf("force %s is %q, want a name starting %q", code, f.Name, prefix)
		}
	}
	for _, bad := range []string{"", "1", "02", "99", "13 ", "West Yorkshire"} {
		if _, ok := LookupForce(bad); ok {
			t.Errorf("LookupForce(%q) found a force", bad)
		}
	}
}

func TestForceFacts(t *testing.T) {
	f, _ := LookupForce("13")
	if f.Name != "West Yorkshire Police" || !slices.Equal(f.CPSAreas, []string{"yorkshire_humberside"}) {
		t.Errorf("13 = %+v", f)
	}
	if f, _ := LookupForce("63"); f.Name != "Dyfed-Powys Police" {
		t.Errorf("63 = %q, want Dyfed-Powys Police", f.Name)
	}
	for _, code := range []string{"01", "48"} {
		f, _ := LookupForce(code)
		if !slices.Equal(f.CPSAreas, []string{"london_north", "london_south"}) {
			t.Errorf("%s CPS areas = %v, want [london_north london_south]", code, f.CPSAreas)
		}
	}
	for _, code := range []string{"60", "61", "62", "63"} {
		f, _ := LookupForce(code)
		if !slices.Equal(f.CPSAreas, []string{"cymru_wales"}) {
			t.Errorf("Welsh force %s CPS areas = %v, want [cymru_wales]", code, f.CPSAreas)
		}
	}
	// Only the four Welsh forces are in CPS Cymru-Wales.
	for _, f := range Forces() {
		welsh := f.Code >= "60"
		if slices.Contains(f.CPSAreas, "cymru_wales") != welsh {
			t.Errorf("force %s (%s): areas %v", f.Code, f.Name, f.CPSAreas)
		}
	}
	wantArea := map[string]string{
		"05": "mersey_cheshire", "07": "mersey_cheshire", "06": "north_west",
		"43": "thames_chiltern", "40": "thames_chiltern", "41": "thames_chiltern",
		"44": "wessex", "54": "wessex", "55": "wessex", "42": "east_of_england",
		"20": "west_midlands", "17": "north_east", "46": "south_east", "50": "south_west",
		"34": "east_midlands",
	}
	for code, area := range wantArea {
		f, _ := LookupForce(code)
		if len(f.CPSAreas) != 1 || f.CPSAreas[0] != area {
			t.Errorf("force %s areas = %v, want [%s]", code, f.CPSAreas, area)
		}
	}
	if f, _ := LookupForce("01"); !slices.Contains(f.CrownCourts, "central_criminal_court") {
		t.Errorf("Metropolitan Police courts %v lack the Central Criminal Court", f.CrownCourts)
	}
	if f, _ := LookupForce("13"); !slices.Contains(f.CrownCourts, "leeds") {
		t.Errorf("West Yorkshire courts %v lack Leeds", f.CrownCourts)
	}
}

func TestPopulation(t *testing.T) {
	total := 0
	for _, f := range Forces() {
		if f.Population <= 0 {
			t.Errorf("force %s has population %d", f.Code, f.Population)
		}
		if f.Population%1000 != 0 {
			t.Errorf("force %s population %d is not rounded to a thousand", f.Code, f.Population)
		}
		total += f.Population
	}
	// England and Wales had about 60.9 million residents in mid-2023.
	if total < 58_000_000 || total > 64_000_000 {
		t.Errorf("total population %d, want about 61 million", total)
	}
	met, _ := LookupForce("01")
	city, _ := LookupForce("48")
	if met.Population < 8_000_000 || city.Population > 20_000 {
		t.Errorf("Met %d, City %d", met.Population, city.Population)
	}
}

func TestCPSAreas(t *testing.T) {
	areas := CPSAreas()
	want := []string{
		"cymru_wales", "east_midlands", "east_of_england", "london_north", "london_south",
		"mersey_cheshire", "north_east", "north_west", "south_east", "south_west",
		"thames_chiltern", "wessex", "west_midlands", "yorkshire_humberside",
	}
	var got []string
	for _, a := range areas {
		got = append(got, a.ID)
		if a.Name == "" {
			t.Errorf("area %s has no name", a.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("CPS areas = %v, want %v", got, want)
	}
	if a, ok := LookupCPSArea("cymru_wales"); !ok || a.Name != "CPS Cymru-Wales" {
		t.Errorf("cymru_wales = %+v, %t", a, ok)
	}
	if a, _ := LookupCPSArea("thames_chiltern"); a.Name != "CPS Thames and Chiltern" {
		t.Errorf("thames_chiltern = %q", a.Name)
	}
	if _, ok := LookupCPSArea("london"); ok {
		t.Error("LookupCPSArea(london) found an area")
	}
}

func TestCrossReferences(t *testing.T) {
	forcesPerArea := map[string]int{}
	for _, f := range Forces() {
		if len(f.CPSAreas) == 0 {
			t.Errorf("force %s has no CPS area", f.Code)
		}
		for _, a := range f.CPSAreas {
			if _, ok := LookupCPSArea(a); !ok {
				t.Errorf("force %s: unknown CPS area %q", f.Code, a)
			}
			forcesPerArea[a]++
		}
		if len(f.CrownCourts) == 0 {
			t.Errorf("force %s has no Crown Court", f.Code)
		}
		for _, id := range f.CrownCourts {
			c, ok := LookupCrownCourt(id)
			if !ok {
				t.Errorf("force %s: unknown Crown Court %q", f.Code, id)
				continue
			}
			if !slices.Contains(f.CPSAreas, c.CPSArea) {
				t.Errorf("force %s (areas %v) is served by %s in %s", f.Code, f.CPSAreas, id, c.CPSArea)
			}
		}
	}
	courtsPerArea := map[string]int{}
	for _, c := range CrownCourts() {
		if _, ok := LookupCPSArea(c.CPSArea); !ok {
			t.Errorf("court %s: unknown CPS area %q", c.ID, c.CPSArea)
		}
		courtsPerArea[c.CPSArea]++
	}
	for _, a := range CPSAreas() {
		if forcesPerArea[a.ID] == 0 {
			t.Errorf("CPS area %s has no force", a.ID)
		}
		if courtsPerArea[a.ID] == 0 {
			t.Errorf("CPS area %s has no Crown Court", a.ID)
		}
	}
}

func TestCrownCourts(t *testing.T) {
	courts := CrownCourts()
	if len(courts) < 75 {
		t.Errorf("got %d Crown Courts, want at least 75", len(courts))
	}
	for i, c := range courts {
		if i > 0 && courts[i-1].ID >= c.ID {
			t.Errorf("courts not sorted by id: %q before %q", courts[i-1].ID, c.ID)
		}
		if !isSlug(c.ID) || c.Name == "" {
			t.Errorf("bad court %+v", c)
		}
	}
	want := map[string]string{
		"central_criminal_court": "london_north", "snaresbrook": "london_north",
		"southwark": "london_south", "leeds": "yorkshire_humberside", "cardiff": "cymru_wales",
		"mold": "cymru_wales", "newport": "cymru_wales", "isle_of_wight": "wessex",
		"manchester_crown_square": "north_west", "liverpool": "mersey_cheshire",
		"teesside": "north_east", "birmingham": "west_midlands", "bristol": "south_west",
		"winchester": "wessex", "reading": "thames_chiltern", "st_albans": "thames_chiltern",
		"chelmsford": "east_of_england", "nottingham": "east_midlands", "maidstone": "south_east",
	}
	for id, area := range want {
		c, ok := LookupCrownCourt(id)
		if !ok {
			t.Errorf("LookupCrownCourt(%q) not found", id)
			continue
		}
		if c.CPSArea != area {
			t.Errorf("court %s area %q, want %q", id, c.CPSArea, area)
		}
	}
	if c, _ := LookupCrownCourt("central_criminal_court"); c.Name != "Central Criminal Court" {
		t.Errorf("central_criminal_court name %q", c.Name)
	}
	if _, ok := LookupCrownCourt("Leeds"); ok {
		t.Error("LookupCrownCourt is not exact")
	}
}

func TestHOOffences(t *testing.T) {
	want := map[string]struct {
		title string
		rape  bool
	}{
		"19C": {"Rape of a female aged 16 and over", true},
		"19D": {"Rape of a female child under 16", true},
		"19E": {"Rape of a female child under 13", true},
		"19F": {"Rape of a male aged 16 and over", true},
		"19G": {"Rape of a male child under 16", true},
		"19H": {"Rape of a male child under 13", true},
		"17A": {"Sexual assault on a male aged 13 and over", false},
		"17B": {"Sexual assault on a male child under 13", false},
		"20A": {"Sexual assault on a female aged 13 and over", false},
		"20B": {"Sexual assault on a female child under 13", false},
		"21":  {"Sexual activity involving a child under 13", false},
		"22A": {"Causing sexual activity without consent", false},
		"22B": {"Sexual activity involving a child under 16", false},
		"23":  {"Incest or familial sexual offences", false},
		"70":  {"Sexual activity etc with a person with a mental disorder", false},
		"71":  {"Abuse of children through sexual exploitation", false},
		"72":  {"Trafficking for sexual exploitation", false},
		"73":  {"Abuse of position of trust of a sexual nature", false},
		"88A": {"Sexual grooming", false},
		"88C": {"Other miscellaneous sexual offences", false},
		"88D": {"Unnatural sexual offences", false},
		"88E": {"Exposure and voyeurism", false},
	}
	for code, w := range want {
		o, ok := LookupHO(code)
		if !ok {
			t.Errorf("LookupHO(%q) not found", code)
			continue
		}
		if o.Title != w.title || o.Rape != w.rape {
			t.Errorf("LookupHO(%q) = %+v, want %q rape=%t", code, o, w.title, w.rape)
		}
	}
	all := HOOffences()
	rapes := 0
	for i, o := range all {
		if i > 0 && all[i-1].Code >= o.Code {
			t.Errorf("HO offences not sorted: %q before %q", all[i-1].Code, o.Code)
		}
		if o.Rape {
			rapes++
			if !strings.HasPrefix(o.Code, "19") {
				t.Errorf("%s marked rape", o.Code)
			}
		}
	}
	if rapes != 6 {
		t.Errorf("%d rape classifications, want 6 (19C-19H)", rapes)
	}
	for _, c := range []string{"88B", "88C", "88D", "88E"} {
		if _, ok := LookupHO(c); !ok {
			t.Errorf("LookupHO(%q) not found", c)
		}
	}
	if _, ok := LookupHO("19c"); ok {
		t.Error("LookupHO is not exact")
	}
}

func TestCJSOffences(t *testing.T) {
	type w struct {
		title, legislation string
		indictableOnly     bool
		rape               bool
	}
	want := map[string]w{
		"SX03001": {"girl aged 13 / 14 / 15", "Sexual Offences Act 2003 s.1", true, true},
		"SX03002": {"woman 16 years of age or over", "Sexual Offences Act 2003 s.1", true, true},
		"SX03003": {"boy aged 13 / 14 / 15", "Sexual Offences Act 2003 s.1", true, true},
		"SX03004": {"man 16 years of age or over", "Sexual Offences Act 2003 s.1", true, true},
		"SX03013": {"girl under 13", "Sexual Offences Act 2003 s.5", true, true},
		"SX03014": {"boy under 13", "Sexual Offences Act 2003 s.5", true, true},
		"SX03008": {"male", "Sexual Offences Act 2003 s.3", false, false},
		"SX03017": {"girl under 13", "Sexual Offences Act 2003 s.7", false, false},
	}
	for code, w := range want {
		o, ok := LookupCJS(code)
		if !ok {
			t.Errorf("LookupCJS(%q) not found", code)
			continue
		}
		if !strings.Contains(o.Title, w.title) || o.Legislation != w.legislation ||
			o.IndictableOnly != w.indictableOnly || o.Rape != w.rape {
			t.Errorf("LookupCJS(%q) = %+v, want %+v", code, o, w)
		}
		if w.rape && !strings.HasPrefix(o.Title, "Rape") {
			t.Errorf("%s title %q", code, o.Title)
		}
	}
	all := CJSOffences()
	for i, o := range all {
		if i > 0 && all[i-1].Code >= o.Code {
			t.Errorf("CJS offences not sorted: %q before %q", all[i-1].Code, o.Code)
		}
		if !isCJSCode(o.Code) || o.Title == "" || !strings.HasPrefix(o.Legislation, "Sexual Offences Act 2003 s.") {
			t.Errorf("bad CJS offence %+v", o)
		}
		// Every rape is indictable only.
		if o.Rape && !o.IndictableOnly {
			t.Errorf("%s is rape but not indictable only", o.Code)
		}
		// Every CJS offence can be recorded under at least one HO code.
		n := 0
		for _, h := range HOOffences() {
			if Compatible(h.Code, o.Code) {
				n++
				if h.Rape != o.Rape {
					t.Errorf("Compatible(%s, %s) mixes rape and non-rape", h.Code, o.Code)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s is compatible with no HO code", o.Code)
		}
	}
	if _, ok := LookupCJS("SX03002A"); ok {
		t.Error("LookupCJS found an attempt code")
	}
}

func TestCompatible(t *testing.T) {
	yes := [][2]string{
		{"19C", "SX03002"}, {"19D", "SX03001"}, {"19E", "SX03013"},
		{"19F", "SX03004"}, {"19G", "SX03003"}, {"19H", "SX03014"},
		{"17A", "SX03008"}, {"20B", "SX03017"}, {"17B", "SX03018"},
	}
	for _, p := range yes {
		if !Compatible(p[0], p[1]) {
			t.Errorf("Compatible(%s, %s) = false, want true", p[0], p[1])
		}
	}
	no := [][2]string{
		{"19C", "SX03001"}, // adult vs 13-15
		{"19C", "SX03004"}, // female vs male
		{"19E", "SX03002"}, // under 13 vs adult
		{"19E", "SX03014"}, // female vs male
		{"19H", "SX03013"}, // male vs female
		{"19D", "SX03013"}, // under 16 vs under 13
		{"20A", "SX03002"}, // sexual assault vs rape
		{"19C", "SX03007"}, // rape vs sexual assault
		{"17A", "SX03007"}, // male vs female
		{"19C", "SX99999"}, // unknown CJS code
		{"99Z", "SX03002"}, // unknown HO code
		{"", ""},
		{"SX03002", "19C"}, // arguments swapped
		{"19c", "SX03002"}, // codes are exact
	}
	for _, p := range no {
		if Compatible(p[0], p[1]) {
			t.Errorf("Compatible(%s, %s) = true, want false", p[0], p[1])
		}
	}
	// Each rape classification has exactly one CJS rape code.
	for _, h := range HOOffences() {
		if !h.Rape {
			continue
		}
		n := 0
		for _, c := range CJSOffences() {
			if Compatible(h.Code, c.Code) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s is compatible with %d CJS codes, want 1", h.Code, n)
		}
	}
}

func TestReturnsCopies(t *testing.T) {
	fs := Forces()
	fs[0].Name = "changed"
	fs[0].CPSAreas[0] = "changed"
	fs[0].CrownCourts[0] = "changed"
	f, _ := LookupForce(fs[0].Code)
	f.CPSAreas[0] = "changed too"
	f.CrownCourts = append(f.CrownCourts[:0], "changed too")
	again, _ := LookupForce(fs[0].Code)
	if again.Name == "changed" || again.CPSAreas[0] != "london_north" || again.CrownCourts[0] != "central_criminal_court" {
		t.Errorf("force table was changed through a returned value: %+v", again)
	}
	if Forces()[0].CPSAreas[0] != "london_north" {
		t.Error("Forces() shares slices")
	}

	as := CPSAreas()
	as[0].Name = "changed"
	if CPSAreas()[0].Name == "changed" {
		t.Error("CPSAreas() shares its slice")
	}
	cs := CrownCourts()
	cs[0].Name = "changed"
	if CrownCourts()[0].Name == "changed" {
		t.Error("CrownCourts() shares its slice")
	}
	hs := HOOffences()
	hs[0].Title = "changed"
	if HOOffences()[0].Title == "changed" {
		t.Error("HOOffences() shares its slice")
	}
	js := CJSOffences()
	js[0].Title = "changed"
	if CJSOffences()[0].Title == "changed" {
		t.Error("CJSOffences() shares its slice")
	}
}

// embedded returns the real sources, which the load tests then break one at
// a time.
func embedded() sources {
	return sources{forces: forcesCSV, areas: cpsAreasCSV, courts: crownCourtsCSV, mags: magistratesCSV, ho: offencesHOCSV, cjs: offencesCJSCSV}
}

func TestLoadEmbedded(t *testing.T) {
	if _, err := load(embedded()); err != nil {
		t.Fatal(err)
	}
}

func TestLoadRejectsBadData(t *testing.T) {
	replace := func(b []byte, old, new string) []byte {
		s := string(b)
		if !strings.Contains(s, old) {
			t.Fatalf("test setup: %q not found", old)
		}
		return []byte(strings.Replace(s, old, new, 1))
	}
	tests := []struct {
		name   string
		change func(*sources)
		want   string
	}{
		{"empty file", func(s *sources) { s.areas = nil }, "cps_areas.csv: empty file"},
		{"bad header", func(s *sources) { s.areas = replace(s.areas, "id,name", "id,title") }, "header"},
		{"wrong field count", func(s *sources) { s.areas = replace(s.areas, "wessex,CPS Wessex", "wessex,CPS Wessex,extra") }, "cps_areas.csv"},
		{"duplicate area", func(s *sources) { s.areas = replace(s.areas, "wessex,", "west_midlands,") }, "duplicate key"},
		{"bad area id", func(s *sources) { s.areas = replace(s.areas, "wessex,", "Wessex,") }, "lowercase id"},
		{"empty field", func(s *sources) { s.areas = replace(s.areas, "wessex,CPS Wessex", "wessex,") }, "empty"},
		{"court with unknown area", func(s *sources) {
			s.courts = replace(s.courts, "leeds,Leeds Crown Court,yorkshire_humberside", "leeds,Leeds Crown Court,yorkshire")
		}, "unknown CPS area"},
		{"duplicate court", func(s *sources) { s.courts = replace(s.courts, "york,York", "leeds,York") }, "duplicate key"},
		{"force with unknown court", func(s *sources) { s.forces = replace(s.forces, "york\n", "yorke\n") }, "unknown Crown Court"},
		{"force with unknown area", func(s *sources) { s.forces = replace(s.forces, ",wessex,", ",wesex,") }, "unknown CPS area"},
		{"force code", func(s *sources) { s.forces = replace(s.forces, "\n01,", "\n1,") }, "two digits"},
		{"duplicate force", func(s *sources) { s.forces = replace(s.forces, "\n03,", "\n04,") }, "duplicate key"},
		{"population", func(s *sources) { s.forces = replace(s.forces, ",501000,", ",about 500000,") }, "population"},
		{"zero population", func(s *sources) { s.forces = replace(s.forces, ",501000,", ",0,") }, "population"},
		{"repeated list item", func(s *sources) { s.forces = replace(s.forces, "leeds;bradford", "leeds;leeds") }, "twice"},
		{"bad rape flag", func(s *sources) {
			s.ho = replace(s.ho, "Rape of a female aged 16 and over,true", "Rape of a female aged 16 and over,yes")
		}, "true or false"},
		{"bad HO code", func(s *sources) { s.ho = replace(s.ho, "\n88A,", "\n88a,") }, "classification code"},
		{"bad CJS code", func(s *sources) { s.cjs = replace(s.cjs, "\nSX03002,", "\nSX3002,") }, "CJS offence code"},
		{"bad mode", func(s *sources) { s.cjs = replace(s.cjs, "s.1,indictable_only", "s.1,indictable") }, "mode"},
		{"unknown HO code", func(s *sources) { s.cjs = replace(s.cjs, ",19C\n", ",19Z\n") }, "unknown Home Office code"},
		{"rape mapped to non-rape", func(s *sources) { s.cjs = replace(s.cjs, ",19C\n", ",20A\n") }, "rape=true"},
		{"duplicate CJS", func(s *sources) { s.cjs = replace(s.cjs, "\nSX03002,", "\nSX03001,") }, "duplicate key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := embedded()
			tt.change(&s)
			_, err := load(s)
			if err == nil {
				t.Fatal("load accepted bad data")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestMustLoadPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("mustLoad did not panic on bad data")
		}
	}()
	s := embedded()
	s.forces = []byte("code,name\n")
	mustLoad(s)
}

// How each offence may be tried: from the CJS code when known, from a Home
// Office rape classification otherwise, else not known.
func TestOffenceClass(t *testing.T) {
	for _, c := range []struct{ ho, cjs, want string }{
		{"19C", "SX03002", IndictableOnly}, // rape, s.1
		{"19E", "SX03013", IndictableOnly}, // rape of a child under 13, s.5
		{"20B", "SX03015", IndictableOnly}, // assault of a girl under 13 by penetration, s.6
		{"20A", "SX03007", EitherWay},      // sexual assault, s.3
		{"20B", "SX03017", EitherWay},      // sexual assault of a girl under 13, s.7
		{"19F", "", IndictableOnly},        // a rape classification without a CJS code
		{"19D", "SX99999", IndictableOnly}, // an unknown CJS code: the rape classification decides
		{"20B", "", ""},                    // mixes s.6 (indictable only) and s.7 (either way)
		{"88E", "", ""},                    // not known
		{"", "", ""},
	} {
		if got := OffenceClass(c.ho, c.cjs); got != c.want {
			t.Errorf("OffenceClass(%q, %q) = %q, want %q", c.ho, c.cjs, got, c.want)
		}
	}
	// Every rape offence in the CJS table is indictable only.
	for _, o := range CJSOffences() {
		if o.Rape && OffenceClass("", o.Code) != IndictableOnly {
			t.Errorf("%s: rape but not indictable only", o.Code)
		}
	}
}

// TestCourtNames: a hearing's court id names one court, a Crown Court or a
// magistrates' court, and a magistrates' court cannot take a Crown Court's id.
func TestCourtNames(t *testing.T) {
	for id, want := range map[string]string{"leeds": "Leeds Crown Court", "leeds_magistrates": "Leeds Magistrates' Court", "kirklees_magistrates": "Kirklees Magistrates' Court"} {
		if got, ok := CourtName(id); !ok || got != want {
			t.Errorf("CourtName(%q) = %q, %v; want %q", id, got, ok, want)
		}
	}
	for _, bad := range []string{"", "Leeds Magistrates' Court", "LEEDS"} {
		if got, ok := CourtName(bad); ok {
			t.Errorf("CourtName(%q) = %q, want not found", bad, got)
		}
	}
	for _, c := range MagistratesCourts() {
		if _, ok := LookupForce(c.Force); !ok || !strings.HasSuffix(c.Name, "Magistrates' Court") {
			t.Errorf("magistrates' court %+v", c)
		}
	}
	s := embedded()
	s.mags = []byte("id,name,force\nleeds,Leeds Magistrates' Court,13\n")
	if _, err := load(s); err == nil || !strings.Contains(err.Error(), "a Crown Court has the same id") {
		t.Errorf("a magistrates' court with a Crown Court's id: %v", err)
	}
}
