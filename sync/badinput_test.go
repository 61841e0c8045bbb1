package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"danvan/data"
)

// TestBadInputGets400AndServerKeepsServing sends every kind of bad push
// the protocol names and checks the answer names the problem, nothing is
// stored, and the server still serves a good push afterwards.
func TestBadInputGets400AndServerKeepsServing(t *testing.T) {
	ts := startServer(t)
	ts.stop()
	ts.cfg.MaxBody = 64 << 10
	ts.start()
	a := enrolledLaptop(t, ts, dakLong)
	token := tokenOf(a)
	good := sampleRecord(t, dakLong)
	mod := func(f func(r *data.Record)) []byte {
		r := data.Merge(good, good)
		f(&r)
		return pushBody(t, r)
	}
	future := time.Now().Add(25 * time.Hour).UnixMilli()
	big := bytes.Repeat([]byte("x"), 70<<10)
	cases := []struct {
		name   string
		body   []byte
		raw    bool // send without gzip
		status int
		code   string
		named  bool // the answer names the record
	}{
		{"malformed JSON", []byte(`{"records":[{"id":`), false, 400, CodeMalformedJSON, false},
		{"not an object", []byte(`[1,2,3]`), false, 400, CodeMalformedJSON, false},
		{"trailing garbage", append(pushBody(t, good), "xyz"...), false, 400, CodeMalformedJSON, false},
		{"no records", []byte(`{"v":2,"recs":[]}`), false, 400, CodeMalformedJSON, false},
		{"no wire version", []byte(`{"records":[]}`), false, 400, CodeMalformedJSON, false},
		{"another wire version", []byte(`{"v":3,"records":[]}`), false, 400, CodeBadRequest, false},
		{"stamp of no device", []byte(`{"v":2,"c":"23368","records":[{"i":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","k":"village","s":[1,0,5]}],"dev":[]}`), false, 400, CodeInvalidRecord, true},
		{"counter above 32 bits", []byte(`{"v":2,"c":"23368","records":[{"i":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","k":"village","s":[1,4294967296,0]}],"dev":["d"]}`), false, 400, CodeInvalidRecord, true},
		{"unknown kind", mod(func(r *data.Record) { r.Kind = "spaceship" }), false, 400, CodeUnknownKind, true},
		{"invalid UUID", mod(func(r *data.Record) { r.ID = "not-a-uuid" }), false, 400, CodeInvalidID, true},
		{"upper-case UUID", mod(func(r *data.Record) { r.ID = strings.ToUpper(r.ID) }), false, 400, CodeInvalidID, true},
		{"future stamp", mod(func(r *data.Record) {
			f := r.Fields["name"]
			f.S.Wall = future
			r.Fields["name"] = f
		}), false, 400, CodeFutureStamp, true},
		{"future creation", mod(func(r *data.Record) { r.Created.Wall = future }), false, 400, CodeFutureStamp, true},
		{"wrong value type", mod(func(r *data.Record) { r.Fields["households"] = data.Field{V: json.RawMessage(`"many"`), S: r.Created} }), false, 400, CodeInvalidRecord, true},
		{"no creation stamp", mod(func(r *data.Record) { r.Created = data.HLC{} }), false, 400, CodeInvalidRecord, true},
		{"broken gzip", []byte("\x1f\x8b\x08\x00garbage"), true, 400, CodeBadEncoding, false},
		{"too large", big, true, 413, CodeTooLarge, false},
		{"gzip bomb", bytes.Repeat([]byte(" "), 1<<20), false, 413, CodeTooLarge, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, hdr := c.body, map[string]string{HeaderIdempotencyKey: data.NewID()}
			if !c.raw {
				body = gz(body)
				hdr["Content-Encoding"] = "gzip"
			} else if c.code == CodeBadEncoding {
				hdr["Content-Encoding"] = "gzip"
			}
			status, b := rawRequest(t, http.MethodPost, ts.URL+PathPush, token, hdr, body)
			var eb ErrorBody
			if err := json.Unmarshal(b, &eb); err != nil {
				t.Fatalf("answer %d is not a JSON error: %q", status, b)
			}
			if status != c.status || eb.Code != c.code || eb.Error == "" {
				t.Fatalf("got %d %s (%s), want %d %s", status, eb.Code, eb.Error, c.status, c.code)
			}
			if c.named && (len(eb.Records) != 1 || eb.Records[0].Index != 0 || eb.Records[0].Code != c.code) {
				t.Fatalf("answer does not name the record: %+v", eb.Records)
			}
		})
	}
	// a push without Idempotency-Key
	status, _ := rawRequest(t, http.MethodPost, ts.URL+PathPush, token, map[string]string{"Content-Encoding": "gzip"}, gz(pushBody(t, good)))
	if status != 400 {
		t.Fatalf("push without %s: %d", HeaderIdempotencyKey, status)
	}
	// bad pull parameters
	for _, q := range []string{"since=-1", "since=abc", "limit=0"} {
		if status, _ := rawRequest(t, http.MethodGet, ts.URL+PathPull+"?"+q, token, nil, nil); status != 400 {
			t.Fatalf("pull ?%s: %d, want 400", q, status)
		}
	}
	if n, _ := ts.st.Stats(context.Background()); len(n) != 0 {
		t.Fatalf("bad pushes stored records: %v", n)
	}
	// still serving
	if status, eb, pr := rawPush(t, ts, token, pushBody(t, good)); status != 200 || len(pr.Seqs) != 1 || pr.Seqs[0] == 0 {
		t.Fatalf("good push after bad ones: %d %+v %+v", status, eb, pr)
	}
	if status, _ := rawRequest(t, http.MethodGet, ts.URL+PathHealth, "", nil, nil); status != 200 {
		t.Fatalf("health: %d", status)
	}
	if status, _ := rawRequest(t, http.MethodGet, ts.URL+"/v1/nothing", token, nil, nil); status != 404 {
		t.Fatalf("unknown path: %d", status)
	}
}

