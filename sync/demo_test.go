package sync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"danvan/data"
)

// demoVillage saves a village with a demo id (as "danvan demo" writes
// them) into st and returns its id.
func demoVillage(t testing.TB, st *data.Store, name string) string {
	t.Helper()
	v := &data.Village{Name: name, VillageKind: data.VillageLang, Households: 30}
	v.ID = data.NewDemoID()
	mustSave(t, st, v)
	return v.ID
}

// TestDemoRecordPushedIsRefused: a push carrying a demo record, sent by
// hand as an old laptop would, gets a JSON 400 demo_record naming the
// record; the server stores nothing of it and keeps serving.
func TestDemoRecordPushedIsRefused(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	token := tokenOf(a)
	good := sampleRecord(t, dakLong)
	demo := data.Merge(good, good)
	demo.ID = data.NewDemoID()

	for _, tc := range []struct {
		name string
		recs []data.Record
		idx  int
	}{
		{"a demo record alone", []data.Record{demo}, 0},
		{"a demo record after a real one", []data.Record{good, demo}, 1},
	} {
		status, eb, _ := rawPush(t, ts, token, pushBody(t, tc.recs...))
		if status != http.StatusBadRequest || eb.Code != CodeDemoRecord || !strings.Contains(eb.Error, "demo") {
			t.Fatalf("%s: got %d %s (%s), want 400 %s", tc.name, status, eb.Code, eb.Error, CodeDemoRecord)
		}
		if len(eb.Records) != 1 || eb.Records[0].Index != tc.idx || eb.Records[0].ID != demo.ID || eb.Records[0].Code != CodeDemoRecord {
			t.Fatalf("%s: the answer does not name the demo record: %+v", tc.name, eb.Records)
		}
	}
	if n := ts.count(dakLong); n != 0 {
		t.Fatalf("the server stored %d records from refused pushes", n)
	}
	// still serving
	if status, eb, pr := rawPush(t, ts, token, pushBody(t, good)); status != 200 || len(pr.Seqs) != 1 {
		t.Fatalf("good push after the demo one: %d %+v %+v", status, eb, pr)
	}
	if status, _ := rawRequest(t, http.MethodGet, ts.URL+PathHealth, "", nil, nil); status != 200 {
		t.Fatalf("health after the demo push: %d", status)
	}
	if n := ts.count(dakLong); n != 1 {
		t.Fatalf("the server holds %d records, want the real one", n)
	}
}

// TestLaptopNeverPushesDemoRecords: demo records in an enrolled store
// (written before demo generation refused enrolled stores) stay on the
// laptop: the sync sends only the real records, quarantines nothing, and
// the outbox empties; a USB bundle leaves them out too.
func TestLaptopNeverPushesDemoRecords(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	real := seedVillages(t, a, 3)
	demoIDs := []string{demoVillage(t, a, "Làng Mẫu 1"), demoVillage(t, a, "Làng Mẫu 2")}

	rep := syncNow(t, a)
	if rep.Pushed != len(real) || len(rep.Quarantined) != 0 {
		t.Fatalf("pushed %d, quarantined %+v; want %d real records and no quarantine", rep.Pushed, rep.Quarantined, len(real))
	}
	snap := serverSnapshot(t, ts.st, dakLong)
	if len(snap) != len(real) {
		t.Fatalf("server holds %d records, want %d", len(snap), len(real))
	}
	for _, id := range demoIDs {
		if _, ok := snap[id]; ok {
			t.Errorf("demo record %s reached the server", id)
		}
		if _, err := a.Record(id); err != nil {
			t.Errorf("demo record %s is gone from the laptop: %v", id, err)
		}
	}
	if n := a.Pending(); n != 0 {
		t.Errorf("%d outbox entries left after the sync", n)
	}

	// A demo record edited later is again kept back; so is one in a bundle.
	demoVillage(t, a, "Làng Mẫu 3")
	var buf bytes.Buffer
	h, err := ExportBundle(a, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if h.Records != 0 || h.Entries != 0 || a.Pending() != 0 {
		t.Errorf("the export bundle carries %d records for %d outbox entries, %d pending; a demo change queues nothing", h.Records, h.Entries, a.Pending())
	}
	if rep := syncNow(t, a); rep.Pushed != 0 || len(rep.Quarantined) != 0 {
		t.Errorf("second sync pushed %d, quarantined %+v", rep.Pushed, rep.Quarantined)
	}
	if n := ts.count(dakLong); n != len(real) {
		t.Errorf("server holds %d records, want %d", n, len(real))
	}
}

// TestPulledDemoRecordIsRefused: a demo record the server holds (taken by
// an older server) is refused by the laptop's pull check, as the server
// refuses it on push: quarantined as demo_record, never merged.
func TestPulledDemoRecordIsRefused(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	b := enrolledLaptop(t, ts, dakLong)
	real := seedVillages(t, a, 2)
	syncNow(t, a)

	rec := sampleRecord(t, dakLong)
	rec.ID = data.NewDemoID()
	devs, err := ts.st.Devices(context.Background())
	if err != nil || len(devs) == 0 {
		t.Fatalf("devices: %v %v", devs, err)
	}
	merge, err := mergeFor(devs[0], []data.Record{rec}, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(rec)
	hash := sha256.Sum256(raw)
	if _, err := ts.st.Apply(context.Background(), ApplyRequest{Device: devs[0].ID, Key: data.NewID(), BodyHash: hash[:], Records: []data.Record{rec}, Merge: merge}); err != nil {
		t.Fatal(err)
	}

	rep := syncNow(t, b)
	for _, id := range real {
		if _, err := b.Record(id); err != nil {
			t.Errorf("real record %s not pulled: %v", id, err)
		}
	}
	if _, err := b.Record(rec.ID); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("the demo record was merged into the laptop: %v", err)
	}
	if len(rep.Quarantined) != 1 || rep.Quarantined[0].ID != rec.ID || rep.Quarantined[0].Code != CodeDemoRecord || rep.Quarantined[0].Direction != "pull" {
		t.Errorf("quarantined %+v, want the demo record as %s on pull", rep.Quarantined, CodeDemoRecord)
	}
}

// TestEnrollRefusedWithDemoRecords: a store holding demo records cannot be
// enrolled; the code is not used up, and once the demo records are
// removed the same code enrolls the store.
func TestEnrollRefusedWithDemoRecords(t *testing.T) {
	ts := startServer(t)
	st := openStore(t)
	if err := st.SetCommune(dakLong); err != nil {
		t.Fatal(err)
	}
	real := seedVillages(t, st, 1)
	demoVillage(t, st, "Làng Mẫu")
	code := ts.code(dakLong, "Cán bộ")
	_, err := Enroll(context.Background(), st, ts.URL, code)
	if !errors.Is(err, data.ErrHoldsDemo) {
		t.Fatalf("enrolling a store with demo records: %v, want ErrHoldsDemo", err)
	}
	if IsEnrolled(st) {
		t.Fatal("the refused store counts as enrolled")
	}
	if n, err := st.RemoveDemo(); err != nil || n != 1 {
		t.Fatalf("RemoveDemo: %d, %v", n, err)
	}
	if _, err := Enroll(context.Background(), st, ts.URL, code); err != nil {
		t.Fatalf("enrolling after removing the demo records, same code: %v", err)
	}
	if !IsEnrolled(st) {
		t.Fatal("an enrolled store does not count as enrolled")
	}
	if rep := syncNow(t, st); rep.Pushed != len(real) {
		t.Errorf("pushed %d, want the %d real records", rep.Pushed, len(real))
	}
}
