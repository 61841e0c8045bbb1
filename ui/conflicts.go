package ui

import (
	"bytes"
	"encoding/json"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// This file is the Xung đột view: the records whose review fields (a
// concern's status, assignee, deadline) two devices set to different
// values without seeing each other's change. The cadre sees both values,
// who set each and when, and picks one: a normal, audited edit that
// syncs.

func init() {
	RegisterScreen(ScreenDef{ID: "conflicts", TitleID: "screen.conflicts", Order: 75, Icon: ThemeIcon(theme.IconNameWarning),
		Make: func(sh *Shell) Screen { return newConflictsScreen(sh) }})
}

// historyMatch is how far apart a status change in the history and the
// stamp of the same write may be (the history is stamped before the save).
const historyMatch = 2 * time.Minute

// ConflictItem is a conflicted record as the Xung đột view lists it.
type ConflictItem struct {
	ID      string
	Kind    data.Kind
	Title   string
	Village string
	Fields  []ConflictField
}

// ConflictField is one conflicted field with the values to choose from,
// the current value first.
type ConflictField struct {
	// Field is the record's field ("status", "assignee", "deadline").
	Field string
	// Label is the field's name as shown.
	Label   string
	Choices []ConflictChoice
}

// ConflictChoice is one value of a conflicted field.
type ConflictChoice struct {
	// Value is the JSON value, as Store.ResolveConflict takes it.
	Value json.RawMessage
	// Text is the value as shown (enum label, dd/MM/yyyy).
	Text string
	// Who set it: the person's name when the status history tells it,
	// and the device.
	Who string
	// When it was set.
	When time.Time
	// Current is true for the value in force now.
	Current bool
}

// ConflictsScreen is the Xung đột page: the conflicted records on the
// left, the values of the selected one on the right.
type ConflictsScreen struct {
	sh      *Shell
	content fyne.CanvasObject

	// List lists the conflicted records, most recently changed first.
	List  *widget.List
	Empty *widget.Label
	// Detail shows the selected record's conflicting values, each with a
	// button to pick it (Picks, in the order shown).
	Detail *fyne.Container
	Picks  []*widget.Button
	// Done confirms the last pick.
	Done *widget.Label

	items    []ConflictItem
	selected string
	gen      int
}

func newConflictsScreen(sh *Shell) *ConflictsScreen {
	c := &ConflictsScreen{sh: sh}
	c.Empty = hintLabel(sh.T("conflicts.empty"))
	c.List = widget.NewList(
		func() int { return len(c.items) },
		twoLines,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(c.items) {
				return
			}
			it := c.items[i]
			sub := sh.EnumText("kind", string(it.Kind))
			if it.Village != "" {
				sub += " · " + it.Village
			}
			sub += " · " + sh.T("conflicts.fields", "Count", len(it.Fields))
			setTwoLines(o, it.Title, sub)
		})
	c.List.OnSelected = func(i widget.ListItemID) {
		if i < len(c.items) {
			c.selected = c.items[i].ID
			c.showDetail()
		}
	}
	c.Done = wrapLabel("")
	c.Done.Importance = widget.SuccessImportance
	c.Done.Hide()
	c.Detail = container.NewVBox()
	top := container.NewVBox(heading(sh.T("screen.conflicts")), hintLabel(sh.T("conflicts.intro")), c.Done)
	split := container.NewHSplit(container.NewBorder(c.Empty, nil, nil, nil, c.List),
		formScroll(container.NewPadded(c.Detail)))
	split.Offset = 0.4
	c.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, split))
	return c
}

// Content returns the page's widget tree.
func (c *ConflictsScreen) Content() fyne.CanvasObject { return c.content }

// Items returns the conflicted records listed now.
func (c *ConflictsScreen) Items() []ConflictItem { return append([]ConflictItem(nil), c.items...) }

