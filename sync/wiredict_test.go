package sync

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/klauspost/compress/zstd"

	"danvan/data"
)

// TestWireDict: wire.dict, the dictionary of the v2 wire, holds record
// shapes and no free text, and makes a small push (one status change)
// markedly smaller than zstd without it. DANVAN_WRITE_DICT=1 writes it
// again from a demo store; the file is then part of a new protocol
// version (see wireDictID).
func TestWireDict(t *testing.T) {
	if os.Getenv("DANVAN_WRITE_DICT") != "" {
		writeWireDict(t)
	}
	if len(wireDict) < 4<<10 || len(wireDict) > 128<<10 {
		t.Fatalf("wire.dict holds %d bytes", len(wireDict))
	}
	st := openStore(t)
	if err := st.SetCommune(dakLong); err != nil {
		t.Fatal(err)
	}
	vs := seedVillages(t, st, 1)
	c := &data.Concern{ConcernKind: data.ConcernPetition, Channel: data.ChannelReception, Received: data.Today(), Village: vs[0],
		RaiserKind: data.RaiserText, RaiserText: "A Thủy", Topic: "ha_tang", Summary: "Đường vào làng sạt lở", Complexity: data.ComplexityNormal, People: 1}
	if err := st.Save(c); err != nil {
		t.Fatal(err)
	}
	rec, err := st.Record(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := newBatchWriter(st.Commune())
	w.add(w.enc.record(rec, data.HLC{}))
	withDict, raw := w.finish()
	plain, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression))
	var rawBody bytes.Buffer
	dec, _ := newZstdReader(bytes.NewReader(withDict))
	if _, err := rawBody.ReadFrom(dec); err != nil || rawBody.Len() != raw {
		t.Fatalf("the body does not decompress with the dictionary: %d of %d bytes, %v", rawBody.Len(), raw, err)
	}
	without := plain.EncodeAll(rawBody.Bytes(), nil)
	if float64(len(withDict)) > 0.8*float64(len(without)) {
		t.Errorf("one record: %d bytes with the dictionary, %d without", len(withDict), len(without))
	}
	if bytes.Contains(wireDict, []byte("sạt lở")) {
		t.Error("the dictionary holds free text")
	}
}

// writeWireDict makes wire.dict from a demo commune's records in their
// compact form, with every string value longer than a code emptied.
func writeWireDict(t *testing.T) {
	st := openStore(t)
	if err := st.SetCommune(dakLong); err != nil {
		t.Fatal(err)
	}
	if _, err := data.GenerateDemo(st, data.DemoOptions{Scale: 1, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	ids, _ := st.RecordIDs()
	recs, err := st.Records(ids)
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[data.Kind][]data.Record{}
	for _, r := range recs {
		byKind[r.Kind] = append(byKind[r.Kind], r)
	}
	var out bytes.Buffer
	out.WriteString(`{"v":2,"c":"` + dakLong + `","records":[`)
	for round := 0; out.Len() < 48<<10 && round < 40; round++ {
		for _, k := range data.Kinds {
			if round >= len(byKind[k]) {
				continue
			}
			r := byKind[k][round]
			e := newWireEncoder(dakLong)
			js, _ := json.Marshal(e.record(&r, data.HLC{}))
			js = blankText(js)
			out.Write(js)
			out.WriteByte(',')
		}
	}
	out.WriteString(`],"dev":["`)
	if err := os.WriteFile("wire.dict", out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote wire.dict: %d bytes; rebuild to embed it", out.Len())
}

// blankText empties the string values longer than 16 bytes of a JSON
// document (names, summaries, content), keeping keys and codes.
func blankText(js []byte) []byte {
	var v any
	if err := json.Unmarshal(js, &v); err != nil {
		return js
	}
	var walk func(any) any
	walk = func(x any) any {
		switch y := x.(type) {
		case map[string]any:
			for k, e := range y {
				y[k] = walk(e)
			}
		case []any:
			for i, e := range y {
				y[i] = walk(e)
			}
		case string:
			if len(y) > 16 {
				return ""
			}
		}
		return x
	}
	// values inside f are JSON texts themselves
	out, _ := json.Marshal(walk(v))
	return out
}
