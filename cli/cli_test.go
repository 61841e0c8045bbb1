package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"danvan/data"
)

func appInfo(t *testing.T) AppInfo {
	t.Helper()
	b, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	info, err := ParseAppInfo(b)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func TestFyneAppTOML(t *testing.T) {
	d := appInfo(t).Details
	if d.ID != "vn.danvan.sotay" || d.Name != "Sổ tay Dân vận" || d.Version == "" || d.Build < 1 {
		t.Errorf("FyneApp.toml details: %+v", d)
	}
	if !appInfo(t).Migrations["fyneDo"] {
		t.Error("FyneApp.toml should set [Migrations] fyneDo = true")
	}
	if _, err := os.Stat(filepath.Join("..", d.Icon)); err != nil {
		t.Errorf("icon: %v", err)
	}
}

// run runs the command line with args and an environment of env pairs.
func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(Env{
		Args: args, Stdout: &out, Stderr: &errb, Info: appInfo(t),
		Getenv: func(k string) string { return env[k] },
		GUI: func(dir string) error {
			out.WriteString("GUI " + dir)
			return nil
		},
	})
	return code, out.String(), errb.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, nil, "--version")
	if code != 0 || !strings.Contains(out, "Sổ tay Dân vận 0.1.0") || !strings.Contains(out, "Go go1.") || !strings.Contains(out, "Fyne ") {
		t.Errorf("--version: code %d, output %q", code, out)
	}
}

func TestStoreDir(t *testing.T) {
	if _, out, _ := run(t, map[string]string{EnvStore: "/from/env"}); out != "GUI /from/env" {
		t.Errorf("env: %q", out)
	}
	if _, out, _ := run(t, map[string]string{EnvStore: "/from/env"}, "--store", "/from/flag"); out != "GUI /from/flag" {
		t.Errorf("flag over env: %q", out)
	}
	if code, _, _ := run(t, nil, "nonsense"); code != 2 {
		t.Errorf("unknown command: code %d", code)
	}
}

func TestDemoErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	if code, _, errs := run(t, nil, "demo", "--store", dir); code != 2 || !strings.Contains(errs, "--commune") {
		t.Errorf("missing --commune: code %d, %q", code, errs)
	}
	if code, _, errs := run(t, nil, "demo", "--commune", "99999", "--store", dir); code != 1 || !strings.Contains(errs, "không có mã xã") {
		t.Errorf("unknown commune: code %d, %q", code, errs)
	}

	st, err := data.Open(dir, data.Options{Passphrase: "đúng mật khẩu"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, map[string]string{EnvPassphrase: "đúng mật khẩu"}, "demo", "--commune", "23368", "--store", dir)
	if code != 1 || !strings.Contains(errs, "Ứng dụng đang mở ở một cửa sổ khác") || strings.Contains(errs, "goroutine") {
		t.Errorf("already open: code %d, %q", code, errs)
	}
	st.Close()

	code, _, errs = run(t, nil, "demo", "--commune", "23368", "--store", dir, "--passphrase", "sai")
	if code != 1 || !strings.Contains(errs, "Sai mật khẩu kho dữ liệu") {
		t.Errorf("wrong passphrase: code %d, %q", code, errs)
	}
}

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 12: "12", 1234: "1.234", 1234567: "1.234.567", -1000: "-1.000"} {
		if got := groupThousands(n); got != want {
			t.Errorf("groupThousands(%d) = %q, want %q", n, got, want)
		}
	}
}
