package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

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

// TestFormFieldsLineUpInEnglish: every field of a form starts at the same
// x, the widest label's (issue 15's screens showed "Other households
// reached" pushing its field to the right of the others).
func TestFormFieldsLineUpInEnglish(t *testing.T) {
	sh, _, _, _ := visitSetup(t)
	sh.SetLang(i18n.EN)
	s := showScreen[*VisitsScreen](t, sh, "visits")
	s.New()
	sh.wait()
	f := s.Form.Form
	xs := map[float32][]string{}
	for i, o := range f.Box.Objects {
		row, ok := o.(*fyne.Container)
		if !ok || len(row.Objects) != 2 {
			continue
		}
		// A labelled row: the field, then its label's column.
		field, col := row.Objects[0], row.Objects[1]
		lc, ok := col.(*fyne.Container)
		if !ok || len(lc.Objects) != 1 {
			continue
		}
		if _, ok := lc.Objects[0].(*widget.Label); !ok {
			continue
		}
		xs[field.Position().X] = append(xs[field.Position().X], fmt.Sprint(i))
	}
	if len(xs) != 1 {
		t.Errorf("the fields start at %d different x: %v", len(xs), xs)
	}
}
