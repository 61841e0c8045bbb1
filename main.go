// Command danvan is Sổ tay Dân vận, the offline notebook of commune-level
// "dân vận" (mass mobilisation) cadres.
//
//	danvan [--store DIR]                 open the app
//	danvan demo --commune 23368 [...]    fill a store with demo data
//	danvan --version
//
// This is the only package that imports fyne.io/fyne/v2/app (cgo, OpenGL);
// the subcommands live in package cli and the screens in package ui.
package main

import (
	_ "embed"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"danvan/cli"
	_ "danvan/internal/localefix" // before Fyne reads the locale: no "Error parsing user locale C"
	"danvan/ui"
)

//go:embed FyneApp.toml
var fyneAppTOML []byte

//go:embed assets/icon.png
var iconPNG []byte

func main() {
	info, err := cli.ParseAppInfo(fyneAppTOML)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Lỗi: bản dựng hỏng:", err)
		os.Exit(1)
	}
	os.Exit(cli.Run(cli.Env{
		Args:   os.Args[1:],
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Info:   info,
		GUI:    func(dir string) error { return runGUI(info, dir) },
	}))
}

// runGUI opens the window on the store in dir until the user quits.
func runGUI(info cli.AppInfo, dir string) error {
	// A plain "go build" gets no metadata from the fyne tool: set it here
	// from the embedded FyneApp.toml, including the fyneDo migration.
	d := info.Details
	app.SetMetadata(fyne.AppMetadata{
		ID:         d.ID,
		Name:       d.Name,
		Version:    d.Version,
		Build:      d.Build,
		Icon:       fyne.NewStaticResource("icon.png", iconPNG),
		Migrations: info.Migrations,
	})
	a := app.NewWithID(d.ID)
	a.SetIcon(fyne.NewStaticResource("icon.png", iconPNG))
	return ui.Run(a, ui.Options{StoreDir: dir, About: aboutInfo(cli.Version(info))})
}

// aboutInfo passes the version information to the About dialog.
func aboutInfo(v cli.VersionInfo) ui.AboutInfo {
	a := ui.AboutInfo{Name: v.Name, Version: v.Version, Build: v.Build, BuildDate: v.BuildDate,
		Go: v.Go, Platform: v.Platform, Fyne: v.Fyne}
	for _, l := range v.Licences {
		a.Licences = append(a.Licences, ui.AboutLicence{What: l.What, Holder: l.Holder, Name: l.Name, Text: string(l.Text)})
	}
	return a
}
