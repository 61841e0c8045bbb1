package ui

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"danvan/data"
	"danvan/i18n"
)

// settings shows the settings screen, loaded.
func settings(t *testing.T, sh *Shell) *Settings {
	t.Helper()
	s, ok := sh.ShowScreen("settings").(*Settings)
	if !ok {
		t.Fatal("no settings screen")
	}
	sh.wait()
	return s
}

func TestLanguageSwitchRelabelsAtOnce(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	s := settings(t, sh)
	before := allTexts(sh.Main.Content)
	for _, want := range []string{"Cài đặt", "Thùng rác", "Tổng quan", "Ngôn ngữ", "Thông tin cán bộ"} {
		if !strings.Contains(before, want) {
			t.Errorf("Vietnamese window lacks %q:\n%s", want, before)
		}
	}

	s.Lang.Choose(i18n.EN)
	sh.wait()
	if sh.Lang() != i18n.EN {
		t.Fatalf("language %q after choosing English", sh.Lang())
	}
	if sh.CurrentID() != "settings" {
		t.Errorf("after the switch the window shows %q, want settings still", sh.CurrentID())
	}
	s2 := sh.Current().(*Settings)
	if s2 == s {
		t.Error("the settings screen was not rebuilt in English")
	}
	after := allTexts(sh.Main.Content)
	for _, want := range []string{"Settings", "Trash", "Overview", "Language", "Cadre profile", "Notebook passphrase", "Set passphrase"} {
		if !strings.Contains(after, want) {
			t.Errorf("after switching to English the window lacks %q:\n%s", want, after)
		}
	}
	if strings.Contains(after, "Thùng rác") || strings.Contains(after, "Ngôn ngữ") {
		t.Errorf("Vietnamese labels left after the switch:\n%s", after)
	}
	if sh.Win.MainMenu().Items[0].Label != "File" {
		t.Errorf("menu %q", sh.Win.MainMenu().Items[0].Label)
	}
	d := dashboard(t, sh)
	if got := allTexts(d.Content()); !strings.Contains(got, "Field visits") || !strings.Contains(got, "Not enrolled for sync") {
		t.Errorf("dashboard after the switch:\n%s", got)
	}
	if p, _ := sh.Store().Profile(); p.Lang != "en" {
		t.Errorf("profile language %q, want en", p.Lang)
	}
	if sh.App.Preferences().String(prefLang) != "en" {
		t.Error("the language preference was not kept")
	}
	if got := lang.L("Cancel"); got != "Cancel" {
		t.Errorf("Fyne's own Cancel in English is %q", got)
	}

	// And back.
	settings(t, sh).Lang.Choose(i18n.VI)
	sh.wait()
	if got := allTexts(sh.Main.Content); !strings.Contains(got, "Cài đặt") || strings.Contains(got, "Settings") {
		t.Errorf("back to Vietnamese:\n%s", got)
	}
	if got := lang.L("Cancel"); got != "Hủy" {
		t.Errorf("Fyne's own Cancel in Vietnamese is %q, whatever the system locale", got)
	}
}

func TestSettingsProfileAndStore(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	s := settings(t, sh)
	if s.Name.Text != "Nguyễn Văn An" || s.Unit.Text != "Ban Dân vận Đảng ủy xã" {
		t.Errorf("profile shown %q, %q", s.Name.Text, s.Unit.Text)
	}
	s.Name.SetText("  ")
	if !s.Profile.Save.Disabled() {
		t.Error("Save should be disabled without a name")
	}
	s.Name.SetText("Hồ Thị Lan")
	s.Unit.SetText("Hội Phụ nữ xã")
	test.Tap(s.Profile.Save)
	sh.wait()
	if p, _ := sh.Store().Profile(); p.Name != "Hồ Thị Lan" || p.Unit != "Hội Phụ nữ xã" || p.Lang != "vi" {
		t.Errorf("stored profile %+v", p)
	}
	if !s.ProfileStatus.Visible() {
		t.Error("no 'saved' feedback")
	}
	if !strings.Contains(s.StoreDir.Text, sh.Store().Dir()) || !strings.HasSuffix(s.StoreSize.Text, " MB") {
		t.Errorf("store facts %q, %q", s.StoreDir.Text, s.StoreSize.Text)
	}
	if s.Commune.Text != "Xã Đăk Long, Tỉnh Quảng Ngãi · 23368" {
		t.Errorf("commune %q", s.Commune.Text)
	}
	if got := formatMB(5<<20+1<<19, i18n.VI); got != "5,5 MB" {
		t.Errorf("formatMB = %q", got)
	}
}

