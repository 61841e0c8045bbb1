package data

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	badger "github.com/dgraph-io/badger/v4"
)

// The store fixtures under testdata/ are stores written by earlier
// versions of the app. Every later version must open and read them:
//
//	testdata/store-vN/        a store of schema N (passphrase fixturePass)
//	testdata/store-vN.json    what it holds, as that version read it
//	testdata/store-future/    a store of a schema no version writes yet
//
// DANVAN_WRITE_FIXTURES=1 go test -run TestWriteStoreFixtures ./data
// writes the fixture of the current SchemaVersion (and store-future) if
// it is missing; it never overwrites one.

const fixturePass = "Mật khẩu thử nghiệm 2026"

// futureSchema is the schema version of testdata/store-future.
const futureSchema = 1000

// fixtureFacts is the content of testdata/store-vN.json.
type fixtureFacts struct {
	Schema  int               `json:"schema"`
	Device  string            `json:"device"`
	Commune string            `json:"commune"`
	Profile Profile           `json:"profile"`
	Pending int               `json:"pending"`
	IDs     map[string]string `json:"ids"`
	Records map[string]Record `json:"records"`
}

// writeFixtureStore fills a new store in dir with a few records of every
// main kind and returns what it holds.
func writeFixtureStore(t *testing.T, dir string) fixtureFacts {
	t.Helper()
	s, err := Open(dir, Options{Passphrase: fixturePass, Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetProfile(Profile{Name: "Y Sáng", Unit: "Khối Dân vận xã Đăk Long", Lang: "vi"}); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	v := &Village{Name: "Làng Đăk Ang", VillageKind: VillageLang, Remote: true, Households: 120, Ethnicities: []string{"Xơ Đăng"}}
	mustSave(t, s, v)
	ids["village"] = v.ID
	h := &Household{Head: "A Blếch", Village: v.ID, Members: 5, Ethnicity: "Xơ Đăng", Phone: "0905 123 456"}
	mustSave(t, s, h)
	ids["household"] = h.ID
	p := &Person{Name: "Đinh Văn Mật", Village: v.ID, Role: RolePrestige, Languages: []string{"Xơ Đăng", "Việt"}}
	mustSave(t, s, p)
	ids["person"] = p.ID
	c := &Concern{ConcernKind: ConcernComplaint1, Channel: ChannelVisit, Received: "2026-03-01", Accepted: "2026-03-03",
		Village: v.ID, RaiserKind: RaiserText, RaiserText: "Nguyễn Thị Hưởng", Topic: "dat_dai",
		Summary: "Nguyễn Thị Hưởng đã phản ánh việc cấp giấy chứng nhận quyền sử dụng đất chậm", People: 6}
	mustSave(t, s, c)
	ids["concern"] = c.ID
	if err := s.ChangeStatus(c.ID, StatusHandling, "Đã chuyển địa chính xã xác minh"); err != nil {
		t.Fatal(err)
	}
	d := &Concern{ConcernKind: ConcernDenunciation, Received: "2026-03-02", Accepted: "2026-03-04", Village: v.ID,
		RaiserKind: RaiserText, RaiserText: "Hồ Thị Kín Đáo", Summary: "Tố cáo cán bộ thôn thu tiền sai quy định", Assignee: "Y Sáng"}
	mustSave(t, s, d)
	ids["denunciation"] = d.ID
	m := &Meeting{MeetingKind: MeetingElders, Date: "2026-04-10", Village: v.ID, Chair: "Y Sáng", HeadCount: 14,
		Topics: []string{"Giữ rừng đầu nguồn"}, Notes: "Già làng thống nhất vận động bà con không phát rẫy mới"}
	mustSave(t, s, m)
	ids["meeting"] = m.ID
	gone := &Village{Name: "Thôn đã xóa", VillageKind: VillageThon, Households: 10}
	mustSave(t, s, gone)
	if err := s.Delete(gone.ID); err != nil {
		t.Fatal(err)
	}
	ids["deleted"] = gone.ID

	facts := fixtureFacts{Schema: SchemaVersion, Device: s.Device(), Commune: s.Commune(), Pending: outboxLen(t, s), IDs: ids, Records: map[string]Record{}}
	facts.Profile, _ = s.Profile()
	all, err := s.RecordIDs()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range all {
		rec, err := s.Record(id)
		if err != nil {
			t.Fatal(err)
		}
		facts.Records[id] = *rec
	}
	return facts
}

// storeKeyIn derives the key of the store in dir.
func storeKeyIn(t *testing.T, dir, pass string) []byte {
	t.Helper()
	kf, err := readKeyFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	key, err := kf.deriveKey(pass)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// setRawSchema writes schema version v into the closed store in dir,
// bypassing Open.
func setRawSchema(t *testing.T, dir, pass string, v int) {
	t.Helper()
	db, err := badger.Open(badgerOptions(filepath.Join(dir, storeSubdir), storeKeyIn(t, dir, pass), Options{}))
	if err != nil {
		t.Fatal(err)
	}
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(v))
	if err := db.Update(func(txn *badger.Txn) error { return txn.Set(keySchema, b[:]) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// rawGet reads key from the closed store in dir without Open, read-only.
func rawGet(t *testing.T, dir, pass, key string) []byte {
	t.Helper()
	db, err := badger.Open(badgerOptions(filepath.Join(dir, storeSubdir), storeKeyIn(t, dir, pass), Options{ReadOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v []byte
	err = db.View(func(txn *badger.Txn) error {
		var err error
		v, err = getBytes(txn, []byte(key))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func rawSchema(t *testing.T, dir, pass string) int {
	t.Helper()
	b := rawGet(t, dir, pass, string(keySchema))
	if len(b) != 4 {
		t.Fatalf("schema key %x", b)
	}
	return int(binary.BigEndian.Uint32(b))
}

// copyTree copies the directory src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWriteStoreFixtures(t *testing.T) {
	if os.Getenv("DANVAN_WRITE_FIXTURES") != "1" {
		t.Skip("set DANVAN_WRITE_FIXTURES=1 to write the missing store fixtures into testdata/")
	}
	write := func(name string, schema int) {
		dir := filepath.Join("testdata", name)
		if _, err := os.Stat(dir); err == nil {
			t.Logf("%s exists: kept", dir)
			return
		}
		tmp := t.TempDir()
		facts := writeFixtureStore(t, tmp)
		if schema != SchemaVersion {
			setRawSchema(t, tmp, fixturePass, schema)
			if err := os.WriteFile(filepath.Join(tmp, schemaFileName), []byte(fmt.Sprintf("%d\n", schema)), 0o600); err != nil {
				t.Fatal(err)
			}
			facts.Schema = schema
		}
		copyTree(t, tmp, dir)
		b, err := json.MarshalIndent(facts, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir+".json", append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s and %s.json", dir, dir)
	}
	write(fmt.Sprintf("store-v%d", SchemaVersion), SchemaVersion)
	write("store-future", futureSchema)
}

// TestStoreFixtures opens a copy of every testdata/store-vN fixture and
// checks that it reads exactly what the version that wrote it read.
func TestStoreFixtures(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "store-v*"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, src := range dirs {
		if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
			continue
		}
		found = true
		t.Run(filepath.Base(src), func(t *testing.T) {
			b, err := os.ReadFile(src + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var want fixtureFacts
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if want.Schema > SchemaVersion {
				t.Fatalf("fixture of schema %d, newer than this build's %d", want.Schema, SchemaVersion)
			}
			// As written, and without the schema file (as versions
			// before it wrote them).
			for _, withFile := range []bool{true, false} {
				dir := filepath.Join(t.TempDir(), "store")
				copyTree(t, src, dir)
				if !withFile {
					os.Remove(filepath.Join(dir, schemaFileName))
				}
				if _, err := Open(dir, Options{Passphrase: "không phải mật khẩu"}); !errors.Is(err, ErrWrongPassphrase) {
					t.Errorf("wrong passphrase: %v", err)
				}
				s, err := Open(dir, Options{Passphrase: fixturePass})
				if err != nil {
					t.Fatal(err)
				}
				checkFixture(t, s, want)
				s.Close()
				if v, ok := readSchemaFile(dir); !ok || v != SchemaVersion {
					t.Errorf("schema file says %d %v, want %d", v, ok, SchemaVersion)
				}
				if want.Schema < SchemaVersion {
					if got := BackupDir(dir); !hasFileWith(t, got, fmt.Sprintf("-schema%d", want.Schema)) {
						t.Errorf("no backup before the migration in %s", got)
					}
				}
			}
		})
	}
	if !found {
		t.Fatal("no testdata/store-v* fixture")
	}
}

func hasFileWith(t *testing.T, dir, part string) bool {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), part) {
			return true
		}
	}
	return false
}

func checkFixture(t *testing.T, s *Store, want fixtureFacts) {
	t.Helper()
	if s.Device() != want.Device || s.Commune() != want.Commune {
		t.Errorf("device %s commune %s, want %s %s", s.Device(), s.Commune(), want.Device, want.Commune)
	}
	if p, ok := s.Profile(); !ok || p != want.Profile {
		t.Errorf("profile %+v %v, want %+v", p, ok, want.Profile)
	}
	if n := outboxLen(t, s); n != want.Pending {
		t.Errorf("%d outbox entries waiting to sync, want %d", n, want.Pending)
	}
	ids, err := s.RecordIDs()
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(want.Records) {
		t.Errorf("%d records, want %d", len(ids), len(want.Records))
	}
	for id, w := range want.Records {
		got, err := s.Record(id)
		if err != nil {
			t.Errorf("record %s: %v", id, err)
			continue
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(w)
		if string(gb) != string(wb) {
			t.Errorf("record %s:\n got %s\nwant %s", id, gb, wb)
		}
	}

	// What a cadre sees.
	var v Village
	if err := s.Load(want.IDs["village"], &v); err != nil || v.Name != "Làng Đăk Ang" || !v.Remote || v.Households != 120 {
		t.Errorf("village: %+v, %v", v, err)
	}
	var h Household
	if err := s.Load(want.IDs["household"], &h); err != nil || h.Head != "A Blếch" || h.Members != 5 || h.Village != v.ID {
		t.Errorf("household: %+v, %v", h, err)
	}
	var p Person
	if err := s.Load(want.IDs["person"], &p); err != nil || p.Name != "Đinh Văn Mật" || p.Role != RolePrestige {
		t.Errorf("person: %+v, %v", p, err)
	}
	var c Concern
	if err := s.Load(want.IDs["concern"], &c); err != nil || c.Status != StatusHandling || len(c.History) != 2 ||
		c.Summary != "Nguyễn Thị Hưởng đã phản ánh việc cấp giấy chứng nhận quyền sử dụng đất chậm" || c.Deadline != "2026-04-17" {
		t.Errorf("concern: %+v, %v", c, err)
	}
	var m Meeting
	if err := s.Load(want.IDs["meeting"], &m); err != nil || m.Chair != "Y Sáng" || m.HeadCount != 14 {
		t.Errorf("meeting: %+v, %v", m, err)
	}
	var gone Village
	if err := s.Load(want.IDs["deleted"], &gone); err != nil || !gone.Deleted {
		t.Errorf("deleted village: %+v, %v", gone, err)
	}
	// The index: lists and search.
	if n := s.Count(Filter{Kind: KindVillage}); n != 1 {
		t.Errorf("%d live villages, want 1", n)
	}
	if rows := s.Find(Filter{Query: "dak ang"}, ByTitle); len(rows) != 1 || rows[0].ID != v.ID {
		t.Errorf("search %q: %+v", "dak ang", rows)
	}
	if rows := s.Find(Filter{Kind: KindConcern, Village: v.ID}, ByTitle); len(rows) != 2 {
		t.Errorf("%d concerns of the village, want 2", len(rows))
	}
	if who, err := s.Denouncer(want.IDs["denunciation"], "Y Sáng"); err != nil || who != "Hồ Thị Kín Đáo" {
		t.Errorf("denouncer: %q, %v", who, err)
	}
}

// TestNewerStoreRefused opens a copy of testdata/store-future, a store of
// a schema this build does not know: it must be refused with
// ErrNewerSchema and left as it was, byte for byte.
func TestNewerStoreRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	copyTree(t, filepath.Join("testdata", "store-future"), dir)
	before := hashTree(t, dir)
	for _, ro := range []bool{false, true} {
		if _, err := Open(dir, Options{Passphrase: fixturePass, ReadOnly: ro}); !errors.Is(err, ErrNewerSchema) {
			t.Fatalf("open (read-only %v): %v, want ErrNewerSchema", ro, err)
		}
	}
	if _, err := Open(dir, Options{Passphrase: "sai"}); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("open with a wrong passphrase: %v, want ErrNewerSchema first", err)
	}
	if after := hashTree(t, dir); !mapsEqual(before, after) {
		t.Errorf("refused store changed:\nbefore %v\nafter  %v", before, after)
	}
	if _, err := os.Stat(BackupDir(dir)); !errors.Is(err, os.ErrNotExist) {
		t.Error("backup dir made for a refused store")
	}
}

// TestNewerStoreWithoutSchemaFile: without the schema file, the version
// in the database refuses the store before anything is written to it
// (Badger may only rotate its empty value-log file, and add a data key to
// KEYREGISTRY when the fixture's key is older than Badger's 10-day
// rotation period).
func TestNewerStoreWithoutSchemaFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	copyTree(t, filepath.Join("testdata", "store-future"), dir)
	if err := os.Remove(filepath.Join(dir, schemaFileName)); err != nil {
		t.Fatal(err)
	}
	before := hashTree(t, dir)
	if _, err := Open(dir, Options{Passphrase: fixturePass}); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("open: %v, want ErrNewerSchema", err)
	}
	after := hashTree(t, dir)
	for name, h := range before {
		if after[name] != h && !strings.HasSuffix(name, ".vlog") && !keyRotation(name) {
			t.Errorf("%s changed: %s → %s", name, h, after[name])
		}
	}
	for name, h := range after {
		if before[name] != h && !(strings.HasSuffix(name, ".vlog") && strings.HasPrefix(h, "20 ")) && !keyRotation(name) {
			t.Errorf("%s new or changed: %s", name, h)
		}
	}
	if v := rawSchema(t, dir, fixturePass); v != futureSchema {
		t.Errorf("schema now %d, want %d", v, futureSchema)
	}
	if _, ok := readSchemaFile(dir); ok {
		t.Error("schema file written for a refused store")
	}
}

// withMigrations replaces the migration steps for one test.
func withMigrations(t *testing.T, ms []migration) {
	t.Helper()
	saved := migrations
	migrations = ms
	t.Cleanup(func() { migrations = saved })
}

// olderStore makes a closed store with one village, marked as schema 0.
func olderStore(t *testing.T) (dir, village string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "store")
	s := openAt(t, dir, fixturePass)
	v := newVillage(t, s, "Làng Kon Tu", true)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	setRawSchema(t, dir, fixturePass, 0)
	return dir, v.ID
}

func TestOlderStoreMigrated(t *testing.T) {
	dir, village := olderStore(t)
	var sawOld bool
	withMigrations(t, []migration{{from: 0, about: "test: mark the store", apply: func(txn *badger.Txn) error {
		v, err := getBytes(txn, keySchema)
		sawOld = err == nil && binary.BigEndian.Uint32(v) == 0
		return txn.Set([]byte("m/test-migrated"), []byte("có"))
	}}})
	var logged []string
	s, err := Open(dir, Options{Passphrase: fixturePass, Logf: func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }})
	if err != nil {
		t.Fatal(err)
	}
	if !sawOld {
		t.Error("migration did not run on the schema-0 store")
	}
	if string(s.Meta("test-migrated")) != "có" {
		t.Errorf("migration not applied: %q", s.Meta("test-migrated"))
	}
	if _, err := s.Record(village); err != nil {
		t.Error(err)
	}
	s.Close()
	if v := rawSchema(t, dir, fixturePass); v != SchemaVersion {
		t.Errorf("schema after migration %d, want %d", v, SchemaVersion)
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "upgraded from schema 0") {
		t.Errorf("log: %q", logged)
	}

	// The backup taken first holds the store as it was, at schema 0.
	ents, err := os.ReadDir(BackupDir(dir))
	if err != nil || len(ents) != 1 || !strings.HasSuffix(ents[0].Name(), "-schema0"+BackupExt) {
		t.Fatalf("backups: %v, %v", ents, err)
	}
	bk := filepath.Join(BackupDir(dir), ents[0].Name())
	if info, err := ReadBackupInfo(bk); err != nil || info.Schema != 0 {
		t.Errorf("backup info %+v, %v", info, err)
	}
	back := filepath.Join(t.TempDir(), "store")
	withMigrations(t, nil)
	// With no step from 0 this build cannot open it, so restoring it is
	// refused...
	if _, err := RestoreBackup(back, bk, fixturePass); err == nil || !strings.Contains(err.Error(), "no migration from schema 0") {
		t.Errorf("restore of a schema-0 backup without the step: %v", err)
	}
	if _, err := os.Stat(back); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("refused restore left %s", back)
	}
	// ...and with the step it migrates again.
	withMigrations(t, []migration{{from: 0, about: "test", apply: func(txn *badger.Txn) error { return nil }}})
	if _, err := RestoreBackup(back, bk, fixturePass); err != nil {
		t.Fatal(err)
	}
	if v := rawGet(t, back, fixturePass, "m/test-migrated"); v != nil {
		t.Errorf("backup taken after the migration: %q", v)
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	dir, village := olderStore(t)
	withMigrations(t, []migration{{from: 0, about: "test: fails half-way", apply: func(txn *badger.Txn) error {
		if err := txn.Set([]byte("m/test-half"), []byte("x")); err != nil {
			return err
		}
		if err := txn.Delete(recordKey(village)); err != nil {
			return err
		}
		return errors.New("cannot convert record")
	}}})
	_, err := Open(dir, Options{Passphrase: fixturePass})
	if err == nil || !strings.Contains(err.Error(), "cannot convert record") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("open: %v", err)
	}
	if v := rawSchema(t, dir, fixturePass); v != 0 {
		t.Errorf("schema %d after a failed migration, want 0", v)
	}
	if v := rawGet(t, dir, fixturePass, "m/test-half"); v != nil {
		t.Error("half a migration was kept")
	}
	if v := rawGet(t, dir, fixturePass, string(recordKey(village))); v == nil {
		t.Error("record deleted by a failed migration")
	}

	// A store with no path to the current schema is refused before any
	// backup or change.
	withMigrations(t, nil)
	os.RemoveAll(BackupDir(dir))
	if _, err := Open(dir, Options{Passphrase: fixturePass}); err == nil || !strings.Contains(err.Error(), "no migration from schema 0 to 1") {
		t.Errorf("open without a migration: %v", err)
	}
	if _, err := os.Stat(BackupDir(dir)); !errors.Is(err, os.ErrNotExist) {
		t.Error("backup made for a store that cannot be migrated")
	}
	// Read-only opens do not migrate.
	withMigrations(t, []migration{{from: 0, about: "test", apply: func(txn *badger.Txn) error { return nil }}})
	if _, err := Open(dir, Options{Passphrase: fixturePass, ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("read-only open of an older store: %v", err)
	}
}

// keyRotation reports whether name is Badger's key registry, which Badger
// rewrites at open once its data key is 10 days old: a new data key, no
// record data.
func keyRotation(name string) bool { return filepath.Base(name) == "KEYREGISTRY" }

// outboxLen counts the outbox's entries (Pending counts the records).
func outboxLen(t testing.TB, s *Store) int {
	t.Helper()
	es, err := s.Outbox(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}
