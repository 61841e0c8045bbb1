package ui

import (
	"testing"

	"danvan/i18n"
)

// TestCountsAgreeWithTheirNumber: English says "1 member" and "2
// members" (issue 15's screens showed "1 members"); Vietnamese has one
// form; large numbers keep their thousands separator.
func TestCountsAgreeWithTheirNumber(t *testing.T) {
	sh := newTestShell(t, "")
	for _, c := range []struct {
		lang i18n.Lang
		id   string
		n    int
		want string
	}{
		{i18n.EN, "villages.members_n", 1, "1 member"},
		{i18n.EN, "villages.members_n", 2, "2 members"},
		{i18n.EN, "villages.households_n", 1, "1 household"},
		{i18n.EN, "visits.nights_n", 0, "0 nights"},
		{i18n.EN, "visits.nights_n", 1, "1 night"},
		{i18n.EN, "villages.households_n", 1250, "1.250 households"},
		{i18n.VI, "villages.members_n", 1, "1 nhân khẩu"},
		{i18n.VI, "villages.members_n", 5, "5 nhân khẩu"},
		{i18n.VI, "visits.nights_n", 1, "1 đêm"},
	} {
		sh.SetLang(c.lang)
		if got := sh.Tn(c.id, c.n); got != c.want {
			t.Errorf("%s %s(%d) = %q, want %q", c.lang, c.id, c.n, got, c.want)
		}
	}
}
