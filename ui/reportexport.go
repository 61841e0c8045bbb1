package ui

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
	"danvan/i18n"
	"danvan/report"
)

// This file adds the printed and exported reports to the Báo cáo page:
// the choice of report, the chart preview, Lưu PDF, Xuất Excel, In (and
// In thẳng ra máy in where CUPS has a printer), Xuất CSV of every list,
// and the "include sensitive fields" switch.

func init() {
	RegisterReportExtension(func(r *ReportsScreen) { newReportExport(r) })
}

// The reports the page prints, as ids of "reportexport.kind.<id>".
const (
	ReportVillage = "village" // Tóm tắt thôn: one village
	ReportCommune = "commune" // Báo cáo định kỳ của xã: every village and the total
	// ReportPrestige is the sổ theo dõi người có uy tín: of the commune,
	// or of the village chosen.
	ReportPrestige = "prestige"
)

// The comparisons of the commune report, as ids of "reportexport.compare.<id>".
const (
	CompareNone     = "none"
	ComparePrevious = "previous"  // the period just before
	CompareLastYear = "last_year" // the same period a year earlier
)

var (
	reportKinds    = []string{ReportVillage, ReportCommune, ReportPrestige}
	reportCompares = []string{CompareNone, ComparePrevious, CompareLastYear}
)

// csvLists are the lists that export as CSV, with the i18n id of their
// menu entry and the start of their file name; the first three are
// limited to the chosen period.
var csvLists = []struct {
	list    report.List
	slug    string
	dated   bool
	labelID string
}{
	{report.ListConcerns, "y-kien", true, "reportexport.list.concerns"},
	{report.ListMeetings, "hoi-nghi", true, "reportexport.list.meetings"},
	{report.ListVisits, "di-co-so", true, "reportexport.list.visits"},
	{report.ListHouseholds, "ho-gia-dinh", false, "reportexport.list.households"},
	{report.ListModels, "mo-hinh", false, "reportexport.list.models"},
}

// chooseSavePath asks where to save a file suggested as name (whose
// extension, e.g. ".pdf", filters the dialog) and calls chosen with the
// path on the UI goroutine; nothing happens if the user cancels. Tests
// replace it: a file dialog cannot be driven without a display.
var chooseSavePath = func(sh *Shell, name string, chosen func(path string)) {
	sh.ChooseFile(FileChoice{Save: true, Name: name, Ext: filepath.Ext(name), Pref: prefExportDir, NotFileID: "reportexport.not_file"}, chosen)
}

// openURL opens u (a file URL) in the system's viewer. Tests replace it.
var openURL = func(u *url.URL) error { return fyne.CurrentApp().OpenURL(u) }

// prefExportDir is the app preference that keeps the folder reports were
// last saved to, where the next save dialog opens.
const prefExportDir = "reportexport.dir"

// ReportExport is the report part of the Báo cáo page: it sits in the
// page's Actions and shows the chart in its Preview.
type ReportExport struct {
	widget.BaseWidget
	r  *ReportsScreen
	sh *Shell

	// Kind chooses the report: Tóm tắt thôn or Báo cáo định kỳ của xã.
	Kind *widget.Select
	// Compare chooses the commune report's comparison period.
	Compare *widget.Select
	// Sensitive includes households' ethnicity and religion; ticking it
	// asks for confirmation.
	Sensitive *widget.Check
	// SavePDF, SaveXLSX, Print and CSV are the page's actions; PrintDirect
	// (In thẳng ra máy in) is shown only where CUPS lists a printer.
	SavePDF, SaveXLSX, Print, PrintDirect, CSV *widget.Button
	// Lock (Chốt số liệu) saves the commune report sent upward and locks
	// its figures; Register lists the reports locked so far.
	Lock     *widget.Button
	Register *fyne.Container
	// Text (Nội dung báo cáo) writes the commune report's text; Narrative
	// is its dialog, once opened.
	Text      *widget.Button
	Narrative *NarrativeEditor
	// CSVMenu lists the lists Xuất CSV offers.
	CSVMenu *fyne.Menu
	// Hint says what is missing before a report can be made.
	Hint *widget.Label
	// Chart is the chart preview, the one the PDF prints.
	Chart *canvas.Image

	// Progress and Stage show the generation under way, in the progress
	// dialog; nil before the first.
	Progress *widget.ProgressBar
	Stage    *widget.Label

	box       *fyne.Container
	working   dialog.Dialog // the progress dialog, while a job runs
	busy      bool
	quiet     bool
	village   string // the village of the figures shown last
	chartSeq  int
	hasStats  bool
	confirmed bool // the sensitive tick was confirmed
}

