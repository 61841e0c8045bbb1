package sync

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"danvan/data"
)

// FuzzDecodePush feeds arbitrary bodies to the push decoder: it must
// never panic, must answer 400 or 413 with a named problem, and must only
// accept records that pass every check and survive a round trip.
// The seed corpus runs with every `go test`; `make fuzz-sync` fuzzes it.
func FuzzDecodePush(f *testing.F) {
	now := time.UnixMilli(1_767_225_600_000) // 2026-01-01
	devA := "0190a1b2-0000-7000-8000-00000000000a"
	rec := data.Record{
		ID: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", Kind: data.KindVillage, Commune: "23368",
		Created: data.HLC{Wall: now.UnixMilli() - 1000, Device: devA},
		Fields: map[string]data.Field{
			"name": {V: json.RawMessage(`"Làng Kon Pia"`), S: data.HLC{Wall: now.UnixMilli() - 900, Device: devA}},
			"kind": {V: json.RawMessage(`"lang"`), S: data.HLC{Wall: now.UnixMilli() - 900, Counter: 1, Device: devA}},
		},
	}
	concern := data.Record{
		ID: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", Kind: data.KindConcern, Commune: "23368",
		Created: data.HLC{Wall: now.UnixMilli() - 1000, Device: devA},
		Lists:   map[string]map[string]data.Entry{"history": {"e1": {V: json.RawMessage(`{"id":"e1","to":"moi"}`), S: data.HLC{Wall: 5, Device: devA}}}},
		Reviews: map[string][]data.Write{"status": {{V: json.RawMessage(`"moi"`), S: data.HLC{Wall: 5, Device: devA}}}},
	}
	good, _ := json.Marshal(PushRequest{Records: []data.Record{rec, concern}})
	for _, s := range [][]byte{
		good,
		[]byte(`{"records":[]}`),
		[]byte(`{"records":null}`),
		[]byte(`{"records":[{"id":"x","kind":"village"}]}`),
		[]byte(`{"records":[{"id":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","kind":"spaceship","commune":"1","created":{"w":1,"d":"d"}}]}`),
		[]byte(`{"records":[{"id":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","kind":"person","commune":"1","created":{"w":99999999999999,"d":"d"}}]}`),
		[]byte(`{"records":[{"id":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","kind":"household","commune":"1","created":{"w":1,"d":"d"},"f":{"members":{"v":"x","s":{"w":1,"d":"d"}}}}]}`),
		[]byte(`{"records":[{"id":`),
		[]byte(`{} {}`),
		[]byte(``),
		gz(good),
	} {
		f.Add(s, len(s) > 1 && s[0] == 0x1f)
	}
	f.Fuzz(func(t *testing.T, body []byte, gzipped bool) {
		enc := ""
		if gzipped {
			enc = "gzip"
		}
		plain, aerr := readBody(bytesReader(body), enc, 1<<20)
		if aerr != nil {
			checkAPIError(t, aerr)
			return
		}
		req, aerr := decodePush(plain, now)
		if aerr != nil {
			checkAPIError(t, aerr)
			return
		}
		for i := range req.Records {
			if code, msg := checkRecord(&req.Records[i], now); code != "" {
				t.Fatalf("accepted record %d fails its check: %s %s", i, code, msg)
			}
		}
		again, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("accepted push does not encode: %v", err)
		}
		req2, aerr := decodePush(again, now)
		if aerr != nil || len(req2.Records) != len(req.Records) {
			t.Fatalf("accepted push does not decode again: %v", aerr)
		}
	})
}

func checkAPIError(t *testing.T, e *apiError) {
	t.Helper()
	if e.Status != http.StatusBadRequest && e.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d for a bad body", e.Status)
	}
	if e.Body.Code == "" || e.Body.Error == "" {
		t.Fatalf("error does not name the problem: %+v", e.Body)
	}
	for _, r := range e.Body.Records {
		if r.Code == "" || r.Error == "" || r.Index < 0 {
			t.Fatalf("record error does not name the problem: %+v", r)
		}
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
