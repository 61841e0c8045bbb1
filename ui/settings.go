package ui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

func init() {
	RegisterScreen(ScreenDef{ID: "settings", TitleID: "screen.settings", Order: 90, Icon: ThemeIcon(theme.IconNameSettings),
		Make: func(sh *Shell) Screen { return newSettings(sh) }})
}

// Settings is Cài đặt: the language, the cadre's profile, the "cùng" and
// "bám" checklist items, the passphrase, and where the store lives.
type Settings struct {
	sh *Shell

	Lang *LangChoice

	Name, Unit    *widget.Entry
	Profile       *Form
	ProfileStatus *widget.Label

	Cung, Bam *ChecklistEditor
	list      *data.Checklist

	Pass *PassphraseForm

	StoreDir, StoreSize, Commune *widget.Label

	// Backup is the "Sao lưu / Khôi phục" part.
	Backup *BackupPanel
	// Deadlines is the "Tính thời hạn" part: the commune's petition days
	// and the added days off.
	Deadlines *DeadlineSettings
	// Demo is the "Dữ liệu mẫu" part (Xóa dữ liệu mẫu).
	Demo *DemoPanel
	// Reminders turns the desktop reminders on or off.
	Reminders *widget.Check
	// Issuer are the profile's fields that head and sign reports.
	Issuer *IssuerFields
	// Privacy is the "Dữ liệu cá nhân" part: the processing record and
	// the breach log.
	Privacy *PrivacyPanel

	content *container.Scroll
}

func newSettings(sh *Shell) *Settings {
	s := &Settings{sh: sh}
	s.Lang = newLangChoice(sh)

	s.Name, s.Unit = widget.NewEntry(), widget.NewEntry()
	s.Profile = NewForm(sh, s.SaveForm)
	s.Profile.Add("field.profile.name", s.Name, Filled(s.Name))
	s.Profile.Add("field.profile.unit", s.Unit, nil)
	s.Issuer = newIssuerFields(sh, s.Unit)
	s.Issuer.addTo(s.Profile)
	s.Name.OnChanged = func(string) { s.Profile.Check() }
	s.ProfileStatus = widget.NewLabel("")
	s.ProfileStatus.Importance = widget.SuccessImportance
	s.ProfileStatus.Hide()
	s.Profile.AddRow(container.NewHBox(s.Profile.Save, s.ProfileStatus))

	s.Cung = newChecklistEditor(s, "settings.cung", func(c *data.Checklist) *[]data.ChecklistItem { return &c.Cung }, "cung")
	s.Bam = newChecklistEditor(s, "settings.bam", func(c *data.Checklist) *[]data.ChecklistItem { return &c.Bam }, "bam")

	s.Pass = newPassphraseForm(sh)
	s.Pass.resized = s.relayout

	s.StoreDir, s.StoreSize = wrapLabel(""), widget.NewLabel("")
	s.Commune = widget.NewLabel("")
	s.Commune.TextStyle = fyne.TextStyle{Bold: true}
	s.Backup = newBackupPanel(sh)
	s.Backup.resized = s.relayout
	s.Deadlines = newDeadlineSettings(sh)
	s.Demo = newDemoPanel(sh)
	s.Reminders = widget.NewCheck(sh.T("settings.reminders_on"), sh.SetReminders)
	s.Reminders.Checked = sh.RemindersOn()
	s.Privacy = newPrivacyPanel(sh)

	s.content = formScroll(container.NewPadded(container.NewVBox(
		heading(sh.T("screen.settings")),
		settingsSection(sh.T("settings.language"), s.Lang.Radio),
		settingsSection(sh.T("settings.profile"), s.Profile.Box),
		settingsSection(sh.T("settings.checklist"), container.NewVBox(
			hintLabel(sh.T("settings.checklist_intro")),
			container.NewGridWithColumns(2, s.Cung.Content, s.Bam.Content))),
		settingsSection(sh.T("settings.deadlines"), s.Deadlines.Content),
		settingsSection(sh.T("settings.reminders"), s.Reminders),
		settingsSection(sh.T("settings.passphrase"), s.Pass.Content),
		settingsSection(sh.T("privacy.title"), s.Privacy.Content),
		settingsSection(sh.T("settings.store"), container.NewVBox(s.StoreDir, s.StoreSize)),
		settingsSection(sh.T("backup.title"), s.Backup.Content),
		settingsSection(sh.T("demo.title"), s.Demo.Content),
		settingsSection(sh.T("settings.commune"), container.NewVBox(s.Commune, hintLabel(sh.T("settings.commune_fixed")))),
	)))
	return s
}

// settingsSection is a titled part of a page, under a rule.
func settingsSection(title string, content fyne.CanvasObject) fyne.CanvasObject {
	t := widget.NewLabel(title)
	t.TextStyle = fyne.TextStyle{Bold: true}
	t.Importance = widget.HighImportance
	return container.NewVBox(widget.NewSeparator(), t, content)
}

