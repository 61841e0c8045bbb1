package province

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"danvan/data"
	dsync "danvan/sync"
)

// testNow is the server's and the laptops' clock in these tests.
var testNow = time.Date(2026, 12, 4, 10, 0, 0, 0, time.Local)

// Planted names that must never reach any page.
const (
	denouncerName = "Đinh Văn Tố Mật"
	secretEthnic  = "Giẻ Triêng"
	secretFaith   = "Phật giáo Hòa Hảo"
)

// testServer is a real sync server with the pages, on 127.0.0.1, over a
// real encrypted Badger storage.
type testServer struct {
	*httptest.Server
	st    dsync.Storage
	pages *Handler
}

func startServer(t testing.TB) *testServer {
	t.Helper()
	st, err := dsync.OpenBadgerStorageKey(filepath.Join(t.TempDir(), "server"), nil, randomKey())
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, st)
}

// startPGServer is startServer on PostgreSQL (DANVAN_TEST_PG), in a
// schema of its own that is dropped at the end.
func startPGServer(t testing.TB) *testServer {
	t.Helper()
	base := os.Getenv("DANVAN_TEST_PG")
	if base == "" {
		t.Skip("DANVAN_TEST_PG is not set: PostgreSQL tests skipped (make pg-start)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("DANVAN_TEST_PG=%s: %v", base, err)
	}
	defer conn.Close(ctx)
	schema := "p_" + strings.ToLower(strings.ReplaceAll(data.NewID(), "-", ""))[:20]
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), base); err == nil {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := dsync.OpenPGStorage(ctx, u.String(), nil, randomKey())
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, st)
}

func serve(t testing.TB, st dsync.Storage) *testServer {
	t.Helper()
	pages := New(Config{Storage: st, Now: func() time.Time { return testNow }, Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))})
	pages.view.Fresh = 0
	srv := httptest.NewServer(dsync.NewServer(dsync.ServerConfig{Storage: st, Pages: pages}))
	t.Cleanup(func() {
		srv.Close()
		pages.Close()
		st.Close()
	})
	return &testServer{Server: srv, st: st, pages: pages}
}

// testWriter sends the pages' log to the test's output.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func randomKey() []byte {
	k := make([]byte, dsync.ServerKeyLen)
	for i := range k {
		k[i] = byte(rand.IntN(256))
	}
	return k
}

