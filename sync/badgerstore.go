package sync

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	stdsync "sync"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"danvan/data"
)

// BadgerStorage is the server's embedded Storage: one Badger directory
// for every commune. Records are keyed by id; a per-commune change feed
// and a global one map each server sequence to the record it stamped, so
// a pull is a range scan. The server keeps one monotonic sequence.
//
// Key layout:
//
//	m/server_id            random id of this database
//	m/purged               highest sequence removed by PurgeTombstones
//	s/seq                  the Badger sequence behind the server sequence
//	r/<id>                 seq(8) | len(origin)(1) | origin | record JSON
//	c/<commune>/<seq(8)>   id \x00 origin       (commune change feed)
//	f/<seq(8)>             commune/id \x00 origin (global change feed)
//	z/<id>                 wall ms(8) of a tombstoned record's deletion
//	e/<hex code hash>      Enrolment JSON
//	d/<device id>          Device JSON
//	t/<hex token hash>     device id
//	i/<device>/<key>       idempotency record, with a TTL
type BadgerStorage struct {
	db  *badger.DB
	id  string
	seq *badger.Sequence
	log *slog.Logger

	mu       stdsync.Mutex     // guards the fields below
	last     uint64            // highest sequence handed out
	inflight map[uint64]int    // lowest sequence of each uncommitted transaction
	purged   uint64            // highest sequence purged
	closeMu  stdsync.RWMutex   // held for reading by every operation
	closed   bool              // set by Close, under closeMu
	jobs     chan *applyJob    // pushes waiting for the writer
	writerWG stdsync.WaitGroup // the writer goroutine
	purgeMu  stdsync.RWMutex   // held by PurgeHistory, for reading by Pull
	purge    [][]byte          // record keys whose history must go (writer only)
	touched  touchGate         // throttles the writes of "last seen"
}

var (
	bkServerID = []byte("m/server_id")
	bkPurged   = []byte("m/purged")
	bkSeq      = []byte("s/seq")
	bpRecord   = []byte("r/")
	bpCommune  = []byte("c/")
	bpFeed     = []byte("f/")
	bpTomb     = []byte("z/")
	bpEnrol    = []byte("e/")
	bpDevice   = []byte("d/")
	bpToken    = []byte("t/")
	bpIdem     = []byte("i/")
	bpMeta     = []byte("x/")
)

type slogBadger struct{ l *slog.Logger }

// Errorf logs a Badger error.
func (b slogBadger) Errorf(f string, a ...any) { b.l.Error("badger", "msg", fmt.Sprintf(f, a...)) }

// Warningf logs a Badger warning.
func (b slogBadger) Warningf(f string, a ...any) { b.l.Warn("badger", "msg", fmt.Sprintf(f, a...)) }

// Infof drops Badger's information.
func (slogBadger) Infof(string, ...any) {}

// Debugf drops Badger's debugging.
func (slogBadger) Debugf(string, ...any) {}

// OpenBadgerStorage opens (creating if needed) the server database in
// dir. log receives Badger's warnings; nil discards them. A directory held
// by a running server gives an error saying so.
func OpenBadgerStorage(dir string, log *slog.Logger) (*BadgerStorage, error) {
	return OpenBadgerStorageKey(dir, log, nil)
}

// ErrServerKeyNeeded: the data directory is new, or encrypted, and no
// server key was given.
var ErrServerKeyNeeded = errors.New("a server key is needed: make one with \"danvan-server keygen --out FILE\" and give it with --key-file FILE or DANVAN_SERVER_KEY_FILE")

// ErrServerKeyWrong: the server key does not decrypt the data directory.
var ErrServerKeyWrong = errors.New("the server key does not decrypt this data directory (wrong key file?)")

