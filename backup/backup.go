// Package backup writes a whole Throughline database to one file and
// restores it into an empty one (docs/adr/0015-backups.md). The file is the
// same for both databases: a header line in clear (format, schema, tables
// and row counts, the id of the backup key), then a body sealed under the
// backup key with AES-256-GCM in chunks (stream.go): gzip'd JSON lines,
// every row of every table, table by table in the header's order, and a
// trailer with the SHA-256 of the header and the rows. Nothing in the
// database is left in clear — the per-case keys, the projections that hold
// names, free text — so a backup without its key reveals no personal data.
package backup

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"throughline/sqlstore"
)

// Format and Version name the file format; Version changes with any change
// a reader of the last version would misread.
const (
	Format  = "throughline-backup"
	Version = 1
)

// Header is a backup's first line, in clear: enough to know what the
// backup holds and which key it needs without the key. Every chunk of the
// body is bound to it, so it cannot be altered either.
type Header struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Schema  int       `json:"schema"`   // the newest migration applied
	Source  string    `json:"source"`   // sqlite or postgres
	TakenAt time.Time `json:"taken_at"` // when the snapshot was read
	KeyID   string    `json:"key_id"`   // the backup key's id
	Salt    []byte    `json:"salt"`     // mixed into the file's sealing key
	Tables  []Table   `json:"tables"`
}

// Table is one table in a header: its rows follow in this order, Rows of them.
type Table struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Rows    int64    `json:"rows"`
}

// trailer is the body's last line.
type trailer struct {
	End struct {
		Rows   int64  `json:"rows"`
		SHA256 string `json:"sha256"` // of the header line and every row line
	} `json:"end"`
}

// Rows totals the rows of every table.
func (h Header) Rows() int64 {
	var n int64
	for _, t := range h.Tables {
		n += t.Rows
	}
	return n
}

// Write backs up the database of s to w, reading it in one snapshot while
// other processes carry on writing.
func Write(ctx context.Context, s *sqlstore.Store, w io.Writer, key *Key, now time.Time) (Header, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	sum := sha256.New()
	var h Header
	var seal *sealer
	var gz *gzip.Writer
	var out *bufio.Writer
	var line []byte
	var rows int64
	begin := func(schema int, ts []sqlstore.Table) error {
		h = Header{Format: Format, Version: Version, Schema: schema, Source: s.Dialect(), TakenAt: now.UTC(), KeyID: key.ID(), Salt: make([]byte, 16)}
		if _, err := rand.Read(h.Salt); err != nil {
			return err
		}
		for _, t := range ts {
			h.Tables = append(h.Tables, Table{Name: t.Name, Columns: t.Columns, Rows: t.Rows})
		}
		b, err := json.Marshal(h)
		if err != nil {
			return err
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
		sum.Write(b)
		aead, err := fileAEAD(key, h.Salt)
		if err != nil {
			return err
		}
		ad := sha256.Sum256(b)
		seal = &sealer{w: bw, aead: aead, ad: ad[:]}
		gz, _ = gzip.NewWriterLevel(seal, gzip.BestSpeed) // the level is valid
		out = bufio.NewWriterSize(io.MultiWriter(gz, sum), 1<<16)
		return nil
	}
	row := func(ti int, vals []any) error {
		line = append(line[:0], '[')
		for i, v := range vals {
			if i > 0 {
				line = append(line, ',')
			}
			var err error
			if line, err = appendValue(line, v); err != nil {
				return fmt.Errorf("backup %s.%s: %w", h.Tables[ti].Name, h.Tables[ti].Columns[i], err)
			}
		}
		line = append(line, ']', '\n')
		rows++
		_, err := out.Write(line)
		return err
	}
	if err := s.Dump(ctx, begin, row); err != nil {
		return Header{}, err
	}
	if err := out.Flush(); err != nil {
		return Header{}, err
	}
	var tr trailer
	tr.End.Rows = rows
	tr.End.SHA256 = hex.EncodeToString(sum.Sum(nil))
	b, _ := json.Marshal(tr) // a number and a string
	if _, err := gz.Write(append(b, '\n')); err != nil {
		return Header{}, err
	}
	if err := gz.Close(); err != nil {
		return Header{}, err
	}
	if err := seal.Close(); err != nil {
		return Header{}, err
	}
	return h, bw.Flush()
}

// appendValue appends v as JSON: null, an integer, true or false, a
// string, or an object for bytes ({"b": base64}) and for text that is not
// UTF-8 ({"t": base64}), which a JSON string cannot carry unchanged.
func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case string:
		if !utf8.ValidString(x) {
			b = append(b, `{"t":"`...)
			b = base64.StdEncoding.AppendEncode(b, []byte(x))
			return append(b, `"}`...), nil
		}
		return appendString(b, x), nil
	case []byte:
		b = append(b, `{"b":"`...)
		b = base64.StdEncoding.AppendEncode(b, x)
		return append(b, `"}`...), nil
	}
	return nil, fmt.Errorf("a value of type %T", v)
}

