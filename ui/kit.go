package ui

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// This file is the toolkit every screen shares: the screen registry,
// background jobs, inline-validated forms, the dd/MM/yyyy date field,
// enum pickers, durable drafts and delete confirmation.

// Screen is one page of the main window (Tổng quan, Ý kiến – Kiến nghị…).
type Screen interface {
	// Content returns the page's widget tree (built once).
	Content() fyne.CanvasObject
	// Refresh reloads the page's data from the store.
	Refresh()
}

// Creator is a screen that can start a new record (Ctrl+N).
type Creator interface{ New() }

// Searcher is a screen with a search box (Ctrl+F).
type Searcher interface{ FocusSearch() }

// ScreenDef describes a page of the main window for the navigation.
type ScreenDef struct {
	// ID names the page ("dashboard", "concerns", …).
	ID string
	// TitleID is the i18n id of the page's title.
	TitleID string
	// Order places the page in the navigation, ascending.
	Order int
	// Icon is shown next to the title.
	Icon fyne.Resource
	// Make builds the page for the shell.
	Make func(sh *Shell) Screen
}

var (
	registryMu sync.Mutex
	registry   []ScreenDef
)

// RegisterScreen adds a page to the navigation; screens call it from init.
func RegisterScreen(d ScreenDef) {
	registryMu.Lock()
	defer registryMu.Unlock()
	registry = append(registry, d)
	sort.SliceStable(registry, func(i, j int) bool { return registry[i].Order < registry[j].Order })
}

// Screens returns the registered pages in navigation order.
func Screens() []ScreenDef {
	registryMu.Lock()
	defer registryMu.Unlock()
	return append([]ScreenDef(nil), registry...)
}

// T translates id in the shell's current language.
func (sh *Shell) T(id string, args ...any) string { return sh.tx.T(id, args...) }

// Go runs work off the UI goroutine and then done (if not nil) on it,
// through fyne.Do. Tests wait for every job with sh.wait().
func (sh *Shell) Go(work func() error, done func(error)) {
	sh.jobAdd()
	go func() {
		err := work()
		fyne.Do(func() {
			defer sh.jobDone()
			if done != nil {
				done(err)
			}
		})
	}()
}

// ShowError shows err to the user in their language, never a stack trace.
func (sh *Shell) ShowError(err error) {
	if err == nil {
		return
	}
	msg := sh.tx.errorText(err)
	if ve, ok := data.AsValidation(err); ok {
		msg = sh.ValidationText(ve)
	}
	dialog.ShowInformation(sh.T("err.title"), msg, sh.Win)
}

// FieldText returns the user-facing text of one invalid field.
func (sh *Shell) FieldText(f data.FieldError) string {
	args := []any{"Field", sh.T(f.Field)}
	if f.Other != "" {
		args = append(args, "Other", sh.T(f.Other))
	}
	return sh.T(f.Msg, args...)
}

// ValidationText lists every invalid field, one per line.
func (sh *Shell) ValidationText(ve *data.ValidationError) string {
	lines := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		lines[i] = sh.FieldText(f)
	}
	return strings.Join(lines, "\n")
}

// EnumText is the label of an enum value: enum.<group>.<value>.
func (sh *Shell) EnumText(group, value string) string {
	if value == "" {
		return ""
	}
	return sh.T("enum." + group + "." + value)
}

// EnumSelect is a drop-down of enum values shown by their labels. Lay out
// the EnumSelect itself, never its inner Select.
type EnumSelect struct {
	*widget.Select
	values []string
	labels []string
}

// NewEnumSelect returns a drop-down over values, labelled from group.
func NewEnumSelect(sh *Shell, group string, values []string, changed func(value string)) *EnumSelect {
	e := &EnumSelect{values: values}
	for _, v := range values {
		e.labels = append(e.labels, sh.EnumText(group, v))
	}
	e.Select = &widget.Select{Options: e.labels, PlaceHolder: sh.T("kit.choose"), OnChanged: func(string) {
		if changed != nil {
			changed(e.Value())
		}
	}}
	// The widget laid out is e: its taps, pop-ups and refreshes must find
	// e on the canvas, not the inner Select.
	e.ExtendBaseWidget(e)
	return e
}

