package notify

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"throughline/calendar"
	"time"

	"github.com/go-pdf/fpdf"
)

// FontPath is the UTF-8 TrueType font letters are set in, loaded at run
// time so that no font is committed: Debian's fonts-dejavu-core. Welsh needs
// ŵ, ŷ, â and the other circumflexed vowels, which DejaVu Sans has.
var FontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// RenderLetter sets a letter as an A4 PDF: the address in the window
// position, the date, the subject in bold, and the body.
func RenderLetter(d Delivery) ([]byte, error) {
	font, err := os.ReadFile(FontPath)
	if err != nil {
		return nil, errors.New("letters need a UTF-8 TrueType font at " + FontPath + " (Debian: apt-get install fonts-dejavu-core)")
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(false)
	pdf.AddUTF8FontFromBytes("body", "", font)
	pdf.AddUTF8FontFromBytes("body", "B", font)
	pdf.SetMargins(25, 20, 20)
	pdf.SetCreator("Throughline", true)
	pdf.SetTitle(d.Subject, true)
	pdf.AddPage()
	pdf.SetFont("body", "", 12)
	// The address sits where a window envelope shows it.
	pdf.SetXY(25, 50)
	for _, l := range strings.Split(d.To, "\n") {
		pdf.CellFormat(0, 5.5, strings.TrimSpace(l), "", 1, "L", false, 0, "")
	}
	pdf.SetY(95)
	date := time.Now().Format("2 January 2006")
	if d.Lang == "cy" {
		t := time.Now()
		date = strings.Join([]string{itoa(t.Day()), calendar.WelshMonth(t.Month()), itoa(t.Year())}, " ")
	}
	pdf.CellFormat(0, 6, date, "", 1, "R", false, 0, "")
	pdf.Ln(4)
	pdf.SetFont("body", "B", 13)
	pdf.MultiCell(0, 7, d.Subject, "", "L", false)
	pdf.Ln(3)
	pdf.SetFont("body", "", 12)
	pdf.MultiCell(0, 6.2, d.Body, "", "L", false)
	pdf.SetY(-15)
	pdf.SetFont("body", "", 8)
	pdf.CellFormat(0, 5, d.Reference, "", 0, "R", false, 0, "")
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func itoa(n int) string { return strconv.Itoa(n) }
