package sync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"danvan/data"
)

// The storage suite: every test here runs against each backend of
// storageBackends, the embedded Badger store and PostgreSQL. The
// PostgreSQL one needs DANVAN_TEST_PG, a connection URL to a database
// the tests may create schemas in (make pg-start prints one); without it
// those subtests are skipped, saying so.

// storageBackend opens Storage of one kind: fresh each call of open, or
// the same place again with reopen.
type storageBackend struct {
	name string
	// open returns a new, empty storage, closed at the test's end, and
	// a function that reopens the same place (after the caller closed it).
	open func(t testing.TB) (Storage, func() Storage)
}

func storageBackends() []storageBackend {
	return []storageBackend{
		{name: "badger", open: func(t testing.TB) (Storage, func() Storage) {
			dir := filepath.Join(t.TempDir(), "server")
			key := newRandom(ServerKeyLen)
			open := func() Storage {
				st, err := OpenBadgerStorageKey(dir, nil, key)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			}
			return open(), open
		}},
		{name: "postgres", open: func(t testing.TB) (Storage, func() Storage) {
			dsn := pgTestDSN(t)
			key := newRandom(ServerKeyLen)
			open := func() Storage { return openPG(t, dsn, key) }
			return open(), open
		}},
	}
}

// forEachBackend runs f as a subtest per backend.
func forEachBackend(t *testing.T, f func(t *testing.T, b storageBackend)) {
	for _, b := range storageBackends() {
		t.Run(b.name, func(t *testing.T) { f(t, b) })
	}
}

// pgTestDSN returns a connection URL to a new, empty schema of the
// DANVAN_TEST_PG database, dropped at the test's end; it skips the test
// when DANVAN_TEST_PG is not set.
func pgTestDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("DANVAN_TEST_PG")
	if base == "" {
		t.Skip("DANVAN_TEST_PG is not set: PostgreSQL tests skipped (make pg-start, then export DANVAN_TEST_PG=postgres://...)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("DANVAN_TEST_PG=%s: %v", base, err)
	}
	defer conn.Close(ctx)
	schema := "t_" + strings.ToLower(strings.ReplaceAll(data.NewID(), "-", ""))[:20]
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return withSearchPath(t, base, schema)
}

