package sync

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sort"
	"strconv"
	stdsync "sync"
	"time"

	"danvan/data"
)

// Config tunes the sync worker. Zero fields take the defaults.
type Config struct {
	// ProbeInterval is how often the server's health is probed while
	// offline (60 s).
	ProbeInterval time.Duration
	// Debounce is how soon after a save the worker pushes while online (3 s).
	Debounce time.Duration
	// PollInterval is how often the worker pulls while online with
	// nothing to send (5 min).
	PollInterval time.Duration
	// BaseBackoff and MaxBackoff bound the exponential backoff with full
	// jitter after a failed sync (5 s, 10 min).
	BaseBackoff time.Duration
	// MaxBackoff caps the wait between retries (10 min).
	MaxBackoff time.Duration
	// StallTimeout gives up on an exchange that moves no byte for this
	// long (45 s).
	StallTimeout time.Duration
	// BatchBytes is the compressed size a push batch aims at (48 KB).
	BatchBytes int
	// PageLimit is the most records asked for per pull page (1000).
	PageLimit int
	// Logger receives the worker's own log lines (never record content);
	// nil discards.
	Logger *slog.Logger
	// OnProgress, if not nil, is called as a sync moves records (after
	// every push batch and pull page); the Worker sets it to update
	// Status.Progress.
	OnProgress func(Progress)
}

// Progress is how far the sync in progress has come.
type Progress struct {
	// Phase is "push" or "pull" ("" when no sync moves records).
	Phase string
	// Done counts the records moved so far in this phase; Total is how
	// many there are to move (0 when unknown; for a pull, the server's
	// count of changes waiting, which may include a few this laptop has).
	Done, Total int
	// Left is the time left, estimated from the rate so far (0 when
	// unknown).
	Left time.Duration
}

// progressMeter estimates the time left of one phase.
type progressMeter struct {
	phase string
	start time.Time
	total int
	done  int
	emit  func(Progress)
}

func newProgressMeter(phase string, total int, emit func(Progress)) *progressMeter {
	return &progressMeter{phase: phase, start: time.Now(), total: total, emit: emit}
}