// Content returns the settings' widget tree.
func (s *Settings) Content() fyne.CanvasObject { return s.content }

// Refresh reloads the profile, the checklist and the store's facts.
func (s *Settings) Refresh() {
	st := s.sh.Store()
	if st == nil {
		return
	}
	p, _ := st.Profile()
	s.Name.SetText(p.Name)
	s.Unit.SetText(p.Unit)
	s.Issuer.set(p.Issuer)
	s.Profile.Check()
	s.ProfileStatus.Hide()
	s.list = cloneChecklist(st.Checklist())
	s.Cung.refresh()
	s.Bam.refresh()
	s.Pass.refresh()
	s.StoreDir.SetText(s.sh.T("settings.store_dir", "Dir", st.Dir()))
	code := st.Commune()
	if c, ok := data.CommuneByCode(code); ok {
		s.Commune.SetText(c.Label() + " · " + code)
	}
	s.Backup.Refresh()
	s.Deadlines.Refresh()
	s.Demo.Refresh()
	s.Privacy.Refresh()
	s.relayout()
	var size int64
	s.sh.Go(func() error { size = st.Size(); return nil }, func(error) {
		s.StoreSize.SetText(s.sh.T("settings.store_size", "Size", formatMB(size, s.sh.Lang())))
	})
}

// relayout measures the page again after parts of it grew or shrank (a
// scroll does not notice by itself).
func (s *Settings) relayout() {
	if s.content != nil {
		s.content.Refresh()
	}
}

// SaveForm saves the cadre's profile (Ctrl+S, or the Save button).
func (s *Settings) SaveForm() {
	st := s.sh.Store()
	if st == nil || s.Profile.Save.Disabled() {
		return
	}
	p := data.Profile{Name: s.Name.Text, Unit: s.Unit.Text, Lang: string(s.sh.Lang()), Issuer: s.Issuer.issuer()}
	s.ProfileStatus.Hide()
	s.sh.Go(func() error { return st.SetProfile(p) }, func(err error) {
		if !s.Profile.ShowErrors(err) {
			s.sh.ShowError(err)
			return
		}
		if err == nil {
			s.ProfileStatus.SetText(s.sh.T("status.saved"))
			s.ProfileStatus.Show()
		}
	})
}

// saveChecklist stores the edited checklist and shows it again.
func (s *Settings) saveChecklist() {
	st := s.sh.Store()
	if st == nil {
		return
	}
	c := cloneChecklist(s.list)
	s.Cung.refresh()
	s.Bam.refresh()
	s.sh.Go(func() error { return st.SaveChecklist(c) }, func(err error) {
		if err != nil {
			s.sh.ShowError(err)
			s.list = cloneChecklist(st.Checklist())
			s.Cung.refresh()
			s.Bam.refresh()
		}
	})
}

func cloneChecklist(c *data.Checklist) *data.Checklist {
	out := *c
	out.Cung = append([]data.ChecklistItem(nil), c.Cung...)
	out.Bam = append([]data.ChecklistItem(nil), c.Bam...)
	return &out
}

// ChecklistEditor edits one group of checklist items ("cùng" or "bám"):
// add, rename and remove.
type ChecklistEditor struct {
	s      *Settings
	items  func(*data.Checklist) *[]data.ChecklistItem
	prefix string // of new item ids

	Rows    *fyne.Container
	NewItem *widget.Entry
	Add     *widget.Button
	Error   *widget.Label
	Content fyne.CanvasObject
}

func newChecklistEditor(s *Settings, titleID string, items func(*data.Checklist) *[]data.ChecklistItem, prefix string) *ChecklistEditor {
	sh := s.sh
	e := &ChecklistEditor{s: s, items: items, prefix: prefix, Rows: container.NewVBox()}
	e.NewItem = widget.NewEntry()
	e.NewItem.SetPlaceHolder(sh.T("settings.item_new"))
	e.NewItem.OnSubmitted = func(string) { e.add() }
	e.Add = widget.NewButtonWithIcon(sh.T("btn.add"), theme.ContentAddIcon(), e.add)
	e.Error = wrapLabel("")
	e.Error.Importance = widget.DangerImportance
	e.Error.Hide()
	e.Content = container.NewVBox(sectionTitle(sh.T(titleID)), e.Rows,
		container.NewBorder(nil, nil, nil, e.Add, e.NewItem), e.Error)
	return e
}

// Labels returns the items' labels, in order.
func (e *ChecklistEditor) Labels() []string {
	var out []string
	if e.s.list != nil {
		for _, it := range *e.items(e.s.list) {
			out = append(out, it.Label)
		}
	}
	return out
}

