package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"danvan/data"
	"danvan/i18n"
	"danvan/report"
)

// This file holds the subcommands that print reports and export lists:
//
//	danvan report village --village ID|TÊN --from 2026-01-01 --to 2026-06-30 --out tomtat.pdf
//	danvan report commune --period 2026-Q2 --format xlsx --out baocao.xlsx
//	danvan export concerns|meetings|visits|households|models --format csv --out y-kien.csv
//
// Run dispatches to them with e.runReport(e.Args[1:]) and
// e.runExport(e.Args[1:]).

// usageError is a bad argument: its message is printed with the usage
// and the command exits with code 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func badArg(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// reportFlags are the flags shared by the report and export commands.
type reportFlags struct {
	fs                       *flag.FlagSet
	store, pass, out, format *string
	from, to, period         *string
	cadre, unit, lang        *string
	sensitive                *bool
}

func (e *Env) newReportFlags(name string) *reportFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	return &reportFlags{
		fs:        fs,
		store:     fs.String("store", "", storeFlagHelp),
		pass:      fs.String("passphrase", "", passFlagHelp),
		out:       fs.String("out", "", "tệp kết quả, ví dụ tomtat.pdf (bắt buộc)"),
		from:      fs.String("from", "", "từ ngày, dạng 2026-01-01 hoặc 01/01/2026"),
		to:        fs.String("to", "", "đến ngày, dạng 2026-06-30 hoặc 30/06/2026"),
		period:    fs.String("period", "", "kỳ báo cáo: 2026-05 (tháng), 2026-Q2 (quý), 2026-H1 (6 tháng), 2026-9M (9 tháng), 2026 (năm)"),
		cadre:     fs.String("cadre", "", "người lập báo cáo (mặc định: tên cán bộ trong Cài đặt)"),
		unit:      fs.String("unit", "", "đơn vị của người lập (mặc định: đơn vị trong Cài đặt)"),
		lang:      fs.String("lang", "vi", "ngôn ngữ của báo cáo: vi hoặc en"),
		sensitive: fs.Bool("sensitive", false, "đưa cả dân tộc, tôn giáo của từng hộ vào (thông tin nhạy cảm; việc này được ghi vào nhật ký)"),
	}
}

// parse parses args; it returns -1 to go on, or the exit code.
func (f *reportFlags) parse(args []string) int {
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	return -1
}

// periodOf reads the period from --period or --from/--to.
func (f *reportFlags) periodOf(required bool) (report.Period, bool, error) {
	switch {
	case *f.period != "" && (*f.from != "" || *f.to != ""):
		return report.Period{}, false, badArg("Chỉ dùng --period hoặc --from/--to, không dùng cả hai.")
	case *f.period != "":
		p, err := report.ParsePeriod(*f.period)
		if err != nil {
			return report.Period{}, false, badArg("%v.", err)
		}
		return p, true, nil
	case *f.from == "" && *f.to == "":
		if required {
			return report.Period{}, false, badArg("Thiếu kỳ báo cáo: dùng --period 2026-Q2 hoặc --from 2026-01-01 --to 2026-06-30.")
		}
		return report.Period{}, false, nil
	case *f.from == "" || *f.to == "":
		return report.Period{}, false, badArg("Cần cả --from và --to.")
	}
	from, err := data.ParseDate(strings.TrimSpace(*f.from))
	if err != nil {
		return report.Period{}, false, badArg("Ngày --from %q không hợp lệ: dùng dạng 2026-01-01 hoặc 01/01/2026.", *f.from)
	}
	to, err := data.ParseDate(strings.TrimSpace(*f.to))
	if err != nil {
		return report.Period{}, false, badArg("Ngày --to %q không hợp lệ: dùng dạng 2026-06-30 hoặc 30/06/2026.", *f.to)
	}
	p, err := report.RangePeriod(from, to)
	if err != nil {
		return report.Period{}, false, badArg("%v.", err)
	}
	return p, true, nil
}

