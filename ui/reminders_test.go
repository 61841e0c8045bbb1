package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// openShellOn opens the shell on the store in dir (made by the caller and
// closed), at demoDay, and returns its dashboard.
func openShellOn(t *testing.T, dir string) (*Shell, *Dashboard) {
	t.Helper()
	sh := newTestShell(t, dir)
	sh.opts.Today = demoDay
	sh.Start()
	sh.wait()
	if sh.Main == nil {
		t.Fatal("the store should open on the main window")
	}
	return sh, dashboard(t, sh)
}

// A kept draft is listed on the dashboard with its kind, first words and
// time; Mở opens its form with the draft restored, without asking; Bỏ
// bản nháp asks first, then drops it.
func TestDraftsBlockOnTheDashboard(t *testing.T) {
	dir := demoStore(t)
	st, err := data.Open(dir, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(concernDraft{Kind: string(data.ConcernPetition), Summary: "Bà con thôn Kon Pao kiến nghị sửa đường vào khu sản xuất trước mùa mưa"})
	if err := st.SaveDraft("concern/new", b); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(villageState{Name: "Làng Đăk Rế"})
	if err := st.SaveDraft("village/new", b); err != nil {
		t.Fatal(err)
	}
	vrow := st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)[0]
	b, _ = json.Marshal(visitState{Village: vrow.ID, From: "16/03/2026"})
	if err := st.SaveDraft("visit/new", b); err != nil {
		t.Fatal(err)
	}
	st.Close()
	sh, d := openShellOn(t, dir)
	if !d.Drafts.Content.Visible() || len(d.Drafts.Items) != 3 {
		t.Fatalf("drafts block visible %v with %d items, want 3", d.Drafts.Content.Visible(), len(d.Drafts.Items))
	}
	shown := allTexts(d.Drafts.Content)
	for _, want := range []string{"Bản nháp chưa lưu (3)", "Chuyến đi cơ sở · “" + vrow.Title + ", 16/03/2026”", "Ý kiến, kiến nghị · “Bà con thôn Kon Pao kiến nghị sửa đường vào khu sản xuất…”", "Thôn, làng · “Làng Đăk Rế”", "lúc "} {
		if !strings.Contains(shown, want) {
			t.Errorf("drafts block lacks %q:\n%s", want, shown)
		}
	}
	// Mở on the concern draft: the form, filled, with no question asked.
	var concernRow fyne.CanvasObject
	for _, r := range d.Drafts.Rows.Objects {
		if strings.Contains(allTexts(r), "Kon Pao") {
			concernRow = r
		}
	}
	tapButton(t, sh, concernRow, "Mở")
	f, ok := sh.ActiveForm().(*ConcernForm)
	if !ok {
		t.Fatalf("Mở opened %T, want the concern form", sh.ActiveForm())
	}
	if f.DraftPrompt != nil {
		t.Error("the form asked again whether to restore the draft the user chose")
	}
	if !strings.HasPrefix(f.Summary.Text, "Bà con thôn Kon Pao") {
		t.Errorf("the form shows summary %q, not the draft's", f.Summary.Text)
	}
	f.Dialog.Hide()
	sh.wait()

	// Bỏ bản nháp on the village draft asks, then drops it.
	d = dashboard(t, sh)
	var villageRow fyne.CanvasObject
	for _, r := range d.Drafts.Rows.Objects {
		if strings.Contains(allTexts(r), "Đăk Rế") {
			villageRow = r
		}
	}
	tapButton(t, sh, villageRow, "Bỏ bản nháp")
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(allTexts(top), "Bỏ bản nháp?") {
		t.Fatal("discarding a draft does not ask first")
	}
	if sh.Store().Draft("village/new") == nil {
		t.Fatal("the draft went before the user confirmed")
	}
	tapButton(t, sh, top, "Bỏ bản nháp")
	if sh.Store().Draft("village/new") != nil {
		t.Error("the draft is still kept after confirming")
	}
	for _, it := range dashboard(t, sh).Drafts.Items {
		if it.Key == "village/new" {
			t.Error("the discarded draft is still listed")
		}
	}
}

