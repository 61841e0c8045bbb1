package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// UnlockScreen asks for the passphrase: a new one (with the choice to go
// without) for a new store, or the existing one to unlock a store.
type UnlockScreen struct {
	sh     *Shell
	create bool

	Title   *widget.Label
	Intro   *widget.Label
	Pass    *widget.Entry
	Confirm *widget.Entry // only for a new store
	Error   *widget.Label
	Status  *widget.Label
	Submit  *widget.Button
	Skip    *widget.Button // only for a new store

	// The warning shown after Skip, with its two answers.
	SkipBox     *fyne.Container
	SkipWarning *widget.Label
	SkipConfirm *widget.Button
	SkipBack    *widget.Button

	form    *fyne.Container
	Content fyne.CanvasObject
}

func newUnlockScreen(sh *Shell, create bool) *UnlockScreen {
	tx := sh.tx
	u := &UnlockScreen{sh: sh, create: create}
	u.Title = heading(tx.T("auth.unlock_title"))
	u.Intro = wrapLabel(tx.T("auth.unlock_intro"))
	u.Pass = widget.NewPasswordEntry()
	u.Pass.SetPlaceHolder(tx.T("auth.passphrase"))
	u.Pass.OnSubmitted = func(string) { u.submit() }
	u.Error = wrapLabel("")
	u.Error.Importance = widget.DangerImportance
	u.Error.Hide()
	u.Status = widget.NewLabel(tx.T("status.loading"))
	u.Status.Hide()
	u.Submit = widget.NewButtonWithIcon(tx.T("btn.unlock"), theme.LoginIcon(), u.submit)
	u.Submit.Importance = widget.HighImportance
	buttons := container.NewHBox(u.Submit)
	rows := []fyne.CanvasObject{u.Title, u.Intro, u.Pass}

	if create {
		u.Title.SetText(tx.T("auth.create_title"))
		u.Intro.SetText(tx.T("auth.create_intro", "Min", minPassphrase))
		u.Confirm = widget.NewPasswordEntry()
		u.Confirm.SetPlaceHolder(tx.T("auth.passphrase_confirm"))
		u.Confirm.OnSubmitted = func(string) { u.submit() }
		u.Pass.OnSubmitted = func(string) { sh.Win.Canvas().Focus(u.Confirm) }
		u.Submit.SetText(tx.T("auth.create"))
		// Going without a passphrase is offered apart and low: the store
		// will hold denouncers' identities.
		u.Skip = widget.NewButton(tx.T("auth.skip"), u.askSkip)
		u.Skip.Importance = widget.LowImportance
		rows = append(rows, u.Confirm, hintLabel(tx.T("auth.passphrase_hint")))

		u.SkipWarning = wrapLabel(tx.T("auth.skip_warning"))
		u.SkipWarning.Importance = widget.WarningImportance
		u.SkipConfirm = widget.NewButtonWithIcon(tx.T("auth.skip_confirm"), theme.WarningIcon(), u.skip)
		u.SkipConfirm.Importance = widget.WarningImportance
		u.SkipBack = widget.NewButton(tx.T("btn.back"), u.cancelSkip)
		u.SkipBox = container.NewVBox(u.SkipWarning, container.NewHBox(u.SkipConfirm, u.SkipBack))
		u.SkipBox.Hide()
	}
	u.form = container.NewVBox(append(rows, u.Error, u.Status, buttons)...)
	if u.SkipBox != nil {
		u.form.Add(widget.NewSeparator())
		u.form.Add(container.NewHBox(u.Skip))
		u.form.Add(u.SkipBox)
	}
	u.Content = centered(460, u.form)
	return u
}

// submit checks the entries and opens the store with the passphrase.
func (u *UnlockScreen) submit() {
	if u.busy() {
		return
	}
	tx := u.sh.tx
	p := u.Pass.Text
	switch {
	case p == "":
		u.fail(tx.T("validation.required", "Field", tx.T("auth.passphrase")))
		return
	case u.create && len([]rune(p)) < minPassphrase:
		u.fail(tx.T("err.passphrase_too_short", "Min", minPassphrase))
		return
	case u.create && p != u.Confirm.Text:
		u.fail(tx.T("err.passphrase_mismatch"))
		return
	}
	u.start(p)
}

// askSkip shows the warning about going without a passphrase.
func (u *UnlockScreen) askSkip() {
	if u.busy() {
		return
	}
	u.Error.Hide()
	u.SkipBox.Show()
	u.Submit.Disable()
	u.Skip.Disable()
}

func (u *UnlockScreen) cancelSkip() {
	u.SkipBox.Hide()
	u.Submit.Enable()
	u.Skip.Enable()
}

// skip creates the store without a passphrase, after the warning.
func (u *UnlockScreen) skip() {
	u.SkipBox.Hide()
	u.Pass.SetText("")
	if u.Confirm != nil {
		u.Confirm.SetText("")
	}
	u.start("")
}

func (u *UnlockScreen) busy() bool { return u.Status.Visible() }

func (u *UnlockScreen) start(passphrase string) {
	u.Error.Hide()
	u.Status.Show()
	u.setEnabled(false)
	u.sh.open(passphrase, u.opened)
}

// opened handles a failed open: the message appears under the entries
// and the user may try again.
func (u *UnlockScreen) opened(err error) {
	u.Status.Hide()
	u.setEnabled(true)
	if errors.Is(err, data.ErrWrongPassphrase) {
		u.Pass.SetText("")
		u.sh.Win.Canvas().Focus(u.Pass)
	}
	u.fail(u.sh.tx.errorText(err))
}

func (u *UnlockScreen) fail(msg string) {
	u.Error.SetText(msg)
	u.Error.Show()
}

func (u *UnlockScreen) setEnabled(on bool) {
	ws := []fyne.Disableable{u.Pass, u.Submit}
	if u.create {
		ws = append(ws, u.Confirm, u.Skip)
	}
	for _, w := range ws {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}
