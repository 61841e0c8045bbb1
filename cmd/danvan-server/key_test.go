package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dsync "danvan/sync"
)

// TestMain gives every command of these tests a server key through
// DANVAN_SERVER_KEY_FILE, as an installed server would have.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "danvan-key")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	key := filepath.Join(dir, "server.key")
	if err := dsync.NewServerKeyFile(key); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("DANVAN_SERVER_KEY_FILE", key)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestKeygenServeAndRotate: serve refuses a new data directory without
// a key, with a message that says how to make one; keygen makes one that
// is never overwritten; --key-file and DANVAN_SERVER_KEY_FILE both work;
// rotate-key moves the directory to a new key and the old one no longer
// opens it.
func TestKeygenServeAndRotate(t *testing.T) {
	t.Setenv("DANVAN_SERVER_KEY_FILE", "")
	dir := filepath.Join(t.TempDir(), "data")
	code, _, stderr := runCmd(t, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "no server key") || !strings.Contains(stderr, "danvan-server keygen --out") {
		t.Fatalf("serve without key on a new directory: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCmd(t, "enroll", "--data", dir, "--commune", "23368"); code != 1 || !strings.Contains(stderr, "no server key") {
		t.Fatalf("enroll without key on a new directory: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err == nil {
		t.Fatal("a refused command created the database")
	}
	k1, k2 := filepath.Join(t.TempDir(), "k1"), filepath.Join(t.TempDir(), "k2")
	for _, k := range []string{k1, k2} {
		if code, out, stderr := runCmd(t, "keygen", "--out", k); code != 0 || !strings.Contains(out, "wrote") {
			t.Fatalf("keygen: %d %q %q", code, out, stderr)
		}
	}
	if fi, _ := os.Stat(k1); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", fi.Mode().Perm())
	}
	before, _ := os.ReadFile(k1)
	if code, _, _ := runCmd(t, "keygen", "--out", k1); code != 1 {
		t.Error("keygen overwrote a key file")
	}
	if after, _ := os.ReadFile(k1); string(after) != string(before) {
		t.Error("key file changed")
	}
	// --key-file creates the directory, encrypted.
	if code, _, stderr := runCmd(t, "enroll", "--data", dir, "--key-file", k1, "--commune", "23368", "--label", "Cán bộ A"); code != 0 {
		t.Fatalf("enroll with --key-file: %q", stderr)
	}
	// The environment variable works the same.
	t.Setenv("DANVAN_SERVER_KEY_FILE", k1)
	if code, out, stderr := runCmd(t, "devices", "list", "--data", dir); code != 0 || !strings.Contains(out, "ID") {
		t.Fatalf("devices list with DANVAN_SERVER_KEY_FILE: %q", stderr)
	}
	t.Setenv("DANVAN_SERVER_KEY_FILE", "")
	if code, _, stderr := runCmd(t, "devices", "list", "--data", dir); code != 1 || !strings.Contains(stderr, "encrypted") {
		t.Fatalf("devices list without key on an encrypted directory: %d %q", code, stderr)
	}
	if code, out, stderr := runCmd(t, "rotate-key", "--data", dir, "--key-file", k1, "--new-key-file", k2); code != 0 || !strings.Contains(out, "now encrypted") {
		t.Fatalf("rotate-key: %d %q %q", code, out, stderr)
	}
	if code, _, stderr := runCmd(t, "devices", "list", "--data", dir, "--key-file", k1); code != 1 || !strings.Contains(stderr, "does not decrypt") {
		t.Fatalf("old key after rotation: %d %q", code, stderr)
	}
	// The new key serves the same directory.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", dir, "--key-file", k2, "--addr", "127.0.0.1:0"}, io.Discard, io.Discard)
	}()
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve with the new key: exit %d", code)
	}
	if _, err := dsync.OpenBadgerStorage(dir, nil); !errors.Is(err, dsync.ErrServerKeyNeeded) {
		t.Errorf("open without key: %v", err)
	}
}
