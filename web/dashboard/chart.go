package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"throughline/sim"
)

// The charts are inline SVG written here, so that they need no script and
// pass a strict Content-Security-Policy: presentation attributes only, no
// style attribute. Each is an image labelled by its <title> and <desc>; the
// table beside it carries the same figures for anyone who cannot see it.

// Colours of the series (Okabe–Ito: told apart with colour blindness, each
// at least 3:1 against white) and of the text and grid (GOV.UK's).
var colours = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7"}

const (
	textColour = "#0b0c0c"
	greyColour = "#505a5f"
	gridColour = "#b1b4b6"
)

// series is one line of a line chart: a value per label, missing where
// nothing was counted.
type series struct {
	Name   string
	Values []float64 // NaN: no figure
	Dashed bool
}

// lineChart draws series over the labels (quarters), left to right.
func lineChart(id, title, desc, unit string, labels []string, ss []series) template.HTML {
	const (
		width, height          = 760.0, 380.0
		left, right, top, base = 70.0, 45.0, 60.0, 70.0
	)
	var ymax float64
	for _, s := range ss {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				ymax = math.Max(ymax, v)
			}
		}
	}
	ticks := sim.NiceTicks(ymax, 5)
	ytop := ticks[len(ticks)-1]
	n := len(labels)
	px := func(i int) float64 {
		if n <= 1 {
			return (left + width - right) / 2
		}
		return left + (width-left-right)*float64(i)/float64(n-1)
	}
	py := func(v float64) float64 { return height - base - (height-top-base)*v/ytop }

	var b strings.Builder
	open(&b, id, title, desc, width, height)
	// Legend, one entry per series, above the plot.
	for i, s := range ss {
		x := left + float64(i)*260
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="8 5"`
		}
		fmt.Fprintf(&b, `<line x1="%.0f" y1="40" x2="%.0f" y2="40" stroke="%s" stroke-width="3"%s/>`, x, x+30, colours[i%len(colours)], dash)
		fmt.Fprintf(&b, `<text x="%.0f" y="45" fill="%s">%s</text>`, x+38, textColour, esc(s.Name))
	}
	yAxis(&b, ticks, unit, left, width-right, py)
	step := max(1, (n+7)/8) // at most 8 labels under the axis
	for i, l := range labels {
		if i%step != 0 && i != n-1 {
			continue
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="%s">%s</text>`, px(i), height-base+20, textColour, esc(l))
	}
	for si, s := range ss {
		c := colours[si%len(colours)]
		var pts []string
		flush := func() {
			if len(pts) > 1 {
				dash := ""
				if s.Dashed {
					dash = ` stroke-dasharray="8 5"`
				}
				fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="3"%s/>`, strings.Join(pts, " "), c, dash)
			}
			pts = pts[:0]
		}
		for i, v := range s.Values {
			if math.IsNaN(v) {
				flush()
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(i), py(v)))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>`, px(i), py(v), c)
		}
		flush()
	}
	b.WriteString("</svg>")
	return template.HTML(b.String()) // every text drawn is escaped by esc
}

// bar is one bar of a bar chart.
type bar struct {
	Label string
	Value float64
	Text  string // the value in words, drawn at the bar's end
	Mark  bool   // the reader's own force or area: drawn in another colour and named so
}

// barChart draws horizontal bars, one per row, with an optional reference
// line (the national figure) across them.
func barChart(id, title, desc, unit string, bars []bar, ref float64, refName string) template.HTML {
	const (
		width, left, right, top, rowH = 760.0, 250.0, 90.0, 50.0, 26.0
	)
	height := top + rowH*float64(len(bars)) + 50
	var vmax float64
	for _, br := range bars {
		vmax = math.Max(vmax, br.Value)
	}
	if !math.IsNaN(ref) {
		vmax = math.Max(vmax, ref)
	}
	ticks := sim.NiceTicks(vmax, 5)
	xtop := ticks[len(ticks)-1]
	px := func(v float64) float64 { return left + (width-left-right)*v/xtop }

	var b strings.Builder
	open(&b, id, title, desc, width, height)
	bottom := top + rowH*float64(len(bars))
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="%s"/>`, px(t), top, px(t), bottom, gridColour)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle" fill="%s">%s</text>`, px(t), bottom+18, textColour, sim.TickLabel(t))
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle" fill="%s">%s</text>`, (left+width-right)/2, bottom+40, textColour, esc(unit))
	for i, br := range bars {
		y := top + rowH*float64(i)
		c, label := colours[0], br.Label
		if br.Mark {
			c, label = colours[1], br.Label+" (yours)"
		}
		weight := ""
		if br.Mark {
			weight = ` font-weight="bold"`
		}
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end" fill="%s"%s>%s</text>`, left-8, y+rowH/2+4, textColour, weight, esc(clip(label, 34)))
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, left, y+4, px(br.Value)-left, rowH-8, c)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="%s">%s</text>`, px(br.Value)+6, y+rowH/2+4, textColour, esc(br.Text))
	}
	if !math.IsNaN(ref) {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="%s" stroke-width="2" stroke-dasharray="6 4"/>`, px(ref), top-8, px(ref), bottom, textColour)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle" fill="%s">%s</text>`, px(ref), top-14, textColour, esc(refName))
	}
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="%s"/>`, left, top, left, bottom, greyColour)
	b.WriteString("</svg>")
	return template.HTML(b.String()) // every text drawn is escaped by esc
}

// open starts an SVG image labelled by its title and description.
func open(b *strings.Builder, id, title, desc string, width, height float64) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="%s-title %s-desc" font-family="Arial, Helvetica, sans-serif" font-size="14">`, width, height, id, id)
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(title), id, esc(desc))
	fmt.Fprintf(b, `<rect width="%.0f" height="%.0f" fill="#ffffff"/>`, width, height)
	fmt.Fprintf(b, `<text x="10" y="20" font-size="16" font-weight="bold" fill="%s">%s</text>`, textColour, esc(title))
}

// yAxis draws the horizontal grid lines and their values.
func yAxis(b *strings.Builder, ticks []float64, unit string, x0, x1 float64, py func(float64) float64) {
	for _, t := range ticks {
		fmt.Fprintf(b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="%s"/>`, x0, py(t), x1, py(t), gridColour)
		fmt.Fprintf(b, `<text x="%.0f" y="%.1f" text-anchor="end" fill="%s">%s</text>`, x0-8, py(t)+5, textColour, sim.TickLabel(t))
	}
	fmt.Fprintf(b, `<text transform="translate(16 %.1f) rotate(-90)" text-anchor="middle" fill="%s">%s</text>`, (py(0)+py(ticks[len(ticks)-1]))/2, textColour, esc(unit))
}

func esc(s string) string { return html.EscapeString(s) }

// clip shortens a label to n characters (the table beside the chart has it
// in full).
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
