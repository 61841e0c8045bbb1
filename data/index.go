package data

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

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
	// Resolved and Forwarded are the last days a concern was moved to
	// "đã giải quyết" and "đã chuyển"; Channel is how it arrived. Period
	// figures of concerns come from these, without reading the records.
	Resolved  Date   `json:"rs,omitempty"`
	Forwarded Date   `json:"fw,omitempty"`
	Channel   string `json:"ch,omitempty"`
	// History is a concern's status by day (see StatusAt), oldest first:
	// period figures are judged from it as of the period's end. Shared
	// between copies of the row: read it, never change it.
	History []StatusAt `json:"h,omitempty"`
	// Remote marks a village in a remote area (vùng sâu, vùng xa).
	Remote bool `json:"r,omitempty"`
	// Accepted, Complexity, ExtDays and ScreenExt are a concern's own
	// deadline inputs (thụ lý date, complexity, days its extension
	// decisions add, extended tố cáo screening): the index computes
	// Deadline from them, the village's remote flag and the commune's
	// settings whenever any of these changes.
	Accepted   Date   `json:"ac,omitempty"`
	Complexity string `json:"cx,omitempty"`
	ExtDays    int    `json:"xd,omitempty"`
	ScreenExt  bool   `json:"se,omitempty"`
	// Phone is a household's or a person's phone number, which their
	// lists show (and search finds).
	Phone string `json:"ph,omitempty"`
	// Basis is the rule that set Deadline (computed, not stored).
	Basis   DeadlineBasis `json:"-"`
	Updated int64         `json:"u"`
	Actions []ActionRow   `json:"a,omitempty"`
	Fold    string        `json:"f"`
	Key     []byte        `json:"o"`
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
// and the commune's clock still runs: not resolved, closed or forwarded
// (a forwarded case leaves the commune's overdue count).
func (r *Row) Overdue(today Date) bool {
	return r.Kind == KindConcern && r.Deadline != "" && r.Deadline < today && ConcernStatus(r.Status).Clocked()
}

// DaysOverdue returns how many days a concern row is overdue on today,
// 0 when it is not.
func (r *Row) DaysOverdue(today Date) int {
	if !r.Overdue(today) {
		return 0
	}
	return DaysBetween(r.Deadline, today)
}

// foldContentLimit bounds how much long text (content, observations) goes
// into the search index, to keep a 100k-record index small in memory.
const foldContentLimit = 240

// sortKeyLimit bounds the part of a title that goes into its collation
// key: titles are ordered by their first words, ties by id.
const sortKeyLimit = 24

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
		r.Title, r.Village, r.N, r.Phone = o.Head, o.Village, o.Members, o.Phone
		text = append(text, o.Head, o.Phone)
	case *Person:
		r.Title, r.Village, r.Sub, r.Phone = o.Name, o.Village, string(o.Role), o.Phone
		text = append(text, o.Name, o.Phone)
	case *Concern:
		r.Title, r.Village, r.Date, r.Sub = o.Summary, o.Village, o.Received, string(o.ConcernKind)
		r.Status, r.Topic, r.Deadline, r.N = string(o.Status), o.Topic, o.Deadline, o.People
		text = append(text, o.Summary, o.Assignee, clip(o.Content, foldContentLimit))
		if o.ConcernKind != ConcernDenunciation {
			text = append(text, o.RaiserText)
		}
		r.Channel = o.Channel
		r.Accepted, r.Complexity, r.ScreenExt = o.Accepted, string(o.Complexity), o.ScreeningExtended
		r.ExtDays = ExtensionDays(o.ConcernKind, o.Complexity, o.Extensions)
		for _, h := range o.History {
			switch h.To {
			case StatusResolved:
				r.Resolved = DateOf(h.At)
			case StatusForwarded:
				r.Forwarded = DateOf(h.At)
			}
		}
		r.History = historyOf(o, time.UnixMilli(rec.Updated().Wall))
	case *Meeting:
		r.Title, r.Village, r.Date, r.Sub = o.Chair, o.Village, o.Date, string(o.MeetingKind)
		r.N = o.HeadCount
		if o.MeetingKind == MeetingReception {
			r.N = len(o.Received) // the people answered without a concern
		}
		for _, x := range o.Received {
			text = append(text, x.Name, x.Address, clip(x.Content, foldContentLimit))
		}
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
	if r.Kind == KindHousehold || r.Kind == KindPerson {
		// Persons' names in list order: given name, then family name.
		r.Key = SortKey(clip(NameOrder(r.Title), sortKeyLimit))
	} else {
		r.Key = SortKey(clip(r.Title, sortKeyLimit))
	}
	return r
}

