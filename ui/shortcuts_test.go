package ui

import (
	"slices"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// press types Ctrl (Cmd on macOS) + key on the window's canvas.
func press(sh *Shell, key fyne.KeyName) {
	sh.Win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault})
}

// pressEsc types Esc with nothing focused.
func pressEsc(sh *Shell) {
	sh.Win.Canvas().Unfocus()
	sh.Win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
}

// fakeCreator is a screen that counts Ctrl+N, for when no real screen is
// a Creator.
type fakeCreator struct {
	box  *fyne.Container
	news int
}

func (f *fakeCreator) Content() fyne.CanvasObject { return f.box }
func (f *fakeCreator) Refresh()                   {}
func (f *fakeCreator) New()                       { f.news++ }

var registerFake sync.Once

// uiState is what a user would notice change after a keyboard command.
type uiState struct {
	overlay fyne.CanvasObject
	focused fyne.Focusable
	form    Saver
	screen  string
	objects int
}

func stateOf(sh *Shell) uiState {
	c := sh.Win.Canvas()
	return uiState{c.Overlays().Top(), c.Focused(), sh.ActiveForm(), sh.CurrentID(), len(test.LaidOutObjects(sh.Win.Content()))}
}

func TestCtrlNDispatchesToTheCurrentScreen(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	real := 0
	for _, def := range Screens() {
		s := sh.ShowScreen(def.ID)
		sh.wait()
		if _, ok := s.(Creator); !ok || def.ID == "test.creator" {
			continue
		}
		real++
		before := stateOf(sh)
		press(sh, fyne.KeyN)
		sh.wait()
		if stateOf(sh) == before {
			t.Errorf("Ctrl+N on %s changed nothing the user can see", def.ID)
		}
		for sh.CloseDialog() {
		}
		sh.forms = nil
	}
	if real > 0 {
		return
	}
	// No real Creator yet: check the dispatch on a fake one.
	registerFake.Do(func() {
		RegisterScreen(ScreenDef{ID: "test.creator", TitleID: "app.title", Order: 999,
			Make: func(*Shell) Screen { return &fakeCreator{box: container.NewVBox()} }})
	})
	sh.showMain()
	f := sh.ShowScreen("test.creator").(*fakeCreator)
	press(sh, fyne.KeyN)
	if f.news != 1 {
		t.Errorf("Ctrl+N reached New %d times, want 1", f.news)
	}
	sh.ShowScreen("dashboard") // not a Creator: nothing happens
	press(sh, fyne.KeyN)
	if f.news != 1 {
		t.Error("Ctrl+N reached a screen that is not shown")
	}
}

func TestCtrlFFocusesTheSearch(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	tr := sh.ShowScreen("trash").(*Trash)
	sh.wait()
	press(sh, fyne.KeyF)
	if sh.Win.Canvas().Focused() != tr.Search {
		t.Fatalf("Ctrl+F focused %v, want the trash's search box", sh.Win.Canvas().Focused())
	}
	for _, def := range Screens() {
		s := sh.ShowScreen(def.ID)
		sh.wait()
		if _, ok := s.(Searcher); !ok {
			continue
		}
		sh.Win.Canvas().Unfocus()
		press(sh, fyne.KeyF)
		if _, ok := sh.Win.Canvas().Focused().(*widget.Entry); !ok {
			t.Errorf("Ctrl+F on %s focused %T, want a search entry", def.ID, sh.Win.Canvas().Focused())
		}
	}
	// With a dialog open, Ctrl+F leaves the screen alone.
	sh.ShowScreen("trash")
	sh.Win.Canvas().Unfocus()
	dialog.ShowInformation("x", "y", sh.Win)
	press(sh, fyne.KeyF)
	if sh.Win.Canvas().Focused() == tr.Search {
		t.Error("Ctrl+F reached the screen under a dialog")
	}
}

// saver counts Ctrl+S.
type saver struct{ n int }

func (s *saver) SaveForm() { s.n++ }

func TestCtrlSSavesTheActiveForm(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	screen, dlg := &saver{}, &saver{}
	sh.SetActiveForm(screen)
	sh.SetActiveForm(dlg)
	press(sh, fyne.KeyS)
	if dlg.n != 1 || screen.n != 0 {
		t.Fatalf("Ctrl+S saved dialog %d, screen %d times; want the topmost form once", dlg.n, screen.n)
	}
	sh.ClearActiveForm(dlg)
	press(sh, fyne.KeyS)
	if screen.n != 1 {
		t.Fatal("after the dialog's form is cleared, Ctrl+S should save the one under it")
	}
	sh.ClearActiveForm(screen)
	if sh.ActiveForm() != nil {
		t.Fatal("forms left active")
	}

	// The settings screen is itself a Saver: Ctrl+S saves the profile.
	s := sh.ShowScreen("settings").(*Settings)
	s.Name.SetText("Nguyễn Văn Bình")
	press(sh, fyne.KeyS)
	sh.wait()
	if p, _ := sh.Store().Profile(); p.Name != "Nguyễn Văn Bình" {
		t.Errorf("Ctrl+S on Settings stored name %q", p.Name)
	}

	// The File menu carries the same shortcuts, so that they work while
	// a text entry has the focus.
	menu := sh.Win.MainMenu()
	if menu == nil || len(menu.Items) == 0 {
		t.Fatal("no main menu")
	}
	keys := map[fyne.KeyName]bool{}
	for _, it := range menu.Items[0].Items {
		if sc, ok := it.Shortcut.(*desktop.CustomShortcut); ok && sc.Modifier == fyne.KeyModifierShortcutDefault {
			keys[sc.KeyName] = true
		}
	}
	if !keys[fyne.KeyN] || !keys[fyne.KeyS] || !keys[fyne.KeyF] {
		t.Errorf("menu shortcuts %v, want Ctrl+N, Ctrl+S, Ctrl+F", keys)
	}
	if menu.Items[0].Label != "Tệp" {
		t.Errorf("menu %q", menu.Items[0].Label)
	}
}

