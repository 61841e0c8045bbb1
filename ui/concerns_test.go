package ui

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// concernPlace is what the concern tests need around them: a remote
// village with a key person and a household, and a village that is not.
type concernPlace struct {
	remote, near         *data.Village
	elder, secretary     *data.Person
	household            *data.Household
	remoteName, nearName string
}

func newConcernPlace(t *testing.T, sh *Shell) concernPlace {
	t.Helper()
	p := concernPlace{
		remote: &data.Village{Name: "Làng Đăk Mế", VillageKind: data.VillageLang, Remote: true, Households: 80},
		near:   &data.Village{Name: "Thôn Đăk Dục", VillageKind: data.VillageThon, Households: 120},
	}
	mustSave(t, sh, p.remote)
	mustSave(t, sh, p.near)
	p.remoteName, p.nearName = p.remote.Name, p.near.Name
	p.elder = &data.Person{Name: "A Thoong", Village: p.remote.ID, Role: data.RoleElder}
	p.secretary = &data.Person{Name: "Y Blưm", Village: p.remote.ID, Role: data.RoleSecretary}
	p.household = &data.Household{Head: "A Sơn", Village: p.remote.ID, Members: 5}
	mustSave(t, sh, p.elder)
	mustSave(t, sh, p.secretary)
	mustSave(t, sh, p.household)
	return p
}

// openConcernsScreen shows the concerns screen with its list loaded.
func openConcernsScreen(t *testing.T, sh *Shell) *ConcernsScreen {
	t.Helper()
	s := showScreen[*ConcernsScreen](t, sh, "concerns")
	s.Refresh()
	sh.wait()
	return s
}

// activeConcernForm returns the concern form that Ctrl+S would save.
func activeConcernForm(t *testing.T, sh *Shell) *ConcernForm {
	t.Helper()
	sh.wait()
	f, ok := sh.ActiveForm().(*ConcernForm)
	if !ok || f.Dialog == nil {
		t.Fatalf("no concern form is open (active form %T)", sh.ActiveForm())
	}
	return f
}

// listTexts renders every row of l and returns what the user reads there,
// one string per row.
func listTexts(l *widget.List, n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		it := newListItem()
		l.UpdateItem(i, it)
		out = append(out, strings.Join([]string{it.Title.Text, it.Meta.Text, it.Note.Text}, " | "))
	}
	return out
}

func TestConcernFormCreatesAConcernShownInTheList(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	s := openConcernsScreen(t, sh)
	if len(s.Rows()) != 0 || s.Empty.Hidden {
		t.Fatal("a new store should show an empty list, saying so")
	}

	press(sh, fyne.KeyN)
	f := activeConcernForm(t, sh)
	if !f.Form.Save.Disabled() {
		t.Error("Save should be disabled while the kind, summary and village are empty")
	}
	if f.Received.Text != "18/03/2026" || f.Assignee.Text != fieldCadre.Name {
		t.Errorf("a new concern should be received today and held by the cadre: %q, %q", f.Received.Text, f.Assignee.Text)
	}
	if got := f.Village.Options; !slices.Equal(got, []string{p.remoteName, p.nearName}) {
		t.Errorf("villages offered %v, want them in Vietnamese order", got)
	}

	f.Kind.SetValue(string(data.ConcernComplaint1))
	test.Type(f.Summary, "Tranh chấp đất đai giữa hai hộ ở làng Đăk Mế")
	if !f.Form.Save.Disabled() {
		t.Error("Save should stay disabled without a village")
	}
	f.Village.SetValue(p.remote.ID)
	sh.wait()
	f.Received.SetText("")
	test.Type(f.Received.Entry, "02/03/2026")
	if !strings.Contains(f.Deadline.Text, "thụ lý") {
		t.Errorf("before acceptance the deadline should wait for it: %q", f.Deadline.Text)
	}
	test.Type(f.Accepted.Entry, "05/03/2026")
	// khiếu nại lần đầu in a remote village: 45 days from acceptance,
	// 19/04/2026, a Sunday: the deadline is Monday 20/04 (BLDS 2015 Đ.148).
	if !strings.Contains(f.Deadline.Text, "20/04/2026") || !strings.Contains(f.Deadline.Text, "45") {
		t.Errorf("live deadline %q, want 20/04/2026 (45 days, remote area)", f.Deadline.Text)
	}
	f.RaiserKind.SetValue(data.RaiserPerson)
	sh.wait()
	if !f.Person.Visible() || f.Household.Visible() || !slices.Contains(f.Person.Options, "A Thoong") {
		t.Fatalf("raised by a key person: the village's persons should be offered: %v", f.Person.Options)
	}
	f.Person.SetSelected("A Thoong")
	f.People.SetText("")
	test.Type(f.People, "6")
	if !f.MassHint.Visible() {
		t.Error("6 people should be flagged đông người")
	}
	if f.Form.Save.Disabled() {
		t.Fatal("Save should be enabled once kind, summary, village and date are given")
	}
	test.Tap(f.Form.Save)
	sh.wait()
	if top := sh.Win.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("the form should close on save; still open:\n%s", allTexts(top))
	}

	s.Refresh()
	sh.wait()
	rows := listTexts(s.List, len(s.Rows()))
	if len(rows) != 1 {
		t.Fatalf("list shows %d concerns, want 1", len(rows))
	}
	for _, want := range []string{"Tranh chấp đất đai giữa hai hộ", "02/03/2026", "Khiếu nại lần đầu", p.remoteName, "Mới tiếp nhận", "Còn 33 ngày"} {
		if !strings.Contains(rows[0], want) {
			t.Errorf("list row %q lacks %q", rows[0], want)
		}
	}
	var c data.Concern
	if err := sh.Store().Load(s.Rows()[0].ID, &c); err != nil {
		t.Fatal(err)
	}
	if c.Deadline != "2026-04-20" || c.Received != "2026-03-02" || c.RaiserID != p.elder.ID || c.People != 6 || c.Village != p.remote.ID {
		t.Errorf("stored concern %+v", c)
	}
	if sh.Store().Draft("concern/new") != nil {
		t.Error("saving should drop the draft")
	}
}