// formatOf returns the output format: --format, or the extension of --out.
func (f *reportFlags) formatOf(allowed ...string) (string, error) {
	if *f.out == "" {
		return "", badArg("Thiếu --out: hãy cho biết tệp kết quả, ví dụ --out baocao.%s.", allowed[0])
	}
	format := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(*f.format), "."))
	if format == "" {
		format = strings.ToLower(strings.TrimPrefix(filepath.Ext(*f.out), "."))
		if !contains(allowed, format) {
			format = allowed[0]
		}
	}
	if !contains(allowed, format) {
		return "", badArg("Định dạng %q không hỗ trợ ở đây: chọn %s.", *f.format, strings.Join(allowed, " hoặc "))
	}
	return format, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// langOf reads --lang.
func (f *reportFlags) langOf() (i18n.Lang, error) {
	switch l := strings.ToLower(strings.TrimSpace(*f.lang)); l {
	case "", "vi":
		return i18n.VI, nil
	case "en":
		return i18n.EN, nil
	default:
		return "", badArg("Ngôn ngữ %q không có: chọn vi hoặc en.", *f.lang)
	}
}

// openExisting opens the store for a report: it must exist already.
func (e *Env) openExisting(f *reportFlags) (*data.Store, error) {
	dir, err := e.storeDir(*f.store)
	if err != nil {
		return nil, err
	}
	if !data.StoreExists(dir) {
		return nil, fmt.Errorf("chưa có kho dữ liệu tại %s; hãy mở ứng dụng hoặc dùng --store để chọn kho", dir)
	}
	pass := *f.pass
	if pass == "" {
		pass = e.getenv(EnvPassphrase)
	}
	s, err := data.Open(dir, data.Options{Passphrase: pass, ReadOnly: false})
	if err != nil {
		return nil, err
	}
	if s.Commune() == "" {
		s.Close()
		return nil, fmt.Errorf("kho dữ liệu tại %s chưa chọn xã, chưa có gì để báo cáo", dir)
	}
	return s, nil
}

// options builds the report options from the flags and the profile.
func (f *reportFlags) options(s *data.Store, lang i18n.Lang) report.Options {
	o := report.Options{Lang: lang, Cadre: strings.TrimSpace(*f.cadre), Unit: strings.TrimSpace(*f.unit), IncludeSensitive: *f.sensitive}
	if p, ok := s.Profile(); ok {
		if o.Cadre == "" {
			o.Cadre = p.Name
		}
		if o.Unit == "" {
			o.Unit = p.Unit
		}
		o.Issuer = p.Issuer
		if s.Actor() == "" {
			s.SetActor(p.Name)
		}
	}
	if o.Cadre != "" && s.Actor() == "" {
		s.SetActor(o.Cadre)
	}
	return o
}

// writeOut writes a file through a temporary one beside it, so that a
// failure never leaves half a report under the chosen name.
func writeOut(path string, write func(w io.Writer) error) (int64, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".danvan-*.tmp")
	if err != nil {
		return 0, fmt.Errorf("không tạo được tệp trong %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return 0, fmt.Errorf("không ghi được %s: %w", path, err)
	}
	st, _ := tmp.Stat()
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("không ghi được %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, fmt.Errorf("không ghi được %s: %w", path, err)
	}
	return st.Size(), nil
}

// reportResult turns a command body's error into the exit code: a
// usageError prints the usage and gives 2, any other error 1.
func (e *Env) reportResult(f *reportFlags, err error) int {
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(e.Stderr, "Lỗi: "+ue.msg)
		fmt.Fprintln(e.Stderr)
		f.fs.Usage()
		return 2
	}
	return e.fail(err)
}

