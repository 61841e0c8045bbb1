package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

func init() {
	RegisterScreen(ScreenDef{ID: "trash", TitleID: "screen.trash", Order: 95, Icon: ThemeIcon(theme.IconNameDelete),
		Make: func(sh *Shell) Screen { return newTrash(sh) }})
}

// Trash is Thùng rác: the deleted records of every kind, most recently
// deleted first, each with a Restore button.
type Trash struct {
	sh *Shell

	Search *widget.Entry
	Count  *widget.Label
	Status *widget.Label
	Empty  *widget.Label
	List   *widget.List

	items   []trashItem
	gen     int
	content fyne.CanvasObject
}

// trashItem is a deleted record as listed.
type trashItem struct {
	data.Row
	village string // the name of its village, if it has one
}

func newTrash(sh *Shell) *Trash {
	t := &Trash{sh: sh}
	t.Search = widget.NewEntry()
	t.Search.SetPlaceHolder(sh.T("search.placeholder"))
	t.Search.OnChanged = func(string) { t.Refresh() }
	t.Count = widget.NewLabel("")
	t.Status = widget.NewLabel("")
	t.Status.Importance = widget.SuccessImportance
	t.Status.Hide()
	t.Empty = hintLabel(sh.T("trash.empty"))
	t.Empty.Hide()
	t.List = widget.NewList(
		func() int { return len(t.items) },
		func() fyne.CanvasObject {
			kind := widget.NewLabel("Mô hình Dân vận khéo")
			kind.TextStyle = fyne.TextStyle{Bold: true}
			kind.Truncation = fyne.TextTruncateEllipsis
			restore := widget.NewButtonWithIcon(sh.T("btn.restore"), theme.ContentUndoIcon(), nil)
			return container.NewBorder(nil, nil, container.New(widthLayout{210}, kind), container.NewCenter(restore), twoLines())
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(t.items) {
				return
			}
			it := t.items[i]
			row := o.(*fyne.Container)
			row.Objects[1].(*fyne.Container).Objects[0].(*widget.Label).SetText(sh.EnumText("kind", string(it.Kind)))
			title := trashTitle(sh, it.Row)
			var sub []string
			for _, s := range []string{it.village, it.Date.Display(),
				sh.T("trash.deleted_at", "Time", time.UnixMilli(it.Updated).Format("02/01/2006 15:04"))} {
				if s != "" {
					sub = append(sub, s)
				}
			}
			setTwoLines(row.Objects[0], title, strings.Join(sub, " · "))
			id := it.ID
			row.Objects[2].(*fyne.Container).Objects[0].(*widget.Button).OnTapped = func() { t.Restore(id) }
		})
	top := container.NewVBox(heading(sh.T("screen.trash")), hintLabel(sh.T("trash.intro")),
		container.NewBorder(nil, nil, nil, container.NewHBox(t.Count, t.Status), t.Search), t.Empty)
	t.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, t.List))
	return t
}

// trashTitle names a deleted record: its title, after the kind of
// meeting for a meeting (whose title is who chaired it), or its kind if
// it has no title.
func trashTitle(sh *Shell, r data.Row) string {
	title := strings.TrimSpace(r.Title)
	if r.Kind == data.KindMeeting && r.Sub != "" {
		title = strings.TrimSuffix(sh.EnumText("meeting_kind", r.Sub)+" – "+title, " – ")
	}
	if title == "" {
		title = sh.EnumText("kind", string(r.Kind))
	}
	return title
}

// Content returns the trash's widget tree.
func (t *Trash) Content() fyne.CanvasObject { return t.content }

// FocusSearch puts the cursor in the search box (Ctrl+F).
func (t *Trash) FocusSearch() { t.sh.Win.Canvas().Focus(t.Search) }

// Refresh lists the deleted records matching the search, off the UI goroutine.
func (t *Trash) Refresh() {
	st := t.sh.Store()
	if st == nil {
		return
	}
	t.gen++
	gen := t.gen
	q := t.Search.Text
	var items []trashItem
	t.sh.Go(func() error {
		for _, r := range st.Find(data.Filter{Deleted: true, Query: q}, data.ByUpdatedDesc) {
			it := trashItem{Row: r}
			if r.Kind != data.KindVillage && r.Village != "" {
				if v, ok := st.Row(r.Village); ok {
					it.village = v.Title
				}
			}
			items = append(items, it)
		}
		return nil
	}, func(error) {
		if gen != t.gen {
			return
		}
		t.items = items
		t.Count.SetText(t.sh.T("count.records", "Count", len(items)))
		showIf(t.Empty, len(items) == 0 && strings.TrimSpace(q) == "")
		t.List.UnselectAll()
		t.List.Refresh()
	})
}

// IDs returns the ids listed now, in order.
func (t *Trash) IDs() []string {
	out := make([]string, len(t.items))
	for i, it := range t.items {
		out[i] = it.ID
	}
	return out
}

// Restore brings the record id back from the trash and lists the rest.
func (t *Trash) Restore(id string) {
	st := t.sh.Store()
	if st == nil {
		return
	}
	t.Status.Hide()
	t.sh.Go(func() error { return st.Restore(id) }, func(err error) {
		if err != nil {
			t.sh.ShowError(err)
		} else {
			t.Status.SetText(t.sh.T("status.restored"))
			t.Status.Show()
		}
		t.Refresh()
	})
}
