package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
	"danvan/report"
)

// This file holds the "Gặp gỡ – Hội nghị" screen: meetings with elders
// and prestigious persons, village assemblies (hội nghị thôn) and
// dialogues; the meeting form with attendees, agenda items and votes,
// agreed actions; and raising a concern from a meeting.

func init() {
	RegisterScreen(ScreenDef{ID: "meetings", TitleID: "screen.meetings", Order: 20, Icon: ThemeIcon(theme.IconNameCalendar),
		Make: func(sh *Shell) Screen { return NewMeetingsScreen(sh) }})
}

// MeetingsScreen lists the commune's meetings, filtered by village and a
// search box, and shows one meeting's detail in place of the list.
type MeetingsScreen struct {
	sh *Shell
	// The list with its village filter, count and empty message.
	*recordList

	Search *widget.Entry
	Add    *widget.Button
	// Detail is the meeting shown in place of the list, or nil.
	Detail *MeetingDetail

	detail latest
	pages  *pages
}

// NewMeetingsScreen builds the meetings screen and starts loading its list.
func NewMeetingsScreen(sh *Shell) *MeetingsScreen {
	s := &MeetingsScreen{sh: sh}
	reload := func(string) { s.reload() }
	s.recordList = newRecordList(sh, reload, s.updateItem, s.Open)
	s.Search = widget.NewEntry()
	s.Search.PlaceHolder = sh.T("meetings.search_placeholder")
	s.Search.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.Search.OnChanged = reload
	s.Add = widget.NewButtonWithIcon(sh.T("meetings.new"), theme.ContentAddIcon(), s.New)
	s.Add.Importance = widget.HighImportance
	// The title, then the search with room for its whole placeholder,
	// then the village filter and the count.
	top := container.NewVBox(heading(sh.T("screen.meetings")),
		container.NewBorder(nil, nil, nil, s.Add, s.Search),
		container.NewBorder(nil, nil, container.New(widthLayout{320}, s.Village), s.Count))
	s.pages = newPages(container.NewBorder(top, nil, nil, nil, s.body))
	s.reload()
	return s
}

// Content returns the screen's widget tree.
func (s *MeetingsScreen) Content() fyne.CanvasObject { return s.pages.Container }

// Refresh reloads the villages, the list and the meeting shown, if any.
func (s *MeetingsScreen) Refresh() {
	s.stale = true
	s.reload()
	if s.Detail != nil && s.pages.showing(s.Detail.Content) {
		s.Open(s.Detail.Meeting.ID)
	}
}

// New opens an empty meeting form (Ctrl+N), in the village the list is
// filtered by.
func (s *MeetingsScreen) New() {
	openMeetingForm(s.sh, &data.Meeting{Village: s.Village.Value()}, s.saved)
}

// FocusSearch shows the list and puts the cursor in the search box (Ctrl+F).
func (s *MeetingsScreen) FocusSearch() {
	s.pages.back()
	s.sh.Win.Canvas().Focus(s.Search)
}

// Filter returns the filter the list shows.
func (s *MeetingsScreen) Filter() data.Filter {
	return data.Filter{Kind: data.KindMeeting, Village: s.Village.Value(), Query: s.Search.Text, Today: s.sh.Today()}
}

// reload shows the meetings the filters select.
func (s *MeetingsScreen) reload() { s.load(s.Filter()) }

func (s *MeetingsScreen) updateItem(r *data.Row, it *listItem) {
	open, late := openActions(r.Actions, s.sh.Today())
	note, imp := "", widget.MediumImportance
	if open > 0 {
		note = s.sh.T("meetings.open_actions", "Count", open)
		if late {
			imp = widget.DangerImportance
		}
	}
	title := joinParts(s.sh.EnumText("meeting_kind", r.Sub), s.villages[r.Village])
	meta := joinParts(r.Date.Display(), s.sh.T("meetings.chaired_by", "Name", r.Title))
	it.set(title, withMatch(s.sh, meta, r, s.Search.Text), note, imp)
}

// openActions counts the actions not done, and says whether one is overdue.
func openActions(actions []data.ActionRow, today data.Date) (open int, late bool) {
	for _, a := range actions {
		if !a.Done {
			open++
			late = late || (a.Due != "" && a.Due < today)
		}
	}
	return open, late
}

// saved follows a saved meeting form: the list and the meeting shown.
func (s *MeetingsScreen) saved(m *data.Meeting) {
	s.reload()
	if s.Detail != nil && s.Detail.Meeting.ID == m.ID && s.pages.showing(s.Detail.Content) {
		s.Open(m.ID)
	}
}

// Open shows the detail of the meeting with id.
func (s *MeetingsScreen) Open(id string) {
	s.sh.seen(id)
	var v *meetingView
	s.detail.run(s.sh, func(st *data.Store) {
		v = loadMeetingView(st, id)
	}, func() {
		if v.err != nil {
			s.sh.ShowError(v.err)
			return
		}
		if v.m.Deleted { // moved to the trash meanwhile
			s.Detail = nil
			s.pages.back()
			return
		}
		s.Detail = newMeetingDetail(s, v)
		s.pages.show(s.Detail.Content)
	})
}

// meetingView is a meeting with what its detail shows, loaded off the UI
// goroutine.
type meetingView struct {
	m        data.Meeting
	village  string
	concerns []data.Row // raised at the meeting
	err      error
}

