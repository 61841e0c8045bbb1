package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"danvan/data"
)

// TestDemoDataRemovedFromSettingsThenEnrol: a laptop holding demo data
// cannot enrol (the Đồng bộ page says to remove them first); Cài đặt →
// Dữ liệu mẫu → "Xóa dữ liệu mẫu" asks first, Cancel keeps everything,
// the confirmation removes the demo records and nothing else; then the
// same code enrolls the laptop and only the real village reaches the
// server.
func TestDemoDataRemovedFromSettingsThenEnrol(t *testing.T) {
	ts := startSyncServer(t)
	sh := newTestShell(t, "")
	firstRun(t, sh, "Y Sáng")
	st := sh.Store()
	sum, err := data.GenerateDemo(st, data.DemoOptions{Scale: 1, Seed: 9, Today: "2026-06-15"})
	if err != nil {
		t.Fatal(err)
	}
	real := &data.Village{Name: "Làng Thật Kon Gu", VillageKind: data.VillageLang}
	if err := st.Save(real); err != nil {
		t.Fatal(err)
	}
	demoVillage := ""
	for _, r := range st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
		if data.IsDemoID(r.ID) {
			demoVillage = r.Title
			break
		}
	}
	if demoVillage == "" {
		t.Fatal("no demo village")
	}
	// A real household entered in a demo village stays, and the
	// confirmation says it will have no village.
	var demoVillageID string
	for _, r := range st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
		if r.Title == demoVillage {
			demoVillageID = r.ID
		}
	}
	hh := &data.Household{Head: "Hộ Thật A Blưi", Village: demoVillageID, Members: 4}
	if err := st.Save(hh); err != nil {
		t.Fatal(err)
	}

	// Enrolling is refused while demo data are there; the code is kept.
	code := ts.code(t, "Cán bộ A")
	sy := syncScreen(t, sh)
	test.Type(sy.URL, ts.URL)
	test.Type(sy.Code, code)
	test.Tap(sy.Enrol)
	syncUntil(t, sh, "the enrolment answer", func() bool { return sy.EnrolError.Visible() || sy.EnrolDone.Visible() })
	if !sy.EnrolError.Visible() || !strings.Contains(sy.EnrolError.Text, "dữ liệu mẫu") || !strings.Contains(sy.EnrolError.Text, "Xóa dữ liệu mẫu") {
		t.Fatalf("enrolling with demo data: error shown %v %q", sy.EnrolError.Visible(), sy.EnrolError.Text)
	}

	s := settings(t, sh)
	shown := allTexts(s.Content())
	if !strings.Contains(shown, "Dữ liệu mẫu") || !strings.Contains(s.Demo.Count.Text, formatCount(sum.Total())+" bản ghi mẫu") || s.Demo.Remove.Disabled() {
		t.Fatalf("demo part: count %q, remove disabled %v; page:\n%s", s.Demo.Count.Text, s.Demo.Remove.Disabled(), shown)
	}

	// Cancel keeps everything.
	test.Tap(s.Demo.Remove)
	if q := topOverlayText(sh); !strings.Contains(q, "Xóa hẳn "+formatCount(sum.Total())+" bản ghi mẫu") || !strings.Contains(q, "2 bản ghi khác") ||
		!strings.Contains(q, "1 bản ghi thật được nhập vào một thôn mẫu") {
		t.Fatalf("the confirmation says:\n%s", q)
	}
	tapButton(t, sh, sh.Win.Canvas().Overlays().Top(), sh.T("btn.cancel"))
	if d, _ := st.DemoCount(); d != sum.Total() {
		t.Fatalf("Cancel removed demo records: %d left of %d", d, sum.Total())
	}

	// The confirmation removes them.
	test.Tap(s.Demo.Remove)
	tapButton(t, sh, sh.Win.Canvas().Overlays().Top(), sh.T("demo.remove"))
	sh.wait()
	if d, o := st.DemoCount(); d != 0 || o != 2 {
		t.Fatalf("after Xóa dữ liệu mẫu: %d demo, %d other records; want 0, 2", d, o)
	}
	if _, err := st.Get(hh.ID); err != nil {
		t.Errorf("the real household in a demo village went with the demo data: %v", err)
	}
	if !s.Demo.Done.Visible() || s.Demo.Done.Text != "Đã xóa "+formatCount(sum.Total())+" bản ghi mẫu." {
		t.Errorf("report after removing: %v %q", s.Demo.Done.Visible(), s.Demo.Done.Text)
	}
	if s.Demo.Count.Text != "Kho này không có dữ liệu mẫu." || !s.Demo.Remove.Disabled() {
		t.Errorf("after removing: count %q, remove disabled %v", s.Demo.Count.Text, s.Demo.Remove.Disabled())
	}
	if _, err := st.Get(real.ID); err != nil {
		t.Errorf("the real village went with the demo data: %v", err)
	}
	sh.ShowScreen("villages")
	sh.wait()
	if got := allTexts(sh.Main.Content); !strings.Contains(got, "Làng Thật Kon Gu") || strings.Contains(got, demoVillage) {
		t.Errorf("Thôn – Làng after removing the demo data (demo village %q):\n%s", demoVillage, got)
	}

	// Now the same code enrolls, and only the real village goes up.
	sy = syncScreen(t, sh)
	test.Tap(sy.Enrol)
	syncUntil(t, sh, "the first sync", func() bool { return !sy.Status().LastSuccess.IsZero() && !sy.Status().Syncing })
	if sy.EnrolError.Visible() {
		t.Fatalf("enrolment after removing the demo data failed: %s", sy.EnrolError.Text)
	}
	if _, ok := ts.record(t, real.ID); !ok {
		t.Error("the real village did not reach the server")
	}
}
