package ui

import (
	"bytes"
	"encoding/csv"
	"image"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"danvan/data"
	"danvan/report"
)

// reportPage opens the Báo cáo page of a demo store and returns it with
// its report part.
func reportPage(t *testing.T) (*Shell, *ReportsScreen, *ReportExport) {
	t.Helper()
	sh := openDemo(t)
	sh.Win.Resize(fyne.NewSize(1280, 1000))
	r := showScreen[*ReportsScreen](t, sh, "reports")
	for _, o := range r.Actions.Objects {
		if x, ok := o.(*ReportExport); ok {
			return sh, r, x
		}
	}
	t.Fatal("the Báo cáo page has no report actions")
	return nil, nil, nil
}

// chooseVillage picks the i-th village of the page's drop-down (1 is the
// first village) and returns its name.
func chooseVillage(t *testing.T, sh *Shell, r *ReportsScreen, i int) string {
	t.Helper()
	r.Village.SetSelectedIndex(i)
	sh.wait()
	row, ok := sh.Store().Row(r.Village.Value())
	if !ok || r.Stats == nil || r.Stats.Village != row.ID {
		t.Fatalf("choosing village %d: value %q, figures for %v", i, r.Village.Value(), r.Stats)
	}
	return row.Title
}

// fakeSaveDialog stands in for the file-save dialog: it records the name
// suggested and "chooses" that name in a temporary folder. It returns the
// folder and the names suggested so far.
func fakeSaveDialog(t *testing.T) (string, *[]string) {
	t.Helper()
	dir := t.TempDir()
	var names []string
	old := chooseSavePath
	chooseSavePath = func(sh *Shell, name string, chosen func(string)) {
		names = append(names, name)
		chosen(filepath.Join(dir, name))
	}
	t.Cleanup(func() { chooseSavePath = old })
	return dir, &names
}

// fakeOpener records the URLs given to the system viewer.
func fakeOpener(t *testing.T) *[]*url.URL {
	t.Helper()
	var got []*url.URL
	old := openURL
	openURL = func(u *url.URL) error {
		got = append(got, u)
		return nil
	}
	t.Cleanup(func() { openURL = old })
	return &got
}

// topDialogText is the text of the labels of the dialog on top of the window.
func topDialogText(sh *Shell) string {
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return strings.Join(labelTexts(top), "\n")
}

// tapTopButton taps the button labelled text in the dialog on top.
func tapTopButton(t *testing.T, sh *Shell, text string) {
	t.Helper()
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog is open to tap %q", text)
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			test.Tap(b)
			sh.wait()
			return
		}
	}
	t.Fatalf("the dialog on top has no button %q; it reads:\n%s", text, topDialogText(sh))
}

// closeAllDialogs closes every dialog left open.
func closeAllDialogs(sh *Shell) {
	for sh.CloseDialog() {
	}
}

// stepQueuedUI runs one UI update queued by a background job, and reports
// whether there was one.
func stepQueuedUI(sh *Shell) bool {
	q := sh.queue
	q.mu.Lock()
	if len(q.fns) == 0 {
		q.mu.Unlock()
		return false
	}
	fn := q.fns[0]
	q.fns = q.fns[1:]
	q.mu.Unlock()
	fn()
	return true
}

// progressSeen runs the UI updates of a generation one at a time until it
// ends, and returns the progress shown meanwhile, as "fraction stage".
func progressSeen(t *testing.T, sh *Shell, x *ReportExport) []string {
	t.Helper()
	var seen []string
	deadline := time.Now().Add(time.Minute)
	for x.working != nil {
		if time.Now().After(deadline) {
			t.Fatal("the report is still being made after a minute")
		}
		if !stepQueuedUI(sh) {
			time.Sleep(time.Millisecond)
			continue
		}
		if x.working != nil && x.Progress.Visible() {
			seen = append(seen, strconv.FormatFloat(x.Progress.Value, 'f', 2, 64)+" "+x.Stage.Text)
		}
	}
	sh.wait()
	return seen
}

