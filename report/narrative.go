package report

import (
	"strings"

	"danvan/data"
	"danvan/i18n"
)

// NarrativeSections are the parts of a dân vận report's text, in the
// order a commune's periodic report gives them: the people's thinking
// and opinion, the main results, "Dân vận khéo", grassroots democracy,
// ethnic and religious work, shortcomings, the way ahead, and requests.
var NarrativeSections = []string{"tu_tuong", "ket_qua", "dan_van_kheo", "dan_chu", "dan_toc_ton_giao", "han_che", "phuong_huong", "kien_nghi"}

// NarrativeTitle is a section's heading in l.
func NarrativeTitle(l i18n.Lang, section string) string { return tr(l, "nar."+section) }

// SuggestNarrative is the text the report's figures give the sections
// that have figures (results, Dân vận khéo, grassroots democracy), for
// the cadre to start from: the other sections are the cadre's own.
func (c *CommuneReport) SuggestNarrative() map[string]string {
	l := c.Lang()
	st := c.Total
	k := st.Concerns
	rate := "–"
	if r, ok := k.OnTimeRate(); ok {
		rate = decimal(l, float64(int(r*10))/10) + "%"
	}
	out := map[string]string{
		"ket_qua": tr(l, "nar.auto.ket_qua", num(l, k.Received), num(l, st.Mass), num(l, k.Resolved), num(l, k.OnTime), rate,
			num(l, k.Forwarded), num(l, k.Open), num(l, k.Overdue), num(l, st.Meetings), num(l, st.Visits), num(l, st.VisitDays),
			num(l, st.VisitNights), num(l, st.VisitHouseholds)),
		"dan_van_kheo": tr(l, "nar.auto.dan_van_kheo", num(l, st.Models), decimal(l, st.LandM2), num(l, st.WorkDays),
			num64(l, st.MoneyVND), num(l, st.PeopleReached)),
	}
	if n := st.MeetingsByKind[data.MeetingAssembly]; n > 0 {
		out["dan_chu"] = tr(l, "nar.auto.dan_chu", num(l, n), num(l, st.AssemblyPresent), num(l, st.AssemblyTotal))
	}
	return out
}

// narrativeOf returns the report's sections that have text, in order.
func (c *CommuneReport) narrativeOf() []string {
	var out []string
	for _, s := range NarrativeSections {
		if strings.TrimSpace(c.Narrative[s]) != "" {
			out = append(out, s)
		}
	}
	return out
}

// writeNarrative prints the report's text, section by section, under
// "A."; the figures then follow under "B.". It returns false when the
// report has no text.
func (c *CommuneReport) writeNarrative(d *doc) bool {
	sections := c.narrativeOf()
	if len(sections) == 0 {
		return false
	}
	l := c.Lang()
	d.heading(tr(l, "nar.part_text"))
	for i, s := range sections {
		d.subheading(tr(l, "nar.numbered", i+1, NarrativeTitle(l, s)))
		for _, p := range strings.Split(c.Narrative[s], "\n") {
			if p = strings.TrimSpace(p); p != "" {
				d.para(p, "", bodySize, "L", inkRGB)
			}
		}
	}
	d.heading(tr(l, "nar.part_figures"))
	return true
}
