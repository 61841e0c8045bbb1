package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
	"danvan/i18n"
)

// allTexts returns what the user can read under o: labels, buttons,
// rich texts and canvas texts (visible ones only).
func allTexts(o fyne.CanvasObject) string {
	var out []string
	for _, c := range test.LaidOutObjects(o) {
		if !c.Visible() {
			continue
		}
		switch w := c.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *widget.Card:
			out = append(out, w.Title)
		case *canvas.Text:
			out = append(out, w.Text)
		}
	}
	return strings.Join(out, "\n")
}

// chooseCommune picks the commune code on the picker by typing query.
func chooseCommune(t *testing.T, sh *Shell, query, code string) {
	t.Helper()
	p := sh.Picker
	if p == nil || sh.Win.Content() != p.Content {
		t.Fatal("the commune picker is not shown")
	}
	test.Type(p.Search, query)
	idx := slices.IndexFunc(p.Results(), func(c data.Commune) bool { return c.Code == code })
	if idx < 0 {
		t.Fatalf("typing %q does not list commune %s", query, code)
	}
	p.List.Select(idx)
	test.Tap(p.Choose)
}

// firstRun takes a new store through the whole first run without a
// passphrase: skip it, pick Xã Đăk Long by typing "dak long", enter the
// cadre's name, and land on the main window.
func firstRun(t *testing.T, sh *Shell, name string) {
	t.Helper()
	sh.Start()
	test.Tap(sh.Unlock.Skip)
	test.Tap(sh.Unlock.SkipConfirm)
	sh.wait()
	chooseCommune(t, sh, "dak long", "23368")
	p := sh.Profile
	if p == nil || sh.Win.Content() != p.Content {
		t.Fatal("after the commune the first run should ask for the cadre's profile")
	}
	test.Type(p.Name, name)
	test.Type(p.Unit, "Ban Dân vận Đảng ủy xã")
	test.Tap(p.Continue)
	sh.wait()
	if sh.Main == nil || sh.Win.Content() != sh.Main.Content {
		t.Fatalf("the main window is not shown; profile error %q", p.Error.Text)
	}
}

// dashboard returns the dashboard, shown, with its data loaded.
func dashboard(t *testing.T, sh *Shell) *Dashboard {
	t.Helper()
	d, ok := sh.ShowScreen("dashboard").(*Dashboard)
	if !ok {
		t.Fatal("no dashboard screen")
	}
	sh.wait()
	return d
}

