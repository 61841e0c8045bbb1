package ui

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
	dsync "danvan/sync"
)

// syncServer is a real danvan sync server for UI tests: Badger storage in
// a temp dir and the protocol handlers on a 127.0.0.1 listener.
type syncServer struct {
	URL string
	st  *dsync.BadgerStorage
	// skew moves the server's clock (nanoseconds added to time.Now).
	skew *atomic.Int64
}

func startSyncServer(t *testing.T) *syncServer {
	t.Helper()
	st, err := dsync.OpenBadgerStorage(filepath.Join(t.TempDir(), "server"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	skew := &atomic.Int64{}
	now := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Protocols: dsync.HTTPProtocols(),
		Handler: dsync.NewServer(dsync.ServerConfig{Storage: st, Now: now})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			_ = srv.Close()
		}
		<-done
		_ = st.Close()
	})
	return &syncServer{URL: "http://" + ln.Addr().String(), st: st, skew: skew}
}

// code makes a one-time enrolment code with the server's admin API.
func (ts *syncServer) code(t *testing.T, label string) string {
	t.Helper()
	code, _, err := (&dsync.Admin{Storage: ts.st}).NewEnrolmentCode(context.Background(), "23368", label, 0)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// record returns the server's copy of record id of Xã Đăk Long, if any.
func (ts *syncServer) record(t *testing.T, id string) (data.Record, bool) {
	t.Helper()
	var since uint64
	for {
		page, err := ts.st.Pull(context.Background(), dsync.PullRequest{Commune: "23368", Since: since, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, js := range page.Records {
			var r data.Record
			if err := json.Unmarshal(js, &r); err != nil {
				t.Fatal(err)
			}
			if r.ID == id {
				return r, true
			}
		}
		since = page.Cursor
		if !page.More {
			return data.Record{}, false
		}
	}
}

// syncUntil runs the UI updates of background jobs and of the sync
// worker until cond holds, failing the test after 30 s.
func syncUntil(t *testing.T, sh *Shell, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		sh.wait()
		if cond() {
			return
		}
		select {
		case <-sh.queue.ready:
			sh.queue.run()
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			st, _ := sh.SyncStatus()
			t.Fatalf("timed out waiting for %s; sync status: %+v", what, st)
		}
	}
}

// syncScreen shows the Đồng bộ page.
func syncScreen(t *testing.T, sh *Shell) *SyncScreen {
	t.Helper()
	s, ok := sh.ShowScreen("sync").(*SyncScreen)
	if !ok {
		t.Fatal("no sync screen")
	}
	sh.wait()
	return s
}

// enrollFromScreen enrolls the laptop from the Đồng bộ page with a fresh
// code and waits for the first sync.
func enrollFromScreen(t *testing.T, sh *Shell, ts *syncServer) *SyncScreen {
	t.Helper()
	s := syncScreen(t, sh)
	s.URL.SetText("")
	s.Code.SetText("")
	test.Type(s.URL, ts.URL)
	test.Type(s.Code, ts.code(t, "Cán bộ A"))
	test.Tap(s.Enrol)
	sh.wait()
	if s.EnrolError.Visible() {
		t.Fatalf("enrolment failed: %s", s.EnrolError.Text)
	}
	syncUntil(t, sh, "the first sync", func() bool { return !s.Status().LastSuccess.IsZero() && !s.Status().Syncing })
	return s
}

// tapSyncNow taps Đồng bộ ngay and waits until a sync it started worked.
func tapSyncNow(t *testing.T, sh *Shell, s *SyncScreen) {
	t.Helper()
	syncUntil(t, sh, "Đồng bộ ngay enabled", func() bool { return !s.SyncNow.Disabled() })
	tapped := time.Now()
	test.Tap(s.SyncNow)
	syncUntil(t, sh, "a sync on Đồng bộ ngay", func() bool {
		st := s.Status()
		return len(st.Log) > 0 && st.Log[0].Trigger == "now" && !st.Log[0].Start.Before(tapped) && !st.Syncing
	})
}

func TestSyncScreenEnrollSaveAndSyncNow(t *testing.T) {
	ts := startSyncServer(t)
	sh := newTestShell(t, "")
	firstRun(t, sh, "Y Sáng")
	if got := dashboard(t, sh).Sync.Status.Text; got != "Chưa đăng ký đồng bộ" {
		t.Errorf("dashboard sync line before enrolment: %q", got)
	}

	s := syncScreen(t, sh)
	if s.State.Text != sh.T("sync.state_not_enrolled") || !s.EnrolBox.Visible() || !s.SyncNow.Disabled() {
		t.Fatalf("before enrolment: state %q, form shown %v, Sync now disabled %v", s.State.Text, s.EnrolBox.Visible(), s.SyncNow.Disabled())
	}
	if !s.Enrol.Disabled() {
		t.Error("Đăng ký should wait for the address and the code")
	}

	// a wrong code: a clear error, nothing enrolled
	test.Type(s.URL, ts.URL)
	test.Type(s.Code, "ABCD-EFGH-JKMN")
	test.Tap(s.Enrol)
	sh.wait()
	if !s.EnrolError.Visible() || s.EnrolError.Text != sh.T("sync.err.code.code_unknown") {
		t.Fatalf("a wrong code shows %q (visible %v)", s.EnrolError.Text, s.EnrolError.Visible())
	}
	if st := s.Status(); st.Enrolment != dsync.NotEnrolled {
		t.Fatalf("a wrong code enrolled the laptop: %+v", st)
	}

	// the right code, from the server's admin API
	s = enrollFromScreen(t, sh, ts)
	if !s.EnrolDone.Visible() || !strings.Contains(s.EnrolDone.Text, ts.URL) {
		t.Errorf("enrolment confirmation %q", s.EnrolDone.Text)
	}
	if s.State.Text != sh.T("sync.state_enrolled", "Label", "Cán bộ A") || s.Server.Text != ts.URL || s.EnrolBox.Visible() {
		t.Errorf("after enrolment: state %q, server %q, form shown %v", s.State.Text, s.Server.Text, s.EnrolBox.Visible())
	}

	// a record saved, then Đồng bộ ngay
	st := sh.Store()
	v := &data.Village{Name: "Làng Kon Dồn", VillageKind: data.VillageLang}
	if err := st.Save(v); err != nil {
		t.Fatal(err)
	}
	syncUntil(t, sh, "the pending change", func() bool { return s.Status().Pending > 0 || s.Status().Syncing || st.Pending() == 0 })
	tapSyncNow(t, sh, s)
	syncUntil(t, sh, "nothing pending", func() bool { return s.Status().Pending == 0 })
	status := s.Status()
	if !status.Log[0].OK || status.LastSuccess.IsZero() || status.LastError != "" {
		t.Fatalf("Đồng bộ ngay did not succeed: %+v", status)
	}
	if want := sh.T("sync.pending_count", "Count", 0); s.Pending.Text != want {
		t.Errorf("pending shows %q, want %q", s.Pending.Text, want)
	}
	if want := formatDateTime(status.LastSuccess); s.Last.Text != want {
		t.Errorf("last sync shows %q, want %q", s.Last.Text, want)
	}
	if s.Error.Visible() {
		t.Errorf("an error is shown after a good sync: %q", s.Error.Text)
	}
	if _, ok := ts.record(t, v.ID); !ok {
		t.Fatal("the server does not hold the saved village")
	}
	log := strings.Join(s.LogLines(), "\n")
	if !strings.Contains(log, sh.T("sync.trigger.now")) || !strings.Contains(log, sh.T("sync.log_ok", "Pushed", 1, "Pulled", 0)) {
		t.Errorf("the log does not show the sync:\n%s", log)
	}
	if n := len(listRows(s.Log)); n != len(status.Log) {
		t.Errorf("the log list shows %d rows for %d attempts", n, len(status.Log))
	}

	// the dashboard's line
	d := dashboard(t, sh)
	if want := sh.T("status.last_sync", "Time", formatDateTime(status.LastSuccess)); d.Sync.Status.Text != want {
		t.Errorf("dashboard sync line %q, want %q", d.Sync.Status.Text, want)
	}
	if !strings.Contains(d.Sync.Pending.Text, sh.T("dashboard.pending", "Count", 0)) {
		t.Errorf("dashboard pending %q", d.Sync.Pending.Text)
	}
	sh.SetLang("en")
	if want := "Last synced: " + formatDateTime(status.LastSuccess); dashboard(t, sh).Sync.Status.Text != want {
		t.Errorf("in English the dashboard line is %q, want %q", dashboard(t, sh).Sync.Status.Text, want)
	}
	if s := syncScreen(t, sh); s.SyncNow.Text != "Sync now" || s.State.Text != "Enrolled (Cán bộ A)" {
		t.Errorf("in English the sync page shows %q, %q", s.SyncNow.Text, s.State.Text)
	}
	if s := syncScreen(t, sh); s.Clock.Visible() {
		t.Errorf("clocks in step, yet the sync page warns: %q", s.Clock.Text)
	}
}

// listRows renders every row of l and returns what each shows.
func listRows(l *widget.List) []string {
	var out []string
	for i := 0; i < l.Length(); i++ {
		o := l.CreateItem()
		l.UpdateItem(i, o)
		out = append(out, strings.ReplaceAll(allTexts(o), "\n", " | "))
	}
	return out
}

func TestSyncScreenRevokedDeviceEnrollsAgainLosingNothing(t *testing.T) {
	ts := startSyncServer(t)
	sh := newTestShell(t, "")
	firstRun(t, sh, "Y Sáng")
	s := enrollFromScreen(t, sh, ts)
	admin := &dsync.Admin{Storage: ts.st}
	devs, err := admin.Devices(context.Background())
	if err != nil || len(devs) != 1 {
		t.Fatalf("devices %v, %v", devs, err)
	}
	if err := admin.Revoke(context.Background(), devs[0].ID); err != nil {
		t.Fatal(err)
	}
	v := &data.Village{Name: "Làng Đăk Xú", VillageKind: data.VillageLang}
	if err := sh.Store().Save(v); err != nil {
		t.Fatal(err)
	}
	syncUntil(t, sh, "Đồng bộ ngay enabled", func() bool { return !s.SyncNow.Disabled() })
	test.Tap(s.SyncNow)
	syncUntil(t, sh, "the refusal", func() bool { return s.Status().Enrolment == dsync.NeedsEnrolment })
	if s.State.Text != sh.T("sync.state_revoked") || !s.EnrolBox.Visible() {
		t.Fatalf("a revoked laptop shows state %q, form shown %v", s.State.Text, s.EnrolBox.Visible())
	}
	if s.Error.Text != sh.T("sync.err.revoked") {
		t.Errorf("error %q, want the revoked message", s.Error.Text)
	}
	if got := dashboard(t, sh).Sync.Status.Text; got != sh.T("sync.line_needs_enrolment") {
		t.Errorf("dashboard line %q", got)
	}
	if s.Status().Pending == 0 {
		t.Fatal("the change waiting to be sent was lost")
	}
	s = enrollFromScreen(t, sh, ts)
	syncUntil(t, sh, "the change sent after enrolling again", func() bool { return s.Status().Pending == 0 && !s.Status().Syncing })
	if _, ok := ts.record(t, v.ID); !ok {
		t.Fatal("the village saved while revoked did not reach the server")
	}
}

func TestSyncScreenListsQuarantinedRecordWithReason(t *testing.T) {
	ts := startSyncServer(t)
	sh := newTestShell(t, "")
	firstRun(t, sh, "Y Sáng")
	s := enrollFromScreen(t, sh, ts)
	st := sh.Store()
	// the laptop's clock runs two days ahead of the server's: the server
	// refuses the record for good, and the screen says a clock is wrong
	ts.skew.Store(int64(-48 * time.Hour))
	v := &data.Village{Name: "Làng tương lai", VillageKind: data.VillageLang}
	if err := st.Save(v); err != nil {
		t.Fatal(err)
	}
	tapSyncNow(t, sh, s)
	syncUntil(t, sh, "the quarantine", func() bool { return len(s.QuarantineItems()) == 1 })
	q := s.QuarantineItems()[0]
	if q.ID != v.ID || q.Title != sh.EnumText("kind", "village")+": Làng tương lai" || q.Reason != sh.T("sync.quar.future_stamp") ||
		!strings.Contains(q.Detail, "clock") {
		t.Fatalf("quarantined item %+v", q)
	}
	rows := listRows(s.Quarantine)
	if len(rows) != 1 || !strings.Contains(rows[0], "Làng tương lai") || !strings.Contains(rows[0], sh.T("sync.quar.future_stamp")) ||
		!strings.Contains(rows[0], sh.T("sync.requeue")) {
		t.Fatalf("the quarantine list shows %q", rows)
	}
	if !s.Clock.Visible() || !strings.Contains(s.Clock.Text, "Đồng hồ máy tính sai") {
		t.Errorf("no clock warning on the sync screen: %q (visible %v)", s.Clock.Text, s.Clock.Visible())
	}
	if s.QuarTitle.Text != sh.T("sync.quarantine_count", "Count", 1) {
		t.Errorf("quarantine title %q", s.QuarTitle.Text)
	}
	if s.Status().Pending != 0 {
		t.Error("the refused record blocks the queue")
	}
	// Gửi lại: sent again at once (and, the clock still ahead, refused again)
	s.Requeue(v.ID)
	syncUntil(t, sh, "the record sent again", func() bool {
		l := s.Status().Log
		return len(l) > 0 && l[0].Trigger == "now" && l[0].Quarantined == 1 && len(s.QuarantineItems()) == 1 && !s.Status().Syncing
	})
}