// Refresh reloads the conflicted records off the UI goroutine.
func (c *ConflictsScreen) Refresh() {
	st := c.sh.Store()
	if st == nil {
		return
	}
	c.gen++
	gen := c.gen
	var items []ConflictItem
	c.sh.Go(func() error {
		var err error
		items, err = loadConflicts(c.sh, st)
		return err
	}, func(err error) {
		if gen != c.gen {
			return
		}
		if err != nil {
			c.sh.ShowError(err)
		}
		c.items = items
		showIf(c.Empty, len(items) == 0)
		c.List.UnselectAll()
		c.List.Refresh()
		idx := -1
		for i, it := range items {
			if it.ID == c.selected {
				idx = i
			}
		}
		if idx < 0 && len(items) > 0 {
			idx = 0
		}
		if idx >= 0 {
			c.List.Select(idx) // shows the detail
		} else {
			c.selected = ""
			c.showDetail()
		}
	})
}

// loadConflicts reads the conflicted records and what each conflict holds.
func loadConflicts(sh *Shell, st *data.Store) ([]ConflictItem, error) {
	var out []ConflictItem
	for _, row := range st.Conflicted() {
		rec, err := st.Record(row.ID)
		if err != nil {
			return out, err
		}
		obj, err := data.DecodeRecord(rec)
		if err != nil {
			return out, err
		}
		it := ConflictItem{ID: row.ID, Kind: row.Kind, Title: row.Title}
		if v, ok := st.Row(row.Village); ok {
			it.Village = v.Title
		}
		var history []data.StatusChange
		if con, ok := obj.(*data.Concern); ok {
			history = con.History
		}
		byField := map[string]int{}
		for _, cf := range rec.Conflicts() {
			i, ok := byField[cf.Field]
			if !ok {
				i = len(it.Fields)
				byField[cf.Field] = i
				it.Fields = append(it.Fields, ConflictField{Field: cf.Field, Label: conflictFieldLabel(sh, rec.Kind, cf.Field),
					Choices: []ConflictChoice{conflictChoice(sh, st, rec.Kind, cf.Field, cf.Current, cf.CurStamp, history, true)}})
			}
			f := &it.Fields[i]
			dup := false
			for _, ch := range f.Choices {
				dup = dup || bytes.Equal(ch.Value, cf.Value)
			}
			if !dup {
				f.Choices = append(f.Choices, conflictChoice(sh, st, rec.Kind, cf.Field, cf.Value, cf.Stamp, history, false))
			}
		}
		if len(it.Fields) > 0 {
			out = append(out, it)
		}
	}
	return out, nil
}

// conflictFieldLabel names a review field as the forms do.
func conflictFieldLabel(sh *Shell, kind data.Kind, field string) string {
	ids := map[string]string{"status": "field.concern.status", "assignee": "concerns.field.assignee", "deadline": "concerns.field.deadline",
		"summary": "field.concern.summary", "content": "concerns.field.content"}
	if id, ok := ids[field]; ok && kind == data.KindConcern {
		return sh.T(id)
	}
	return field
}

// conflictChoice describes one value: as shown, by whom and when.
func conflictChoice(sh *Shell, st *data.Store, kind data.Kind, field string, v json.RawMessage, stamp data.HLC, history []data.StatusChange, current bool) ConflictChoice {
	ch := ConflictChoice{Value: v, When: stamp.Time(), Current: current, Text: conflictValueText(sh, kind, field, v)}
	device := sh.T("conflicts.device_other", "Device", shortDevice(stamp.Device))
	if stamp.Device == st.Device() {
		device = sh.T("conflicts.device_this")
	}
	ch.Who = device
	if field == "status" {
		var to data.ConcernStatus
		_ = json.Unmarshal(v, &to)
		if by := statusSetter(history, to, ch.When); by != "" {
			ch.Who = by + " (" + device + ")"
		}
	}
	return ch
}

// statusSetter finds who changed the status to `to` at about `at` in a
// concern's history, or "".
func statusSetter(history []data.StatusChange, to data.ConcernStatus, at time.Time) string {
	best, bestGap := "", historyMatch+1
	for _, h := range history {
		if h.To != to || h.By == "" {
			continue
		}
		gap := h.At.Sub(at)
		if gap < 0 {
			gap = -gap
		}
		if gap <= historyMatch && gap < bestGap {
			best, bestGap = h.By, gap
		}
	}
	return best
}

