package dashboard

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/opendata"
	"throughline/web/page"
)

// Unit serves GET /dashboard/unit and its CSV: the joint police–CPS work
// of the reader's own RASSO unit — a police supervisor's force, a CPS
// manager's area (throughline.Supervised) — as tables, two charts and a
// CSV: the days each party held the unit's cases, file quality and its
// disputes by quarter, the reasons files failed, action items' timeliness
// and the items overdue today by owner. Like the measures, it names no case
// and so consults none.
type Unit struct {
	*page.Base
	Store UnitStore
	// Context is the server's, for the reads of the units' figures, as
	// the Dashboard's.
	Context context.Context

	mu    sync.Mutex
	units map[string]*unitKept // by unit, each kept while it is asked for
}

// unitKept is a unit's figures as last read, and their reading. The Unit's
// mu guards it.
type unitKept struct {
	data    *unitData // nil until the first read ends
	asked   time.Time // the last request for them
	refresh refresher
}

// unitFor is how often a unit's figures are read again from the log while
// they are asked for: reading them is seconds on a large record, and the
// figures are of whole days (the page says when they were read).
const unitFor = 5 * time.Minute

// unitOf is the reader's unit. Only a supervisor has one: the measures'
// other readers (the commissioner, inspectors) see every unit's figures on
// the measures dashboard instead.
func unitOf(u throughline.User) (throughline.Agency, error) {
	a, ok := throughline.Supervised(u)
	if !ok {
		return a, &throughline.Error{Code: throughline.ENOTFOUND, Message: "no unit: the unit dashboard is a police supervisor's or a CPS manager's"}
	}
	return a, nil
}

// data returns the unit's figures' material as last read. A request is
// answered from it as it stands: when it was read unitFor ago or more, the
// request starts reading it again in the background and does not wait
// (docs/adr/0256). Only the first request for a unit waits for its read.
func (d *Unit) data(ctx context.Context, unit throughline.Agency) (*unitData, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.Now()
	if d.units == nil {
		d.units = map[string]*unitKept{}
	}
	k := d.units[unit.String()]
	if k == nil {
		k = &unitKept{}
		d.units[unit.String()] = k
	}
	k.asked = now
	// Only the units asked for in the last unitFor are kept: each holds
	// every case's days for the national comparison.
	for name, u := range d.units {
		if now.Sub(u.asked) >= unitFor {
			delete(d.units, name)
		}
	}
	switch {
	case k.data == nil:
		if err := k.refresh.wait(ctx, &d.mu, d.reread(unit, k)); err != nil {
			return nil, err
		}
		if k.data == nil {
			return nil, k.refresh.err
		}
	case now.Sub(k.data.at) >= unitFor:
		d.reread(unit, k)
	}
	return k.data, nil
}

// reread starts reading a unit's figures again in the background, unless a
// read is under way, and returns a channel closed when the read ends. The
// caller holds d.mu.
func (d *Unit) reread(unit throughline.Agency, k *unitKept) <-chan struct{} {
	return k.refresh.start(background(d.Context), &d.mu, d.Logger, "unit "+unit.String(), func(ctx context.Context) (func(), error) {
		x, err := readUnit(ctx, d.Store, unit, d.Now())
		return func() { k.data = x }, err
	})
}

// unitFilters are the period, from the query: the last four quarters by
// default.
type unitFilters struct{ from, to opendata.Quarter }

func parseUnit(q url.Values, today time.Time) (unitFilters, error) {
	now := quarterOf(today)
	f := unitFilters{from: add(now, -3), to: now}
	fe := parsePeriod(q, today, &f.from, &f.to)
	return f, invalid(fe, f.from, f.to)
}

// unitPage is the view of the unit dashboard.
type unitPage struct {
	page.Layout
	Heading, Intro string
	From, To       page.Select
	Submit         page.Button
	CSV            string
	AsOf           string
	Tables         []page.Table
	Charts         []chart
}