// pdfTextOf runs pdftotext on the file at path.
func pdfTextOf(t *testing.T, path string) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (apt-get install -y poppler-utils)")
	}
	out, err := exec.Command(tool, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func TestReportChartPreviewFollowsFigures(t *testing.T) {
	sh, r, x := reportPage(t)
	if !x.Chart.Visible() || x.Chart.Image == nil {
		t.Fatal("the chart preview should show an image once the figures are in")
	}
	if !slices.ContainsFunc(r.Preview.Objects, func(o fyne.CanvasObject) bool { return o == x.Chart }) {
		t.Fatal("the chart should be in the page's preview")
	}
	first := x.Chart.Image
	if b := first.Bounds(); b.Dx() < 600 || b.Dy() < 200 {
		t.Errorf("chart image is only %v", b)
	}
	if !hasInk(first) {
		t.Error("the chart image is blank")
	}
	// The same chart as report.ChartImage draws for the figures shown.
	size := x.Chart.MinSize()
	want, err := report.ChartImage(r.Stats, int(size.Width*2), int(size.Height*2), sh.Lang())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want.Pix, first.(*image.RGBA).Pix) {
		t.Error("the preview differs from report.ChartImage for the figures shown")
	}

	r.Period.SetSelected(sh.T("reports.period.year"))
	sh.wait()
	if x.Chart.Image == first {
		t.Error("the chart should be redrawn when the figures change")
	}
	if !hasLabel(r.Preview, sh.T("reportexport.chart")) {
		t.Error("the chart should have a heading")
	}
}

// hasInk reports whether img has a pixel that is not white.
func hasInk(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xe000 || g < 0xe000 || bl < 0xe000 {
				return true
			}
		}
	}
	return false
}

func TestReportChoiceFollowsVillage(t *testing.T) {
	sh, r, x := reportPage(t)
	if x.Kind.Selected != "Báo cáo định kỳ của xã" || x.Compare.Disabled() {
		t.Fatalf("the whole commune should offer the commune report with a comparison: %q, compare disabled %v",
			x.Kind.Selected, x.Compare.Disabled())
	}
	// Tóm tắt thôn needs a village; saying so does not move the page.
	before := x.box.MinSize().Height
	x.Kind.SetSelected("Tóm tắt thôn")
	if after := x.box.MinSize().Height; after != before {
		t.Errorf("choosing Tóm tắt thôn moves the controls by %.0f px", after-before)
	}
	if !x.Hint.Visible() || !x.SavePDF.Disabled() || !x.Print.Disabled() || !x.Compare.Disabled() {
		t.Error("a village summary without a village should say so and disable Lưu PDF and In")
	}
	if x.CSV.Disabled() {
		t.Error("lists export without a village")
	}
	chooseVillage(t, sh, r, 1)
	if x.Hint.Visible() || x.SavePDF.Disabled() || x.Kind.Selected != "Tóm tắt thôn" {
		t.Errorf("with a village: hint %v, Lưu PDF disabled %v, report %q", x.Hint.Visible(), x.SavePDF.Disabled(), x.Kind.Selected)
	}
	// The commune report is the whole commune's.
	x.Kind.SetSelected("Báo cáo định kỳ của xã")
	sh.wait()
	if r.Village.Value() != "" || r.Stats.Village != "" {
		t.Error("choosing the commune report should show the whole commune's figures")
	}
	// Choosing a village chooses its summary.
	chooseVillage(t, sh, r, 2)
	if x.Kind.Selected != "Tóm tắt thôn" {
		t.Errorf("choosing a village should choose its summary, not %q", x.Kind.Selected)
	}
}

