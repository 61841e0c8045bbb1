package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"danvan/data"
)

// The wire benchmarks of issue 9, part 3, against a bound that does not
// depend on the wire format: the records' content written as plain JSON
// documents (the domain objects, without ids or stamps), gzip -6 as one
// stream, divided by the link rate. Run with `make bench-sync`.

// linkRate is the toxiproxy bandwidth of the slow-link benchmarks, in
// bytes per second (toxiproxy's "rate" is in KB/s of 1,000 bytes).
const linkRate = 32000

// benchRounds is how many rounds the slow-link benchmarks run; the table
// shows the median. DANVAN_BENCH_ROUNDS overrides it.
func benchRounds() int {
	if n, err := strconv.Atoi(os.Getenv("DANVAN_BENCH_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 3
}

// seedSentences returns the sentences of the embedded seed articles.
func seedSentences(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob("../data/demo/seeds/*.txt")
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			for _, s := range strings.SplitAfter(line, ". ") {
				if s = strings.TrimSpace(s); utf8.RuneCountInString(s) >= 40 {
					out = append(out, s)
				}
			}
		}
	}
	if len(out) < 40 {
		t.Fatalf("only %d seed sentences in ../data/demo/seeds", len(out))
	}
	return out
}

// seedConcerns stores n concerns of the usual size: about 650 characters
// of content cut from the seed articles, a summary, and 1 to 5 history
// entries, over the given villages.
func seedConcerns(t testing.TB, st *data.Store, villages []string, n int) []string {
	t.Helper()
	sents := seedSentences(t)
	r := rand.New(rand.NewPCG(9, 9))
	kinds := []data.ConcernKind{data.ConcernPetition, data.ConcernReport, data.ConcernComplaint1}
	path := []data.ConcernStatus{data.StatusNew, data.StatusHandling, data.StatusResolved, data.StatusClosed}
	objs := make([]data.Object, n)
	base := time.Now().UTC().Add(-200 * 24 * time.Hour).Truncate(time.Second)
	for i := range objs {
		var content strings.Builder
		fmt.Fprintf(&content, "Ngày %d/%d, hộ ông A Nhóa %d phản ánh:", 1+r.IntN(28), 1+r.IntN(12), i)
		for utf8.RuneCountInString(content.String()) < 600 {
			content.WriteByte(' ')
			content.WriteString(sents[r.IntN(len(sents))])
		}
		summary := []rune(sents[r.IntN(len(sents))])
		if len(summary) > 120 {
			summary = summary[:120]
		}
		received := base.Add(time.Duration(r.IntN(150*24)) * time.Hour)
		c := &data.Concern{ConcernKind: kinds[r.IntN(len(kinds))], Channel: data.ChannelReception, Received: data.DateOf(received),
			Village: villages[i%len(villages)], RaiserKind: data.RaiserText, RaiserText: fmt.Sprintf("Bà Y Hoa %d", i), Topic: "dat_dai",
			Summary: string(summary), Content: content.String(), Complexity: data.ComplexityNormal, People: 1 + r.IntN(4)}
		steps := 1 + r.IntN(4)
		from := data.ConcernStatus("")
		for k := 0; k < steps && k < len(path); k++ {
			c.History = append(c.History, data.StatusChange{ID: data.NewID(), From: from, To: path[k], By: "Y Sáng",
				At: received.Add(time.Duration(k*3) * 24 * time.Hour), Note: sents[(i+k)%len(sents)][:40]})
			from = path[k]
		}
		c.Status = from
		objs[i] = c
	}
	if err := st.SaveMany(objs, nil); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i, o := range objs {
		ids[i] = data.MetaOf(o).ID
	}
	return ids
}

// contentBound is the bound of issue 9: every record of st as its plain
// JSON document (no ids, no stamps), one per line, gzip -6 as one
// stream. It returns the compressed size and the plain size.
func contentBound(t testing.TB, st *data.Store) (gz, plain int) {
	t.Helper()
	ids, err := st.RecordIDs()
	if err != nil {
		t.Fatal(err)
	}
	var raw, buf bytes.Buffer
	for _, id := range ids {
		obj, err := st.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(obj)
		raw.Write(js)
		raw.WriteByte('\n')
	}
	zw, _ := gzip.NewWriterLevel(&buf, 6)
	_, _ = zw.Write(raw.Bytes())
	_ = zw.Close()
	return buf.Len(), raw.Len()
}