// TestSettingsUnitKindSuggestsTheHeading: choosing the kind of body
// fills in the unit's name, the body above it, the number's symbol, the
// signer's title and "Nơi nhận" from the commune's name; a field the user
// typed stays as typed; Save stores them all with the profile.
func TestSettingsUnitKindSuggestsTheHeading(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	s := settings(t, sh)
	is := s.Issuer
	s.Unit.SetText("")
	is.Kind.SetValue(string(data.UnitState))
	if s.Unit.Text != "Ủy ban nhân dân xã Đăk Long" || is.Symbol.Text != "UBND" || is.Parent.Text != "" ||
		!strings.Contains(is.SignerRole.Text, "Chủ tịch") {
		t.Errorf("state body: unit %q, symbol %q, parent %q, signer %q", s.Unit.Text, is.Symbol.Text, is.Parent.Text, is.SignerRole.Text)
	}
	is.Symbol.SetText("VP")
	is.Kind.SetValue(string(data.UnitParty))
	if s.Unit.Text != "Ban Xây dựng Đảng Đảng ủy xã Đăk Long" || is.Parent.Text != "Đảng bộ xã Đăk Long" || is.Symbol.Text != "VP" ||
		is.SignerRole.Text != "Trưởng ban" {
		t.Errorf("Party body: unit %q, parent %q, symbol %q (typed VP), signer %q", s.Unit.Text, is.Parent.Text, is.Symbol.Text, is.SignerRole.Text)
	}
	is.Signer.SetText("Trần Văn Hùng")
	test.Tap(s.Profile.Save)
	sh.wait()
	p, _ := sh.Store().Profile()
	if p.UnitKind != data.UnitParty || p.Unit != "Ban Xây dựng Đảng Đảng ủy xã Đăk Long" || p.Symbol != "VP" || p.Signer != "Trần Văn Hùng" ||
		!strings.Contains(p.Recipients, "Ban Thường vụ Đảng ủy xã Đăk Long") {
		t.Errorf("stored profile %+v", p)
	}
	// Shown again as stored.
	s.Refresh()
	if is.Kind.Value() != string(data.UnitParty) || is.Signer.Text != "Trần Văn Hùng" {
		t.Errorf("shown again: kind %q, signer %q", is.Kind.Value(), is.Signer.Text)
	}
}

