// Package jsonl reads and writes Throughline's import/export format: JSON
// Lines, one event per line, {"case", "type", "occurred_at", "recorded_at",
// "data"}, in log order within each case.
package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"throughline"
)

// MaxLine is the longest line accepted, in bytes.
const MaxLine = 1 << 20

// Line is one parsed event and its line number (from 1).
type Line struct {
	No    int
	Event throughline.Event
}

// LineError is a line that could not be parsed.
type LineError struct {
	No  int
	Err error
}

func (e LineError) Error() string {
	return fmt.Sprintf("line %d: %s", e.No, throughline.ErrorMessage(e.Err))
}

// Read is ReadAt on the wall clock.
func Read(r io.Reader) ([]Line, []LineError, error) { return ReadAt(r, time.Now()) }

// ReadAt parses every line of r strictly (throughline.ParseEvent: valid
// UTF-8, one JSON value, no key twice, no unknown field) and refuses a line
// whose event happened after now (throughline.CheckTimes). Blank lines are
// ignored. It returns the good lines and an error per bad line, naming its
// number; the caller decides whether one bad line refuses the file. The
// returned error is for I/O failures only.
func ReadAt(r io.Reader, now time.Time) ([]Line, []LineError, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxLine)
	var lines []Line
	var bad []LineError
	n := 0
	for sc.Scan() {
		n++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		e, err := throughline.ParseEvent(b)
		if err == nil {
			err = throughline.CheckTimes(e, now)
		}
		if err != nil {
			bad = append(bad, LineError{No: n, Err: err})
			continue
		}
		lines = append(lines, Line{No: n, Event: e})
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, nil, fmt.Errorf("line %d: longer than %d bytes", n+1, MaxLine)
		}
		return nil, nil, err
	}
	return lines, bad, nil
}

// Writer writes events as JSON Lines.
type Writer struct {
	w   *bufio.Writer
	enc *json.Encoder
}

// NewWriter returns a Writer on w; call Flush at the end.
func NewWriter(w io.Writer) *Writer {
	bw := bufio.NewWriterSize(w, 256*1024)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &Writer{w: bw, enc: enc}
}

// Write writes one event on its own line.
func (w *Writer) Write(e throughline.Event) error { return w.enc.Encode(e) }

// Flush writes any buffered data.
func (w *Writer) Flush() error { return w.w.Flush() }