// After an unclean exit the drafts are offered at start, named.
func TestDraftsOfferedAfterACrash(t *testing.T) {
	dir := demoStore(t)
	st, err := data.Open(dir, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(concernDraft{Kind: string(data.ConcernDenunciation), Summary: "Tố cáo khai thác cát trái phép", Denouncer: "Đinh Văn Mật"})
	if err := st.SaveDraft("concern/new", b); err != nil {
		t.Fatal(err)
	}
	// The mark an app that was killed leaves behind.
	if err := st.SetMeta("running", []byte("2026-03-18T08:00:00Z")); err != nil {
		t.Fatal(err)
	}
	st.Close()
	sh, _ := openShellOn(t, dir)
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no notice at start after an unclean exit")
	}
	shown := allTexts(top)
	if !strings.Contains(shown, "Sổ tay đã đóng đột ngột") || !strings.Contains(shown, "Tố cáo khai thác cát trái phép") {
		t.Fatalf("the notice does not name the draft:\n%s", shown)
	}
	if strings.Contains(shown, "Đinh Văn Mật") {
		t.Error("the notice shows the denouncer's name")
	}
	tapButton(t, sh, top, "Mở bản nháp mới nhất")
	f, ok := sh.ActiveForm().(*ConcernForm)
	if !ok || f.Summary.Text != "Tố cáo khai thác cát trái phép" || f.Denouncer.Text != "Đinh Văn Mật" {
		t.Fatalf("the newest draft did not open restored: %T", sh.ActiveForm())
	}
	f.Dialog.Hide()
	sh.wait()
	// A clean close leaves no notice for the next start.
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}
	sh2, _ := openShellOn(t, dir)
	if top := sh2.Win.Canvas().Overlays().Top(); top != nil && strings.Contains(allTexts(top), "đóng đột ngột") {
		t.Error("after a clean close the start still says the notebook closed unexpectedly")
	}
}

// Reminders: a desktop notification at start for what is overdue or due
// within 3 working days and the promised actions due, once a day, and
// none when Settings turns them off.
func TestRemindersNotifyOnceADay(t *testing.T) {
	sh := openDemo(t)
	d := dashboard(t, sh)
	n := reminderNotice(sh, d.data)
	if n == nil {
		t.Fatal("the demo store has overdue concerns but no reminder")
	}
	overdue := 0
	for _, it := range d.OverdueItems() {
		if it.Days > 0 {
			overdue++
		}
	}
	if !strings.Contains(n.Content, formatCount(overdue)+" ý kiến đã quá hạn") || !strings.Contains(n.Content, "Gấp nhất: ") {
		t.Errorf("reminder %q", n.Content)
	}
	if !strings.HasPrefix(n.Content[strings.Index(n.Content, "Gấp nhất: ")+len("Gấp nhất: "):], d.OverdueItems()[0].Title[:20]) {
		t.Errorf("the reminder does not name the most urgent case first: %q", n.Content)
	}
	rec := &notifyApp{App: sh.App}
	sh.App = rec
	// Sent at start already: not again today.
	if sh.remindedOn != demoDay {
		t.Error("no reminder went out at start")
	}
	sh.remind(d.data)
	if len(rec.sent) != 0 {
		t.Errorf("a second reminder the same day: %v", rec.sent)
	}
	sh.remindedOn = "2026-03-17" // the next day
	sh.remind(d.data)
	if len(rec.sent) != 1 || rec.sent[0].Content != n.Content || rec.sent[0].Title != "Sổ tay Dân vận: việc cần làm" {
		t.Errorf("the next day's reminder: %v", rec.sent)
	}
	sh.remindedOn = ""
	sh.SetReminders(false)
	sh.remind(d.data)
	if len(rec.sent) != 1 {
		t.Error("a reminder went out with reminders turned off")
	}
	s, ok := sh.ShowScreen("settings").(*Settings)
	if !ok {
		t.Fatal("no settings")
	}
	sh.wait()
	if s.Reminders.Checked {
		t.Error("Settings shows reminders on after they were turned off")
	}
	test.Tap(s.Reminders)
	if !sh.RemindersOn() {
		t.Error("ticking Nhắc việc did not turn reminders on")
	}
}