func TestConcernSearchIgnoresDiacritics(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	for _, summary := range []string{"Tranh chấp đất đai ở rẫy cà phê", "Đường vào làng bị sạt lở", "Xin hỗ trợ giống lúa", "Dây điện đi qua đất vườn"} {
		mustSave(t, sh, &data.Concern{ConcernKind: data.ConcernPetition, Summary: summary, Received: "2026-03-10", Village: p.near.ID})
	}
	s := openConcernsScreen(t, sh)
	if len(s.Rows()) != 4 {
		t.Fatalf("list shows %d, want 4", len(s.Rows()))
	}
	// Typed key by key: each keystroke runs a search, and only the last
	// one's answer may stay on screen.
	test.Type(s.Search, "dat dai")
	sh.wait()
	rows := listTexts(s.List, len(s.Rows()))
	if len(rows) != 1 || !strings.Contains(rows[0], "Tranh chấp đất đai") {
		t.Fatalf("searching %q shows %v, want only the đất đai concern", s.Search.Text, rows)
	}
	if want := sh.T("count.records", "Count", "1"); s.Count.Text != want {
		t.Errorf("count %q, want %q", s.Count.Text, want)
	}
	s.Search.SetText("")
	test.Type(s.Search, "ĐƯỜNG")
	sh.wait()
	if rows := listTexts(s.List, len(s.Rows())); len(rows) != 1 || !strings.Contains(rows[0], "Đường vào làng") {
		t.Errorf("searching ĐƯỜNG shows %v", rows)
	}
	s.Search.SetText("")
	test.Type(s.Search, "khong co gi")
	sh.wait()
	if len(s.Rows()) != 0 || !s.Empty.Visible() {
		t.Error("a search that finds nothing should say so")
	}
}

