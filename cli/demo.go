package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"danvan/data"
	"danvan/i18n"
	dsync "danvan/sync"
)

func init() { subcommands["remove-demo"] = (*Env).removeDemo }

// demo runs "danvan demo": it fills the store with made-up records for one
// commune, for training and trying the app. It refuses a store enrolled
// with a sync server, always, and one that already holds records unless
// --force is given (data.CheckDemoTarget). The records carry the demo
// marker (data.IsDemoID): they never reach the province, and
// "danvan remove-demo" removes them.
func (e *Env) demo(args []string) int {
	f := e.newSubFlags("danvan demo", "danvan demo --commune MÃ_XÃ [--scale N] [--force] [--store THƯ_MỤC] [--passphrase MẬT_KHẨU]",
		"Tạo dữ liệu mẫu (không có thật) cho một xã, để tập huấn và dùng thử, trong một kho dữ liệu riêng.")
	fs, store, pass := f.fs, f.store, f.pass
	commune := fs.String("commune", "", "mã xã (5 chữ số), ví dụ 23368 (Xã Đăk Long, Tỉnh Quảng Ngãi)")
	scale := fs.Int("scale", 1, "hệ số quy mô: số liệu mẫu nhân lên N lần")
	force := fs.Bool("force", false, "vẫn thêm dữ liệu mẫu vào kho đã có bản ghi (không bao giờ vào kho đã đăng ký với máy chủ)")
	if code := f.parse(e, args); code >= 0 {
		return code
	}
	if *commune == "" {
		fmt.Fprintln(e.Stderr, "Thiếu --commune: hãy cho biết mã xã, ví dụ --commune 23368.")
		fs.Usage()
		return 2
	}
	c, ok := data.CommuneByCode(*commune)
	if !ok {
		fmt.Fprintf(e.Stderr, "Lỗi: không có mã xã %q trong danh mục đơn vị hành chính 2025.\n", *commune)
		if hits := data.FindCommunes(*commune, 5); len(hits) > 0 {
			fmt.Fprintln(e.Stderr, "Có phải là:")
			for _, h := range hits {
				fmt.Fprintf(e.Stderr, "  %s  %s\n", h.Code, h.Label())
			}
		}
		return 1
	}
	if *scale < 1 {
		fmt.Fprintln(e.Stderr, "Lỗi: --scale phải là số nguyên dương.")
		return 2
	}
	dir, err := e.storeDir(*store)
	if err != nil {
		return e.fail(err)
	}
	passphrase := *pass
	if passphrase == "" {
		passphrase = e.getenv(EnvPassphrase)
	}
	if !data.StoreExists(dir) && passphrase == "" {
		fmt.Fprintf(e.Stdout, "Tạo kho dữ liệu mới không có mật khẩu tại %s\n(chỉ được bảo vệ bằng tệp khóa trên máy này; dùng --passphrase để đặt mật khẩu).\n", dir)
	}

	s, err := data.Open(dir, data.Options{Passphrase: passphrase, Actor: "Dữ liệu mẫu"})
	if err != nil {
		return e.fail(err)
	}
	code := e.runDemo(s, c, *scale, *force)
	if err := s.Close(); err != nil && code == 0 {
		return e.fail(err)
	}
	return code
}

func (e *Env) runDemo(s *data.Store, c data.Commune, scale int, force bool) int {
	if err := data.CheckDemoTarget(s, dsync.IsEnrolled(s), force); err != nil {
		fmt.Fprintln(e.Stderr, e.demoRefusal(s, err))
		return 1
	}
	if cur := s.Commune(); cur != "" && cur != c.Code {
		other := cur
		if oc, ok := data.CommuneByCode(cur); ok {
			other = oc.Label() + " (mã " + cur + ")"
		}
		fmt.Fprintf(e.Stderr, "Lỗi: kho dữ liệu %s đã gắn với %s; mỗi kho chỉ dành cho một xã. Hãy dùng --store để chọn kho khác.\n", s.Dir(), other)
		return 1
	}
	if err := s.SetCommune(c.Code); err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.Stdout, "Đang tạo dữ liệu mẫu cho %s (mã %s), quy mô %d, vào %s\n", c.Label(), c.Code, scale, s.Dir())
	start := time.Now()
	lastPct := -1
	progress := func(done, total int) {
		if total <= 0 {
			return
		}
		pct := done * 100 / total
		if pct == lastPct {
			return
		}
		lastPct = pct
		fmt.Fprintf(e.Stdout, "\r  %3d%%  (%d/%d bản ghi)", pct, done, total)
	}
	sum, err := generate(s, data.DemoOptions{Scale: scale, Progress: progress})
	if lastPct >= 0 {
		fmt.Fprintln(e.Stdout)
	}
	if err != nil {
		return e.fail(fmt.Errorf("tạo dữ liệu mẫu: %w", err))
	}
	if err := setDemoProfile(s, c); err != nil {
		return e.fail(fmt.Errorf("đặt hồ sơ cán bộ mẫu: %w", err))
	}
	fmt.Fprintf(e.Stdout, "Xong sau %s. Đã tạo:\n", time.Since(start).Round(100*time.Millisecond))
	rows := []struct {
		label string
		n     int
	}{
		{"Thôn, làng", sum.Villages},
		{"Hộ gia đình", sum.Households},
		{"Người có uy tín, cốt cán", sum.Persons},
		{"Ý kiến, kiến nghị", sum.Concerns},
		{"Gặp gỡ, hội nghị", sum.Meetings},
		{"Chuyến đi cơ sở", sum.Visits},
		{"Mô hình dân vận khéo", sum.Models},
	}
	for _, r := range rows {
		fmt.Fprintf(e.Stdout, "  %-26s %8s\n", r.label, groupThousands(r.n))
	}
	return 0
}

