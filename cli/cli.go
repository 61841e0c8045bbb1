// Package cli runs the command line of Sổ tay Dân vận: flags, the demo
// subcommand and --version. It never imports Fyne: main passes the function
// that opens the window.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"

	"github.com/BurntSushi/toml"

	"danvan/data"
)

// Environment variables read by the command line.
const (
	EnvStore      = "DANVAN_STORE"      // store directory
	EnvPassphrase = "DANVAN_PASSPHRASE" // passphrase for CLI commands
)

// AppInfo is the application's metadata from FyneApp.toml.
type AppInfo struct {
	Details struct {
		Icon    string
		Name    string
		ID      string
		Version string
		Build   int
	}
	Migrations map[string]bool
}

// ParseAppInfo reads FyneApp.toml.
func ParseAppInfo(b []byte) (AppInfo, error) {
	var info AppInfo
	if err := toml.Unmarshal(b, &info); err != nil {
		return info, fmt.Errorf("parse FyneApp.toml: %w", err)
	}
	if info.Details.ID == "" || info.Details.Version == "" {
		return info, errors.New("parse FyneApp.toml: [Details] needs ID and Version")
	}
	return info, nil
}

// GUIFunc opens the window on the store in dir and returns when the user quits.
type GUIFunc func(storeDir string) error

// Env is what a command runs with.
type Env struct {
	Args           []string // arguments after the program name
	Stdout, Stderr io.Writer
	Getenv         func(string) string // nil means os.Getenv
	Info           AppInfo
	GUI            GUIFunc
}

func (e *Env) getenv(k string) string {
	if e.Getenv == nil {
		return os.Getenv(k)
	}
	return e.Getenv(k)
}

// subcommands maps each subcommand to the method that runs it.
var subcommands = map[string]func(e *Env, args []string) int{
	"demo":     (*Env).demo,
	"backup":   (*Env).runBackup,
	"restore":  (*Env).runRestore,
	"licences": func(e *Env, _ []string) int { return e.runLicences() },
	"licenses": func(e *Env, _ []string) int { return e.runLicences() },
	"report":   (*Env).runReport,
	"export":   (*Env).runExport,
	"enroll":   (*Env).runEnroll,
	"sync":     (*Env).runSync,
	"bundle":   (*Env).runBundle,
}