// conflictValueText shows a review field's value: a status by its label,
// a date as dd/MM/yyyy, an empty value as such.
func conflictValueText(sh *Shell, kind data.Kind, field string, v json.RawMessage) string {
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return string(v)
	}
	switch {
	case s == "":
		return sh.T("conflicts.empty_value")
	case kind == data.KindConcern && field == "status":
		return sh.EnumText("status", s)
	case kind == data.KindConcern && field == "deadline":
		return data.Date(s).Display()
	}
	return s
}

// shortDevice is the last 8 characters of a device id: enough to tell
// the laptops of a commune apart.
func shortDevice(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}

// selectedItem returns the selected record's item, or nil.
func (c *ConflictsScreen) selectedItem() *ConflictItem {
	for i := range c.items {
		if c.items[i].ID == c.selected {
			return &c.items[i]
		}
	}
	return nil
}

// showDetail shows the selected record's conflicts.
func (c *ConflictsScreen) showDetail() {
	sh := c.sh
	c.Detail.RemoveAll()
	c.Picks = nil
	it := c.selectedItem()
	if it == nil {
		c.Detail.Refresh()
		return
	}
	title := heading(it.Title)
	title.Wrapping = fyne.TextWrapWord
	c.Detail.Add(title)
	if it.Kind == data.KindConcern {
		id := it.ID
		c.Detail.Add(container.NewHBox(widget.NewButtonWithIcon(sh.T("conflicts.open"), theme.DocumentIcon(),
			func() { sh.OpenRecord("concerns", id) })))
	}
	for _, f := range it.Fields {
		c.Detail.Add(widget.NewSeparator())
		c.Detail.Add(sectionTitle(f.Label))
		if data.IsTextReviewField(it.Kind, f.Field) {
			// Two texts are read side by side: one column per version,
			// its button under it.
			cols := container.NewGridWithColumns(len(f.Choices))
			for _, ch := range f.Choices {
				cols.Add(c.choiceCard(it, f, ch, true))
			}
			c.Detail.Add(cols)
			continue
		}
		for _, ch := range f.Choices {
			c.Detail.Add(c.choiceCard(it, f, ch, false))
		}
	}
	c.Detail.Refresh()
}

// choiceCard shows one value with who set it and when, and its button:
// beside the value, or under it when column is true (a text shown side
// by side with the other version).
func (c *ConflictsScreen) choiceCard(it *ConflictItem, f ConflictField, ch ConflictChoice, column bool) fyne.CanvasObject {
	sh := c.sh
	head := sh.T("conflicts.other_value")
	btn := sh.T("conflicts.pick")
	if ch.Current {
		head, btn = sh.T("conflicts.current_value"), sh.T("conflicts.keep")
	}
	value := widget.NewLabel(ch.Text)
	value.TextStyle = fyne.TextStyle{Bold: true}
	value.Wrapping = fyne.TextWrapWord
	who := hintLabel(sh.T("conflicts.set_by", "Who", ch.Who, "Time", formatDateTime(ch.When)))
	id, field, v, text := it.ID, f.Field, ch.Value, ch.Text
	pick := widget.NewButtonWithIcon(btn, theme.ConfirmIcon(), func() { c.Pick(id, field, v, text, f.Label) })
	if !ch.Current {
		pick.Importance = widget.HighImportance
	}
	c.Picks = append(c.Picks, pick)
	if column {
		value.TextStyle = fyne.TextStyle{}
		return widget.NewCard("", head, container.NewBorder(nil, container.NewVBox(who, pick), nil, nil, value))
	}
	return widget.NewCard("", head, container.NewBorder(nil, nil, nil, container.NewCenter(pick), container.NewVBox(value, who)))
}

// Pick settles the conflict on field of record id with value (shown as
// text): a normal, audited save that syncs.
func (c *ConflictsScreen) Pick(id, field string, value json.RawMessage, text, label string) {
	sh := c.sh
	st := sh.Store()
	if st == nil {
		return
	}
	for _, b := range c.Picks {
		b.Disable()
	}
	c.Done.Hide()
	sh.Go(func() error { return st.ResolveConflict(id, field, value) }, func(err error) {
		if err != nil {
			sh.ShowError(err)
		} else {
			c.Done.SetText(sh.T("conflicts.picked", "Value", clip(text, 60), "Field", label))
			c.Done.Show()
		}
		c.Refresh()
	})
}

// clip shortens s to at most n characters, ending with "…" when cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
