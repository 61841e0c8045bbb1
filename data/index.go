package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
)

// Row is the compact, redacted summary of a record that lists, filters,
// search and counts work on. It holds no confidential or sensitive field.
type Row struct {
	ID      string `json:"i"`
	Kind    Kind   `json:"k"`
	Village string `json:"v,omitempty"`
	Deleted bool   `json:"x,omitempty"`
	// Title is the display name: a name, a concern's summary, a meeting's
	// or visit's village and date.
	Title string `json:"t"`
	// Date is the record's main date: received, meeting date, visit start,
	// model registration.
	Date Date `json:"d,omitempty"`
	// End is a visit's last day.
	End Date `json:"e,omitempty"`
	// Sub is the record's sub-kind: concern kind, meeting kind, person
	// role, model field, village kind.
	Sub      string `json:"s,omitempty"`
	Status   string `json:"st,omitempty"`
	Topic    string `json:"tp,omitempty"`
	Deadline Date   `json:"dl,omitempty"`
	// N is a count: people in a concern, households reached in a visit,
	// members of a household, households of a village.
	N        int  `json:"n,omitempty"`
	Conflict bool `json:"c,omitempty"`
	// Remote marks a village in a remote area (vùng sâu, vùng xa).
	Remote  bool        `json:"r,omitempty"`
	Updated int64       `json:"u"`
	Actions []ActionRow `json:"a,omitempty"`
	Fold    string      `json:"f"`
	Key     []byte      `json:"o"`
}

// ActionRow is an agreed action of a meeting, as indexed.
type ActionRow struct {
	ID    string `json:"i"`
	Text  string `json:"t"`
	Owner string `json:"o,omitempty"`
	Due   Date   `json:"d,omitempty"`
	Done  bool   `json:"x,omitempty"`
}

// Overdue reports whether a concern row's deadline passed before today
// and it is not resolved.
func (r *Row) Overdue(today Date) bool {
	return r.Kind == KindConcern && r.Deadline != "" && r.Deadline < today && !ConcernStatus(r.Status).Done()
}

// foldContentLimit bounds how much long text (content, observations) goes
// into the search index, to keep a 100k-record index small in memory.
const foldContentLimit = 240

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func rowOf(rec *Record, obj Object) *Row {
	r := &Row{ID: rec.ID, Kind: rec.Kind, Deleted: rec.Deleted(), Updated: rec.Updated().Wall, Conflict: len(rec.Conflicts()) > 0}
	var text []string
	switch o := obj.(type) {
	case *Village:
		r.Title, r.Sub, r.N = o.Name, string(o.VillageKind), o.Households
		r.Village, r.Remote = rec.ID, o.Remote
		text = append(text, o.Name, o.Notes)
	case *Household:
		r.Title, r.Village, r.N = o.Head, o.Village, o.Members
		text = append(text, o.Head, o.Phone)
	case *Person:
		r.Title, r.Village, r.Sub = o.Name, o.Village, string(o.Role)
		text = append(text, o.Name, o.Phone)
	case *Concern:
		r.Title, r.Village, r.Date, r.Sub = o.Summary, o.Village, o.Received, string(o.ConcernKind)
		r.Status, r.Topic, r.Deadline, r.N = string(o.Status), o.Topic, o.Deadline, o.People
		text = append(text, o.Summary, o.Assignee, clip(o.Content, foldContentLimit))
		if o.ConcernKind != ConcernDenunciation {
			text = append(text, o.RaiserText)
		}
	case *Meeting:
		r.Title, r.Village, r.Date, r.Sub = o.Chair, o.Village, o.Date, string(o.MeetingKind)
		r.N = o.HeadCount
		text = append(text, o.Chair, o.Language, strings.Join(o.Topics, " "), clip(o.Notes, foldContentLimit))
		for _, a := range o.Attendees {
			text = append(text, a.Name)
		}
		for _, a := range o.Actions {
			r.Actions = append(r.Actions, ActionRow{ID: a.ID, Text: a.Text, Owner: a.Owner, Due: a.Due, Done: a.Done})
			text = append(text, a.Text)
		}
		for _, a := range o.Agenda {
			text = append(text, a.Title)
		}
	case *FieldVisit:
		r.Title, r.Village, r.Date, r.End, r.N = o.Unit, o.Village, o.From, o.To, o.Reached()
		text = append(text, strings.Join(o.Cadres, " "), o.Unit, clip(o.Activities, foldContentLimit), clip(o.Observations, foldContentLimit))
		for _, h := range o.Households {
			text = append(text, h.Name)
		}
	case *Model:
		r.Title, r.Village, r.Date, r.Sub, r.Status = o.Name, o.Village, o.Registered, o.Field, string(o.Status)
		text = append(text, o.Name, clip(o.Description, foldContentLimit))
	case *Checklist:
		r.Title = "checklist"
	}
	r.Fold = Fold(strings.Join(text, " "))
	r.Key = SortKey(r.Title)
	return r
}

type index struct {
	mu   sync.RWMutex
	rows map[string]*Row
}