// runReport runs "danvan report village|commune …".
func (e *Env) runReport(args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(e.Stderr, "Cách dùng:\n  danvan report village --village ID|TÊN (--period KỲ | --from NGÀY --to NGÀY) --out TỆP [--format pdf|xlsx]")
		fmt.Fprintln(e.Stderr, "  danvan report commune (--period KỲ | --from NGÀY --to NGÀY) [--compare KỲ|truoc|cung-ky] --out TỆP [--format pdf|xlsx]")
		fmt.Fprintln(e.Stderr, "  danvan report minutes --meeting ID|latest --out TỆP")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			return 0
		}
		fmt.Fprintln(e.Stderr, "\nLỗi: hãy chọn loại báo cáo: village (tóm tắt tình hình thôn) hoặc commune (báo cáo định kỳ của xã).")
		return 2
	}
	switch args[0] {
	case "village", "thon":
		return e.runVillageReport(args[1:])
	case "commune", "xa":
		return e.runCommuneReport(args[1:])
	case "locks", "da-chot":
		return e.runReportLocks(args[1:])
	case "minutes", "bien-ban":
		return e.runMinutes(args[1:])
	}
	fmt.Fprintf(e.Stderr, "Lỗi: loại báo cáo %q không có: chọn village (tóm tắt tình hình thôn) hoặc commune (báo cáo định kỳ của xã).\n", args[0])
	return 2
}

func (e *Env) runVillageReport(args []string) int {
	f := e.newReportFlags("danvan report village")
	village := f.fs.String("village", "", "thôn, làng: mã hoặc tên (không cần dấu), ví dụ \"Làng Đăk Ang\"")
	f.format = f.fs.String("format", "", "pdf hoặc xlsx (mặc định: theo đuôi tệp --out, nếu không thì pdf)")
	f.fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "Cách dùng: danvan report village --village ID|TÊN (--period KỲ | --from NGÀY --to NGÀY) --out TỆP [--format pdf|xlsx]\n\n")
		fmt.Fprintf(e.Stderr, "In báo cáo tóm tắt tình hình một thôn, làng trong một kỳ.\n\nTùy chọn:\n")
		f.fs.PrintDefaults()
	}
	if code := f.parse(args); code >= 0 {
		return code
	}
	return e.reportResult(f, func() error {
		if f.fs.NArg() > 0 {
			return badArg("Tham số thừa: %s", strings.Join(f.fs.Args(), " "))
		}
		if strings.TrimSpace(*village) == "" {
			return badArg("Thiếu --village: hãy cho biết mã hoặc tên thôn, làng.")
		}
		p, _, err := f.periodOf(true)
		if err != nil {
			return err
		}
		format, err := f.formatOf("pdf", "xlsx")
		if err != nil {
			return err
		}
		lang, err := f.langOf()
		if err != nil {
			return err
		}
		s, err := e.openExisting(f)
		if err != nil {
			return err
		}
		defer s.Close()
		id, err := report.FindVillage(s, *village)
		switch {
		case errors.Is(err, report.ErrUnknownVillage):
			return badArg("Không có thôn, làng %q trong xã. Các thôn, làng hiện có: %s.", *village, villageNames(s))
		case errors.Is(err, report.ErrAmbiguousVillage):
			return badArg("Có nhiều thôn, làng tên %q; hãy ghi đủ dấu hoặc dùng mã. Các thôn, làng hiện có: %s.", *village, villageNames(s))
		case err != nil:
			return err
		}
		sum, err := report.NewVillageSummary(s, id, p, f.options(s, lang))
		if err != nil {
			return err
		}
		size, err := writeOut(*f.out, func(w io.Writer) error {
			if format == "xlsx" {
				return sum.WriteXLSX(w)
			}
			return sum.WritePDF(w)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Đã lưu báo cáo tóm tắt %s, %s, vào %s (%s).\n", sum.Village.Name, p.Label(lang), *f.out, kb(size))
		if sum.Sensitive {
			fmt.Fprintln(e.Stdout, "Báo cáo có thông tin nhạy cảm (dân tộc, tôn giáo của từng hộ); việc in đã được ghi vào nhật ký.")
		}
		return nil
	}())
}

// runMinutes prints the biên bản of a hội nghị thôn as a PDF (report
// minutes --meeting ID, or "latest" for the newest one).
func (e *Env) runMinutes(args []string) int {
	f := e.newReportFlags("danvan report minutes")
	meeting := f.fs.String("meeting", "", "mã cuộc hội nghị thôn, hoặc latest: cuộc gần nhất")
	f.fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "Cách dùng: danvan report minutes --meeting ID|latest --out TỆP\n\n")
		fmt.Fprintf(e.Stderr, "In biên bản hội nghị thôn (số hộ dự, đủ điều kiện hay không, kết quả biểu quyết từng nội dung).\n\nTùy chọn:\n")
		f.fs.PrintDefaults()
	}
	if code := f.parse(args); code >= 0 {
		return code
	}
	return e.reportResult(f, func() error {
		if f.fs.NArg() > 0 {
			return badArg("Tham số thừa: %s", strings.Join(f.fs.Args(), " "))
		}
		id := strings.TrimSpace(*meeting)
		if id == "" {
			return badArg("Thiếu --meeting: hãy cho biết mã cuộc hội nghị thôn, hoặc latest.")
		}
		lang, err := f.langOf()
		if err != nil {
			return err
		}
		s, err := e.openExisting(f)
		if err != nil {
			return err
		}
		defer s.Close()
		if id == "latest" {
			id = ""
			for _, r := range s.Find(data.Filter{Kind: data.KindMeeting, Sub: string(data.MeetingAssembly)}, data.ByDateDesc) {
				id = r.ID
				break
			}
			if id == "" {
				return badArg("Xã chưa ghi cuộc hội nghị thôn nào.")
			}
		}
		mn, err := report.NewMinutes(s, id, f.options(s, lang))
		switch {
		case errors.Is(err, data.ErrNotFound):
			return badArg("Không có cuộc gặp, hội nghị mã %q.", id)
		case errors.Is(err, report.ErrNotAssembly):
			return badArg("Cuộc %q không phải hội nghị thôn: chỉ hội nghị thôn có biên bản theo mẫu này.", id)
		case err != nil:
			return err
		}
		size, err := writeOut(*f.out, mn.WritePDF)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Đã lưu biên bản hội nghị %s ngày %s vào %s (%s).\n", mn.Village, mn.Meeting.Date.Display(), *f.out, kb(size))
		return nil
	}())
}

