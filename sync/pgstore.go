package sync

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"danvan/data"
)

// PGStorage is the server's Storage on PostgreSQL, for a province whose
// server must run as more than one process or on a database of its own.
// Every table lives in the connection's schema (search_path); the server
// processes sharing it hold no state of their own beyond small caches.
//
// Records are stored one row each, as the record's JSON (sealed with
// AES-256-GCM under the server key when one is given, so a dump or a lost
// disk of the database does not show them), with the server sequence of
// their last change. A pull reads the rows with a sequence above its
// cursor.
//
// The pull cursor stays correct under concurrent commits because
// sequences are handed out in commit order: a push merges its records
// first, then takes a transaction-level advisory lock
// (pg_advisory_xact_lock), adds to server_state.last_seq and writes its
// rows; the lock is released only after the commit is visible to other
// transactions. So a snapshot that sees sequence n sees every sequence
// below n, and a reader never passes a change that commits later.
type PGStorage struct {
	pool    *pgxpool.Pool
	id      string
	log     *slog.Logger
	aead    cipher.AEAD // nil: record bodies are stored as plain JSON
	seqLock int64       // the advisory lock key of this schema's sequence

	closeMu  stdsync.RWMutex // held for reading by every operation
	closed   bool
	bgWG     stdsync.WaitGroup // background VACUUMs
	vacuumOn atomic.Bool       // a VACUUM is running
	touched  touchGate         // throttles the writes of "last seen"
}

//go:embed pgschema/*.sql
var pgSchemaFS embed.FS

// pgMigration is one versioned schema change, pgschema/NNN_name.sql.
type pgMigration struct {
	Version int
	Name    string
	SQL     string
}

// pgMigrations returns the embedded migrations in version order.
func pgMigrations() ([]pgMigration, error) {
	ents, err := pgSchemaFS.ReadDir("pgschema")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	var out []pgMigration
	for _, e := range ents {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("embedded migration %s: name is not NNN_name.sql", e.Name())
		}
		b, err := pgSchemaFS.ReadFile(path.Join("pgschema", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read embedded migration %s: %w", e.Name(), err)
		}
		out = append(out, pgMigration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("embedded migrations: version %d where %d was expected", m.Version, i+1)
		}
	}
	return out, nil
}