// add counts n more records moved and reports the progress.
func (m *progressMeter) add(n int) {
	if m == nil || m.emit == nil {
		return
	}
	m.done += n
	p := Progress{Phase: m.phase, Done: m.done, Total: max(m.total, m.done)}
	if m.done > 0 && m.total > m.done {
		el := time.Since(m.start)
		p.Left = time.Duration(float64(el) / float64(m.done) * float64(m.total-m.done)).Round(time.Millisecond)
	}
	m.emit(p)
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.ProbeInterval, 60*time.Second)
	def(&c.Debounce, 3*time.Second)
	def(&c.PollInterval, 5*time.Minute)
	def(&c.BaseBackoff, 5*time.Second)
	def(&c.MaxBackoff, 10*time.Minute)
	def(&c.StallTimeout, 45*time.Second)
	if c.BatchBytes <= 0 {
		c.BatchBytes = DefaultBatchBytes
	}
	if c.PageLimit <= 0 {
		c.PageLimit = DefaultPageLimit
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// EnrolState is whether the laptop may sync.
type EnrolState string

// The enrolment states.
const (
	// NotEnrolled: no server or token yet.
	NotEnrolled EnrolState = "not_enrolled"
	// Enrolled: the laptop has a token the server accepted last time.
	Enrolled EnrolState = "enrolled"
	// NeedsEnrolment: the server refused the token (revoked): the cadre
	// must enroll again; nothing local is lost meanwhile.
	NeedsEnrolment EnrolState = "needs_enrolment"
)

// Status is a snapshot of the sync state, for the Đồng bộ screen and the
// dashboard line.
type Status struct {
	// Server is the enrolled server's address ("" when not enrolled).
	Server string
	// Enrolment says whether the laptop may sync; Label and Commune are
	// the enrolment's label and commune.
	Enrolment EnrolState
	// Label is the enrolment's label ("Cán bộ A").
	Label string
	// Commune is the store's commune code.
	Commune string
	// Online is true after the last exchange with the server worked.
	Online bool
	// Syncing is true while a sync runs.
	Syncing bool
	// LastSuccess is when the last sync that worked started (zero if never).
	LastSuccess time.Time
	// LastError is why the last sync failed ("" if it worked).
	LastError string
	// NextAttempt is when the worker will try next (zero: only on demand).
	NextAttempt time.Time
	// Pending counts the changes waiting to be sent.
	Pending int
	// Conflicts counts records with review conflicts (the Xung đột view).
	Conflicts int
	// Quarantined lists the records refused for good, with the reasons.
	Quarantined []Quarantined
	// Log holds the last LogSize sync attempts, newest first.
	Log []Attempt
	// ClockSkew is the server's clock minus this machine's at the last
	// exchange (0 before any); ClockWrong is true beyond ClockWarnSkew.
	ClockSkew  time.Duration
	ClockWrong bool
	// Progress is how far the sync in progress has come (zero when idle).
	Progress Progress
}

// Worker syncs a store in the background: soon after every save while
// online, every ProbeInterval while offline (by probing health first), on
// SyncNow, and every PollInterval while online. Failed syncs are retried
// with exponential backoff and full jitter, forever, except when the
// server refuses the token. No method blocks on the network.
type Worker struct {
	store *data.Store
	cfg   Config
	tr    *transports

	kick  chan string   // SyncNow and enrolment
	saved chan struct{} // the store committed a change

	mu        stdsync.Mutex
	st        Status
	listeners []func(Status)
	cancel    context.CancelFunc
	done      chan struct{}
}

// NewWorker returns a worker for store; call Start to run it.
func NewWorker(store *data.Store, cfg Config) *Worker {
	cfg = cfg.withDefaults()
	w := &Worker{store: store, cfg: cfg, tr: newTransports(cfg.StallTimeout),
		kick: make(chan string, 1), saved: make(chan struct{}, 1)}
	user := cfg.OnProgress
	w.cfg.OnProgress = func(p Progress) {
		w.refresh(func(s *Status) { s.Progress = p })
		if user != nil {
			user(p)
		}
	}
	store.OnWrite(func() {
		select {
		case w.saved <- struct{}{}:
		default:
		}
	})
	w.refresh(func(*Status) {})
	return w
}

// OnChange registers f to be called with the new status after every
// change, from the worker's goroutine (a Fyne UI wraps its update in
// fyne.Do).
func (w *Worker) OnChange(f func(Status)) {
	w.mu.Lock()
	w.listeners = append(w.listeners, f)
	w.mu.Unlock()
}

// Status returns a snapshot of the sync state. It does not block on the
// network or on a running sync.
func (w *Worker) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.st
	s.Quarantined = append([]Quarantined(nil), s.Quarantined...)
	s.Log = append([]Attempt(nil), s.Log...)
	return s
}

// refresh re-reads the persisted state, applies f, and notifies.
func (w *Worker) refresh(f func(*Status)) {
	st := w.store
	pending := st.Pending()
	conflicts := len(st.Conflicted())
	var quar []Quarantined
	if m, err := st.MetaPrefix(prefixQuar); err == nil {
		for _, v := range m {
			var q Quarantined
			if json.Unmarshal(v, &q) == nil {
				quar = append(quar, q)
			}
		}
	}
	sort.Slice(quar, func(i, j int) bool { return quar[i].At.After(quar[j].At) })
	log := readLog(st)
	skewMs, _ := strconv.ParseInt(string(st.Meta(metaClockSkew)), 10, 64)
	skew := time.Duration(skewMs) * time.Millisecond
	var last time.Time
	if b := st.Meta(metaLastSuccess); b != nil {
		last, _ = time.Parse(time.RFC3339Nano, string(b))
	}
	enrol := NotEnrolled
	if len(st.Meta(metaToken)) > 0 {
		enrol = Enrolled
		if len(st.Meta(metaRevoked)) > 0 {
			enrol = NeedsEnrolment
		}
	}
	w.mu.Lock()
	s := &w.st
	s.Server, s.Label, s.Commune = string(st.Meta(metaServer)), string(st.Meta(metaLabel)), st.Commune()
	s.Enrolment, s.Pending, s.Conflicts, s.Quarantined, s.Log, s.LastSuccess = enrol, pending, conflicts, quar, log, last
	s.ClockSkew, s.ClockWrong = skew, skew > ClockWarnSkew || skew < -ClockWarnSkew
	f(s)
	snap := *s
	ls := append([]func(Status){}, w.listeners...)
	w.mu.Unlock()
	for _, l := range ls {
		l(snap)
	}
}

