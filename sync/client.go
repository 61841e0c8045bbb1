package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"time"
)

// Client errors.
var (
	// ErrNotEnrolled: the store has no device token yet.
	ErrNotEnrolled = errors.New("this laptop is not enrolled with a server")
	// ErrNeedsEnrolment: the server refused the device token (revoked or
	// unknown): the cadre must enroll again. Nothing local is lost.
	ErrNeedsEnrolment = errors.New("the server refused this laptop's token: enroll again")
	// ErrUpdateApp: the server speaks a newer protocol version (426
	// upgrade_required): the app must be updated. Nothing local is lost.
	ErrUpdateApp = errors.New("the server speaks a newer sync protocol: update the app")
	// ErrServerOld: the server does not know this protocol version's
	// paths (404 on push or pull): the server must be updated.
	ErrServerOld = errors.New("the server speaks an older sync protocol: the server must be updated")
)

// StatusError is an error answer from the server.
type StatusError struct {
	// Op is the request: "push", "pull", "enroll", "health".
	Op string
	// Status is the HTTP status; Body the error the server sent.
	Status int
	Body   ErrorBody
}

// Error says which request failed and what the server answered.
func (e *StatusError) Error() string {
	if e.Body.Code == "" {
		return fmt.Sprintf("%s: server answered %d %s", e.Op, e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("%s: server answered %d %s: %s", e.Op, e.Status, e.Body.Code, e.Body.Error)
}

// transient reports whether retrying the same request later may succeed.
func (e *StatusError) transient() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout
}

// NetError is a failure to reach the server or to finish an exchange.
type NetError struct {
	// Op is the request: "push", "pull", "enroll", "health".
	Op string
	// Offline is true when no connection could be made at all.
	Offline bool
	// Err is the transport's error.
	Err error
}

// Error says which request failed and how.
func (e *NetError) Error() string {
	if e.Offline {
		return fmt.Sprintf("%s: cannot reach the server: %v", e.Op, e.Err)
	}
	return fmt.Sprintf("%s: connection failed: %v", e.Op, e.Err)
}

// Unwrap returns the transport's error.
func (e *NetError) Unwrap() error { return e.Err }

// byteCounter counts the bytes a client moves on the wire (TCP payload,
// TLS included when there is TLS).
type byteCounter struct{ sent, recv atomic.Int64 }

// countingConn counts bytes and aborts an exchange that makes no
// progress for stall (a 2G link that silently died).
type countingConn struct {
	net.Conn
	c     *byteCounter
	stall time.Duration
}

// Read reads and counts, failing after stall without progress.
func (c *countingConn) Read(b []byte) (int, error) {
	if c.stall > 0 {
		_ = c.Conn.SetReadDeadline(time.Now().Add(c.stall))
	}
	n, err := c.Conn.Read(b)
	c.c.recv.Add(int64(n))
	return n, err
}

// Write writes and counts, failing after stall without progress.
func (c *countingConn) Write(b []byte) (int, error) {
	if c.stall > 0 {
		_ = c.Conn.SetWriteDeadline(time.Now().Add(c.stall))
	}
	n, err := c.Conn.Write(b)
	c.c.sent.Add(int64(n))
	return n, err
}

// newTransport returns an HTTP transport of the sync client: one
// connection to the server, kept alive, counting its bytes, and giving
// up on an exchange that makes no progress for stall. With h2c it speaks
// HTTP/2 without TLS (prior knowledge) to an http:// server; otherwise
// HTTP/1.1, and HTTP/2 when TLS negotiates it.
func newTransport(cnt *byteCounter, stall time.Duration, h2c bool) *http.Transport {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &countingConn{Conn: c, c: cnt, stall: stall}, nil
		},
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 1,
		MaxConnsPerHost:     1,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 30 * time.Second,
		DisableCompression:  true, // gzip is handled here, both ways
	}
	if h2c {
		tr.Proxy = nil
		tr.Protocols = new(http.Protocols)
		tr.Protocols.SetUnencryptedHTTP2(true)
	}
	return tr
}

// transports are a client's HTTP transports: HTTP/2 without TLS for
// http:// servers (so two pushes can share the one connection), the
// standard one for https:// servers and for http:// servers that only
// speak HTTP/1.1.
type transports struct {
	cnt      *byteCounter
	h2c, std *http.Transport
}

func newTransports(stall time.Duration) *transports {
	cnt := &byteCounter{}
	return &transports{cnt: cnt, h2c: newTransport(cnt, stall, true), std: newTransport(cnt, stall, false)}
}

// h1Only remembers the http:// servers that refused HTTP/2.
var h1Only stdsync.Map // base URL -> true

// client returns the API client for a server.
func (t *transports) client(base, token string) *apiClient {
	c := &apiClient{base: base, token: token, cnt: t.cnt, hc: &http.Client{Transport: t.std}}
	if strings.HasPrefix(base, "http://") {
		if _, ok := h1Only.Load(base); !ok {
			c.h2c, c.h1 = &http.Client{Transport: t.h2c}, c.hc
			c.hc = c.h2c
		}
	}
	return c
}

