package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"danvan/data"
)

const cliPass = "mật khẩu xã Đăk Long"

// newStore makes a closed store in dir with one village and returns the
// village's id.
func newStore(t *testing.T, dir string) string {
	t.Helper()
	s, err := data.Open(dir, data.Options{Passphrase: cliPass, Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	v := &data.Village{Name: "Làng Đăk Ang", VillageKind: data.VillageLang, Households: 120}
	if err := s.Save(v); err != nil {
		t.Fatal(err)
	}
	return v.ID
}

func villageName(t *testing.T, dir, id string) string {
	t.Helper()
	s, err := data.Open(dir, data.Options{Passphrase: cliPass})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v data.Village
	if err := s.Load(id, &v); err != nil {
		return "(" + err.Error() + ")"
	}
	return v.Name
}

func TestBackupRestoreCommands(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "store")
	id := newStore(t, dir)
	env := map[string]string{EnvPassphrase: cliPass}
	out := filepath.Join(root, "usb", "sao-luu.dvbak")
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := run(t, env, "backup", "--out", out, "--store", dir)
	if code != 0 || !strings.Contains(stdout, "Đã sao lưu 1 bản ghi của Xã Đăk Long") || !strings.Contains(stdout, out) {
		t.Fatalf("backup: code %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := run(t, env, "backup", "--out", out, "--store", dir); code != 1 || !strings.Contains(stderr, "đã có") {
		t.Errorf("backup over an existing file: code %d, %q", code, stderr)
	}
	// Without --out: into the backups folder beside the store.
	if code, stdout, _ := run(t, env, "backup", "--store", dir); code != 0 || !strings.Contains(stdout, data.BackupDir(dir)) {
		t.Errorf("backup without --out: code %d, %q", code, stdout)
	}
	if code, _, stderr := run(t, env, "backup", "--store", filepath.Join(root, "none")); code != 1 || !strings.Contains(stderr, "chưa có kho dữ liệu") {
		t.Errorf("backup of no store: code %d, %q", code, stderr)
	}

	// Change the store, then go back to the backup.
	s, err := data.Open(dir, data.Options{Passphrase: cliPass})
	if err != nil {
		t.Fatal(err)
	}
	var v data.Village
	if err := s.Load(id, &v); err != nil {
		t.Fatal(err)
	}
	v.Name = "Làng đổi tên"
	if err := s.Save(&v); err != nil {
		t.Fatal(err)
	}
	// Refused while the store is open.
	if code, _, stderr := run(t, env, "restore", out, "--store", dir); code != 1 || !strings.Contains(stderr, "đang mở") {
		t.Errorf("restore into an open store: code %d, %q", code, stderr)
	}
	s.Close()

	// A backup made under another passphrase (of another store here).
	otherDir := filepath.Join(root, "khac")
	os2, err := data.Open(otherDir, data.Options{Passphrase: "mật khẩu khác"})
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(root, "khac.dvbak")
	if _, err := os2.BackupFile(other); err != nil {
		t.Fatal(err)
	}
	os2.Close()

	before := treeHash(t, dir)
	bad := filepath.Join(root, "hong.dvbak")
	b, _ := os.ReadFile(out)
	if err := os.WriteFile(bad, b[:len(b)-10], 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"restore", bad, "--store", dir}, env, "bị hỏng, bị cắt cụt"},
		{[]string{"restore", "--store", dir, other, "--passphrase", "mật khẩu khác"}, nil, "không mở được kho hiện tại"},
		{[]string{"restore", "--store", dir, out, "--passphrase", "sai"}, nil, "Mật khẩu không mở được bản sao lưu"},
		{[]string{"restore", out, "--store", dir, "--passphrase", "sai", "--force"}, nil, "Mật khẩu không mở được bản sao lưu"},
		{[]string{"restore", filepath.Join(root, "khong-co.dvbak"), "--store", dir}, env, "khong-co.dvbak"},
	} {
		code, _, stderr := run(t, c.env, c.args...)
		if code != 1 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: code %d, %q, want %q", c.args, code, stderr, c.want)
		}
	}
	after := treeHash(t, dir)
	for name, h := range before {
		// Opening the store to back it up may rotate Badger's empty
		// value log; the data files stay.
		if after[name] != h && !strings.HasSuffix(name, ".vlog") {
			t.Errorf("refused restore changed %s", name)
		}
	}
	if got := villageName(t, dir, id); got != "Làng đổi tên" {
		t.Errorf("after refused restores: %q", got)
	}

	code, stdout, stderr = run(t, env, "restore", out, "--store", dir)
	if code != 0 || !strings.Contains(stdout, "Đã khôi phục 1 bản ghi") || !strings.Contains(stdout, "Đã sao lưu kho hiện tại") {
		t.Fatalf("restore: code %d\n%s%s", code, stdout, stderr)
	}
	if got := villageName(t, dir, id); got != "Làng Đăk Ang" {
		t.Errorf("after restore: %q", got)
	}
	// The store as it was before the restore is in the backups folder.
	ents, _ := os.ReadDir(data.BackupDir(dir))
	var undo string
	for _, e := range ents {
		if strings.Contains(e.Name(), "truoc-khoi-phuc") {
			undo = filepath.Join(data.BackupDir(dir), e.Name())
		}
	}
	if undo == "" {
		t.Fatalf("no backup before the restore in %v", ents)
	}
	if code, _, stderr := run(t, env, "restore", undo, "--store", dir); code != 0 {
		t.Fatalf("undo the restore: %s", stderr)
	}
	if got := villageName(t, dir, id); got != "Làng đổi tên" {
		t.Errorf("after undoing the restore: %q", got)
	}
}

