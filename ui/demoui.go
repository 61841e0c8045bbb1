package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// DemoPanel is the "Dữ liệu mẫu" part of Cài đặt: how many demo records
// (made by "danvan demo", data.IsDemoID) the store holds, and "Xóa dữ
// liệu mẫu", which removes them all for good after a confirmation
// (data.Store.RemoveDemo), leaving every other record as it is.
type DemoPanel struct {
	sh *Shell

	// Count says how many demo records the store holds, or that it holds
	// none.
	Count *widget.Label
	// Remove asks, then removes every demo record; disabled without any.
	Remove *widget.Button
	// Done reports the last removal.
	Done    *widget.Label
	Content fyne.CanvasObject

	demo, other int
}

func newDemoPanel(sh *Shell) *DemoPanel {
	p := &DemoPanel{sh: sh, Count: wrapLabel(""), Done: wrapLabel("")}
	p.Done.Importance = widget.SuccessImportance
	p.Done.Hide()
	p.Remove = widget.NewButtonWithIcon(sh.T("demo.remove"), theme.DeleteIcon(), p.Ask)
	p.Remove.Importance = widget.DangerImportance
	p.Content = container.NewVBox(hintLabel(sh.T("demo.hint")), p.Count, container.NewHBox(p.Remove), p.Done)
	return p
}

// Refresh counts the store's demo records again.
func (p *DemoPanel) Refresh() {
	st := p.sh.Store()
	if st == nil {
		return
	}
	p.demo, p.other = st.DemoCount()
	if p.demo == 0 {
		p.Count.SetText(p.sh.T("demo.none"))
		p.Remove.Disable()
		return
	}
	p.Count.SetText(p.sh.T("demo.count", "Count", formatCount(p.demo)))
	p.Remove.Enable()
}

// Ask shows the confirmation of "Xóa dữ liệu mẫu"; Yes removes.
func (p *DemoPanel) Ask() {
	sh := p.sh
	p.Refresh()
	if p.demo == 0 {
		return
	}
	msg := sh.T("demo.confirm", "Count", formatCount(p.demo), "Other", formatCount(p.other))
	if n := sh.Store().DemoReferenced(); n > 0 {
		msg += "\n\n" + sh.T("demo.referenced", "Count", formatCount(n))
	}
	d := dialog.NewConfirm(sh.T("demo.confirm_title"), msg,
		func(ok bool) {
			if ok {
				p.remove()
			}
		}, sh.Win)
	d.SetConfirmText(sh.T("demo.remove"))
	d.SetDismissText(sh.T("btn.cancel"))
	sh.ShowDialog(d)
}

// remove removes the demo records off the UI goroutine, then reports.
func (p *DemoPanel) remove() {
	sh := p.sh
	st := sh.Store()
	if st == nil {
		return
	}
	p.Remove.Disable()
	var n int
	sh.Go(func() error {
		var err error
		n, err = st.RemoveDemo()
		return err
	}, func(err error) {
		p.Refresh()
		if err != nil {
			sh.ShowError(err)
			return
		}
		p.Done.SetText(sh.T("demo.removed", "Count", formatCount(n)))
		p.Done.Show()
	})
}