func TestEscClosesTheTopmostDialog(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	c := sh.Win.Canvas()

	// A Fyne confirm dialog: Esc answers No.
	answer := "none"
	dialog.ShowConfirm("Xác nhận", "Xóa?", func(ok bool) {
		answer = map[bool]string{true: "yes", false: "no"}[ok]
	}, sh.Win)
	// A tracked dialog on top of it.
	closed := false
	d := dialog.NewCustom("Thông tin", "Đóng", widget.NewLabel("…"), sh.Win)
	d.SetOnClosed(func() { closed = true })
	sh.ShowDialog(d)
	if len(c.Overlays().List()) != 2 {
		t.Fatalf("%d overlays, want 2", len(c.Overlays().List()))
	}
	pressEsc(sh)
	if !closed || len(c.Overlays().List()) != 1 || answer != "none" {
		t.Fatalf("first Esc: tracked closed=%v, overlays %d, confirm answer %s", closed, len(c.Overlays().List()), answer)
	}
	pressEsc(sh)
	if answer != "no" || c.Overlays().Top() != nil {
		t.Fatalf("second Esc: confirm answer %s, overlays %d", answer, len(c.Overlays().List()))
	}
	if sh.CloseDialog() {
		t.Error("CloseDialog with no dialog open reports one closed")
	}
}

func TestEscInAnEntryClosesItsDialog(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	e := NewEscEntry(sh, false)
	answer := "none"
	d := dialog.NewForm("Đổi tên", "Lưu", "Hủy", []*widget.FormItem{widget.NewFormItem("Tên", e)},
		func(ok bool) { answer = map[bool]string{true: "save", false: "cancel"}[ok] }, sh.Win)
	sh.ShowDialog(d)
	sh.Win.Canvas().Focus(e)
	test.Type(e, "Làng Mới")
	if e.Text != "Làng Mới" {
		t.Fatalf("typed %q", e.Text)
	}
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if answer != "cancel" || sh.Win.Canvas().Overlays().Top() != nil {
		t.Errorf("Esc in the entry: answer %s, overlay %v", answer, sh.Win.Canvas().Overlays().Top())
	}
	// Outside a dialog Esc is only a key.
	e.SetText("x")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if e.Text != "x" {
		t.Errorf("Esc changed the text: %q", e.Text)
	}
}

// tabOrder presses Tab from the form's first field until focus leaves the
// form's fields or comes back, and returns the indices in f.order of the
// fields it went through.
func tabOrder(t *testing.T, sh *Shell, f *Form) []int {
	t.Helper()
	c := sh.Win.Canvas()
	c.Focus(f.order[0])
	index := map[fyne.Focusable]int{}
	for i, o := range f.order {
		index[o] = i
	}
	var got []int
	seen := map[fyne.Focusable]bool{}
	for range 4 * len(f.order) {
		o := c.Focused()
		if o == nil || seen[o] {
			break
		}
		seen[o] = true
		if i, ok := index[o]; ok {
			got = append(got, i)
		}
		c.FocusNext()
	}
	return got
}

// TestTabFollowsTheForm is issue 15's "Tab order follows the form": from
// the first field, Tab visits the fields in the order they are laid out,
// top to bottom, and reaches every one that can take focus.
func TestTabFollowsTheForm(t *testing.T) {
	check := func(name string, sh *Shell, f *Form) {
		t.Helper()
		got := tabOrder(t, sh, f)
		want := 0
		for _, o := range f.order {
			if w, ok := o.(fyne.Disableable); ok && w.Disabled() {
				continue
			}
			if co, ok := o.(fyne.CanvasObject); ok && shownIn(f.Box, co) {
				want++
			}
		}
		if len(got) != want || !slices.IsSorted(got) {
			t.Errorf("%s: Tab visits fields %v of %d, want %d in order", name, got, len(f.order), want)
		}
	}
	sh, s, _, _ := visitSetup(t)
	check("visit form", sh, s.Form.Form)

	sh = fieldShell(t)
	newConcernPlace(t, sh)
	cs := openConcernsScreen(t, sh)
	cs.New()
	check("concern form", sh, activeConcernForm(t, sh).Form)

	sh = fieldShell(t)
	addVillage(t, sh, "Làng Kon Klốc")
	openMeetingsScreen(t, sh)
	check("meeting form", sh, newMeetingForm(t, sh).Form)
}

// shownIn reports whether o is inside root through containers that are
// all shown.
func shownIn(root, o fyne.CanvasObject) bool {
	if !root.Visible() {
		return false
	}
	if root == o {
		return true
	}
	if c, ok := root.(*fyne.Container); ok {
		for _, child := range c.Objects {
			if shownIn(child, o) {
				return true
			}
		}
	}
	return false
}
