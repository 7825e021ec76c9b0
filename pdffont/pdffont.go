// Package pdffont sets Throughline's PDFs (letters to victims, the
// open-data report) in DejaVu Sans, embedded as subsets named as ISO
// 32000-1 §9.6.4 requires. The fonts are read at run time from Debian's
// fonts-dejavu-core, so that no font is committed; DejaVu Sans has the
// circumflexed vowels Welsh needs (ŵ, ŷ, â …).
package pdffont

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"strings"

	"github.com/go-pdf/fpdf"
)

// RegularPath and BoldPath are where the faces are read from.
var (
	RegularPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	BoldPath    = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
)

// Face is one face a document is set in: where it is read from, its
// PostScript name, and the fpdf style it is registered under.
//
// fpdf names an embedded UTF-8 font "utf8" + family + style and offers no
// way to name it otherwise, so it never carries the subset tag a subset font
// must ("ABCDEF+DejaVuSans"). The family is therefore chosen so that fpdf's
// name is exactly as long as the tagged name, and TagSubsets swaps one for
// the other byte for byte: no object moves and the cross-reference table
// stays true.
type Face struct {
	path   func() string
	psName string
	Style  string
}

var (
	Regular = Face{func() string { return RegularPath }, "DejaVuSans", ""}
	Bold    = Face{func() string { return BoldPath }, "DejaVuSans-Bold", "B"}
)

// Family is the fpdf family to pass to SetFont with the face's Style.
func (f Face) Family() string {
	// len("utf8"+family+style) == len("ABCDEF+"+psName)
	return strings.ToLower(f.psName) + strings.Repeat("_", 3-len(f.Style))
}

func (f Face) fpdfName() string { return "utf8" + f.Family() + f.Style }

// Add registers the faces with the document. A face that cannot be read is
// an error naming the file and the Debian package that holds it: a bold
// face is never stood in for by the regular one.
func Add(pdf *fpdf.Fpdf, faces ...Face) error {
	for _, face := range faces {
		font, err := os.ReadFile(face.path())
		if err != nil {
			return fmt.Errorf("PDFs need the UTF-8 TrueType font %s (Debian: apt-get install fonts-dejavu-core)", face.path())
		}
		pdf.AddUTF8FontFromBytes(face.Family(), face.Style, font)
	}
	return pdf.Error()
}

// TagSubsets renames each face's embedded subset from fpdf's name to the
// tagged name ISO 32000-1 §9.6.4 requires: six upper-case letters, "+",
// the PostScript name. The tag is drawn from a hash of the document, so the
// same document has the same tags and different ones, whose subsets
// differ, almost surely do not share one. The names are the same length,
// so no offset changes. fpdf writes each name three times (the Type0 and
// CIDFontType2 fonts' /BaseFont and the descriptor's /FontName); any other
// count is refused rather than guessed at.
func TagSubsets(pdf []byte, faces ...Face) ([]byte, error) {
	sum := sha256.Sum256(pdf)
	seen := map[string]bool{}
	out := pdf
	for i, face := range faces {
		from := []byte("/" + face.fpdfName())
		if n := bytes.Count(out, from); n != 3 {
			return nil, fmt.Errorf("PDF: font name %s appears %d times, not 3", from, n)
		}
		var tag []byte
		for salt := byte(i); ; salt += byte(len(faces)) {
			h := sha256.Sum256(append(sum[:], salt))
			tag = make([]byte, 6)
			for j := range tag {
				tag[j] = 'A' + h[j]%26
			}
			if !seen[string(tag)] {
				break
			}
		}
		seen[string(tag)] = true
		to := []byte("/" + string(tag) + "+" + face.psName)
		if len(to) != len(from) {
			return nil, fmt.Errorf("PDF: tagged name %s is not as long as %s", to, from)
		}
		out = bytes.ReplaceAll(out, from, to)
	}
	return out, nil
}
