// Package simulator serves the backlog simulator for planners (package
// sim over the service's own case mix): aggregates only, no case data.
package simulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"throughline"
	"throughline/refdata"
	"throughline/sim"
	"throughline/sim/observe"
	"throughline/web/page"
)

// Store is what the simulator needs from storage.
type Store interface {
	EachCase(ctx context.Context, fn func(*throughline.Case) error) error
}

// Simulator serves the backlog simulator.
type Simulator struct {
	*page.Base
	Store Store
}

// The backlog simulator for planners: GET /simulate shows the form, POST
// /simulate runs scenario A and scenario B with the same seed (a paired
// comparison, see sim.Compare) and shows the results beside the form.
//
// Access: any signed-in member of staff (route access "session"). The page
// shows no case data, only aggregates of simulated cases; the calibrated
// scenario reads the case record the way `throughline simulate
// --calibrate-from` does (observe.FromStore) and shows only fitted rates.
//
// Bounds, so one request cannot hog the server: replications are limited to
// simMinReplications–simMaxReplications, at most one comparison runs at a
// time in a process (others wait for it, within their own time limit), and
// each request has simTimeout for the wait, the calibration and both runs
// together; a run that does not finish in time is abandoned and the planner
// is told to use fewer replications. Nothing is cached: a comparison of 100
// replications takes seconds, planners change the inputs between runs, and
// the result is reproducible from the inputs (the seed is on the form).

const (
	simMinReplications     = 20
	simMaxReplications     = 200
	simDefaultReplications = 100
	simMaxSpecialist       = 20 // specialist rooms per area
	simCalibrated          = "calibrated"
)

// simTimeout bounds one request's simulation; a variable for tests.
var simTimeout = 45 * time.Second

// simSlot admits one comparison at a time.
var simSlot = make(chan struct{}, 1)

// simRuns counts the comparisons started.
var simRuns atomic.Int64

// SimRuns is the number of comparisons the simulator page has started.
func SimRuns() int64 { return simRuns.Load() }

// simForm is the form, as parsed from the request.
type simForm struct {
	A, B         string
	Specialist   string // specialist rooms in each area; "" leaves it
	Area         string // the one CPS area the specialist rooms are for; "" every area
	Ineffective  string // % of fixture listings ineffective; "" leaves it
	Share        string // % of general rooms' time for RASSO; "" leaves it
	Replications string
	Seed         string
}

func simDefaults() simForm {
	return simForm{A: "today", B: "specialist-courts", Replications: strconv.Itoa(simDefaultReplications), Seed: "1"}
}

func parseSimForm(r *http.Request) simForm {
	v := r.PostForm
	t := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return simForm{A: t("a"), B: t("b"), Specialist: t("specialist"), Area: t("area"), Ineffective: t("ineffective"), Share: t("share"), Replications: t("replications"), Seed: t("seed")}
}

// simInputs are the validated inputs.
type simInputs struct {
	A, B         string
	Specialist   *int
	Area         string   // a CPS area id, or "" for every area
	Ineffective  *float64 // probability
	Share        *float64 // proportion
	Replications int
	Seed         uint64
}

// scenarioChoices are the scenarios the form offers, in order.
func scenarioChoices() []page.Choice {
	var cs []page.Choice
	for _, name := range sim.Builtins() {
		cs = append(cs, page.Choice{Value: name, Text: scenarioTitle(name)})
	}
	return append(cs, page.Choice{Value: simCalibrated, Text: scenarioTitle(simCalibrated)})
}

func scenarioTitle(name string) string {
	switch name {
	case "today":
		return "Today (built-in)"
	case "specialist-courts":
		return "Specialist rape courts: one more room in each CPS area (built-in)"
	case simCalibrated:
		return "Calibrated from the case record"
	}
	return name + " (built-in)"
}

