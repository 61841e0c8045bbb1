package data

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// Errors the store returns; the UI shows each as a Vietnamese message.
var (
	// ErrWrongPassphrase: the passphrase does not unlock the store.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrAlreadyOpen: another instance of the app has the store open.
	ErrAlreadyOpen = errors.New("store already open by another process")
	// ErrNotFound: no record with that id.
	ErrNotFound = errors.New("record not found")
	// ErrOtherCommune: a record belongs to another commune than the store's.
	ErrOtherCommune = errors.New("record belongs to another commune")
	// ErrNoCommune: the store has no commune set yet.
	ErrNoCommune = errors.New("store has no commune")
	// ErrNotPermitted: the caller may not read a confidential field.
	ErrNotPermitted = errors.New("not permitted")
)

// Key prefixes in Badger.
var (
	pfxRecord   = []byte("r/")
	pfxIndex    = []byte("x/")
	pfxOutbox   = []byte("o/")
	pfxAudit    = []byte("a/")
	pfxConf     = []byte("c/")
	pfxMeta     = []byte("m/")
	pfxDraft    = []byte("d/")
	keyDevice   = []byte("m/device")
	keyCommune  = []byte("m/commune")
	keyClock    = []byte("m/clock")
	keySchema   = []byte("m/schema")
	seqOutbox   = []byte("s/outbox")
	seqAudit    = []byte("s/audit")
	storeSubdir = "badger"
)

// SchemaVersion is the version of the store layout this build writes.
const SchemaVersion = 1

// Options tune how a store is opened.
type Options struct {
	// Passphrase unlocks (or, for a new store, locks) the store. An empty
	// passphrase on a new store means the user chose to go without one:
	// the store is still encrypted, with a random key kept beside it.
	Passphrase string
	// ReadOnly opens without writing.
	ReadOnly bool
	// Actor is who makes the changes (the cadre's name), for the audit.
	Actor string
	// Logf receives Badger's warnings and errors; nil drops them.
	Logf func(format string, args ...any)
}

// Store is the local, encrypted, durable record store of one device.
// It is safe for concurrent use.
type Store struct {
	// poisoned is set by init when the saved clock was beyond the bounds
	// (see RepairFutureStamps).
	poisoned bool
	// memory is set for a store of OpenMemory: a copy that keeps no
	// audit and no "unseen" marks of what it is given.
	memory bool
	// running is set by MarkRunning: Close then clears the mark.
	running bool
	dir     string
	db      *badger.DB
	clock   *Clock
	device  string
	commune string
	actor   string

	writeMu sync.Mutex // serialises read-modify-write of records
	outbox  *badger.Sequence
	audit   *badger.Sequence
	idx     *index
	onWrite []func()
	hookMu  sync.Mutex
	unseen  unseenSet // records from a colleague, not opened yet
}

type badgerLogger struct{ logf func(string, ...any) }

func (l badgerLogger) Errorf(f string, a ...any) { l.logf("badger error: "+f, a...) }
func (l badgerLogger) Warningf(f string, a ...any) {
	if cacheAdvice(f) {
		return
	}
	l.logf("badger warning: "+f, a...)
}

// cacheAdvice reports whether a Badger warning is its minute-by-minute
// advice that the block or index cache "might be too small": the desktop
// profile keeps them small on purpose (4 MB, for 4 GB laptops), so the
// advice is noise in the user's log, not a fault.
func cacheAdvice(format string) bool {
	return strings.Contains(format, "might be too small") || strings.HasPrefix(format, "Cache life expectancy")
}
func (badgerLogger) Infof(string, ...any)  {}
func (badgerLogger) Debugf(string, ...any) {}

