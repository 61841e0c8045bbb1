package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// Upgrades. A store records the schema version of the build that wrote it
// (key m/schema). Opening a store of an older schema runs the migration
// steps from its version up to SchemaVersion, all in one Badger
// transaction that also records the new version, after an automatic
// backup into BackupDir. A store of a newer schema is refused with
// ErrNewerSchema before anything is written to it.
//
// The version is also kept in a small file, "schema", beside the Badger
// directory: Open reads it before opening Badger, so that a store of a
// newer schema is refused before Badger touches a single file (even a
// read-write open that writes nothing rotates Badger's value-log files).
// The key in the database stays the authority; a missing or unreadable
// file is written again after the next successful open.
//
// To change the layout: raise SchemaVersion, append a migration whose
// from is the old version, and keep the fixture test of the old version
// (testdata/store-v1 and later) passing. A step runs in the same
// transaction as the others, so with the desktop memory profile it may
// write about 1 MB in all (Badger's transaction limit is 15% of a
// memtable); a step that must rewrite every record of a large store has
// to be written as an idempotent batched pass instead.

// migration upgrades a store from schema version from to from+1.
type migration struct {
	from  int
	about string
	apply func(txn *badger.Txn) error
}

// migrations are the upgrade steps, oldest first. Schema 1 is the first
// released layout, so there are none yet.
var migrations []migration

// migrationSteps returns the steps from version v up to SchemaVersion.
func migrationSteps(v int) ([]migration, error) {
	var steps []migration
	for next := v; next < SchemaVersion; next++ {
		found := false
		for _, m := range migrations {
			if m.from == next {
				steps = append(steps, m)
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("no migration from schema %d to %d", next, next+1)
		}
	}
	return steps, nil
}

// migrate checks the schema version of the freshly opened store and, for
// an older one, backs it up and migrates it. A store without a version
// is new: init records the current one.
func (s *Store) migrate(o Options, now time.Time) error {
	var v int
	found := false
	err := s.db.View(func(txn *badger.Txn) error {
		b, err := getBytes(txn, keySchema)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(b) != 4 {
			return fmt.Errorf("schema version has %d bytes, want 4", len(b))
		}
		v, found = int(binary.BigEndian.Uint32(b)), true
		return nil
	})
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case !found || v == SchemaVersion:
		if o.ReadOnly {
			return nil
		}
		return writeSchemaFile(s.dir)
	case v > SchemaVersion:
		return fmt.Errorf("schema %d > %d: %w", v, SchemaVersion, ErrNewerSchema)
	case o.ReadOnly:
		return fmt.Errorf("store has schema %d and needs upgrading to %d, which a read-only open cannot do", v, SchemaVersion)
	}
	steps, err := migrationSteps(v)
	if err != nil {
		return fmt.Errorf("upgrade schema %d to %d: %w", v, SchemaVersion, err)
	}
	backup, err := s.backupBeforeMigration(v, now)
	if err != nil {
		return fmt.Errorf("upgrade schema %d to %d: back up first: %w", v, SchemaVersion, err)
	}
	err = s.db.Update(func(txn *badger.Txn) error {
		for _, m := range steps {
			if err := m.apply(txn); err != nil {
				return fmt.Errorf("step %d→%d (%s): %w", m.from, m.from+1, m.about, err)
			}
		}
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], SchemaVersion)
		return txn.Set(keySchema, b[:])
	})
	if errors.Is(err, badger.ErrTxnTooBig) {
		err = fmt.Errorf("the changes do not fit in one transaction: %w", err)
	}
	if err != nil {
		return fmt.Errorf("upgrade schema %d to %d (nothing was changed; backup in %s): %w", v, SchemaVersion, backup, err)
	}
	if err := writeSchemaFile(s.dir); err != nil {
		return err
	}
	if o.Logf != nil {
		o.Logf("store %s upgraded from schema %d to %d; the backup taken before is %s", s.dir, v, SchemaVersion, backup)
	}
	return nil
}

// backupBeforeMigration writes a backup of the store, still at schema
// version v, into BackupDir. AutoBackup never prunes these.
func (s *Store) backupBeforeMigration(v int, now time.Time) (string, error) {
	dir := BackupDir(s.dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	dev, _, _, err := storeMeta(s.db)
	if err != nil {
		return "", err
	}
	path := freePath(filepath.Join(dir, backupName(dev, now, fmt.Sprintf("-schema%d", v))))
	if _, err := s.backupFile(path, now); err != nil {
		return "", err
	}
	return path, nil
}

// schemaFileName is the file beside the Badger directory that repeats the
// store's schema version.
const schemaFileName = "schema"

// readSchemaFile returns the version in dir's schema file, and false when
// there is no readable one.
func readSchemaFile(dir string) (int, bool) {
	b, err := os.ReadFile(filepath.Join(dir, schemaFileName))
	if err != nil {
		return 0, false
	}
	v, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || v < 0 {
		return 0, false
	}
	return v, true
}

// checkSchemaFile refuses, with ErrNewerSchema, the store in dir when its
// schema file names a newer schema than this build's.
func checkSchemaFile(dir string) error {
	if v, ok := readSchemaFile(dir); ok && v > SchemaVersion {
		return fmt.Errorf("schema %d > %d (from %s): %w", v, SchemaVersion, schemaFileName, ErrNewerSchema)
	}
	return nil
}

// writeSchemaFile records SchemaVersion in dir's schema file, unless it
// already says so.
func writeSchemaFile(dir string) error {
	if v, ok := readSchemaFile(dir); ok && v == SchemaVersion {
		return nil
	}
	p := filepath.Join(dir, schemaFileName)
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(SchemaVersion)+"\n"), 0o600); err != nil {
		return fmt.Errorf("write schema file: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write schema file: %w", err)
	}
	return syncDir(dir)
}