func TestConcernFiltersCountLikeTheStore(t *testing.T) {
	sh := openDemo(t)
	st := sh.Store()
	s := openConcernsScreen(t, sh)
	all := st.Count(data.Filter{Kind: data.KindConcern})
	if len(s.Rows()) != all || all == 0 {
		t.Fatalf("unfiltered list shows %d of %d concerns", len(s.Rows()), all)
	}
	labels := s.Village.Options[1:]
	if !slices.IsSortedFunc(labels, data.CompareVietnamese) {
		t.Errorf("village filter not in Vietnamese order: %v", labels)
	}

	check := func(what string, want data.Filter) {
		t.Helper()
		sh.wait()
		want.Kind, want.Today = data.KindConcern, demoDay
		n := st.Count(want)
		if len(s.Rows()) != n {
			t.Errorf("%s: list shows %d, the store counts %d", what, len(s.Rows()), n)
		}
		if n == 0 || n == all {
			t.Errorf("%s: the demo data should make this filter narrow the list (got %d of %d)", what, n, all)
		}
	}
	s.Kind.SetValue(string(data.ConcernDenunciation))
	check("kind tố cáo", data.Filter{Sub: string(data.ConcernDenunciation)})
	for _, row := range listTexts(s.List, len(s.Rows())) {
		if !strings.Contains(row, "Tố cáo") {
			t.Errorf("a tố cáo row reads %q", row)
		}
	}
	s.Kind.SetValue("")
	test.Tap(s.Overdue)
	check("overdue", data.Filter{Overdue: true})
	for i := range s.Rows() {
		it := newListItem()
		s.List.UpdateItem(i, it)
		if !strings.HasPrefix(it.Note.Text, "Quá hạn") || it.Note.Importance != widget.DangerImportance {
			t.Errorf("overdue row %d: note %q (importance %v), want red Quá hạn N ngày", i, it.Note.Text, it.Note.Importance)
		}
	}
	s.Kind.SetValue(string(data.ConcernPetition))
	check("overdue kiến nghị", data.Filter{Overdue: true, Sub: string(data.ConcernPetition)})
	test.Tap(s.ClearFilters)
	sh.wait()
	if len(s.Rows()) != all {
		t.Errorf("clearing the filters shows %d of %d", len(s.Rows()), all)
	}

	v := st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)[0]
	s.Village.SetValue(v.ID)
	check("village", data.Filter{Village: v.ID})
	s.Village.SetValue("")
	s.Topic.SetValue("dat_dai")
	check("topic", data.Filter{Topic: "dat_dai"})
	s.Status.SetValue(string(data.StatusHandling))
	check("topic and status", data.Filter{Topic: "dat_dai", Status: string(data.StatusHandling)})
	test.Tap(s.ClearFilters)
	test.Type(s.From.Entry, "01/03/2026")
	test.Type(s.To.Entry, "15/03/2026")
	check("date range", data.Filter{From: "2026-03-01", To: "2026-03-15"})
	for _, r := range s.Rows() {
		if r.Date < "2026-03-01" || r.Date > "2026-03-15" {
			t.Errorf("row received %s is outside the range", r.Date)
		}
	}
}

// saveConcern stores a kiến nghị of village with summary, accepted today.
func saveConcern(t *testing.T, sh *Shell, village, summary string) *data.Concern {
	t.Helper()
	c := &data.Concern{ConcernKind: data.ConcernPetition, Summary: summary, Received: "2026-03-16", Accepted: "2026-03-16", Village: village}
	mustSave(t, sh, c)
	return c
}

// openConcern shows the detail of concern id.
func openConcern(t *testing.T, sh *Shell, s *ConcernsScreen, id string) *ConcernDetail {
	t.Helper()
	s.Open(id)
	sh.wait()
	if s.Detail == nil || s.Detail.Concern.ID != id || !s.pages.showing(s.Detail.Content) {
		t.Fatalf("the detail of %s is not shown", id)
	}
	return s.Detail
}

func TestChangeStatusNeedsANoteAndAddsHistory(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	c := saveConcern(t, sh, p.near.ID, "Xin sửa cầu treo qua suối")
	s := openConcernsScreen(t, sh)
	d := openConcern(t, sh, s, c.ID)
	shown := allTexts(d.Content)
	// A kiến nghị's deadline is the commune's own rule, shown as such.
	for _, want := range []string{"Xin sửa cầu treo qua suối", "31/03/2026", "quy định của xã", "Còn 13 ngày", p.nearName, "Mới tiếp nhận"} {
		if !strings.Contains(shown, want) {
			t.Errorf("detail lacks %q:\n%s", want, shown)
		}
	}

	test.Tap(d.ChangeStatus)
	sd := d.StatusDialog
	if sd == nil || !sd.Form.Save.Disabled() {
		t.Fatal("the status dialog should open with Save disabled")
	}
	sd.Status.SetValue(string(data.StatusHandling))
	if !sd.Form.Save.Disabled() {
		t.Error("Save should wait for a note")
	}
	test.Type(sd.Note, "Đã giao cán bộ địa chính xác minh")
	if sd.Form.Save.Disabled() {
		t.Fatal("Save should be enabled with a status and a note")
	}
	test.Tap(sd.Form.Save)
	sh.wait()

	var got data.Concern
	if err := sh.Store().Load(c.ID, &got); err != nil {
		t.Fatal(err)
	}
	last := got.History[len(got.History)-1]
	if got.Status != data.StatusHandling || last.Note != "Đã giao cán bộ địa chính xác minh" || last.By != fieldCadre.Name {
		t.Fatalf("stored status %s, last history %+v", got.Status, last)
	}
	d = s.Detail
	history := allTexts(d.History)
	line := regexp.MustCompile(`\d\d/\d\d/\d{4} \d\d:\d\d · Y Sáng: Mới tiếp nhận → Đang xử lý`)
	if !line.MatchString(history) || !strings.Contains(history, "Đã giao cán bộ địa chính xác minh") {
		t.Errorf("history shows:\n%s", history)
	}
	if got := len(d.History.Objects); got != 2 {
		t.Errorf("history has %d entries, want 2 (created, changed)", got)
	}
}

