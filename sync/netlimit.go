package sync

import (
	"net"
	"net/http"
	stdsync "sync"
	"time"
)

// Defaults of the server's connection limits.
const (
	// DefaultReadTimeout bounds reading one request, headers and body:
	// a 4 MB push at 2G speed (about 40 KB/s) takes under two minutes.
	DefaultReadTimeout = 2 * time.Minute
	// DefaultWriteTimeout bounds writing one answer.
	DefaultWriteTimeout = 2 * time.Minute
	// DefaultIdleTimeout closes a kept-alive connection idle that long.
	DefaultIdleTimeout = 2 * time.Minute
	// DefaultConnsPerAddr is how many connections one IP address may
	// hold open at once. A laptop uses one; a commune office behind NAT
	// a few; a district behind carrier NAT more, hence some margin.
	DefaultConnsPerAddr = 64
	// headerTimeout bounds reading the request headers.
	headerTimeout = 20 * time.Second
	// maxHeaderBytes is what net/http reads of headers before answering
	// a plain-text 431 itself; the handlers answer a JSON 431 above
	// MaxHeaderSize, well before it.
	maxHeaderBytes = 4 << 20
	// MaxHeaderSize is the largest request header block accepted.
	MaxHeaderSize = 64 << 10
	// enrollReadTimeout bounds reading an enrolment request (64 KB at
	// most): a slow body there only holds a connection.
	enrollReadTimeout = 15 * time.Second
)

// Timeouts configures NewHTTPServer; zero fields take the defaults.
type Timeouts struct {
	Read, Write, Idle time.Duration
}

// NewHTTPServer returns the http.Server danvan-server runs handler in:
// the sync protocols (HTTPProtocols), header, read, write and idle
// timeouts, and a header limit above which net/http itself would answer.
func NewHTTPServer(handler http.Handler, t Timeouts) *http.Server {
	if t.Read <= 0 {
		t.Read = DefaultReadTimeout
	}
	if t.Write <= 0 {
		t.Write = DefaultWriteTimeout
	}
	if t.Idle <= 0 {
		t.Idle = DefaultIdleTimeout
	}
	return &http.Server{Handler: handler, Protocols: HTTPProtocols(),
		ReadHeaderTimeout: min(headerTimeout, t.Read), ReadTimeout: t.Read, WriteTimeout: t.Write, IdleTimeout: t.Idle,
		MaxHeaderBytes: maxHeaderBytes}
}

// LimitListener returns ln that lets one remote IP address hold at most
// perAddr connections at once: one more is closed as soon as it is
// accepted. perAddr <= 0 returns ln unchanged.
func LimitListener(ln net.Listener, perAddr int) net.Listener {
	if perAddr <= 0 {
		return ln
	}
	return &limitListener{Listener: ln, max: perAddr, open: map[string]int{}}
}

type limitListener struct {
	net.Listener
	max  int
	mu   stdsync.Mutex
	open map[string]int
}

// Accept returns the next connection of an address under its limit.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := remoteIP(c.RemoteAddr())
		l.mu.Lock()
		if l.open[ip] >= l.max {
			l.mu.Unlock()
			c.Close()
			continue
		}
		l.open[ip]++
		l.mu.Unlock()
		return &limitConn{Conn: c, l: l, ip: ip}, nil
	}
}

func remoteIP(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

type limitConn struct {
	net.Conn
	l    *limitListener
	ip   string
	once stdsync.Once
}

// Close closes the connection and frees its place.
func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		if c.l.open[c.ip]--; c.l.open[c.ip] <= 0 {
			delete(c.l.open, c.ip)
		}
		c.l.mu.Unlock()
	})
	return err
}
