package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// This file is the About dialog (Trợ giúp → Giới thiệu): the version, the
// build, the Go and Fyne versions, and the licences of what the app
// embeds. The facts come from main through Options.About, since ui does
// not import the command-line package.

// AboutInfo is what the About dialog shows about the running binary.
type AboutInfo struct {
	// Name is the app's name; "" shows the translated title.
	Name string
	// Version is the release version and Build the build number.
	Version string
	Build   int
	// BuildDate is the day the binary was built, "" for a developer build.
	BuildDate string
	// Go is the Go version, Platform GOOS/GOARCH, Fyne Fyne's version.
	Go, Platform, Fyne string
	// Licences are the licences of the embedded font and unit list.
	Licences []AboutLicence
}

// AboutLicence is the licence of one embedded third-party work.
type AboutLicence struct {
	// What names the work, Holder its copyright holder, Name the licence.
	What, Holder, Name string
	// Text is the licence's full text.
	Text string
}

// AboutDialog is the About dialog as shown.
type AboutDialog struct {
	// Facts holds the version lines, one label each.
	Facts []*widget.Label
	// Licences shows each licence's full text, one item per work.
	Licences *widget.Accordion
	Dialog   dialog.Dialog
}

// Text returns the version lines and licence titles, one per line.
func (a *AboutDialog) Text() string {
	s := ""
	for _, l := range a.Facts {
		s += l.Text + "\n"
	}
	for _, it := range a.Licences.Items {
		s += it.Title + "\n"
	}
	return s
}

// ShowAbout shows the About dialog and returns it.
func (sh *Shell) ShowAbout() *AboutDialog {
	info := sh.opts.About
	unknown := sh.T("about.unknown")
	or := func(s string) string {
		if s == "" {
			return unknown
		}
		return s
	}
	name := info.Name
	if name == "" {
		name = sh.T("app.title")
	}
	version := or(info.Version)
	if info.Build > 0 {
		version += " (" + sh.T("about.build", "Build", strconv.Itoa(info.Build)) + ")"
	}
	date := info.BuildDate
	if date == "" {
		date = sh.T("about.dev_build")
	}
	a := &AboutDialog{}
	title := heading(name)
	a.Facts = []*widget.Label{
		title,
		widget.NewLabel(sh.T("app.version", "Version", version)),
		widget.NewLabel(sh.T("about.build_date", "Date", date)),
		widget.NewLabel(sh.T("about.go", "Version", or(info.Go), "Platform", or(info.Platform))),
		widget.NewLabel(sh.T("about.fyne", "Version", or(info.Fyne))),
	}
	a.Licences = widget.NewAccordion()
	for _, l := range info.Licences {
		text := widget.NewLabel(l.Text)
		text.Wrapping = fyne.TextWrapWord
		text.SizeName = theme.SizeNameCaptionText
		scroll := container.NewVScroll(text)
		scroll.SetMinSize(fyne.NewSize(560, 200))
		a.Licences.Append(widget.NewAccordionItem(l.What+" — "+l.Holder+" · "+l.Name, scroll))
	}
	box := container.NewVBox()
	for _, l := range a.Facts {
		box.Add(l)
	}
	box.Add(widget.NewSeparator())
	box.Add(sectionTitle(sh.T("about.licences")))
	if len(info.Licences) == 0 {
		box.Add(hintLabel(unknown))
	}
	box.Add(a.Licences)
	box.Add(hintLabel(sh.T("app.data_attribution")))
	a.Dialog = dialog.NewCustom(sh.T("app.about"), sh.T("btn.close"), container.NewVScroll(box), sh.Win)
	if s := sh.Win.Canvas().Size(); s.Width > 0 {
		a.Dialog.Resize(fyne.NewSize(min(680, s.Width*0.9), min(560, s.Height*0.9)))
	}
	sh.ShowDialog(a.Dialog)
	return a
}
