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
)

// This file holds the Thôn – Làng screen (villages, their households, key
// persons and timeline) and, at its end, the plumbing the field-visit,
// village, model and report screens share: the village drop-down, the
// virtualised record list, forms with durable drafts, number parsing and
// navigation to a record on another screen.

func init() {
	RegisterScreen(ScreenDef{ID: "villages", TitleID: "screen.villages", Order: 40, Icon: ThemeIcon(theme.IconNameHome),
		Make: func(sh *Shell) Screen { return newVillagesScreen(sh) }})
}

// VillagesScreen is the Thôn – Làng page: the commune's villages in
// Vietnamese order, each opening its households, key persons and a
// timeline of everything recorded there.
type VillagesScreen struct {
	sh    *Shell
	pages *pages

	// Search filters the villages by name, ignoring diacritics.
	Search *widget.Entry
	// List shows the villages; remote and hotspot ones are marked.
	List *rowList
	// Add opens the form for a new village.
	Add *widget.Button
	// Detail is the village shown last, or nil.
	Detail *VillageDetail
	// Form is the village form shown last, or nil.
	Form *VillageForm
	// ImportList (Nhập danh sách hộ) imports the commune's household
	// list; Import is its dialog, once opened.
	ImportList *widget.Button
	Import     *HouseholdImport

	villages map[string]*data.Village
	seq      int
}

func newVillagesScreen(sh *Shell) *VillagesScreen {
	s := &VillagesScreen{sh: sh, villages: map[string]*data.Village{}}
	s.Search = widget.NewEntry()
	s.Search.SetPlaceHolder(sh.T("search.placeholder"))
	s.Search.OnChanged = func(string) { s.Refresh() }
	s.Add = widget.NewButtonWithIcon(sh.T("villages.add"), theme.ContentAddIcon(), s.New)
	s.Add.Importance = widget.HighImportance
	s.ImportList = widget.NewButtonWithIcon(sh.T("import.button"), theme.UploadIcon(), func() {
		importHouseholds(sh, func(x *HouseholdImport) { s.Import = x }, s.Refresh)
	})
	s.List = newRowList(func(r data.Row) listLine { return s.line(r) }, func(r data.Row) { s.Open(r.ID) })
	top := container.NewBorder(nil, nil, nil, container.NewHBox(s.ImportList, s.Add), s.Search)
	s.pages = newPages(container.NewBorder(container.NewVBox(heading(sh.T("screen.villages")), top), nil, nil, nil, s.List))
	return s
}

// SaveForm saves the form shown, if any (Ctrl+S).
func (s *VillagesScreen) SaveForm() {
	if s.Form != nil && s.pages.showing(s.Form.Content) {
		s.Form.SaveForm()
	}
}

// Content returns the page.
func (s *VillagesScreen) Content() fyne.CanvasObject { return s.pages.Container }

// FocusSearch puts the cursor in the search box (Ctrl+F).
func (s *VillagesScreen) FocusSearch() {
	s.showList()
	s.sh.Win.Canvas().Focus(s.Search)
}

// New opens the form for a new village (Ctrl+N).
func (s *VillagesScreen) New() { s.edit(&data.Village{VillageKind: data.VillageThon}) }

// Refresh reloads the village list and the village shown.
func (s *VillagesScreen) Refresh() {
	st := s.sh.Store()
	if st == nil {
		return
	}
	s.seq++
	seq, q := s.seq, s.Search.Text
	var rows []data.Row
	villages := map[string]*data.Village{}
	s.sh.Go(func() error {
		rows = st.Find(data.Filter{Kind: data.KindVillage, Query: q}, data.ByTitle)
		for _, r := range rows {
			v := new(data.Village)
			if err := st.Load(r.ID, v); err != nil {
				return err
			}
			villages[r.ID] = v
		}
		return nil
	}, func(err error) {
		if seq != s.seq {
			return
		}
		if err != nil {
			s.sh.ShowError(err)
			return
		}
		s.villages = villages
		s.List.SetRows(rows)
	})
	if s.Detail != nil && s.pages.showing(s.Detail.Content) {
		s.Detail.Refresh()
	}
}

// line is how a village shows in the list: its kind, households and the
// remote and hotspot marks.
func (s *VillagesScreen) line(r data.Row) (l listLine) {
	v := s.villages[r.ID]
	l = listLine{Title: r.Title}
	defer s.sh.markColleague(r.ID, &l.Title, &l.Sub)
	if v == nil {
		return l
	}
	parts := []string{s.sh.EnumText("village_kind", string(v.VillageKind))}
	if v.Households > 0 {
		parts = append(parts, s.sh.Tn("villages.households_n", v.Households))
	}
	if len(v.Ethnicities) > 0 {
		parts = append(parts, strings.Join(v.Ethnicities, ", "))
	}
	l.Sub = strings.Join(parts, " · ")
	l.Badge = villageMarks(s.sh, v)
	return l
}

// villageMarks names the remote and hotspot flags of v ("" for neither).
func villageMarks(sh *Shell, v *data.Village) string {
	var marks []string
	if v.Remote {
		marks = append(marks, sh.T("villages.remote"))
	}
	if v.Hotspot {
		m := sh.T("villages.hotspot")
		if len(v.HotspotReasons) > 0 {
			var rs []string
			for _, r := range v.HotspotReasons {
				rs = append(rs, sh.EnumText("hotspot", r))
			}
			m += " (" + strings.Join(rs, ", ") + ")"
		}
		marks = append(marks, m)
	}
	return strings.Join(marks, " · ")
}

func (s *VillagesScreen) showList() {
	if !s.pages.showing(s.pages.list) {
		s.pages.back()
		s.Refresh()
	}
}

// Open shows the village with id: its details, households, key persons
// and timeline.
func (s *VillagesScreen) Open(id string) {
	s.sh.seen(id)
	st := s.sh.Store()
	if st == nil {
		return
	}
	v := new(data.Village)
	s.sh.Go(func() error { return st.Load(id, v) }, func(err error) {
		if err != nil {
			s.sh.ShowError(err)
			return
		}
		s.Detail = newVillageDetail(s, v)
		s.pages.show(s.Detail.Content)
	})
}

