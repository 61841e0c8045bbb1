// Package localefix keeps Fyne from logging "Error parsing user locale C"
// under the C or POSIX locale (cron, ssh, systemd units, containers).
//
// Fyne reads the locale in an init function of its lang package, before
// main runs. This package has no dependencies beyond the standard
// library and an import path that sorts before "fyne.io/…", so Go
// initialises it first (the spec initialises the eligible package with
// the smallest import path first); main imports it for that effect. The
// app chooses its language from the profile, so the C locale only stands
// for "no preference": it is replaced by en_US.UTF-8 for this process.
package localefix

import (
	"os"
	"strings"
)

func init() { Fix() }

// Fix replaces C and POSIX values of the locale variables, which
// golang.org/x/text cannot parse as a language, with en_US.UTF-8. It is
// idempotent.
func Fix() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		v, ok := os.LookupEnv(k)
		if !ok {
			continue
		}
		base, _, _ := strings.Cut(v, ".")
		if base == "C" || base == "POSIX" {
			_ = os.Setenv(k, "en_US.UTF-8")
		}
	}
}
