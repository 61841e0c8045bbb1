package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// fieldCadre is the cadre profile of fieldShell's store.
var fieldCadre = data.Profile{Name: "Y Sáng", Unit: "Đồn Biên phòng Đăk Long", Lang: "vi"}

// fieldShell opens an empty store bound to Xã Đăk Long, with fieldCadre's
// profile, on the main window of a roomy test window.
func fieldShell(t *testing.T) *Shell {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	st, err := data.Open(dir, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetProfile(fieldCadre); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	sh := newTestShell(t, dir)
	sh.Win.Resize(fyne.NewSize(1280, 1000))
	sh.opts.Today = "2026-03-18"
	sh.Start()
	sh.wait()
	if sh.Main == nil {
		t.Fatal("a store with a commune and a profile should open on the main window")
	}
	return sh
}

// showScreen makes the screen id current and waits for its data.
func showScreen[S Screen](t *testing.T, sh *Shell, id string) S {
	t.Helper()
	s, ok := sh.ShowScreen(id).(S)
	if !ok {
		t.Fatalf("screen %q is not registered as a %T", id, s)
	}
	sh.wait()
	return s
}

// mustSave stores obj straight in the store.
func mustSave(t *testing.T, sh *Shell, obj data.Object) {
	t.Helper()
	if err := sh.Store().Save(obj); err != nil {
		t.Fatal(err)
	}
}

// confirmTop taps "Yes" on the confirmation dialog on top of the window.
func confirmTop(t *testing.T, sh *Shell) {
	t.Helper()
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is open")
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == lang.L("Yes") {
			test.Tap(b)
			sh.wait()
			return
		}
	}
	t.Fatal("the dialog on top has no Yes button")
}

// hasLabel reports whether a visible label under o reads text.
func hasLabel(o fyne.CanvasObject, text string) bool {
	return slices.ContainsFunc(labelTexts(o), func(s string) bool { return strings.Contains(s, text) })
}

func TestVillageListSortsInVietnameseAndMarksFlags(t *testing.T) {
	sh := fieldShell(t)
	for _, v := range []*data.Village{
		{Name: "Thôn Đăk Ang", VillageKind: data.VillageThon, Remote: true},
		{Name: "Thôn Dục Nhầy", VillageKind: data.VillageThon},
		{Name: "Làng Kon Klốc", VillageKind: data.VillageLang, Hotspot: true, HotspotReasons: []string{data.HotspotReligion}},
		{Name: "Thôn Đăk Ăn", VillageKind: data.VillageThon},
	} {
		mustSave(t, sh, v)
	}
	s := showScreen[*VillagesScreen](t, sh, "villages")
	var titles []string
	for _, r := range s.List.Rows() {
		titles = append(titles, r.Title)
	}
	want := []string{"Làng Kon Klốc", "Thôn Dục Nhầy", "Thôn Đăk Ang", "Thôn Đăk Ăn"}
	if !slices.Equal(titles, want) {
		t.Errorf("villages listed %q, want Vietnamese order %q", titles, want)
	}
	lines := s.List.Lines()
	if lines[0].Badge != "Trọng điểm (Tôn giáo)" || lines[2].Badge != "Vùng sâu, vùng xa" || lines[1].Badge != "" {
		t.Errorf("marks: %q, %q, %q", lines[0].Badge, lines[1].Badge, lines[2].Badge)
	}
	if !hasLabel(s.List, "Vùng sâu, vùng xa") {
		t.Error("the list does not show the remote mark")
	}
	s.Search.SetText("dak")
	sh.wait()
	if n := len(s.List.Rows()); n != 2 {
		t.Errorf("searching %q without diacritics lists %d villages, want 2", s.Search.Text, n)
	}
}