// OpenBadgerStorageKey opens the server database in dir encrypted at
// rest with key (AES-256, 32 bytes; Badger's encryption: every table and
// value log file is encrypted with data keys, themselves encrypted with
// key). A nil key opens an unencrypted directory (tests, old data).
func OpenBadgerStorageKey(dir string, log *slog.Logger, key []byte) (*BadgerStorage, error) {
	if key != nil && len(key) != ServerKeyLen {
		return nil, fmt.Errorf("open server store %s: server key of %d bytes, want %d", dir, len(key), ServerKeyLen)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open server store %s: %w", dir, err)
	}
	opt := badger.DefaultOptions(dir).
		WithMemTableSize(64 << 20).
		WithNumMemtables(3).
		WithBlockCacheSize(64 << 20).
		WithIndexCacheSize(32 << 20).
		WithValueLogFileSize(256 << 20).
		WithNumCompactors(2).
		WithSyncWrites(true).
		WithLogger(slogBadger{log})
	if key != nil {
		// Badger needs an index cache with encryption (set above).
		opt = opt.WithEncryptionKey(key).WithEncryptionKeyRotationDuration(30 * 24 * time.Hour)
	}
	db, err := badger.Open(opt)
	if err != nil {
		msg := err.Error()
		if strings.Contains(msg, "Encryption key mismatch") || strings.Contains(msg, "Invalid encryption key") {
			if key == nil {
				return nil, fmt.Errorf("open server store %s: it is encrypted: %w", dir, ErrServerKeyNeeded)
			}
			return nil, fmt.Errorf("open server store %s: %w", dir, ErrServerKeyWrong)
		}
		if strings.Contains(msg, "Cannot acquire directory lock") || strings.Contains(msg, "resource temporarily unavailable") {
			return nil, fmt.Errorf("open server store %s: %w", dir, ErrStoreBusy)
		}
		return nil, fmt.Errorf("open server store %s: %w", dir, err)
	}
	b := &BadgerStorage{db: db, log: log, inflight: map[uint64]int{}, jobs: make(chan *applyJob, 256)}
	err = db.Update(func(txn *badger.Txn) error {
		v, err := bget(txn, bkServerID)
		if errors.Is(err, badger.ErrKeyNotFound) {
			v = []byte(data.NewID())
			if err := txn.Set(bkServerID, v); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		b.id = string(v)
		if p, err := bget(txn, bkPurged); err == nil && len(p) == 8 {
			b.purged = binary.BigEndian.Uint64(p)
		}
		return nil
	})
	if err == nil {
		b.seq, err = db.GetSequence(bkSeq, 1000)
	}
	if err == nil {
		// Every sequence handed out before a restart is below the first
		// one after it (the lease is skipped), so this is the watermark.
		b.last, err = b.seq.Next()
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open server store %s: %w", dir, err)
	}
	b.writerWG.Add(1)
	go b.writer()
	return b, nil
}

// ErrStoreBusy: another server process holds the data directory.
var ErrStoreBusy = errors.New("data directory is in use by a running danvan-server")

func bget(txn *badger.Txn, k []byte) ([]byte, error) {
	it, err := txn.Get(k)
	if err != nil {
		return nil, err
	}
	return it.ValueCopy(nil)
}

func cat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func be64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

func communeFeedKey(commune string, seq uint64) []byte {
	return cat(bpCommune, []byte(commune), []byte{'/'}, be64(seq))
}

func feedKey(seq uint64) []byte { return cat(bpFeed, be64(seq)) }

func (b *BadgerStorage) enter() (func(), error) {
	b.closeMu.RLock()
	if b.closed {
		b.closeMu.RUnlock()
		return nil, ErrClosed
	}
	return b.closeMu.RUnlock, nil
}

// ServerID returns the random id of this database.
func (b *BadgerStorage) ServerID() string { return b.id }

// Close waits for operations in progress and closes the database.
func (b *BadgerStorage) Close() error {
	b.closeMu.Lock()
	defer b.closeMu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	close(b.jobs) // every Apply has returned (they hold closeMu)
	b.writerWG.Wait()
	if b.seq != nil {
		_ = b.seq.Release()
	}
	if err := b.db.Close(); err != nil {
		return fmt.Errorf("close server store: %w", err)
	}
	return nil
}

// alloc hands out the next server sequence to a transaction; first is
// the transaction's lowest one, registered as in flight until release.
func (b *BadgerStorage) alloc(first *uint64) (uint64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, err := b.seq.Next()
	if err != nil {
		return 0, fmt.Errorf("next server sequence: %w", err)
	}
	if *first == 0 {
		*first = s
		b.inflight[s]++
	}
	if s > b.last {
		b.last = s
	}
	return s, nil
}

func (b *BadgerStorage) release(first uint64) {
	if first == 0 {
		return
	}
	b.mu.Lock()
	if b.inflight[first]--; b.inflight[first] <= 0 {
		delete(b.inflight, first)
	}
	b.mu.Unlock()
}

// watermark returns the highest sequence below which every transaction
// has committed or given up: a pull never passes it, so a change that
// commits late cannot slip behind a cursor.
func (b *BadgerStorage) watermark() (w, purged uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	w = b.last
	for s := range b.inflight {
		if s-1 < w {
			w = s - 1
		}
	}
	return w, b.purged
}

// storedRecord splits a stored record value.
func storedRecord(v []byte) (seq uint64, origin string, js []byte, err error) {
	if len(v) < 9 || len(v) < 9+int(v[8]) {
		return 0, "", nil, errors.New("stored record value too short")
	}
	n := int(v[8])
	return binary.BigEndian.Uint64(v[:8]), string(v[9 : 9+n]), v[9+n:], nil
}

func encodeStored(seq uint64, origin string, js []byte) []byte {
	if len(origin) > 255 {
		origin = origin[:255]
	}
	out := make([]byte, 0, 9+len(origin)+len(js))
	out = append(out, be64(seq)...)
	out = append(out, byte(len(origin)))
	out = append(out, origin...)
	return append(out, js...)
}

type idemRecord struct {
	Hash []byte   `json:"h"`
	Seqs []uint64 `json:"s"`
}

// Apply merges a pushed batch atomically; see Storage. Batches are
// handed to one writer goroutine, which commits the batches waiting at
// the same moment in one transaction (one fsync for all of them): each
// batch is still all or nothing, and a refused batch writes nothing.
func (b *BadgerStorage) Apply(ctx context.Context, req ApplyRequest) (ApplyResult, error) {
	done, err := b.enter()
	if err != nil {
		return ApplyResult{}, err
	}
	defer done()
	job := &applyJob{ctx: ctx, req: req, done: make(chan struct{})}
	select {
	case b.jobs <- job:
	case <-ctx.Done():
		return ApplyResult{}, fmt.Errorf("apply %d records: %w (not started)", len(req.Records), ctx.Err())
	}
	<-job.done // even when ctx ends: the batch may be in a transaction being committed
	return job.res, job.err
}

// ErrBatchTooBig: a batch does not fit one database transaction.
var ErrBatchTooBig = errors.New("batch too big for one transaction")

// applyJob is one Apply waiting for the writer.
type applyJob struct {
	ctx  context.Context
	req  ApplyRequest
	res  ApplyResult
	err  error
	done chan struct{}
}

// groupRecords caps the records the writer commits in one transaction.
const groupRecords = 8000

// writer commits the queued batches, in groups.
func (b *BadgerStorage) writer() {
	defer b.writerWG.Done()
	var carry *applyJob
	for {
		job := carry
		carry = nil
		if job == nil {
			var ok bool
			if job, ok = <-b.jobs; !ok {
				return
			}
		}
		group := []*applyJob{job}
		n := len(job.req.Records)
	drain:
		for n < groupRecords {
			select {
			case j, ok := <-b.jobs:
				if !ok {
					break drain
				}
				if n+len(j.req.Records) > groupRecords {
					carry = j
					break drain
				}
				group = append(group, j)
				n += len(j.req.Records)
			default:
				break drain
			}
		}
		for len(group) > 0 {
			group = b.applyGroup(group)
		}
	}
}

// op is one write of a batch, made only if the whole batch is accepted.
type op struct {
	key, val []byte
	del      bool
	ttl      bool
}

// applyGroup applies a group of batches in one transaction and answers
// them. It returns the batches that did not fit, for another transaction.
func (b *BadgerStorage) applyGroup(group []*applyJob) (rest []*applyJob) {
	for attempt := 0; ; attempt++ {
		b.purge = b.purge[:0]
		txn := b.db.NewTransaction(true)
		var first uint64
		var accepted []*applyJob
		rest = nil
		for i, j := range group {
			if err := j.ctx.Err(); err != nil {
				j.res, j.err = ApplyResult{}, fmt.Errorf("apply %d records: %w (rolled back)", len(j.req.Records), err)
				continue
			}
			res, ops, err := b.prepare(txn, j.req, &first)
			if err != nil {
				j.res, j.err = ApplyResult{}, err
				continue
			}
			if err := writeOps(txn, ops); err != nil {
				if errors.Is(err, badger.ErrTxnTooBig) {
					if len(accepted) == 0 {
						j.res, j.err = ApplyResult{}, fmt.Errorf("apply %d records: %w", len(j.req.Records), ErrBatchTooBig)
						rest = group[i+1:]
					} else {
						rest = group[i:]
					}
					break
				}
				j.res, j.err = ApplyResult{}, err
				txn.Discard()
				b.release(first)
				for _, a := range accepted {
					a.res, a.err = ApplyResult{}, err
				}
				return finish(group, nil)
			}
			j.res, j.err = res, nil
			accepted = append(accepted, j)
		}
		err := txn.Commit()
		b.release(first)
		if len(b.purge) > 0 && err == nil {
			b.purgeMu.Lock()
			if perr := data.PurgeHistory(b.db, b.purge...); perr != nil {
				b.log.Error("purge history of re-classified records", "records", len(b.purge), "err", perr.Error())
			}
			b.purgeMu.Unlock()
		}

		if errors.Is(err, badger.ErrConflict) && attempt < 20 {
			continue // a purge or a device update raced us: do it again
		}
		if err != nil {
			for _, a := range accepted {
				a.res, a.err = ApplyResult{}, fmt.Errorf("commit %d records: %w", len(a.req.Records), err)
			}
		}
		done := group
		if rest != nil {
			done = group[:len(group)-len(rest)]
		}
		return finish(done, rest)
	}
}

func finish(done, rest []*applyJob) []*applyJob {
	for _, j := range done {
		close(j.done)
	}
	return rest
}

func writeOps(txn *badger.Txn, ops []op) error {
	for _, o := range ops {
		var err error
		switch {
		case o.del:
			err = txn.Delete(o.key)
		case o.ttl:
			err = txn.SetEntry(badger.NewEntry(o.key, o.val).WithTTL(IdempotencyTTL))
		default:
			err = txn.Set(o.key, o.val)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

type pending struct {
	seq    uint64
	origin string
	js     []byte
	rec    *data.Record
}

// prepare merges one batch against the transaction's view and returns
// its answer and its writes, without writing: a refused batch leaves
// nothing behind. Sequences are handed out as records change.
func (b *BadgerStorage) prepare(txn *badger.Txn, req ApplyRequest, first *uint64) (ApplyResult, []op, error) {
	ikey := cat(bpIdem, []byte(req.Device), []byte{'/'}, []byte(req.Key))
	if req.Key != "" {
		if v, err := bget(txn, ikey); err == nil {
			var ir idemRecord
			if err := json.Unmarshal(v, &ir); err != nil {
				return ApplyResult{}, nil, fmt.Errorf("read idempotency record: %w", err)
			}
			if !bytes.Equal(ir.Hash, req.BodyHash) {
				return ApplyResult{}, nil, ErrIdempotencyMismatch
			}
			return ApplyResult{Seqs: ir.Seqs, Replayed: true}, nil, nil
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return ApplyResult{}, nil, fmt.Errorf("read idempotency record: %w", err)
		}
	}
	seqs := make([]uint64, len(req.Records))
	var ops []op
	mine := map[string]*pending{} // records this batch already changed
	for i := range req.Records {
		in := req.Records[i]
		var old *data.Record
		var oldSeq uint64
		var oldJS []byte
		if p, ok := mine[in.ID]; ok {
			old, oldSeq, oldJS = p.rec, p.seq, p.js
		} else if v, err := bget(txn, cat(bpRecord, []byte(in.ID))); err == nil {
			var err2 error
			oldSeq, _, oldJS, err2 = storedRecord(v)
			if err2 != nil {
				return ApplyResult{}, nil, fmt.Errorf("read stored %s: %w", in.ID, err2)
			}
			old = new(data.Record)
			if err := json.Unmarshal(oldJS, old); err != nil {
				return ApplyResult{}, nil, fmt.Errorf("decode stored %s: %w", in.ID, err)
			}
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return ApplyResult{}, nil, fmt.Errorf("read stored %s: %w", in.ID, err)
		}
		merged, js, own, err := req.Merge(i, old, in)
		if err != nil {
			var re *RejectError
			if errors.As(err, &re) {
				re.Record.Index = i
			}
			return ApplyResult{}, nil, err
		}
		if old != nil && bytes.Equal(js, oldJS) {
			continue // nothing new: no sequence, nothing to send anyone
		}
		if data.DropsRaiser(old, &merged) {
			// Re-classified as tố cáo: the versions naming the raiser go.
			b.purge = append(b.purge, cat(bpRecord, []byte(merged.ID)))
		}
		seq, err := b.alloc(first)
		if err != nil {
			return ApplyResult{}, nil, err
		}
		seqs[i] = seq
		origin := ""
		if own {
			origin = req.Device
		}
		if old != nil {
			ops = append(ops, op{key: communeFeedKey(old.Commune, oldSeq), del: true}, op{key: feedKey(oldSeq), del: true})
		}
		tomb := cat(bpTomb, []byte(merged.ID))
		ops = append(ops,
			op{key: cat(bpRecord, []byte(merged.ID)), val: encodeStored(seq, origin, js)},
			op{key: communeFeedKey(merged.Commune, seq), val: []byte(merged.ID + "\x00" + origin)},
			op{key: feedKey(seq), val: []byte(merged.Commune + "/" + merged.ID + "\x00" + origin)})
		if merged.Deleted() {
			ops = append(ops, op{key: tomb, val: be64(uint64(merged.Fields["_deleted"].S.Wall))})
		} else if old != nil && old.Deleted() {
			ops = append(ops, op{key: tomb, del: true})
		}
		mine[merged.ID] = &pending{seq: seq, origin: origin, js: js, rec: &merged}
	}
	if req.Key != "" {
		v, _ := json.Marshal(idemRecord{Hash: req.BodyHash, Seqs: seqs})
		ops = append(ops, op{key: ikey, val: v, ttl: true})
	}
	return ApplyResult{Seqs: seqs}, ops, nil
}

// Pull returns a page of changed records; see Storage.
// Backlog counts the changes stored after since for commune ("" for
// every commune), reading keys only; the server states it on the first
// page of a pull, for the laptop's progress.
func (b *BadgerStorage) Backlog(ctx context.Context, commune string, since uint64) (int, error) {
	done, err := b.enter()
	if err != nil {
		return 0, err
	}
	defer done()
	w, _ := b.watermark()
	prefix := bpFeed
	if commune != "" {
		prefix = cat(bpCommune, []byte(commune), []byte{'/'})
	}
	n := 0
	err = b.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Seek(cat(prefix, be64(since+1))); it.Valid(); it.Next() {
			if binary.BigEndian.Uint64(it.Item().Key()[len(prefix):]) > w {
				break
			}
			if n++; n%4096 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
		}
		return nil
	})
	return n, err
}

func (b *BadgerStorage) Pull(ctx context.Context, req PullRequest) (PullPage, error) {
	done, err := b.enter()
	if err != nil {
		return PullPage{}, err
	}
	defer done()
	b.purgeMu.RLock() // a record whose history is being purged is briefly absent
	defer b.purgeMu.RUnlock()
	w, purged := b.watermark()
	if req.Since > w {
		return PullPage{}, fmt.Errorf("pull since %d (server at %d): %w", req.Since, w, ErrCursorAhead)
	}
	if req.Since != 0 && req.Since < purged {
		return PullPage{}, fmt.Errorf("pull since %d (tombstones purged up to %d): %w", req.Since, purged, ErrCursorExpired)
	}
	if req.Limit <= 0 {
		req.Limit = 500
	}
	page := PullPage{Cursor: req.Since, Records: []json.RawMessage{}}
	prefix := bpFeed
	if req.Commune != "" {
		prefix = cat(bpCommune, []byte(req.Commune), []byte{'/'})
	}
	size := 0
	err = b.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		for it.Seek(cat(prefix, be64(req.Since+1))); it.Valid(); it.Next() {
			k := it.Item().Key()
			seq := binary.BigEndian.Uint64(k[len(prefix):])
			if seq > w {
				break
			}
			if len(page.Records) >= req.Limit || (req.MaxBytes > 0 && size >= req.MaxBytes) {
				page.More = true
				break
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			ref, origin, _ := bytes.Cut(v, []byte{0})
			page.Cursor = seq
			if req.Exclude != "" && string(origin) == req.Exclude {
				continue
			}
			id := ref
			if req.Commune == "" {
				if _, after, ok := bytes.Cut(ref, []byte{'/'}); ok {
					id = after
				}
			}
			sv, err := bget(txn, cat(bpRecord, id))
			if err != nil {
				return fmt.Errorf("read record %s of feed entry %d: %w", id, seq, err)
			}
			_, _, js, err := storedRecord(sv)
			if err != nil {
				return fmt.Errorf("read record %s: %w", id, err)
			}
			page.Records = append(page.Records, js)
			size += len(js)
		}
		return nil
	})
	if err != nil {
		return PullPage{}, fmt.Errorf("pull since %d: %w", req.Since, err)
	}
	if !page.More {
		page.Cursor = w
	}
	return page, nil
}

// PurgeTombstones removes records deleted before deletedBefore; see Storage.
func (b *BadgerStorage) PurgeTombstones(ctx context.Context, deletedBefore time.Time) (int, error) {
	done, err := b.enter()
	if err != nil {
		return 0, err
	}
	defer done()
	limit := uint64(deletedBefore.UnixMilli())
	var ids []string
	err = b.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: bpTomb, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			if len(v) == 8 && binary.BigEndian.Uint64(v) < limit {
				ids = append(ids, string(it.Item().Key()[len(bpTomb):]))
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("purge tombstones: %w", err)
	}
	n := 0
	for start := 0; start < len(ids); start += 1000 {
		if err := ctx.Err(); err != nil {
			return n, fmt.Errorf("purge tombstones: %w", err)
		}
		end := min(start+1000, len(ids))
		var maxSeq uint64
		k := 0
		err := b.db.Update(func(txn *badger.Txn) error {
			maxSeq, k = 0, 0
			for _, id := range ids[start:end] {
				v, err := bget(txn, cat(bpRecord, []byte(id)))
				if errors.Is(err, badger.ErrKeyNotFound) {
					continue
				} else if err != nil {
					return err
				}
				seq, _, js, err := storedRecord(v)
				if err != nil {
					return err
				}
				var rec data.Record
				if err := json.Unmarshal(js, &rec); err != nil {
					return err
				}
				if !rec.Deleted() {
					continue
				}
				for _, key := range [][]byte{cat(bpRecord, []byte(id)), cat(bpTomb, []byte(id)), communeFeedKey(rec.Commune, seq), feedKey(seq)} {
					if err := txn.Delete(key); err != nil {
						return err
					}
				}
				maxSeq = max(maxSeq, seq)
				k++
			}
			var cur uint64
			if p, err := bget(txn, bkPurged); err == nil && len(p) == 8 {
				cur = binary.BigEndian.Uint64(p)
			}
			maxSeq = max(maxSeq, cur)
			return txn.Set(bkPurged, be64(maxSeq))
		})
		if err != nil {
			return n, fmt.Errorf("purge tombstones: %w", err)
		}
		n += k
		b.mu.Lock()
		b.purged = max(b.purged, maxSeq)
		b.mu.Unlock()
	}
	return n, nil
}

// Stats counts the stored records (live and tombstoned) per commune.
func (b *BadgerStorage) Stats(ctx context.Context) (map[string]int, error) {
	done, err := b.enter()
	if err != nil {
		return nil, err
	}
	defer done()
	out := map[string]int{}
	err = b.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: bpCommune})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()[len(bpCommune):]
			if len(k) > 9 {
				out[string(k[:len(k)-9])]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count records: %w", err)
	}
	return out, nil
}