// Value returns the selected value, or "".
func (e *EnumSelect) Value() string {
	i := e.SelectedIndex()
	if i < 0 || i >= len(e.values) {
		return ""
	}
	return e.values[i]
}

// SetValue selects value ("" clears).
func (e *EnumSelect) SetValue(value string) {
	for i, v := range e.values {
		if v == value {
			e.SetSelectedIndex(i)
			return
		}
	}
	e.ClearSelected()
}

// DateField is a date typed as dd/MM/yyyy or picked from a calendar. Lay
// out the DateField itself, never its inner Entry.
type DateField struct {
	*widget.Entry
	sh      *Shell
	changed func(data.Date)
}

// NewDateField returns an empty date field; changed (may be nil) is called
// with each valid date or "" when cleared.
func NewDateField(sh *Shell, changed func(data.Date)) *DateField {
	f := &DateField{Entry: &widget.Entry{Wrapping: fyne.TextWrap(fyne.TextTruncateClip)}, sh: sh, changed: changed}
	f.ExtendBaseWidget(f)
	f.PlaceHolder = sh.T("kit.date_placeholder")
	f.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		_, err := data.ParseDate(strings.TrimSpace(s))
		return err
	}
	f.OnChanged = func(string) {
		if f.changed != nil {
			if d, ok := f.DateOK(); ok {
				f.changed(d)
			}
		}
	}
	f.ActionItem = widget.NewButtonWithIcon("", theme.CalendarIcon(), f.pick)
	return f
}

// Date returns the date typed, or "" when empty or invalid.
func (f *DateField) Date() data.Date {
	d, _ := f.DateOK()
	return d
}

// DateOK returns the date and whether the text is empty or a valid date.
func (f *DateField) DateOK() (data.Date, bool) {
	s := strings.TrimSpace(f.Text)
	if s == "" {
		return "", true
	}
	d, err := data.ParseDate(s)
	return d, err == nil
}

// SetDate shows d as dd/MM/yyyy.
func (f *DateField) SetDate(d data.Date) { f.SetText(d.Display()) }

