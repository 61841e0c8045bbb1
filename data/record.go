package data

import (
	"bytes"
	"encoding/json"
	"sort"
	"time"
)

// Kind names a type of record.
type Kind string

// The record kinds.
const (
	KindVillage   Kind = "village"
	KindHousehold Kind = "household"
	KindPerson    Kind = "person"
	KindConcern   Kind = "concern"
	KindMeeting   Kind = "meeting"
	KindVisit     Kind = "visit"
	KindModel     Kind = "model"
	KindChecklist Kind = "checklist"
)

// Kinds lists every record kind.
var Kinds = []Kind{KindVillage, KindHousehold, KindPerson, KindConcern, KindMeeting, KindVisit, KindModel, KindChecklist}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Field is one last-writer-wins value with the stamp of its last write.
type Field struct {
	V json.RawMessage `json:"v"`
	S HLC             `json:"s"`
}

// Entry is one element of a set-merged list, keyed by its own id in
// Record.Lists. D marks a removed entry (a tombstone).
type Entry struct {
	V json.RawMessage `json:"v,omitempty"`
	S HLC             `json:"s"`
	D bool            `json:"d,omitempty"`
	// O is the stamp of the entry's first insertion; entries are listed
	// in O order, so a list keeps the order its items were added in.
	O HLC `json:"o"`
}

// Write is one write of a "review" field (a concern's status, assignee
// or deadline). B is the stamp of the value the writer saw when it wrote;
// a write that did not see another, different write is a conflict.
type Write struct {
	V json.RawMessage `json:"v"`
	S HLC             `json:"s"`
	B HLC             `json:"b"`
}

// Record is the versioned, mergeable form of every domain object, as it
// is stored and synced. Created is the creation stamp: its device is the
// author and its wall time the creation time.
type Record struct {
	ID      string                      `json:"id"`
	Kind    Kind                        `json:"kind"`
	Commune string                      `json:"commune"`
	Created HLC                         `json:"created"`
	Fields  map[string]Field            `json:"f,omitempty"`
	Lists   map[string]map[string]Entry `json:"l,omitempty"`
	Reviews map[string][]Write          `json:"r,omitempty"`
}

// deletedField is the stamped field that holds a record's tombstone.
const deletedField = "_deleted"

// Deleted reports whether the record is tombstoned.
func (r *Record) Deleted() bool {
	f, ok := r.Fields[deletedField]
	return ok && string(f.V) == "true"
}

// Updated returns the latest stamp anywhere in the record.
func (r *Record) Updated() HLC {
	max := r.Created
	bump := func(h HLC) {
		if h.Compare(max) > 0 {
			max = h
		}
	}
	for _, f := range r.Fields {
		bump(f.S)
	}
	for _, l := range r.Lists {
		for _, e := range l {
			bump(e.S)
		}
	}
	for _, ws := range r.Reviews {
		for _, w := range ws {
			bump(w.S)
		}
	}
	return max
}

// Conflict is a review field that two devices set to different values
// without seeing each other's write: Value lost to the current one.
type Conflict struct {
	Field    string          `json:"field"`
	Value    json.RawMessage `json:"value"`
	Stamp    HLC             `json:"stamp"`
	Current  json.RawMessage `json:"current"`
	CurStamp HLC             `json:"cur_stamp"`
}

// At returns when the losing value was written.
func (c Conflict) At() time.Time { return c.Stamp.Time() }

// Conflicts returns the unresolved conflicts of the record's review
// fields, in field order.
func (r *Record) Conflicts() []Conflict {
	var out []Conflict
	names := make([]string, 0, len(r.Reviews))
	for n := range r.Reviews {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ws := r.Reviews[n]
		if len(ws) == 0 {
			continue
		}
		win := ws[len(ws)-1]
		seen := map[string]bool{}
		for _, w := range ws[:len(ws)-1] {
			if w.S.Compare(win.B) > 0 && !bytes.Equal(w.V, win.V) && !seen[string(w.V)] {
				seen[string(w.V)] = true
				out = append(out, Conflict{Field: n, Value: w.V, Stamp: w.S, Current: win.V, CurStamp: win.S})
			}
		}
	}
	return out
}

// reviewValue returns the current value of a review field and its stamp.
func (r *Record) reviewValue(name string) (Write, bool) {
	ws := r.Reviews[name]
	if len(ws) == 0 {
		return Write{}, false
	}
	return ws[len(ws)-1], true
}

// Merge combines two versions of the same record. Plain fields are
// last-writer-wins on (HLC, device); list fields merge as sets of entries
// keyed by their ids, so neither side's additions are lost; review fields
// keep every write, so a losing concurrent value survives as a conflict.
// Merge is commutative, associative and idempotent, and does not modify
// its arguments. Records with different ids are not merged: local is
// returned unchanged.
func Merge(local, remote Record) Record {
	if local.ID != remote.ID {
		return local
	}
	out := Record{ID: local.ID, Kind: local.Kind, Commune: local.Commune, Created: local.Created}
	if pickFirst(remote, local) {
		out.Kind, out.Commune, out.Created = remote.Kind, remote.Commune, remote.Created
	}
	out.Fields = mergeFields(local.Fields, remote.Fields)
	out.Lists = mergeLists(local.Lists, remote.Lists)
	out.Reviews = mergeReviews(local.Reviews, remote.Reviews)
	return out
}

