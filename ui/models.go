package ui

import (
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
	RegisterScreen(ScreenDef{ID: "models", TitleID: "screen.models", Order: 50, Icon: ThemeIcon(theme.IconNameGrid),
		Make: func(sh *Shell) Screen { return newModelsScreen(sh) }})
}

// modelKinds are the two kinds of "Dân vận khéo" model.
var modelKinds = []string{data.ModelCollective, data.ModelIndividual}

// ModelsScreen is the Dân vận khéo page: a field × status grid of counts
// (tap a count to list those models) above the list of models.
type ModelsScreen struct {
	sh    *Shell
	pages *pages

	// Cells are the counts of the grid by field and status; tapping one
	// filters the list to that field and status.
	Cells map[string]map[data.ModelStatus]*widget.Button
	// FieldTotals and StatusTotals are the grid's row and column totals.
	FieldTotals  map[string]*widget.Label
	StatusTotals map[data.ModelStatus]*widget.Label
	// Total counts every model.
	Total *widget.Label

	// Field and Status filter the list; empty means all.
	Field  *EnumSelect
	Status *EnumSelect
	// ClearFilters empties both filters and the search.
	ClearFilters *widget.Button
	Search       *widget.Entry
	// List shows the models in Vietnamese order of name.
	List *rowList
	// Add opens the form for a new model.
	Add *widget.Button
	// Detail is the model shown last, or nil.
	Detail *ModelDetail
	// Form is the model form shown last, or nil.
	Form *ModelForm

	quiet bool
	seq   int
}

func newModelsScreen(sh *Shell) *ModelsScreen {
	s := &ModelsScreen{sh: sh, Cells: map[string]map[data.ModelStatus]*widget.Button{},
		FieldTotals: map[string]*widget.Label{}, StatusTotals: map[data.ModelStatus]*widget.Label{}}
	filter := func(string) {
		if !s.quiet {
			s.Refresh()
		}
	}
	s.Field = NewEnumSelect(sh, "model_field", data.ModelFields, filter)
	s.Field.PlaceHolder = sh.T("models.all_fields")
	s.Status = NewEnumSelect(sh, "model_status", enumValues(data.ModelStatuses), filter)
	s.Status.PlaceHolder = sh.T("models.all_statuses")
	s.Search = widget.NewEntry()
	s.Search.SetPlaceHolder(sh.T("search.placeholder"))
	s.Search.OnChanged = filter
	s.ClearFilters = widget.NewButtonWithIcon(sh.T("btn.clear_filters"), theme.ContentClearIcon(), func() { s.filter("", "") })
	s.Add = widget.NewButtonWithIcon(sh.T("models.add"), theme.ContentAddIcon(), s.New)
	s.Add.Importance = widget.HighImportance
	s.List = newRowList(func(r data.Row) listLine { return rowLine(sh, r, false) }, func(r data.Row) { s.Open(r.ID) })

	bar := container.NewBorder(nil, nil, container.NewHBox(atLeast(230, 0, s.Field), atLeast(200, 0, s.Status), s.ClearFilters), s.Add, s.Search)
	s.pages = newPages(container.NewBorder(container.NewVBox(heading(sh.T("screen.models")), s.grid(), widget.NewSeparator(), bar),
		nil, nil, nil, s.List))
	return s
}

// grid builds the field × status table of counts.
func (s *ModelsScreen) grid() fyne.CanvasObject {
	cell := func(f string, st data.ModelStatus) fyne.CanvasObject {
		b := widget.NewButton("0", func() { s.filter(f, string(st)) })
		b.Importance = widget.LowImportance
		if s.Cells[f] == nil {
			s.Cells[f] = map[data.ModelStatus]*widget.Button{}
		}
		s.Cells[f][st] = b
		return b
	}
	fieldTotal := func(f string) fyne.CanvasObject {
		s.FieldTotals[f] = figure()
		return s.FieldTotals[f]
	}
	statusTotal := func(st data.ModelStatus) fyne.CanvasObject {
		s.StatusTotals[st] = figure()
		return s.StatusTotals[st]
	}
	s.Total = figure()
	return modelTable(s.sh, cell, fieldTotal, statusTotal, s.Total)
}