// newReportExport builds the report part of r and puts it in place.
func newReportExport(r *ReportsScreen) *ReportExport {
	sh := r.sh
	x := &ReportExport{r: r, sh: sh}
	x.ExtendBaseWidget(x)

	x.Kind = widget.NewSelect(labelsOf(sh, "reportexport.kind.", reportKinds), func(string) { x.kindChosen() })
	x.Compare = widget.NewSelect(labelsOf(sh, "reportexport.compare.", reportCompares), nil)
	x.Sensitive = widget.NewCheck(sh.T("reportexport.sensitive"), func(on bool) { x.sensitiveTicked(on) })

	x.SavePDF = widget.NewButtonWithIcon(sh.T("reportexport.save_pdf"), theme.DocumentSaveIcon(), func() { x.save("pdf") })
	x.SavePDF.Importance = widget.HighImportance
	x.SaveXLSX = widget.NewButtonWithIcon(sh.T("reportexport.save_xlsx"), theme.DownloadIcon(), func() { x.save("xlsx") })
	x.Print = widget.NewButtonWithIcon(sh.T("reportexport.print"), theme.DocumentPrintIcon(), func() { x.print(false) })
	x.PrintDirect = widget.NewButtonWithIcon(sh.T("reportexport.print_direct"), theme.DocumentPrintIcon(), func() { x.print(true) })
	x.PrintDirect.Hide()
	x.CSVMenu = fyne.NewMenu(sh.T("reportexport.csv"))
	for _, l := range csvLists {
		list := l.list
		x.CSVMenu.Items = append(x.CSVMenu.Items, fyne.NewMenuItem(sh.T(l.labelID), func() { x.exportCSV(list) }))
	}
	x.CSV = widget.NewButtonWithIcon(sh.T("reportexport.csv"), theme.MenuDropDownIcon(), x.showCSVMenu)
	x.CSV.IconPlacement = widget.ButtonIconTrailingText
	x.Text = widget.NewButtonWithIcon(sh.T("narrative.button"), theme.DocumentCreateIcon(), x.editNarrative)
	x.Hint = widget.NewLabel(sh.T("reportexport.need_village"))
	x.Hint.Importance = widget.WarningImportance
	x.Hint.Alignment = fyne.TextAlignTrailing

	x.newLockParts()
	x.quiet = true
	x.Kind.SetSelectedIndex(1) // the page opens on the whole commune
	x.Compare.SetSelectedIndex(0)
	x.quiet = false

	x.box = container.NewVBox(
		container.NewHBox(layout.NewSpacer(), container.New(widthLayout{280}, x.Kind),
			container.New(widthLayout{230}, x.Compare), x.Sensitive),
		container.NewHBox(layout.NewSpacer(), x.Text, x.SavePDF, x.SaveXLSX, x.Print, x.PrintDirect, x.CSV, x.Lock),
		reserveHeight(x.Hint))
	r.Actions.Add(x)

	x.Chart = canvas.NewImageFromImage(nil)
	x.Chart.FillMode = canvas.ImageFillContain
	x.Chart.SetMinSize(fyne.NewSize(720, 290))
	x.Chart.Hide()
	r.Preview.Add(heading(sh.T("reportexport.chart")))
	r.Preview.Add(x.Chart)
	r.Preview.Add(x.Register)
	x.refreshRegister()

	r.OnStats(x.statsShown)
	x.update()
	x.detectPrinter()
	return x
}

