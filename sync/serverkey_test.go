package sync

import (
	"errors"
	"path/filepath"
	"testing"

	"danvan/data"
)

// TestServerStoreEncryptedAtRest: what a laptop pushes (a village's
// ethnicity and religion) is in no file of the server's data directory;
// the directory does not open without its key nor with another one; after
// a key rotation the new key opens it with every record, the old does not.
func TestServerStoreEncryptedAtRest(t *testing.T) {
	ts := startServer(t)
	lap := enrolledLaptop(t, ts, "23368")
	secret := "Tôn giáo Bí Mật Kiểm Thử"
	mustSave(t, lap, &data.Village{Name: "Làng Kon Mã", VillageKind: data.VillageLang, Households: 40,
		Ethnicities: []string{"Dân tộc Kiểm Thử Hiếm"}, Notes: secret})
	syncNow(t, lap)
	if n := ts.count("23368"); n != 1 {
		t.Fatalf("server holds %d records, want 1", n)
	}
	// Running (the write-ahead log holds the record uncompressed, where
	// an unencrypted store shows it: TestEncryptOldDataDir), then stopped.
	for _, needle := range []string{secret, "Kiểm Thử Hiếm", "Kon Mã"} {
		if hits := grepDir(t, ts.dir, []byte(needle)); len(hits) > 0 {
			t.Errorf("%q in plain text in %v while serving", needle, hits)
		}
	}
	ts.stop()
	for _, needle := range []string{secret, "Kiểm Thử Hiếm", "Kon Mã"} {
		if hits := grepDir(t, ts.dir, []byte(needle)); len(hits) > 0 {
			t.Errorf("%q in plain text in %v", needle, hits)
		}
	}
	if _, err := OpenBadgerStorageKey(ts.dir, nil, nil); !errors.Is(err, ErrServerKeyNeeded) {
		t.Errorf("open without key: %v, want ErrServerKeyNeeded", err)
	}
	if _, err := OpenBadgerStorageKey(ts.dir, nil, newRandom(ServerKeyLen)); !errors.Is(err, ErrServerKeyWrong) {
		t.Errorf("open with another key: %v, want ErrServerKeyWrong", err)
	}

	// Rotation, through the key files an administrator handles.
	oldFile, newFile := filepath.Join(t.TempDir(), "old.key"), filepath.Join(t.TempDir(), "new.key")
	if err := NewServerKeyFile(newFile); err != nil {
		t.Fatal(err)
	}
	if err := NewServerKeyFile(newFile); err == nil {
		t.Error("keygen overwrote an existing key file")
	}
	newKey, err := ReadServerKeyFile(newFile)
	if err != nil {
		t.Fatal(err)
	}
	_ = oldFile
	if err := RotateServerKey(ts.dir, ts.key, newKey); err != nil {
		t.Fatalf("rotate: %v", err)
	}
	if _, err := OpenBadgerStorageKey(ts.dir, nil, ts.key); !errors.Is(err, ErrServerKeyWrong) {
		t.Errorf("old key after rotation: %v, want ErrServerKeyWrong", err)
	}
	ts.key = newKey
	ts.start()
	if n := ts.count("23368"); n != 1 {
		t.Fatalf("after rotation the server holds %d records, want 1", n)
	}
	// It keeps serving: a new laptop of the commune pulls the village.
	lap2 := enrolledLaptop(t, ts, "23368")
	syncNow(t, lap2)
	if got := len(snapshot(t, lap2)); got != 1 {
		t.Errorf("second laptop pulled %d records after rotation, want 1", got)
	}
}

// TestEncryptOldDataDir: a data directory made before encryption is
// copied into an encrypted one that serves the same laptops (same server
// id, cursor and records) and holds nothing in plain text.
func TestEncryptOldDataDir(t *testing.T) {
	ts := startServer(t)
	ts.stop()
	ts.key = nil
	ts.dir = filepath.Join(t.TempDir(), "plain")
	ts.start()
	lap := enrolledLaptop(t, ts, "23368")
	mustSave(t, lap, &data.Village{Name: "Làng Kon Mã", VillageKind: data.VillageLang, Households: 40, Notes: "Ghi chú Rõ Ràng Kiểm Thử"})
	syncNow(t, lap)
	id := ts.st.ServerID()
	// Running, the write-ahead log (.mem) holds the record uncompressed.
	if hits := grepDir(t, ts.dir, []byte("Rõ Ràng Kiểm Thử")); len(hits) == 0 {
		t.Fatal("the unencrypted directory should hold the note in plain text (the test would prove nothing)")
	}
	ts.stop()
	key := newRandom(ServerKeyLen)
	enc := filepath.Join(t.TempDir(), "enc")
	if err := EncryptDataDir(ts.dir, enc, key); err != nil {
		t.Fatal(err)
	}
	if hits := grepDir(t, enc, []byte("Rõ Ràng Kiểm Thử")); len(hits) > 0 {
		t.Fatalf("plain text in the encrypted directory: %v", hits)
	}
	ts.dir, ts.key = enc, key
	ts.start()
	if ts.st.ServerID() != id || ts.count("23368") != 1 {
		t.Fatalf("server id %s (want %s), %d records", ts.st.ServerID(), id, ts.count("23368"))
	}
	mustSave(t, lap, &data.Village{Name: "Làng Kon Hia", VillageKind: data.VillageLang, Households: 30})
	if rep := syncNow(t, lap); rep.Pushed != 1 {
		t.Errorf("laptop after the move: %+v", rep)
	}
	lap2 := enrolledLaptop(t, ts, "23368")
	syncNow(t, lap2)
	if n := len(snapshot(t, lap2)); n != 2 {
		t.Errorf("new laptop pulled %d records, want 2", n)
	}
}