func (s *VillagesScreen) edit(v *data.Village) {
	s.Form = newVillageForm(s.sh, v, func(saved *data.Village) {
		s.Form = nil
		if saved == nil {
			if v.ID != "" {
				s.Open(v.ID)
			} else {
				s.showList()
			}
			return
		}
		s.Open(saved.ID)
	})
	s.pages.show(s.Form.Content)
	s.Form.fill(s.Form.stateOf(v))
}

// VillageForm adds or edits a village.
type VillageForm struct {
	*recordForm[villageState]
	// Content is the form with its buttons.
	Content fyne.CanvasObject

	// Name … Notes are the fields, in form order; Reasons are the
	// hotspot reasons' boxes, by reason.
	Name        *widget.Entry
	Kind        *EnumSelect
	Remote      *widget.Check
	Hotspot     *widget.Check
	Reasons     map[string]*widget.Check
	Households  *widget.Entry
	Ethnicities *widget.Entry
	Notes       *widget.Entry

	v *data.Village
}

// villageState is the village form as kept in its draft.
type villageState struct {
	Name, Kind                     string
	Remote, Hotspot                bool
	Reasons                        []string
	Households, Ethnicities, Notes string
}

func newVillageForm(sh *Shell, v *data.Village, done func(saved *data.Village)) *VillageForm {
	f := &VillageForm{v: v, Reasons: map[string]*widget.Check{}}
	f.recordForm = newRecordForm[villageState](sh, draftKey("village", v.ID), f.save)
	f.collect, f.apply = f.state, f.set
	f.closed = func() { done(nil) }
	f.saved = func(o data.Object) { done(o.(*data.Village)) }

	f.Name = f.entry()
	f.Kind = NewEnumSelect(sh, "village_kind", enumValues(data.VillageKinds), func(string) { f.changed() })
	f.Remote = widget.NewCheck(sh.T("villages.remote_long"), func(bool) { f.changed() })
	reasons := container.NewHBox()
	for _, r := range data.HotspotReasons {
		c := widget.NewCheck(sh.EnumText("hotspot", r), func(bool) { f.changed() })
		f.Reasons[r] = c
		reasons.Add(c)
	}
	f.Hotspot = widget.NewCheck(sh.T("villages.hotspot_long"), func(on bool) {
		f.enableReasons(on)
		f.changed()
	})
	f.Households = f.entry()
	f.Ethnicities = f.entry()
	f.Ethnicities.SetPlaceHolder(sh.T("villages.list_hint"))
	f.Notes = f.multiline()

	fm := f.Form
	fm.Add("field.village.name", f.Name, Filled(f.Name))
	fm.Add("field.village.kind", f.Kind, func() bool { return f.Kind.Value() != "" })
	fm.Add("villages.field.remote", f.Remote, nil)
	fm.Add("villages.field.hotspot", container.NewVBox(f.Hotspot, reasons), nil)
	fm.Add("field.village.households", f.Households, nil)
	fm.Add("villages.field.ethnicities", f.Ethnicities, nil)
	fm.Add("villages.field.notes", f.Notes, nil)

	title := sh.T("villages.new_title")
	if v.ID != "" {
		title = sh.T("villages.edit_title", "Name", v.Name)
	}
	f.Content = f.page(title)
	return f
}

func (f *VillageForm) enableReasons(on bool) {
	for _, c := range f.Reasons {
		if on {
			c.Enable()
		} else {
			c.Disable()
		}
	}
}

func (f *VillageForm) stateOf(v *data.Village) villageState {
	s := villageState{Name: v.Name, Kind: string(v.VillageKind), Remote: v.Remote, Hotspot: v.Hotspot,
		Reasons: v.HotspotReasons, Ethnicities: strings.Join(v.Ethnicities, ", "), Notes: v.Notes}
	if v.Households > 0 {
		s.Households = strconv.Itoa(v.Households)
	}
	return s
}

func (f *VillageForm) state() villageState {
	s := villageState{Name: f.Name.Text, Kind: f.Kind.Value(), Remote: f.Remote.Checked, Hotspot: f.Hotspot.Checked,
		Households: f.Households.Text, Ethnicities: f.Ethnicities.Text, Notes: f.Notes.Text}
	for _, r := range data.HotspotReasons {
		if f.Reasons[r].Checked {
			s.Reasons = append(s.Reasons, r)
		}
	}
	return s
}

func (f *VillageForm) set(s villageState) {
	f.Name.SetText(s.Name)
	f.Kind.SetValue(s.Kind)
	f.Remote.SetChecked(s.Remote)
	f.Hotspot.SetChecked(s.Hotspot)
	for r, c := range f.Reasons {
		c.SetChecked(slices.Contains(s.Reasons, r))
	}
	f.enableReasons(s.Hotspot)
	f.Households.SetText(s.Households)
	f.Ethnicities.SetText(s.Ethnicities)
	f.Notes.SetText(s.Notes)
}

func (f *VillageForm) save() {
	s := f.state()
	var bad fieldErrors
	v := *f.v
	v.Name, v.VillageKind, v.Remote, v.Hotspot = s.Name, data.VillageKind(s.Kind), s.Remote, s.Hotspot
	v.HotspotReasons = nil
	if s.Hotspot {
		v.HotspotReasons = s.Reasons
	}
	v.Households = bad.count("field.village.households", s.Households)
	v.Ethnicities, v.Notes = splitList(s.Ethnicities), s.Notes
	f.store(&v, bad)
}