func TestReportSavePDFWithProgress(t *testing.T) {
	sh, r, x := reportPage(t)
	dir, names := fakeSaveDialog(t)
	opened := fakeOpener(t)
	village := chooseVillage(t, sh, r, 1)

	test.Tap(x.SavePDF)
	want := "tom-tat-" + data.Slug(village) + "-2026-03.pdf"
	if len(*names) != 1 || (*names)[0] != want {
		t.Fatalf("the save dialog suggested %q, want %q", *names, want)
	}
	// The progress dialog is up at once, the buttons wait, and the work
	// feeds the bar while the window keeps running.
	if x.working == nil || !strings.Contains(topDialogText(sh), "Đang lập báo cáo") {
		t.Fatalf("no progress dialog while the report is made; on top: %q", topDialogText(sh))
	}
	if !x.SavePDF.Disabled() || !x.SaveXLSX.Disabled() {
		t.Error("the actions should wait while a report is made")
	}
	seen := progressSeen(t, sh, x)
	t.Logf("progress shown: %q", seen)
	between := slices.ContainsFunc(seen, func(s string) bool {
		f, _ := strconv.ParseFloat(strings.Fields(s)[0], 64)
		return f > 0 && f < 1 && strings.Contains(s, "Đang")
	})
	if !between {
		t.Errorf("the progress bar should move through the report's stages; it showed %q", seen)
	}
	if x.SavePDF.Disabled() {
		t.Error("Lưu PDF should be enabled again")
	}

	path := filepath.Join(dir, want)
	msg := topDialogText(sh)
	if !strings.Contains(msg, "Đã lưu báo cáo vào:") || !strings.Contains(msg, path) {
		t.Errorf("the success message should give the path; it reads:\n%s", msg)
	}
	text := pdfTextOf(t, path)
	for _, w := range []string{village, "Trang 1/", "BÁO CÁO TÓM TẮT", "Nguyễn Văn An", "Ban Dân vận"} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF does not read %q", w)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder should hold the PDF only, not %v", entries)
	}
	tapTopButton(t, sh, "Mở tệp")
	if len(*opened) != 1 || (*opened)[0].Scheme != "file" || !strings.HasSuffix((*opened)[0].Path, want) {
		t.Errorf("Mở tệp opened %v", *opened)
	}
}

func TestReportSaveFailureIsClear(t *testing.T) {
	sh, r, x := reportPage(t)
	chooseVillage(t, sh, r, 1)
	q, err := x.request(false)
	if err != nil {
		t.Fatal(err)
	}
	x.saveTo(q, "pdf", filepath.Join(t.TempDir(), "no-such-folder", "x.pdf"))
	sh.wait()
	if msg := topDialogText(sh); !strings.Contains(msg, "Không lập được báo cáo") || !strings.Contains(msg, "no-such-folder") {
		t.Errorf("a failed save should say so with the detail; it reads:\n%s", msg)
	}
	if x.SavePDF.Disabled() {
		t.Error("after a failure the user can try again")
	}
	closeAllDialogs(sh)

	// Bad dates: a message, no dialog to choose a file.
	_, names := fakeSaveDialog(t)
	r.To.SetText("")
	test.Type(r.To.Entry, "01/01/2020")
	sh.wait()
	test.Tap(x.SavePDF)
	if len(*names) != 0 || !strings.Contains(topDialogText(sh), "Đến ngày phải sau") {
		t.Errorf("dates out of order: dialog %v, message %q", *names, topDialogText(sh))
	}
}

func TestReportExcel(t *testing.T) {
	sh, r, x := reportPage(t)
	dir, names := fakeSaveDialog(t)

	// Village summary.
	village := chooseVillage(t, sh, r, 1)
	test.Tap(x.SaveXLSX)
	sh.wait()
	want := "tom-tat-" + data.Slug(village) + "-2026-03.xlsx"
	if len(*names) != 1 || (*names)[0] != want {
		t.Fatalf("the save dialog suggested %q, want %q", *names, want)
	}
	if !strings.Contains(topDialogText(sh), filepath.Join(dir, want)) {
		t.Errorf("the success message should give the path; it reads:\n%s", topDialogText(sh))
	}
	closeAllDialogs(sh)
	f, err := excelize.OpenFile(filepath.Join(dir, want))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	general := "Thông tin chung"
	rows, err := f.GetRows(general)
	if err != nil {
		t.Fatalf("no sheet %q: %v (sheets %v)", general, err, f.GetSheetList())
	}
	found := false
	for i, row := range rows {
		if len(row) > 1 && row[1] == village {
			found = true
		}
		if len(row) > 1 && row[0] == "Số lượt đi cơ sở" {
			cell := "B" + strconv.Itoa(i+1)
			typ, _ := f.GetCellType(general, cell)
			raw, _ := f.GetCellValue(general, cell, excelize.Options{RawCellValue: true})
			if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || raw != strconv.Itoa(r.Stats.Visits) {
				t.Errorf("visits cell %s: type %v value %q, want the number %d", cell, typ, raw, r.Stats.Visits)
			}
		}
	}
	if !found {
		t.Errorf("the workbook does not name %s", village)
	}

	// Commune report, compared with the same period last year.
	x.Kind.SetSelected("Báo cáo định kỳ của xã")
	r.Period.SetSelected(sh.T("reports.period.quarter"))
	sh.wait()
	x.Compare.SetSelected("So với cùng kỳ năm trước")
	test.Tap(x.SaveXLSX)
	sh.wait()
	want = "bao-cao-xa-dak-long-2026-Q1.xlsx"
	if (*names)[len(*names)-1] != want {
		t.Fatalf("the save dialog suggested %q, want %q", *names, want)
	}
	g, err := excelize.OpenFile(filepath.Join(dir, want))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for _, s := range []string{"Chỉ tiêu", "Theo thôn", "So sánh theo thôn"} {
		if !slices.Contains(g.GetSheetList(), s) {
			t.Errorf("the commune workbook has no sheet %q: %v", s, g.GetSheetList())
		}
	}
}

