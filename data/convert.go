package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/google/uuid"
)

// NewID returns a new time-ordered UUIDv7 string.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// fieldsOf returns obj's versioned fields as JSON values by name.
func fieldsOf(obj Object) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", obj.Kind(), err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("split %s fields: %w", obj.Kind(), err)
	}
	return m, nil
}

// listItem is one element of a list field, with its id.
type listItem struct {
	id string
	v  json.RawMessage
}

// listEntries splits a JSON array of objects into entries by their "id"
// field, in list order, giving new ids to entries without one.
func listEntries(raw json.RawMessage) ([]listItem, error) {
	var items []map[string]json.RawMessage
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
	}
	out := make([]listItem, 0, len(items))
	seen := map[string]bool{}
	for _, it := range items {
		var id string
		if v, ok := it["id"]; ok {
			_ = json.Unmarshal(v, &id)
		}
		if id == "" || seen[id] {
			id = NewID()
			idJSON, _ := json.Marshal(id)
			it["id"] = idJSON
		}
		seen[id] = true
		b, err := json.Marshal(it)
		if err != nil {
			return nil, err
		}
		out = append(out, listItem{id, b})
	}
	return out, nil
}

// stamp applies obj's current values to the record prev (nil for a new
// record), stamping each changed field with clock. base reports, for review
// fields, nothing: the base of a review write is always the current value's
// stamp. It returns the new record and the names of the changed fields.
func stamp(prev *Record, obj Object, commune string, clock *Clock) (Record, []string, error) {
	fields, err := fieldsOf(obj)
	if err != nil {
		return Record{}, nil, err
	}
	m := obj.meta()
	// Every value this save writes shares one stamp (taken when the first
	// is written, after observing prev), so that a save costs one stamp on
	// the wire; only the insertion order of list entries ticks apart.
	var now HLC
	tick := func() HLC {
		if now.IsZero() {
			now = clock.Now()
		}
		return now
	}
	var rec Record
	if prev != nil {
		// a new write must order after everything this version holds
		clock.Observe(prev.Updated())
		rec = Merge(*prev, *prev) // deep-enough copy of the maps
	} else {
		if m.ID == "" {
			m.ID = NewID()
		}
		rec = Record{ID: m.ID, Kind: obj.Kind(), Commune: commune, Created: clock.Now()}
	}
	if rec.Fields == nil {
		rec.Fields = map[string]Field{}
	}
	var changed []string
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	kind := obj.Kind()
	for _, n := range names {
		v := fields[n]
		switch {
		case IsListField(kind, n):
			entries, err := listEntries(v)
			if err != nil {
				return Record{}, nil, fmt.Errorf("split list %s of %s: %w", n, kind, err)
			}
			if rec.Lists == nil {
				rec.Lists = map[string]map[string]Entry{}
			}
			cur := rec.Lists[n]
			if cur == nil {
				cur = map[string]Entry{}
				rec.Lists[n] = cur
			}
			touched := false
			keep := make(map[string]bool, len(entries))
			for _, it := range entries {
				keep[it.id] = true
				old, ok := cur[it.id]
				if ok && !old.D && bytes.Equal(old.V, it.v) {
					continue
				}
				var order HLC
				if ok {
					order = old.O
				} else {
					order = clock.Now() // entries added together keep their order
				}
				cur[it.id] = Entry{V: it.v, S: tick(), O: order}
				touched = true
			}
			for id, old := range cur {
				if !keep[id] && !old.D {
					cur[id] = Entry{S: tick(), D: true, O: old.O}
					touched = true
				}
			}
			if touched {
				changed = append(changed, n)
			}
		case IsReviewField(kind, n):
			if rec.Reviews == nil {
				rec.Reviews = map[string][]Write{}
			}
			cur, ok := rec.reviewValue(n)
			if !ok {
				// A field written before it became a review field (free
				// texts, until schema 2026-12): its plain write is the base.
				if f, held := rec.Fields[n]; held {
					cur, ok = Write{V: f.V, S: f.S}, true
				}
			}
			if ok && bytes.Equal(cur.V, v) && !(m.resolve[n] && len(rec.conflictsOf(n)) > 0) {
				continue
			}
			if !ok && isEmptyJSON(v) {
				continue
			}
			rec.Reviews[n] = pruneWrites(append(rec.Reviews[n], Write{V: v, S: tick(), B: cur.S}))
			changed = append(changed, n)
		default:
			if old, ok := rec.Fields[n]; ok && bytes.Equal(old.V, v) {
				continue
			}
			if _, ok := rec.Fields[n]; !ok && isEmptyJSON(v) && prev != nil {
				continue
			}
			rec.Fields[n] = Field{V: v, S: tick()}
			changed = append(changed, n)
		}
	}
	// Fields absent from the new JSON (omitempty) were cleared.
	for n, old := range rec.Fields {
		if _, ok := fields[n]; ok || n == deletedField || isEmptyJSON(old.V) {
			continue
		}
		rec.Fields[n] = Field{V: json.RawMessage("null"), S: tick()}
		changed = append(changed, n)
	}
	for n, cur := range rec.Lists {
		if _, ok := fields[n]; ok {
			continue
		}
		touched := false
		for id, e := range cur {
			if !e.D {
				cur[id] = Entry{S: tick(), D: true, O: e.O}
				touched = true
			}
		}
		if touched {
			changed = append(changed, n)
		}
	}
	for n := range rec.Reviews {
		if _, ok := fields[n]; ok {
			continue
		}
		if cur, ok := rec.reviewValue(n); ok && !isEmptyJSON(cur.V) {
			rec.Reviews[n] = append(rec.Reviews[n], Write{V: json.RawMessage("null"), S: tick(), B: cur.S})
			changed = append(changed, n)
		}
	}
	if wasDeleted := prev != nil && prev.Deleted(); m.Deleted != wasDeleted {
		rec.Fields[deletedField] = Field{V: boolJSON(m.Deleted), S: tick()}
		changed = append(changed, deletedField)
	}
	sort.Strings(changed)
	return rec, changed, nil
}