// laptop makes a laptop store for commune, enrolled with ts.
func (ts *testServer) laptop(t testing.TB, commune string) *data.Store {
	t.Helper()
	s, err := data.Open(t.TempDir(), data.Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	code, _, err := (&dsync.Admin{Storage: ts.st}).NewEnrolmentCode(context.Background(), commune, "Cán bộ", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dsync.Enroll(context.Background(), s, ts.URL, code); err != nil {
		t.Fatalf("enroll: %v", err)
	}
	return s
}

func syncNow(t testing.TB, s *data.Store) {
	t.Helper()
	if _, err := dsync.RunOnce(context.Background(), s, nil); err != nil {
		t.Fatalf("sync: %v", err)
	}
}

func (ts *testServer) user(t testing.TB, name string, communes []string, sensitive bool) {
	t.Helper()
	if _, err := AddUser(context.Background(), ts.st, name, "mật khẩu tỉnh 2026", communes, sensitive); err != nil {
		t.Fatal(err)
	}
}

// browser is a cookie-keeping client that does not follow redirects.
type client struct {
	t  testing.TB
	ts *testServer
	hc *http.Client
}

func (ts *testServer) client(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, ts: ts, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *client) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.hc.Get(b.ts.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *client) post(path string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	resp, err := b.hc.PostForm(b.ts.URL+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn signs in through the form and returns the status of the answer.
func (b *client) signIn(name, password string) int {
	b.t.Helper()
	_, page := b.get("/province/login")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("no CSRF token on the sign-in page:\n%s", page)
	}
	status, _, _ := b.post("/province/login", url.Values{"csrf": {m[1]}, "name": {name}, "password": {password}, "next": {"/province/"}})
	return status
}

// villages, concerns... of a random commune store, as a cadre makes them.
func fillCommune(t testing.TB, s *data.Store, r *rand.Rand, nConcerns int) {
	t.Helper()
	kinds := []data.VillageKind{data.VillageThon, data.VillageLang, data.VillageBuon}
	names := []string{"Làng Đăk Ang", "Thôn Kon Pao", "Buôn Ma Lăng", "Làng Tu Mơ Rông", "Thôn Ngọc Hồi", "Làng Đăk Tăng"}
	var villages []*data.Village
	var objs []data.Object
	for i := 0; i < 2+r.IntN(4); i++ {
		v := &data.Village{Name: names[i], VillageKind: kinds[r.IntN(len(kinds))], Hotspot: r.IntN(3) == 0, Remote: r.IntN(2) == 0,
			Households: 40 + r.IntN(120), Ethnicities: []string{"Xơ Đăng"}}
		if v.Hotspot {
			v.HotspotReasons = []string{data.HotspotLand}
		}
		villages = append(villages, v)
		objs = append(objs, v)
	}
	if err := s.SaveMany(objs, nil); err != nil {
		t.Fatal(err)
	}
	objs = objs[:0]
	for _, v := range villages {
		objs = append(objs, &data.Household{Head: "A Thuận " + v.Name, Village: v.ID, Members: 5, Ethnicity: secretEthnic, Religion: secretFaith})
	}
	at := func(d data.Date) time.Time { return d.Time().Add(9 * time.Hour) }
	topics := []string{"dat_dai", "ha_tang", "moi_truong", "y_te", "giao_duc"}
	ckinds := []data.ConcernKind{data.ConcernPetition, data.ConcernReport, data.ConcernComplaint1, data.ConcernDenunciation, data.ConcernOpinion}
	for i := 0; i < nConcerns; i++ {
		v := villages[r.IntN(len(villages))]
		recv := data.Date("2026-01-02").AddDays(r.IntN(330))
		c := &data.Concern{ConcernKind: ckinds[r.IntN(len(ckinds))], Channel: data.ChannelReception, Received: recv, Accepted: recv,
			Village: v.ID, RaiserKind: data.RaiserAnonymous, Topic: topics[r.IntN(len(topics))], People: 1 + r.IntN(8),
			Summary: fmt.Sprintf("Kiến nghị số %d về đường vào %s", i+1, v.Name), Status: data.StatusNew}
		if c.ConcernKind == data.ConcernDenunciation {
			c.RaiserKind, c.RaiserText = data.RaiserText, denouncerName
			c.Summary = fmt.Sprintf("Tố cáo số %d khai thác gỗ trái phép gần %s", i+1, v.Name)
		}
		h := []data.StatusChange{{ID: data.NewID(), To: data.StatusNew, By: "Y Sáng", At: at(recv)}}
		from, d := data.StatusNew, recv
		for _, to := range [][]data.ConcernStatus{{data.StatusHandling}, {data.StatusResolved, data.StatusForwarded, data.StatusClosed, ""}}[:r.IntN(3)] {
			st := to[r.IntN(len(to))]
			if st == "" {
				break
			}
			d = d.AddDays(1 + r.IntN(60))
			if d > data.DateOf(testNow) {
				break
			}
			h = append(h, data.StatusChange{ID: data.NewID(), From: from, To: st, By: "Y Sáng", At: at(d)})
			from = st
		}
		c.Status, c.History = from, h
		if from == data.StatusForwarded {
			c.ForwardedOn, c.ForwardedTo = d, "UBND huyện"
		}
		objs = append(objs, c)
	}
	for i := 0; i < 3; i++ {
		v := villages[r.IntN(len(villages))]
		d := data.Date("2026-02-01").AddDays(r.IntN(280))
		objs = append(objs, &data.Meeting{MeetingKind: data.MeetingElders, Date: d, Village: v.ID, Chair: "Y Sáng", HeadCount: 8,
			Topics: []string{"Vận động bà con giữ rừng"}})
		objs = append(objs, &data.FieldVisit{Cadres: []string{"Y Sáng"}, Unit: "Đồn Biên phòng", Village: v.ID, From: d, To: d.AddDays(r.IntN(4)),
			HouseholdCount: 3 + r.IntN(6), Activities: "Cùng bà con làm cỏ rẫy cà phê."})
	}
	if err := s.SaveMany(objs, nil); err != nil {
		t.Fatal(err)
	}
}

// cells returns the text of the cells of the table row that has attr.
func cells(t testing.TB, page, attr string) []string {
	t.Helper()
	i := strings.Index(page, attr)
	if i < 0 {
		t.Fatalf("no row %s on the page", attr)
	}
	row := page[i:]
	row = row[:strings.Index(row, "</tr>")]
	var out []string
	for _, m := range regexp.MustCompile(`<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(row, -1) {
		out = append(out, strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "")))
	}
	return out
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func httptestRequest(host string) *http.Request {
	r := httptest.NewRequest("GET", "http://"+host+"/province/", nil)
	r.Host = host
	return r
}
