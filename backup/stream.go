package backup

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// A backup's body is sealed in chunks with AES-256-GCM, each under a nonce
// of its number and whether it is the last (the STREAM construction of
// Hoang, Reyhanitabar, Rogaway and Vizár): a chunk altered, dropped,
// reordered or moved from another file does not open, and a file cut
// short ends before a last chunk. On disk each chunk is a flag byte (1 on
// the last), its length (4 bytes, big-endian) and the sealed bytes.

// chunkSize is the most plaintext one chunk holds.
const chunkSize = 64 << 10

// fileAEAD is the cipher of one file: the backup key's sealing key mixed
// with the file's random salt, so that no two files share a key and the
// chunk numbers can be the nonces.
func fileAEAD(k *Key, salt []byte) (cipher.AEAD, error) {
	m := hmac.New(sha256.New, k.seal)
	m.Write(salt)
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func chunkNonce(n uint64, last bool) []byte {
	nonce := make([]byte, 12)
	binary.BigEndian.PutUint64(nonce[3:11], n)
	if last {
		nonce[11] = 1
	}
	return nonce
}

// sealer is the writer of a sealed body.
type sealer struct {
	w    io.Writer
	aead cipher.AEAD
	ad   []byte // what every chunk is bound to: the header's hash
	buf  []byte
	n    uint64
}

func (s *sealer) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		k := min(len(p), chunkSize-len(s.buf))
		s.buf = append(s.buf, p[:k]...)
		p, written = p[k:], written+k
		if len(s.buf) == chunkSize {
			if err := s.flush(false); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

func (s *sealer) flush(last bool) error {
	sealed := s.aead.Seal(nil, chunkNonce(s.n, last), s.buf, s.ad)
	var head [5]byte
	if last {
		head[0] = 1
	}
	binary.BigEndian.PutUint32(head[1:], uint32(len(sealed)))
	if _, err := s.w.Write(head[:]); err != nil {
		return err
	}
	if _, err := s.w.Write(sealed); err != nil {
		return err
	}
	s.n++
	s.buf = s.buf[:0]
	return nil
}

// Close writes the last chunk, which may be empty.
func (s *sealer) Close() error { return s.flush(true) }

// opener reads a sealed body.
type opener struct {
	r    *bufio.Reader
	aead cipher.AEAD
	ad   []byte
	buf  []byte // opened and not yet read
	n    uint64
	done bool // the last chunk is read
}

var (
	errTruncated = errors.New("the backup is truncated: it ends before its last chunk")
	errAltered   = errors.New("the backup was altered or damaged: a chunk does not open under this backup key")
)

func (o *opener) Read(p []byte) (int, error) {
	for len(o.buf) == 0 {
		if o.done {
			if _, err := o.r.ReadByte(); err != io.EOF {
				return 0, errors.New("the backup is damaged: there is more after its last chunk")
			}
			return 0, io.EOF
		}
		var head [5]byte
		if _, err := io.ReadFull(o.r, head[:]); err != nil {
			return 0, errTruncated
		}
		last := head[0] == 1
		size := binary.BigEndian.Uint32(head[1:])
		if head[0] > 1 || size > chunkSize+uint32(o.aead.Overhead()) {
			return 0, fmt.Errorf("the backup is damaged: chunk %d's header does not read", o.n)
		}
		sealed := make([]byte, size)
		if _, err := io.ReadFull(o.r, sealed); err != nil {
			return 0, errTruncated
		}
		plain, err := o.aead.Open(sealed[:0], chunkNonce(o.n, last), sealed, o.ad)
		if err != nil {
			return 0, fmt.Errorf("%w (chunk %d)", errAltered, o.n)
		}
		o.buf, o.done = plain, last
		o.n++
	}
	k := copy(p, o.buf)
	o.buf = o.buf[k:]
	return k, nil
}
