package sync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	stdsync "sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"danvan/data"
)

// PostgreSQL-only tests; the storage suite (storage_suite_test.go) runs
// the rest against PostgreSQL too. All need DANVAN_TEST_PG.

// serveStorage serves st on a real 127.0.0.1 listener until the test ends.
func serveStorage(t testing.TB, st Storage) string {
	url, _ := startStorageServer(t, st)
	return url
}

// startStorageServer serves st on a real 127.0.0.1 listener and returns
// its URL and a function that stops it (also called at the test's end).
func startStorageServer(t testing.TB, st Storage) (string, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTPServer(NewServer(ServerConfig{Storage: st}), Timeouts{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	var once stdsync.Once
	stop := func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil {
				_ = srv.Close()
			}
			<-done
		})
	}
	t.Cleanup(stop)
	return "http://" + ln.Addr().String(), stop
}

func TestPGMigrationsAreVersioned(t *testing.T) {
	dsn := pgTestDSN(t)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	latest := PGSchemaVersion()
	if latest < 2 {
		t.Fatalf("PGSchemaVersion %d: the embedded migrations are missing", latest)
	}
	version := func() (n, max int) {
		if err := pool.QueryRow(ctx, `SELECT count(*), coalesce(max(version), 0) FROM schema_version`).Scan(&n, &max); err != nil {
			t.Fatal(err)
		}
		return
	}
	// An old database at version 1 ...
	if applied, err := migratePG(ctx, pool, 1); err != nil || fmt.Sprint(applied) != "[1]" {
		t.Fatalf("fresh database to version 1: applied %v, %v", applied, err)
	}
	var idx bool
	pool.QueryRow(ctx, `SELECT to_regclass('idempotency_created') IS NOT NULL`).Scan(&idx)
	if n, v := version(); n != 1 || v != 1 || idx {
		t.Fatalf("at version 1: %d rows, version %d, index of version 2 there: %v", n, v, idx)
	}
	// ... is brought to the latest by opening it, in order.
	st, err := OpenPGStorage(ctx, dsn, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	pool.QueryRow(ctx, `SELECT to_regclass('idempotency_created') IS NOT NULL`).Scan(&idx)
	if n, v := version(); n != latest || v != latest || !idx {
		t.Fatalf("after opening: %d rows, version %d (want %d), index of version 2: %v", n, v, latest, idx)
	}
	var applied1 time.Time
	pool.QueryRow(ctx, `SELECT applied FROM schema_version WHERE version = 1`).Scan(&applied1)
	// Re-running is a no-op.
	if applied, err := migratePG(ctx, pool, 0); err != nil || len(applied) != 0 {
		t.Fatalf("migrating a current database applied %v, %v", applied, err)
	}
	var again time.Time
	pool.QueryRow(ctx, `SELECT applied FROM schema_version WHERE version = 1`).Scan(&again)
	if n, _ := version(); n != latest || !again.Equal(applied1) {
		t.Fatalf("re-run changed schema_version: %d rows, applied %v was %v", n, again, applied1)
	}
	// A database from a newer server is refused, untouched.
	if _, err := pool.Exec(ctx, `INSERT INTO schema_version (version, name) VALUES ($1, 'future')`, latest+1); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenPGStorage(ctx, dsn, nil, nil); !errors.Is(err, ErrSchemaNewer) {
		t.Fatalf("open a database of a newer server: %v, want ErrSchemaNewer", err)
	}
}

// TestPGServersStartTogether: servers starting at once on a new
// database migrate it once and agree on its id.
func TestPGServersStartTogether(t *testing.T) {
	dsn := pgTestDSN(t)
	key := newRandom(ServerKeyLen)
	ids := make([]string, 4)
	var wg stdsync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			st, err := OpenPGStorage(context.Background(), dsn, nil, key)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = st.ServerID()
			st.Close()
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id == "" || id != ids[0] {
			t.Fatalf("server ids %v: want one id", ids)
		}
	}
}

