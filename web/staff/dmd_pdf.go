package staff

import (
	"bytes"
	"strconv"

	"github.com/go-pdf/fpdf"

	"throughline/pdffont"
)

// pdf writes the section as an A4 PDF in DejaVu Sans, its fonts embedded as
// tagged subsets (package pdffont), as the letters and the open-data report
// are: a document that goes to the court file must read the same anywhere.
// Each item's heading is kept with its first lines; every page says the
// case and its number.
func (d dmdSection) pdf() ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	if err := pdffont.Add(pdf, pdffont.Regular, pdffont.Bold); err != nil {
		return nil, err
	}
	setFont := func(f pdffont.Face, size float64) { pdf.SetFont(f.Family(), f.Style, size) }
	const margin, bottom = 20.0, 297.0 - 20
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, 20)
	pdf.SetCreator("Throughline", true)
	pdf.SetTitle(d.Title, true)
	pdf.SetSubject(d.Lines[0], true)
	pdf.SetLang("en-GB")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-13)
		setFont(pdffont.Regular, 7.5)
		pdf.CellFormat(0, 4, d.Lines[0]+" — "+d.Title+" — page "+strconv.Itoa(pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	setFont(pdffont.Bold, 14)
	pdf.MultiCell(0, 6.5, d.Title, "", "L", false)
	pdf.Ln(1)
	setFont(pdffont.Regular, 10)
	for _, l := range d.Lines {
		pdf.MultiCell(0, 5, l, "", "L", false)
	}
	for _, p := range d.Parts {
		if p.Heading != "" {
			if pdf.GetY()+20 > bottom {
				pdf.AddPage()
			} else {
				pdf.Ln(5)
			}
			setFont(pdffont.Bold, 12)
			pdf.MultiCell(0, 6, p.Heading, "", "L", false)
		}
		for i, it := range p.Items {
			// Keep the heading with the first lines of the item.
			if pdf.GetY()+18 > bottom {
				pdf.AddPage()
			} else {
				pdf.Ln(3)
			}
			setFont(pdffont.Bold, 10.5)
			pdf.MultiCell(0, 5.2, strconv.Itoa(i+1)+". "+it.Heading, "", "L", false)
			setFont(pdffont.Regular, 9.5)
			for _, l := range it.Lines {
				pdf.SetX(margin + 5)
				pdf.MultiCell(0, 4.6, l, "", "L", false)
			}
		}
		if len(p.Items) == 0 {
			pdf.Ln(3)
			setFont(pdffont.Regular, 10)
			pdf.MultiCell(0, 5, p.None, "", "L", false)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return pdffont.TagSubsets(buf.Bytes(), pdffont.Regular, pdffont.Bold)
}