// villageNames lists the commune's villages for an error message.
func villageNames(s *data.Store) string {
	var names []string
	for _, r := range s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
		names = append(names, r.Title)
	}
	if len(names) == 0 {
		return "(chưa có)"
	}
	if len(names) > 15 {
		names = append(names[:15], fmt.Sprintf("… (%d thôn, làng)", len(names)))
	}
	return strings.Join(names, ", ")
}

func (e *Env) runCommuneReport(args []string) int {
	f := e.newReportFlags("danvan report commune")
	compare := f.fs.String("compare", "", "so sánh với một kỳ trước: một kỳ (2026-Q1…), \"truoc\" (kỳ liền trước) hoặc \"cung-ky\" (cùng kỳ năm trước)")
	f.format = f.fs.String("format", "", "pdf hoặc xlsx (mặc định: theo đuôi tệp --out, nếu không thì pdf)")
	lock := f.fs.Bool("lock", false, "chốt số liệu: lưu bản PDF này là bản đã gửi lên trên (số liệu, mã SHA-256, người gửi, thời gian); mỗi kỳ chỉ chốt một lần")
	f.fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "Cách dùng: danvan report commune (--period KỲ | --from NGÀY --to NGÀY) [--compare KỲ] --out TỆP [--format pdf|xlsx] [--lock]\n")
		fmt.Fprintf(e.Stderr, "           danvan report locks (danh sách báo cáo đã chốt số liệu)\n\n")
		fmt.Fprintf(e.Stderr, "Lập báo cáo định kỳ của xã: các chỉ tiêu theo từng thôn, làng và toàn xã.\n\nTùy chọn:\n")
		f.fs.PrintDefaults()
	}
	if code := f.parse(args); code >= 0 {
		return code
	}
	return e.reportResult(f, func() error {
		if f.fs.NArg() > 0 {
			return badArg("Tham số thừa: %s", strings.Join(f.fs.Args(), " "))
		}
		if *f.sensitive {
			return badArg("Báo cáo của xã chỉ có số liệu tổng hợp, không có thông tin nhạy cảm của từng hộ: bỏ --sensitive.")
		}
		p, _, err := f.periodOf(true)
		if err != nil {
			return err
		}
		var prev *report.Period
		switch c := strings.ToLower(strings.TrimSpace(*compare)); c {
		case "":
		case "truoc", "trước", "prev", "previous":
			q := p.Previous()
			prev = &q
		case "cung-ky", "cùng-kỳ", "cungky", "yoy", "last-year":
			q := p.LastYear()
			prev = &q
		default:
			q, err := report.ParsePeriod(c)
			if err != nil {
				return badArg("--compare: %v.", err)
			}
			prev = &q
		}
		format, err := f.formatOf("pdf", "xlsx")
		if err != nil {
			return err
		}
		if *lock && format != "pdf" {
			return badArg("--lock chốt bản PDF đã gửi: dùng --format pdf (tệp .pdf).")
		}
		lang, err := f.langOf()
		if err != nil {
			return err
		}
		s, err := e.openExisting(f)
		if err != nil {
			return err
		}
		defer s.Close()
		c, err := report.NewCommuneReport(s, p, prev, f.options(s, lang))
		if err != nil {
			return err
		}
		if *lock && c.Cadre == "" {
			return badArg("--lock cần tên người gửi: dùng --cadre TÊN hoặc điền tên cán bộ trong Cài đặt.")
		}
		if *lock && c.Locked != nil {
			return fmt.Errorf("kỳ %s đã chốt số liệu ngày %s (%s): %w", p.Label(lang), data.DateOf(c.Locked.At).Display(), c.Locked.By, data.ErrReportLocked)
		}
		var pdf bytes.Buffer
		size, err := writeOut(*f.out, func(w io.Writer) error {
			if format == "xlsx" {
				return c.WriteXLSX(w)
			}
			return c.WritePDF(io.MultiWriter(w, &pdf))
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Đã lưu báo cáo %s của %s (%d thôn, làng) vào %s (%s).\n", p.Label(lang), c.Commune.Name, len(c.Villages), *f.out, kb(size))
		if *lock {
			lk, err := report.LockCommuneReport(s, c, pdf.Bytes(), "")
			if err != nil {
				return err
			}
			fmt.Fprintf(e.Stdout, "Đã chốt số liệu kỳ %s; người gửi: %s; SHA-256 của %s: %s.\n", p.Label(lang), lk.By, *f.out, lk.PDFSHA256)
		}
		return nil
	}())
}

// runReportLocks runs "danvan report locks": the register of reports
// whose figures were locked as sent upward.
func (e *Env) runReportLocks(args []string) int {
	f := e.newReportFlags("danvan report locks")
	f.fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "Cách dùng: danvan report locks [--store THƯ_MỤC]\n\nLiệt kê các báo cáo đã chốt số liệu (đã gửi lên trên).\n\nTùy chọn:\n")
		f.fs.PrintDefaults()
	}
	if code := f.parse(args); code >= 0 {
		return code
	}
	return e.reportResult(f, func() error {
		if f.fs.NArg() > 0 {
			return badArg("Tham số thừa: %s", strings.Join(f.fs.Args(), " "))
		}
		s, err := e.openExisting(f)
		if err != nil {
			return err
		}
		defer s.Close()
		locks, err := s.ReportLocks()
		if err != nil {
			return err
		}
		if len(locks) == 0 {
			fmt.Fprintln(e.Stdout, "Chưa có báo cáo nào được chốt số liệu.")
			return nil
		}
		for _, l := range locks {
			fmt.Fprintf(e.Stdout, "%-9s %-22s chốt %s bởi %s  SHA-256 %s\n", l.Period, l.Label, data.DateOf(l.At).Display(), l.By, l.PDFSHA256)
		}
		return nil
	}())
}