// VillageDetail shows one village: its facts, and tabs with its
// households, key persons and timeline.
type VillageDetail struct {
	s *VillagesScreen
	// V is the village shown.
	V *data.Village
	// Content is the whole detail view.
	Content fyne.CanvasObject
	// Tabs holds the households, key persons and timeline tabs.
	Tabs *container.AppTabs

	// Edit, Delete and Back act on the village.
	Edit, Delete, Back *widget.Button

	// HouseholdSearch filters the households by head or phone.
	HouseholdSearch *widget.Entry
	// Households lists the village's households.
	Households *rowList
	// AddHousehold opens the form for a new household of the village.
	AddHousehold *widget.Button
	// Persons lists the village's key persons.
	Persons *rowList
	// AddPerson opens the form for a new key person of the village.
	AddPerson *widget.Button
	// Timeline lists the concerns, meetings, visits and models of the
	// village, newest first; tapping one opens it on its own screen.
	Timeline *rowList

	// HouseholdForm and PersonForm are the dialogs opened last, or nil.
	HouseholdForm *HouseholdForm
	PersonForm    *PersonForm

	tabHouseholds, tabPersons, tabTimeline *container.TabItem
	seq                                    int
}

// timelineKinds are the kinds a village timeline shows.
var timelineKinds = map[data.Kind]bool{data.KindConcern: true, data.KindMeeting: true, data.KindVisit: true, data.KindModel: true}

func newVillageDetail(s *VillagesScreen, v *data.Village) *VillageDetail {
	sh := s.sh
	d := &VillageDetail{s: s, V: v}
	d.Back = widget.NewButtonWithIcon(sh.T("btn.back"), theme.NavigateBackIcon(), s.showList)
	d.Edit = widget.NewButtonWithIcon(sh.T("btn.edit"), theme.DocumentCreateIcon(), func() { s.edit(v) })
	d.Delete = deleteButton(sh, func() {
		deleteRecord(sh, v.ID, v.Name, s.showList)
	})

	d.HouseholdSearch = widget.NewEntry()
	d.HouseholdSearch.SetPlaceHolder(sh.T("villages.household_search"))
	d.HouseholdSearch.OnChanged = func(string) { d.Refresh() }
	d.Households = newRowList(func(r data.Row) listLine { return rowLine(sh, r, true) }, func(r data.Row) { d.openHousehold(r.ID) })
	d.AddHousehold = widget.NewButtonWithIcon(sh.T("villages.add_household"), theme.ContentAddIcon(), func() {
		d.editHousehold(&data.Household{Village: v.ID})
	})
	d.Persons = newRowList(func(r data.Row) listLine { return rowLine(sh, r, true) }, func(r data.Row) { d.openPerson(r.ID) })
	d.AddPerson = widget.NewButtonWithIcon(sh.T("villages.add_person"), theme.ContentAddIcon(), func() {
		d.editPerson(&data.Person{Village: v.ID, Role: data.RoleElder})
	})
	d.Timeline = newRowList(func(r data.Row) listLine { return rowLine(sh, r, true) }, func(r data.Row) { openRecord(sh, r.Kind, r.ID) })

	d.tabHouseholds = container.NewTabItem(sh.T("villages.tab_households"),
		container.NewBorder(container.NewBorder(nil, nil, nil, d.AddHousehold, d.HouseholdSearch), nil, nil, nil, d.Households))
	d.tabPersons = container.NewTabItem(sh.T("villages.tab_persons"),
		container.NewBorder(container.NewHBox(layout.NewSpacer(), d.AddPerson), nil, nil, nil, d.Persons))
	d.tabTimeline = container.NewTabItem(sh.T("villages.tab_timeline"), d.Timeline)
	d.Tabs = container.NewAppTabs(d.tabHouseholds, d.tabPersons, d.tabTimeline)

	facts := []string{sh.EnumText("village_kind", string(v.VillageKind))}
	if v.Households > 0 {
		facts = append(facts, sh.Tn("villages.households_n", v.Households))
	}
	if len(v.Ethnicities) > 0 {
		facts = append(facts, sh.T("villages.ethnicities_are", "List", strings.Join(v.Ethnicities, ", ")))
	}
	head := container.NewVBox(
		container.NewBorder(nil, nil, d.Back, container.NewHBox(d.Edit, d.Delete), heading(v.Name)),
		wrapLabel(strings.Join(facts, " · ")),
	)
	if m := villageMarks(sh, v); m != "" {
		l := widget.NewLabel(m)
		l.Importance = widget.WarningImportance
		l.TextStyle = fyne.TextStyle{Bold: true}
		head.Add(l)
	}
	if v.Notes != "" {
		head.Add(hintLabel(v.Notes))
	}
	d.Content = container.NewBorder(head, nil, nil, nil, d.Tabs)
	d.Refresh()
	return d
}

// Refresh reloads the households, key persons and timeline.
func (d *VillageDetail) Refresh() {
	st := d.s.sh.Store()
	if st == nil {
		return
	}
	d.seq++
	seq, q, id := d.seq, d.HouseholdSearch.Text, d.V.ID
	var hh, persons, timeline []data.Row
	d.s.sh.Go(func() error {
		hh = st.Find(data.Filter{Kind: data.KindHousehold, Village: id, Query: q}, data.ByTitle)
		persons = st.Find(data.Filter{Kind: data.KindPerson, Village: id}, data.ByTitle)
		for _, r := range st.Find(data.Filter{Village: id}, data.ByDateDesc) {
			if timelineKinds[r.Kind] {
				timeline = append(timeline, r)
			}
		}
		return nil
	}, func(error) {
		if seq != d.seq {
			return
		}
		sh := d.s.sh
		d.Households.SetRows(hh)
		d.Persons.SetRows(persons)
		d.Timeline.SetRows(timeline)
		d.tabHouseholds.Text = sh.T("villages.tab_households_n", "N", formatCount(len(hh)))
		d.tabPersons.Text = sh.T("villages.tab_persons_n", "N", formatCount(len(persons)))
		d.tabTimeline.Text = sh.T("villages.tab_timeline_n", "N", formatCount(len(timeline)))
		d.Tabs.Refresh()
	})
}

func (d *VillageDetail) openHousehold(id string) {
	h := new(data.Household)
	loadThen(d.s.sh, id, h, func() { d.editHousehold(h) })
}

func (d *VillageDetail) openPerson(id string) {
	p := new(data.Person)
	loadThen(d.s.sh, id, p, func() { d.editPerson(p) })
}

func (d *VillageDetail) editHousehold(h *data.Household) {
	d.HouseholdForm = newHouseholdForm(d.s.sh, h, d.Refresh)
}

