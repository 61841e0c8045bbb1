package report

import (
	"io"
	"strings"

	"danvan/data"
	"danvan/i18n"
)

// chartHeight is the height in mm of the monthly chart on a PDF page.
const chartHeight = 88.0

// WritePDF lays the summary out as an A4 PDF and writes it to w.
func (v *VillageSummary) WritePDF(w io.Writer) error {
	o := &v.opts
	l := v.Lang()
	o.progress(0.55, "stage.layout")
	name := nfc(v.Village.Name)
	title := tr(l, "village.title") + " – " + name
	running := name + " · " + v.Period.Label(l)
	d := newDoc(l, title, running, v.Cadre, v.Printed)

	d.docHeading(v.Issuer, v.Unit, v.Commune.Name, v.Printed)
	d.title(tr(l, "village.title"), tr(l, "village.subtitle", name),
		tr(l, "period.line", v.Period.From.Display(), v.Period.To.Display(), v.Period.Label(l)))
	if v.Sensitive {
		d.notice(tr(l, "sensitive_notice"))
	}
	half := contentW / 2
	y := d.y()
	d.labelled(marginL, half-3, tr(l, "info.cadre"), v.Cadre)
	y1 := d.y()
	d.f.SetXY(marginL+half, y)
	d.labelled(marginL+half, half, tr(l, "info.printed"), v.Printed.In(data.Vietnam).Format("15:04 02/01/2006"))
	d.f.SetY(max(y1, d.y()))
	if v.Unit != "" {
		d.labelled(marginL, contentW, tr(l, "info.unit"), v.Unit)
	}
	d.labelled(marginL, contentW, tr(l, "info.commune"), v.Commune.Label())

	v.pdfGeneral(d)
	o.progress(0.62, "stage.layout")
	d.heading(tr(l, "sec.chart"))
	d.chart(func(cv canvas, x, y, w, h float64) { drawChart(cv, x, y, w, h, v.Stats, l) }, chartHeight)
	v.pdfVisits(d)
	o.progress(0.7, "stage.layout")
	v.pdfMeetings(d)
	o.progress(0.75, "stage.layout")
	v.pdfConcerns(d)
	o.progress(0.85, "stage.layout")
	v.pdfModels(d)
	d.signatures(v.Cadre)
	if v.Sensitive {
		v.pdfHouseholds(d)
	}
	o.progress(0.9, "stage.write")
	if err := d.output(w); err != nil {
		return err
	}
	o.progress(1, "stage.done")
	return nil
}

func (v *VillageSummary) pdfGeneral(d *doc) {
	l := v.Lang()
	vg := &v.Village
	d.heading(tr(l, "sec.general"))
	hot := yesNo(l, vg.Hotspot)
	if vg.Hotspot && len(vg.HotspotReasons) > 0 {
		hot += " (" + hotspotReasons(l, vg.HotspotReasons) + ")"
	}
	eth := strings.Join(vg.Ethnicities, ", ")
	if eth == "" {
		eth = "—"
	}
	rows := [][2]string{
		{tr(l, "v.name"), vg.Name},
		{tr(l, "v.kind"), enum(l, "village_kind", string(vg.VillageKind))},
		{tr(l, "v.households"), num(l, vg.Households)},
		{tr(l, "v.hh_records"), num(l, len(v.Households))},
		{tr(l, "v.ethnic"), eth},
		{tr(l, "v.remote"), yesNo(l, vg.Remote)},
		{tr(l, "v.hotspot"), hot},
	}
	if strings.TrimSpace(vg.Notes) != "" {
		rows = append(rows, [2]string{tr(l, "v.notes"), vg.Notes})
	}
	d.kvTable(rows, 0.34)
	d.subheading(tr(l, "sub.key_persons"))
	if len(v.Persons) == 0 {
		d.note(tr(l, "none"))
		return
	}
	t := table{header: true, cols: []col{
		{tr(l, "stt"), 0.07, "C"}, {tr(l, "p.name"), 0.38, "L"}, {tr(l, "p.role"), 0.27, "L"}, {tr(l, "p.languages"), 0.28, "L"},
	}}
	for i, p := range v.Persons {
		t.rows = append(t.rows, []string{num(l, i+1), p.Name, enum(l, "role", string(p.Role)), strings.Join(p.Languages, ", ")})
	}
	d.table(t)
}

func hotspotReasons(l i18n.Lang, rs []string) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = enum(l, "hotspot", r)
	}
	return strings.Join(out, ", ")
}

// visitFigures are the field-visit indicators, shared by PDF and XLSX.
func visitFigures(l i18n.Lang, st *data.Stats) []figure {
	return []figure{
		{tr(l, "ind.visits"), st.Visits},
		{tr(l, "ind.visit_days"), st.VisitDays},
		{tr(l, "ind.visit_nights"), st.VisitNights},
		{tr(l, "ind.visit_hh"), st.VisitHouseholds},
	}
}

