package sync

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	stdsync "sync"

	"github.com/klauspost/compress/zstd"
)

// Compression of the v2 wire: zstd with a dictionary both sides embed.
// The dictionary holds the shapes of records (field names, enum values,
// the envelope) with their free text left out, so that the first records
// of a small push cost little; it is part of the protocol (wireDictID
// names it in every frame): changing it means a new WireVersion.

//go:embed wire.dict
var wireDict []byte

// wireDictID identifies wire.dict in zstd frames.
const wireDictID = 0x44564e32 // "DVN2"

// EncodingZstd is the Content-Encoding of v2 bodies and answers.
const EncodingZstd = "zstd"

// zstdWriters recycles encoders (each holds a few MB of tables).
var zstdWriters = stdsync.Pool{New: func() any {
	zw, err := zstd.NewWriter(nil,
		zstd.WithEncoderLevel(zstd.SpeedBestCompression),
		zstd.WithEncoderConcurrency(1),
		zstd.WithWindowSize(1<<22),
		zstd.WithEncoderDictRaw(wireDictID, wireDict))
	if err != nil {
		panic(fmt.Sprintf("zstd encoder: %v", err)) // only with bad constant options
	}
	return zw
}}

// newZstdReader decompresses a v2 stream, refusing windows above 8 MB.
func newZstdReader(r io.Reader) (*zstd.Decoder, error) {
	return zstd.NewReader(r,
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(8<<20),
		zstd.WithDecoderDictRaw(wireDictID, wireDict))
}

// zstdBytes compresses b in one frame (small answers).
func zstdBytes(b []byte) []byte {
	zw := zstdWriters.Get().(*zstd.Encoder)
	defer zstdWriters.Put(zw)
	return zw.EncodeAll(b, nil)
}

// batchWriter streams compact records into a zstd push body and knows
// about how big the compressed body is: it flushes the compressor every
// flushEvery raw bytes (a flush ends a block and keeps the window, so it
// costs a few bytes) and extrapolates the part not yet flushed.
type batchWriter struct {
	buf     bytes.Buffer
	zw      *zstd.Encoder
	enc     *wireEncoder
	raw     int
	flushed int // raw bytes written at the last flush
	n       int
}

// flushEvery is how many raw bytes pass between two size checks.
const flushEvery = 32 << 10

func newBatchWriter(commune string) *batchWriter {
	w := &batchWriter{enc: newWireEncoder(commune)}
	w.zw = zstdWriters.Get().(*zstd.Encoder)
	w.zw.Reset(&w.buf)
	head, _ := json.Marshal(commune)
	w.write([]byte(fmt.Sprintf(`{"v":%d,"c":%s,"records":[`, WireVersion, head)))
	return w
}

func (w *batchWriter) write(b []byte) {
	_, _ = w.zw.Write(b)
	w.raw += len(b)
}

// add appends one compact record.
func (w *batchWriter) add(r wrecord) {
	js, _ := json.Marshal(r)
	if w.n > 0 {
		w.write([]byte{','})
	}
	w.write(js)
	w.n++
	if w.raw-w.flushed >= flushEvery {
		_ = w.zw.Flush()
		w.flushed = w.raw
	}
}

// estimate returns about how many compressed bytes the body will have.
func (w *batchWriter) estimate() int {
	ratio := 0.2 // before the first flush
	if w.flushed > 0 {
		ratio = float64(w.buf.Len()) / float64(w.flushed)
	}
	return w.buf.Len() + int(float64(w.raw-w.flushed)*ratio)
}

// finish closes the body: the device table, then the compressed bytes
// and the raw size.
func (w *batchWriter) finish() ([]byte, int) {
	devs, _ := json.Marshal(w.enc.devs)
	if w.enc.devs == nil {
		devs = []byte("[]")
	}
	w.write([]byte(`],"dev":`))
	w.write(devs)
	w.write([]byte(`}`))
	_ = w.zw.Close()
	zstdWriters.Put(w.zw)
	w.zw = nil
	return w.buf.Bytes(), w.raw
}
