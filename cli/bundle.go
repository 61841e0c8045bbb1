package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"danvan/data"
	dsync "danvan/sync"
)

// This file holds the USB transfer for villages without any signal:
//
//	danvan bundle export --out E:\dongbo.dvb   (on the laptop without signal)
//	danvan bundle forward E:\dongbo.dvb        (on a laptop of the commune with signal)
//	danvan bundle import E:\dongbo-phanhoi.dvb (back on the first laptop)
//
// The server side is "danvan-server bundle import FILE".

const bundleUsage = `Cách dùng:
  danvan bundle export --out TỆP [--store THƯ_MỤC] [--passphrase MẬT_KHẨU]
        ghi mọi thay đổi chưa gửi lên máy chủ vào TỆP (đã mã hóa), để chép sang USB
  danvan bundle import TỆP [--store THƯ_MỤC] [--passphrase MẬT_KHẨU]
        nhập tệp phản hồi của máy chủ: xác nhận các thay đổi đã gửi, nhận dữ liệu mới
  danvan bundle forward TỆP [--out TỆP_PHẢN_HỒI] [--store THƯ_MỤC] [--passphrase MẬT_KHẨU]
        gửi hộ tệp của một máy khác cùng xã lên máy chủ (máy này cần có mạng),
        rồi ghi tệp phản hồi để mang về máy đó

Tệp đồng bộ chỉ máy đã xuất nó và máy chủ đọc được; tệp bị hỏng, bị sửa
hoặc của máy/xã khác sẽ bị từ chối mà không thay đổi gì.
`

// runBundle runs "danvan bundle export|import|forward".
func (e *Env) runBundle(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.Stderr, bundleUsage)
		return 2
	}
	switch args[0] {
	case "export":
		return e.bundleExport(args[1:])
	case "import":
		return e.bundleImport(args[1:])
	case "forward":
		return e.bundleForward(args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(e.Stdout, bundleUsage)
		return 0
	}
	fmt.Fprintf(e.Stderr, "Lệnh không hợp lệ: bundle %q\n\n%s", args[0], bundleUsage)
	return 2
}

// bundleFlags are the flags every bundle subcommand takes.
type bundleFlags struct {
	fs          *flag.FlagSet
	store, pass *string
}

func (e *Env) newBundleFlags(name string) bundleFlags {
	fs := flag.NewFlagSet("danvan bundle "+name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		fmt.Fprint(e.Stderr, bundleUsage+"\nTùy chọn:\n")
		fs.PrintDefaults()
	}
	return bundleFlags{fs: fs,
		store: fs.String("store", "", storeFlagHelp),
		pass:  fs.String("passphrase", "", passFlagHelp)}
}

// parseInterleaved parses flags that may come before or after the
// positional arguments; it returns the positional arguments and the
// exit code (-1 to go on).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, int) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0
			}
			return nil, 2
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, -1
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// openEnrolled opens the store of a bundle command; it must exist.
func (e *Env) openEnrolled(store, pass string) (*data.Store, error) {
	dir, err := e.storeDir(store)
	if err != nil {
		return nil, err
	}
	if !data.StoreExists(dir) {
		return nil, fmt.Errorf("không có kho dữ liệu tại %s; hãy chỉ định --store", dir)
	}
	if pass == "" {
		pass = e.getenv(EnvPassphrase)
	}
	return data.Open(dir, data.Options{Passphrase: pass})
}

func (e *Env) bundleExport(args []string) int {
	f := e.newBundleFlags("export")
	out := f.fs.String("out", "", "tệp sẽ ghi, ví dụ E:\\dongbo"+dsync.BundleExt+" (bắt buộc)")
	pos, rc := parseInterleaved(f.fs, args)
	if rc >= 0 {
		return rc
	}
	if *out == "" || len(pos) > 0 {
		fmt.Fprintln(e.Stderr, "Cần --out TỆP.")
		f.fs.Usage()
		return 2
	}
	s, err := e.openEnrolled(*f.store, *f.pass)
	if err != nil {
		return e.fail(err)
	}
	defer s.Close()
	h, err := dsync.ExportBundleFile(s, *out)
	if err != nil {
		return e.bundleFail(err)
	}
	fmt.Fprintf(e.Stdout, "Đã ghi %d bản ghi thay đổi (%d mục chờ gửi", h.Records, h.Entries)
	if h.Entries > 0 {
		fmt.Fprintf(e.Stdout, ", số thứ tự %d–%d", h.OutboxFirst, h.OutboxLast)
	}
	fmt.Fprintf(e.Stdout, ") vào %s.\n", *out)
	fmt.Fprintf(e.Stdout, "Mang tệp đến nơi có mạng: nhập trên máy chủ (danvan-server bundle import TỆP)\n"+
		"hoặc gửi hộ từ một máy khác của xã (danvan bundle forward TỆP), rồi mang tệp phản hồi về\n"+
		"và nhập trên máy này (danvan bundle import TỆP_PHẢN_HỒI).\n")
	return 0
}

