package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// visitSetup makes a village with three households and opens the form
// for a new visit on the Đi cơ sở screen.
func visitSetup(t *testing.T) (sh *Shell, s *VisitsScreen, v *data.Village, hh []*data.Household) {
	t.Helper()
	sh = fieldShell(t)
	v = addVillage(t, sh, "Làng Kon Klốc")
	for _, head := range []string{"A Thút", "Y Hoa", "Đinh Văn Hùng"} {
		h := &data.Household{Head: head, Village: v.ID, Members: 4}
		mustSave(t, sh, h)
		hh = append(hh, h)
	}
	s = showScreen[*VisitsScreen](t, sh, "visits")
	s.New()
	sh.wait()
	if s.Form == nil || !s.pages.showing(s.Form.Content) {
		t.Fatal("New should show the visit form")
	}
	return sh, s, v, hh
}

// householdCheck returns the checkbox of the household headed head in
// the form's checklist, as laid out.
func householdCheck(t *testing.T, f *VisitForm, head string) *widget.Check {
	t.Helper()
	for _, o := range test.LaidOutObjects(f.Households) {
		if c, ok := o.(*widget.Check); ok && c.Visible() && strings.HasPrefix(c.Text, head+" · ") {
			return c
		}
	}
	t.Fatalf("the household checklist does not show %q", head)
	return nil
}

// setDate types d into a date field, as the user would.
func setDate(f *DateField, d string) {
	f.SetText("")
	test.Type(f.Entry, d)
}