func TestSettingsChecklist(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	s := settings(t, sh)
	st := sh.Store()
	labels := func(items []data.ChecklistItem) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.Label)
		}
		return out
	}
	if got := s.Cung.Labels(); !slices.Equal(got, labels(data.DefaultChecklist().Cung)) {
		t.Fatalf("cùng items %v, want the defaults", got)
	}

	test.Type(s.Cung.NewItem, "cùng học chữ")
	test.Tap(s.Cung.Add)
	sh.wait()
	cung := st.Checklist().Cung
	if got := labels(cung); len(got) != 5 || got[4] != "cùng học chữ" {
		t.Fatalf("stored cùng items %v", got)
	}
	if id := cung[4].ID; id != "cung_hoc_chu" {
		t.Errorf("new item id %q", id)
	}
	if !strings.Contains(allTexts(s.Cung.Content), "cùng học chữ") {
		t.Error("the new item is not shown")
	}

	// A duplicate (without diacritics) is refused inline.
	test.Type(s.Cung.NewItem, "Cung an")
	test.Tap(s.Cung.Add)
	sh.wait()
	if !s.Cung.Error.Visible() || !strings.Contains(s.Cung.Error.Text, "đã có") || len(st.Checklist().Cung) != 5 {
		t.Errorf("duplicate item: error %q, %d items", s.Cung.Error.Text, len(st.Checklist().Cung))
	}

	if !s.Bam.Rename(0, "bám hộ") {
		t.Fatalf("rename refused: %q", s.Bam.Error.Text)
	}
	sh.wait()
	bam := st.Checklist().Bam
	if bam[0].Label != "bám hộ" || bam[0].ID != "bam_dia_ban" {
		t.Errorf("renamed item %+v: the id must stay", bam[0])
	}
	s.Bam.askRemove(1)
	if sh.Win.Canvas().Overlays().Top() == nil {
		t.Fatal("removing an item should ask first")
	}
	pressEsc(sh) // No
	sh.wait()
	if len(st.Checklist().Bam) != 3 {
		t.Fatal("Esc on the question removed the item")
	}
	s.Bam.Remove(1)
	sh.wait()
	if got := labels(st.Checklist().Bam); !slices.Equal(got, []string{"bám hộ", "bám bản (bám trụ)"}) {
		t.Errorf("bám items after removing %v", got)
	}
}

func TestSettingsPassphraseChange(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	const oldPass, newPass = "Mật khẩu cũ 2025", "Mật khẩu mới 2026"
	sh := newTestShell(t, dir)
	sh.Start()
	test.Type(sh.Unlock.Pass, oldPass)
	test.Type(sh.Unlock.Confirm, oldPass)
	test.Tap(sh.Unlock.Submit)
	sh.wait()
	chooseCommune(t, sh, "dak long", "23368")
	test.Type(sh.Profile.Name, "Nguyễn Văn An")
	test.Tap(sh.Profile.Continue)
	sh.wait()
	v := &data.Village{Name: "Thôn Đăk Ang", VillageKind: data.VillageThon}
	if err := sh.Store().Save(v); err != nil {
		t.Fatal(err)
	}

	p := settings(t, sh).Pass
	if p.Intro.Visible() || !p.oldRow.Visible() {
		t.Error("a store with a passphrase should ask for the current one")
	}
	// Checks before anything is closed.
	test.Type(p.Old, oldPass)
	test.Type(p.New, "ngắn")
	test.Type(p.Confirm, "ngắn")
	test.Tap(p.Submit)
	if !p.Error.Visible() || !strings.Contains(p.Error.Text, "ít nhất 8") {
		t.Errorf("short passphrase: %q", p.Error.Text)
	}
	p.New.SetText(newPass)
	p.Confirm.SetText(newPass + "!")
	test.Tap(p.Submit)
	if p.Error.Text != sh.T("err.passphrase_mismatch") {
		t.Errorf("mismatch: %q", p.Error.Text)
	}

	// A wrong current passphrase: inline error, the store stays open.
	p.Old.SetText("sai mật khẩu")
	p.Confirm.SetText(newPass)
	test.Tap(p.Submit)
	sh.wait()
	if p.Error.Text != "Mật khẩu không đúng." || p.Old.Text != "" || sh.Store() == nil {
		t.Fatalf("wrong old passphrase: error %q, old entry %q, store open %v", p.Error.Text, p.Old.Text, sh.Store() != nil)
	}

	test.Type(p.Old, oldPass)
	test.Tap(p.Submit)
	sh.wait()
	if !p.Done.Visible() || p.Error.Visible() {
		t.Fatalf("change failed: %q", p.Error.Text)
	}
	if sh.Win.Canvas().Overlays().Top() != nil {
		t.Error("the progress dialog stays open")
	}
	st := sh.Store()
	if st == nil || sh.Win.Content() != sh.Main.Content {
		t.Fatal("the store should be open again, on the main window")
	}
	if _, ok := st.Row(v.ID); !ok {
		t.Error("the reopened store lost the village")
	}
	if err := st.Save(&data.Village{Name: "Làng Kon Tu", VillageKind: data.VillageLang}); err != nil {
		t.Errorf("the reopened store does not take writes: %v", err)
	}
	if st.Actor() != "Nguyễn Văn An" {
		t.Errorf("actor after reopening %q", st.Actor())
	}
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}

	if _, err := data.Open(dir, data.Options{Passphrase: oldPass}); !errors.Is(err, data.ErrWrongPassphrase) {
		t.Errorf("old passphrase after the change: %v, want ErrWrongPassphrase", err)
	}
	st2, err := data.Open(dir, data.Options{Passphrase: newPass})
	if err != nil {
		t.Fatalf("new passphrase: %v", err)
	}
	defer st2.Close()
	if n := st2.Count(data.Filter{Kind: data.KindVillage}); n != 2 {
		t.Errorf("%d villages after the change, want 2", n)
	}
}