func (e *Env) bundleImport(args []string) int {
	f := e.newBundleFlags("import")
	pos, rc := parseInterleaved(f.fs, args)
	if rc >= 0 {
		return rc
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.Stderr, "Cần đúng một tệp phản hồi.")
		f.fs.Usage()
		return 2
	}
	s, err := e.openEnrolled(*f.store, *f.pass)
	if err != nil {
		return e.fail(err)
	}
	defer s.Close()
	res, err := dsync.ImportReplyFile(s, pos[0])
	if err != nil {
		return e.bundleFail(err)
	}
	if res.AlreadyImported {
		fmt.Fprintln(e.Stdout, "Tệp phản hồi này đã được nhập trước đây; dữ liệu không thay đổi.")
	}
	fmt.Fprintf(e.Stdout, "Máy chủ đã nhận %d bản ghi (%d mục được xác nhận); đã nhận về %d bản ghi.\n", res.Pushed, res.Acked, res.Pulled)
	for _, q := range res.Quarantined {
		fmt.Fprintf(e.Stdout, "  bị giữ lại: %s %s — %s (%s)\n", q.Kind, q.ID, q.Reason, q.Code)
	}
	if res.Trashed > 0 {
		fmt.Fprintf(e.Stdout, "%d bản ghi đã bị xóa hẳn trên máy chủ được chuyển vào thùng rác của máy này.\n", res.Trashed)
	}
	if res.Requeued > 0 {
		fmt.Fprintf(e.Stdout, "Máy chủ đã mất một phần dữ liệu: %d bản ghi sẽ được gửi lại trong tệp xuất sau.\n", res.Requeued)
	}
	if !res.CursorMoved && !res.AlreadyImported && res.Reply.Resync == "" {
		fmt.Fprintln(e.Stdout, "Tệp này cũ hơn dữ liệu máy đã có; các bản ghi trong đó đã được gộp.")
	}
	if n := s.Pending(); n > 0 {
		fmt.Fprintf(e.Stdout, "Còn %d thay đổi chờ gửi.\n", n)
	}
	return 0
}

func (e *Env) bundleForward(args []string) int {
	f := e.newBundleFlags("forward")
	out := f.fs.String("out", "", "tệp phản hồi sẽ ghi (mặc định: TỆP-phanhoi"+dsync.BundleExt+" bên cạnh TỆP)")
	pos, rc := parseInterleaved(f.fs, args)
	if rc >= 0 {
		return rc
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.Stderr, "Cần đúng một tệp đồng bộ để gửi hộ.")
		f.fs.Usage()
		return 2
	}
	if *out == "" {
		*out = dsync.ReplyPath(pos[0])
	}
	raw, err := dsync.ReadBundleFile(pos[0])
	if err != nil {
		return e.bundleFail(err)
	}
	s, err := e.openEnrolled(*f.store, *f.pass)
	if err != nil {
		return e.fail(err)
	}
	defer s.Close()
	ctx, cancel := interruptible()
	defer cancel()
	ctx, cancel2 := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel2()
	reply, rh, err := dsync.ForwardBundle(ctx, s, raw)
	if err != nil {
		return e.bundleFail(err)
	}
	if err := dsync.WriteBundleFile(*out, reply); err != nil {
		return e.bundleFail(err)
	}
	fmt.Fprintf(e.Stdout, "Đã gửi hộ tệp của máy %s: máy chủ lưu %d bản ghi", rh.Device, rh.Stored)
	if rh.Refused > 0 {
		fmt.Fprintf(e.Stdout, ", từ chối %d", rh.Refused)
	}
	fmt.Fprintf(e.Stdout, ".\nTệp phản hồi (%d bản ghi mới cho máy đó) đã ghi vào %s.\n", rh.Records, *out)
	fmt.Fprintln(e.Stdout, "Hãy mang tệp phản hồi về máy đã xuất tệp và nhập nó (danvan bundle import TỆP).")
	return 0
}

// bundleFail prints the Vietnamese message of a bundle error and returns 1.
func (e *Env) bundleFail(err error) int {
	fmt.Fprintln(e.Stderr, "Lỗi: "+BundleMessage(err))
	return 1
}

// communeText names a commune by its code: "Xã Đăk Long, … (mã 23368)".
func communeText(code string) string {
	if c, ok := data.CommuneByCode(code); ok {
		return c.Label() + " (mã " + code + ")"
	}
	return "mã " + code
}

// BundleMessage is the Vietnamese message for an error of a bundle
// command; every refusal of a file says that nothing was changed.
func BundleMessage(err error) string {
	const unchanged = " Dữ liệu không thay đổi."
	var fe *dsync.ForeignBundleError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "Không tìm thấy tệp: " + err.Error()
	case errors.Is(err, dsync.ErrBundleCorrupt):
		return "Tệp đồng bộ bị hỏng, bị cắt ngắn hoặc đã bị sửa đổi nên không được nhập." + unchanged +
			" Hãy chép lại tệp, hoặc xuất lại trên máy gốc. (" + err.Error() + ")"
	case errors.Is(err, dsync.ErrBundleNotReply):
		return "Đây là tệp xuất từ một máy, chưa qua máy chủ." + unchanged +
			" Hãy nhập nó trên máy chủ (danvan-server bundle import) hoặc gửi hộ: danvan bundle forward TỆP."
	case errors.Is(err, dsync.ErrBundleNotExport):
		return "Đây là tệp phản hồi của máy chủ." + unchanged + " Hãy nhập nó trên máy đã xuất tệp: danvan bundle import TỆP."
	case errors.As(err, &fe):
		switch fe.Field {
		case "device":
			return "Tệp này dành cho một máy khác, không phải máy này." + unchanged + " Hãy nhập nó trên đúng máy đã xuất tệp."
		case "commune":
			return "Tệp này thuộc " + communeText(fe.Bundle) + ", không phải xã của máy này (" + communeText(fe.Here) + ")." + unchanged
		case "server":
			return "Tệp này thuộc một máy chủ khác với máy chủ mà máy này đã đăng ký." + unchanged
		case "forwarder":
			return "Chỉ máy của cùng xã mới được gửi hộ tệp này: tệp thuộc " + communeText(fe.Bundle) +
				", máy này thuộc " + communeText(fe.Here) + "." + unchanged
		}
		return "Máy chủ từ chối tệp này: " + strings.TrimSuffix(fe.Detail, ".") + "." + unchanged
	}
	return SyncMessage(err)
}
