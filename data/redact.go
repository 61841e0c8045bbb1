package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
)

// raiserFields are the concern fields that name who raised it; a tố cáo
// keeps none of them in its synced record (Luật Tố cáo 2018, Điều 47:
// the denouncer's identity is kept confidential).
var raiserFields = []string{"raiser_text", "raiser_id"}

// DropsRaiser reports whether merged is a tố cáo whose record no longer
// names its raiser while prev, its earlier version, did: a concern
// re-classified as tố cáo after it was synced. Every copy of the earlier
// version must then go, not only be superseded (see PurgeHistory).
func DropsRaiser(prev, merged *Record) bool {
	if prev == nil || merged.Kind != KindConcern || !isDenunciation(merged) {
		return false
	}
	return namesRaiser(prev) && !namesRaiser(merged)
}

func isDenunciation(r *Record) bool {
	var k ConcernKind
	f, ok := r.Fields["kind"]
	return ok && json.Unmarshal(f.V, &k) == nil && k == ConcernDenunciation
}

func namesRaiser(r *Record) bool {
	for _, n := range raiserFields {
		var s string
		if f, ok := r.Fields[n]; ok && json.Unmarshal(f.V, &s) == nil && s != "" {
			return true
		}
	}
	return false
}

// NeedsRaiserWarning reports whether saving c would re-classify a
// concern that was saved (and so may have been synced) under another
// kind with its raiser named, as a tố cáo: the form asks first, since
// the name then leaves every record but this laptop's confidential one.
func NeedsRaiserWarning(prev *Record, c *Concern) bool {
	if prev == nil || c.ConcernKind != ConcernDenunciation || isDenunciation(prev) {
		return false
	}
	return namesRaiser(prev)
}

// PurgeHistory removes every old version of the given keys from db,
// from its memtables, write-ahead log and tables, and writes their
// current values back: after it, the bytes of an earlier version are in
// no file of db. It blocks db's writes while it runs (Badger's
// DropPrefix, which flushes the memtables and rewrites the tables
// holding the keys); keys must not be prefixes of other keys.
func PurgeHistory(db *badger.DB, keys ...[]byte) error {
	cur := make([][]byte, len(keys))
	err := db.View(func(txn *badger.Txn) error {
		for i, k := range keys {
			it, err := txn.Get(k)
			if errors.Is(err, badger.ErrKeyNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if cur[i], err = it.ValueCopy(nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("purge history: read: %w", err)
	}
	if err := db.DropPrefix(keys...); err != nil {
		return fmt.Errorf("purge history: drop: %w", err)
	}
	return db.Update(func(txn *badger.Txn) error {
		for i, k := range keys {
			if cur[i] != nil {
				if err := txn.Set(k, cur[i]); err != nil {
					return fmt.Errorf("purge history: rewrite: %w", err)
				}
			}
		}
		return nil
	})
}

// ContainsAnywhere reports whether needle is in any version of any key
// or value the store's database holds, decrypted: the check behind "the
// name is in no file" (the files themselves are encrypted).
func (s *Store) ContainsAnywhere(needle []byte) (bool, error) {
	return DBContains(s.db, needle)
}

// DBContains reports whether needle is in any version of any key or
// value of db.
func DBContains(db *badger.DB, needle []byte) (bool, error) {
	found := false
	err := db.View(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.AllVersions = true
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if bytes.Contains(item.Key(), needle) {
				found = true
				return nil
			}
			if err := item.Value(func(v []byte) error {
				if bytes.Contains(v, needle) {
					found = true
				}
				return nil
			}); err != nil {
				return err
			}
			if found {
				return nil
			}
		}
		return nil
	})
	return found, err
}

// RedactPerson hides what of a key person reveals sensitive personal data
// (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 and Nghị định 356/2025/NĐ-CP
// count religious belief and ethnic origin as sensitive): the languages
// spoken, which tell the ethnicity, and a religious dignitary's role
// ("chức sắc tôn giáo"), shown as a prestigious person's. It is applied
// wherever households' ethnicity and religion are hidden.
func RedactPerson(p *Person) {
	p.Languages = nil
	if p.Role == RoleReligious {
		p.Role = RolePrestige
	}
}