// CreateRenderer lays out the report choices and actions.
func (x *ReportExport) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(x.box) }

// labelsOf returns the labels prefix+id of ids.
func labelsOf(sh *Shell, prefix string, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = sh.T(prefix + id)
	}
	return out
}

// kind returns the chosen report.
func (x *ReportExport) kind() string {
	if i := x.Kind.SelectedIndex(); i >= 0 {
		return reportKinds[i]
	}
	return ReportCommune
}

// compare returns the chosen comparison.
func (x *ReportExport) compare() string {
	if i := x.Compare.SelectedIndex(); i >= 0 {
		return reportCompares[i]
	}
	return CompareNone
}

// setKind chooses kind without reacting to it.
func (x *ReportExport) setKind(kind string) {
	for i, k := range reportKinds {
		if k == kind && x.Kind.SelectedIndex() != i {
			x.quiet = true
			x.Kind.SetSelectedIndex(i)
			x.quiet = false
		}
	}
}

// kindChosen follows the user's choice of report: the commune report
// covers the whole commune, so its figures are the commune's.
func (x *ReportExport) kindChosen() {
	if x.quiet {
		return
	}
	if x.kind() == ReportCommune && x.r.Village.Value() != "" {
		x.r.Village.SetValue("") // recomputes the figures
	}
	x.update()
}

// statsShown follows the figures: it redraws the chart, and a village
// chosen or left in the page's drop-down chooses the matching report.
func (x *ReportExport) statsShown(st *data.Stats) {
	if x.hasStats && st.Village != x.village && x.kind() != ReportPrestige {
		if st.Village != "" {
			x.setKind(ReportVillage)
		} else {
			x.setKind(ReportCommune)
		}
	}
	x.hasStats, x.village = true, st.Village
	x.update()
	x.drawChart(st)
}

// reserveHeight keeps o's height in the layout while o is hidden, so that
// showing it (a hint) does not push what is below down.
func reserveHeight(o fyne.CanvasObject) fyne.CanvasObject {
	space := canvas.NewRectangle(color.Transparent)
	space.SetMinSize(fyne.NewSize(1, o.MinSize().Height))
	return container.NewStack(space, o)
}

// update enables what can be done now and says what is missing.
func (x *ReportExport) update() {
	needVillage := x.kind() == ReportVillage && x.r.Village.Value() == ""
	if needVillage {
		x.Hint.Show()
	} else {
		x.Hint.Hide()
	}
	if x.kind() == ReportCommune {
		x.Compare.Enable()
	} else {
		x.Compare.Disable()
	}
	for _, b := range []*widget.Button{x.SavePDF, x.SaveXLSX, x.Print, x.PrintDirect} {
		enableWhen(b, !x.busy && !needVillage)
	}
	enableWhen(x.CSV, !x.busy)
	enableWhen(x.Text, !x.busy && x.kind() == ReportCommune)
	if x.Lock != nil {
		enableWhen(x.Lock, !x.busy && x.kind() == ReportCommune)
	}
}