func withSearchPath(t testing.TB, dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("DANVAN_TEST_PG: %v", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

// openPG opens a PGStorage, closed at the test's end.
func openPG(t testing.TB, dsn string, key []byte) *PGStorage {
	t.Helper()
	st, err := OpenPGStorage(context.Background(), dsn, nil, key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

var suiteWall atomic.Int64

// suiteRecord is a village record of commune with one stamped field.
func suiteRecord(commune, name string) data.Record {
	w := time.Now().UnixMilli()*10 + suiteWall.Add(1)%10
	h := data.HLC{Wall: w, Device: "dev-test"}
	v, _ := json.Marshal(name)
	return data.Record{ID: data.NewID(), Kind: data.KindVillage, Commune: commune, Created: h,
		Fields: map[string]data.Field{"name": {V: v, S: h}}}
}

// suiteEdited returns r with field name set to val at a later stamp.
func suiteEdited(r data.Record, field, val string) data.Record {
	out := r
	out.Fields = map[string]data.Field{}
	for k, v := range r.Fields {
		out.Fields[k] = v
	}
	v, _ := json.Marshal(val)
	out.Fields[field] = data.Field{V: v, S: data.HLC{Wall: r.Updated().Wall + 1, Device: "dev-test"}}
	return out
}

// suiteTombstoned returns r deleted at wall time at.
func suiteTombstoned(r data.Record, at time.Time) data.Record {
	out := suiteEdited(r, "name", "x")
	out.Fields["_deleted"] = data.Field{V: json.RawMessage("true"), S: data.HLC{Wall: at.UnixMilli(), Device: "dev-test"}}
	return out
}

// suitePush applies recs as device dev (commune's) would, through the server's merge.
func suitePush(t testing.TB, st Storage, dev Device, key string, recs ...data.Record) ApplyResult {
	t.Helper()
	res, err := suiteTryPush(st, dev, key, recs...)
	if err != nil {
		t.Fatalf("apply %d records: %v", len(recs), err)
	}
	return res
}

func suiteTryPush(st Storage, dev Device, key string, recs ...data.Record) (ApplyResult, error) {
	merge, err := mergeFor(dev, recs, nil)
	if err != nil {
		return ApplyResult{}, err
	}
	body, _ := json.Marshal(recs)
	h := sha256.Sum256(body)
	return st.Apply(context.Background(), ApplyRequest{Device: dev.ID, Key: key, BodyHash: h[:], Records: recs, Merge: merge})
}

func suiteDevice(commune string) Device {
	return Device{ID: data.NewID(), Role: RoleCommune, Commune: commune, Label: "Cán bộ", TokenHash: newRandom(32), Enrolled: time.Now().UTC()}
}

// suitePullAll pulls every page from since and returns the records' ids in
// order and the last cursor.
func suitePullAll(t testing.TB, st Storage, req PullRequest) ([]string, uint64) {
	t.Helper()
	var ids []string
	for {
		page, err := st.Pull(context.Background(), req)
		if err != nil {
			t.Fatalf("pull since %d: %v", req.Since, err)
		}
		for _, js := range page.Records {
			var r data.Record
			if err := json.Unmarshal(js, &r); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		if page.Cursor < req.Since {
			t.Fatalf("cursor went back from %d to %d", req.Since, page.Cursor)
		}
		req.Since = page.Cursor
		if !page.More {
			return ids, page.Cursor
		}
	}
}

func TestStorageApplyAndPull(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storageBackend) {
		st, _ := b.open(t)
		ctx := context.Background()
		a, m := suiteDevice(dakLong), suiteDevice(moRai)
		var want []string
		var recs []data.Record
		for i := range 30 {
			r := suiteRecord(dakLong, fmt.Sprintf("Làng Kon %d", i))
			recs = append(recs, r)
			want = append(want, r.ID)
		}
		res := suitePush(t, st, a, "k1", recs...)
		if len(res.Seqs) != 30 || res.Seqs[0] == 0 || res.Seqs[29] <= res.Seqs[0] {
			t.Fatalf("seqs %v: want 30 rising sequences", res.Seqs)
		}
		other := suiteRecord(moRai, "Làng Mô Rai")
		suitePush(t, st, m, "k1", other)

		got, cur := suitePullAll(t, st, PullRequest{Commune: dakLong, Limit: 7})
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("paged pull of %s got %d records, want the 30 pushed in order", dakLong, len(got))
		}
		all, _ := suitePullAll(t, st, PullRequest{})
		if len(all) != 31 || all[30] != other.ID {
			t.Fatalf("pull of every commune got %d records, want 31 ending with %s's", len(all), moRai)
		}
		// Both count the changes waiting, for the laptop's progress.
		bl, ok := st.(backlogger)
		if !ok {
			t.Fatal("the storage does not count its backlog")
		}
		for _, c := range []struct {
			commune string
			since   uint64
			want    int
		}{{dakLong, 0, 30}, {"", 0, 31}, {dakLong, cur, 0}, {moRai, 0, 1}} {
			if n, err := bl.Backlog(ctx, c.commune, c.since); err != nil || n != c.want {
				t.Errorf("Backlog(%q, %d) = %d, %v; want %d", c.commune, c.since, n, err, c.want)
			}
		}
		// Nothing new after the cursor; a cursor beyond the server fails.
		if page, err := st.Pull(ctx, PullRequest{Commune: dakLong, Since: cur}); err != nil || len(page.Records) != 0 || page.More {
			t.Fatalf("pull at the end: %d records, more %v, %v", len(page.Records), page.More, err)
		}
		if _, err := st.Pull(ctx, PullRequest{Since: cur + 1000}); !errors.Is(err, ErrCursorAhead) {
			t.Fatalf("pull ahead of the server: %v, want ErrCursorAhead", err)
		}
		// An edit moves the record to the end of the feed, once.
		e := suiteEdited(recs[3], "name", "Làng Kon Mới")
		res = suitePush(t, st, a, "k2", e)
		ids, _ := suitePullAll(t, st, PullRequest{Commune: dakLong, Since: cur})
		if len(ids) != 1 || ids[0] != e.ID || res.Seqs[0] <= cur {
			t.Fatalf("after one edit pulled %v (seq %v, cursor %d), want [%s]", ids, res.Seqs, cur, e.ID)
		}
		if ids, _ := suitePullAll(t, st, PullRequest{Commune: dakLong}); len(ids) != 30 || ids[29] != e.ID {
			t.Fatalf("full pull after the edit: %d records, last %s; want 30, last the edited", len(ids), ids[len(ids)-1])
		}
		// Pushing the same record again changes nothing and gets seq 0.
		if res := suitePush(t, st, a, "k3", e); res.Seqs[0] != 0 {
			t.Fatalf("unchanged record got sequence %d, want 0", res.Seqs[0])
		}
		// MaxBytes: pages hold at least one record, and not much more than asked.
		page, err := st.Pull(ctx, PullRequest{Commune: dakLong, MaxBytes: 1})
		if err != nil || len(page.Records) != 1 || !page.More {
			t.Fatalf("pull with MaxBytes 1: %d records, more %v, %v; want 1, true", len(page.Records), page.More, err)
		}
		n := len(page.Records[0])
		page, err = st.Pull(ctx, PullRequest{Commune: dakLong, MaxBytes: 3 * n})
		if err != nil || len(page.Records) != 3 || !page.More {
			t.Fatalf("pull with MaxBytes of 3 records: %d records, %v", len(page.Records), err)
		}
		stats, err := st.Stats(ctx)
		if err != nil || stats[dakLong] != 30 || stats[moRai] != 1 {
			t.Fatalf("stats %v, %v", stats, err)
		}
	})
}

func TestStorageRefusedBatchWritesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storageBackend) {
		st, _ := b.open(t)
		a, m := suiteDevice(dakLong), suiteDevice(moRai)
		theirs := suiteRecord(moRai, "Làng Mô Rai")
		suitePush(t, st, m, "", theirs)
		recs := []data.Record{suiteRecord(dakLong, "A"), suiteRecord(dakLong, "B"), suiteRecord(dakLong, "C"), suiteEdited(theirs, "name", "cướp")}
		_, err := suiteTryPush(st, a, "k", recs...)
		var re *RejectError
		if !errors.As(err, &re) || re.Record.Index != 3 || re.Record.Code != CodeOtherCommune {
			t.Fatalf("push over another commune's record: %v, want a RejectError for record 3", err)
		}
		stats, _ := st.Stats(context.Background())
		if stats[dakLong] != 0 {
			t.Fatalf("refused batch left %d records", stats[dakLong])
		}
		// The key was not used up by the refused push.
		if res := suitePush(t, st, a, "k", recs[:3]...); res.Replayed {
			t.Fatal("a refused push's key answered as a replay")
		}
	})
}