func (f simForm) validate() (simInputs, error) {
	var in simInputs
	var fe []throughline.FieldError
	add := func(field, msg string) { fe = append(fe, throughline.FieldError{Field: field, Message: msg}) }
	known := map[string]bool{simCalibrated: true}
	for _, n := range sim.Builtins() {
		known[n] = true
	}
	if !known[f.A] {
		add("a", "Select scenario A")
	}
	if !known[f.B] {
		add("b", "Select scenario B")
	}
	in.A, in.B = f.A, f.B
	if f.Specialist != "" {
		n, err := strconv.Atoi(f.Specialist)
		if err != nil || n < 0 || n > simMaxSpecialist {
			add("specialist", fmt.Sprintf("Specialist rooms in each area must be a whole number from 0 to %d", simMaxSpecialist))
		} else {
			in.Specialist = &n
		}
	}
	if f.Area != "" {
		switch _, ok := refdata.LookupCPSArea(f.Area); {
		case !ok:
			add("area", "Select a CPS area, or every area")
		case f.Specialist == "":
			add("specialist", "Enter the number of specialist rape courtrooms for the area")
		case f.B == simCalibrated:
			add("area", "The calibrated scenario has no areas: choose every area, or a built-in scenario B")
		default:
			in.Area = f.Area
		}
	}
	percent := func(field, s, what string, lo, hi float64) *float64 {
		if s == "" {
			return nil
		}
		x, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		if err != nil || math.IsNaN(x) || x < lo || x > hi {
			add(field, fmt.Sprintf("%s must be a percentage from %g to %g", what, lo, hi))
			return nil
		}
		p := x / 100
		return &p
	}
	in.Ineffective = percent("ineffective", f.Ineffective, "Ineffective trials", 0, 90)
	in.Share = percent("share", f.Share, "The share of general courtrooms' time for RASSO trials", 1, 100)
	n, err := strconv.Atoi(f.Replications)
	if err != nil || n < simMinReplications || n > simMaxReplications {
		add("replications", fmt.Sprintf("Replications must be a whole number from %d to %d", simMinReplications, simMaxReplications))
	}
	in.Replications = n
	seed, err := strconv.ParseUint(f.Seed, 10, 64)
	if err != nil {
		add("seed", "Seed must be a whole number, 0 or more")
	}
	in.Seed = seed
	if len(fe) > 0 {
		return in, &throughline.Error{Code: throughline.EINVALID, Message: "check the form", Fields: fe}
	}
	return in, nil
}

// changed reports whether any lever of B was set.
func (in simInputs) changed() bool {
	return in.Specialist != nil || in.Ineffective != nil || in.Share != nil
}

// simPage is the view of /simulate.
type simPage struct {
	page.Layout
	A, B         page.Select
	Specialist   page.Input
	Area         page.Select
	Ineffective  page.Input
	Share        page.Input
	Replications page.Input
	Seed         page.Input
	Submit       page.Button
	Results      *simResults
}

// simResults is the view of a comparison.
type simResults struct {
	Heading     string
	About       string
	Table       page.Table
	ByArea      *page.Table   // each CPS area's figures, when both scenarios have areas
	Chart       template.HTML // inline SVG, labelled by its <title> and <desc>
	ChartText   string        // the chart in words
	ChartData   page.Table
	Notes       []string
	Differences string // how to read the difference column
}