// demoCadre and demoSigner are the demo store's cadre and the head of
// the unit who signs its reports.
const (
	demoCadre  = "Nguyễn Văn An"
	demoSigner = "Trần Văn Hùng"
)

// setDemoProfile gives a store without a cadre profile the demo one: a
// cadre of the commune Party committee's Ban Xây dựng Đảng, so that a
// report printed from the demo has the Party form (issue 16). A profile
// already set is the user's and is kept.
func setDemoProfile(s *data.Store, c data.Commune) error {
	if _, ok := s.Profile(); ok {
		return nil
	}
	unit, is := data.SuggestUnit(data.UnitParty, c.Name)
	is.Signer = demoSigner
	return s.SetProfile(data.Profile{Name: demoCadre, Unit: unit, Lang: "vi", Issuer: is})
}

// generate calls data.GenerateDemo, turning a panic into an error so the
// user gets a message rather than a stack trace.
func generate(s *data.Store, o data.DemoOptions) (sum data.DemoSummary, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("lỗi nội bộ của bộ sinh dữ liệu mẫu (xin báo lại cho nhóm phát triển): %v", r)
		}
	}()
	return data.GenerateDemo(s, o)
}

// groupThousands writes n with dots between thousands: 12345 → "12.345".
func groupThousands(n int) string {
	s := itoa(n)
	if n < 0 {
		return "-" + groupThousands(-n)
	}
	var b strings.Builder
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// cliText is the catalogue the command line speaks: Vietnamese.
var cliText = i18n.New(i18n.VI)

// demoRefusal is the message for a refusal of data.CheckDemoTarget.
func (e *Env) demoRefusal(s *data.Store, err error) string {
	demo, other := s.DemoCount()
	switch {
	case errors.Is(err, data.ErrDemoEnrolled):
		return cliText.T("demo.err.enrolled", "Dir", s.Dir())
	case errors.Is(err, data.ErrDemoNotEmpty):
		return cliText.T("demo.err.not_empty", "Dir", s.Dir(), "Count", groupThousands(demo+other), "Demo", groupThousands(demo))
	}
	return "Lỗi: " + Message(err)
}

// removeDemo runs "danvan remove-demo" (Xóa dữ liệu mẫu): it removes
// every demo record of the store for good (data.Store.RemoveDemo), and
// nothing else. Without --yes it only says what it would remove.
func (e *Env) removeDemo(args []string) int {
	f := e.newSubFlags("danvan remove-demo", "danvan remove-demo [--yes] [--store THƯ_MỤC] [--passphrase MẬT_KHẨU]",
		"Xóa dữ liệu mẫu: xóa hẳn mọi bản ghi mẫu do lệnh danvan demo tạo ra; các bản ghi khác được giữ nguyên.")
	yes := f.fs.Bool("yes", false, "xác nhận xóa (không có: chỉ cho biết sẽ xóa bao nhiêu bản ghi)")
	if code := f.parse(e, args); code >= 0 {
		return code
	}
	dir, err := e.storeDir(*f.store)
	if err != nil {
		return e.fail(err)
	}
	if !data.StoreExists(dir) {
		fmt.Fprintln(e.Stderr, cliText.T("demo.err.no_store", "Dir", dir))
		return 1
	}
	pass := *f.pass
	if pass == "" {
		pass = e.getenv(EnvPassphrase)
	}
	s, err := data.Open(dir, data.Options{Passphrase: pass})
	if err != nil {
		return e.fail(err)
	}
	defer s.Close()
	demo, other := s.DemoCount()
	switch {
	case demo == 0:
		fmt.Fprintln(e.Stdout, cliText.T("demo.remove.none", "Dir", dir))
		return 0
	case !*yes:
		fmt.Fprintln(e.Stderr, cliText.T("demo.remove.ask", "Dir", dir, "Count", groupThousands(demo), "Other", groupThousands(other)))
		if n := s.DemoReferenced(); n > 0 {
			fmt.Fprintln(e.Stderr, cliText.T("demo.referenced", "Count", groupThousands(n)))
		}
		return 1
	}
	n, err := s.RemoveDemo()
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprintln(e.Stdout, cliText.T("demo.remove.done", "Count", groupThousands(n), "Other", groupThousands(other)))
	return 0
}
