package province

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"danvan/data"
	"danvan/i18n"
	"danvan/report"
)

const (
	dakLong = "23368"
	kbang   = "23365"
)

// A commune's printout and the province's page give the same figures on
// the same data: random commune stores (several seeds), synced to a real
// server, against report.NewCommuneReport on the laptop.
func TestProvincePageAgreesWithTheCommunesReport(t *testing.T) {
	agree(t, startServer(t))
}

// The same on PostgreSQL: the pages read the server's storage through the
// same interface, users and sessions included.
func TestProvincePageOnPostgres(t *testing.T) {
	agree(t, startPGServer(t))
}

func agree(t *testing.T, ts *testServer) {
	communes := []string{dakLong, kbang, "23374"}
	laptops := map[string]*data.Store{}
	for i, c := range communes {
		s := ts.laptop(t, c)
		fillCommune(t, s, rand.New(rand.NewPCG(uint64(i+1), 42)), 40+20*i)
		syncNow(t, s)
		laptops[c] = s
	}
	ts.user(t, "Trần Văn Tỉnh", nil, false)
	b := ts.client(t)
	if st := b.signIn("Trần Văn Tỉnh", "mật khẩu tỉnh 2026"); st != 303 {
		t.Fatalf("sign-in answered %d, want 303", st)
	}
	for _, p := range []report.Period{report.YearPeriod(2026), report.QuarterPeriod(2026, 3), report.MonthPeriod(2026, 11)} {
		status, page := b.get("/province/?period=" + p.String())
		if status != 200 {
			t.Fatalf("province page %s: %d\n%s", p, status, page)
		}
		for _, c := range communes {
			rep, err := report.NewCommuneReport(laptops[c], p, nil, report.Options{Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			row := rowOf(rep)
			got := cells(t, page, `data-code="`+c+`"`)
			want := []string{row.Commune.Name, groupDigits(row.Received, i18n.VI), groupDigits(row.Resolved, i18n.VI), groupDigits(row.Forwarded, i18n.VI),
				groupDigits(row.Open, i18n.VI), groupDigits(row.Overdue, i18n.VI), funcs["pct"].(func(i18n.Lang, float64, bool) string)(i18n.VI, row.OnTime, row.HasOnTime),
				groupDigits(row.Mass, i18n.VI), groupDigits(row.Hotspots, i18n.VI), groupDigits(row.Meetings, i18n.VI), groupDigits(row.VisitDays, i18n.VI), groupDigits(row.Models, i18n.VI)}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s %s:\n page   %q\n laptop %q", c, p, got, want)
			}
			if row.Received == 0 && p.Kind == report.Year {
				t.Errorf("%s: the laptop's report counts nothing: the comparison proves little", c)
			}
		}
	}
	// The commune page lists as many open cases as the report counts.
	rep, _ := report.NewCommuneReport(laptops[dakLong], report.YearPeriod(2026), nil, report.Options{Now: testNow})
	_, page := b.get("/province/commune/" + dakLong + "?period=2026")
	want := fmt.Sprintf("Vụ việc đang xử lý: %d, quá hạn: %d", rep.Total.Concerns.Open, rep.Total.Concerns.Overdue)
	if !strings.Contains(page, want) {
		t.Errorf("commune page lacks %q", want)
	}
	// An edit on a laptop reaches the page at the next sync.
	var c data.Concern
	rows := laptops[dakLong].Find(data.Filter{Kind: data.KindConcern, Status: string(data.StatusNew)}, data.ByDateDesc)
	if len(rows) == 0 {
		t.Fatal("no new concern to resolve")
	}
	if err := laptops[dakLong].Load(rows[0].ID, &c); err != nil {
		t.Fatal(err)
	}
	before := rowOf(rep).Open
	c.Status = data.StatusResolved
	c.History = append(c.History, data.StatusChange{ID: data.NewID(), From: data.StatusNew, To: data.StatusResolved, By: "Y Sáng", At: testNow.Add(-time.Hour)})
	if err := laptops[dakLong].Save(&c); err != nil {
		t.Fatal(err)
	}
	syncNow(t, laptops[dakLong])
	_, page = b.get("/province/?period=2026")
	if got := cells(t, page, `data-code="`+dakLong+`"`)[4]; got != groupDigits(before-1, i18n.VI) {
		t.Errorf("after resolving one case the page shows %s open, want %d", got, before-1)
	}
}

// Sorting by a column puts the commune with the most overdue cases first.
func TestProvincePageSortsByOverdue(t *testing.T) {
	ts := startServer(t)
	for i, c := range []string{dakLong, kbang} {
		s := ts.laptop(t, c)
		fillCommune(t, s, rand.New(rand.NewPCG(uint64(7+i), 1)), 20+60*i)
		syncNow(t, s)
	}
	ts.user(t, "tinh", nil, false)
	b := ts.client(t)
	b.signIn("tinh", "mật khẩu tỉnh 2026")
	_, page := b.get("/province/?period=2026&sort=overdue&desc=1")
	codes := []string{}
	for _, part := range strings.Split(page, `data-code="`)[1:] {
		codes = append(codes, part[:5])
	}
	if len(codes) != 2 {
		t.Fatalf("rows %v", codes)
	}
	first, second := cells(t, page, `data-code="`+codes[0]+`"`)[5], cells(t, page, `data-code="`+codes[1]+`"`)[5]
	if atoiDots(first) < atoiDots(second) || first == second {
		t.Errorf("sorted by overdue, descending: %s (%s) before %s (%s); the two communes must differ for the test to tell", codes[0], first, codes[1], second)
	}
	// Ascending, the other way round.
	_, page = b.get("/province/?period=2026&sort=overdue")
	if i, j := strings.Index(page, `data-code="`+codes[1]+`"`), strings.Index(page, `data-code="`+codes[0]+`"`); i > j {
		t.Error("sorted by overdue, ascending: the commune with more overdue cases comes first")
	}
	if !strings.Contains(page, `aria-sort="ascending"`) {
		t.Error("the sorted column does not say so")
	}
}

// Sign-in: wrong passwords lock the user out, even with the right one
// afterwards, and every attempt is audited; CSRF tokens are required.
func TestSignInLocksOutAndAudits(t *testing.T) {
	ts := startServer(t)
	ts.user(t, "Nguyễn Thị Lan", nil, false)
	b := ts.client(t)
	if st, _ := b.get("/province/"); st != 303 {
		t.Errorf("the province page before sign-in answered %d, want a redirect to sign in", st)
	}
	for i := 0; i < MaxFailures-1; i++ {
		if st := b.signIn("Nguyễn Thị Lan", "sai mật khẩu"); st != 401 {
			t.Fatalf("wrong password %d answered %d, want 401", i+1, st)
		}
	}
	if st := b.signIn("nguyen thi lan", "sai mật khẩu"); st != 429 {
		t.Fatalf("the %dth wrong password answered %d, want 429 (locked); names match without diacritics", MaxFailures, st)
	}
	if st := b.signIn("Nguyễn Thị Lan", "mật khẩu tỉnh 2026"); st != 429 {
		t.Fatalf("the right password during the lock answered %d, want 429", st)
	}
	// Without the sign-in page's token the form is refused.
	if st, _, _ := b.post("/province/login", url.Values{"name": {"Nguyễn Thị Lan"}, "password": {"mật khẩu tỉnh 2026"}}); st != 403 {
		t.Errorf("sign-in without CSRF token answered %d, want 403", st)
	}
	es, err := Audit(context.Background(), ts.st)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range es {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "sign_in_failed,sign_in_failed,sign_in_failed,sign_in_failed,locked,locked" {
		t.Errorf("audit %s", got)
	}
	// The lock ends: a user whose lock passed signs in.
	u, _ := getUser(context.Background(), ts.st, "Nguyễn Thị Lan")
	if _, err := SignIn(context.Background(), ts.st, u.Name, "mật khẩu tỉnh 2026", u.LockedUntil.Add(time.Second)); err != nil {
		t.Errorf("after the lock: %v", err)
	}
	if _, err := SignIn(context.Background(), ts.st, "không có ai", "x", testNow); !errors.Is(err, ErrBadLogin) {
		t.Errorf("unknown user: %v", err)
	}
	// Signed in, a POST without the session's token is refused.
	b2 := ts.client(t)
	ts.user(t, "b2", nil, false)
	b2.signIn("b2", "mật khẩu tỉnh 2026")
	if st, _, _ := b2.post("/province/logout", url.Values{}); st != 403 {
		t.Errorf("sign-out without CSRF answered %d, want 403", st)
	}
	_, page := b2.get("/province/")
	m := csrfRE.FindStringSubmatch(page)
	if st, _, _ := b2.post("/province/logout", url.Values{"csrf": {m[1]}}); st != 303 {
		t.Errorf("sign-out answered %d", st)
	}
	if st, _ := b2.get("/province/"); st != 303 {
		t.Errorf("after sign-out the page answered %d, want a redirect", st)
	}
}

// The session cookie is HttpOnly, SameSite=Strict, and Secure beyond
// loopback; passwords are stored as argon2id hashes.
func TestCookiesAndPasswordsAreSafe(t *testing.T) {
	ts := startServer(t)
	ts.user(t, "tinh", nil, false)
	b := ts.client(t)
	_, page := b.get("/province/login")
	m := csrfRE.FindStringSubmatch(page)
	_, _, hd := b.post("/province/login", url.Values{"csrf": {m[1]}, "name": {"tinh"}, "password": {"mật khẩu tỉnh 2026"}})
	var set string
	for _, c := range hd.Values("Set-Cookie") {
		if strings.HasPrefix(c, cookieSession+"=") {
			set = c
		}
	}
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/province/"} {
		if !strings.Contains(set, want) {
			t.Errorf("session cookie %q lacks %s", set, want)
		}
	}
	raw, _ := ts.st.Meta(context.Background(), userKey("tinh"))
	if bytes.Contains(raw, []byte("mật khẩu")) || !bytes.Contains(raw, []byte("$argon2id$")) {
		t.Errorf("stored user %s", raw)
	}
	ms, _ := ts.st.MetaPrefix(context.Background(), "session/")
	for k, v := range ms {
		for _, c := range b.hc.Jar.Cookies(mustURL(ts.URL + "/province/")) {
			if strings.Contains(k, c.Value) || bytes.Contains(v, []byte(c.Value)) {
				t.Errorf("session token stored in clear under %s", k)
			}
		}
	}
	// An expired session is gone at the next sign-in.
	if _, _, err := newSession(context.Background(), ts.st, "tinh", testNow.Add(-2*SessionFor)); err != nil {
		t.Fatal(err)
	}
	before, _ := ts.st.MetaPrefix(context.Background(), "session/")
	b.signIn("tinh", "mật khẩu tỉnh 2026")
	after, _ := ts.st.MetaPrefix(context.Background(), "session/")
	if len(before) != 2 || len(after) != 2 {
		t.Errorf("sessions before and after a sign-in: %d, %d; want the expired one replaced", len(before), len(after))
	}
	if !secure(httptestRequest("danvan.example.vn")) || secure(httptestRequest("127.0.0.1:8443")) {
		t.Error("Secure cookies: want them beyond loopback, not on plain loopback")
	}
}

// A user limited to one commune sees only it: the other commune's pages,
// PDF and export answer 403 when the URL is edited, and neither the
// province page nor search shows it.
func TestCommuneLimitedUserCannotOpenAnotherCommune(t *testing.T) {
	ts := startServer(t)
	var otherVillage string
	for i, c := range []string{dakLong, kbang} {
		s := ts.laptop(t, c)
		fillCommune(t, s, rand.New(rand.NewPCG(uint64(3+i), 3)), 15)
		syncNow(t, s)
		if c == kbang {
			otherVillage = s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)[0].ID
		}
	}
	ts.user(t, "xa", []string{dakLong}, true)
	b := ts.client(t)
	b.signIn("xa", "mật khẩu tỉnh 2026")
	for _, path := range []string{
		"/province/commune/" + kbang,
		"/province/commune/" + kbang + "/report.xlsx",
		"/province/commune/" + kbang + "/village/" + otherVillage,
		"/province/commune/" + kbang + "/village/" + otherVillage + "/summary.pdf",
		"/province/commune/" + kbang + "/village/" + otherVillage + "?sensitive=1",
	} {
		st, page := b.get(path)
		if st != 403 || !strings.Contains(page, "không được xem xã này") {
			t.Errorf("%s answered %d, want 403 with the reason", path, st)
		}
	}
	if st, _ := b.get("/province/commune/" + dakLong); st != 200 {
		t.Errorf("own commune answered %d", st)
	}
	_, page := b.get("/province/?period=2026")
	if strings.Contains(page, `data-code="`+kbang+`"`) || !strings.Contains(page, `data-code="`+dakLong+`"`) {
		t.Error("the province page of a commune-limited user shows another commune, or not its own")
	}
	_, page = b.get("/province/search?q=dak+ang")
	if strings.Contains(page, "/commune/"+kbang) {
		t.Error("search shows another commune's records")
	}
}

