package ui

import (
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

// The end-to-end flows of the UI issue, driven through the real widgets
// on a real temporary store: what the user sees is checked on screen,
// what was recorded is checked in the store.

// flowDay is the "today" of the flows: deadlines and "this month" are
// judged on it.
const flowDay data.Date = "2026-03-18"

// flowTexts are the words a user of one language must read along the
// flow, written out here rather than looked up, so that a missing or
// wrong translation fails the test.
type flowTexts struct {
	lang                                      i18n.Lang
	dashboard, villages, visits, concerns     string // navigation titles
	trash                                     string
	received                                  string // a dashboard caption
	addVisit, raiseConcern, changeStatus      string // button texts
	restore, restored, confirmDelete, records string
}

var (
	flowVI = flowTexts{lang: i18n.VI,
		dashboard: "Tổng quan", villages: "Thôn – Làng", visits: "Đi cơ sở", concerns: "Ý kiến – Kiến nghị", trash: "Thùng rác",
		received: "Ý kiến tiếp nhận", addVisit: "Ghi chuyến đi", raiseConcern: "Ghi nhận ý kiến", changeStatus: "Đổi trạng thái",
		restore: "Khôi phục", restored: "Đã khôi phục", confirmDelete: "Xác nhận xóa", records: "1 bản ghi"}
	flowEN = flowTexts{lang: i18n.EN,
		dashboard: "Overview", villages: "Villages", visits: "Field visits", concerns: "Concerns & petitions", trash: "Trash",
		received: "Concerns received", addVisit: "Record a visit", raiseConcern: "Record a concern", changeStatus: "Change status",
		restore: "Restore", restored: "Restored", confirmDelete: "Confirm deletion", records: "1 record"}
)

// The people, places and words of the flow.
const (
	flowCadre   = "Nguyễn Thị Hưởng"
	flowUnit    = "Ban Dân vận xã"
	flowVillage = "Làng Kon Klốc"
	flowSummary = "Bà con phản ánh đường vào thôn bị sạt lở"
	flowNote    = "Đã báo UBND xã cử cán bộ giao thông xuống kiểm tra"
)

// flowHouseholds are in list order: by given name (Hoa, Thút), then family name.
var flowHouseholds = []string{"Y Hoa", "A Thút"}

func TestFlowVietnamese(t *testing.T) { runFlow(t, flowVI) }

func TestFlowEnglish(t *testing.T) { runFlow(t, flowEN) }

// runFlow takes a new store from the first run to a concern raised on a
// field visit, moved along, found, deleted and restored, in the
// language of tx.
func runFlow(t *testing.T, tx flowTexts) {
	sh := newTestShell(t, "")
	sh.Win.Resize(fyne.NewSize(1280, 1000))
	sh.opts.Today = flowDay

	flowFirstRun(t, sh, tx)
	v, hh := flowVillageWithHouseholds(t, sh, tx)
	visit := flowVisit(t, sh, tx, v, hh)
	c := flowConcernFromVisit(t, sh, tx, v, visit)
	flowChangeStatus(t, sh, tx, c)
	flowSearchDeleteRestore(t, sh, tx, c, visit)
}

// flowFirstRun skips the passphrase after its warning, picks Xã Đăk Long
// by typing "dak long", enters the cadre in the language of tx and lands
// on the dashboard.
func flowFirstRun(t *testing.T, sh *Shell, tx flowTexts) {
	t.Helper()
	sh.Start()
	u := sh.Unlock
	if u == nil || u.Skip == nil || sh.Win.Content() != u.Content {
		t.Fatal("a new store should ask for a new passphrase, with a Skip button")
	}
	test.Tap(u.Skip)
	if !u.SkipBox.Visible() || !strings.Contains(u.SkipWarning.Text, "tệp khóa") || sh.Store() != nil {
		t.Fatalf("Skip should first warn about the key file and open nothing yet; warning %q", u.SkipWarning.Text)
	}
	test.Tap(u.SkipConfirm)
	sh.wait()
	if sh.Store() == nil || data.HasPassphrase(sh.opts.StoreDir) {
		t.Fatalf("skipping should create a store without a passphrase; error %q", u.Error.Text)
	}
	chooseCommune(t, sh, "dak long", "23368")

	if tx.lang != sh.Lang() {
		sh.Profile.Lang.Choose(tx.lang)
	}
	p := sh.Profile
	if p == nil || sh.Win.Content() != p.Content {
		t.Fatal("the profile step is not shown")
	}
	test.Type(p.Name, flowCadre)
	test.Type(p.Unit, flowUnit)
	test.Tap(p.Continue)
	sh.wait()
	if sh.Main == nil || sh.Win.Content() != sh.Main.Content || sh.CurrentID() != "dashboard" {
		t.Fatalf("the first run should end on the dashboard; profile error %q", p.Error.Text)
	}
	prof, ok := sh.Store().Profile()
	if !ok || prof.Name != flowCadre || prof.Unit != flowUnit || prof.Lang != string(tx.lang) || sh.Store().Commune() != "23368" {
		t.Fatalf("stored profile %+v (set %v), commune %q", prof, ok, sh.Store().Commune())
	}
	nav := strings.Join(labelTexts(sh.Main.Nav), "\n")
	for _, want := range []string{tx.dashboard, tx.villages, tx.visits, tx.concerns, tx.trash} {
		if !strings.Contains(nav, want) {
			t.Errorf("the navigation does not show %q; it shows:\n%s", want, nav)
		}
	}
	if got := allTexts(sh.Main.Content); !strings.Contains(got, tx.received) || !strings.Contains(got, "Xã Đăk Long") {
		t.Errorf("the dashboard does not show %q and the commune:\n%s", tx.received, got)
	}
}

// navTo taps the navigation entry titled title and returns the screen it
// shows, with its data loaded.
func navTo[S Screen](t *testing.T, sh *Shell, title string) S {
	t.Helper()
	i := slices.IndexFunc(sh.Main.defs, func(d ScreenDef) bool { return sh.T(d.TitleID) == title })
	if i < 0 {
		t.Fatalf("the navigation has no entry %q", title)
	}
	sh.Main.Nav.Select(i)
	sh.wait()
	s, ok := sh.Current().(S)
	if !ok {
		t.Fatalf("tapping %q shows %T", title, sh.Current())
	}
	return s
}

// choose opens the drop-down dropDown (tapping the widget laid out, as a
// user does) and taps its option label.
func choose(t *testing.T, sh *Shell, dropDown fyne.Tappable, label string) {
	t.Helper()
	c := sh.Win.Canvas()
	before := c.Overlays().Top()
	test.Tap(dropDown)
	menu := c.Overlays().Top()
	if menu == nil || menu == before {
		t.Fatalf("tapping the drop-down for %q opened nothing", label)
	}
	var item fyne.Tappable // the innermost tappable seen so far: the option holding the text
	for _, o := range test.LaidOutObjects(menu) {
		if tp, ok := o.(fyne.Tappable); ok {
			item = tp
		}
		if txt, ok := o.(*canvas.Text); ok && txt.Text == label && item != nil {
			test.Tap(item)
			sh.wait()
			if c.Overlays().Top() == menu {
				t.Fatalf("choosing %q left the drop-down open", label)
			}
			return
		}
	}
	t.Fatalf("the drop-down does not offer %q", label)
}

// tapButton taps the visible button labelled text under o.
func tapButton(t *testing.T, sh *Shell, o fyne.CanvasObject, text string) {
	t.Helper()
	for _, c := range test.LaidOutObjects(o) {
		if b, ok := c.(*widget.Button); ok && b.Visible() && b.Text == text {
			test.Tap(b)
			sh.wait()
			return
		}
	}
	t.Fatalf("no button %q; shown:\n%s", text, allTexts(o))
}

// flowVillageWithHouseholds creates a village in Thôn – Làng and adds two
// households to it, from the village's own page.
func flowVillageWithHouseholds(t *testing.T, sh *Shell, tx flowTexts) (*data.Village, []*data.Household) {
	t.Helper()
	navTo[*VillagesScreen](t, sh, tx.villages)
	v := addVillage(t, sh, flowVillage)
	d := sh.Current().(*VillagesScreen).Detail
	for _, head := range flowHouseholds {
		test.Tap(d.AddHousehold)
		sh.wait()
		hf := d.HouseholdForm
		if hf == nil {
			t.Fatal("the add-household button should open the household form")
		}
		test.Type(hf.Head, head)
		test.Type(hf.Members, "5")
		test.Tap(hf.Form.Save)
		sh.wait()
	}
	var titles []string
	for _, r := range d.Households.Rows() {
		titles = append(titles, r.Title)
	}
	if !slices.Equal(titles, flowHouseholds) {
		t.Fatalf("the village lists households %q, want %q", titles, flowHouseholds)
	}
	var hh []*data.Household
	for _, r := range d.Households.Rows() {
		h := new(data.Household)
		if err := sh.Store().Load(r.ID, h); err != nil {
			t.Fatal(err)
		}
		if h.Village != v.ID || h.Members != 5 {
			t.Errorf("stored household %+v", h)
		}
		hh = append(hh, h)
	}
	return v, hh
}

// flowVisit records, in Đi cơ sở, a visit to v with both households and
// the four "cùng" ticked, then taps "Ghi nhận ý kiến" on the form, which
// saves the visit and opens a concern form linked to it. It returns the
// stored visit.
func flowVisit(t *testing.T, sh *Shell, tx flowTexts, v *data.Village, hh []*data.Household) *data.FieldVisit {
	t.Helper()
	s := navTo[*VisitsScreen](t, sh, tx.visits)
	if s.Add.Text != tx.addVisit {
		t.Errorf("the add button reads %q, want %q", s.Add.Text, tx.addVisit)
	}
	test.Tap(s.Add)
	sh.wait()
	f := s.Form
	if f == nil || !s.pages.showing(f.Content) {
		t.Fatal("the add button should show the visit form")
	}
	if f.Cadres.Text != flowCadre || f.Unit.Text != flowUnit {
		t.Errorf("cadres %q and unit %q should come from the profile", f.Cadres.Text, f.Unit.Text)
	}
	choose(t, sh, f.Village, flowVillage)
	setDate(f.From, "01/03/2026")
	setDate(f.To, "04/03/2026")
	for _, h := range hh {
		test.Tap(householdCheck(t, f, h.Head))
	}
	ck := sh.Store().Checklist()
	if len(ck.Cung) != 4 || len(f.Cung) != 4 {
		t.Fatalf("the form shows %d cùng items, the checklist has %d; want 4", len(f.Cung), len(ck.Cung))
	}
	for _, it := range ck.Cung {
		test.Tap(f.Cung[it.ID])
	}
	test.Type(f.Observations, "Đường vào thôn sạt lở sau mưa lũ")
	if f.Reached.Text != "2" || f.Nights.Text == "" {
		t.Errorf("households reached %q, nights %q", f.Reached.Text, f.Nights.Text)
	}
	if f.RaiseConcern.Text != tx.raiseConcern {
		t.Errorf("the form's concern button reads %q, want %q", f.RaiseConcern.Text, tx.raiseConcern)
	}
	test.Tap(f.RaiseConcern)
	sh.wait()
	f.RaisePrompt.Confirm()
	sh.wait()

	rows := sh.Store().Find(data.Filter{Kind: data.KindVisit}, data.ByDateDesc)
	if len(rows) != 1 {
		t.Fatalf("%d visits stored, want the one just recorded", len(rows))
	}
	visit := new(data.FieldVisit)
	if err := sh.Store().Load(rows[0].ID, visit); err != nil {
		t.Fatal(err)
	}
	var linked, want []string
	for _, h := range visit.Households {
		linked = append(linked, h.HouseholdID)
	}
	for _, h := range hh {
		want = append(want, h.ID)
	}
	slices.Sort(linked)
	slices.Sort(want)
	if !slices.Equal(linked, want) || visit.Village != v.ID || visit.From != "2026-03-01" || visit.To != "2026-03-04" {
		t.Errorf("stored visit %+v; want households %v", visit, want)
	}
	done := 0
	for _, it := range visit.Cung {
		if it.Done {
			done++
		}
	}
	if len(visit.Cung) != 4 || done != 4 {
		t.Errorf("stored cùng items %+v, want all 4 practised", visit.Cung)
	}
	if s.Detail == nil || s.Detail.V.ID != visit.ID || !s.pages.showing(s.Detail.Content) {
		t.Error("the visit should be shown under the concern form")
	}
	return visit
}

// flowConcernFromVisit fills the concern form opened from the visit and
// saves it; it returns the stored concern.
func flowConcernFromVisit(t *testing.T, sh *Shell, tx flowTexts, v *data.Village, visit *data.FieldVisit) *data.Concern {
	t.Helper()
	cf := activeConcernForm(t, sh)
	if cf.base.VisitID != visit.ID || cf.Village.Value() != v.ID || cf.Received.Text != "01/03/2026" {
		t.Errorf("the concern form should come linked to the visit, in its village, on its first day: visit %q village %q received %q",
			cf.base.VisitID, cf.Village.Value(), cf.Received.Text)
	}
	if !cf.Form.Save.Disabled() {
		t.Error("Save should be disabled while the kind and summary are empty")
	}
	choose(t, sh, cf.Kind, sh.EnumText("concern_kind", string(data.ConcernPetition)))
	test.Type(cf.Summary, flowSummary)
	if cf.Form.Save.Disabled() {
		t.Fatal("Save should be enabled with a kind, a summary and the visit's village and day")
	}
	test.Tap(cf.Form.Save)
	sh.wait()
	if top := sh.Win.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("saving should close the concern form; still shown:\n%s", allTexts(top))
	}
	rows := sh.Store().Find(data.Filter{Kind: data.KindConcern}, data.ByDateDesc)
	if len(rows) != 1 {
		t.Fatalf("%d concerns stored, want 1", len(rows))
	}
	c := new(data.Concern)
	if err := sh.Store().Load(rows[0].ID, c); err != nil {
		t.Fatal(err)
	}
	if c.Summary != flowSummary || c.VisitID != visit.ID || c.Village != v.ID || c.ConcernKind != data.ConcernPetition ||
		c.Channel != data.ChannelVisit || c.Received != "2026-03-01" || c.Status != data.StatusNew {
		t.Errorf("stored concern %+v", c)
	}
	d := sh.Current().(*VisitsScreen).Detail
	if cr := d.Concerns.Rows(); len(cr) != 1 || cr[0].ID != c.ID || !hasLabel(d.Concerns, flowSummary) {
		t.Errorf("the visit should list the concern raised on it: %+v", cr)
	}
	return c
}

