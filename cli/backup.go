package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"danvan/data"
)

// This file holds "danvan backup" and "danvan restore": the encrypted
// backups of the store (data.Store.BackupFile, data.RestoreBackup).

// parseWithFile parses args with fs, allowing the one positional argument
// (the file) before, between or after the flags. It returns the
// positional arguments.
func parseWithFile(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// backupMessage is the Vietnamese message for an error of a backup or a
// restore.
func backupMessage(err error) string {
	const untouched = " Kho dữ liệu hiện tại không bị thay đổi."
	switch {
	case errors.Is(err, data.ErrBackupCorrupt):
		return "Tệp sao lưu bị hỏng, bị cắt cụt hoặc đã bị sửa đổi, hoặc không phải tệp sao lưu của Sổ tay Dân vận." + untouched
	case errors.Is(err, data.ErrBackupKey):
		return "Bản sao lưu này được tạo từ một kho không đặt mật khẩu, nên chỉ khôi phục được trên chính máy đó (cần tệp key.json của kho ấy)." + untouched
	case errors.Is(err, data.ErrWrongPassphrase):
		return "Mật khẩu không mở được bản sao lưu này. Hãy nhập mật khẩu của kho dữ liệu vào lúc tạo bản sao lưu (--passphrase hoặc biến môi trường " + EnvPassphrase + ")." + untouched
	case errors.Is(err, data.ErrNewerSchema):
		return "Bản sao lưu được tạo bởi phiên bản mới hơn của ứng dụng. Hãy cập nhật Sổ tay Dân vận rồi khôi phục lại." + untouched
	case errors.Is(err, data.ErrAlreadyOpen):
		return "Ứng dụng đang mở kho dữ liệu này. Hãy đóng ứng dụng rồi chạy lại." + untouched
	}
	return Message(err)
}

// byteSize writes n bytes for people: "12,3 MB".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<9)>>10)
	}
	return fmt.Sprintf("%d byte", n)
}

// communeLabel is "Xã Đăk Long, Tỉnh Quảng Ngãi (mã 23368)", or a note
// when the store has no commune yet.
func communeLabel(code string) string {
	if code == "" {
		return "kho chưa gắn với xã nào"
	}
	if c, ok := data.CommuneByCode(code); ok {
		return c.Label() + " (mã " + code + ")"
	}
	return "xã mã " + code
}

// runBackup runs "danvan backup": an encrypted backup of the whole store
// into one file.
func (e *Env) runBackup(args []string) int {
	f := e.newSubFlags("danvan backup", "danvan backup [--out TỆP] [--store THƯ_MỤC] [--passphrase MẬT_KHẨU]",
		"Sao lưu toàn bộ kho dữ liệu vào một tệp đã mã hóa (mở lại bằng mật khẩu của kho).")
	store, pass := f.store, f.pass
	out := f.fs.String("out", "", "tệp sao lưu cần tạo (mặc định: thư mục backups bên cạnh kho dữ liệu)")
	if code := f.parse(e, args); code >= 0 {
		return code
	}
	dir, err := e.storeDir(*store)
	if err != nil {
		return e.fail(err)
	}
	if !data.StoreExists(dir) {
		fmt.Fprintf(e.Stderr, "Lỗi: chưa có kho dữ liệu ở %s, không có gì để sao lưu. Hãy dùng --store để chọn kho.\n", dir)
		return 1
	}
	path := *out
	now := time.Now()
	if path == "" {
		path = filepath.Join(data.BackupDir(dir), "danvan-"+now.Format("2006-01-02-150405")+"-thu-cong"+data.BackupExt)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return e.fail(fmt.Errorf("tạo thư mục sao lưu: %w", err))
		}
	}
	if _, err := os.Stat(path); err == nil {
		fmt.Fprintf(e.Stderr, "Lỗi: tệp %s đã có. Hãy chọn tên khác (không ghi đè lên bản sao lưu cũ).\n", path)
		return 1
	}
	passphrase := *pass
	if passphrase == "" {
		passphrase = e.getenv(EnvPassphrase)
	}
	s, err := data.Open(dir, data.Options{Passphrase: passphrase})
	if err != nil {
		return e.fail(err)
	}
	ids, err := s.RecordIDs()
	var info data.BackupInfo
	if err == nil {
		info, err = s.BackupFile(path)
	}
	if cerr := s.Close(); err == nil && cerr != nil {
		return e.fail(cerr)
	}
	if err != nil {
		fmt.Fprintln(e.Stderr, "Lỗi: không sao lưu được: "+backupMessage(err))
		return 1
	}
	size := int64(0)
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(e.Stdout, "Đã sao lưu %s bản ghi của %s vào\n  %s (%s).\n", groupThousands(len(ids)), communeLabel(info.Commune), path, byteSize(size))
	if info.Passphrase {
		fmt.Fprintln(e.Stdout, "Tệp đã được mã hóa; để khôi phục cần mật khẩu hiện tại của kho (danvan restore TỆP).")
	} else {
		fmt.Fprintln(e.Stdout, "Kho không đặt mật khẩu: tệp chỉ khôi phục được trên máy này, nơi có tệp key.json của kho.")
	}
	return 0
}

