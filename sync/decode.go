package sync

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	stdsync "sync"
	"time"

	"github.com/google/uuid"

	"danvan/data"
)

// MaxFutureSkew is how far ahead of the server's clock an HLC stamp may
// be: more than that is refused, so that one laptop with a wrong clock
// cannot win every future merge.
const MaxFutureSkew = data.MaxFutureSkew

// maxBatchRecords bounds the records of one push, whatever their size.
const maxBatchRecords = 20000

// apiError is an error answer: its HTTP status and body.
type apiError struct {
	Status int
	Body   ErrorBody
}

// Error returns the status, code and message.
func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Body.Code, e.Body.Error)
}

func newAPIError(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Body: ErrorBody{Code: code, Error: fmt.Sprintf(format, args...)}}
}

// readBody reads a request body of the given Content-Encoding ("" or
// "identity" or "gzip"), refusing with 413 more than limit bytes on the
// wire or after decompression (so a small gzip bomb is refused too).
func readBody(r io.Reader, encoding string, limit int64) ([]byte, *apiError) {
	raw, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, newAPIError(http.StatusRequestEntityTooLarge, CodeTooLarge, "request body is above the limit of %d bytes", limit)
		}
		return nil, newAPIError(http.StatusBadRequest, CodeBadEncoding, "read request body: %v", err)
	}
	if int64(len(raw)) > limit {
		return nil, newAPIError(http.StatusRequestEntityTooLarge, CodeTooLarge, "request body is above the limit of %d bytes", limit)
	}
	var zr io.Reader
	name := strings.ToLower(strings.TrimSpace(encoding))
	switch name {
	case "", "identity":
		return raw, nil
	case "gzip":
		gr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, newAPIError(http.StatusBadRequest, CodeBadEncoding, "gzip body: %v", err)
		}
		zr = gr
	case EncodingZstd:
		dr, err := newZstdReader(bytes.NewReader(raw))
		if err != nil {
			return nil, newAPIError(http.StatusBadRequest, CodeBadEncoding, "zstd body: %v", err)
		}
		defer dr.Close()
		zr = dr
	default:
		return nil, newAPIError(http.StatusBadRequest, CodeBadEncoding, "unsupported Content-Encoding %q (want zstd or gzip)", encoding)
	}
	plain, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, newAPIError(http.StatusBadRequest, CodeBadEncoding, "%s body: %v", name, err)
	}
	if int64(len(plain)) > limit {
		return nil, newAPIError(http.StatusRequestEntityTooLarge, CodeTooLarge, "decompressed request body is above the limit of %d bytes", limit)
	}
	return plain, nil
}

// decodePush parses and checks a push body (already decompressed): a
// wbatch of WireVersion. Every record must have a canonical UUID, a known
// kind, a commune, a creation stamp, no stamp more than MaxFutureSkew
// after now, and values that decode into its kind; a whole record must
// also pass data.CheckWire, a partial one its structural part (the
// merged record is checked whole before it is stored). Bad records are
// all named in the error.
func decodePush(body []byte, now time.Time) (*PushRequest, *apiError) {
	var wb wbatch
	wb.V = -1
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&wb); err != nil {
		return nil, newAPIError(http.StatusBadRequest, CodeMalformedJSON, "push body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, newAPIError(http.StatusBadRequest, CodeMalformedJSON, "push body: data after the JSON object")
	}
	if wb.V == -1 {
		return nil, newAPIError(http.StatusBadRequest, CodeMalformedJSON, `push body: no wire version "v"`)
	}
	if wb.V != WireVersion {
		return nil, newAPIError(http.StatusBadRequest, CodeBadRequest, "push body of wire version %d; this server speaks %d", wb.V, WireVersion)
	}
	if wb.Records == nil {
		return nil, newAPIError(http.StatusBadRequest, CodeMalformedJSON, `push body: no "records" array`)
	}
	if len(wb.Records) > maxBatchRecords {
		return nil, newAPIError(http.StatusRequestEntityTooLarge, CodeTooLarge, "push of %d records is above the limit of %d", len(wb.Records), maxBatchRecords)
	}
	recs, partial, undecoded := wb.decodeRecords()
	req := PushRequest{Records: recs, Partial: partial}
	var bad []RecordError
	broken := map[int]string{}
	for _, u := range undecoded {
		broken[u.Index] = u.Err
	}
	for i := range req.Records {
		code, msg := "", ""
		if e, ok := broken[i]; ok {
			code, msg = CodeInvalidRecord, e
		}
		if code == "" {
			code, msg = checkRecord(&req.Records[i], now)
		}
		if code == "" {
			code, msg = checkSchema(&req.Records[i], partial[i])
		}
		if code != "" {
			bad = append(bad, RecordError{Index: i, ID: clipString(req.Records[i].ID, 40), Code: code, Error: msg})
		}
	}
	if len(bad) > 0 {
		e := newAPIError(http.StatusBadRequest, bad[0].Code, "%d of %d records refused; first: %s", len(bad), len(req.Records), bad[0])
		e.Body.Records = bad
		return nil, e
	}
	return &req, nil
}

