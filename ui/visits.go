package ui

import (
	"bytes"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

func init() {
	RegisterScreen(ScreenDef{ID: "visits", TitleID: "screen.visits", Order: 30, Icon: ThemeIcon(theme.IconNameAccount),
		Make: func(sh *Shell) Screen { return newVisitsScreen(sh) }})
}

// VisitsScreen is the Đi cơ sở page: the "4 cùng, 4 bám" field visits,
// newest first, filtered by village and searched without diacritics.
type VisitsScreen struct {
	sh    *Shell
	pages *pages

	// Village filters the list ("" for every village).
	Village *villageChoice
	// Search filters by cadre, unit, household, activity or observation.
	Search *widget.Entry
	// List shows the visits: dates, nights, village, unit, households.
	List *rowList
	// Count says how many visits the list holds.
	Count *widget.Label
	// Add opens the form for a new visit.
	Add *widget.Button
	// Form is the visit form shown last, or nil.
	Form *VisitForm
	// Detail is the visit shown last, or nil.
	Detail *VisitDetail

	seq int
}

func newVisitsScreen(sh *Shell) *VisitsScreen {
	s := &VisitsScreen{sh: sh}
	s.Village = newVillageChoice(sh, "visits.all_villages", func(string) { s.Refresh() })
	s.Search = widget.NewEntry()
	s.Search.SetPlaceHolder(sh.T("search.placeholder"))
	s.Search.OnChanged = func(string) { s.Refresh() }
	s.Add = widget.NewButtonWithIcon(sh.T("visits.add"), theme.ContentAddIcon(), s.New)
	s.Add.Importance = widget.HighImportance
	s.Count = widget.NewLabel("")
	s.List = newRowList(func(r data.Row) listLine { return rowLine(sh, r, false) }, func(r data.Row) { s.Open(r.ID) })
	bar := container.NewBorder(nil, nil, atLeast(220, 0, s.Village), s.Add, s.Search)
	s.pages = newPages(container.NewBorder(container.NewVBox(heading(sh.T("screen.visits")), bar, s.Count), nil, nil, nil, s.List))
	return s
}

// SaveForm saves the form shown, if any (Ctrl+S).
func (s *VisitsScreen) SaveForm() {
	if s.Form != nil && s.pages.showing(s.Form.Content) {
		s.Form.SaveForm()
	}
}

// Content returns the page.
func (s *VisitsScreen) Content() fyne.CanvasObject { return s.pages.Container }

// FocusSearch shows the list and puts the cursor in its search box (Ctrl+F).
func (s *VisitsScreen) FocusSearch() {
	s.showList()
	s.sh.Win.Canvas().Focus(s.Search)
}

// New opens the form for a new visit (Ctrl+N).
func (s *VisitsScreen) New() { s.edit(&data.FieldVisit{Village: s.Village.Value()}) }

// Refresh reloads the list, and the visit shown.
func (s *VisitsScreen) Refresh() {
	st := s.sh.Store()
	if st == nil {
		return
	}
	s.seq++
	seq := s.seq
	f := data.Filter{Kind: data.KindVisit, Village: s.Village.Value(), Query: s.Search.Text}
	var rows, villages []data.Row
	s.sh.Go(func() error {
		villages = st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)
		rows = st.Find(f, data.ByDateDesc)
		return nil
	}, func(error) {
		if seq != s.seq {
			return
		}
		s.Village.setRows(villages)
		s.List.SetRows(rows)
		s.Count.SetText(s.sh.T("count.records", "Count", formatCount(len(rows))))
	})
	if s.Detail != nil && s.pages.showing(s.Detail.Content) {
		s.Detail.loadConcerns()
	}
}

func (s *VisitsScreen) showList() {
	if !s.pages.showing(s.pages.list) {
		s.pages.back()
		s.Refresh()
	}
}

// Open shows the visit with id and the concerns raised on it.
func (s *VisitsScreen) Open(id string) {
	s.sh.seen(id)
	v := new(data.FieldVisit)
	loadThen(s.sh, id, v, func() { s.showDetail(v) })
}