// Search finds villages and cases without diacritics.
func TestSearchWithoutDiacritics(t *testing.T) {
	ts := startServer(t)
	s := ts.laptop(t, dakLong)
	fillCommune(t, s, rand.New(rand.NewPCG(11, 11)), 10)
	syncNow(t, s)
	ts.user(t, "tinh", nil, false)
	b := ts.client(t)
	b.signIn("tinh", "mật khẩu tỉnh 2026")
	_, page := b.get("/province/search?q=" + url.QueryEscape("lang dak ang"))
	if !strings.Contains(page, ">Làng Đăk Ang</a>") {
		t.Errorf("search for \"lang dak ang\" does not list Làng Đăk Ang:\n%s", page)
	}
	_, page = b.get("/province/search?q=" + url.QueryEscape("kien nghi so 3"))
	if !strings.Contains(page, "Kiến nghị số 3 về") {
		t.Error("search for a case without diacritics found nothing")
	}
	_, page = b.get("/province/search?q=" + url.QueryEscape("dak long"))
	if !strings.Contains(page, "Xã Đăk Long") {
		t.Error("search for a commune without diacritics found nothing")
	}
}

// Households' ethnicity and religion: hidden unless the role allows, and
// each view is audited; the denouncer is in no page, PDF or export.
func TestSensitiveFieldsAndDenouncer(t *testing.T) {
	ts := startServer(t)
	s := ts.laptop(t, dakLong)
	fillCommune(t, s, rand.New(rand.NewPCG(5, 5)), 60)
	syncNow(t, s)
	village := s.Find(data.Filter{Kind: data.KindVillage, Query: "dak ang"}, data.ByTitle)[0].ID
	ts.user(t, "thuong", nil, false)
	ts.user(t, "nhay cam", nil, true)
	plain, sens := ts.client(t), ts.client(t)
	plain.signIn("thuong", "mật khẩu tỉnh 2026")
	sens.signIn("nhay cam", "mật khẩu tỉnh 2026")
	vpath := "/province/commune/" + dakLong + "/village/" + village + "?period=2026"
	_, page := plain.get(vpath)
	if strings.Contains(page, secretEthnic) || strings.Contains(page, "?sensitive=1") {
		t.Error("a user without the sensitive role sees ethnicity, or the link to it")
	}
	if st, _ := plain.get(vpath + "&sensitive=1"); st != 403 {
		t.Errorf("sensitive view without the role answered %d", st)
	}
	if st, pdf := plain.get("/province/commune/" + dakLong + "/village/" + village + "/summary.pdf?period=2026&sensitive=1"); st != 403 {
		t.Errorf("sensitive PDF without the role answered %d (%d bytes)", st, len(pdf))
	}
	_, page = sens.get(vpath + "&sensitive=1")
	if !strings.Contains(page, secretEthnic) || !strings.Contains(page, secretFaith) {
		t.Error("a user with the sensitive role does not see ethnicity and religion")
	}
	es, _ := Audit(context.Background(), ts.st)
	if e := es[len(es)-1]; e.Action != AuditViewSensitive || e.User != "nhay cam" || e.Village != village {
		t.Errorf("the sensitive view is not audited: %+v", e)
	}
	// The denouncer: nowhere.
	var all []string
	for _, path := range []string{"/province/?period=2026", "/province/commune/" + dakLong + "?period=2026", vpath + "&sensitive=1",
		"/province/search?q=" + url.QueryEscape("to cao"), "/province/search?q=" + url.QueryEscape("dinh van to mat")} {
		_, p := sens.get(path)
		all = append(all, p)
	}
	_, pdf := sens.get("/province/commune/" + dakLong + "/village/" + village + "/summary.pdf?period=2026&sensitive=1")
	all = append(all, pdfToText(t, []byte(pdf)))
	if !strings.Contains(all[4], "0 kết quả") {
		t.Error("search by the denouncer's name finds something")
	}
	all = append(all[:4], all[5:]...) // that page repeats the query typed
	for i, p := range all {
		if strings.Contains(p, denouncerName) || strings.Contains(data.Fold(p), data.Fold(denouncerName)) {
			t.Errorf("page %d names the denouncer", i)
		}
	}
	if !strings.Contains(all[3], "Tố cáo số") {
		t.Error("search for tố cáo found none: the denouncer check proves little")
	}
}