func (s *Simulator) simView(rq *page.Request, f simForm, err error) simPage {
	p := simPage{Layout: page.NewLayout(rq, "Compare backlog scenarios", "simulate"), Submit: page.Button{Text: "Run the comparison"}}
	var msgs page.FieldMessages
	if err != nil {
		p.ErrorSummary, msgs = page.ErrorSummaryOf(err, page.SameField)
	}
	em := msgs.Of
	sel := func(name, label, value string) page.Select {
		s := page.Select{Name: name, Label: &page.Label{Text: label, Classes: "govuk-label--s"}, ErrorMessage: em(name)}
		for _, c := range scenarioChoices() {
			c.Selected = c.Value == value
			s.Items = append(s.Items, c)
		}
		return s
	}
	p.A = sel("a", "Scenario A", f.A)
	p.B = sel("b", "Scenario B", f.B)
	p.Specialist = page.Input{Name: "specialist", Value: f.Specialist, Inputmode: "numeric", Classes: "govuk-input--width-3", Spellcheck: new(false),
		Label: &page.Label{Text: "Specialist rape courtrooms in each CPS area (optional)", Classes: "govuk-label--s"},
		Hint:  &page.Hint{Text: fmt.Sprintf("A whole number from 0 to %d. For the calibrated scenario, which has no areas, this is the number in total.", simMaxSpecialist)}, ErrorMessage: em("specialist")}
	p.Area = page.Select{Name: "area", Label: &page.Label{Text: "For which CPS area?", Classes: "govuk-label--s"},
		Hint: &page.Hint{Text: "The specialist courtrooms go in every area, or in the one you choose."}, ErrorMessage: em("area"),
		Items: []page.Choice{{Value: "", Text: "Every CPS area", Selected: f.Area == ""}}}
	for _, a := range refdata.CPSAreas() {
		p.Area.Items = append(p.Area.Items, page.Choice{Value: a.ID, Text: page.AreaName(a.ID), Selected: f.Area == a.ID})
	}
	p.Ineffective = page.Input{Name: "ineffective", Value: f.Ineffective, Inputmode: "decimal", Classes: "govuk-input--width-3", Spellcheck: new(false),
		Label: &page.Label{Text: "Ineffective trials, as a percentage of fixed listings (optional)", Classes: "govuk-label--s"},
		Hint:  &page.Hint{Text: "From 0 to 90. For example, 18. Floating listings keep their own rate."}, ErrorMessage: em("ineffective")}
	p.Share = page.Input{Name: "share", Value: f.Share, Inputmode: "decimal", Classes: "govuk-input--width-3", Spellcheck: new(false),
		Label: &page.Label{Text: "Share of general courtrooms' time for RASSO trials, as a percentage (optional)", Classes: "govuk-label--s"},
		Hint:  &page.Hint{Text: "From 1 to 100. For example, 16."}, ErrorMessage: em("share")}
	p.Replications = page.Input{Name: "replications", Value: f.Replications, Inputmode: "numeric", Classes: "govuk-input--width-4", Spellcheck: new(false),
		Label: &page.Label{Text: "Replications", Classes: "govuk-label--s"},
		Hint:  &page.Hint{Text: fmt.Sprintf("How many times to simulate each scenario, from %d to %d. More gives narrower confidence intervals but takes longer.", simMinReplications, simMaxReplications)}, ErrorMessage: em("replications")}
	p.Seed = page.Input{Name: "seed", Value: f.Seed, Inputmode: "numeric", Classes: "govuk-input--width-10", Spellcheck: new(false),
		Label: &page.Label{Text: "Seed", Classes: "govuk-label--s"},
		Hint:  &page.Hint{Text: "The same seed and inputs give the same results."}, ErrorMessage: em("seed")}
	return p
}

// SimulateForm: GET /simulate.
func (s *Simulator) SimulateForm(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	s.Render(w, r, http.StatusOK, "simulate", s.simView(rq, simDefaults(), nil))
	return nil
}

// Simulate: POST /simulate.
func (s *Simulator) Simulate(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := parseSimForm(r)
	in, err := f.validate()
	if err != nil {
		s.Render(w, r, http.StatusUnprocessableEntity, "simulate", s.simView(rq, f, err))
		return nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), simTimeout)
	defer cancel()
	res, err := s.runComparison(ctx, in)
	if err != nil {
		if throughline.ErrorCode(err) != throughline.EINVALID {
			return err
		}
		s.Render(w, r, http.StatusUnprocessableEntity, "simulate", s.simView(rq, f, err))
		return nil
	}
	p := s.simView(rq, f, nil)
	p.Results = res
	s.Render(w, r, http.StatusOK, "simulate", p)
	return nil
}

