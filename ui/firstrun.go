package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
	"danvan/i18n"
)

// ProfileStep is the last step of the first run, after the passphrase
// and the commune: the cadre's name and unit, and the interface language,
// which applies at once.
type ProfileStep struct {
	sh *Shell

	Title    *widget.Label
	Name     *widget.Entry
	Unit     *widget.Entry
	Issuer   *IssuerFields
	Lang     *LangChoice
	Error    *widget.Label
	Continue *widget.Button
	Content  fyne.CanvasObject
}

// newProfileStep builds the step; prev, if not nil, is the same step in
// the language before a switch, whose entries are carried over.
func newProfileStep(sh *Shell, prev *ProfileStep) *ProfileStep {
	p := &ProfileStep{sh: sh}
	p.Title = heading(sh.T("firstrun.profile_title"))
	p.Name = widget.NewEntry()
	p.Name.SetPlaceHolder(sh.T("firstrun.name_placeholder"))
	p.Unit = widget.NewEntry()
	p.Unit.SetPlaceHolder(sh.T("firstrun.unit_placeholder"))
	p.Issuer = newIssuerFields(sh, p.Unit)
	if prev != nil {
		p.Name.SetText(prev.Name.Text)
		p.Unit.SetText(prev.Unit.Text)
		p.Issuer.set(prev.Issuer.issuer())
		p.Issuer.suggested = prev.Issuer.suggested
	}
	p.Name.OnChanged = func(string) { p.check() }
	p.Name.OnSubmitted = func(string) { sh.Win.Canvas().Focus(p.Unit) }
	p.Unit.OnSubmitted = func(string) { p.submit() }
	p.Lang = newLangChoice(sh)
	p.Error = wrapLabel("")
	p.Error.Importance = widget.DangerImportance
	p.Error.Hide()
	p.Continue = widget.NewButtonWithIcon(sh.T("firstrun.continue"), theme.NavigateNextIcon(), p.submit)
	p.Continue.Importance = widget.HighImportance
	p.check()

	form := widget.NewForm(
		widget.NewFormItem(sh.T("field.profile.name")+" *", p.Name),
		&widget.FormItem{Text: sh.T("field.profile.unit_kind"), Widget: p.Issuer.Kind, HintText: sh.T("firstrun.unit_kind_hint")},
		widget.NewFormItem(sh.T("field.profile.unit"), p.Unit),
		widget.NewFormItem(sh.T("settings.language"), p.Lang.Radio),
	)
	p.Content = centered(520, container.NewVBox(
		p.Title, wrapLabel(sh.T("firstrun.profile_intro")), form, p.Error, container.NewHBox(p.Continue)))
	return p
}

// check enables Continue once a name is typed.
func (p *ProfileStep) check() {
	if strings.TrimSpace(p.Name.Text) == "" {
		p.Continue.Disable()
	} else {
		p.Continue.Enable()
	}
}

// submit stores the profile and opens the main window.
func (p *ProfileStep) submit() {
	if p.Continue.Disabled() {
		return
	}
	st := p.sh.Store()
	prof := data.Profile{Name: p.Name.Text, Unit: p.Unit.Text, Lang: string(p.sh.Lang()), Issuer: p.Issuer.issuer()}
	p.Continue.Disable()
	p.sh.Go(func() error { return st.SetProfile(prof) }, func(err error) {
		p.check()
		if err != nil {
			msg := p.sh.tx.errorText(err)
			if ve, ok := data.AsValidation(err); ok {
				msg = p.sh.ValidationText(ve)
			}
			p.Error.SetText(msg)
			p.Error.Show()
			return
		}
		p.sh.showMain()
	})
}

// LangChoice picks the interface language (each shown in its own
// language) and switches to it at once.
type LangChoice struct {
	Radio *widget.RadioGroup
	langs []i18n.Lang
}

func newLangChoice(sh *Shell) *LangChoice {
	c := &LangChoice{langs: i18n.Langs()}
	var names []string
	for _, l := range c.langs {
		names = append(names, l.Name())
	}
	c.Radio = widget.NewRadioGroup(names, nil)
	c.Radio.Horizontal = true
	c.Radio.Required = true
	c.Radio.SetSelected(sh.Lang().Name())
	c.Radio.OnChanged = func(name string) {
		for _, l := range c.langs {
			if l.Name() == name {
				sh.SetLang(l)
			}
		}
	}
	return c
}

// Choose selects l, as a click on it does.
func (c *LangChoice) Choose(l i18n.Lang) { c.Radio.SetSelected(l.Name()) }