// PGSchemaVersion is the schema version this server's code needs: the
// newest embedded migration.
func PGSchemaVersion() int {
	ms, err := pgMigrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

// ErrSchemaNewer: the database was migrated by a newer danvan-server.
var ErrSchemaNewer = errors.New("database schema is newer than this danvan-server: upgrade it")

// migratePG brings the schema up to version to (0: the newest), in one
// transaction under an advisory lock, so that servers starting together
// migrate once. It returns the versions it applied (none when the
// schema is current). Applied versions are rows of schema_version.
func migratePG(ctx context.Context, pool *pgxpool.Pool, to int) ([]int, error) {
	ms, err := pgMigrations()
	if err != nil {
		return nil, err
	}
	if to <= 0 || to > len(ms) {
		to = len(ms)
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	defer tx.Rollback(ctx)
	var lockKey int64
	if err := tx.QueryRow(ctx, `SELECT hashtextextended('danvan.migrate.' || current_schema(), 0)`).Scan(&lockKey); err != nil {
		return nil, fmt.Errorf("migrate database: current schema: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey); err != nil {
		return nil, fmt.Errorf("migrate database: lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version integer PRIMARY KEY,
		name    text NOT NULL,
		applied timestamptz NOT NULL DEFAULT now())`); err != nil {
		return nil, fmt.Errorf("migrate database: create schema_version: %w", err)
	}
	var cur int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&cur); err != nil {
		return nil, fmt.Errorf("migrate database: read schema_version: %w", err)
	}
	if cur > len(ms) {
		return nil, fmt.Errorf("database at schema version %d, this server knows %d: %w", cur, len(ms), ErrSchemaNewer)
	}
	var applied []int
	for _, m := range ms[cur:to] {
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return nil, fmt.Errorf("migrate database to version %d (%s): %w", m.Version, m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			return nil, fmt.Errorf("migrate database to version %d: %w", m.Version, err)
		}
		applied = append(applied, m.Version)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("migrate database: commit: %w", err)
	}
	return applied, nil
}

// ErrDatabaseNotEncrypted: a server key was given for a database whose
// records are stored unencrypted.
var ErrDatabaseNotEncrypted = errors.New("the database's records are not encrypted with a server key: open it without --key-file")

// pgKeyCheck is the text whose sealing with the server key is kept in
// server_state.key_check, to tell a wrong key from a damaged record.
const pgKeyCheck = "danvan server key check"

// OpenPGStorage connects to the PostgreSQL database at dsn (a
// postgres:// URL or a key=value string; pool_max_conns and search_path
// may be given in it), migrates its schema to the newest version and
// returns the storage. key (ServerKeyLen bytes) seals every record's
// JSON; a database made with a key needs it (ErrServerKeyNeeded,
// ErrServerKeyWrong), and one made without refuses one
// (ErrDatabaseNotEncrypted). log receives warnings; nil discards them.
func OpenPGStorage(ctx context.Context, dsn string, log *slog.Logger, key []byte) (*PGStorage, error) {
	if key != nil && len(key) != ServerKeyLen {
		return nil, fmt.Errorf("open database: server key of %d bytes, want %d", len(key), ServerKeyLen)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = 16
	}
	where := redactDSN(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", where, err)
	}
	s := &PGStorage{pool: pool, log: log}
	if key != nil {
		if s.aead, err = newAEAD(key); err != nil {
			pool.Close()
			return nil, fmt.Errorf("open database %s: %w", where, err)
		}
	}
	if err := s.init(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database %s: %w", where, err)
	}
	return s, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(blk)
}

// RotatePGKey re-seals every record of the database at dsn, and its key
// check, from oldKey to newKey in one transaction; it returns how many
// records it re-sealed. A nil oldKey seals a database made without a key.
// Stop every server on the database first: one still running with the
// old key cannot read what is re-sealed (its pushes wait for the
// rotation's table lock, then fail).
func RotatePGKey(ctx context.Context, dsn string, oldKey, newKey []byte) (int, error) {
	if len(newKey) != ServerKeyLen {
		return 0, fmt.Errorf("rotate server key: the new key must be %d bytes", ServerKeyLen)
	}
	old, err := OpenPGStorage(ctx, dsn, nil, oldKey) // checks the old key
	if err != nil {
		return 0, fmt.Errorf("rotate server key: %w", err)
	}
	defer old.Close()
	nw := &PGStorage{}
	if nw.aead, err = newAEAD(newKey); err != nil {
		return 0, fmt.Errorf("rotate server key: %w", err)
	}
	n := 0
	err = pgx.BeginFunc(ctx, old.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE records, server_state IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		after := ""
		for {
			rows, err := tx.Query(ctx, `SELECT id, body FROM records WHERE id > $1 ORDER BY id LIMIT 1000`, after)
			if err != nil {
				return err
			}
			var ids []string
			var bodies [][]byte
			for rows.Next() {
				var id string
				var body []byte
				if err := rows.Scan(&id, &body); err != nil {
					rows.Close()
					return err
				}
				js, err := old.unseal(id, body)
				if err != nil {
					rows.Close()
					return err
				}
				ids, bodies = append(ids, id), append(bodies, nw.seal(id, js))
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if len(ids) == 0 {
				break
			}
			if _, err := tx.Exec(ctx, `UPDATE records r SET body = u.body FROM unnest($1::text[], $2::bytea[]) AS u(id, body) WHERE r.id = u.id`, ids, bodies); err != nil {
				return err
			}
			n += len(ids)
			after = ids[len(ids)-1]
		}
		_, err := tx.Exec(ctx, `UPDATE server_state SET key_check = $1`, nw.seal("", []byte(pgKeyCheck)))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("rotate server key: %w", err)
	}
	return n, nil
}

// redactDSN names the database without its password, for messages.
func redactDSN(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	return (&url.URL{Scheme: "postgres", User: url.User(c.User), Host: c.Host + ":" + strconv.Itoa(int(c.Port)), Path: "/" + c.Database}).String()
}

func (s *PGStorage) init(ctx context.Context) error {
	if _, err := migratePG(ctx, s.pool, 0); err != nil {
		return err
	}
	if err := s.pool.QueryRow(ctx, `SELECT hashtextextended('danvan.seq.' || current_schema(), 0)`).Scan(&s.seqLock); err != nil {
		return fmt.Errorf("current schema: %w", err)
	}
	var check []byte
	err := s.pool.QueryRow(ctx, `SELECT server_id, key_check FROM server_state`).Scan(&s.id, &check)
	if errors.Is(err, pgx.ErrNoRows) {
		var kc []byte
		if s.aead != nil {
			kc = s.seal("", []byte(pgKeyCheck))
		}
		_, err = s.pool.Exec(ctx, `INSERT INTO server_state (server_id, key_check) VALUES ($1, $2) ON CONFLICT DO NOTHING`, data.NewID(), kc)
		if err != nil {
			return fmt.Errorf("create server state: %w", err)
		}
		err = s.pool.QueryRow(ctx, `SELECT server_id, key_check FROM server_state`).Scan(&s.id, &check)
	}
	if err != nil {
		return fmt.Errorf("read server state: %w", err)
	}
	switch {
	case check == nil && s.aead != nil:
		return ErrDatabaseNotEncrypted
	case check != nil && s.aead == nil:
		return fmt.Errorf("its records are encrypted: %w", ErrServerKeyNeeded)
	case check != nil:
		if pt, err := s.unseal("", check); err != nil || string(pt) != pgKeyCheck {
			return ErrServerKeyWrong
		}
	}
	return nil
}

// PGDatabaseIsNew reports whether the database at dsn holds no server
// yet (no server_state table in its schema); serve refuses to create one
// without a server key.
func PGDatabaseIsNew(ctx context.Context, dsn string) (bool, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return false, fmt.Errorf("connect to database: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('server_state') IS NOT NULL`).Scan(&exists); err != nil {
		return false, fmt.Errorf("look for server_state: %w", err)
	}
	return !exists, nil
}

// seal encrypts a record's JSON: 12-byte nonce | AES-GCM ciphertext, the
// record's id as additional data (a body moved to another row does not
// open). Without a key it returns js.
func (s *PGStorage) seal(id string, js []byte) []byte {
	if s.aead == nil {
		return js
	}
	out := newRandom(s.aead.NonceSize())
	return s.aead.Seal(out, out, js, []byte("danvan record "+id))
}

func (s *PGStorage) unseal(id string, b []byte) ([]byte, error) {
	if s.aead == nil {
		return b, nil
	}
	n := s.aead.NonceSize()
	if len(b) < n {
		return nil, fmt.Errorf("record %s: sealed body too short", id)
	}
	js, err := s.aead.Open(nil, b[:n], b[n:], []byte("danvan record "+id))
	if err != nil {
		return nil, fmt.Errorf("record %s: open sealed body: %w", id, err)
	}
	return js, nil
}

func (s *PGStorage) enter() (func(), error) {
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return nil, ErrClosed
	}
	return s.closeMu.RUnlock, nil
}

// ServerID returns the random id of this database.
func (s *PGStorage) ServerID() string { return s.id }

// Close waits for the operations in progress and closes the connections.
func (s *PGStorage) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	s.closeMu.Unlock()
	s.bgWG.Wait()
	s.pool.Close()
	return nil
}

// retryable reports whether a transaction failed only because another
// one raced it: a serialization failure, a deadlock, or a unique key
// (a new record or idempotency key) that another push inserted first.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01", "23505":
			return true
		}
	}
	return false
}