func (d *VillageDetail) editPerson(p *data.Person) {
	d.PersonForm = newPersonForm(d.s.sh, p, d.Refresh)
}

// HouseholdForm is the dialog that adds, edits or deletes a household.
// Ethnicity and religion are marked as sensitive personal data.
type HouseholdForm struct {
	*recordForm[householdState]
	// Dialog is the dialog holding the form.
	Dialog *dialog.CustomDialog
	// Delete moves the household to the trash (nil for a new one).
	Delete *widget.Button

	// Head … Notes are the fields, in form order.
	Head, Members, Ethnicity, Religion, Phone, Notes *widget.Entry

	h *data.Household
}

// householdState is the household form as kept in its draft.
type householdState struct{ Head, Members, Ethnicity, Religion, Phone, Notes string }

func newHouseholdForm(sh *Shell, h *data.Household, changed func()) *HouseholdForm {
	f := &HouseholdForm{h: h}
	f.recordForm = newRecordForm[householdState](sh, draftKey("household", h.ID)+"/"+h.Village, f.save)
	f.collect, f.apply = f.state, f.set
	f.Head, f.Members, f.Ethnicity, f.Religion, f.Phone = f.entry(), f.entry(), f.entry(), f.entry(), f.entry()
	f.Notes = f.multiline()
	fm := f.Form
	fm.Add("field.household.head", f.Head, Filled(f.Head))
	fm.Add("field.household.members", f.Members, nil)
	fm.AddRow(sensitiveNote(sh))
	fm.Add("villages.field.ethnicity", f.Ethnicity, nil)
	fm.Add("villages.field.religion", f.Religion, nil)
	fm.Add("villages.field.phone", f.Phone, nil)
	fm.Add("villages.field.notes", f.Notes, nil)
	title := sh.T("villages.household_new")
	if h.ID != "" {
		title = sh.T("villages.household_edit", "Name", h.Head)
		f.Delete = deleteButton(sh, func() {
			deleteRecord(sh, h.ID, h.Head, func() {
				f.Dialog.Hide()
				changed()
			})
		})
	}
	f.Dialog = f.dialog(title, f.Delete)
	f.saved = func(data.Object) { changed() }
	f.fill(householdState{Head: h.Head, Members: countText(h.Members), Ethnicity: h.Ethnicity, Religion: h.Religion, Phone: h.Phone, Notes: h.Notes})
	return f
}

func (f *HouseholdForm) state() householdState {
	return householdState{f.Head.Text, f.Members.Text, f.Ethnicity.Text, f.Religion.Text, f.Phone.Text, f.Notes.Text}
}

func (f *HouseholdForm) set(s householdState) {
	f.Head.SetText(s.Head)
	f.Members.SetText(s.Members)
	f.Ethnicity.SetText(s.Ethnicity)
	f.Religion.SetText(s.Religion)
	f.Phone.SetText(s.Phone)
	f.Notes.SetText(s.Notes)
}

func (f *HouseholdForm) save() {
	s := f.state()
	var bad fieldErrors
	h := *f.h
	h.Head, h.Ethnicity, h.Religion, h.Phone, h.Notes = s.Head, strings.TrimSpace(s.Ethnicity), strings.TrimSpace(s.Religion), strings.TrimSpace(s.Phone), s.Notes
	h.Members = bad.count("field.household.members", s.Members)
	f.store(&h, bad)
}

// sensitiveNote says that ethnicity and religion are sensitive data.
func sensitiveNote(sh *Shell) fyne.CanvasObject {
	l := wrapLabel(sh.T("villages.sensitive_note"))
	l.Importance = widget.WarningImportance
	return l
}

// PersonForm is the dialog that adds, edits or deletes a key person.
type PersonForm struct {
	*recordForm[personState]
	// Dialog is the dialog holding the form.
	Dialog *dialog.CustomDialog
	// Delete moves the person to the trash (nil for a new one).
	Delete *widget.Button

	// Name … Notes are the fields, in form order.
	Name      *widget.Entry
	Role      *EnumSelect
	Phone     *widget.Entry
	Languages *widget.Entry
	Notes     *widget.Entry
	// DecisionNo … TermTo are a người có uy tín's recognition (shown for
	// that role, or when a decision is recorded); Support lists what they
	// were given, and SupportDate, SupportWhat, SupportValue and
	// AddSupport add to it.
	DecisionNo                     *widget.Entry
	DecisionDate, TermFrom, TermTo *DateField
	Support                        *fyne.Container
	SupportDate                    *DateField
	SupportWhat, SupportValue      *widget.Entry
	AddSupport                     *widget.Button
	showRecognition                []func(bool)
	support                        []data.PersonSupport

	p *data.Person
}

// personState is the key-person form as kept in its draft.
type personState struct {
	Name, Role, Phone, Languages, Notes        string
	DecisionNo, DecisionDate, TermFrom, TermTo string
	Support                                    []data.PersonSupport
}