func TestFirstRunEndToEnd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	sh := newTestShell(t, dir)
	sh.Start()
	test.Tap(sh.Unlock.Skip)
	test.Tap(sh.Unlock.SkipConfirm)
	sh.wait()
	chooseCommune(t, sh, "dak long", "23368")

	p := sh.Profile
	if p == nil || sh.Win.Content() != p.Content {
		t.Fatal("the profile step is not shown")
	}
	if !p.Continue.Disabled() {
		t.Error("Continue should wait for the cadre's name")
	}
	if got := allTexts(p.Content); !strings.Contains(got, "Thông tin cán bộ") || !strings.Contains(got, "Họ và tên cán bộ *") {
		t.Errorf("profile step in Vietnamese shows:\n%s", got)
	}
	test.Type(p.Name, "Y Blông")
	test.Type(p.Unit, "Đồn Biên phòng Đăk Long")
	// The kind of body fills in the report's heading; the unit typed stays.
	p.Issuer.Kind.SetValue(string(data.UnitParty))
	if p.Unit.Text != "Đồn Biên phòng Đăk Long" || p.Issuer.Parent.Text != "Đảng bộ xã Đăk Long" {
		t.Errorf("after choosing a Party body: unit %q, parent %q", p.Unit.Text, p.Issuer.Parent.Text)
	}
	if p.Continue.Disabled() {
		t.Fatal("Continue stays disabled with a name typed")
	}

	// The language applies at once and keeps what was typed.
	p.Lang.Choose(i18n.EN)
	p2 := sh.Profile
	if p2 == p || sh.Win.Content() != p2.Content {
		t.Fatal("choosing English should rebuild the profile step")
	}
	if got := allTexts(p2.Content); !strings.Contains(got, "About you") || !strings.Contains(got, "Start") {
		t.Errorf("profile step in English shows:\n%s", got)
	}
	if p2.Name.Text != "Y Blông" || p2.Unit.Text != "Đồn Biên phòng Đăk Long" {
		t.Errorf("typed entries lost on the language switch: %q, %q", p2.Name.Text, p2.Unit.Text)
	}
	p2.Lang.Choose(i18n.VI)
	p3 := sh.Profile
	test.Tap(p3.Continue)
	sh.wait()

	if sh.Main == nil || sh.Win.Content() != sh.Main.Content {
		t.Fatalf("Continue should open the main window; error %q", p3.Error.Text)
	}
	if got, want := sh.Win.Title(), "Sổ tay Dân vận — Xã Đăk Long"; got != want {
		t.Errorf("window title %q, want %q", got, want)
	}
	prof, ok := sh.Store().Profile()
	if !ok || prof.Name != "Y Blông" || prof.Unit != "Đồn Biên phòng Đăk Long" || prof.Lang != "vi" ||
		prof.UnitKind != data.UnitParty || prof.Symbol != "BXDĐ" {
		t.Errorf("stored profile %+v (set %v)", prof, ok)
	}
	if sh.Store().Actor() != "Y Blông" {
		t.Errorf("actor %q", sh.Store().Actor())
	}
	if sh.CurrentID() != "dashboard" {
		t.Errorf("first screen %q, want the dashboard", sh.CurrentID())
	}
	d := dashboard(t, sh)
	if d.Commune.Text != "Xã Đăk Long, Tỉnh Quảng Ngãi" {
		t.Errorf("dashboard commune %q", d.Commune.Text)
	}
	for _, l := range []*widget.Label{d.Visits, d.Meetings, d.Received, d.Resolved} {
		if l.Text != "0" {
			t.Errorf("a new store's figure shows %q, want 0", l.Text)
		}
	}
	all := allTexts(sh.Main.Content)
	for _, want := range []string{"Xã Đăk Long, Tỉnh Quảng Ngãi", "Chuyến đi cơ sở", "Ý kiến tiếp nhận", "Chưa đăng ký đồng bộ", "Tổng quan", "Cài đặt", "Thùng rác"} {
		if !strings.Contains(all, want) {
			t.Errorf("main window does not show %q; it shows:\n%s", want, all)
		}
	}
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}

	// A later start of a store without a passphrase goes straight to the
	// main window, in the profile's language.
	sh2 := newTestShell(t, dir)
	sh2.Start()
	sh2.wait()
	if sh2.Main == nil || sh2.Win.Content() != sh2.Main.Content || sh2.Picker != nil || sh2.Profile != nil {
		t.Fatal("a later start should open the main window directly")
	}
}

func TestLaterStartAsksOnlyForThePassphrase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	const pass = "Mật khẩu đúng 2025"
	sh := newTestShell(t, dir)
	sh.Start()
	test.Type(sh.Unlock.Pass, pass)
	test.Type(sh.Unlock.Confirm, pass)
	test.Tap(sh.Unlock.Submit)
	sh.wait()
	chooseCommune(t, sh, "Đăk Long", "23368")
	sh.Profile.Lang.Choose(i18n.EN)
	test.Type(sh.Profile.Name, "Nguyễn Thị Hưởng")
	test.Tap(sh.Profile.Continue)
	sh.wait()
	if sh.Main == nil {
		t.Fatal("main window not shown")
	}
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}

	sh2 := newTestShell(t, dir) // a new app: the language comes from the profile
	sh2.Start()
	if sh2.Unlock == nil || sh2.Unlock.Confirm != nil {
		t.Fatal("a later start should ask for the passphrase only")
	}
	test.Type(sh2.Unlock.Pass, pass)
	test.Tap(sh2.Unlock.Submit)
	sh2.wait()
	if sh2.Main == nil || sh2.Win.Content() != sh2.Main.Content {
		t.Fatalf("unlocking should open the main window; error %q", sh2.Unlock.Error.Text)
	}
	if sh2.Lang() != i18n.EN {
		t.Errorf("language after unlock %q, want the profile's en", sh2.Lang())
	}
	d := dashboard(t, sh2)
	if got := allTexts(d.Content()); !strings.Contains(got, "Concerns received") || !strings.Contains(got, "Not enrolled for sync") {
		t.Errorf("dashboard is not in English:\n%s", got)
	}
	if got := sh2.App.Preferences().String(prefLang); got != "en" {
		t.Errorf("language preference %q, want en (so the next unlock screen is in English)", got)
	}
}
