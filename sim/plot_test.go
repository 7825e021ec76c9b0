package sim

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

func TestWriteBacklogSVG(t *testing.T) {
	opts := Options{Replications: 3, Seed: 1}
	a, err := Run(context.Background(), shortBuiltin(t, "today"), opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), shortBuiltin(t, "specialist-courts"), opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteBacklogSVG(&buf, a, b); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	// Well-formed XML, self-contained, accessible.
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
	for _, want := range []string{`<title id="title">`, `<desc id="desc">`, `role="img"`, `aria-labelledby="title desc"`,
		"today", "specialist-courts", "<polygon", "<polyline", "Time (days)"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	for _, banned := range []string{"<script", "href=", "url(", "@import"} {
		if strings.Contains(svg, banned) {
			t.Errorf("SVG contains %q: it must be self-contained", banned)
		}
	}
	var again bytes.Buffer
	_ = WriteBacklogSVG(&again, a, b)
	if again.String() != svg {
		t.Error("the same results drew a different SVG")
	}
	if err := WriteBacklogSVG(&buf); err == nil {
		t.Error("no results accepted")
	}
}

func TestNiceTicks(t *testing.T) {
	got := NiceTicks(6543, 6)
	if got[0] != 0 || got[len(got)-1] < 6543 || len(got) > 9 {
		t.Errorf("NiceTicks(6543) = %v", got)
	}
}

func TestWriteTable(t *testing.T) {
	opts := Options{Replications: 3, Seed: 1}
	a, _ := Run(context.Background(), shortBuiltin(t, "today"), opts)
	b, _ := Run(context.Background(), shortBuiltin(t, "specialist-courts"), opts)
	d, err := Compare(a, b)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, []*Result{a, b}, d); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"today", "specialist-courts", "difference", "wait, sending → trial (days)", "backlog at the end", "%"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if got := num(-1234567.891, 1); got != "-1,234,567.9" {
		t.Errorf("num = %q", got)
	}
	if got := signed(0.2, 0); got != "0" {
		t.Errorf("signed(0.2) = %q, want 0", got)
	}
}

func TestWriteBacklogSVGInline(t *testing.T) {
	a, err := Run(context.Background(), shortBuiltin(t, "today"), Options{Replications: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteBacklogSVGInline(&buf, "backlog-", a); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	for _, want := range []string{`<title id="backlog-title">`, `<desc id="backlog-desc">`, `aria-labelledby="backlog-title backlog-desc"`, `width="100%"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("inline SVG lacks %q", want)
		}
	}
	root, _, _ := strings.Cut(svg, "\n")
	if strings.Contains(root, "height=") {
		t.Errorf("inline SVG has a fixed height: %s", root)
	}
	for _, banned := range []string{"style=", "<style"} {
		if strings.Contains(svg, banned) {
			t.Errorf("inline SVG contains %q", banned)
		}
	}
}
