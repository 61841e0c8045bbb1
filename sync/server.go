package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	pathpkg "path"
	"strconv"
	"strings"
	stdsync "sync"
	"time"

	"github.com/klauspost/compress/zstd"

	"danvan/data"
)

// Server defaults.
const (
	// DefaultMaxBody is the largest request body accepted, compressed or
	// not: above it the answer is 413.
	DefaultMaxBody = 4 << 20
	// DefaultPageLimit is the most records one pull page holds.
	DefaultPageLimit = 1000
	// DefaultPageBytes is about the most record JSON one pull page holds
	// before compression (so a page is a few tens of KB on the wire).
	DefaultPageBytes = 384 << 10
	// gzipMinSize: smaller answers are not worth compressing.
	gzipMinSize = 512
)

// ServerConfig configures the server's HTTP handlers.
type ServerConfig struct {
	// Storage holds devices, enrolment codes and records. Required.
	Storage Storage
	// Logger receives one JSON line per request (never record content);
	// nil discards.
	Logger *slog.Logger
	// MaxBody is the request body limit in bytes (DefaultMaxBody if 0).
	MaxBody int64
	// PageLimit and PageBytes cap a pull page (defaults if 0).
	PageLimit int
	// PageBytes caps the record JSON of a pull page (DefaultPageBytes if 0).
	PageBytes int
	// Now is the clock (time.Now if nil).
	Now func() time.Time
	// EnrollReadTimeout bounds reading an enrolment request (15 s if 0).
	EnrollReadTimeout time.Duration
	// Pages, if not nil, serves the province's web pages under
	// /province/ (package province).
	Pages http.Handler
}

// Server serves the sync protocol: health, enroll, push and pull.
type Server struct {
	cfg ServerConfig
	log *slog.Logger
	mux *http.ServeMux

	failMu stdsync.Mutex
	fails  map[string][]time.Time // remote IP -> recent failed enrolments
}

// HTTPProtocols returns the protocols an http.Server of the sync
// protocol should accept: HTTP/1.1, HTTP/2 over TLS, and HTTP/2 without
// TLS (h2c), which clients use for http:// servers so that two pushes can
// share one connection. A server without h2c still works: clients fall
// back to HTTP/1.1 one request at a time.
func HTTPProtocols() *http.Protocols {
	p := new(http.Protocols)
	p.SetHTTP1(true)
	p.SetHTTP2(true)
	p.SetUnencryptedHTTP2(true)
	return p
}

// NewServer returns the protocol's handlers over cfg.Storage.
func NewServer(cfg ServerConfig) *Server {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.PageLimit <= 0 {
		cfg.PageLimit = DefaultPageLimit
	}
	if cfg.PageBytes <= 0 {
		cfg.PageBytes = DefaultPageBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.EnrollReadTimeout <= 0 {
		cfg.EnrollReadTimeout = enrollReadTimeout
	}
	s := &Server{cfg: cfg, log: cfg.Logger, mux: http.NewServeMux(), fails: map[string][]time.Time{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.mux.HandleFunc(PathHealth, s.handleHealth)
	s.mux.HandleFunc(PathEnroll, s.handleEnroll)
	s.mux.HandleFunc(PathPush, s.handlePush)
	s.mux.HandleFunc(PathPull, s.handlePull)
	s.mux.HandleFunc(PathBundle, s.handleBundle)
	for _, old := range []string{pathPushV1, pathPullV1} {
		s.mux.HandleFunc(old, func(w http.ResponseWriter, r *http.Request) {
			DrainBody(r, s.cfg.MaxBody)
			writeError(w, r, newAPIError(http.StatusUpgradeRequired, CodeUpgradeRequired, "%s", upgradeMessage))
		})
	}
	if cfg.Pages != nil {
		s.mux.Handle("/province/", cfg.Pages)
		s.mux.Handle("GET /province", http.RedirectHandler("/province/", http.StatusSeeOther))
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, newAPIError(http.StatusNotFound, CodeNotFound, "no endpoint %s", clipString(r.URL.Path, 80)))
	})
	return s
}

// DrainBody reads and discards up to limit bytes of a request body that
// is refused unread, so a client still writing a large push reads the
// answer instead of failing on a broken pipe (which it would retry).
func DrainBody(r *http.Request, limit int64) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, limit))
	}
}