// refresh rebuilds the rows from the settings' checklist.
func (e *ChecklistEditor) refresh() {
	e.Rows.RemoveAll()
	for i, it := range *e.items(e.s.list) {
		rename := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { e.askRename(i) })
		remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.askRemove(i) })
		rename.Importance, remove.Importance = widget.LowImportance, widget.LowImportance
		e.Rows.Add(container.NewBorder(nil, nil, nil, container.NewHBox(rename, remove), widget.NewLabel(it.Label)))
	}
	e.Rows.Refresh()
	e.s.relayout()
}

// fail shows msg under the editor ("" hides it).
func (e *ChecklistEditor) fail(msg string) {
	e.Error.SetText(msg)
	showIf(e.Error, msg != "")
	e.s.relayout()
}

// taken reports whether label is already an item (ignoring case and
// diacritics), other than the item at skip.
func (e *ChecklistEditor) taken(label string, skip int) bool {
	for i, it := range *e.items(e.s.list) {
		if i != skip && data.Fold(it.Label) == data.Fold(label) {
			return true
		}
	}
	return false
}

// checkLabel returns the trimmed label, or "" after showing why it
// cannot be used.
func (e *ChecklistEditor) checkLabel(label string, skip int) string {
	label = data.NFC(strings.TrimSpace(label))
	switch {
	case label == "":
		e.fail(e.s.sh.T("validation.required", "Field", e.s.sh.T("settings.item_label")))
		return ""
	case e.taken(label, skip):
		e.fail(e.s.sh.T("settings.item_exists", "Name", label))
		return ""
	}
	e.fail("")
	return label
}

// add appends the typed item.
func (e *ChecklistEditor) add() {
	label := e.checkLabel(e.NewItem.Text, -1)
	if label == "" {
		return
	}
	items := e.items(e.s.list)
	*items = append(*items, data.ChecklistItem{ID: e.newID(label), Label: label})
	e.NewItem.SetText("")
	e.s.saveChecklist()
}

// newID makes an id for a new item from its label, unique in the list
// (ids of visits already recorded stay valid whatever the labels become).
func (e *ChecklistEditor) newID(label string) string {
	var b strings.Builder
	for _, r := range data.Fold(label) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	base := strings.TrimSuffix(b.String(), "_")
	if !strings.HasPrefix(base, e.prefix+"_") {
		base = e.prefix + "_" + base
	}
	used := map[string]bool{}
	for _, l := range []*[]data.ChecklistItem{&e.s.list.Cung, &e.s.list.Bam} {
		for _, it := range *l {
			used[it.ID] = true
		}
	}
	id := base
	for n := 2; used[id]; n++ {
		id = base + "_" + strconv.Itoa(n)
	}
	return id
}

// Rename renames item i to label and saves, reporting whether it could.
func (e *ChecklistEditor) Rename(i int, label string) bool {
	items := e.items(e.s.list)
	if i < 0 || i >= len(*items) {
		return false
	}
	if label = e.checkLabel(label, i); label == "" {
		return false
	}
	(*items)[i].Label = label
	e.s.saveChecklist()
	return true
}

// Remove drops item i and saves.
func (e *ChecklistEditor) Remove(i int) {
	items := e.items(e.s.list)
	if i < 0 || i >= len(*items) {
		return
	}
	*items = append((*items)[:i], (*items)[i+1:]...)
	e.fail("")
	e.s.saveChecklist()
}

func (e *ChecklistEditor) askRename(i int) {
	sh := e.s.sh
	items := *e.items(e.s.list)
	if i >= len(items) {
		return
	}
	entry := NewEscEntry(sh, false)
	entry.SetText(items[i].Label)
	d := dialog.NewForm(sh.T("settings.item_rename"), sh.T("btn.save"), sh.T("btn.cancel"),
		[]*widget.FormItem{widget.NewFormItem(sh.T("settings.item_label"), entry)},
		func(ok bool) {
			if ok {
				e.Rename(i, entry.Text)
			}
		}, sh.Win)
	d.Resize(fyne.NewSize(420, 0))
	sh.ShowDialog(d)
	sh.Win.Canvas().Focus(entry)
}

func (e *ChecklistEditor) askRemove(i int) {
	sh := e.s.sh
	items := *e.items(e.s.list)
	if i >= len(items) {
		return
	}
	sh.ShowDialog(dialog.NewConfirm(sh.T("confirm.title"), sh.T("settings.item_remove", "Name", items[i].Label),
		func(ok bool) {
			if ok {
				e.Remove(i)
			}
		}, sh.Win))
}

