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