// modelTable lays out the field × status table of "Dân vận khéo" models
// with row and column totals; the functions make its numbers.
func modelTable(sh *Shell, cell func(field string, st data.ModelStatus) fyne.CanvasObject,
	fieldTotal func(field string) fyne.CanvasObject, statusTotal func(st data.ModelStatus) fyne.CanvasObject,
	total fyne.CanvasObject) fyne.CanvasObject {
	head := []fyne.CanvasObject{widget.NewLabel("")}
	for _, st := range data.ModelStatuses {
		head = append(head, columnHead(sh.EnumText("model_status", string(st))))
	}
	rows := [][]fyne.CanvasObject{append(head, columnHead(sh.T("models.total")))}
	for _, f := range data.ModelFields {
		row := []fyne.CanvasObject{widget.NewLabel(sh.EnumText("model_field", f))}
		for _, st := range data.ModelStatuses {
			row = append(row, cell(f, st))
		}
		rows = append(rows, append(row, fieldTotal(f)))
	}
	last := []fyne.CanvasObject{boldLabel(sh.T("models.total"))}
	for _, st := range data.ModelStatuses {
		last = append(last, statusTotal(st))
	}
	return smallTable(240, append(rows, append(last, total))...)
}

// smallTable lays out a small fixed table: each row is a label, at least
// labelWidth wide, then its cells in equal columns.
func smallTable(labelWidth float32, rows ...[]fyne.CanvasObject) *fyne.Container {
	box := container.NewVBox()
	for _, r := range rows {
		box.Add(container.NewBorder(nil, nil, atLeast(labelWidth, 0, r[0]), nil, container.NewGridWithColumns(len(r)-1, r[1:]...)))
	}
	return box
}

// columnHead is a bold, wrapping column heading.
func columnHead(text string) *widget.Label {
	l := wrapLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.Alignment = fyne.TextAlignCenter
	return l
}

// figure is a bold, centred number.
func figure() *widget.Label {
	l := widget.NewLabel("0")
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.Alignment = fyne.TextAlignCenter
	return l
}

// filter lists the models of field and status ("" for all) and shows the list.
func (s *ModelsScreen) filter(field, status string) {
	s.quiet = true
	s.Field.SetValue(field)
	s.Status.SetValue(status)
	if field == "" && status == "" {
		s.Search.SetText("")
	}
	s.quiet = false
	s.showList()
	s.Refresh()
}

// SaveForm saves the form shown, if any (Ctrl+S).
func (s *ModelsScreen) SaveForm() {
	if s.Form != nil && s.pages.showing(s.Form.Content) {
		s.Form.SaveForm()
	}
}

// Content returns the page.
func (s *ModelsScreen) Content() fyne.CanvasObject { return s.pages.Container }

// FocusSearch shows the list and puts the cursor in its search box (Ctrl+F).
func (s *ModelsScreen) FocusSearch() {
	s.showList()
	s.sh.Win.Canvas().Focus(s.Search)
}

// New opens the form for a new model (Ctrl+N).
func (s *ModelsScreen) New() {
	s.edit(&data.Model{Field: s.Field.Value(), ModelKind: data.ModelCollective, Status: data.ModelRegistered, Registered: s.sh.Today()})
}

// Refresh recounts the grid and reloads the list, and the model shown.
func (s *ModelsScreen) Refresh() {
	st := s.sh.Store()
	if st == nil {
		return
	}
	s.seq++
	seq := s.seq
	f := data.Filter{Kind: data.KindModel, Sub: s.Field.Value(), Status: s.Status.Value(), Query: s.Search.Text}
	var rows, all []data.Row
	s.sh.Go(func() error {
		all = st.Find(data.Filter{Kind: data.KindModel}, data.ByTitle)
		rows = st.Find(f, data.ByTitle)
		return nil
	}, func(error) {
		if seq != s.seq {
			return
		}
		s.count(all)
		s.List.SetRows(rows)
	})
	if s.Detail != nil && s.pages.showing(s.Detail.Content) {
		s.Open(s.Detail.M.ID)
	}
}

// count fills the grid from every model's row.
func (s *ModelsScreen) count(rows []data.Row) {
	n := map[string]map[data.ModelStatus]int{}
	for _, r := range rows {
		if n[r.Sub] == nil {
			n[r.Sub] = map[data.ModelStatus]int{}
		}
		n[r.Sub][data.ModelStatus(r.Status)]++
	}
	byStatus := map[data.ModelStatus]int{}
	for _, f := range data.ModelFields {
		total := 0
		for _, st := range data.ModelStatuses {
			c := n[f][st]
			total += c
			byStatus[st] += c
			s.Cells[f][st].SetText(formatCount(c))
		}
		s.FieldTotals[f].SetText(formatCount(total))
	}
	for _, st := range data.ModelStatuses {
		s.StatusTotals[st].SetText(formatCount(byStatus[st]))
	}
	s.Total.SetText(formatCount(len(rows)))
}

