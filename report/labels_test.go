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