func TestStorageIdempotencyKeys(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storageBackend) {
		st, _ := b.open(t)
		a, a2 := suiteDevice(dakLong), suiteDevice(dakLong)
		recs := []data.Record{suiteRecord(dakLong, "A"), suiteRecord(dakLong, "B")}
		first := suitePush(t, st, a, "key-1", recs...)
		again := suitePush(t, st, a, "key-1", recs...)
		if !again.Replayed || fmt.Sprint(again.Seqs) != fmt.Sprint(first.Seqs) {
			t.Fatalf("replay answered %v replayed=%v, want %v replayed", again.Seqs, again.Replayed, first.Seqs)
		}
		if _, err := suiteTryPush(st, a, "key-1", suiteRecord(dakLong, "C")); !errors.Is(err, ErrIdempotencyMismatch) {
			t.Fatalf("key reused with another body: %v, want ErrIdempotencyMismatch", err)
		}
		// A push that changes nothing is remembered too.
		same := suitePush(t, st, a, "key-2", recs...)
		if r := suitePush(t, st, a, "key-2", recs...); !r.Replayed || fmt.Sprint(r.Seqs) != "[0 0]" || fmt.Sprint(same.Seqs) != "[0 0]" {
			t.Fatalf("replay of a push that changed nothing: %v replayed=%v, want [0 0] replayed", r.Seqs, r.Replayed)
		}
		// Keys are per device.
		if res := suitePush(t, st, a2, "key-1", suiteRecord(dakLong, "D")); res.Replayed {
			t.Fatal("another device's key answered as a replay")
		}
		ids, _ := suitePullAll(t, st, PullRequest{Commune: dakLong})
		if len(ids) != 3 {
			t.Fatalf("server holds %d records, want 3 (the replay stored nothing)", len(ids))
		}
		// The same key pushed concurrently is applied once.
		recs = []data.Record{suiteRecord(dakLong, "E")}
		var wg stdsync.WaitGroup
		var replays atomic.Int32
		for range 8 {
			wg.Go(func() {
				res, err := suiteTryPush(st, a, "key-race", recs...)
				if err != nil {
					t.Error(err)
				}
				if res.Replayed {
					replays.Add(1)
				}
			})
		}
		wg.Wait()
		if replays.Load() != 7 {
			t.Fatalf("8 concurrent pushes with one key: %d replays, want 7", replays.Load())
		}
	})
}

