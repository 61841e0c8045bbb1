package sync

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"

	"danvan/data"
)

// Batch sizing defaults.
const (
	// DefaultBatchBytes is the compressed size a push batch aims at: a
	// dropped 2G link loses at most about this much.
	DefaultBatchBytes = 48 << 10
	// maxBatchRaw caps a batch's JSON before compression, well under the
	// server's 4 MB limit.
	maxBatchRaw = 2 << 20
	// maxBatchCount caps a batch's records.
	maxBatchCount = 5000
)

// batch is one push: distinct records, the outbox entries they cover,
// and the gzip body.
type batch struct {
	ids     []string            // record ids, in body order
	recs    [][]byte            // their JSON, for re-batching a subset
	seqs    map[string][]uint64 // outbox sequences per record id
	lastSeq uint64              // highest outbox sequence covered
	body    []byte              // gzip of {"records":[...]}
	raw     int                 // uncompressed body size
}

// entries returns every outbox sequence the batch covers.
func (b *batch) entries() []uint64 {
	var out []uint64
	for _, s := range b.seqs {
		out = append(out, s...)
	}
	return out
}

// batchWriter streams records into a gzip body and knows about how big
// the compressed body is: it flushes the compressor every flushEvery raw
// bytes (a sync flush keeps the compression window, so it costs a few
// bytes) and extrapolates the part not yet flushed.
type batchWriter struct {
	buf     bytes.Buffer
	zw      *gzip.Writer
	raw     int
	flushed int // raw bytes written at the last flush
	n       int
}

// flushEvery is how many raw bytes pass between two size checks.
const flushEvery = 32 << 10

func newBatchWriter() *batchWriter {
	w := &batchWriter{}
	w.zw = gzipWriters.Get().(*gzip.Writer)
	w.zw.Reset(&w.buf)
	_, _ = w.zw.Write([]byte(`{"records":[`))
	w.raw = len(`{"records":[`)
	return w
}

func (w *batchWriter) add(js []byte) {
	if w.n > 0 {
		_, _ = w.zw.Write([]byte{','})
		w.raw++
	}
	_, _ = w.zw.Write(js)
	w.raw += len(js)
	w.n++
	if w.raw-w.flushed >= flushEvery {
		_ = w.zw.Flush()
		w.flushed = w.raw
	}
}

// estimate returns about how many compressed bytes the body will have.
func (w *batchWriter) estimate() int {
	ratio := 0.25 // before the first flush
	if w.flushed > 0 {
		ratio = float64(w.buf.Len()) / float64(w.flushed)
	}
	return w.buf.Len() + int(float64(w.raw-w.flushed)*ratio)
}

func (w *batchWriter) finish() ([]byte, int) {
	_, _ = w.zw.Write([]byte(`]}`))
	_ = w.zw.Close()
	gzipWriters.Put(w.zw)
	w.zw = nil
	return w.buf.Bytes(), w.raw + 2
}

// buildBatch reads the outbox after the given sequence and packs records
// until the compressed body reaches about target bytes. It returns nil
// when the outbox holds nothing after that sequence.
func buildBatch(st *data.Store, after uint64, target int) (*batch, error) {
	if target <= 0 {
		target = DefaultBatchBytes
	}
	b := &batch{seqs: map[string][]uint64{}}
	w := newBatchWriter()
	full := false
	for !full {
		entries, err := st.Outbox(after, 256)
		if err != nil {
			return nil, err
		}
		if len(entries) == 0 {
			break
		}
		var fresh []string
		for _, e := range entries {
			if _, ok := b.seqs[e.Record]; !ok {
				fresh = append(fresh, e.Record)
			}
		}
		raws, err := st.RecordsJSON(fresh)
		if err != nil {
			return nil, err
		}
		byID := make(map[string][]byte, len(raws))
		for i, js := range raws {
			if js != nil {
				byID[fresh[i]] = js
			}
		}
		for _, e := range entries {
			if w.n > 0 && (w.estimate() >= target || w.raw >= maxBatchRaw || w.n >= maxBatchCount) {
				if _, ok := b.seqs[e.Record]; !ok {
					full = true
					break
				}
			}
			after = e.Seq
			b.lastSeq = e.Seq
			if _, ok := b.seqs[e.Record]; ok {
				b.seqs[e.Record] = append(b.seqs[e.Record], e.Seq)
				continue
			}
			b.seqs[e.Record] = []uint64{e.Seq}
			js := byID[e.Record]
			if js == nil || data.IsDemoID(e.Record) {
				// no such record, or demo data, which never leave the
				// laptop: the entry is acknowledged with the batch
				continue
			}
			if !json.Valid(js) {
				return nil, fmt.Errorf("record %s in the store is not valid JSON", e.Record)
			}
			w.add(js)
			b.ids = append(b.ids, e.Record)
			b.recs = append(b.recs, js)
		}
	}
	if len(b.seqs) == 0 {
		return nil, nil
	}
	b.body, b.raw = w.finish()
	return b, nil
}

// subset returns a new batch of the records of b at the given indexes,
// covering their outbox entries.
func (b *batch) subset(idx []int) *batch {
	out := &batch{seqs: map[string][]uint64{}}
	w := newBatchWriter()
	for _, i := range idx {
		id := b.ids[i]
		out.ids = append(out.ids, id)
		out.recs = append(out.recs, b.recs[i])
		out.seqs[id] = b.seqs[id]
		w.add(b.recs[i])
	}
	out.body, out.raw = w.finish()
	return out
}
