package backup

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// Every value comes back from the file as it went in, of the same type:
// text that is not UTF-8, bytes, integers at their limits.
func FuzzValueRoundTrip(f *testing.F) {
	f.Add("Amelia Hart", []byte{0, 1, 2}, int64(-1))
	f.Add("\xff\xfe not UTF-8", []byte{}, int64(9223372036854775807))
	f.Add(`"quoted" \ <tag> & new
line`, []byte(`{"b":"x"}`), int64(-9223372036854775808))
	f.Fuzz(func(t *testing.T, s string, b []byte, n int64) {
		row := []any{s, b, n, nil, true, false, "", []byte{}}
		line := []byte{'['}
		for i, v := range row {
			if i > 0 {
				line = append(line, ',')
			}
			var err error
			if line, err = appendValue(line, v); err != nil {
				t.Fatal(err)
			}
		}
		line = append(line, ']')
		if bytes.ContainsAny(line, "\n\r") {
			t.Fatalf("a row across lines: %s", line)
		}
		got, err := parseRow(line, nil)
		if err != nil || len(got) != len(row) {
			t.Fatalf("%s reads as %#v, %v", line, got, err)
		}
		for i, v := range row {
			if b, ok := v.([]byte); ok {
				if g, ok := got[i].([]byte); !ok || !bytes.Equal(g, b) {
					t.Fatalf("%#v came back as %#v", v, got[i])
				}
			} else if got[i] != v {
				t.Fatalf("%#v came back as %#v", v, got[i])
			}
		}
	})
}

// A row that is not as Write makes it is refused, never misread.
func FuzzParseRow(f *testing.F) {
	f.Add([]byte(`["a",{"b":"AAE="},1,null,true]`))
	f.Add([]byte(`["a\"b",{"t":"//4="},-9223372036854775808]`))
	f.Add([]byte(`[1,,2]`))
	f.Fuzz(func(t *testing.T, line []byte) {
		vals, err := parseRow(line, nil)
		if err != nil {
			return
		}
		// What it read writes back to a line that reads the same.
		again := []byte{'['}
		for i, v := range vals {
			if i > 0 {
				again = append(again, ',')
			}
			if again, err = appendValue(again, v); err != nil {
				t.Fatal(err)
			}
		}
		again = append(again, ']')
		back, err := parseRow(again, nil)
		if err != nil || len(back) != len(vals) {
			t.Fatalf("%s read as %#v, written as %s, reads as %#v (%v)", line, vals, again, back, err)
		}
		for i := range vals {
			if fmt.Sprintf("%#v", vals[i]) != fmt.Sprintf("%#v", back[i]) {
				t.Fatalf("%s: value %d read as %#v, then %#v", line, i, vals[i], back[i])
			}
		}
	})
}

// Check never panics on any file, and accepts only the file that was
// written.
func FuzzCheck(f *testing.F) {
	key := testKey(f)
	s := journeyStore(f, "sqlite:"+filepath.Join(f.TempDir(), "src.db"))
	var good bytes.Buffer
	if _, err := Write(context.Background(), s, &good, key, s.Now()); err != nil {
		f.Fatal(err)
	}
	header, _, _ := bytes.Cut(good.Bytes(), []byte("\n"))
	f.Add(good.Bytes())
	f.Add(header)
	f.Add(append(append(bytes.Clone(header), '\n'), 1, 0xff, 0xff, 0xff, 0xff))
	f.Add(append(append(bytes.Clone(header), '\n'), 1, 0, 0, 0, 0))
	f.Fuzz(func(t *testing.T, file []byte) {
		if _, err := Check(bytes.NewReader(file), key); err == nil && !bytes.Equal(file, good.Bytes()) {
			t.Fatalf("a file that was never written checks: %d bytes", len(file))
		}
	})
}

// appendString writes what encoding/json reads back unchanged.
func FuzzAppendString(f *testing.F) {
	f.Add("a\"b\\c\n\r\t\x00\x1f<>&\u2028é")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // written as {"t": base64}
		}
		var got string
		if err := json.Unmarshal(appendString(nil, s), &got); err != nil || got != s {
			t.Fatalf("%q written as %s reads as %q (%v)", s, appendString(nil, s), got, err)
		}
	})
}

// unquote reads what it accepts exactly as encoding/json does.
func FuzzUnquote(f *testing.F) {
	f.Add([]byte(`"a\"b\\c\/d\n\r\t\b\f\u003c\u2028é"`))
	f.Add([]byte(`"\ud83d\ude00"`))
	f.Add([]byte(`"\u12"`))
	f.Fuzz(func(t *testing.T, p []byte) {
		s, ok := unquote(p)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(p, &want); err != nil || s != want {
			t.Fatalf("%s: unquote %q, encoding/json %q (%v)", p, s, want, err)
		}
	})
}