func TestStorageExcludeOwnRecords(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storageBackend) {
		st, _ := b.open(t)
		a, c := suiteDevice(dakLong), suiteDevice(dakLong)
		mine := suiteRecord(dakLong, "của A")
		suitePush(t, st, a, "", mine, suiteRecord(dakLong, "cũng của A"))
		theirs := suiteRecord(dakLong, "của C")
		suitePush(t, st, c, "", theirs)
		page, err := st.Pull(context.Background(), PullRequest{Commune: dakLong, Exclude: a.ID})
		if err != nil || len(page.Records) != 1 || !bytes.Contains(page.Records[0], []byte(theirs.ID)) {
			t.Fatalf("pull excluding A: %d records, %v; want only C's", len(page.Records), err)
		}
		_, cur := suitePullAll(t, st, PullRequest{Commune: dakLong})
		if page.Cursor != cur {
			t.Fatalf("cursor %d past excluded records, want %d", page.Cursor, cur)
		}
		// C's edit of A's record is no longer A's own: A gets it.
		suitePush(t, st, c, "", suiteEdited(mine, "households", "40"))
		ids, _ := suitePullAll(t, st, PullRequest{Commune: dakLong, Since: cur, Exclude: a.ID})
		if len(ids) != 1 || ids[0] != mine.ID {
			t.Fatalf("after C edited A's record A pulled %v, want it", ids)
		}
		// Limit counts the records sent, not those skipped.
		for range 5 {
			suitePush(t, st, a, "", suiteRecord(dakLong, "A"))
		}
		suitePush(t, st, c, "", suiteRecord(dakLong, "C2"))
		page, err = st.Pull(context.Background(), PullRequest{Commune: dakLong, Since: cur, Exclude: a.ID, Limit: 1})
		if err != nil || len(page.Records) != 1 || !page.More {
			t.Fatalf("limit 1 excluding A: %d records more=%v %v", len(page.Records), page.More, err)
		}
		ids, _ = suitePullAll(t, st, PullRequest{Commune: dakLong, Since: page.Cursor, Exclude: a.ID, Limit: 1})
		if len(ids) != 1 {
			t.Fatalf("after the first page excluding A pulled %d, want C2 alone", len(ids))
		}
	})
}

func TestStoragePurgeTombstones(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storageBackend) {
		st, _ := b.open(t)
		ctx := context.Background()
		a := suiteDevice(dakLong)
		old, keep, recent := suiteRecord(dakLong, "cũ"), suiteRecord(dakLong, "còn"), suiteRecord(dakLong, "mới xóa")
		suitePush(t, st, a, "", old, keep, recent)
		_, before := suitePullAll(t, st, PullRequest{Commune: dakLong})
		suitePush(t, st, a, "", suiteTombstoned(old, time.Now().Add(-200*24*time.Hour)), suiteTombstoned(recent, time.Now()))
		_, after := suitePullAll(t, st, PullRequest{Commune: dakLong})
		n, err := st.PurgeTombstones(ctx, time.Now().Add(-180*24*time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		if _, err := st.Pull(ctx, PullRequest{Commune: dakLong, Since: before}); !errors.Is(err, ErrCursorExpired) {
			t.Fatalf("pull from below the purge: %v, want ErrCursorExpired", err)
		}
		if _, err := st.Pull(ctx, PullRequest{Commune: dakLong, Since: after}); err != nil {
			t.Fatalf("pull from after the purge: %v", err)
		}
		ids, _ := suitePullAll(t, st, PullRequest{Commune: dakLong})
		sort.Strings(ids)
		want := []string{keep.ID, recent.ID}
		sort.Strings(want)
		if fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Fatalf("after the purge the server holds %v, want %v (the recent tombstone stays)", ids, want)
		}
		if n, _ := st.PurgeTombstones(ctx, time.Now().Add(-180*24*time.Hour)); n != 0 {
			t.Fatalf("second purge removed %d", n)
		}
	})
}

