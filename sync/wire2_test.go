package sync

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"danvan/data"
)

// TestCompactRoundTrip: any record, with stamps of one save, of several
// devices, list entries and review writes, comes back from its compact
// form exactly; a partial encoding carries only what is stamped after
// its base.
func TestCompactRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	devs := []string{data.NewID(), data.NewID(), data.NewID()}
	stamp := func() data.HLC {
		return data.HLC{Wall: 1796300000000 + r.Int64N(5), Counter: uint32(r.IntN(4)), Device: devs[r.IntN(len(devs))]}
	}
	for i := 0; i < 500; i++ {
		rec := data.Record{ID: data.NewID(), Kind: data.KindConcern, Commune: []string{dakLong, moRai}[r.IntN(2)], Created: stamp()}
		rec.Fields = map[string]data.Field{}
		for _, f := range []string{"summary", "content", "village", "people"}[:r.IntN(5)] {
			rec.Fields[f] = data.Field{V: json.RawMessage(`"x` + f + `"`), S: stamp()}
		}
		if r.IntN(2) == 0 {
			rec.Lists = map[string]map[string]data.Entry{"history": {}}
			for k := 0; k < 1+r.IntN(4); k++ {
				s := stamp()
				o := s
				if r.IntN(2) == 0 {
					o = stamp()
				}
				rec.Lists["history"][data.NewID()] = data.Entry{V: json.RawMessage(`{"to":"dong"}`), S: s, O: o, D: r.IntN(5) == 0}
			}
		}
		if r.IntN(2) == 0 {
			rec.Reviews = map[string][]data.Write{}
			for k := 0; k < 1+r.IntN(3); k++ {
				var b data.HLC
				if k > 0 {
					b = stamp()
				}
				rec.Reviews["status"] = append(rec.Reviews["status"], data.Write{V: json.RawMessage(`"dang_xu_ly"`), S: stamp(), B: b})
			}
		}
		var since data.HLC
		if r.IntN(3) == 0 {
			since = stamp()
		}
		e := newWireEncoder(dakLong)
		wb := wbatch{V: WireVersion, Commune: dakLong, Records: []wrecord{e.record(&rec, since)}}
		wb.Devices = e.devs
		js, _ := json.Marshal(wb)
		var back wbatch
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		got, partial, bad := back.decodeRecords()
		if len(bad) > 0 || partial[0] != !since.IsZero() {
			t.Fatalf("decode: %+v, partial %v", bad, partial)
		}
		want := rec
		if !since.IsZero() {
			want = keepAfter(rec, since)
		}
		for n, l := range want.Lists {
			if len(l) == 0 {
				delete(want.Lists, n)
			}
		}
		if !reflect.DeepEqual(data.Merge(got[0], got[0]), data.Merge(want, want)) {
			t.Fatalf("round trip of\n%+v\ngave\n%+v\nfrom %s", want, got[0], js)
		}
	}
}

// keepAfter is rec with only the values stamped after since.
func keepAfter(rec data.Record, since data.HLC) data.Record {
	out := data.Record{ID: rec.ID, Kind: rec.Kind, Commune: rec.Commune, Created: rec.Created}
	for n, f := range rec.Fields {
		if f.S.Compare(since) > 0 {
			if out.Fields == nil {
				out.Fields = map[string]data.Field{}
			}
			out.Fields[n] = f
		}
	}
	for n, l := range rec.Lists {
		for id, e := range l {
			if e.S.Compare(since) > 0 {
				if out.Lists == nil {
					out.Lists = map[string]map[string]data.Entry{}
				}
				if out.Lists[n] == nil {
					out.Lists[n] = map[string]data.Entry{}
				}
				out.Lists[n][id] = e
			}
		}
	}
	for n, ws := range rec.Reviews {
		for _, w := range ws {
			if w.S.Compare(since) > 0 {
				if out.Reviews == nil {
					out.Reviews = map[string][]data.Write{}
				}
				out.Reviews[n] = append(out.Reviews[n], w)
			}
		}
	}
	return out
}