// showDetail shows visit v, which is stored.
func (s *VisitsScreen) showDetail(v *data.FieldVisit) *VisitDetail {
	s.Detail = newVisitDetail(s, v)
	s.pages.show(s.Detail.Content)
	return s.Detail
}

// edit opens the form for v once the checklist, the profile and the
// villages are loaded.
func (s *VisitsScreen) edit(v *data.FieldVisit) {
	st := s.sh.Store()
	if st == nil {
		return
	}
	var ctx visitContext
	s.sh.Go(func() error {
		ctx.checklist = st.Checklist()
		ctx.profile, _ = st.Profile()
		ctx.villages = st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)
		return nil
	}, func(error) {
		s.Form = newVisitForm(s, v, ctx)
		s.pages.show(s.Form.Content)
		s.Form.fill(s.Form.initial(ctx))
	})
}

// visitContext is what a visit form needs from the store before it opens.
type visitContext struct {
	checklist *data.Checklist
	profile   data.Profile
	villages  []data.Row
}

// VisitForm records or edits a field visit.
type VisitForm struct {
	*recordForm[visitState]
	s *VisitsScreen
	// Content is the form page with its buttons.
	Content fyne.CanvasObject

	// RaisePrompt asks before "Ghi nhận ý kiến" saves the visit.
	RaisePrompt *dialog.ConfirmDialog

	// Cadres (comma-separated names), Unit, Village, From and To head the form.
	Cadres  *widget.Entry
	Unit    *widget.Entry
	Village *villageChoice
	From    *DateField
	To      *DateField
	// Nights shows the nights stayed, live.
	Nights *widget.Label
	// HouseholdSearch filters the village's households.
	HouseholdSearch *widget.Entry
	// Households is the checklist of the village's households.
	Households *widget.List
	// Picked says how many households are ticked.
	Picked *widget.Label
	// Extra counts households reached that are not in the list.
	Extra *widget.Entry
	// Reached is the total of households reached.
	Reached *widget.Label
	// Cung and Bam are the "cùng" and "bám" checkboxes, by item key.
	Cung, Bam map[string]*widget.Check
	// Activities and Observations are free, multi-line text.
	Activities, Observations *widget.Entry
	// RaiseConcern saves the visit and opens a concern linked to it.
	RaiseConcern *widget.Button

	v         *data.FieldVisit
	hhRows    []data.Row
	hhSeq     int
	picked    map[string]data.VisitedHousehold // by household id
	unlinked  []data.VisitedHousehold          // reached households named only
	entryIDs  map[string]string                // household id → list entry id, as stored
	cungItems []data.CheckItem
	bamItems  []data.CheckItem
}

// visitState is the visit form as kept in its draft.
type visitState struct {
	Cadres, Unit, Village, From, To string
	Households                      []data.VisitedHousehold
	Extra                           string
	Cung, Bam                       []string // keys of the items practised
	Activities, Observations        string
}