// runExport runs "danvan export LIST --format csv --out FILE".
func (e *Env) runExport(args []string) int {
	f := e.newReportFlags("danvan export")
	village := f.fs.String("village", "", "chỉ xuất một thôn, làng: mã hoặc tên")
	f.format = f.fs.String("format", "csv", "định dạng: csv (UTF-8 có BOM, mở được bằng Excel)")
	f.fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "Cách dùng: danvan export concerns|meetings|visits|households|models --out TỆP [--format csv] [--village ID|TÊN] [--from NGÀY --to NGÀY]\n\n")
		fmt.Fprintf(e.Stderr, "Xuất một danh sách ra tệp CSV: concerns (ý kiến, kiến nghị), meetings (gặp gỡ, hội nghị),\nvisits (đi cơ sở), households (hộ gia đình), models (Dân vận khéo).\n\nTùy chọn:\n")
		f.fs.PrintDefaults()
	}
	// The list comes first; flags may follow it.
	var listArg string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		listArg, args = args[0], args[1:]
	}
	if code := f.parse(args); code >= 0 {
		return code
	}
	return e.reportResult(f, func() error {
		if listArg == "" && f.fs.NArg() > 0 {
			listArg = f.fs.Arg(0)
		} else if f.fs.NArg() > 0 {
			return badArg("Tham số thừa: %s", strings.Join(f.fs.Args(), " "))
		}
		if listArg == "" {
			return badArg("Thiếu tên danh sách: concerns, meetings, visits, households hoặc models.")
		}
		list, err := report.ParseList(listArg)
		if err != nil {
			return badArg("%v.", err)
		}
		if _, err := f.formatOf("csv"); err != nil {
			return err
		}
		p, hasPeriod, err := f.periodOf(false)
		if err != nil {
			return err
		}
		if hasPeriod && list == report.ListHouseholds {
			return badArg("Danh sách hộ gia đình không theo kỳ: bỏ --period, --from, --to.")
		}
		if *f.sensitive && list != report.ListHouseholds {
			return badArg("--sensitive chỉ dùng khi xuất danh sách hộ gia đình (households).")
		}
		lang, err := f.langOf()
		if err != nil {
			return err
		}
		s, err := e.openExisting(f)
		if err != nil {
			return err
		}
		defer s.Close()
		var filter data.Filter
		if hasPeriod {
			filter.From, filter.To = p.From, p.To
		}
		if *village != "" {
			id, err := report.FindVillage(s, *village)
			if err != nil {
				return badArg("Không tìm được thôn, làng %q (%v). Các thôn, làng hiện có: %s.", *village, err, villageNames(s))
			}
			filter.Village = id
		}
		var n int
		size, err := writeOut(*f.out, func(w io.Writer) error {
			var err error
			n, err = report.ExportCSV(w, s, list, filter, f.options(s, lang))
			return err
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Đã xuất %s dòng (%s) vào %s (%s).\n", groupThousands(n), list, *f.out, kb(size))
		if *f.sensitive {
			fmt.Fprintln(e.Stdout, "Tệp có thông tin nhạy cảm (dân tộc, tôn giáo); việc xuất đã được ghi vào nhật ký.")
		}
		return nil
	}())
}
