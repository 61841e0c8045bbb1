package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"danvan/data"
	dsync "danvan/sync"
)

// TestOpenListRefreshesOnPull: the concerns list is open when a pull
// brings a colleague's new concern; the list shows it without the user
// navigating away and back, marked "Mới từ đồng nghiệp" until it is
// opened, and a record saved on this laptop is never marked.
func TestOpenListRefreshesOnPull(t *testing.T) {
	ts := startSyncServer(t)
	sh := newTestShell(t, "")
	firstRun(t, sh, "Y Sáng")
	s := enrollFromScreen(t, sh, ts)
	a := sh.Store()
	own := &data.Village{Name: "Làng Kon Dồn", VillageKind: data.VillageLang}
	if err := a.Save(own); err != nil {
		t.Fatal(err)
	}

	b, err := data.Open(t.TempDir(), data.Options{Actor: "Y Blếch"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	ctx := context.Background()
	if _, err := dsync.Enroll(ctx, b, ts.URL, ts.code(t, "Cán bộ B")); err != nil {
		t.Fatal(err)
	}
	v := &data.Village{Name: "Làng Đăk Xú", VillageKind: data.VillageLang}
	if err := b.Save(v); err != nil {
		t.Fatal(err)
	}
	c := &data.Concern{ConcernKind: data.ConcernPetition, Channel: data.ChannelReception, Received: data.Today(), Village: v.ID,
		RaiserKind: data.RaiserText, RaiserText: "A Thủy", Topic: "ha_tang", Summary: "Cầu treo qua suối bị hỏng", Complexity: data.ComplexityNormal, People: 1}
	if err := b.Save(c); err != nil {
		t.Fatal(err)
	}
	if _, err := dsync.RunOnce(ctx, b, nil); err != nil {
		t.Fatal(err)
	}

	cs, ok := sh.ShowScreen("concerns").(*ConcernsScreen)
	if !ok {
		t.Fatal("no concerns screen")
	}
	sh.wait()
	if n := cs.List.Length(); n != 0 {
		t.Fatalf("the list shows %d concerns before the pull", n)
	}
	// The Đồng bộ page stays built: its button syncs while the list is open.
	syncUntil(t, sh, "Đồng bộ ngay enabled", func() bool { return !s.SyncNow.Disabled() })
	test.Tap(s.SyncNow)
	syncUntil(t, sh, "the pulled concern in the open list", func() bool { return cs.List.Length() == 1 })
	if sh.Main.current != "concerns" {
		t.Fatalf("the screen changed to %q", sh.Main.current)
	}
	rows := listRows(cs.List)
	if !strings.Contains(rows[0], "Cầu treo qua suối bị hỏng") || !strings.Contains(rows[0], "Mới từ đồng nghiệp") || !strings.Contains(rows[0], colleagueMark) {
		t.Fatalf("the pulled concern shows %q, want it marked as a colleague's", rows[0])
	}

	cs.Open(c.ID)
	sh.wait()
	syncUntil(t, sh, "the mark cleared", func() bool { return !a.FromColleague(c.ID) })
	sh.wait()
	if rows := listRows(cs.List); strings.Contains(rows[0], "Mới từ đồng nghiệp") {
		t.Errorf("an opened concern is still marked: %q", rows[0])
	}

	vs, ok := sh.ShowScreen("villages").(*VillagesScreen)
	if !ok {
		t.Fatal("no villages screen")
	}
	sh.wait()
	for _, l := range vs.List.Lines() {
		marked := strings.Contains(l.Sub, "Mới từ đồng nghiệp")
		if want := strings.HasSuffix(l.Title, "Làng Đăk Xú"); marked != want {
			t.Errorf("village %q marked=%v, want %v", l.Title, marked, want)
		}
	}
}

// TestSyncProgressAndUpdateTexts: the Đồng bộ page says how far a sync
// has come and about how long is left, and a protocol mismatch is told
// as what to do, in Vietnamese.
func TestSyncProgressAndUpdateTexts(t *testing.T) {
	sh := newTestShell(t, "")
	cases := []struct {
		p    dsync.Progress
		want string
	}{
		{dsync.Progress{Phase: "pull", Done: 3200, Total: 10000, Left: 130 * time.Second}, "Đang nhận 3.200/10.000 bản ghi, còn khoảng 2 phút"},
		{dsync.Progress{Phase: "push", Done: 40, Total: 100, Left: 12 * time.Second}, "Đang gửi 40/100 thay đổi, còn khoảng 12 giây"},
		{dsync.Progress{Phase: "push", Done: 100, Total: 100}, "Đang gửi 100/100 thay đổi"},
	}
	for _, c := range cases {
		if got := sh.progressText(c.p); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
	for _, err := range []error{fmt.Errorf("push: %w", dsync.ErrUpdateApp), errors.New("sync: " + dsync.ErrUpdateApp.Error())} {
		if got := sh.syncErrorText(err); !strings.Contains(got, "cập nhật ứng dụng") {
			t.Errorf("%v is told as %q", err, got)
		}
	}
	if got := sh.syncErrorMessage(dsync.ErrServerOld.Error()); !strings.Contains(got, "cập nhật máy chủ") {
		t.Errorf("an older server is told as %q", got)
	}
}

// TestFooterSaysWhatSyncIsDoing: the footer's sync line reads as a state,
// not as an error, before enrolment, and says plainly when it syncs, waits
// for a network or last synced.
func TestFooterSaysWhatSyncIsDoing(t *testing.T) {
	sh := newTestShell(t, "")
	at := time.Date(2026, 12, 3, 8, 30, 0, 0, time.Local)
	cases := []struct {
		st   dsync.Status
		want string
	}{
		{dsync.Status{Enrolment: dsync.NotEnrolled}, "Chưa đăng ký đồng bộ"},
		{dsync.Status{Enrolment: dsync.Enrolled, Syncing: true}, "Đang đồng bộ…"},
		{dsync.Status{Enrolment: dsync.Enrolled, Syncing: true, Progress: dsync.Progress{Phase: "pull", Done: 200, Total: 1000}}, "Đang nhận 200/1.000 bản ghi"},
		{dsync.Status{Enrolment: dsync.Enrolled, LastError: "push: cannot reach the server", LastSuccess: at}, "Đang chờ mạng · Đồng bộ lần cuối: 03/12/2026 08:30"},
		{dsync.Status{Enrolment: dsync.Enrolled, Online: true, LastSuccess: at}, "Đồng bộ lần cuối: 03/12/2026 08:30"},
	}
	for _, c := range cases {
		if got := sh.syncLineText(c.st); got != c.want {
			t.Errorf("%+v: %q, want %q", c.st, got, c.want)
		}
	}
}