func loadMeetingView(st *data.Store, id string) *meetingView {
	v := &meetingView{}
	if v.err = st.Load(id, &v.m); v.err != nil {
		return v
	}
	if r, ok := st.Row(v.m.Village); ok {
		v.village = r.Title
	}
	v.concerns = concernsOfMeeting(st, &v.m)
	return v
}

// concernsOfMeeting returns the live concerns raised at meeting m: those
// of its village whose record links to it.
func concernsOfMeeting(st *data.Store, m *data.Meeting) []data.Row {
	var out []data.Row
	for _, r := range st.Find(data.Filter{Kind: data.KindConcern, Village: m.Village}, data.ByDateDesc) {
		var c data.Concern
		if st.Load(r.ID, &c) == nil && c.MeetingID == m.ID {
			out = append(out, r)
		}
	}
	return out
}

// MeetingDetail shows one meeting: its facts, attendees, agenda and
// votes, agreed actions and the concerns raised there.
type MeetingDetail struct {
	sh     *Shell
	screen *MeetingsScreen

	Meeting *data.Meeting
	Content fyne.CanvasObject

	Back, RaiseConcern, Edit, Delete *widget.Button
	// Concerns links to each concern raised at the meeting.
	Concerns []*widget.Hyperlink
	// Actions are the agreed actions' done checks, in order.
	Actions []*widget.Check
	// RaisedForm is the concern form opened by RaiseConcern, if any.
	RaisedForm *ConcernForm
	// Minutes saves a hội nghị thôn's biên bản as a PDF (nil for other
	// meetings).
	Minutes *widget.Button
}

// saveMinutes asks where to save the meeting's biên bản and writes it
// there as a PDF, then says where it is.
func (d *MeetingDetail) saveMinutes(village string) {
	sh := d.sh
	name := "bien-ban-hoi-nghi-" + data.Slug(village) + "-" + string(d.Meeting.Date) + ".pdf"
	chooseSavePath(sh, name, func(path string) { d.writeMinutes(path) })
}

// writeMinutes writes the meeting's biên bản to path.
func (d *MeetingDetail) writeMinutes(path string) {
	sh := d.sh
	st := sh.Store()
	id := d.Meeting.ID
	sh.Go(func() error {
		o := report.Options{Lang: sh.Lang()}
		if p, ok := st.Profile(); ok {
			o.Cadre, o.Unit, o.Issuer = p.Name, p.Unit, p.Issuer
		}
		mn, err := report.NewMinutes(st, id, o)
		if err != nil {
			return err
		}
		return writeAtomic(path, false, mn.WritePDF)
	}, func(err error) {
		if err != nil {
			dropEmpty(path)
			sh.ShowError(err)
			return
		}
		showSaved(sh, sh.T("meetings.minutes_saved", "Path", path), path)
	})
}

func newMeetingDetail(s *MeetingsScreen, v *meetingView) *MeetingDetail {
	sh := s.sh
	m := v.m
	d := &MeetingDetail{sh: sh, screen: s, Meeting: &m}
	d.Back = widget.NewButtonWithIcon(sh.T("btn.back"), theme.NavigateBackIcon(), s.pages.back)
	d.RaiseConcern = widget.NewButtonWithIcon(sh.T("meetings.raise_concern"), theme.MailComposeIcon(), d.raiseConcern)
	d.RaiseConcern.Importance = widget.HighImportance
	d.Edit = widget.NewButtonWithIcon(sh.T("btn.edit"), theme.DocumentCreateIcon(), func() {
		c := *d.Meeting
		openMeetingForm(sh, &c, s.saved)
	})
	d.Delete = deleteButton(sh, func() {
		deleteRecord(sh, m.ID, meetingName(sh, &m, v.village), func() {
			s.Detail = nil
			s.pages.back()
			s.reload()
		})
	})

	title := heading(meetingName(sh, &m, v.village))
	title.Wrapping = fyne.TextWrapWord
	households := ""
	if m.MeetingKind == data.MeetingAssembly || m.HouseholdsTotal > 0 {
		households = sh.T("meetings.households_of", "Present", formatCount(m.HouseholdsPresent), "Total", formatCount(m.HouseholdsTotal))
		if ok, known := m.Quorate(); known && ok {
			households += " · " + sh.T("meetings.quorate")
		} else if known {
			households += " · " + sh.T("meetings.not_quorate")
		}
	}
	var topics []string
	for _, t := range m.Topics {
		topics = append(topics, sh.EnumText("topic", t))
	}
	fields := infoRows(
		textRow(sh.T("field.meeting.kind"), sh.EnumText("meeting_kind", string(m.MeetingKind))),
		textRow(sh.T("field.meeting.date"), m.Date.Display()),
		textRow(sh.T("field.meeting.village"), v.village),
		textRow(sh.T("meetings.field.chair"), m.Chair),
		textRow(sh.T("field.meeting.head_count"), formatCount(m.HeadCount)),
		textRow(sh.T("meetings.field.households"), households),
		textRow(sh.T("field.meeting.vote_form"), sh.EnumText("vote_form", m.VoteForm)),
		textRow(sh.T("meetings.field.language"), m.Language),
		textRow(sh.T("meetings.field.interpreter"), m.Interpreter),
		textRow(sh.T("meetings.field.topics"), strings.Join(topics, ", ")),
		textRow(sh.T("meetings.field.signatories"), strings.Join(m.Signatories, ", ")),
		textRow(sh.T("meetings.field.forwarded"), m.Forwarded.Display()),
		textRow(sh.T("meetings.field.recognised"), m.Recognised.Display()),
		textRow(sh.T("meetings.field.notes"), m.Notes),
	)

	var names []string
	for _, a := range m.Attendees {
		names = append(names, a.Name)
	}
	body := container.NewVBox(title, fields,
		heading(sh.T("meetings.attendees_n", "Count", len(m.Attendees))), wrapLabel(orDefault(strings.Join(names, ", "), "—")))
	if len(m.Agenda) > 0 {
		body.Add(heading(sh.T("meetings.field.agenda")))
		for _, a := range m.Agenda {
			body.Add(agendaView(sh, &m, a))
		}
	}
	body.Add(heading(sh.T("meetings.field.actions")))
	for i, a := range m.Actions {
		i := i
		due := ""
		if a.Due != "" {
			due = sh.T("meetings.due", "Date", a.Due.Display())
		}
		check := widget.NewCheck("", nil)
		check.Checked = a.Done
		check.OnChanged = func(done bool) { d.setActionDone(i, done) }
		d.Actions = append(d.Actions, check)
		text := wrapLabel(joinParts(a.Text, a.Owner, due))
		if !a.Done && a.Due != "" && a.Due < sh.Today() {
			text.Importance = widget.DangerImportance
		}
		body.Add(container.NewBorder(nil, nil, check, nil, text))
	}
	if len(m.Actions) == 0 {
		body.Add(hintLabel(sh.T("status.empty")))
	}
	body.Add(heading(sh.T("meetings.concerns_n", "Count", len(v.concerns))))
	for _, r := range v.concerns {
		id := r.ID
		link := newLink(joinParts(r.Title, r.Date.Display(), sh.EnumText("status", r.Status)), func() { sh.OpenRecord("concerns", id) })
		d.Concerns = append(d.Concerns, link)
		body.Add(link)
	}
	bar := container.NewHBox(d.Back, layout.NewSpacer(), d.RaiseConcern, d.Edit, d.Delete)
	if m.MeetingKind == data.MeetingAssembly {
		// The biên bản in the official form (report.Minutes).
		d.Minutes = widget.NewButtonWithIcon(sh.T("meetings.print_minutes"), theme.DocumentPrintIcon(), func() {
			d.saveMinutes(v.village)
		})
		bar = container.NewHBox(d.Back, layout.NewSpacer(), d.Minutes, d.RaiseConcern, d.Edit, d.Delete)
	}
	d.Content = container.NewBorder(bar, nil, nil, nil, formScroll(body))
	return d
}