func TestReportSensitiveAsksAndIsAudited(t *testing.T) {
	sh, r, x := reportPage(t)
	if x.Sensitive.Checked {
		t.Fatal("sensitive fields should be off by default")
	}
	dir, _ := fakeSaveDialog(t)
	chooseVillage(t, sh, r, 1)

	test.Tap(x.Sensitive)
	if msg := topDialogText(sh); !strings.Contains(msg, "dân tộc, tôn giáo") || !strings.Contains(msg, "nhật ký") {
		t.Fatalf("ticking should ask first; on top: %q", msg)
	}
	tapTopButton(t, sh, "Hủy")
	if x.Sensitive.Checked || x.sensitive() {
		t.Fatal("cancelling should untick")
	}
	test.Tap(x.Sensitive)
	tapTopButton(t, sh, "Gồm thông tin nhạy cảm")
	if !x.Sensitive.Checked || !x.sensitive() {
		t.Fatal("confirming should keep the tick")
	}

	before, _ := sh.Store().AuditTrail(r.Village.Value())
	test.Tap(x.SavePDF)
	sh.wait()
	after, err := sh.Store().AuditTrail(r.Village.Value())
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 || after[len(after)-1].Action != data.AuditSensitive {
		t.Errorf("a sensitive print should be in the audit trail: %d → %d entries", len(before), len(after))
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(matches) != 1 || !strings.Contains(pdfTextOf(t, matches[0]), "thông tin nhạy cảm") {
		t.Errorf("the PDF should carry the sensitive notice: %v", matches)
	}
}

func TestReportCSVLists(t *testing.T) {
	sh, r, x := reportPage(t)
	dir, names := fakeSaveDialog(t)
	if len(x.CSVMenu.Items) != len(report.Lists) {
		t.Fatalf("Xuất CSV offers %d lists, want %d", len(x.CSVMenu.Items), len(report.Lists))
	}
	test.Tap(x.CSV)
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Xuất CSV should drop down the lists")
	}
	dropped := false
	for _, o := range append([]fyne.CanvasObject{top}, test.LaidOutObjects(top)...) {
		if m, ok := o.(*widget.PopUpMenu); ok && len(m.Items) == len(report.Lists) {
			dropped = true
		}
	}
	if !dropped {
		t.Error("Xuất CSV should drop down the lists")
	}
	closeAllDialogs(sh)

	for i, item := range x.CSVMenu.Items {
		item.Action()
		sh.wait()
		name := (*names)[len(*names)-1]
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", item.Label, err)
		}
		if !bytes.HasPrefix(b, []byte("\ufeff")) {
			t.Errorf("%s does not start with the UTF-8 BOM", name)
		}
		recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(topDialogText(sh), "Đã xuất "+formatCount(len(recs)-1)+" dòng") {
			t.Errorf("%s: the message should count %d rows; it reads %q", name, len(recs)-1, topDialogText(sh))
		}
		closeAllDialogs(sh)
		if i == 0 {
			want := "y-kien-xa-dak-long-2026-03.csv"
			if name != want {
				t.Errorf("concerns CSV named %q, want %q", name, want)
			}
			n := sh.Store().Count(data.Filter{Kind: data.KindConcern, From: r.Stats.From, To: r.Stats.To})
			if len(recs)-1 != n {
				t.Errorf("the concerns of the period: %d rows, the store counts %d", len(recs)-1, n)
			}
		}
	}
	if len(*names) != len(report.Lists) {
		t.Errorf("every list should ask where to save: %v", *names)
	}
}

