package data

import (
	"errors"
	"fmt"
	"sort"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// poisoned reports whether a saved clock is further ahead of the
// machine's clock than MaxClockLead: the store took a stamp from the
// future before the bounds of CheckStamps existed (or the machine's clock
// was wrong when it saved), and RepairFutureStamps must run.
func poisoned(last HLC, now time.Time) bool {
	return last.Wall > now.Add(MaxClockLead).UnixMilli() || last.Counter > MaxCounter
}

// RepairFutureStamps gives every stamp that lies more than MaxClockLead
// after the machine's clock (or carries a counter above MaxCounter) a new
// stamp from the store's clock, which NewClock has brought back within
// the bound. Values are kept, and so is the order of the replaced stamps
// among themselves, so no edit of the user's is lost; each repaired
// record is queued to be sent again. Open runs it when the saved clock
// was poisoned. It returns the ids of the records repaired.
func (s *Store) RepairFutureStamps() ([]string, error) {
	ids, err := s.RecordIDs()
	if err != nil {
		return nil, fmt.Errorf("repair future stamps: %w", err)
	}
	limit := time.Now().Add(MaxClockLead).UnixMilli()
	bad := func(h HLC) bool { return !h.IsZero() && (h.Wall > limit || h.Counter > MaxCounter) }
	var repaired []string
	const perTxn = 500
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
				if !restamp(rec, bad, s.clock) {
					continue
				}
				row, err := s.putRecord(txn, rec)
				if err != nil {
					return err
				}
				if err := s.appendOutbox(txn, id); err != nil {
					return err
				}
				if err := forgetAcked(txn, id); err != nil {
					return err
				}
				rows = append(rows, row)
				repaired = append(repaired, id)
			}
			return nil
		})
		if err != nil {
			return repaired, fmt.Errorf("repair future stamps: %w", err)
		}
		for _, r := range rows {
			s.idx.put(r)
		}
	}
	if len(repaired) > 0 {
		s.notify()
	}
	return repaired, nil
}

// restamp replaces the stamps of rec for which bad is true with new ones
// from clock, in the order of the old stamps; it reports whether any was.
func restamp(rec *Record, bad func(HLC) bool, clock *Clock) bool {
	var old []HLC
	visit := func(f func(*HLC)) {
		f(&rec.Created)
		for n, fl := range rec.Fields {
			f(&fl.S)
			rec.Fields[n] = fl
		}
		for _, l := range rec.Lists {
			for id, e := range l {
				f(&e.S)
				f(&e.O)
				l[id] = e
			}
		}
		for _, ws := range rec.Reviews {
			for i := range ws {
				f(&ws[i].S)
				f(&ws[i].B)
			}
		}
	}
	visit(func(h *HLC) {
		if bad(*h) {
			old = append(old, *h)
		}
	})
	if len(old) == 0 {
		return false
	}
	sort.Slice(old, func(i, j int) bool { return old[i].Compare(old[j]) < 0 })
	fresh := make(map[HLC]HLC, len(old))
	for _, h := range old {
		if _, ok := fresh[h]; !ok {
			fresh[h] = clock.Now()
		}
	}
	visit(func(h *HLC) {
		if n, ok := fresh[*h]; ok {
			*h = n
		}
	})
	return true
}
