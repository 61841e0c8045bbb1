package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// RedactedIdentity is what every list, export and log shows in place of
// a denouncer's identity.
const RedactedIdentity = "[Danh tính người tố cáo được bảo mật]"

// prepare applies the rules every save follows: a tố cáo's identity moves
// to the confidential field, a concern's deadline follows its kind,
// complexity, dates, extensions, the village's remote flag, the commune's
// settings and the calendar (DeadlineOf).
func (s *Store) prepare(obj Object) {
	c, ok := obj.(*Concern)
	if !ok {
		return
	}
	if c.Status == "" {
		c.Status = StatusNew
	}
	if c.Complexity == "" {
		c.Complexity = ComplexityNormal
	}
	if c.RaiserKind == "" {
		c.RaiserKind = RaiserAnonymous
	}
	if c.ConcernKind == ConcernDenunciation && c.RaiserKind != RaiserAnonymous {
		if c.Denouncer == "" {
			c.Denouncer = c.RaiserText
			if c.Denouncer == "" && c.RaiserID != "" {
				if r, ok := s.idx.get(c.RaiserID); ok {
					c.Denouncer = r.Title
				}
			}
		}
		c.RaiserKind, c.RaiserID, c.RaiserText = RaiserConfidential, "", ""
	}
	// The stored deadline is only what it was at this save: the index and
	// Load compute it again from the current inputs (DeadlineFor).
	c.Deadline = s.DeadlineFor(c).Due
}

// Save validates obj and stores it durably: when Save returns nil the
// change survives a crash or power cut. A new object (empty ID) gets a
// UUIDv7 id. Every changed field is stamped, audited and queued for sync.
// On return obj holds the stored version.
func (s *Store) Save(obj Object) error {
	if s.commune == "" {
		return fmt.Errorf("save %s: %w", obj.Kind(), ErrNoCommune)
	}
	s.prepare(obj)
	if err := Validate(obj, s.isVillage); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	m := obj.meta()
	if m.Commune != "" && m.Commune != s.commune {
		return fmt.Errorf("save %s %s: %w", obj.Kind(), m.ID, ErrOtherCommune)
	}
	var rec Record
	var row *Row
	var dropped bool
	err := s.db.Update(func(txn *badger.Txn) error {
		var prev *Record
		if m.ID != "" {
			p, err := readRecord(txn, m.ID)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			prev = p
		}
		if c, ok := obj.(*Concern); ok {
			addHistory(prev, c, s.actor)
		}
		if m, ok := obj.(*Meeting); ok {
			stampActionsDone(prev, m)
		}
		var changed []string
		var err error
		rec, changed, err = stamp(prev, obj, s.commune, s.clock)
		if err != nil {
			return err
		}
		if prev != nil && len(changed) == 0 {
			return nil
		}
		dropped = DropsRaiser(prev, &rec)
		action := AuditUpdate
		if prev == nil {
			action = AuditCreate
		}
		if c, ok := obj.(*Concern); ok && c.Denouncer != "" {
			if err := txn.Set(confKey(rec.ID), []byte(NFC(c.Denouncer))); err != nil {
				return err
			}
		}
		row, err = s.putRecord(txn, &rec)
		if err != nil {
			return err
		}
		if err := s.appendAudit(txn, AuditEntry{Record: rec.ID, Kind: rec.Kind, Action: action, Fields: changed}); err != nil {
			return err
		}
		return s.appendOutbox(txn, rec.ID)
	})
	if err != nil {
		return fmt.Errorf("save %s %s: %w", obj.Kind(), m.ID, err)
	}
	if dropped {
		if err := PurgeHistory(s.db, recordKey(rec.ID), indexKey(rec.ID)); err != nil {
			return fmt.Errorf("save %s %s: %w", obj.Kind(), m.ID, err)
		}
	}
	if row != nil {
		s.idx.put(row)
		s.notify()
	}
	denouncer := ""
	if c, ok := obj.(*Concern); ok {
		denouncer = c.Denouncer
	}
	if err := Decode(&rec, obj); err != nil {
		return err
	}
	if c, ok := obj.(*Concern); ok {
		c.Denouncer = denouncer
	}
	return nil
}

// addHistory appends a status-history entry when a concern is created or
// its status changed outside ChangeStatus.
func addHistory(prev *Record, c *Concern, actor string) {
	var old ConcernStatus
	if prev != nil {
		if w, ok := prev.reviewValue("status"); ok {
			_ = json.Unmarshal(w.V, &old)
		}
	}
	if prev != nil && old == c.Status {
		return
	}
	if n := len(c.History); n > 0 && c.History[n-1].To == c.Status && c.History[n-1].From == old {
		return // ChangeStatus already added it
	}
	c.History = append(c.History, StatusChange{ID: NewID(), From: old, To: c.Status, By: actor, At: time.Now().UTC().Truncate(time.Second)})
}

