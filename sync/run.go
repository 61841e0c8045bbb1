package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	stdsync "sync"
	"time"

	"danvan/data"
)

// Keys of the sync state in the store's settings (data.Store.Meta). The
// token lives only there, in the encrypted store.
const (
	metaServer      = "sync/server"
	metaToken       = "sync/token"
	metaDeviceID    = "sync/device_id"
	metaServerID    = "sync/server_id"
	metaLabel       = "sync/label"
	metaEnrolled    = "sync/enrolled_at"
	metaRevoked     = "sync/revoked"
	metaCursor      = "sync/cursor"
	metaResync      = "sync/resync"
	metaLastSuccess = "sync/last_success"
	metaLog         = "sync/log"
	// metaClockSkew holds the server's clock minus this machine's, in
	// ms, as last measured (Status.ClockSkew).
	metaClockSkew = "sync/clock_skew"
	prefixQuar    = "sync/q/"
	prefixSeen    = "sync/seen/"
	// prefixHeld keeps, by record id, the JSON of a pulled record whose
	// stamps are out of bounds (data.CheckStamps), so it is not lost: it
	// is merged once this machine's clock has caught up with it.
	prefixHeld = "sync/held/"
)

// Full-resync modes kept in metaResync.
const (
	resyncExpired = "expired" // cursor older than the tombstone retention
	resyncAhead   = "ahead"   // server restored from a backup
)

// LogSize is how many sync attempts the log keeps.
const LogSize = 50

// Report says what one sync did.
type Report struct {
	// ClockSkew is the server's clock minus this machine's, as stated in
	// its answers (HeaderServerTime); beyond ClockWarnSkew either way, one
	// of the two clocks is wrong and the user is told.
	ClockSkew time.Duration `json:"clock_skew,omitempty"`
	// Pushed counts the records the server acknowledged.
	Pushed int `json:"pushed"`
	// Pulled counts the records received and merged.
	Pulled int `json:"pulled"`
	// Quarantined lists the records refused for good in this sync.
	Quarantined []Quarantined `json:"quarantined,omitempty"`
	// Sent and Received are the bytes on the wire.
	Sent int64 `json:"sent"`
	// Received is the bytes received on the wire.
	Received int64 `json:"received"`
	// Requests counts HTTP round trips.
	Requests int `json:"requests"`
	// PushBytes is the size of the gzip push bodies sent (without HTTP).
	PushBytes int64 `json:"push_bytes"`
	// Cursor is the pull cursor after the sync.
	Cursor uint64 `json:"cursor"`
	// Resync is "expired" or "ahead" when the sync had to pull everything.
	Resync string `json:"resync,omitempty"`
	// Duration is how long the sync took.
	Duration time.Duration `json:"duration"`
}

// Quarantined is a record the server refused for good (or, Direction
// "pull", one received from it that this laptop could not apply). It no
// longer blocks the queue; editing the record, or Requeue, sends it again.
type Quarantined struct {
	// ID and Kind name the record.
	ID   string    `json:"id"`
	Kind data.Kind `json:"kind"`
	// Code is the server's error code (one of the Code constants), and
	// Reason its message.
	Code   string `json:"code"`
	Reason string `json:"reason"`
	// Direction is "push" (the server refused it) or "pull".
	Direction string `json:"direction"`
	// At is when it was quarantined.
	At time.Time `json:"at"`
}