// addVillage creates a village through the Thôn – Làng form and returns
// the stored village.
func addVillage(t *testing.T, sh *Shell, name string) *data.Village {
	t.Helper()
	s := showScreen[*VillagesScreen](t, sh, "villages")
	s.New()
	f := s.Form
	if f == nil || !s.pages.showing(f.Content) {
		t.Fatal("New should show the village form")
	}
	if !f.Form.Save.Disabled() {
		t.Error("Save should be disabled while the name is empty")
	}
	test.Type(f.Name, name)
	f.Kind.SetSelected(sh.EnumText("village_kind", string(data.VillageLang)))
	test.Tap(f.Remote)
	test.Tap(f.Hotspot)
	test.Tap(f.Reasons[data.HotspotEthnic])
	test.Type(f.Households, "1.120")
	test.Type(f.Ethnicities, "Xơ Đăng, Giẻ Triêng")
	if f.Form.Save.Disabled() {
		t.Fatal("Save should be enabled once the required fields are filled")
	}
	test.Tap(f.Form.Save)
	sh.wait()
	if s.Detail == nil || !s.pages.showing(s.Detail.Content) {
		t.Fatalf("saving should open the village; inline errors: %q", f.Form.ErrorText("field.village.households"))
	}
	v := new(data.Village)
	if err := sh.Store().Load(s.Detail.V.ID, v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestAddVillageThenHouseholdAndKeyPerson(t *testing.T) {
	sh := fieldShell(t)
	v := addVillage(t, sh, "Làng Kon Klốc")
	if v.Name != "Làng Kon Klốc" || v.VillageKind != data.VillageLang || !v.Remote || !v.Hotspot ||
		!slices.Equal(v.HotspotReasons, []string{data.HotspotEthnic}) || v.Households != 1120 ||
		!slices.Equal(v.Ethnicities, []string{"Xơ Đăng", "Giẻ Triêng"}) {
		t.Fatalf("stored village %+v", v)
	}
	s := sh.Current().(*VillagesScreen)
	d := s.Detail

	// A household, from the households tab.
	test.Tap(d.AddHousehold)
	sh.wait()
	hf := d.HouseholdForm
	if hf == nil {
		t.Fatal("Thêm hộ should open the household form")
	}
	if !hasLabel(hf.Form.Box, "Dân tộc (nhạy cảm)") || !hasLabel(hf.Form.Box, "Tôn giáo (nhạy cảm)") {
		t.Error("ethnicity and religion should be marked as sensitive")
	}
	test.Type(hf.Head, "Nguyễn Thị Hưởng")
	test.Type(hf.Members, "5")
	test.Type(hf.Ethnicity, "Xơ Đăng")
	test.Type(hf.Religion, "Không")
	test.Type(hf.Phone, "0905 123 456")
	test.Tap(hf.Form.Save)
	sh.wait()
	rows := d.Households.Rows()
	if len(rows) != 1 || rows[0].Title != "Nguyễn Thị Hưởng" {
		t.Fatalf("households listed after saving: %+v", rows)
	}
	var h data.Household
	if err := sh.Store().Load(rows[0].ID, &h); err != nil {
		t.Fatal(err)
	}
	if h.Village != v.ID || h.Members != 5 || h.Ethnicity != "Xơ Đăng" || h.Religion != "Không" || h.Phone != "0905 123 456" {
		t.Errorf("stored household %+v", h)
	}
	if !strings.Contains(d.tabHouseholds.Text, "(1)") {
		t.Errorf("households tab reads %q", d.tabHouseholds.Text)
	}

	// A key person, from the key persons tab.
	d.Tabs.SelectIndex(1)
	test.Tap(d.AddPerson)
	sh.wait()
	pf := d.PersonForm
	test.Type(pf.Name, "A Blúi")
	pf.Role.SetSelected(sh.EnumText("role", string(data.RoleElder)))
	test.Type(pf.Languages, "Tiếng Xơ Đăng, Tiếng Việt")
	test.Type(pf.Phone, "0912 000 111")
	test.Tap(pf.Form.Save)
	sh.wait()
	prow := d.Persons.Rows()
	if len(prow) != 1 || prow[0].Title != "A Blúi" {
		t.Fatalf("key persons listed: %+v", prow)
	}
	var p data.Person
	if err := sh.Store().Load(prow[0].ID, &p); err != nil {
		t.Fatal(err)
	}
	if p.Village != v.ID || p.Role != data.RoleElder || !slices.Equal(p.Languages, []string{"Tiếng Xơ Đăng", "Tiếng Việt"}) {
		t.Errorf("stored person %+v", p)
	}
	if got := d.Persons.Lines()[0].Sub; got != "Già làng · 0912 000 111" {
		t.Errorf("person line %q, want the role and the phone", got)
	}
	if got := d.Households.Lines()[0].Sub; !strings.Contains(got, "0905 123 456") {
		t.Errorf("household line %q lacks the phone", got)
	}

	// Edit the household, then delete it (to the trash) after confirming.
	d.Tabs.SelectIndex(0)
	d.Households.Select(0)
	sh.wait()
	hf = d.HouseholdForm
	if hf.Head.Text != "Nguyễn Thị Hưởng" || hf.Delete == nil {
		t.Fatalf("tapping the household should open it for editing; head %q", hf.Head.Text)
	}
	hf.Members.SetText("6")
	test.Tap(hf.Form.Save)
	sh.wait()
	if err := sh.Store().Load(h.ID, &h); err != nil || h.Members != 6 {
		t.Errorf("edited household: members %d, err %v", h.Members, err)
	}
	d.Households.Select(0)
	sh.wait()
	test.Tap(d.HouseholdForm.Delete)
	confirmTop(t, sh)
	if n := len(d.Households.Rows()); n != 0 {
		t.Errorf("%d households listed after deleting", n)
	}
	if err := sh.Store().Load(h.ID, &h); err != nil || !h.Deleted {
		t.Errorf("the household should be in the trash: deleted=%v err=%v", h.Deleted, err)
	}
}

func TestHouseholdDraftSurvivesClosedDialog(t *testing.T) {
	sh := fieldShell(t)
	v := &data.Village{Name: "Thôn Đăk Ang", VillageKind: data.VillageThon}
	mustSave(t, sh, v)
	s := showScreen[*VillagesScreen](t, sh, "villages")
	s.Open(v.ID)
	sh.wait()
	test.Tap(s.Detail.AddHousehold)
	sh.wait()
	test.Type(s.Detail.HouseholdForm.Head, "Đinh Văn Hùng")
	sh.wait()
	sh.CloseDialog() // Esc: the dialog closes, the draft stays
	sh.wait()

	test.Tap(s.Detail.AddHousehold)
	sh.wait()
	f := s.Detail.HouseholdForm
	if f.Restore == nil {
		t.Fatal("reopening the form should offer the draft back")
	}
	f.Restore.Confirm()
	if f.Head.Text != "Đinh Văn Hùng" {
		t.Errorf("restored head %q", f.Head.Text)
	}
}

// Household and person rows show the phone number that search finds them by.
func TestRowsShowThePhone(t *testing.T) {
	sh := openDemo(t)
	st := sh.Store()
	v := st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)[0]
	h := &data.Household{Head: "A Thuận", Village: v.ID, Members: 5, Phone: "0912 345 678"}
	if err := st.Save(h); err != nil {
		t.Fatal(err)
	}
	rows := st.Find(data.Filter{Kind: data.KindHousehold, Query: "0912 345"}, data.ByTitle)
	if len(rows) != 1 {
		t.Fatalf("search by phone found %d households", len(rows))
	}
	line := rowLine(sh, rows[0], true)
	if !strings.Contains(line.Sub, "0912 345 678") || !strings.Contains(line.Sub, "5") {
		t.Errorf("household row %q · %q lacks the phone or the members", line.Title, line.Sub)
	}
}

// TestPrestigiousPersonRecognitionAndSupport: a người có uy tín's form
// asks for the recognition decision and its term, and records the
// support given; the register on the Báo cáo page prints them.
func TestPrestigiousPersonRecognitionAndSupport(t *testing.T) {
	sh := fieldShell(t)
	addVillage(t, sh, "Làng Kon Klốc")
	s := sh.Current().(*VillagesScreen)
	d := s.Detail
	d.Tabs.SelectIndex(1)
	test.Tap(d.AddPerson)
	sh.wait()
	pf := d.PersonForm
	test.Type(pf.Name, "A Thoong")
	if shownIn(pf.Form.Box, pf.DecisionNo) {
		t.Error("the decision is asked before the role is a người có uy tín")
	}
	pf.Role.SetSelected(sh.EnumText("role", string(data.RolePrestige)))
	if !shownIn(pf.Form.Box, pf.DecisionNo) || !shownIn(pf.Form.Box, pf.AddSupport) {
		t.Fatal("a người có uy tín's form does not ask for the decision and the support")
	}
	test.Type(pf.DecisionNo, "15/QĐ-UBND")
	test.Type(pf.DecisionDate.Entry, "10/02/2023")
	test.Type(pf.TermFrom.Entry, "01/01/2023")
	test.Type(pf.TermTo.Entry, "31/12/2027")
	pf.SupportDate.SetText("")
	test.Type(pf.SupportDate.Entry, "20/01/2026")
	test.Type(pf.SupportWhat, "Thăm hỏi, tặng quà Tết")
	test.Type(pf.SupportValue, "500.000")
	test.Tap(pf.AddSupport)
	if !strings.Contains(allTexts(pf.Support), "20/01/2026 · Thăm hỏi, tặng quà Tết · 500.000 đ") {
		t.Errorf("the support listed: %q", allTexts(pf.Support))
	}
	test.Tap(pf.Form.Save)
	sh.wait()
	rows := d.Persons.Rows()
	if len(rows) != 1 {
		t.Fatalf("persons %v", rows)
	}
	var p data.Person
	if err := sh.Store().Load(rows[0].ID, &p); err != nil {
		t.Fatal(err)
	}
	if p.DecisionNo != "15/QĐ-UBND" || p.DecisionDate != "2023-02-10" || p.TermTo != "2027-12-31" || len(p.Support) != 1 ||
		p.Support[0].ValueVND != 500000 || p.Support[0].Date != "2026-01-20" {
		t.Fatalf("stored %+v", p)
	}
	// The register, from the Báo cáo page.
	dir, names := fakeSaveDialog(t)
	r := showScreen[*ReportsScreen](t, sh, "reports")
	var x *ReportExport
	for _, o := range r.Actions.Objects {
		if e, ok := o.(*ReportExport); ok {
			x = e
		}
	}
	x.Kind.SetSelected(sh.T("reportexport.kind.prestige"))
	r.From.SetText("")
	test.Type(r.From.Entry, "01/01/2026")
	r.To.SetText("")
	test.Type(r.To.Entry, "31/03/2026")
	sh.wait()
	test.Tap(x.SavePDF)
	progressSeen(t, sh, x)
	if len(*names) != 1 || !strings.HasPrefix((*names)[0], "so-nguoi-co-uy-tin-xa-dak-long-") {
		t.Fatalf("suggested %v", *names)
	}
	text := strings.Join(strings.Fields(pdfTextOf(t, filepath.Join(dir, (*names)[0]))), " ")
	for _, want := range []string{"SỔ THEO DÕI NGƯỜI CÓ UY TÍN", "A Thoong", "Số 15/QĐ-UBND ngày", "Thăm hỏi, tặng quà Tết", "500.000"} {
		if !strings.Contains(text, want) {
			t.Errorf("the register lacks %q", want)
		}
	}
}
