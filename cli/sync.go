package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"danvan/data"
	dsync "danvan/sync"
)

// This file holds the subcommands that talk to the provincial server:
//
//	danvan enroll --server URL --code MÃ   (once per laptop)
//	danvan sync --once                     (one sync, for scripts and tests)
//
// Run dispatches to them with e.runEnroll(e.Args[1:]) and
// e.runSync(e.Args[1:]).

// openForSync opens the store for a sync command.
func (e *Env) openForSync(store, pass string) (*data.Store, error) {
	dir, err := e.storeDir(store)
	if err != nil {
		return nil, err
	}
	if pass == "" {
		pass = e.getenv(EnvPassphrase)
	}
	if !data.StoreExists(dir) && pass == "" {
		fmt.Fprintf(e.Stdout, "Tạo kho dữ liệu mới không có mật khẩu tại %s\n", dir)
	}
	return data.Open(dir, data.Options{Passphrase: pass})
}

func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

// runEnroll runs "danvan enroll --server URL --code MÃ": it exchanges the
// one-time code from the province for this laptop's device token.
func (e *Env) runEnroll(args []string) int {
	f := e.newSubFlags("danvan enroll", "danvan enroll --server ĐỊA_CHỈ --code MÃ [--store THƯ_MỤC] [--passphrase MẬT_KHẨU]",
		"Đăng ký máy này với máy chủ đồng bộ của tỉnh bằng mã dùng một lần.")
	store, pass := f.store, f.pass
	server := f.fs.String("server", "", "địa chỉ máy chủ đồng bộ của tỉnh, ví dụ https://dongbo.quangngai.gov.vn:8443")
	code := f.fs.String("code", "", "mã đăng ký dùng một lần do tỉnh cấp (hiệu lực 72 giờ)")
	if rc := f.parse(e, args); rc >= 0 {
		return rc
	}
	if *server == "" || *code == "" {
		fmt.Fprintln(e.Stderr, "Cần cả --server và --code.")
		f.fs.Usage()
		return 2
	}
	s, err := e.openForSync(*store, *pass)
	if err != nil {
		return e.fail(err)
	}
	defer s.Close()
	ctx, cancel := interruptible()
	defer cancel()
	ctx, cancel2 := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel2()
	res, err := dsync.Enroll(ctx, s, *server, *code)
	if err != nil {
		fmt.Fprintln(e.Stderr, "Lỗi: "+SyncMessage(err))
		return 1
	}
	label := res.Commune
	if c, ok := data.CommuneByCode(res.Commune); ok {
		label = c.Label() + " (mã " + res.Commune + ")"
	}
	fmt.Fprintf(e.Stdout, "Đã đăng ký với %s cho %s", res.Server, label)
	if res.Label != "" {
		fmt.Fprintf(e.Stdout, ", %s", res.Label)
	}
	fmt.Fprintf(e.Stdout, ".\nMã thiết bị: %s\n", res.DeviceID)
	return 0
}