// meetingName is "<kind> – <village>, dd/MM/yyyy".
func meetingName(sh *Shell, m *data.Meeting, village string) string {
	return joinParts(sh.EnumText("meeting_kind", string(m.MeetingKind)), village, m.Date.Display())
}

// agendaView shows one agenda item with its household votes and dissent.
func agendaView(sh *Shell, m *data.Meeting, a data.AgendaItem) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(joinParts(sh.EnumText("agenda", a.Category), a.Title), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(title)
	if a.Decision != "" {
		box.Add(wrapLabel(sh.T("meetings.decision", "Text", a.Decision)))
	}
	if a.VotesFor > 0 || a.VotesAgainst > 0 {
		box.Add(widget.NewLabel(sh.T("meetings.votes", "For", formatCount(a.VotesFor), "Against", formatCount(a.VotesAgainst))))
	}
	// At a hội nghị thôn: passed only with more than half of ALL the
	// village's households in favour (data.Meeting.Passed).
	if ok, known := m.Passed(a); known {
		l := widget.NewLabel(sh.T("meetings.not_passed", "For", formatCount(a.VotesFor), "Total", formatCount(m.HouseholdsTotal)))
		l.Importance = widget.DangerImportance
		if ok {
			l.SetText(sh.T("meetings.passed", "For", formatCount(a.VotesFor), "Total", formatCount(m.HouseholdsTotal)))
			l.Importance = widget.SuccessImportance
		}
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
	}
	if a.Dissent != "" {
		box.Add(quoteLabel(sh.T("meetings.dissent", "Text", a.Dissent)))
	}
	return box
}

// setActionDone marks agreed action i done or not, and saves the meeting.
func (d *MeetingDetail) setActionDone(i int, done bool) {
	id := d.Meeting.ID
	d.sh.Go(func() error {
		st := d.sh.Store()
		if st == nil {
			return errNoStore
		}
		var m data.Meeting
		if err := st.Load(id, &m); err != nil {
			return err
		}
		if i >= len(m.Actions) {
			return nil
		}
		m.Actions[i].Done = done
		return st.Save(&m)
	}, func(err error) {
		if err != nil {
			d.sh.ShowError(err)
		}
		d.screen.reload()
	})
}

// raiseConcern opens the concern form linked to this meeting.
func (d *MeetingDetail) raiseConcern() {
	d.RaisedForm = openConcernForm(d.sh, concernFromMeeting(d.Meeting), func(*data.Concern) { d.screen.Open(d.Meeting.ID) })
}

// concernFromMeeting is a new concern raised at meeting m.
func concernFromMeeting(m *data.Meeting) *data.Concern {
	channel := data.ChannelMeeting
	if m.MeetingKind == data.MeetingDialogue {
		channel = data.ChannelDialogue
	}
	return &data.Concern{MeetingID: m.ID, Village: m.Village, Channel: channel, Received: m.Date}
}

// ---- the meeting form ----