// TestLaptopWithFutureClockQuarantinesOnlyThoseRecords: records stamped
// by a laptop whose clock ran two days ahead of the server's are refused
// for good and quarantined with the reason; the laptop's other records
// still go. (Observing a future stamp no longer moves the laptop's clock
// more than data.MaxClockLead: see TestClockBounds. The skew here is the
// machine's own clock, seen from a server whose clock is behind it.)
func TestLaptopWithFutureClockQuarantinesOnlyThoseRecords(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	villages := seedVillages(t, a, 3)
	syncNow(t, a)
	a.Clock().Observe(data.HLC{Wall: time.Now().Add(48 * time.Hour).UnixMilli()})
	if w := a.Clock().Now().Wall; w > time.Now().Add(data.MaxClockLead).UnixMilli() {
		t.Fatalf("observing a stamp two days ahead moved the clock to %s", time.UnixMilli(w).UTC())
	}
	ts.stop()
	ts.cfg.Now = func() time.Time { return time.Now().Add(-48 * time.Hour) }
	ts.start()
	bad := &data.Village{Name: "Làng tương lai", VillageKind: data.VillageLang}
	mustSave(t, a, bad)
	rep := syncNow(t, a)
	if rep.Pushed != 0 || len(rep.Quarantined) != 1 || rep.Quarantined[0].ID != bad.ID || rep.Quarantined[0].Code != CodeFutureStamp {
		t.Fatalf("pushed %d, quarantined %+v", rep.Pushed, rep.Quarantined)
	}
	if a.Pending() != 0 {
		t.Fatalf("pending %d: the bad record blocks the queue", a.Pending())
	}
	// quarantine survives a restart of the worker and is listed
	if st := NewWorker(a, Config{}).Status(); len(st.Quarantined) != 1 || !strings.Contains(st.Quarantined[0].Reason, "after this machine's clock") {
		t.Fatalf("status: %+v", st.Quarantined)
	}
	// the clocks agree again: the refused record goes with the next
	// sync, beside the new ones, and nothing stays quarantined
	ts.stop()
	ts.cfg.Now = nil
	ts.start()
	seedHouseholds(t, a, villages, 10)
	if rep := syncNow(t, a); rep.Pushed != 11 || len(rep.Quarantined) != 0 {
		t.Fatalf("after the clocks agree, pushed %d of 11, quarantined %+v", rep.Pushed, rep.Quarantined)
	}
	if st := NewWorker(a, Config{}).Status(); len(st.Quarantined) != 0 || a.Pending() != 0 {
		t.Fatalf("still quarantined %+v, pending %d", st.Quarantined, a.Pending())
	}
}

func TestIdempotencyKey(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	token := tokenOf(a)
	body := gz(pushBody(t, sampleRecord(t, dakLong), sampleRecord(t, dakLong)))
	key := data.NewID()
	hdr := map[string]string{HeaderIdempotencyKey: key, "Content-Encoding": "gzip"}
	var first, second PushResponse
	status, b := rawRequest(t, http.MethodPost, ts.URL+PathPush, token, hdr, body)
	if status != 200 || json.Unmarshal(b, &first) != nil || first.Replayed {
		t.Fatalf("first push: %d %s", status, b)
	}
	status, b = rawRequest(t, http.MethodPost, ts.URL+PathPush, token, hdr, body)
	if status != 200 || json.Unmarshal(b, &second) != nil || !second.Replayed {
		t.Fatalf("replayed push: %d %s", status, b)
	}
	if len(second.Seqs) != 2 || second.Seqs[0] != first.Seqs[0] || second.Seqs[1] != first.Seqs[1] {
		t.Fatalf("replay answered %v, first %v", second.Seqs, first.Seqs)
	}
	// the same key with another body
	status, b = rawRequest(t, http.MethodPost, ts.URL+PathPush, token, hdr, gz(pushBody(t, sampleRecord(t, dakLong))))
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(b), CodeIdempotencyReused) {
		t.Fatalf("key reused with another body: %d %s", status, b)
	}
	// the same records under a new key change nothing: no new sequence
	hdr[HeaderIdempotencyKey] = data.NewID()
	var third PushResponse
	status, b = rawRequest(t, http.MethodPost, ts.URL+PathPush, token, hdr, body)
	if status != 200 || json.Unmarshal(b, &third) != nil || third.Seqs[0] != 0 || third.Seqs[1] != 0 {
		t.Fatalf("re-sent records: %d %s, want seqs 0", status, b)
	}
	if n, _ := ts.st.Stats(context.Background()); n[dakLong] != 2 {
		t.Fatalf("server holds %d records, want 2", n[dakLong])
	}
}
