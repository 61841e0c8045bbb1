package sync

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"danvan/data"
)

func TestWorkerPushesSoonAfterSaveAndStopsCleanly(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	w := NewWorker(a, Config{Debounce: 20 * time.Millisecond, PollInterval: time.Hour})
	var changes atomic.Int32
	w.OnChange(func(Status) { changes.Add(1) })
	w.Start(context.Background())
	defer w.Stop()
	waitFor(t, 10*time.Second*raceScale, "the first sync", func() bool { return !w.Status().LastSuccess.IsZero() })
	villages := seedVillages(t, a, 2)
	waitFor(t, 10*time.Second*raceScale, "the save to reach the server", func() bool { return ts.count(dakLong) == 2 })
	mustSave(t, a, &data.Household{Head: "Y Thị Hoa", Village: villages[0], Members: 4})
	waitFor(t, 10*time.Second*raceScale, "the second save to reach the server", func() bool { return ts.count(dakLong) == 3 })
	waitFor(t, 10*time.Second*raceScale, "pending to reach 0", func() bool { return w.Status().Pending == 0 && !w.Status().Syncing })
	st := w.Status()
	if st.Enrolment != Enrolled || !st.Online || st.Server != ts.URL || st.Commune != dakLong || st.LastError != "" {
		t.Fatalf("status: %+v", st)
	}
	if len(st.Log) < 2 || !st.Log[0].OK {
		t.Fatalf("log: %+v", st.Log)
	}
	if changes.Load() == 0 {
		t.Fatal("OnChange never called")
	}
	start := time.Now()
	w.Stop()
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Stop took %s", d)
	}
	w.Stop() // twice is fine
}

func TestWorkerProbesWhileOfflineAndSyncsWhenBack(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	seedVillages(t, a, 3)
	ts.stop() // no server: connection refused
	w := NewWorker(a, Config{ProbeInterval: 100 * time.Millisecond, PollInterval: time.Hour})
	w.Start(context.Background())
	defer w.Stop()
	waitFor(t, 10*time.Second*raceScale, "the worker to notice it is offline", func() bool {
		st := w.Status()
		return len(st.Log) > 0 && !st.Online && !st.NextAttempt.IsZero()
	})
	if st := w.Status(); st.Pending != 3 || time.Until(st.NextAttempt) > time.Second {
		t.Fatalf("offline status: pending %d, next attempt in %s", st.Pending, time.Until(st.NextAttempt))
	}
	attempts := len(w.Status().Log)
	time.Sleep(350 * time.Millisecond)
	if n := len(w.Status().Log); n != attempts {
		t.Fatalf("offline worker made %d sync attempts instead of probing", n-attempts)
	}
	ts.start() // same address: the probe finds it and the worker syncs
	waitFor(t, 10*time.Second*raceScale, "the sync after the server came back", func() bool { return ts.count(dakLong) == 3 })
	waitFor(t, 10*time.Second*raceScale, "online", func() bool { return w.Status().Online })
}

func TestWorkerNeverBlocksTheCaller(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	seedHouseholds(t, a, seedVillages(t, a, 3), 3000)
	px := newProxy(t, ts.addr)
	proxied(t, a, px)
	toxic(t, px, tox{"slow", "bandwidth", "upstream", 1, `{"rate":64}`})
	w := NewWorker(a, Config{PollInterval: time.Hour})
	w.Start(context.Background())
	defer w.Stop()
	waitFor(t, 10*time.Second*raceScale, "a sync in progress", func() bool { return w.Status().Syncing })
	start := time.Now()
	for i := 0; i < 100; i++ {
		_ = w.Status()
		w.SyncNow()
	}
	mustSave(t, a, &data.Village{Name: "Làng mới", VillageKind: data.VillageLang}) // a save during a sync
	if d := time.Since(start); d > 500*time.Millisecond*raceScale {
		t.Fatalf("Status/SyncNow/Save took %s during a sync", d)
	}
	start = time.Now()
	w.Stop() // cancels the sync on the slow link
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Stop took %s during a sync", d)
	}
	if a.Pending() == 0 {
		t.Fatal("the sync finished: the test did not catch it in progress")
	}
}

func TestSyncNowAndLogOfLast50(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	for i := 0; i < LogSize+5; i++ {
		syncNow(t, a)
	}
	w := NewWorker(a, Config{PollInterval: time.Hour, ProbeInterval: time.Hour})
	if n := len(w.Status().Log); n != LogSize {
		t.Fatalf("log holds %d attempts, want %d", n, LogSize)
	}
	w.Start(context.Background())
	defer w.Stop()
	waitFor(t, 5*time.Second*raceScale, "the start sync", func() bool { return w.Status().Log[0].Trigger == "start" })
	seedVillages(t, a, 1)
	w.SyncNow()
	waitFor(t, 5*time.Second*raceScale, "Sync now", func() bool { return ts.count(dakLong) == 1 })
}

func TestBackoffIsCappedFullJitter(t *testing.T) {
	w := &Worker{cfg: Config{BaseBackoff: time.Second, MaxBackoff: 10 * time.Minute}.withDefaults()}
	var sum time.Duration
	for i := 0; i < 2000; i++ {
		d := w.backoff(3)
		if d < 0 || d > 4*time.Second {
			t.Fatalf("backoff(3) = %s, want within [0, 4s]", d)
		}
		sum += d
		if d := w.backoff(40); d > 10*time.Minute {
			t.Fatalf("backoff(40) = %s, above the 10 min cap", d)
		}
	}
	if avg := sum / 2000; avg < 1500*time.Millisecond || avg > 2500*time.Millisecond {
		t.Fatalf("backoff(3) averages %s: not full jitter over [0, 4s]", avg)
	}
}

func TestNotEnrolled(t *testing.T) {
	a := openStore(t)
	if _, err := RunOnce(context.Background(), a, nil); err != ErrNotEnrolled {
		t.Fatalf("sync without enrolment: %v", err)
	}
	w := NewWorker(a, Config{})
	if st := w.Status(); st.Enrolment != NotEnrolled || st.Server != "" {
		t.Fatalf("status: %+v", st)
	}
	var out strings.Builder
	_, _ = RunOnce(context.Background(), a, &out)
	if !strings.Contains(out.String(), "not enrolled") {
		t.Fatalf("CLI output %q does not say why", out.String())
	}
}
