package notify

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London must resolve on machines without zoneinfo.

	"throughline/calendar"

	"github.com/go-pdf/fpdf"
)

// london is the zone a letter's date is given in.
var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic("time zone Europe/London: " + err.Error())
	}
	return l
}()

// FontPath and BoldFontPath are the UTF-8 TrueType faces letters are set
// in, loaded at run time so that no font is committed: Debian's
// fonts-dejavu-core. Welsh needs ŵ, ŷ, â and the other circumflexed vowels,
// which DejaVu Sans has.
var (
	FontPath     = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	BoldFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
)

// letterFace is one face a letter is set in: where it is read from, its
// PostScript name, and the fpdf family and style it is registered under.
//
// fpdf names an embedded UTF-8 font "utf8" + family + style and offers no
// way to name it otherwise, so it never carries the subset tag that ISO
// 32000-1 §9.6.4 requires of a subset font ("ABCDEF+DejaVuSans"). The
// family is therefore chosen so that fpdf's name is exactly as long as the
// tagged name, and tagSubsets swaps one for the other byte for byte: no
// object moves and the cross-reference table stays true.
type letterFace struct {
	path   func() string
	psName string
	style  string
}

func (f letterFace) family() string {
	// len("utf8"+family+style) == len("ABCDEF+"+psName)
	return strings.ToLower(f.psName) + strings.Repeat("_", 3-len(f.style))
}

func (f letterFace) fpdfName() string { return "utf8" + f.family() + f.style }

var (
	regular = letterFace{func() string { return FontPath }, "DejaVuSans", ""}
	bold    = letterFace{func() string { return BoldFontPath }, "DejaVuSans-Bold", "B"}
)

// letterStyle is the type sizes (points) and leading (mm) of a letter.
type letterStyle struct {
	body, bodyLead       float64
	subject, subjectLead float64
	footer, footerY      float64
	bottom               float64 // the page-break margin, which the footer sits in
}

var (
	standardPrint = letterStyle{body: 12, bodyLead: 6.2, subject: 13, subjectLead: 7, footer: 9, footerY: -15, bottom: 22}
	// largePrint follows RNIB's clear print guidance for large print:
	// 16pt body text and larger headings, in the same sans-serif face.
	largePrint = letterStyle{body: 16, bodyLead: 8.2, subject: 18, subjectLead: 9.5, footer: 14, footerY: -18, bottom: 27}
)

// RenderLetter sets a letter as an A4 PDF: the address in the window
// position, the date, the subject in bold, and the body, with the reference
// in the footer of every page. A letter fits one page when its text does;
// a longer one breaks onto further pages, numbered "page 1 of 2". With
// d.LargePrint the letter is set in large print (16pt body). The date is
// the day of d.Sent in Europe/London; a delivery without Sent is refused
// rather than dated by this machine's clock.
//
// The PDF names its language (/Lang en-GB or cy) and its title (the
// subject), embeds only subsets of its fonts, tagged as subsets, and is the
// same bytes for the same delivery. It is not a tagged PDF: fpdf cannot
// write a structure tree (docs/adr/0111-accessible-letters.md).
func RenderLetter(d Delivery) ([]byte, error) {
	if d.Sent.IsZero() {
		return nil, errors.New("a letter is dated by the time it is sent (Delivery.Sent), and none was given")
	}
	st := standardPrint
	if d.LargePrint {
		st = largePrint
	}
	welsh := d.Lang == "cy"
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AliasNbPages("{nb}") // before the fonts, so that their subsets hold the digits
	for _, face := range []letterFace{regular, bold} {
		font, err := os.ReadFile(face.path())
		if err != nil {
			return nil, errors.New("letters need a UTF-8 TrueType font at " + face.path() + " (Debian: apt-get install fonts-dejavu-core)")
		}
		pdf.AddUTF8FontFromBytes(face.family(), face.style, font)
	}
	if err := pdf.Error(); err != nil {
		return nil, err
	}
	pdf.SetCompression(false)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(d.Sent)
	pdf.SetModificationDate(d.Sent)
	pdf.SetMargins(25, 20, 20)
	pdf.SetAutoPageBreak(true, st.bottom)
	pdf.SetCreator("Throughline", true)
	pdf.SetTitle(d.Subject, true)
	lang := "en-GB"
	if welsh {
		lang = "cy"
	}
	pdf.SetLang(lang)
	// The footer is drawn by fpdf at the end of each page with automatic
	// page breaks suspended, inside the bottom margin: set in the body, it
	// would itself fall past the break and start a page of its own.
	pdf.SetFooterFuncLpi(func(last bool) {
		pdf.SetY(st.footerY)
		pdf.SetFont(regular.family(), "", st.footer)
		ref, page := "Reference ", "page %d of {nb}"
		if welsh {
			ref, page = "Cyfeirnod ", "tudalen %d o {nb}"
		}
		text := ref + d.Reference
		if !(last && pdf.PageNo() == 1) {
			text += " · " + fmt.Sprintf(page, pdf.PageNo())
		}
		pdf.CellFormat(0, st.footer*0.45, text, "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	// The address sits where a window envelope shows it, at the same size
	// in large print so that it stays inside the window.
	pdf.SetFont(regular.family(), "", 12)
	pdf.SetXY(25, 50)
	for _, l := range strings.Split(d.To, "\n") {
		pdf.CellFormat(0, 5.5, strings.TrimSpace(l), "", 1, "L", false, 0, "")
	}
	pdf.SetY(95)
	pdf.SetFont(regular.family(), "", st.body)
	pdf.CellFormat(0, st.bodyLead, LetterDate(d.Sent, d.Lang), "", 1, "R", false, 0, "")
	pdf.Ln(4)
	pdf.SetFont(bold.family(), bold.style, st.subject)
	pdf.MultiCell(0, st.subjectLead, d.Subject, "", "L", false)
	pdf.Ln(3)
	pdf.SetFont(regular.family(), "", st.body)
	pdf.MultiCell(0, st.bodyLead, d.Body, "", "L", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return tagSubsets(buf.Bytes(), regular, bold)
}

// tagSubsets renames each face's embedded subset from fpdf's name to the
// tagged name ISO 32000-1 §9.6.4 requires: six upper-case letters, "+",
// the PostScript name. The tag is drawn from a hash of the document, so the
// same letter has the same tags and different letters, whose subsets
// differ, almost surely do not share one. The names are the same length,
// so no offset changes. fpdf writes each name three times (the Type0 and
// CIDFontType2 fonts' /BaseFont and the descriptor's /FontName); any other
// count is refused rather than guessed at.
func tagSubsets(pdf []byte, faces ...letterFace) ([]byte, error) {
	sum := sha256.Sum256(pdf)
	seen := map[string]bool{}
	out := pdf
	for i, face := range faces {
		from := []byte("/" + face.fpdfName())
		if n := bytes.Count(out, from); n != 3 {
			return nil, fmt.Errorf("letter PDF: font name %s appears %d times, not 3", from, n)
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
			return nil, fmt.Errorf("letter PDF: tagged name %s is not as long as %s", to, from)
		}
		out = bytes.ReplaceAll(out, from, to)
	}
	return out, nil
}

// LetterDate is the date a letter sent at t bears: t's day in
// Europe/London, "1 April 2026" (Welsh: "1 Ebrill 2026").
func LetterDate(t time.Time, lang string) string {
	t = t.In(london)
	if lang == "cy" {
		return strings.Join([]string{strconv.Itoa(t.Day()), calendar.WelshMonth(t.Month()), strconv.Itoa(t.Year())}, " ")
	}
	return t.Format("2 January 2006")
}