func TestReportPrintOpensViewer(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv("PATH", t.TempDir()) // no CUPS here
	sh, r, x := reportPage(t)
	opened := fakeOpener(t)
	village := chooseVillage(t, sh, r, 1)
	if x.PrintDirect.Visible() {
		t.Error("without CUPS there is no direct printing")
	}
	test.Tap(x.Print)
	sh.wait()
	if len(*opened) != 1 {
		t.Fatalf("In should open the PDF in the viewer once; opened %v", *opened)
	}
	u := (*opened)[0]
	path := filepath.FromSlash(u.Path)
	if u.Scheme != "file" || filepath.Base(path) != "tom-tat-"+data.Slug(village)+"-2026-03.pdf" {
		t.Errorf("opened %s", u)
	}
	b, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("the opened file is not a PDF: %v", err)
	}
	if !strings.Contains(topDialogText(sh), "Ctrl+P") {
		t.Errorf("the user should be told how to print from the viewer: %q", topDialogText(sh))
	}
}

// fakeCUPS puts tiny lp and lpstat scripts on a fresh PATH; lpstat lists
// a printer when printer is true. lp records its arguments in the
// returned file.
func fakeCUPS(t *testing.T, printer bool) string {
	t.Helper()
	bin := t.TempDir()
	args := filepath.Join(bin, "lp.args")
	lpstat := "#!/bin/sh\necho 'lpstat: No destinations added.' >&2\nexit 1\n"
	if printer {
		lpstat = "#!/bin/sh\necho 'printer Canon_LBP2900 is idle.  enabled since Mon 16 Mar 2026 08:00:00'\n"
	}
	lp := "#!/bin/sh\necho \"$@\" > '" + args + "'\necho 'request id is Canon_LBP2900-42 (1 file(s))'\n"
	for name, body := range map[string]string{"lp": lp, "lpstat": lpstat} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	t.Setenv("TMPDIR", t.TempDir())
	return args
}

