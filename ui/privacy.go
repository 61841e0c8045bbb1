package ui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// PrivacyPanel is Settings' "Dữ liệu cá nhân" part: the record of
// processing (data.ProcessingRecord: what personal data is kept, why, who
// sees it, where it goes) and the breach log, each breach with its
// 72-hour notice (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Nghị định
// 356/2025/NĐ-CP).
type PrivacyPanel struct {
	sh *Shell
	// Breaches lists the log; Add opens the form of a new breach.
	Breaches *fyne.Container
	Add      *widget.Button
	// Form is the breach form open, or nil.
	Form    *BreachForm
	Content fyne.CanvasObject
	log     []data.Breach
}

func newPrivacyPanel(sh *Shell) *PrivacyPanel {
	p := &PrivacyPanel{sh: sh, Breaches: container.NewVBox()}
	p.Add = widget.NewButtonWithIcon(sh.T("privacy.add_breach"), theme.WarningIcon(), func() { p.Form = p.openForm(data.Breach{}) })
	record := container.NewVBox()
	for _, r := range data.ProcessingRecord {
		what := sh.T(r.Data)
		if r.Sensitive {
			what += " · " + sh.T("privacy.sensitive")
		}
		title := widget.NewLabelWithStyle(what, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		record.Add(title)
		record.Add(wrapLabel(sh.T("privacy.purpose") + ": " + sh.T(r.Purpose) + "\n" + sh.T("privacy.who") + ": " + sh.T(r.Who) + "\n" + sh.T("privacy.where") + ": " + sh.T(r.Where)))
	}
	p.Content = container.NewVBox(
		hintLabel(sh.T("privacy.intro")),
		record,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(sh.T("privacy.breaches"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		hintLabel(sh.T("privacy.breach_hint")),
		p.Breaches,
		container.NewHBox(p.Add))
	return p
}

// Refresh reloads the breach log.
func (p *PrivacyPanel) Refresh() {
	st := p.sh.Store()
	if st == nil {
		return
	}
	var log []data.Breach
	p.sh.Go(func() error {
		var err error
		log, err = st.Breaches()
		return err
	}, func(err error) {
		if err != nil {
			p.sh.ShowError(err)
			return
		}
		p.log = log
		p.show()
	})
}

// show lists the log: each breach, when it was found, and its notice.
func (p *PrivacyPanel) show() {
	sh := p.sh
	p.Breaches.RemoveAll()
	if len(p.log) == 0 {
		p.Breaches.Add(widget.NewLabel(sh.T("privacy.no_breach")))
	}
	now := time.Now()
	for _, b := range p.log {
		b := b
		line := widget.NewLabel(p.breachLine(&b, now))
		line.Wrapping = fyne.TextWrapWord
		if b.Notified.IsZero() {
			line.Importance = widget.DangerImportance
		}
		edit := widget.NewButtonWithIcon(sh.T("btn.edit"), theme.DocumentCreateIcon(), func() { p.Form = p.openForm(b) })
		p.Breaches.Add(container.NewBorder(nil, nil, nil, edit, line))
	}
	p.Breaches.Refresh()
}

// breachLine is a breach as the log shows it.
func (p *PrivacyPanel) breachLine(b *data.Breach, now time.Time) string {
	sh := p.sh
	at := func(t time.Time) string { return t.In(data.Vietnam).Format("15:04 02/01/2006") }
	s := sh.T("privacy.found_at", "Time", at(b.Discovered)) + " · " + b.What
	switch {
	case !b.Notified.IsZero() && b.Late(now):
		s += "\n" + sh.T("privacy.notified_late", "Time", at(b.Notified), "Due", at(b.Due()))
	case !b.Notified.IsZero():
		s += "\n" + sh.T("privacy.notified", "Time", at(b.Notified))
	case b.Late(now):
		s += "\n" + sh.T("privacy.overdue", "Due", at(b.Due()))
	default:
		left := b.Due().Sub(now)
		s += "\n" + sh.T("privacy.due", "Due", at(b.Due()), "Hours", strconv.Itoa(int(left.Hours())))
	}
	return s
}

// BreachForm is the dialog of a breach: when it was found, what happened,
// the data and persons concerned, when and to whom it was notified, and
// what was done.
type BreachForm struct {
	Form                       *Form
	FoundDay, NotifiedDay      *DateField
	FoundTime, NotifiedTime    *widget.Entry
	What, Affected, To, Action *widget.Entry
	People                     *widget.Entry
	Dialog                     *dialog.CustomDialog
	b                          data.Breach
}

// openForm shows the breach form for b (a new one when b.ID is "").
func (p *PrivacyPanel) openForm(b data.Breach) *BreachForm {
	sh := p.sh
	f := &BreachForm{b: b}
	f.Form = NewForm(sh, func() { p.save(f) })
	f.FoundDay, f.NotifiedDay = NewDateField(sh, nil), NewDateField(sh, nil)
	f.FoundTime, f.NotifiedTime = widget.NewEntry(), widget.NewEntry()
	f.FoundTime.SetPlaceHolder("08:30")
	f.NotifiedTime.SetPlaceHolder("08:30")
	f.What, f.Action = widget.NewMultiLineEntry(), widget.NewMultiLineEntry()
	f.Affected, f.To, f.People = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.To.SetPlaceHolder(sh.T("privacy.to_placeholder"))
	if b.Discovered.IsZero() {
		now := time.Now().In(data.Vietnam)
		f.FoundDay.SetDate(data.DateOf(now))
		f.FoundTime.SetText(now.Format("15:04"))
	} else {
		d := b.Discovered.In(data.Vietnam)
		f.FoundDay.SetDate(data.DateOf(d))
		f.FoundTime.SetText(d.Format("15:04"))
	}
	if !b.Notified.IsZero() {
		d := b.Notified.In(data.Vietnam)
		f.NotifiedDay.SetDate(data.DateOf(d))
		f.NotifiedTime.SetText(d.Format("15:04"))
	}
	f.What.SetText(b.What)
	f.Affected.SetText(b.Affected)
	if b.People > 0 {
		f.People.SetText(strconv.Itoa(b.People))
	}
	f.To.SetText(b.To)
	f.Action.SetText(b.Actions)
	fm := f.Form
	fm.Add("privacy.field.discovered", container.NewGridWithColumns(2, f.FoundDay, f.FoundTime), nil)
	fm.Add("privacy.field.what", f.What, Filled(f.What))
	fm.Add("privacy.field.affected", f.Affected, nil)
	fm.Add("privacy.field.people", f.People, nil)
	fm.Add("privacy.field.notified", container.NewGridWithColumns(2, f.NotifiedDay, f.NotifiedTime), nil)
	fm.Add("privacy.field.to", f.To, nil)
	fm.Add("privacy.field.actions", f.Action, nil)
	f.What.OnChanged = func(string) { fm.Check() }
	fm.Check()
	cancel := widget.NewButtonWithIcon(sh.T("btn.cancel"), theme.CancelIcon(), func() { f.Dialog.Hide() })
	body := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), cancel, fm.Save), nil, nil, formScroll(container.NewPadded(fm.Box)))
	f.Dialog = dialog.NewCustomWithoutButtons(sh.T("privacy.breach_title"), body, sh.Win)
	size := sh.Win.Canvas().Size()
	f.Dialog.Resize(fyne.NewSize(min(760, size.Width*0.96), min(620, size.Height*0.94)))
	sh.ShowDialog(f.Dialog)
	return f
}

