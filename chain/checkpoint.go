package chain

import (
	"crypto/sha256"
	"encoding/binary"
)

// Head is the head of one chain as a checkpoint seals it: a case (or a
// log chain, named log:<table>:<chain>), its version and its hash.
type Head struct {
	Ref     string
	Version int64
	Hash    []byte
}

// Checkpoint formats. A format 1 checkpoint hashes its heads in a row, so
// showing that it sealed one head takes every head it sealed; a format 2
// checkpoint signs the root of a Merkle tree over them, so one head is
// shown by a path of about log2(n) hashes (audit prove).
const (
	FormatList = 1
	FormatTree = 2
)

// CheckpointRoot is what a checkpoint signs: SHA-256 over the previous
// checkpoint's signature, the time it was taken and, by format, the heads
// it seals in case order (format 1) or their tree's root (format 2).
func CheckpointRoot(format int, prevSig []byte, takenAt string, heads []Head) []byte {
	if format == FormatTree {
		return TreeCheckpointRoot(prevSig, takenAt, TreeRoot(heads))
	}
	buf := AppendField(nil, []byte("throughline checkpoint v1"))
	buf = AppendField(buf, prevSig)
	buf = AppendField(buf, []byte(takenAt))
	for _, hd := range heads {
		buf = AppendField(buf, []byte(hd.Ref))
		buf = binary.BigEndian.AppendUint64(buf, uint64(hd.Version))
		buf = AppendField(buf, hd.Hash)
	}
	sum := sha256.Sum256(buf)
	return sum[:]
}

// TreeCheckpointRoot is a format 2 checkpoint's signed root, from the root
// of the tree over its heads.
func TreeCheckpointRoot(prevSig []byte, takenAt string, treeRoot []byte) []byte {
	buf := AppendField(nil, []byte("throughline checkpoint v2"))
	buf = AppendField(buf, prevSig)
	buf = AppendField(buf, []byte(takenAt))
	buf = AppendField(buf, treeRoot)
	sum := sha256.Sum256(buf)
	return sum[:]
}
