package sync

import (
	"encoding/json"

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
// and the zstd body.
type batch struct {
	ids     []string            // record ids, in body order
	recs    []data.Record       // the records, for re-batching a subset
	since   []data.HLC          // per record: the stamp the server holds (zero: send whole)
	seqs    map[string][]uint64 // outbox sequences per record id
	lastSeq uint64              // highest outbox sequence covered
	commune string
	body    []byte // zstd of the wbatch
	raw     int    // uncompressed body size
}

// entries returns every outbox sequence the batch covers.
func (b *batch) entries() []uint64 {
	var out []uint64
	for _, s := range b.seqs {
		out = append(out, s...)
	}
	return out
}

// prefixAcked keys the stamp up to which the server is known to hold a
// record: the Updated() of the last version of it the server
// acknowledged (every later local write is stamped after it, and pulled
// values are on the server already). A push then sends only what is
// stamped after it. It is forgotten whenever the record may hold values
// the server lacks: a requeue (the server lost records, a quarantined
// record sent again), a repair of future stamps, a need_full answer.
const prefixAcked = data.AckedPrefix

// ackedStamp returns the stamp the server holds of record id (zero when
// unknown).
func ackedStamp(st *data.Store, id string) data.HLC {
	var h data.HLC
	if b := st.Meta(prefixAcked + id); b != nil {
		_ = json.Unmarshal(b, &h)
	}
	return h
}

// buildBatch reads the outbox after the given sequence and packs records
// until the compressed body reaches about target bytes. It returns nil
// when the outbox holds nothing after that sequence.
func buildBatch(st *data.Store, after uint64, target int) (*batch, error) {
	if target <= 0 {
		target = DefaultBatchBytes
	}
	b := &batch{seqs: map[string][]uint64{}, commune: st.Commune()}
	w := newBatchWriter(b.commune)
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
		recs, err := st.Records(fresh)
		if err != nil {
			return nil, err
		}
		byID := make(map[string]*data.Record, len(recs))
		for i := range recs {
			if recs[i].ID != "" {
				byID[recs[i].ID] = &recs[i]
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
			r := byID[e.Record]
			if r == nil {
				continue // no such record: the entry is acknowledged with the batch
			}
			since := ackedStamp(st, r.ID)
			w.add(w.enc.record(r, since))
			b.ids = append(b.ids, e.Record)
			b.recs = append(b.recs, *r)
			b.since = append(b.since, since)
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
	out := &batch{seqs: map[string][]uint64{}, commune: b.commune}
	w := newBatchWriter(b.commune)
	for _, i := range idx {
		id := b.ids[i]
		out.ids = append(out.ids, id)
		out.recs = append(out.recs, b.recs[i])
		out.since = append(out.since, b.since[i])
		out.seqs[id] = b.seqs[id]
		w.add(w.enc.record(&b.recs[i], b.since[i]))
	}
	out.body, out.raw = w.finish()
	return out
}

// whole returns b with every record sent whole (after a need_full).
func (b *batch) whole() *batch {
	idx := make([]int, len(b.ids))
	for i := range idx {
		idx[i] = i
	}
	c := *b
	c.since = make([]data.HLC, len(b.ids))
	return c.subset(idx)
}