func TestSettingsSetFirstPassphrase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	const pass = "Mật khẩu đầu tiên"
	sh := newTestShell(t, dir)
	firstRun(t, sh, "Nguyễn Văn An")
	p := settings(t, sh).Pass
	if !p.Intro.Visible() || p.oldRow.Visible() || p.Submit.Text != "Đặt mật khẩu" {
		t.Fatal("a store without a passphrase should offer to set one, with a warning")
	}
	test.Type(p.New, pass)
	test.Type(p.Confirm, pass)
	test.Tap(p.Submit)
	sh.wait()
	if !p.Done.Visible() || !data.HasPassphrase(dir) {
		t.Fatalf("setting a passphrase failed: %q", p.Error.Text)
	}
	if p.Intro.Visible() || !p.oldRow.Visible() {
		t.Error("the form should now ask for the current passphrase")
	}
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := data.Open(dir, data.Options{}); !errors.Is(err, data.ErrWrongPassphrase) {
		t.Errorf("open without a passphrase: %v", err)
	}
}

// TestPrivacyRecordAndBreachLog: Settings shows the record of processing
// (the denouncer's identity going nowhere) and logs a breach with its
// 72-hour notice, in red until it is notified.
func TestPrivacyRecordAndBreachLog(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	s := settings(t, sh)
	shown := allTexts(s.Privacy.Content)
	for _, want := range []string{"Danh tính người tố cáo · dữ liệu nhạy cảm", "Không đi đâu: không đồng bộ", "Chưa có sự cố nào."} {
		if !strings.Contains(shown, want) {
			t.Errorf("the personal-data part lacks %q:\n%s", want, shown)
		}
	}
	test.Tap(s.Privacy.Add)
	f := s.Privacy.Form
	if f == nil || !f.Form.Save.Disabled() {
		t.Fatal("the breach form should open, with Save waiting for what happened")
	}
	test.Type(f.What, "Mất máy tính xách tay có sổ tay khi đi cơ sở")
	test.Type(f.People, "120")
	test.Tap(f.Form.Save)
	sh.wait()
	log, err := sh.Store().Breaches()
	if err != nil || len(log) != 1 || log[0].People != 120 {
		t.Fatalf("log %+v (%v)", log, err)
	}
	line := allTexts(s.Privacy.Breaches)
	if !strings.Contains(line, "Mất máy tính xách tay") || !strings.Contains(line, "Chưa thông báo: hạn") {
		t.Errorf("the log shows %q", line)
	}
	// Notified: the line says when.
	p := s.Privacy
	p.Form = p.openForm(log[0])
	f = p.Form
	f.NotifiedDay.SetDate(data.DateOf(time.Now().In(data.Vietnam)))
	f.NotifiedTime.SetText(time.Now().In(data.Vietnam).Add(time.Minute).Format("15:04"))
	test.Type(f.To, "A05")
	test.Tap(f.Form.Save)
	sh.wait()
	if line := allTexts(s.Privacy.Breaches); !strings.Contains(line, "Đã thông báo lúc") {
		t.Errorf("after the notice the log shows %q", line)
	}
}