func TestRecordVisitWithTwoHouseholdsAndFourCung(t *testing.T) {
	sh, s, v, hh := visitSetup(t)
	f := s.Form
	if f.Cadres.Text != fieldCadre.Name || f.Unit.Text != fieldCadre.Unit {
		t.Errorf("cadres %q and unit %q should come from the profile", f.Cadres.Text, f.Unit.Text)
	}
	f.Village.SetSelected("Làng Kon Klốc")
	sh.wait()
	setDate(f.From, "01/03/2026")
	setDate(f.To, "04/03/2026")
	if want := sh.T("visits.nights_n", "N", data.DaysBetween("2026-03-01", "2026-03-04")); f.Nights.Text != want || want != "3 đêm" {
		t.Errorf("nights shown %q, want %q", f.Nights.Text, want)
	}

	test.Tap(householdCheck(t, f, "A Thút"))
	test.Tap(householdCheck(t, f, "Đinh Văn Hùng"))
	if want := "Đã chọn 2 hộ: A Thút, Đinh Văn Hùng"; f.Picked.Text != want {
		t.Errorf("picked label %q, want %q", f.Picked.Text, want)
	}
	test.Type(f.Extra, "3")
	if f.Reached.Text != "5" {
		t.Errorf("households reached %q, want 5 (2 ticked + 3 others)", f.Reached.Text)
	}
	ck := sh.Store().Checklist()
	if len(ck.Cung) != 4 || len(f.Cung) != 4 || len(f.Bam) != len(ck.Bam) {
		t.Fatalf("the form should show the checklist's items: %d cùng, %d bám", len(f.Cung), len(f.Bam))
	}
	for _, it := range ck.Cung {
		if f.Cung[it.ID].Text != it.Label {
			t.Errorf("cùng box %q, want %q", f.Cung[it.ID].Text, it.Label)
		}
		test.Tap(f.Cung[it.ID])
	}
	test.Type(f.Activities, "Cùng bà con làm cỏ cà phê, họp tổ tự quản")
	test.Type(f.Observations, "Nguyễn Thị Hưởng đã phản ánh đường vào khu sản xuất bị sạt lở")
	test.Tap(f.Form.Save)
	sh.wait()

	rows := sh.Store().Find(data.Filter{Kind: data.KindVisit}, data.ByDateDesc)
	if len(rows) != 1 {
		t.Fatalf("%d visits stored, want 1; errors: %q %q", len(rows), f.Form.ErrorText("field.visit.to"), f.Form.ErrorText("field.visit.village"))
	}
	var got data.FieldVisit
	if err := sh.Store().Load(rows[0].ID, &got); err != nil {
		t.Fatal(err)
	}
	var linked []string
	for _, h := range got.Households {
		linked = append(linked, h.HouseholdID)
	}
	slices.Sort(linked)
	want := []string{hh[0].ID, hh[2].ID}
	slices.Sort(want)
	if !slices.Equal(linked, want) {
		t.Errorf("visit links households %v, want %v", linked, want)
	}
	if got.HouseholdCount != 5 || got.Reached() != 5 {
		t.Errorf("household count %d, want 5", got.HouseholdCount)
	}
	if len(got.Cung) != 4 {
		t.Fatalf("cùng items stored: %+v", got.Cung)
	}
	for _, it := range got.Cung {
		if !it.Done {
			t.Errorf("cùng %q not recorded as practised", it.Label)
		}
	}
	for _, it := range got.Bam {
		if it.Done {
			t.Errorf("bám %q recorded as practised but was not ticked", it.Label)
		}
	}
	if got.Village != v.ID || got.From != "2026-03-01" || got.To != "2026-03-04" || got.Nights() != 3 ||
		!slices.Equal(got.Cadres, []string{fieldCadre.Name}) || got.Unit != fieldCadre.Unit {
		t.Errorf("stored visit %+v", got)
	}
	if got.Observations != "Nguyễn Thị Hưởng đã phản ánh đường vào khu sản xuất bị sạt lở" {
		t.Errorf("observations came back as %q", got.Observations)
	}
	if s.Detail == nil || !s.pages.showing(s.Detail.Content) {
		t.Fatal("saving should show the visit")
	}
	if !hasLabel(s.Detail.Content, "3 đêm") || !hasLabel(s.Detail.Content, "cùng nói tiếng dân tộc") {
		t.Errorf("the visit detail shows: %q", labelTexts(s.Detail.Content))
	}

	// Its page is titled by the village, the households and the dates.
	if !hasLabel(s.Detail.Content, "Làng Kon Klốc – ") || !hasLabel(s.Detail.Content, " · 01/03/2026 – 04/03/2026 (3 đêm)") {
		t.Errorf("the visit's title does not name the village, households and dates: %q", labelTexts(s.Detail.Content))
	}
	// The list shows it with its village and dates, unit and households.
	test.Tap(s.Detail.Back)
	sh.wait()
	lines := s.List.Lines()
	if len(lines) != 1 || lines[0].Title != "Làng Kon Klốc · 01/03/2026 – 04/03/2026 (3 đêm)" ||
		!strings.Contains(lines[0].Sub, "Đồn Biên phòng Đăk Long") || !strings.Contains(lines[0].Sub, "5 hộ") {
		t.Errorf("visit list: %+v", lines)
	}
	s.Search.SetText("dinh van")
	sh.wait()
	if len(s.List.Rows()) != 1 {
		t.Error("searching a visited household without diacritics should find the visit")
	}

	// The village timeline lists the visit, and opens it on Đi cơ sở.
	vs := showScreen[*VillagesScreen](t, sh, "villages")
	vs.Open(v.ID)
	sh.wait()
	tl := vs.Detail.Timeline
	if len(tl.Rows()) != 1 || tl.Rows()[0].ID != got.ID {
		t.Fatalf("timeline rows %+v, want the visit", tl.Rows())
	}
	if l := tl.Lines()[0]; !strings.Contains(l.Sub, sh.T("enum.kind.visit")) || !strings.Contains(l.Title, "01/03/2026") {
		t.Errorf("timeline line %+v should give the kind and the date", l)
	}
	vs.Detail.Tabs.SelectIndex(2)
	tl.Select(0)
	sh.wait()
	if sh.CurrentID() != "visits" || s.Detail == nil || s.Detail.V.ID != got.ID || !s.pages.showing(s.Detail.Content) {
		t.Errorf("tapping the timeline entry should open the visit on Đi cơ sở (current %q)", sh.CurrentID())
	}
}