// pickFirst reports whether a's identity (kind, commune, creation) should
// win over b's: the earlier creation wins, ties broken by content.
func pickFirst(a, b Record) bool {
	if a.Created.IsZero() != b.Created.IsZero() {
		return !a.Created.IsZero()
	}
	if c := a.Created.Compare(b.Created); c != 0 {
		return c < 0
	}
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	return a.Commune < b.Commune
}

func mergeFields(a, b map[string]Field) map[string]Field {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	out := make(map[string]Field, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		cur, ok := out[k]
		if !ok || fieldLess(cur, v) {
			out[k] = v
		}
	}
	return out
}

func fieldLess(a, b Field) bool {
	if c := a.S.Compare(b.S); c != 0 {
		return c < 0
	}
	return bytes.Compare(a.V, b.V) < 0
}

func entryLess(a, b Entry) bool {
	if c := a.S.Compare(b.S); c != 0 {
		return c < 0
	}
	if a.D != b.D {
		return !a.D
	}
	if c := bytes.Compare(a.V, b.V); c != 0 {
		return c < 0
	}
	return a.O.Compare(b.O) < 0
}

func mergeLists(a, b map[string]map[string]Entry) map[string]map[string]Entry {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	out := make(map[string]map[string]Entry, len(a)+len(b))
	for name, ea := range a {
		m := make(map[string]Entry, len(ea))
		for id, e := range ea {
			m[id] = e
		}
		out[name] = m
	}
	for name, eb := range b {
		m := out[name]
		if m == nil {
			m = make(map[string]Entry, len(eb))
			out[name] = m
		}
		for id, e := range eb {
			cur, ok := m[id]
			if !ok || entryLess(cur, e) {
				m[id] = e
			}
		}
	}
	return out
}

func writeLess(a, b Write) bool {
	if c := a.S.Compare(b.S); c != 0 {
		return c < 0
	}
	if c := bytes.Compare(a.V, b.V); c != 0 {
		return c < 0
	}
	return a.B.Compare(b.B) < 0
}

// witness is the base of an honest write (one whose base is before its
// own stamp), zero otherwise: how much of the field's history its
// writer had seen (see pruneWrites).
func witness(w Write) HLC {
	if w.B.Compare(w.S) < 0 {
		return w.B
	}
	return HLC{}
}

// dedupLess orders two writes with the same stamp (which only a broken
// or hostile device sends): the one that had seen more wins, then
// writeLess. Keeping the one that had seen more keeps pruneWrites the
// same before and after a merge.
func dedupLess(a, b Write) bool {
	if c := witness(a).Compare(witness(b)); c != 0 {
		return c < 0
	}
	return writeLess(a, b)
}

func mergeReviews(a, b map[string][]Write) map[string][]Write {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	out := make(map[string][]Write, len(a)+len(b))
	names := map[string]bool{}
	for n := range a {
		names[n] = true
	}
	for n := range b {
		names[n] = true
	}
	for n := range names {
		byStamp := map[HLC]Write{}
		for _, ws := range [][]Write{a[n], b[n]} {
			for _, w := range ws {
				if cur, ok := byStamp[w.S]; !ok || dedupLess(cur, w) {
					byStamp[w.S] = w
				}
			}
		}
		merged := make([]Write, 0, len(byStamp))
		for _, w := range byStamp {
			merged = append(merged, w)
		}
		sort.Slice(merged, func(i, j int) bool { return writeLess(merged[i], merged[j]) })
		out[n] = pruneWrites(merged)
	}
	return out
}

// pruneWrites drops, from writes sorted by writeLess, every write that a
// later writer had seen: w goes when some other write x (with its base
// before its own stamp, as every honest write has) saw w or something
// after it (x.B ≥ w.S). Such a w can no longer be the value nor a
// conflict, so neither the record grows with every edit of a free text
// nor does a text its author replaced stay in the record. The witness of
// a pruned write is kept or has a kept witness itself, so pruning before
// or after a merge gives the same writes: Merge stays commutative,
// associative and idempotent.
func pruneWrites(ws []Write) []Write {
	if len(ws) < 2 {
		return ws
	}
	var maxB, secondB HLC // the two highest honest bases, and whose the highest is
	owner := -1
	for i, x := range ws {
		b := witness(x)
		if b.IsZero() {
			continue
		}
		switch {
		case owner < 0 || b.Compare(maxB) > 0:
			secondB, maxB, owner = maxB, b, i
		case b.Compare(secondB) > 0:
			secondB = b
		}
	}
	if owner < 0 {
		return ws
	}
	out := ws[:0:0]
	for i, w := range ws {
		best := maxB
		if i == owner {
			best = secondB
		}
		if !best.IsZero() && best.Compare(w.S) >= 0 {
			continue
		}
		out = append(out, w)
	}
	return out
}
