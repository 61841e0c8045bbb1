package ui

import (
	"errors"
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

// This file holds the "Ý kiến – Kiến nghị" screen: the filtered,
// searchable list of concerns and a concern's detail (status history,
// legal deadline, status change, the denouncer's hidden identity), and
// the list helpers the meetings screen shares.

func init() {
	RegisterScreen(ScreenDef{ID: "concerns", TitleID: "screen.concerns", Order: 10, Icon: ThemeIcon(theme.IconNameMailCompose),
		Make: func(sh *Shell) Screen { return NewConcernsScreen(sh) }})
}

// ConcernsScreen lists the commune's concerns with filters and a search
// box that filters as the user types, and shows one concern's detail in
// place of the list.
type ConcernsScreen struct {
	sh *Shell
	// The list with its village filter, count and empty message.
	*recordList

	// The other filters.
	Kind, Status, Topic *EnumSelect
	From, To            *DateField
	Overdue             *widget.Check
	Search              *widget.Entry
	ClearFilters, Add   *widget.Button

	// Detail is the concern shown in place of the list, or nil.
	Detail *ConcernDetail

	detail latest
	pages  *pages
}

// NewConcernsScreen builds the concerns screen and starts loading its list.
func NewConcernsScreen(sh *Shell) *ConcernsScreen {
	s := &ConcernsScreen{sh: sh}
	reload := func(string) { s.reload() }
	s.recordList = newRecordList(sh, reload, s.updateItem, s.Open)
	// The most urgent first: most days overdue, then the nearest deadline.
	s.order = data.ByUrgency
	s.Kind = enumChoice(sh, "concern_kind", sh.T("concerns.all_kinds"), enumValues(data.ConcernKinds), reload)
	s.Status = enumChoice(sh, "status", sh.T("concerns.all_statuses"), enumValues(data.Statuses), reload)
	s.Topic = enumChoice(sh, "topic", sh.T("concerns.all_topics"), data.Topics, reload)
	s.From = NewDateField(sh, func(data.Date) { s.reload() })
	s.From.PlaceHolder = sh.T("concerns.from_placeholder")
	s.To = NewDateField(sh, func(data.Date) { s.reload() })
	s.To.PlaceHolder = sh.T("concerns.to_placeholder")
	s.Overdue = widget.NewCheck(sh.T("concerns.overdue_only"), func(bool) { s.reload() })
	s.Search = widget.NewEntry()
	s.Search.PlaceHolder = sh.T("concerns.search_placeholder")
	s.Search.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.Search.OnChanged = reload
	s.ClearFilters = widget.NewButtonWithIcon(sh.T("btn.clear_filters"), theme.ContentClearIcon(), s.clearFilters)
	s.Add = widget.NewButtonWithIcon(sh.T("concerns.new"), theme.ContentAddIcon(), s.New)
	s.Add.Importance = widget.HighImportance
	top := container.NewVBox(heading(sh.T("screen.concerns")),
		container.NewBorder(nil, nil, nil, container.NewHBox(s.ClearFilters, s.Add), s.Search),
		container.NewGridWithColumns(4, s.Village, s.Kind, s.Status, s.Topic),
		container.NewBorder(nil, nil, nil, container.NewHBox(s.Overdue, s.Count),
			container.NewGridWithColumns(2, s.From, s.To)),
	)
	s.pages = newPages(container.NewBorder(top, nil, nil, nil, s.body))
	s.reload()
	return s
}

// Content returns the screen's widget tree.
func (s *ConcernsScreen) Content() fyne.CanvasObject { return s.pages.Container }

// Refresh reloads the villages, the list and the concern shown, if any.
func (s *ConcernsScreen) Refresh() {
	s.stale = true
	s.reload()
	if s.Detail != nil && s.pages.showing(s.Detail.Content) {
		s.Open(s.Detail.Concern.ID)
	}
}

// New opens an empty concern form (Ctrl+N).
func (s *ConcernsScreen) New() {
	OpenConcernForm(s.sh, nil, func(*data.Concern) { s.reload() })
}

// FocusSearch shows the list and puts the cursor in the search box (Ctrl+F).
func (s *ConcernsScreen) FocusSearch() {
	s.back()
	if c := s.sh.Win.Canvas(); c != nil {
		c.Focus(s.Search)
	}
}

// Filter returns the filter the list shows.
func (s *ConcernsScreen) Filter() data.Filter {
	return data.Filter{
		Kind: data.KindConcern, Village: s.Village.Value(), Sub: s.Kind.Value(), Status: s.Status.Value(),
		Topic: s.Topic.Value(), From: s.From.Date(), To: s.To.Date(), Overdue: s.Overdue.Checked, Query: s.Search.Text,
		Today: s.sh.Today(),
	}
}

func (s *ConcernsScreen) clearFilters() {
	for _, e := range []*EnumSelect{s.Kind, s.Status, s.Topic} {
		selectQuietly(e, "")
	}
	s.Village.SetValue("")
	s.From.SetText("")
	s.To.SetText("")
	s.Overdue.Checked = false
	s.Overdue.Refresh()
	s.Search.SetText("")
	s.reload()
}

// reload shows the concerns the filters select.
func (s *ConcernsScreen) reload() { s.load(s.Filter()) }

func (s *ConcernsScreen) updateItem(r *data.Row, it *listItem) {
	meta := joinParts(r.Date.Display(), s.sh.EnumText("concern_kind", r.Sub), s.villages[r.Village],
		s.sh.EnumText("status", r.Status))
	meta = withMatch(s.sh, meta, r, s.Search.Text)
	note, imp := dueText(s.sh, r.Deadline, data.ConcernStatus(r.Status), s.sh.Today())
	if data.ConcernStatus(r.Status) == data.StatusForwarded {
		note, imp = s.sh.T("deadline.forwarded"), widget.MediumImportance
	}
	it.set(r.Title, meta, note, imp)
}

// withMatch adds to a search result's meta line why it matched, when the
// query is not in its title (say, in the content or the raiser's name).
func withMatch(sh *Shell, meta string, r *data.Row, query string) string {
	if m := data.MatchSnippet(r.Title, r.Fold, query, 48); m != "" {
		return joinParts(meta, sh.T("search.matched", "Text", m))
	}
	return meta
}

// Open shows the detail of the concern with id.
func (s *ConcernsScreen) Open(id string) {
	s.sh.seen(id)
	var v *concernView
	s.detail.run(s.sh, func(st *data.Store) {
		v = loadConcernView(st, id)
	}, func() {
		if v.err != nil {
			s.sh.ShowError(v.err)
			return
		}
		if v.c.Deleted { // moved to the trash meanwhile
			s.Detail = nil
			s.back()
			return
		}
		s.Detail = newConcernDetail(s, v)
		s.pages.show(s.Detail.Content)
	})
}

// back shows the list again.
func (s *ConcernsScreen) back() { s.pages.back() }

// concernView is a concern with what its detail shows about it, loaded
// off the UI goroutine.
type concernView struct {
	c       data.Concern
	village string
	raiser  string    // name of the linked person or household
	source  *data.Row // the meeting or visit where it was raised
	viewer  string    // the cadre using the app
	// deadline is the concern's deadline with its basis, computed now;
	// remote is its village's flag.
	deadline data.Deadline
	remote   bool
	err      error
}

func loadConcernView(st *data.Store, id string) *concernView {
	v := &concernView{}
	if v.err = st.Load(id, &v.c); v.err != nil {
		return v
	}
	if r, ok := st.Row(v.c.Village); ok {
		v.village = r.Title
	}
	if v.c.RaiserID != "" {
		if r, ok := st.Row(v.c.RaiserID); ok {
			v.raiser = r.Title
		}
	}
	for _, src := range []string{v.c.MeetingID, v.c.VisitID} {
		if r, ok := st.Row(src); ok && src != "" {
			v.source = &r
			break
		}
	}
	p, _ := st.Profile()
	v.viewer = p.Name
	v.deadline = st.DeadlineFor(&v.c)
	if r, ok := st.Row(v.c.Village); ok {
		v.remote = r.Remote
	}
	return v
}

// ConcernDetail shows one concern: every field, the legal deadline, the
// status history and the actions on it.
type ConcernDetail struct {
	sh     *Shell
	screen *ConcernsScreen

	// Concern is the concern shown. For a tố cáo its Denouncer is empty:
	// the identity is read only through ShowIdentity.
	Concern *data.Concern
	Content fyne.CanvasObject

	Back, ChangeStatus, Edit, Delete *widget.Button
	// Deadline says the legal deadline and the days left or overdue.
	Deadline *widget.Label
	// Identity and ShowIdentity are set for a tố cáo with a confidential
	// denouncer: the label hides the identity until the button is tapped.
	Identity                   *widget.Label
	ShowIdentity, HideIdentity *widget.Button
	// Source links to the meeting or visit where the concern was raised.
	Source *widget.Hyperlink
	// History lists the status changes, oldest first.
	History *fyne.Container
	// StatusDialog is the last "Đổi trạng thái" dialog opened.
	StatusDialog *StatusDialog
}

func newConcernDetail(s *ConcernsScreen, v *concernView) *ConcernDetail {
	sh := s.sh
	c := v.c
	d := &ConcernDetail{sh: sh, screen: s, Concern: &c}
	d.Back = widget.NewButtonWithIcon(sh.T("btn.back"), theme.NavigateBackIcon(), s.back)
	d.ChangeStatus = widget.NewButtonWithIcon(sh.T("concerns.change_status"), theme.MediaSkipNextIcon(), d.openStatusDialog)
	d.ChangeStatus.Importance = widget.HighImportance
	d.Edit = widget.NewButtonWithIcon(sh.T("btn.edit"), theme.DocumentCreateIcon(), d.edit)
	d.Delete = deleteButton(sh, d.delete)

	title := heading(c.Summary)
	title.Wrapping = fyne.TextWrapWord
	note, imp := dueText(sh, c.Deadline, c.Status, sh.Today())
	deadline := deadlineText(sh, v.deadline, v.remote, c.ConcernKind, c.Accepted.Valid())
	switch {
	case c.Status == data.StatusForwarded:
		deadline = forwardedText(sh, &c)
		imp = widget.MediumImportance
	case deadline == "":
		deadline = sh.T("concerns.deadline_pending")
	case note != "":
		deadline += " — " + note
	}
	d.Deadline = widget.NewLabel(deadline)
	d.Deadline.Importance = imp
	d.Deadline.Wrapping = fyne.TextWrapWord

	people := ""
	if c.People > 0 {
		people = formatCount(c.People)
		if c.Mass() {
			people += " — " + sh.T("concerns.mass")
		}
	}
	var source fyne.CanvasObject
	if v.source != nil {
		d.Source = newLink(sourceText(sh, v.source), func() { d.openSource(v.source) })
		source = d.Source
	}
	fields := infoRows(
		textRow(sh.T("field.concern.kind"), sh.EnumText("concern_kind", string(c.ConcernKind))),
		textRow(sh.T("field.concern.status"), sh.EnumText("status", string(c.Status))),
		infoRow{sh.T("concerns.field.deadline"), d.Deadline},
		textRow(sh.T("concerns.field.channel"), sh.EnumText("channel", c.Channel)),
		textRow(sh.T("field.concern.received"), c.Received.Display()),
		textRow(sh.T(data.FieldAccepted), c.Accepted.Display()),
		optionalRow(sh.T(data.FieldExtensions), extensionsText(sh, c.Extensions)),
		optionalRow(sh.T(data.FieldForwardedOn), c.ForwardedOn.Display()),
		optionalRow(sh.T(data.FieldForwardedTo), c.ForwardedTo),
		textRow(sh.T("field.concern.village"), v.village),
		infoRow{sh.T("concerns.field.raiser"), d.raiserView(v)},
		textRow(sh.T("concerns.field.topic"), sh.EnumText("topic", c.Topic)),
		textRow(sh.T("field.concern.complexity"), sh.EnumText("complexity", string(c.Complexity))),
		textRow(sh.T("concerns.field.people"), people),
		textRow(sh.T("concerns.field.assignee"), c.Assignee),
		infoRow{sh.T("concerns.field.source"), source},
		textRow(sh.T("concerns.field.content"), c.Content),
	)
	d.History = container.NewVBox()
	for _, h := range c.History {
		d.History.Add(historyEntry(sh, h))
	}
	if len(c.History) == 0 {
		d.History.Add(hintLabel(sh.T("status.empty")))
	}
	body := container.NewVBox(title, fields, widget.NewSeparator(), heading(sh.T("concerns.history")), d.History)
	bar := container.NewHBox(d.Back, layout.NewSpacer(), d.ChangeStatus, d.Edit, d.Delete)
	d.Content = container.NewBorder(bar, nil, nil, nil, formScroll(body))
	return d
}

// raiserView shows who raised the concern; a tố cáo's denouncer stays
// hidden behind an explicit, audited action.
func (d *ConcernDetail) raiserView(v *concernView) fyne.CanvasObject {
	sh, c := d.sh, &v.c
	switch c.RaiserKind {
	case data.RaiserConfidential:
		d.Identity = widget.NewLabel(sh.T("concerns.identity_hidden"))
		d.Identity.TextStyle = fyne.TextStyle{Italic: true}
		d.ShowIdentity = widget.NewButtonWithIcon(sh.T("concerns.identity_show"), theme.VisibilityIcon(), func() { d.revealIdentity(v.viewer) })
		d.HideIdentity = widget.NewButtonWithIcon(sh.T("concerns.identity_hide"), theme.VisibilityOffIcon(), d.hideIdentity)
		d.HideIdentity.Hide()
		return container.NewVBox(d.Identity, container.NewHBox(d.ShowIdentity, d.HideIdentity))
	case data.RaiserPerson, data.RaiserHousehold:
		return textRow("", joinParts(v.raiser, sh.EnumText("raiser", c.RaiserKind))).value
	case data.RaiserText:
		return textRow("", c.RaiserText).value
	}
	return textRow("", sh.EnumText("raiser", c.RaiserKind)).value
}

// revealIdentity reads the denouncer's identity for viewer (audited by
// the store); only the cadre holding the case may see it.
func (d *ConcernDetail) revealIdentity(viewer string) {
	var name string
	id := d.Concern.ID
	d.sh.Go(func() error {
		st := d.sh.Store()
		if st == nil {
			return errNoStore
		}
		var err error
		name, err = st.Denouncer(id, viewer)
		return err
	}, func(err error) {
		if errors.Is(err, data.ErrNotPermitted) {
			holder := d.Concern.Assignee
			if holder == "" {
				holder = d.sh.T("concerns.identity_holder")
			}
			dialog.ShowInformation(d.sh.T("concerns.identity_title"),
				d.sh.T("concerns.identity_not_permitted", "Holder", holder), d.sh.Win)
			return
		}
		if err != nil {
			d.sh.ShowError(err)
			return
		}
		if strings.TrimSpace(name) == "" {
			name = d.sh.T("concerns.identity_empty")
		}
		d.Identity.TextStyle = fyne.TextStyle{Bold: true}
		d.Identity.Importance = widget.DangerImportance
		d.Identity.SetText(name)
		d.ShowIdentity.Hide()
		d.HideIdentity.Show()
	})
}

func (d *ConcernDetail) hideIdentity() {
	d.Identity.TextStyle = fyne.TextStyle{Italic: true}
	d.Identity.Importance = widget.MediumImportance
	d.Identity.SetText(d.sh.T("concerns.identity_hidden"))
	d.HideIdentity.Hide()
	d.ShowIdentity.Show()
}

// openSource shows the meeting or visit where the concern was raised.
func (d *ConcernDetail) openSource(r *data.Row) {
	screen := "meetings"
	if r.Kind == data.KindVisit {
		screen = "visits"
	}
	d.sh.OpenRecord(screen, r.ID)
}

func (d *ConcernDetail) edit() {
	c := *d.Concern
	OpenConcernForm(d.sh, &c, func(saved *data.Concern) {
		d.screen.reload()
		d.screen.Open(saved.ID)
	})
}

func (d *ConcernDetail) delete() {
	deleteRecord(d.sh, d.Concern.ID, d.Concern.Summary, func() {
		d.screen.Detail = nil
		d.screen.back()
		d.screen.reload()
	})
}

// StatusDialog is the "Đổi trạng thái" dialog: a new status and a
// required note saying why. Moving to "đang xử lý" asks for the thụ lý
// date (today by default), from which the time to resolve counts;
// moving to "đã chuyển" asks for the date forwarded and the body.
type StatusDialog struct {
	Form   *Form
	Status *EnumSelect
	Note   *widget.Entry
	// Accepted is the thụ lý date, shown for "đang xử lý".
	Accepted *DateField
	// ForwardedOn and ForwardedTo are shown for "đã chuyển".
	ForwardedOn *DateField
	ForwardedTo *widget.Entry
	Cancel      *widget.Button
	Dialog      *dialog.CustomDialog
	save        func()

	acceptedBox, forwardBox *fyne.Container
}

func (d *ConcernDetail) openStatusDialog() {
	sh := d.sh
	sd := &StatusDialog{}
	var next []string
	for _, st := range data.Statuses {
		if st != d.Concern.Status {
			next = append(next, string(st))
		}
	}
	sd.Form = NewForm(sh, func() { d.saveStatus(sd) })
	sd.Status = NewEnumSelect(sh, "status", next, func(string) { sd.update() })
	choosePlaceholder(sh, sd.Status)
	sd.Note = widget.NewMultiLineEntry()
	sd.Note.Wrapping = fyne.TextWrapWord
	sd.Note.SetMinRowsVisible(3)
	sd.Note.OnChanged = func(string) { sd.Form.Check() }
	check := func(data.Date) { sd.Form.Check() }
	sd.Accepted = NewDateField(sh, check)
	sd.Accepted.SetText(orDefault(d.Concern.Accepted.Display(), sh.Today().Display()))
	sd.ForwardedOn = NewDateField(sh, check)
	sd.ForwardedOn.SetText(orDefault(d.Concern.ForwardedOn.Display(), sh.Today().Display()))
	sd.ForwardedTo = widget.NewEntry()
	sd.ForwardedTo.SetText(d.Concern.ForwardedTo)
	sd.ForwardedTo.OnChanged = func(string) { sd.Form.Check() }
	sd.Form.AddRow(widget.NewLabel(sh.T("concerns.status_now", "Status", sh.EnumText("status", string(d.Concern.Status)))))
	sd.Form.Add("field.concern.status", sd.Status, func() bool { return sd.Status.Value() != "" })
	sd.acceptedBox = container.NewVBox()
	sub := &Form{sh: sh, Box: sd.acceptedBox, errs: sd.Form.errs, labels: sd.Form.labels}
	sub.Add(data.FieldAccepted, sd.Accepted, nil)
	sub.AddRow(hintLabel(sh.T("concerns.status_accepted_hint")))
	sd.forwardBox = container.NewVBox()
	sub.Box = sd.forwardBox
	sub.Add(data.FieldForwardedOn, sd.ForwardedOn, nil)
	sub.Add(data.FieldForwardedTo, sd.ForwardedTo, nil)
	sd.Form.AddRow(sd.acceptedBox)
	sd.Form.AddRow(sd.forwardBox)
	sd.Form.Add("field.concern.status_note", sd.Note, Filled(sd.Note))
	sd.update()
	sd.Cancel = widget.NewButtonWithIcon(sh.T("btn.cancel"), theme.CancelIcon(), func() { sd.Dialog.Hide() })
	sd.save = func() { d.saveStatus(sd) }
	sd.Dialog = showFormDialog(sh, sh.T("concerns.change_status"), sd, sd.Form.Box, sd.Cancel, sd.Form.Save)
	sd.Dialog.Resize(fyne.NewSize(560, 480))
	d.StatusDialog = sd
	sh.Win.Canvas().Focus(sd.Note)
}

// update shows the detail fields of the chosen status and checks the form.
func (sd *StatusDialog) update() {
	st := data.ConcernStatus(sd.Status.Value())
	setVisible(sd.acceptedBox, st == data.StatusHandling)
	setVisible(sd.forwardBox, st == data.StatusForwarded)
	sd.Form.Check()
}

// details returns what the chosen status records besides the note, with
// the errors of dates that do not parse. A missing detail is refused by
// the store (Store.ChangeStatusWith), naming its field.
func (sd *StatusDialog) details() (data.StatusDetails, []data.FieldError) {
	var d data.StatusDetails
	var errs []data.FieldError
	switch data.ConcernStatus(sd.Status.Value()) {
	case data.StatusHandling:
		d.Accepted, errs = parseDateInput(sd.Accepted, data.FieldAccepted, errs)
	case data.StatusForwarded:
		d.ForwardedOn, errs = parseDateInput(sd.ForwardedOn, data.FieldForwardedOn, errs)
		d.ForwardedTo = strings.TrimSpace(sd.ForwardedTo.Text)
	}
	return d, errs
}

// SaveForm changes the status when the dialog's Save is enabled (Ctrl+S).
func (sd *StatusDialog) SaveForm() {
	if !sd.Form.Save.Disabled() {
		sd.save()
	}
}

func (d *ConcernDetail) saveStatus(sd *StatusDialog) {
	id, to, note := d.Concern.ID, data.ConcernStatus(sd.Status.Value()), strings.TrimSpace(sd.Note.Text)
	details, errs := sd.details()
	if len(errs) > 0 {
		sd.Form.ShowErrors(&data.ValidationError{Kind: data.KindConcern, Fields: errs})
		return
	}
	sd.Form.Save.Disable()
	d.sh.Go(func() error {
		st := d.sh.Store()
		if st == nil {
			return errNoStore
		}
		return st.ChangeStatusWith(id, to, note, details)
	}, func(err error) {
		sd.Form.Check()
		if err != nil {
			if !sd.Form.ShowErrors(err) {
				d.sh.ShowError(err)
			}
			return
		}
		sd.Dialog.Hide()
		d.screen.reload()
		d.screen.Open(id)
	})
}

// historyEntry shows one status change: when, who, from → to, and why.
func historyEntry(sh *Shell, h data.StatusChange) fyne.CanvasObject {
	change := sh.EnumText("status", string(h.To))
	if h.From != "" {
		change = sh.EnumText("status", string(h.From)) + " → " + change
	}
	who := h.By
	if who == "" {
		who = sh.T("concerns.unknown_cadre")
	}
	line := widget.NewLabel(h.At.In(data.Vietnam).Format("02/01/2006 15:04") + " · " + who + ": " + change)
	line.Wrapping = fyne.TextWrapWord
	if h.Note == "" {
		return line
	}
	return container.NewVBox(line, quoteLabel(h.Note))
}

// quoteLabel shows what someone said or wrote: a note, a dissent.
func quoteLabel(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle("“"+text+"”", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	l.Wrapping = fyne.TextWrapWord
	return container.NewPadded(l)
}

// dueText says how many days are left until a concern's deadline, or how
// many it is overdue (with DangerImportance: shown red). It is empty when
// there is no deadline or the concern is resolved.
func dueText(sh *Shell, deadline data.Date, status data.ConcernStatus, today data.Date) (string, widget.Importance) {
	if deadline == "" || !status.Clocked() {
		return "", widget.MediumImportance
	}
	switch days := data.DaysBetween(today, deadline); {
	case days < 0:
		return sh.T("concerns.days_overdue", "Count", -days), widget.DangerImportance
	case days == 0:
		return sh.T("concerns.due_today"), widget.WarningImportance
	case days <= 3:
		return sh.T("concerns.days_left", "Count", days), widget.WarningImportance
	default:
		return sh.T("concerns.days_left", "Count", days), widget.MediumImportance
	}
}

// deadlineText says a deadline, the rule that set it and how it was
// counted: an intake deadline before thụ lý, the law's period or the
// commune's own rule ("quy định của xã", never presented as law), a tố
// cáo's extensions, and a last day moved off a day off (BLDS 2015 Đ.148).
// accepted says the concern has its thụ lý date. It is "" when there is
// no deadline.
func deadlineText(sh *Shell, d data.Deadline, remote bool, kind data.ConcernKind, accepted bool) string {
	if d.Due == "" {
		return ""
	}
	var text string
	switch d.Basis {
	case data.BasisLaw:
		text = sh.T("deadline.basis.luat", "Date", d.Due.Display(), "Count", d.Days, "Law", sh.T("deadline.law."+string(kind)))
	case data.BasisCommune:
		from := sh.T("deadline.from_received")
		if accepted {
			from = sh.T("deadline.from_accepted")
		}
		text = sh.T("deadline.basis.quy_dinh_xa", "Date", d.Due.Display(), "Count", d.Days, "From", from)
	default:
		text = sh.T("deadline.basis."+string(d.Basis), "Date", d.Due.Display(), "Count", d.Days)
	}
	if remote && d.Basis == data.BasisLaw && (kind == data.ConcernComplaint1 || kind == data.ConcernComplaint2) {
		text += " — " + sh.T("deadline.remote")
	}
	if d.Extended > 0 {
		text += "; " + sh.T("deadline.extended", "Count", d.Extended)
	} else if kind == data.ConcernDenunciation && d.Basis == data.BasisLaw {
		text += ". " + sh.T("deadline.no_extension")
	}
	if d.Moved {
		text += "; " + sh.T("deadline.moved")
	}
	return text
}

// forwardedText says a forwarded case is followed as "đã chuyển, chờ
// phản hồi", with the body it went to and the date.
func forwardedText(sh *Shell, c *data.Concern) string {
	if c.ForwardedTo == "" && c.ForwardedOn == "" {
		return sh.T("deadline.forwarded")
	}
	return sh.T("deadline.forwarded_to", "Body", c.ForwardedTo, "Date", c.ForwardedOn.Display())
}

// extensionsText lists a tố cáo's extension decisions: number, date, days.
func extensionsText(sh *Shell, ext []data.Extension) string {
	var parts []string
	for _, e := range ext {
		parts = append(parts, joinParts(e.Number, e.Date.Display(), sh.T("concerns.days_n", "Count", e.Days)))
	}
	return strings.Join(parts, "; ")
}

// sourceText names a meeting or visit for a link to it.
func sourceText(sh *Shell, r *data.Row) string {
	if r.Kind == data.KindVisit {
		return sh.T("concerns.source_visit", "From", r.Date.Display(), "To", r.End.Display(), "Unit", r.Title)
	}
	return sh.T("concerns.source_meeting", "Kind", sh.EnumText("meeting_kind", r.Sub), "Date", r.Date.Display())
}

// ---- helpers shared with the meetings screen ----

// recordList is the list half of the concerns and meetings screens: the
// records a filter selects, found off the UI goroutine (an answer that a
// newer keystroke overtook is dropped), in a virtualised list with their
// count, an empty-state message and a village filter.
type recordList struct {
	sh *Shell
	// Village filters the list by village.
	Village *villageChoice
	// Count says how many records the filter selects.
	Count *widget.Label
	// List is the virtualised list of the records.
	List *widget.List
	// Empty is shown in place of an empty list.
	Empty *widget.Label

	rows     []data.Row
	order    data.Order        // how Find sorts (ByDateDesc by default)
	villages map[string]string // names by id
	stale    bool              // the village names need loading
	search   latest
	body     fyne.CanvasObject // the list over its empty message
}

// newRecordList returns an empty list; reload follows the village
// filter, render shows a row and open is called with a tapped row's id.
func newRecordList(sh *Shell, reload func(string), render func(*data.Row, *listItem), open func(id string)) *recordList {
	l := &recordList{sh: sh, villages: map[string]string{}, stale: true}
	l.Village = newVillageChoice(sh, "concerns.all_villages", reload)
	l.Count = widget.NewLabel("")
	l.Empty = widget.NewLabel(sh.T("status.no_results"))
	l.Empty.Hide()
	l.List = widget.NewList(
		func() int { return len(l.rows) },
		func() fyne.CanvasObject { return newListItem() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= 0 && i < len(l.rows) {
				render(&l.rows[i], o.(*listItem))
				sh.markItem(l.rows[i].ID, o.(*listItem))
			}
		},
	)
	l.List.OnSelected = func(i widget.ListItemID) {
		l.List.UnselectAll()
		if i >= 0 && i < len(l.rows) {
			open(l.rows[i].ID)
		}
	}
	l.body = container.NewStack(l.List, container.NewCenter(l.Empty))
	return l
}

// Rows returns the records the list shows, in order.
func (l *recordList) Rows() []data.Row { return l.rows }

// load shows the records f selects, in the list's order (newest first
// unless set); the village names are
// loaded too when stale.
func (l *recordList) load(f data.Filter) {
	withVillages := l.stale
	var rows []data.Row
	var vs villageList
	l.search.run(l.sh, func(st *data.Store) {
		rows = st.Find(f, l.order)
		if withVillages {
			vs = loadVillages(st)
		}
	}, func() {
		if withVillages {
			l.stale = false
			l.villages = vs.names
			l.Village.setRows(vs.rows)
		}
		l.rows = rows
		l.Count.SetText(l.sh.T("count.records", "Count", formatCount(len(rows))))
		l.Empty.Hidden = len(rows) > 0
		l.Empty.Refresh()
		l.List.Refresh()
	})
}

// listItem is a row of a record list: a bold title over a line of
// details, and a short note on the right (red when overdue).
type listItem struct {
	widget.BaseWidget
	Title, Meta, Note *widget.Label
}

func newListItem() *listItem {
	it := &listItem{Title: widget.NewLabel(""), Meta: widget.NewLabel(""), Note: widget.NewLabel("")}
	it.Title.TextStyle = fyne.TextStyle{Bold: true}
	it.Title.Truncation = fyne.TextTruncateEllipsis
	it.Meta.Truncation = fyne.TextTruncateEllipsis
	it.Meta.SizeName = theme.SizeNameCaptionText
	it.Note.Alignment = fyne.TextAlignTrailing
	it.ExtendBaseWidget(it)
	return it
}

// CreateRenderer lays the title over the details, the note on the right.
func (it *listItem) CreateRenderer() fyne.WidgetRenderer {
	lines := container.New(layout.NewCustomPaddedVBoxLayout(0), it.Title, it.Meta)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, it.Note, lines))
}

