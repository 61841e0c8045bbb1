// Package province is the provincial Ban's read-only window onto its
// communes' synced records: web pages under /province/ on danvan-server,
// with their sign-in, roles and audit. Every figure on them is computed by
// the laptop's own report code (package report, data.Store.StatsMany) over
// an in-memory copy of the commune's records, so a commune's printout and
// the province's page agree.
package province

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
	stdsync "sync"
	"time"

	"danvan/data"
	"danvan/report"
	dsync "danvan/sync"
)

// applyBytes bounds the record JSON that goes into one transaction of a
// commune's in-memory copy (its writes are a few times that size).
const applyBytes = 64 << 10

// View keeps an in-memory data.Store per commune, brought up to date from
// the server's storage by pulling what changed since it last looked. It is
// safe for concurrent use.
type View struct {
	st dsync.Storage
	// Fresh is how long a commune's copy is used without asking the
	// storage for changes (1 s by default; 0 asks every time).
	Fresh time.Duration

	mu       stdsync.Mutex
	communes map[string]*communeView
	listed   time.Time
	codes    []string
}

// NewView returns a view over st.
func NewView(st dsync.Storage) *View {
	return &View{st: st, Fresh: time.Second, communes: map[string]*communeView{}}
}

// communeView is one commune's copy and the figures computed from it.
type communeView struct {
	mu      stdsync.Mutex
	code    string
	store   *data.Store
	cursor  uint64
	checked time.Time
	version int // bumped whenever a pull changed the copy
	figs    map[string]*report.CommuneReport
	figsVer int
}

// Close releases every commune's copy.
func (v *View) Close() {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, cv := range v.communes {
		cv.mu.Lock()
		if cv.store != nil {
			_ = cv.store.Close()
			cv.store = nil
		}
		cv.mu.Unlock()
	}
	v.communes = map[string]*communeView{}
}

// Communes returns the codes of the communes that have records on the
// server, in code order. The list is re-read at most every 5 s.
func (v *View) Communes(ctx context.Context) ([]string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.codes != nil && time.Since(v.listed) < 5*time.Second {
		return v.codes, nil
	}
	counts, err := v.st.Stats(ctx)
	if err != nil {
		return nil, fmt.Errorf("list communes: %w", err)
	}
	codes := make([]string, 0, len(counts))
	for c := range counts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	v.codes, v.listed = codes, time.Now()
	return codes, nil
}

func (v *View) commune(code string) *communeView {
	v.mu.Lock()
	defer v.mu.Unlock()
	cv := v.communes[code]
	if cv == nil {
		cv = &communeView{code: code}
		v.communes[code] = cv
	}
	return cv
}

// With runs f on the up-to-date copy of commune code's records. f must
// not keep the store: it stays the view's.
func (v *View) With(ctx context.Context, code string, f func(s *data.Store) error) error {
	cv := v.commune(code)
	cv.mu.Lock()
	defer cv.mu.Unlock()
	if err := v.refresh(ctx, cv); err != nil {
		return err
	}
	return f(cv.store)
}

// Report returns commune code's periodic report for p, as the laptop
// gathers it (report.NewCommuneReport: locked figures for a period whose
// report was sent upward), computed once per change of the commune's
// records.
func (v *View) Report(ctx context.Context, code string, p report.Period, o report.Options) (*report.CommuneReport, error) {
	cv := v.commune(code)
	cv.mu.Lock()
	defer cv.mu.Unlock()
	if err := v.refresh(ctx, cv); err != nil {
		return nil, err
	}
	if cv.figsVer != cv.version || cv.figs == nil {
		cv.figs, cv.figsVer = map[string]*report.CommuneReport{}, cv.version
	}
	key := p.String() + "|" + string(o.Lang) + "|" + o.Now.Format(time.DateOnly)
	if r, ok := cv.figs[key]; ok {
		return r, nil
	}
	r, err := report.NewCommuneReport(cv.store, p, nil, o)
	if err != nil {
		return nil, fmt.Errorf("commune %s: %w", code, err)
	}
	cv.figs[key] = r
	return r, nil
}

// Warm builds every commune's copy in the background at start, a few at
// a time, so that the first user does not wait for them; it returns when
// all are built or ctx ends, having logged how long it took.
func (v *View) Warm(ctx context.Context, log *slog.Logger) {
	start := time.Now()
	codes, err := v.Communes(ctx)
	if err != nil {
		log.Error("province pages: list communes", "err", err.Error())
		return
	}
	err = v.each(ctx, codes, func(code string) error {
		return v.With(ctx, code, func(*data.Store) error { return nil })
	})
	if err != nil {
		log.Error("province pages: build the communes' copies", "err", err.Error())
		return
	}
	log.Info("province pages ready", "communes", len(codes), "took", time.Since(start).Round(time.Millisecond).String())
}

// each runs f for every code, on as many goroutines as there are CPUs,
// and returns the first error.
func (v *View) each(ctx context.Context, codes []string, f func(code string) error) error {
	next := make(chan string)
	errs := make(chan error, 1)
	var wg stdsync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for code := range next {
				if err := f(code); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, c := range codes {
		if ctx.Err() != nil {
			break
		}
		next <- c
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return ctx.Err()
	}
}

// refresh brings cv's copy up to date; cv.mu is held.
func (v *View) refresh(ctx context.Context, cv *communeView) error {
	if cv.store != nil && v.Fresh > 0 && time.Since(cv.checked) < v.Fresh {
		return nil
	}
	if cv.store == nil {
		s, err := data.OpenMemory(cv.code, data.Options{Actor: "province"})
		if err != nil {
			return err
		}
		cv.store, cv.cursor = s, 0
	}
	for {
		page, err := v.st.Pull(ctx, dsync.PullRequest{Commune: cv.code, Since: cv.cursor, Limit: dsync.DefaultPageLimit, MaxBytes: dsync.DefaultPageBytes})
		if errors.Is(err, dsync.ErrCursorExpired) {
			// Tombstones were purged since: start the copy again.
			_ = cv.store.Close()
			cv.store = nil
			return v.refresh(ctx, cv)
		}
		if err != nil {
			return fmt.Errorf("read commune %s from the server's storage: %w", cv.code, err)
		}
		if len(page.Records) > 0 {
			recs := make([]data.Record, len(page.Records))
			for i, js := range page.Records {
				if err := json.Unmarshal(js, &recs[i]); err != nil {
					return fmt.Errorf("read commune %s: record %d of a page: %w", cv.code, i, err)
				}
			}
			// Small transactions: the copy's memtables are small.
			for lo := 0; lo < len(recs); {
				hi, size := lo, 0
				for hi < len(recs) && (hi == lo || size+len(page.Records[hi]) <= applyBytes) {
					size += len(page.Records[hi])
					hi++
				}
				if err := cv.store.ApplyRemote(recs[lo:hi], nil); err != nil {
					return fmt.Errorf("read commune %s: %w", cv.code, err)
				}
				lo = hi
			}
			cv.version++
		}
		cv.cursor = max(cv.cursor, page.Cursor)
		if !page.More {
			break
		}
	}
	cv.checked = time.Now()
	return nil
}
