package data

import (
	"encoding/binary"
	"fmt"
	"sort"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// draftMagic starts a draft stored with the time it was saved: 0x00, then
// the Unix milliseconds (8 bytes, big-endian), then the form. A draft
// written before (a bare JSON form) has no time.
const draftMagic = 0x00

// DraftInfo is one kept draft: its slot key ("concern/new",
// "meeting/<id>"…), the form as the screen saved it, and when.
type DraftInfo struct {
	Key   string
	Form  []byte
	Saved time.Time
}

func draftKey(key string) []byte { return append(append([]byte{}, pfxDraft...), key...) }

// SaveDraft keeps an unsaved form durably under key, with the time, so it
// survives a closed window, a crash or a power cut.
func (s *Store) SaveDraft(key string, form []byte) error {
	v := make([]byte, 9, 9+len(form))
	v[0] = draftMagic
	binary.BigEndian.PutUint64(v[1:], uint64(time.Now().UnixMilli()))
	v = append(v, form...)
	err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(draftKey(key), v) })
	if err != nil {
		return fmt.Errorf("save draft %s: %w", key, err)
	}
	return nil
}

func parseDraft(key string, v []byte) DraftInfo {
	d := DraftInfo{Key: key, Form: v}
	if len(v) >= 9 && v[0] == draftMagic {
		d.Saved = time.UnixMilli(int64(binary.BigEndian.Uint64(v[1:9])))
		d.Form = v[9:]
	}
	return d
}

// Draft returns the draft kept under key, or nil.
func (s *Store) Draft(key string) []byte {
	var out []byte
	_ = s.db.View(func(txn *badger.Txn) error {
		if v, err := getBytes(txn, draftKey(key)); err == nil {
			out = parseDraft(key, v).Form
		}
		return nil
	})
	return out
}

// Drafts lists every kept draft, the newest first.
func (s *Store) Drafts() ([]DraftInfo, error) {
	var out []DraftInfo
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: pfxDraft, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			out = append(out, parseDraft(string(it.Item().Key()[len(pfxDraft):]), v))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list drafts: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Saved.After(out[j].Saved) })
	return out, nil
}

// DeleteDraft drops the draft under key, once the form is saved or discarded.
func (s *Store) DeleteDraft(key string) error {
	err := s.db.Update(func(txn *badger.Txn) error { return txn.Delete(draftKey(key)) })
	if err != nil {
		return fmt.Errorf("delete draft %s: %w", key, err)
	}
	return nil
}

// keyRunning is set while the app has the store open, and cleared when it
// closes the store: found at the next start, it says the app did not close
// cleanly (a crash, a kill, a power cut).
var keyRunning = []byte("m/running")

// MarkRunning records that the app has the store open until Close, and
// reports whether the previous run ended without closing it.
func (s *Store) MarkRunning() (unclean bool, err error) {
	err = s.db.Update(func(txn *badger.Txn) error {
		_, err := txn.Get(keyRunning)
		unclean = err == nil
		return txn.Set(keyRunning, []byte(time.Now().UTC().Format(time.RFC3339)))
	})
	if err != nil {
		return false, fmt.Errorf("mark the store in use: %w", err)
	}
	s.running = true
	return unclean, nil
}
