package sync

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"danvan/data"
)

// The benchmarks of issue 4. Run them with `make bench-sync`, which
// prints a Markdown table of measured against target; each runs once
// (-benchtime 1x): they are measurements, not micro-benchmarks.

// tableRow prints one row of the bench-sync table when the make target
// asks for it (DANVAN_BENCH_TABLE=1).
func tableRow(what, measured, target string, ok bool) {
	if os.Getenv("DANVAN_BENCH_TABLE") == "" {
		return
	}
	mark := "✅"
	if !ok {
		mark = "❌"
	}
	fmt.Printf("| %s | %s | %s | %s |\n", what, measured, target, mark)
}

// benchLaptop makes a laptop with n records (households over 20
// villages) enrolled with ts.
func benchLaptop(b *testing.B, ts *testServer, n int) *data.Store {
	b.Helper()
	st := enrolledLaptop(b, ts, dakLong)
	seedHouseholds(b, st, seedVillages(b, st, 20), n-20)
	return st
}

// rounds is how many times the CPU-bound benchmarks repeat inside one
// run; the table shows the median round (the machine may be busy with
// other work) and every round.
const rounds = 3

// BenchmarkServerIngest: one client pushes 10,000 records to the server
// on loopback. Target: at least 10,000 records/s.
func BenchmarkServerIngest(b *testing.B) {
	const n = 10000
	var rates []float64
	var all []string
	for i := 0; i < b.N*rounds; i++ {
		b.StopTimer()
		ts := startServer(b)
		st := benchLaptop(b, ts, n)
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		rep, err := RunOnce(context.Background(), st, nil)
		took, cpu := time.Since(start), cpuTime()-cpu0
		b.StopTimer()
		if err != nil || rep.Pushed != n {
			b.Fatalf("sync: %+v %v", rep, err)
		}
		rate := n / took.Seconds()
		rates = append(rates, rate)
		all = append(all, fmt.Sprintf("%.0f/s (%d ms CPU)", rate, cpu.Milliseconds()))
		ts.stop()
	}
	med := median(rates)
	b.ReportMetric(med, "records/s")
	tableRow("server ingest, one client, loopback (client and server in one process)",
		fmt.Sprintf("%.0f records/s, median of %d: %s", med, len(all), strings.Join(all, ", ")), "≥ 10,000 records/s", med >= 10000)
}

// BenchmarkManyDevices: 200 enrolled devices push a batch of 100
// records each, all at once, each over its own connection. Targets: no
// errors, p99 ≤ 1 s per batch.
func BenchmarkManyDevices(b *testing.B) {
	const devices, per = 200, 100
	var p99s []float64
	var all []string
	totalErr := 0
	for i := 0; i < b.N*rounds; i++ {
		b.StopTimer()
		ts := startServer(b)
		// the records: made once on a laptop, then given new ids per device
		src := benchLaptop(b, ts, per)
		ids, _ := src.RecordIDs()
		recs, _ := src.Records(ids)
		type dev struct {
			api  *apiClient
			body []byte
		}
		devs := make([]dev, devices)
		for d := range devs {
			st := openStore(b)
			if _, err := Enroll(context.Background(), st, ts.URL, ts.code(dakLong, fmt.Sprintf("máy %d", d))); err != nil {
				b.Fatal(err)
			}
			w := newBatchWriter(dakLong)
			for _, r := range recs {
				r.ID = data.NewID()
				w.add(w.enc.record(&r, data.HLC{}))
			}
			body, _ := w.finish()
			devs[d] = dev{api: newTransports(time.Minute).client(ts.URL, tokenOf(st)), body: body}
			st.Close()
		}
		lat := make([]time.Duration, devices)
		errs := make([]error, devices)
		var wg stdsync.WaitGroup
		startGate := make(chan struct{})
		for d := range devs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-startGate
				t0 := time.Now()
				_, errs[d] = devs[d].api.push(context.Background(), data.NewID(), devs[d].body, nil)
				lat[d] = time.Since(t0)
			}()
		}
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		close(startGate)
		wg.Wait()
		took, cpu := time.Since(start), cpuTime()-cpu0
		b.StopTimer()
		nerr := 0
		for _, err := range errs {
			if err != nil {
				nerr++
				b.Logf("push error: %v", err)
			}
		}
		totalErr += nerr
		sort.Slice(lat, func(x, y int) bool { return lat[x] < lat[y] })
		p50, p99 := lat[devices/2], lat[devices*99/100-1]
		if got := ts.count(dakLong); got != devices*per && nerr == 0 {
			b.Fatalf("server holds %d records, want %d", got, devices*per)
		}
		p99s = append(p99s, float64(p99))
		all = append(all, fmt.Sprintf("p50 %d / p99 %d ms, all in %d ms, %d ms CPU", p50.Milliseconds(), p99.Milliseconds(), took.Milliseconds(), cpu.Milliseconds()))
		ts.stop()
	}
	medP99 := time.Duration(median(p99s))
	b.ReportMetric(float64(medP99.Milliseconds()), "p99_ms")
	b.ReportMetric(float64(totalErr), "errors")
	tableRow("200 devices pushing 100 records each at once (clients in the same process)",
		fmt.Sprintf("%d errors; p99 %d ms, median of %d: %s", totalErr, medP99.Milliseconds(), len(all), strings.Join(all, "; ")),
		"no errors, p99 ≤ 1 s", totalErr == 0 && medP99 <= time.Second)
}

// BenchmarkNoopSync: a sync with nothing to send or fetch. Target: one
// round trip, at most 1 KB on the wire.
func BenchmarkNoopSync(b *testing.B) {
	b.StopTimer()
	ts := startServer(b)
	st := benchLaptop(b, ts, 100)
	syncNow(b, st)
	b.StartTimer()
	var rep Report
	for i := 0; i < b.N; i++ {
		var err error
		rep, err = RunOnce(context.Background(), st, nil)
		if err != nil || rep.Pushed+rep.Pulled != 0 {
			b.Fatalf("no-op sync: %+v %v", rep, err)
		}
	}
	b.StopTimer()
	bytes := rep.Sent + rep.Received
	b.ReportMetric(float64(rep.Requests), "round_trips")
	b.ReportMetric(float64(bytes), "wire_bytes")
	tableRow("a no-op sync (nothing to send or fetch)",
		fmt.Sprintf("%d round trip, %d bytes (sent %d, received %d)", rep.Requests, bytes, rep.Sent, rep.Received),
		"one round trip, ≤ 1 KB", rep.Requests == 1 && bytes <= 1024)
}