func (f *DateField) pick() {
	start := time.Now()
	if d := f.Date(); d != "" {
		start = d.Time()
	}
	var pop *widget.PopUp
	cal := widget.NewCalendar(start, func(t time.Time) {
		f.SetDate(data.DateOf(t))
		if pop != nil {
			pop.Hide()
		}
	})
	c := fyne.CurrentApp().Driver().CanvasForObject(f)
	if c == nil {
		return
	}
	pop = widget.NewPopUp(cal, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(f)
	pop.ShowAtPosition(pos.Add(fyne.NewPos(0, f.Size().Height)))
}

// Form lays out labelled fields with an inline error line under each,
// keeps Save disabled while a required field is empty, and maps a
// data.ValidationError back onto the fields.
type Form struct {
	sh       *Shell
	Box      *fyne.Container
	Save     *widget.Button
	errs     map[string]*canvas.Text
	required []func() bool
	order    []fyne.Focusable
	// labels is the column of field labels, as wide as the widest one so
	// that every field starts at the same x (in English "Other
	// households reached" is wider than the Vietnamese labels).
	labels *labelColumn
}

// labelColumn lays out one label of a form's label column: every label
// of the column gets the width of the widest one shown, and at least min.
type labelColumn struct {
	min    float32
	labels []labelInRow
}

// labelInRow is a field's label and the row that holds it: a hidden
// row's label (the hội nghị thôn's fields of another meeting) does not
// widen the column.
type labelInRow struct{ label, row fyne.CanvasObject }

func (c *labelColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := c.min
	for _, l := range c.labels {
		if l.row.Visible() {
			w = max(w, l.label.MinSize().Width)
		}
	}
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(w, h)
}

func (c *labelColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

// NewForm returns an empty form whose Save button calls save.
func NewForm(sh *Shell, save func()) *Form {
	f := &Form{sh: sh, Box: container.NewVBox(), errs: map[string]*canvas.Text{}, labels: &labelColumn{min: 170}}
	f.Save = widget.NewButtonWithIcon(sh.T("btn.save"), theme.DocumentSaveIcon(), save)
	f.Save.Importance = widget.HighImportance
	return f
}

// Add adds a field labelled by the i18n id labelID. filled, when not nil,
// marks the field required: Save stays disabled until it returns true.
func (f *Form) Add(labelID string, w fyne.CanvasObject, filled func() bool) {
	label := widget.NewLabel(f.sh.T(labelID))
	label.TextStyle = fyne.TextStyle{Bold: true}
	if filled != nil {
		label.SetText(label.Text + " *")
		f.required = append(f.required, filled)
	}
	errText := canvas.NewText("", theme.Color(theme.ColorNameError))
	errText.TextSize = theme.CaptionTextSize()
	errText.Hide()
	f.errs[labelID] = errText
	row := container.NewBorder(nil, nil, container.New(f.labels, label), nil, w)
	f.labels.labels = append(f.labels.labels, labelInRow{label, row})
	f.Box.Add(row)
	f.Box.Add(errText)
	if fo, ok := w.(fyne.Focusable); ok {
		f.order = append(f.order, fo)
	}
}

// AddLabelled adds w under a label already in the user's language (a
// report section's title), without an error line.
func (f *Form) AddLabelled(label string, w fyne.CanvasObject) {
	l := widget.NewLabel(label)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.Wrapping = fyne.TextWrapWord
	f.Box.Add(container.NewBorder(nil, nil, container.New(widthLayout{200}, l), nil, w))
	if fo, ok := w.(fyne.Focusable); ok {
		f.order = append(f.order, fo)
	}
}

// AddRow adds a widget without label or error line.
func (f *Form) AddRow(w fyne.CanvasObject) { f.Box.Add(w) }

// Check enables Save only when every required field is filled.
func (f *Form) Check() {
	for _, ok := range f.required {
		if !ok() {
			f.Save.Disable()
			return
		}
	}
	f.Save.Enable()
}

// ShowErrors clears old errors and shows err next to its fields. It
// returns false if err is not a validation error (the caller shows it).
func (f *Form) ShowErrors(err error) bool {
	for _, t := range f.errs {
		t.Text = ""
		t.Hide()
	}
	ve, ok := data.AsValidation(err)
	if !ok {
		return err == nil
	}
	shown := false
	for _, fe := range ve.Fields {
		t, ok := f.errs[fe.Field]
		if !ok {
			continue
		}
		if t.Text != "" {
			t.Text += "; "
		}
		t.Text += f.sh.FieldText(fe)
		t.Show()
		t.Refresh()
		shown = true
	}
	if !shown {
		f.sh.ShowError(err)
	}
	return true
}

// ErrorText returns the inline error shown for the field labelID ("" if none).
func (f *Form) ErrorText(labelID string) string {
	if t, ok := f.errs[labelID]; ok && t.Visible() {
		return t.Text
	}
	return ""
}

// Filled is a required-field check for an entry.
func Filled(e *widget.Entry) func() bool {
	return func() bool { return strings.TrimSpace(e.Text) != "" }
}

// Draft keeps an unsaved form in the store, so that it survives a closed
// window, a crash or a power cut. Save it on every change; Drop it once
// the form is saved or discarded.
type Draft struct {
	sh  *Shell
	key string
	mu  sync.Mutex
}

// NewDraft returns the draft slot key (e.g. "concern/new" or "concern/<id>").
func NewDraft(sh *Shell, key string) *Draft { return &Draft{sh: sh, key: key} }

// Save stores v (JSON) durably.
func (d *Draft) Save(v any) {
	st := d.sh.Store()
	if st == nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := st.SaveDraft(d.key, b); err != nil {
		fyne.LogError("save draft "+d.key, err)
	}
}

// Load fills v from a kept draft and reports whether there was one.
func (d *Draft) Load(v any) bool {
	st := d.sh.Store()
	if st == nil {
		return false
	}
	b := st.Draft(d.key)
	return b != nil && json.Unmarshal(b, v) == nil
}

// Drop forgets the draft.
func (d *Draft) Drop() {
	if st := d.sh.Store(); st != nil {
		_ = st.DeleteDraft(d.key)
	}
}

// deleteButton is the one "Xóa" button of every record's page and form:
// red, with the bin icon, on every screen alike.
func deleteButton(sh *Shell, tapped func()) *widget.Button {
	b := widget.NewButtonWithIcon(sh.T("btn.delete"), theme.DeleteIcon(), tapped)
	b.Importance = widget.DangerImportance
	return b
}

// ConfirmDelete asks before moving what (a record's name) to the trash.
func (sh *Shell) ConfirmDelete(what string, yes func()) {
	dialog.ShowConfirm(sh.T("confirm.delete_title"), sh.T("confirm.delete", "Name", what), func(ok bool) {
		if ok {
			yes()
		}
	}, sh.Win)
}

// errNoStore is returned by screens used before the store is open.
var errNoStore = errors.New("store not open")

// redText is a red label for overdue figures.
func redText(s string) *canvas.Text {
	t := canvas.NewText(s, theme.Color(theme.ColorNameError))
	t.TextStyle = fyne.TextStyle{Bold: true}
	return t
}

// FileChoice describes a file dialog for ChooseFile.
type FileChoice struct {
	// Save asks for a file to write, suggested as Name; else one to read.
	Save bool
	Name string
	// Ext filters the files shown (".pdf", or ".xlsx .csv" for several);
	// "" shows all.
	Ext string
	// Pref is the app preference that remembers the folder last used.
	Pref string
	// Dir is the folder to start in when none is remembered.
	Dir string
	// NotFileID is the i18n id of the message for a pick that is not a
	// local file (a network location, say).
	NotFileID string
}

// documentsDir is the user's documents folder, where a file dialog opens
// the first time (not the home folder's root): Documents, or "Tài liệu"
// on a Vietnamese desktop, or what XDG_DOCUMENTS_DIR names; "" when none
// exists.
func documentsDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	candidates := []string{os.Getenv("XDG_DOCUMENTS_DIR"), filepath.Join(home, "Documents"), filepath.Join(home, "Tài liệu")}
	for _, d := range candidates {
		if d == "" {
			continue
		}
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	return ""
}

// ChooseFile shows a file dialog as fc says and calls chosen with the
// picked file's path on the UI goroutine; nothing happens on cancel.
func (sh *Shell) ChooseFile(fc FileChoice, chosen func(path string)) {
	pick := func(u fyne.URI, err error) {
		switch {
		case err != nil:
			sh.ShowError(err)
		case u == nil:
		case u.Scheme() != "file":
			dialog.ShowInformation(sh.T("err.title"), sh.T(fc.NotFileID), sh.Win)
		default:
			sh.App.Preferences().SetString(fc.Pref, filepath.Dir(u.Path()))
			chosen(u.Path())
		}
	}
	var d *dialog.FileDialog
	if fc.Save {
		d = dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if w == nil {
				pick(nil, err)
				return
			}
			_ = w.Close()
			pick(w.URI(), err)
		}, sh.Win)
		d.SetFileName(fc.Name)
	} else {
		d = dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if r == nil {
				pick(nil, err)
				return
			}
			_ = r.Close()
			pick(r.URI(), err)
		}, sh.Win)
	}
	if exts := strings.Fields(fc.Ext); len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	dir := sh.App.Preferences().String(fc.Pref)
	if dir == "" {
		dir = fc.Dir
	}
	if dir == "" {
		dir = documentsDir()
	}
	if dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(l)
		}
	}
	if s := sh.Win.Canvas().Size(); s.Width > 0 {
		d.Resize(fyne.NewSize(s.Width*0.9, s.Height*0.9))
	}
	d.Show()
}
