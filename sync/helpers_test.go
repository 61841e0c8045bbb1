package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	stdsync "sync"
	"sync/atomic"
	"testing"
	"time"

	"danvan/data"
)

const (
	dakLong = "23368" // Xã Đăk Long
	moRai   = "23536" // Xã Mô Rai
)

// lockedBuffer is a goroutine-safe log sink.
type lockedBuffer struct {
	mu  stdsync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testServer is a real server: Badger storage in a temp dir, the
// protocol handlers on a real 127.0.0.1 listener, restartable on the
// same address.
type testServer struct {
	t    testing.TB
	dir  string
	addr string
	URL  string
	st   *BadgerStorage
	srv  *http.Server
	logs *lockedBuffer
	cfg  ServerConfig
	// key encrypts the storage (random per test server; nil: plain).
	key  []byte
	done chan struct{}
	// pushing counts the pushes in progress.
	pushing atomic.Int32
}

func startServer(t testing.TB) *testServer {
	t.Helper()
	ts := &testServer{t: t, dir: filepath.Join(t.TempDir(), "server"), addr: "127.0.0.1:0", logs: &lockedBuffer{}, key: newRandom(ServerKeyLen)}
	ts.start()
	t.Cleanup(ts.stop)
	return ts
}

func (ts *testServer) start() {
	ts.t.Helper()
	st, err := OpenBadgerStorageKey(ts.dir, nil, ts.key)
	if err != nil {
		ts.t.Fatal(err)
	}
	var ln net.Listener
	for i := 0; ; i++ {
		ln, err = net.Listen("tcp", ts.addr)
		if err == nil {
			break
		}
		if i > 50 {
			ts.t.Fatalf("listen on %s: %v", ts.addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.addr = ln.Addr().String()
	ts.URL = "http://" + ts.addr
	ts.st = st
	cfg := ts.cfg
	cfg.Storage = st
	cfg.Logger = slog.New(slog.NewJSONHandler(ts.logs, nil))
	h := NewServer(cfg)
	ts.srv = NewHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == PathPush {
			ts.pushing.Add(1)
			defer ts.pushing.Add(-1)
		}
		h.ServeHTTP(w, r)
	}), Timeouts{})
	ts.done = make(chan struct{})
	go func() {
		defer close(ts.done)
		_ = ts.srv.Serve(ln)
	}()
}

// stop shuts the server down gracefully (in-flight requests finish) and
// closes its storage.
func (ts *testServer) stop() {
	if ts.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ts.srv.Shutdown(ctx); err != nil {
		_ = ts.srv.Close()
	}
	<-ts.done
	if err := ts.st.Close(); err != nil {
		ts.t.Errorf("close server storage: %v", err)
	}
	ts.srv = nil
}

func (ts *testServer) restart() {
	ts.stop()
	ts.start()
}

// crash stops the server abruptly: connections are closed under the
// requests in flight, whose transactions roll back; then the storage
// closes once they have returned.
func (ts *testServer) crash() {
	_ = ts.srv.Close()
	<-ts.done
	if err := ts.st.Close(); err != nil {
		ts.t.Errorf("close server storage: %v", err)
	}
	ts.srv = nil
}

// count returns the records the server holds for commune (-1 while it
// is down).
func (ts *testServer) count(commune string) int {
	st := ts.st
	if st == nil {
		return -1
	}
	n, err := st.Stats(context.Background())
	if err != nil {
		return -1
	}
	return n[commune]
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (ts *testServer) admin() *Admin { return &Admin{Storage: ts.st} }

func (ts *testServer) code(commune, label string) string {
	ts.t.Helper()
	code, _, err := ts.admin().NewEnrolmentCode(context.Background(), commune, label, 0)
	if err != nil {
		ts.t.Fatal(err)
	}
	return code
}

// openStore opens a fresh laptop store (no passphrase: quick to open).
func openStore(t testing.TB) *data.Store {
	t.Helper()
	st, err := data.Open(t.TempDir(), data.Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// enrolledLaptop opens a store and enrolls it with ts for commune.
func enrolledLaptop(t testing.TB, ts *testServer, commune string) *data.Store {
	t.Helper()
	st := openStore(t)
	if _, err := Enroll(context.Background(), st, ts.URL, ts.code(commune, "Cán bộ")); err != nil {
		t.Fatalf("enroll: %v", err)
	}
	return st
}

// syncNow runs one sync and fails the test on error.
func syncNow(t testing.TB, st *data.Store) Report {
	t.Helper()
	rep, err := RunOnce(context.Background(), st, nil)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return rep
}

func mustSave(t testing.TB, st *data.Store, obj data.Object) {
	t.Helper()
	if err := st.Save(obj); err != nil {
		t.Fatalf("save %T: %v", obj, err)
	}
}

// seedVillages makes n villages.
func seedVillages(t testing.TB, st *data.Store, n int) []string {
	t.Helper()
	objs := make([]data.Object, n)
	for i := range objs {
		objs[i] = &data.Village{Name: fmt.Sprintf("Làng Kon %d", i+1), VillageKind: data.VillageLang, Households: 40 + i}
	}
	if err := st.SaveMany(objs, nil); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i, o := range objs {
		ids[i] = data.MetaOf(o).ID
	}
	return ids
}

// seedHouseholds makes n households spread over villages, in one go.
func seedHouseholds(t testing.TB, st *data.Store, villages []string, n int) []string {
	t.Helper()
	objs := make([]data.Object, n)
	for i := range objs {
		objs[i] = &data.Household{Head: fmt.Sprintf("A Nhóa %d", i), Village: villages[i%len(villages)], Members: 1 + i%9,
			Phone: fmt.Sprintf("09%08d", i), Notes: "Hộ nghèo, đã được hỗ trợ bò giống năm 2024"}
	}
	if err := st.SaveMany(objs, nil); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i, o := range objs {
		ids[i] = data.MetaOf(o).ID
	}
	return ids
}

// snapshot returns every record of a store as canonical JSON by id.
func snapshot(t testing.TB, st *data.Store) map[string]string {
	t.Helper()
	ids, err := st.RecordIDs()
	if err != nil {
		t.Fatal(err)
	}
	recs, err := st.Records(ids)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(recs))
	for _, r := range recs {
		b, _ := json.Marshal(data.Merge(r, r))
		out[r.ID] = string(b)
	}
	return out
}

// serverSnapshot returns every record the server holds for commune.
func serverSnapshot(t testing.TB, st Storage, commune string) map[string]string {
	t.Helper()
	out := map[string]string{}
	var since uint64
	for {
		page, err := st.Pull(context.Background(), PullRequest{Commune: commune, Since: since, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, js := range page.Records {
			var r data.Record
			if err := json.Unmarshal(js, &r); err != nil {
				t.Fatal(err)
			}
			if _, dup := out[r.ID]; dup {
				t.Fatalf("server feed holds %s twice", r.ID)
			}
			b, _ := json.Marshal(data.Merge(r, r))
			out[r.ID] = string(b)
		}
		since = page.Cursor
		if !page.More {
			return out
		}
	}
}

// diffSnapshots describes how two snapshots differ ("" if equal).
func diffSnapshots(a, b map[string]string) string {
	var missingB, missingA, differ []string
	for id, x := range a {
		y, ok := b[id]
		switch {
		case !ok:
			missingB = append(missingB, id)
		case x != y:
			differ = append(differ, id)
		}
	}
	for id := range b {
		if _, ok := a[id]; !ok {
			missingA = append(missingA, id)
		}
	}
	if len(missingA)+len(missingB)+len(differ) == 0 {
		return ""
	}
	sort.Strings(differ)
	s := fmt.Sprintf("%d only in first, %d only in second, %d differ", len(missingB), len(missingA), len(differ))
	if len(differ) > 0 {
		s += fmt.Sprintf("\nfirst difference %s:\n %s\n %s", differ[0], a[differ[0]], b[differ[0]])
	}
	return s
}

// grepDir reports the files under dir that contain needle.
func grepDir(t testing.TB, dir string, needle []byte) []string {
	t.Helper()
	var hits []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		if bytes.Contains(b, needle) {
			hits = append(hits, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}