func TestVisitToBeforeFromIsRefusedInline(t *testing.T) {
	sh, s, _, _ := visitSetup(t)
	f := s.Form
	f.Village.SetSelected("Làng Kon Klốc")
	setDate(f.From, "05/03/2026")
	setDate(f.To, "02/03/2026")
	want := "Đến ngày phải sau hoặc bằng Từ ngày"
	if got := f.Form.ErrorText("field.visit.to"); got != want {
		t.Errorf("inline error %q, want %q", got, want)
	}
	if f.Nights.Text != "" {
		t.Errorf("nights %q shown for dates out of order", f.Nights.Text)
	}
	test.Tap(f.Form.Save)
	sh.wait()
	if n := sh.Store().Count(data.Filter{Kind: data.KindVisit}); n != 0 {
		t.Fatalf("%d visits saved with the last day before the first", n)
	}
	if !s.pages.showing(f.Content) || f.Form.ErrorText("field.visit.to") == "" {
		t.Error("the form should stay open with the error")
	}
	setDate(f.To, "06/03/2026")
	if f.Form.ErrorText("field.visit.to") != "" || f.Nights.Text != "1 đêm" {
		t.Errorf("after fixing the date: error %q, nights %q", f.Form.ErrorText("field.visit.to"), f.Nights.Text)
	}
}

func TestVisitDraftSurvivesAndConcernFromVisit(t *testing.T) {
	sh, s, v, _ := visitSetup(t)
	f := s.Form
	f.Village.SetSelected("Làng Kon Klốc")
	sh.wait()
	test.Tap(householdCheck(t, f, "Y Hoa"))
	test.Type(f.Activities, "Họp dân bàn làm đường")
	sh.wait()

	// A new form (as after the window was closed) offers the draft back.
	s.New()
	sh.wait()
	f = s.Form
	if f.Restore == nil {
		t.Fatal("the visit draft should be offered back")
	}
	f.Restore.Confirm()
	sh.wait()
	if f.Activities.Text != "Họp dân bàn làm đường" || f.Village.Value() != v.ID || len(f.picked) != 1 {
		t.Fatalf("restored draft: activities %q, village %q, %d households", f.Activities.Text, f.Village.Value(), len(f.picked))
	}

	// "Ghi nhận ý kiến" says it must save the new visit first; cancelled,
	// nothing is saved; confirmed, it saves, says so, and opens a concern
	// linked to it.
	test.Tap(f.RaiseConcern)
	sh.wait()
	if f.RaisePrompt == nil || !strings.Contains(allTexts(sh.Win.Canvas().Overlays().Top()), "chuyến đi cần được lưu trước") {
		t.Fatal("Ghi nhận ý kiến does not say the visit will be saved")
	}
	f.RaisePrompt.Dismiss()
	sh.wait()
	if n := len(sh.Store().Find(data.Filter{Kind: data.KindVisit}, data.ByDateDesc)); n != 0 {
		t.Fatalf("cancelled, yet %d visits were saved", n)
	}
	test.Tap(f.RaiseConcern)
	sh.wait()
	f.RaisePrompt.Confirm()
	sh.wait()
	if s.Detail == nil || !s.Detail.Saved.Visible() || !strings.HasPrefix(s.Detail.Saved.Text, "Đã lưu chuyến đi") {
		t.Error("the visit's page does not say the visit was saved")
	}
	rows := sh.Store().Find(data.Filter{Kind: data.KindVisit}, data.ByDateDesc)
	if len(rows) != 1 {
		t.Fatalf("%d visits stored, want the visit saved before the concern", len(rows))
	}
	cf, ok := sh.ActiveForm().(*ConcernForm)
	if !ok {
		t.Fatalf("the concern form should be open, got %T", sh.ActiveForm())
	}
	if cf.base.VisitID != rows[0].ID || cf.base.Channel != data.ChannelVisit || cf.Village.Value() != v.ID {
		t.Errorf("concern prefilled with visit %q channel %q village %q", cf.base.VisitID, cf.base.Channel, cf.Village.Value())
	}
	cf.Kind.SetSelected(sh.EnumText("concern_kind", string(data.ConcernPetition)))
	test.Type(cf.Summary, "Đề nghị sửa đường vào khu sản xuất")
	cf.SaveForm()
	sh.wait()
	d := s.Detail
	if d == nil || d.V.ID != rows[0].ID {
		t.Fatal("the visit should be shown under the concern form")
	}
	if cr := d.Concerns.Rows(); len(cr) != 1 || cr[0].Title != "Đề nghị sửa đường vào khu sản xuất" {
		t.Errorf("concerns raised on the visit: %+v", cr)
	}
}