func (s *ModelsScreen) showList() {
	if !s.pages.showing(s.pages.list) {
		s.pages.back()
		s.Refresh()
	}
}

// Open shows the model with id.
func (s *ModelsScreen) Open(id string) {
	m := new(data.Model)
	loadThen(s.sh, id, m, func() {
		s.Detail = newModelDetail(s, m)
		s.pages.show(s.Detail.Content)
	})
}

func (s *ModelsScreen) edit(m *data.Model) {
	var villages []data.Row
	st := s.sh.Store()
	if st == nil {
		return
	}
	s.sh.Go(func() error {
		villages = st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)
		return nil
	}, func(error) {
		s.Form = newModelForm(s, m, villages)
		s.pages.show(s.Form.Content)
		s.Form.fill(s.Form.stateOf(m))
	})
}

// ModelDetail shows one model, its counted results, and moves it along
// its status chain.
type ModelDetail struct {
	s *ModelsScreen
	// M is the model shown.
	M *data.Model
	// Content is the whole detail view.
	Content fyne.CanvasObject
	// Step moves the model to the next status, after confirmation; it is
	// disabled at the end of the chain.
	Step *widget.Button
	// StepConfirm is the confirmation while it is shown.
	StepConfirm *dialog.ConfirmDialog

	// Back, Edit and Delete act on the model.
	Back, Edit, Delete *widget.Button
}

func newModelDetail(s *ModelsScreen, m *data.Model) *ModelDetail {
	sh := s.sh
	d := &ModelDetail{s: s, M: m}
	d.Back = widget.NewButtonWithIcon(sh.T("btn.back"), theme.NavigateBackIcon(), s.showList)
	d.Edit = widget.NewButtonWithIcon(sh.T("btn.edit"), theme.DocumentCreateIcon(), func() { s.edit(m) })
	d.Delete = deleteButton(sh, func() { deleteRecord(sh, m.ID, m.Name, s.showList) })
	d.Step = widget.NewButtonWithIcon(sh.T("models.step"), theme.MediaSkipNextIcon(), d.askStep)
	d.Step.Importance = widget.HighImportance
	next, ok := m.Status.Next()
	if ok {
		d.Step.SetText(sh.T("models.step_to", "Status", sh.EnumText("model_status", string(next))))
	} else {
		d.Step.Disable()
	}

	village := ""
	if r, ok := sh.Store().Row(m.Village); ok && m.Village != "" {
		village = r.Title
	}
	// The chain, with the day of each step reached.
	reached := map[data.ModelStatus]data.Date{}
	for _, s := range m.History() {
		reached[s.Status] = s.Date
	}
	chain := make([]string, len(data.ModelStatuses))
	for i, st := range data.ModelStatuses {
		chain[i] = sh.EnumText("model_status", string(st))
		if d, ok := reached[st]; ok && d != "" {
			chain[i] += " (" + d.Display() + ")"
		}
		if st == m.Status {
			chain[i] = "[" + chain[i] + "]"
		}
	}
	info := facts(sh,
		"field.model.field", sh.EnumText("model_field", m.Field),
		"field.model.kind", sh.EnumText("model_kind", m.ModelKind),
		"field.model.status", strings.Join(chain, " → "),
		"field.model.village", village,
		"models.field.registered", m.Registered.Display(),
		"models.field.description", m.Description,
		"models.field.results", m.Results,
		"models.field.land", nonZero(m.LandM2 > 0, formatAmount(m.LandM2)),
		"models.field.work_days", nonZero(m.WorkDays > 0, formatCount(m.WorkDays)),
		"models.field.money", nonZero(m.MoneyVND > 0, formatCount(int(m.MoneyVND))),
		"models.field.people", nonZero(m.PeopleReached > 0, formatCount(m.PeopleReached)),
		"models.field.trainings", nonZero(m.Trainings > 0, formatCount(m.Trainings)),
	)
	head := container.NewBorder(nil, nil, d.Back, container.NewHBox(d.Step, d.Edit, d.Delete), heading(m.Name))
	d.Content = container.NewBorder(head, nil, nil, nil, formScroll(info))
	return d
}