func newPersonForm(sh *Shell, p *data.Person, changed func()) *PersonForm {
	f := &PersonForm{p: p}
	f.recordForm = newRecordForm[personState](sh, draftKey("person", p.ID)+"/"+p.Village, f.save)
	f.collect, f.apply = f.state, f.set
	f.Name, f.Phone, f.Languages = f.entry(), f.entry(), f.entry()
	f.Languages.SetPlaceHolder(sh.T("villages.list_hint"))
	f.Role = NewEnumSelect(sh, "role", enumValues(data.PersonRoles), func(string) { f.roleChanged(); f.changed() })
	f.Notes = f.multiline()
	f.DecisionNo = f.entry()
	f.DecisionNo.SetPlaceHolder("15/QĐ-UBND")
	f.DecisionDate, f.TermFrom, f.TermTo = f.dateField(nil), f.dateField(nil), f.dateField(nil)
	f.Support = container.NewVBox()
	f.SupportDate = NewDateField(sh, nil)
	f.SupportDate.SetDate(sh.Today())
	f.SupportWhat, f.SupportValue = widget.NewEntry(), widget.NewEntry()
	f.SupportWhat.SetPlaceHolder(sh.T("villages.support_what"))
	f.SupportValue.SetPlaceHolder(sh.T("villages.support_value"))
	f.AddSupport = widget.NewButtonWithIcon(sh.T("villages.support_add"), theme.ContentAddIcon(), f.addSupport)
	fm := f.Form
	fm.Add("field.person.name", f.Name, Filled(f.Name))
	fm.Add("field.person.role", f.Role, func() bool { return f.Role.Value() != "" })
	fm.Add("villages.field.phone", f.Phone, nil)
	fm.Add("villages.field.languages", f.Languages, nil)
	fm.Add("villages.field.notes", f.Notes, nil)
	f.showRecognition = []func(bool){
		addToggledRow(fm, "field.person.decision_no", f.DecisionNo),
		addToggledRow(fm, "field.person.decision_date", f.DecisionDate),
		addToggledRow(fm, "field.person.term_from", f.TermFrom),
		addToggledRow(fm, "field.person.term_to", f.TermTo),
		addToggledRow(fm, data.FieldPersonSupport, container.NewVBox(f.Support,
			container.NewBorder(nil, nil, container.New(widthLayout{130}, f.SupportDate), container.NewHBox(container.New(widthLayout{120}, f.SupportValue), f.AddSupport), f.SupportWhat))),
	}
	title := sh.T("villages.person_new")
	if p.ID != "" {
		title = sh.T("villages.person_edit", "Name", p.Name)
		f.Delete = deleteButton(sh, func() {
			deleteRecord(sh, p.ID, p.Name, func() {
				f.Dialog.Hide()
				changed()
			})
		})
	}
	f.Dialog = f.dialog(title, f.Delete)
	f.saved = func(data.Object) { changed() }
	f.fill(personState{Name: p.Name, Role: string(p.Role), Phone: p.Phone, Languages: strings.Join(p.Languages, ", "), Notes: p.Notes,
		DecisionNo: p.DecisionNo, DecisionDate: p.DecisionDate.Display(), TermFrom: p.TermFrom.Display(), TermTo: p.TermTo.Display(),
		Support: p.Support})
	return f
}

func (f *PersonForm) state() personState {
	return personState{f.Name.Text, f.Role.Value(), f.Phone.Text, f.Languages.Text, f.Notes.Text,
		f.DecisionNo.Text, f.DecisionDate.Text, f.TermFrom.Text, f.TermTo.Text, append([]data.PersonSupport(nil), f.support...)}
}

func (f *PersonForm) set(s personState) {
	f.Name.SetText(s.Name)
	f.Role.SetValue(s.Role)
	f.Phone.SetText(s.Phone)
	f.Languages.SetText(s.Languages)
	f.Notes.SetText(s.Notes)
	f.DecisionNo.SetText(s.DecisionNo)
	f.DecisionDate.SetText(s.DecisionDate)
	f.TermFrom.SetText(s.TermFrom)
	f.TermTo.SetText(s.TermTo)
	f.support = append([]data.PersonSupport(nil), s.Support...)
	f.showSupport()
	f.roleChanged()
}

// roleChanged shows the recognition's fields for a người có uy tín, or
// for anyone with a decision recorded.
func (f *PersonForm) roleChanged() {
	on := data.PersonRole(f.Role.Value()) == data.RolePrestige || strings.TrimSpace(f.DecisionNo.Text) != "" || len(f.support) > 0
	for _, show := range f.showRecognition {
		show(on)
	}
}

// showSupport lists the support given, each with its delete button.
func (f *PersonForm) showSupport() {
	sh := f.sh
	f.Support.RemoveAll()
	for i, s := range f.support {
		i := i
		line := s.Date.Display() + " · " + s.What
		if s.ValueVND > 0 {
			line += " · " + formatCount(int(s.ValueVND)) + " đ"
		}
		del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			f.support = append(f.support[:i:i], f.support[i+1:]...)
			f.showSupport()
			f.changed()
		})
		f.Support.Add(container.NewBorder(nil, nil, nil, del, widget.NewLabel(line)))
	}
	if len(f.support) == 0 {
		f.Support.Add(hintLabel(sh.T("villages.support_none")))
	}
	f.Support.Refresh()
}

// addSupport adds the support typed in the add row.
func (f *PersonForm) addSupport() {
	var bad fieldErrors
	d := bad.date(data.FieldPersonSupport, f.SupportDate)
	what := strings.TrimSpace(f.SupportWhat.Text)
	if what == "" || !d.Valid() {
		f.Form.ShowErrors(&data.ValidationError{Kind: data.KindPerson, Fields: []data.FieldError{{Field: data.FieldPersonSupport, Msg: data.MsgRequired}}})
		return
	}
	value := int64(bad.count(data.FieldPersonSupport, f.SupportValue.Text))
	if len(bad) > 0 {
		f.Form.ShowErrors(&data.ValidationError{Kind: data.KindPerson, Fields: bad})
		return
	}
	f.Form.ShowErrors(nil)
	f.support = append(f.support, data.PersonSupport{ID: data.NewID(), Date: d, What: data.NFC(what), ValueVND: value})
	f.SupportWhat.SetText("")
	f.SupportValue.SetText("")
	f.showSupport()
	f.changed()
}

func (f *PersonForm) save() {
	s := f.state()
	p := *f.p
	p.Name, p.Role, p.Phone, p.Languages, p.Notes = s.Name, data.PersonRole(s.Role), strings.TrimSpace(s.Phone), splitList(s.Languages), s.Notes
	var bad fieldErrors
	p.DecisionNo = strings.TrimSpace(s.DecisionNo)
	p.DecisionDate = bad.optionalDate("field.person.decision_date", f.DecisionDate)
	p.TermFrom = bad.optionalDate("field.person.term_from", f.TermFrom)
	p.TermTo = bad.optionalDate("field.person.term_to", f.TermTo)
	p.Support = s.Support
	f.store(&p, bad)
}

// ─── Shared by the visits, villages, models and reports screens ────────

// villageChoice is a drop-down of the commune's villages in Vietnamese
// order, optionally led by an entry for "all villages" or "none" (value "").
type villageChoice struct {
	*widget.Select
	ids     []string
	first   string
	want    string
	quiet   bool
	changed func(id string)
}

