package cli

import (
	"fmt"
	"runtime"
	"strings"

	"danvan/assets"
	"danvan/assets/fonts"
)

// Build information, set at link time by the Makefile's release targets:
//
//	go build -ldflags "-X danvan/cli.buildVersion=0.1.0 -X danvan/cli.buildDate=2026-11-23"
//
// A plain "go build" leaves them empty: the version then comes from the
// embedded FyneApp.toml and the build date is unknown.
var (
	buildVersion string
	buildDate    string
)

// Licence is the licence of one third-party work the app embeds.
type Licence struct {
	// What names the work, in Vietnamese.
	What string
	// Holder is its copyright holder.
	Holder string
	// Name is the licence's name, e.g. "SIL Open Font License 1.1".
	Name string
	// Text is the full licence text, which must ship with the work.
	Text []byte
}

// Licences returns the licences of the embedded font and of the embedded
// list of administrative units.
func Licences() []Licence {
	return []Licence{
		{What: "Phông chữ Noto Sans (in báo cáo PDF)", Holder: "© 2015 Google Inc.", Name: "SIL Open Font License 1.1", Text: fonts.License},
		{What: "Danh mục đơn vị hành chính 2025 (\"vietnamese-provinces-database\")", Holder: "© 2021 Thang Le Quoc", Name: "MIT License", Text: assets.UnitsLicence},
	}
}

// VersionInfo is what "danvan --version" and the About dialog show.
type VersionInfo struct {
	// Name is the app's name.
	Name string
	// Version is the release version: set at link time, or FyneApp.toml's.
	Version string
	// Build is FyneApp.toml's build number.
	Build int
	// BuildDate is the day the binary was built, "" for a developer build.
	BuildDate string
	// Go is the Go version that built the binary.
	Go string
	// Platform is GOOS/GOARCH.
	Platform string
	// Fyne is the version of Fyne linked in.
	Fyne string
	// Licences are the licences of the embedded font and unit list.
	Licences []Licence
}

// Version returns the version information of this binary; info is the
// embedded FyneApp.toml.
func Version(info AppInfo) VersionInfo {
	v := VersionInfo{
		Name:      info.Details.Name,
		Version:   info.Details.Version,
		Build:     info.Details.Build,
		BuildDate: buildDate,
		Go:        runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
		Fyne:      fyneVersion(),
		Licences:  Licences(),
	}
	if buildVersion != "" {
		v.Version = buildVersion
	}
	return v
}

// String formats v in Vietnamese, as "danvan --version" prints it.
func (v VersionInfo) String() string {
	var b strings.Builder
	date := v.BuildDate
	if date == "" {
		date = "không rõ (bản dựng của nhà phát triển)"
	}
	fmt.Fprintf(&b, "%s %s (bản dựng %d)\n", v.Name, v.Version, v.Build)
	fmt.Fprintf(&b, "Ngày dựng: %s\n", date)
	fmt.Fprintf(&b, "Go %s %s\n", v.Go, v.Platform)
	fmt.Fprintf(&b, "Fyne %s\n", v.Fyne)
	fmt.Fprintf(&b, "Thành phần nhúng kèm và giấy phép:\n")
	for _, l := range v.Licences {
		fmt.Fprintf(&b, "  %s, %s: %s\n", l.What, l.Holder, l.Name)
	}
	fmt.Fprintf(&b, "Toàn văn giấy phép: danvan licences\n")
	return b.String()
}

// runLicences runs "danvan licences": the full texts of the licences.
func (e *Env) runLicences() int {
	for i, l := range Licences() {
		if i > 0 {
			fmt.Fprintln(e.Stdout)
		}
		fmt.Fprintf(e.Stdout, "==== %s, %s: %s ====\n\n", l.What, l.Holder, l.Name)
		e.Stdout.Write(l.Text)
		if len(l.Text) > 0 && l.Text[len(l.Text)-1] != '\n' {
			fmt.Fprintln(e.Stdout)
		}
	}
	return 0
}
