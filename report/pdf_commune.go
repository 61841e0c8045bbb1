package report

import (
	"io"

	"danvan/data"
)

// WritePDF lays the commune report out as an A4 PDF and writes it to w.
func (c *CommuneReport) WritePDF(w io.Writer) error {
	o := &c.opts
	l := c.Lang()
	o.progress(0.65, "stage.layout")
	subtitle := tr(l, "commune.subtitle", c.Period.Label(l))
	d := newDoc(l, tr(l, "commune.title")+" – "+subtitle, c.Commune.Name+" · "+c.Period.Label(l), c.Cadre, c.Printed)
	d.docHeading(c.Issuer, c.Unit, c.Commune.Name, c.Printed)
	period := tr(l, "period.line", c.Period.From.Display(), c.Period.To.Display(), c.Period.Label(l))
	d.title(tr(l, "commune.title"), subtitle, period)
	if c.Compare != nil {
		d.para(tr(l, "commune.compare", c.Compare.Label(l), c.Compare.From.Display(), c.Compare.To.Display()), "I", 10, "C", inkRGB)
		d.space(2)
	}
	if c.Cadre != "" {
		d.labelled(marginL, contentW, tr(l, "info.cadre"), c.Cadre)
	}
	if c.Unit != "" {
		d.labelled(marginL, contentW, tr(l, "info.unit"), c.Unit)
	}
	d.labelled(marginL, contentW, tr(l, "info.printed"), c.Printed.In(data.Vietnam).Format("15:04 02/01/2006"))
	if c.Locked != nil {
		d.note(lockLine(l, c.Locked))
	}

	// A. The report's text, when written; then B. its figures.
	c.writeNarrative(d)

	// I. Indicators, with the comparison when asked.
	d.heading(tr(l, "csec.indicators"))
	t := table{header: true, size: 9}
	if c.Previous != nil {
		t.cols = []col{{tr(l, "ind.indicator"), 0.49, "L"}, {tr(l, "col.current"), 0.17, "R"}, {tr(l, "col.previous"), 0.17, "R"}, {tr(l, "col.change"), 0.17, "R"}}
	} else {
		t.cols = []col{{tr(l, "ind.indicator"), 0.72, "L"}, {tr(l, "col.current"), 0.28, "R"}}
	}
	for _, in := range indicatorsOf(l, c.Total, c.Previous) {
		row := []string{in.label, in.format(l, in.cur)}
		if c.Previous != nil {
			row = append(row, in.format(l, in.prev), in.change(l))
		}
		t.rows = append(t.rows, row)
	}
	d.table(t)
	d.note(flowLine(l, c.Total))
	o.progress(0.72, "stage.layout")

	// II. Concerns by kind.
	d.heading(tr(l, "csec.kinds"))
	kindTable(d, l, c.Total)

	// III. By village.
	d.heading(tr(l, "csec.villages"))
	t = table{header: true, size: 8, padX: 0.8}
	t.cols = []col{{tr(l, "stt"), 0.045, "C"}, {tr(l, "col.village"), 0.15, "L"}}
	for _, vc := range villageColumns {
		t.cols = append(t.cols, col{tr(l, vc.id), 0.805 / float64(len(villageColumns)), "R"})
	}
	for i, v := range c.Villages {
		row := []string{num(l, i+1), v.Village.Name}
		for _, vc := range villageColumns {
			row = append(row, num(l, vc.f(v.Stats)))
		}
		t.rows = append(t.rows, row)
	}
	row := []string{"", tr(l, "commune_all")}
	for _, vc := range villageColumns {
		row = append(row, num(l, vc.f(c.Total)))
	}
	t.rows = append(t.rows, row)
	last := len(t.rows) - 1
	t.style = func(i int) rowStyle {
		if i == last {
			return rowStyle{fill: &totalFillRGB, bold: true}
		}
		return rowStyle{}
	}
	d.table(t)
	d.note(tr(l, "villages_note"))
	o.progress(0.8, "stage.layout")

	// IV. Hotspots, reported apart.
	d.heading(tr(l, "csec.hotspots"))
	var hot []VillageStats
	for _, v := range c.Villages {
		if v.Village.Hotspot {
			hot = append(hot, v)
		}
	}
	if len(hot) == 0 {
		d.note(tr(l, "no_hotspots"))
	} else {
		t = table{header: true, size: 8.5}
		t.cols = []col{{tr(l, "stt"), 0.05, "C"}, {tr(l, "col.village"), 0.17, "L"}, {tr(l, "col.reasons"), 0.18, "L"}}
		for _, hc := range hotspotColumns {
			t.cols = append(t.cols, col{tr(l, hc.id), 0.6 / float64(len(hotspotColumns)), "R"})
		}
		for i, v := range hot {
			row := []string{num(l, i+1), v.Village.Name, hotspotReasons(l, v.Village.HotspotReasons)}
			for _, hc := range hotspotColumns {
				row = append(row, num(l, hc.f(v.Stats)))
			}
			t.rows = append(t.rows, row)
		}
		d.table(t)
	}

	// V. Models by field and status.
	d.heading(tr(l, "csec.models"))
	c.modelMatrix(d)

	// VI. Month by month.
	d.heading(tr(l, "csec.chart"))
	d.chart(func(cv canvas, x, y, w, h float64) { drawChart(cv, x, y, w, h, c.Total, l) }, chartHeight)

	// VII. Adjustments to a locked period.
	if len(c.Adjustments) > 0 {
		d.heading(tr(l, "csec.adjust"))
		d.note(tr(l, "adjust.note"))
		t = table{header: true, size: 8.5}
		t.cols = []col{{tr(l, "col.scope"), 0.2, "L"}, {tr(l, "ind.indicator"), 0.38, "L"}, {tr(l, "col.locked"), 0.14, "R"}, {tr(l, "col.now"), 0.14, "R"}, {tr(l, "col.diff"), 0.14, "R"}}
		for _, a := range c.Adjustments {
			scope := a.Village
			if scope == "" {
				scope = tr(l, "commune_all")
			}
			t.rows = append(t.rows, []string{scope, a.Label, a.format(l, a.Locked), a.format(l, a.Now), a.change(l)})
		}
		d.table(t)
	}
	if !d.closing(c.Issuer, c.Cadre) {
		d.signatures(c.Cadre)
	}
	o.progress(0.9, "stage.write")
	if err := d.output(w); err != nil {
		return err
	}
	o.progress(1, "stage.done")
	return nil
}

