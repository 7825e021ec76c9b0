package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"throughline/internal/validatortest"
)

// `release` over generated cases: every file is written and parses, no
// count from 1 to 4 is published, suppression is marked the same way in
// CSV and JSON, and no row or column of a count table has exactly one [c]
// (which its total would give away).
func TestReleaseOfGeneratedCases(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + dir + "/gen.db"
	if code, _, errs := run(t, "", "generate", "--cases", "2000", "--seed", "5", "--from-year", "2021", "--to-year", "2026", "--as-of", "2026-11-25", "--db", dsn); code != 0 {
		t.Fatal(errs)
	}
	out := filepath.Join(dir, "release")
	code, stdout, errs := run(t, "", "release", "--quarter", "2026Q3", "--out", out, "--db", dsn)
	if code != 0 {
		t.Fatal(errs)
	}
	for _, ext := range []string{"csv", "json", "html", "pdf"} {
		p := filepath.Join(out, "throughline-rasso-2026Q3."+ext)
		if !strings.Contains(stdout, p) {
			t.Errorf("%s not listed in %q", p, stdout)
		}
		if _, err := os.Stat(p); err != nil {
			t.Fatal(err)
		}
	}
	read := func(ext string) []byte {
		b, err := os.ReadFile(filepath.Join(out, "throughline-rasso-2026Q3."+ext))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	rows, err := csv.NewReader(bytes.NewReader(read("csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "table,quarter,geography,code,name,measure,value,note" {
		t.Fatalf("header %v", rows[0])
	}
	type line struct{ table, key string }
	marks := map[line]int{} // [c] per row and per column of each count table
	cells, suppressed := 0, 0
	for _, r := range rows[1:] {
		table, value := r[0], r[6]
		if table == "notes" {
			continue
		}
		if r[1] != "2026Q3" {
			t.Fatalf("quarter %q", r[1])
		}
		if r[4] == "" || r[4] == r[3] && r[3] != "" {
			t.Errorf("row without a name: %v", r)
		}
		if strings.HasPrefix(table, "medians") {
			continue
		}
		cells++
		if value == "[c]" {
			suppressed++
			marks[line{table, "row " + r[3]}]++
			marks[line{table, "col " + r[5]}]++
			continue
		}
		n, err := strconv.Atoi(value)
		if err != nil {
			t.Fatalf("value %q: %v", value, err)
		}
		if n >= 1 && n <= 4 {
			t.Errorf("published count %d: %v", n, r)
		}
	}
	if suppressed == 0 || cells < 500 {
		t.Errorf("%d cells, %d suppressed", cells, suppressed)
	}
	for l, n := range marks {
		// A count table without row totals (counts_by_*) has columns only:
		// a row of it is not a sum.
		if n == 1 && !(strings.HasPrefix(l.table, "counts_") && strings.HasPrefix(l.key, "row ")) {
			t.Errorf("%s %s has exactly one [c]: its total gives it away", l.table, l.key)
		}
	}
	if !strings.Contains(rows[len(rows)-1][0], "notes") {
		t.Error("the CSV does not end with its notes")
	}

	var rel struct {
		Quarter string `json:"quarter"`
		Tables  []struct {
			ID   string `json:"id"`
			Rows []struct {
				Name   string `json:"name"`
				Values []struct {
					Value      *int `json:"value"`
					Suppressed bool `json:"suppressed"`
				} `json:"values"`
			} `json:"rows"`
		} `json:"tables"`
		Notes []string `json:"notes"`
	}
	if err := json.Unmarshal(read("json"), &rel); err != nil {
		t.Fatal(err)
	}
	jsonSuppressed := 0
	for _, tb := range rel.Tables {
		for _, r := range tb.Rows {
			for _, v := range r.Values {
				if v.Suppressed != (v.Value == nil) {
					t.Fatalf("%s %s: %+v", tb.ID, r.Name, v)
				}
				if strings.HasPrefix(tb.ID, "medians") {
					continue
				}
				if v.Suppressed {
					jsonSuppressed++
				} else if *v.Value >= 1 && *v.Value <= 4 {
					t.Errorf("%s %s: published %d", tb.ID, r.Name, *v.Value)
				}
			}
		}
	}
	if rel.Quarter != "2026Q3" || jsonSuppressed != suppressed || len(rel.Notes) == 0 {
		t.Errorf("JSON: quarter %q, %d suppressed (CSV %d), %d notes", rel.Quarter, jsonSuppressed, suppressed, len(rel.Notes))
	}

	h := string(read("html"))
	for _, want := range []string{`<html lang="en-GB">`, "<caption>", `scope="row"`, "@media print", "West Yorkshire Police", "CPS Yorkshire and Humberside"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if pdf := read("pdf"); !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 5000 {
		t.Errorf("PDF: %d bytes, starts %q", len(pdf), pdf[:min(8, len(pdf))])
	}
	// The independent validators, as for every page and letter: the Nu
	// HTML Checker over the report; poppler over the PDF — it reads without
	// complaint, is A4 with its title, and every font is embedded as a
	// tagged subset with a Unicode map, the bold face its own.
	validatortest.VNU(t, filepath.Join(out, "throughline-rasso-2026Q3.html"))
	pdf := read("pdf")
	info := validatortest.Poppler(t, pdf, "pdfinfo", "%pdf")
	if !strings.Contains(info, "(A4)") || !strings.Contains(info, "Title:") {
		t.Errorf("pdfinfo:\n%s", info)
	}
	if faces := validatortest.PDFFonts(t, validatortest.Poppler(t, pdf, "pdffonts", "%pdf")); len(faces) != 2 || !faces["DejaVuSans"] || !faces["DejaVuSans-Bold"] {
		t.Errorf("the report's fonts: %v, want DejaVu Sans and DejaVu Sans Bold", faces)
	}
	if text := validatortest.Poppler(t, pdf, "pdftotext", "-enc", "UTF-8", "%pdf", "-"); !strings.Contains(text, "West Yorkshire Police") {
		t.Errorf("the report's text does not name the forces:\n%.400s", text)
	}

	// One format at a time.
	code, _, errs = run(t, "", "release", "--quarter", "2025Q4", "--out", out, "--format", "json", "--db", dsn)
	if code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(filepath.Join(out, "throughline-rasso-2025Q4.csv")); err == nil {
		t.Error("--format json wrote a CSV")
	}
}

func TestReleaseUsage(t *testing.T) {
	db := "sqlite:" + t.TempDir() + "/x.db"
	for _, args := range [][]string{
		{},
		{"--quarter", "2026Q5"},
		{"--quarter", "2026Q4"}, // not over on 25 November 2026
		{"--quarter", "2026Q3", "--format", "xlsx"},
	} {
		if code, _, errs := run(t, "", append(append([]string{"release"}, args...), "--db", db)...); code != 2 {
			t.Errorf("release %v: exit %d, want 2 (%s)", args, code, errs)
		}
	}
}
