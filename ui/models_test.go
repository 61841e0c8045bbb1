package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

func TestModelMovesAlongItsStatusChain(t *testing.T) {
	sh := fieldShell(t)
	mustSave(t, sh, &data.Model{Name: "Tổ tự quản đường làng", Field: data.FieldPolitics, ModelKind: data.ModelCollective,
		Status: data.ModelRecognised, Registered: "2025-06-01"})
	s := showScreen[*ModelsScreen](t, sh, "models")

	// Add a model through the form.
	s.New()
	sh.wait()
	f := s.Form
	if f == nil || f.Status.Value() != string(data.ModelRegistered) || f.Registered.Date() != sh.Today() {
		t.Fatal("a new model should start as registered today")
	}
	test.Type(f.Name, "Hiến đất làm đường bê tông")
	f.Field.SetSelected(sh.EnumText("model_field", data.FieldEconomy))
	test.Type(f.Land, "1.200,5")
	test.Type(f.WorkDays, "300")
	test.Type(f.Money, "15.000.000")
	test.Type(f.Trainings, "2")
	test.Tap(f.Form.Save)
	sh.wait()
	d := s.Detail
	if d == nil || !s.pages.showing(d.Content) {
		t.Fatalf("saving should show the model; errors %q", f.Form.ErrorText("models.field.land"))
	}
	var m data.Model
	if err := sh.Store().Load(d.M.ID, &m); err != nil {
		t.Fatal(err)
	}
	if m.LandM2 != 1200.5 || m.WorkDays != 300 || m.MoneyVND != 15000000 || m.Trainings != 2 || m.Field != data.FieldEconomy ||
		m.ModelKind != data.ModelCollective || m.Status != data.ModelRegistered {
		t.Fatalf("stored model %+v", m)
	}
	if !hasLabel(d.Content, "1.200,5") || !hasLabel(d.Content, "15.000.000") {
		t.Errorf("the detail should show the counted results: %q", labelTexts(d.Content))
	}
	checkCells := func(want map[string]map[data.ModelStatus]string) {
		t.Helper()
		for _, fl := range data.ModelFields {
			for _, st := range data.ModelStatuses {
				w := want[fl][st]
				if w == "" {
					w = "0"
				}
				if got := s.Cells[fl][st].Text; got != w {
					t.Errorf("grid %s × %s = %s, want %s", fl, st, got, w)
				}
			}
		}
		if s.Total.Text != "2" {
			t.Errorf("total %s, want 2", s.Total.Text)
		}
	}
	checkCells(map[string]map[data.ModelStatus]string{
		data.FieldEconomy:  {data.ModelRegistered: "1"},
		data.FieldPolitics: {data.ModelRecognised: "1"},
	})

	// Chuyển bước asks first; cancelling changes nothing.
	if d.Step.Text != "Chuyển sang: Triển khai hiệu quả" {
		t.Errorf("step button %q", d.Step.Text)
	}
	test.Tap(d.Step)
	if d.StepConfirm == nil {
		t.Fatal("Chuyển bước should ask for confirmation")
	}
	d.StepConfirm.Dismiss()
	sh.wait()
	if err := sh.Store().Load(m.ID, &m); err != nil || m.Status != data.ModelRegistered {
		t.Fatalf("cancelled step changed the status to %s", m.Status)
	}
	test.Tap(d.Step)
	d.StepConfirm.Confirm()
	sh.wait()
	if err := sh.Store().Load(m.ID, &m); err != nil || m.Status != data.ModelEffective {
		t.Fatalf("status after one step: %s (%v)", m.Status, err)
	}
	checkCells(map[string]map[data.ModelStatus]string{
		data.FieldEconomy:  {data.ModelEffective: "1"},
		data.FieldPolitics: {data.ModelRecognised: "1"},
	})
	d = s.Detail
	if d.M.Status != data.ModelEffective || d.Step.Text != "Chuyển sang: Được công nhận" {
		t.Errorf("the detail should follow: status %s, button %q", d.M.Status, d.Step.Text)
	}

	// Walk to the end of the chain: the button then stays disabled.
	for range 3 {
		test.Tap(s.Detail.Step)
		s.Detail.StepConfirm.Confirm()
		sh.wait()
	}
	if err := sh.Store().Load(m.ID, &m); err != nil || m.Status != data.ModelAwarded {
		t.Fatalf("status at the end: %s", m.Status)
	}
	if !s.Detail.Step.Disabled() {
		t.Error("Chuyển bước should be disabled at the end of the chain")
	}
	checkCells(map[string]map[data.ModelStatus]string{
		data.FieldEconomy:  {data.ModelAwarded: "1"},
		data.FieldPolitics: {data.ModelRecognised: "1"},
	})

	// Tapping a count lists those models.
	test.Tap(s.Cells[data.FieldPolitics][data.ModelRecognised])
	sh.wait()
	if rows := s.List.Rows(); len(rows) != 1 || rows[0].Title != "Tổ tự quản đường làng" || !s.pages.showing(s.pages.list) {
		t.Errorf("tapping a count should list its models: %+v", rows)
	}
	test.Tap(s.ClearFilters)
	sh.wait()
	if len(s.List.Rows()) != 2 {
		t.Errorf("clearing the filters lists %d models, want 2", len(s.List.Rows()))
	}
}