// AddEnrolment stores a new enrolment code.
func (b *BadgerStorage) AddEnrolment(ctx context.Context, e Enrolment) error {
	done, err := b.enter()
	if err != nil {
		return err
	}
	defer done()
	v, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("add enrolment: %w", err)
	}
	if err := b.db.Update(func(txn *badger.Txn) error {
		return txn.Set(cat(bpEnrol, []byte(hex.EncodeToString(e.CodeHash))), v)
	}); err != nil {
		return fmt.Errorf("add enrolment for %s: %w", e.Commune, err)
	}
	return nil
}

// Enrolments lists enrolment codes, newest first.
func (b *BadgerStorage) Enrolments(ctx context.Context) ([]Enrolment, error) {
	done, err := b.enter()
	if err != nil {
		return nil, err
	}
	defer done()
	var out []Enrolment
	err = b.scanJSON(bpEnrol, func(v []byte) error {
		var e Enrolment
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list enrolments: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, nil
}

func (b *BadgerStorage) scanJSON(prefix []byte, f func(v []byte) error) error {
	return b.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := it.Item().Value(f); err != nil {
				return err
			}
		}
		return nil
	})
}

// RedeemEnrolment consumes a code and adds the device; see Storage.
func (b *BadgerStorage) RedeemEnrolment(ctx context.Context, codeHash []byte, now time.Time, wantCommune string, dev Device) (Device, error) {
	done, err := b.enter()
	if err != nil {
		return Device{}, err
	}
	defer done()
	ek := cat(bpEnrol, []byte(hex.EncodeToString(codeHash)))
	err = b.db.Update(func(txn *badger.Txn) error {
		v, err := bget(txn, ek)
		if errors.Is(err, badger.ErrKeyNotFound) {
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
		if err := txn.Set(ek, ev); err != nil {
			return err
		}
		return putDevice(txn, dev)
	})
	if err != nil {
		return Device{}, fmt.Errorf("redeem enrolment code: %w", err)
	}
	return dev, nil
}

func putDevice(txn *badger.Txn, dev Device) error {
	dv, err := json.Marshal(dev)
	if err != nil {
		return err
	}
	if err := txn.Set(cat(bpDevice, []byte(dev.ID)), dv); err != nil {
		return err
	}
	return txn.Set(cat(bpToken, []byte(hex.EncodeToString(dev.TokenHash))), []byte(dev.ID))
}

// AddDevice stores a device directly.
func (b *BadgerStorage) AddDevice(ctx context.Context, dev Device) error {
	done, err := b.enter()
	if err != nil {
		return err
	}
	defer done()
	if err := b.db.Update(func(txn *badger.Txn) error { return putDevice(txn, dev) }); err != nil {
		return fmt.Errorf("add device %s: %w", dev.ID, err)
	}
	return nil
}

// DeviceByToken returns the device with that token hash.
func (b *BadgerStorage) DeviceByToken(ctx context.Context, tokenHash []byte) (Device, error) {
	done, err := b.enter()
	if err != nil {
		return Device{}, err
	}
	defer done()
	var dev Device
	err = b.db.View(func(txn *badger.Txn) error {
		id, err := bget(txn, cat(bpToken, []byte(hex.EncodeToString(tokenHash))))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ErrNoDevice
		} else if err != nil {
			return err
		}
		dv, err := bget(txn, cat(bpDevice, id))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ErrNoDevice
		} else if err != nil {
			return err
		}
		return json.Unmarshal(dv, &dev)
	})
	if err != nil {
		return Device{}, fmt.Errorf("look up device token: %w", err)
	}
	return dev, nil
}