func TestDenouncerIdentityHiddenUntilShownAndAudited(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	const who = "Rơ Châm H'Lim, làng Đăk Mế"
	s := openConcernsScreen(t, sh)

	// Record the tố cáo through the form: the identity field is the
	// confidential one.
	press(sh, fyne.KeyN)
	f := activeConcernForm(t, sh)
	f.Kind.SetValue(string(data.ConcernDenunciation))
	if f.raiserBox.Visible() || !f.confBox.Visible() || !strings.Contains(allTexts(f.confBox), "BẢO MẬT") {
		t.Fatal("a tố cáo should ask for the denouncer's identity in a field marked confidential")
	}
	test.Type(f.Summary, "Tố cáo cán bộ thôn thu tiền trái quy định")
	f.Village.SetValue(p.remote.ID)
	test.Type(f.Denouncer, who)
	test.Tap(f.Form.Save)
	sh.wait()
	s.Refresh()
	sh.wait()
	if len(s.Rows()) != 1 {
		t.Fatalf("list shows %d", len(s.Rows()))
	}
	id := s.Rows()[0].ID
	if strings.Contains(strings.Join(listTexts(s.List, 1), "\n"), "Rơ Châm") {
		t.Error("the list shows the denouncer")
	}
	test.Type(s.Search, "ro cham")
	sh.wait()
	if len(s.Rows()) != 0 {
		t.Error("searching the denouncer's name finds the tố cáo")
	}

	d := openConcern(t, sh, s, id)
	if strings.Contains(allTexts(d.Content), "Rơ Châm") {
		t.Fatal("the detail shows the identity before the show action")
	}
	if d.ShowIdentity == nil || d.ShowIdentity.Text != "Hiện danh tính người tố cáo" {
		t.Fatal("no explicit action to show the identity")
	}
	audits := func() int {
		trail, err := sh.Store().AuditTrail(id)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range trail {
			if e.Action == data.AuditViewDenouncer && e.Who == fieldCadre.Name {
				n++
			}
		}
		return n
	}
	if audits() != 0 {
		t.Fatal("viewing audited before anyone looked")
	}
	test.Tap(d.ShowIdentity)
	sh.wait()
	if d.Identity.Text != who || !d.HideIdentity.Visible() {
		t.Fatalf("identity shown as %q", d.Identity.Text)
	}
	if audits() != 1 {
		t.Error("showing the identity should add one audit entry")
	}
	test.Tap(d.HideIdentity)
	if strings.Contains(allTexts(d.Content), "Rơ Châm") {
		t.Error("hiding should take the identity off the screen")
	}

	// A case held by another cadre: a clear refusal, nothing shown.
	other := &data.Concern{ConcernKind: data.ConcernDenunciation, Summary: "Tố cáo khai thác gỗ trái phép", Received: "2026-03-11",
		Village: p.near.ID, RaiserKind: data.RaiserText, RaiserText: "A Nhem", Assignee: "Trần Văn Bình"}
	mustSave(t, sh, other)
	d = openConcern(t, sh, s, other.ID)
	test.Tap(d.ShowIdentity)
	sh.wait()
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(allTexts(top), "Chỉ cán bộ thụ lý vụ việc (Trần Văn Bình)") {
		t.Fatal("a refusal should say who may see the identity")
	}
	if strings.Contains(allTexts(d.Content), "A Nhem") {
		t.Error("a refused viewer sees the identity")
	}
}