// Start runs the worker until Stop or until ctx ends. It returns at once.
func (w *Worker) Start(ctx context.Context) {
	w.mu.Lock()
	if w.cancel != nil {
		w.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	w.cancel = cancel
	w.done = make(chan struct{})
	done := w.done
	w.mu.Unlock()
	go w.loop(ctx, done)
}

// Stop stops the worker and waits for it: a sync in progress is
// cancelled; what it committed stays committed, and a page or batch in
// flight is simply sent again next time.
func (w *Worker) Stop() {
	w.mu.Lock()
	cancel, done := w.cancel, w.done
	w.cancel = nil
	w.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
	w.tr.closeIdle()
}

// SyncNow asks for a sync as soon as possible ("Sync now"). It returns
// at once.
func (w *Worker) SyncNow() {
	select {
	case w.kick <- "now":
	default:
	}
}

// Enroll exchanges an enrolment code for a device token (see Enroll),
// then syncs.
func (w *Worker) Enroll(ctx context.Context, serverURL, code string) (EnrollResult, error) {
	e, err := Enroll(ctx, w.store, serverURL, code)
	w.refresh(func(s *Status) {
		if err == nil {
			s.LastError = ""
		}
	})
	if err == nil {
		select {
		case w.kick <- "enrolled":
		default:
		}
	}
	return e, err
}

// backoff returns the wait before retry number n (1-based): full jitter
// over an exponential bound capped at MaxBackoff.
func (w *Worker) backoff(n int) time.Duration {
	bound := w.cfg.BaseBackoff
	for i := 1; i < n && bound < w.cfg.MaxBackoff; i++ {
		bound *= 2
	}
	bound = min(bound, w.cfg.MaxBackoff)
	return time.Duration(rand.Int64N(int64(bound) + 1))
}

func (w *Worker) loop(ctx context.Context, done chan struct{}) {
	defer close(done)
	log := w.cfg.Logger
	online := false
	failures := 0
	timer := time.NewTimer(0) // first: sync at start
	defer timer.Stop()
	next := time.Now()
	trigger := "start"
	schedule := func(d time.Duration, why string) {
		if d < 0 {
			next = time.Time{}
			timer.Stop()
			w.refresh(func(s *Status) { s.NextAttempt = time.Time{} })
			return
		}
		next = time.Now().Add(d)
		trigger = why
		timer.Reset(d)
		w.refresh(func(s *Status) { s.NextAttempt = next })
	}
	for {
		select {
		case <-ctx.Done():
			return
		case why := <-w.kick:
			trigger = why
		case <-w.saved:
			w.refresh(func(*Status) {})
			if online && w.store.Pending() > 0 {
				if d := w.cfg.Debounce; next.IsZero() || time.Until(next) > d {
					schedule(d, "save")
				}
			}
			continue
		case <-timer.C:
		}
		if !online && trigger == "probe" {
			if !w.probe(ctx) {
				schedule(w.cfg.ProbeInterval, "probe")
				continue
			}
		}
		w.refresh(func(s *Status) { s.Syncing = true; s.NextAttempt = time.Time{} })
		rep, err := syncOnce(ctx, w.store, w.cfg, w.tr, trigger)
		w.refresh(func(s *Status) { s.Progress = Progress{} })
		if ctx.Err() != nil {
			w.refresh(func(s *Status) { s.Syncing = false })
			return
		}
		var ne *NetError
		switch {
		case err == nil:
			online, failures = true, 0
			log.Info("sync done", "pushed", rep.Pushed, "pulled", rep.Pulled, "quarantined", len(rep.Quarantined), "sent", rep.Sent, "received", rep.Received)
			w.refresh(func(s *Status) { s.Syncing, s.Online, s.LastError = false, true, "" })
			if w.store.Pending() > 0 {
				schedule(w.cfg.Debounce, "save")
			} else {
				schedule(w.cfg.PollInterval, "poll")
			}
		case errors.Is(err, ErrNotEnrolled), errors.Is(err, ErrNeedsEnrolment):
			online = false
			log.Warn("sync needs enrolment", "err", err.Error())
			w.refresh(func(s *Status) { s.Syncing, s.Online, s.LastError = false, false, err.Error() })
			schedule(-1, "")
		case errors.As(err, &ne) && ne.Offline:
			online, failures = false, 0
			log.Info("server unreachable", "err", err.Error())
			w.refresh(func(s *Status) { s.Syncing, s.Online, s.LastError = false, false, err.Error() })
			schedule(w.cfg.ProbeInterval, "probe")
		default:
			failures++
			d := w.backoff(failures)
			log.Warn("sync failed", "err", err.Error(), "retry_in", d.String())
			w.refresh(func(s *Status) {
				s.Syncing, s.LastError = false, err.Error()
				s.Online = errors.As(err, new(*StatusError))
			})
			schedule(d, "retry")
		}
	}
}

// probe asks the server's health endpoint; it reports whether it answered.
func (w *Worker) probe(ctx context.Context) bool {
	base := string(w.store.Meta(metaServer))
	if base == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := w.tr.client(base, "").health(ctx)
	return err == nil
}

// EnrollResult describes a successful enrolment.
type EnrollResult struct {
	// Server is the normalised server address.
	Server string
	// Commune is the commune the token is bound to.
	Commune string
	// Label is the admin's label of the enrolment.
	Label string
	// DeviceID is the server's id of this laptop (what the admin revokes).
	DeviceID string
}

// Enroll exchanges a one-time enrolment code from the provincial admin
// for a device token, and keeps the token, the server address and the
// commune in the store's encrypted settings. A store with no commune yet
// is bound to the code's commune; a code for another commune than the
// store's is refused before it is used up. Enrolling again (after a
// revocation) keeps every local record and the outbox; enrolling with
// another server queues every record to be sent to it.
func Enroll(ctx context.Context, store *data.Store, serverURL, code string) (EnrollResult, error) {
	base, err := normalizeServerURL(serverURL)
	if err != nil {
		return EnrollResult{}, err
	}
	tr := newTransports(45 * time.Second)
	defer tr.closeIdle()
	resp, err := tr.client(base, "").enroll(ctx, EnrollRequest{Code: code, Device: store.Device(), Commune: store.Commune()})
	if err != nil {
		return EnrollResult{}, err
	}
	if store.Commune() == "" {
		if err := store.SetCommune(resp.Commune); err != nil {
			return EnrollResult{}, err
		}
	} else if store.Commune() != resp.Commune {
		return EnrollResult{}, errors.New("enroll: server bound the token to commune " + resp.Commune + ", store is " + store.Commune())
	}
	unlock := lockStore(store)
	defer unlock()
	meta := map[string][]byte{
		metaServer: []byte(base), metaToken: []byte(resp.Token), metaDeviceID: []byte(resp.DeviceID),
		metaServerID: []byte(resp.ServerID), metaLabel: []byte(resp.Label),
		metaEnrolled: []byte(time.Now().UTC().Format(time.RFC3339)),
	}
	prevServer := string(store.Meta(metaServerID))
	if prevServer != "" && prevServer != resp.ServerID {
		// another server: its sequence means nothing here, and it has
		// none of our records
		meta[metaCursor] = []byte("0")
		ids, err := store.RecordIDs()
		if err != nil {
			return EnrollResult{}, err
		}
		if _, err := store.Requeue(ids...); err != nil {
			return EnrollResult{}, err
		}
	}
	if err := store.ApplyRemote(nil, meta); err != nil {
		return EnrollResult{}, err
	}
	if err := store.DeleteMeta(metaRevoked, metaResync); err != nil {
		return EnrollResult{}, err
	}
	return EnrollResult{Server: base, Commune: resp.Commune, Label: resp.Label, DeviceID: resp.DeviceID}, nil
}

// Requeue sends quarantined records again at the next sync (after the
// cause was fixed on the server, say), and takes them out of quarantine.
func Requeue(store *data.Store, ids ...string) error {
	if _, err := store.Requeue(ids...); err != nil {
		return err
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = prefixQuar + id
	}
	return store.DeleteMeta(keys...)
}
