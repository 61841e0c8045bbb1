package sync

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"

	"danvan/data"
)

// newProxy puts an in-process Toxiproxy between a client and upstream
// and returns it with its listening address.
func newProxy(t testing.TB, upstream string) *toxiproxy.Proxy {
	t.Helper()
	zerolog.SetGlobalLevel(zerolog.Disabled)
	srv := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	p := toxiproxy.NewProxy(srv, "danvan", "127.0.0.1:0", upstream)
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	return p
}

// tox is a Toxiproxy toxic: name, type, stream, toxicity and attributes.
type tox struct {
	name, typ, stream string
	toxicity          float64
	attrs             string
}

// toxic adds a toxic to p, before any connection goes through it.
func toxic(t testing.TB, p *toxiproxy.Proxy, x tox) {
	t.Helper()
	js := fmt.Sprintf(`{"name":%q,"type":%q,"stream":%q,"toxicity":%g,"attributes":%s}`, x.name, x.typ, x.stream, x.toxicity, x.attrs)
	if _, err := p.Toxics.AddToxicJson(strings.NewReader(js)); err != nil {
		t.Fatalf("add toxic %s: %v", x.name, err)
	}
}

// proxied re-points a laptop's enrolment at the proxy.
func proxied(t testing.TB, st *data.Store, p *toxiproxy.Proxy) {
	t.Helper()
	if err := st.SetMeta(metaServer, []byte("http://"+p.Listen)); err != nil {
		t.Fatal(err)
	}
}