// MeetingForm is the form of one meeting.
type MeetingForm struct {
	sh      *Shell
	base    data.Meeting
	onSaved func(*data.Meeting)

	Form *Form
	Kind *EnumSelect
	// VoteForm is how a hội nghị thôn's households voted.
	VoteForm                           *EnumSelect
	Date, Forwarded, Recognised        *DateField
	Village                            *villageChoice
	Chair                              *widget.SelectEntry
	Persons                            *widget.CheckGroup
	Names, Notes                       *widget.Entry
	HeadCount, Total, Present          *widget.Entry
	Language, Interpreter, Signatories *widget.Entry
	Topics                             map[string]*widget.Check // by topic
	Agenda                             *editorList[*agendaEditor]
	Actions                            *editorList[*actionEditor]
	AddAgenda, AddAction, RaiseConcern *widget.Button
	Cancel                             *widget.Button
	Dialog                             *dialog.CustomDialog
	// DraftPrompt asks whether to restore a kept draft; nil when there was none.
	DraftPrompt *dialog.ConfirmDialog
	// RaisedForm is the concern form opened by RaiseConcern, if any.
	RaisedForm *ConcernForm

	villages     villageList
	personIDs    map[string]string // CheckGroup label → person id
	personNames  map[string]string // person id → name
	wantPersons  map[string]bool   // checked person ids, kept while the list loads
	persons      latest
	assemblyRows []func(bool)
	draft        *draftWriter
	filling      bool
	dirty        bool
}

// meetingDraft is the text of every field of a meeting form, as typed.
type meetingDraft struct {
	Kind, Date, Village, Chair string
	Persons                    []string
	Names, HeadCount           string
	Total, Present             string
	Language, Interpreter      string
	VoteForm                   string
	Topics                     []string
	Agenda                     []agendaDraft
	Actions                    []actionDraft
	Signatories, Forwarded     string
	Recognised                 string
	Notes                      string
}

type agendaDraft struct{ ID, Category, Title, Decision, For, Against, Dissent string }

type actionDraft struct {
	ID, Text, Owner, Due string
	Done                 bool
}

// OpenMeetingForm opens the form of meeting m (a new one when m has no
// id) in a dialog; onSaved (may be nil) gets the saved meeting.
func OpenMeetingForm(sh *Shell, m *data.Meeting, onSaved func(*data.Meeting)) {
	openMeetingForm(sh, m, onSaved)
}

func openMeetingForm(sh *Shell, m *data.Meeting, onSaved func(*data.Meeting)) *MeetingForm {
	f := &MeetingForm{sh: sh, onSaved: onSaved, wantPersons: map[string]bool{}}
	if m != nil {
		f.base = *m
	}
	f.draft = newDraftWriter(sh, draftKey("meeting", f.base.ID))
	var kept meetingDraft
	var hasDraft bool
	sh.Go(func() error {
		st := sh.Store()
		if st == nil {
			return errNoStore
		}
		f.villages = loadVillages(st)
		hasDraft = f.draft.d.Load(&kept)
		return nil
	}, func(err error) {
		if err != nil {
			sh.ShowError(err)
			return
		}
		f.build()
		f.fill(f.initial())
		title := "meetings.form_new"
		if f.base.ID != "" {
			title = "meetings.form_edit"
		}
		f.Cancel = widget.NewButtonWithIcon(sh.T("btn.cancel"), theme.CancelIcon(), func() { cancelForm(sh, f.dirty, f.Dialog, f.draft) })
		f.Dialog = showFormDialog(sh, sh.T(title), f, f.Form.Box, f.RaiseConcern, f.Cancel, f.Form.Save)
		if hasDraft {
			f.DraftPrompt = offerDraft(sh, f.draft.d.key, func() { f.fill(kept); f.changed() }, f.draft.drop)
		}
	})
	return f
}

