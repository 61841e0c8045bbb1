package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"danvan/data"
	dsync "danvan/sync"
)

// TestBundleCommands runs "danvan bundle export", the server's import,
// "danvan bundle import" and "danvan bundle forward" on real stores. The
// network is used only to enrol and to forward.
func TestBundleCommands(t *testing.T) {
	st, err := dsync.OpenBadgerStorage(filepath.Join(t.TempDir(), "server"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := newSyncServer(dsync.NewServer(dsync.ServerConfig{Storage: st}))
	defer func() { srv.Close(); st.Close() }()
	env := func(f func(e *Env) int) (int, string, string) {
		var out, errb bytes.Buffer
		e := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
		return f(e), out.String(), errb.String()
	}
	bundle := func(args ...string) (int, string, string) {
		return env(func(e *Env) int {
			return Run(Env{Args: append([]string{"bundle"}, args...), Stdout: e.Stdout, Stderr: e.Stderr, Getenv: e.Getenv})
		})
	}
	enrol := func(dir string) {
		code, _, err := (&dsync.Admin{Storage: st}).NewEnrolmentCode(context.Background(), "23368", "Cán bộ", 0)
		if err != nil {
			t.Fatal(err)
		}
		if rc, _, stderr := env(func(e *Env) int {
			return e.runEnroll([]string{"--server", srv.URL, "--code", code, "--store", dir})
		}); rc != 0 {
			t.Fatalf("enroll: %s", stderr)
		}
	}
	save := func(dir, name string) {
		s, err := data.Open(dir, data.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Save(&data.Village{Name: name, VillageKind: data.VillageLang}); err != nil {
			t.Fatal(err)
		}
	}
	villages := func(dir string) []string {
		s, err := data.Open(dir, data.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var out []string
		for _, r := range s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
			out = append(out, r.Title)
		}
		return out
	}
	a, b := t.TempDir(), t.TempDir()
	enrol(a)
	enrol(b)
	save(a, "Làng Kon A")
	save(b, "Làng Kon B")
	if rc, _, stderr := env(func(e *Env) int { return e.runSync([]string{"--once", "--store", b}) }); rc != 0 {
		t.Fatalf("sync B: %s", stderr)
	}
	usb := t.TempDir()
	export := filepath.Join(usb, "dongbo.dvb")

	// usage
	if rc, _, _ := bundle(); rc != 2 {
		t.Errorf("bundle without a subcommand: %d", rc)
	}
	if rc, _, _ := bundle("export", "--store", a); rc != 2 {
		t.Errorf("export without --out: %d", rc)
	}
	if rc, _, _ := bundle("import", "--store", a); rc != 2 {
		t.Errorf("import without a file: %d", rc)
	}
	if rc, _, _ := bundle("copy"); rc != 2 {
		t.Errorf("unknown subcommand: %d", rc)
	}

	// A (no signal) exports
	rc, stdout, stderr := bundle("export", "--out", export, "--store", a)
	if rc != 0 || !strings.Contains(stdout, "Đã ghi 1 bản ghi") {
		t.Fatalf("export: %d %q %q", rc, stdout, stderr)
	}
	// someone with signal imports it on the server
	raw, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	_, reply, err := dsync.ImportBundle(context.Background(), st, raw, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	replyPath := dsync.ReplyPath(export)
	if err := dsync.WriteBundleFile(replyPath, reply); err != nil {
		t.Fatal(err)
	}

	// a damaged reply, a reply for B, and the export itself are refused
	bad := bytes.Clone(reply)
	bad[len(bad)-5] ^= 1
	badPath := filepath.Join(usb, "hong.dvb")
	if err := os.WriteFile(badPath, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	rc, _, stderr = bundle("import", badPath, "--store", a)
	if rc != 1 || !strings.Contains(stderr, "bị hỏng") || !strings.Contains(stderr, "Dữ liệu không thay đổi") {
		t.Errorf("damaged reply: %d %q", rc, stderr)
	}
	rc, _, stderr = bundle("import", replyPath, "--store", b)
	if rc != 1 || !strings.Contains(stderr, "một máy khác") {
		t.Errorf("A's reply on B: %d %q", rc, stderr)
	}
	rc, _, stderr = bundle("import", export, "--store", a)
	if rc != 1 || !strings.Contains(stderr, "tệp xuất") {
		t.Errorf("export imported on the laptop: %d %q", rc, stderr)
	}
	rc, _, stderr = bundle("import", filepath.Join(usb, "khong-co.dvb"), "--store", a)
	if rc != 1 || !strings.Contains(stderr, "Không tìm thấy tệp") {
		t.Errorf("missing file: %d %q", rc, stderr)
	}
	if got := villages(a); len(got) != 1 {
		t.Fatalf("refused files changed A: %v", got)
	}

	// the genuine reply completes the round trip, twice harmlessly
	rc, stdout, stderr = bundle("import", replyPath, "--store", a)
	if rc != 0 || !strings.Contains(stdout, "Máy chủ đã nhận 1 bản ghi") || !strings.Contains(stdout, "đã nhận về 1 bản ghi") {
		t.Fatalf("import: %d %q %q", rc, stdout, stderr)
	}
	rc, stdout, _ = bundle("import", replyPath, "--store", a)
	if rc != 0 || !strings.Contains(stdout, "đã được nhập trước đây") {
		t.Fatalf("second import: %d %q", rc, stdout)
	}
	if got := villages(a); len(got) != 2 {
		t.Fatalf("A after the round trip: %v", got)
	}

	// B (with signal) forwards A's next bundle
	save(a, "Làng Kon A2")
	if rc, stdout, stderr = bundle("export", "--out", export, "--store", a); rc != 0 {
		t.Fatalf("second export: %q %q", stdout, stderr)
	}
	rc, stdout, stderr = bundle("forward", export, "--store", b)
	if rc != 0 || !strings.Contains(stdout, "máy chủ lưu 1 bản ghi") || !strings.Contains(stdout, replyPath) {
		t.Fatalf("forward: %d %q %q", rc, stdout, stderr)
	}
	rc, stdout, stderr = bundle("import", replyPath, "--store", a)
	if rc != 0 || !strings.Contains(stdout, "Máy chủ đã nhận 1 bản ghi") {
		t.Fatalf("import of the forwarded reply: %d %q %q", rc, stdout, stderr)
	}
	if rc, _, stderr = env(func(e *Env) int { return e.runSync([]string{"--once", "--store", b}) }); rc != 0 {
		t.Fatalf("sync B: %s", stderr)
	}
	if ga, gb := villages(a), villages(b); len(ga) != 3 || strings.Join(ga, "|") != strings.Join(gb, "|") {
		t.Fatalf("A %v and B %v differ", ga, gb)
	}
	// forwarding a reply is refused before anything is sent
	rc, _, stderr = bundle("forward", replyPath, "--store", b, "--out", filepath.Join(usb, "x.dvb"))
	if rc != 1 || !strings.Contains(stderr, "tệp phản hồi") {
		t.Errorf("forwarding a reply: %d %q", rc, stderr)
	}
}