func TestRestoreDamagedStore(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "store")
	id := newStore(t, dir)
	env := map[string]string{EnvPassphrase: cliPass}
	out := filepath.Join(root, "b.dvbak")
	if code, _, stderr := run(t, env, "backup", "--out", out, "--store", dir); code != 0 {
		t.Fatal(stderr)
	}
	// The data files are cut short.
	bdir := filepath.Join(dir, "badger")
	ents, _ := os.ReadDir(bdir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".sst") || e.Name() == "MANIFEST" {
			p := filepath.Join(bdir, e.Name())
			fi, _ := os.Stat(p)
			if err := os.Truncate(p, fi.Size()/2); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Badger may open such a store as an empty or partial one: then the
	// restore backs up what is left and goes ahead. If it does not open,
	// the restore asks for --force.
	code, stdout, stderr := run(t, env, "restore", out, "--store", dir)
	switch {
	case code == 0:
		t.Logf("damaged store opened; restore went ahead:\n%s", stdout)
	case !strings.Contains(stderr, "--force"):
		t.Fatalf("restore of a damaged store: code %d, %q", code, stderr)
	default:
		code, stdout, stderr = run(t, env, "restore", out, "--store", dir, "--force")
		if code != 0 || !strings.Contains(stdout, "khôi phục mà không sao lưu nó") {
			t.Fatalf("restore --force: code %d\n%s%s", code, stdout, stderr)
		}
	}
	if got := villageName(t, dir, id); got != "Làng Đăk Ang" {
		t.Errorf("after restore: %q", got)
	}
}

func TestRestoreUsage(t *testing.T) {
	if code, _, stderr := run(t, nil, "restore"); code != 2 || !strings.Contains(stderr, "Thiếu tệp sao lưu") {
		t.Errorf("restore without a file: code %d, %q", code, stderr)
	}
	if code, _, _ := run(t, nil, "restore", "a", "b"); code != 2 {
		t.Errorf("restore with two files: code %d", code)
	}
	if code, _, _ := run(t, nil, "backup", "thừa"); code != 2 {
		t.Errorf("backup with an argument: code %d", code)
	}
}

// TestNewerStoreMessage: a store written by a newer version of the app
// (the data package's fixture) gets the clear Vietnamese message.
func TestNewerStoreMessage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	copyDir(t, filepath.Join("..", "data", "testdata", "store-future"), dir)
	code, _, stderr := run(t, map[string]string{EnvPassphrase: "Mật khẩu thử nghiệm 2026"}, "backup", "--store", dir, "--out", filepath.Join(t.TempDir(), "x.dvbak"))
	if code != 1 || !strings.Contains(stderr, "phiên bản mới hơn") || strings.Contains(stderr, "goroutine") {
		t.Errorf("newer store: code %d, %q", code, stderr)
	}
}

func TestVersionAndLicences(t *testing.T) {
	code, out, _ := run(t, nil, "--version")
	for _, want := range []string{"Ngày dựng:", "Go go1.", "Fyne ", "Noto Sans", "SIL Open Font License 1.1", "Thang Le Quoc", "MIT License"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("--version lacks %q: %q", want, out)
		}
	}
	saved := buildDate
	buildDate = "2026-11-23"
	defer func() { buildDate = saved }()
	if _, out, _ := run(t, nil, "--version"); !strings.Contains(out, "Ngày dựng: 2026-11-23") {
		t.Errorf("--version with a build date: %q", out)
	}
	code, out, _ = run(t, nil, "licences")
	if code != 0 || !strings.Contains(out, "SIL OPEN FONT LICENSE Version 1.1") || !strings.Contains(out, "Permission is hereby granted, free of charge") {
		t.Errorf("licences: code %d, %.200q", code, out)
	}
}

func TestDefaultStoreDirMatchesData(t *testing.T) {
	a, err := DefaultStoreDir()
	if err != nil {
		t.Skip(err)
	}
	b, err := data.DefaultDir()
	if err != nil || a != b {
		t.Errorf("cli %q, data %q (%v)", a, b, err)
	}
	cfg, _ := os.UserConfigDir()
	if !strings.HasPrefix(a, cfg) {
		t.Errorf("store %q not under the user config dir %q", a, cfg)
	}
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func treeHash(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			m[p] = string(b)
		}
		return nil
	})
	return m
}