func (f *MeetingForm) build() {
	sh := f.sh
	changed := func(string) { f.changed() }
	f.Form = NewForm(sh, func() { f.save(nil) })
	f.Kind = NewEnumSelect(sh, "meeting_kind", enumValues(data.MeetingKinds), func(string) {
		f.prefillHouseholds()
		f.changed()
	})
	f.Date = newDateInput(sh, f.changed)
	f.Village = newVillageChoice(sh, "", func(string) {
		f.loadPersons()
		f.prefillHouseholds()
		f.changed()
	})
	f.Village.setRows(f.villages.rows)
	f.Chair = widget.NewSelectEntry(nil)
	f.Chair.OnChanged = changed
	f.Persons = widget.NewCheckGroup(nil, func([]string) { f.personsChanged() })
	f.Persons.Horizontal = false
	f.Names = newTextInput(changed)
	f.Names.MultiLine = true
	f.Names.SetMinRowsVisible(2)
	f.Names.PlaceHolder = sh.T("meetings.names_placeholder")
	f.HeadCount = newTextInput(changed)
	f.Total = newTextInput(changed)
	f.Present = newTextInput(changed)
	f.Language = newTextInput(changed)
	f.Language.PlaceHolder = sh.T("meetings.language_placeholder")
	f.Interpreter = newTextInput(changed)
	f.VoteForm = NewEnumSelect(sh, "vote_form", data.VoteForms, func(string) { f.changed() })
	f.Signatories = newTextInput(changed)
	f.Signatories.PlaceHolder = sh.T("meetings.names_placeholder")
	f.Forwarded = newDateInput(sh, f.changed)
	f.Recognised = newDateInput(sh, f.changed)
	f.Notes = newTextInput(changed)
	f.Notes.MultiLine = true
	f.Notes.Wrapping = fyne.TextWrapWord
	f.Notes.SetMinRowsVisible(3)
	f.Topics = map[string]*widget.Check{}
	topics := container.NewGridWithColumns(3)
	for _, t := range data.Topics {
		f.Topics[t] = widget.NewCheck(sh.EnumText("topic", t), func(bool) { f.changed() })
		topics.Add(f.Topics[t])
	}
	f.Agenda = newEditorList(func() *agendaEditor { return newAgendaEditor(sh, f.changed) }, f.changed)
	f.Actions = newEditorList(func() *actionEditor { return newActionEditor(sh, f.changed) }, f.changed)
	f.AddAgenda = widget.NewButtonWithIcon(sh.T("meetings.add_agenda"), theme.ContentAddIcon(), func() { f.Agenda.add(nil) })
	f.AddAction = widget.NewButtonWithIcon(sh.T("meetings.add_action"), theme.ContentAddIcon(), func() { f.Actions.add(nil) })
	f.RaiseConcern = widget.NewButtonWithIcon(sh.T("meetings.raise_concern"), theme.MailComposeIcon(), f.raiseConcern)
	choosePlaceholder(sh, f.Kind)

	has := func(e interface{ Value() string }) func() bool { return func() bool { return e.Value() != "" } }
	f.Form.Add("field.meeting.kind", f.Kind, has(f.Kind))
	f.Form.Add("field.meeting.date", f.Date, Filled(f.Date.Entry))
	f.Form.Add("field.meeting.village", f.Village, has(f.Village))
	f.Form.Add("meetings.field.chair", f.Chair, nil)
	f.Form.Add("meetings.field.key_persons", f.Persons, nil)
	f.Form.Add("meetings.field.other_attendees", f.Names, nil)
	f.Form.Add("field.meeting.head_count", f.HeadCount, nil)
	f.assemblyRows = []func(bool){
		addToggledRow(f.Form, "field.meeting.households_total", f.Total),
		addToggledRow(f.Form, "field.meeting.households_present", f.Present),
		addToggledRow(f.Form, "field.meeting.vote_form", f.VoteForm),
	}
	f.Form.Add("meetings.field.language", f.Language, nil)
	f.Form.Add("meetings.field.interpreter", f.Interpreter, nil)
	f.Form.Add("meetings.field.topics", topics, nil)
	f.Form.Add("meetings.field.agenda", container.NewVBox(f.Agenda.Box, container.NewHBox(f.AddAgenda)), nil)
	f.Form.Add("meetings.field.actions", container.NewVBox(f.Actions.Box, container.NewHBox(f.AddAction)), nil)
	f.assemblyRows = append(f.assemblyRows,
		addToggledRow(f.Form, "meetings.field.signatories", f.Signatories),
		addToggledRow(f.Form, "meetings.field.forwarded", f.Forwarded),
		addToggledRow(f.Form, "meetings.field.recognised", f.Recognised))
	f.Form.Add("meetings.field.notes", f.Notes, nil)
}

// addToggledRow adds a field to form and returns a function that shows
// or hides its row (with its error line). It relies on Form.Add adding
// the row and then its error line.
func addToggledRow(form *Form, labelID string, w fyne.CanvasObject) func(bool) {
	form.Add(labelID, w, nil)
	n := len(form.Box.Objects)
	row, errLine := form.Box.Objects[n-2], form.Box.Objects[n-1]
	return func(on bool) {
		setVisible(row, on)
		if !on {
			errLine.Hide()
		}
	}
}

// initial is what the form shows before any draft.
func (f *MeetingForm) initial() meetingDraft {
	m := &f.base
	d := meetingDraft{
		Kind: string(m.MeetingKind), Date: m.Date.Display(), Village: m.Village, Chair: m.Chair,
		HeadCount: countText(m.HeadCount), Total: countText(m.HouseholdsTotal), Present: countText(m.HouseholdsPresent),
		Language: m.Language, Interpreter: m.Interpreter, Topics: m.Topics, VoteForm: m.VoteForm,
		Signatories: strings.Join(m.Signatories, ", "), Forwarded: m.Forwarded.Display(), Recognised: m.Recognised.Display(), Notes: m.Notes,
	}
	var names []string
	for _, a := range m.Attendees {
		if a.PersonID != "" {
			d.Persons = append(d.Persons, a.PersonID)
		} else {
			names = append(names, a.Name)
		}
	}
	d.Names = strings.Join(names, ", ")
	for _, a := range m.Agenda {
		d.Agenda = append(d.Agenda, agendaDraft{ID: a.ID, Category: a.Category, Title: a.Title, Decision: a.Decision,
			For: countText(a.VotesFor), Against: countText(a.VotesAgainst), Dissent: a.Dissent})
	}
	for _, a := range m.Actions {
		d.Actions = append(d.Actions, actionDraft{ID: a.ID, Text: a.Text, Owner: a.Owner, Due: a.Due.Display(), Done: a.Done})
	}
	if m.ID == "" {
		d.Kind = orDefault(d.Kind, string(data.MeetingElders))
		d.Date = orDefault(d.Date, f.sh.Today().Display())
	}
	return d
}