// An empty notebook shows three steps, each a button that starts it.
func TestFirstDayPath(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	d := dashboard(t, sh)
	if !d.FirstDay.Content.Visible() {
		t.Fatal("the empty dashboard shows no first-day steps")
	}
	shown := allTexts(d.FirstDay.Content)
	for _, want := range []string{"Bắt đầu từ đâu", "1. Thêm các thôn, làng", "2. Ghi một chuyến đi", "3. Khi có mạng", "Thêm thôn, làng", "Ghi chuyến đi", "Ghi nhận ý kiến", "Đăng ký đồng bộ"} {
		if !strings.Contains(shown, want) {
			t.Errorf("first-day steps lack %q:\n%s", want, shown)
		}
	}
	test.Tap(d.FirstDay.Villages)
	sh.wait()
	v, ok := sh.Current().(*VillagesScreen)
	if !ok || v.Form == nil {
		t.Fatalf("Thêm thôn, làng shows %T without a village form", sh.Current())
	}
	v.Form.Name.SetText("Làng Đăk Ang")
	v.Form.SaveForm()
	sh.wait()
	if d := dashboard(t, sh); d.FirstDay.Content.Visible() {
		t.Error("the first-day steps stay after the first village")
	}
	d = dashboard(t, sh)
	test.Tap(d.FirstDay.Enrol)
	sh.wait()
	if sh.CurrentID() != "sync" {
		t.Errorf("Đăng ký đồng bộ shows %q", sh.CurrentID())
	}
}

// notifyApp records the notifications sent.
type notifyApp struct {
	fyne.App
	sent []*fyne.Notification
}

func (a *notifyApp) SendNotification(n *fyne.Notification) { a.sent = append(a.sent, n) }

// A tap on the highlighted sidebar item goes back from a record's page
// to its list.
func TestSidebarItemGoesBackToTheList(t *testing.T) {
	sh := openDemo(t)
	c, ok := sh.ShowScreen("concerns").(*ConcernsScreen)
	if !ok {
		t.Fatal("no concerns screen")
	}
	sh.wait()
	id := sh.Store().Find(data.Filter{Kind: data.KindConcern}, data.ByDateDesc)[0].ID
	c.Open(id)
	sh.wait()
	if c.pages.showing(c.pages.list) {
		t.Fatal("the concern's page did not open")
	}
	var row *navRow
	for _, o := range test.LaidOutObjects(sh.Main.Nav) {
		if r, ok := o.(*navRow); ok && r.label.Text == sh.T("screen.concerns") {
			row = r
		}
	}
	if row == nil {
		t.Fatal("no sidebar item for the concerns")
	}
	test.Tap(row)
	sh.wait()
	if !c.pages.showing(c.pages.list) || sh.CurrentID() != "concerns" {
		t.Error("tapping the highlighted sidebar item did not go back to the list")
	}
	// On another item it changes screen, as before.
	for _, o := range test.LaidOutObjects(sh.Main.Nav) {
		if r, ok := o.(*navRow); ok && r.label.Text == sh.T("screen.visits") {
			test.Tap(r)
		}
	}
	sh.wait()
	if sh.CurrentID() != "visits" {
		t.Errorf("tapping Đi cơ sở shows %q", sh.CurrentID())
	}
}