func TestDeleteConcernAsksThenMovesItToTheTrash(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	keep := saveConcern(t, sh, p.near.ID, "Xin cấp nước sạch")
	gone := saveConcern(t, sh, p.near.ID, "Bò thả rông phá hoa màu")
	s := openConcernsScreen(t, sh)
	d := openConcern(t, sh, s, gone.ID)

	test.Tap(d.Delete)
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(allTexts(top), "Bò thả rông phá hoa màu") {
		t.Fatal("deleting should ask first, naming the concern")
	}
	if st := sh.Store(); st.Count(data.Filter{Kind: data.KindConcern}) != 2 {
		t.Fatal("nothing may be deleted before the user confirms")
	}
	confirmTop(t, sh)
	if !s.pages.showing(s.pages.list) {
		t.Error("after deleting, the list should be shown again")
	}
	if ids := rowIDs(s.Rows()); !slices.Equal(ids, []string{keep.ID}) {
		t.Errorf("list after delete %v, want only %s", ids, keep.ID)
	}
	if ids := rowIDs(sh.Store().Find(data.Filter{Kind: data.KindConcern, Deleted: true}, data.ByTitle)); !slices.Equal(ids, []string{gone.ID}) {
		t.Errorf("trash holds %v, want %s", ids, gone.ID)
	}
}

func rowIDs(rows []data.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

func TestConcernDraftSurvivesAClosedWindow(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	dir := sh.opts.StoreDir
	openConcernsScreen(t, sh)
	press(sh, fyne.KeyN)
	f := activeConcernForm(t, sh)
	f.Kind.SetValue(string(data.ConcernReport))
	f.Village.SetValue(p.near.ID)
	test.Type(f.Summary, "Nguyễn Thị Hưởng đã phản ánh")
	test.Type(f.Content, "Nước suối đục sau khi làm đường")
	sh.wait()
	// The window goes away without saving: the store is closed under the form.
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}

	sh2 := newTestShell(t, dir)
	sh2.opts.Today = "2026-03-18"
	sh2.Start()
	sh2.wait()
	openConcernsScreen(t, sh2)
	press(sh2, fyne.KeyN)
	f2 := activeConcernForm(t, sh2)
	if f2.DraftPrompt == nil {
		t.Fatal("reopening the form should offer the draft back")
	}
	// The offer names the draft as the dashboard does.
	if txt := topDialogText(sh2); !strings.Contains(txt, "Ý kiến, kiến nghị · “Nguyễn Thị Hưởng đã phản ánh” · ") {
		t.Errorf("the offer does not say which draft it is: %q", txt)
	}
	if f2.Summary.Text != "" {
		t.Error("the draft should wait for the user's answer")
	}
	f2.DraftPrompt.Confirm()
	sh2.wait()
	if f2.Summary.Text != "Nguyễn Thị Hưởng đã phản ánh" || f2.Content.Text != "Nước suối đục sau khi làm đường" ||
		f2.Kind.Value() != string(data.ConcernReport) || f2.Village.Value() != p.near.ID {
		t.Fatalf("restored: summary %q, content %q, kind %q, village %q", f2.Summary.Text, f2.Content.Text, f2.Kind.Value(), f2.Village.Value())
	}
	press(sh2, fyne.KeyS) // Ctrl+S saves the form
	sh2.wait()
	st := sh2.Store()
	rows := st.Find(data.Filter{Kind: data.KindConcern, Query: "Hưởng"}, data.ByTitle)
	if len(rows) != 1 || rows[0].Title != "Nguyễn Thị Hưởng đã phản ánh" {
		t.Fatalf("after Ctrl+S the store holds %v", rows)
	}
	if st.Draft("concern/new") != nil {
		t.Error("the draft should be dropped once saved")
	}
}

func TestCancelDropsTheDraftAfterAsking(t *testing.T) {
	sh := fieldShell(t)
	newConcernPlace(t, sh)
	openConcernsScreen(t, sh)
	press(sh, fyne.KeyN)
	f := activeConcernForm(t, sh)
	test.Type(f.Summary, "Đèn đường hỏng")
	sh.wait()
	if sh.Store().Draft("concern/new") == nil {
		t.Fatal("typing should keep a draft")
	}
	test.Tap(f.Cancel)
	confirmTop(t, sh)
	if sh.Store().Draft("concern/new") != nil || sh.ActiveForm() != nil {
		t.Error("cancelling should drop the draft and close the form")
	}
}