// fill shows d in the fields.
func (f *MeetingForm) fill(d meetingDraft) {
	f.filling = true
	f.Kind.SetValue(d.Kind)
	f.Date.SetText(d.Date)
	f.wantPersons = map[string]bool{}
	for _, id := range d.Persons {
		f.wantPersons[id] = true
	}
	f.Village.SetValue(d.Village)
	f.Chair.SetText(d.Chair)
	f.Names.SetText(d.Names)
	f.HeadCount.SetText(d.HeadCount)
	f.Total.SetText(d.Total)
	f.Present.SetText(d.Present)
	f.Language.SetText(d.Language)
	f.Interpreter.SetText(d.Interpreter)
	f.VoteForm.SetValue(d.VoteForm)
	for t, c := range f.Topics {
		c.SetChecked(slices.Contains(d.Topics, t))
	}
	f.Agenda.clear()
	for _, a := range d.Agenda {
		f.Agenda.add(func(e *agendaEditor) { e.set(a) })
	}
	f.Actions.clear()
	for _, a := range d.Actions {
		f.Actions.add(func(e *actionEditor) { e.set(a) })
	}
	f.Signatories.SetText(d.Signatories)
	f.Forwarded.SetText(d.Forwarded)
	f.Recognised.SetText(d.Recognised)
	f.Notes.SetText(d.Notes)
	f.showPersons()
	f.filling = false
	f.update()
}

// snapshot returns the fields as typed.
func (f *MeetingForm) snapshot() meetingDraft {
	d := meetingDraft{
		Kind: f.Kind.Value(), Date: f.Date.Text, Village: f.Village.Value(), Chair: f.Chair.Text,
		Names: f.Names.Text, HeadCount: f.HeadCount.Text, Total: f.Total.Text, Present: f.Present.Text,
		Language: f.Language.Text, Interpreter: f.Interpreter.Text, Topics: f.topics(), VoteForm: f.VoteForm.Value(),
		Signatories: f.Signatories.Text, Forwarded: f.Forwarded.Text, Recognised: f.Recognised.Text, Notes: f.Notes.Text,
	}
	for id, on := range f.wantPersons {
		if on {
			d.Persons = append(d.Persons, id)
		}
	}
	for _, e := range f.Agenda.items {
		d.Agenda = append(d.Agenda, e.draft())
	}
	for _, e := range f.Actions.items {
		d.Actions = append(d.Actions, e.draft())
	}
	return d
}

// topics returns the topics checked, in the usual order.
func (f *MeetingForm) topics() []string {
	var out []string
	for _, t := range data.Topics {
		if f.Topics[t].Checked {
			out = append(out, t)
		}
	}
	return out
}

// changed follows every edit: check the form and keep the draft.
func (f *MeetingForm) changed() {
	if f.filling {
		return
	}
	f.dirty = true
	f.update()
	f.draft.save(f.snapshot())
}

// update shows the assembly fields for a hội nghị thôn and the inline
// errors of what is typed so far.
func (f *MeetingForm) update() {
	assembly := data.MeetingKind(f.Kind.Value()) == data.MeetingAssembly
	for _, toggle := range f.assemblyRows {
		toggle(assembly)
	}
	m, errs := f.meeting()
	liveErrors(f.sh, f.Form, m, errs)
	f.Form.Check()
}

// prefillHouseholds puts the village's household count in "Tổng số hộ"
// of a new assembly, when it is empty.
func (f *MeetingForm) prefillHouseholds() {
	if f.filling || data.MeetingKind(f.Kind.Value()) != data.MeetingAssembly || strings.TrimSpace(f.Total.Text) != "" {
		return
	}
	for _, r := range f.villages.rows {
		if r.ID == f.Village.Value() && r.N > 0 {
			f.Total.SetText(strconv.Itoa(r.N))
		}
	}
}

// loadPersons fills the attendee checks and the chair's choices with the
// village's key persons.
func (f *MeetingForm) loadPersons() {
	village := f.Village.Value()
	var rows []data.Row
	f.persons.run(f.sh, func(st *data.Store) {
		if village != "" {
			rows = st.Find(data.Filter{Kind: data.KindPerson, Village: village}, data.ByTitle)
		}
	}, func() {
		f.personIDs, f.personNames = map[string]string{}, map[string]string{}
		var labels, names []string
		for _, r := range rows {
			label := joinParts(r.Title, f.sh.EnumText("role", r.Sub))
			if _, dup := f.personIDs[label]; dup {
				label = fmt.Sprintf("%s (%d)", label, len(labels)+1)
			}
			f.personIDs[label] = r.ID
			f.personNames[r.ID] = r.Title
			labels = append(labels, label)
			names = append(names, r.Title)
		}
		f.Persons.Options = labels
		f.Chair.SetOptions(names)
		f.showPersons()
	})
}

// showPersons checks the wanted key persons among those listed.
func (f *MeetingForm) showPersons() {
	var sel []string
	for _, label := range f.Persons.Options {
		if f.wantPersons[f.personIDs[label]] {
			sel = append(sel, label)
		}
	}
	quiet := f.filling
	f.filling = true
	f.Persons.SetSelected(sel)
	f.filling = quiet
}

// personsChanged records the key persons the user checked.
func (f *MeetingForm) personsChanged() {
	if f.filling {
		return
	}
	for _, label := range f.Persons.Options {
		delete(f.wantPersons, f.personIDs[label])
	}
	for _, label := range f.Persons.Selected {
		f.wantPersons[f.personIDs[label]] = true
	}
	f.changed()
}