func (r *Record) conflictsOf(field string) []Conflict {
	var out []Conflict
	for _, c := range r.Conflicts() {
		if c.Field == field {
			out = append(out, c)
		}
	}
	return out
}

func boolJSON(b bool) json.RawMessage {
	if b {
		return json.RawMessage("true")
	}
	return json.RawMessage("false")
}

func isEmptyJSON(v json.RawMessage) bool {
	switch string(v) {
	case "", "null", `""`, "0", "false", "[]", "{}":
		return true
	}
	return false
}

// Decode fills obj (which must be of rec's kind) from the record's
// current values and bookkeeping.
func Decode(rec *Record, obj Object) error {
	if obj.Kind() != rec.Kind {
		return fmt.Errorf("decode record %s: kind %s into %s", rec.ID, rec.Kind, obj.Kind())
	}
	m := make(map[string]json.RawMessage, len(rec.Fields)+len(rec.Lists)+len(rec.Reviews))
	for n, f := range rec.Fields {
		if n != deletedField {
			m[n] = f.V
		}
	}
	for n, entries := range rec.Lists {
		ids := make([]string, 0, len(entries))
		for id, e := range entries {
			if !e.D {
				ids = append(ids, id)
			}
		}
		sort.Slice(ids, func(i, j int) bool {
			if c := entries[ids[i]].O.Compare(entries[ids[j]].O); c != 0 {
				return c < 0
			}
			return ids[i] < ids[j]
		})
		var buf bytes.Buffer
		buf.WriteByte('[')
		for i, id := range ids {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.Write(entries[id].V)
		}
		buf.WriteByte(']')
		m[n] = buf.Bytes()
	}
	for n := range rec.Reviews {
		if w, ok := rec.reviewValue(n); ok {
			m[n] = w.V
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("decode record %s: %w", rec.ID, err)
	}
	if err := json.Unmarshal(b, obj); err != nil {
		return fmt.Errorf("decode record %s: %w", rec.ID, err)
	}
	meta := obj.meta()
	meta.ID = rec.ID
	meta.Commune = rec.Commune
	meta.Created = rec.Created.Time()
	meta.Author = rec.Created.Device
	meta.Updated = rec.Updated().Time()
	meta.Deleted = rec.Deleted()
	meta.Conflicts = rec.Conflicts()
	return nil
}

// DecodeRecord returns a new object decoded from rec.
func DecodeRecord(rec *Record) (Object, error) {
	obj := NewObject(rec.Kind)
	if obj == nil {
		return nil, fmt.Errorf("decode record %s: unknown kind %q", rec.ID, rec.Kind)
	}
	if err := Decode(rec, obj); err != nil {
		return nil, err
	}
	return obj, nil
}
