package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"danvan/data"
)

// reportStore makes a demo store and returns its directory, closed.
func reportStore(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	s, err := data.Open(dir, data.Options{Passphrase: "mật khẩu", Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	if _, err := data.GenerateDemo(s, data.DemoOptions{Scale: 1, Seed: 5, Today: "2026-07-05"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetProfile(data.Profile{Name: "Y Sáng", Unit: "Đồn Biên phòng Đăk Long", Lang: "vi"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runCmd runs one of this file's commands with a store and passphrase.
func runCmd(t *testing.T, cmd func(*Env, []string) int, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		return map[string]string{EnvStore: dir, EnvPassphrase: "mật khẩu"}[k]
	}}
	code := cmd(e, args)
	return code, out.String(), errb.String()
}

func firstVillage(t *testing.T, dir string) (id, name string) {
	t.Helper()
	s, err := data.Open(dir, data.Options{Passphrase: "mật khẩu"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)[0]
	return r.ID, r.Title
}

func TestReportCommands(t *testing.T) {
	dir := reportStore(t)
	out := t.TempDir()
	id, name := firstVillage(t, dir)
	village := (*Env).runReport

	pdf := filepath.Join(out, "tomtat.pdf")
	code, stdout, stderr := runCmd(t, village, dir, "village", "--village", data.Fold(name), "--from", "2026-01-01", "--to", "30/06/2026", "--out", pdf)
	if code != 0 || !strings.Contains(stdout, "Đã lưu báo cáo tóm tắt "+name) {
		t.Fatalf("report village: %d %q %q", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if tool, err := exec.LookPath("pdftotext"); err == nil {
		text, _ := exec.Command(tool, "-layout", pdf, "-").Output()
		if !strings.Contains(string(text), name) || !strings.Contains(string(text), "Đồn Biên phòng Đăk Long") {
			t.Errorf("PDF text lacks the village or the unit from the profile")
		}
	}
	xlsx := filepath.Join(out, "tomtat.xlsx")
	if code, _, stderr := runCmd(t, village, dir, "village", "--village", id, "--period", "2026-H1", "--out", xlsx); code != 0 {
		t.Fatalf("village xlsx: %d %s", code, stderr)
	}
	if x, err := excelize.OpenFile(xlsx); err != nil {
		t.Fatal(err)
	} else {
		x.Close()
	}

	commune := filepath.Join(out, "baocao.xlsx")
	code, stdout, stderr = runCmd(t, village, dir, "commune", "--period", "2026-Q2", "--format", "xlsx", "--out", commune, "--compare", "truoc")
	if code != 0 || !strings.Contains(stdout, "quý II/2026") {
		t.Fatalf("report commune: %d %q %q", code, stdout, stderr)
	}
	x, err := excelize.OpenFile(commune)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.GetSheetList()) < 5 {
		t.Errorf("sheets %v", x.GetSheetList())
	}
	x.Close()
	if code, _, stderr := runCmd(t, village, dir, "commune", "--period", "2026", "--out", filepath.Join(out, "nam.pdf")); code != 0 {
		t.Fatalf("commune pdf: %s", stderr)
	}

	for _, list := range []string{"concerns", "meetings", "visits", "households", "models"} {
		path := filepath.Join(out, list+".csv")
		code, stdout, stderr := runCmd(t, (*Env).runExport, dir, list, "--format", "csv", "--out", path)
		if code != 0 || !strings.Contains(stdout, "Đã xuất") {
			t.Fatalf("export %s: %d %q %q", list, code, stdout, stderr)
		}
		b, _ := os.ReadFile(path)
		if !bytes.HasPrefix(b, []byte("\ufeff")) {
			t.Errorf("%s: no BOM", list)
		}
		if _, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll(); err != nil {
			t.Errorf("%s: %v", list, err)
		}
	}
	// Flags before the list work too.
	if code, _, stderr := runCmd(t, (*Env).runExport, dir, "--out", filepath.Join(out, "y-kien.csv"), "y-kien", "--village", name); code != 0 {
		t.Errorf("export with the list last: %s", stderr)
	}
}

func TestReportBadArguments(t *testing.T) {
	dir := reportStore(t)
	out := filepath.Join(t.TempDir(), "x.pdf")
	cases := []struct {
		cmd  func(*Env, []string) int
		args []string
		want string
	}{
		{(*Env).runReport, nil, "hãy chọn loại báo cáo"},
		{(*Env).runReport, []string{"thang"}, "loại báo cáo \"thang\" không có"},
		{(*Env).runReport, []string{"village", "--period", "2026-Q2", "--out", out}, "Thiếu --village"},
		{(*Env).runReport, []string{"village", "--village", "Làng Không Có", "--period", "2026-Q2", "--out", out}, "Không có thôn, làng"},
		{(*Env).runReport, []string{"village", "--village", "x", "--out", out}, "Thiếu kỳ báo cáo"},
		{(*Env).runReport, []string{"village", "--village", "x", "--period", "2026-Q5", "--out", out}, "không hợp lệ"},
		{(*Env).runReport, []string{"village", "--village", "x", "--from", "2026-02-30", "--to", "2026-03-01", "--out", out}, "--from"},
		{(*Env).runReport, []string{"village", "--village", "x", "--from", "2026-03-01", "--to", "2026-02-01", "--out", out}, "trước ngày bắt đầu"},
		{(*Env).runReport, []string{"village", "--village", "x", "--from", "2026-03-01", "--out", out}, "Cần cả --from và --to"},
		{(*Env).runReport, []string{"village", "--village", "x", "--period", "2026", "--from", "2026-03-01", "--to", "2026-04-01", "--out", out}, "không dùng cả hai"},
		{(*Env).runReport, []string{"commune", "--period", "2026-Q2"}, "Thiếu --out"},
		{(*Env).runReport, []string{"commune", "--period", "2026-Q2", "--format", "docx", "--out", out}, "Định dạng \"docx\""},
		{(*Env).runReport, []string{"commune", "--period", "2026-Q2", "--compare", "hôm qua", "--out", out}, "--compare"},
		{(*Env).runReport, []string{"commune", "--period", "2026", "--lang", "fr", "--out", out}, "Ngôn ngữ \"fr\""},
		{(*Env).runExport, []string{"--out", out}, "Thiếu tên danh sách"},
		{(*Env).runExport, []string{"nguoi", "--out", out}, "danh sách \"nguoi\" không có"},
		{(*Env).runExport, []string{"concerns", "--format", "xlsx", "--out", out}, "Định dạng \"xlsx\""},
		{(*Env).runExport, []string{"concerns", "--sensitive", "--out", out}, "--sensitive chỉ dùng"},
	}
	for _, c := range cases {
		code, _, stderr := runCmd(t, c.cmd, dir, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: code %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed command left an output file")
	}
	// A wrong passphrase or a missing store is a failure (1), not bad usage.
	var errb bytes.Buffer
	e := &Env{Stdout: &bytes.Buffer{}, Stderr: &errb, Getenv: func(k string) string {
		return map[string]string{EnvStore: dir, EnvPassphrase: "sai"}[k]
	}}
	if code := e.runReport([]string{"commune", "--period", "2026", "--out", out}); code != 1 || !strings.Contains(errb.String(), "Sai mật khẩu") {
		t.Errorf("wrong passphrase: %d %q", code, errb.String())
	}
	code, _, stderr := runCmd(t, (*Env).runReport, filepath.Join(t.TempDir(), "none"), "commune", "--period", "2026", "--out", out)
	if code != 1 || !strings.Contains(stderr, "chưa có kho dữ liệu") {
		t.Errorf("missing store: %d %q", code, stderr)
	}
}
