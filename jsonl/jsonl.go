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
	"runtime"
	"sync"
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
// number, both in file order; the caller decides whether one bad line
// refuses the file. The returned error is for I/O failures only.
//
// Parsing is most of an import's work before the store's, and lines are
// independent, so chunks of lines are parsed on every core while the file
// is still being read.
func ReadAt(r io.Reader, now time.Time) ([]Line, []LineError, error) {
	var chunks []*chunk
	todo := make(chan *chunk)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range todo {
				c.parse(now)
			}
		}()
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxLine)
	n := 0
	c := &chunk{}
	for sc.Scan() {
		n++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		c.raw = append(c.raw, bytes.Clone(b))
		c.nos = append(c.nos, n)
		if len(c.raw) == chunkLines {
			chunks = append(chunks, c)
			todo <- c
			c = &chunk{}
		}
	}
	chunks = append(chunks, c)
	todo <- c
	close(todo)
	wg.Wait()
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, nil, fmt.Errorf("line %d: longer than %d bytes", n+1, MaxLine)
		}
		return nil, nil, err
	}
	var lines []Line
	var bad []LineError
	for _, c := range chunks {
		lines = append(lines, c.lines...)
		bad = append(bad, c.bad...)
	}
	return lines, bad, nil
}

// chunkLines is how many lines a worker parses at a time: enough that
// handing a chunk over costs nothing beside parsing it.
const chunkLines = 1024

// chunk is consecutive non-blank lines of the file, with their numbers,
// and what parsing them gave.
type chunk struct {
	raw   [][]byte
	nos   []int
	lines []Line
	bad   []LineError
}

func (c *chunk) parse(now time.Time) {
	for i, b := range c.raw {
		e, err := throughline.ParseEvent(b)
		if err == nil {
			err = throughline.CheckTimes(e, now)
		}
		if err != nil {
			c.bad = append(c.bad, LineError{No: c.nos[i], Err: err})
			continue
		}
		c.lines = append(c.lines, Line{No: c.nos[i], Event: e})
	}
	c.raw = nil
}

// Proposals is the parsed lines as a batch for the store's Import, each
// event keeping its line number for the errors.
func Proposals(lines []Line) []throughline.Proposed {
	out := make([]throughline.Proposed, len(lines))
	for i, l := range lines {
		out[i] = throughline.Proposed{Line: l.No, Event: l.Event}
	}
	return out
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
