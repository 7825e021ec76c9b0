package sim

import (
	"bufio"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// WriteBacklogSVG draws the backlog over time of one or more results as a
// self-contained SVG: for each scenario a line for the mean number of cases
// in the system and a shaded band for its 95% confidence interval. The file
// has no scripts, no external fonts or images, and carries a <title> and a
// <desc> (which states the start and end figures in words) so a screen reader
// can describe it; colours are from the Okabe–Ito palette, distinguishable
// with colour-blindness, and each line is also labelled in a legend.
func WriteBacklogSVG(w io.Writer, results ...*Result) error {
	return writeBacklogSVG(w, "", false, results)
}

// WriteBacklogSVGInline draws the same chart for inclusion in an HTML page:
// its ids (of the <title> and <desc> that label it) start with idPrefix so
// they are unique in the page, and it has no fixed size — it takes the width
// of its container, keeping its proportions. Like the file, it has no style
// attributes or elements, only presentation attributes (fill, stroke), so a
// Content-Security-Policy that forbids inline styles allows it.
func WriteBacklogSVGInline(w io.Writer, idPrefix string, results ...*Result) error {
	return writeBacklogSVG(w, idPrefix, true, results)
}

func writeBacklogSVG(w io.Writer, idPrefix string, fluid bool, results []*Result) error {
	if len(results) == 0 {
		return errors.New("plot: no results")
	}
	const (
		width, height = 800.0, 450.0
		left, right   = 80.0, 20.0
		top, bottom   = 50.0, 60.0
	)
	colours := []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7"}

	var xmax, ymax float64
	for _, r := range results {
		for _, p := range r.Backlog {
			xmax = math.Max(xmax, float64(p.Day))
			ymax = math.Max(ymax, finiteOr(float64(p.CI95[1]), float64(p.Mean)))
		}
	}
	years := xmax > 2*daysPerYear
	xunit, xlabel := 1.0, "days"
	if years {
		xunit, xlabel = daysPerYear, "years"
	}
	xticks := NiceTicks(xmax/xunit, 8)
	yticks := NiceTicks(ymax, 6)
	xtop, ytop := xticks[len(xticks)-1]*xunit, yticks[len(yticks)-1]
	px := func(day float64) float64 { return left + (width-left-right)*day/xtop }
	py := func(v float64) float64 { return height - bottom - (height-top-bottom)*v/ytop }

	names := make([]string, len(results))
	for i, r := range results {
		names[i] = r.Name
	}
	title := "Crown Court RASSO backlog over time: " + strings.Join(names, " and ")
	var desc strings.Builder
	desc.WriteString("Cases sent to the Crown Court and not yet tried, cracked or withdrawn, by day of the simulation; mean of the replications with a shaded 95% confidence interval. ")
	for _, r := range results {
		if n := len(r.Backlog); n > 0 {
			fmt.Fprintf(&desc, "%s: %.0f cases on day %.0f, %.0f on day %.0f (%d replications). ",
				r.Name, float64(r.Backlog[0].Mean), float64(r.Backlog[0].Day), float64(r.Backlog[n-1].Mean), float64(r.Backlog[n-1].Day), r.Replications)
		}
	}

	b := bufio.NewWriter(w)
	esc := html.EscapeString
	size := fmt.Sprintf(`width="%.0f" height="%.0f"`, width, height)
	if fluid {
		size = `width="100%"`
	}
	titleID, descID := esc(idPrefix+"title"), esc(idPrefix+"desc")
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" %s role="img" aria-labelledby="%s %s" font-family="Arial, Helvetica, sans-serif" font-size="13">`+"\n", width, height, size, titleID, descID)
	fmt.Fprintf(b, "<title id=\"%s\">%s</title>\n<desc id=\"%s\">%s</desc>\n", titleID, esc(title), descID, esc(strings.TrimSpace(desc.String())))
	fmt.Fprintf(b, `<rect width="%.0f" height="%.0f" fill="#ffffff"/>`+"\n", width, height)
	fmt.Fprintf(b, `<text x="%.0f" y="26" font-size="16" font-weight="bold" fill="#0b0c0c">%s</text>`+"\n", left, esc(title))
	fmt.Fprintf(b, `<text x="%.0f" y="43" font-size="12" fill="#505a5f">Line: mean of %d replications. Shaded band: its 95%% confidence interval.</text>`+"\n", left, results[0].Replications)

	// Grid and axes.
	for _, t := range yticks {
		y := py(t)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d0d0d0" stroke-width="1"/>`+"\n", left, y, width-right, y)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#0b0c0c">%s</text>`+"\n", left-8, y+4, TickLabel(t))
	}
	for _, t := range xticks {
		x := px(t * xunit)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#505a5f" stroke-width="1"/>`+"\n", x, height-bottom, x, height-bottom+5)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#0b0c0c">%s</text>`+"\n", x, height-bottom+20, TickLabel(t))
	}
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#505a5f" stroke-width="1"/>`+"\n", left, height-bottom, width-right, height-bottom)
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#505a5f" stroke-width="1"/>`+"\n", left, top, left, height-bottom)
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#0b0c0c">Time (%s)</text>`+"\n", (left+width-right)/2, height-15, xlabel)
	fmt.Fprintf(b, `<text transform="translate(20 %.1f) rotate(-90)" text-anchor="middle" fill="#0b0c0c">Cases in the backlog</text>`+"\n", (top+height-bottom)/2)

	for i, r := range results {
		c := colours[i%len(colours)]
		var band, line strings.Builder
		for _, p := range r.Backlog {
			fmt.Fprintf(&band, "%.1f,%.1f ", px(float64(p.Day)), py(finiteOr(float64(p.CI95[1]), float64(p.Mean))))
		}
		for j := len(r.Backlog) - 1; j >= 0; j-- {
			p := r.Backlog[j]
			fmt.Fprintf(&band, "%.1f,%.1f ", px(float64(p.Day)), py(finiteOr(float64(p.CI95[0]), float64(p.Mean))))
		}
		for _, p := range r.Backlog {
			fmt.Fprintf(&line, "%.1f,%.1f ", px(float64(p.Day)), py(float64(p.Mean)))
		}
		fmt.Fprintf(b, `<g><title>%s: mean backlog with 95%% confidence interval</title>`+"\n", esc(r.Name))
		fmt.Fprintf(b, `<polygon points="%s" fill="%s" fill-opacity="0.25" stroke="none"/>`+"\n", strings.TrimSpace(band.String()), c)
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.TrimSpace(line.String()), c)
		fmt.Fprintln(b, "</g>")
		ly := top + 8 + 20*float64(i)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="3"/>`+"\n", width-right-210, ly, width-right-185, ly, c)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" fill="#0b0c0c">%s</text>`+"\n", width-right-178, ly+4, esc(r.Name))
	}
	fmt.Fprintln(b, "</svg>")
	if err := b.Flush(); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	return nil
}

func finiteOr(x, y float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return y
	}
	return x
}

// NiceTicks returns about n round tick values from 0 to at least max: the
// axes of the simulator's chart and of the oversight dashboards.
func NiceTicks(max float64, n int) []float64 {
	if !(max > 0) {
		return []float64{0, 1}
	}
	raw := max / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ticks []float64
	for i := 0; ; i++ {
		t := float64(i) * step
		ticks = append(ticks, t)
		if t >= max {
			return ticks
		}
	}
}

// TickLabel writes a tick value, whole numbers grouped in thousands.
func TickLabel(t float64) string {
	if t == math.Trunc(t) && math.Abs(t) < 1e15 {
		return num(t, 0)
	}
	return fmt.Sprintf("%g", round6(t))
}