// stampActionsDone dates the agreed actions of m marked done since prev
// (today), keeps the day of those done before, and clears it on those
// no longer done, so that a period's figures judge each action as it
// stood at the period's end. Actions of a new meeting keep what they
// carry: the day they were done is not known.
func stampActionsDone(prev *Record, m *Meeting) {
	if prev == nil {
		return
	}
	var old Meeting
	if err := Decode(prev, &old); err != nil {
		return
	}
	before := map[string]Action{}
	for _, a := range old.Actions {
		before[a.ID] = a
	}
	for i := range m.Actions {
		a := &m.Actions[i]
		b, known := before[a.ID]
		switch {
		case !a.Done:
			a.DoneOn = ""
		case a.DoneOn != "":
		case known && b.Done:
			a.DoneOn = b.DoneOn
		default:
			a.DoneOn = Today()
		}
	}
}

// putRecord writes rec and its index row, and persists the clock.
func (s *Store) putRecord(txn *badger.Txn, rec *Record) (*Row, error) {
	obj, err := DecodeRecord(rec)
	if err != nil {
		return nil, err
	}
	row := rowOf(rec, obj)
	rb, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("encode record %s: %w", rec.ID, err)
	}
	xb := encodeRow(row)
	cb, _ := json.Marshal(s.clock.Last())
	for _, kv := range [][2][]byte{{recordKey(rec.ID), rb}, {indexKey(rec.ID), xb}, {keyClock, cb}} {
		if err := txn.Set(kv[0], kv[1]); err != nil {
			return nil, fmt.Errorf("write record %s: %w", rec.ID, err)
		}
	}
	return row, nil
}

// OutboxEntry is a local change waiting for the server's acknowledgement.
type OutboxEntry struct {
	Seq    uint64 `json:"-"`
	Record string `json:"r"`
}

func (s *Store) appendOutbox(txn *badger.Txn, id string) error {
	if IsDemoID(id) {
		return nil // demo data never leave the laptop: nothing waits to be sent
	}
	seq, err := s.outbox.Next()
	if err != nil {
		return fmt.Errorf("next outbox seq: %w", err)
	}
	b, _ := json.Marshal(OutboxEntry{Record: id})
	return txn.Set(seqKey(pfxOutbox, seq+1), b)
}

// Outbox returns up to limit entries with a sequence above after, oldest
// first (limit ≤ 0 means all).
func (s *Store) Outbox(after uint64, limit int) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: pfxOutbox, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Seek(seqKey(pfxOutbox, after+1)); it.Valid(); it.Next() {
			var e OutboxEntry
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &e) }); err != nil {
				return err
			}
			k := it.Item().Key()
			e.Seq = beUint64(k[len(pfxOutbox):])
			out = append(out, e)
			if limit > 0 && len(out) >= limit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

func beUint64(b []byte) uint64 {
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v
}

// Pending returns how many records have changes waiting in the outbox:
// two edits of one record are one record to send, as the sync counts
// what it sent (so "8 waiting" becomes "sent 8").
func (s *Store) Pending() int {
	ids := map[string]struct{}{}
	_ = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: pfxOutbox, PrefetchValues: true, PrefetchSize: 256})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			// The entries of one record are the same bytes ({"r":id}):
			// counting distinct values needs no decoding.
			_ = it.Item().Value(func(v []byte) error {
				ids[string(v)] = struct{}{}
				return nil
			})
		}
		return nil
	})
	return len(ids)
}

