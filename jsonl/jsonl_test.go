package jsonl

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"throughline"
)

const opened = `{"case":"13RS0000001/24","type":"case_opened","occurred_at":"2024-01-15","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Amy Example"}],"suspects":[{"id":"S1","name":"Sam Suspect"}]}}`

func TestReadReportsLineAndField(t *testing.T) {
	in := opened + "\n\n" +
		`{"case":"13RS0000001/24","type":"charged","occurred_at":"2024-02-30","data":{"defendant_id":"S1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"bail"}}` + "\n" +
		`{"case":"13RS0000001/24","type":"no_such_type","occurred_at":"2024-02-01","data":{}}` + "\n" +
		`{"case":"x","type":"case_closed","occurred_at":"2024-02-01","data":{"reason":"done"}}` + "\n" +
		`{"case":"13RS0000001/24","type":"case_opened","occurred_at":"2024-01-15","data":{"force":"99","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"A"}],"suspects":[{"id":"S1","name":"B"}]}}` + "\n"
	lines, bad, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].No != 1 {
		t.Fatalf("good lines = %+v, want only line 1", lines)
	}
	want := []struct {
		no    int
		field string
	}{{3, "occurred_at"}, {4, "type"}, {5, "case"}, {6, "data.force"}}
	if len(bad) != len(want) {
		t.Fatalf("bad lines = %v, want %d", bad, len(want))
	}
	for i, w := range want {
		var e *throughline.Error
		if bad[i].No != w.no {
			t.Errorf("bad[%d] is line %d, want %d", i, bad[i].No, w.no)
		}
		if !asError(bad[i].Err, &e) || len(e.Fields) == 0 || e.Fields[0].Field != w.field {
			t.Errorf("line %d: error %v, want field %s", w.no, bad[i].Err, w.field)
		}
	}
}

func asError(err error, target **throughline.Error) bool {
	e, ok := err.(*throughline.Error)
	*target = e
	return ok
}

func TestWriteReadRoundTrip(t *testing.T) {
	lines, bad, err := Read(strings.NewReader(opened))
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.Write(lines[0].Event); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	first := buf.String()
	again, bad, err := Read(&buf)
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	var buf2 bytes.Buffer
	w2 := NewWriter(&buf2)
	w2.Write(again[0].Event)
	w2.Flush()
	if first != buf2.String() {
		t.Fatalf("round trip changed the line:\n%s\n%s", first, buf2.String())
	}
}

