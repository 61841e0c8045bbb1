package ui

import (
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

func init() {
	RegisterScreen(ScreenDef{ID: "reports", TitleID: "screen.reports", Order: 60, Icon: ThemeIcon(theme.IconNameDocument),
		Make: func(sh *Shell) Screen { return newReportsScreen(sh) }})
}

// The report periods offered, as ids of "reports.period.<id>".
const (
	PeriodMonth     = "month"
	PeriodLastMonth = "last_month"
	PeriodQuarter   = "quarter"
	PeriodHalf      = "half"
	PeriodYear      = "year"
	PeriodCustom    = "custom"
)

// reportPeriods lists the periods in the order offered.
var reportPeriods = []string{PeriodMonth, PeriodLastMonth, PeriodQuarter, PeriodHalf, PeriodYear, PeriodCustom}

// PeriodRange returns the first and last day of period (one of the
// Period* ids but PeriodCustom) around today: this month, last month,
// this quarter, this half-year, this year.
func PeriodRange(period string, today data.Date) (from, to data.Date) {
	t := today.Time()
	y, m := t.Year(), t.Month()
	span := func(y int, m time.Month, months int) (data.Date, data.Date) {
		first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		return data.DateOf(first), data.DateOf(first.AddDate(0, months, -1))
	}
	switch period {
	case PeriodLastMonth:
		return span(y, m-1, 1)
	case PeriodQuarter:
		return span(y, m-(m-1)%3, 3)
	case PeriodHalf:
		return span(y, m-(m-1)%6, 6)
	case PeriodYear:
		return span(y, 1, 12)
	default:
		return span(y, m, 1)
	}
}

var (
	reportExtMu sync.Mutex
	reportExts  []func(*ReportsScreen)
)

// RegisterReportExtension adds ext, called once on every reports page
// when it is built: it may add buttons to r.Actions (Lưu PDF, Xuất Excel,
// In), a chart to r.Preview, and follow the figures with r.OnStats.
// Call it from init.
func RegisterReportExtension(ext func(r *ReportsScreen)) {
	reportExtMu.Lock()
	defer reportExtMu.Unlock()
	reportExts = append(reportExts, ext)
}

// ReportsScreen is the Báo cáo page: the live figures a summary prints,
// for a village or the whole commune and a chosen period.
type ReportsScreen struct {
	sh      *Shell
	content fyne.CanvasObject

	// Village chooses the village, or "" for the whole commune.
	Village *villageChoice
	// Period chooses a preset period or a custom one.
	Period *widget.Select
	// From and To are the period's first and last day.
	From, To *DateField
	// Note says which period the figures are for, or what is wrong with it.
	Note *widget.Label
	// Progress runs while the figures are computed.
	Progress *widget.ProgressBarInfinite
	// Figures holds the figures, rebuilt on each computation.
	Figures *fyne.Container
	// Values are the figures shown, by key (such as
	// "concerns.kien_nghi.received", "visits.nights", "cung.cung_an",
	// "models.kinh_te.dang_ky").
	Values map[string]*widget.Label

	// Actions is where the report issue adds its buttons: Lưu PDF, Xuất
	// Excel, In. Empty until then.
	Actions *fyne.Container
	// Preview is where the report issue shows its chart preview, under
	// the figures. Empty until then.
	Preview *fyne.Container

	// Stats are the figures shown, nil until computed.
	Stats *data.Stats
	// Checklist holds the "cùng"/"bám" labels of the figures shown.
	Checklist *data.Checklist

	quiet   bool
	seq     int
	onStats []func(*data.Stats)
}

func newReportsScreen(sh *Shell) *ReportsScreen {
	r := &ReportsScreen{sh: sh, Values: map[string]*widget.Label{}}
	r.Village = newVillageChoice(sh, "reports.whole_commune", func(string) { r.compute() })
	var labels []string
	for _, p := range reportPeriods {
		labels = append(labels, sh.T("reports.period."+p))
	}
	r.Period = widget.NewSelect(labels, func(string) { r.periodChosen() })
	r.From = NewDateField(sh, nil)
	r.To = NewDateField(sh, nil)
	for _, d := range []*DateField{r.From, r.To} {
		typed := d.OnChanged
		d.OnChanged = func(s string) {
			typed(s)
			r.datesTyped()
		}
	}
	r.Note = widget.NewLabel("")
	r.Note.Wrapping = fyne.TextWrapWord
	r.Progress = widget.NewProgressBarInfinite()
	r.Progress.Hide()
	r.Figures = container.NewVBox()
	r.Actions = container.NewHBox()
	r.Preview = container.NewVBox()

	bar := container.NewGridWithColumns(2,
		container.New(layout.NewFormLayout(), boldLabel(sh.T("reports.village")), r.Village, boldLabel(sh.T("reports.from")), r.From),
		container.New(layout.NewFormLayout(), boldLabel(sh.T("reports.period")), r.Period, boldLabel(sh.T("reports.to")), r.To))
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, r.Actions, heading(sh.T("screen.reports"))),
		bar, r.Note, r.Progress, widget.NewSeparator())
	r.content = container.NewBorder(top, nil, nil, nil, formScroll(container.NewVBox(r.Figures, r.Preview)))

	reportExtMu.Lock()
	exts := slices.Clone(reportExts)
	reportExtMu.Unlock()
	for _, ext := range exts {
		ext(r)
	}
	r.quiet = true
	r.setPeriod(PeriodMonth)
	r.quiet = false
	r.fillPeriod()
	return r
}

func boldLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// Content returns the page.
func (r *ReportsScreen) Content() fyne.CanvasObject { return r.content }

// Refresh recomputes the figures, so they follow changes made elsewhere.
func (r *ReportsScreen) Refresh() { r.compute() }

// OnStats calls f with the figures each time they are computed (and now,
// if they already are).
func (r *ReportsScreen) OnStats(f func(*data.Stats)) {
	r.onStats = append(r.onStats, f)
	if r.Stats != nil {
		f(r.Stats)
	}
}

// Selection returns the chosen village ("" for the whole commune) and period.
func (r *ReportsScreen) Selection() (village string, from, to data.Date) {
	return r.Village.Value(), r.From.Date(), r.To.Date()
}

// setPeriod chooses period in the drop-down.
func (r *ReportsScreen) setPeriod(period string) {
	for i, p := range reportPeriods {
		if p == period {
			r.Period.SetSelectedIndex(i)
			return
		}
	}
}

// period returns the chosen period's id.
func (r *ReportsScreen) period() string {
	if i := r.Period.SelectedIndex(); i >= 0 {
		return reportPeriods[i]
	}
	return PeriodCustom
}

// periodChosen fills the dates of a preset period and computes.
func (r *ReportsScreen) periodChosen() {
	if r.quiet {
		return
	}
	r.fillPeriod()
	r.compute()
}

// fillPeriod shows the dates of the chosen preset period.
func (r *ReportsScreen) fillPeriod() {
	p := r.period()
	if p == PeriodCustom {
		return
	}
	from, to := PeriodRange(p, r.sh.Today())
	r.quiet = true
	r.From.SetDate(from)
	r.To.SetDate(to)
	r.quiet = false
}

// datesTyped switches to a custom period when the user edits a date.
func (r *ReportsScreen) datesTyped() {
	if r.quiet {
		return
	}
	r.quiet = true
	r.setPeriod(PeriodCustom)
	r.quiet = false
	r.compute()
}