// TestFaults syncs 10,000 records through Toxiproxy while the link
// resets connections in the middle of batches (both ways: requests cut,
// and answers lost after the server applied a batch), crawls at 600 ms
// latency and 32 KB/s, stalls until the client times out, and while the
// server restarts in the middle of a push, gracefully and abruptly.
// Afterwards nothing is lost or duplicated, on the server or on a second
// laptop that pulls everything through resets, and the cursors are right.
func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("heavy fault test")
	}
	const n = 10000
	// reserve records are saved only at step 4, so that a push is in
	// flight for the restarts however fast the earlier steps went
	const reserve = 1000
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	b := enrolledLaptop(t, ts, dakLong)
	villages := seedVillages(t, a, 3)
	seedHouseholds(t, a, villages, n-3-reserve)
	total := func() int { return ts.count(dakLong) }
	long := time.Duration(raceScale) * 60 * time.Second

	// batches of 16 KB compressed hold about as many records as the
	// 48 KB gzip batches of wire version 1 did (about 1,000 households), so
	// that several are in flight at every step
	w := NewWorker(a, Config{BatchBytes: 16 << 10, Debounce: 5 * time.Millisecond, PollInterval: 50 * time.Millisecond, ProbeInterval: 100 * time.Millisecond,
		BaseBackoff: 10 * time.Millisecond, MaxBackoff: 300 * time.Millisecond, StallTimeout: 1500 * time.Millisecond})
	t.Cleanup(w.Stop) // before the stores close, even when the test fails
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// through puts laptop a behind a fresh proxy with the given toxics,
	// the worker stopped meanwhile. Toxiproxy 2.5 panics (ToxicLink.AddToxic)
	// or deadlocks (chainRemoveToxic against RemoveLink) when toxics change
	// under connections that open and close, so each step gets a proxy of
	// its own whose toxics are set before any connection.
	through := func(toxics ...tox) {
		w.Stop()
		p := newProxy(t, ts.addr)
		for _, x := range toxics {
			toxic(t, p, x)
		}
		proxied(t, a, p)
		w.Start(ctx)
	}

	// 1. connections reset in the middle of batches: every connection is
	// cut 100 KB into what the client sends (in its second or third
	// batch), and half of them after 700 bytes of answers, so that some
	// answers are lost after the server applied the batch.
	through(tox{"cut_request", "limit_data", "upstream", 1, `{"bytes":100000}`},
		tox{"cut_answer", "limit_data", "downstream", 0.5, `{"bytes":700}`})
	waitFor(t, long, "3,000 records through resets", func() bool { return total() >= 3000 })
	t.Logf("resets: %d records on the server", total())

	// 2. a 2G link: 600 ms latency and 32 KB/s both ways
	before := total()
	through(tox{"lat_down", "latency", "downstream", 1, `{"latency":600}`},
		tox{"lat_up", "latency", "upstream", 1, `{"latency":600}`},
		tox{"bw_up", "bandwidth", "upstream", 1, `{"rate":32}`},
		tox{"bw_down", "bandwidth", "downstream", 1, `{"rate":32}`})
	waitFor(t, long, "a batch over the slow link", func() bool { return total() > before })
	t.Logf("slow link: %d records on the server", total())

	// 3. timeouts: the link swallows everything until the client gives up
	// (net/http retries a replayable request, one with an
	// Idempotency-Key, once on a fresh connection: the stall outlasts both;
	// what the proxy had buffered before the stall may still arrive)
	through(tox{"stall", "timeout", "upstream", 1, `{"timeout":0}`})
	time.Sleep(time.Second)
	before = total()
	time.Sleep(4 * time.Second)
	// Two batches may be in flight (docs/sync-protocol.md), each up to
	// about 48 KB compressed, about 1,000 households: what they had
	// already handed to the proxy may still be applied.
	if got := total(); got > before+int(float64(n)*0.2) {
		t.Fatalf("records arrived through a dead link: %d -> %d", before, got)
	}
	// some connections now stall for good: the client must time out
	through(tox{"stall_some", "timeout", "upstream", 0.3, `{"timeout":0}`})
	waitFor(t, long, "progress after stalls", func() bool { return total() >= min(before+500, n-reserve) })
	t.Logf("timeouts: %d records on the server", total())

	// 4. the server restarts in the middle of a push: once gracefully
	// (the push finishes), once abruptly (the push rolls back whole)
	through(tox{"bw_restart", "bandwidth", "upstream", 1, `{"rate":200}`})
	seedHouseholds(t, a, villages, reserve)
	waitFor(t, long, "a push in flight", func() bool { return ts.pushing.Load() > 0 })
	ts.restart()
	t.Logf("graceful restart: %d records on the server", total())
	waitFor(t, long, "a push in flight", func() bool { return ts.pushing.Load() > 0 })
	time.Sleep(50 * time.Millisecond)
	ts.crash()
	ts.start()
	t.Logf("abrupt restart: %d records on the server", total())
	through()

	// finish over a clean link
	waitFor(t, long, "a clean sync with an empty outbox", func() bool {
		st := w.Status()
		return a.Pending() == 0 && total() == n && len(st.Log) > 0 && st.Log[0].OK && !st.Syncing
	})
	w.Stop()
	status := w.Status()
	failed, timeouts := 0, 0
	for _, at := range status.Log {
		if !at.OK {
			failed++
		}
		if strings.Contains(at.Error, "timeout") {
			timeouts++
		}
	}
	if failed < 3 || timeouts == 0 {
		t.Errorf("%d failed attempts, %d timeouts: the faults did not bite", failed, timeouts)
	}
	t.Logf("worker: %d attempts logged, last error %q", len(status.Log), status.LastError)
	for _, at := range status.Log {
		t.Logf("  %s ok=%v pushed=%d pulled=%d sent=%d err=%s", at.Trigger, at.OK, at.Pushed, at.Pulled, at.Sent, at.Error)
	}

	if got := total(); got != n {
		t.Fatalf("server holds %d records, want %d", got, n)
	}
	srv := serverSnapshot(t, ts.st, dakLong) // fails on a duplicate in the feed
	if d := diffSnapshots(snapshot(t, a), srv); d != "" {
		t.Fatalf("laptop and server differ: %s", d)
	}

	// a second laptop pulls everything through resets
	pb := newProxy(t, ts.addr)
	toxic(t, pb, tox{"cut_pages", "limit_data", "downstream", 0.5, `{"bytes":30000}`})
	proxied(t, b, pb)
	pulledOK := false
	for i := 0; i < 200 && !pulledOK; i++ {
		_, err := RunOnce(context.Background(), b, nil)
		pulledOK = err == nil
	}
	clean := newProxy(t, ts.addr)
	proxied(t, a, clean)
	proxied(t, b, clean)
	if !pulledOK {
		t.Fatal("second laptop never finished pulling")
	}
	if d := diffSnapshots(snapshot(t, b), srv); d != "" {
		t.Fatalf("second laptop and server differ: %s", d)
	}
	// the cursors are right: both at the server's sequence, and a sync
	// now has nothing to fetch
	w2, _ := ts.st.watermark()
	for name, st := range map[string]*data.Store{"a": a, "b": b} {
		if c := readUint(st, metaCursor); c != w2 {
			t.Errorf("laptop %s cursor %d, server sequence %d", name, c, w2)
		}
		rep := syncNow(t, st)
		if rep.Pulled != 0 || rep.Pushed != 0 || rep.Requests != 1 {
			t.Errorf("laptop %s: sync after convergence did %+v", name, rep)
		}
	}
}