// flowChangeStatus opens the concern from Ý kiến – Kiến nghị and moves it
// to "đang xử lý": Save stays disabled until a note is typed.
func flowChangeStatus(t *testing.T, sh *Shell, tx flowTexts, c *data.Concern) {
	t.Helper()
	s := navTo[*ConcernsScreen](t, sh, tx.concerns)
	if rows := listTexts(s.List, len(s.Rows())); len(rows) != 1 || !strings.Contains(rows[0], flowSummary) {
		t.Fatalf("the concern list shows %q", rows)
	}
	s.List.Select(0)
	sh.wait()
	d := s.Detail
	if d == nil || d.Concern.ID != c.ID || !s.pages.showing(d.Content) {
		t.Fatal("tapping the row should open the concern")
	}
	if d.ChangeStatus.Text != tx.changeStatus {
		t.Errorf("the status button reads %q, want %q", d.ChangeStatus.Text, tx.changeStatus)
	}
	test.Tap(d.ChangeStatus)
	sd := d.StatusDialog
	if sd == nil || !sd.Form.Save.Disabled() {
		t.Fatal("the status dialog should open with Save disabled")
	}
	choose(t, sh, sd.Status, sh.EnumText("status", string(data.StatusHandling)))
	if !sd.Form.Save.Disabled() {
		t.Fatal("Save should stay disabled without a note")
	}
	test.Tap(sd.Form.Save) // a disabled button does nothing
	sh.wait()
	var got data.Concern
	if err := sh.Store().Load(c.ID, &got); err != nil || got.Status != data.StatusNew {
		t.Fatalf("status changed without a note: %s (err %v)", got.Status, err)
	}
	test.Type(sd.Note, flowNote)
	if sd.Form.Save.Disabled() {
		t.Fatal("Save should be enabled with a status and a note")
	}
	test.Tap(sd.Form.Save)
	sh.wait()
	if err := sh.Store().Load(c.ID, &got); err != nil {
		t.Fatal(err)
	}
	last := got.History[len(got.History)-1]
	if got.Status != data.StatusHandling || last.Note != flowNote || last.By != flowCadre || last.To != data.StatusHandling {
		t.Fatalf("stored status %s, last history entry %+v", got.Status, last)
	}
	if d = s.Detail; d == nil || !strings.Contains(allTexts(d.History), flowNote) ||
		!strings.Contains(allTexts(d.Content), sh.EnumText("status", string(data.StatusHandling))) {
		t.Error("the detail should show the new status and the note in the history")
	}
}