// TestPGRecordsSealedAtRest: with a server key the database holds no
// record content in clear (a dump shows none), and it opens only with
// that key.
func TestPGRecordsSealedAtRest(t *testing.T) {
	ctx := context.Background()
	secret := "Tôn giáo: Công giáo, dân tộc Xơ Đăng"
	rawBodies := func(dsn string, key []byte) []byte {
		st := openPG(t, dsn, key)
		suitePush(t, st, suiteDevice(dakLong), "", suiteRecord(dakLong, secret))
		var all []byte
		rows, err := st.pool.Query(ctx, `SELECT body FROM records`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var b []byte
			rows.Scan(&b)
			all = append(all, b...)
		}
		if page, err := st.Pull(ctx, PullRequest{Commune: dakLong}); err != nil || !bytes.Contains(page.Records[0], []byte(secret)) {
			t.Fatalf("pull does not give the record back: %v", err)
		}
		st.Close()
		return all
	}
	plainDSN := pgTestDSN(t)
	if raw := rawBodies(plainDSN, nil); !bytes.Contains(raw, []byte(secret)) {
		t.Fatal("without a key the stored body should be the plain JSON (the check below would prove nothing)")
	}
	dsn := pgTestDSN(t)
	key := newRandom(ServerKeyLen)
	if raw := rawBodies(dsn, key); bytes.Contains(raw, []byte(secret)) || bytes.Contains(raw, []byte("Xơ Đăng")) {
		t.Fatal("the record's content is in the database in clear")
	}
	if _, err := OpenPGStorage(ctx, dsn, nil, newRandom(ServerKeyLen)); !errors.Is(err, ErrServerKeyWrong) {
		t.Fatalf("open with another key: %v, want ErrServerKeyWrong", err)
	}
	if _, err := OpenPGStorage(ctx, dsn, nil, nil); !errors.Is(err, ErrServerKeyNeeded) {
		t.Fatalf("open without the key: %v, want ErrServerKeyNeeded", err)
	}
	if _, err := OpenPGStorage(ctx, plainDSN, nil, key); !errors.Is(err, ErrDatabaseNotEncrypted) {
		t.Fatalf("open a plain database with a key: %v, want ErrDatabaseNotEncrypted", err)
	}
	if isNew, err := PGDatabaseIsNew(ctx, dsn); err != nil || isNew {
		t.Fatalf("PGDatabaseIsNew of a used database: %v, %v", isNew, err)
	}
	if isNew, err := PGDatabaseIsNew(ctx, pgTestDSN(t)); err != nil || !isNew {
		t.Fatalf("PGDatabaseIsNew of an empty schema: %v, %v", isNew, err)
	}
}

