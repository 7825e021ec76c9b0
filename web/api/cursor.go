package api

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"

	"throughline"
)

// Paging cursors are opaque: the key of the last row read (which may be a
// case the caller may not see) sealed with AES-GCM under a server secret,
// bound to the caller. A cursor reveals nothing, and one not made by the
// server for this caller is refused.

func (s *Cases) cursorAEAD(ctx context.Context) (cipher.AEAD, error) {
	key, err := s.Access.Store.Secret(ctx, "api_cursor", 32)
	if err != nil {
		return nil, err
	}
	k := sha256.Sum256(append([]byte("throughline api cursor\x00"), key...))
	b, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

func (s *Cases) sealCursor(ctx context.Context, u throughline.User, ref string) (string, error) {
	a, err := s.cursorAEAD(ctx)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(a.Seal(nonce, nonce, []byte(ref), []byte("cases:"+u.ID))), nil
}

var errCursor = errors.New("not a cursor")

func (s *Cases) openCursor(ctx context.Context, u throughline.User, c string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(c) > 200 {
		return "", errCursor
	}
	a, err := s.cursorAEAD(ctx)
	if err != nil {
		return "", err
	}
	if len(raw) < a.NonceSize() {
		return "", errCursor
	}
	ref, err := a.Open(nil, raw[:a.NonceSize()], raw[a.NonceSize():], []byte("cases:"+u.ID))
	if err != nil {
		return "", errCursor
	}
	return string(ref), nil
}