func newVisitForm(s *VisitsScreen, v *data.FieldVisit, ctx visitContext) *VisitForm {
	sh := s.sh
	f := &VisitForm{s: s, v: v, picked: map[string]data.VisitedHousehold{}, entryIDs: map[string]string{},
		Cung: map[string]*widget.Check{}, Bam: map[string]*widget.Check{}}
	f.recordForm = newRecordForm[visitState](sh, draftKey("visit", v.ID), f.save)
	f.collect, f.apply = f.state, f.set
	f.closed = func() {
		if v.ID != "" {
			s.Open(v.ID)
		} else {
			s.showList()
		}
	}
	f.saved = func(o data.Object) { s.Open(o.(*data.FieldVisit).ID) }
	for _, h := range v.Households {
		if h.HouseholdID != "" {
			f.entryIDs[h.HouseholdID] = h.ID
		} else {
			f.unlinked = append(f.unlinked, h)
		}
	}
	f.cungItems = checkItems(ctx.checklist.Cung, v.Cung)
	f.bamItems = checkItems(ctx.checklist.Bam, v.Bam)

	f.Cadres = f.entry()
	f.Cadres.SetPlaceHolder(sh.T("visits.cadres_hint"))
	f.Unit = f.entry()
	f.Village = newVillageChoice(sh, "", func(string) {
		if !f.quiet {
			clear(f.picked)
		}
		f.changed()
		f.loadHouseholds()
	})
	f.Village.setRows(ctx.villages)
	f.From = f.dateField(f.datesChanged)
	f.To = f.dateField(f.datesChanged)
	f.Nights = widget.NewLabel("")
	f.Nights.TextStyle = fyne.TextStyle{Bold: true}

	f.HouseholdSearch = widget.NewEntry()
	f.HouseholdSearch.SetPlaceHolder(sh.T("visits.household_search"))
	f.HouseholdSearch.OnChanged = func(string) { f.loadHouseholds() }
	f.Households = widget.NewList(func() int { return len(f.hhRows) },
		func() fyne.CanvasObject { return widget.NewCheck("", nil) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(f.hhRows) {
				return
			}
			r := f.hhRows[i]
			c := o.(*widget.Check)
			c.OnChanged = nil
			c.Text = r.Title
			if r.N > 0 {
				c.Text += " · " + sh.Tn("villages.members_n", r.N)
			}
			_, on := f.picked[r.ID]
			c.SetChecked(on)
			c.Refresh()
			c.OnChanged = func(on bool) { f.pick(r, on) }
		})
	f.Picked = wrapLabel("")
	f.Extra = f.entry()
	f.Extra.OnChanged = func(string) {
		f.showReached()
		f.changed()
	}
	f.Reached = widget.NewLabel("")
	f.Reached.TextStyle = fyne.TextStyle{Bold: true}
	f.Activities = f.multiline()
	f.Observations = f.multiline()

	fm := f.Form
	fm.Add("field.visit.cadres", f.Cadres, Filled(f.Cadres))
	fm.Add("visits.field.unit", f.Unit, nil)
	fm.Add("field.visit.village", f.Village, func() bool { return f.Village.Value() != "" })
	fm.Add("field.visit.from", f.From, Filled(f.From.Entry))
	fm.Add("field.visit.to", f.To, Filled(f.To.Entry))
	fm.Add("visits.field.nights", f.Nights, nil)
	fm.Add("visits.field.households", container.NewBorder(f.HouseholdSearch, f.Picked, nil, nil, atLeast(0, 200, f.Households)), nil)
	fm.Add("visits.field.extra", f.Extra, nil)
	fm.Add("visits.field.reached", f.Reached, nil)
	fm.Add("visits.field.cung", f.checks(f.cungItems, f.Cung), nil)
	fm.Add("visits.field.bam", f.checks(f.bamItems, f.Bam), nil)
	fm.Add("visits.field.activities", f.Activities, nil)
	fm.Add("visits.field.observations", f.Observations, nil)

	f.RaiseConcern = widget.NewButtonWithIcon(sh.T("visits.raise_concern"), theme.MailComposeIcon(), f.raiseConcern)
	title := sh.T("visits.new_title")
	if v.ID != "" {
		title = sh.T("visits.edit_title")
	}
	f.Content = f.page(title, f.RaiseConcern)

	return f
}

// initial is what the form first shows: the visit, or for a new one the
// cadre's name and unit and today's date.
func (f *VisitForm) initial(ctx visitContext) visitState {
	st := f.stateOf(f.v)
	if f.v.ID == "" {
		st.Cadres, st.Unit = ctx.profile.Name, ctx.profile.Unit
		today := f.sh.Today().Display()
		st.From, st.To = today, today
	}
	return st
}