func (s *Store) loadIndex() error {
	s.idx = &index{rows: map[string]*Row{}}
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: pfxIndex, PrefetchValues: true, PrefetchSize: 256})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			r := new(Row)
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, r) }); err != nil {
				return fmt.Errorf("load index %s: %w", it.Item().Key(), err)
			}
			s.idx.rows[r.ID] = r
		}
		return nil
	})
}

func (ix *index) put(r *Row) {
	ix.mu.Lock()
	ix.rows[r.ID] = r
	ix.mu.Unlock()
}

func (ix *index) get(id string) (*Row, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	r, ok := ix.rows[id]
	return r, ok
}

// isVillage reports whether id is a live village of the store.
func (s *Store) isVillage(id string) bool {
	r, ok := s.idx.get(id)
	return ok && r.Kind == KindVillage && !r.Deleted
}

// Row returns the index row of id.
func (s *Store) Row(id string) (Row, bool) {
	r, ok := s.idx.get(id)
	if !ok {
		return Row{}, false
	}
	return *r, true
}

// Filter selects rows. Zero fields select everything.
type Filter struct {
	Kind    Kind
	Village string
	Sub     string // concern kind, meeting kind, person role, model field
	Status  string
	Topic   string
	From    Date // Date on or after
	To      Date // Date on or before
	Overdue bool
	Mass    bool // concerns of 5 or more people
	// Query is matched diacritic- and case-insensitively, every word.
	Query string
	// Deleted selects the trash instead of live records.
	Deleted bool
	// Today is the day Overdue is judged against; "" means today.
	Today Date
}

// Order says how Find sorts.
type Order int

// The sort orders.
const (
	// ByDateDesc sorts newest first, then by title.
	ByDateDesc Order = iota
	// ByTitle sorts in Vietnamese dictionary order.
	ByTitle
	// ByUpdatedDesc sorts the most recently changed first.
	ByUpdatedDesc
)

func (f *Filter) match(r *Row, q string, today Date) bool {
	if r.Deleted != f.Deleted || (f.Kind != "" && r.Kind != f.Kind) || r.Kind == KindChecklist {
		return false
	}
	if f.Village != "" && r.Village != f.Village {
		return false
	}
	if (f.Sub != "" && r.Sub != f.Sub) || (f.Status != "" && r.Status != f.Status) || (f.Topic != "" && r.Topic != f.Topic) {
		return false
	}
	if f.From != "" && (r.Date == "" || r.Date < f.From) {
		return false
	}
	if f.To != "" && (r.Date == "" || r.Date > f.To) {
		return false
	}
	if f.Overdue && !r.Overdue(today) {
		return false
	}
	if f.Mass && (r.Kind != KindConcern || r.N < MassThreshold) {
		return false
	}
	return q == "" || MatchFolded(r.Fold, q)
}

// Find returns copies of the rows that f selects, sorted by order.
func (s *Store) Find(f Filter, order Order) []Row {
	today := f.Today
	if today == "" {
		today = Today()
	}
	q := Fold(NFC(strings.TrimSpace(f.Query)))
	s.idx.mu.RLock()
	out := make([]Row, 0, 64)
	for _, r := range s.idx.rows {
		if f.match(r, q, today) {
			out = append(out, *r)
		}
	}
	s.idx.mu.RUnlock()
	sortRows(out, order)
	return out
}

// Count returns how many rows f selects.
func (s *Store) Count(f Filter) int {
	today := f.Today
	if today == "" {
		today = Today()
	}
	q := Fold(NFC(strings.TrimSpace(f.Query)))
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	n := 0
	for _, r := range s.idx.rows {
		if f.match(r, q, today) {
			n++
		}
	}
	return n
}

func sortRows(rows []Row, order Order) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := &rows[i], &rows[j]
		switch order {
		case ByDateDesc:
			if a.Date != b.Date {
				return a.Date > b.Date
			}
		case ByUpdatedDesc:
			if a.Updated != b.Updated {
				return a.Updated > b.Updated
			}
		}
		if c := bytes.Compare(a.Key, b.Key); c != 0 {
			return c < 0
		}
		return a.ID < b.ID
	})
}

// ActionDue is an agreed action with the meeting it came from.
type ActionDue struct {
	ActionRow
	Meeting string
	Village string
	Date    Date
}

// Actions returns the open agreed actions of live meetings that are due
// on or before until (overdue ones included), soonest first. An empty
// village means the whole commune.
func (s *Store) Actions(village string, until Date) []ActionDue {
	var out []ActionDue
	s.idx.mu.RLock()
	for _, r := range s.idx.rows {
		if r.Kind != KindMeeting || r.Deleted || (village != "" && r.Village != village) {
			continue
		}
		for _, a := range r.Actions {
			if !a.Done && a.Due != "" && (until == "" || a.Due <= until) {
				out = append(out, ActionDue{ActionRow: a, Meeting: r.ID, Village: r.Village, Date: r.Date})
			}
		}
	}
	s.idx.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Due != out[j].Due {
			return out[i].Due < out[j].Due
		}
		return out[i].ID < out[j].ID
	})
	return out
}