func (it *listItem) set(title, meta, note string, imp widget.Importance) {
	it.Title.SetText(title)
	it.Meta.SetText(meta)
	it.Note.Importance = imp
	it.Note.SetText(note)
}

// newLink returns a wrapping link that calls tapped.
func newLink(text string, tapped func()) *widget.Hyperlink {
	l := widget.NewHyperlink(text, nil)
	l.Wrapping = fyne.TextWrapWord
	l.OnTapped = tapped
	return l
}

// joinParts joins the non-empty parts with a middle dot.
func joinParts(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// pages shows one page at a time in a screen: its list, or a record
// opened from it.
type pages struct {
	*fyne.Container
	list fyne.CanvasObject
}

func newPages(list fyne.CanvasObject) *pages {
	return &pages{Container: container.NewStack(list), list: list}
}

func (p *pages) show(o fyne.CanvasObject) {
	p.Objects = []fyne.CanvasObject{o}
	p.Refresh()
}

func (p *pages) back() { p.show(p.list) }

func (p *pages) showing(o fyne.CanvasObject) bool { return len(p.Objects) == 1 && p.Objects[0] == o }

// latest runs store work off the UI goroutine and applies only the answer
// to the newest request: an answer that a newer request overtook is
// dropped, so a fast typist never sees an older keystroke's list.
type latest struct {
	mu  sync.Mutex
	gen int
}

// run calls work with the store off the UI goroutine, then apply on it
// unless run was called again meanwhile.
func (l *latest) run(sh *Shell, work func(st *data.Store), apply func()) {
	l.mu.Lock()
	l.gen++
	gen := l.gen
	l.mu.Unlock()
	sh.Go(func() error {
		st := sh.Store()
		if st == nil {
			return errNoStore
		}
		work(st)
		return nil
	}, func(err error) {
		l.mu.Lock()
		stale := gen != l.gen
		l.mu.Unlock()
		if stale {
			return
		}
		if err != nil {
			sh.ShowError(err)
			return
		}
		apply()
	})
}

// villageList is the commune's live villages in Vietnamese order, with
// their names and remote flags by id.
type villageList struct {
	rows   []data.Row
	names  map[string]string
	remote map[string]bool
}

func loadVillages(st *data.Store) villageList {
	v := villageList{names: map[string]string{}, remote: map[string]bool{}}
	v.rows = st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)
	for _, r := range v.rows {
		v.names[r.ID] = r.Title
		v.remote[r.ID] = r.Remote
	}
	return v
}

