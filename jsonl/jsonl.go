// Package jsonl reads and writes Throughline's import/export format: JSON
// Lines, one event per line, {"case", "type", "occurred_at", "recorded_at",
// "data"}, in log order within each case.
package jsonl

import (
	"bufio"
	"bytes"
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
func ReadAt(r io.Reader, now time.Time) ([]Line, []LineError, error) {
	var lines []Line
	var bad []LineError
	err := Stream(r, now, 0, func(l []Line, b []LineError) error {
		lines, bad = append(lines, l...), append(bad, b...)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return lines, bad, nil
}

// Stream parses r as ReadAt does and hands the lines to yield in file
// order, in batches of at least size good lines (the last may be smaller;
// size 0 means one batch for the whole file), each with the bad lines met
// since the previous batch. A batch ends only where the case changes from
// one line to the next, so a file written case by case (as generate's
// export is) never splits a case between batches. An error from yield
// stops the reading and is returned; so is an I/O error, after the
// batches before it.
//
// Parsing is most of an import's work before the store's, and lines are
// independent, so chunks of lines are parsed on every core but one while
// the file is still being read and while yield works on the batch before.
func Stream(r io.Reader, now time.Time, size int, yield func([]Line, []LineError) error) error {
	workers := runtime.GOMAXPROCS(0)
	if size > 0 {
		// The batches are taken while the next is parsed: leave a core to
		// the taker (the import's store). Otherwise its goroutine takes
		// turns with the parsers' for the cores, and the store, the slower
		// of the two, sets the pace of the whole.
		workers = max(1, workers-1)
	}
	todo := make(chan *chunk)
	order := make(chan *chunk, 2*workers) // chunks in file order, read ahead at most this far
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range todo {
				c.parse(now)
				close(c.done)
			}
		}()
	}
	var readErr error
	go func() {
		defer close(order)
		defer close(todo)
		readErr = read(r, func(c *chunk) bool {
			select {
			case order <- c:
			case <-stop:
				return false
			}
			todo <- c
			return true
		})
	}()
	var err error
	var bad []LineError
	// A batch is size lines and at most the rest of its last case; room
	// for a chunk more saves copying the batch as it grows.
	room := 0
	if size > 0 {
		room = size + chunkLines
	}
	lines := make([]Line, 0, room)
	for c := range order {
		<-c.done
		if err != nil {
			continue // drain what is already read after yield failed
		}
		for _, l := range c.lines {
			if size > 0 && len(lines) >= size && l.Event.Case != lines[len(lines)-1].Event.Case {
				if err = yield(lines, bad); err != nil {
					close(stop)
					break
				}
				lines, bad = make([]Line, 0, room), nil
			}
			lines = append(lines, l)
		}
		bad = append(bad, c.bad...)
	}
	wg.Wait()
	if err != nil {
		return err
	}
	if readErr != nil {
		return readErr
	}
	return yield(lines, bad)
}

// read splits r into chunks of non-blank lines with their numbers and hands
// each to send, until the end, an error, or send says stop.
func read(r io.Reader, send func(*chunk) bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxLine)
	n := 0
	c := newChunk()
	for sc.Scan() {
		n++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		c.raw = append(c.raw, c.keep(b))
		c.nos = append(c.nos, n)
		if len(c.raw) == chunkLines {
			if !send(c) {
				return nil
			}
			c = newChunk()
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return fmt.Errorf("line %d: longer than %d bytes", n+1, MaxLine)
		}
		return err
	}
	send(c)
	return nil
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
	buf   []byte        // the bytes of raw, kept in few allocations
	done  chan struct{} // closed once parsed
}

func newChunk() *chunk {
	return &chunk{raw: make([][]byte, 0, chunkLines), nos: make([]int, 0, chunkLines), done: make(chan struct{})}
}

// keep copies line b (the scanner reuses its buffer) into the chunk's
// buffer, starting a new buffer when it is full, so a chunk's lines cost a
// handful of allocations rather than one each.
func (c *chunk) keep(b []byte) []byte {
	if len(c.buf)+len(b) > cap(c.buf) {
		c.buf = make([]byte, 0, max(chunkBytes, len(b)))
	}
	c.buf = append(c.buf, b...)
	return c.buf[len(c.buf)-len(b) : len(c.buf) : len(c.buf)]
}

// chunkBytes is the size of a chunk's buffers: a chunk of the national
// export's lines (about 270 bytes each) fits in two.
const chunkBytes = 256 << 10

func (c *chunk) parse(now time.Time) {
	c.lines = make([]Line, 0, len(c.raw))
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
	c.raw, c.buf = nil, nil
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
	w *bufio.Writer
}

// NewWriter returns a Writer on w; call Flush at the end.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 256*1024)}
}

// Write writes one event on its own line. The event's own encoding is
// written as it is: a json.Encoder would scan it again to compact what is
// already compact (a fifth of an export's CPU).
func (w *Writer) Write(e throughline.Event) error {
	b, err := e.MarshalJSON()
	if err != nil {
		return err
	}
	w.w.Write(b)
	return w.w.WriteByte('\n')
}

// Flush writes any buffered data.
func (w *Writer) Flush() error { return w.w.Flush() }