// when reads a day and an "HH:MM" time as a time in Vietnam; a missing
// time is the start of the day.
func when(day *DateField, clock *widget.Entry, labelID string, bad *fieldErrors) time.Time {
	if strings.TrimSpace(day.Text) == "" {
		return time.Time{}
	}
	d := bad.date(labelID, day)
	if !d.Valid() {
		return time.Time{}
	}
	t := d.Time()
	if c := strings.TrimSpace(clock.Text); c != "" {
		hm, err := time.Parse("15:04", strings.ReplaceAll(c, "h", ":"))
		if err != nil {
			*bad = append(*bad, data.FieldError{Field: labelID, Msg: data.MsgInvalid})
			return time.Time{}
		}
		t = t.Add(time.Duration(hm.Hour())*time.Hour + time.Duration(hm.Minute())*time.Minute)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, data.Vietnam)
}

// save stores the breach of f and lists the log again.
func (p *PrivacyPanel) save(f *BreachForm) {
	st := p.sh.Store()
	if st == nil {
		return
	}
	var bad fieldErrors
	b := f.b
	b.Discovered = when(f.FoundDay, f.FoundTime, "privacy.field.discovered", &bad)
	b.Notified = when(f.NotifiedDay, f.NotifiedTime, "privacy.field.notified", &bad)
	b.What, b.Affected, b.To, b.Actions = f.What.Text, f.Affected.Text, f.To.Text, f.Action.Text
	b.People = bad.count("privacy.field.people", f.People.Text)
	if len(bad) > 0 {
		f.Form.ShowErrors(&data.ValidationError{Kind: "breach", Fields: bad})
		return
	}
	p.sh.Go(func() error { return st.SaveBreach(b) }, func(err error) {
		if !f.Form.ShowErrors(err) {
			p.sh.ShowError(err)
			return
		}
		if err == nil {
			f.Dialog.Hide()
			p.Refresh()
		}
	})
}