// rowChoices returns the ids and titles of rows, for a drop-down.
func rowChoices(rows []data.Row) (ids, labels []string) {
	for _, r := range rows {
		ids = append(ids, r.ID)
		labels = append(labels, r.Title)
	}
	return ids, labels
}

// newChoice returns a drop-down of values shown as labels. With all not
// empty, a first entry all stands for "any" (the value "").
func newChoice(all string, values, labels []string, changed func(value string)) *EnumSelect {
	e := &EnumSelect{}
	e.Select = &widget.Select{OnChanged: func(string) {
		if changed != nil {
			changed(e.Value())
		}
	}}
	e.ExtendBaseWidget(e)
	setChoices(e, all, values, labels, "")
	return e
}

// enumChoice is a filter drop-down over the enum group's values, with a
// first entry all.
func enumChoice(sh *Shell, group, all string, values []string, changed func(string)) *EnumSelect {
	labels := make([]string, len(values))
	for i, v := range values {
		labels[i] = sh.EnumText(group, v)
	}
	return newChoice(all, values, labels, changed)
}

// setChoices replaces the options of e and selects keep, without calling
// e's change handler.
func setChoices(e *EnumSelect, all string, values, labels []string, keep string) {
	if all != "" {
		values = append([]string{""}, values...)
		labels = append([]string{all}, labels...)
	}
	e.values, e.labels = values, labels
	e.Select.Options = labels
	selectQuietly(e, keep)
}

