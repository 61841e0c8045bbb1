package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// This file holds the keyboard: Ctrl+N (new), Ctrl+S (save), Ctrl+F
// (search) and Esc (close the topmost dialog).
//
// The shortcuts are both canvas shortcuts and items of the window's "Tệp"
// menu: on the desktop a focused text entry takes every shortcut the
// canvas would get, but menu shortcuts come first, so Ctrl+S saves even
// while the cadre is typing in a field.

// Saver is a form that Ctrl+S saves. A form shown in a dialog, or as the
// current screen, calls sh.SetActiveForm(f) when it appears and
// sh.ClearActiveForm(f) when it closes (saved or not).
type Saver interface{ SaveForm() }

// SetActiveForm makes f the form Ctrl+S saves, on top of any form that is
// already active (a dialog over a screen). Pass a pointer.
func (sh *Shell) SetActiveForm(f Saver) {
	sh.ClearActiveForm(f)
	sh.forms = append(sh.forms, f)
}

// ClearActiveForm forgets f; the form under it, if any, becomes active again.
func (sh *Shell) ClearActiveForm(f Saver) {
	for i := len(sh.forms) - 1; i >= 0; i-- {
		if sh.forms[i] == f {
			sh.forms = append(sh.forms[:i], sh.forms[i+1:]...)
		}
	}
}

// ActiveForm returns the form Ctrl+S saves now, or nil.
func (sh *Shell) ActiveForm() Saver {
	if n := len(sh.forms); n > 0 {
		return sh.forms[n-1]
	}
	return nil
}

// shortcut is one keyboard command: its key with the platform's shortcut
// modifier (Ctrl, or Cmd on macOS), its menu label and what it does.
type shortcut struct {
	key     fyne.KeyName
	labelID string
	run     func()
}

func (sh *Shell) shortcuts() []shortcut {
	return []shortcut{
		{fyne.KeyN, "btn.new", sh.NewRecord},
		{fyne.KeyS, "btn.save", sh.SaveForm},
		{fyne.KeyF, "btn.search", sh.FocusSearch},
	}
}

// installShortcuts binds the keyboard commands to the window: canvas
// shortcuts, the "Tệp" menu (in the current language) and Esc.
func (sh *Shell) installShortcuts() {
	c := sh.Win.Canvas()
	var items []*fyne.MenuItem
	for _, s := range sh.shortcuts() {
		sc := &desktop.CustomShortcut{KeyName: s.key, Modifier: fyne.KeyModifierShortcutDefault}
		run := s.run
		c.RemoveShortcut(sc)
		c.AddShortcut(sc, func(fyne.Shortcut) { run() })
		item := fyne.NewMenuItem(sh.T(s.labelID), run)
		item.Shortcut = sc
		items = append(items, item)
	}
	sh.Win.SetMainMenu(fyne.NewMainMenu(fyne.NewMenu(sh.T("menu.file"), items...)))
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			sh.CloseDialog()
		}
	})
}

// dialogOpen reports whether a dialog or pop-up covers the window.
func (sh *Shell) dialogOpen() bool { return sh.Win.Canvas().Overlays().Top() != nil }

// NewRecord is Ctrl+N: the current screen starts a new record if it is a
// Creator and no dialog is open.
func (sh *Shell) NewRecord() {
	if c, ok := sh.Current().(Creator); ok && !sh.dialogOpen() {
		c.New()
	}
}

// FocusSearch is Ctrl+F: the current screen focuses its search box if it
// is a Searcher and no dialog is open.
func (sh *Shell) FocusSearch() {
	if s, ok := sh.Current().(Searcher); ok && !sh.dialogOpen() {
		s.FocusSearch()
	}
}

// SaveForm is Ctrl+S: it saves the active form (see SetActiveForm), or
// else the current screen if that is a Saver.
func (sh *Shell) SaveForm() {
	if f := sh.ActiveForm(); f != nil {
		f.SaveForm()
		return
	}
	if s, ok := sh.Current().(Saver); ok && !sh.dialogOpen() {
		s.SaveForm()
	}
}