// checkRecord returns the error code and message for a record the server
// must refuse, or "" when it is acceptable.
func checkRecord(r *data.Record, now time.Time) (code, msg string) {
	u, err := uuid.Parse(r.ID)
	if err != nil || u.String() != r.ID {
		return CodeInvalidID, fmt.Sprintf("id %q is not a canonical lower-case UUID", clipString(r.ID, 64))
	}
	if data.IsDemoID(r.ID) {
		// made by "danvan demo" for training: never the commune's data
		return CodeDemoRecord, fmt.Sprintf("record %s is demo data (id marked %s); the server takes no demo records", r.ID, data.DemoMark)
	}
	if !r.Kind.Valid() {
		return CodeUnknownKind, fmt.Sprintf("unknown kind %q", clipString(string(r.Kind), 32))
	}
	if r.Commune == "" {
		return CodeInvalidRecord, "no commune"
	}
	if r.Created.IsZero() || r.Created.Wall <= 0 || r.Created.Device == "" {
		return CodeInvalidRecord, "no creation stamp"
	}
	if code, msg := stampFault(r, now); code != "" {
		return code, msg
	}
	if _, err := data.DecodeRecord(r); err != nil {
		return CodeInvalidRecord, fmt.Sprintf("values do not decode as a %s: %v", r.Kind, stripRecordPrefix(err))
	}
	return "", ""
}

// checkSchema applies data.CheckWire (the laptop's Validate rules plus
// UTF-8, NUL, sizes, known field names, nil UUID, negative stamps): a
// refused record is a 400 invalid_record naming the field. The message
// names the field and the rule, never the value.
func checkSchema(r *data.Record, partial bool) (code, msg string) {
	check := data.CheckWire
	if partial {
		check = data.CheckWirePart
	}
	err := check(r)
	if err == nil {
		return "", ""
	}
	var we *data.WireError
	if errors.As(err, &we) {
		if we.Field == "id" {
			return CodeInvalidID, fmt.Sprintf("field id: %s", we.Reason)
		}
		return CodeInvalidRecord, fmt.Sprintf("field %s: %s", clipString(strings.ToValidUTF8(we.Field, "?"), 80), we.Reason)
	}
	return CodeInvalidRecord, err.Error()
}

// stampFault applies data.CheckStamps, the bounds the laptop also
// applies to what it pulls: future_stamp for a stamp ahead of now,
// invalid_record for a malformed one (negative wall, counter too large).
func stampFault(r *data.Record, now time.Time) (code, msg string) {
	err := data.CheckStamps(r, now)
	var se *data.StampError
	if !errors.As(err, &se) {
		return "", ""
	}
	if se.Future {
		return CodeFutureStamp, err.Error()
	}
	return CodeInvalidRecord, err.Error()
}

// stripRecordPrefix keeps the reason of a data decode error; the record
// id is already in the answer.
func stripRecordPrefix(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && strings.HasPrefix(s, "decode record ") {
		return s[i+2:]
	}
	return s
}

func clipString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// gzipWriters recycles gzip writers (each holds about 800 KB of state).
var gzipWriters = stdsync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	return zw
}}
