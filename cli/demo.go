package cli

import (
	"fmt"
	"strings"
	"time"

	"danvan/data"
)

// demo runs "danvan demo": it fills the store with made-up records for one
// commune, for training and trying the app.
func (e *Env) demo(args []string) int {
	f := e.newSubFlags("danvan demo", "danvan demo --commune MÃ_XÃ [--scale N] [--store THƯ_MỤC] [--passphrase MẬT_KHẨU]",
		"Tạo dữ liệu mẫu (không có thật) cho một xã, để tập huấn và dùng thử.")
	fs, store, pass := f.fs, f.store, f.pass
	commune := fs.String("commune", "", "mã xã (5 chữ số), ví dụ 23368 (Xã Đăk Long, Tỉnh Quảng Ngãi)")
	scale := fs.Int("scale", 1, "hệ số quy mô: số liệu mẫu nhân lên N lần")
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
	code := e.runDemo(s, c, *scale)
	if err := s.Close(); err != nil && code == 0 {
		return e.fail(err)
	}
	return code
}

func (e *Env) runDemo(s *data.Store, c data.Commune, scale int) int {
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