// TestChangedFieldsOnly: after the first push, a status change sends
// only the status, its history entry and the fields that save touched,
// not the concern's content; the server merges it into what it holds,
// and a second laptop gets the whole, changed concern.
func TestChangedFieldsOnly(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	b := enrolledLaptop(t, ts, dakLong)
	vs := seedVillages(t, a, 1)
	long := strings.Join(seedSentences(t)[:6], " ")
	c := &data.Concern{ConcernKind: data.ConcernPetition, Channel: data.ChannelReception, Received: data.Today(), Village: vs[0],
		RaiserKind: data.RaiserText, RaiserText: "A Thủy", Topic: "ha_tang", Summary: "Đường sạt lở", Content: long, Complexity: data.ComplexityNormal, People: 3}
	if err := a.Save(c); err != nil {
		t.Fatal(err)
	}
	first := syncNow(t, a)
	if err := a.ChangeStatus(c.ID, data.StatusHandling, "Đã giao cán bộ xác minh"); err != nil {
		t.Fatal(err)
	}
	rep := syncNow(t, a)
	if rep.Pushed != 1 || rep.PushBytes*4 > first.PushBytes {
		t.Errorf("the status change sent %d body bytes (the first push %d): whole records are sent", rep.PushBytes, first.PushBytes)
	}
	syncNow(t, b)
	var got data.Concern
	if err := b.Load(c.ID, &got); err != nil {
		t.Fatal(err)
	}
	if got.Status != data.StatusHandling || got.Content != long || got.History[len(got.History)-1].Note != "Đã giao cán bộ xác minh" {
		t.Fatalf("the second laptop has status %q, history %+v, content kept %v", got.Status, got.History, got.Content == long)
	}

	// a record the laptop believes the server holds, which it does not
	// (a server restored from an older backup, say): the partial push is
	// refused need_full and sent whole
	c2 := &data.Concern{ConcernKind: data.ConcernReport, Channel: data.ChannelReception, Received: data.Today(), Village: vs[0],
		RaiserKind: data.RaiserText, RaiserText: "Y Hoa", Topic: "dat_dai", Summary: "Tranh chấp ranh giới rẫy", Content: long, Complexity: data.ComplexityNormal, People: 1}
	if err := a.Save(c2); err != nil {
		t.Fatal(err)
	}
	rec, _ := a.Record(c2.ID)
	w, _ := json.Marshal(rec.Updated())
	if err := a.SetMeta(prefixAcked+c2.ID, w); err != nil {
		t.Fatal(err)
	}
	if err := a.ChangeStatus(c2.ID, data.StatusHandling, "Đang xác minh"); err != nil {
		t.Fatal(err)
	}
	if rep := syncNow(t, a); rep.Pushed != 1 || len(rep.Quarantined) != 0 {
		t.Fatalf("push after need_full: %+v", rep)
	}
	syncNow(t, b)
	var got2 data.Concern
	if err := b.Load(c2.ID, &got2); err != nil || got2.Content != long || got2.Status != data.StatusHandling {
		t.Fatalf("the record refused need_full reached the other laptop as %q / %v (%v)", got2.Status, got2.Content == long, err)
	}
}

// TestOldProtocolGetsUpdateMessage: a laptop on protocol version 1
// pushing or pulling gets 426 with a JSON error that tells its user, in
// Vietnamese, to update the app; a laptop whose server answers 426 stops
// with ErrUpdateApp, which is not retried.
func TestOldProtocolGetsUpdateMessage(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	for _, req := range []struct{ method, path string }{{http.MethodPost, "/v1/push"}, {http.MethodGet, "/v1/pull?since=0"}} {
		status, b := rawRequest(t, req.method, ts.URL+req.path, tokenOf(a), map[string]string{HeaderIdempotencyKey: data.NewID()}, []byte(`{"records":[]}`))
		var eb ErrorBody
		if status != http.StatusUpgradeRequired || json.Unmarshal(b, &eb) != nil || eb.Code != CodeUpgradeRequired || !strings.Contains(eb.Error, "cập nhật ứng dụng") {
			t.Errorf("%s %s: %d %s", req.method, req.path, status, b)
		}
	}
	// a server of a later version, seen from this laptop
	later := http.NewServeMux()
	later.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		DrainBody(r, 64<<20)
		writeError(w, r, newAPIError(http.StatusUpgradeRequired, CodeUpgradeRequired, "%s", upgradeMessage))
	})
	srv := &http.Server{Handler: later}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	if err := a.SetMeta(metaServer, []byte("http://"+ln.Addr().String())); err != nil {
		t.Fatal(err)
	}
	seedVillages(t, a, 1)
	_, err = RunOnce(context.Background(), a, nil)
	if !errors.Is(err, ErrUpdateApp) || Retryable(err) {
		t.Fatalf("sync against a later server: %v (retryable %v)", err, Retryable(err))
	}
	if a.Pending() == 0 {
		t.Error("the laptop's changes were dropped")
	}
}

// TestPullStreamsPagesWithProgress: a fresh laptop pulls 3,000 records
// in pages of 200 over one request; every page is committed with its
// cursor as it arrives, and the progress reports the total waiting and a
// time left that shrinks to the end.
func TestPullStreamsPagesWithProgress(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	seedHouseholds(t, a, seedVillages(t, a, 3), 2997)
	syncNow(t, a)
	b := enrolledLaptop(t, ts, dakLong)
	var got []Progress
	rep, err := syncOnce(context.Background(), b, Config{PageLimit: 200, OnProgress: func(p Progress) { got = append(got, p) }}.withDefaults(),
		newTransports(time.Minute), "test")
	if err != nil || rep.Pulled != 3000 {
		t.Fatalf("pull: %+v %v", rep, err)
	}
	if rep.Requests > 3 { // the probe-free sync: one push round (nothing), one pull request
		t.Errorf("%d requests for 15 pages: pages are not streamed", rep.Requests)
	}
	if len(got) < 10 {
		t.Fatalf("%d progress reports for 15 pages: %+v", len(got), got)
	}
	for i, p := range got {
		if p.Phase != "pull" || p.Total < 3000 || (i > 0 && p.Done <= got[i-1].Done) {
			t.Fatalf("progress %d: %+v", i, p)
		}
	}
	if last := got[len(got)-1]; last.Done != 3000 || last.Left != 0 {
		t.Errorf("last progress %+v", last)
	}
	if got[0].Left <= 0 && got[0].Done < 3000 {
		t.Errorf("no time left estimated: %+v", got[0])
	}
}