// enableWhen enables or disables w.
func enableWhen(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// drawChart renders the chart of st off the UI goroutine and shows it.
func (x *ReportExport) drawChart(st *data.Stats) {
	x.chartSeq++
	seq, lang := x.chartSeq, x.sh.Lang()
	size := x.Chart.MinSize()
	var img *image.RGBA
	x.sh.Go(func() error {
		// Twice the laid-out size, so that it stays sharp on a dense screen.
		var err error
		img, err = report.ChartImage(st, int(size.Width*2), int(size.Height*2), lang)
		return err
	}, func(err error) {
		if seq != x.chartSeq {
			return
		}
		if err != nil {
			fyne.LogError("draw the report chart", err)
			x.Chart.Hide()
			return
		}
		x.Chart.Image = img
		x.Chart.Show()
		x.Chart.Refresh()
	})
}

// sensitiveTicked asks before including sensitive fields.
func (x *ReportExport) sensitiveTicked(on bool) {
	if x.quiet || !on {
		x.confirmed = on && x.confirmed
		return
	}
	d := dialog.NewConfirm(x.sh.T("reportexport.sensitive_title"), x.sh.T("reportexport.sensitive_confirm"), func(yes bool) {
		x.confirmed = yes
		if !yes {
			x.quiet = true
			x.Sensitive.SetChecked(false)
			x.quiet = false
		}
	}, x.sh.Win)
	d.SetConfirmText(x.sh.T("reportexport.sensitive_yes"))
	d.SetDismissText(x.sh.T("btn.cancel"))
	x.sh.ShowDialog(d)
}

// sensitive reports whether sensitive fields are to be included: ticked
// and confirmed.
func (x *ReportExport) sensitive() bool { return x.Sensitive.Checked && x.confirmed }

// reportRequest is what a report is made of, taken from the page on the UI
// goroutine so that the work off it reads nothing the user may change.
type reportRequest struct {
	kind        string
	village     string
	villageName string
	commune     string // the commune's name
	period      report.Period
	compare     *report.Period
	lang        i18n.Lang
	sensitive   bool
	now         time.Time
}

// reportUserError is a message for the user about a choice on the page.
type reportUserError struct{ msg string }

func (e *reportUserError) Error() string { return e.msg }

// request reads the page's choices; it fails with a reportUserError when the
// period is missing or, for a report (not a list), the village.
func (x *ReportExport) request(forList bool) (*reportRequest, error) {
	village, from, to := x.r.Selection()
	_, okFrom := x.r.From.DateOK()
	_, okTo := x.r.To.DateOK()
	switch {
	case !okFrom || !okTo || from == "" || to == "":
		return nil, &reportUserError{x.sh.T("reports.need_dates")}
	case to < from:
		return nil, &reportUserError{x.sh.FieldText(data.FieldError{Field: "reports.to", Msg: data.MsgDateOrder, Other: "reports.from"})}
	}
	q := &reportRequest{kind: x.kind(), village: village, period: periodOf(from, to), lang: x.sh.Lang(),
		sensitive: x.sensitive(), now: reportNow(x.sh.Today())}
	st := x.sh.Store()
	if st == nil {
		return nil, errNoStore
	}
	if c, ok := data.CommuneByCode(st.Commune()); ok {
		q.commune = c.Name
	}
	if row, ok := st.Row(village); ok {
		q.villageName = row.Title
	}
	if q.kind == ReportVillage && village == "" && !forList {
		return nil, &reportUserError{x.sh.T("reportexport.need_village")}
	}
	switch {
	case q.kind == ReportVillage || q.kind == ReportPrestige: // no earlier period beside their own
	case x.compare() == ComparePrevious:
		p := q.period.Previous()
		q.compare = &p
	case x.compare() == CompareLastYear:
		p := q.period.LastYear()
		q.compare = &p
	}
	return q, nil
}

// reportNow is the printing time: now, on the shell's day when it is
// fixed (demos, tests).
func reportNow(today data.Date) time.Time {
	now := time.Now()
	if today == "" || today == data.DateOf(now) {
		return now
	}
	t := today.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), now.Hour(), now.Minute(), now.Second(), 0, time.Local)
}

// periodOf names the days from..to as the month, quarter, half year,
// nine months or year they are, else as a range.
func periodOf(from, to data.Date) report.Period {
	y := from.Time().Year()
	m := int(from.Time().Month())
	for _, p := range []report.Period{report.MonthPeriod(y, m), report.QuarterPeriod(y, (m+2)/3),
		report.HalfPeriod(y, (m+5)/6), report.NineMonthsPeriod(y), report.YearPeriod(y)} {
		if p.From == from && p.To == to {
			return p
		}
	}
	return report.Period{From: from, To: to, Kind: report.Range}
}

// periodSlug is the period in a file name: "2026-03", "2026-Q1" or
// "2026-01-05_2026-02-10".
func periodSlug(p report.Period) string {
	if p.Kind == report.Range {
		return string(p.From) + "_" + string(p.To)
	}
	return p.String()
}