// irow is the in-memory form of a Row: dates as day numbers and short
// enumerations as symbols, so that 100k rows stay small.
type irow struct {
	id, village, title, fold, key string
	phone                         string
	actions                       *[]ActionRow
	history                       []StatusAt
	updated                       int64
	n                             int32
	date, end, deadline           int32 // days since 1970-01-01; 0 means none
	resolved, forwarded, accepted int32
	ext                           int32
	channel, cx                   uint16
	kind, sub, status, topic      uint16
	flags                         uint8
	basis                         DeadlineBasis
}

// symbols interns the short enumeration strings of rows.
var symbols = struct {
	sync.Mutex
	ids   map[string]uint16
	names []string
}{ids: map[string]uint16{"": 0}, names: []string{""}}

func sym(s string) uint16 {
	symbols.Lock()
	defer symbols.Unlock()
	if id, ok := symbols.ids[s]; ok {
		return id
	}
	if len(symbols.names) >= 1<<16-1 {
		return 0
	}
	id := uint16(len(symbols.names))
	symbols.ids[s] = id
	symbols.names = append(symbols.names, s)
	return id
}

func symName(id uint16) string {
	symbols.Lock()
	defer symbols.Unlock()
	return symbols.names[id]
}

// dayNum returns d as days since 1970-01-01, or 0 for no date.
func dayNum(d Date) int32 {
	if len(d) != 10 || d[4] != '-' || d[7] != '-' {
		return 0
	}
	t := d.Time()
	if t.IsZero() {
		return 0
	}
	return int32(t.Unix() / 86400)
}

// dayDate is the inverse of dayNum.
func dayDate(n int32) Date {
	if n == 0 {
		return ""
	}
	return DateOf(time.Unix(int64(n)*86400, 0).UTC())
}

func compact(r *Row) *irow {
	ir := &irow{id: r.ID, village: r.Village, title: r.Title, fold: r.Fold, key: string(r.Key), phone: r.Phone,
		updated: r.Updated, n: int32(r.N), date: dayNum(r.Date), end: dayNum(r.End), deadline: dayNum(r.Deadline),
		resolved: dayNum(r.Resolved), forwarded: dayNum(r.Forwarded), channel: sym(r.Channel),
		kind: sym(string(r.Kind)), sub: sym(r.Sub), status: sym(r.Status), topic: sym(r.Topic),
		accepted: dayNum(r.Accepted), ext: int32(r.ExtDays), cx: sym(r.Complexity), basis: r.Basis, history: r.History}
	if len(r.Actions) > 0 {
		a := append([]ActionRow(nil), r.Actions...)
		ir.actions = &a
	}
	if r.Deleted {
		ir.flags |= rowDeleted
	}
	if r.Conflict {
		ir.flags |= rowConflict
	}
	if r.Remote {
		ir.flags |= rowRemote
	}
	if r.ScreenExt {
		ir.flags |= rowScreenExt
	}
	return ir
}

func (ir *irow) row() Row {
	r := Row{ID: ir.id, Kind: Kind(symName(ir.kind)), Village: ir.village, Title: ir.title, Fold: ir.fold, Key: []byte(ir.key), Phone: ir.phone,
		Updated: ir.updated, N: int(ir.n), Date: dayDate(ir.date), End: dayDate(ir.end), Deadline: dayDate(ir.deadline),
		Resolved: dayDate(ir.resolved), Forwarded: dayDate(ir.forwarded), Channel: symName(ir.channel),
		Sub: symName(ir.sub), Status: symName(ir.status), Topic: symName(ir.topic),
		Deleted: ir.flags&rowDeleted != 0, Conflict: ir.flags&rowConflict != 0, Remote: ir.flags&rowRemote != 0,
		Accepted: dayDate(ir.accepted), Complexity: symName(ir.cx), ExtDays: int(ir.ext), ScreenExt: ir.flags&rowScreenExt != 0,
		Basis: ir.basis, History: ir.history}
	if ir.actions != nil {
		r.Actions = append([]ActionRow(nil), (*ir.actions)...)
	}
	return r
}

func (ir *irow) deleted() bool { return ir.flags&rowDeleted != 0 }

// urgent reports whether the row is a concern whose deadline runs.
func (ir *irow) urgent() bool {
	return ir.kind == symConcern && ir.deadline != 0 && ConcernStatus(symName(ir.status)).Clocked()
}

type index struct {
	mu   sync.RWMutex
	rows map[string]*irow
	// dl holds what concern deadlines depend on outside the concerns.
	dl deadlineRules
}