// meeting returns the meeting the fields describe, with the errors of
// fields that do not parse. Entries kept from the stored meeting keep
// their ids, so that they merge with other devices' edits.
func (f *MeetingForm) meeting() (*data.Meeting, []data.FieldError) {
	m := f.base
	var errs []data.FieldError
	m.MeetingKind = data.MeetingKind(f.Kind.Value())
	m.Date, errs = parseDateInput(f.Date, "field.meeting.date", errs)
	m.Village = f.Village.Value()
	m.Chair = strings.TrimSpace(f.Chair.Text)
	m.Attendees = f.attendees()
	m.HeadCount, errs = parseCountInput(f.HeadCount, "field.meeting.head_count", errs)
	if strings.TrimSpace(f.HeadCount.Text) == "" {
		m.HeadCount = len(m.Attendees)
	}
	m.HouseholdsTotal, m.HouseholdsPresent, m.Signatories, m.Forwarded, m.Recognised = 0, 0, nil, "", ""
	if m.MeetingKind == data.MeetingAssembly {
		m.HouseholdsTotal, errs = parseCountInput(f.Total, "field.meeting.households_total", errs)
		m.HouseholdsPresent, errs = parseCountInput(f.Present, "field.meeting.households_present", errs)
		m.Signatories = splitList(f.Signatories.Text)
		m.Forwarded, errs = parseDateInput(f.Forwarded, "meetings.field.forwarded", errs)
		m.Recognised, errs = parseDateInput(f.Recognised, "meetings.field.recognised", errs)
	}
	m.Language = strings.TrimSpace(f.Language.Text)
	m.Interpreter = strings.TrimSpace(f.Interpreter.Text)
	m.VoteForm = f.VoteForm.Value()
	m.Topics = f.topics()
	m.Agenda = nil
	for _, e := range f.Agenda.items {
		var a data.AgendaItem
		a, errs = e.item(errs)
		if a.Title != "" || a.Decision != "" || a.VotesFor+a.VotesAgainst > 0 {
			m.Agenda = append(m.Agenda, a)
		}
	}
	m.Actions = nil
	for _, e := range f.Actions.items {
		var a data.Action
		a, errs = e.action(errs)
		if a.Text != "" {
			m.Actions = append(m.Actions, a)
		}
	}
	m.Notes = strings.TrimSpace(f.Notes.Text)
	return &m, errs
}

// attendees are the checked key persons, then the other names typed.
func (f *MeetingForm) attendees() []data.Attendee {
	old := map[string]string{} // person id or name → attendee id
	for _, a := range f.base.Attendees {
		old[a.PersonID+"\x00"+a.Name] = a.ID
		if a.PersonID != "" {
			old[a.PersonID] = a.ID
		}
	}
	idOf := func(key string) string {
		if id, ok := old[key]; ok {
			return id
		}
		return data.NewID()
	}
	var out []data.Attendee
	for _, label := range f.Persons.Selected {
		pid := f.personIDs[label]
		out = append(out, data.Attendee{ID: idOf(pid), PersonID: pid, Name: f.personNames[pid]})
	}
	for _, name := range splitList(f.Names.Text) {
		out = append(out, data.Attendee{ID: idOf("\x00" + name), Name: name})
	}
	return out
}

// SaveForm saves the form when its Save button is enabled (Ctrl+S).
func (f *MeetingForm) SaveForm() {
	if !f.Form.Save.Disabled() {
		f.save(nil)
	}
}

// save stores the meeting, then closes the form; with then set, it keeps
// the form open (now on the stored meeting) and calls then instead.
func (f *MeetingForm) save(then func(*data.Meeting)) {
	m, errs := f.meeting()
	saveForm(f.sh, f.Form, m, errs, func() {
		f.draft.drop()
		if f.onSaved != nil {
			f.onSaved(m)
		}
		if then == nil {
			f.Dialog.Hide()
			return
		}
		// The form now edits the stored meeting, under its own draft.
		f.base = *m
		f.dirty = false
		f.draft = newDraftWriter(f.sh, draftKey("meeting", m.ID))
		then(m)
	})
}

// raiseConcern opens the concern form linked to this meeting, saving a
// new meeting first so that the concern can point to it.
func (f *MeetingForm) raiseConcern() {
	open := func(m *data.Meeting) {
		f.RaisedForm = openConcernForm(f.sh, concernFromMeeting(m), nil)
	}
	if f.base.ID == "" {
		f.save(open)
		return
	}
	open(&f.base)
}

// editorList is an editable list of sub-records of a form (agenda items,
// agreed actions): each has a Remove button, and adding or removing one
// counts as a change of the form.
type editorList[E interface {
	comparable
	view(remove func()) fyne.CanvasObject
}] struct {
	Box     *fyne.Container
	items   []E
	views   []fyne.CanvasObject
	newItem func() E
	changed func()
}

func newEditorList[E interface {
	comparable
	view(remove func()) fyne.CanvasObject
}](newItem func() E, changed func()) *editorList[E] {
	return &editorList[E]{Box: container.NewVBox(), newItem: newItem, changed: changed}
}

// add appends a new item, filled by set (may be nil).
func (l *editorList[E]) add(set func(E)) {
	e := l.newItem()
	if set != nil {
		set(e)
	}
	v := l.view(e)
	l.items = append(l.items, e)
	l.views = append(l.views, v)
	l.Box.Add(v)
	if set == nil {
		l.changed()
	}
}

func (l *editorList[E]) view(e E) fyne.CanvasObject {
	return e.view(func() { l.remove(e) })
}