// nonZero returns s when ok, else "" (so that facts leaves it out).
func nonZero(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

// askStep asks before moving the model to its next status.
func (d *ModelDetail) askStep() {
	sh := d.s.sh
	next, ok := d.M.Status.Next()
	if !ok {
		return
	}
	d.StepConfirm = dialog.NewConfirm(sh.T("models.step"), sh.T("models.step_confirm", "Name", d.M.Name,
		"From", sh.EnumText("model_status", string(d.M.Status)), "To", sh.EnumText("model_status", string(next))),
		func(yes bool) {
			d.StepConfirm = nil
			if yes {
				d.step(next)
			}
		}, sh.Win)
	d.StepConfirm.SetConfirmText(sh.T("models.step"))
	d.StepConfirm.SetDismissText(sh.T("btn.cancel"))
	d.StepConfirm.Show()
}

// step stores the model's next status, reached today (data.Model.Reach),
// then shows it.
func (d *ModelDetail) step(next data.ModelStatus) {
	st := d.s.sh.Store()
	if st == nil {
		return
	}
	id := d.M.ID
	d.s.sh.Go(func() error {
		var m data.Model
		if err := st.Load(id, &m); err != nil {
			return err
		}
		m.Reach(next, d.s.sh.Today())
		return st.Save(&m)
	}, func(err error) {
		if err != nil {
			d.s.sh.ShowError(err)
			return
		}
		d.s.Refresh()
	})
}

// ModelForm adds or edits a "Dân vận khéo" model with its counted results.
type ModelForm struct {
	*recordForm[modelState]
	// Content is the form page with its buttons.
	Content fyne.CanvasObject

	// Name … Trainings are the fields, in form order.
	Name   *widget.Entry
	Field  *EnumSelect
	Kind   *EnumSelect
	Status *EnumSelect
	// Reached is the day the model reached its status (data.ModelStep),
	// shown above registration.
	Reached     *DateField
	showReached func(bool)
	Village     *villageChoice
	Registered  *DateField
	Description *widget.Entry
	Results     *widget.Entry
	Land        *widget.Entry
	WorkDays    *widget.Entry
	Money       *widget.Entry
	People      *widget.Entry
	Trainings   *widget.Entry

	m *data.Model
}

// modelState is the model form as kept in its draft.
type modelState struct {
	Name, Field, Kind, Status, Reached, Village, Registered, Description, Results string
	Land, WorkDays, Money, People, Trainings                                      string
}

func newModelForm(s *ModelsScreen, m *data.Model, villages []data.Row) *ModelForm {
	sh := s.sh
	f := &ModelForm{m: m}
	f.recordForm = newRecordForm[modelState](sh, draftKey("model", m.ID), f.save)
	f.collect, f.apply = f.state, f.set
	f.closed = func() {
		if m.ID != "" {
			s.Open(m.ID)
		} else {
			s.showList()
		}
	}
	f.saved = func(o data.Object) {
		s.Open(o.(*data.Model).ID)
		s.Refresh()
	}
	changed := func(string) { f.changed() }
	f.Name = f.entry()
	f.Field = NewEnumSelect(sh, "model_field", data.ModelFields, changed)
	f.Kind = NewEnumSelect(sh, "model_kind", modelKinds, changed)
	f.Status = NewEnumSelect(sh, "model_status", enumValues(data.ModelStatuses), func(v string) {
		// A new step is reached today unless the cadre says otherwise.
		if data.ModelStatus(v) != m.Status {
			f.Reached.SetDate(sh.Today())
		} else {
			f.Reached.SetDate(reachedOn(m))
		}
		f.showReached(v != "" && data.ModelStatus(v) != data.ModelRegistered)
		f.changed()
	})
	f.Reached = f.dateField(nil)
	f.Village = newVillageChoice(sh, "models.no_village", func(string) { f.changed() })
	f.Village.setRows(villages)
	f.Registered = f.dateField(nil)
	f.Description, f.Results = f.multiline(), f.multiline()
	f.Land, f.WorkDays, f.Money, f.People, f.Trainings = f.entry(), f.entry(), f.entry(), f.entry(), f.entry()

	fm := f.Form
	fm.Add("field.model.name", f.Name, Filled(f.Name))
	fm.Add("field.model.field", f.Field, func() bool { return f.Field.Value() != "" })
	fm.Add("field.model.kind", f.Kind, func() bool { return f.Kind.Value() != "" })
	fm.Add("field.model.status", f.Status, func() bool { return f.Status.Value() != "" })
	f.showReached = addToggledRow(fm, data.FieldModelSteps, f.Reached)
	f.showReached(m.Status != "" && m.Status != data.ModelRegistered)
	fm.Add("field.model.village", f.Village, nil)
	fm.Add("models.field.registered", f.Registered, nil)
	fm.Add("models.field.description", f.Description, nil)
	fm.Add("models.field.results", f.Results, nil)
	fm.AddRow(hintLabel(sh.T("models.counted_hint")))
	fm.Add("models.field.land", f.Land, nil)
	fm.Add("models.field.work_days", f.WorkDays, nil)
	fm.Add("models.field.money", f.Money, nil)
	fm.Add("models.field.people", f.People, nil)
	fm.Add("models.field.trainings", f.Trainings, nil)

	title := sh.T("models.new_title")
	if m.ID != "" {
		title = sh.T("models.edit_title", "Name", m.Name)
	}
	f.Content = f.page(title)
	return f
}

// stateOf is the form's state for model m.
func (f *ModelForm) stateOf(m *data.Model) modelState {
	land := ""
	if m.LandM2 > 0 {
		land = strings.Replace(strconv.FormatFloat(m.LandM2, 'f', -1, 64), ".", ",", 1)
	}
	money := ""
	if m.MoneyVND > 0 {
		money = strconv.FormatInt(m.MoneyVND, 10)
	}
	return modelState{Name: m.Name, Field: m.Field, Kind: m.ModelKind, Status: string(m.Status), Reached: reachedOn(m).Display(), Village: m.Village,
		Registered: m.Registered.Display(), Description: m.Description, Results: m.Results, Land: land,
		WorkDays: countText(m.WorkDays), Money: money, People: countText(m.PeopleReached), Trainings: countText(m.Trainings)}
}

func (f *ModelForm) state() modelState {
	return modelState{Name: f.Name.Text, Field: f.Field.Value(), Kind: f.Kind.Value(), Status: f.Status.Value(), Reached: f.Reached.Text,
		Village: f.Village.Value(), Registered: f.Registered.Text, Description: f.Description.Text, Results: f.Results.Text,
		Land: f.Land.Text, WorkDays: f.WorkDays.Text, Money: f.Money.Text, People: f.People.Text, Trainings: f.Trainings.Text}
}

func (f *ModelForm) set(s modelState) {
	f.Name.SetText(s.Name)
	f.Field.SetValue(s.Field)
	f.Kind.SetValue(s.Kind)
	f.Status.SetValue(s.Status)
	f.Reached.SetText(s.Reached)
	f.Village.SetValue(s.Village)
	f.Registered.SetText(s.Registered)
	f.Description.SetText(s.Description)
	f.Results.SetText(s.Results)
	f.Land.SetText(s.Land)
	f.WorkDays.SetText(s.WorkDays)
	f.Money.SetText(s.Money)
	f.People.SetText(s.People)
	f.Trainings.SetText(s.Trainings)
}

func (f *ModelForm) save() {
	s := f.state()
	var bad fieldErrors
	m := *f.m
	m.Name, m.Field, m.ModelKind, m.Village = strings.TrimSpace(s.Name), s.Field, s.Kind, s.Village
	m.Registered, m.Description, m.Results = bad.date("models.field.registered", f.Registered), s.Description, s.Results
	// The step reached and its day (data.Model.Reach); the same status
	// with another day corrects the day.
	m.Steps = append([]data.ModelStep(nil), f.m.Steps...)
	status := data.ModelStatus(s.Status)
	if m.Status == "" {
		m.Status = data.ModelRegistered
	}
	if status != data.ModelRegistered {
		reached := bad.date(data.FieldModelSteps, f.Reached)
		if status == m.Status && len(m.Steps) > 0 && m.Steps[len(m.Steps)-1].Status == status {
			m.Steps[len(m.Steps)-1].Date = reached
		} else {
			m.Reach(status, reached)
		}
	} else {
		m.Reach(status, "")
	}
	m.LandM2 = bad.amount("models.field.land", s.Land)
	m.WorkDays = bad.count("models.field.work_days", s.WorkDays)
	m.MoneyVND = int64(bad.count("models.field.money", s.Money))
	m.PeopleReached = bad.count("models.field.people", s.People)
	m.Trainings = bad.count("models.field.trainings", s.Trainings)
	f.store(&m, bad)
}

// reachedOn is the day model m reached its current status (its
// registration for a registered model, or one without dated steps).
func reachedOn(m *data.Model) data.Date {
	h := m.History()
	return h[len(h)-1].Date
}

// ShowList goes back to the models' table (see Lister); a form left open
// keeps its draft, offered when it is opened again.
func (s *ModelsScreen) ShowList() { s.showList() }
