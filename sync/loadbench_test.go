package sync

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"danvan/data"
)

// loadResult is one round of BenchmarkLoadBackends on one backend.
type loadResult struct {
	errors int
	p50    time.Duration
	p99    time.Duration
	took   time.Duration
	rate   float64 // records stored per second
}

// BenchmarkLoadBackends: 1,000 devices push 100 records each, all at
// once, each over its own connection, to a real server on 127.0.0.1,
// once on the Badger store and once on PostgreSQL (DANVAN_TEST_PG; make
// bench-sync starts one). Three rounds each, alternating backends; the
// table shows the median round of each (by p99 and by throughput) side
// by side. Target: no errors, and every record stored.
func BenchmarkLoadBackends(b *testing.B) {
	const devices, per, nRounds = 1000, 100, 3
	dsnBase := os.Getenv("DANVAN_TEST_PG")
	// The records: made once on a laptop, then given new ids per device.
	ts := startServer(b)
	src := benchLaptop(b, ts, per)
	ids, _ := src.RecordIDs()
	recs, err := src.Records(ids)
	if err != nil {
		b.Fatal(err)
	}
	ts.stop()
	backends := []string{"badger"}
	if dsnBase != "" {
		backends = append(backends, "postgres")
	} else {
		b.Log("DANVAN_TEST_PG is not set: the PostgreSQL half is skipped (make bench-sync starts a cluster)")
	}
	results := map[string][]loadResult{}
	for i := 0; i < b.N; i++ {
		for r := 0; r < nRounds; r++ {
			for _, be := range backends {
				b.StopTimer()
				var st Storage
				if be == "badger" {
					st, err = OpenBadgerStorageKey(filepath.Join(b.TempDir(), "server"), nil, newRandom(ServerKeyLen))
				} else {
					st, err = OpenPGStorage(context.Background(), pgTestDSN(b), nil, newRandom(ServerKeyLen))
				}
				if err != nil {
					b.Fatal(err)
				}
				res := loadRound(b, st, recs, devices, per)
				if err := st.Close(); err != nil {
					b.Fatal(err)
				}
				b.Logf("%s round %d: %d errors, p50 %d ms, p99 %d ms, all in %d ms, %.0f records/s", be, r+1,
					res.errors, res.p50.Milliseconds(), res.p99.Milliseconds(), res.took.Milliseconds(), res.rate)
				results[be] = append(results[be], res)
			}
		}
	}
	for _, be := range backends {
		rs := results[be]
		nerr := 0
		var p99s []time.Duration
		var rates []float64
		var all []string
		for _, r := range rs {
			nerr += r.errors
			p99s = append(p99s, r.p99)
			rates = append(rates, r.rate)
			all = append(all, fmt.Sprintf("%d ms / %.0f/s", r.p99.Milliseconds(), r.rate))
		}
		sort.Slice(p99s, func(x, y int) bool { return p99s[x] < p99s[y] })
		sort.Float64s(rates)
		p99, rate := p99s[len(p99s)/2], rates[len(rates)/2]
		b.ReportMetric(float64(p99.Milliseconds()), be+"_p99_ms")
		b.ReportMetric(rate, be+"_records/s")
		b.ReportMetric(float64(nerr), be+"_errors")
		tableRow(fmt.Sprintf("1,000 devices × 100 records at once, %s (median of %d)", be, len(rs)),
			fmt.Sprintf("%d errors; p99 %d ms, %.0f records/s (rounds p99 / rate: %s)", nerr, p99.Milliseconds(), rate, strings.Join(all, ", ")),
			"0 errors", nerr == 0)
	}
}

// loadRound enrols devices on st directly, serves st, and has every
// device push per records at once.
func loadRound(b *testing.B, st Storage, recs []data.Record, devices, per int) loadResult {
	b.Helper()
	ctx := context.Background()
	url, stop := startStorageServer(b, st)
	defer stop()
	type dev struct {
		tr   *transports
		api  *apiClient
		body []byte
	}
	devs := make([]dev, devices)
	for d := range devs {
		token := base64.RawURLEncoding.EncodeToString(newRandom(32))
		th := sha256.Sum256([]byte(token))
		if err := st.AddDevice(ctx, Device{ID: data.NewID(), Label: fmt.Sprintf("máy %d", d), Role: RoleCommune, Commune: dakLong,
			TokenHash: th[:], Enrolled: time.Now().UTC()}); err != nil {
			b.Fatal(err)
		}
		w := newBatchWriter(dakLong)
		for _, r := range recs {
			r.ID = data.NewID()
			w.add(w.enc.record(&r, data.HLC{}))
		}
		body, _ := w.finish()
		tr := newTransports(2 * time.Minute)
		devs[d] = dev{tr: tr, api: tr.client(url, token), body: body}
	}
	lat := make([]time.Duration, devices)
	errs := make([]error, devices)
	var wg stdsync.WaitGroup
	gate := make(chan struct{})
	for d := range devs {
		wg.Go(func() {
			<-gate
			t0 := time.Now()
			_, errs[d] = devs[d].api.push(ctx, data.NewID(), devs[d].body, nil)
			lat[d] = time.Since(t0)
		})
	}
	b.StartTimer()
	start := time.Now()
	close(gate)
	wg.Wait()
	took := time.Since(start)
	b.StopTimer()
	res := loadResult{took: took, rate: float64(devices*per) / took.Seconds()}
	for _, err := range errs {
		if err != nil {
			if res.errors < 5 {
				b.Logf("push error: %v", err)
			}
			res.errors++
		}
	}
	sort.Slice(lat, func(x, y int) bool { return lat[x] < lat[y] })
	res.p50, res.p99 = lat[devices/2], lat[devices*99/100-1]
	n, err := st.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if res.errors == 0 && n[dakLong] != devices*len(recs) {
		b.Fatalf("server holds %d records, want %d", n[dakLong], devices*len(recs))
	}
	for _, d := range devs {
		d.tr.closeIdle()
	}
	return res
}
