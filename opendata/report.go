package opendata

import (
	"bytes"
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"throughline/pdffont"
)

//go:embed report.css
var reportCSS string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"fig": figText,
	"css": func() template.CSS { return template.CSS(reportCSS) },
}).Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{css}}</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p class="lede">Counts for {{.Period}} from the Throughline record, by police force and by Crown Prosecution Service area, with statistical disclosure control.</p>
<section aria-labelledby="notes">
<h2 id="notes">Notes</h2>
<ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>
</section>
{{range .Grids}}
<section class="table">
<table id="{{.ID}}">
<caption>{{.Title}}</caption>
<thead><tr><th scope="col">{{.RowHeader}}</th>{{range .Cols}}<th scope="col" class="n">{{.Name}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr{{if .Total}} class="total"{{end}}><th scope="row">{{.Name}}</th>{{range .Figs}}<td class="n">{{if .Suppressed}}<abbr title="confidential">[c]</abbr>{{else}}{{fig .}}{{end}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
</section>
{{end}}
</main>
</body>
</html>
`))

// figText writes a figure with thousands separators (1,234), or [c].
func figText(f Fig) string {
	if f.Suppressed {
		return Suppressed
	}
	s := strconv.Itoa(f.Value)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// WriteHTML writes the printable report: one page of HTML with its own
// stylesheet (print styles included), every table with a caption and
// scoped headers.
func (r *Release) WriteHTML(w io.Writer) error {
	return reportTmpl.Execute(w, struct {
		Title, Period string
		Notes         []string
		Grids         []Grid
	}{r.Title(), r.Quarter.Label(), Notes, r.Grids()})
}

// WritePDF writes the printable report as an A4 PDF.
func (r *Release) WritePDF(w io.Writer) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	if err := pdffont.Add(pdf, pdffont.Regular, pdffont.Bold); err != nil {
		return err
	}
	setFont := func(style string, size float64) {
		f := pdffont.Regular
		if style == "B" {
			f = pdffont.Bold
		}
		pdf.SetFont(f.Family(), f.Style, size)
	}
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 15)
	pdf.SetCreator("Throughline", true)
	pdf.SetTitle(r.Title(), true)
	pdf.SetLang("en-GB")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		setFont("", 7)
		pdf.CellFormat(0, 4, r.Title()+" — page "+strconv.Itoa(pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	setFont("B", 15)
	pdf.MultiCell(0, 7, r.Title(), "", "L", false)
	pdf.Ln(2)
	setFont("", 9)
	pdf.MultiCell(0, 4.5, "Counts for "+r.Quarter.Label()+" from the Throughline record, by police force and by Crown Prosecution Service area, with statistical disclosure control.", "", "L", false)
	pdf.Ln(2)
	setFont("B", 11)
	pdf.CellFormat(0, 6, "Notes", "", 1, "L", false, 0, "")
	setFont("", 8.5)
	for _, n := range Notes {
		pdf.MultiCell(0, 4.2, "• "+n, "", "L", false)
	}
	const width = 180.0
	for _, g := range r.Grids() {
		nameW := 62.0
		colW := (width - nameW) / float64(len(g.Cols))
		rowH := 4.6
		// Keep a table's caption with its header and first rows.
		if pdf.GetY()+20 > 297-15-10 {
			pdf.AddPage()
		} else {
			pdf.Ln(5)
		}
		header := func() {
			setFont("B", 7.5)
			pdf.SetFillColor(230, 230, 230)
			y := pdf.GetY()
			pdf.MultiCell(nameW, 3.6, g.RowHeader, "B", "L", true)
			h := pdf.GetY() - y
			x := 15 + nameW
			for _, c := range g.Cols {
				pdf.SetXY(x, y)
				pdf.MultiCell(colW, 3.6, c.Name, "B", "R", true)
				h = max(h, pdf.GetY()-y)
				x += colW
			}
			pdf.SetXY(15, y+h)
		}
		setFont("B", 10)
		pdf.MultiCell(0, 5, g.Title, "", "L", false)
		header()
		for _, row := range g.Rows {
			if pdf.GetY()+rowH > 297-15-6 {
				pdf.AddPage()
				header()
			}
			style := ""
			if row.Total {
				style = "B"
			}
			setFont(style, 7.5)
			border := ""
			if row.Total {
				border = "T"
			}
			pdf.CellFormat(nameW, rowH, row.Name, border, 0, "L", false, 0, "")
			for _, f := range row.Figs {
				pdf.CellFormat(colW, rowH, figText(f), border, 0, "R", false, 0, "")
			}
			pdf.Ln(rowH)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return err
	}
	tagged, err := pdffont.TagSubsets(buf.Bytes(), pdffont.Regular, pdffont.Bold)
	if err != nil {
		return err
	}
	_, err = w.Write(tagged)
	return err
}