// newVillageChoice returns an empty drop-down; firstID, if not "", is the
// i18n id of a leading entry whose value is "". Fill it with setRows.
func newVillageChoice(sh *Shell, firstID string, changed func(id string)) *villageChoice {
	c := &villageChoice{changed: changed}
	if firstID != "" {
		c.first = sh.T(firstID)
	}
	c.Select = &widget.Select{PlaceHolder: sh.T("villages.choose"), OnChanged: func(string) {
		if !c.quiet && c.changed != nil {
			c.changed(c.Value())
		}
	}}
	// The drop-down shown is c, so its refreshes must reach c's renderer.
	c.ExtendBaseWidget(c)
	return c
}

// setRows fills the options from village rows, already in Vietnamese
// order, keeping the selection. Equal names get a number to tell them apart.
func (c *villageChoice) setRows(rows []data.Row) {
	cur := c.Value()
	if c.want != "" {
		cur = c.want
	}
	c.ids = c.ids[:0]
	var opts []string
	if c.first != "" {
		c.ids, opts = append(c.ids, ""), append(opts, c.first)
	}
	seen := map[string]int{}
	for _, r := range rows {
		label := r.Title
		if seen[label]++; seen[label] > 1 {
			label = fmt.Sprintf("%s (%d)", label, seen[label])
		}
		c.ids, opts = append(c.ids, r.ID), append(opts, label)
	}
	c.quiet = true
	c.Options = opts
	c.setValue(cur)
	c.quiet = false
	c.Refresh()
}

// Value returns the chosen village id, or "".
func (c *villageChoice) Value() string {
	i := c.SelectedIndex()
	if i < 0 || i >= len(c.ids) {
		return ""
	}
	return c.ids[i]
}

// SetValue chooses the village id (even before the options are loaded).
func (c *villageChoice) SetValue(id string) {
	c.want = id
	c.setValue(id)
}

func (c *villageChoice) setValue(id string) {
	for i, x := range c.ids {
		if x == id {
			c.want = ""
			c.SetSelectedIndex(i)
			return
		}
	}
	c.ClearSelected()
}

// listLine is one record as a list shows it.
type listLine struct {
	Title string
	// Sub is the second, quieter line.
	Sub string
	// Badge is a warning shown after the title (remote, hotspot, overdue).
	Badge string
}

// rowList is a virtualised list of index rows, two lines each.
type rowList struct {
	*widget.List
	rows   []data.Row
	render func(data.Row) listLine
}

// newRowList returns a list showing each row as render says; tap (may be
// nil) is called when a row is tapped.
func newRowList(render func(data.Row) listLine, tap func(data.Row)) *rowList {
	l := &rowList{render: render}
	l.List = &widget.List{Length: func() int { return len(l.rows) }}
	// The list shown is l, so its refreshes must reach l's renderer.
	l.ExtendBaseWidget(l)
	l.CreateItem = func() fyne.CanvasObject {
		title := widget.NewLabel("")
		title.TextStyle = fyne.TextStyle{Bold: true}
		title.Truncation = fyne.TextTruncateEllipsis
		badge := widget.NewLabel("")
		badge.Importance = widget.WarningImportance
		sub := widget.NewLabel("")
		sub.SizeName = theme.SizeNameCaptionText
		sub.Truncation = fyne.TextTruncateEllipsis
		return container.NewVBox(container.NewBorder(nil, nil, nil, badge, title), sub)
	}
	l.UpdateItem = func(i widget.ListItemID, o fyne.CanvasObject) {
		if i >= len(l.rows) {
			return
		}
		line := l.render(l.rows[i])
		box := o.(*fyne.Container)
		top := box.Objects[0].(*fyne.Container)
		top.Objects[0].(*widget.Label).SetText(line.Title)
		top.Objects[1].(*widget.Label).SetText(line.Badge)
		box.Objects[1].(*widget.Label).SetText(line.Sub)
	}
	l.OnSelected = func(i widget.ListItemID) {
		l.Unselect(i)
		if tap != nil && i < len(l.rows) {
			tap(l.rows[i])
		}
	}
	return l
}

// SetRows shows rows.
func (l *rowList) SetRows(rows []data.Row) {
	l.rows = rows
	l.Refresh()
}

// Rows returns the rows shown.
func (l *rowList) Rows() []data.Row { return l.rows }

// Lines returns every row as shown, for tests and checks.
func (l *rowList) Lines() []listLine {
	out := make([]listLine, len(l.rows))
	for i, r := range l.rows {
		out[i] = l.render(r)
	}
	return out
}

// rowLine is the list line of any record row: its title, and a second
// line with its date, sub-kind and status. In a village's own lists
// (inVillage) the line names the record's kind, since the timeline mixes
// kinds; elsewhere it names the village.
func rowLine(sh *Shell, r data.Row, inVillage bool) listLine {
	var sub []string
	add := func(s string) {
		if s != "" {
			sub = append(sub, s)
		}
	}
	line := listLine{Title: r.Title}
	if timelineKinds[r.Kind] {
		if inVillage {
			add(sh.EnumText("kind", string(r.Kind)))
		} else if v, ok := sh.Store().Row(r.Village); ok && r.Village != "" && r.Kind != data.KindVisit {
			add(v.Title) // a visit's title names its village already
		}
	}
	switch r.Kind {
	case data.KindHousehold:
		if r.N > 0 {
			add(sh.Tn("villages.members_n", r.N))
		}
		add(r.Phone)
	case data.KindPerson:
		add(sh.EnumText("role", r.Sub))
		add(r.Phone)
	case data.KindConcern:
		add(r.Date.Display())
		add(sh.EnumText("concern_kind", r.Sub))
		add(sh.EnumText("status", r.Status))
	case data.KindMeeting:
		line.Title = sh.EnumText("meeting_kind", r.Sub)
		if r.Title != "" {
			line.Title += " – " + r.Title
		}
		add(r.Date.Display())
	case data.KindVisit:
		// The village and the dates; the households' names are on its page.
		line.Title = visitTitle(sh, villageName(sh, r.Village), nil, r.Date, r.End)
		add(r.Title)
		add(sh.Tn("visits.households_n", r.N))
	case data.KindModel:
		add(r.Date.Display())
		add(sh.EnumText("model_field", r.Sub))
		add(sh.EnumText("model_status", r.Status))
	}
	line.Sub = strings.Join(sub, " · ")
	sh.markColleague(r.ID, &line.Title, &line.Sub)
	return line
}