// PassphraseForm changes the store's passphrase (or sets one for a store
// created without): the store is closed, re-keyed and reopened.
type PassphraseForm struct {
	sh *Shell

	Intro   *widget.Label // the warning for a store without a passphrase
	Old     *widget.Entry
	New     *widget.Entry
	Confirm *widget.Entry
	Error   *widget.Label
	Done    *widget.Label
	Submit  *widget.Button
	Content fyne.CanvasObject

	oldRow   fyne.CanvasObject
	progress dialog.Dialog
	resized  func() // called after parts were shown or hidden; may be nil
}

func newPassphraseForm(sh *Shell) *PassphraseForm {
	p := &PassphraseForm{sh: sh}
	p.Intro = wrapLabel(sh.T("settings.passphrase_none"))
	p.Intro.Importance = widget.WarningImportance
	p.Old, p.New, p.Confirm = widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	p.Old.OnSubmitted = func(string) { sh.Win.Canvas().Focus(p.New) }
	p.New.OnSubmitted = func(string) { sh.Win.Canvas().Focus(p.Confirm) }
	p.Confirm.OnSubmitted = func(string) { p.submit() }
	p.Error = wrapLabel("")
	p.Error.Importance = widget.DangerImportance
	p.Error.Hide()
	p.Done = wrapLabel(sh.T("settings.passphrase_changed"))
	p.Done.Importance = widget.SuccessImportance
	p.Done.Hide()
	p.Submit = widget.NewButtonWithIcon(sh.T("settings.passphrase_change"), theme.AccountIcon(), p.submit)
	row := func(id string, e *widget.Entry) fyne.CanvasObject {
		l := widget.NewLabel(sh.T(id))
		return container.NewBorder(nil, nil, container.New(widthLayout{220}, l), nil, e)
	}
	p.oldRow = row("settings.old_passphrase", p.Old)
	p.Content = container.NewVBox(p.Intro, p.oldRow, row("settings.new_passphrase", p.New),
		row("settings.new_passphrase_confirm", p.Confirm), hintLabel(sh.T("auth.passphrase_hint")),
		p.Error, p.Done, container.NewHBox(p.Submit))
	p.refresh()
	return p
}

// hasPassphrase reports whether the store is locked by a passphrase.
func (p *PassphraseForm) hasPassphrase() bool { return data.HasPassphrase(p.sh.opts.StoreDir) }

// refresh shows the form for changing a passphrase, or setting a first one.
func (p *PassphraseForm) refresh() {
	has := p.hasPassphrase()
	showIf(p.Intro, !has)
	showIf(p.oldRow, has)
	if has {
		p.Submit.SetText(p.sh.T("settings.passphrase_change"))
	} else {
		p.Submit.SetText(p.sh.T("settings.passphrase_set"))
	}
	p.relayout()
}

func (p *PassphraseForm) relayout() {
	if p.resized != nil {
		p.resized()
	}
}

func (p *PassphraseForm) fail(msg string) {
	p.Error.SetText(msg)
	p.Error.Show()
	p.relayout()
}

// submit checks the entries and re-keys the store, with a progress dialog.
func (p *PassphraseForm) submit() {
	sh := p.sh
	old, nw := p.Old.Text, p.New.Text
	if !p.hasPassphrase() {
		old = ""
	}
	p.Error.Hide()
	p.Done.Hide()
	switch {
	case p.hasPassphrase() && old == "":
		p.fail(sh.T("validation.required", "Field", sh.T("settings.old_passphrase")))
		return
	case nw == "":
		p.fail(sh.T("validation.required", "Field", sh.T("settings.new_passphrase")))
		return
	case len([]rune(nw)) < minPassphrase:
		p.fail(sh.T("err.passphrase_too_short", "Min", minPassphrase))
		return
	case nw != p.Confirm.Text:
		p.fail(sh.T("err.passphrase_mismatch"))
		return
	case nw == old:
		p.fail(sh.T("settings.passphrase_same"))
		return
	}
	p.Submit.Disable()
	bar := widget.NewProgressBarInfinite()
	p.progress = dialog.NewCustomWithoutButtons(sh.T("settings.passphrase"),
		container.NewVBox(widget.NewLabel(sh.T("settings.passphrase_changing")), bar), sh.Win)
	p.progress.Show()
	sh.ChangePassphrase(old, nw, p.changed)
}

// changed ends a passphrase change with its outcome.
func (p *PassphraseForm) changed(err error) {
	p.progress.Hide()
	p.Submit.Enable()
	switch {
	case errors.Is(err, data.ErrWrongPassphrase):
		p.Old.SetText("")
		p.fail(p.sh.tx.errorText(err))
		p.sh.Win.Canvas().Focus(p.Old)
	case err != nil:
		p.fail(p.sh.tx.errorText(err))
	default:
		for _, e := range []*widget.Entry{p.Old, p.New, p.Confirm} {
			e.SetText("")
		}
		p.Done.Show()
		p.refresh()
	}
}