// badgerOptions returns the desktop memory profile: small memtables and
// caches (8 MB each) keep a 100k-record store, index included, near
// 120 MB resident. Saves are durable (SyncWrites).
func badgerOptions(dir string, key []byte, o Options) badger.Options {
	opt := badger.DefaultOptions(dir).
		WithEncryptionKey(key).
		WithIndexCacheSize(4 << 20).
		WithBlockCacheSize(4 << 20).
		WithMemTableSize(8 << 20).
		WithNumMemtables(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(8).
		WithValueLogFileSize(64 << 20).
		WithNumCompactors(2).
		WithSyncWrites(true).
		WithReadOnly(o.ReadOnly).
		WithLogger(nil)
	if o.Logf != nil {
		opt = opt.WithLogger(badgerLogger{o.Logf})
	}
	return opt
}

// Open opens the store in dir, creating it (and dir) if it does not exist.
// A wrong passphrase gives ErrWrongPassphrase and changes nothing; a store
// held by another process gives ErrAlreadyOpen.
func Open(dir string, o Options) (*Store, error) {
	if err := recoverRestore(dir); err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	if err := checkSchemaFile(dir); err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	bdir := filepath.Join(dir, storeSubdir)
	kf, err := readKeyFile(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if _, serr := os.Stat(bdir); serr == nil {
			return nil, fmt.Errorf("open store %s: data present but %s is missing", dir, keyFileName)
		}
		if kf, err = newKeyFile(o.Passphrase); err != nil {
			return nil, fmt.Errorf("open store %s: %w", dir, err)
		}
		// The key file goes to disk before any data is encrypted with it.
		if err := writeKeyFile(dir, kf); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	key, err := kf.deriveKey(o.Passphrase)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	db, err := badger.Open(badgerOptions(bdir, key, o))
	if err != nil {
		msg := err.Error()
		switch {
		case strings.Contains(msg, "Encryption key mismatch") || strings.Contains(msg, "Invalid encryption key"):
			return nil, fmt.Errorf("open store %s: %w", dir, ErrWrongPassphrase)
		case strings.Contains(msg, "Cannot acquire directory lock") || strings.Contains(msg, "resource temporarily unavailable"):
			return nil, fmt.Errorf("open store %s: %w", dir, ErrAlreadyOpen)
		}
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	s := &Store{dir: dir, db: db, actor: o.Actor}
	if err := s.migrate(o, time.Now()); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	if s.poisoned {
		if _, err := s.RepairFutureStamps(); err != nil {
			db.Close()
			return nil, fmt.Errorf("open store %s: %w", dir, err)
		}
	}
	return s, nil
}

// OpenMemory opens an empty store held in memory only, for commune:
// nothing is written to disk, so it needs no passphrase, and everything
// in it is gone at Close. The provincial server builds such a store from
// a commune's synced records so that its pages compute their figures with
// the very code of the laptop's reports (data.Store.StatsMany, package
// report).
func OpenMemory(commune string, o Options) (*Store, error) {
	opt := badger.DefaultOptions("").
		WithInMemory(true).
		WithIndexCacheSize(1 << 20).
		WithBlockCacheSize(1 << 20).
		WithMetricsEnabled(false).
		WithMemTableSize(2 << 20).
		WithValueThreshold(64 << 10).
		WithNumMemtables(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(8).
		WithNumCompactors(2).
		WithLogger(nil)
	db, err := badger.Open(opt)
	if err != nil {
		return nil, fmt.Errorf("open memory store for %s: %w", commune, err)
	}
	s := &Store{db: db, actor: o.Actor, memory: true}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open memory store for %s: %w", commune, err)
	}
	if err := s.SetCommune(commune); err != nil {
		db.Close()
		return nil, fmt.Errorf("open memory store for %s: %w", commune, err)
	}
	return s, nil
}

// ErrNewerSchema: the store was written by a newer version of the app.
var ErrNewerSchema = errors.New("store was written by a newer version of the app")

func (s *Store) init() error {
	err := s.db.Update(func(txn *badger.Txn) error {
		dev, err := getBytes(txn, keyDevice)
		if errors.Is(err, badger.ErrKeyNotFound) {
			dev = []byte(NewID())
			if err := txn.Set(keyDevice, dev); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		s.device = string(dev)
		if v, err := getBytes(txn, keySchema); err == nil {
			if n := binary.BigEndian.Uint32(v); n > SchemaVersion {
				return fmt.Errorf("schema %d > %d: %w", n, SchemaVersion, ErrNewerSchema)
			}
		} else if errors.Is(err, badger.ErrKeyNotFound) {
			var b [4]byte
			binary.BigEndian.PutUint32(b[:], SchemaVersion)
			if err := txn.Set(keySchema, b[:]); err != nil {
				return err
			}
		}
		if c, err := getBytes(txn, keyCommune); err == nil {
			s.commune = string(c)
		}
		var last HLC
		if v, err := getBytes(txn, keyClock); err == nil {
			_ = json.Unmarshal(v, &last)
		}
		s.clock = NewClock(s.device, last)
		s.poisoned = poisoned(last, time.Now())
		return nil
	})
	if err != nil {
		return err
	}
	if s.outbox, err = s.db.GetSequence(seqOutbox, 64); err != nil {
		return err
	}
	if s.audit, err = s.db.GetSequence(seqAudit, 64); err != nil {
		return err
	}
	if err := s.loadIndex(); err != nil {
		return err
	}
	return s.loadUnseen()
}

func getBytes(txn *badger.Txn, key []byte) ([]byte, error) {
	it, err := txn.Get(key)
	if err != nil {
		return nil, err
	}
	return it.ValueCopy(nil)
}

// Close releases the store. Every acknowledged save is already on disk.
// A store marked by MarkRunning is marked closed cleanly.
func (s *Store) Close() error {
	if s.running {
		_ = s.db.Update(func(txn *badger.Txn) error { return txn.Delete(keyRunning) })
	}
	if s.outbox != nil {
		_ = s.outbox.Release()
	}
	if s.audit != nil {
		_ = s.audit.Release()
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store %s: %w", s.dir, err)
	}
	return nil
}

// Dir returns the directory the store lives in.
func (s *Store) Dir() string { return s.dir }

// Device returns this device's id.
func (s *Store) Device() string { return s.device }

// Commune returns the commune code the store is bound to, or "".
func (s *Store) Commune() string { return s.commune }

// SetActor sets who makes the following changes, for the audit trail.
func (s *Store) SetActor(name string) {
	s.writeMu.Lock()
	s.actor = name
	s.writeMu.Unlock()
}

// Actor returns who the store records as making changes.
func (s *Store) Actor() string {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.actor
}

// Clock returns the store's hybrid logical clock.
func (s *Store) Clock() *Clock { return s.clock }

// SetCommune binds the store to a commune. It can be set once; the code
// must be in the official list.
func (s *Store) SetCommune(code string) error {
	if _, ok := CommuneByCode(code); !ok {
		return fmt.Errorf("set commune %q: not in the official list", code)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.commune != "" && s.commune != code {
		return fmt.Errorf("set commune %s: store is bound to %s: %w", code, s.commune, ErrOtherCommune)
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(keyCommune, []byte(code)) }); err != nil {
		return fmt.Errorf("set commune %s: %w", code, err)
	}
	s.commune = code
	return nil
}

// OnWrite registers f to be called after every committed change (from
// the committing goroutine). The sync worker uses it to push soon.
func (s *Store) OnWrite(f func()) {
	s.hookMu.Lock()
	s.onWrite = append(s.onWrite, f)
	s.hookMu.Unlock()
}

func (s *Store) notify() {
	s.hookMu.Lock()
	hooks := append([]func(){}, s.onWrite...)
	s.hookMu.Unlock()
	for _, f := range hooks {
		f()
	}
}

// Size returns the bytes the store's files take on disk.
func (s *Store) Size() int64 {
	lsm, vlog := s.db.Size()
	return lsm + vlog
}

func recordKey(id string) []byte { return append(append([]byte{}, pfxRecord...), id...) }
func indexKey(id string) []byte  { return append(append([]byte{}, pfxIndex...), id...) }
func confKey(id string) []byte   { return append(append([]byte{}, pfxConf...), id...) }

func seqKey(prefix []byte, seq uint64) []byte {
	k := make([]byte, len(prefix)+8)
	copy(k, prefix)
	binary.BigEndian.PutUint64(k[len(prefix):], seq)
	return k
}

func readRecord(txn *badger.Txn, id string) (*Record, error) {
	it, err := txn.Get(recordKey(id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("read record %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read record %s: %w", id, err)
	}
	var rec Record
	err = it.Value(func(v []byte) error { return json.Unmarshal(v, &rec) })
	if err != nil {
		return nil, fmt.Errorf("decode record %s: %w", id, err)
	}
	return &rec, nil
}

// Record returns the stored record with id.
func (s *Store) Record(id string) (*Record, error) {
	var rec *Record
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		rec, err = readRecord(txn, id)
		return err
	})
	return rec, err
}

// Get returns the object with id, decoded. Deleted objects are returned
// too, with Meta.Deleted set. A concern's Denouncer is never filled in:
// read it with Denouncer.
func (s *Store) Get(id string) (Object, error) {
	rec, err := s.Record(id)
	if err != nil {
		return nil, err
	}
	obj, err := DecodeRecord(rec)
	if c, ok := obj.(*Concern); ok && err == nil {
		c.Deadline = s.DeadlineFor(c).Due
	}
	return obj, err
}

// Load fills obj with the stored object of obj's id and kind. A
// concern's Deadline is computed from its current inputs (its village's
// remote flag, the commune's settings, the calendar), not the one stored
// at its last save.
func (s *Store) Load(id string, obj Object) error {
	rec, err := s.Record(id)
	if err != nil {
		return err
	}
	if err := Decode(rec, obj); err != nil {
		return err
	}
	if c, ok := obj.(*Concern); ok {
		c.Deadline = s.DeadlineFor(c).Due
	}
	return nil
}

// AuditEntry records one change: who made it, when, to which record, and
// which fields changed. It never holds field values.
type AuditEntry struct {
	Seq    uint64    `json:"seq"`
	Record string    `json:"record"`
	Kind   Kind      `json:"kind"`
	Action string    `json:"action"`
	Who    string    `json:"who"`
	Device string    `json:"device"`
	At     time.Time `json:"at"`
	Fields []string  `json:"fields,omitempty"`
}

// Audit actions.
const (
	AuditCreate        = "create"
	AuditUpdate        = "update"
	AuditDelete        = "delete"
	AuditRestore       = "restore"
	AuditMerge         = "merge"
	AuditViewDenouncer = "view_denouncer"
	AuditSensitive     = "include_sensitive"
	// AuditBreach is a personal-data breach logged or updated (privacy.go).
	AuditBreach = "breach"
)

func auditKey(record string, seq uint64) []byte {
	return seqKey(append(append(append([]byte{}, pfxAudit...), record...), '/'), seq)
}

func (s *Store) appendAudit(txn *badger.Txn, e AuditEntry) error {
	seq, err := s.audit.Next()
	if err != nil {
		return fmt.Errorf("next audit seq: %w", err)
	}
	e.Seq = seq
	if e.Who == "" {
		e.Who = s.actor
	}
	e.Device = s.device
	if e.At.IsZero() {
		e.At = time.Now()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return txn.Set(auditKey(e.Record, seq), b)
}

// AuditTrail returns the audit entries of a record, oldest first.
func (s *Store) AuditTrail(id string) ([]AuditEntry, error) {
	var out []AuditEntry
	prefix := append(append(append([]byte{}, pfxAudit...), id...), '/')
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 32})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var e AuditEntry
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &e) }); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read audit of %s: %w", id, err)
	}
	return out, nil
}

// LogAudit records an action that changes no record, such as viewing a
// denouncer's identity or printing sensitive fields.
func (s *Store) LogAudit(record string, kind Kind, action string) error {
	return s.db.Update(func(txn *badger.Txn) error {
		return s.appendAudit(txn, AuditEntry{Record: record, Kind: kind, Action: action})
	})
}