func TestReportDirectPrintOnlyWithPrinter(t *testing.T) {
	t.Run("no printer", func(t *testing.T) {
		fakeCUPS(t, false)
		_, _, x := reportPage(t)
		if x.PrintDirect.Visible() {
			t.Error("lpstat lists no printer: In thẳng ra máy in should not be offered")
		}
	})
	t.Run("printer", func(t *testing.T) {
		args := fakeCUPS(t, true)
		sh, r, x := reportPage(t)
		if !x.PrintDirect.Visible() {
			t.Fatal("lpstat lists a printer: In thẳng ra máy in should be offered")
		}
		if x.PrintDirect.Text != "In thẳng ra máy in" {
			t.Errorf("button reads %q", x.PrintDirect.Text)
		}
		village := chooseVillage(t, sh, r, 1)
		opened := fakeOpener(t)
		test.Tap(x.PrintDirect)
		sh.wait()
		b, err := os.ReadFile(args)
		if err != nil {
			t.Fatalf("lp was not run: %v", err)
		}
		file := strings.TrimSpace(string(b))
		if filepath.Base(file) != "tom-tat-"+data.Slug(village)+"-2026-03.pdf" {
			t.Errorf("lp was given %q", file)
		}
		if pdf, err := os.ReadFile(file); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Errorf("lp was not given a PDF: %v", err)
		}
		if msg := topDialogText(sh); !strings.Contains(msg, "Đã gửi bản PDF đến máy in") || !strings.Contains(msg, "request id is Canon_LBP2900-42") {
			t.Errorf("the result of lp should be shown; it reads %q", msg)
		}
		if len(*opened) != 0 {
			t.Error("printing straight to the printer opens no viewer")
		}
	})
	t.Run("lp fails", func(t *testing.T) {
		fakeCUPS(t, true)
		bin := filepath.SplitList(os.Getenv("PATH"))[0]
		if err := os.WriteFile(filepath.Join(bin, "lp"), []byte("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		sh, r, x := reportPage(t)
		chooseVillage(t, sh, r, 1)
		test.Tap(x.PrintDirect)
		sh.wait()
		if msg := topDialogText(sh); !strings.Contains(msg, "chưa in được") || !strings.Contains(msg, "does not exist") {
			t.Errorf("lp's error should be shown; it reads %q", msg)
		}
	})
}

func TestReportFileNames(t *testing.T) {
	for in, want := range map[string]string{"Làng Đăk Ang": "lang-dak-ang", "Thôn Kon Klốc 2": "thon-kon-kloc-2", "  Xã Đăk Long ": "xa-dak-long"} {
		if got := data.Slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range []struct {
		from, to data.Date
		want     string
	}{
		{"2026-03-01", "2026-03-31", "2026-03"},
		{"2026-01-01", "2026-03-31", "2026-Q1"},
		{"2026-07-01", "2026-12-31", "2026-H2"},
		{"2026-01-01", "2026-09-30", "2026-9M"},
		{"2026-01-01", "2026-12-31", "2026"},
		{"2026-01-05", "2026-02-10", "2026-01-05_2026-02-10"},
	} {
		if got := periodSlug(periodOf(c.from, c.to)); got != c.want {
			t.Errorf("%s..%s → %q, want %q", c.from, c.to, got, c.want)
		}
	}
}

func TestReportSaveDialogShows(t *testing.T) {
	sh, r, x := reportPage(t)
	t.Setenv("HOME", t.TempDir())
	chooseVillage(t, sh, r, 1)
	before := len(sh.Win.Canvas().Overlays().List())
	test.Tap(x.SavePDF)
	if len(sh.Win.Canvas().Overlays().List()) != before+1 {
		t.Fatal("Lưu PDF should open the file-save dialog")
	}
	if x.working != nil {
		t.Error("nothing is made before a file is chosen")
	}
}

// TestReportTextWrittenKeptAndPrinted: "Nội dung báo cáo" opens the
// commune report's sections, the results one filled in from the period's
// figures; the text saved is kept for the period and printed before the
// figures.
func TestReportTextWrittenKeptAndPrinted(t *testing.T) {
	sh, _, x := reportPage(t)
	dir, names := fakeSaveDialog(t)
	if x.Text.Disabled() {
		t.Fatal("Nội dung báo cáo is disabled on the commune report")
	}
	test.Tap(x.Text)
	progressSeen(t, sh, x)
	e := x.Narrative
	if e == nil || e.Dialog == nil {
		t.Fatalf("no text dialog; on top: %q", topDialogText(sh))
	}
	if got := e.Entries["ket_qua"].Text; !strings.HasPrefix(got, "Trong kỳ, tiếp nhận ") {
		t.Errorf("the results section starts as %q, want the period's figures", got)
	}
	if e.Entries["tu_tuong"].Text != "" {
		t.Errorf("the thinking section is filled in: %q", e.Entries["tu_tuong"].Text)
	}
	test.Type(e.Entries["tu_tuong"], "Nhân dân đồng tình với chủ trương làm đường liên thôn.")
	test.Tap(e.Save)
	sh.wait()
	q, err := x.request(false)
	if err != nil {
		t.Fatal(err)
	}
	kept := sh.Store().Narrative("commune", q.period.String())
	if kept["tu_tuong"] != "Nhân dân đồng tình với chủ trương làm đường liên thôn." || kept["ket_qua"] == "" {
		t.Errorf("kept %v", kept)
	}
	closeAllDialogs(sh)

	test.Tap(x.SavePDF)
	progressSeen(t, sh, x)
	text := strings.Join(strings.Fields(pdfTextOf(t, filepath.Join(dir, (*names)[0]))), " ")
	a := strings.Index(text, "Nhân dân đồng tình")
	b := strings.Index(text, "I. CÁC CHỈ TIÊU CHỦ YẾU")
	if a < 0 || b < 0 || a > b {
		t.Errorf("the text is not printed before the figures (at %d, figures at %d)", a, b)
	}
}
