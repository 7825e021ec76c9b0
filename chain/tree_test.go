package chain

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/merkle/testonly"
)

// The tree hashes as RFC 6962 does: the published roots of the reference
// leaves, for every size from the empty tree to eight leaves.
func TestTreeRootIsRFC6962(t *testing.T) {
	leaves, roots := testonly.LeafInputs(), testonly.RootHashes()
	for n := range roots {
		hs := make([][]byte, n)
		for i := range hs {
			hs[i] = rfc6962.DefaultHasher.HashLeaf(leaves[i])
		}
		if got := mth(hs); !bytes.Equal(got, roots[n]) {
			t.Errorf("root of %d leaves: %x, want %x", n, got, roots[n])
		}
	}
}

// Every path of every tree up to 70 heads is accepted by an independent
// RFC 6962 verifier, and a path for another leaf, another size or a
// changed head is refused.
func TestInclusionPaths(t *testing.T) {
	var heads []Head
	for n := 1; n <= 70; n++ {
		heads = append(heads, Head{Ref: fmt.Sprintf("13RS%07d/26", n), Version: int64(n), Hash: bytes.Repeat([]byte{byte(n)}, 32)})
		root := TreeRoot(heads)
		for i := range heads {
			p := InclusionPath(heads, i)
			leaf := rfc6962.DefaultHasher.HashLeaf(Leaf(heads[i]))
			if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(i), uint64(n), leaf, p, root); err != nil {
				t.Fatalf("head %d of %d: %v", i, n, err)
			}
			got, err := VerifyInclusion(heads[i], uint64(i), uint64(n), p)
			if err != nil || !bytes.Equal(got, root) {
				t.Fatalf("head %d of %d: root %x, %v", i, n, got, err)
			}
			changed := heads[i]
			changed.Version++
			if got, _ := VerifyInclusion(changed, uint64(i), uint64(n), p); bytes.Equal(got, root) {
				t.Fatalf("head %d of %d: a changed head verifies", i, n)
			}
			if n > 1 {
				if got, _ := VerifyInclusion(heads[i], uint64((i+1)%n), uint64(n), p); bytes.Equal(got, root) {
					t.Fatalf("head %d of %d: verifies at another index", i, n)
				}
			}
		}
	}
}