// The village PDF is the laptop's village summary.
func TestVillagePDFIsTheLaptops(t *testing.T) {
	ts := startServer(t)
	s := ts.laptop(t, dakLong)
	fillCommune(t, s, rand.New(rand.NewPCG(9, 9)), 30)
	syncNow(t, s)
	village := s.Find(data.Filter{Kind: data.KindVillage, Query: "dak ang"}, data.ByTitle)[0].ID
	ts.user(t, "tinh", nil, false)
	b := ts.client(t)
	b.signIn("tinh", "mật khẩu tỉnh 2026")
	st, pdf := b.get("/province/commune/" + dakLong + "/village/" + village + "/summary.pdf?period=2026")
	if st != 200 || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("PDF answered %d, %.20q", st, pdf)
	}
	sum, err := report.NewVillageSummary(s, village, report.YearPeriod(2026), report.Options{Now: testNow, Cadre: "-"})
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := sum.WritePDF(&want); err != nil {
		t.Fatal(err)
	}
	got, exp := pdfToText(t, []byte(pdf)), pdfToText(t, want.Bytes())
	if got != exp {
		t.Errorf("the server's PDF text differs from the laptop's:\n--- server\n%s\n--- laptop\n%s", got, exp)
	}
	if !strings.Contains(got, "Làng Đăk Ang") {
		t.Error("the PDF does not name the village")
	}
}

