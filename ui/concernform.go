package ui

import (
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// This file holds the concern form, which other screens open to record a
// concern raised at a meeting or on a visit, and the form plumbing the
// meeting form shares: the form dialog, durable drafts written off the
// UI goroutine, and inline validation while the user types.

// OpenConcernForm opens the concern form in a dialog over the main window.
// c may be nil (a new concern), prefilled (e.g. from a meeting or visit:
// Village, MeetingID or VisitID, Channel, Received), or a stored concern
// to edit. onSaved (may be nil) is called on the UI goroutine with the
// saved concern. An unsaved form is kept as a durable draft and offered
// back the next time the same form is opened.
func OpenConcernForm(sh *Shell, c *data.Concern, onSaved func(*data.Concern)) {
	openConcernForm(sh, c, onSaved)
}

// ConcernForm is the form of one concern.
type ConcernForm struct {
	sh      *Shell
	base    data.Concern // what the form started from: id, links, status, history
	onSaved func(*data.Concern)

	Form                               *Form
	Kind, Channel, Topic, Complexity   *EnumSelect
	Received, Accepted                 *DateField
	Village                            *villageChoice
	RaiserKind, Person, Household      *EnumSelect
	RaiserText, Denouncer              *widget.Entry
	Summary, Content, People, Assignee *widget.Entry
	MassHint, Deadline, DenouncerKept  *widget.Label
	// ScreeningExtended marks a tố cáo to be checked at several places
	// (screening within 10 working days, Luật Tố cáo 2018 Đ.24).
	ScreeningExtended *widget.Check
	// ExtNumber, ExtDate and ExtDays are a tố cáo's extension decisions
	// (Luật Tố cáo 2018 Đ.30): at most two, shown as the complexity allows.
	ExtNumber [2]*widget.Entry
	ExtDate   [2]*DateField
	ExtDays   [2]*widget.Entry
	// ForwardedOn and ForwardedTo are shown for a forwarded case.
	ForwardedOn *DateField
	ForwardedTo *widget.Entry
	Cancel      *widget.Button
	Dialog      *dialog.CustomDialog
	// DraftPrompt asks whether to restore a kept draft; nil when there was none.
	DraftPrompt *dialog.ConfirmDialog

	raiserBox, confBox *fyne.Container
	extRows, fwdRows   []formRow
	extSecond          []fyne.CanvasObject
	villages           villageList
	petitionDays       int
	cal                *data.Calendar
	raiserID           string // the wanted person or household, kept while their list loads
	raisers            latest
	draft              *draftWriter
	filling            bool // set while the form is filled in by code
	dirty              bool
}

// concernDraft is the text of every field of a concern form, as typed.
type concernDraft struct {
	Kind, Channel, Received, Accepted, Village  string
	RaiserKind, RaiserID, RaiserText, Denouncer string
	Topic, Summary, Content, Complexity         string
	People, Assignee                            string
	ScreeningExtended                           bool
	ExtNumber, ExtDate, ExtDays                 [2]string
	ForwardedOn, ForwardedTo                    string
}

// concernDraftKey names the draft slot of a concern form: the concern's
// own, or a new concern's, apart for each meeting or visit it comes from.
func concernDraftKey(c *data.Concern) string {
	switch {
	case c.ID != "":
		return "concern/" + c.ID
	case c.MeetingID != "":
		return "concern/new/meeting/" + c.MeetingID
	case c.VisitID != "":
		return "concern/new/visit/" + c.VisitID
	}
	return "concern/new"
}

// raiserKinds are who can bring a concern other than a tố cáo.
var raiserKinds = []string{data.RaiserText, data.RaiserHousehold, data.RaiserPerson, data.RaiserAnonymous}

// openConcernForm loads what the form needs off the UI goroutine, then
// builds and shows it. The returned form is filled in once sh.Go's job
// has run.
func openConcernForm(sh *Shell, c *data.Concern, onSaved func(*data.Concern)) *ConcernForm {
	f := &ConcernForm{sh: sh, onSaved: onSaved}
	if c != nil {
		f.base = *c
	}
	f.draft = newDraftWriter(sh, concernDraftKey(&f.base))
	var kept concernDraft
	var hasDraft bool
	var profile data.Profile
	sh.Go(func() error {
		st := sh.Store()
		if st == nil {
			return errNoStore
		}
		f.villages = loadVillages(st)
		f.petitionDays = st.PetitionDays()
		f.cal = st.Calendar()
		profile, _ = st.Profile()
		hasDraft = f.draft.d.Load(&kept)
		return nil
	}, func(err error) {
		if err != nil {
			sh.ShowError(err)
			return
		}
		f.build()
		f.fill(f.initial(profile.Name))
		title := "concerns.form_new"
		if f.base.ID != "" {
			title = "concerns.form_edit"
		}
		f.show(sh.T(title))
		if hasDraft {
			f.DraftPrompt = offerDraft(sh, f.draft.d.key, func() { f.fill(kept); f.changed() }, f.draft.drop)
		}
	})
	return f
}

func (f *ConcernForm) build() {
	sh := f.sh
	changed := func(string) { f.changed() }
	f.Form = NewForm(sh, f.save)
	f.Kind = NewEnumSelect(sh, "concern_kind", enumValues(data.ConcernKinds), changed)
	f.Channel = NewEnumSelect(sh, "channel", data.Channels, changed)
	f.Received = newDateInput(sh, f.changed)
	f.Accepted = newDateInput(sh, f.changed)
	f.Village = newVillageChoice(sh, "", func(string) {
		f.loadRaisers()
		f.changed()
	})
	f.Village.setRows(f.villages.rows)
	f.RaiserKind = NewEnumSelect(sh, "raiser", raiserKinds, changed)
	pickRaiser := func(v string) {
		if !f.filling {
			f.raiserID = v
		}
		f.changed()
	}
	f.Person = newChoice("", nil, nil, pickRaiser)
	f.Person.PlaceHolder = sh.T("concerns.pick_person")
	f.Household = newChoice("", nil, nil, pickRaiser)
	f.Household.PlaceHolder = sh.T("concerns.pick_household")
	f.RaiserText = newTextInput(changed)
	f.RaiserText.PlaceHolder = sh.T("concerns.raiser_text_placeholder")
	f.Denouncer = newTextInput(changed)
	f.Denouncer.PlaceHolder = sh.T("concerns.denouncer_placeholder")
	f.DenouncerKept = hintLabel(sh.T("concerns.denouncer_kept"))
	f.Topic = NewEnumSelect(sh, "topic", data.Topics, changed)
	f.Summary = newTextInput(changed)
	f.Content = newTextInput(changed)
	f.Content.MultiLine = true
	f.Content.Wrapping = fyne.TextWrapWord
	f.Content.SetMinRowsVisible(4)
	f.Complexity = NewEnumSelect(sh, "complexity", enumValues(data.Complexities), changed)
	f.People = newTextInput(changed)
	f.MassHint = widget.NewLabel(sh.T("concerns.mass_hint", "Count", data.MassThreshold))
	f.MassHint.Importance = widget.WarningImportance
	f.Assignee = newTextInput(changed)
	choosePlaceholder(sh, f.Kind, f.Channel, f.RaiserKind, f.Topic, f.Complexity)
	f.Deadline = widget.NewLabel("")
	f.Deadline.Wrapping = fyne.TextWrapWord
	f.Deadline.TextStyle = fyne.TextStyle{Bold: true}
	f.ScreeningExtended = widget.NewCheck(sh.T(data.FieldScreeningExtended), func(bool) { f.changed() })
	for i := range f.ExtNumber {
		f.ExtNumber[i] = newTextInput(changed)
		f.ExtNumber[i].PlaceHolder = "…/QĐ-…"
		f.ExtDate[i] = newDateInput(sh, f.changed)
		f.ExtDays[i] = newTextInput(changed)
		f.ExtDays[i].PlaceHolder = "≤ 30"
	}
	f.ForwardedOn = newDateInput(sh, f.changed)
	f.ForwardedTo = newTextInput(changed)

	f.raiserBox = container.NewVBox(f.RaiserKind, f.Person, f.Household, f.RaiserText)
	confLabel := widget.NewLabelWithStyle(sh.T("concerns.denouncer_label"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	confLabel.Importance = widget.DangerImportance
	f.confBox = container.NewVBox(confLabel, f.Denouncer, f.DenouncerKept, hintLabel(sh.T("concerns.denouncer_hint")))

	has := func(e interface{ Value() string }) func() bool { return func() bool { return e.Value() != "" } }
	hasText := func(d *DateField) func() bool { return Filled(d.Entry) }
	f.Form.Add("field.concern.kind", f.Kind, has(f.Kind))
	f.Form.Add("field.concern.summary", f.Summary, Filled(f.Summary))
	f.Form.Add("field.concern.village", f.Village, has(f.Village))
	f.Form.Add("concerns.field.channel", f.Channel, nil)
	f.Form.Add("field.concern.received", f.Received, hasText(f.Received))
	f.Form.Add("field.concern.accepted", f.Accepted, nil)
	f.Form.Add("concerns.field.raiser", container.NewVBox(f.raiserBox, f.confBox), nil)
	f.Form.Add("concerns.field.topic", f.Topic, nil)
	f.Form.Add("concerns.field.content", f.Content, nil)
	f.Form.Add("field.concern.complexity", f.Complexity, nil)
	// The tố cáo's screening and extension fields, declared in data/types.go.
	f.extRows = append(f.extRows, f.addRow("", f.ScreeningExtended))
	f.extRows = append(f.extRows, f.addRow("", hintLabel(sh.T("concerns.extension_hint"))))
	pair := func(a, b fyne.CanvasObject) fyne.CanvasObject {
		f.extSecond = append(f.extSecond, b)
		return container.NewGridWithColumns(2, a, b)
	}
	f.extRows = append(f.extRows, f.addRow(data.FieldExtensionNumber, pair(f.ExtNumber[0], f.ExtNumber[1])))
	f.extRows = append(f.extRows, f.addRow(data.FieldExtensionDate, pair(f.ExtDate[0], f.ExtDate[1])))
	f.extRows = append(f.extRows, f.addRow(data.FieldExtensionDays, pair(f.ExtDays[0], f.ExtDays[1])))
	f.extRows = append(f.extRows, f.addRow(data.FieldExtensions, widget.NewLabel("")))
	f.fwdRows = append(f.fwdRows, f.addRow(data.FieldForwardedOn, f.ForwardedOn))
	f.fwdRows = append(f.fwdRows, f.addRow(data.FieldForwardedTo, f.ForwardedTo))
	f.Form.Add("concerns.field.people", container.NewVBox(f.People, f.MassHint), nil)
	f.Form.Add("concerns.field.assignee", f.Assignee, nil)
	f.Form.Add("concerns.field.deadline", f.Deadline, nil)
}

// formRow is a field's row in a form and, for a labelled field, its
// error line: shown or hidden together.
type formRow []fyne.CanvasObject

// addRow adds a labelled field (labelID "" for none) and returns its row.
func (f *ConcernForm) addRow(labelID string, w fyne.CanvasObject) formRow {
	if labelID == "" {
		f.Form.AddRow(w)
		return formRow{w}
	}
	f.Form.Add(labelID, w, nil)
	objs := f.Form.Box.Objects
	return formRow{objs[len(objs)-2], objs[len(objs)-1]}
}

// initial is what the form shows before any draft: the concern given,
// with the defaults of a new one.
func (f *ConcernForm) initial(cadre string) concernDraft {
	c := f.base
	d := concernDraft{
		Kind: string(c.ConcernKind), Channel: c.Channel, Received: c.Received.Display(), Accepted: c.Accepted.Display(),
		Village: c.Village, RaiserKind: c.RaiserKind, RaiserID: c.RaiserID, RaiserText: c.RaiserText,
		Topic: c.Topic, Summary: c.Summary, Content: c.Content, Complexity: string(c.Complexity),
		Assignee: c.Assignee, ScreeningExtended: c.ScreeningExtended,
		ForwardedOn: c.ForwardedOn.Display(), ForwardedTo: c.ForwardedTo,
	}
	for i, e := range c.Extensions {
		if i >= len(d.ExtNumber) {
			break
		}
		d.ExtNumber[i], d.ExtDate[i] = e.Number, e.Date.Display()
		if e.Days > 0 {
			d.ExtDays[i] = strconv.Itoa(e.Days)
		}
	}
	if c.People > 0 {
		d.People = strconv.Itoa(c.People)
	}
	if c.ID == "" {
		d.Channel = orDefault(d.Channel, data.ChannelReception)
		d.Received = orDefault(d.Received, f.sh.Today().Display())
		d.Complexity = orDefault(d.Complexity, string(data.ComplexityNormal))
		d.RaiserKind = orDefault(d.RaiserKind, data.RaiserText)
		d.People = orDefault(d.People, "1")
		d.Assignee = orDefault(d.Assignee, cadre)
	}
	return d
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// fill shows d in the fields.
func (f *ConcernForm) fill(d concernDraft) {
	f.filling = true
	f.Kind.SetValue(d.Kind)
	f.Channel.SetValue(d.Channel)
	f.Received.SetText(d.Received)
	f.Accepted.SetText(d.Accepted)
	f.RaiserKind.SetValue(d.RaiserKind)
	f.raiserID = d.RaiserID
	f.Village.SetValue(d.Village)
	f.RaiserText.SetText(d.RaiserText)
	f.Denouncer.SetText(d.Denouncer)
	f.Topic.SetValue(d.Topic)
	f.Summary.SetText(d.Summary)
	f.Content.SetText(d.Content)
	f.Complexity.SetValue(d.Complexity)
	f.People.SetText(d.People)
	f.Assignee.SetText(d.Assignee)
	f.ScreeningExtended.SetChecked(d.ScreeningExtended)
	for i := range f.ExtNumber {
		f.ExtNumber[i].SetText(d.ExtNumber[i])
		f.ExtDate[i].SetText(d.ExtDate[i])
		f.ExtDays[i].SetText(d.ExtDays[i])
	}
	f.ForwardedOn.SetText(d.ForwardedOn)
	f.ForwardedTo.SetText(d.ForwardedTo)
	f.filling = false
	f.update()
}

// snapshot returns the fields as typed.
func (f *ConcernForm) snapshot() concernDraft {
	return concernDraft{
		Kind: f.Kind.Value(), Channel: f.Channel.Value(), Received: f.Received.Text, Accepted: f.Accepted.Text,
		Village: f.Village.Value(), RaiserKind: f.RaiserKind.Value(), RaiserID: f.raiserID, RaiserText: f.RaiserText.Text,
		Denouncer: f.Denouncer.Text, Topic: f.Topic.Value(), Summary: f.Summary.Text, Content: f.Content.Text,
		Complexity: f.Complexity.Value(), People: f.People.Text, Assignee: f.Assignee.Text,
		ScreeningExtended: f.ScreeningExtended.Checked, ForwardedOn: f.ForwardedOn.Text, ForwardedTo: f.ForwardedTo.Text,
		ExtNumber: [2]string{f.ExtNumber[0].Text, f.ExtNumber[1].Text},
		ExtDate:   [2]string{f.ExtDate[0].Text, f.ExtDate[1].Text},
		ExtDays:   [2]string{f.ExtDays[0].Text, f.ExtDays[1].Text},
	}
}

func (f *ConcernForm) show(title string) {
	f.Cancel = widget.NewButtonWithIcon(f.sh.T("btn.cancel"), theme.CancelIcon(), f.cancel)
	f.Dialog = showFormDialog(f.sh, title, f, f.Form.Box, f.Cancel, f.Form.Save)
	f.sh.Win.Canvas().Focus(f.Summary)
}

// SaveForm saves the form when its Save button is enabled (Ctrl+S).
func (f *ConcernForm) SaveForm() {
	if !f.Form.Save.Disabled() {
		f.save()
	}
}

// changed follows every edit: update the dependent fields, check the
// form and keep the draft.
func (f *ConcernForm) changed() {
	if f.filling {
		return
	}
	f.dirty = true
	f.update()
	f.draft.save(f.snapshot())
}

// update shows the fields that depend on others, the live deadline and
// the inline errors of what is typed so far.
func (f *ConcernForm) update() {
	denunciation := data.ConcernKind(f.Kind.Value()) == data.ConcernDenunciation
	setVisible(f.raiserBox, !denunciation)
	setVisible(f.confBox, denunciation)
	setVisible(f.DenouncerKept, f.base.RaiserKind == data.RaiserConfidential)
	rk := f.RaiserKind.Value()
	setVisible(f.Person, rk == data.RaiserPerson)
	setVisible(f.Household, rk == data.RaiserHousehold)
	setVisible(f.RaiserText, rk == data.RaiserText)
	n, ok := parseCount(f.People.Text)
	setVisible(f.MassHint, ok && n >= data.MassThreshold)
	// Extension fields for a tố cáo; the second decision only when the
	// complexity allows two (or one was typed).
	for _, r := range f.extRows {
		setRowVisible(r, denunciation)
	}
	two := data.ExtensionLimit(data.ConcernDenunciation, data.Complexity(f.Complexity.Value())) >= 2 ||
		f.ExtNumber[1].Text != "" || f.ExtDate[1].Text != "" || f.ExtDays[1].Text != ""
	for _, o := range f.extSecond {
		setVisible(o, two)
	}
	for _, r := range f.fwdRows {
		setRowVisible(r, f.base.Status == data.StatusForwarded || f.ForwardedTo.Text != "")
	}
	f.Deadline.SetText(f.deadlineText())
	c, errs := f.concern()
	liveErrors(f.sh, f.Form, c, errs)
	f.Form.Check()
}

// setRowVisible shows or hides a row addRow returned; its error line is
// hidden with it and shown again only by the form's next errors.
func setRowVisible(r formRow, visible bool) {
	setVisible(r[0], visible)
	if len(r) > 1 && !visible {
		r[1].Hide()
	}
}

// setVisible shows or hides o.
func setVisible(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}

// deadlineText is the deadline that the typed fields give, with its
// basis: before thụ lý the intake deadline, after it the time to resolve
// (data.DeadlineOf, on the store's calendar).
func (f *ConcernForm) deadlineText() string {
	kind := data.ConcernKind(f.Kind.Value())
	if kind == "" {
		return f.sh.T("concerns.deadline_needs_kind")
	}
	c, _ := f.concern()
	if c.Status == data.StatusForwarded {
		return forwardedText(f.sh, c)
	}
	remote := f.villages.remote[f.Village.Value()]
	d := data.DeadlineOf(data.DeadlineInputOf(c, remote, f.petitionDays), f.cal)
	text := deadlineText(f.sh, d, remote, kind, c.Accepted.Valid())
	if text == "" {
		return f.sh.T("concerns.deadline_pending")
	}
	if note, _ := dueText(f.sh, d.Due, c.Status, f.sh.Today()); note != "" {
		text += " (" + note + ")"
	}
	return text
}

// concern returns the concern the fields describe, with the errors of
// fields that do not parse.
func (f *ConcernForm) concern() (*data.Concern, []data.FieldError) {
	c := f.base
	var errs []data.FieldError
	c.ConcernKind = data.ConcernKind(f.Kind.Value())
	c.Channel = f.Channel.Value()
	c.Received, errs = parseDateInput(f.Received, "field.concern.received", errs)
	c.Accepted, errs = parseDateInput(f.Accepted, "field.concern.accepted", errs)
	c.Village = f.Village.Value()
	c.RaiserID, c.RaiserText, c.Denouncer = "", "", ""
	if c.ConcernKind == data.ConcernDenunciation {
		// The identity goes only to the confidential field; an edit that
		// leaves it empty keeps the one stored.
		c.Denouncer = strings.TrimSpace(f.Denouncer.Text)
		if c.Denouncer == "" && f.base.RaiserKind != data.RaiserConfidential {
			c.RaiserKind = data.RaiserAnonymous
		} else {
			c.RaiserKind = data.RaiserConfidential
		}
	} else {
		c.RaiserKind = f.RaiserKind.Value()
		switch c.RaiserKind {
		case data.RaiserPerson:
			c.RaiserID = f.Person.Value()
		case data.RaiserHousehold:
			c.RaiserID = f.Household.Value()
		case data.RaiserText:
			c.RaiserText = strings.TrimSpace(f.RaiserText.Text)
		}
	}
	c.Topic = f.Topic.Value()
	c.Summary = strings.TrimSpace(f.Summary.Text)
	c.Content = strings.TrimSpace(f.Content.Text)
	c.Complexity = data.Complexity(f.Complexity.Value())
	c.People, errs = parseCountInput(f.People, "field.concern.people", errs)
	c.Assignee = strings.TrimSpace(f.Assignee.Text)
	c.ScreeningExtended, c.Extensions = false, nil
	if c.ConcernKind == data.ConcernDenunciation {
		c.ScreeningExtended = f.ScreeningExtended.Checked
		for i := range f.ExtNumber {
			num := strings.TrimSpace(f.ExtNumber[i].Text)
			if num == "" && strings.TrimSpace(f.ExtDate[i].Text) == "" && strings.TrimSpace(f.ExtDays[i].Text) == "" {
				continue
			}
			e := data.Extension{Number: num}
			if i < len(f.base.Extensions) {
				e.ID = f.base.Extensions[i].ID
			}
			if e.ID == "" {
				e.ID = data.NewID()
			}
			e.Date, errs = parseDateInput(f.ExtDate[i], data.FieldExtensionDate, errs)
			e.Days, errs = parseCountInput(f.ExtDays[i], data.FieldExtensionDays, errs)
			c.Extensions = append(c.Extensions, e)
		}
	}
	c.ForwardedOn, errs = parseDateInput(f.ForwardedOn, data.FieldForwardedOn, errs)
	c.ForwardedTo = strings.TrimSpace(f.ForwardedTo.Text)
	return &c, errs
}

// loadRaisers fills the person and household pickers with the chosen
// village's key persons and households.
func (f *ConcernForm) loadRaisers() {
	village := f.Village.Value()
	var persons, households []data.Row
	f.raisers.run(f.sh, func(st *data.Store) {
		if village == "" {
			return
		}
		persons = st.Find(data.Filter{Kind: data.KindPerson, Village: village}, data.ByTitle)
		households = st.Find(data.Filter{Kind: data.KindHousehold, Village: village}, data.ByTitle)
	}, func() {
		ids, labels := rowChoices(persons)
		setChoices(f.Person, "", ids, labels, f.raiserID)
		ids, labels = rowChoices(households)
		setChoices(f.Household, "", ids, labels, f.raiserID)
		f.update()
	})
}

func (f *ConcernForm) save() {
	c, errs := f.concern()
	do := func() {
		saveForm(f.sh, f.Form, c, errs, func() {
			f.draft.drop()
			f.Dialog.Hide()
			if f.onSaved != nil {
				f.onSaved(c)
			}
		})
	}
	// Re-classifying as tố cáo a concern saved with its raiser named
	// (and perhaps synced): say what happens to the name first.
	if len(errs) == 0 && c.ID != "" {
		if prev, err := f.sh.Store().Record(c.ID); err == nil && data.NeedsRaiserWarning(prev, c) {
			dialog.ShowConfirm(f.sh.T("concerns.reclassify_title"), f.sh.T("concerns.reclassify_warning"), func(ok bool) {
				if ok {
					do()
				}
			}, f.sh.Win)
			return
		}
	}
	do()
}

// cancel closes the form and drops its draft, asking first when
// something was typed.
func (f *ConcernForm) cancel() { cancelForm(f.sh, f.dirty, f.Dialog, f.draft) }

// ---- form plumbing shared with the meeting form ----

// choosePlaceholder sets what the drop-downs show before a choice.
func choosePlaceholder(sh *Shell, selects ...*EnumSelect) {
	for _, e := range selects {
		e.PlaceHolder = sh.T("concerns.choose")
		e.Refresh()
	}
}

// newTextInput returns an entry that calls changed on every edit.
func newTextInput(changed func(string)) *widget.Entry {
	e := widget.NewEntry()
	e.OnChanged = changed
	return e
}

// newDateInput returns a date field that calls changed on every edit,
// also while the date is still incomplete (so the draft keeps it).
func newDateInput(sh *Shell, changed func()) *DateField {
	d := NewDateField(sh, nil)
	own := d.OnChanged
	d.OnChanged = func(s string) {
		own(s)
		changed()
	}
	return d
}

// parseDateInput returns the date typed in d, adding an error for field
// to errs when it is not a date.
func parseDateInput(d *DateField, field string, errs []data.FieldError) (data.Date, []data.FieldError) {
	v, ok := d.DateOK()
	if !ok {
		errs = append(errs, data.FieldError{Field: field, Msg: data.MsgInvalid})
	}
	return v, errs
}

// parseCountInput returns the whole number typed in e (0 when empty; with
// or without thousands separators, as parseCount reads it), adding an
// error for field to errs when it is not a whole number of 0 or more.
func parseCountInput(e *widget.Entry, field string, errs []data.FieldError) (int, []data.FieldError) {
	n, ok := parseCount(e.Text)
	if !ok {
		errs = append(errs, data.FieldError{Field: field, Msg: data.MsgInvalid})
	}
	return n, errs
}

// fieldAliases maps the data package's label id of a field to the one a
// form shows, where the catalogue's label does not fit the field.
var fieldAliases = map[string]string{
	"field.concern.people": "concerns.field.people",
}

// aliasErrors returns err with its field ids mapped by fieldAliases.
func aliasErrors(err error) error {
	ve, ok := data.AsValidation(err)
	if !ok {
		return err
	}
	out := &data.ValidationError{Kind: ve.Kind}
	for _, fe := range ve.Fields {
		if a, ok := fieldAliases[fe.Field]; ok {
			fe.Field = a
		}
		if a, ok := fieldAliases[fe.Other]; ok {
			fe.Other = a
		}
		out.Fields = append(out.Fields, fe)
	}
	return out
}

// showFormErrors shows err next to the form's fields, or in a dialog
// when it is not a validation error.
// saveForm shows the errors the form found itself (errs) next to their
// fields, or else saves obj off the UI goroutine with Save disabled, shows
// the store's validation errors likewise, and calls saved once it is stored.
func saveForm(sh *Shell, form *Form, obj data.Object, errs []data.FieldError, saved func()) {
	if len(errs) > 0 {
		showFormErrors(sh, form, &data.ValidationError{Kind: obj.Kind(), Fields: errs})
		return
	}
	form.Save.Disable()
	sh.Go(func() error {
		st := sh.Store()
		if st == nil {
			return errNoStore
		}
		return st.Save(obj)
	}, func(err error) {
		form.Check()
		if err != nil {
			showFormErrors(sh, form, err)
			return
		}
		saved()
	})
}

func showFormErrors(sh *Shell, form *Form, err error) {
	if !form.ShowErrors(aliasErrors(err)) {
		sh.ShowError(err)
	}
}

// liveErrors shows, while the user types, the errors of obj and the parse
// errors errs, except "required" (Save stays disabled for those) and
// fields the form does not show.
func liveErrors(sh *Shell, form *Form, obj data.Object, errs []data.FieldError) {
	all := errs
	if ve, ok := data.AsValidation(data.Validate(obj, nil)); ok {
		all = append(all, ve.Fields...)
	}
	ve, _ := data.AsValidation(aliasErrors(&data.ValidationError{Kind: obj.Kind(), Fields: all}))
	shown := &data.ValidationError{Kind: obj.Kind()}
	for _, fe := range ve.Fields {
		if _, ok := form.errs[fe.Field]; ok && fe.Msg != data.MsgRequired {
			shown.Fields = append(shown.Fields, fe)
		}
	}
	if len(shown.Fields) == 0 {
		form.ShowErrors(nil)
		return
	}
	form.ShowErrors(shown)
}

// showFormDialog shows a form's body in a dialog with the buttons at the
// bottom right (extra ones first). Esc closes it (keeping its draft) and,
// while it is open, Ctrl+S saves it through form.
func showFormDialog(sh *Shell, title string, form Saver, body fyne.CanvasObject, buttons ...fyne.CanvasObject) *dialog.CustomDialog {
	bar := container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, buttons...)...)
	content := container.NewBorder(nil, bar, nil, nil, formScroll(container.NewPadded(body)))
	d := dialog.NewCustomWithoutButtons(title, content, sh.Win)
	size := sh.Win.Canvas().Size()
	d.Resize(fyne.NewSize(min(800, size.Width*0.96), size.Height*0.94))
	d.SetOnClosed(func() { sh.ClearActiveForm(form) })
	sh.ShowDialog(d)
	sh.SetActiveForm(form)
	return d
}

// cancelForm closes a form's dialog and drops its draft, asking first
// when the user typed something.
func cancelForm(sh *Shell, dirty bool, d dialog.Dialog, draft *draftWriter) {
	if !dirty {
		draft.drop()
		d.Hide()
		return
	}
	dialog.ShowConfirm(sh.T("confirm.title"), sh.T("confirm.discard"), func(ok bool) {
		if ok {
			draft.drop()
			d.Hide()
		}
	}, sh.Win)
}

// offerDraft asks whether to restore the draft key kept from an earlier,
// unsaved form, naming it as the dashboard does (kind, first words, when:
// issue 15 found an offer that did not say which draft it was); a draft the user chose on the dashboard ("Mở" on "Bản
// nháp chưa lưu") is restored without asking, and nil is returned.
func offerDraft(sh *Shell, key string, restore, discard func()) *dialog.ConfirmDialog {
	if sh.takeRestore(key) {
		restore()
		return nil
	}
	question := sh.T("concerns.draft_question")
	if label := sh.draftLabel(key); label != "" {
		question = sh.T("concerns.draft_question_named", "Draft", label)
	}
	d := dialog.NewConfirm(sh.T("concerns.draft_title"), question, func(ok bool) {
		if ok {
			restore()
		} else {
			discard()
		}
	}, sh.Win)
	d.SetConfirmText(sh.T("concerns.draft_restore"))
	d.SetDismissText(sh.T("concerns.draft_discard"))
	d.Show()
	return d
}

// draftWriter keeps a form's draft in the store off the UI goroutine.
// Writes happen in order and only the newest snapshot is written, so a
// Drop is never overtaken by an older Save.
type draftWriter struct {
	sh   *Shell
	d    *Draft
	mu   sync.Mutex
	busy bool
	next func()
}

func newDraftWriter(sh *Shell, key string) *draftWriter {
	return &draftWriter{sh: sh, d: NewDraft(sh, key)}
}

// save keeps v (a snapshot the caller no longer changes) as the draft.
func (w *draftWriter) save(v any) { w.queue(func() { w.d.Save(v) }) }

// drop forgets the draft.
func (w *draftWriter) drop() { w.queue(w.d.Drop) }

func (w *draftWriter) queue(op func()) {
	w.mu.Lock()
	w.next = op
	if w.busy {
		w.mu.Unlock()
		return
	}
	w.busy = true
	w.mu.Unlock()
	w.sh.Go(func() error {
		for {
			w.mu.Lock()
			op := w.next
			w.next = nil
			if op == nil {
				w.busy = false
				w.mu.Unlock()
				return nil
			}
			w.mu.Unlock()
			op()
		}
	}, nil)
}
