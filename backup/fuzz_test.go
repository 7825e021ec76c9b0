package backup

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
)

// Every value comes back from the file as it went in, of the same type:
// text that is not UTF-8, bytes, integers at their limits.
func FuzzValueRoundTrip(f *testing.F) {
	f.Add("Amelia Hart", []byte{0, 1, 2}, int64(-1))
	f.Add("\xff\xfe not UTF-8", []byte{}, int64(9223372036854775807))
	f.Add(`"quoted" \ <tag> & new
line`, []byte(`{"b":"x"}`), int64(-9223372036854775808))
	f.Fuzz(func(t *testing.T, s string, b []byte, n int64) {
		for _, v := range []any{s, b, n, nil, true, false} {
			enc, err := appendValue(nil, v)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.ContainsAny(enc, "\n\r") {
				t.Fatalf("%#v encodes across lines: %s", v, enc)
			}
			got, err := decodeValue(enc)
			if err != nil {
				t.Fatalf("%#v: %s does not decode: %v", v, enc, err)
			}
			if b, ok := v.([]byte); ok && b != nil {
				if g, ok := got.([]byte); !ok || !bytes.Equal(g, b) {
					t.Fatalf("%#v came back as %#v", v, got)
				}
				continue
			}
			if _, ok := v.([]byte); !ok && got != v {
				t.Fatalf("%#v came back as %#v", v, got)
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