// shownDialog is a dialog shown with ShowDialog and the overlay it put on
// the canvas.
type shownDialog struct {
	d       dialog.Dialog
	overlay fyne.CanvasObject
}

// CloseDialog is Esc: it closes the topmost dialog or pop-up and reports
// whether there was one. A dialog shown with ShowDialog is hidden through
// its own Hide (its callback runs with "cancel"); any other dialog is
// closed by tapping its dismiss button (Cancel, No, OK, Close…), and a
// plain pop-up is hidden.
//
// Fyne 2.7 dialogs do not close on Esc themselves, and a focused text
// entry keeps Esc to itself, so Esc works when the focus is not in an entry.
func (sh *Shell) CloseDialog() bool {
	top := sh.Win.Canvas().Overlays().Top()
	sh.pruneDialogs()
	if top == nil {
		return false
	}
	if n := len(sh.dialogs); n > 0 && sh.dialogs[n-1].overlay == top {
		d := sh.dialogs[n-1].d
		sh.dialogs = sh.dialogs[:n-1]
		d.Hide()
		return true
	}
	if b := sh.dismissButton(top); b != nil {
		b.OnTapped()
		return true
	}
	top.Hide()
	if sh.Win.Canvas().Overlays().Top() == top {
		sh.Win.Canvas().Overlays().Remove(top)
	}
	return true
}

// pruneDialogs forgets tracked dialogs that are no longer shown.
func (sh *Shell) pruneDialogs() {
	shown := map[fyne.CanvasObject]bool{}
	for _, o := range sh.Win.Canvas().Overlays().List() {
		shown[o] = o.Visible()
	}
	kept := sh.dialogs[:0]
	for _, d := range sh.dialogs {
		if shown[d.overlay] {
			kept = append(kept, d)
		}
	}
	sh.dialogs = kept
}

// dismissButton finds the button that closes the dialog in overlay: an
// enabled one labelled Cancel, No, Close or Back, else OK, in Fyne's or
// the app's words.
func (sh *Shell) dismissButton(overlay fyne.CanvasObject) *widget.Button {
	for _, words := range [][2][]string{
		{{"Cancel", "No", "Close"}, {"btn.cancel", "btn.no", "btn.close", "btn.back"}},
		{{"OK"}, {"btn.ok"}},
	} {
		names := map[string]bool{}
		for _, s := range words[0] {
			names[lang.L(s)] = true
		}
		for _, id := range words[1] {
			names[sh.T(id)] = true
		}
		var found *widget.Button
		walkObjects(overlay, func(o fyne.CanvasObject) bool {
			if b, ok := o.(*widget.Button); ok && b.Visible() && !b.Disabled() && names[b.Text] && b.OnTapped != nil {
				found = b
				return false
			}
			return true
		})
		if found != nil {
			return found
		}
	}
	return nil
}

// walkObjects calls visit for o and, through containers, scrolls and
// pop-ups, everything under it, until visit returns false.
func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) bool {
	if o == nil || !visit(o) {
		return false
	}
	var children []fyne.CanvasObject
	switch t := o.(type) {
	case *fyne.Container:
		children = t.Objects
	case *widget.PopUp:
		children = []fyne.CanvasObject{t.Content}
	}
	for _, c := range children {
		if !walkObjects(c, visit) {
			return false
		}
	}
	return true
}

// EscEntry is a text entry that lets Esc close the dialog it is in: a
// plain widget.Entry keeps Esc to itself while it has the focus. Use it
// (NewEscEntry) for the fields of forms shown in dialogs.
type EscEntry struct {
	widget.Entry
	sh *Shell
}

// NewEscEntry returns a single-line entry (multiLine false) or a
// multi-line one whose Esc closes the topmost dialog.
func NewEscEntry(sh *Shell, multiLine bool) *EscEntry {
	e := &EscEntry{sh: sh}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey closes the topmost dialog on Esc and edits the text otherwise.
func (e *EscEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.sh.dialogOpen() {
		e.sh.Win.Canvas().Unfocus()
		e.sh.CloseDialog()
		return
	}
	e.Entry.TypedKey(ev)
}
