package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
)

// This file holds the few store methods the sync package needs beyond
// Save, ApplyRemote, Outbox and Ack: reading records in bulk for a push,
// queueing records again, settings by prefix (quarantine, resync
// bookkeeping) and the conflict list of the Xung đột view.

// Records returns the stored records with the given ids, in the order
// given, read in one transaction. Ids without a record are skipped.
func (s *Store) Records(ids []string) ([]Record, error) {
	out := make([]Record, 0, len(ids))
	err := s.db.View(func(txn *badger.Txn) error {
		for _, id := range ids {
			rec, err := readRecord(txn, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, *rec)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %d records: %w", len(ids), err)
	}
	return out, nil
}

// RecordsJSON returns the stored JSON of the records with the given ids
// (the encoding of Record), in the order given, read in one transaction;
// nil for an id without a record. The sync client sends these bytes as
// they are, without decoding them.
func (s *Store) RecordsJSON(ids []string) ([][]byte, error) {
	out := make([][]byte, len(ids))
	err := s.db.View(func(txn *badger.Txn) error {
		for i, id := range ids {
			it, err := txn.Get(recordKey(id))
			if errors.Is(err, badger.ErrKeyNotFound) {
				continue
			} else if err != nil {
				return err
			}
			if out[i], err = it.ValueCopy(nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %d records: %w", len(ids), err)
	}
	return out, nil
}

// RecordIDs returns the ids of every stored record, live or deleted, in
// key order.
func (s *Store) RecordIDs() ([]string, error) {
	var out []string
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: pfxRecord})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			out = append(out, string(it.Item().Key()[len(pfxRecord):]))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list record ids: %w", err)
	}
	return out, nil
}

// AckedPrefix keys, among the store's settings, the stamp up to which the
// server is known to hold a record: the sync then sends only what is
// stamped after it. Requeue and RepairFutureStamps forget it, so that the
// record goes whole.
const AckedPrefix = "acked/"

func forgetAcked(txn *badger.Txn, id string) error {
	return txn.Delete(append(append([]byte{}, pfxMeta...), AckedPrefix+id...))
}

// Requeue queues the records with the given ids for sending again, as if
// each had just been changed, without changing them: after enrolling with
// a server that lost them, or to retry a quarantined record. Ids without
// a record are skipped. It returns how many were queued.
func (s *Store) Requeue(ids ...string) (int, error) {
	n := 0
	const perTxn = 2000
	for start := 0; start < len(ids); start += perTxn {
		end := min(start+perTxn, len(ids))
		err := s.db.Update(func(txn *badger.Txn) error {
			for _, id := range ids[start:end] {
				if _, err := txn.Get(recordKey(id)); errors.Is(err, badger.ErrKeyNotFound) {
					continue
				} else if err != nil {
					return err
				}
				if err := s.appendOutbox(txn, id); err != nil {
					return err
				}
				if err := forgetAcked(txn, id); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("requeue %d records: %w", len(ids), err)
		}
	}
	if n > 0 {
		s.notify()
	}
	return n, nil
}

// MetaPrefix returns every setting whose key starts with prefix, by key
// (the full key, prefix included).
func (s *Store) MetaPrefix(prefix string) (map[string][]byte, error) {
	out := map[string][]byte{}
	full := append(append([]byte{}, pfxMeta...), prefix...)
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: full, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			out[string(it.Item().Key()[len(pfxMeta):])] = v
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read settings %s*: %w", prefix, err)
	}
	return out, nil
}

// DeleteMeta removes settings; keys that are not set are ignored.
func (s *Store) DeleteMeta(keys ...string) error {
	const perTxn = 5000
	for start := 0; start < len(keys); start += perTxn {
		end := min(start+perTxn, len(keys))
		err := s.db.Update(func(txn *badger.Txn) error {
			for _, k := range keys[start:end] {
				if err := txn.Delete(append(append([]byte{}, pfxMeta...), k...)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("delete %d settings: %w", len(keys), err)
		}
	}
	return nil
}

// Conflicted returns the index rows of live records whose review fields
// hold an unresolved conflict, most recently changed first.
func (s *Store) Conflicted() []Row {
	return s.Find(Filter{Conflict: true}, ByUpdatedDesc)
}

// ResolveConflict settles the conflict on a review field of record id by
// setting the field to value, the JSON of the value the cadre picked
// (the current one or a losing one from Record.Conflicts). It is a normal
// save: validated, stamped, audited and queued for sync; the new write
// has seen every earlier one, so the conflict is gone on every device
// once it syncs.
func (s *Store) ResolveConflict(id, field string, value json.RawMessage) error {
	obj, err := s.Get(id)
	if err != nil {
		return fmt.Errorf("resolve conflict on %s of %s: %w", field, id, err)
	}
	if !IsReviewField(obj.Kind(), field) {
		return fmt.Errorf("resolve conflict on %s of %s: not a review field of %s", field, id, obj.Kind())
	}
	if !json.Valid(value) {
		return fmt.Errorf("resolve conflict on %s of %s: value is not JSON", field, id)
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("resolve conflict on %s of %s: %w", field, id, err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("resolve conflict on %s of %s: %w", field, id, err)
	}
	m[field] = bytes.Clone(value)
	if b, err = json.Marshal(m); err != nil {
		return fmt.Errorf("resolve conflict on %s of %s: %w", field, id, err)
	}
	picked := NewObject(obj.Kind())
	if err := json.Unmarshal(b, picked); err != nil {
		return fmt.Errorf("resolve conflict on %s of %s: value does not fit: %w", field, id, err)
	}
	*picked.meta() = *obj.meta()
	picked.meta().resolve = map[string]bool{field: true}
	return s.Save(picked)
}

// AuditTrashedBySync is the audit action of TrashLocal.
const AuditTrashedBySync = "trash_purged_on_server"

// TrashLocal moves records to this device's trash without queueing the
// change for sync: it is for records the server no longer holds because
// their deletion was purged (after its tombstone retention) while this
// device was away. They stay in the trash, restorable; restoring one
// sends it to the server again. It returns how many were moved.
func (s *Store) TrashLocal(ids ...string) (int, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	n := 0
	const perTxn = 1000
	for start := 0; start < len(ids); start += perTxn {
		end := min(start+perTxn, len(ids))
		var rows []*Row
		err := s.db.Update(func(txn *badger.Txn) error {
			rows = rows[:0]
			for _, id := range ids[start:end] {
				rec, err := readRecord(txn, id)
				if errors.Is(err, ErrNotFound) {
					continue
				} else if err != nil {
					return err
				}
				if rec.Deleted() {
					continue
				}
				s.clock.Observe(rec.Updated())
				if rec.Fields == nil {
					rec.Fields = map[string]Field{}
				}
				rec.Fields[deletedField] = Field{V: boolJSON(true), S: s.clock.Now()}
				row, err := s.putRecord(txn, rec)
				if err != nil {
					return err
				}
				rows = append(rows, row)
				if err := s.appendAudit(txn, AuditEntry{Record: id, Kind: rec.Kind, Action: AuditTrashedBySync, Fields: []string{deletedField}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("trash %d records purged on the server: %w", len(ids), err)
		}
		for _, r := range rows {
			s.idx.put(r)
		}
		n += len(rows)
	}
	if n > 0 {
		s.notify()
	}
	return n, nil
}
