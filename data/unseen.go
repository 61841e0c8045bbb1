package data

import (
	"fmt"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// unseenPrefix is the settings prefix of the records that came from a
// colleague (another device) and have not been opened on this laptop.
const unseenPrefix = "unseen/"

// unseenSet is the in-memory copy of the unseen marks, which the lists
// read for every row they draw.
type unseenSet struct {
	mu  sync.Mutex
	ids map[string]struct{}
}

func (u *unseenSet) add(ids []string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.ids == nil {
		u.ids = map[string]struct{}{}
	}
	for _, id := range ids {
		u.ids[id] = struct{}{}
	}
}

func (u *unseenSet) has(id string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	_, ok := u.ids[id]
	return ok
}

func (u *unseenSet) remove(id string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	_, ok := u.ids[id]
	delete(u.ids, id)
	return ok
}

func unseenKey(id string) []byte {
	return append(append(append([]byte{}, pfxMeta...), unseenPrefix...), id...)
}

// loadUnseen reads the unseen marks at open.
func (s *Store) loadUnseen() error {
	marks, err := s.MetaPrefix(unseenPrefix)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(marks))
	for k := range marks {
		ids = append(ids, k[len(unseenPrefix):])
	}
	s.unseen.add(ids)
	return nil
}

// markUnseen records, inside an ApplyRemote transaction, that rec was
// written by a colleague's device; it returns whether it did.
func (s *Store) markUnseen(txn *badger.Txn, rec *Record) (bool, error) {
	if rec.Updated().Device == s.device {
		return false, nil
	}
	return true, txn.Set(unseenKey(rec.ID), nil)
}

// FromColleague reports whether the record with id was last changed on
// another device (pulled or imported from a bundle) and has not been
// opened here since. The lists mark such records.
func (s *Store) FromColleague(id string) bool { return s.unseen.has(id) }

// MarkSeen clears the colleague mark of the record with id, once the
// user opened it. A record without the mark is left alone.
func (s *Store) MarkSeen(id string) error {
	if !s.unseen.remove(id) {
		return nil
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Delete(unseenKey(id)) }); err != nil {
		return fmt.Errorf("mark %s seen: %w", id, err)
	}
	return nil
}