// checkItems lists the checklist's items, then any other item the visit
// recorded (an item since removed from the checklist), with what was done.
func checkItems(list []data.ChecklistItem, done []data.CheckItem) []data.CheckItem {
	var out []data.CheckItem
	seen := map[string]bool{}
	for _, it := range list {
		out = append(out, data.CheckItem{Key: it.ID, Label: it.Label})
		seen[it.ID] = true
	}
	for _, it := range done {
		if !seen[it.Key] {
			out = append(out, data.CheckItem{Key: it.Key, Label: it.Label})
			seen[it.Key] = true
		}
	}
	return out
}

// checks makes a checkbox per item into boxes, laid out in two columns.
func (f *VisitForm) checks(items []data.CheckItem, boxes map[string]*widget.Check) fyne.CanvasObject {
	g := container.NewGridWithColumns(2)
	for _, it := range items {
		c := widget.NewCheck(it.Label, func(bool) { f.changed() })
		boxes[it.Key] = c
		g.Add(c)
	}
	return g
}

// datesChanged shows the nights, or the inline error when the last day is
// before the first.
func (f *VisitForm) datesChanged() {
	from, to := f.From.Date(), f.To.Date()
	switch {
	case from != "" && to != "" && to < from:
		f.Nights.SetText("")
		f.Form.ShowErrors(&data.ValidationError{Kind: data.KindVisit, Fields: []data.FieldError{
			{Field: "field.visit.to", Msg: data.MsgDateOrder, Other: "field.visit.from"}}})
	case from != "" && to != "":
		f.Nights.SetText(f.sh.Tn("visits.nights_n", spanNights(from, to)))
		f.Form.ShowErrors(nil)
	default:
		f.Nights.SetText("")
	}
}

// loadHouseholds lists the chosen village's households matching the
// search, off the UI goroutine.
func (f *VisitForm) loadHouseholds() {
	st := f.sh.Store()
	if st == nil || f.Households == nil {
		return
	}
	f.hhSeq++
	seq, id, q := f.hhSeq, f.Village.Value(), f.HouseholdSearch.Text
	var rows []data.Row
	f.sh.Go(func() error {
		if id != "" {
			rows = st.Find(data.Filter{Kind: data.KindHousehold, Village: id, Query: q}, data.ByTitle)
		}
		return nil
	}, func(error) {
		if seq != f.hhSeq {
			return
		}
		f.hhRows = rows
		f.Households.Refresh()
	})
}

// pick ticks or unticks a household of the list.
func (f *VisitForm) pick(r data.Row, on bool) {
	if on {
		f.picked[r.ID] = data.VisitedHousehold{ID: f.entryIDs[r.ID], HouseholdID: r.ID, Name: r.Title}
	} else {
		delete(f.picked, r.ID)
	}
	f.showReached()
	f.changed()
}

// reached returns the households reached: those ticked, those named only,
// and the extra count (-1 when the extra count cannot be read).
func (f *VisitForm) reached() int {
	extra, ok := parseCount(f.Extra.Text)
	if !ok {
		return -1
	}
	return len(f.picked) + len(f.unlinked) + extra
}

func (f *VisitForm) showReached() {
	if len(f.picked) == 0 {
		f.Picked.SetText(f.sh.Tn("visits.picked_n", 0))
	} else {
		var names []string
		for _, h := range f.households() {
			if h.HouseholdID != "" {
				names = append(names, h.Name)
			}
		}
		f.Picked.SetText(f.sh.Tn("visits.picked_names", len(f.picked), "Names", strings.Join(names, ", ")))
	}
	if n := f.reached(); n >= 0 {
		f.Reached.SetText(formatCount(n))
	} else {
		f.Reached.SetText("")
	}
}

// households returns the visited households in Vietnamese order of name.
func (f *VisitForm) households() []data.VisitedHousehold {
	out := append([]data.VisitedHousehold(nil), f.unlinked...)
	for _, h := range f.picked {
		out = append(out, h)
	}
	sortVisited(out)
	return out
}

