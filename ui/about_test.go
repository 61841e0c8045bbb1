package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

func TestAboutDialogShowsVersionAndLicences(t *testing.T) {
	sh := newTestShell(t, "")
	sh.opts.About = AboutInfo{Name: "Sổ tay Dân vận", Version: "1.2.3", Build: 7, BuildDate: "2026-11-23", Go: "go1.26.8",
		Platform: "windows/amd64", Fyne: "v2.7.1", Licences: []AboutLicence{
			{What: "Phông chữ Noto Sans", Holder: "© 2015 Google Inc.", Name: "SIL Open Font License 1.1", Text: "SIL OPEN FONT LICENSE Version 1.1"},
			{What: "Danh mục đơn vị hành chính", Holder: "© 2021 Thang Le Quoc", Name: "MIT License", Text: "Permission is hereby granted"},
		}}
	firstRun(t, sh, "Y Sáng")

	// Trợ giúp → Giới thiệu…
	var about *fyne.MenuItem
	for _, m := range sh.Win.MainMenu().Items {
		if m.Label == sh.T("menu.help") {
			for _, it := range m.Items {
				if strings.HasPrefix(it.Label, sh.T("app.about")) {
					about = it
				}
			}
		}
	}
	if about == nil {
		t.Fatal("no Trợ giúp → Giới thiệu menu item")
	}
	about.Action()
	shown := topOverlayText(sh)
	for _, want := range []string{"Sổ tay Dân vận", "Phiên bản 1.2.3 (bản dựng 7)", "Ngày dựng: 2026-11-23", "Go go1.26.8 · windows/amd64", "Fyne v2.7.1"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the About dialog does not show %q:\n%s", want, shown)
		}
	}

	d := sh.ShowAbout()
	text := d.Text()
	for _, want := range []string{"Noto Sans — © 2015 Google Inc. · SIL Open Font License 1.1", "MIT License"} {
		if !strings.Contains(text, want) {
			t.Errorf("the About dialog does not list %q:\n%s", want, text)
		}
	}
	d.Licences.Open(1)
	if shown := topOverlayText(sh); !strings.Contains(shown, "Permission is hereby granted") {
		t.Errorf("the licence text is not shown when opened:\n%s", shown)
	}

	// the menu survives a change of language
	sh.SetLang("en")
	found := false
	for _, m := range sh.Win.MainMenu().Items {
		found = found || m.Label == "Help"
	}
	if !found {
		t.Error("the Help menu is gone after switching to English")
	}
}