// simScenario loads a scenario by its form value.
func (s *Simulator) simScenario(ctx context.Context, field, name string) (sim.Scenario, error) {
	if name != simCalibrated {
		sc, _, err := sim.Builtin(name)
		return sc, err
	}
	cal, err := observe.FromStore(ctx, s.Now(), s.Store.EachCase)
	var sc sim.Scenario
	if err == nil {
		sc, err = observe.Scenario(cal)
	}
	switch {
	case errors.Is(err, observe.ErrNoArrivals):
		return sc, &throughline.Error{Code: throughline.EINVALID, Fields: []throughline.FieldError{{Field: field,
			Message: "The case record cannot calibrate a scenario: " + err.Error() + ". Choose a built-in scenario"}}}
	case err != nil && errors.Is(err, sim.ErrInvalid):
		return sc, &throughline.Error{Code: throughline.EINVALID, Fields: []throughline.FieldError{{Field: field,
			Message: "The case record has too little in it to calibrate a scenario (" + err.Error() + "). Choose a built-in scenario"}}}
	}
	return sc, err
}

// applyLevers edits scenario B.
func applyLevers(sc *sim.Scenario, in simInputs) {
	if !in.changed() {
		return
	}
	if sc.Courtrooms == nil {
		sc.Courtrooms = &sim.Courtrooms{}
	}
	var changes []string
	if in.Specialist != nil {
		switch {
		case in.Area != "":
			for i := range sc.Areas {
				if sc.Areas[i].ID == in.Area {
					sc.Areas[i].Specialist = *in.Specialist
				}
			}
			changes = append(changes, fmt.Sprintf("%d specialist rooms in %s", *in.Specialist, page.AreaName(in.Area)))
		case len(sc.Areas) > 0:
			for i := range sc.Areas {
				sc.Areas[i].Specialist = *in.Specialist
			}
			sc.Courtrooms.Specialist = 0
			changes = append(changes, fmt.Sprintf("%d specialist rooms in each area", *in.Specialist))
		default:
			sc.Courtrooms.Specialist = *in.Specialist
			changes = append(changes, fmt.Sprintf("%d specialist rooms", *in.Specialist))
		}
	}
	if in.Ineffective != nil {
		sc.IneffectiveProbability = *in.Ineffective
		changes = append(changes, fmt.Sprintf("%s%% of fixtures ineffective", pct(*in.Ineffective)))
	}
	if in.Share != nil {
		share := *in.Share
		sc.Courtrooms.GeneralRASSOShare = &share
		changes = append(changes, fmt.Sprintf("%s%% of general rooms' time for RASSO", pct(share)))
	}
	sc.Name += " (" + strings.Join(changes, ", ") + ")"
}

func pct(p float64) string { return strconv.FormatFloat(math.Round(p*1000)/10, 'f', -1, 64) }

// runComparison loads, edits and runs both scenarios, one comparison at a
// time, within ctx.
func (s *Simulator) runComparison(ctx context.Context, in simInputs) (*simResults, error) {
	select {
	case simSlot <- struct{}{}:
		defer func() { <-simSlot }()
	case <-ctx.Done():
		return nil, simBusy(ctx)
	}
	simRuns.Add(1)
	a, err := s.simScenario(ctx, "a", in.A)
	if err != nil {
		return nil, err
	}
	b, err := s.simScenario(ctx, "b", in.B)
	if err != nil {
		return nil, err
	}
	applyLevers(&b, in)
	if a.Name == b.Name {
		a.Name, b.Name = "A: "+a.Name, "B: "+b.Name
	}
	if err := b.Validate(); err != nil {
		return nil, &throughline.Error{Code: throughline.EINVALID, Message: "Scenario B with your changes is not valid: " + err.Error()}
	}
	opts := sim.Options{Replications: in.Replications, Seed: in.Seed, Workers: runtime.GOMAXPROCS(0)}
	ra, err := sim.Run(ctx, a, opts)
	if err == nil {
		var rb *sim.Result
		if rb, err = sim.Run(ctx, b, opts); err == nil {
			return simResultsView(in, ra, rb)
		}
	}
	if ctx.Err() != nil {
		return nil, simBusy(ctx)
	}
	if errors.Is(err, sim.ErrInvalid) {
		return nil, &throughline.Error{Code: throughline.EINVALID, Message: err.Error()}
	}
	return nil, err
}