func sortVisited(hs []data.VisitedHousehold) {
	keys := make(map[string][]byte, len(hs))
	for _, h := range hs {
		keys[h.HouseholdID+"\x00"+h.Name] = data.SortKey(h.Name)
	}
	slices.SortFunc(hs, func(a, b data.VisitedHousehold) int {
		return bytes.Compare(keys[a.HouseholdID+"\x00"+a.Name], keys[b.HouseholdID+"\x00"+b.Name])
	})
}

func (f *VisitForm) stateOf(v *data.FieldVisit) visitState {
	s := visitState{Cadres: strings.Join(v.Cadres, ", "), Unit: v.Unit, Village: v.Village,
		From: v.From.Display(), To: v.To.Display(), Activities: v.Activities, Observations: v.Observations}
	for _, h := range v.Households {
		if h.HouseholdID != "" {
			s.Households = append(s.Households, h)
		}
	}
	if extra := v.HouseholdCount - len(v.Households); extra > 0 {
		s.Extra = countText(extra)
	}
	s.Cung, s.Bam = doneKeys(v.Cung), doneKeys(v.Bam)
	return s
}

func doneKeys(items []data.CheckItem) []string {
	var out []string
	for _, it := range items {
		if it.Done {
			out = append(out, it.Key)
		}
	}
	return out
}

func (f *VisitForm) state() visitState {
	s := visitState{Cadres: f.Cadres.Text, Unit: f.Unit.Text, Village: f.Village.Value(), From: f.From.Text, To: f.To.Text,
		Extra: f.Extra.Text, Activities: f.Activities.Text, Observations: f.Observations.Text}
	for _, h := range f.households() {
		if h.HouseholdID != "" {
			s.Households = append(s.Households, h)
		}
	}
	for _, it := range f.cungItems {
		if f.Cung[it.Key].Checked {
			s.Cung = append(s.Cung, it.Key)
		}
	}
	for _, it := range f.bamItems {
		if f.Bam[it.Key].Checked {
			s.Bam = append(s.Bam, it.Key)
		}
	}
	return s
}

func (f *VisitForm) set(s visitState) {
	f.Cadres.SetText(s.Cadres)
	f.Unit.SetText(s.Unit)
	f.Village.SetValue(s.Village)
	clear(f.picked)
	for _, h := range s.Households {
		f.picked[h.HouseholdID] = h
	}
	f.From.SetText(s.From)
	f.To.SetText(s.To)
	f.Extra.SetText(s.Extra)
	for k, c := range f.Cung {
		c.SetChecked(slices.Contains(s.Cung, k))
	}
	for k, c := range f.Bam {
		c.SetChecked(slices.Contains(s.Bam, k))
	}
	f.Activities.SetText(s.Activities)
	f.Observations.SetText(s.Observations)
	f.showReached()
	f.datesChanged()
	f.loadHouseholds()
}

// visit builds the visit from the form; bad lists the unreadable fields.
func (f *VisitForm) visit() (*data.FieldVisit, fieldErrors) {
	s := f.state()
	var bad fieldErrors
	v := *f.v
	v.Cadres, v.Unit, v.Village = splitList(s.Cadres), strings.TrimSpace(s.Unit), s.Village
	v.From, v.To = bad.date("field.visit.from", f.From), bad.date("field.visit.to", f.To)
	v.Households = f.households()
	v.HouseholdCount = len(v.Households) + bad.count("visits.field.extra", s.Extra)
	v.Cung, v.Bam = checked(f.cungItems, f.Cung), checked(f.bamItems, f.Bam)
	v.Activities, v.Observations = s.Activities, s.Observations
	return &v, bad
}

// checked records every item with whether it was practised.
func checked(items []data.CheckItem, boxes map[string]*widget.Check) []data.CheckItem {
	out := make([]data.CheckItem, len(items))
	for i, it := range items {
		out[i] = data.CheckItem{Key: it.Key, Label: it.Label, Done: boxes[it.Key].Checked}
	}
	return out
}

func (f *VisitForm) save() {
	v, bad := f.visit()
	f.store(v, bad)
}