// noWrappers fails if a drop-down or date field is laid out through its
// wrapper (EnumSelect, villageChoice, DateField) rather than the Fyne
// widget inside: the GL driver then finds no canvas for the widget, and
// tapping the drop-down crashes the app (the test driver does not).
// noWrappers taps every drop-down and calendar button laid out under o and
// checks that each opens its pop-up: a wrapper whose inner widget was laid
// out instead (or the reverse) finds no canvas and opens nothing, or
// crashes the real app.
func noWrappers(t *testing.T, where string, o fyne.CanvasObject) {
	t.Helper()
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil {
		t.Fatalf("%s is not on a canvas", where)
	}
	opened := func(what string, tap func()) {
		before := len(c.Overlays().List())
		tap()
		if len(c.Overlays().List()) <= before {
			t.Errorf("%s: tapping a %s opened nothing", where, what)
			return
		}
		c.Overlays().Top().Hide()
		c.Overlays().Remove(c.Overlays().Top())
	}
	for _, obj := range test.LaidOutObjects(o) {
		if !obj.Visible() {
			continue
		}
		switch w := obj.(type) {
		case *EnumSelect:
			opened("drop-down", func() { test.Tap(w) })
		case *villageChoice:
			opened("village drop-down", func() { test.Tap(w) })
		case *widget.Select:
			opened("plain drop-down", func() { test.Tap(w) })
		case *DateField:
			if b, ok := w.ActionItem.(*widget.Button); ok {
				opened("calendar button", func() { test.Tap(b) })
			}
		}
	}
}

func TestFormsLayOutTheWidgetsThemselves(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	c := saveConcern(t, sh, p.near.ID, "Xin làm lại mương nước")
	s := openConcernsScreen(t, sh)
	noWrappers(t, "the concern list", s.Content())
	d := openConcern(t, sh, s, c.ID)
	test.Tap(d.ChangeStatus)
	noWrappers(t, "the status dialog", sh.Win.Canvas().Overlays().Top())
	pressEsc(sh)
	press(sh, fyne.KeyN)
	activeConcernForm(t, sh)
	noWrappers(t, "the concern form", sh.Win.Canvas().Overlays().Top())
	pressEsc(sh)
	m := openMeetingsScreen(t, sh)
	noWrappers(t, "the meeting list", m.Content())
	f := newMeetingForm(t, sh)
	test.Tap(f.AddAgenda)
	test.Tap(f.AddAction)
	noWrappers(t, "the meeting form", sh.Win.Canvas().Overlays().Top())
}

// TestReclassifyAsDenunciationWarnsFirst: changing the kind of a saved
// concern that names its raiser to tố cáo asks first, saying where the
// name goes; nothing is saved before the user agrees.
func TestReclassifyAsDenunciationWarnsFirst(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	c := &data.Concern{ConcernKind: data.ConcernPetition, Summary: "Xin cấp đất ở", Received: "2026-03-16", Village: p.near.ID,
		RaiserKind: data.RaiserText, RaiserText: "A Nhem"}
	mustSave(t, sh, c)
	s := openConcernsScreen(t, sh)
	d := openConcern(t, sh, s, c.ID)
	test.Tap(d.Edit)
	sh.wait()
	f := activeConcernForm(t, sh)
	f.Kind.SetValue(string(data.ConcernDenunciation))
	sh.wait()
	test.Tap(f.Form.Save)
	sh.wait()
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(allTexts(top), sh.T("concerns.reclassify_warning")) {
		t.Fatal("re-classifying as tố cáo should warn first")
	}
	var stored data.Concern
	if err := sh.Store().Load(c.ID, &stored); err != nil || stored.ConcernKind != data.ConcernPetition {
		t.Fatalf("saved before the user agreed: %v %v", stored.ConcernKind, err)
	}
	confirmTop(t, sh)
	stored = data.Concern{}
	if err := sh.Store().Load(c.ID, &stored); err != nil || stored.ConcernKind != data.ConcernDenunciation || stored.RaiserText != "" {
		t.Fatalf("after agreeing: kind %v raiser %q, %v", stored.ConcernKind, stored.RaiserText, err)
	}
}