// reqInfo collects what the request log line says.
type reqInfo struct {
	device, commune, code string
	records               int
}

type infoKey struct{}

func info(r *http.Request) *reqInfo {
	if ri, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		return ri
	}
	return &reqInfo{}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

// Unwrap gives http.ResponseController the connection's writer (for
// read deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// WriteHeader records the status.
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records the bytes written.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// ServeHTTP serves one request and logs it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ri := &reqInfo{}
	r = r.WithContext(context.WithValue(r.Context(), infoKey{}, ri))
	sw := &statusWriter{ResponseWriter: w}
	sw.Header().Set(HeaderServerTime, strconv.FormatInt(s.cfg.Now().UnixMilli(), 10))
	defer s.logRequest(sw, r, ri, start)
	if n := headerSize(r); n > MaxHeaderSize {
		writeError(sw, r, newAPIError(http.StatusRequestHeaderFieldsTooLarge, CodeTooLarge, "request headers of %d bytes are above the limit of %d", n, MaxHeaderSize))
		return
	}
	if clean := cleanPath(r.URL.Path); clean != r.URL.Path {
		writeError(sw, r, newAPIError(http.StatusNotFound, CodeNotFound, "path %q is not canonical: use %q", clipString(r.URL.Path, 80), clipString(clean, 80)))
		return
	}
	s.mux.ServeHTTP(sw, r)
}

// headerSize is about the size of r's header block.
func headerSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + 12
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// cleanPath is path as http.ServeMux would redirect to (no "//", ".",
// ".."): the server answers a JSON 404 instead of a plain redirect.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := pathpkg.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}

// logRequest logs one request and turns a panic into a 500.
func (s *Server) logRequest(sw *statusWriter, r *http.Request, ri *reqInfo, start time.Time) {
	{
		if p := recover(); p != nil {
			s.log.Error("panic in handler", "path", r.URL.Path, "panic", fmt.Sprint(p))
			if sw.status == 0 {
				writeError(sw, r, newAPIError(http.StatusInternalServerError, CodeInternal, "internal error"))
			}
		}
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", sw.status,
			"ms", time.Since(start).Milliseconds(), "bytes_in", r.ContentLength, "bytes_out", sw.bytes}
		if ri.device != "" {
			attrs = append(attrs, "device", ri.device, "commune", ri.commune)
		}
		if ri.records > 0 {
			attrs = append(attrs, "records", ri.records)
		}
		if ri.code != "" {
			attrs = append(attrs, "code", ri.code)
		}
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.log.Log(r.Context(), level, "request", attrs...)
	}
}

// writeJSON writes body (JSON) with status, gzip-compressed when the
// client accepts it and the body is worth it.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	if len(body) >= gzipMinSize && acceptsGzip(r) {
		var buf bytes.Buffer
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(&buf)
		_, _ = zw.Write(body)
		_ = zw.Close()
		gzipWriters.Put(zw)
		h.Set("Content-Encoding", "gzip")
		h.Set("Vary", "Accept-Encoding")
		body = buf.Bytes()
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func acceptsGzip(r *http.Request) bool { return acceptsEncoding(r, "gzip") }

func writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	info(r).code = e.Body.Code
	b, _ := json.Marshal(e.Body)
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="danvan"`)
	}
	writeJSON(w, r, e.Status, b)
}

func (s *Server) storageError(what string, err error) *apiError {
	switch {
	case errors.Is(err, ErrClosed), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return newAPIError(http.StatusServiceUnavailable, CodeUnavailable, "%s: server is stopping, retry", what)
	}
	s.log.Error("storage error", "op", what, "err", err.Error())
	return newAPIError(http.StatusInternalServerError, CodeInternal, "%s failed", what)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, r, newAPIError(http.StatusMethodNotAllowed, CodeMethod, "use GET"))
		return
	}
	b, _ := json.Marshal(HealthResponse{OK: true, ServerID: s.cfg.Storage.ServerID(), Version: ProtocolVersion})
	writeJSON(w, r, http.StatusOK, b)
}

// authenticate returns the device of the request's bearer token.
func (s *Server) authenticate(r *http.Request) (Device, *apiError) {
	// RFC 7235: the scheme is case-insensitive ("bearer", "BEARER").
	scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return Device{}, newAPIError(http.StatusUnauthorized, CodeUnauthorized, "no bearer token")
	}
	sum := sha256.Sum256([]byte(token))
	dev, err := s.cfg.Storage.DeviceByToken(r.Context(), sum[:])
	if errors.Is(err, ErrNoDevice) {
		return Device{}, newAPIError(http.StatusUnauthorized, CodeUnauthorized, "unknown device token: enroll again")
	}
	if err != nil {
		return Device{}, s.storageError("authenticate", err)
	}
	ri := info(r)
	ri.device, ri.commune = dev.ID, dev.Commune
	if !dev.Active() {
		return Device{}, newAPIError(http.StatusUnauthorized, CodeRevoked, "device token revoked on %s: enroll again", dev.Revoked.UTC().Format(time.RFC3339))
	}
	if err := s.cfg.Storage.TouchDevice(r.Context(), dev.ID, s.cfg.Now()); err != nil && !errors.Is(err, ErrClosed) {
		s.log.Warn("touch device", "device", dev.ID, "err", err.Error())
	}
	return dev, nil
}

func (s *Server) handlePush(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, r, newAPIError(http.StatusMethodNotAllowed, CodeMethod, "use POST"))
		return
	}
	dev, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if dev.Role != RoleCommune {
		writeError(w, r, newAPIError(http.StatusForbidden, CodeReadOnly, "a %s token cannot write", dev.Role))
		return
	}
	key := r.Header.Get(HeaderIdempotencyKey)
	if key == "" || len(key) > 128 || strings.ContainsFunc(key, func(c rune) bool { return c <= ' ' || c > '~' }) {
		writeError(w, r, newAPIError(http.StatusBadRequest, CodeBadRequest, "%s header missing or invalid (1-128 printable ASCII characters)", HeaderIdempotencyKey))
		return
	}
	body, aerr := readBody(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody), r.Header.Get("Content-Encoding"), s.cfg.MaxBody)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	req, aerr := decodePush(body, s.cfg.Now())
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	info(r).records = len(req.Records)
	var other []RecordError
	for i := range req.Records {
		if c := req.Records[i].Commune; c != dev.Commune {
			other = append(other, RecordError{Index: i, ID: req.Records[i].ID, Code: CodeOtherCommune,
				Error: fmt.Sprintf("record is of commune %s; this device may write only %s", clipString(c, 16), dev.Commune)})
		}
	}
	if len(other) > 0 {
		e := newAPIError(http.StatusForbidden, CodeOtherCommune, "%d of %d records belong to another commune; first: %s", len(other), len(req.Records), other[0])
		e.Body.Records = other
		writeError(w, r, e)
		return
	}
	hash := sha256.Sum256(body)
	merge, err := mergeFor(dev, req.Records, req.Partial)
	if err != nil {
		writeError(w, r, newAPIError(http.StatusBadRequest, CodeInvalidRecord, "%v", err))
		return
	}
	res, err := s.cfg.Storage.Apply(r.Context(), ApplyRequest{
		Device: dev.ID, Key: key, BodyHash: hash[:], Records: req.Records, Merge: merge,
	})
	var rej *RejectError
	switch {
	case errors.As(err, &rej):
		e := newAPIError(rej.Status, rej.Record.Code, "record refused: %s", rej.Record)
		e.Body.Records = []RecordError{rej.Record}
		writeError(w, r, e)
		return
	case errors.Is(err, ErrIdempotencyMismatch):
		writeError(w, r, newAPIError(http.StatusUnprocessableEntity, CodeIdempotencyReused, "%s %q was used before with a different body", HeaderIdempotencyKey, clipString(key, 40)))
		return
	case errors.Is(err, ErrBatchTooBig):
		writeError(w, r, newAPIError(http.StatusRequestEntityTooLarge, CodeTooLarge, "batch of %d records does not fit one transaction: send fewer", len(req.Records)))
		return
	case err != nil:
		writeError(w, r, s.storageError("push", err))
		return
	}
	b, _ := json.Marshal(PushResponse(res))
	writeJSON(w, r, http.StatusOK, b)
}

// mergeFor returns the merge a push by dev applies: data.Merge, refusing
// records stored for another commune or as another kind. The records'
// normal forms (data.Merge(in, in): review writes sorted and
// de-duplicated) and their JSON are computed here, in the request's
// goroutine, so that the storage's single writer only merges records
// that already exist.
//
// A partial record (only the fields the laptop believes the server
// lacks) is merged into the stored one and the result checked whole with
// data.CheckWire; a partial record the server does not hold is refused
// 409 need_full, and the laptop sends it whole. The laptop does not hold
// the merged version of a partial push, so it is never "own".
func mergeFor(dev Device, recs []data.Record, partial []bool) (MergeFunc, error) {
	norm := make([]data.Record, len(recs))
	normJS := make([][]byte, len(recs))
	for i, in := range recs {
		if partial != nil && partial[i] {
			continue
		}
		norm[i] = data.Merge(in, in)
		js, err := json.Marshal(norm[i])
		if err != nil {
			return nil, fmt.Errorf("encode record %s: %w", in.ID, err)
		}
		normJS[i] = js
	}
	return func(i int, old *data.Record, in data.Record) (data.Record, []byte, bool, error) {
		part := partial != nil && partial[i]
		if old == nil && part {
			return data.Record{}, nil, false, &RejectError{Status: http.StatusConflict, Record: RecordError{Index: i, ID: in.ID, Code: CodeNeedFull,
				Error: "the server does not hold this record: send it whole"}}
		}
		if old == nil {
			return norm[i], normJS[i], true, nil
		}
		if old.Commune != dev.Commune {
			return data.Record{}, nil, false, &RejectError{Status: http.StatusForbidden, Record: RecordError{ID: in.ID, Code: CodeOtherCommune,
				Error: fmt.Sprintf("record is stored for another commune; this device may write only %s", dev.Commune)}}
		}
		if old.Kind != in.Kind {
			return data.Record{}, nil, false, &RejectError{Status: http.StatusBadRequest, Record: RecordError{ID: in.ID, Code: CodeKindMismatch,
				Error: fmt.Sprintf("record is stored as a %s, pushed as a %s", old.Kind, in.Kind)}}
		}
		merged := data.Merge(*old, in)
		if part {
			if code, msg := checkSchema(&merged, false); code != "" {
				return data.Record{}, nil, false, &RejectError{Status: http.StatusBadRequest, Record: RecordError{Index: i, ID: in.ID, Code: code, Error: msg}}
			}
		}
		js, err := json.Marshal(merged)
		if err != nil {
			return data.Record{}, nil, false, fmt.Errorf("encode merged %s: %w", in.ID, err)
		}
		return merged, js, !part && bytes.Equal(js, normJS[i]), nil
	}, nil
}

func (s *Server) handlePull(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, r, newAPIError(http.StatusMethodNotAllowed, CodeMethod, "use GET"))
		return
	}
	dev, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	q := r.URL.Query()
	var since uint64
	if v := q.Get("since"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			writeError(w, r, newAPIError(http.StatusBadRequest, CodeBadRequest, "since=%q is not a sequence number", clipString(v, 24)))
			return
		}
		since = n
	}
	limit := s.cfg.PageLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			writeError(w, r, newAPIError(http.StatusBadRequest, CodeBadRequest, "limit=%q is not a positive number", clipString(v, 24)))
			return
		}
		limit = min(n, s.cfg.PageLimit)
	}
	pr := PullRequest{Commune: dev.Commune, Since: since, Limit: limit, MaxBytes: s.cfg.PageBytes, Exclude: dev.ID}
	if dev.Role == RoleProvince {
		pr.Commune, pr.Exclude = q.Get("commune"), ""
	}
	if q.Get("echo") == "1" {
		pr.Exclude = ""
	}
	page, err := s.cfg.Storage.Pull(r.Context(), pr)
	switch {
	case errors.Is(err, ErrCursorExpired):
		e := newAPIError(http.StatusGone, CodeCursorExpired, "cursor %d is older than the server's tombstone retention: pull everything from 0", since)
		e.Body.Resync = true
		writeError(w, r, e)
		return
	case errors.Is(err, ErrCursorAhead):
		e := newAPIError(http.StatusGone, CodeCursorAhead, "cursor %d is ahead of this server's sequence (restored from a backup?): pull everything from 0 and send every record", since)
		e.Body.Resync = true
		writeError(w, r, e)
		return
	case err != nil:
		writeError(w, r, s.storageError("pull", err))
		return
	}
	s.streamPull(w, r, pr, page)
}

// Bounds of one pull answer: pages are streamed one after the other
// until no change waits, or pullStreamTime has passed since the request
// came (the answer must end well within the write timeout at 2G speed),
// or pullStreamRecords records were sent; the laptop then asks again
// from the last page's cursor.
const (
	pullStreamTime    = 40 * time.Second
	pullStreamRecords = 200000
)

// streamPull writes the answer of a pull: a stream of pages, each one
// wbatch document on its own line with its cursor, compressed as a whole
// (zstd when the client accepts it, else gzip, else none) and flushed
// after each page, so the laptop commits every page as it arrives and a
// dropped link loses at most the page in flight.
func (s *Server) streamPull(w http.ResponseWriter, r *http.Request, pr PullRequest, page PullPage) {
	h := w.Header()
	h.Set("Content-Type", "application/x-ndjson")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	var out io.Writer = w
	var flush func() error
	switch {
	case acceptsEncoding(r, EncodingZstd):
		zw := zstdWriters.Get().(*zstd.Encoder)
		zw.Reset(w)
		defer func() { _ = zw.Close(); zstdWriters.Put(zw) }()
		h.Set("Content-Encoding", EncodingZstd)
		out, flush = zw, zw.Flush
	case acceptsEncoding(r, "gzip"):
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(w)
		defer func() { _ = zw.Close(); gzipWriters.Put(zw) }()
		h.Set("Content-Encoding", "gzip")
		out, flush = zw, zw.Flush
	}
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	started := time.Now()
	sent := 0
	waiting := 0
	if bl, ok := s.cfg.Storage.(backlogger); ok && page.More {
		waiting, _ = bl.Backlog(r.Context(), pr.Commune, pr.Since)
	}
	for {
		wb := wbatch{V: WireVersion, Commune: pr.Commune, Records: make([]wrecord, 0, len(page.Records)), Cursor: page.Cursor, More: page.More, Waiting: waiting}
		waiting = 0
		enc := newWireEncoder(pr.Commune)
		for _, js := range page.Records {
			var rec data.Record
			if err := json.Unmarshal(js, &rec); err != nil {
				s.log.Error("pull: stored record does not decode", "err", err)
				return
			}
			wb.Records = append(wb.Records, enc.record(&rec, data.HLC{}))
		}
		wb.Devices = enc.devs
		if wb.Devices == nil {
			wb.Devices = []string{}
		}
		line, _ := json.Marshal(wb)
		line = append(line, '\n')
		if _, err := out.Write(line); err != nil {
			return
		}
		if flush != nil {
			if err := flush(); err != nil {
				return
			}
		}
		_ = rc.Flush()
		sent += len(page.Records)
		info(r).records = sent
		if !page.More || time.Since(started) > pullStreamTime || sent >= pullStreamRecords || r.Context().Err() != nil {
			return
		}
		pr.Since = page.Cursor
		next, err := s.cfg.Storage.Pull(r.Context(), pr)
		if err != nil {
			// the page sent says More: the laptop asks again from its cursor
			s.log.Warn("pull: next page", "err", err)
			return
		}
		page = next
	}
}

// backlogger is a Storage that can count the changes stored after a
// cursor, for one commune ("" for all): the first page of a pull says
// how many wait, so that the laptop shows its progress and time left.
type backlogger interface {
	Backlog(ctx context.Context, commune string, since uint64) (int, error)
}

// acceptsEncoding reports whether the request's Accept-Encoding names enc.
func acceptsEncoding(r *http.Request, enc string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		if strings.EqualFold(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]), enc) {
			return true
		}
	}
	return false
}

// Enrolment brute-force guard. Codes carry 60 random bits, so guessing
// one is hopeless at any rate a server answers; the limits stop
// hammering without letting one person block others:
//   - per address: enrolFailMaxAddr wrong codes within enrolFailWindow
//     get 429. The limit is high because a district's laptops may share
//     one carrier-NAT address, where one cadre mistyping a code 20 times
//     must not lock everyone else out.
//   - per code: enrolFailMaxCode failed attempts with the same code
//     (unknown, used, expired, other commune) within the window get 429
//     for that code only, from any address.
const (
	enrolFailMaxAddr = 200
	enrolFailMaxCode = 10
	enrolFailWindow  = 10 * time.Minute
)

// enrolBlocked records a failure (when failed) under key and reports
// whether key has reached max failures within the window.
func (s *Server) enrolBlocked(key string, max int, now time.Time, failed bool) bool {
	s.failMu.Lock()
	defer s.failMu.Unlock()
	recent := s.fails[key][:0]
	for _, t := range s.fails[key] {
		if now.Sub(t) < enrolFailWindow {
			recent = append(recent, t)
		}
	}
	if failed {
		recent = append(recent, now)
	}
	if len(recent) == 0 {
		delete(s.fails, key)
	} else {
		s.fails[key] = recent
	}
	return len(recent) >= max
}

func (s *Server) handleEnroll(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, r, newAPIError(http.StatusMethodNotAllowed, CodeMethod, "use POST"))
		return
	}
	now := s.cfg.Now()
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	addrKey := "a/" + ip
	if s.enrolBlocked(addrKey, enrolFailMaxAddr, now, false) {
		writeError(w, r, newAPIError(http.StatusTooManyRequests, "too_many_attempts", "too many wrong enrolment codes from this address: wait %s", enrolFailWindow))
		return
	}
	// A slow body only holds a connection: an enrolment is 64 KB at most.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.cfg.EnrollReadTimeout))
	body, aerr := readBody(http.MaxBytesReader(w, r.Body, 64<<10), r.Header.Get("Content-Encoding"), 64<<10)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	var req EnrollRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, r, newAPIError(http.StatusBadRequest, CodeMalformedJSON, "enroll body: %v", err))
		return
	}
	code := NormalizeCode(req.Code)
	if code == "" {
		writeError(w, r, newAPIError(http.StatusBadRequest, CodeBadRequest, "no enrolment code"))
		return
	}
	codeKey := "c/" + string(codeHash(code))
	if s.enrolBlocked(codeKey, enrolFailMaxCode, now, false) {
		writeError(w, r, newAPIError(http.StatusTooManyRequests, "too_many_attempts", "this enrolment code was refused too many times: wait %s or ask the province for a new one", enrolFailWindow))
		return
	}
	token := base64.RawURLEncoding.EncodeToString(newRandom(32))
	th := sha256.Sum256([]byte(token))
	dev := Device{ID: data.NewID(), TokenHash: th[:], StoreDevice: clipString(req.Device, 64), Enrolled: now.UTC()}
	dev, err := s.cfg.Storage.RedeemEnrolment(r.Context(), codeHash(code), now, req.Commune, dev)
	if err != nil {
		var e *apiError
		switch {
		case errors.Is(err, ErrCodeUnknown):
			e = newAPIError(http.StatusForbidden, CodeCodeUnknown, "enrolment code not known to this server")
		case errors.Is(err, ErrCodeUsed):
			e = newAPIError(http.StatusForbidden, CodeCodeUsed, "enrolment code was already used: ask the province for a new one")
		case errors.Is(err, ErrCodeExpired):
			e = newAPIError(http.StatusForbidden, CodeCodeExpired, "enrolment code has expired: ask the province for a new one")
		case errors.Is(err, ErrCommuneMismatch):
			e = newAPIError(http.StatusConflict, CodeCommuneMismatch, "enrolment code is for another commune than this laptop's (%s)", clipString(req.Commune, 16))
		default:
			writeError(w, r, s.storageError("enroll", err))
			return
		}
		s.enrolBlocked(addrKey, enrolFailMaxAddr, now, true)
		s.enrolBlocked(codeKey, enrolFailMaxCode, now, true)
		writeError(w, r, e)
		return
	}
	ri := info(r)
	ri.device, ri.commune = dev.ID, dev.Commune
	b, _ := json.Marshal(EnrollResponse{Token: token, DeviceID: dev.ID, Commune: dev.Commune, Label: dev.Label, ServerID: s.cfg.Storage.ServerID()})
	writeJSON(w, r, http.StatusOK, b)
}