// "Xóa" is the same red button on a concern's page and on a visit's.
func TestDeleteIsRedEverywhere(t *testing.T) {
	sh := openDemo(t)
	st := sh.Store()
	c := sh.ShowScreen("concerns").(*ConcernsScreen)
	c.Open(st.Find(data.Filter{Kind: data.KindConcern}, data.ByDateDesc)[0].ID)
	sh.wait()
	v := sh.ShowScreen("visits").(*VisitsScreen)
	v.Open(st.Find(data.Filter{Kind: data.KindVisit}, data.ByDateDesc)[0].ID)
	sh.wait()
	if c.Detail == nil || v.Detail == nil {
		t.Fatal("the pages did not open")
	}
	for name, b := range map[string]*widget.Button{"concern": c.Detail.Delete, "visit": v.Detail.Delete} {
		if b.Importance != widget.DangerImportance || b.Text != "Xóa" {
			t.Errorf("%s's delete button: %q, importance %v", name, b.Text, b.Importance)
		}
	}
}

// A file dialog opens in the documents folder, not the home folder's root.
func TestFileDialogsStartInDocuments(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DOCUMENTS_DIR", "")
	if d := documentsDir(); d != "" {
		t.Errorf("without a documents folder: %q, want none", d)
	}
	vi := filepath.Join(home, "Tài liệu")
	if err := os.Mkdir(vi, 0o755); err != nil {
		t.Fatal(err)
	}
	if d := documentsDir(); d != vi {
		t.Errorf("documents folder %q, want %q", d, vi)
	}
	en := filepath.Join(home, "Documents")
	if err := os.Mkdir(en, 0o755); err != nil {
		t.Fatal(err)
	}
	if d := documentsDir(); d != en {
		t.Errorf("documents folder %q, want %q", d, en)
	}
}

// A search result whose title lacks the words says where they matched.
func TestSearchResultsSayWhyTheyMatched(t *testing.T) {
	sh := openDemo(t)
	st := sh.Store()
	v := st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)[0]
	c := &data.Concern{ConcernKind: data.ConcernPetition, Channel: data.ChannelReception, Received: demoDay, Village: v.ID,
		RaiserKind: data.RaiserText, RaiserText: "Y Liên", Topic: "ha_tang", People: 1, Status: data.StatusNew,
		Summary: "Kiến nghị sửa đường vào khu sản xuất", Content: "Bà con đề nghị làm cầu tràn qua suối trước mùa mưa."}
	if err := st.Save(c); err != nil {
		t.Fatal(err)
	}
	s := sh.ShowScreen("concerns").(*ConcernsScreen)
	sh.wait()
	s.Search.SetText("cau tran qua suoi")
	sh.wait()
	var row *data.Row
	for _, r := range s.Rows() {
		if r.ID == c.ID {
			row = &r
		}
	}
	if row == nil {
		t.Fatal("the search did not find the concern by its content")
	}
	it := newListItem()
	s.updateItem(row, it)
	if !strings.Contains(it.Meta.Text, "khớp: “") || !strings.Contains(it.Meta.Text, "cau tran qua suoi") {
		t.Errorf("the result's line %q does not say why it matched", it.Meta.Text)
	}
	s.Search.SetText("sua duong")
	sh.wait()
	s.updateItem(row, it)
	if strings.Contains(it.Meta.Text, "khớp") {
		t.Errorf("a match in the title is explained anyway: %q", it.Meta.Text)
	}
}

// TestReminderNamesAnUnnotifiedBreach: a personal-data breach not yet
// notified comes first in the reminder, even with nothing else due.
func TestReminderNamesAnUnnotifiedBreach(t *testing.T) {
	sh := fieldShell(t)
	if err := sh.Store().SaveBreach(data.Breach{Discovered: time.Now(), What: "Mất máy"}); err != nil {
		t.Fatal(err)
	}
	d := dashboard(t, sh)
	d.Refresh()
	sh.wait()
	n := reminderNotice(sh, d.data)
	if n == nil || !strings.HasPrefix(n.Content, "1 sự cố lộ, mất dữ liệu cá nhân chưa thông báo (hạn 72 giờ") {
		t.Fatalf("reminder %v", n)
	}
}