// Devices lists every device, oldest enrolment first.
func (b *BadgerStorage) Devices(ctx context.Context) ([]Device, error) {
	done, err := b.enter()
	if err != nil {
		return nil, err
	}
	defer done()
	var out []Device
	err = b.scanJSON(bpDevice, func(v []byte) error {
		var d Device
		if err := json.Unmarshal(v, &d); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Enrolled.Before(out[j].Enrolled) })
	return out, nil
}

func (b *BadgerStorage) updateDevice(id string, f func(*Device)) error {
	return b.db.Update(func(txn *badger.Txn) error {
		dv, err := bget(txn, cat(bpDevice, []byte(id)))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ErrNoDevice
		} else if err != nil {
			return err
		}
		var d Device
		if err := json.Unmarshal(dv, &d); err != nil {
			return err
		}
		f(&d)
		nv, _ := json.Marshal(d)
		return txn.Set(cat(bpDevice, []byte(id)), nv)
	})
}

// RevokeDevice revokes a device's token.
func (b *BadgerStorage) RevokeDevice(ctx context.Context, id string, at time.Time) error {
	done, err := b.enter()
	if err != nil {
		return err
	}
	defer done()
	err = b.updateDevice(id, func(d *Device) {
		if d.Revoked.IsZero() {
			d.Revoked = at
		}
	})
	if err != nil {
		return fmt.Errorf("revoke device %s: %w", id, err)
	}
	return nil
}

