package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"danvan/data"
	dsync "danvan/sync"
)

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

var codeRE = regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\n$`)

func TestRefusesPlainHTTPOffLoopback(t *testing.T) {
	code, _, stderr := runCmd(t, "serve", "--data", t.TempDir(), "--addr", "0.0.0.0:0")
	if code != 1 || !strings.Contains(stderr, "refusing plain HTTP") {
		t.Fatalf("serve on 0.0.0.0 without TLS: %d %q", code, stderr)
	}
	code, _, stderr = runCmd(t, "serve", "--data", t.TempDir(), "--tls-cert", "x.pem")
	if code != 2 || !strings.Contains(stderr, "--tls-key") {
		t.Fatalf("cert without key: %d %q", code, stderr)
	}
	for _, addr := range []string{"127.0.0.1:1", "[::1]:1", "localhost:1"} {
		if !isLoopback(addr) {
			t.Errorf("%s is loopback", addr)
		}
	}
	for _, addr := range []string{":8443", "0.0.0.0:8443", "10.0.0.5:8443", "example.org:443"} {
		if isLoopback(addr) {
			t.Errorf("%s is not loopback", addr)
		}
	}
}

func TestAdminCommandsWithoutServer(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCmd(t, "enroll", "--data", dir, "--commune", "23368", "--label", "Cán bộ A")
	if code != 0 || !codeRE.MatchString(stdout) || !strings.Contains(stderr, "23368") {
		t.Fatalf("enroll: %d %q %q", code, stdout, stderr)
	}
	if code, _, stderr := runCmd(t, "enroll", "--data", dir, "--commune", "99999"); code != 1 || !strings.Contains(stderr, "official list") {
		t.Fatalf("enroll for an unknown commune: %d %q", code, stderr)
	}
	if code, _, _ := runCmd(t, "enroll", "--data", dir); code != 2 {
		t.Fatalf("enroll without --commune: %d", code)
	}
	code, token, _ := runCmd(t, "province-token", "--data", dir, "--label", "Ban Dân vận Tỉnh ủy")
	if code != 0 || len(strings.TrimSpace(token)) != 43 {
		t.Fatalf("province-token: %d %q", code, token)
	}
	code, stdout, _ = runCmd(t, "devices", "list", "--data", dir)
	if code != 0 || !strings.Contains(stdout, "province") || !strings.Contains(stdout, "Ban Dân vận Tỉnh ủy") {
		t.Fatalf("devices list: %d %q", code, stdout)
	}
	id := strings.Fields(strings.Split(stdout, "\n")[1])[0]
	if code, stdout, _ := runCmd(t, "devices", "revoke", "--data", dir, id); code != 0 || !strings.Contains(stdout, "revoked") {
		t.Fatalf("revoke: %d %q", code, stdout)
	}
	if code, _, stderr := runCmd(t, "devices", "revoke", "--data", dir, "no-such-id"); code != 1 || !strings.Contains(stderr, "no such device") {
		t.Fatalf("revoke unknown: %d %q", code, stderr)
	}
	if code, stdout, _ := runCmd(t, "devices", "list", "--data", dir); code != 0 || !strings.Contains(stdout, "revoked ") {
		t.Fatalf("devices list after revoke: %q", stdout)
	}
	if code, stdout, _ := runCmd(t, "--version"); code != 0 || !strings.HasPrefix(stdout, "danvan-server ") {
		t.Fatalf("--version: %d %q", code, stdout)
	}
}

// startServe runs "serve" in the background and returns its base URL,
// its log, and a stop function that cancels it (as SIGTERM does) and
// returns its exit code.
func startServe(t *testing.T, dir string) (string, *safeBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &safeBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}, io.Discard, logs) }()
	addrRE := regexp.MustCompile(`"msg":"listening","addr":"([^"]+)"`)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := addrRE.FindStringSubmatch(logs.String()); m != nil {
			return "http://" + m[1], logs, func() int {
				cancel()
				select {
				case c := <-done:
					return c
				case <-time.After(60 * time.Second):
					t.Fatal("serve did not stop")
					return -1
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// slowBody sends a body in pieces, pausing after the first half until
// release is closed.
type slowBody struct {
	b        []byte
	off      int
	half     chan struct{}
	release  chan struct{}
	signaled bool
}

func (s *slowBody) Read(p []byte) (int, error) {
	if s.off >= len(s.b) {
		return 0, io.EOF
	}
	if s.off >= len(s.b)/2 && !s.signaled {
		s.signaled = true
		close(s.half)
		<-s.release
	}
	n := copy(p[:min(len(p), 4096)], s.b[s.off:])
	s.off += n
	return n, nil
}

// TestServeEnrolSyncAndStopGracefully runs the real serve command: the
// admin commands reach it over its socket while it holds the data
// directory, a laptop enrolls and syncs, and on SIGTERM a push still
// being received finishes and is stored whole.
func TestServeEnrolSyncAndStopGracefully(t *testing.T) {
	dir := t.TempDir()
	url, logs, stop := startServe(t, dir)
	code, stdout, stderr := runCmd(t, "enroll", "--data", dir, "--commune", "23368", "--label", "Cán bộ A")
	if code != 0 || !codeRE.MatchString(stdout) {
		t.Fatalf("enroll through the admin socket: %d %q %q", code, stdout, stderr)
	}
	st, err := data.Open(t.TempDir(), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := dsync.Enroll(context.Background(), st, url, strings.TrimSpace(stdout)); err != nil {
		t.Fatal(err)
	}
	objs := make([]data.Object, 3000)
	objs[0] = &data.Village{Name: "Làng Kon Tu Răm", VillageKind: data.VillageLang}
	if err := st.SaveMany(objs[:1], nil); err != nil {
		t.Fatal(err)
	}
	vid := data.MetaOf(objs[0]).ID
	for i := 1; i < len(objs); i++ {
		objs[i] = &data.Household{Head: fmt.Sprintf("A Thiết %d", i), Village: vid, Members: 5}
	}
	if err := st.SaveMany(objs[1:], nil); err != nil {
		t.Fatal(err)
	}
	if rep, err := dsync.RunOnce(context.Background(), st, nil); err != nil || rep.Pushed != 3000 {
		t.Fatalf("sync: %+v %v", rep, err)
	}
	code, stdout, _ = runCmd(t, "devices", "list", "--data", dir)
	if code != 0 || !strings.Contains(stdout, "Cán bộ A") || !strings.Contains(stdout, "active") {
		t.Fatalf("devices list through the socket: %d %q", code, stdout)
	}

	// a big push (raw records under new ids) is half received when SIGTERM comes
	ids, _ := st.RecordIDs()
	recs, _ := st.Records(ids)
	for i := range recs {
		recs[i].ID = data.NewID()
	}
	raw := dsync.EncodePush(st.Commune(), recs)
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(raw)
	zw.Close()
	half, release := make(chan struct{}), make(chan struct{})
	body := &slowBody{b: zb.Bytes(), half: half, release: release}
	req, _ := http.NewRequest(http.MethodPost, url+dsync.PathPush, body)
	req.Header.Set("Authorization", "Bearer "+string(st.Meta("sync/token")))
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set(dsync.HeaderIdempotencyKey, data.NewID())
	req.ContentLength = int64(len(zb.Bytes()))
	type result struct {
		status int
		err    error
	}
	resc := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			resc <- result{0, err}
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		resc <- result{resp.StatusCode, nil}
	}()
	<-half
	time.Sleep(200 * time.Millisecond) // the server has accepted it and is reading the body
	stopped := make(chan int, 1)
	go func() { stopped <- stop() }()
	time.Sleep(300 * time.Millisecond) // shutdown has begun and waits
	close(release)
	res := <-resc
	if res.err != nil || res.status != http.StatusOK {
		t.Fatalf("push in flight at SIGTERM: %d %v", res.status, res.err)
	}
	if code := <-stopped; code != 0 {
		t.Fatalf("serve exited %d: %s", code, logs.String())
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Fatalf("no stop line in the log: %s", logs.String())
	}
	if strings.Contains(logs.String(), "A Thiết") || strings.Contains(logs.String(), "Kon Tu Răm") {
		t.Fatal("the log holds record content")
	}
	key, err := dsync.ReadServerKeyFile(os.Getenv("DANVAN_SERVER_KEY_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	ss, err := dsync.OpenBadgerStorageKey(dir, nil, key)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	n, _ := ss.Stats(context.Background())
	if n["23368"] != 6000 {
		t.Fatalf("server holds %d records after the stop, want 6000 (the in-flight push whole)", n["23368"])
	}
	if _, err := os.Stat(filepath.Join(dir, "admin.sock")); !os.IsNotExist(err) {
		t.Fatalf("admin socket left behind: %v", err)
	}
}

// TestBinarySIGTERM builds the server with CGO_ENABLED=0, runs it, and
// stops it with a real SIGTERM.
func TestBinarySIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "danvan-server")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	logs := &safeBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrRE := regexp.MustCompile(`"msg":"listening","addr":"([^"]+)"`)
	var url string
	for deadline := time.Now().Add(20 * time.Second); url == ""; time.Sleep(10 * time.Millisecond) {
		if m := addrRE.FindStringSubmatch(logs.String()); m != nil {
			url = "http://" + m[1]
		} else if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no listening line: %s", logs.String())
		}
	}
	resp, err := http.Get(url + dsync.PathHealth)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v", err)
	}
	resp.Body.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Fatalf("log: %s", logs.String())
	}
}