// Attempt is one entry of the sync log.
type Attempt struct {
	// Start is when the attempt began; Duration how long it took.
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"duration"`
	// Trigger is what started it: "start", "save", "poll", "probe",
	// "retry", "now" (Sync now), "enrolled" or "once" (the CLI).
	Trigger string `json:"trigger"`
	// OK is true when the sync finished.
	OK bool `json:"ok"`
	// Pushed, Pulled and Quarantined count records.
	Pushed      int `json:"pushed"`
	Pulled      int `json:"pulled"`
	Quarantined int `json:"quarantined"`
	// Sent and Received are the bytes on the wire.
	Sent     int64 `json:"sent"`
	Received int64 `json:"received"`
	// Error is why it failed ("" when OK).
	Error string `json:"error,omitempty"`
}

// storeLocks serialises syncs of one store within a process.
var storeLocks stdsync.Map // *data.Store -> *stdsync.Mutex

func lockStore(st *data.Store) func() {
	m, _ := storeLocks.LoadOrStore(st, &stdsync.Mutex{})
	mu := m.(*stdsync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// session is one sync: push the outbox, then pull.
type session struct {
	st   *data.Store
	api  *apiClient
	cfg  Config
	rep  *Report
	quar map[string]bool
	// pushMeter and pullMeter report progress (nil before it is known).
	pushMeter, pullMeter *progressMeter
}

func readUint(st *data.Store, key string) uint64 {
	n, _ := strconv.ParseUint(string(st.Meta(key)), 10, 64)
	return n
}

// syncOnce runs one sync of st over the transports tr and records it in
// the store's sync log.
func syncOnce(ctx context.Context, st *data.Store, cfg Config, tr *transports, trigger string) (Report, error) {
	cnt := tr.cnt
	unlock := lockStore(st)
	defer unlock()
	start := time.Now()
	rep := Report{}
	sent0, recv0 := cnt.sent.Load(), cnt.recv.Load()
	var api *apiClient
	err := func() error {
		base, token := string(st.Meta(metaServer)), string(st.Meta(metaToken))
		if base == "" || token == "" {
			return ErrNotEnrolled
		}
		if r := st.Meta(metaRevoked); len(r) > 0 {
			return fmt.Errorf("%w (%s)", ErrNeedsEnrolment, r)
		}
		api = tr.client(base, token)
		s := &session{st: st, api: api, cfg: cfg, rep: &rep, quar: map[string]bool{}}
		q, err := st.MetaPrefix(prefixQuar)
		if err != nil {
			return err
		}
		for k, v := range q {
			id := strings.TrimPrefix(k, prefixQuar)
			if releaseFuture(st, id, v) {
				continue
			}
			s.quar[id] = true
		}
		return s.run(ctx)
	}()
	rep.Duration = time.Since(start)
	if api != nil && api.hasSkew.Load() {
		ms := api.skewMs.Load()
		rep.ClockSkew = time.Duration(ms) * time.Millisecond
		_ = st.SetMeta(metaClockSkew, []byte(strconv.FormatInt(ms, 10)))
	}
	rep.Sent, rep.Received = cnt.sent.Load()-sent0, cnt.recv.Load()-recv0
	rep.Cursor = readUint(st, metaCursor)
	if errors.Is(err, ErrNotEnrolled) {
		return rep, err
	}
	var se *StatusError
	if errors.As(err, &se) && se.Status == http.StatusUnauthorized {
		_ = st.SetMeta(metaRevoked, []byte(se.Body.Code+": "+se.Body.Error))
	}
	a := Attempt{Start: start.UTC(), Duration: rep.Duration, Trigger: trigger, OK: err == nil, Pushed: rep.Pushed, Pulled: rep.Pulled,
		Quarantined: len(rep.Quarantined), Sent: rep.Sent, Received: rep.Received}
	if err != nil {
		a.Error = err.Error()
	}
	appendLog(st, a)
	if err == nil {
		_ = st.SetMeta(metaLastSuccess, []byte(start.UTC().Format(time.RFC3339Nano)))
	}
	return rep, err
}

func appendLog(st *data.Store, a Attempt) {
	log := readLog(st)
	log = append([]Attempt{a}, log...)
	if len(log) > LogSize {
		log = log[:LogSize]
	}
	b, _ := json.Marshal(log)
	_ = st.SetMeta(metaLog, b)
}

func readLog(st *data.Store) []Attempt {
	var log []Attempt
	if b := st.Meta(metaLog); b != nil {
		_ = json.Unmarshal(b, &log)
	}
	return log
}

func (s *session) run(ctx context.Context) error {
	for round := 0; round < 3; round++ {
		if err := s.pushAll(ctx); err != nil {
			return err
		}
		requeued, err := s.pullAll(ctx)
		if err != nil {
			return err
		}
		if !requeued {
			return nil
		}
	}
	return nil
}

// needsEnrolment wraps a 401/403 that is about the token, not a record.
func needsEnrolment(se *StatusError) error {
	return fmt.Errorf("%w: %w", ErrNeedsEnrolment, se)
}

// flight is one push on its way.
type flight struct {
	b    *batch
	key  string
	sent chan struct{} // closed once the transport has read the whole body
	done chan struct{} // closed with the answer
	resp PushResponse
	err  error
	// retry marks a second try under a new key after a 422.
	retry bool
}

// send starts pushing b under key; it returns at once.
func (s *session) send(ctx context.Context, b *batch, key string) *flight {
	f := &flight{b: b, key: key, sent: make(chan struct{}), done: make(chan struct{})}
	s.rep.Requests++
	s.rep.PushBytes += int64(len(b.body))
	go func() {
		defer close(f.done)
		f.resp, f.err = s.api.push(ctx, key, b.body, f.sent)
	}()
	return f
}

// pushAll sends the outbox in batches. Two batches may be in flight: the
// next one leaves as soon as the previous one's body is on the wire, so
// the link is not idle while the server answers (on a 2G link the round
// trip costs as much as a batch). Answers are settled in order.
func (s *session) pushAll(ctx context.Context) error {
	var after uint64
	var prev *flight
	if n := s.st.Pending(); n > 0 {
		s.pushMeter = newProgressMeter("push", n, s.cfg.OnProgress)
	}
	for {
		if err := ctx.Err(); err != nil {
			return s.abandon(prev, err)
		}
		b, err := buildBatch(s.st, after, s.cfg.BatchBytes)
		if err != nil {
			return s.abandon(prev, err)
		}
		if b == nil {
			break
		}
		after = b.lastSeq
		// entries of records that no longer exist are simply acknowledged
		var orphans []uint64
		have := make(map[string]bool, len(b.ids))
		for _, id := range b.ids {
			have[id] = true
		}
		for id, seqs := range b.seqs {
			if !have[id] {
				orphans = append(orphans, seqs...)
			}
		}
		if len(orphans) > 0 {
			if err := s.st.Ack(orphans...); err != nil {
				return s.abandon(prev, err)
			}
		}
		if len(b.ids) == 0 {
			continue
		}
		f := s.send(ctx, b, data.NewID())
		if prev != nil {
			if err := s.settle(ctx, prev); err != nil {
				return s.abandon(f, err)
			}
		}
		select {
		case <-f.sent:
		case <-f.done:
		}
		prev = f
	}
	if prev != nil {
		return s.settle(ctx, prev)
	}
	return nil
}

// abandon ends a push loop that failed with err: the batch still in
// flight is waited for, and acknowledged if the server took it.
func (s *session) abandon(f *flight, err error) error {
	if f != nil {
		<-f.done
		if f.err == nil {
			_ = s.settle(context.Background(), f)
		}
	}
	return err
}

// pushBatch sends one batch and settles it.
func (s *session) pushBatch(ctx context.Context, b *batch) error {
	return s.settle(ctx, s.send(ctx, b, data.NewID()))
}

// settle waits for a push's answer and settles its outbox entries:
// acknowledged on 200; the records the server refuses for good
// quarantined and the rest sent again; a batch refused as a whole split
// in two until the bad record is alone. Transient failures and token
// refusals are returned.
func (s *session) settle(ctx context.Context, f *flight) error {
	<-f.done
	b, err := f.b, f.err
	if err == nil {
		if len(f.resp.Seqs) != len(b.ids) {
			return &NetError{Op: "push", Err: fmt.Errorf("answer has %d results for %d records", len(f.resp.Seqs), len(b.ids))}
		}
		if err := s.st.Ack(b.entries()...); err != nil {
			return err
		}
		// the server now holds every value of the versions pushed
		acked := make(map[string][]byte, len(b.ids))
		for i, id := range b.ids {
			acked[prefixAcked+id], _ = json.Marshal(b.recs[i].Updated())
		}
		if err := s.st.ApplyRemote(nil, acked); err != nil {
			return err
		}
		var cleared []string
		for _, id := range b.ids {
			if s.quar[id] {
				cleared = append(cleared, prefixQuar+id)
				delete(s.quar, id)
			}
		}
		if len(cleared) > 0 {
			if err := s.st.DeleteMeta(cleared...); err != nil {
				return err
			}
		}
		s.rep.Pushed += len(b.ids)
		s.pushMeter.add(len(b.entries()))
		return nil
	}
	var se *StatusError
	if !errors.As(err, &se) || errors.Is(err, ErrUpdateApp) || errors.Is(err, ErrServerOld) {
		return err // a protocol mismatch refuses every record alike: keep them
	}
	switch {
	case se.Status == http.StatusUnauthorized:
		return needsEnrolment(se)
	case se.Status == http.StatusConflict && se.Body.Code == CodeNeedFull && !f.retry:
		// the server lacks a record pushed partially: send the batch whole
		keys := make([]string, len(b.ids))
		for i, id := range b.ids {
			keys[i] = prefixAcked + id
		}
		if err := s.st.DeleteMeta(keys...); err != nil {
			return err
		}
		nf := s.send(ctx, b.whole(), data.NewID())
		nf.retry = true
		return s.settle(ctx, nf)
	case se.Status == http.StatusUnprocessableEntity && !f.retry:
		nf := s.send(ctx, b, data.NewID()) // the key was taken: a new one
		nf.retry = true
		return s.settle(ctx, nf)
	case se.transient():
		return err
	case (se.Status == http.StatusBadRequest || se.Status == http.StatusForbidden) && len(se.Body.Records) > 0:
		bad := map[int]RecordError{}
		for _, re := range se.Body.Records {
			if re.Index >= 0 && re.Index < len(b.ids) && b.ids[re.Index] == re.ID {
				bad[re.Index] = re
			}
		}
		if len(bad) == 0 {
			return s.split(ctx, b, se)
		}
		var rest []int
		for i := range b.ids {
			re, isBad := bad[i]
			if !isBad {
				rest = append(rest, i)
				continue
			}
			if err := s.quarantine(b, i, re.Code, re.Error); err != nil {
				return err
			}
		}
		if len(rest) == 0 {
			return nil
		}
		return s.pushBatch(ctx, b.subset(rest))
	case se.Status == http.StatusForbidden:
		return needsEnrolment(se)
	default:
		return s.split(ctx, b, se)
	}
}

// split handles a refusal that names no record: halves are pushed apart
// until the record at fault is alone, and then quarantined.
func (s *session) split(ctx context.Context, b *batch, se *StatusError) error {
	if len(b.ids) == 1 {
		code := se.Body.Code
		if code == "" {
			code = strconv.Itoa(se.Status)
		}
		msg := se.Body.Error
		if msg == "" {
			msg = se.Error()
		}
		return s.quarantine(b, 0, code, msg)
	}
	half := len(b.ids) / 2
	var a, c []int
	for i := range b.ids {
		if i < half {
			a = append(a, i)
		} else {
			c = append(c, i)
		}
	}
	if err := s.pushBatch(ctx, b.subset(a)); err != nil {
		return err
	}
	return s.pushBatch(ctx, b.subset(c))
}

// quarantine sets record i of b aside with the server's reason, then
// drops its outbox entries: the queue moves on.
func (s *session) quarantine(b *batch, i int, code, reason string) error {
	id := b.ids[i]
	q := Quarantined{ID: id, Kind: b.recs[i].Kind, Code: code, Reason: reason, Direction: "push", At: time.Now().UTC()}
	if err := s.putQuarantine(q); err != nil {
		return err
	}
	return s.st.Ack(b.seqs[id]...)
}

func (s *session) putQuarantine(q Quarantined) error {
	v, _ := json.Marshal(q)
	if err := s.st.SetMeta(prefixQuar+q.ID, v); err != nil {
		return err
	}
	s.quar[q.ID] = true
	s.rep.Quarantined = append(s.rep.Quarantined, q)
	return nil
}

// pullAll pulls pages until the server has nothing more, committing each
// page with its cursor. It reports whether every record was queued to be
// sent again (the server lost data).
func (s *session) pullAll(ctx context.Context) (requeued bool, err error) {
	cursor := readUint(s.st, metaCursor)
	mode := string(s.st.Meta(metaResync))
	restarts := 0
	if err := s.releaseHeld(); err != nil {
		return requeued, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return requeued, err
		}
		s.rep.Requests++
		more, err := s.api.pull(ctx, cursor, s.cfg.PageLimit, mode == resyncExpired, func(page PullResponse) error {
			if s.pullMeter == nil && page.Waiting > len(page.Records) {
				s.pullMeter = newProgressMeter("pull", page.Waiting, s.cfg.OnProgress)
			}
			if err := s.applyPage(page, &cursor, mode); err != nil {
				return err
			}
			s.pullMeter.add(len(page.Records))
			return nil
		})
		var se *StatusError
		if errors.As(err, &se) {
			switch {
			case se.Status == http.StatusGone && restarts < 2:
				restarts++
				mode = resyncExpired
				if se.Body.Code == CodeCursorAhead {
					mode = resyncAhead
					ids, err := s.st.RecordIDs()
					if err != nil {
						return requeued, err
					}
					if _, err := s.st.Requeue(ids...); err != nil {
						return requeued, err
					}
					requeued = true
				}
				if err := s.clearSeen(); err != nil {
					return requeued, err
				}
				if err := s.st.ApplyRemote(nil, map[string][]byte{metaCursor: []byte("0"), metaResync: []byte(mode)}); err != nil {
					return requeued, err
				}
				s.rep.Resync = mode
				cursor = 0
				continue
			case se.Status == http.StatusUnauthorized || se.Status == http.StatusForbidden:
				return requeued, needsEnrolment(se)
			}
		}
		if err != nil {
			return requeued, err
		}
		if !more {
			break
		}
	}
	if mode != "" {
		if err := s.finishResync(mode); err != nil {
			return requeued, err
		}
	}
	return requeued, nil
}

// applyPage commits one pulled page with its cursor: records that do not
// decode are quarantined, records out of this machine's bounds held, the
// rest merged.
func (s *session) applyPage(page PullResponse, cursor *uint64, mode string) error {
	var err error
	recs := make([]data.Record, 0, len(page.Records))
	broken := map[int]bool{}
	for _, u := range page.Bad {
		broken[u.Index] = true
		q := Quarantined{ID: fmt.Sprintf("cursor-%d-record-%d", *cursor, u.Index), Code: CodeMalformedJSON, Reason: fmt.Sprintf("record from the server does not decode: %s", u.Err), Direction: "pull", At: time.Now().UTC()}
		if err := s.putQuarantine(q); err != nil {
			return err
		}
	}
	for i, r := range page.Records {
		if !broken[i] && r.ID != "" {
			recs = append(recs, r)
		}
	}
	extra := map[string][]byte{metaCursor: []byte(strconv.FormatUint(page.Cursor, 10))}
	if recs, err = s.hold(recs, extra); err != nil {
		return err
	}
	if mode == resyncExpired {
		for _, r := range recs {
			extra[prefixSeen+r.ID] = []byte{1}
		}
	}
	if err := s.apply(recs, extra); err != nil {
		return err
	}
	s.rep.Pulled += len(recs)
	*cursor = page.Cursor
	return nil
}

// releaseFuture sends again a record the server refused as future_stamp
// once its stamps are within bounds of this machine's clock (the clock
// was set right, or data.Store.RepairFutureStamps re-stamped it at open):
// it clears the quarantine and queues the record, and reports whether it
// did.
func releaseFuture(st *data.Store, id string, q []byte) bool {
	var qq Quarantined
	if json.Unmarshal(q, &qq) != nil || qq.Code != CodeFutureStamp || qq.Direction != "push" {
		return false
	}
	recs, err := st.Records([]string{id})
	if err != nil || len(recs) != 1 || recs[0].Updated().Wall > time.Now().Add(data.MaxClockLead).UnixMilli() {
		return false
	}
	if _, err := st.Requeue(id); err != nil {
		return false
	}
	return st.DeleteMeta(prefixQuar+id) == nil
}

// hold takes out of recs the records whose stamps are out of bounds
// (data.CheckStamps) or whose schema is wrong (data.CheckWire): the
// server's own checks on pushes: they are not
// merged, so that a wrong clock elsewhere cannot drag this laptop's clock
// into the future. Each is quarantined (direction "pull") and its JSON
// kept under prefixHeld, written in extra with the page.
func (s *session) hold(recs []data.Record, extra map[string][]byte) ([]data.Record, error) {
	ok := recs[:0:0]
	now := time.Now()
	for i := range recs {
		r := &recs[i]
		err := data.CheckStamps(r, now)
		if err == nil {
			err = data.CheckWire(r)
		}
		if err == nil {
			ok = append(ok, *r)
			continue
		}
		raw, jerr := json.Marshal(r)
		if jerr != nil {
			return nil, fmt.Errorf("keep refused record %s: %w", r.ID, jerr)
		}
		extra[prefixHeld+r.ID] = raw
		code := CodeInvalidRecord
		var se *data.StampError
		if errors.As(err, &se) && se.Future {
			code = CodeFutureStamp
		}
		q := Quarantined{ID: r.ID, Kind: r.Kind, Code: code, Reason: "record from the server refused: " + err.Error(), Direction: "pull", At: now.UTC()}
		if err := s.putQuarantine(q); err != nil {
			return nil, err
		}
	}
	return ok, nil
}

// releaseHeld merges the held pulled records whose stamps are now within
// bounds (this machine's clock was behind), and clears their quarantine.
func (s *session) releaseHeld() error {
	held, err := s.st.MetaPrefix(prefixHeld)
	if err != nil {
		return err
	}
	for k, raw := range held {
		var r data.Record
		if json.Unmarshal(raw, &r) != nil || data.CheckStamps(&r, time.Now()) != nil || data.CheckWire(&r) != nil {
			continue
		}
		if err := s.st.ApplyRemote([]data.Record{r}, nil); err != nil {
			return err
		}
		if err := s.st.DeleteMeta(k, prefixQuar+r.ID); err != nil {
			return err
		}
		delete(s.quar, r.ID)
	}
	return nil
}

// apply commits a page and its cursor in one transaction. If the page
// does not apply, its records are applied one by one: those at fault are
// quarantined and the cursor moves on.
func (s *session) apply(recs []data.Record, extra map[string][]byte) error {
	err := s.st.ApplyRemote(recs, extra)
	if err == nil {
		return nil
	}
	failed := 0
	for _, r := range recs {
		if err1 := s.st.ApplyRemote([]data.Record{r}, nil); err1 != nil {
			if !recordFault(err1) {
				return err1
			}
			failed++
			q := Quarantined{ID: r.ID, Kind: r.Kind, Code: "apply_failed", Reason: err1.Error(), Direction: "pull", At: time.Now().UTC()}
			if err := s.putQuarantine(q); err != nil {
				return err
			}
		}
	}
	if failed == 0 {
		return err
	}
	return s.st.ApplyRemote(nil, extra)
}

// recordFault reports whether an ApplyRemote error is the record's
// fault, not the disk's.
func recordFault(err error) bool {
	msg := err.Error()
	return errors.Is(err, data.ErrOtherCommune) || strings.Contains(msg, "decode record") || strings.Contains(msg, "unknown kind")
}

func (s *session) clearSeen() error {
	seen, err := s.st.MetaPrefix(prefixSeen)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	return s.st.DeleteMeta(keys...)
}

// finishResync ends a full resync. After an expired cursor, the local
// records the server no longer has (their deletion was purged while this
// laptop was away), that wait in no queue, go to this laptop's trash.
func (s *session) finishResync(mode string) error {
	if mode == resyncExpired {
		seen, err := s.st.MetaPrefix(prefixSeen)
		if err != nil {
			return err
		}
		ids, err := s.st.RecordIDs()
		if err != nil {
			return err
		}
		pending := map[string]bool{}
		entries, err := s.st.Outbox(0, 0)
		if err != nil {
			return err
		}
		for _, e := range entries {
			pending[e.Record] = true
		}
		var gone []string
		for _, id := range ids {
			if seen[prefixSeen+id] == nil && !pending[id] && !s.quar[id] {
				gone = append(gone, id)
			}
		}
		sort.Strings(gone)
		if _, err := s.st.TrashLocal(gone...); err != nil {
			return err
		}
		if err := s.clearSeen(); err != nil {
			return err
		}
	}
	return s.st.DeleteMeta(metaResync)
}

// RunOnce syncs store once with its enrolled server, the same way the
// background worker does, and prints what it pushed, pulled and
// quarantined to out. It is the code path of `danvan sync --once`.
func RunOnce(ctx context.Context, store *data.Store, out io.Writer) (Report, error) {
	cfg := Config{}.withDefaults()
	tr := newTransports(cfg.StallTimeout)
	defer tr.closeIdle()
	rep, err := syncOnce(ctx, store, cfg, tr, "once")
	if out != nil {
		fmt.Fprintf(out, "pushed %d, pulled %d, quarantined %d (sent %s, received %s, %d requests, %s)\n",
			rep.Pushed, rep.Pulled, len(rep.Quarantined), humanBytes(rep.Sent), humanBytes(rep.Received), rep.Requests, rep.Duration.Round(time.Millisecond))
		if rep.Resync != "" {
			fmt.Fprintf(out, "full resync (%s)\n", rep.Resync)
		}
		for _, q := range rep.Quarantined {
			fmt.Fprintf(out, "quarantined %s %s: %s: %s\n", q.Kind, q.ID, q.Code, q.Reason)
		}
		if err != nil {
			fmt.Fprintf(out, "sync failed: %v\n", err)
		}
	}
	return rep, err
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Retryable reports whether a failed sync is worth trying again soon: a
// dropped or refused connection, a 5xx, 408 or 429. Enrolment problems
// and refusals of the laptop's requests are not.
func Retryable(err error) bool {
	var ne *NetError
	var se *StatusError
	switch {
	case err == nil, errors.Is(err, ErrNotEnrolled), errors.Is(err, ErrNeedsEnrolment):
		return false
	case errors.As(err, &ne):
		return true
	case errors.As(err, &se):
		return se.transient()
	}
	return false
}

// RunRetrying syncs like RunOnce and, while the failure is Retryable,
// tries again with exponential backoff and full jitter (from 1 s, capped
// at 30 s) until budget has passed since the start. Each attempt keeps
// what the previous ones sent and received, so the report adds them up.
// It returns the number of attempts made and the last error. progress, if
// not nil, receives the progress of every attempt.
func RunRetrying(ctx context.Context, store *data.Store, budget time.Duration, progress func(Progress)) (Report, int, error) {
	cfg := Config{OnProgress: progress}.withDefaults()
	tr := newTransports(cfg.StallTimeout)
	defer tr.closeIdle()
	deadline := time.Now().Add(budget)
	var total Report
	bound := time.Second
	for n := 1; ; n++ {
		rep, err := syncOnce(ctx, store, cfg, tr, "once")
		total.Pushed += rep.Pushed
		total.Pulled += rep.Pulled
		total.Quarantined = append(total.Quarantined, rep.Quarantined...)
		total.Sent += rep.Sent
		total.Received += rep.Received
		total.Requests += rep.Requests
		total.Duration += rep.Duration
		total.Cursor, total.ClockSkew = rep.Cursor, rep.ClockSkew
		if rep.Resync != "" {
			total.Resync = rep.Resync
		}
		if !Retryable(err) {
			return total, n, err
		}
		wait := time.Duration(rand.Int64N(int64(bound) + 1))
		if time.Now().Add(wait).After(deadline) {
			return total, n, err
		}
		select {
		case <-ctx.Done():
			return total, n, err
		case <-time.After(wait):
		}
		bound = min(2*bound, 30*time.Second)
	}
}