// flowSearchDeleteRestore finds the concern by typing without diacritics,
// deletes it after confirming, restores it from Thùng rác and finds it
// back in the list, still linked to the visit.
func flowSearchDeleteRestore(t *testing.T, sh *Shell, tx flowTexts, c *data.Concern, visit *data.FieldVisit) {
	t.Helper()
	s := sh.Current().(*ConcernsScreen)
	test.Tap(s.Detail.Back)
	test.Type(s.Search, "duong vao thon")
	sh.wait()
	if ids := rowIDs(s.Rows()); !slices.Equal(ids, []string{c.ID}) || s.Count.Text != tx.records {
		t.Fatalf("searching %q lists %v (count %q), want the concern", s.Search.Text, ids, s.Count.Text)
	}
	if rows := listTexts(s.List, 1); !strings.Contains(rows[0], flowSummary) {
		t.Errorf("the found row reads %q", rows[0])
	}

	s.List.Select(0)
	sh.wait()
	test.Tap(s.Detail.Delete)
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(allTexts(top), flowSummary) || !strings.Contains(allTexts(top), tx.confirmDelete) {
		t.Fatal("deleting should ask first, naming the concern")
	}
	if sh.Store().Count(data.Filter{Kind: data.KindConcern}) != 1 {
		t.Fatal("the concern left the store before the user confirmed")
	}
	confirmTop(t, sh)
	if !s.pages.showing(s.pages.list) || len(s.Rows()) != 0 || !s.Empty.Visible() {
		t.Fatalf("after deleting, the list should be shown without the concern: %v", rowIDs(s.Rows()))
	}
	var got data.Concern
	if err := sh.Store().Load(c.ID, &got); err != nil || !got.Deleted {
		t.Fatalf("the concern should be in the trash: deleted=%v err=%v", got.Deleted, err)
	}

	tr := navTo[*Trash](t, sh, tx.trash)
	if ids := tr.IDs(); !slices.Equal(ids, []string{c.ID}) || !strings.Contains(allTexts(tr.List), flowSummary) {
		t.Fatalf("the trash lists %v:\n%s", ids, allTexts(tr.List))
	}
	tapButton(t, sh, tr.List, tx.restore)
	if len(tr.IDs()) != 0 || !tr.Status.Visible() || tr.Status.Text != tx.restored {
		t.Errorf("after restoring, the trash lists %v, status %q", tr.IDs(), tr.Status.Text)
	}

	s = navTo[*ConcernsScreen](t, sh, tx.concerns)
	if ids := rowIDs(s.Rows()); !slices.Equal(ids, []string{c.ID}) {
		t.Fatalf("the restored concern is not back in the list (search %q): %v", s.Search.Text, ids)
	}
	if err := sh.Store().Load(c.ID, &got); err != nil {
		t.Fatal(err)
	}
	if got.Deleted || got.VisitID != visit.ID || got.Summary != flowSummary || got.Status != data.StatusHandling {
		t.Fatalf("restored concern %+v, want it live, linked to visit %s", got, visit.ID)
	}
	s.List.Select(0)
	sh.wait()
	d := s.Detail
	if d == nil || d.Source == nil || !strings.Contains(d.Source.Text, "01/03/2026") {
		t.Fatal("the restored concern should link to the visit it was raised on")
	}
	tapLink(d.Source)
	sh.wait()
	vs, ok := sh.Current().(*VisitsScreen)
	if !ok || vs.Detail == nil || vs.Detail.V.ID != visit.ID || !vs.pages.showing(vs.Detail.Content) {
		t.Fatalf("the link should open the visit on %s (current %q)", tx.visits, sh.CurrentID())
	}
	if cr := vs.Detail.Concerns.Rows(); len(cr) != 1 || cr[0].ID != c.ID {
		t.Errorf("the visit lists concerns %v, want the restored one", rowIDs(cr))
	}

	dash := navTo[*Dashboard](t, sh, tx.dashboard)
	if dash.Visits.Text != "1" || dash.Received.Text != "1" {
		t.Errorf("this month's figures: visits %q, concerns received %q; want 1 and 1", dash.Visits.Text, dash.Received.Text)
	}
}