// Run runs the command in e.Args and returns the process exit code: 0 on
// success, 1 on failure (with a Vietnamese message on stderr), 2 on bad usage.
func Run(e Env) int {
	e.attachConsole()
	if len(e.Args) > 0 {
		if cmd, ok := subcommands[e.Args[0]]; ok {
			return cmd(&e, e.Args[1:])
		}
	}
	fs := flag.NewFlagSet("danvan", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	store := fs.String("store", "", storeFlagHelp)
	version := fs.Bool("version", false, "in phiên bản rồi thoát")
	fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "%s: sổ tay công tác dân vận ở cơ sở.\n\n", e.Info.Details.Name)
		fmt.Fprintf(e.Stderr, "Cách dùng:\n  danvan [--store THƯ_MỤC]          mở ứng dụng\n")
		fmt.Fprintf(e.Stderr, "  danvan demo --commune MÃ_XÃ [--scale N] [--force] [--store THƯ_MỤC] [--passphrase MẬT_KHẨU]\n")
		fmt.Fprintf(e.Stderr, "                                    tạo dữ liệu mẫu cho một xã (vào một kho riêng)\n")
		fmt.Fprintf(e.Stderr, "  danvan remove-demo [--yes]        xóa dữ liệu mẫu\n")
		fmt.Fprintf(e.Stderr, "  danvan backup [--out TỆP]         sao lưu kho dữ liệu (đã mã hóa)\n")
		fmt.Fprintf(e.Stderr, "  danvan restore TỆP                khôi phục kho dữ liệu từ bản sao lưu\n")
		fmt.Fprintf(e.Stderr, "  danvan report village --village ID|TÊN --from 2026-01-01 --to 2026-06-30 --out tomtat.pdf\n")
		fmt.Fprintf(e.Stderr, "  danvan report commune --period 2026-Q2 --format xlsx --out baocao.xlsx\n")
		fmt.Fprintf(e.Stderr, "  danvan export concerns|meetings|visits|households|models --format csv --out TỆP\n")
		fmt.Fprintf(e.Stderr, "  danvan import households TỆP.xlsx|TỆP.csv [--yes]   nhập danh sách hộ gia đình (xem trước, chỉ lưu khi có --yes)\n")
		fmt.Fprintf(e.Stderr, "  danvan enroll --server URL --code MÃ   đăng ký máy với máy chủ tỉnh\n")
		fmt.Fprintf(e.Stderr, "  danvan sync --once                đồng bộ một lần\n")
		fmt.Fprintf(e.Stderr, "  danvan bundle export --out TỆP | import TỆP | forward TỆP\n")
		fmt.Fprintf(e.Stderr, "                                    đồng bộ qua USB cho nơi không có sóng\n")
		fmt.Fprintf(e.Stderr, "  danvan --version                  in phiên bản\n\nTùy chọn:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(e.Args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.Stderr, "Lệnh không hợp lệ: %q\n\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *version {
		e.printVersion()
		return 0
	}
	dir, err := e.storeDir(*store)
	if err != nil {
		return e.fail(err)
	}
	if e.GUI == nil {
		return e.fail(errors.New("bản dựng này không có giao diện"))
	}
	if err := e.GUI(dir); err != nil {
		return e.fail(err)
	}
	return 0
}

// storeDir resolves the store directory: the flag, then $DANVAN_STORE,
// then the user's configuration directory.
func (e *Env) storeDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if v := e.getenv(EnvStore); v != "" {
		return v, nil
	}
	return DefaultStoreDir()
}

// DefaultStoreDir is danvan/store in the user's configuration directory
// (~/.config on Linux, %AppData% on Windows, ~/Library/Application Support
// on macOS).
func DefaultStoreDir() (string, error) {
	cfg, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("không tìm thấy thư mục cấu hình của người dùng (%v); hãy chỉ định --store hoặc biến môi trường %s", err, EnvStore)
	}
	return filepath.Join(cfg, "danvan", "store"), nil
}

func (e *Env) printVersion() {
	fmt.Fprint(e.Stdout, Version(e.Info).String())
}

// fyneVersion is the version of Fyne linked into this binary.
func fyneVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(không rõ)"
	}
	for _, m := range bi.Deps {
		if m.Path == "fyne.io/fyne/v2" {
			if m.Replace != nil {
				return m.Replace.Version
			}
			return m.Version
		}
	}
	return "(không có trong bản dựng này)"
}

// fail prints err as a Vietnamese message and returns exit code 1.
func (e *Env) fail(err error) int {
	fmt.Fprintln(e.Stderr, "Lỗi: "+Message(err))
	return 1
}

// Message is the Vietnamese message for an error of the store or of a
// command.
func Message(err error) string {
	switch {
	case errors.Is(err, data.ErrWrongPassphrase):
		return "Sai mật khẩu kho dữ liệu. Hãy nhập đúng mật khẩu bằng --passphrase hoặc biến môi trường " + EnvPassphrase + "."
	case errors.Is(err, data.ErrAlreadyOpen):
		return "Ứng dụng đang mở ở một cửa sổ khác. Hãy đóng cửa sổ đó rồi chạy lại."
	case errors.Is(err, data.ErrNewerSchema):
		return "Kho dữ liệu được tạo bởi phiên bản mới hơn của ứng dụng. Hãy cập nhật Sổ tay Dân vận."
	case errors.Is(err, data.ErrOtherCommune):
		return "Kho dữ liệu đã gắn với một xã khác; mỗi kho chỉ dành cho một xã. Hãy dùng --store để chọn kho khác."
	}
	return err.Error()
}

func itoa(n int) string { return strconv.Itoa(n) }