// compute works the figures out off the UI goroutine and shows them.
func (r *ReportsScreen) compute() {
	st := r.sh.Store()
	if st == nil || r.quiet {
		return
	}
	village, from, to := r.Selection()
	_, okFrom := r.From.DateOK()
	_, okTo := r.To.DateOK()
	switch {
	case !okFrom || !okTo || from == "" || to == "":
		r.Note.SetText(r.sh.T("reports.need_dates"))
		return
	case to < from:
		r.Note.SetText(r.sh.FieldText(data.FieldError{Field: "reports.to", Msg: data.MsgDateOrder, Other: "reports.from"}))
		return
	}
	r.seq++
	seq, today := r.seq, r.sh.Today()
	r.Progress.Show()
	r.Progress.Start()
	r.Note.SetText(r.sh.T("reports.computing"))
	var stats *data.Stats
	var list *data.Checklist
	var villages []data.Row
	r.sh.Go(func() error {
		var err error
		villages = st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)
		stats, err = st.Stats(village, from, to, today)
		list = st.Checklist()
		return err
	}, func(err error) {
		if seq != r.seq {
			return
		}
		r.Village.setRows(villages)
		r.Progress.Stop()
		r.Progress.Hide()
		if err != nil {
			r.Note.SetText("")
			r.sh.ShowError(err)
			return
		}
		r.show(stats, list)
	})
}

// show lays out the figures of stats.
func (r *ReportsScreen) show(st *data.Stats, list *data.Checklist) {
	sh := r.sh
	r.Stats, r.Checklist = st, list
	place := sh.T("reports.whole_commune")
	if st.Village != "" {
		if row, ok := sh.Store().Row(st.Village); ok {
			place = row.Title
		}
	}
	r.Note.SetText(sh.T("reports.note", "Place", place, "From", st.From.Display(), "To", st.To.Display(), "AsOf", st.AsOf.Display()))
	r.Values = map[string]*widget.Label{}
	f := r.Figures
	f.RemoveAll()

	// Citizen concerns, by kind.
	cols := []string{"received", "resolved", "forwarded", "open", "overdue"}
	head := []fyne.CanvasObject{widget.NewLabel("")}
	for _, c := range cols {
		head = append(head, columnHead(sh.T("reports.col."+c)))
	}
	rows := [][]fyne.CanvasObject{head}
	row := func(key string, label *widget.Label, k data.KindCounts) {
		cells := []fyne.CanvasObject{label}
		for i, n := range []int{k.Received, k.Resolved, k.Forwarded, k.Open, k.Overdue} {
			cells = append(cells, r.value("concerns."+key+"."+cols[i], n, cols[i] == "overdue"))
		}
		rows = append(rows, cells)
	}
	for _, k := range data.ConcernKinds {
		row(string(k), widget.NewLabel(sh.EnumText("concern_kind", string(k))), st.ByKind[k])
	}
	row("total", boldLabel(sh.T("models.total")), st.Concerns)
	f.Add(figureSection(sh, "reports.concerns", smallTable(240, rows...), r.pairs(
		fig{key: "closed", label: "reports.closed", n: st.Concerns.Closed},
		fig{key: "on_time", label: "reports.on_time", n: st.Concerns.OnTime},
		fig{key: "late", label: "reports.late", n: st.Concerns.Late},
		fig{key: "mass", label: "reports.mass", n: st.Mass},
		fig{key: "receptions", label: "reports.receptions", n: st.Receptions},
		fig{key: "received_people", label: "reports.received_people", n: st.Received},
	)))

	// Meetings, and field visits with the "cùng"/"bám" practised.
	figs := []fig{{key: "meetings", label: "reports.meetings_total", n: st.Meetings}}
	for _, k := range data.MeetingKindsCounted {
		figs = append(figs, fig{key: "meetings." + string(k), label: "enum.meeting_kind." + string(k), n: st.MeetingsByKind[k]})
	}
	figs = append(figs,
		fig{key: "assembly_present", label: "reports.assembly_present", n: st.AssemblyPresent},
		fig{key: "assembly_total", label: "reports.assembly_total", n: st.AssemblyTotal},
		fig{key: "actions.open", label: "reports.actions_open", n: st.ActionsOpen},
		fig{key: "actions.overdue", label: "reports.actions_overdue", n: st.ActionsOverdue},
		fig{key: "actions.done", label: "reports.actions_done", n: st.ActionsDone})
	visits := r.pairs(
		fig{key: "visits", label: "reports.visits_total", n: st.Visits},
		fig{key: "visits.days", label: "reports.visit_days", n: st.VisitDays},
		fig{key: "visits.nights", label: "reports.visit_nights", n: st.VisitNights},
		fig{key: "visits.households", label: "reports.visit_households", n: st.VisitHouseholds},
	)
	f.Add(container.NewGridWithColumns(2,
		figureSection(sh, "reports.meetings", r.pairs(figs...)),
		figureSection(sh, "reports.visits", visits,
			r.checkFigures("cung", "reports.cung", list.Cung, st.Cung),
			r.checkFigures("bam", "reports.bam", list.Bam, st.Bam))))

	// "Dân vận khéo" models by field and status, and their counted results.
	cell := func(fl string, s data.ModelStatus) fyne.CanvasObject {
		return r.value("models."+fl+"."+string(s), st.ModelsFieldStatus[fl][s], false)
	}
	fieldTotal := func(fl string) fyne.CanvasObject { return r.value("models."+fl, st.ModelsByField[fl], false) }
	statusTotal := func(s data.ModelStatus) fyne.CanvasObject {
		return r.value("models.status."+string(s), st.ModelsByStatus[s], false)
	}
	f.Add(figureSection(sh, "reports.models",
		modelTable(sh, cell, fieldTotal, statusTotal, r.value("models", st.Models, false)),
		container.NewGridWithColumns(2,
			r.pairs(
				fig{key: "models.work_days", label: "models.field.work_days", n: st.WorkDays},
				fig{key: "models.people", label: "models.field.people", n: st.PeopleReached},
				fig{key: "models.trainings", label: "models.field.trainings", n: st.Trainings}),
			r.pairs(
				fig{key: "models.land", label: "models.field.land", text: formatAmount(st.LandM2)},
				fig{key: "models.money", label: "models.field.money", text: formatCount(int(st.MoneyVND))}))))
	f.Refresh()

	for _, fn := range r.onStats {
		fn(st)
	}
}