func TestStorageDevicesAndEnrolment(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storageBackend) {
		st, _ := b.open(t)
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Millisecond)
		code := func(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }
		for i, c := range []string{"AAA", "BBB", "OLD"} {
			exp := now.Add(time.Hour)
			if c == "OLD" {
				exp = now.Add(-time.Minute)
			}
			if err := st.AddEnrolment(ctx, Enrolment{CodeHash: code(c), Commune: dakLong, Label: "Cán bộ " + c, Created: now.Add(time.Duration(i) * time.Second), Expires: exp}); err != nil {
				t.Fatal(err)
			}
		}
		dev := suiteDevice("")
		if _, err := st.RedeemEnrolment(ctx, code("ZZZ"), now, "", dev); !errors.Is(err, ErrCodeUnknown) {
			t.Fatalf("unknown code: %v", err)
		}
		if _, err := st.RedeemEnrolment(ctx, code("OLD"), now, "", dev); !errors.Is(err, ErrCodeExpired) {
			t.Fatalf("expired code: %v", err)
		}
		if _, err := st.RedeemEnrolment(ctx, code("AAA"), now, moRai, dev); !errors.Is(err, ErrCommuneMismatch) {
			t.Fatalf("code of another commune: %v", err)
		}
		got, err := st.RedeemEnrolment(ctx, code("AAA"), now, dakLong, dev)
		if err != nil || got.Commune != dakLong || got.Label != "Cán bộ AAA" || got.Role != RoleCommune {
			t.Fatalf("redeem: %+v, %v", got, err)
		}
		if _, err := st.RedeemEnrolment(ctx, code("AAA"), now, "", suiteDevice("")); !errors.Is(err, ErrCodeUsed) {
			t.Fatalf("code redeemed twice: %v", err)
		}
		es, err := st.Enrolments(ctx)
		if err != nil || len(es) != 3 || es[0].Label != "Cán bộ OLD" || es[2].UsedBy != dev.ID {
			t.Fatalf("enrolments newest first: %+v, %v", es, err)
		}
		byTok, err := st.DeviceByToken(ctx, dev.TokenHash)
		if err != nil || byTok.ID != dev.ID || !byTok.Active() {
			t.Fatalf("device by token: %+v, %v", byTok, err)
		}
		if _, err := st.DeviceByToken(ctx, newRandom(32)); !errors.Is(err, ErrNoDevice) {
			t.Fatalf("unknown token: %v", err)
		}
		prov := Device{ID: data.NewID(), Role: RoleProvince, Label: "Ban Dân vận tỉnh", TokenHash: newRandom(32), Enrolled: now.Add(time.Hour)}
		if err := st.AddDevice(ctx, prov); err != nil {
			t.Fatal(err)
		}
		if err := st.TouchDevice(ctx, dev.ID, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeDevice(ctx, dev.ID, now.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeDevice(ctx, dev.ID, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeDevice(ctx, "no-such", now); !errors.Is(err, ErrNoDevice) {
			t.Fatalf("revoke unknown: %v", err)
		}
		ds, err := st.Devices(ctx)
		if err != nil || len(ds) != 2 || ds[0].ID != dev.ID || ds[1].ID != prov.ID {
			t.Fatalf("devices oldest first: %+v, %v", ds, err)
		}
		if ds[0].Active() || !ds[0].Revoked.Equal(now.Add(2*time.Minute)) || !ds[0].LastSeen.Equal(now.Add(time.Minute)) {
			t.Fatalf("revoked device: revoked %v last seen %v", ds[0].Revoked, ds[0].LastSeen)
		}
	})
}

func TestStorageReopenKeepsEverything(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storageBackend) {
		st, reopen := b.open(t)
		a := suiteDevice(dakLong)
		if err := st.AddDevice(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		r := suiteRecord(dakLong, "A")
		suitePush(t, st, a, "k", r)
		_, cur := suitePullAll(t, st, PullRequest{Commune: dakLong})
		id := st.ServerID()
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Pull(context.Background(), PullRequest{}); !errors.Is(err, ErrClosed) {
			t.Fatalf("pull after close: %v, want ErrClosed", err)
		}
		st = reopen()
		if st.ServerID() != id {
			t.Fatalf("server id %s after reopening, was %s", st.ServerID(), id)
		}
		if res := suitePush(t, st, a, "k", r); !res.Replayed {
			t.Fatal("idempotency key forgotten on reopening")
		}
		res := suitePush(t, st, a, "k2", suiteRecord(dakLong, "B"))
		if res.Seqs[0] <= cur {
			t.Fatalf("sequence %d after reopening, not above the cursor %d", res.Seqs[0], cur)
		}
		ids, _ := suitePullAll(t, st, PullRequest{Commune: dakLong, Since: cur})
		if len(ids) != 1 {
			t.Fatalf("pulled %d from the old cursor, want 1", len(ids))
		}
	})
}