// figure is a labelled count.
type figure struct {
	label string
	n     int
}

func figureRows(l i18n.Lang, fs []figure) [][2]string {
	out := make([][2]string, len(fs))
	for i, f := range fs {
		out[i] = [2]string{f.label, num(l, f.n)}
	}
	return out
}

func (v *VillageSummary) pdfVisits(d *doc) {
	l := v.Lang()
	st := v.Stats
	d.heading(tr(l, "sec.visits"))
	d.figures(figureRows(l, visitFigures(l, st)))

	d.subheading(tr(l, "sub.cung_bam"))
	t := table{header: true, cols: []col{
		{tr(l, "cb.group"), 0.12, "C"}, {tr(l, "cb.item"), 0.52, "L"}, {tr(l, "cb.times"), 0.18, "R"}, {tr(l, "cb.share"), 0.18, "R"},
	}}
	for _, g := range []struct {
		name  string
		items []CheckItemCount
	}{{tr(l, "cb.cung"), v.Cung}, {tr(l, "cb.bam"), v.Bam}} {
		for _, it := range g.items {
			t.rows = append(t.rows, []string{g.name, it.Label, num(l, it.Times), percent(it.Times, st.Visits)})
		}
	}
	d.table(t)

	d.subheading(tr(l, "sub.visit_list"))
	if len(v.Visits) == 0 {
		d.note(tr(l, "no_rows"))
		return
	}
	t = table{header: true, cols: []col{
		{tr(l, "stt"), 0.05, "C"}, {tr(l, "vis.time") + ", " + strings.ToLower(tr(l, "vis.who")), 0.25, "L"},
		{tr(l, "vis.hh"), 0.075, "R"}, {tr(l, "vis.nights"), 0.075, "R"}, {tr(l, "vis.content"), 0.55, "L"},
	}}
	for i := range v.Visits {
		x := &v.Visits[i]
		who := dateSpan(x.From, x.To) + "\n" + x.Unit
		if len(x.Cadres) > 0 {
			who += "\n" + strings.Join(x.Cadres, ", ")
		}
		var content []string
		if strings.TrimSpace(x.Activities) != "" {
			content = append(content, tr(l, "vis.activities")+": "+x.Activities)
		}
		if strings.TrimSpace(x.Observations) != "" {
			content = append(content, tr(l, "vis.observations")+": "+x.Observations)
		}
		t.rows = append(t.rows, []string{num(l, i+1), who, num(l, x.Reached()), num(l, x.Nights()), strings.Join(content, "\n")})
	}
	d.table(t)
}

// dateSpan writes "02/03–05/03/2026", or one date when from equals to.
func dateSpan(from, to data.Date) string {
	if from == to || to == "" {
		return from.Display()
	}
	f, t := from.Display(), to.Display()
	if len(f) == 10 && len(t) == 10 && f[6:] == t[6:] {
		return f[:5] + "–" + t
	}
	return f + "–" + t
}

// meetingFigures are the meeting indicators, shared by PDF and XLSX.
func meetingFigures(l i18n.Lang, st *data.Stats) []figure {
	fs := []figure{{tr(l, "ind.meetings"), st.Meetings}}
	for _, k := range data.MeetingKindsCounted {
		fs = append(fs, figure{enum(l, "meeting_kind", string(k)), st.MeetingsByKind[k]})
	}
	return append(fs,
		figure{tr(l, "ind.actions_open"), st.ActionsOpen},
		figure{tr(l, "ind.actions_over"), st.ActionsOverdue},
		figure{tr(l, "ind.actions_done"), st.ActionsDone})
}

