package ui

import (
	"errors"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// newTestShell returns a shell on a test app and window for a store in a
// fresh temporary directory (or dir, if given).
//
// UI updates that background jobs hand to fyne.Do run on the test
// goroutine in sh.wait(), as the real driver runs them on the UI
// goroutine: the test driver would run them at once on the job's
// goroutine, racing with the test.
func newTestShell(t *testing.T, dir string) *Shell {
	t.Helper()
	q := newUIQueue()
	a := &serialApp{App: test.NewTempApp(t)}
	a.drv = &serialDriver{Driver: a.App.Driver(), q: q, owner: goid()}
	fyne.SetCurrentApp(a)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(900, 640))
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "store")
	}
	sh := NewShell(a, w, Options{StoreDir: dir})
	sh.queue = q
	t.Cleanup(func() {
		if err := sh.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return sh
}

// serialApp is a test app whose driver queues fyne.Do calls from other
// goroutines (see newTestShell).
type serialApp struct {
	fyne.App
	drv *serialDriver
}

func (a *serialApp) Driver() fyne.Driver { return a.drv }

type serialDriver struct {
	fyne.Driver
	q     *uiQueue
	owner uint64 // the test goroutine
}

func (d *serialDriver) DoFromGoroutine(fn func(), wait bool) {
	if goid() == d.owner {
		fn()
		return
	}
	if !wait {
		d.q.push(fn)
		return
	}
	done := make(chan struct{})
	d.q.push(func() { defer close(done); fn() })
	<-done
}

// goid returns the id of the calling goroutine.
func goid() uint64 {
	var b [64]byte
	f := strings.Fields(string(b[:runtime.Stack(b[:], false)]))
	id, _ := strconv.ParseUint(f[1], 10, 64)
	return id
}

// labelTexts returns the texts of the labels laid out under o.
func labelTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, c := range test.LaidOutObjects(o) {
		if l, ok := c.(*widget.Label); ok && l.Visible() {
			out = append(out, l.Text)
		}
	}
	return out
}