// parseRow splits a row line, a JSON array as Write makes it, into its
// values, appended to vals. It reads only what appendValue writes, without
// a general JSON decoder's cost (restore spends most of its time here).
func parseRow(line []byte, vals []any) ([]any, error) {
	if len(line) < 2 || line[0] != '[' || line[len(line)-1] != ']' {
		return nil, errors.New("not an array")
	}
	p := line[1 : len(line)-1]
	for len(p) > 0 {
		end := -1
		switch p[0] {
		case '"':
			end = stringEnd(p)
		case '{': // {"b": base64} or {"t": base64}: no brace inside
			end = bytes.IndexByte(p, '}') + 1
		default:
			if end = bytes.IndexByte(p, ','); end < 0 {
				end = len(p)
			}
		}
		if end <= 0 {
			return nil, errors.New("a value does not end")
		}
		v, err := decodeValue(p[:end])
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
		if p = p[end:]; len(p) > 0 {
			if p[0] != ',' || len(p) == 1 {
				return nil, errors.New("values not separated by commas")
			}
			p = p[1:]
		}
	}
	return vals, nil
}

// stringEnd is the length of the JSON string at the start of p, or -1.
func stringEnd(p []byte) int {
	for i := 1; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// unquote reads the JSON string p, quotes included, with the escapes
// json.Marshal writes; ok is false for anything else (a surrogate pair, a
// stray quote, a control character), which the caller leaves to encoding/json.
func unquote(p []byte) (s string, ok bool) {
	if len(p) < 2 || p[0] != '"' || p[len(p)-1] != '"' {
		return "", false
	}
	in := p[1 : len(p)-1]
	b := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		switch {
		case c == '"', c < 0x20:
			return "", false
		case c != '\\':
			b = append(b, c)
			continue
		}
		if i++; i == len(in) {
			return "", false
		}
		switch in[i] {
		case '"', '\\', '/':
			b = append(b, in[i])
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'u':
			if i+4 >= len(in) {
				return "", false
			}
			r, err := strconv.ParseUint(string(in[i+1:i+5]), 16, 32)
			if err != nil || utf16.IsSurrogate(rune(r)) {
				return "", false
			}
			b = utf8.AppendRune(b, rune(r))
			i += 4
		default:
			return "", false
		}
	}
	if !utf8.Valid(b) {
		return "", false
	}
	return string(b), true
}

// appendString appends s, valid UTF-8, as a JSON string, escaping only
// what JSON requires: quotes, backslashes and control characters.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// decodeValue is appendValue's inverse, for one value.
func decodeValue(p []byte) (any, error) {
	switch {
	case len(p) == 0:
		return nil, errors.New("an empty value")
	case string(p) == "null":
		return nil, nil
	case string(p) == "true":
		return true, nil
	case string(p) == "false":
		return false, nil
	case p[0] == '"':
		if len(p) >= 2 && p[len(p)-1] == '"' && bytes.IndexByte(p, '\\') < 0 && bytes.IndexByte(p[1:len(p)-1], '"') < 0 && utf8.Valid(p) {
			return string(p[1 : len(p)-1]), nil // nothing escaped: as written
		}
		if s, ok := unquote(p); ok {
			return s, nil
		}
		var s string
		err := json.Unmarshal(p, &s)
		return s, err
	case len(p) >= 8 && bytes.HasPrefix(p, []byte(`{"b":"`)) && bytes.HasSuffix(p, []byte(`"}`)):
		return base64.StdEncoding.DecodeString(string(p[6 : len(p)-2]))
	case len(p) >= 8 && bytes.HasPrefix(p, []byte(`{"t":"`)) && bytes.HasSuffix(p, []byte(`"}`)):
		b, err := base64.StdEncoding.DecodeString(string(p[6 : len(p)-2]))
		return string(b), err
	case p[0] == '-' || p[0] >= '0' && p[0] <= '9':
		return strconv.ParseInt(string(p), 10, 64)
	}
	return nil, fmt.Errorf("an unknown value %.40q", p)
}

// reader reads a backup: its header, then its body's lines, hashing each
// until the trailer.
type reader struct {
	Header
	sc  *bufio.Scanner
	sum hash.Hash
}

