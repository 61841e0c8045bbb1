package sync

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"danvan/data"
)

// TestExpiredCursorForcesFullResync: a laptop away longer than the
// server's tombstone retention gets 410 and pulls everything again; the
// records whose deletion was purged meanwhile go to its trash, its own
// unsent work stays and is sent.
func TestExpiredCursorForcesFullResync(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	b := enrolledLaptop(t, ts, dakLong)
	villages := seedVillages(t, a, 2)
	hh := seedHouseholds(t, a, villages, 20)
	syncNow(t, a)
	syncNow(t, b)
	// b goes away; a deletes two households and edits one
	for _, id := range hh[:2] {
		if err := a.Delete(id); err != nil {
			t.Fatal(err)
		}
	}
	var h data.Household
	if err := a.Load(hh[5], &h); err != nil {
		t.Fatal(err)
	}
	h.Members = 11
	mustSave(t, a, &h)
	syncNow(t, a)
	// the retention passes: the server purges the tombstones
	n, err := ts.st.PurgeTombstones(context.Background(), time.Now().Add(time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("purged %d tombstones (%v), want 2", n, err)
	}
	status, body := rawRequest(t, http.MethodGet, ts.URL+PathPull+"?since=1", tokenOf(b), nil, nil)
	if status != http.StatusGone || !strings.Contains(string(body), CodeCursorExpired) || !strings.Contains(string(body), `"resync":true`) {
		t.Fatalf("old cursor: %d %s", status, body)
	}
	// meanwhile b made a record of its own
	mine := &data.Village{Name: "Làng của b", VillageKind: data.VillageBan}
	mustSave(t, b, mine)

	rep := syncNow(t, b)
	if rep.Resync != resyncExpired {
		t.Fatalf("report %+v, want a full resync", rep)
	}
	for _, id := range hh[:2] {
		obj, err := b.Get(id)
		if err != nil || !data.MetaOf(obj).Deleted {
			t.Fatalf("purged record %s not in b's trash: %v", id, err)
		}
	}
	if err := b.Load(hh[5], &h); err != nil || h.Members != 11 {
		t.Fatalf("edit missed by the resync: %d, %v", h.Members, err)
	}
	if _, err := b.Get(mine.ID); err != nil || data.MetaOf(mustGet(t, b, mine.ID)).Deleted {
		t.Fatal("b's own new record was lost or trashed")
	}
	if ts.count(dakLong) != 21 { // 22 - 2 purged + b's new one
		t.Fatalf("server holds %d records, want 21", ts.count(dakLong))
	}
	if left, _ := b.MetaPrefix(prefixSeen); len(left) != 0 || len(b.Meta(metaResync)) != 0 {
		t.Fatal("resync bookkeeping left behind")
	}
	if rep := syncNow(t, b); rep.Resync != "" || rep.Pulled != 0 {
		t.Fatalf("second sync after the resync: %+v", rep)
	}
}

func mustGet(t testing.TB, st *data.Store, id string) data.Object {
	t.Helper()
	obj, err := st.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// TestCursorAheadSendsEverythingBack: a server restored from an older
// backup has a lower sequence than a laptop's cursor; the laptop sends
// all its records again and pulls from 0, and nothing is duplicated.
func TestCursorAheadSendsEverythingBack(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	seedHouseholds(t, a, seedVillages(t, a, 2), 30)
	syncNow(t, a)
	// pretend the server lost the records: a's cursor is beyond it
	if err := a.SetMeta(metaCursor, []byte("999999999")); err != nil {
		t.Fatal(err)
	}
	rep := syncNow(t, a)
	if rep.Resync != resyncAhead || rep.Pushed != 32 {
		t.Fatalf("report %+v, want resync %q and 32 pushed", rep, resyncAhead)
	}
	if ts.count(dakLong) != 32 {
		t.Fatalf("server holds %d, want 32", ts.count(dakLong))
	}
	if d := diffSnapshots(snapshot(t, a), serverSnapshot(t, ts.st, dakLong)); d != "" {
		t.Fatal(d)
	}
}

// TestEnrollWithAnotherServerSendsEverything: moving a laptop to a new
// server queues all its records for it.
func TestEnrollWithAnotherServerSendsEverything(t *testing.T) {
	ts1, ts2 := startServer(t), startServer(t)
	a := enrolledLaptop(t, ts1, dakLong)
	seedVillages(t, a, 4)
	syncNow(t, a)
	if _, err := Enroll(context.Background(), a, ts2.URL, ts2.code(dakLong, "máy mới")); err != nil {
		t.Fatal(err)
	}
	if rep := syncNow(t, a); rep.Pushed != 4 || ts2.count(dakLong) != 4 {
		t.Fatalf("pushed %d to the new server, which holds %d", rep.Pushed, ts2.count(dakLong))
	}
}

// TestResolveConflictSyncs: the cadre's pick in the Xung đột view is an
// ordinary edit that clears the conflict everywhere.
func TestResolveConflictSyncs(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	b := enrolledLaptop(t, ts, dakLong)
	v := seedVillages(t, a, 1)
	c := &data.Concern{ConcernKind: data.ConcernReport, Channel: data.ChannelVisit, Received: "2026-04-01", Village: v[0], Topic: "dat_dai", Summary: "Tranh chấp đất rẫy"}
	mustSave(t, a, c)
	syncNow(t, a)
	syncNow(t, b)
	if err := a.ChangeStatus(c.ID, data.StatusHandling, "Đã giao cán bộ địa chính"); err != nil {
		t.Fatal(err)
	}
	if err := b.ChangeStatus(c.ID, data.StatusForwarded, "Chuyển lên huyện"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	syncNow(t, b)
	syncNow(t, a)
	rows := a.Conflicted()
	if len(rows) != 1 || rows[0].ID != c.ID {
		t.Fatalf("conflicts on a: %+v", rows)
	}
	rec, _ := a.Record(c.ID)
	cs := rec.Conflicts()
	if len(cs) != 1 || cs[0].Stamp.Device == "" || cs[0].CurStamp.Device == "" {
		t.Fatalf("conflict lacks who set the values: %+v", cs)
	}
	pick, _ := json.Marshal(data.StatusForwarded)
	if err := a.ResolveConflict(c.ID, "status", pick); err != nil {
		t.Fatal(err)
	}
	if len(a.Conflicted()) != 0 {
		t.Fatal("conflict still listed after the pick")
	}
	trail, _ := a.AuditTrail(c.ID)
	if last := trail[len(trail)-1]; last.Action != data.AuditUpdate {
		t.Fatalf("the pick is not an audited update: %+v", last)
	}
	syncNow(t, a)
	syncNow(t, b)
	if len(b.Conflicted()) != 0 {
		t.Fatal("conflict still listed on b after syncing the pick")
	}
	var got data.Concern
	if err := b.Load(c.ID, &got); err != nil || got.Status != data.StatusForwarded {
		t.Fatalf("b has status %q, want the pick", got.Status)
	}
}