func (t *transports) closeIdle() {
	t.h2c.CloseIdleConnections()
	t.std.CloseIdleConnections()
}

// signalBody closes sent when the transport has read the whole body.
type signalBody struct {
	r    *bytes.Reader
	once *stdsync.Once
	sent chan struct{}
}

// Read reads the body and signals its end.
func (b *signalBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF && b.sent != nil {
		b.once.Do(func() { close(b.sent) })
	}
	return n, err
}

// apiClient makes the protocol's requests.
type apiClient struct {
	base  string
	token string
	hc    *http.Client
	cnt   *byteCounter
	// h2c and h1 are set for an http:// server tried with HTTP/2 first;
	// a server that answers in HTTP/1.1 makes hc fall back to h1.
	h2c, h1 *http.Client
	// h2ok is set once the server has answered over h2c.
	h2ok atomic.Bool
	// hcMu guards hc, which a fallback changes while requests run.
	hcMu stdsync.Mutex
	// skewMs is the server's clock minus this machine's, in ms, from the
	// last answer that stated the server's time (HeaderServerTime);
	// hasSkew is set once one did.
	skewMs  atomic.Int64
	hasSkew atomic.Bool
}

// noteServerTime records how far the server's clock (stated in the
// answer) is from this machine's, taking the middle of the exchange as
// the moment the server answered.
func (c *apiClient) noteServerTime(h http.Header, sent, got time.Time) {
	ms, err := strconv.ParseInt(h.Get(HeaderServerTime), 10, 64)
	if err != nil {
		return
	}
	mid := sent.Add(got.Sub(sent) / 2)
	c.skewMs.Store(ms - mid.UnixMilli())
	c.hasSkew.Store(true)
}

// client returns the HTTP client requests use now.
func (c *apiClient) client() *http.Client {
	c.hcMu.Lock()
	defer c.hcMu.Unlock()
	return c.hc
}

// normalizeServerURL checks and cleans a server address.
func normalizeServerURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("server address %q: %w", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("server address %q: scheme must be https or http", s)
	}
	if u.Host == "" {
		return "", fmt.Errorf("server address %q: no host", s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

const userAgent = "danvan-sync/1"

// do sends one request and returns the decoded (gunzipped) answer body.
// sent, if not nil, is closed once the whole body has been handed to the
// connection.
//
// enc is the body's Content-Encoding ("" for none). With stream not nil,
// a 200 answer's (decompressed) body is handed to stream as it arrives
// instead of being read whole, and do returns stream's error.
func (c *apiClient) do(ctx context.Context, op, method, path string, body []byte, enc string, hdr map[string]string, sent chan struct{}, stream func(io.Reader) error) ([]byte, error) {
	once := new(stdsync.Once)
	hc := c.client()
	usedH2C := c.h2c != nil && hc == c.h2c
	out, err := c.do1With(hc, ctx, op, method, path, body, enc, hdr, sent, once, stream)
	if err == nil && usedH2C {
		c.h2ok.Store(true)
	}
	if err != nil && usedH2C && (notH2C(err) || (!c.h2ok.Load() && refusedEarly(err))) {
		// an HTTP/1.1-only server (or proxy): ask again in HTTP/1.1 and,
		// when that works (or the refusal was unmistakable), remember
		out1, err1 := c.do1With(c.h1, ctx, op, method, path, body, enc, hdr, sent, once, stream)
		// Any answer in HTTP/1.1, an error status included (a 426 from a
		// later server), shows the server speaks it: that answer counts.
		var se *StatusError
		if err1 == nil || notH2C(err) || errors.As(err1, &se) {
			h1Only.Store(c.base, true)
			c.hcMu.Lock()
			c.hc = c.h1
			c.hcMu.Unlock()
			out, err = out1, err1
		}
	}
	return out, err
}

// notH2C reports whether err says the server does not speak HTTP/2 over
// plain TCP. Depending on timing, Go reports it either way. Falling back is
// harmless for a server that does: h2c servers also speak HTTP/1.1.
func notH2C(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "looked like an HTTP/1.1 header") ||
		strings.Contains(msg, "http2: client conn could not be established")
}

// refusedEarly reports whether err is the connection being dropped under
// a request: how an HTTP/1.1-only server sometimes answers an h2c preface
// sent with a body.
func refusedEarly(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "broken pipe") || strings.Contains(msg, "connection reset by peer")
}

