package notify

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London must resolve on machines without zoneinfo.

	"throughline/calendar"
	"throughline/pdffont"

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
	if err := pdffont.Add(pdf, pdffont.Regular, pdffont.Bold); err != nil {
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
		pdf.SetFont(pdffont.Regular.Family(), "", st.footer)
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
	pdf.SetFont(pdffont.Regular.Family(), "", 12)
	pdf.SetXY(25, 50)
	for _, l := range strings.Split(d.To, "\n") {
		pdf.CellFormat(0, 5.5, strings.TrimSpace(l), "", 1, "L", false, 0, "")
	}
	pdf.SetY(95)
	pdf.SetFont(pdffont.Regular.Family(), "", st.body)
	pdf.CellFormat(0, st.bodyLead, LetterDate(d.Sent, d.Lang), "", 1, "R", false, 0, "")
	pdf.Ln(4)
	pdf.SetFont(pdffont.Bold.Family(), pdffont.Bold.Style, st.subject)
	pdf.MultiCell(0, st.subjectLead, d.Subject, "", "L", false)
	pdf.Ln(3)
	pdf.SetFont(pdffont.Regular.Family(), "", st.body)
	pdf.MultiCell(0, st.bodyLead, d.Body, "", "L", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return pdffont.TagSubsets(buf.Bytes(), pdffont.Regular, pdffont.Bold)
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