func TestFirstRunSkipPassphraseThenChooseCommune(t *testing.T) {
	sh := newTestShell(t, "")
	sh.Start()
	u := sh.Unlock
	if u == nil || u.Skip == nil {
		t.Fatal("a new store should ask for a new passphrase, with a Skip button")
	}
	if sh.Win.Content() != u.Content {
		t.Fatal("the unlock screen is not shown")
	}

	test.Tap(u.Skip)
	if !u.SkipBox.Visible() || !strings.Contains(u.SkipWarning.Text, "tệp khóa") {
		t.Fatalf("Skip should first warn about the key file; warning visible=%v text=%q", u.SkipBox.Visible(), u.SkipWarning.Text)
	}
	test.Tap(u.SkipConfirm)
	sh.wait()

	if sh.Store() == nil {
		t.Fatalf("store not open; error shown: %q", u.Error.Text)
	}
	if data.HasPassphrase(sh.opts.StoreDir) || !data.StoreExists(sh.opts.StoreDir) {
		t.Fatal("skipping should create a store without a passphrase")
	}
	p := sh.Picker
	if p == nil || sh.Win.Content() != p.Content {
		t.Fatal("a store without a commune should show the commune picker")
	}
	if !p.Choose.Disabled() {
		t.Error("Chọn xã này should wait for a selection")
	}

	test.Type(p.Search, "dak long")
	shown := strings.Join(labelTexts(p.List), "\n")
	if !strings.Contains(shown, "Xã Đăk Long") {
		t.Fatalf("typing %q should list Xã Đăk Long; the list shows:\n%s", p.Search.Text, shown)
	}
	idx := -1
	for i, c := range p.Results() {
		if c.Code == "23368" {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatal("23368 is not among the results")
	}
	p.List.Select(idx)
	if p.Choose.Disabled() || !strings.Contains(p.Selected.Text, "Xã Đăk Long") {
		t.Fatalf("after selecting: button disabled=%v, selected text %q", p.Choose.Disabled(), p.Selected.Text)
	}
	test.Tap(p.Choose)

	if got := sh.Store().Commune(); got != "23368" {
		t.Fatalf("store commune = %q, want 23368", got)
	}
	pr := sh.Profile
	if pr == nil || sh.Win.Content() != pr.Content {
		t.Fatal("choosing a commune should ask for the cadre's profile")
	}
	test.Type(pr.Name, "Nguyễn Văn An")
	test.Tap(pr.Continue)
	sh.wait()
	if sh.Main == nil || sh.Win.Content() != sh.Main.Content {
		t.Fatal("the profile step should lead to the main window")
	}
	d := dashboard(t, sh)
	if want := "Xã Đăk Long, Tỉnh Quảng Ngãi"; d.Commune.Text != want {
		t.Errorf("commune label = %q, want %q", d.Commune.Text, want)
	}
	for _, l := range []*widget.Label{d.Visits, d.Meetings, d.Received, d.Resolved} {
		if l.Text != "0" {
			t.Errorf("a figure of a new store shows %q, want 0", l.Text)
		}
	}
	all := strings.Join(labelTexts(sh.Main.Content), "\n")
	for _, want := range []string{"Xã Đăk Long, Tỉnh Quảng Ngãi", "Ý kiến tiếp nhận", "Tổng quan"} {
		if !strings.Contains(all, want) {
			t.Errorf("main window does not show %q; it shows:\n%s", want, all)
		}
	}
}

func TestCommuneSearchWithDiacritics(t *testing.T) {
	sh := newTestShell(t, "")
	sh.Start()
	test.Tap(sh.Unlock.Skip)
	test.Tap(sh.Unlock.SkipConfirm)
	sh.wait()
	p := sh.Picker
	test.Type(p.Search, "Đăk Long")
	if r := p.Results(); len(r) == 0 || r[0].Code != "23368" {
		t.Fatalf("search with diacritics: first result %v", r)
	}
	p.Search.SetText("")
	test.Type(p.Search, "zzzz")
	if !p.Empty.Visible() || len(p.Results()) != 0 {
		t.Error("a query matching nothing should say so")
	}
}

func TestCreateWithPassphraseThenUnlock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	const pass = "Mật khẩu đúng 2025"

	sh := newTestShell(t, dir)
	sh.Start()
	u := sh.Unlock
	test.Type(u.Pass, "ngắn")
	test.Type(u.Confirm, "ngắn")
	test.Tap(u.Submit)
	if !u.Error.Visible() || sh.Store() != nil {
		t.Fatal("a too-short passphrase should be refused inline")
	}
	u.Pass.SetText(pass)
	u.Confirm.SetText(pass + "x")
	test.Tap(u.Submit)
	if !u.Error.Visible() || u.Error.Text != sh.tx.T("err.passphrase_mismatch") {
		t.Fatalf("mismatched confirmation: error %q", u.Error.Text)
	}
	u.Confirm.SetText(pass)
	test.Tap(u.Submit)
	sh.wait()
	if sh.Store() == nil || !data.HasPassphrase(dir) {
		t.Fatalf("store not created with a passphrase; error %q", u.Error.Text)
	}
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopen: wrong passphrase, then the right one.
	sh2 := newTestShell(t, dir)
	sh2.Start()
	u2 := sh2.Unlock
	if u2 == nil || u2.Confirm != nil {
		t.Fatal("an existing store should ask for its passphrase only")
	}
	test.Type(u2.Pass, "sai rồi")
	test.Tap(u2.Submit)
	sh2.wait()
	if sh2.Store() != nil {
		t.Fatal("a wrong passphrase opened the store")
	}
	if !u2.Error.Visible() || u2.Error.Text != sh2.tx.T("err.wrong_passphrase") {
		t.Fatalf("wrong passphrase: error visible=%v text %q", u2.Error.Visible(), u2.Error.Text)
	}
	if u2.Pass.Text != "" || u2.Submit.Disabled() {
		t.Error("after a wrong passphrase the user should be able to retry")
	}
	test.Type(u2.Pass, pass)
	test.Tap(u2.Submit)
	sh2.wait()
	if sh2.Store() == nil || sh2.Picker == nil {
		t.Fatalf("right passphrase should open the store and show the picker; error %q", u2.Error.Text)
	}
}

func TestAlreadyOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	st, err := data.Open(dir, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	sh := newTestShell(t, dir)
	sh.Start() // no passphrase: opens straight away
	sh.wait()
	if sh.Problem == nil || sh.Win.Content() != sh.Problem.Content {
		t.Fatal("a store held by another process should show the problem screen")
	}
	if got, want := sh.Problem.Message.Text, sh.tx.errorText(data.ErrAlreadyOpen); got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestErrorText(t *testing.T) {
	tx := texts{nil}
	wrapped := errors.Join(errors.New("open store x"), data.ErrWrongPassphrase)
	if got := tx.errorText(wrapped); got != tx.T("err.wrong_passphrase") {
		t.Errorf("wrong passphrase → %q", got)
	}
	if got := tx.errorText(errors.New("disk on fire")); !strings.Contains(got, "disk on fire") {
		t.Errorf("other errors should carry their detail: %q", got)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1.000", 1234567: "1.234.567", -4500: "-4.500"} {
		if got := formatCount(n); got != want {
			t.Errorf("formatCount(%d) = %q, want %q", n, got, want)
		}
	}
	if got := tx.T("auth.create_intro", "Min", 8); !strings.Contains(got, "8 ký tự") {
		t.Errorf("local text with args: %q", got)
	}
}