// FuzzRead: no input makes Read panic, and every line it accepts survives
// write → read unchanged.
func FuzzRead(f *testing.F) {
	f.Add(opened)
	f.Add(`{"case":"A-1/2","type":"hearing_listed","occurred_at":"2024-03-01T10:00:00+01:00","recorded_at":"2024-03-02","data":{"hearing_id":"H1","kind":"trial","court":"leeds","starts_at":"2025-01-06T10:00:00Z","listing":"fixture"}}`)
	f.Add(`{"case":"ABC","type":"verdict","occurred_at":"2024-02-29","data":{"defendant_id":"D1","result":"guilty"}}` + "\n" + `{"case"`)
	f.Add("\xff\xfe{}")
	f.Fuzz(func(t *testing.T, in string) {
		lines, _, err := Read(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, l := range lines {
			var buf bytes.Buffer
			w := NewWriter(&buf)
			if err := w.Write(l.Event); err != nil {
				t.Fatalf("write accepted event: %v", err)
			}
			w.Flush()
			again, bad, err := Read(bytes.NewReader(buf.Bytes()))
			if err != nil || len(bad) > 0 || len(again) != 1 {
				t.Fatalf("accepted line does not read back: %q → %q: %v %v", in, buf.String(), err, bad)
			}
			var buf2 bytes.Buffer
			w2 := NewWriter(&buf2)
			w2.Write(again[0].Event)
			w2.Flush()
			if buf.String() != buf2.String() {
				t.Fatalf("not stable: %q vs %q", buf.String(), buf2.String())
			}
		}
	})
}

// An import refuses invalid UTF-8, a duplicated key, trailing data and a
// time that has not happened yet, each naming its line.
func TestReadRefusesLooseLines(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	in := opened + "\n" +
		"{\"case\":\"13RS0000001/24\",\"type\":\"case_closed\",\"occurred_at\":\"2024-02-01\",\"data\":{\"reason\":\"d\xffone\"}}\n" +
		`{"case":"13RS0000001/24","type":"case_closed","occurred_at":"2024-02-01","occurred_at":"2024-02-02","data":{"reason":"done"}}` + "\n" +
		`{"case":"13RS0000001/24","type":"case_closed","occurred_at":"2024-02-01","data":{"reason":"done"}} {}` + "\n" +
		`{"case":"13RS0000001/24","type":"case_closed","occurred_at":"2026-03-02","data":{"reason":"done"}}` + "\n" +
		`{"case":"13RS0000001/24","type":"case_closed","occurred_at":"2024-02-01","data":{"reason":"a\u001b[2Jb"}}` + "\n"
	lines, bad, err := ReadAt(strings.NewReader(in), now)
	if err != nil || len(lines) != 1 {
		t.Fatalf("lines %v, err %v", lines, err)
	}
	want := []int{2, 3, 4, 5, 6}
	if len(bad) != len(want) {
		t.Fatalf("bad = %v, want lines %v", bad, want)
	}
	for i, n := range want {
		if bad[i].No != n || !strings.HasPrefix(bad[i].Error(), fmt.Sprintf("line %d: ", n)) {
			t.Errorf("bad[%d] = %v, want line %d", i, bad[i], n)
		}
	}
	if !strings.Contains(bad[0].Error(), "UTF-8") {
		t.Errorf("invalid UTF-8: %v", bad[0])
	}
}

// Lines are parsed in chunks on several cores; what comes back is still in
// file order with the file's line numbers, across chunk boundaries, blank
// lines and bad lines alike.
func TestReadKeepsOrderAcrossChunks(t *testing.T) {
	var in strings.Builder
	var wantGood, wantBad []int
	no := 0
	for i := range 3*chunkLines + 17 {
		no++
		switch {
		case i%97 == 0:
			in.WriteString("\n") // blank: skipped, but counted
		case i%89 == 0:
			in.WriteString(`{"case":"13RS0000001/24","type":"case_opened"}x` + "\n")
			wantBad = append(wantBad, no)
		default:
			fmt.Fprintf(&in, "%s\n", strings.Replace(opened, "13RS0000001/24", fmt.Sprintf("13RS%07d/24", i), 1))
			wantGood = append(wantGood, no)
		}
	}
	lines, bad, err := ReadAt(strings.NewReader(in.String()), time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != len(wantGood) || len(bad) != len(wantBad) {
		t.Fatalf("%d good and %d bad lines, want %d and %d", len(lines), len(bad), len(wantGood), len(wantBad))
	}
	for i, l := range lines {
		if l.No != wantGood[i] {
			t.Fatalf("good line %d is line %d, want %d", i, l.No, wantGood[i])
		}
		// Line n (from 1) was written for i = n-1: its reference says which.
		if want := fmt.Sprintf("13RS%07d/24", l.No-1); l.Event.Case != want {
			t.Fatalf("line %d holds case %s, want %s", l.No, l.Event.Case, want)
		}
	}
	for i, b := range bad {
		if b.No != wantBad[i] {
			t.Fatalf("bad line %d is line %d, want %d", i, b.No, wantBad[i])
		}
	}
}

// A line longer than MaxLine is an I/O error naming it, not a parse
// error, and nothing of the file is returned.
func TestReadRefusesTooLongALine(t *testing.T) {
	in := opened + "\n" + opened + "\n" + `{"case":"` + strings.Repeat("A", MaxLine) + `"}` + "\n" + opened + "\n"
	lines, bad, err := Read(strings.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "line 3: longer than") {
		t.Fatalf("err = %v, want line 3 too long", err)
	}
	if lines != nil || bad != nil {
		t.Fatalf("returned %d lines and %d errors with the I/O error", len(lines), len(bad))
	}
}

// Stream hands over batches of at least the size asked, ending a batch only
// where the case changes, with every line once and in order; an error from
// the consumer stops it.
func TestStreamBatchesEndBetweenCases(t *testing.T) {
	var in strings.Builder
	total := 0
	for c := range 700 {
		for range 1 + c%7 { // cases of 1 to 7 lines
			fmt.Fprintf(&in, "%s\n", strings.Replace(opened, "13RS0000001/24", fmt.Sprintf("13RS%07d/24", c), 1))
			total++
		}
	}
	now := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	var batches [][]Line
	if err := Stream(strings.NewReader(in.String()), now, 500, func(l []Line, bad []LineError) error {
		if len(bad) > 0 {
			t.Errorf("bad lines %v", bad)
		}
		batches = append(batches, l)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(batches) < 4 {
		t.Fatalf("%d batches of %d lines, want several of at least 500", len(batches), total)
	}
	next := 1
	for i, b := range batches {
		if i < len(batches)-1 && len(b) < 500 {
			t.Errorf("batch %d has %d lines, want at least 500", i, len(b))
		}
		if i > 0 && b[0].Event.Case == batches[i-1][len(batches[i-1])-1].Event.Case {
			t.Errorf("case %s is split between batches %d and %d", b[0].Event.Case, i-1, i)
		}
		for _, l := range b {
			if l.No != next {
				t.Fatalf("batch %d: line %d, want %d", i, l.No, next)
			}
			next++
		}
	}
	if next-1 != total {
		t.Fatalf("%d lines handed over, want %d", next-1, total)
	}

	stopped := errors.New("stop")
	calls := 0
	err := Stream(strings.NewReader(in.String()), now, 500, func([]Line, []LineError) error {
		calls++
		return stopped
	})
	if err != stopped || calls != 1 {
		t.Fatalf("err %v after %d calls, want the consumer's error after 1", err, calls)
	}
}