// TestPGTwoServersServeTheSameLaptops runs two servers on one
// PostgreSQL database, each on its own 127.0.0.1 port with its own
// connection pool: laptops enrolled with codes made on either push to
// both at once, then each syncs through the other server and has
// everything; a device revoked on one is refused by the other.
func TestPGTwoServersServeTheSameLaptops(t *testing.T) {
	dsn := pgTestDSN(t)
	key := newRandom(ServerKeyLen)
	sts := []*PGStorage{openPG(t, dsn, key), openPG(t, dsn, key)}
	urls := []string{serveStorage(t, sts[0]), serveStorage(t, sts[1])}
	if sts[0].ServerID() != sts[1].ServerID() {
		t.Fatal("two servers on one database have different server ids")
	}
	ctx := context.Background()
	communes := []string{dakLong, dakLong, dakLong, dakLong, moRai, moRai}
	laptops := make([]*data.Store, len(communes))
	for i, c := range communes {
		// The code is made on one server and redeemed at the other.
		code, _, err := (&Admin{Storage: sts[i%2]}).NewEnrolmentCode(ctx, c, fmt.Sprintf("Cán bộ %d", i), 0)
		if err != nil {
			t.Fatal(err)
		}
		laptops[i] = openStore(t)
		if _, err := Enroll(ctx, laptops[i], urls[(i+1)%2], code); err != nil {
			t.Fatalf("laptop %d enrolls at server %d: %v", i, (i+1)%2, err)
		}
		vs := seedVillages(t, laptops[i], 2)
		seedHouseholds(t, laptops[i], vs, 300)
	}
	// Every laptop pushes at once, half of them to each server.
	var wg stdsync.WaitGroup
	for i, st := range laptops {
		wg.Go(func() {
			if rep, err := RunOnce(ctx, st, nil); err != nil || rep.Pushed != 302 {
				t.Errorf("laptop %d: pushed %d, %v; want 302", i, rep.Pushed, err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	// Then each syncs through the other server and gets the rest.
	for i, st := range laptops {
		if err := st.SetMeta(metaServer, []byte(urls[i%2])); err != nil {
			t.Fatal(err)
		}
		syncNow(t, st)
	}
	for _, c := range []string{dakLong, moRai} {
		a, b := serverSnapshot(t, sts[0], c), serverSnapshot(t, sts[1], c)
		if d := diffSnapshots(a, b); d != "" {
			t.Fatalf("the two servers differ on %s: %s", c, d)
		}
		want := 302 * 4
		if c == moRai {
			want = 302 * 2
		}
		if len(a) != want {
			t.Fatalf("the servers hold %d records of %s, want %d", len(a), c, want)
		}
		for i, st := range laptops {
			if communes[i] == c {
				if d := diffSnapshots(snapshot(t, st), a); d != "" {
					t.Fatalf("laptop %d differs from the servers: %s", i, d)
				}
			}
		}
	}
	// Revoked through server 0, the laptop is refused by server 1.
	devs, err := sts[0].Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := sts[0].RevokeDevice(ctx, string(laptops[1].Meta(metaDeviceID)), time.Now()); err != nil {
		t.Fatal(err)
	}
	laptops[1].SetMeta(metaServer, []byte(urls[1]))
	mustSave(t, laptops[1], &data.Village{Name: "Làng sau thu hồi", VillageKind: data.VillageLang})
	if _, err := RunOnce(ctx, laptops[1], nil); err == nil {
		t.Fatalf("a device revoked on server 0 synced through server 1 (%d devices)", len(devs))
	}
}

// pgFilesContain reports whether the records table's files (heap and
// TOAST), as on disk after a CHECKPOINT, contain needle. It skips the test
// when the role may not read server files.
func pgFilesContain(t *testing.T, st *PGStorage, needle []byte) bool {
	t.Helper()
	ctx := context.Background()
	if _, err := st.pool.Exec(ctx, `CHECKPOINT`); err != nil {
		t.Skipf("CHECKPOINT needs a superuser (or pg_checkpoint): %v", err)
	}
	rows, err := st.pool.Query(ctx, `SELECT pg_read_binary_file(pg_relation_filepath(c.oid))
		FROM pg_class c WHERE c.oid IN ('records'::regclass, (SELECT reltoastrelid FROM pg_class WHERE oid = 'records'::regclass))`)
	if err != nil {
		t.Skipf("reading the table's files needs pg_read_server_files: %v", err)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Skipf("reading the table's files: %v", err)
		}
		found = found || bytes.Contains(b, needle)
	}
	return found
}

// TestPGReclassifiedDenunciationLeavesNoName: as
// TestReclassifiedDenunciationLeavesNoName on PostgreSQL. The database
// is made without a server key here so that its files can be searched
// for the name in clear: before the re-classification they hold it; after
// it and the VACUUM the server starts, neither the records table's files
// nor laptop B do.
func TestPGReclassifiedDenunciationLeavesNoName(t *testing.T) {
	st := openPG(t, pgTestDSN(t), nil)
	url := serveStorage(t, st)
	ctx := context.Background()
	laptop := func() *data.Store {
		code, _, err := (&Admin{Storage: st}).NewEnrolmentCode(ctx, dakLong, "Cán bộ", 0)
		if err != nil {
			t.Fatal(err)
		}
		l := openStore(t)
		if _, err := Enroll(ctx, l, url, code); err != nil {
			t.Fatal(err)
		}
		return l
	}
	a, b := laptop(), laptop()
	vil := seedVillages(t, a, 1)[0]
	name := "Hà Thị Tố Giác Hiếm"
	c := &data.Concern{ConcernKind: data.ConcernPetition, Channel: "truc_tiep", Received: "2026-11-20", Village: vil,
		RaiserKind: data.RaiserText, RaiserText: name, Topic: "dat_dai", Summary: "Đề nghị xem xét việc cấp đất", People: 1}
	mustSave(t, a, c)
	syncNow(t, a)
	syncNow(t, b)
	if !pgFilesContain(t, st, []byte(name)) {
		t.Fatal("before the re-classification the table's files do not hold the name: the check below proves nothing")
	}
	var edit data.Concern
	if err := a.Load(c.ID, &edit); err != nil {
		t.Fatal(err)
	}
	edit.ConcernKind = data.ConcernDenunciation
	mustSave(t, a, &edit)
	if rep := syncNow(t, a); rep.Pushed == 0 {
		t.Fatal("A pushed nothing")
	}
	syncNow(t, b)
	var onB data.Concern
	if err := b.Load(c.ID, &onB); err != nil || onB.RaiserText != "" || onB.RaiserKind != data.RaiserConfidential {
		t.Fatalf("after: B holds %+v, %v", onB, err)
	}
	if found, err := b.ContainsAnywhere([]byte(name)); err != nil || found {
		t.Errorf("laptop B still holds the name in some version (%v)", err)
	}
	waitFor(t, 20*time.Second, "the server's VACUUM to drop the old version", func() bool {
		return !st.vacuumOn.Load() && !pgFilesContain(t, st, []byte(name))
	})
}

// TestPGRotateKey: a database made without a key is sealed by
// RotatePGKey, then moved to another key; after each step only the new
// key opens it and every record reads back the same.
func TestPGRotateKey(t *testing.T) {
	ctx := context.Background()
	dsn := pgTestDSN(t)
	st := openPG(t, dsn, nil)
	secret := "Dân tộc Gié Triêng, đạo Tin Lành"
	dev := suiteDevice(dakLong)
	for range 3 {
		var recs []data.Record
		for range 900 {
			recs = append(recs, suiteRecord(dakLong, secret))
		}
		suitePush(t, st, dev, "", recs...)
	}
	want := serverSnapshot(t, st, dakLong)
	var clear int
	st.pool.QueryRow(ctx, `SELECT count(*) FROM records WHERE position($1::bytea in body) > 0`, []byte(secret)).Scan(&clear)
	if clear != 2700 {
		t.Fatalf("%d of 2700 records in clear without a key: the check below proves nothing", clear)
	}
	st.Close()
	k1, k2 := newRandom(ServerKeyLen), newRandom(ServerKeyLen)
	for _, step := range []struct{ old, new []byte }{{nil, k1}, {k1, k2}} {
		n, err := RotatePGKey(ctx, dsn, step.old, step.new)
		if err != nil || n != 2700 {
			t.Fatalf("rotate: %d records, %v; want 2700", n, err)
		}
		if _, err := OpenPGStorage(ctx, dsn, nil, step.old); err == nil {
			t.Fatal("the old key still opens the database")
		}
		st := openPG(t, dsn, step.new)
		if d := diffSnapshots(want, serverSnapshot(t, st, dakLong)); d != "" {
			t.Fatalf("records changed by the rotation: %s", d)
		}
		st.pool.QueryRow(ctx, `SELECT count(*) FROM records WHERE position($1::bytea in body) > 0`, []byte(secret)).Scan(&clear)
		if clear != 0 {
			t.Fatalf("%d records in clear after sealing", clear)
		}
		st.Close()
	}
	if _, err := RotatePGKey(ctx, dsn, k1, newRandom(ServerKeyLen)); !errors.Is(err, ErrServerKeyWrong) {
		t.Fatalf("rotate from a wrong key: %v, want ErrServerKeyWrong", err)
	}
}
