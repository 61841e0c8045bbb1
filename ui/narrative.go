package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
	"danvan/report"
)

// NarrativeEditor is the "Nội dung báo cáo" dialog of a commune report:
// one text per section of report.NarrativeSections. The sections with
// figures start from the text the report's figures give
// (CommuneReport.SuggestNarrative) until the cadre writes their own. The
// text is kept in the store for the period and printed before the
// figures; a locked period shows the text it was sent with, read only.
type NarrativeEditor struct {
	sh     *Shell
	period report.Period
	// Entries are the sections' texts, by section.
	Entries map[string]*widget.Entry
	// Locked says the period's report was sent: its text cannot change.
	Locked bool
	Dialog *dialog.CustomDialog
	Save   *widget.Button
}

// editNarrative opens the text of the report chosen on the page, once
// its figures (for the suggestions) are gathered off the UI goroutine.
func (x *ReportExport) editNarrative() {
	q, err := x.request(false)
	if err != nil {
		x.showFailure(err)
		return
	}
	if q.kind != ReportCommune {
		return
	}
	st := x.sh.Store()
	var c *report.CommuneReport
	x.generate(func(progress func(float64, string)) error {
		var err error
		c, err = report.NewCommuneReport(st, q.period, nil, q.options(st, progress))
		return err
	}, func(err error) {
		if err != nil {
			x.showFailure(err)
			return
		}
		x.Narrative = openNarrativeEditor(x.sh, q.period, c)
	})
}

// openNarrativeEditor shows the dialog for the report c of period p.
func openNarrativeEditor(sh *Shell, p report.Period, c *report.CommuneReport) *NarrativeEditor {
	e := &NarrativeEditor{sh: sh, period: p, Entries: map[string]*widget.Entry{}, Locked: c.Locked != nil}
	kept := c.Narrative
	suggested := c.SuggestNarrative()
	form := NewForm(sh, e.save)
	if e.Locked {
		form.AddRow(hintLabel(sh.T("narrative.locked")))
	} else {
		form.AddRow(hintLabel(sh.T("narrative.intro")))
	}
	for _, s := range report.NarrativeSections {
		en := widget.NewMultiLineEntry()
		en.Wrapping = fyne.TextWrapWord
		en.SetMinRowsVisible(4)
		text, ok := kept[s]
		if !ok && !e.Locked {
			text = suggested[s]
		}
		en.SetText(text)
		if e.Locked {
			en.Disable()
		}
		e.Entries[s] = en
		form.AddLabelled(report.NarrativeTitle(sh.Lang(), s), en)
	}
	e.Save = form.Save
	buttons := []fyne.CanvasObject{}
	close := widget.NewButton(sh.T("btn.close"), func() { e.Dialog.Hide() })
	buttons = append(buttons, close)
	if !e.Locked {
		buttons = append(buttons, e.Save)
	}
	title := sh.T("narrative.title", "Period", p.Label(sh.Lang()))
	body := container.NewBorder(nil, container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, buttons...)...), nil, nil,
		formScroll(container.NewPadded(form.Box)))
	e.Dialog = dialog.NewCustomWithoutButtons(title, body, sh.Win)
	size := sh.Win.Canvas().Size()
	e.Dialog.Resize(fyne.NewSize(min(860, size.Width*0.96), size.Height*0.94))
	sh.ShowDialog(e.Dialog)
	return e
}

// save keeps the text for the period and closes the dialog.
func (e *NarrativeEditor) save() {
	st := e.sh.Store()
	if st == nil || e.Locked {
		return
	}
	text := map[string]string{}
	for s, en := range e.Entries {
		text[s] = en.Text
	}
	period := e.period.String()
	e.sh.Go(func() error { return st.SetNarrative(report.CommuneReportName, period, text) }, func(err error) {
		if err != nil {
			e.sh.ShowError(err)
			return
		}
		e.Dialog.Hide()
	})
}

// narrativeOf is the text kept for the commune report of q's period.
func narrativeOf(st *data.Store, q *reportRequest) map[string]string {
	if q.kind != ReportCommune {
		return nil
	}
	return st.Narrative(report.CommuneReportName, q.period.String())
}