func (v *VillageSummary) pdfMeetings(d *doc) {
	l := v.Lang()
	st := v.Stats
	d.heading(tr(l, "sec.meetings"))
	rows := figureRows(l, meetingFigures(l, st))
	if st.AssemblyTotal > 0 {
		rows = append(rows, [2]string{tr(l, "ind.assembly_att"), num(l, st.AssemblyPresent) + "/" + num(l, st.AssemblyTotal)})
	}
	d.figures(rows)

	d.subheading(tr(l, "sub.meeting_list"))
	if len(v.Meetings) == 0 {
		d.note(tr(l, "no_rows"))
	} else {
		t := table{header: true, cols: []col{
			{tr(l, "stt"), 0.06, "C"}, {tr(l, "m.date"), 0.12, "C"}, {tr(l, "m.kind"), 0.2, "L"},
			{tr(l, "m.chair"), 0.18, "L"}, {tr(l, "m.attend"), 0.12, "R"}, {tr(l, "m.content"), 0.32, "L"},
		}}
		for i := range v.Meetings {
			m := &v.Meetings[i]
			att := num(l, m.HeadCount)
			if m.MeetingKind == data.MeetingAssembly && m.HouseholdsTotal > 0 {
				att += "\n" + tr(l, "m.households", m.HouseholdsPresent, m.HouseholdsTotal)
			}
			t.rows = append(t.rows, []string{num(l, i+1), m.Date.Display(), enum(l, "meeting_kind", string(m.MeetingKind)), m.Chair, att, meetingContent(l, m)})
		}
		d.table(t)
	}

	d.subheading(tr(l, "sub.actions"))
	if len(v.Actions) == 0 {
		d.note(tr(l, "no_rows"))
		return
	}
	t := table{header: true, cols: []col{
		{tr(l, "stt"), 0.05, "C"}, {tr(l, "a.text"), 0.43, "L"}, {tr(l, "a.owner"), 0.2, "L"},
		{tr(l, "a.due"), 0.125, "C"}, {tr(l, "a.state"), 0.195, "C"},
	}}
	for i, a := range v.Actions {
		t.rows = append(t.rows, []string{num(l, i+1), a.Text, a.Owner, a.Due.Display(), actionState(l, a)})
	}
	t.style = func(i int) rowStyle {
		if v.Actions[i].Overdue {
			return rowStyle{fill: &alertFillRGB, ink: &alertInkRGB}
		}
		return rowStyle{}
	}
	d.table(t)
}

func actionState(l i18n.Lang, a ActionItem) string {
	switch {
	case a.Done:
		return tr(l, "a.done")
	case a.Overdue:
		return tr(l, "a.overdue")
	}
	return tr(l, "a.open")
}

// topicList joins topics, naming the usual topic codes ("dat_dai" →
// "Đất đai") and keeping free text as it is.
func topicList(l i18n.Lang, topics []string) string {
	out := make([]string, len(topics))
	for i, t := range topics {
		out[i] = enum(l, "topic", t)
	}
	return strings.Join(out, "; ")
}

// meetingContent lists a meeting's topics and agenda titles.
func meetingContent(l i18n.Lang, m *data.Meeting) string {
	var parts []string
	if len(m.Topics) > 0 {
		parts = append(parts, topicList(l, m.Topics))
	}
	for _, a := range m.Agenda {
		if a.Title != "" {
			parts = append(parts, "– "+a.Title)
		}
	}
	return strings.Join(parts, "\n")
}

// concernFigures are the concern indicators, shared by PDF and XLSX.
func concernFigures(l i18n.Lang, st *data.Stats) []figure {
	return []figure{
		{tr(l, "ind.receptions"), st.Receptions},
		{tr(l, "ind.received_ppl"), st.Received},
		{tr(l, "ind.c_received"), st.Concerns.Received},
		{tr(l, "ind.c_resolved"), st.Concerns.Resolved},
		{tr(l, "ind.c_forwarded"), st.Concerns.Forwarded},
		{tr(l, "ind.c_open"), st.Concerns.Open},
		{tr(l, "ind.c_overdue"), st.Concerns.Overdue},
		{tr(l, "ind.c_mass"), st.Mass},
	}
}

// kindTable lays out the concerns-by-kind table with its total row.
func kindTable(d *doc, l i18n.Lang, st *data.Stats) {
	t := table{header: true, cols: []col{
		{tr(l, "c.kind"), 0.3, "L"}, {tr(l, "c.received"), 0.14, "R"}, {tr(l, "c.resolved"), 0.14, "R"},
		{tr(l, "c.forwarded"), 0.14, "R"}, {tr(l, "c.open"), 0.14, "R"}, {tr(l, "c.overdue"), 0.14, "R"},
	}}
	for _, k := range data.ConcernKinds {
		c := st.ByKind[k]
		t.rows = append(t.rows, []string{enum(l, "concern_kind", string(k)), num(l, c.Received), num(l, c.Resolved), num(l, c.Forwarded), num(l, c.Open), num(l, c.Overdue)})
	}
	c := st.Concerns
	t.rows = append(t.rows, []string{tr(l, "total"), num(l, c.Received), num(l, c.Resolved), num(l, c.Forwarded), num(l, c.Open), num(l, c.Overdue)})
	last := len(t.rows) - 1
	t.style = func(i int) rowStyle {
		if i == last {
			return rowStyle{fill: &totalFillRGB, bold: true}
		}
		return rowStyle{}
	}
	d.table(t)
}

