package sync

import (
	"context"
	"net/http/httptest"
	"testing"

	"danvan/data"
)

func TestTwoLaptopsExchangeRecords(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	b := enrolledLaptop(t, ts, dakLong)
	villages := seedVillages(t, a, 3)
	seedHouseholds(t, a, villages, 200)

	rep := syncNow(t, a)
	if rep.Pushed != 203 || a.Pending() != 0 {
		t.Fatalf("first sync pushed %d, pending %d; want 203, 0", rep.Pushed, a.Pending())
	}
	if rep.Pulled != 0 {
		t.Errorf("laptop got its own %d records back", rep.Pulled)
	}
	rep = syncNow(t, b)
	if rep.Pulled != 203 {
		t.Fatalf("second laptop pulled %d, want 203", rep.Pulled)
	}
	if d := diffSnapshots(snapshot(t, a), snapshot(t, b)); d != "" {
		t.Fatalf("laptops differ: %s", d)
	}
	if d := diffSnapshots(snapshot(t, a), serverSnapshot(t, ts.st, dakLong)); d != "" {
		t.Fatalf("laptop and server differ: %s", d)
	}
	// an edit on b reaches a
	var v data.Village
	if err := b.Load(villages[0], &v); err != nil {
		t.Fatal(err)
	}
	v.Notes = "Đường vào làng sạt lở sau mưa lớn"
	mustSave(t, b, &v)
	syncNow(t, b)
	rep = syncNow(t, a)
	if rep.Pulled != 1 {
		t.Fatalf("pulled %d after one edit, want 1", rep.Pulled)
	}
	var got data.Village
	if err := a.Load(villages[0], &got); err != nil || got.Notes != v.Notes {
		t.Fatalf("edit did not arrive: %q, %v", got.Notes, err)
	}
}

func TestNoopSyncIsOneSmallRoundTrip(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	seedVillages(t, a, 2)
	syncNow(t, a)
	rep, err := RunOnce(context.Background(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests != 1 || rep.Pushed != 0 || rep.Pulled != 0 {
		t.Fatalf("no-op sync: %+v", rep)
	}
	if rep.Sent+rep.Received > 1024 {
		t.Fatalf("no-op sync moved %d bytes (sent %d, received %d), want ≤ 1024", rep.Sent+rep.Received, rep.Sent, rep.Received)
	}
	t.Logf("no-op sync: 1 round trip, %d bytes sent, %d received", rep.Sent, rep.Received)
}

// TestHTTP1OnlyServer: a server (or proxy) that speaks only HTTP/1.1 on
// http:// still works: the client falls back from h2c and remembers.
func TestHTTP1OnlyServer(t *testing.T) {
	ts := startServer(t)
	ts.stop()
	st, err := OpenBadgerStorageKey(ts.dir, nil, ts.key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(ServerConfig{Storage: st})) // HTTP/1.1 only
	defer func() { srv.Close(); st.Close() }()
	code, _, _ := (&Admin{Storage: st}).NewEnrolmentCode(context.Background(), dakLong, "", 0)
	a := openStore(t)
	if _, err := Enroll(context.Background(), a, srv.URL, code); err != nil {
		t.Fatal(err)
	}
	seedHouseholds(t, a, seedVillages(t, a, 2), 3000)
	if rep := syncNow(t, a); rep.Pushed != 3002 {
		t.Fatalf("pushed %d", rep.Pushed)
	}
	if _, ok := h1Only.Load(srv.URL); !ok {
		t.Fatal("fallback to HTTP/1.1 not remembered")
	}
}

// What the footer says is waiting is what the sync then says it sent:
// three saves of one village and one of another are 2 records waiting,
// and 2 sent.
func TestPendingCountsWhatASyncSends(t *testing.T) {
	ts := startServer(t)
	st := enrolledLaptop(t, ts, dakLong)
	v := &data.Village{Name: "Làng Đăk Ang", VillageKind: data.VillageLang}
	mustSave(t, st, v)
	v.Households = 120
	mustSave(t, st, v)
	v.Households = 126
	mustSave(t, st, v)
	mustSave(t, st, &data.Village{Name: "Thôn Kon Pao", VillageKind: data.VillageThon})
	if n := st.Pending(); n != 2 {
		t.Fatalf("pending %d, want 2 (records, not saves)", n)
	}
	rep := syncNow(t, st)
	if rep.Pushed != 2 || st.Pending() != 0 {
		t.Errorf("sent %d, %d left; want 2 sent, none left", rep.Pushed, st.Pending())
	}
}
