package notify

import (
	"bytes"
	"errors"
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

// FontPath is the UTF-8 TrueType font letters are set in, loaded at run
// time so that no font is committed: Debian's fonts-dejavu-core. Welsh needs
// ŵ, ŷ, â and the other circumflexed vowels, which DejaVu Sans has.
var FontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// RenderLetter sets a letter as an A4 PDF: the address in the window
// position, the date, the subject in bold, and the body. The date is the
// day of d.Sent in Europe/London; a delivery without Sent is refused rather
// than dated by this machine's clock.
func RenderLetter(d Delivery) ([]byte, error) {
	if d.Sent.IsZero() {
		return nil, errors.New("a letter is dated by the time it is sent (Delivery.Sent), and none was given")
	}
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
	pdf.CellFormat(0, 6, LetterDate(d.Sent, d.Lang), "", 1, "R", false, 0, "")
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

// LetterDate is the date a letter sent at t bears: t's day in
// Europe/London, "1 April 2026" (Welsh: "1 Ebrill 2026").
func LetterDate(t time.Time, lang string) string {
	t = t.In(london)
	if lang == "cy" {
		return strings.Join([]string{strconv.Itoa(t.Day()), calendar.WelshMonth(t.Month()), strconv.Itoa(t.Year())}, " ")
	}
	return t.Format("2 January 2006")
}