// do1With sends one request through hc.
func (c *apiClient) do1With(hc *http.Client, ctx context.Context, op, method, path string, body []byte, enc string, hdr map[string]string, sent chan struct{}, once *stdsync.Once, stream func(io.Reader) error) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if body != nil {
		mk := func() io.ReadCloser {
			return io.NopCloser(&signalBody{r: bytes.NewReader(body), once: once, sent: sent})
		}
		req.Body, req.GetBody = mk(), func() (io.ReadCloser, error) { return mk(), nil }
		req.ContentLength = int64(len(body))
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept-Encoding", EncodingZstd+", gzip")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		if enc != "" {
			req.Header.Set("Content-Encoding", enc)
		}
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	sentAt := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var op2 *net.OpError
		offline := errors.As(err, &op2) && op2.Op == "dial"
		return nil, &NetError{Op: op, Offline: offline, Err: err}
	}
	defer resp.Body.Close()
	c.noteServerTime(resp.Header, sentAt, time.Now())
	var r io.Reader = io.LimitReader(resp.Body, 256<<20)
	switch ce := resp.Header.Get("Content-Encoding"); {
	case strings.EqualFold(ce, "gzip"):
		zr, err := gzip.NewReader(r)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, &NetError{Op: op, Err: fmt.Errorf("gzip answer: %w", err)}
		}
		r = zr
	case strings.EqualFold(ce, EncodingZstd):
		zr, err := newZstdReader(r)
		if err != nil {
			return nil, &NetError{Op: op, Err: fmt.Errorf("zstd answer: %w", err)}
		}
		defer zr.Close()
		r = zr
	}
	if stream != nil && resp.StatusCode == http.StatusOK {
		err := stream(r)
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	out, err := io.ReadAll(r)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &NetError{Op: op, Err: fmt.Errorf("read answer: %w", err)}
	}
	if resp.StatusCode != http.StatusOK {
		se := &StatusError{Op: op, Status: resp.StatusCode}
		_ = json.Unmarshal(out, &se.Body)
		switch {
		case se.Status == http.StatusUpgradeRequired:
			return nil, fmt.Errorf("%w: %w", ErrUpdateApp, se)
		case se.Status == http.StatusNotFound && (op == "push" || op == "pull"):
			return nil, fmt.Errorf("%w: %w", ErrServerOld, se)
		}
		return nil, se
	}
	return out, nil
}

func (c *apiClient) health(ctx context.Context) (HealthResponse, error) {
	var h HealthResponse
	b, err := c.do(ctx, "health", http.MethodGet, PathHealth, nil, "", nil, nil, nil)
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return h, &NetError{Op: "health", Err: fmt.Errorf("decode answer: %w", err)}
	}
	return h, nil
}

func (c *apiClient) enroll(ctx context.Context, req EnrollRequest) (EnrollResponse, error) {
	var out EnrollResponse
	body, _ := json.Marshal(req)
	b, err := c.do(ctx, "enroll", http.MethodPost, PathEnroll, body, "", nil, nil, nil)
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(b, &out); err != nil || out.Token == "" {
		return out, &NetError{Op: "enroll", Err: fmt.Errorf("decode answer: %v", err)}
	}
	return out, nil
}

// push sends a gzip batch; sent (may be nil) is closed once the body has
// been handed to the connection.
func (c *apiClient) push(ctx context.Context, key string, body []byte, sent chan struct{}) (PushResponse, error) {
	var out PushResponse
	b, err := c.do(ctx, "push", http.MethodPost, PathPush, body, EncodingZstd, map[string]string{HeaderIdempotencyKey: key}, sent, nil)
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out, &NetError{Op: "push", Err: fmt.Errorf("decode answer: %w", err)}
	}
	return out, nil
}

// pull asks for the changes after since; echo asks also for the records
// this device sent itself (during a full resync). The server streams
// pages; page is called with each as it arrives (its records decoded,
// those that do not decode listed in Bad), and an error from page ends
// the pull with that error. pull returns the last page's More.
func (c *apiClient) pull(ctx context.Context, since uint64, limit int, echo bool, page func(PullResponse) error) (more bool, err error) {
	path := PathPull + "?since=" + strconv.FormatUint(since, 10)
	if limit > 0 {
		path += "&limit=" + strconv.Itoa(limit)
	}
	if echo {
		path += "&echo=1"
	}
	pages := 0
	_, err = c.do(ctx, "pull", http.MethodGet, path, nil, "", nil, nil, func(r io.Reader) error {
		dec := json.NewDecoder(r)
		for {
			var wb wbatch
			if err := dec.Decode(&wb); err == io.EOF && pages > 0 {
				return nil
			} else if err != nil {
				return &NetError{Op: "pull", Err: fmt.Errorf("decode page %d: %w", pages+1, err)}
			}
			if wb.V != WireVersion {
				return &NetError{Op: "pull", Err: fmt.Errorf("page %d of wire version %d, want %d", pages+1, wb.V, WireVersion)}
			}
			recs, _, bad := wb.decodeRecords()
			pages++
			more = wb.More
			if err := page(PullResponse{Records: recs, Bad: bad, Cursor: wb.Cursor, More: wb.More, Waiting: wb.Waiting}); err != nil {
				return err
			}
		}
	})
	return more, err
}