// raiseConcern saves the visit, shows it, and opens a concern already
// linked to it.
func (f *VisitForm) raiseConcern() {
	v, bad := f.visit()
	if len(bad) > 0 {
		f.Form.ShowErrors(&data.ValidationError{Kind: data.KindVisit, Fields: bad})
		return
	}
	// The concern is linked to the visit, so the visit is saved first:
	// say so, and let the user choose.
	d := dialog.NewConfirm(f.sh.T("visits.raise_title"), f.sh.T("visits.raise_question"), func(ok bool) {
		if !ok {
			return
		}
		f.saveThen(v, func() {
			f.saved = nil
			f.close(v)
			detail := f.s.showDetail(v)
			detail.Saved.Show()
			detail.raiseConcern()
		})
	}, f.sh.Win)
	d.SetConfirmText(f.sh.T("visits.raise_save"))
	d.SetDismissText(f.sh.T("btn.cancel"))
	f.RaisePrompt = d
	f.sh.ShowDialog(d)
}

// VisitDetail shows one visit and the concerns raised on it.
type VisitDetail struct {
	s *VisitsScreen
	// V is the visit shown.
	V *data.FieldVisit
	// Content is the whole detail view.
	Content fyne.CanvasObject
	// Concerns lists the concerns raised on the visit; tapping one opens it.
	Concerns *rowList
	// NoConcerns says that none was raised, when so.
	NoConcerns *widget.Label

	// Back, Edit, Delete and RaiseConcern act on the visit.
	Back, Edit, Delete, RaiseConcern *widget.Button
	// Saved says "Đã lưu chuyến đi" after the form saved it to raise a
	// concern on it.
	Saved *widget.Label

	seq int
}