func (l *editorList[E]) remove(e E) {
	for i, x := range l.items {
		if x == e {
			l.Box.Remove(l.views[i])
			l.items = append(l.items[:i], l.items[i+1:]...)
			l.views = append(l.views[:i], l.views[i+1:]...)
			l.changed()
			return
		}
	}
}

func (l *editorList[E]) clear() {
	l.items, l.views = nil, nil
	l.Box.RemoveAll()
}

// agendaEditor edits one agenda item and its household votes.
type agendaEditor struct {
	id                                     string
	Category                               *EnumSelect
	Title, Decision, For, Against, Dissent *widget.Entry
	Remove                                 *widget.Button
	sh                                     *Shell
}

func newAgendaEditor(sh *Shell, changed func()) *agendaEditor {
	onChange := func(string) { changed() }
	e := &agendaEditor{sh: sh, id: data.NewID(),
		Category: NewEnumSelect(sh, "agenda", data.AgendaCategories, onChange),
		Title:    newTextInput(onChange), Decision: newTextInput(onChange),
		For: newTextInput(onChange), Against: newTextInput(onChange), Dissent: newTextInput(onChange)}
	e.Category.SetValue(data.AgendaDecide)
	e.Title.PlaceHolder = sh.T("meetings.agenda_title")
	e.Decision.PlaceHolder = sh.T("meetings.agenda_decision")
	e.Dissent.PlaceHolder = sh.T("meetings.agenda_dissent")
	return e
}

func (e *agendaEditor) view(remove func()) fyne.CanvasObject {
	e.Remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), remove)
	votes := container.NewGridWithColumns(4,
		widget.NewLabel(e.sh.T("meetings.votes_for")), e.For, widget.NewLabel(e.sh.T("meetings.votes_against")), e.Against)
	head := container.NewBorder(nil, nil, container.New(widthLayout{200}, e.Category), e.Remove, e.Title)
	return widget.NewCard("", "", container.NewVBox(head, e.Decision, votes, e.Dissent))
}

func (e *agendaEditor) set(d agendaDraft) {
	if d.ID != "" {
		e.id = d.ID
	}
	e.Category.SetValue(d.Category)
	e.Title.SetText(d.Title)
	e.Decision.SetText(d.Decision)
	e.For.SetText(d.For)
	e.Against.SetText(d.Against)
	e.Dissent.SetText(d.Dissent)
}

func (e *agendaEditor) draft() agendaDraft {
	return agendaDraft{ID: e.id, Category: e.Category.Value(), Title: e.Title.Text, Decision: e.Decision.Text,
		For: e.For.Text, Against: e.Against.Text, Dissent: e.Dissent.Text}
}

// item returns the agenda item typed; unreadable votes add an error on
// the agenda field to errs.
func (e *agendaEditor) item(errs []data.FieldError) (data.AgendaItem, []data.FieldError) {
	a := data.AgendaItem{ID: e.id, Category: e.Category.Value(), Title: strings.TrimSpace(e.Title.Text),
		Decision: strings.TrimSpace(e.Decision.Text), Dissent: strings.TrimSpace(e.Dissent.Text)}
	a.VotesFor, errs = parseCountInput(e.For, "meetings.field.agenda", errs)
	a.VotesAgainst, errs = parseCountInput(e.Against, "meetings.field.agenda", errs)
	return a, errs
}

// actionEditor edits one agreed action: what, who, by when, done.
type actionEditor struct {
	id          string
	Text, Owner *widget.Entry
	Due         *DateField
	Done        *widget.Check
	Remove      *widget.Button
	sh          *Shell
}

func newActionEditor(sh *Shell, changed func()) *actionEditor {
	onChange := func(string) { changed() }
	e := &actionEditor{sh: sh, id: data.NewID(), Text: newTextInput(onChange), Owner: newTextInput(onChange),
		Due: newDateInput(sh, changed), Done: widget.NewCheck(sh.T("meetings.action_done"), func(bool) { changed() })}
	e.Text.PlaceHolder = sh.T("meetings.action_text")
	e.Owner.PlaceHolder = sh.T("meetings.action_owner")
	return e
}

func (e *actionEditor) view(remove func()) fyne.CanvasObject {
	e.Remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), remove)
	return widget.NewCard("", "", container.NewVBox(
		container.NewBorder(nil, nil, nil, e.Remove, e.Text),
		container.NewBorder(nil, nil, nil, e.Done, container.NewGridWithColumns(2, e.Owner, e.Due)),
	))
}

func (e *actionEditor) set(d actionDraft) {
	if d.ID != "" {
		e.id = d.ID
	}
	e.Text.SetText(d.Text)
	e.Owner.SetText(d.Owner)
	e.Due.SetText(d.Due)
	e.Done.SetChecked(d.Done)
}

func (e *actionEditor) draft() actionDraft {
	return actionDraft{ID: e.id, Text: e.Text.Text, Owner: e.Owner.Text, Due: e.Due.Text, Done: e.Done.Checked}
}

// action returns the action typed; an unreadable date adds an error on
// the actions field to errs.
func (e *actionEditor) action(errs []data.FieldError) (data.Action, []data.FieldError) {
	a := data.Action{ID: e.id, Text: strings.TrimSpace(e.Text.Text), Owner: strings.TrimSpace(e.Owner.Text), Done: e.Done.Checked}
	a.Due, errs = parseDateInput(e.Due, "meetings.field.actions", errs)
	return a, errs
}

// ShowList goes back from a meeting's page to the list (see Lister).
func (s *MeetingsScreen) ShowList() { s.pages.back() }