func (p *unitPage) form(f unitFilters, today time.Time, em func(string) *page.ErrorMessage) {
	sel := selector(em)
	p.From, p.To = periodSelects(sel, f.from, f.to, today)
	p.Submit = page.Button{Text: "Show the figures"}
	p.CSV = "/dashboard/unit.csv?" + url.Values{"from": {f.from.String()}, "to": {f.to.String()}}.Encode()
}

// Page: GET /dashboard/unit.
func (d *Unit) Page(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	unit, err := unitOf(rq.User)
	if err != nil {
		return err
	}
	today := throughline.At(d.Now()).Date()
	p := unitPage{Layout: page.NewLayout(rq, "Your unit", "unit"), Heading: "Your unit: " + unit.Name()}
	p.Intro = "How the joint work between the police and the CPS is going on " + unit.Name() + "'s cases: who held them, file quality and its disputes, and action plans. No case is named."
	f, err := parseUnit(r.URL.Query(), today)
	var msgs page.FieldMessages
	if err != nil {
		if throughline.ErrorCode(err) != throughline.EINVALID {
			return err
		}
		p.ErrorSummary, msgs = page.ErrorSummaryOf(err, page.SameField)
		p.form(f, today, msgs.Of)
		d.Render(w, r, http.StatusUnprocessableEntity, "unit-dashboard", p)
		return nil
	}
	p.form(f, today, msgs.Of)
	x, err := d.data(r.Context(), unit)
	if err != nil {
		return err
	}
	p.Tables, p.Charts = unitFigures(x, unit, f, today)
	p.AsOf = "Figures from the record as it stood at " + page.LondonTime(x.at) + "."
	d.Render(w, r, http.StatusOK, "unit-dashboard", p)
	return nil
}

