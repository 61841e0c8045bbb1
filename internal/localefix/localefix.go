// Package localefix keeps Fyne from logging "Error parsing user locale C"
// under the C.UTF-8 locale (cron, ssh, systemd units, containers).
//
// Fyne reads the locale in an init function of its lang package, before
// main runs, through github.com/jeandeaual/go-locale: for "C.UTF-8" that
// returns "C", which is no language tag. It reads $LANGUAGE first when
// the locale is not exactly C or POSIX, so this package sets LANGUAGE=en
// for the process. LC_ALL and LANG are left alone: the C library (X11
// window titles, input) still sees the valid C.UTF-8 locale, and glibc
// ignores LANGUAGE under it. The app chooses its own language from the
// profile.
//
// This package depends only on the standard library and its import path
// sorts before "fyne.io/…", so Go initialises it first (the spec
// initialises the eligible package with the smallest import path first);
// main imports it for that effect.
package localefix

import (
	"os"
	"strings"
)

func init() { Fix() }

// Fix sets LANGUAGE=en when the effective locale (LC_ALL, LC_MESSAGES or
// LANG, the first set) is C or POSIX with a codeset ("C.UTF-8") and
// LANGUAGE names no language. It is idempotent.
func Fix() {
	loc := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = os.Getenv(k); loc != "" {
			break
		}
	}
	base, codeset, _ := strings.Cut(loc, ".")
	if codeset == "" || (base != "C" && base != "POSIX") {
		return
	}
	if l, _, _ := strings.Cut(os.Getenv("LANGUAGE"), "."); l == "" || l == "C" || l == "POSIX" {
		_ = os.Setenv("LANGUAGE", "en")
	}
}