// deadlineRules are the commune-wide deadline inputs: the petition-days
// setting and the working-day calendar.
type deadlineRules struct {
	petition int
	cal      *Calendar
}

func (ix *index) rules() deadlineRules {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.dl
}

// setRules sets the commune-wide deadline inputs and recomputes every
// concern's deadline with them.
func (ix *index) setRules(r deadlineRules) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.dl = r
	for _, ir := range ix.rows {
		ix.redate(ir)
	}
}

// redate computes a concern row's deadline from its inputs, its village's
// remote flag and the rules (ix.mu held for writing).
func (ix *index) redate(ir *irow) {
	if ir.kind != symConcern {
		return
	}
	remote := false
	if v, ok := ix.rows[ir.village]; ok && v.kind == symVillage {
		remote = v.flags&rowRemote != 0
	}
	d := deadlineN(symKinds[ir.sub], symComplexities[ir.cx], remote, ir.date, ir.accepted, int(ir.ext),
		ir.flags&rowScreenExt != 0, ix.dl.petition, ix.dl.cal)
	ir.deadline, ir.basis = d.due, d.basis
}

// symKinds and symComplexities map the interned symbols of the concern
// kinds and complexities back to them without taking the symbols' lock.
var symKinds, symComplexities = func() (map[uint16]ConcernKind, map[uint16]Complexity) {
	k, c := map[uint16]ConcernKind{}, map[uint16]Complexity{}
	for _, x := range ConcernKinds {
		k[sym(string(x))] = x
	}
	for _, x := range Complexities {
		c[sym(string(x))] = x
	}
	return k, c
}()

// refreshRules reads the commune-wide deadline inputs from the store's
// settings and recomputes every concern's deadline.
func (s *Store) refreshRules() {
	s.idx.setRules(deadlineRules{petition: s.PetitionDays(), cal: NewCalendar(s.DaysOff())})
}

func (s *Store) loadIndex() error {
	s.idx = &index{rows: map[string]*irow{}}
	dec := newRowDecoder()
	stale := false
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: pfxIndex, PrefetchValues: true, PrefetchSize: 256})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var r *Row
			err := it.Item().Value(func(v []byte) error {
				var err error
				r, err = dec.decode(v)
				return err
			})
			if errors.Is(err, errOldRow) {
				stale = true
				return errOldRow
			}
			if err != nil {
				return fmt.Errorf("load index %s: %w", it.Item().Key(), err)
			}
			s.idx.rows[r.ID] = compact(r)
		}
		return nil
	})
	if stale {
		err = s.rebuildIndex()
	}
	// Deadlines are computed from today's inputs, never taken as stored.
	s.refreshRules()
	// Decoding leaves garbage the size of the index: hand it back to the
	// OS now rather than carrying it for the whole session.
	debug.FreeOSMemory()
	return err
}

// rebuildIndex writes every index row again from the records: after an
// upgrade that changed what rows hold.
func (s *Store) rebuildIndex() error {
	s.idx = &index{rows: map[string]*irow{}}
	ids, err := s.RecordIDs()
	if err != nil {
		return fmt.Errorf("rebuild index: %w", err)
	}
	wb := s.db.NewWriteBatch()
	defer func() { wb.Cancel() }()
	for start := 0; start < len(ids); start += 1000 {
		recs, err := s.Records(ids[start:min(start+1000, len(ids))])
		if err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
		for i := range recs {
			obj, err := DecodeRecord(&recs[i])
			if err != nil {
				return fmt.Errorf("rebuild index: %w", err)
			}
			row := rowOf(&recs[i], obj)
			if err := wb.Set(indexKey(row.ID), encodeRow(row)); err != nil {
				return fmt.Errorf("rebuild index: %w", err)
			}
			s.idx.rows[row.ID] = compact(row)
		}
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("rebuild index: %w", err)
	}
	return nil
}

// put indexes r. A concern's deadline is computed from its inputs; a
// village whose remote flag changed recomputes its concerns' deadlines.
func (ix *index) put(r *Row) {
	ir := compact(r)
	ix.mu.Lock()
	old := ix.rows[r.ID]
	ix.rows[r.ID] = ir
	ix.redate(ir)
	if ir.kind == symVillage && (old == nil || old.flags&rowRemote != ir.flags&rowRemote || old.deleted() != ir.deleted()) {
		for _, c := range ix.rows {
			if c.kind == symConcern && c.village == r.ID {
				ix.redate(c)
			}
		}
	}
	ix.mu.Unlock()
}

func (ix *index) get(id string) (*Row, bool) {
	ix.mu.RLock()
	ir, ok := ix.rows[id]
	ix.mu.RUnlock()
	if !ok {
		return nil, false
	}
	r := ir.row()
	return &r, true
}

