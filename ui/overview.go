package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// Overview is the first window once the store is open and bound to a
// commune: the commune's name and how many records of each kind it holds.
type Overview struct {
	sh *Shell

	Commune *widget.Label
	Counts  map[data.Kind]*widget.Label
	Content fyne.CanvasObject
}

// overviewKinds are the kinds counted: every kind but the checklist.
func overviewKinds() []data.Kind {
	var ks []data.Kind
	for _, k := range data.Kinds {
		if k != data.KindChecklist {
			ks = append(ks, k)
		}
	}
	return ks
}

func newOverview(sh *Shell) *Overview {
	tx := sh.tx
	st := sh.Store()
	o := &Overview{sh: sh, Counts: map[data.Kind]*widget.Label{}}
	label := st.Commune()
	if c, ok := data.CommuneByCode(st.Commune()); ok {
		label = c.Label()
	}
	o.Commune = heading(label)
	grid := container.NewGridWithColumns(2)
	for _, k := range overviewKinds() {
		name := widget.NewLabel(tx.T(kindLabel[k]))
		n := widget.NewLabel("")
		n.Alignment = fyne.TextAlignTrailing
		n.TextStyle = fyne.TextStyle{Monospace: true}
		o.Counts[k] = n
		grid.Add(name)
		grid.Add(n)
	}
	o.Refresh()
	o.Content = centered(520, container.NewVBox(
		heading(tx.T("screen.dashboard")),
		o.Commune,
		widget.NewSeparator(),
		grid,
		widget.NewSeparator(),
		hintLabel(tx.T("overview.store", "Dir", st.Dir())),
	))
	return o
}

// Refresh recounts the records.
func (o *Overview) Refresh() {
	st := o.sh.Store()
	for k, l := range o.Counts {
		l.SetText(formatCount(st.Count(data.Filter{Kind: k})))
	}
}