// restart closes the window and the store under whatever is open, as a
// closed window, a crash or a power cut would, and starts the app again
// on the same store; it returns the new shell on its main window.
func restart(t *testing.T, sh *Shell) *Shell {
	t.Helper()
	dir := sh.opts.StoreDir
	// The test window is closed by its own cleanup (closing it twice
	// panics in the test driver); the store goes away under the form.
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}
	sh2 := newTestShell(t, dir)
	sh2.Win.Resize(fyne.NewSize(1280, 1000))
	sh2.opts.Today = flowDay
	sh2.Start()
	sh2.wait()
	if sh2.Main == nil || sh2.Win.Content() != sh2.Main.Content {
		t.Fatal("the restarted app should open on the main window")
	}
	return sh2
}

// offeredDraft checks that the top dialog offers a kept draft back and
// taps its restore button.
func offeredDraft(t *testing.T, sh *Shell) {
	t.Helper()
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(allTexts(top), "Bản nháp chưa lưu") {
		t.Fatal("the form should offer the unsaved draft back")
	}
	tapButton(t, sh, top, "Khôi phục")
}

func TestDraftSurvivesRestartFlow(t *testing.T) {
	t.Run("concern", func(t *testing.T) {
		sh := fieldShell(t)
		sh.opts.Today = flowDay
		v := addVillage(t, sh, flowVillage)
		s := navTo[*ConcernsScreen](t, sh, flowVI.concerns)
		test.Tap(s.Add)
		f := activeConcernForm(t, sh)
		choose(t, sh, f.Kind, sh.EnumText("concern_kind", string(data.ConcernReport)))
		choose(t, sh, f.Village, flowVillage)
		test.Type(f.Summary, flowSummary)
		sh.wait()

		sh = restart(t, sh)
		s = navTo[*ConcernsScreen](t, sh, flowVI.concerns)
		test.Tap(s.Add)
		f = activeConcernForm(t, sh)
		if f.DraftPrompt == nil || f.Summary.Text != "" {
			t.Fatalf("the draft should be offered, not filled in unasked (summary %q)", f.Summary.Text)
		}
		offeredDraft(t, sh)
		if f.Summary.Text != flowSummary || f.Kind.Value() != string(data.ConcernReport) || f.Village.Value() != v.ID {
			t.Fatalf("restored summary %q, kind %q, village %q", f.Summary.Text, f.Kind.Value(), f.Village.Value())
		}
		test.Tap(f.Form.Save)
		sh.wait()
		rows := sh.Store().Find(data.Filter{Kind: data.KindConcern, Query: "duong vao thon"}, data.ByDateDesc)
		if len(rows) != 1 || rows[0].Title != flowSummary {
			t.Fatalf("after saving the restored draft the store holds %+v", rows)
		}
		if sh.Store().Draft("concern/new") != nil {
			t.Error("saving should drop the draft")
		}
	})

	t.Run("visit", func(t *testing.T) {
		sh := fieldShell(t)
		sh.opts.Today = flowDay
		v := addVillage(t, sh, flowVillage)
		h := &data.Household{Head: "Đinh Văn Hùng", Village: v.ID, Members: 4}
		mustSave(t, sh, h)
		s := navTo[*VisitsScreen](t, sh, flowVI.visits)
		test.Tap(s.Add)
		sh.wait()
		f := s.Form
		choose(t, sh, f.Village, flowVillage)
		test.Tap(householdCheck(t, f, h.Head))
		test.Type(f.Activities, "Cùng bà con phát quang đường vào thôn")
		sh.wait()

		sh = restart(t, sh)
		s = navTo[*VisitsScreen](t, sh, flowVI.visits)
		test.Tap(s.Add)
		sh.wait()
		f = s.Form
		if f.Restore == nil || f.Activities.Text != "" {
			t.Fatalf("the draft should be offered, not filled in unasked (activities %q)", f.Activities.Text)
		}
		offeredDraft(t, sh)
		if f.Activities.Text != "Cùng bà con phát quang đường vào thôn" || f.Village.Value() != v.ID {
			t.Fatalf("restored activities %q, village %q", f.Activities.Text, f.Village.Value())
		}
		if !householdCheck(t, f, h.Head).Checked {
			t.Error("the ticked household should come back ticked")
		}
		test.Tap(f.Form.Save)
		sh.wait()
		rows := sh.Store().Find(data.Filter{Kind: data.KindVisit}, data.ByDateDesc)
		if len(rows) != 1 {
			t.Fatalf("%d visits stored after saving the restored draft", len(rows))
		}
		var got data.FieldVisit
		if err := sh.Store().Load(rows[0].ID, &got); err != nil {
			t.Fatal(err)
		}
		if got.Activities != "Cùng bà con phát quang đường vào thôn" || len(got.Households) != 1 || got.Households[0].HouseholdID != h.ID {
			t.Errorf("stored visit %+v", got)
		}
		if sh.Store().Draft("visit/new") != nil {
			t.Error("saving should drop the draft")
		}
	})
}