func (c *CommuneReport) modelMatrix(d *doc) {
	l := c.Lang()
	st := c.Total
	t := table{header: true, size: 8.5}
	t.cols = []col{{tr(l, "col.field"), 0.25, "L"}}
	for _, s := range data.ModelStatuses {
		t.cols = append(t.cols, col{enum(l, "model_status", string(s)), 0.125, "R"})
	}
	t.cols = append(t.cols, col{tr(l, "total"), 0.125, "R"})
	for _, f := range data.ModelFields {
		row := []string{enum(l, "field", f)}
		for _, s := range data.ModelStatuses {
			row = append(row, num(l, st.ModelsFieldStatus[f][s]))
		}
		row = append(row, num(l, st.ModelsByField[f]))
		t.rows = append(t.rows, row)
	}
	row := []string{tr(l, "total")}
	for _, s := range data.ModelStatuses {
		row = append(row, num(l, st.ModelsByStatus[s]))
	}
	row = append(row, num(l, st.Models))
	t.rows = append(t.rows, row)
	last := len(t.rows) - 1
	t.style = func(i int) rowStyle {
		if i == last {
			return rowStyle{fill: &totalFillRGB, bold: true}
		}
		return rowStyle{}
	}
	d.table(t)
	// The steps reached in the period, which add up over sub-periods.
	d.subheading(tr(l, "models_reached"))
	var reached [][2]string
	for _, s := range data.ModelStatuses {
		reached = append(reached, [2]string{enum(l, "model_status", string(s)), num(l, st.ModelsReached[s])})
	}
	d.figures(reached)
	d.subheading(tr(l, "models_results"))
	d.figures([][2]string{
		{tr(l, "ind.land"), decimal(l, st.LandM2)},
		{tr(l, "ind.workdays"), num(l, st.WorkDays)},
		{tr(l, "ind.money"), num64(l, st.MoneyVND)},
		{tr(l, "ind.people"), num(l, st.PeopleReached)},
		{tr(l, "ind.trainings"), num(l, st.Trainings)},
	})
}
