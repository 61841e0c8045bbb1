package report

import (
	"fmt"
	"time"

	"danvan/data"
	"danvan/i18n"
)

// VillageStats are one village's figures in the commune report.
type VillageStats struct {
	Village data.Village
	Stats   *data.Stats
	// Previous are the figures of the comparison period, or nil.
	Previous *data.Stats
}

// CommuneReport is the gathered content of the commune's periodic report:
// the indicators of the reports that go upward, per village and in total,
// optionally beside an earlier period's. Print it with WritePDF or
// WriteXLSX.
type CommuneReport struct {
	Commune data.Commune
	Period  Period
	// Compare is the earlier period the figures are set against, or nil.
	Compare *Period
	AsOf    data.Date
	Printed time.Time
	Cadre   string
	Unit    string
	// Issuer heads and signs the printed report (the profile's).
	Issuer data.Issuer
	// Total are the whole commune's figures; Previous the comparison
	// period's, or nil.
	Total, Previous *data.Stats
	// Villages are the live villages in dictionary order.
	Villages []VillageStats
	// Locked is the lock of the period when its report was sent upward
	// ("Chốt số liệu"), or nil. The figures are then the locked ones, and
	// Adjustments lists those that the records give differently today.
	Locked      *data.ReportLock
	Adjustments []Adjustment
	// Narrative is the report's text by section (NarrativeSections): the
	// locked text for a locked period, else Options.Narrative.
	Narrative map[string]string

	opts Options
}

// Lang returns the language the report is printed in.
func (c *CommuneReport) Lang() i18n.Lang { return c.opts.lang() }

// NewCommuneReport gathers the commune report for period p and, when
// compare is not nil, the same figures for that earlier period. The
// figures are those of data.Store.Stats, computed for every village and
// both periods in one pass (data.Store.StatsMany). The report holds no
// individual's data, so o.IncludeSensitive changes nothing.
func NewCommuneReport(s *data.Store, p Period, compare *Period, o Options) (*CommuneReport, error) {
	if !p.From.Valid() || !p.To.Valid() || p.To < p.From {
		return nil, fmt.Errorf("commune report: bad period %s", p)
	}
	if compare != nil && (!compare.From.Valid() || !compare.To.Valid() || compare.To < compare.From) {
		return nil, fmt.Errorf("commune report: bad comparison period %s", compare)
	}
	o.progress(0, "stage.gather")
	now := o.now()
	today := data.DateOf(now)
	c := &CommuneReport{Period: p, Compare: compare, Printed: now, Cadre: o.Cadre, Unit: o.Unit, Issuer: o.Issuer, Narrative: o.Narrative, opts: o}
	if c.Cadre == "" {
		c.Cadre = s.Actor()
	}
	c.Commune, _ = data.CommuneByCode(s.Commune())
	// One pass over the store for every village and both periods.
	rows := s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)
	periods := []Period{p}
	if compare != nil {
		periods = append(periods, *compare)
	}
	var qs []data.StatsQuery
	for _, pp := range periods {
		qs = append(qs, data.StatsQuery{From: pp.From, To: pp.To})
		for _, r := range rows {
			qs = append(qs, data.StatsQuery{Village: r.ID, From: pp.From, To: pp.To})
		}
	}
	stats, err := s.StatsMany(qs, today)
	if err != nil {
		return nil, fmt.Errorf("commune report: %w", err)
	}
	o.progress(0.5, "stage.gather")
	n := len(rows) + 1
	c.Total, c.AsOf = stats[0], stats[0].AsOf
	if compare != nil {
		c.Previous = stats[n]
	}
	for i, r := range rows {
		vs := VillageStats{Stats: stats[1+i]}
		if err := s.Load(r.ID, &vs.Village); err != nil {
			return nil, fmt.Errorf("commune report: %w", err)
		}
		if compare != nil {
			vs.Previous = stats[n+1+i]
		}
		c.Villages = append(c.Villages, vs)
	}
	if err := c.applyLocks(s, p, compare); err != nil {
		return nil, fmt.Errorf("commune report: %w", err)
	}
	if c.Locked != nil && c.Locked.Narrative != nil {
		c.Narrative = c.Locked.Narrative
	}
	o.progress(0.6, "stage.gather")
	return c, nil
}

