package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ProblemScreen explains why a store without a passphrase could not be
// opened (most often: the app is already open) and offers to try again.
type ProblemScreen struct {
	Message *widget.Label
	Retry   *widget.Button
	Quit    *widget.Button
	Content fyne.CanvasObject
}

func newProblemScreen(sh *Shell, err error) *ProblemScreen {
	tx := sh.tx
	p := &ProblemScreen{Message: wrapLabel(tx.errorText(err))}
	p.Message.Importance = widget.DangerImportance
	p.Retry = widget.NewButtonWithIcon(tx.T("btn.retry"), theme.ViewRefreshIcon(), sh.Start)
	p.Retry.Importance = widget.HighImportance
	p.Quit = widget.NewButton(tx.T("btn.close"), sh.App.Quit)
	p.Content = centered(460, container.NewVBox(
		heading(tx.T("err.title")), p.Message, container.NewHBox(p.Retry, p.Quit)))
	return p
}

func newLoading(tx texts) fyne.CanvasObject {
	return centered(460, container.NewVBox(heading(tx.T("app.title")), widget.NewLabel(tx.T("status.loading"))))
}