// slowLink puts a 2G link between laptops and the server: linkRate each
// way and 300 ms latency each way.
func slowLink(t testing.TB, ts *testServer, stores ...*data.Store) {
	t.Helper()
	px := newProxy(t, ts.addr)
	for _, st := range stores {
		proxied(t, st, px)
	}
	toxic(t, px, tox{"lat_up", "latency", "upstream", 1, `{"latency":300}`})
	toxic(t, px, tox{"lat_down", "latency", "downstream", 1, `{"latency":300}`})
	rate := fmt.Sprintf(`{"rate":%d}`, linkRate/1000)
	toxic(t, px, tox{"bw_up", "bandwidth", "upstream", 1, rate})
	toxic(t, px, tox{"bw_down", "bandwidth", "downstream", 1, rate})
}

func median(xs []float64) float64 {
	s := append([]float64{}, xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func joinF(xs []float64, f string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf(f, x)
	}
	return strings.Join(parts, ", ")
}

// BenchmarkWireSlowLink: 10,000 concerns of the usual size pushed from
// one laptop, then pulled by a fresh laptop of the same commune, each
// through a 32,000 B/s link with 300 ms latency each way; then 100 of
// them changed in status (one history entry each) and pushed. Targets:
// push ≤ 1.25 × the content bound, pull ≤ 1.35 ×, the 100 changes ≤ 15 KB
// sent. Medians of benchRounds rounds.
func BenchmarkWireSlowLink(b *testing.B) {
	const n, changed = 10000, 100
	var pushX, pullX, upKB, pushS, pullS, boundS []float64
	var pushBytes, pullBytes int64
	for i := 0; i < b.N*benchRounds(); i++ {
		b.StopTimer()
		ts := startServer(b)
		a := enrolledLaptop(b, ts, dakLong)
		villages := seedVillages(b, a, 20)
		ids := seedConcerns(b, a, villages, n-20)
		gzBytes, plain := contentBound(b, a)
		bound := float64(gzBytes) / linkRate
		fresh := enrolledLaptop(b, ts, dakLong)
		slowLink(b, ts, a, fresh)
		b.StartTimer()

		start := time.Now()
		rep, err := RunOnce(context.Background(), a, nil)
		push := time.Since(start)
		if err != nil || rep.Pushed != n {
			b.Fatalf("first push: %+v %v", rep, err)
		}
		pushBytes = rep.Sent
		start = time.Now()
		rep, err = RunOnce(context.Background(), fresh, nil)
		pull := time.Since(start)
		if err != nil || rep.Pulled != n {
			b.Fatalf("first pull: %+v %v", rep, err)
		}
		pullBytes = rep.Received
		for _, id := range ids[:changed] {
			if err := a.ChangeStatus(id, data.StatusForwarded, "Chuyển UBND huyện giải quyết theo thẩm quyền"); err != nil {
				b.Fatal(err)
			}
		}
		rep, err = RunOnce(context.Background(), a, nil)
		if err != nil || rep.Pushed != changed {
			b.Fatalf("push of %d changes: %+v %v", changed, rep, err)
		}
		b.StopTimer()
		pushX = append(pushX, push.Seconds()/bound)
		pullX = append(pullX, pull.Seconds()/bound)
		pushS, pullS, boundS = append(pushS, push.Seconds()), append(pullS, pull.Seconds()), append(boundS, bound)
		upKB = append(upKB, float64(rep.Sent)/1000)
		b.Logf("round %d: bound %d B gzip -6 of %d B JSON = %.1f s; push %.1f s (%d B), pull %.1f s (%d B), %d changes %d B up",
			i+1, gzBytes, plain, bound, push.Seconds(), pushBytes, pull.Seconds(), pullBytes, changed, rep.Sent)
		ts.stop()
	}
	b.ReportMetric(median(pushX), "push_x_bound")
	b.ReportMetric(median(pullX), "pull_x_bound")
	b.ReportMetric(median(upKB), "KB_100_changes")
	tableRow("first push of 10,000 concerns, 32,000 B/s + 300 ms each way, against the content bound (plain JSON, gzip -6, ÷ link rate)",
		fmt.Sprintf("median %.2f × (%s s over a bound of %.1f s; %d B on the wire)", median(pushX), joinF(pushS, "%.1f"), median(boundS), pushBytes),
		"≤ 1.25 ×", median(pushX) <= 1.25)
	tableRow("first pull of the same 10,000 concerns on a fresh laptop, same link",
		fmt.Sprintf("median %.2f × (%s s; %d B on the wire)", median(pullX), joinF(pullS, "%.1f"), pullBytes),
		"≤ 1.35 ×", median(pullX) <= 1.35)
	tableRow("100 concerns each changed in status (one history entry), sent up",
		fmt.Sprintf("median %.1f KB (%s)", median(upKB), joinF(upKB, "%.1f")), "≤ 15 KB", median(upKB) <= 15)
}