// fileName is the suggested file name of the report with extension ext
// ("pdf", "xlsx"): "tom-tat-<village>-<period>" or "bao-cao-<commune>-<period>".
func (q *reportRequest) fileName(ext string) string {
	switch q.kind {
	case ReportVillage:
		return "tom-tat-" + data.Slug(q.villageName) + "-" + periodSlug(q.period) + "." + ext
	case ReportPrestige:
		scope := q.commune
		if q.villageName != "" {
			scope = q.villageName
		}
		return "so-nguoi-co-uy-tin-" + data.Slug(scope) + "-" + periodSlug(q.period) + "." + ext
	}
	return "bao-cao-" + data.Slug(q.commune) + "-" + periodSlug(q.period) + "." + ext
}

// csvName is the suggested file name of a list's CSV.
func (q *reportRequest) csvName(slugList string, dated bool) string {
	place := q.commune
	if q.village != "" {
		place = q.villageName
	}
	name := slugList + "-" + data.Slug(place)
	if dated {
		name += "-" + periodSlug(q.period)
	}
	return name + ".csv"
}

// options are the report options of q for store st, with the cadre's
// profile and progress reported to progress.
func (q *reportRequest) options(st *data.Store, progress func(float64, string)) report.Options {
	o := report.Options{Lang: q.lang, IncludeSensitive: q.sensitive, Now: q.now, Progress: progress, Narrative: narrativeOf(st, q)}
	if p, ok := st.Profile(); ok {
		o.Cadre, o.Unit, o.Issuer = p.Name, p.Unit, p.Issuer
	}
	return o
}

// printableReport is a gathered report.
type printableReport interface {
	WritePDF(io.Writer) error
	WriteXLSX(io.Writer) error
}

// write gathers the report of q and writes it to w as format ("pdf" or
// "xlsx").
func (q *reportRequest) write(st *data.Store, format string, w io.Writer, o report.Options) error {
	var rep printableReport
	var err error
	switch q.kind {
	case ReportVillage:
		rep, err = report.NewVillageSummary(st, q.village, q.period, o)
	case ReportPrestige:
		rep, err = report.NewPrestigeRegister(st, q.village, q.period, o)
	default:
		rep, err = report.NewCommuneReport(st, q.period, q.compare, o)
	}
	if err != nil {
		return err
	}
	if format == "xlsx" {
		return rep.WriteXLSX(w)
	}
	return rep.WritePDF(w)
}