// isVillage reports whether id is a live village of the store.
func (s *Store) isVillage(id string) bool {
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	ir, ok := s.idx.rows[id]
	return ok && ir.kind == symVillage && !ir.deleted()
}

var symVillage, symConcern, symMeeting, symChecklist = sym(string(KindVillage)), sym(string(KindConcern)), sym(string(KindMeeting)), sym(string(KindChecklist))

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
	// Conflict selects records with an unresolved review conflict.
	Conflict bool
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
	// ByUrgency sorts concerns whose deadline runs first, the most days
	// overdue first, then the nearest deadline; then the others (no
	// deadline, forwarded, resolved) newest first.
	ByUrgency
)

// compiled is a Filter prepared for matching compact rows.
type compiled struct {
	f                    *Filter
	kind, sub, st, topic uint16
	from, to, today      int32
	q                    string
}

func (f *Filter) compile() *compiled {
	today := f.Today
	if today == "" {
		today = Today()
	}
	c := &compiled{f: f, from: dayNum(f.From), to: dayNum(f.To), today: dayNum(today), q: Fold(NFC(strings.TrimSpace(f.Query)))}
	c.kind, c.sub, c.st, c.topic = sym(string(f.Kind)), sym(f.Sub), sym(f.Status), sym(f.Topic)
	return c
}

func (c *compiled) match(r *irow) bool {
	f := c.f
	if r.deleted() != f.Deleted || (c.kind != 0 && r.kind != c.kind) || r.kind == symChecklist {
		return false
	}
	if f.Village != "" && r.village != f.Village {
		return false
	}
	if (c.sub != 0 && r.sub != c.sub) || (c.st != 0 && r.status != c.st) || (c.topic != 0 && r.topic != c.topic) {
		return false
	}
	if c.from != 0 && (r.date == 0 || r.date < c.from) {
		return false
	}
	if c.to != 0 && (r.date == 0 || r.date > c.to) {
		return false
	}
	if f.Overdue && !(r.kind == symConcern && r.deadline != 0 && r.deadline < c.today && ConcernStatus(symName(r.status)).Clocked()) {
		return false
	}
	if f.Mass && (r.kind != symConcern || r.n < MassThreshold) {
		return false
	}
	if f.Conflict && r.flags&rowConflict == 0 {
		return false
	}
	return c.q == "" || MatchFolded(r.fold, c.q)
}

// Find returns copies of the rows that f selects, sorted by order.
func (s *Store) Find(f Filter, order Order) []Row {
	c := f.compile()
	s.idx.mu.RLock()
	hits := make([]*irow, 0, 64)
	for _, r := range s.idx.rows {
		if c.match(r) {
			hits = append(hits, r)
		}
	}
	sortRows(hits, order)
	out := make([]Row, len(hits))
	for i, r := range hits {
		out[i] = r.row()
	}
	s.idx.mu.RUnlock()
	return out
}

// each calls fn with every row f selects, in no particular order: Find
// without the sort, for sums that do not depend on it (IndexStats).
// fn runs under the index's read lock and must not call the store.
func (s *Store) each(f Filter, fn func(*Row)) {
	c := f.compile()
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	var row Row
	for _, r := range s.idx.rows {
		if c.match(r) {
			row = r.row()
			fn(&row)
		}
	}
}

// Count returns how many rows f selects.
func (s *Store) Count(f Filter) int {
	c := f.compile()
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	n := 0
	for _, r := range s.idx.rows {
		if c.match(r) {
			n++
		}
	}
	return n
}

func sortRows(rows []*irow, order Order) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch order {
		case ByDateDesc:
			if a.date != b.date {
				return a.date > b.date
			}
		case ByUpdatedDesc:
			if a.updated != b.updated {
				return a.updated > b.updated
			}
		case ByUrgency:
			ua, ub := a.urgent(), b.urgent()
			if ua != ub {
				return ua
			}
			if ua && a.deadline != b.deadline {
				return a.deadline < b.deadline
			}
			if a.date != b.date {
				return a.date > b.date
			}
		}
		if a.key != b.key {
			return a.key < b.key
		}
		return a.id < b.id
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
		if r.kind != symMeeting || r.deleted() || r.actions == nil || (village != "" && r.village != village) {
			continue
		}
		for _, a := range *r.actions {
			if !a.Done && a.Due != "" && (until == "" || a.Due <= until) {
				out = append(out, ActionDue{ActionRow: a, Meeting: r.id, Village: r.village, Date: dayDate(r.date)})
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
