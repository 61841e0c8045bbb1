package report

import (
	"testing"

	"danvan/data"
	"danvan/i18n"
)

// TestEveryKindAndStatusHasAPrintedLabel: a printed report never shows
// a raw code ("y_kien") where the cadre expects a word, in either
// language.
func TestEveryKindAndStatusHasAPrintedLabel(t *testing.T) {
	for _, l := range []i18n.Lang{i18n.VI, i18n.EN} {
		for _, k := range data.ConcernKinds {
			if got := enum(l, "concern_kind", string(k)); got == string(k) {
				t.Errorf("%v: concern kind %s has no printed label", l, k)
			}
		}
		for _, s := range data.Statuses {
			if got := enum(l, "status", string(s)); got == string(s) {
				t.Errorf("%v: status %s has no printed label", l, s)
			}
		}
	}
}

// TestPrintedEnumsAreTheScreens: a status, kind or topic is printed with
// the words the app shows on screen (issue 11: "Đóng" on screen, "Đã
// đóng" on paper).
func TestPrintedEnumsAreTheScreens(t *testing.T) {
	for _, l := range []i18n.Lang{i18n.VI, i18n.EN} {
		for _, s := range data.Statuses {
			if got, want := enum(l, "status", string(s)), i18n.Translate(l, "enum.status."+string(s)); got != want {
				t.Errorf("%v: status %s printed %q, shown %q", l, s, got, want)
			}
		}
		for _, k := range data.ConcernKinds {
			if got, want := enum(l, "concern_kind", string(k)), i18n.Translate(l, "enum.concern_kind."+string(k)); got != want {
				t.Errorf("%v: kind %s printed %q, shown %q", l, k, got, want)
			}
		}
	}
}