func TestModelFormRefusesUnreadableNumbers(t *testing.T) {
	sh := fieldShell(t)
	s := showScreen[*ModelsScreen](t, sh, "models")
	s.New()
	sh.wait()
	f := s.Form
	test.Type(f.Name, "Dân vận khéo trong xây dựng nông thôn mới")
	f.Field.SetSelected(sh.EnumText("model_field", data.FieldCulture))
	test.Type(f.WorkDays, "ba trăm")
	test.Tap(f.Form.Save)
	sh.wait()
	if got := f.Form.ErrorText("models.field.work_days"); got != "Ngày công: giá trị không hợp lệ" {
		t.Errorf("inline error %q", got)
	}
	if n := sh.Store().Count(data.Filter{Kind: data.KindModel}); n != 0 {
		t.Errorf("%d models saved with an unreadable number", n)
	}
}

func TestNumbersTheVietnameseWay(t *testing.T) {
	for s, want := range map[string]float64{"": 0, "1200": 1200, "1.200": 1200, "1.200,5": 1200.5, "1200.5": 1200.5, "1200,75": 1200.75, "1 250": 1250} {
		if got, ok := parseAmount(s); !ok || got != want {
			t.Errorf("parseAmount(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, bad := range []string{"abc", "-5", "1,2,3"} {
		if _, ok := parseAmount(bad); ok {
			t.Errorf("parseAmount(%q) should fail", bad)
		}
	}
	if n, ok := parseCount("15.000.000"); !ok || n != 15000000 {
		t.Errorf("parseCount = %d, %v", n, ok)
	}
	if got := formatAmount(1200.5); got != "1.200,5" {
		t.Errorf("formatAmount = %q", got)
	}
}

// TestCountsReadAlike: every count of every form is read by one parser:
// "1 250" and "1.250" are 1,250 for a concern's people as for a
// household's members, and "-3" is refused as votes as anywhere.
func TestCountsReadAlike(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{{"1 250", 1250, true}, {"1.250", 1250, true}, {"", 0, true}, {"-3", 0, false}, {"ba", 0, false}} {
		e := widget.NewEntry()
		e.SetText(tc.in)
		n, errs := parseCountInput(e, "field.concern.people", nil)
		if (len(errs) == 0) != tc.ok || (tc.ok && n != tc.want) {
			t.Errorf("%q read as %d, errors %v", tc.in, n, errs)
		}
		if m, ok := parseCount(tc.in); ok != tc.ok || (ok && m != n) {
			t.Errorf("%q: the two readings differ (%d, %v)", tc.in, m, ok)
		}
	}
}

// TestModelStepsAreDated: each step a model reaches is dated (Chuyển
// bước today, the form the day the cadre gives), the model's page shows
// the days, and a report of a period before a step still counts the
// model where it stood then.
func TestModelStepsAreDated(t *testing.T) {
	sh := fieldShell(t)
	s := showScreen[*ModelsScreen](t, sh, "models")
	s.New()
	sh.wait()
	f := s.Form
	if f.Reached.Visible() && shownIn(f.Form.Box, f.Reached) {
		t.Error("a registered model asks for the day a step was reached")
	}
	test.Type(f.Name, "Dòng họ không có người vi phạm pháp luật")
	f.Field.SetSelected(sh.EnumText("model_field", data.FieldDefence))
	f.Registered.SetText("")
	test.Type(f.Registered.Entry, "10/01/2026")
	f.Status.SetValue(string(data.ModelRecognised))
	if !shownIn(f.Form.Box, f.Reached) || f.Reached.Date() != sh.Today() {
		t.Fatalf("choosing Được công nhận: the day field shown %v, at %s", shownIn(f.Form.Box, f.Reached), f.Reached.Date())
	}
	f.Reached.SetText("")
	test.Type(f.Reached.Entry, "15/02/2026")
	test.Tap(f.Form.Save)
	sh.wait()
	d := s.Detail
	if d == nil {
		t.Fatalf("not saved: %q", f.Form.ErrorText(data.FieldModelSteps))
	}
	var m data.Model
	if err := sh.Store().Load(d.M.ID, &m); err != nil {
		t.Fatal(err)
	}
	if m.Status != data.ModelRecognised || len(m.Steps) != 1 || m.Steps[0] != (data.ModelStep{Status: data.ModelRecognised, Date: "2026-02-15"}) {
		t.Fatalf("stored %s, steps %v", m.Status, m.Steps)
	}
	if !strings.Contains(strings.Join(labelTexts(d.Content), " "), "[Được công nhận (15/02/2026)]") {
		t.Errorf("the page does not show the day of the step: %q", labelTexts(d.Content))
	}
	// Chuyển bước dates the next step today.
	test.Tap(d.Step)
	d.StepConfirm.Confirm()
	sh.wait()
	if err := sh.Store().Load(m.ID, &m); err != nil || m.Status != data.ModelExemplary || m.Steps[len(m.Steps)-1].Date != sh.Today() {
		t.Fatalf("after Chuyển bước: %s %v (%v)", m.Status, m.Steps, err)
	}
	// January–February counts it recognised, as it stood on 28/02.
	st, err := sh.Store().Stats("", "2026-01-01", "2026-02-28", sh.Today())
	if err != nil {
		t.Fatal(err)
	}
	if st.ModelsByStatus[data.ModelRecognised] != 1 || st.ModelsByStatus[data.ModelExemplary] != 0 || st.ModelsReached[data.ModelRecognised] != 1 {
		t.Errorf("Jan–Feb 2026: by status %v, reached %v", st.ModelsByStatus, st.ModelsReached)
	}
}
