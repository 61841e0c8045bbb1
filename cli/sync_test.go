package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"danvan/data"
	dsync "danvan/sync"
)

// TestEnrollAndSyncOnce runs "danvan enroll" and "danvan sync --once"
// against a real server on 127.0.0.1.
func TestEnrollAndSyncOnce(t *testing.T) {
	st, err := dsync.OpenBadgerStorage(filepath.Join(t.TempDir(), "server"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := newSyncServer(dsync.NewServer(dsync.ServerConfig{Storage: st}))
	defer func() { srv.Close(); st.Close() }()
	code, _, err := (&dsync.Admin{Storage: st}).NewEnrolmentCode(context.Background(), "23368", "Cán bộ A", 0)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	env := func(f func(e *Env) int) (int, string, string) {
		var out, errb bytes.Buffer
		e := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
		return f(e), out.String(), errb.String()
	}

	rc, _, stderr := env(func(e *Env) int { return e.runSync([]string{"--once", "--store", dir}) })
	if rc != 1 || !strings.Contains(stderr, "chưa đăng ký") {
		t.Fatalf("sync before enrolling: %d %q", rc, stderr)
	}
	rc, stdout, stderr := env(func(e *Env) int {
		return e.runEnroll([]string{"--server", srv.URL, "--code", code, "--store", dir})
	})
	if rc != 0 || !strings.Contains(stdout, "Đăk Long") {
		t.Fatalf("enroll: %d %q %q", rc, stdout, stderr)
	}
	rc, _, stderr = env(func(e *Env) int {
		return e.runEnroll([]string{"--server", srv.URL, "--code", code, "--store", dir})
	})
	if rc != 1 || !strings.Contains(stderr, "đã được dùng") {
		t.Fatalf("enroll with a used code: %d %q", rc, stderr)
	}

	s, err := data.Open(dir, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(&data.Village{Name: "Làng Đăk Ga", VillageKind: data.VillageLang}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	rc, stdout, stderr = env(func(e *Env) int { return e.runSync([]string{"--once", "--store", dir}) })
	if rc != 0 || !strings.Contains(stdout, "Đã gửi 1, đã nhận 0, bị giữ lại 0") {
		t.Fatalf("sync --once: %d %q %q", rc, stdout, stderr)
	}
	if rc, _, _ := env(func(e *Env) int { return e.runSync([]string{"--store", dir}) }); rc != 2 {
		t.Fatalf("sync without --once: %d, want 2", rc)
	}
}

// newSyncServer starts h on 127.0.0.1 speaking what danvan-server speaks
// (HTTP/1.1 and h2c), as the client expects of a real server.
func newSyncServer(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.Protocols = dsync.HTTPProtocols()
	srv.Start()
	return srv
}