// spanNights returns the nights between from and to (0 if unknown or
// out of order).
func spanNights(from, to data.Date) int {
	v := data.FieldVisit{From: from, To: to}
	return v.Nights()
}

// kindScreen names the screen that opens a record of each kind.
var kindScreen = map[data.Kind]string{
	data.KindConcern: "concerns", data.KindMeeting: "meetings", data.KindVisit: "visits",
	data.KindModel: "models", data.KindVillage: "villages",
}

// openRecord shows the screen for kind and opens record id on it.
func openRecord(sh *Shell, kind data.Kind, id string) {
	id0, ok := kindScreen[kind]
	if !ok {
		return
	}
	if o, ok := sh.ShowScreen(id0).(interface{ Open(string) }); ok {
		o.Open(id)
	}
}

// loadThen loads the object id into obj off the UI goroutine, then calls
// then on it, or shows the error.
func loadThen(sh *Shell, id string, obj data.Object, then func()) {
	st := sh.Store()
	if st == nil {
		return
	}
	sh.Go(func() error { return st.Load(id, obj) }, func(err error) {
		if err != nil {
			sh.ShowError(err)
			return
		}
		then()
	})
}

// deleteRecord asks, then moves record id (shown as name) to the trash and
// calls done.
func deleteRecord(sh *Shell, id, name string, done func()) {
	sh.ConfirmDelete(name, func() {
		st := sh.Store()
		if st == nil {
			return
		}
		sh.Go(func() error { return st.Delete(id) }, func(err error) {
			if err != nil {
				sh.ShowError(err)
				return
			}
			done()
		})
	})
}

// draftKey is the draft slot of a form for a record of kind: "<kind>/new"
// or "<kind>/<id>".
func draftKey(kind, id string) string {
	if id == "" {
		id = "new"
	}
	return kind + "/" + id
}

// recordForm is the plumbing every form of these screens shares: the kit
// Form, a durable draft of the form's state S written on each change (off
// the UI goroutine) and offered back on the next open, Ctrl+S, and saving
// through the store off the UI goroutine with validation errors shown
// next to the fields.
type recordForm[S any] struct {
	sh *Shell
	// Form lays out the fields; its Save button saves.
	Form *Form
	// Cancel discards the changes (after asking) and closes the form.
	Cancel *widget.Button
	// Restore asks whether to restore a kept draft; nil when none was kept.
	Restore *dialog.ConfirmDialog
	// Scroll scrolls the form's page (see formScroll); nil in a dialog.
	Scroll *container.Scroll

	key     string
	draft   *draftWriter
	collect func() S
	apply   func(S)
	quiet   bool
	dirty   bool
	// saved is called with the stored object; closed when the form
	// closes without saving.
	saved  func(data.Object)
	closed func()
	dlg    *dialog.CustomDialog
}

func newRecordForm[S any](sh *Shell, key string, save func()) *recordForm[S] {
	f := &recordForm[S]{sh: sh, key: key, draft: newDraftWriter(sh, key)}
	f.Form = NewForm(sh, save)
	f.Cancel = widget.NewButtonWithIcon(sh.T("btn.cancel"), theme.CancelIcon(), f.cancel)
	return f
}

// SaveForm saves the form if it can be saved (Ctrl+S).
func (f *recordForm[S]) SaveForm() {
	if !f.Form.Save.Disabled() && f.Form.Save.OnTapped != nil {
		f.Form.Save.OnTapped()
	}
}

// entry returns a one-line entry wired to the draft.
func (f *recordForm[S]) entry() *widget.Entry {
	e := widget.NewEntry()
	e.OnChanged = func(string) { f.changed() }
	return e
}

// multiline returns a multi-line, wrapping entry wired to the draft.
func (f *recordForm[S]) multiline() *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(3)
	e.OnChanged = func(string) { f.changed() }
	return e
}

// dateField returns a date field wired to the draft; then (may be nil)
// runs after each keystroke, before the draft is saved.
func (f *recordForm[S]) dateField(then func()) *DateField {
	d := NewDateField(f.sh, nil)
	typed := d.OnChanged
	d.OnChanged = func(s string) {
		typed(s)
		if then != nil {
			then()
		}
		f.changed()
	}
	return d
}

// changed keeps Save's state and the draft up to date; every field calls it.
func (f *recordForm[S]) changed() {
	if f.quiet || f.collect == nil {
		return
	}
	f.dirty = true
	f.Form.Check()
	f.draft.save(f.collect())
}

// show shows state s without touching the draft.
func (f *recordForm[S]) show(s S) {
	f.quiet = true
	f.apply(s)
	f.quiet = false
	f.Form.Check()
}

// fill shows the record's state s, then offers a kept draft back.
func (f *recordForm[S]) fill(s S) {
	f.show(s)
	var kept S
	found := false
	f.sh.Go(func() error {
		found = NewDraft(f.sh, f.key).Load(&kept)
		return nil
	}, func(error) {
		if !found {
			return
		}
		f.Restore = offerDraft(f.sh, f.key, func() {
			f.Restore = nil
			f.show(kept)
			f.dirty = true
		}, func() {
			f.Restore = nil
			f.draft.drop()
		})
	})
}

// page lays the form out as a full page under title, with the extra
// buttons, Cancel and Save at the bottom right.
func (f *recordForm[S]) page(title string, extra ...fyne.CanvasObject) fyne.CanvasObject {
	buttons := container.NewHBox(append(append([]fyne.CanvasObject{layout.NewSpacer()}, extra...), f.Cancel, f.Form.Save)...)
	f.Scroll = formScroll(container.NewPadded(f.Form.Box))
	return container.NewBorder(heading(title), buttons, nil, nil, f.Scroll)
}