// value is a figure label kept under key; alert shows a non-zero figure in red.
func (r *ReportsScreen) value(key string, n int, alert bool) *widget.Label {
	l := r.text(key, formatCount(n))
	l.Alignment = fyne.TextAlignCenter
	if alert && n > 0 {
		l.Importance = widget.DangerImportance
	}
	return l
}

// text is a figure label with text s kept under key.
func (r *ReportsScreen) text(key, s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Bold: true}
	r.Values[key] = l
	return l
}

// fig is one figure: its key in Values, the i18n id of its label, and
// its value: a count, or a text already formatted.
type fig struct {
	key, label string
	n          int
	text       string
}

// pairs lays out figures as label: value lines.
func (r *ReportsScreen) pairs(figs ...fig) fyne.CanvasObject {
	c := container.New(layout.NewFormLayout())
	for _, x := range figs {
		c.Add(widget.NewLabel(r.sh.T(x.label)))
		var v *widget.Label
		if x.text != "" {
			v = r.text(x.key, x.text)
		} else {
			v = r.value(x.key, x.n, x.key == "actions.overdue")
			v.Alignment = fyne.TextAlignLeading
		}
		c.Add(v)
	}
	return c
}

// figureSection is a heading (an i18n id) over its contents.
func figureSection(sh *Shell, titleID string, content ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(append([]fyne.CanvasObject{heading(sh.T(titleID))}, content...)...)
}

// checkFigures shows how many visits practised each checklist item, with
// the items' current labels; items no longer on the checklist follow
// under their key.
func (r *ReportsScreen) checkFigures(prefix, titleID string, items []data.ChecklistItem, counts map[string]int) fyne.CanvasObject {
	c := container.New(layout.NewFormLayout())
	c.Add(boldLabel(r.sh.T(titleID)))
	c.Add(widget.NewLabel(""))
	seen := map[string]bool{}
	add := func(key, label string) {
		seen[key] = true
		c.Add(widget.NewLabel("   " + label))
		v := r.value(prefix+"."+key, counts[key], false)
		v.Alignment = fyne.TextAlignLeading
		c.Add(v)
	}
	for _, it := range items {
		add(it.ID, it.Label)
	}
	var rest []string
	for k := range counts {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		add(k, k)
	}
	return c
}