func newVisitDetail(s *VisitsScreen, v *data.FieldVisit) *VisitDetail {
	sh := s.sh
	d := &VisitDetail{s: s, V: v}
	d.Back = widget.NewButtonWithIcon(sh.T("btn.back"), theme.NavigateBackIcon(), s.showList)
	d.Edit = widget.NewButtonWithIcon(sh.T("btn.edit"), theme.DocumentCreateIcon(), func() { s.edit(v) })
	d.Delete = deleteButton(sh, func() {
		deleteRecord(sh, v.ID, visitTitle(sh, villageName(sh, v.Village), visitedNames(v), v.From, v.To), s.showList)
	})
	d.RaiseConcern = widget.NewButtonWithIcon(sh.T("visits.raise_concern"), theme.MailComposeIcon(), d.raiseConcern)
	d.RaiseConcern.Importance = widget.HighImportance
	d.Concerns = newRowList(func(r data.Row) listLine { return rowLine(sh, r, false) }, func(r data.Row) { openRecord(sh, r.Kind, r.ID) })

	village := ""
	if r, ok := sh.Store().Row(v.Village); ok {
		village = r.Title
	}
	var names []string
	for _, h := range v.Households {
		names = append(names, h.Name)
	}
	info := facts(sh,
		"field.visit.from", v.From.Display(),
		"field.visit.to", v.To.Display(),
		"visits.field.nights", sh.Tn("visits.nights_n", v.Nights()),
		"field.visit.village", village,
		"field.visit.cadres", strings.Join(v.Cadres, ", "),
		"visits.field.unit", v.Unit,
		"visits.field.reached", formatCount(v.Reached()),
		"visits.field.households", strings.Join(names, ", "),
		"visits.field.cung", doneLabels(sh, v.Cung),
		"visits.field.bam", doneLabels(sh, v.Bam),
		"visits.field.activities", v.Activities,
		"visits.field.observations", v.Observations,
	)
	title := visitTitle(sh, village, names, v.From, v.To)
	head := container.NewBorder(nil, nil, d.Back, container.NewHBox(d.RaiseConcern, d.Edit, d.Delete), heading(title))
	d.NoConcerns = hintLabel(sh.T("status.empty"))
	d.NoConcerns.Hide()
	concerns := container.NewBorder(container.NewVBox(heading(sh.T("visits.concerns")), d.NoConcerns), nil, nil, nil,
		atLeast(0, 220, d.Concerns))
	d.Saved = widget.NewLabelWithStyle(sh.T("visits.saved_for_concern"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.Saved.Importance = widget.SuccessImportance
	d.Saved.Hide()
	d.Content = container.NewBorder(container.NewVBox(head, d.Saved), nil, nil, nil, formScroll(container.NewVBox(info, widget.NewSeparator(), concerns)))
	d.loadConcerns()
	return d
}

// doneLabels lists the items practised, or says none were.
func doneLabels(sh *Shell, items []data.CheckItem) string {
	var out []string
	for _, it := range items {
		if it.Done {
			out = append(out, it.Label)
		}
	}
	if len(out) == 0 {
		return sh.T("visits.none")
	}
	return strings.Join(out, ", ")
}

// loadConcerns lists the concerns raised on the visit, off the UI goroutine.
func (d *VisitDetail) loadConcerns() {
	st := d.s.sh.Store()
	if st == nil {
		return
	}
	d.seq++
	seq, v := d.seq, d.V
	var rows []data.Row
	d.s.sh.Go(func() error {
		var err error
		rows, err = concernsOfVisit(st, v)
		return err
	}, func(err error) {
		if seq != d.seq {
			return
		}
		if err != nil {
			d.s.sh.ShowError(err)
			return
		}
		d.Concerns.SetRows(rows)
		d.NoConcerns.Hidden = len(rows) > 0
		d.NoConcerns.Refresh()
	})
}

// concernsOfVisit returns the live concerns linked to visit v, newest first.
func concernsOfVisit(st *data.Store, v *data.FieldVisit) ([]data.Row, error) {
	var out []data.Row
	for _, r := range st.Find(data.Filter{Kind: data.KindConcern, Village: v.Village}, data.ByDateDesc) {
		var c data.Concern
		if err := st.Load(r.ID, &c); err != nil {
			return nil, err
		}
		if c.VisitID == v.ID {
			out = append(out, r)
		}
	}
	return out, nil
}

// raiseConcern opens a new concern linked to the visit, in its village,
// received on the visit's first day.
func (d *VisitDetail) raiseConcern() {
	c := &data.Concern{Village: d.V.Village, VisitID: d.V.ID, Channel: data.ChannelVisit, Received: d.V.From}
	OpenConcernForm(d.s.sh, c, func(*data.Concern) { d.loadConcerns() })
}

// ShowList goes back to the list of visits (see Lister); a form left open
// keeps its draft, offered when it is opened again.
func (s *VisitsScreen) ShowList() { s.showList() }

// visitTitle names a field visit by its village, the households visited
// (the first three, then how many more) and its dates:
// "Làng Đăk Ang – A Thuận, Y Liên · 02/12/2026 – 04/12/2026 (2 đêm)".
func visitTitle(sh *Shell, village string, names []string, from, to data.Date) string {
	span := sh.T("visits.span", "From", from.Display(), "To", to.Display(), "Nights", spanNights(from, to))
	if village == "" {
		return span
	}
	if len(names) == 0 {
		return sh.T("visits.title", "Village", village, "Span", span)
	}
	shown := strings.Join(names[:min(3, len(names))], ", ")
	if len(names) > 3 {
		shown = sh.T("visits.more_households", "Names", shown, "Count", len(names)-3)
	}
	return sh.T("visits.title_households", "Village", village, "Names", shown, "Span", span)
}

// villageName is the name of village id, or "".
func villageName(sh *Shell, id string) string {
	if r, ok := sh.Store().Row(id); ok && r.Kind == data.KindVillage {
		return r.Title
	}
	return ""
}

// visitedNames are the names of the households a visit reached.
func visitedNames(v *data.FieldVisit) []string {
	var names []string
	for _, h := range v.Households {
		names = append(names, h.Name)
	}
	return names
}
