package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// DeadlineSettings is the "Tính thời hạn" part of Cài đặt: the commune's
// own days to resolve a kiến nghị, phản ánh or ý kiến (its rule, not the
// law's), and the days off a cadre adds to the built-in holiday table.
// Saving either recomputes every concern's deadline.
type DeadlineSettings struct {
	sh      *Shell
	Content fyne.CanvasObject

	// PetitionDays is the commune's number of days (empty: 15).
	PetitionDays *widget.Entry
	Petition     *Form
	// DayOff is the date to add; Days lists the added days off.
	DayOff     *DateField
	AddDay     *widget.Button
	DayOffForm *Form
	Days       *fyne.Container
	Status     *widget.Label

	days []data.Date
}

func newDeadlineSettings(sh *Shell) *DeadlineSettings {
	p := &DeadlineSettings{sh: sh}
	p.PetitionDays = widget.NewEntry()
	p.PetitionDays.PlaceHolder = strconv.Itoa(data.DefaultPetitionDays)
	p.Petition = NewForm(sh, p.savePetition)
	p.Petition.Save.SetText(sh.T("settings.petition_days_save"))
	p.Petition.Add(data.FieldPetitionDays, p.PetitionDays, nil)
	p.Petition.AddRow(hintLabel(sh.T("settings.petition_days_hint")))
	p.Petition.AddRow(container.NewHBox(p.Petition.Save))

	p.DayOff = NewDateField(sh, nil)
	p.AddDay = widget.NewButtonWithIcon(sh.T("settings.day_off_add"), theme.ContentAddIcon(), p.addDay)
	p.DayOffForm = NewForm(sh, p.addDay)
	p.DayOffForm.Add(data.FieldDayOff, container.NewBorder(nil, nil, nil, p.AddDay, p.DayOff), nil)
	p.Days = container.NewVBox()
	p.Status = widget.NewLabel("")
	p.Status.Importance = widget.SuccessImportance
	p.Status.Hide()
	p.Content = container.NewVBox(p.Petition.Box, widget.NewSeparator(),
		hintLabel(sh.T("settings.days_off_intro")), p.DayOffForm.Box, p.Days, p.Status)
	return p
}

// Refresh shows the stored setting and days off.
func (p *DeadlineSettings) Refresh() {
	st := p.sh.Store()
	if st == nil {
		return
	}
	p.PetitionDays.SetText("")
	if b := st.Meta("petition_days"); b != nil {
		if n := st.PetitionDays(); n != data.DefaultPetitionDays {
			p.PetitionDays.SetText(strconv.Itoa(n))
		}
	}
	p.days = st.DaysOff()
	p.Status.Hide()
	p.showDays()
}

// showDays lists the added days off, each with a Remove button.
func (p *DeadlineSettings) showDays() {
	p.Days.RemoveAll()
	if len(p.days) == 0 {
		p.Days.Add(hintLabel(p.sh.T("settings.days_off_none")))
	}
	for _, d := range p.days {
		d := d
		rm := widget.NewButtonWithIcon(p.sh.T("settings.day_off_remove"), theme.DeleteIcon(), func() {
			p.store(slices.DeleteFunc(slices.Clone(p.days), func(x data.Date) bool { return x == d }))
		})
		p.Days.Add(container.NewBorder(nil, nil, nil, rm, widget.NewLabel(d.Display())))
	}
	p.Days.Refresh()
}

// addDay adds the typed date to the days off.
func (p *DeadlineSettings) addDay() {
	d, ok := p.DayOff.DateOK()
	if !ok || d == "" {
		msg := data.MsgInvalid
		if d == "" && ok {
			msg = data.MsgRequired
		}
		p.DayOffForm.ShowErrors(&data.ValidationError{Kind: "settings", Fields: []data.FieldError{{Field: data.FieldDayOff, Msg: msg}}})
		return
	}
	p.DayOffForm.ShowErrors(nil)
	p.store(append(slices.Clone(p.days), d))
	p.DayOff.SetText("")
}

// store saves days as the days off, off the UI goroutine.
func (p *DeadlineSettings) store(days []data.Date) {
	st := p.sh.Store()
	if st == nil {
		return
	}
	var saved []data.Date
	p.sh.Go(func() error {
		if err := st.SetDaysOff(days); err != nil {
			return err
		}
		saved = st.DaysOff()
		return nil
	}, func(err error) {
		if err != nil {
			if !p.DayOffForm.ShowErrors(err) {
				p.sh.ShowError(err)
			}
			return
		}
		p.days = saved
		p.showDays()
		p.saved()
	})
}

// savePetition stores the commune's days for kiến nghị, phản ánh, ý kiến.
func (p *DeadlineSettings) savePetition() {
	st := p.sh.Store()
	if st == nil {
		return
	}
	n := 0
	if s := strings.TrimSpace(p.PetitionDays.Text); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			p.Petition.ShowErrors(&data.ValidationError{Kind: "settings", Fields: []data.FieldError{{Field: data.FieldPetitionDays, Msg: data.MsgInvalid}}})
			return
		}
		n = v
	}
	p.sh.Go(func() error { return st.SetPetitionDays(n) }, func(err error) {
		if !p.Petition.ShowErrors(err) {
			p.sh.ShowError(err)
			return
		}
		if err == nil {
			p.saved()
		}
	})
}

func (p *DeadlineSettings) saved() {
	p.Status.SetText(p.sh.T("settings.saved"))
	p.Status.Show()
}