// Ack removes acknowledged outbox entries, up to and including seq.
func (s *Store) Ack(seqs ...uint64) error {
	err := s.db.Update(func(txn *badger.Txn) error {
		for _, q := range seqs {
			if err := txn.Delete(seqKey(pfxOutbox, q)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ack outbox: %w", err)
	}
	return nil
}

// setDeleted tombstones or restores id.
func (s *Store) setDeleted(id string, deleted bool) error {
	obj, err := s.Get(id)
	if err != nil {
		return err
	}
	if obj.meta().Deleted == deleted {
		return nil
	}
	obj.meta().Deleted = deleted
	if c, ok := obj.(*Concern); ok {
		// keep the confidential identity where it is; Save must not move it
		c.Denouncer = ""
	}
	return s.saveRaw(obj, map[bool]string{true: AuditDelete, false: AuditRestore}[deleted])
}

// saveRaw stores obj without validation (a tombstone of an invalid
// draft must still be possible) and with the given audit action.
func (s *Store) saveRaw(obj Object, action string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	m := obj.meta()
	var row *Row
	err := s.db.Update(func(txn *badger.Txn) error {
		prev, err := readRecord(txn, m.ID)
		if err != nil {
			return err
		}
		rec, changed, err := stamp(prev, obj, s.commune, s.clock)
		if err != nil {
			return err
		}
		if row, err = s.putRecord(txn, &rec); err != nil {
			return err
		}
		if err := s.appendAudit(txn, AuditEntry{Record: rec.ID, Kind: rec.Kind, Action: action, Fields: changed}); err != nil {
			return err
		}
		return s.appendOutbox(txn, rec.ID)
	})
	if err != nil {
		return fmt.Errorf("%s %s %s: %w", action, obj.Kind(), m.ID, err)
	}
	s.idx.put(row)
	s.notify()
	return nil
}

// Delete moves a record to the trash (a tombstone that syncs). Restore
// brings it back.
func (s *Store) Delete(id string) error { return s.setDeleted(id, true) }

// Restore takes a record out of the trash.
func (s *Store) Restore(id string) error { return s.setDeleted(id, false) }

// ChangeStatus moves a concern to status to, with a note saying why
// (required), and records who and when in its history.
func (s *Store) ChangeStatus(id string, to ConcernStatus, note string) error {
	var c Concern
	if err := s.Load(id, &c); err != nil {
		return err
	}
	if note == "" {
		return &ValidationError{Kind: KindConcern, Fields: []FieldError{{Field: "field.concern.status_note", Msg: MsgRequired}}}
	}
	c.History = append(c.History, StatusChange{ID: NewID(), From: c.Status, To: to, By: s.Actor(), At: time.Now().UTC().Truncate(time.Second), Note: NFC(note)})
	c.Status = to
	return s.Save(&c)
}

// StatusDetails are what a status change records besides its note: the
// thụ lý date when a case goes to "đang xử lý", the date and the body
// when it is forwarded ("đã chuyển").
type StatusDetails struct {
	Accepted    Date
	ForwardedOn Date
	ForwardedTo string
}

// ChangeStatusWith moves a concern to status to, as ChangeStatus, and
// records the details the new status needs:
//   - "đang xử lý" needs the thụ lý date (the resolution period is counted
//     from it: Luật Khiếu nại 2011 Đ.28, Luật Tố cáo 2018 Đ.30), unless
//     the concern already has one; d.Accepted replaces it when given;
//   - "đã chuyển" needs the date forwarded and the body it went to: the
//     case then leaves the commune's overdue count.
//
// A missing detail gives a *ValidationError naming its field.
func (s *Store) ChangeStatusWith(id string, to ConcernStatus, note string, d StatusDetails) error {
	var c Concern
	if err := s.Load(id, &c); err != nil {
		return err
	}
	var errs []FieldError
	if note == "" {
		errs = append(errs, FieldError{Field: "field.concern.status_note", Msg: MsgRequired})
	}
	switch to {
	case StatusHandling:
		if d.Accepted != "" {
			c.Accepted = d.Accepted
		}
		if c.Accepted == "" {
			errs = append(errs, FieldError{Field: FieldAccepted, Msg: MsgRequired})
		}
	case StatusForwarded:
		c.ForwardedOn, c.ForwardedTo = d.ForwardedOn, NFC(strings.TrimSpace(d.ForwardedTo))
		if c.ForwardedOn == "" {
			errs = append(errs, FieldError{Field: FieldForwardedOn, Msg: MsgRequired})
		}
		if c.ForwardedTo == "" {
			errs = append(errs, FieldError{Field: FieldForwardedTo, Msg: MsgRequired})
		}
	}
	if len(errs) > 0 {
		return &ValidationError{Kind: KindConcern, Fields: errs}
	}
	c.History = append(c.History, StatusChange{ID: NewID(), From: c.Status, To: to, By: s.Actor(), At: time.Now().UTC().Truncate(time.Second), Note: NFC(note)})
	c.Status = to
	return s.Save(&c)
}

// Denouncer returns the confidential identity of a tố cáo's denouncer.
// Only the cadre holding the case may read it: viewer must be the
// concern's assignee (or, when none is set, the store's own cadre).
// Every read is audited.
func (s *Store) Denouncer(id, viewer string) (string, error) {
	var c Concern
	if err := s.Load(id, &c); err != nil {
		return "", err
	}
	holder := c.Assignee
	if holder == "" {
		holder = s.Actor()
	}
	if viewer == "" || viewer != holder {
		return "", fmt.Errorf("read denouncer of %s: %w", id, ErrNotPermitted)
	}
	var out string
	err := s.db.Update(func(txn *badger.Txn) error {
		v, err := getBytes(txn, confKey(id))
		if errors.Is(err, badger.ErrKeyNotFound) {
			out = ""
		} else if err != nil {
			return err
		} else {
			out = string(v)
		}
		return s.appendAudit(txn, AuditEntry{Record: id, Kind: KindConcern, Action: AuditViewDenouncer, Who: viewer})
	})
	if err != nil {
		return "", fmt.Errorf("read denouncer of %s: %w", id, err)
	}
	return out, nil
}

// ApplyRemote merges records received from the server into the store in
// one transaction, together with extra writes (the sync cursor), so that
// a page and its cursor commit or fail together. Records of another
// commune are refused. Merged records are not queued for sending back.
func (s *Store) ApplyRemote(recs []Record, extra map[string][]byte) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var rows []*Row
	var purge [][]byte
	var unseen []string
	err := s.db.Update(func(txn *badger.Txn) error {
		unseen = unseen[:0]
		for i := range recs {
			in := &recs[i]
			if in.Commune != s.commune {
				return fmt.Errorf("apply %s: commune %s: %w", in.ID, in.Commune, ErrOtherCommune)
			}
			if !in.Kind.Valid() {
				return fmt.Errorf("apply %s: unknown kind %q", in.ID, in.Kind)
			}
			merged := *in
			prev, err := readRecord(txn, in.ID)
			if err == nil {
				merged = Merge(*prev, *in)
				if sameRecord(prev, &merged) {
					continue // a replayed or already-held version: nothing to write or audit
				}
				if DropsRaiser(prev, &merged) {
					purge = append(purge, recordKey(in.ID), indexKey(in.ID))
				}
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
			s.clock.Observe(in.Updated())
			row, err := s.putRecord(txn, &merged)
			if err != nil {
				return err
			}
			rows = append(rows, row)
			if s.memory {
				continue // a read-only copy: no one to tell of news, no audit to keep
			}
			if marked, err := s.markUnseen(txn, &merged); err != nil {
				return err
			} else if marked {
				unseen = append(unseen, in.ID)
			}
			if err := s.appendAudit(txn, AuditEntry{Record: in.ID, Kind: in.Kind, Action: AuditMerge, Who: in.Updated().Device}); err != nil {
				return err
			}
		}
		for k, v := range extra {
			if err := txn.Set(append(append([]byte{}, pfxMeta...), k...), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("apply %d remote records: %w", len(recs), err)
	}
	if len(purge) > 0 {
		// A concern re-classified as tố cáo elsewhere: its earlier
		// versions, which name the raiser, leave this laptop's files.
		if err := PurgeHistory(s.db, purge...); err != nil {
			return fmt.Errorf("apply %d remote records: %w", len(recs), err)
		}
	}
	for _, r := range rows {
		s.idx.put(r)
	}
	s.unseen.add(unseen)
	if len(rows) > 0 {
		s.notify()
	}
	return nil
}

// Meta returns a stored setting (nil when unset).
func (s *Store) Meta(key string) []byte {
	var out []byte
	_ = s.db.View(func(txn *badger.Txn) error {
		v, err := getBytes(txn, append(append([]byte{}, pfxMeta...), key...))
		if err == nil {
			out = v
		}
		return nil
	})
	return out
}

// SetMeta stores a setting durably.
func (s *Store) SetMeta(key string, value []byte) error {
	err := s.db.Update(func(txn *badger.Txn) error {
		return txn.Set(append(append([]byte{}, pfxMeta...), key...), value)
	})
	if err != nil {
		return fmt.Errorf("set %s: %w", key, err)
	}
	return nil
}

// PetitionDays returns the commune's days to resolve a kiến nghị or
// phản ánh (the "petition_days" setting, 15 by default).
func (s *Store) PetitionDays() int {
	var n int
	if b := s.Meta("petition_days"); b != nil {
		_ = json.Unmarshal(b, &n)
	}
	if n <= 0 {
		return DefaultPetitionDays
	}
	return n
}

// SetPetitionDays stores the commune's own time, in days from thụ lý, to
// resolve a kiến nghị, phản ánh or ý kiến (0: the default, 15), and
// recomputes every concern's deadline with it. A negative n gives a
// *ValidationError naming "field.settings.petition_days".
func (s *Store) SetPetitionDays(n int) error {
	if n < 0 {
		return &ValidationError{Kind: "settings", Fields: []FieldError{{Field: FieldPetitionDays, Msg: MsgNegative}}}
	}
	b, _ := json.Marshal(n)
	if err := s.SetMeta("petition_days", b); err != nil {
		return err
	}
	s.refreshRules()
	return nil
}

// SaveMany validates and stores many new objects in write batches, with
// one sync to disk at the end: for imports and demo data. It stops at the
// first invalid object, after storing every object before it. progress,
// if not nil, is called with the count stored so far.
func (s *Store) SaveMany(objs []Object, progress func(done int)) error {
	if s.commune == "" {
		return fmt.Errorf("save many: %w", ErrNoCommune)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	wb := s.db.NewWriteBatch()
	defer func() { wb.Cancel() }()
	var rows []*Row
	pending := map[string]bool{} // villages and ids of the unflushed batch
	flush := func(last bool) error {
		cb, _ := json.Marshal(s.clock.Last())
		if err := wb.Set(keyClock, cb); err != nil {
			return err
		}
		if err := wb.Flush(); err != nil {
			return err
		}
		for _, r := range rows {
			s.idx.put(r)
		}
		rows = rows[:0]
		clear(pending)
		if !last {
			wb = s.db.NewWriteBatch()
		}
		return nil
	}
	finish := func(err error) error {
		if ferr := flush(true); ferr != nil && err == nil {
			err = fmt.Errorf("save many: %w", ferr)
		}
		if serr := s.db.Sync(); serr != nil && err == nil {
			err = fmt.Errorf("save many: sync: %w", serr)
		}
		s.notify()
		return err
	}
	known := func(id string) bool { return s.isVillage(id) || pending["v:"+id] }
	for i, obj := range objs {
		m := obj.meta()
		if m.Commune != "" && m.Commune != s.commune {
			return finish(fmt.Errorf("save many, item %d: %w", i, ErrOtherCommune))
		}
		if m.ID != "" {
			if _, ok := s.idx.get(m.ID); ok || pending[m.ID] {
				return finish(fmt.Errorf("save many, item %d: %s already exists", i, m.ID))
			}
		}
		s.prepare(obj)
		if err := Validate(obj, known); err != nil {
			return finish(fmt.Errorf("save many, item %d: %w", i, err))
		}
		if c, ok := obj.(*Concern); ok && len(c.History) == 0 {
			addHistory(nil, c, s.actor)
		}
		if err := s.batchPut(wb, obj, &rows); err != nil {
			return finish(fmt.Errorf("save many, item %d: %w", i, err))
		}
		pending[m.ID] = true
		if obj.Kind() == KindVillage {
			pending["v:"+m.ID] = true
		}
		if len(rows) >= 2000 {
			if err := flush(false); err != nil {
				return fmt.Errorf("save many: %w", err)
			}
			if progress != nil {
				progress(i + 1)
			}
		}
	}
	if err := finish(nil); err != nil {
		return err
	}
	if progress != nil {
		progress(len(objs))
	}
	return nil
}

// batchPut writes a new object, its index row, audit and outbox entries
// into wb, and fills obj's bookkeeping.
func (s *Store) batchPut(wb *badger.WriteBatch, obj Object, rows *[]*Row) error {
	rec, changed, err := stamp(nil, obj, s.commune, s.clock)
	if err != nil {
		return err
	}
	if err := Decode(&rec, obj); err != nil {
		return err
	}
	row := rowOf(&rec, obj)
	rb, _ := json.Marshal(&rec)
	xb := encodeRow(row)
	seqA, err := s.audit.Next()
	if err != nil {
		return err
	}
	ab, _ := json.Marshal(AuditEntry{Seq: seqA, Record: rec.ID, Kind: rec.Kind, Action: AuditCreate, Who: s.actor, Device: s.device, At: time.Now(), Fields: changed})
	kvs := [][2][]byte{{recordKey(rec.ID), rb}, {indexKey(rec.ID), xb}, {auditKey(rec.ID, seqA), ab}}
	if !IsDemoID(rec.ID) { // demo data never leave the laptop: nothing waits to be sent
		seqO, err := s.outbox.Next()
		if err != nil {
			return err
		}
		ob, _ := json.Marshal(OutboxEntry{Record: rec.ID})
		kvs = append(kvs, [2][]byte{seqKey(pfxOutbox, seqO+1), ob})
	}
	if c, ok := obj.(*Concern); ok && c.Denouncer != "" {
		kvs = append(kvs, [2][]byte{confKey(rec.ID), []byte(NFC(c.Denouncer))})
	}
	for _, kv := range kvs {
		if err := wb.Set(kv[0], kv[1]); err != nil {
			return err
		}
	}
	*rows = append(*rows, row)
	return nil
}

// sameRecord reports whether two records hold the same versions.
func sameRecord(a, b *Record) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
