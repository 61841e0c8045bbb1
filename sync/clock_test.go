package sync

import (
	"context"
	"testing"
	"time"

	"danvan/data"
)

// futureStamps moves every stamp of r to wall.
func futureStamps(r *data.Record, wall int64) {
	r.Created.Wall = wall
	for n, f := range r.Fields {
		f.S.Wall = wall
		r.Fields[n] = f
	}
}

// TestFutureStampDoesNotStopALaptop: a server whose clock runs years
// ahead takes a record stamped 2100 from a device with a wrong clock; a
// second laptop with a correct clock does not merge it (it is held and
// listed as refused), its clock stays near its wall clock, and its own
// edits keep syncing, also after the server's clock is corrected.
func TestFutureStampDoesNotStopALaptop(t *testing.T) {
	ts := &testServer{t: t, dir: t.TempDir() + "/server", addr: "127.0.0.1:0", logs: &lockedBuffer{}}
	y2100 := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	ts.start()
	t.Cleanup(ts.stop)
	a := enrolledLaptop(t, ts, "23368")
	b := enrolledLaptop(t, ts, "23368")
	ts.stop()
	ts.cfg.Now = func() time.Time { return y2100 }
	ts.start()
	ids := seedVillages(t, a, 1)
	recs, err := a.Records(ids)
	if err != nil {
		t.Fatal(err)
	}
	futureStamps(&recs[0], y2100.UnixMilli())
	api := newTransports(time.Minute).client(ts.URL, string(a.Meta(metaToken)))
	if _, err := api.push(context.Background(), data.NewID(), zstdBytes(pushBody(t, recs...)), nil); err != nil {
		t.Fatalf("push of the 2100 record to the 2100 server: %v", err)
	}

	rep := syncNow(t, b)
	if len(rep.Quarantined) != 1 || rep.Quarantined[0].Code != CodeFutureStamp || rep.Quarantined[0].Direction != "pull" {
		t.Fatalf("laptop B's sync should list the 2100 record as refused on pull, got %+v", rep.Quarantined)
	}
	if got, _ := b.Records(ids); len(got) != 0 && !got[0].Created.IsZero() {
		t.Fatalf("laptop B merged the 2100 record: %+v", got)
	}
	limit := time.Now().Add(data.MaxClockLead).UnixMilli()
	if w := b.Clock().Last().Wall; w > limit {
		t.Fatalf("laptop B's clock jumped to %s", time.UnixMilli(w).UTC())
	}
	if len(b.Meta(prefixHeld+ids[0])) == 0 {
		t.Fatal("the refused record was not kept for later")
	}

	// B's own edits are stamped now and accepted, before and after the
	// server's clock is corrected.
	seedVillages(t, b, 1)
	if rep := syncNow(t, b); rep.Pushed != 1 || len(rep.Quarantined) != 0 {
		t.Fatalf("B's save did not sync: %+v", rep)
	}
	ts.stop()
	ts.cfg.Now = nil
	ts.start()
	seedVillages(t, b, 1)
	if rep := syncNow(t, b); rep.Pushed != 1 || len(rep.Quarantined) != 0 {
		t.Fatalf("B's save did not sync after the server's clock was corrected: %+v", rep)
	}
}

// TestRunRetryingRidesOutAnOutage: the server is down when the sync
// starts and comes back 1.5 s later; RunRetrying keeps trying within its
// budget and then sends the save. With a budget too short, it gives up
// with the connection error.
func TestRunRetryingRidesOutAnOutage(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, "23368")
	seedVillages(t, a, 2)
	ts.stop()
	if _, n, err := RunRetrying(context.Background(), a, 0, nil); err == nil || !Retryable(err) || n != 1 {
		t.Fatalf("no budget: %d attempts, err %v; want 1 attempt and a connection error", n, err)
	}
	back := make(chan struct{})
	go func() {
		defer close(back)
		time.Sleep(1500 * time.Millisecond)
		ts.start()
	}()
	rep, n, err := RunRetrying(context.Background(), a, time.Minute, nil)
	<-back
	if err != nil || n < 2 || rep.Pushed != 2 {
		t.Fatalf("after the outage: %d attempts, pushed %d, err %v", n, rep.Pushed, err)
	}
	if a.Pending() != 0 {
		t.Fatalf("%d changes still pending", a.Pending())
	}
}
