package sync

import (
	"testing"

	"danvan/data"
)

// TestReclassifiedDenunciationLeavesNoName: a kiến nghị synced with its
// raiser's name is re-classified as tố cáo on laptop A. After A's push
// and B's next pull, the name is in no version of any key of the server
// (decrypted) nor of laptop B, nor in the raw bytes of their files; A
// keeps it, confidential, and B shows the redacted record.
func TestReclassifiedDenunciationLeavesNoName(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, "23368")
	b := enrolledLaptop(t, ts, "23368")
	vil := seedVillages(t, a, 1)[0]
	name := "Hà Thị Tố Giác Hiếm"
	c := &data.Concern{ConcernKind: data.ConcernPetition, Channel: "truc_tiep", Received: "2026-11-20", Village: vil,
		RaiserKind: data.RaiserText, RaiserText: name, Topic: "dat_dai", Summary: "Đề nghị xem xét việc cấp đất", People: 1}
	mustSave(t, a, c)
	syncNow(t, a)
	syncNow(t, b)
	var onB data.Concern
	if err := b.Load(c.ID, &onB); err != nil || onB.RaiserText != name {
		t.Fatalf("before: B holds %q, %v", onB.RaiserText, err)
	}
	if !data.NeedsRaiserWarning(mustRecord(t, a, c.ID), &data.Concern{ConcernKind: data.ConcernDenunciation}) {
		t.Error("re-classifying a concern that names its raiser asks for no warning")
	}

	var edit data.Concern
	if err := a.Load(c.ID, &edit); err != nil {
		t.Fatal(err)
	}
	edit.ConcernKind = data.ConcernDenunciation
	mustSave(t, a, &edit)
	if rep := syncNow(t, a); rep.Pushed == 0 {
		t.Fatalf("A pushed nothing: %+v\n%s", rep, ts.logs.String())
	}
	syncNow(t, b)

	onB = data.Concern{}
	if err := b.Load(c.ID, &onB); err != nil {
		t.Fatal(err)
	}
	if onB.RaiserText != "" || onB.RaiserKind != data.RaiserConfidential || onB.ConcernKind != data.ConcernDenunciation {
		t.Errorf("after: B holds %+v", onB)
	}
	if who, err := a.Denouncer(c.ID, "Y Sáng"); err != nil || who != name {
		t.Errorf("A's confidential denouncer: %q, %v", who, err)
	}
	for who, st := range map[string]*data.Store{"laptop B": b} {
		if found, err := st.ContainsAnywhere([]byte(name)); err != nil || found {
			t.Errorf("%s still holds the name in some version (%v)", who, err)
		}
	}
	if found, err := data.DBContains(ts.st.db, []byte(name)); err != nil || found {
		t.Errorf("the server still holds the name in some version (%v)", err)
	}
	bdir := b.Dir()
	b.Close()
	ts.stop()
	for dir, what := range map[string]string{ts.dir: "server", bdir: "laptop B"} {
		if hits := grepDir(t, dir, []byte(name)); len(hits) > 0 {
			t.Errorf("name in %s files %v", what, hits)
		}
	}
}

func mustRecord(t *testing.T, st *data.Store, id string) *data.Record {
	t.Helper()
	r, err := st.Record(id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