// open reads the header of the backup in r and opens its body with key.
func open(r io.Reader, key *Key) (*reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	first, err := br.ReadBytes('\n')
	var h Header
	if err != nil || json.Unmarshal(first, &h) != nil || h.Format != Format {
		return nil, errors.New("not a Throughline backup: its first line is not a backup header")
	}
	if h.Version != Version {
		return nil, fmt.Errorf("a backup of format version %d; this Throughline reads version %d", h.Version, Version)
	}
	if h.KeyID != key.ID() {
		return nil, fmt.Errorf("wrong backup key: the backup was made with key %s, and the key given is %s", h.KeyID, key.ID())
	}
	aead, err := fileAEAD(key, h.Salt)
	if err != nil {
		return nil, err
	}
	sum := sha256.New()
	sum.Write(first)
	ad := sha256.Sum256(first)
	gz, err := gzip.NewReader(&opener{r: br, aead: aead, ad: ad[:]})
	if err != nil {
		return nil, damaged(err)
	}
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	return &reader{Header: h, sc: sc, sum: sum}, nil
}

// next returns the next line of the body without its newline, counted in
// the hash unless it is the trailer.
func (r *reader) next() (line []byte, isTrailer bool, err error) {
	if !r.sc.Scan() {
		if err := r.sc.Err(); err != nil {
			return nil, false, damaged(err)
		}
		return nil, false, errors.New("the backup is damaged: it ends before its trailer")
	}
	line = r.sc.Bytes()
	if bytes.HasPrefix(line, []byte(`{"end":`)) {
		return line, true, nil
	}
	r.sum.Write(line)
	r.sum.Write([]byte{'\n'})
	return line, false, nil
}

// damaged explains an error from the body's stream: the opener's own
// errors say what they are; gzip's mean the body is damaged.
func damaged(err error) error {
	if errors.Is(err, errTruncated) || errors.Is(err, errAltered) {
		return err
	}
	return fmt.Errorf("the backup is damaged: %w", err)
}

// end checks the trailer line against the rows read before it, and that
// nothing follows it.
func (r *reader) end(line []byte, rows int64) error {
	var tr trailer
	if err := json.Unmarshal(line, &tr); err != nil {
		return damaged(fmt.Errorf("its trailer: %w", err))
	}
	if hex.EncodeToString(r.sum.Sum(nil)) != tr.End.SHA256 {
		return errors.New("the backup is damaged: its contents do not match the SHA-256 in its trailer")
	}
	if rows != tr.End.Rows || rows != r.Rows() {
		return fmt.Errorf("the backup is damaged: %d rows, its trailer says %d and its header %d", rows, tr.End.Rows, r.Rows())
	}
	if r.sc.Scan() {
		return errors.New("the backup is damaged: there is more after its trailer")
	}
	if err := r.sc.Err(); err != nil {
		return damaged(err)
	}
	return nil
}

// Check reads a whole backup and checks it: its header, every chunk of
// its body, its row count and its trailer's hash. A truncated, damaged or
// altered file, or one made with another key, is refused. Nothing is
// written anywhere.
func Check(r io.Reader, key *Key) (Header, error) {
	br, err := open(r, key)
	if err != nil {
		return Header{}, err
	}
	var rows int64
	for {
		line, isTrailer, err := br.next()
		if err != nil {
			return Header{}, err
		}
		if isTrailer {
			return br.Header, br.end(line, rows)
		}
		rows++
	}
}

// Restore loads the backup read from r into the database of s, which must
// be migrated to the backup's schema version and empty (sqlstore.Load).
// Restore checks the backup as it goes, and the load commits only after
// the trailer has been checked; run Check first so that a bad file is
// refused before the database is touched at all.
func Restore(ctx context.Context, s *sqlstore.Store, r io.Reader, key *Key) error {
	br, err := open(r, key)
	if err != nil {
		return err
	}
	ts := make([]sqlstore.Table, len(br.Tables))
	for i, t := range br.Tables {
		ts[i] = sqlstore.Table{Name: t.Name, Columns: t.Columns, Rows: t.Rows}
	}
	ti, left, read, total := 0, int64(-1), int64(0), br.Rows()
	next := func() ([]any, error) {
		for left <= 0 {
			if left == 0 {
				ti++
			}
			if ti >= len(ts) {
				return nil, errors.New("restore: asked for more rows than the backup holds")
			}
			left = ts[ti].Rows
		}
		left--
		t := ts[ti]
		line, isTrailer, err := br.next()
		if err != nil {
			return nil, err
		}
		if isTrailer {
			return nil, fmt.Errorf("the backup is damaged: it ends within %s", t.Name)
		}
		vals, err := parseRow(line, make([]any, 0, len(t.Columns)))
		if err != nil || len(vals) != len(t.Columns) {
			return nil, fmt.Errorf("the backup is damaged: a row of %s does not read (%v)", t.Name, err)
		}
		if read++; read == total {
			// The last row: the trailer is checked before the load
			// commits, in case the file changed since Check read it.
			end, isTrailer, err := br.next()
			if err != nil {
				return nil, err
			}
			if !isTrailer {
				return nil, errors.New("the backup is damaged: more rows than its header counts")
			}
			if err := br.end(end, total); err != nil {
				return nil, err
			}
		}
		return vals, nil
	}
	return s.Load(ctx, br.Schema, ts, next)
}