func simBusy(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &throughline.Error{Code: throughline.EINVALID, Fields: []throughline.FieldError{{Field: "replications",
			Message: fmt.Sprintf("The comparison did not finish within %d seconds. Use fewer replications, or try again when the simulator is less busy", int(simTimeout.Seconds()))}}}
	}
	return ctx.Err()
}

func simResultsView(in simInputs, a, b *sim.Result) (*simResults, error) {
	d, err := sim.Compare(a, b)
	if err != nil {
		return nil, err
	}
	v := &simResults{Heading: "Results: " + a.Name + " compared with " + b.Name}
	v.About = fmt.Sprintf("Each scenario was simulated %d times over %s years with seed %d. Figures in brackets are 95%% confidence intervals of the mean. Both scenarios use the same random numbers, so the difference is measured replication by replication and its interval is narrower than the two scenarios' own.",
		in.Replications, strconv.FormatFloat(math.Round(float64(a.HorizonDays)/365.25*10)/10, 'f', -1, 64), in.Seed)
	v.Differences = "The difference is B minus A: a negative difference in waits, withdrawals or backlog means B is better."
	num := page.TableHead{Format: "numeric"}
	v.Table = page.Table{Caption: "Results of scenario A and scenario B", CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Measure"}, {Text: "A: " + strings.TrimPrefix(a.Name, "A: "), Format: num.Format}, {Text: "B: " + strings.TrimPrefix(b.Name, "B: "), Format: num.Format}, {Text: "Difference (B − A)", Format: num.Format}}}
	row := func(measure, av, bv, dv string) {
		v.Table.Rows = append(v.Table.Rows, []page.TableCell{{Text: measure}, {Text: av, Format: "numeric"}, {Text: bv, Format: "numeric"}, {Text: dv, Format: "numeric"}})
	}
	days := func(x sim.Num) string { return fnum(float64(x), 0) }
	row("Wait from sending to trial, mean (days)", estText(sim.Estimate{Mean: a.WaitDays.Mean, CI95: a.WaitDays.CI95}, 0, false), estText(sim.Estimate{Mean: b.WaitDays.Mean, CI95: b.WaitDays.CI95}, 0, false), estText(d.WaitDaysMean, 0, true))
	row("Wait from sending to trial, median (days)", days(a.WaitDays.Median), days(b.WaitDays.Median), signed(float64(d.WaitDaysMedian), 0))
	row("Wait from sending to trial, 90th percentile (days)", days(a.WaitDays.P90), days(b.WaitDays.P90), signed(float64(d.WaitDaysP90), 0))
	row("Withdrawals a year", estText(a.WithdrawalsPerYear, 0, false), estText(b.WithdrawalsPerYear, 0, false), estText(d.WithdrawalsPerYear, 0, true))
	row("Withdrawals, % of cases concluded", pctText(a.WithdrawalShare, false), pctText(b.WithdrawalShare, false), pctText(d.WithdrawalShare, true))
	row("Trials started a year", estText(a.TrialsPerYear, 0, false), estText(b.TrialsPerYear, 0, false), estText(d.TrialsPerYear, 0, true))
	row("Backlog at the end (cases)", estText(a.BacklogEnd, 0, false), estText(b.BacklogEnd, 0, false), estText(d.BacklogEnd, 0, true))
	row("Courtroom utilisation, %", pctText(a.Utilisation, false), pctText(b.Utilisation, false), pctText(d.Utilisation, true))

	v.ByArea = areaTable(a, b)

	var svg bytes.Buffer
	if err := sim.WriteBacklogSVGInline(&svg, "backlog-chart-", a, b); err != nil {
		return nil, err
	}
	v.Chart = template.HTML(svg.String()) // written by sim, which escapes every text it draws
	last := func(r *sim.Result) (first, end float64) {
		if n := len(r.Backlog); n > 0 {
			return float64(r.Backlog[0].Mean), float64(r.Backlog[n-1].Mean)
		}
		return math.NaN(), math.NaN()
	}
	a0, a1 := last(a)
	b0, b1 := last(b)
	v.ChartText = fmt.Sprintf("The chart shows the mean backlog, in cases, every %s days. In %s it goes from %s to %s cases; in %s from %s to %s cases. The table below the chart has the same figures.",
		fnum(sampleEvery(a), 0), a.Name, fnum(a0, 0), fnum(a1, 0), b.Name, fnum(b0, 0), fnum(b1, 0))
	v.ChartData = page.Table{Caption: "Backlog over time, mean cases with 95% confidence interval", CaptionClasses: "govuk-table__caption--s", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Day"}, {Text: "A: " + strings.TrimPrefix(a.Name, "A: "), Format: "numeric"}, {Text: "B: " + strings.TrimPrefix(b.Name, "B: "), Format: "numeric"}}}
	for i, pt := range a.Backlog {
		bv := "–"
		if i < len(b.Backlog) && b.Backlog[i].Day == pt.Day {
			bv = estText(sim.Estimate{Mean: b.Backlog[i].Mean, CI95: b.Backlog[i].CI95}, 0, false)
		}
		v.ChartData.Rows = append(v.ChartData.Rows, []page.TableCell{{Text: fnum(float64(pt.Day), 0)}, {Text: estText(sim.Estimate{Mean: pt.Mean, CI95: pt.CI95}, 0, false), Format: "numeric"}, {Text: bv, Format: "numeric"}})
	}
	return v, nil
}

// areaTable sets each CPS area's wait and backlog side by side, so that a
// change in one area can be read where it happens; nil unless both
// scenarios report areas.
func areaTable(a, b *sim.Result) *page.Table {
	if len(a.Areas) == 0 || len(b.Areas) == 0 {
		return nil
	}
	byID := map[string]sim.AreaResult{}
	for _, ar := range b.Areas {
		byID[ar.ID] = ar
	}
	t := &page.Table{Caption: "By CPS area: mean wait from sending to trial and the backlog at the end", CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "CPS area"}, {Text: "Wait, A (days)", Format: "numeric"}, {Text: "Wait, B (days)", Format: "numeric"}, {Text: "Backlog, A", Format: "numeric"}, {Text: "Backlog, B", Format: "numeric"}}}
	for _, aa := range a.Areas {
		ba, ok := byID[aa.ID]
		if !ok {
			continue
		}
		t.Rows = append(t.Rows, []page.TableCell{{Text: page.AreaName(aa.ID)},
			{Text: estText(aa.WaitDaysMean, 0, false), Format: "numeric"}, {Text: estText(ba.WaitDaysMean, 0, false), Format: "numeric"},
			{Text: estText(aa.BacklogEnd, 0, false), Format: "numeric"}, {Text: estText(ba.BacklogEnd, 0, false), Format: "numeric"}})
	}
	return t
}

func sampleEvery(r *sim.Result) float64 {
	if len(r.Backlog) > 1 {
		return float64(r.Backlog[1].Day - r.Backlog[0].Day)
	}
	return math.NaN()
}

// fnum formats a number with thousands separators; "–" for NaN.
func fnum(x float64, prec int) string { return sim.Grouped(x, prec, "−") }

func signed(x float64, prec int) string {
	s := fnum(x, prec)
	if x > 0 && s != "–" && strings.Trim(s, "0.,") != "" {
		return "+" + s
	}
	return s
}

func estText(e sim.Estimate, prec int, diff bool) string {
	f := fnum
	if diff {
		f = signed
	}
	s := f(float64(e.Mean), prec)
	if lo, hi := float64(e.CI95[0]), float64(e.CI95[1]); !math.IsNaN(lo) && !math.IsNaN(hi) {
		s += " (" + f(lo, prec) + " to " + f(hi, prec) + ")"
	}
	return s
}

func pctText(e sim.Estimate, diff bool) string {
	return estText(sim.Estimate{Mean: e.Mean * 100, CI95: [2]sim.Num{e.CI95[0] * 100, e.CI95[1] * 100}}, 1, diff)
}