// writeAtomic writes path through write, all or nothing: into a temporary
// file beside it, renamed over path once complete. A file with sensitive
// fields is readable by its owner only.
func writeAtomic(path string, sensitive bool, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	mode := os.FileMode(0o644)
	if sensitive {
		mode = 0o600
	}
	err = f.Chmod(mode)
	bw := bufio.NewWriter(f)
	if err == nil {
		err = write(bw)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// generate runs work off the UI goroutine behind a progress dialog fed
// by the report's Options.Progress, then calls done on the UI goroutine.
// One job runs at a time.
func (x *ReportExport) generate(work func(progress func(float64, string)) error, done func(error)) {
	if x.busy {
		return
	}
	x.busy = true
	x.update()
	bar, stage := widget.NewProgressBar(), widget.NewLabel(x.sh.T("reportexport.starting"))
	x.Progress, x.Stage = bar, stage
	d := dialog.NewCustomWithoutButtons(x.sh.T("reportexport.working"),
		container.New(widthLayout{360}, container.NewVBox(stage, bar)), x.sh.Win)
	x.working = d
	d.Show()
	progress := func(f float64, s string) {
		fyne.Do(func() {
			bar.SetValue(f)
			stage.SetText(s)
		})
	}
	x.sh.Go(func() error { return work(progress) }, func(err error) {
		d.Hide()
		x.working = nil
		x.busy = false
		x.update()
		done(err)
	})
}

// save asks where to save the report as format ("pdf" or "xlsx") and
// saves it there.
func (x *ReportExport) save(format string) {
	q, err := x.request(false)
	if err != nil {
		x.showFailure(err)
		return
	}
	chooseSavePath(x.sh, q.fileName(format), func(path string) { x.saveTo(q, format, path) })
}

// saveTo writes the report of q to path as format, then says where it is.
func (x *ReportExport) saveTo(q *reportRequest, format, path string) {
	st := x.sh.Store()
	x.generate(func(progress func(float64, string)) error {
		return writeAtomic(path, q.sensitive, func(w io.Writer) error { return q.write(st, format, w, q.options(st, progress)) })
	}, func(err error) {
		if err != nil {
			dropEmpty(path)
			x.showFailure(err)
			return
		}
		x.showSaved(x.sh.T("reportexport.saved", "Path", path), path)
	})
}

// dropEmpty removes path if the save dialog left it empty.
func dropEmpty(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
		_ = os.Remove(path)
	}
}

// exportCSV asks where to save list as CSV and exports it there.
func (x *ReportExport) exportCSV(list report.List) {
	q, err := x.request(true)
	if err != nil {
		x.showFailure(err)
		return
	}
	for _, l := range csvLists {
		if l.list == list {
			chooseSavePath(x.sh, q.csvName(l.slug, l.dated), func(path string) { x.exportCSVTo(q, list, path) })
		}
	}
}

// exportCSVTo writes list to path as CSV: the chosen village's records
// (or the commune's), those of the period for dated lists.
func (x *ReportExport) exportCSVTo(q *reportRequest, list report.List, path string) {
	st := x.sh.Store()
	filter := data.Filter{Village: q.village, Today: data.DateOf(q.now)}
	for _, l := range csvLists {
		if l.list == list && l.dated {
			filter.From, filter.To = q.period.From, q.period.To
		}
	}
	var rows int
	x.generate(func(progress func(float64, string)) error {
		return writeAtomic(path, q.sensitive && list == report.ListHouseholds, func(w io.Writer) error {
			var err error
			rows, err = report.ExportCSV(w, st, list, filter, q.options(st, progress))
			return err
		})
	}, func(err error) {
		if err != nil {
			dropEmpty(path)
			x.showFailure(err)
			return
		}
		x.showSaved(x.sh.Tn("reportexport.csv_saved", rows, "Path", path), path)
	})
}

// showCSVMenu drops the list of lists down from the Xuất CSV button.
func (x *ReportExport) showCSVMenu() {
	c := fyne.CurrentApp().Driver().CanvasForObject(x.CSV)
	if c == nil {
		return
	}
	widget.ShowPopUpMenuAtRelativePosition(x.CSVMenu, c, fyne.NewPos(0, x.CSV.Size().Height), x.CSV)
}

// printDir is where "In" keeps the PDF it opens: the app's own folder,
// readable by the user only.
func (x *ReportExport) printDir() (string, error) {
	base := os.TempDir()
	if root := x.sh.App.Storage().RootURI(); root != nil && root.Scheme() == "file" {
		base = root.Path()
	}
	dir := filepath.Join(base, "print")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	pruneOld(dir, 7*24*time.Hour)
	return dir, nil
}

// pruneOld removes the files in dir older than age: printed copies are
// not kept longer than needed.
func pruneOld(dir string, age time.Duration) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && !e.IsDir() && time.Since(fi.ModTime()) > age {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// print saves the report as a PDF in the print folder, then opens it in
// the system viewer or, if direct, sends it to the printer with lp.
func (x *ReportExport) print(direct bool) {
	q, err := x.request(false)
	if err != nil {
		x.showFailure(err)
		return
	}
	dir, err := x.printDir()
	if err != nil {
		x.showFailure(err)
		return
	}
	path := filepath.Join(dir, q.fileName("pdf"))
	st := x.sh.Store()
	var lpOut string
	var lpErr error
	x.generate(func(progress func(float64, string)) error {
		err := writeAtomic(path, true, func(w io.Writer) error { return q.write(st, "pdf", w, q.options(st, progress)) })
		if err == nil && direct {
			lpOut, lpErr = runLP(path)
		}
		return err
	}, func(err error) {
		switch {
		case err != nil:
			x.showFailure(err)
		case direct && lpErr != nil:
			x.showMessage(x.sh.T("reportexport.print_failed_title"),
				x.sh.T("reportexport.print_failed", "Output", strings.TrimSpace(lpOut+"\n"+lpErr.Error())))
		case direct:
			x.showMessage(x.sh.T("reportexport.printed_title"), x.sh.T("reportexport.printed", "Output", lpOut))
		default:
			x.openPrinted(path)
		}
	})
}

// openPrinted opens the PDF at path in the system viewer for printing.
func (x *ReportExport) openPrinted(path string) {
	if err := openURL(fileURL(path)); err != nil {
		x.showMessage(x.sh.T("reportexport.opened_title"),
			x.sh.T("reportexport.open_failed", "Path", path, "Detail", err.Error()))
		return
	}
	x.showMessage(x.sh.T("reportexport.opened_title"), x.sh.T("reportexport.opened", "Path", path))
}

// fileURL is the file:// URL of path.
func fileURL(path string) *url.URL {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	u, err := url.Parse(storage.NewFileURI(path).String())
	if err != nil {
		return &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	}
	return u
}

// runLP sends the file at path to the default printer with `lp` and
// returns what lp said.
func runLP(path string) (string, error) {
	out, err := exec.Command("lp", path).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// hasPrinter reports whether CUPS is here: `lp` is on PATH and `lpstat -p`
// lists at least one printer.
func hasPrinter() bool {
	if _, err := exec.LookPath("lp"); err != nil {
		return false
	}
	cmd := exec.Command("lpstat", "-p")
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C")
	out, _ := cmd.Output() // lpstat fails when there is no printer
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "printer ") {
			return true
		}
	}
	return false
}

// detectPrinter shows In thẳng ra máy in once CUPS is found with a printer.
func (x *ReportExport) detectPrinter() {
	var found bool
	x.sh.Go(func() error {
		found = hasPrinter()
		return nil
	}, func(error) {
		if found {
			x.PrintDirect.Show()
		} else {
			x.PrintDirect.Hide()
		}
	})
}

// showSaved says where the file was saved, with a button to open it.
func (x *ReportExport) showSaved(msg, path string) { showSaved(x.sh, msg, path) }

// showSaved says msg (where a file was saved) with a button that opens
// the file at path.
func showSaved(sh *Shell, msg, path string) {
	open := widget.NewButtonWithIcon(sh.T("reportexport.open_file"), theme.FileIcon(), func() {
		if err := openURL(fileURL(path)); err != nil {
			sh.ShowError(err)
		}
	})
	content := container.NewVBox(container.New(widthLayout{460}, wrapLabel(msg)), container.NewHBox(open))
	sh.ShowDialog(dialog.NewCustom(sh.T("reportexport.saved_title"), sh.T("btn.close"), content, sh.Win))
}

// showFailure says, in the user's language, why nothing was made.
func (x *ReportExport) showFailure(err error) {
	var ue *reportUserError
	msg := ""
	switch ve, ok := data.AsValidation(err); {
	case errors.As(err, &ue):
		msg = ue.msg
	case errors.Is(err, fs.ErrPermission):
		msg = x.sh.T("reportexport.no_permission")
	case ok:
		msg = x.sh.T("reportexport.failed", "Detail", x.sh.ValidationText(ve))
	default:
		msg = x.sh.T("reportexport.failed", "Detail", err.Error())
	}
	x.showMessage(x.sh.T("reportexport.failed_title"), msg)
}

// showMessage shows a message that wraps to the dialog's width.
func (x *ReportExport) showMessage(title, msg string) {
	content := container.New(widthLayout{460}, wrapLabel(msg))
	x.sh.ShowDialog(dialog.NewCustom(title, x.sh.T("btn.close"), content, x.sh.Win))
}