// applyLocks puts the locked figures in place of the live ones for a
// period whose report was sent upward, and lists what changed since as
// adjustments; a locked comparison period shows its locked figures too.
func (c *CommuneReport) applyLocks(s *data.Store, p Period, compare *Period) error {
	lk, fig, err := lockOf(s, p)
	if err != nil {
		return err
	}
	if lk != nil {
		live := c.Total
		liveVillages := make([]*data.Stats, len(c.Villages))
		c.Locked, c.Total, c.AsOf = lk, fig.Total, fig.Total.AsOf
		for i := range c.Villages {
			liveVillages[i] = c.Villages[i].Stats
			c.Villages[i].Stats = fig.village(c.Villages[i].Village.ID, c.AsOf)
		}
		c.Adjustments = adjustments(c.Lang(), c.Total, live, c.Villages, liveVillages)
	}
	if compare == nil {
		return nil
	}
	lk, fig, err = lockOf(s, *compare)
	if err != nil || lk == nil {
		return err
	}
	c.Previous = fig.Total
	for i := range c.Villages {
		c.Villages[i].Previous = fig.village(c.Villages[i].Village.ID, fig.Total.AsOf)
	}
	return nil
}

// indicator is one line of the indicators table.
type indicator struct {
	label     string
	cur, prev float64
	decimal   bool
}

// indicatorsOf lists the indicators of the reports that go upward
// (domain.md): reception, concerns, dialogues and meetings, visits,
// models and their counted results.
func indicatorsOf(l i18n.Lang, cur, prev *data.Stats) []indicator {
	get := func(f func(st *data.Stats) float64) (float64, float64) {
		p := 0.0
		if prev != nil {
			p = f(prev)
		}
		return f(cur), p
	}
	var out []indicator
	add := func(id string, dec bool, f func(st *data.Stats) float64) {
		c, p := get(f)
		out = append(out, indicator{label: tr(l, id), cur: c, prev: p, decimal: dec})
	}
	i := func(f func(st *data.Stats) int) func(*data.Stats) float64 {
		return func(st *data.Stats) float64 { return float64(f(st)) }
	}
	add("ind.receptions", false, i(func(st *data.Stats) int { return st.Receptions }))
	add("ind.received_ppl", false, i(func(st *data.Stats) int { return st.Received }))
	add("ind.c_received", false, i(func(st *data.Stats) int { return st.Concerns.Received }))
	add("ind.c_resolved", false, i(func(st *data.Stats) int { return st.Concerns.Resolved }))
	add("ind.c_closed", false, i(func(st *data.Stats) int { return st.Concerns.Closed }))
	add("ind.c_ontime", false, i(func(st *data.Stats) int { return st.Concerns.OnTime }))
	add("ind.c_late", false, i(func(st *data.Stats) int { return st.Concerns.Late }))
	add("ind.c_rate", true, func(st *data.Stats) float64 { r, _ := st.Concerns.OnTimeRate(); return r })
	add("ind.c_forwarded", false, i(func(st *data.Stats) int { return st.Concerns.Forwarded }))
	add("ind.c_open", false, i(func(st *data.Stats) int { return st.Concerns.Open }))
	add("ind.c_overdue", false, i(func(st *data.Stats) int { return st.Concerns.Overdue }))
	add("ind.c_mass", false, i(func(st *data.Stats) int { return st.Mass }))
	add("ind.meetings", false, i(func(st *data.Stats) int { return st.Meetings }))
	add("ind.m_dialogue", false, i(func(st *data.Stats) int { return st.MeetingsByKind[data.MeetingDialogue] }))
	add("ind.m_assembly", false, i(func(st *data.Stats) int { return st.MeetingsByKind[data.MeetingAssembly] }))
	add("ind.m_elders", false, i(func(st *data.Stats) int { return st.MeetingsByKind[data.MeetingElders] }))
	add("ind.visits", false, i(func(st *data.Stats) int { return st.Visits }))
	add("ind.visit_days", false, i(func(st *data.Stats) int { return st.VisitDays }))
	add("ind.visit_nights", false, i(func(st *data.Stats) int { return st.VisitNights }))
	add("ind.visit_hh", false, i(func(st *data.Stats) int { return st.VisitHouseholds }))
	add("ind.models", false, i(func(st *data.Stats) int { return st.Models }))
	add("ind.land", true, func(st *data.Stats) float64 { return st.LandM2 })
	add("ind.workdays", false, i(func(st *data.Stats) int { return st.WorkDays }))
	add("ind.money", false, func(st *data.Stats) float64 { return float64(st.MoneyVND) })
	add("ind.people", false, i(func(st *data.Stats) int { return st.PeopleReached }))
	add("ind.trainings", false, i(func(st *data.Stats) int { return st.Trainings }))
	return out
}

