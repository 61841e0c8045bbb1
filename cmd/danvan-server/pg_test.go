package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	stdsync "sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"danvan/data"
	dsync "danvan/sync"
)

// pgSchemaDSN returns DANVAN_TEST_PG pointed at a new schema (dropped
// at the test's end), or skips the test without it.
func pgSchemaDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv("DANVAN_TEST_PG")
	if base == "" {
		t.Skip("DANVAN_TEST_PG is not set: PostgreSQL tests skipped (make pg-start)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("DANVAN_TEST_PG: %v", err)
	}
	defer conn.Close(ctx)
	schema := "cmd_" + strings.ReplaceAll(data.NewID(), "-", "")[:20]
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("DANVAN_TEST_PG must be a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestServeOnPostgres: serve --database refuses a new database without a
// key, serves one with it, and the admin commands work on the database
// while the server runs (there is no admin socket then).
func TestServeOnPostgres(t *testing.T) {
	dsn := pgSchemaDSN(t)
	key := os.Getenv("DANVAN_SERVER_KEY_FILE")
	t.Setenv("DANVAN_SERVER_KEY_FILE", "")
	if code, _, stderr := runCmd(t, "serve", "--database", dsn, "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(stderr, "no server key") {
		t.Fatalf("serve on a new database without a key: exit %d, %q", code, stderr)
	}
	t.Setenv("DANVAN_SERVER_DATABASE", dsn)
	t.Setenv("DANVAN_SERVER_KEY_FILE", key)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &safeBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}, io.Discard, logs) }()
	addrRE := regexp.MustCompile(`"msg":"listening","addr":"([^"]+)"`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(10 * time.Millisecond) {
		if m := addrRE.FindStringSubmatch(logs.String()); m != nil {
			base = "http://" + m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", logs.String())
		}
	}
	code, stdout, stderr := runCmd(t, "enroll", "--data", dir, "--commune", "23368", "--label", "Cán bộ PG")
	if code != 0 || !codeRE.MatchString(stdout) {
		t.Fatalf("enroll on the database beside the server: %d %q %q", code, stdout, stderr)
	}
	st, err := data.Open(t.TempDir(), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := dsync.Enroll(context.Background(), st, base, strings.TrimSpace(stdout)); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(&data.Village{Name: "Làng Kon Tu Răm", VillageKind: data.VillageLang}); err != nil {
		t.Fatal(err)
	}
	if rep, err := dsync.RunOnce(context.Background(), st, nil); err != nil || rep.Pushed != 1 {
		t.Fatalf("sync: %+v %v", rep, err)
	}
	if code, stdout, _ := runCmd(t, "devices", "list"); code != 0 || !strings.Contains(stdout, "Cán bộ PG") {
		t.Fatalf("devices list on the database: %d %q", code, stdout)
	}
	cancel()
	if c := <-done; c != 0 {
		t.Fatalf("serve exited %d: %s", c, logs.String())
	}
	if _, err := os.Stat(socketPath(dir)); err == nil {
		t.Error("serve --database made an admin socket")
	}
	// rotate-key --database re-seals the records under a new key.
	k2 := t.TempDir() + "/k2"
	if code, _, stderr := runCmd(t, "keygen", "--out", k2); code != 0 {
		t.Fatal(stderr)
	}
	if code, out, stderr := runCmd(t, "rotate-key", "--new-key-file", k2); code != 0 || !strings.Contains(out, "1 records are now sealed") {
		t.Fatalf("rotate-key --database: %d %q %q", code, out, stderr)
	}
	if code, _, stderr := runCmd(t, "devices", "list"); code != 1 || !strings.Contains(stderr, "does not decrypt") {
		t.Fatalf("devices list with the old key after rotating: %d %q", code, stderr)
	}
	if code, out, _ := runCmd(t, "devices", "list", "--key-file", k2); code != 0 || !strings.Contains(out, "Cán bộ PG") {
		t.Fatalf("devices list with the new key: %d %q", code, out)
	}
}

// TestTwoServeProcessesOnOnePostgres runs two real danvan-server
// processes (CGO_ENABLED=0 binaries) on one PostgreSQL database: laptops
// enrolled on either push to both at once, then each syncs through the
// other process and holds every record of the commune; both stop cleanly
// on SIGTERM.
func TestTwoServeProcessesOnOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dsn := pgSchemaDSN(t)
	t.Setenv("DANVAN_SERVER_DATABASE", dsn)
	bin := filepath.Join(t.TempDir(), "danvan-server")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 build: %v\n%s", err, out)
	}
	addrRE := regexp.MustCompile(`"msg":"listening","addr":"([^"]+)"`)
	var urls []string
	var procs []*exec.Cmd
	var logs []*safeBuffer
	for range 2 {
		cmd := exec.Command(bin, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0")
		lb := &safeBuffer{}
		cmd.Stderr = lb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill() })
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if m := addrRE.FindStringSubmatch(lb.String()); m != nil {
				urls = append(urls, "http://"+m[1])
				break
			} else if time.Now().After(deadline) {
				t.Fatalf("no listening line: %s", lb.String())
			}
		}
		procs, logs = append(procs, cmd), append(logs, lb)
	}
	ctx := context.Background()
	const laptops, per = 4, 500
	sts := make([]*data.Store, laptops)
	for i := range sts {
		code, stdout, stderr := runCmd(t, "enroll", "--commune", "23368", "--label", fmt.Sprintf("Cán bộ %d", i))
		if code != 0 {
			t.Fatalf("enroll: %q", stderr)
		}
		st, err := data.Open(t.TempDir(), data.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := dsync.Enroll(ctx, st, urls[i%2], strings.TrimSpace(stdout)); err != nil {
			t.Fatalf("laptop %d enrolls with process %d: %v", i, i%2, err)
		}
		objs := make([]data.Object, per)
		objs[0] = &data.Village{Name: fmt.Sprintf("Làng %d", i), VillageKind: data.VillageLang}
		if err := st.SaveMany(objs[:1], nil); err != nil {
			t.Fatal(err)
		}
		for k := 1; k < per; k++ {
			objs[k] = &data.Household{Head: fmt.Sprintf("A Thiết %d-%d", i, k), Village: data.MetaOf(objs[0]).ID, Members: 4}
		}
		if err := st.SaveMany(objs[1:], nil); err != nil {
			t.Fatal(err)
		}
		sts[i] = st
	}
	var wg stdsync.WaitGroup
	for i, st := range sts {
		wg.Go(func() {
			if rep, err := dsync.RunOnce(ctx, st, nil); err != nil || rep.Pushed != per {
				t.Errorf("laptop %d pushes to process %d: %+v %v", i, i%2, rep, err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for i, st := range sts {
		if err := st.SetMeta("sync/server", []byte(urls[(i+1)%2])); err != nil {
			t.Fatal(err)
		}
		if _, err := dsync.RunOnce(ctx, st, nil); err != nil {
			t.Fatalf("laptop %d syncs through process %d: %v", i, (i+1)%2, err)
		}
		if ids, _ := st.RecordIDs(); len(ids) != laptops*per {
			t.Fatalf("laptop %d holds %d records after syncing through the other process, want %d", i, len(ids), laptops*per)
		}
	}
	for i, cmd := range procs {
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("process %d after SIGTERM: %v\n%s", i, err, logs[i].String())
		}
	}
}