// Apply merges a pushed batch atomically; see Storage. A batch that
// races another on the same new record or idempotency key is done
// again from the start.
func (s *PGStorage) Apply(ctx context.Context, req ApplyRequest) (ApplyResult, error) {
	done, err := s.enter()
	if err != nil {
		return ApplyResult{}, err
	}
	defer done()
	for attempt := 0; ; attempt++ {
		res, vacuum, err := s.applyOnce(ctx, req)
		if err != nil && retryable(err) && attempt < 50 && ctx.Err() == nil {
			time.Sleep(time.Duration(rand.IntN(1+attempt)) * time.Millisecond)
			continue
		}
		if err != nil {
			return ApplyResult{}, fmt.Errorf("apply %d records: %w", len(req.Records), err)
		}
		if vacuum {
			s.vacuumRecords()
		}
		return res, nil
	}
}

type pgRow struct {
	seq uint64
	js  []byte
	rec *data.Record
}

type pgChange struct {
	i      int
	id     string
	rec    data.Record
	js     []byte
	origin string
}

func (s *PGStorage) applyOnce(ctx context.Context, req ApplyRequest) (res ApplyResult, vacuum bool, err error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return ApplyResult{}, false, err
	}
	defer tx.Rollback(ctx)
	cutoff := time.Now().Add(-IdempotencyTTL)
	if req.Key != "" {
		var hash, seqsJS []byte
		err := tx.QueryRow(ctx, `SELECT hash, seqs FROM idempotency WHERE device = $1 AND key = $2 AND created > $3`,
			req.Device, req.Key, cutoff).Scan(&hash, &seqsJS)
		if err == nil {
			if !bytes.Equal(hash, req.BodyHash) {
				return ApplyResult{}, false, ErrIdempotencyMismatch
			}
			var seqs []uint64
			if err := json.Unmarshal(seqsJS, &seqs); err != nil {
				return ApplyResult{}, false, fmt.Errorf("read idempotency record: %w", err)
			}
			return ApplyResult{Seqs: seqs, Replayed: true}, false, nil
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return ApplyResult{}, false, fmt.Errorf("read idempotency record: %w", err)
		}
	}

	// Lock the stored versions, in id order (two batches never wait on
	// each other in a cycle).
	idSet := map[string]bool{}
	for _, r := range req.Records {
		idSet[r.ID] = true
	}
	ids := make([]string, 0, len(idSet))
	for id := range idSet {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	stored := map[string]*pgRow{}
	rows, err := tx.Query(ctx, `SELECT id, seq, body FROM records WHERE id = ANY($1) ORDER BY id FOR UPDATE`, ids)
	if err != nil {
		return ApplyResult{}, false, fmt.Errorf("read stored records: %w", err)
	}
	for rows.Next() {
		var id string
		var seq int64
		var body []byte
		if err := rows.Scan(&id, &seq, &body); err != nil {
			rows.Close()
			return ApplyResult{}, false, fmt.Errorf("read stored records: %w", err)
		}
		js, err := s.unseal(id, body)
		if err != nil {
			rows.Close()
			return ApplyResult{}, false, err
		}
		rec := new(data.Record)
		if err := json.Unmarshal(js, rec); err != nil {
			rows.Close()
			return ApplyResult{}, false, fmt.Errorf("decode stored %s: %w", id, err)
		}
		stored[id] = &pgRow{seq: uint64(seq), js: js, rec: rec}
	}
	if err := rows.Err(); err != nil {
		return ApplyResult{}, false, fmt.Errorf("read stored records: %w", err)
	}

	var changes []pgChange
	mine := map[string]*pgRow{}
	for i := range req.Records {
		in := req.Records[i]
		var old *data.Record
		var oldJS []byte
		if p, ok := mine[in.ID]; ok {
			old, oldJS = p.rec, p.js
		} else if p, ok := stored[in.ID]; ok {
			old, oldJS = p.rec, p.js
		}
		merged, js, own, err := req.Merge(i, old, in)
		if err != nil {
			var re *RejectError
			if errors.As(err, &re) {
				re.Record.Index = i
			}
			return ApplyResult{}, false, err
		}
		if old != nil && bytes.Equal(js, oldJS) {
			continue
		}
		if data.DropsRaiser(old, &merged) {
			vacuum = true
		}
		origin := ""
		if own {
			origin = req.Device
		}
		changes = append(changes, pgChange{i: i, id: merged.ID, rec: merged, js: js, origin: origin})
		mine[merged.ID] = &pgRow{js: js, rec: &changes[len(changes)-1].rec}
	}

	if req.Key != "" {
		// Before the sequence lock: a push racing on the same key waits
		// here, holding nothing the lock's holder needs.
		if _, err := tx.Exec(ctx, `DELETE FROM idempotency WHERE device = $1 AND key = $2 AND created <= $3`, req.Device, req.Key, cutoff); err != nil {
			return ApplyResult{}, false, fmt.Errorf("drop expired idempotency key: %w", err)
		}
		// The answer when nothing changes (every sequence 0); updated below otherwise.
		zeros, _ := json.Marshal(make([]uint64, len(req.Records)))
		if _, err := tx.Exec(ctx, `INSERT INTO idempotency (device, key, hash, seqs, created) VALUES ($1, $2, $3, $4, now())`,
			req.Device, req.Key, req.BodyHash, zeros); err != nil {
			return ApplyResult{}, false, fmt.Errorf("store idempotency key: %w", err)
		}
	}
	seqs := make([]uint64, len(req.Records))
	if len(changes) > 0 {
		// Sequences in commit order: held until this transaction's
		// commit is visible.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, s.seqLock); err != nil {
			return ApplyResult{}, false, fmt.Errorf("lock server sequence: %w", err)
		}
		var last int64
		if err := tx.QueryRow(ctx, `UPDATE server_state SET last_seq = last_seq + $1 RETURNING last_seq`, len(changes)).Scan(&last); err != nil {
			return ApplyResult{}, false, fmt.Errorf("next server sequence: %w", err)
		}
		base := uint64(last) - uint64(len(changes)) + 1
		final := map[string]int{} // id -> its last change
		for k := range changes {
			seqs[changes[k].i] = base + uint64(k)
			final[changes[k].id] = k
		}
		var ins, upd pgColumns
		for k, c := range changes {
			if final[c.id] != k {
				continue
			}
			col := &ins
			if _, ok := stored[c.id]; ok {
				col = &upd
			}
			col.add(c, base+uint64(k), s.seal(c.id, c.js))
		}
		if len(ins.id) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO records (id, commune, seq, origin, deleted_ms, body)
				SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::int8[], $6::bytea[])`,
				ins.id, ins.commune, ins.seq, ins.origin, ins.deleted, ins.body); err != nil {
				return ApplyResult{}, false, fmt.Errorf("insert %d records: %w", len(ins.id), err)
			}
		}
		if len(upd.id) > 0 {
			if _, err := tx.Exec(ctx, `UPDATE records r SET commune = u.commune, seq = u.seq, origin = u.origin, deleted_ms = u.deleted_ms, body = u.body
				FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::int8[], $6::bytea[]) AS u(id, commune, seq, origin, deleted_ms, body)
				WHERE r.id = u.id`,
				upd.id, upd.commune, upd.seq, upd.origin, upd.deleted, upd.body); err != nil {
				return ApplyResult{}, false, fmt.Errorf("update %d records: %w", len(upd.id), err)
			}
		}
	}
	if req.Key != "" && len(changes) > 0 {
		sj, _ := json.Marshal(seqs)
		if _, err := tx.Exec(ctx, `UPDATE idempotency SET seqs = $3 WHERE device = $1 AND key = $2`, req.Device, req.Key, sj); err != nil {
			return ApplyResult{}, false, fmt.Errorf("store idempotency answer: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return ApplyResult{}, false, fmt.Errorf("commit: %w", err)
	}
	return ApplyResult{Seqs: seqs}, vacuum, nil
}

// pgColumns are rows to write, column by column (for unnest).
type pgColumns struct {
	id, commune, origin []string
	seq                 []int64
	deleted             []pgtype.Int8
	body                [][]byte
}

func (c *pgColumns) add(ch pgChange, seq uint64, body []byte) {
	c.id = append(c.id, ch.id)
	c.commune = append(c.commune, ch.rec.Commune)
	c.seq = append(c.seq, int64(seq))
	c.origin = append(c.origin, ch.origin)
	var del pgtype.Int8
	if ch.rec.Deleted() {
		del = pgtype.Int8{Int64: ch.rec.Fields["_deleted"].S.Wall, Valid: true}
	}
	c.deleted = append(c.deleted, del)
	c.body = append(c.body, body)
}

// vacuumRecords removes, in the background, the dead row versions an
// update left in the records table: after a re-classification to tố cáo
// the version naming the raiser must not stay in the table's files.
func (s *PGStorage) vacuumRecords() {
	if !s.vacuumOn.CompareAndSwap(false, true) {
		return
	}
	s.bgWG.Add(1)
	go func() {
		defer s.bgWG.Done()
		defer s.vacuumOn.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		if _, err := s.pool.Exec(ctx, `VACUUM records`); err != nil {
			s.log.Error("vacuum records after a re-classification", "err", err.Error())
		}
	}()
}

// Pull returns a page of changed records; see Storage. The page is read
// in one REPEATABLE READ snapshot, up to the sequence committed in it.
func (s *PGStorage) Pull(ctx context.Context, req PullRequest) (PullPage, error) {
	done, err := s.enter()
	if err != nil {
		return PullPage{}, err
	}
	defer done()
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return PullPage{}, fmt.Errorf("pull since %d: %w", req.Since, err)
	}
	defer tx.Rollback(ctx)
	var w64, purged64 int64
	if err := tx.QueryRow(ctx, `SELECT last_seq, purged FROM server_state`).Scan(&w64, &purged64); err != nil {
		return PullPage{}, fmt.Errorf("pull since %d: read server sequence: %w", req.Since, err)
	}
	w, purged := uint64(w64), uint64(purged64)
	if req.Since > w {
		return PullPage{}, fmt.Errorf("pull since %d (server at %d): %w", req.Since, w, ErrCursorAhead)
	}
	if req.Since != 0 && req.Since < purged {
		return PullPage{}, fmt.Errorf("pull since %d (tombstones purged up to %d): %w", req.Since, purged, ErrCursorExpired)
	}
	if req.Limit <= 0 {
		req.Limit = 500
	}
	q := `SELECT seq, id, ($4 <> '' AND origin = $4), CASE WHEN $4 <> '' AND origin = $4 THEN NULL ELSE body END
		FROM records WHERE seq > $1 AND seq <= $2 AND ($3 = '' OR commune = $3) ORDER BY seq LIMIT $5`
	if req.Commune != "" {
		q = `SELECT seq, id, ($4 <> '' AND origin = $4), CASE WHEN $4 <> '' AND origin = $4 THEN NULL ELSE body END
		FROM records WHERE commune = $3 AND seq > $1 AND seq <= $2 ORDER BY commune, seq LIMIT $5`
	}
	chunk := min(req.Limit+1, 1000)
	page := PullPage{Cursor: req.Since, Records: []json.RawMessage{}}
	size := 0
	from := req.Since
scan:
	for {
		rows, err := tx.Query(ctx, q, int64(from), int64(w), req.Commune, req.Exclude, chunk)
		if err != nil {
			return PullPage{}, fmt.Errorf("pull since %d: %w", req.Since, err)
		}
		n := 0
		for rows.Next() {
			n++
			if len(page.Records) >= req.Limit || (req.MaxBytes > 0 && size >= req.MaxBytes) {
				page.More = true
				rows.Close()
				break scan
			}
			var seq int64
			var id string
			var excluded bool
			var body []byte
			if err := rows.Scan(&seq, &id, &excluded, &body); err != nil {
				rows.Close()
				return PullPage{}, fmt.Errorf("pull since %d: %w", req.Since, err)
			}
			page.Cursor, from = uint64(seq), uint64(seq)
			if excluded {
				continue
			}
			js, err := s.unseal(id, body)
			if err != nil {
				rows.Close()
				return PullPage{}, fmt.Errorf("pull since %d: %w", req.Since, err)
			}
			page.Records = append(page.Records, js)
			size += len(js)
		}
		if err := rows.Err(); err != nil {
			return PullPage{}, fmt.Errorf("pull since %d: %w", req.Since, err)
		}
		if n < chunk {
			break
		}
	}
	if !page.More {
		page.Cursor = w
	}
	return page, nil
}

// Backlog counts the changes stored after since for commune ("" for
// every commune), up to the committed sequence; the server states it on
// the first page of a pull, for the laptop's progress.
func (s *PGStorage) Backlog(ctx context.Context, commune string, since uint64) (int, error) {
	done, err := s.enter()
	if err != nil {
		return 0, err
	}
	defer done()
	var n int
	q := `SELECT count(*) FROM records, server_state WHERE seq > $1 AND seq <= last_seq AND ($2 = '' OR commune = $2)`
	if commune != "" {
		q = `SELECT count(*) FROM records, server_state WHERE commune = $2 AND seq > $1 AND seq <= last_seq`
	}
	if err := s.pool.QueryRow(ctx, q, int64(since), commune).Scan(&n); err != nil {
		return 0, fmt.Errorf("count changes since %d: %w", since, err)
	}
	return n, nil
}

// PurgeTombstones removes records deleted before deletedBefore; see
// Storage. It also drops expired idempotency keys.
func (s *PGStorage) PurgeTombstones(ctx context.Context, deletedBefore time.Time) (int, error) {
	done, err := s.enter()
	if err != nil {
		return 0, err
	}
	defer done()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("purge tombstones: %w", err)
	}
	defer tx.Rollback(ctx)
	var n, maxSeq int64
	err = tx.QueryRow(ctx, `WITH d AS (DELETE FROM records WHERE deleted_ms IS NOT NULL AND deleted_ms < $1 RETURNING seq)
		SELECT count(*), coalesce(max(seq), 0) FROM d`, deletedBefore.UnixMilli()).Scan(&n, &maxSeq)
	if err != nil {
		return 0, fmt.Errorf("purge tombstones: %w", err)
	}
	if n > 0 {
		if _, err := tx.Exec(ctx, `UPDATE server_state SET purged = greatest(purged, $1)`, maxSeq); err != nil {
			return 0, fmt.Errorf("purge tombstones: record watermark: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM idempotency WHERE created <= $1`, time.Now().Add(-IdempotencyTTL)); err != nil {
		return 0, fmt.Errorf("purge expired idempotency keys: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("purge tombstones: %w", err)
	}
	return int(n), nil
}

