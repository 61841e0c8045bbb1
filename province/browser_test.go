package province

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"danvan/data"
)

// chrome starts Debian's chromium headless at 1366×768 (the provincial
// office's screen) and returns a context for one browser tab.
func chrome(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if path, err = exec.LookPath("chromium-browser"); err != nil {
			t.Skip("chromium not installed (make deps installs it)")
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.WindowSize(1366, 768),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// shotDir is where the pages' screenshots go: DANVAN_WEB_SHOTS (make
// web-screenshots sets docs/screenshots), else the test's temp dir.
func shotDir(t *testing.T) string {
	if d := os.Getenv("DANVAN_WEB_SHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func signInChrome(t *testing.T, ctx context.Context, base, name string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/province/"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SendKeys(chromedp.ID("password"), "mật khẩu tỉnh 2026"),
		chromedp.Click(chromedp.ID("signin")),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", name, err)
	}
}

// The province's pages in a real browser: sign in, the province page,
// sort by overdue, a commune, a village and its PDF read back with
// pdftotext; a commune-limited user editing the URL to another commune
// is refused.
func TestProvinceInChromium(t *testing.T) {
	ts := startServer(t)
	var village string
	for i, c := range []string{dakLong, kbang, "23374"} {
		v := ts.demoCommune(t, c, int64(i+1))
		if i == 0 {
			village = v
		}
	}
	ts.user(t, "Trần Văn Tỉnh", nil, true)
	ts.user(t, "Cán bộ xã", []string{dakLong}, false)
	dir := shotDir(t)
	ctx := chrome(t)

	signInChrome(t, ctx, ts.URL, "Trần Văn Tỉnh")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("communes"))); err != nil {
		t.Fatalf("province page: %v", err)
	}
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(heading, "Toàn tỉnh") {
		t.Errorf("province page heading %q", heading)
	}
	shot(t, ctx, dir, "web-province.png")

	// Sort by overdue: the header's link, then the first row has the most.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[data-sort="overdue"]`)),
		chromedp.WaitVisible(chromedp.CSS(`th[aria-sort="descending"]`)),
	)
	if err != nil {
		t.Fatalf("sort by overdue: %v", err)
	}
	overdue, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#communes tbody tr td:nth-child(6)')].map(td => td.textContent.trim())`))
	if err != nil {
		t.Fatalf("sort by overdue: %v", err)
	}
	for i := 1; i < len(overdue); i++ {
		if atoiDots(overdue[i]) > atoiDots(overdue[i-1]) {
			t.Errorf("overdue column not descending: %v", overdue)
		}
	}
	if len(overdue) != 3 {
		t.Errorf("province page shows %d communes, want 3", len(overdue))
	}
	shot(t, ctx, dir, "web-province-overdue.png")

	// Printed, the page keeps its table and drops the navigation.
	var printed []byte
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		res, err := chromedp.Call(ctx, cdppage.PrintToPDF, cdppage.PrintToPDFParams{})
		printed = res.Data
		return err
	}))
	if err != nil {
		t.Fatalf("print the province page: %v", err)
	}
	if text := pdfToText(t, printed); !strings.Contains(text, "Toàn tỉnh") || !strings.Contains(text, "Tổng cộng") || strings.Contains(text, "Đăng xuất") || strings.Contains(text, "Tải bảng Excel") {
		t.Errorf("the printed province page:\n%.600s", text)
	}

	// A commune, then a village, then its PDF.
	dl := t.TempDir()
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#communes tbody tr:first-child td:first-child a`)),
		chromedp.WaitVisible(chromedp.ID("villages")),
	)
	if err != nil {
		t.Fatalf("commune page: %v", err)
	}
	shot(t, ctx, dir, "web-commune.png")
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#villages tbody tr:first-child td:first-child a`)),
		chromedp.WaitVisible(chromedp.ID("pdf")),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			yes := true
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dl, EventsEnabled: &yes})
			return err
		}),
	)
	if err != nil {
		t.Fatalf("village page: %v", err)
	}
	villageName, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("village-name")))
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, dir, "web-village.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("pdf"))); err != nil {
		t.Fatalf("click the PDF link: %v", err)
	}
	var guid string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			guid = ev.GUID
			break
		}
	}
	pdf, err := os.ReadFile(filepath.Join(dl, guid))
	if err != nil {
		t.Fatal(err)
	}
	text := pdfToText(t, pdf)
	if !strings.Contains(text, villageName) {
		t.Errorf("the downloaded PDF does not name the village %q:\n%s", villageName, text)
	}
	if !strings.Contains(strings.ToUpper(text), "TÓM TẮT") {
		t.Errorf("the downloaded PDF is not a village summary:\n%.400s", text)
	}

	// Search, in the header's box.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`.bar input[name="q"]`), data.Fold(village)+"\n"),
		chromedp.WaitVisible(chromedp.ID("hits")),
	)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	shot(t, ctx, dir, "web-search.png")

	// A commune-limited user edits the URL to another commune.
	limited := chrome(t) // a browser of its own: no cookie of the first user

	signInChrome(t, limited, ts.URL, "Cán bộ xã")
	if err := chromedp.Do(limited, chromedp.WaitVisible(chromedp.ID("communes"))); err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(limited, chromedp.Evaluate[int](`document.querySelectorAll('#communes tbody tr').length`))
	if err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Errorf("a commune-limited user sees %d communes, want 1", rows)
	}
	resp, err := chromedp.RunResponse(limited, chromedp.Navigate(ts.URL+"/province/commune/"+kbang))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(limited, chromedp.Text(chromedp.CSS(".error")))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 403 || !strings.Contains(msg, "không được xem xã này") {
		t.Errorf("another commune by URL: %d %q, want 403 and the reason", resp.Status, msg)
	}
	shot(t, limited, dir, "web-forbidden.png")
}

// atoiDots reads "1.250" as 1250.
func atoiDots(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n = n*10 + int(r-'0')
		}
	}
	return n
}

// demoCommune stores the demo data set of commune code on the server, as
// real records (new ids: the server refuses demo ids), for pages that look
// like a commune's; it returns the name of one of its villages.
func (ts *testServer) demoCommune(t testing.TB, code string, seed int64) string {
	t.Helper()
	s, err := data.Open(t.TempDir(), data.Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetCommune(code); err != nil {
		t.Fatal(err)
	}
	if _, err := data.GenerateDemo(s, data.DemoOptions{Scale: 1, Seed: seed, Today: data.DateOf(testNow)}); err != nil {
		t.Fatal(err)
	}
	ids, _ := s.RecordIDs()
	recs, err := s.Records(ids)
	if err != nil {
		t.Fatal(err)
	}
	storeRecords(t, ts.st, cloneFor(t, recs, code))
	return s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)[0].Title
}
