package data

import (
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// Drafts are listed newest first with the time they were saved; a draft
// kept by an earlier version (no time) still loads.
func TestDraftsAreListedWithTheirTime(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := time.Now().Add(-time.Second)
	if err := s.SaveDraft("concern/new", []byte(`{"Summary":"Kiến nghị làm đường"}`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	if err := s.SaveDraft("meeting/new", []byte(`{"Chair":"Y Sáng"}`)); err != nil {
		t.Fatal(err)
	}
	// An old-format draft: the bare form.
	if err := s.db.Update(func(txn *badger.Txn) error {
		return txn.Set(draftKey("village/new"), []byte(`{"Name":"Làng Đăk Ang"}`))
	}); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Drafts()
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 || ds[0].Key != "meeting/new" || ds[1].Key != "concern/new" || ds[2].Key != "village/new" {
		t.Fatalf("drafts %+v", ds)
	}
	if ds[1].Saved.Before(before) || string(ds[1].Form) != `{"Summary":"Kiến nghị làm đường"}` || !ds[2].Saved.IsZero() {
		t.Errorf("draft times and forms: %+v", ds)
	}
	if got := string(s.Draft("concern/new")); got != `{"Summary":"Kiến nghị làm đường"}` {
		t.Errorf("Draft = %q", got)
	}
	if got := string(s.Draft("village/new")); got != `{"Name":"Làng Đăk Ang"}` {
		t.Errorf("old-format Draft = %q", got)
	}
	if err := s.DeleteDraft("concern/new"); err != nil {
		t.Fatal(err)
	}
	if ds, _ := s.Drafts(); len(ds) != 2 {
		t.Errorf("after a delete: %d drafts", len(ds))
	}
}

// MarkRunning tells a start after a clean close from one after a crash.
func TestMarkRunningTellsAnUncleanExit(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if unclean, err := s.MarkRunning(); err != nil || unclean {
		t.Fatalf("first run: unclean %v, %v", unclean, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if unclean, _ := s.MarkRunning(); unclean {
		t.Fatal("after a clean close the start says unclean")
	}
	s.running = false // as if the process died: Close leaves the mark
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if unclean, _ := s.MarkRunning(); !unclean {
		t.Fatal("after a crash the start does not say so")
	}
}

// Badger's advice that the small desktop caches "might be too small" is
// not logged; its other warnings are.
func TestBadgerCacheAdviceIsNotLogged(t *testing.T) {
	var got []string
	l := badgerLogger{func(f string, a ...any) { got = append(got, f) }}
	l.Warningf("%s might be too small. Metrics: %s\n", "Block cache", "hit: 3 miss: 40")
	l.Warningf("Cache life expectancy (in seconds): %+v\n", "x")
	l.Warningf("Value log %d is corrupt", 3)
	if len(got) != 1 || got[0] != "badger warning: Value log %d is corrupt" {
		t.Errorf("logged %q", got)
	}
}