func (v *VillageSummary) pdfConcerns(d *doc) {
	l := v.Lang()
	st := v.Stats
	d.heading(tr(l, "sec.concerns"))
	d.figures(figureRows(l, concernFigures(l, st)))
	d.subheading(tr(l, "sub.concern_kinds"))
	kindTable(d, l, st)

	d.subheading(tr(l, "sub.concern_state"))
	t := table{header: true, cols: []col{{tr(l, "c.status"), 0.72, "L"}, {tr(l, "ind.count"), 0.28, "R"}}}
	for _, s := range data.Statuses {
		t.rows = append(t.rows, []string{enum(l, "status", string(s)), num(l, st.ByStatus[s])})
	}
	d.table(t)

	d.subheading(tr(l, "sub.open"))
	d.caption(tr(l, "sub.open_note", v.AsOf.Display()))
	if len(v.Open) == 0 {
		d.note(tr(l, "none"))
		return
	}
	t = table{header: true, cols: []col{
		{tr(l, "stt"), 0.07, "C"}, {tr(l, "c.date"), 0.125, "C"}, {tr(l, "c.kind"), 0.11, "L"}, {tr(l, "c.summary"), 0.29, "L"},
		{tr(l, "c.assignee"), 0.12, "L"}, {tr(l, "c.deadline"), 0.125, "C"}, {tr(l, "c.left"), 0.16, "C"},
	}}
	t.rows = make([][]string, 0, len(v.Open))
	for i, c := range v.Open {
		t.rows = append(t.rows, []string{num(l, i+1), c.Received.Display(), enum(l, "concern_kind", string(c.Kind)), c.Summary,
			c.Assignee, c.Deadline.Display(), daysLeft(l, c)})
	}
	t.style = func(i int) rowStyle {
		if v.Open[i].Overdue {
			return rowStyle{fill: &alertFillRGB, ink: &alertInkRGB}
		}
		return rowStyle{}
	}
	d.table(t)
}

// daysLeft says how long an open concern has left, or how long it is
// overdue.
func daysLeft(l i18n.Lang, c OpenConcern) string {
	switch {
	case c.Deadline == "":
		return tr(l, "c.no_deadline")
	case c.DaysLeft < 0:
		return tr(l, "c.days_over", -c.DaysLeft)
	case c.DaysLeft == 0:
		return tr(l, "c.due_today")
	}
	return tr(l, "c.days_left", c.DaysLeft)
}

// modelResults joins a model's told and counted results.
func modelResults(l i18n.Lang, m *data.Model) string {
	var parts []string
	if m.LandM2 > 0 {
		parts = append(parts, tr(l, "mo.land", decimal(l, m.LandM2)))
	}
	if m.WorkDays > 0 {
		parts = append(parts, tr(l, "mo.workdays", num(l, m.WorkDays)))
	}
	if m.MoneyVND > 0 {
		parts = append(parts, tr(l, "mo.money", num64(l, m.MoneyVND)))
	}
	if m.PeopleReached > 0 {
		parts = append(parts, tr(l, "mo.people", num(l, m.PeopleReached)))
	}
	if m.Trainings > 0 {
		parts = append(parts, tr(l, "mo.trainings", num(l, m.Trainings)))
	}
	out := strings.Join(parts, "; ")
	if r := strings.TrimSpace(m.Results); r != "" {
		if out != "" {
			out += "\n"
		}
		out += r
	}
	return out
}

func (v *VillageSummary) pdfModels(d *doc) {
	l := v.Lang()
	d.heading(tr(l, "sec.models"))
	if len(v.Models) == 0 {
		d.note(tr(l, "none"))
		return
	}
	t := table{header: true, cols: []col{
		{tr(l, "stt"), 0.05, "C"}, {tr(l, "mo.name"), 0.26, "L"}, {tr(l, "mo.field"), 0.14, "L"},
		{tr(l, "mo.status"), 0.14, "L"}, {tr(l, "mo.registered"), 0.125, "C"}, {tr(l, "mo.results"), 0.285, "L"},
	}}
	for i := range v.Models {
		m := &v.Models[i]
		t.rows = append(t.rows, []string{num(l, i+1), m.Name + "\n(" + enum(l, "model_kind", m.ModelKind) + ")",
			enum(l, "field", m.Field), enum(l, "model_status", string(m.Status)), m.Registered.Display(), modelResults(l, m)})
	}
	d.table(t)
}

func (v *VillageSummary) pdfHouseholds(d *doc) {
	l := v.Lang()
	d.newPage()
	d.heading(tr(l, "sec.households"))
	d.notice(tr(l, "sensitive_notice"))
	if len(v.Households) == 0 {
		d.note(tr(l, "none"))
		return
	}
	t := table{header: true, cols: []col{
		{tr(l, "stt"), 0.07, "C"}, {tr(l, "hh.head"), 0.33, "L"}, {tr(l, "hh.members"), 0.12, "R"},
		{tr(l, "hh.ethnicity"), 0.2, "L"}, {tr(l, "hh.religion"), 0.28, "L"},
	}}
	for i, h := range v.Households {
		t.rows = append(t.rows, []string{num(l, i+1), h.Head, num(l, h.Members), h.Ethnicity, h.Religion})
	}
	d.table(t)
}