// TouchDevice records when a device was last seen, writing at most once
// every five minutes per device.
func (b *BadgerStorage) TouchDevice(ctx context.Context, id string, at time.Time) error {
	if !b.touched.due(id, at) {
		return nil
	}
	done, err := b.enter()
	if err != nil {
		return err
	}
	defer done()
	err = b.updateDevice(id, func(d *Device) { d.LastSeen = at })
	if err != nil && !errors.Is(err, badger.ErrConflict) {
		return fmt.Errorf("touch device %s: %w", id, err)
	}
	return nil
}

// newRandom returns n random bytes.
func newRandom(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return b
}

// Meta returns the value under key; see Storage.
func (b *BadgerStorage) Meta(ctx context.Context, key string) ([]byte, error) {
	done, err := b.enter()
	if err != nil {
		return nil, err
	}
	defer done()
	var v []byte
	err = b.db.View(func(txn *badger.Txn) error {
		v, err = bget(txn, cat(bpMeta, []byte(key)))
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("meta %s: %w", key, ErrNoMeta)
	}
	if err != nil {
		return nil, fmt.Errorf("meta %s: %w", key, err)
	}
	return v, nil
}

// SetMeta stores (or, with nil, deletes) the value under key; see Storage.
func (b *BadgerStorage) SetMeta(ctx context.Context, key string, value []byte) error {
	done, err := b.enter()
	if err != nil {
		return err
	}
	defer done()
	err = b.db.Update(func(txn *badger.Txn) error {
		if value == nil {
			return txn.Delete(cat(bpMeta, []byte(key)))
		}
		return txn.Set(cat(bpMeta, []byte(key)), value)
	})
	if err != nil {
		return fmt.Errorf("set meta %s: %w", key, err)
	}
	return nil
}

// MetaPrefix returns the keys under prefix with their values; see Storage.
func (b *BadgerStorage) MetaPrefix(ctx context.Context, prefix string) (map[string][]byte, error) {
	done, err := b.enter()
	if err != nil {
		return nil, err
	}
	defer done()
	out := map[string][]byte{}
	p := cat(bpMeta, []byte(prefix))
	err = b.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			out[string(it.Item().Key()[len(bpMeta):])] = v
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("meta under %s: %w", prefix, err)
	}
	return out, nil
}