// selectQuietly selects value in e (clearing it when absent) without
// calling e's change handler.
func selectQuietly(e *EnumSelect, value string) {
	e.Select.Selected = ""
	for i, v := range e.values {
		if v == value {
			e.Select.Selected = e.labels[i]
			break
		}
	}
	e.Select.Refresh()
}

// infoRow is a read-only field of a detail page.
type infoRow struct {
	label string
	value fyne.CanvasObject
}

// textRow is an infoRow showing text ("—" when empty).
func textRow(label, value string) infoRow {
	if strings.TrimSpace(value) == "" {
		value = "—"
	}
	return infoRow{label, wrapLabel(value)}
}

// infoRows lays out read-only fields, a bold label before each value;
// rows without a value are left out.
// optionalRow is textRow for a field most concerns leave empty (a tố
// cáo's extensions, a forwarded case's body): no row when it is empty.
func optionalRow(label, value string) infoRow {
	if value == "" {
		return infoRow{label, nil}
	}
	return textRow(label, value)
}

func infoRows(rows ...infoRow) *fyne.Container {
	c := container.New(layout.NewFormLayout())
	for _, r := range rows {
		if r.value == nil {
			continue
		}
		c.Add(widget.NewLabelWithStyle(r.label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		c.Add(r.value)
	}
	return c
}

// ShowList goes back from a concern's page to the list (see Lister).
func (s *ConcernsScreen) ShowList() { s.back() }