// flowLine accounts for the concerns received in the period (see
// data.Outcome): received = resolved + forwarded + closed + still open,
// each as of st.AsOf.
func flowLine(l i18n.Lang, st *data.Stats) string {
	o := st.Concerns.Outcome
	return tr(l, "ind.flow", num(l, st.Concerns.Received), num(l, o.Resolved), num(l, o.Forwarded), num(l, o.Closed), num(l, o.Open), st.AsOf.Display())
}

func (in indicator) format(l i18n.Lang, x float64) string {
	if in.decimal {
		return decimal(l, x)
	}
	return num64(l, int64(x))
}

func (in indicator) change(l i18n.Lang) string {
	d := in.cur - in.prev
	s := in.format(l, d)
	if d > 0 {
		s = "+" + s
	}
	return s
}

// villageColumns are the per-village figures of the commune report, in
// the order of its table.
var villageColumns = []struct {
	id string
	f  func(st *data.Stats) int
}{
	{"col.receptions", func(st *data.Stats) int { return st.Receptions }},
	{"col.received", func(st *data.Stats) int { return st.Concerns.Received }},
	{"col.resolved", func(st *data.Stats) int { return st.Concerns.Resolved }},
	{"col.forwarded", func(st *data.Stats) int { return st.Concerns.Forwarded }},
	{"col.overdue", func(st *data.Stats) int { return st.Concerns.Overdue }},
	{"col.dialogues", func(st *data.Stats) int { return st.MeetingsByKind[data.MeetingDialogue] }},
	{"col.assemblies", func(st *data.Stats) int { return st.MeetingsByKind[data.MeetingAssembly] }},
	{"col.visits", func(st *data.Stats) int { return st.Visits }},
	{"col.visit_hh", func(st *data.Stats) int { return st.VisitHouseholds }},
	{"col.nights", func(st *data.Stats) int { return st.VisitNights }},
	{"col.models", func(st *data.Stats) int { return st.Models }},
}

// hotspotColumns are the figures shown for each hotspot village.
var hotspotColumns = []struct {
	id string
	f  func(st *data.Stats) int
}{
	{"col.received", func(st *data.Stats) int { return st.Concerns.Received }},
	{"col.open", func(st *data.Stats) int { return st.Concerns.Open }},
	{"col.overdue", func(st *data.Stats) int { return st.Concerns.Overdue }},
	{"col.meetings", func(st *data.Stats) int { return st.Meetings }},
	{"col.visits", func(st *data.Stats) int { return st.Visits }},
	{"col.nights", func(st *data.Stats) int { return st.VisitNights }},
}