// runRestore runs "danvan restore FILE": it replaces the store with a
// backup, after a backup of the current store.
func (e *Env) runRestore(args []string) int {
	fs := flag.NewFlagSet("danvan restore", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	store := fs.String("store", "", storeFlagHelp)
	pass := fs.String("passphrase", "", "mật khẩu của kho vào lúc tạo bản sao lưu (mặc định: $"+EnvPassphrase+")")
	force := fs.Bool("force", false, "khôi phục cả khi kho hiện tại không mở được (hỏng, hoặc mật khẩu khác) nên không sao lưu được nó trước")
	fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "Cách dùng: danvan restore TỆP [--store THƯ_MỤC] [--passphrase MẬT_KHẨU] [--force]\n\n")
		fmt.Fprintf(e.Stderr, "Thay kho dữ liệu bằng một bản sao lưu. Kho hiện tại được sao lưu trước vào thư mục backups;\n")
		fmt.Fprintf(e.Stderr, "tệp hỏng, bị sửa đổi hoặc sai mật khẩu bị từ chối và kho hiện tại giữ nguyên.\n\nTùy chọn:\n")
		fs.PrintDefaults()
	}
	pos, err := parseWithFile(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if len(pos) != 1 {
		if len(pos) == 0 {
			fmt.Fprintln(e.Stderr, "Thiếu tệp sao lưu: danvan restore TỆP.")
		} else {
			fmt.Fprintf(e.Stderr, "Tham số thừa: %s\n", strings.Join(pos[1:], " "))
		}
		fs.Usage()
		return 2
	}
	file := pos[0]
	dir, err := e.storeDir(*store)
	if err != nil {
		return e.fail(err)
	}
	passphrase := *pass
	if passphrase == "" {
		passphrase = e.getenv(EnvPassphrase)
	}
	info, err := data.VerifyBackup(dir, file, passphrase)
	if err != nil {
		fmt.Fprintln(e.Stderr, "Lỗi: "+backupMessage(err))
		return 1
	}
	fmt.Fprintf(e.Stdout, "Bản sao lưu của %s, tạo lúc %s.\n", communeLabel(info.Commune), info.Created.Local().Format("15:04 ngày 02/01/2006"))

	// A backup of the current store first, so that the restore can be undone.
	if data.StoreExists(dir) {
		s, err := data.Open(dir, data.Options{Passphrase: passphrase})
		switch {
		case err == nil:
			saved, berr := s.BackupBeforeRestore(time.Now())
			cerr := s.Close()
			if berr != nil {
				fmt.Fprintln(e.Stderr, "Lỗi: không sao lưu được kho hiện tại trước khi khôi phục: "+backupMessage(berr))
				return 1
			}
			if cerr != nil {
				return e.fail(cerr)
			}
			fmt.Fprintf(e.Stdout, "Đã sao lưu kho hiện tại vào %s (để quay lại nếu cần).\n", saved)
		case errors.Is(err, data.ErrAlreadyOpen):
			return e.fail(err)
		case !*force:
			fmt.Fprintf(e.Stderr, "Lỗi: không mở được kho hiện tại ở %s để sao lưu nó trước khi khôi phục:\n  %s\n", dir, Message(err))
			fmt.Fprintln(e.Stderr, "Nếu kho đã hỏng (hoặc đổi mật khẩu sau khi tạo bản sao lưu) và bạn chấp nhận thay nó bằng bản sao lưu, hãy chạy lại với --force.")
			return 1
		default:
			fmt.Fprintf(e.Stdout, "Kho hiện tại không mở được (%s); khôi phục mà không sao lưu nó (--force).\n", Message(err))
		}
	}

	if _, err := data.RestoreBackup(dir, file, passphrase); err != nil {
		fmt.Fprintln(e.Stderr, "Lỗi: không khôi phục được: "+backupMessage(err))
		return 1
	}
	s, err := data.Open(dir, data.Options{Passphrase: passphrase})
	if err != nil {
		return e.fail(err)
	}
	ids, err := s.RecordIDs()
	commune := s.Commune()
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.Stdout, "Đã khôi phục %s bản ghi của %s vào %s.\n", groupThousands(len(ids)), communeLabel(commune), dir)
	return 0
}