// Stats counts the stored records (live and tombstoned) per commune.
func (s *PGStorage) Stats(ctx context.Context) (map[string]int, error) {
	done, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer done()
	rows, err := s.pool.Query(ctx, `SELECT commune, count(*) FROM records GROUP BY commune`)
	if err != nil {
		return nil, fmt.Errorf("count records: %w", err)
	}
	out := map[string]int{}
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("count records: %w", err)
		}
		out[c] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count records: %w", err)
	}
	return out, nil
}

// AddEnrolment stores a new enrolment code.
func (s *PGStorage) AddEnrolment(ctx context.Context, e Enrolment) error {
	done, err := s.enter()
	if err != nil {
		return err
	}
	defer done()
	v, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("add enrolment: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO enrolments (code_hash, created, body) VALUES ($1, $2, $3)
		ON CONFLICT (code_hash) DO UPDATE SET created = EXCLUDED.created, body = EXCLUDED.body`, e.CodeHash, e.Created, v); err != nil {
		return fmt.Errorf("add enrolment for %s: %w", e.Commune, err)
	}
	return nil
}

// Enrolments lists enrolment codes, newest first.
func (s *PGStorage) Enrolments(ctx context.Context) ([]Enrolment, error) {
	done, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer done()
	var out []Enrolment
	if err := s.scanJSON(ctx, `SELECT body FROM enrolments ORDER BY created DESC`, func(b []byte) error {
		var e Enrolment
		if err := json.Unmarshal(b, &e); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("list enrolments: %w", err)
	}
	return out, nil
}

func (s *PGStorage) scanJSON(ctx context.Context, q string, f func([]byte) error) error {
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return err
		}
		if err := f(b); err != nil {
			return err
		}
	}
	return rows.Err()
}

// RedeemEnrolment consumes a code and adds the device; see Storage.
func (s *PGStorage) RedeemEnrolment(ctx context.Context, codeHash []byte, now time.Time, wantCommune string, dev Device) (Device, error) {
	done, err := s.enter()
	if err != nil {
		return Device{}, err
	}
	defer done()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var v []byte
		err := tx.QueryRow(ctx, `SELECT body FROM enrolments WHERE code_hash = $1 FOR UPDATE`, codeHash).Scan(&v)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrCodeUnknown
		} else if err != nil {
			return err
		}
		var e Enrolment
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		if err := e.redeem(now, wantCommune, &dev); err != nil {
			return err
		}
		ev, _ := json.Marshal(e)
		if _, err := tx.Exec(ctx, `UPDATE enrolments SET body = $2 WHERE code_hash = $1`, codeHash, ev); err != nil {
			return err
		}
		return pgPutDevice(ctx, tx, dev)
	})
	if err != nil {
		return Device{}, fmt.Errorf("redeem enrolment code: %w", err)
	}
	return dev, nil
}

type pgExec interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func pgPutDevice(ctx context.Context, db pgExec, dev Device) error {
	dv, err := json.Marshal(dev)
	if err != nil {
		return err
	}
	_, err = db.Exec(ctx, `INSERT INTO devices (id, token_hash, enrolled, body) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, enrolled = EXCLUDED.enrolled, body = EXCLUDED.body`,
		dev.ID, dev.TokenHash, dev.Enrolled, dv)
	return err
}

// AddDevice stores a device directly.
func (s *PGStorage) AddDevice(ctx context.Context, dev Device) error {
	done, err := s.enter()
	if err != nil {
		return err
	}
	defer done()
	if err := pgPutDevice(ctx, s.pool, dev); err != nil {
		return fmt.Errorf("add device %s: %w", dev.ID, err)
	}
	return nil
}

// DeviceByToken returns the device with that token hash.
func (s *PGStorage) DeviceByToken(ctx context.Context, tokenHash []byte) (Device, error) {
	done, err := s.enter()
	if err != nil {
		return Device{}, err
	}
	defer done()
	var v []byte
	err = s.pool.QueryRow(ctx, `SELECT body FROM devices WHERE token_hash = $1`, tokenHash).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		err = ErrNoDevice
	}
	var dev Device
	if err == nil {
		err = json.Unmarshal(v, &dev)
	}
	if err != nil {
		return Device{}, fmt.Errorf("look up device token: %w", err)
	}
	return dev, nil
}

// Devices lists every device, oldest enrolment first.
func (s *PGStorage) Devices(ctx context.Context) ([]Device, error) {
	done, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer done()
	var out []Device
	if err := s.scanJSON(ctx, `SELECT body FROM devices ORDER BY enrolled, id`, func(b []byte) error {
		var d Device
		if err := json.Unmarshal(b, &d); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	return out, nil
}

// RevokeDevice revokes a device's token (the first revocation's time stays).
func (s *PGStorage) RevokeDevice(ctx context.Context, id string, at time.Time) error {
	done, err := s.enter()
	if err != nil {
		return err
	}
	defer done()
	t, _ := json.Marshal(at)
	tag, err := s.pool.Exec(ctx, `UPDATE devices SET body = CASE WHEN body ? 'revoked' THEN body ELSE jsonb_set(body, '{revoked}', $2::jsonb) END
		WHERE id = $1`, id, string(t))
	if err == nil && tag.RowsAffected() == 0 {
		err = ErrNoDevice
	}
	if err != nil {
		return fmt.Errorf("revoke device %s: %w", id, err)
	}
	return nil
}

// TouchDevice records when a device was last seen, writing at most once
// every five minutes per device and process.
func (s *PGStorage) TouchDevice(ctx context.Context, id string, at time.Time) error {
	if !s.touched.due(id, at) {
		return nil
	}
	done, err := s.enter()
	if err != nil {
		return err
	}
	defer done()
	t, _ := json.Marshal(at)
	tag, err := s.pool.Exec(ctx, `UPDATE devices SET body = jsonb_set(body, '{last_seen}', $2::jsonb) WHERE id = $1`, id, string(t))
	if err == nil && tag.RowsAffected() == 0 {
		err = ErrNoDevice
	}
	if err != nil {
		return fmt.Errorf("touch device %s: %w", id, err)
	}
	return nil
}

// Meta returns the value under key; see Storage.
func (s *PGStorage) Meta(ctx context.Context, key string) ([]byte, error) {
	done, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer done()
	var v []byte
	err = s.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("meta %s: %w", key, ErrNoMeta)
	}
	if err != nil {
		return nil, fmt.Errorf("meta %s: %w", key, err)
	}
	return s.unseal("meta:"+key, v)
}

// SetMeta stores (or, with nil, deletes) the value under key; see Storage.
func (s *PGStorage) SetMeta(ctx context.Context, key string, value []byte) error {
	done, err := s.enter()
	if err != nil {
		return err
	}
	defer done()
	if value == nil {
		_, err = s.pool.Exec(ctx, `DELETE FROM meta WHERE key = $1`, key)
	} else {
		_, err = s.pool.Exec(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, key, s.seal("meta:"+key, value))
	}
	if err != nil {
		return fmt.Errorf("set meta %s: %w", key, err)
	}
	return nil
}

// MetaPrefix returns the keys under prefix with their values; see Storage.
func (s *PGStorage) MetaPrefix(ctx context.Context, prefix string) (map[string][]byte, error) {
	done, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer done()
	rows, err := s.pool.Query(ctx, `SELECT key, value FROM meta WHERE starts_with(key, $1)`, prefix)
	if err != nil {
		return nil, fmt.Errorf("meta under %s: %w", prefix, err)
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("meta under %s: %w", prefix, err)
		}
		if out[k], err = s.unseal("meta:"+k, v); err != nil {
			return nil, fmt.Errorf("meta under %s: %w", prefix, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("meta under %s: %w", prefix, err)
	}
	return out, nil
}
