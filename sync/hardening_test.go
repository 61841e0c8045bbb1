package sync

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"danvan/data"
)

// TestSchemaRefusedWith400NamingField: every bad input of the hostile
// client's list is a 400 invalid_record (or invalid_id) naming the field,
// and nothing is stored.
func TestSchemaRefusedWith400NamingField(t *testing.T) {
	ts := startServer(t)
	lap := enrolledLaptop(t, ts, "23368")
	tok := tokenOf(lap)
	good := sampleRecord(t, "23368")
	big := strings.Repeat("a", 3_900_000)
	cases := []struct {
		name, field string
		mut         func(r *data.Record)
	}{
		{"nil UUID", "id", func(r *data.Record) { r.ID = "00000000-0000-0000-0000-000000000000" }},
		{"negative wall", "f.name", func(r *data.Record) { f := r.Fields["name"]; f.S.Wall = -5; r.Fields["name"] = f }},
		{"negative households", "f.households", func(r *data.Record) { r.Fields["households"] = data.Field{V: json.RawMessage(`-3`), S: r.Created} }},
		{"unknown field", "f.spaceship", func(r *data.Record) { r.Fields["spaceship"] = data.Field{V: json.RawMessage(`1`), S: r.Created} }},
		{"invalid UTF-8", "f.notes", func(r *data.Record) {
			r.Fields["notes"] = data.Field{V: json.RawMessage("\"a\xff\xfeb\""), S: r.Created}
		}},
		{"NUL", "f.notes", func(r *data.Record) { r.Fields["notes"] = data.Field{V: json.RawMessage(`"a\u0000b"`), S: r.Created} }},
		{"3.9 MB string", "f.notes", func(r *data.Record) {
			r.Fields["notes"] = data.Field{V: json.RawMessage(`"` + big + `"`), S: r.Created}
		}},
		{"empty name", "f.name", func(r *data.Record) { r.Fields["name"] = data.Field{V: json.RawMessage(`""`), S: r.Created} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := good
			r.ID = data.NewID()
			r.Fields = map[string]data.Field{}
			for k, v := range good.Fields {
				r.Fields[k] = v
			}
			tc.mut(&r)
			// Built by hand: json.Marshal would replace invalid UTF-8.
			body := pushBody(t, r)
			if tc.name == "invalid UTF-8" {
				body = []byte(strings.Replace(string(body), `"a\ufffd\ufffdb"`, "\"a\xff\xfeb\"", 1))
			}
			status, eb, _ := rawPush(t, ts, tok, body)
			if status != http.StatusBadRequest || len(eb.Records) != 1 {
				t.Fatalf("status %d, %+v; want 400 naming one record", status, eb)
			}
			if c := eb.Records[0].Code; c != CodeInvalidRecord && c != CodeInvalidID {
				t.Errorf("code %s", c)
			}
			if !strings.Contains(eb.Records[0].Error, tc.field) {
				t.Errorf("error %q does not name %s", eb.Records[0].Error, tc.field)
			}
			if strings.Contains(eb.Error, "aaaa") {
				t.Error("the answer holds the value")
			}
		})
	}
	if n := ts.count("23368"); n != 0 {
		t.Fatalf("server stored %d refused records", n)
	}
	if status, _, _ := rawPush(t, ts, tok, pushBody(t, good)); status != http.StatusOK {
		t.Fatalf("good record after the bad ones: %d", status)
	}
}

// TestEveryErrorIsJSON: a 2 MB header, a path the mux would redirect and
// a lower-case "bearer" scheme.
func TestEveryErrorIsJSON(t *testing.T) {
	ts := startServer(t)
	lap := enrolledLaptop(t, ts, "23368")
	status, b := rawRequest(t, http.MethodGet, ts.URL+PathPull, tokenOf(lap), map[string]string{"X-Big": strings.Repeat("x", 2<<20)}, nil)
	var eb ErrorBody
	if status != http.StatusRequestHeaderFieldsTooLarge || json.Unmarshal(b, &eb) != nil || eb.Code != CodeTooLarge {
		t.Errorf("2 MB header: %d %.80q", status, b)
	}
	for _, p := range []string{"/v1//pull", "/v1/./pull", "/v1/x/../pull"} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+p, nil)
		req.URL.Opaque = p // sent as written
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var eb ErrorBody
		err = json.NewDecoder(resp.Body).Decode(&eb)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || err != nil || eb.Code != CodeNotFound {
			t.Errorf("%s: %d %v %+v", p, resp.StatusCode, err, eb)
		}
	}
	for _, scheme := range []string{"bearer", "BEARER", "Bearer"} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+PathPull, nil)
		req.Header.Set("Authorization", scheme+" "+tokenOf(lap))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("scheme %q: %d", scheme, resp.StatusCode)
		}
	}
}