func pdfToText(t testing.TB, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (apt-get install -y poppler-utils)")
	}
	p := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-layout", "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// The printing time line differs by the second: drop it.
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		if !strings.Contains(l, "In lúc") && !strings.Contains(l, "Printed") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// The XLSX export holds the page's figures; the pages speak English on
// request, with the same figures.
func TestExportAndEnglish(t *testing.T) {
	ts := startServer(t)
	s := ts.laptop(t, dakLong)
	fillCommune(t, s, rand.New(rand.NewPCG(13, 13)), 50)
	syncNow(t, s)
	ts.user(t, "tinh", nil, false)
	b := ts.client(t)
	b.signIn("tinh", "mật khẩu tỉnh 2026")
	rep, err := report.NewCommuneReport(s, report.YearPeriod(2026), nil, report.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	st, body := b.get("/province/export.xlsx?period=2026")
	if st != 200 {
		t.Fatalf("export answered %d", st)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Các xã")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 5 || rows[3][0] != "Xã Đăk Long" || rows[2][5] != "Quá hạn" {
		t.Fatalf("sheet rows %q", rows)
	}
	if rows[3][1] != fmt.Sprint(rep.Total.Concerns.Received) || rows[3][5] != fmt.Sprint(rep.Total.Concerns.Overdue) {
		t.Errorf("export line %q, want received %d and overdue %d", rows[3], rep.Total.Concerns.Received, rep.Total.Concerns.Overdue)
	}
	if st, body := b.get("/province/commune/" + dakLong + "/report.xlsx?period=2026"); st != 200 || !strings.HasPrefix(body, "PK") {
		t.Errorf("the commune's report export answered %d", st)
	}
	if st, _ := b.get("/province/lang/en?next=/province/"); st != 303 {
		t.Fatalf("language switch answered %d", st)
	}
	_, page := b.get("/province/?period=2026")
	if !strings.Contains(page, "<h1>Province") || !strings.Contains(page, ">Overdue") || !strings.Contains(page, `lang="en"`) {
		t.Error("the English page is not in English")
	}
	if got := cells(t, page, `data-code="`+dakLong+`"`)[1]; got != groupDigits(rep.Total.Concerns.Received, i18n.EN) {
		t.Errorf("English page received %s, want %d", got, rep.Total.Concerns.Received)
	}
	if st, page := b.get("/province/?period=2026-13"); st != 400 || !strings.Contains(page, "is not valid") {
		t.Errorf("a bad period answered %d", st)
	}
	// The redirect after a language switch stays on the pages.
	if localNext("https://evil.example/") != Prefix || localNext("//evil.example/province/") != Prefix {
		t.Error("a redirect leaves the pages")
	}
}
