package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"danvan/data"
	dsync "danvan/sync"
)

// TestBundleImportCommand imports a laptop's USB bundle through the
// running server's admin socket, then again with the server stopped.
func TestBundleImportCommand(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startServe(t, dir)
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	rc, code, stderr := runCmd(t, "enroll", "--data", dir, "--commune", "23368", "--label", "Cán bộ A")
	if rc != 0 {
		t.Fatalf("enroll: %s", stderr)
	}
	laptop, err := data.Open(t.TempDir(), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer laptop.Close()
	if _, err := dsync.Enroll(context.Background(), laptop, base, strings.TrimSpace(code)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Làng Kon A", "Làng Kon B"} {
		if err := laptop.Save(&data.Village{Name: name, VillageKind: data.VillageLang}); err != nil {
			t.Fatal(err)
		}
	}
	usb := t.TempDir()
	file := filepath.Join(usb, "dongbo.dvb")
	if _, err := dsync.ExportBundleFile(laptop, file); err != nil {
		t.Fatal(err)
	}

	// a damaged file is refused through the socket
	raw, _ := os.ReadFile(file)
	raw[len(raw)-3] ^= 1
	bad := filepath.Join(usb, "hong.dvb")
	if err := os.WriteFile(bad, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if rc, _, stderr := runCmd(t, "bundle", "import", "--data", dir, bad); rc != 1 || !strings.Contains(stderr, "damaged") {
		t.Fatalf("damaged bundle: %d %q", rc, stderr)
	}
	if rc, _, _ := runCmd(t, "bundle", "--data", dir); rc != 2 {
		t.Fatalf("bundle without import: %d", rc)
	}

	rc, stdout, stderr := runCmd(t, "bundle", "import", "--data", dir, file)
	if rc != 0 || !strings.Contains(stdout, "stored 2, unchanged 0, refused 0") || !strings.Contains(stdout, "Cán bộ A") {
		t.Fatalf("import through the admin socket: %d %q %q", rc, stdout, stderr)
	}
	reply := dsync.ReplyPath(file)
	if _, err := os.Stat(reply); err != nil {
		t.Fatal(err)
	}
	if c := stop(); c != 0 {
		t.Fatalf("serve exited %d", c)
	}
	stopped = true

	other := filepath.Join(usb, "phanhoi-2.dvb")
	rc, stdout, stderr = runCmd(t, "bundle", "import", file, "--data", dir, "--reply", other)
	if rc != 0 || !strings.Contains(stdout, "stored 0, unchanged 2") {
		t.Fatalf("import with the server stopped: %d %q %q", rc, stdout, stderr)
	}
	if rc, _, stderr := runCmd(t, "bundle", "import", "--data", dir, reply); rc != 1 || !strings.Contains(stderr, "reply bundle") {
		t.Fatalf("a reply imported on the server: %d %q", rc, stderr)
	}
	res, err := dsync.ImportReplyFile(laptop, reply)
	if err != nil || res.Acked != 2 || laptop.Pending() != 0 {
		t.Fatalf("laptop import: %+v %v", res, err)
	}
	if _, err := dsync.ImportReplyFile(laptop, other); err != nil {
		t.Fatal(err)
	}
}