// runSync runs "danvan sync --once": one sync with the enrolled server,
// by the same code as the app's background worker.
func (e *Env) runSync(args []string) int {
	f := e.newSubFlags("danvan sync", "danvan sync --once [--store THƯ_MỤC] [--passphrase MẬT_KHẨU]",
		"Gửi các thay đổi lên máy chủ của tỉnh và nhận các thay đổi mới, một lần.")
	store, pass := f.store, f.pass
	once := f.fs.Bool("once", false, "đồng bộ một lần rồi thoát")
	retryFor := f.fs.Duration("retry-for", 2*time.Minute, "khi mất kết nối, thử lại (chờ tăng dần) trong khoảng thời gian này; 0: không thử lại")
	if rc := f.parse(e, args); rc >= 0 {
		return rc
	}
	if !*once {
		fmt.Fprintln(e.Stderr, "Dòng lệnh chỉ đồng bộ một lần: hãy thêm --once (ứng dụng tự đồng bộ khi đang mở).")
		f.fs.Usage()
		return 2
	}
	s, err := e.openForSync(*store, *pass)
	if err != nil {
		return e.fail(err)
	}
	defer s.Close()
	ctx, cancel := interruptible()
	defer cancel()
	last := time.Time{}
	progress := func(p dsync.Progress) {
		// a line every 5 s at most, for a person watching a slow link
		if p.Total == 0 || (time.Since(last) < 5*time.Second && p.Done < p.Total) {
			return
		}
		last = time.Now()
		verb := "Đang gửi"
		if p.Phase == "pull" {
			verb = "Đang nhận"
		}
		line := fmt.Sprintf("%s %d/%d bản ghi", verb, p.Done, p.Total)
		if p.Left > 0 {
			line += fmt.Sprintf(", còn khoảng %s", p.Left.Round(time.Second))
		}
		fmt.Fprintln(e.Stdout, line)
	}
	rep, attempts, err := dsync.RunRetrying(ctx, s, *retryFor, progress)
	fmt.Fprintf(e.Stdout, "Đã gửi %d, đã nhận %d, bị giữ lại %d bản ghi (gửi %s, nhận %s, %s).\n",
		rep.Pushed, rep.Pulled, len(rep.Quarantined), kb(rep.Sent), kb(rep.Received), rep.Duration.Round(time.Millisecond))
	if rep.Resync != "" {
		fmt.Fprintln(e.Stdout, "Đã tải lại toàn bộ dữ liệu từ máy chủ.")
	}
	for _, q := range rep.Quarantined {
		fmt.Fprintf(e.Stdout, "  bị giữ lại: %s %s — %s (%s)\n", q.Kind, q.ID, q.Reason, q.Code)
	}
	if n := s.Pending(); n > 0 {
		fmt.Fprintf(e.Stdout, "Còn %d thay đổi chờ gửi.\n", n)
	}
	if err != nil {
		msg := "Lỗi: " + SyncMessage(err)
		if attempts > 1 {
			msg += fmt.Sprintf(" (đã thử %d lần trong %s)", attempts, retryFor.String())
		}
		fmt.Fprintln(e.Stderr, msg)
		return 1
	}
	if attempts > 1 {
		fmt.Fprintf(e.Stdout, "Xong sau %d lần thử (kết nối bị ngắt giữa chừng).\n", attempts)
	}
	return 0
}

func kb(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.1f KB", float64(n)/1024)
}

// SyncMessage is the Vietnamese message for an error of enrolment or sync.
func SyncMessage(err error) string {
	var se *dsync.StatusError
	var ne *dsync.NetError
	switch {
	case errors.Is(err, dsync.ErrNotEnrolled):
		return "Máy này chưa đăng ký với máy chủ của tỉnh. Hãy chạy: danvan enroll --server ĐỊA_CHỈ --code MÃ."
	case errors.Is(err, dsync.ErrNeedsEnrolment):
		return "Máy chủ không chấp nhận máy này nữa (đã bị thu hồi). Hãy xin mã mới và đăng ký lại; dữ liệu trên máy vẫn còn nguyên."
	case errors.Is(err, dsync.ErrUpdateApp):
		return "Máy chủ đã dùng phiên bản đồng bộ mới hơn: hãy cập nhật ứng dụng Sổ tay Dân vận. Dữ liệu trên máy vẫn còn nguyên."
	case errors.Is(err, dsync.ErrServerOld):
		return "Máy chủ còn dùng phiên bản đồng bộ cũ hơn ứng dụng này: hãy báo quản trị viên cập nhật máy chủ. Dữ liệu trên máy vẫn còn nguyên."
	case errors.As(err, &se):
		switch se.Body.Code {
		case dsync.CodeCodeUsed:
			return "Mã đăng ký này đã được dùng. Hãy xin tỉnh một mã mới."
		case dsync.CodeCodeExpired:
			return "Mã đăng ký đã hết hạn (72 giờ). Hãy xin tỉnh một mã mới."
		case dsync.CodeCodeUnknown:
			return "Mã đăng ký không đúng. Hãy kiểm tra lại từng ký tự."
		case dsync.CodeCommuneMismatch:
			return "Mã đăng ký dành cho một xã khác với xã của kho dữ liệu này."
		}
		return "Máy chủ báo lỗi: " + se.Error()
	case errors.As(err, &ne) && ne.Offline:
		return "Không kết nối được máy chủ (mất sóng hoặc sai địa chỉ). Dữ liệu vẫn được giữ trên máy; hãy thử lại khi có mạng."
	case errors.As(err, &ne):
		return "Đường truyền bị gián đoạn giữa chừng; phần đã gửi được giữ nguyên, hãy thử lại. (" + ne.Error() + ")"
	}
	return Message(err)
}
