package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// communeResults is how many matches the picker lists.
const communeResults = 50

// CommunePicker binds a new store to its commune: the user types part of
// the name, with or without diacritics, and picks from the matches.
type CommunePicker struct {
	sh *Shell

	Title    *widget.Label
	Search   *widget.Entry
	List     *widget.List
	Empty    *widget.Label // "no results", when the query matches nothing
	Selected *widget.Label
	Error    *widget.Label
	Choose   *widget.Button
	Content  fyne.CanvasObject

	results []data.Commune
	chosen  string // code of the selected commune, or ""
}

func newCommunePicker(sh *Shell) *CommunePicker {
	tx := sh.tx
	p := &CommunePicker{sh: sh}
	p.Title = heading(tx.T("settings.commune"))
	p.Search = widget.NewEntry()
	p.Search.SetPlaceHolder(tx.T("search.commune_placeholder"))
	p.Search.OnChanged = p.search
	p.Search.OnSubmitted = func(string) {
		if len(p.results) > 0 {
			p.List.Select(0)
		}
	}
	p.List = widget.NewList(
		func() int { return len(p.results) },
		func() fyne.CanvasObject { return widget.NewLabel("Xã Đăk Long, Tỉnh Quảng Ngãi · 00000") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.results) {
				o.(*widget.Label).SetText(communeLine(p.results[i]))
			}
		})
	p.List.OnSelected = p.selected
	p.Empty = widget.NewLabel(tx.T("status.no_results"))
	p.Empty.Importance = widget.LowImportance
	p.Empty.Hide()
	p.Selected = wrapLabel(tx.T("commune.none_selected"))
	p.Error = wrapLabel("")
	p.Error.Importance = widget.DangerImportance
	p.Error.Hide()
	p.Choose = widget.NewButtonWithIcon(tx.T("commune.choose"), theme.ConfirmIcon(), p.choose)
	p.Choose.Importance = widget.HighImportance
	p.Choose.Disable()

	top := container.NewVBox(p.Title, wrapLabel(tx.T("commune.intro")), p.Search, p.Empty)
	bottom := container.NewVBox(p.Selected, p.Error, container.NewHBox(p.Choose))
	p.Content = container.NewPadded(container.NewBorder(top, bottom, nil, nil, p.List))
	return p
}

// communeLine is how a commune appears in the list.
func communeLine(c data.Commune) string { return c.Label() + " · " + c.Code }

// search lists the communes matching the query.
func (p *CommunePicker) search(q string) {
	p.results = data.FindCommunes(q, communeResults)
	p.List.UnselectAll()
	p.List.ScrollToTop()
	p.List.Refresh()
	p.clearChoice()
	if q != "" && len(p.results) == 0 {
		p.Empty.Show()
	} else {
		p.Empty.Hide()
	}
}

func (p *CommunePicker) selected(i widget.ListItemID) {
	if i < 0 || i >= len(p.results) {
		return
	}
	c := p.results[i]
	p.chosen = c.Code
	p.Selected.SetText(p.sh.tx.T("commune.selected", "Name", c.Label(), "Code", c.Code))
	p.Error.Hide()
	p.Choose.Enable()
}

func (p *CommunePicker) clearChoice() {
	p.chosen = ""
	p.Selected.SetText(p.sh.tx.T("commune.none_selected"))
	p.Choose.Disable()
}

// Results returns the communes listed now.
func (p *CommunePicker) Results() []data.Commune { return append([]data.Commune(nil), p.results...) }

// choose binds the store to the selected commune and goes on to the
// cadre's profile (or, if the store has one, the main window).
func (p *CommunePicker) choose() {
	if p.chosen == "" {
		return
	}
	if err := p.sh.Store().SetCommune(p.chosen); err != nil {
		p.Error.SetText(p.sh.tx.errorText(err))
		p.Error.Show()
		return
	}
	p.sh.storeReady()
}