// TestStorageConcurrentPullsNeverSkip pushes many batches from many
// goroutines while others pull from their cursors all the time: every
// record is written once, so a record a puller's cursor passed before it
// committed would be missing from that puller's set for good.
func TestStorageConcurrentPullsNeverSkip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storageBackend) {
		st, _ := b.open(t)
		const writers, batches, perBatch, pullers = 12, 25, 8, 4
		var wg stdsync.WaitGroup
		var writing atomic.Int32
		writing.Store(writers)
		all := make(chan string, writers*batches*perBatch)
		for w := range writers {
			wg.Go(func() {
				defer writing.Add(-1)
				dev := suiteDevice(dakLong)
				for k := range batches {
					var recs []data.Record
					for range perBatch {
						r := suiteRecord(dakLong, "v")
						recs = append(recs, r)
					}
					if _, err := suiteTryPush(st, dev, fmt.Sprintf("w%d-%d", w, k), recs...); err != nil {
						t.Error(err)
						return
					}
					for _, r := range recs {
						all <- r.ID
					}
				}
			})
		}
		seen := make([]map[string]bool, pullers)
		var pwg stdsync.WaitGroup
		for p := range pullers {
			seen[p] = map[string]bool{}
			pwg.Go(func() {
				var since uint64
				for {
					last := writing.Load() == 0 // one more full pass after the writers end
					for {
						page, err := st.Pull(context.Background(), PullRequest{Commune: dakLong, Since: since, Limit: 3 + p*20})
						if err != nil {
							t.Error(err)
							return
						}
						for _, js := range page.Records {
							var r data.Record
							if err := json.Unmarshal(js, &r); err != nil {
								t.Error(err)
								return
							}
							if seen[p][r.ID] {
								t.Errorf("puller %d got %s twice", p, r.ID)
							}
							seen[p][r.ID] = true
						}
						since = page.Cursor
						if !page.More {
							break
						}
					}
					if last {
						return
					}
				}
			})
		}
		wg.Wait()
		close(all)
		pwg.Wait()
		n := 0
		for id := range all {
			n++
			for p := range pullers {
				if !seen[p][id] {
					t.Errorf("puller %d skipped %s: its cursor passed the record before it committed", p, id)
				}
			}
		}
		if n != writers*batches*perBatch {
			t.Fatalf("%d records pushed, want %d", n, writers*batches*perBatch)
		}
	})
}

// TestStorageMeta: keyed values are stored, listed by prefix, deleted,
// kept across a reopen, and not stored in clear on PostgreSQL.
func TestStorageMeta(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storageBackend) {
		ctx := context.Background()
		st, reopen := b.open(t)
		if _, err := st.Meta(ctx, "user/lan"); !errors.Is(err, ErrNoMeta) {
			t.Fatalf("missing key: %v, want ErrNoMeta", err)
		}
		for k, v := range map[string]string{"user/lan": "Nguyễn Thị Lan", "user/hoa": "Hòa", "session/x": "phiên"} {
			if err := st.SetMeta(ctx, k, []byte(v)); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.SetMeta(ctx, "user/hoa", []byte("Hòa 2")); err != nil {
			t.Fatal(err)
		}
		m, err := st.MetaPrefix(ctx, "user/")
		if err != nil || len(m) != 2 || string(m["user/hoa"]) != "Hòa 2" || string(m["user/lan"]) != "Nguyễn Thị Lan" {
			t.Fatalf("prefix user/: %q %v", m, err)
		}
		if err := st.SetMeta(ctx, "session/x", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Meta(ctx, "session/x"); !errors.Is(err, ErrNoMeta) {
			t.Fatalf("deleted key: %v", err)
		}
		if pg, ok := st.(*PGStorage); ok {
			var raw []byte
			if err := pg.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'user/lan'`).Scan(&raw); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(raw, []byte("Lan")) {
				t.Error("a keyed value is stored in clear in PostgreSQL")
			}
		}
		st.Close()
		st = reopen()
		if v, err := st.Meta(ctx, "user/lan"); err != nil || string(v) != "Nguyễn Thị Lan" {
			t.Fatalf("after reopening: %q %v", v, err)
		}
	})
}