// TestEnrolmentLimitsPerCodeAndAddress: 21 wrong codes from one address
// (one cadre behind the district's carrier NAT) do not stop a valid code
// from that address; a code refused 10 times is blocked from every
// address; 200 wrong codes from one address block it.
func TestEnrolmentLimitsPerCodeAndAddress(t *testing.T) {
	ts := startServer(t)
	s := NewServer(ServerConfig{Storage: ts.st})
	enrol := func(ip, code string) int {
		body := fmt.Sprintf(`{"code":%q,"device":"d"}`, code)
		req := httptest.NewRequest(http.MethodPost, PathEnroll, strings.NewReader(body))
		req.RemoteAddr = ip + ":4000"
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		return w.Code
	}
	for i := 0; i < 21; i++ {
		if c := enrol("10.0.0.1", fmt.Sprintf("WRONG-CODE-%04d", i)); c != http.StatusForbidden {
			t.Fatalf("wrong code %d: %d", i, c)
		}
	}
	if c := enrol("10.0.0.1", ts.code("23368", "A")); c != http.StatusOK {
		t.Fatalf("valid code after 21 wrong ones from the same address: %d, want 200", c)
	}
	used := ts.code("23368", "B")
	if c := enrol("10.0.0.2", used); c != http.StatusOK {
		t.Fatal(c)
	}
	for i := 0; i < enrolFailMaxCode; i++ {
		if c := enrol(fmt.Sprintf("10.1.0.%d", i), used); c != http.StatusForbidden {
			t.Fatalf("used code attempt %d: %d", i, c)
		}
	}
	if c := enrol("10.2.0.1", used); c != http.StatusTooManyRequests {
		t.Errorf("used code after %d refusals, from a new address: %d, want 429", enrolFailMaxCode, c)
	}
	if c := enrol("10.2.0.1", ts.code("23368", "C")); c != http.StatusOK {
		t.Errorf("another valid code from that address: %d", c)
	}
	for i := 0; i < enrolFailMaxAddr; i++ {
		enrol("10.3.0.1", fmt.Sprintf("GUESS-%06d", i))
	}
	if c := enrol("10.3.0.1", ts.code("23368", "D")); c != http.StatusTooManyRequests {
		t.Errorf("after %d wrong codes from one address: %d, want 429", enrolFailMaxAddr, c)
	}
}

// TestSlowBodiesAndConnectionLimit: a slow enrolment body loses its
// connection after the enrolment read timeout; one address cannot hold
// more connections than the limit, another address still gets in.
func TestSlowBodiesAndConnectionLimit(t *testing.T) {
	ts := startServer(t)
	ts.stop()
	ts.cfg.EnrollReadTimeout = 300 * time.Millisecond
	ts.start()
	conns := make([]net.Conn, 0, 20)
	for i := 0; i < 20; i++ {
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{\"code\":", PathEnroll)
		conns = append(conns, c)
	}
	deadline := time.Now().Add(5 * time.Second)
	for i, c := range conns {
		c.SetReadDeadline(deadline)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 400 {
				t.Fatalf("slow body %d: %d", i, resp.StatusCode)
			}
		} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("slow body %d still held after 5 s; log %s", i, ts.logs.String())
		}
	}

	// Per-address limit, on the listener danvan-server uses.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), Timeouts{})
	go srv.Serve(LimitListener(ln, 3))
	defer srv.Close()
	var open []net.Conn
	for i := 0; i < 4; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		open = append(open, c)
	}
	alive := func(c net.Conn) bool {
		c.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			return false
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return true
	}
	for i := 0; i < 3; i++ {
		if !alive(open[i]) {
			t.Fatalf("connection %d under the limit refused", i)
		}
	}
	if alive(open[3]) {
		t.Fatal("a 4th connection from one address was served with a limit of 3")
	}
	open[0].Close()
	time.Sleep(100 * time.Millisecond)
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !alive(c) {
		t.Fatal("a place freed by a closed connection is not reused")
	}
}
