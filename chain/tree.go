package chain

import (
	"encoding/binary"
	"math/bits"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
)

// A format 2 checkpoint commits to a Merkle tree over the heads it seals,
// in case order, hashed as RFC 6962 §2.1 hashes a log (0x00 before a leaf,
// 0x01 before two children), so that any RFC 6962 verifier checks its
// paths. The hashing and the verification are transparency-dev/merkle's;
// the path is built here from the heads in memory, since Throughline keeps
// no tree: it rebuilds one checkpoint's tree when a proof is asked for.

// Leaf is the tree's leaf for a head: its reference, version and hash,
// each field length-prefixed as the chains' fields are.
func Leaf(hd Head) []byte {
	buf := AppendField(nil, []byte(hd.Ref))
	buf = binary.BigEndian.AppendUint64(buf, uint64(hd.Version))
	return AppendField(buf, hd.Hash)
}

// TreeRoot is the root of the tree over heads (RFC 6962 MTH).
func TreeRoot(heads []Head) []byte {
	return mth(leafHashes(heads))
}

// InclusionPath is the audit path of heads[index] in the tree over heads
// (RFC 6962 §2.1.1 PATH), nearest the leaf first.
func InclusionPath(heads []Head, index int) [][]byte {
	return path(index, leafHashes(heads))
}

// VerifyInclusion returns the root of the tree of size leaves in which hd
// is leaf index with the given audit path, by RFC 6962's rules (the
// transparency-dev/merkle verifier). An error says the path is malformed.
func VerifyInclusion(hd Head, index, size uint64, auditPath [][]byte) ([]byte, error) {
	return proof.RootFromInclusionProof(rfc6962.DefaultHasher, index, size, rfc6962.DefaultHasher.HashLeaf(Leaf(hd)), auditPath)
}

func leafHashes(heads []Head) [][]byte {
	hs := make([][]byte, len(heads))
	for i, hd := range heads {
		hs[i] = rfc6962.DefaultHasher.HashLeaf(Leaf(hd))
	}
	return hs
}

// split is the largest power of two smaller than n (n > 1): where RFC 6962
// divides a tree of n leaves.
func split(n int) int { return 1 << (bits.Len(uint(n-1)) - 1) }

// mth is RFC 6962's MTH over leaf hashes.
func mth(hs [][]byte) []byte {
	switch len(hs) {
	case 0:
		return rfc6962.DefaultHasher.EmptyRoot()
	case 1:
		return hs[0]
	}
	k := split(len(hs))
	return rfc6962.DefaultHasher.HashChildren(mth(hs[:k]), mth(hs[k:]))
}

// path is RFC 6962's PATH(m, D[n]) over leaf hashes. Each level hashes
// only the sibling half, so a path costs O(n) hashes in all.
func path(m int, hs [][]byte) [][]byte {
	if len(hs) <= 1 {
		return nil
	}
	k := split(len(hs))
	if m < k {
		return append(path(m, hs[:k]), mth(hs[k:]))
	}
	return append(path(m-k, hs[k:]), mth(hs[:k]))
}