// dialog shows the form in a dialog under title, with the extra button
// (may be nil), Cancel and Save. Esc closes it, keeping the draft.
func (f *recordForm[S]) dialog(title string, extra *widget.Button) *dialog.CustomDialog {
	var buttons []fyne.CanvasObject
	if extra != nil {
		buttons = append(buttons, extra)
	}
	f.dlg = showFormDialog(f.sh, title, f, f.Form.Box, append(buttons, f.Cancel, f.Form.Save)...)
	return f.dlg
}

// close drops the draft and leaves the form.
func (f *recordForm[S]) close(saved data.Object) {
	f.draft.drop()
	f.dirty = false
	if f.dlg != nil {
		f.dlg.Hide()
	}
	if saved != nil {
		if f.saved != nil {
			f.saved(saved)
		}
	} else if f.closed != nil {
		f.closed()
	}
}

// cancel leaves the form, asking first when something was typed.
func (f *recordForm[S]) cancel() {
	if !f.dirty {
		f.close(nil)
		return
	}
	dialog.ShowConfirm(f.sh.T("confirm.title"), f.sh.T("confirm.discard"), func(ok bool) {
		if ok {
			f.close(nil)
		}
	}, f.sh.Win)
}

// store saves obj off the UI goroutine unless bad holds unreadable
// numbers; validation errors show next to their fields.
func (f *recordForm[S]) store(obj data.Object, bad fieldErrors) {
	if len(bad) > 0 {
		f.Form.ShowErrors(&data.ValidationError{Kind: obj.Kind(), Fields: bad})
		return
	}
	f.saveThen(obj, func() { f.close(obj) })
}

// saveThen saves obj off the UI goroutine, then calls then; a validation
// error shows next to its fields instead.
func (f *recordForm[S]) saveThen(obj data.Object, then func()) {
	st := f.sh.Store()
	if st == nil {
		return
	}
	f.Form.Save.Disable()
	f.sh.Go(func() error { return st.Save(obj) }, func(err error) {
		f.Form.Check()
		if err != nil {
			if !f.Form.ShowErrors(err) {
				f.sh.ShowError(err)
			}
			return
		}
		f.Form.ShowErrors(nil)
		then()
	})
}

// fieldErrors collects the fields whose number or date could not be read.
type fieldErrors []data.FieldError

// date reads a date field labelled labelID; "" is no date.
func (b *fieldErrors) date(labelID string, d *DateField) data.Date {
	v, ok := d.DateOK()
	if !ok {
		*b = append(*b, data.FieldError{Field: labelID, Msg: data.MsgInvalid})
	}
	return v
}

// optionalDate reads the date of the field labelled labelID, "" when
// left empty.
func (b *fieldErrors) optionalDate(labelID string, d *DateField) data.Date {
	if strings.TrimSpace(d.Text) == "" {
		return ""
	}
	return b.date(labelID, d)
}

// count reads a whole non-negative number such as "1.250" for the field
// labelled labelID; "" is 0.
func (b *fieldErrors) count(labelID, s string) int {
	n, ok := parseCount(s)
	if !ok {
		*b = append(*b, data.FieldError{Field: labelID, Msg: data.MsgInvalid})
	}
	return n
}

// amount reads a decimal number such as "1.200,5" or "1200.5".
func (b *fieldErrors) amount(labelID, s string) float64 {
	x, ok := parseAmount(s)
	if !ok {
		*b = append(*b, data.FieldError{Field: labelID, Msg: data.MsgInvalid})
	}
	return x
}

// parseCount reads a whole number written with or without thousands
// separators ("1.250", "1 250", "1250"); "" is 0.
func parseCount(s string) (int, bool) {
	s = strings.NewReplacer(".", "", ",", "", " ", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// parseAmount reads a decimal number in the Vietnamese way ("1.200,5":
// dots group thousands, the comma marks decimals) or with a decimal point
// ("1200.5"); "" is 0.
func parseAmount(s string) (float64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, true
	}
	switch {
	case strings.Contains(s, ","):
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case strings.Count(s, ".") > 1:
		s = strings.ReplaceAll(s, ".", "")
	case strings.Contains(s, "."):
		if i := strings.Index(s, "."); len(s)-i-1 == 3 {
			s = strings.ReplaceAll(s, ".", "") // "1.250" is a thousand two hundred and fifty
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	return x, err == nil && x >= 0
}

// formatAmount writes x the Vietnamese way: "1.200,5".
func formatAmount(x float64) string {
	whole := int(x)
	s := formatCount(whole)
	frac := x - float64(whole)
	if frac > 0.0001 {
		f := strconv.FormatFloat(frac, 'f', 2, 64)
		f = strings.TrimRight(strings.TrimPrefix(f, "0."), "0")
		if f != "" {
			s += "," + f
		}
	}
	return s
}

// countText is n as a form shows it: "" for 0.
func countText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// splitList splits comma- or semicolon-separated names, trimmed.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// enumValues converts enum values to strings.
func enumValues[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// floorLayout gives its objects at least a fixed size.
type floorLayout struct{ size fyne.Size }

// MinSize is the fixed size, or more if an object needs it.
func (l floorLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := l.size
	for _, o := range objs {
		if o.Visible() {
			m = m.Max(o.MinSize())
		}
	}
	return m
}

// Layout gives every object the whole space.
func (l floorLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

// atLeast wraps o so that it takes at least w × h.
func atLeast(w, h float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(floorLayout{fyne.NewSize(w, h)}, o)
}

// facts lays out label/value pairs (label ids and texts) in two columns,
// leaving out empty values.
func facts(sh *Shell, pairs ...string) *fyne.Container {
	c := container.New(layout.NewFormLayout())
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			continue
		}
		l := widget.NewLabel(sh.T(pairs[i]))
		l.TextStyle = fyne.TextStyle{Bold: true}
		c.Add(l)
		c.Add(wrapLabel(pairs[i+1]))
	}
	return c
}

// ShowList goes back to the list of villages (see Lister); a form left
// open keeps its draft, offered when it is opened again.
func (s *VillagesScreen) ShowList() { s.showList() }