// CSV: GET /dashboard/unit.csv: every table of the page, one figure a row.
func (d *Unit) CSV(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	unit, err := unitOf(rq.User)
	if err != nil {
		return err
	}
	today := throughline.At(d.Now()).Date()
	f, err := parseUnit(r.URL.Query(), today)
	if err != nil {
		return err
	}
	x, err := d.data(r.Context(), unit)
	if err != nil {
		return err
	}
	tables, charts := unitFigures(x, unit, f, today)
	for _, c := range charts {
		tables = append(tables, c.Table)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="throughline-unit-%s-%s-%s.csv"`, unit.Kind, unit.ID, f.from))
	return writeCSV(w, tables)
}

// unitFigures are the page's tables and charts.
func unitFigures(x *unitData, unit throughline.Agency, f unitFilters, today time.Time) ([]page.Table, []chart) {
	from, to := f.from.First(), f.to.Last()
	if to.After(today) {
		to = today
	}
	period := longDate(from) + " to " + longDate(to)
	in := func(w throughline.When) bool {
		t := w.Date()
		return !w.IsZero() && !t.Before(from) && !t.After(to)
	}
	var qs []opendata.Quarter
	for q := f.from; !f.to.First().Before(q.First()); q = add(q, 1) {
		qs = append(qs, q)
	}
	name := unit.Name()

	// Who held the cases: closed in the period (their whole lives), and open today.
	fd, td := attribution.DayOf(from), attribution.DayOf(to)
	closedIn := func(r attribution.Result) bool { return r.Closed && r.End >= fd && r.End <= td }
	open := func(r attribution.Result) bool { return !r.Closed }
	var mineClosed, natClosed, mineOpen attribution.Aggregate
	for _, c := range x.cases {
		if closedIn(c.days) {
			mineClosed.Add("", c.days)
		}
		if open(c.days) {
			mineOpen.Add("", c.days)
		}
	}
	for _, c := range x.national {
		if c.closed && c.end >= fd && c.end <= td {
			natClosed.Add("", c.result())
		}
	}
	mc := one(mineClosed)
	closed := daysTable("Days each party held the cases closed from "+period, name, mc, one(natClosed))
	opened := daysTable("Days each party has held the cases open today", name, one(mineOpen), x.nationalOpen)
	var bars []bar
	for i, p := range attribution.Parties {
		v := 0.0
		if mc.AgeDays > 0 {
			v = mc.Share.Of(p) * 100
		}
		bars = append(bars, bar{Label: closed.Rows[i][0].Text, Value: v, Text: closed.Rows[i][2].Text})
	}
	held := chart{
		Heading: "Who held the cases closed in the period",
		Image: barChart("unit-held", "Share of the days of "+name+"'s cases closed from "+period+", by whom they waited on",
			"A bar for each party: the police, the CPS, the court, the defence, the complainant and nobody; the table below has the figures.",
			"% of the cases' days", bars, math.NaN(), ""),
		Table: closed,
	}

	// File quality and disputes, by quarter.
	type qrow struct{ assessed, failed, reasonsDisputed, itemsDisputed, settled int }
	byQ := map[opendata.Quarter]*qrow{}
	row := func(w throughline.When) *qrow {
		if !in(w) {
			return nil
		}
		q := quarterOf(w.Date())
		if byQ[q] == nil {
			byQ[q] = &qrow{}
		}
		return byQ[q]
	}
	reasons := map[string]map[string]int{} // code → status → count
	for _, uc := range x.cases {
		for _, a := range uc.c.Assessments {
			if qr := row(a.On); qr != nil {
				qr.assessed++
				if a.Outcome != "acceptable" {
					qr.failed++
				}
				for _, rs := range a.Reasons {
					if reasons[rs.Code] == nil {
						reasons[rs.Code] = map[string]int{}
					}
					reasons[rs.Code][rs.Status()]++
				}
			}
			for _, rs := range a.Reasons {
				if rs.Answer == "disputed" {
					if qr := row(rs.AnsweredOn); qr != nil {
						qr.reasonsDisputed++
					}
				}
				if rs.Resolution.Settled() {
					if qr := row(rs.Resolution.SettledOn); qr != nil {
						qr.settled++
					}
				}
			}
		}
		for _, pl := range uc.c.Plans {
			for _, it := range pl.Items {
				if qr := row(it.Disputed); qr != nil {
					qr.itemsDisputed++
				}
				if it.Resolution.Settled() {
					if qr := row(it.Resolution.SettledOn); qr != nil {
						qr.settled++
					}
				}
			}
		}
	}
	quality := page.Table{Caption: "File quality and disputes by quarter, " + name, FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Quarter"}, {Text: "Files assessed", Format: "numeric"}, {Text: "Not acceptable", Format: "numeric"},
			{Text: "Not acceptable (%)", Format: "numeric"}, {Text: "Not acceptable, England and Wales (%)", Format: "numeric"},
			{Text: "File-quality reasons disputed", Format: "numeric"}, {Text: "Action items disputed", Format: "numeric"}, {Text: "Disputes settled", Format: "numeric"}}}
	mineRate, natRate := series{Name: name}, series{Name: national, Dashed: true}
	var labels []string
	for _, q := range qs {
		qr := byQ[q]
		if qr == nil {
			qr = &qrow{}
		}
		var nat [2]int
		if n := x.assessed[q]; n != nil {
			nat = *n
		}
		rate, nrate := ratio(qr.failed, qr.assessed), ratio(nat[1], nat[0])
		labels = append(labels, shortQuarter(q.Label()))
		mineRate.Values = append(mineRate.Values, percent(rate))
		natRate.Values = append(natRate.Values, percent(nrate))
		quality.Rows = append(quality.Rows, []page.TableCell{{Text: q.Label()}, num(strconv.Itoa(qr.assessed)), num(strconv.Itoa(qr.failed)),
			num(pct(rate)), num(pct(nrate)), num(strconv.Itoa(qr.reasonsDisputed)), num(strconv.Itoa(qr.itemsDisputed)), num(strconv.Itoa(qr.settled))})
	}
	failing := chart{
		Heading: "Files not acceptable, by quarter",
		Image: lineChart("unit-quality", "Files the CPS found not acceptable, "+name+" and "+national,
			"The share of files assessed in each quarter that the CPS found not acceptable; "+national+" dashed. The table below has the figures.",
			"% of files assessed", labels, []series{mineRate, natRate}),
		Table: quality,
	}

	// Why files failed.
	why := page.Table{Caption: "Reasons files were not acceptable, assessed from " + period, FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Reason"}, {Text: "Given", Format: "numeric"}, {Text: "Accepted by the police", Format: "numeric"},
			{Text: "Disputed, not yet settled", Format: "numeric"}, {Text: "Disputed, then upheld", Format: "numeric"},
			{Text: "Disputed, then withdrawn", Format: "numeric"}, {Text: "Not yet answered", Format: "numeric"}}}
	codes := make([]string, 0, len(reasons))
	for code := range reasons {
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool {
		gi, gj := total(reasons[codes[i]]), total(reasons[codes[j]])
		return gi > gj || gi == gj && codes[i] < codes[j]
	})
	for _, code := range codes {
		n := reasons[code]
		why.Rows = append(why.Rows, []page.TableCell{{Text: page.QualityReasonName(code)}, num(strconv.Itoa(total(n))),
			num(strconv.Itoa(n[throughline.ReasonAccepted])), num(strconv.Itoa(n[throughline.ReasonDisputed])),
			num(strconv.Itoa(n[throughline.ReasonUpheld])), num(strconv.Itoa(n[throughline.ReasonWithdrawn])), num(strconv.Itoa(n[throughline.ReasonUnanswered]))})
	}

	// Action items' timeliness, by the quarter they fell due, and what is overdue today.
	type key struct {
		q     opendata.Quarter
		owner string
	}
	due := map[key]*[itemOutcomes]int{}
	type ownerKey struct{ agency, person string }
	overdue := map[ownerKey]*[2]int{} // items, longest days overdue
	for _, uc := range x.cases {
		for _, dl := range uc.items {
			if dl.Due.IsZero() {
				continue
			}
			if t := dl.Due; !t.Before(from) && !t.After(to) {
				k := key{quarterOf(t), dl.Owner}
				if due[k] == nil {
					due[k] = new([itemOutcomes]int)
				}
				due[k][itemOutcome(dl, to.AddDate(0, 0, 1))]++
			}
			if uc.days.Closed || itemOutcome(dl, today) != itemMissed {
				continue
			}
			person := "No one named"
			if it := uc.item(dl); it != nil && it.OwnerName != "" {
				person = it.OwnerName
			}
			k := ownerKey{dl.Owner, person}
			if overdue[k] == nil {
				overdue[k] = new([2]int)
			}
			overdue[k][0]++
			overdue[k][1] = max(overdue[k][1], int(today.Sub(dl.Due).Hours()/24))
		}
	}
	items := page.Table{Caption: "Action items by the quarter they fell due, " + name, FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Quarter and owner"}, {Text: "Items due", Format: "numeric"}, {Text: "Done on time", Format: "numeric"},
			{Text: "Done late", Format: "numeric"}, {Text: "Not done", Format: "numeric"}, {Text: "No longer needed", Format: "numeric"}, {Text: "Done on time (%)", Format: "numeric"}}}
	for _, q := range qs {
		for _, owner := range []string{"police", "cps"} {
			n := due[key{q, owner}]
			if n == nil {
				n = new([itemOutcomes]int)
			}
			all := n[itemOnTime] + n[itemLate] + n[itemMissed] + n[itemMoot] + n[itemNotYetDue]
			items.Rows = append(items.Rows, []page.TableCell{{Text: q.Label() + ", " + ownerName(owner)}, num(strconv.Itoa(all)),
				num(strconv.Itoa(n[itemOnTime])), num(strconv.Itoa(n[itemLate])), num(strconv.Itoa(n[itemMissed] + n[itemNotYetDue])),
				num(strconv.Itoa(n[itemMoot])), num(pct(ratio(n[itemOnTime], n[itemOnTime]+n[itemLate]+n[itemMissed])))})
		}
	}
	owners := make([]ownerKey, 0, len(overdue))
	for k := range overdue {
		owners = append(owners, k)
	}
	sort.Slice(owners, func(i, j int) bool {
		a, b := overdue[owners[i]], overdue[owners[j]]
		if a[0] != b[0] {
			return a[0] > b[0]
		}
		return owners[i].agency+owners[i].person < owners[j].agency+owners[j].person
	})
	byOwner := page.Table{Caption: "Action items overdue today on open cases, by owner", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Owner"}, {Text: "Agency"}, {Text: "Items overdue", Format: "numeric"}, {Text: "Longest overdue (days)", Format: "numeric"}}}
	for _, k := range owners {
		byOwner.Rows = append(byOwner.Rows, []page.TableCell{{Text: k.person}, {Text: ownerName(k.agency)}, num(strconv.Itoa(overdue[k][0])), num(strconv.Itoa(overdue[k][1]))})
	}
	return []page.Table{byOwner, stalledTable(x, name), items, why, opened}, []chart{held, failing}
}

// stalledTable counts the unit's open cases that have stalled today, by
// whom they wait on: the same rule, and the same number of days, as the
// list on a supervisor's today page (attribution.StallDays), so the count
// here is the length of that list. It names no case.
func stalledTable(x *unitData, name string) page.Table {
	t := page.Table{Caption: "Open cases of " + name + " with no progress for " + strconv.Itoa(attribution.StallDays) + " days, by whom they wait on", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Waiting on"}, {Text: "Cases", Format: "numeric"}, {Text: "Longest without progress (days)", Format: "numeric"}}}
	var n, longest [len(attribution.Parties)]int
	for _, uc := range x.cases {
		if st := uc.stall; st != nil {
			n[st.Party]++
			longest[st.Party] = max(longest[st.Party], st.Quiet)
		}
	}
	for _, p := range attribution.Parties {
		if p != attribution.Nobody {
			t.Rows = append(t.Rows, []page.TableCell{{Text: page.Sentence(partyName(p))}, num(strconv.Itoa(n[p])), num(strconv.Itoa(longest[p]))})
		}
	}
	return t
}

// one is the single group of an aggregate, or an empty summary.
func one(a attribution.Aggregate) attribution.Summary {
	if s := a.Summaries(); len(s) > 0 {
		return s[0]
	}
	return attribution.Summary{}
}

// daysTable is a cohort's days per party, the unit's beside the nation's.
func daysTable(caption, name string, mine, nat attribution.Summary) page.Table {
	t := page.Table{Caption: caption + " (" + strconv.Itoa(mine.Cases) + " cases of " + name + ", " + strconv.Itoa(nat.Cases) + " in " + national + ")", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Waiting on"}, {Text: "Days", Format: "numeric"}, {Text: "Share", Format: "numeric"},
			{Text: "Median days per case", Format: "numeric"}, {Text: "Share, " + national, Format: "numeric"}, {Text: "Median days per case, " + national, Format: "numeric"}}}
	for _, p := range attribution.Parties {
		var share, nshare *float64
		if mine.AgeDays > 0 {
			v := mine.Share.Of(p)
			share = &v
		}
		if nat.AgeDays > 0 {
			v := nat.Share.Of(p)
			nshare = &v
		}
		t.Rows = append(t.Rows, []page.TableCell{{Text: page.Sentence(partyName(p))}, num(strconv.Itoa(mine.Days.Of(p))), num(pct(share)),
			num(strconv.FormatFloat(mine.Median.Of(p), 'f', -1, 64)), num(pct(nshare)), num(strconv.FormatFloat(nat.Median.Of(p), 'f', -1, 64))})
	}
	return t
}

// partyName is a party in words.
func partyName(p attribution.Party) string {
	switch p {
	case attribution.Police:
		return "the police"
	case attribution.CPS:
		return "the CPS"
	case attribution.Court:
		return "the court"
	case attribution.Defence:
		return "the defence"
	case attribution.Complainant:
		return "the complainant"
	}
	return "nobody"
}

// ownerName is an item owner's agency in words.
func ownerName(kind string) string {
	if kind == "cps" {
		return "CPS"
	}
	return "Police"
}

// ratio is n of d, or nil when d is 0.
func ratio(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	r := float64(n) / float64(d)
	return &r
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
