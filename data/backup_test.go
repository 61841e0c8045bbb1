package data

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

const backupPass = "Mật khẩu sao lưu 2026"

// fillBackupStore makes a store with the demo commune (2,322 records, a
// backup of several chunks), a profile, a deleted record and a
// denunciation with its confidential denouncer.
func fillBackupStore(t *testing.T, dir, pass string) (s *Store, denunciation string) {
	t.Helper()
	s, err := Open(dir, Options{Passphrase: pass, Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetProfile(Profile{Name: "Y Sáng", Unit: "Khối Dân vận xã", Lang: "vi"}); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateDemo(s, DemoOptions{Scale: 1, Seed: 7, Today: "2026-06-15"}); err != nil {
		t.Fatal(err)
	}
	v := newVillage(t, s, "Làng Tu Rét", true)
	c := &Concern{ConcernKind: ConcernDenunciation, Received: "2026-03-02", Accepted: "2026-03-04", Village: v.ID,
		RaiserKind: RaiserText, RaiserText: "Hồ Thị Kín Đáo", Summary: "Tố cáo cán bộ thôn thu tiền sai quy định", Assignee: "Y Sáng"}
	mustSave(t, s, c)
	gone := newVillage(t, s, "Làng đã xóa", false)
	if err := s.Delete(gone.ID); err != nil {
		t.Fatal(err)
	}
	return s, c.ID
}

// storeState is what a user would lose: every record (as Store.Record
// returns it, in JSON), every other key of the database byte for byte
// (sequence leases excepted: reopening moves them on), and the store's
// identity.
type storeState struct {
	records map[string]string
	raw     map[string]string
	device  string
	commune string
	profile Profile
	pending int
}

func stateOf(t *testing.T, s *Store) storeState {
	t.Helper()
	st := storeState{records: map[string]string{}, raw: map[string]string{}, device: s.Device(), commune: s.Commune(), pending: s.Pending()}
	st.profile, _ = s.Profile()
	ids, err := s.RecordIDs()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		rec, err := s.Record(id)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		st.records[id] = string(b)
	}
	err = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := string(it.Item().KeyCopy(nil))
			if strings.HasPrefix(k, "s/") {
				continue
			}
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			st.raw[k] = string(v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func compareStates(t *testing.T, want, got storeState) {
	t.Helper()
	if len(got.records) != len(want.records) {
		t.Errorf("%d records, want %d", len(got.records), len(want.records))
	}
	bad := 0
	for id, w := range want.records {
		if g, ok := got.records[id]; !ok || g != w {
			if bad++; bad <= 3 {
				t.Errorf("record %s:\n got %s\nwant %s", id, g, w)
			}
		}
	}
	for k, w := range want.raw {
		if g, ok := got.raw[k]; !ok || g != w {
			if bad++; bad <= 6 {
				t.Errorf("key %q differs or is missing", k)
			}
		}
	}
	if len(got.raw) != len(want.raw) {
		t.Errorf("%d keys, want %d", len(got.raw), len(want.raw))
	}
	if got.device != want.device || got.commune != want.commune || got.profile != want.profile || got.pending != want.pending {
		t.Errorf("identity: got %s %s %+v pending %d, want %s %s %+v pending %d",
			got.device, got.commune, got.profile, got.pending, want.device, want.commune, want.profile, want.pending)
	}
}

// hashTree returns the size and SHA-256 of every file under dir.
func hashTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[rel] = fmt.Sprintf("%d %x", len(b), sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// damageStore truncates every table and value log of the store in dir to
// half and overwrites its manifest with zeros.
func damageStore(t *testing.T, dir string) {
	t.Helper()
	bdir := filepath.Join(dir, storeSubdir)
	ents, err := os.ReadDir(bdir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range ents {
		p := filepath.Join(bdir, e.Name())
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		switch ext := filepath.Ext(e.Name()); {
		case ext == ".sst" || ext == ".vlog":
			err = os.Truncate(p, fi.Size()/2)
			n++
		case e.Name() == "MANIFEST":
			err = os.WriteFile(p, make([]byte, fi.Size()), 0o600)
			n++
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 3 {
		t.Fatalf("damaged only %d files", n)
	}
}

func TestBackupRestoreAfterDamage(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "store")
	s, denounced := fillBackupStore(t, dir, backupPass)
	want := stateOf(t, s)
	path := filepath.Join(root, "sao-luu.dvbak")
	info, err := s.BackupFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Device != s.Device() || info.Commune != "23368" || info.Schema != SchemaVersion || !info.Passphrase || info.Path != path {
		t.Errorf("backup info %+v", info)
	}
	if hi, err := ReadBackupInfo(path); err != nil || hi.Device != info.Device || !hi.Created.Equal(info.Created) {
		t.Errorf("ReadBackupInfo = %+v, %v; want %+v", hi, err, info)
	}
	if _, err := s.CheckBackup(path); err != nil {
		t.Errorf("CheckBackup: %v", err)
	}
	fi, _ := os.Stat(path)
	t.Logf("%d records, %d keys: backup of %d bytes", len(want.records), len(want.raw), fi.Size())
	if fi.Size() < 3*backupChunk {
		t.Errorf("backup of %d bytes: want several chunks to test", fi.Size())
	}
	if b, _ := os.ReadFile(path); bytes.Contains(b, []byte("Kín Đáo")) || bytes.Contains(b, []byte("Tu Rét")) {
		t.Error("backup holds plain text")
	}

	// Restoring while the app has the store open is refused.
	if _, err := RestoreBackup(dir, path, backupPass); !errors.Is(err, ErrAlreadyOpen) {
		t.Errorf("restore into an open store: %v, want ErrAlreadyOpen", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	damageStore(t, dir)
	if _, err := RestoreBackup(dir, path, "sai mật khẩu"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("restore with a wrong passphrase: %v", err)
	}
	if _, err := RestoreBackup(dir, path, backupPass); err != nil {
		t.Fatal(err)
	}
	tmp, old := restorePaths(dir)
	for _, p := range []string{tmp, old, filepath.Join(dir, restoreMarker)} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", p, err)
		}
	}

	s, err = Open(dir, Options{Passphrase: backupPass, Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	compareStates(t, want, stateOf(t, s))
	if who, err := s.Denouncer(denounced, "Y Sáng"); err != nil || who != "Hồ Thị Kín Đáo" {
		t.Errorf("denouncer after restore: %q, %v", who, err)
	}
	if n := s.Count(Filter{Kind: KindVillage}); n != 13 {
		t.Errorf("index after restore: %d villages, want 13", n)
	}

	// The restored store takes new changes, and they outlive a reopen
	// (Load carried the versions over).
	v := newVillage(t, s, "Làng mới sau khôi phục", false)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, Options{Passphrase: backupPass})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got Village
	if err := s.Load(v.ID, &got); err != nil || got.Name != v.Name {
		t.Errorf("village saved after restore: %+v, %v", got, err)
	}
	if rec, _ := s.Record(v.ID); rec == nil {
		t.Error("record saved after restore is missing")
	}
}

// chunkOffsets returns where each chunk of the backup b starts, and where
// its header ends.
func chunkOffsets(t *testing.T, b []byte) (headerEnd int, chunks []int) {
	t.Helper()
	n := int(binary.BigEndian.Uint32(b[len(backupMagic)+2:]))
	off := len(backupMagic) + 6 + n + sha256.Size
	headerEnd = off
	for off < len(b) {
		chunks = append(chunks, off)
		l := binary.BigEndian.Uint32(b[off:]) &^ backupLastChunk
		off += 4 + int(l)
	}
	if off != len(b) {
		t.Fatalf("chunks end at %d of %d", off, len(b))
	}
	return headerEnd, chunks
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "store")
	s, _ := fillBackupStore(t, dir, backupPass)
	path := filepath.Join(root, "good.dvbak")
	if _, err := s.BackupFile(path); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hdrEnd, chunks := chunkOffsets(t, good)
	if len(chunks) < 3 {
		t.Fatalf("%d chunks", len(chunks))
	}
	last := chunks[len(chunks)-1]
	flip := func(off int) []byte {
		b := bytes.Clone(good)
		b[off] ^= 0x01
		return b
	}
	swapped := bytes.Clone(good[:chunks[1]])
	swapped = append(swapped, good[chunks[2]:chunks[2]+(chunks[2]-chunks[1])]...) // same-size chunk 2 where chunk 1 was
	swapped = append(swapped, good[chunks[1]:]...)
	otherRoot := t.TempDir()
	other, _ := fillBackupStore(t, filepath.Join(otherRoot, "store"), backupPass)
	otherPath := filepath.Join(otherRoot, "other.dvbak")
	if _, err := other.BackupFile(otherPath); err != nil {
		t.Fatal(err)
	}
	other.Close()
	foreign, _ := os.ReadFile(otherPath)
	_, fchunks := chunkOffsets(t, foreign)
	spliced := append(bytes.Clone(good[:chunks[1]]), foreign[fchunks[1]:]...)
	// The chunk before last, relabelled as the last one: a cut at a
	// chunk boundary that also forges the end mark.
	prev := chunks[len(chunks)-2]
	l := binary.BigEndian.Uint32(good[prev:]) | backupLastChunk
	lastFlag := append(bytes.Clone(good[:prev]), binary.BigEndian.AppendUint32(nil, l)...)
	lastFlag = append(lastFlag, good[prev+4:last]...)

	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{"empty file", nil, ErrBackupCorrupt},
		{"not a backup", []byte("PK\x03\x04 a zip file, not a backup"), ErrBackupCorrupt},
		{"header only", good[:hdrEnd], ErrBackupCorrupt},
		{"cut in the header", good[:hdrEnd/2], ErrBackupCorrupt},
		{"cut in the first chunk", good[:chunks[0]+100], ErrBackupCorrupt},
		{"cut in the middle", good[:len(good)/2], ErrBackupCorrupt},
		{"cut at a chunk boundary", good[:last], ErrBackupCorrupt},
		{"last byte missing", good[:len(good)-1], ErrBackupCorrupt},
		{"bytes appended", append(bytes.Clone(good), 0), ErrBackupCorrupt},
		{"bit flipped in a chunk", flip(chunks[1] + 1000), ErrBackupCorrupt},
		{"bit flipped in a chunk length", flip(chunks[1] + 3), ErrBackupCorrupt},
		{"bit flipped in the last chunk", flip(len(good) - 5), ErrBackupCorrupt},
		{"bit flipped in the header MAC", flip(hdrEnd - 1), ErrWrongPassphrase},
		{"header altered (commune)", bytes.Replace(good, []byte(`"commune":"23368"`), []byte(`"commune":"23369"`), 1), ErrWrongPassphrase},
		{"chunks reordered", swapped, ErrBackupCorrupt},
		{"chunks from another backup", spliced, ErrBackupCorrupt},
		{"end mark forged", lastFlag, ErrBackupCorrupt},
	}
	before := hashTree(t, dir)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(root, "bad.dvbak")
			if err := os.WriteFile(p, c.b, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := RestoreBackup(dir, p, backupPass)
			if !errors.Is(err, c.want) {
				t.Errorf("restore: %v, want %v", err, c.want)
			}
			if after := hashTree(t, dir); !mapsEqual(before, after) {
				t.Error("store changed by a refused restore")
			}
			tmp, old := restorePaths(dir)
			for _, d := range []string{tmp, old} {
				if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s left behind", d)
				}
			}
		})
	}
	// A backup of another store made with the same passphrase is a valid
	// backup: restoring it is the user's choice. The store still opens.
	if _, err := Open(dir, Options{Passphrase: backupPass}); err != nil {
		t.Fatalf("store after refused restores: %v", err)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestBackupWithoutPassphrase(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "store")
	s := openAt(t, dir, "")
	v := newVillage(t, s, "Buôn Đôn", false)
	path := filepath.Join(root, "khong-mat-khau.dvbak")
	info, err := s.BackupFile(path)
	if err != nil || info.Passphrase {
		t.Fatalf("backup: %+v, %v", info, err)
	}
	s.Close()
	damageStore(t, dir)
	// Elsewhere, without the store's key.json, it cannot be opened.
	if _, err := RestoreBackup(filepath.Join(root, "laptop-khac"), path, ""); !errors.Is(err, ErrBackupKey) {
		t.Errorf("restore without key.json: %v, want ErrBackupKey", err)
	}
	// A key.json of another store without passphrase does not fit.
	s2 := openAt(t, filepath.Join(root, "khac"), "")
	s2.Close()
	if _, err := RestoreBackup(filepath.Join(root, "khac"), path, ""); !errors.Is(err, ErrBackupKey) {
		t.Errorf("restore with another key.json: %v, want ErrBackupKey", err)
	}
	if _, err := RestoreBackup(dir, path, ""); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, dir, "")
	defer s.Close()
	var got Village
	if err := s.Load(v.ID, &got); err != nil || got.Name != "Buôn Đôn" {
		t.Errorf("after restore: %+v, %v", got, err)
	}
}

func openAt(t *testing.T, dir, pass string) *Store {
	t.Helper()
	s, err := Open(dir, Options{Passphrase: pass, Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Commune() == "" {
		if err := s.SetCommune("23368"); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestRestoreOnANewLaptop(t *testing.T) {
	root := t.TempDir()
	s := openAt(t, filepath.Join(root, "cu"), backupPass)
	v := newVillage(t, s, "Thôn Kon Hring", true)
	path := filepath.Join(root, "usb.dvbak")
	if _, err := s.BackupFile(path); err != nil {
		t.Fatal(err)
	}
	s.Close()
	dir := filepath.Join(root, "moi", "danvan", "store")
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := RestoreBackup(dir, path, backupPass); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, dir, backupPass)
	defer s.Close()
	if got, err := s.Get(v.ID); err != nil || got.(*Village).Name != "Thôn Kon Hring" {
		t.Errorf("after restore: %+v, %v", got, err)
	}
}

func TestRecoverInterruptedRestore(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "store")
	s := openAt(t, dir, backupPass)
	v := newVillage(t, s, "Làng Mới", false)
	path := filepath.Join(root, "b.dvbak")
	if _, err := s.BackupFile(path); err != nil {
		t.Fatal(err)
	}
	newVillage(t, s, "Làng sau sao lưu", false)
	s.Close()

	// A restore that stopped between its two renames: the old store moved
	// aside, the verified new one not yet in place.
	if _, err := RestoreBackup(filepath.Join(root, "tmpstore"), path, backupPass); err != nil {
		t.Fatal(err)
	}
	tmp, old := restorePaths(dir)
	if err := os.Rename(filepath.Join(root, "tmpstore"), tmp); err != nil {
		t.Fatal(err)
	}
	if err := markVerified(tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(dir, old); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, dir, backupPass)
	if n := s.Count(Filter{Kind: KindVillage}); n != 1 {
		t.Errorf("after finishing the restore: %d villages, want the backup's 1", n)
	}
	if _, err := s.Record(v.ID); err != nil {
		t.Error(err)
	}
	s.Close()
	for _, p := range []string{tmp, old, filepath.Join(dir, restoreMarker)} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind", p)
		}
	}

	// A restore that stopped after moving the old store aside but before
	// its new one was verified: the old store comes back.
	if err := os.Rename(dir, old); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, dir, backupPass)
	if n := s.Count(Filter{Kind: KindVillage}); n != 1 {
		t.Errorf("after undoing the restore: %d villages, want 1", n)
	}
	s.Close()
}

func TestAutoBackup(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "store")
	s := openAt(t, dir, backupPass)
	defer s.Close()
	newVillage(t, s, "Làng Đăk Ang", true)
	bdir := BackupDir(dir)
	if bdir != filepath.Join(root, "backups") {
		t.Errorf("BackupDir = %s", bdir)
	}
	// Files that are not this store's daily backups stay.
	keep := []string{
		"danvan-2026-01-01-080000-aaaaaaaaaaaa.dvbak", // another store
		backupName(s.Device(), time.Date(2026, 1, 1, 8, 0, 0, 0, time.Local), "-schema0"),
		"ghi-chu.txt",
	}
	if err := os.MkdirAll(bdir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, k := range keep {
		if err := os.WriteFile(filepath.Join(bdir, k), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	day := time.Date(2026, 11, 1, 7, 30, 0, 0, time.Local)
	var made []string
	for i := range 10 {
		now := day.AddDate(0, 0, i)
		p, ok, err := AutoBackup(s, bdir, now)
		if err != nil || !ok {
			t.Fatalf("day %d: %s %v %v", i, p, ok, err)
		}
		if !strings.HasPrefix(filepath.Base(p), "danvan-"+now.Format("2006-01-02")) || filepath.Dir(p) != bdir {
			t.Errorf("day %d: %s", i, p)
		}
		made = append(made, p)
		// Later the same day: nothing new.
		p2, ok, err := AutoBackup(s, bdir, now.Add(10*time.Hour))
		if err != nil || ok || p2 != p {
			t.Errorf("day %d, second call: %s %v %v, want %s false", i, p2, ok, err, p)
		}
	}
	have, err := AutoBackups(s, bdir)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(made[len(made)-KeepBackups:])
	slices.Reverse(want)
	if !slices.Equal(have, want) {
		t.Errorf("kept %v\nwant %v", have, want)
	}
	for _, k := range keep {
		if _, err := os.Stat(filepath.Join(bdir, k)); err != nil {
			t.Errorf("%s removed: %v", k, err)
		}
	}
	if _, err := s.CheckBackup(have[0]); err != nil {
		t.Errorf("newest automatic backup: %v", err)
	}
	ents, _ := os.ReadDir(bdir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("%s left behind", e.Name())
		}
	}
}

func TestCheckBackupOfAnotherStore(t *testing.T) {
	root := t.TempDir()
	a := openAt(t, filepath.Join(root, "a"), backupPass)
	defer a.Close()
	b := openAt(t, filepath.Join(root, "b"), backupPass)
	defer b.Close()
	p := filepath.Join(root, "a.dvbak")
	if _, err := a.BackupFile(p); err != nil {
		t.Fatal(err)
	}
	if _, err := b.CheckBackup(p); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("check another store's backup: %v", err)
	}
}

func TestBackupsNeverReplaceEachOther(t *testing.T) {
	s := openAt(t, filepath.Join(t.TempDir(), "store"), backupPass)
	defer s.Close()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.Local)
	a, err := s.BackupBeforeRestore(now)
	if err != nil {
		t.Fatal(err)
	}
	newVillage(t, s, "Làng sau bản đầu", false)
	b, err := s.BackupBeforeRestore(now)
	if err != nil {
		t.Fatal(err)
	}
	if a == b || !strings.HasSuffix(b, "-truoc-khoi-phuc-2"+BackupExt) {
		t.Errorf("two backups in one second: %s and %s", a, b)
	}
	for _, p := range []string{a, b} {
		if _, err := s.CheckBackup(p); err != nil {
			t.Error(err)
		}
	}
}
