package ui

import (
	"fyne.io/fyne/v2"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// expectedFigures is what the reports page should show for st, by key,
// worked out from data.Stats independently of the page's layout code.
func expectedFigures(st *data.Stats, list *data.Checklist) map[string]string {
	n := formatCount
	want := map[string]string{
		"mass": n(st.Mass), "receptions": n(st.Receptions), "received_people": n(st.Received),
		"closed": n(st.Concerns.Closed), "on_time": n(st.Concerns.OnTime), "late": n(st.Concerns.Late),
		"meetings": n(st.Meetings), "assembly_present": n(st.AssemblyPresent), "assembly_total": n(st.AssemblyTotal),
		"actions.open": n(st.ActionsOpen), "actions.overdue": n(st.ActionsOverdue), "actions.done": n(st.ActionsDone),
		"visits": n(st.Visits), "visits.days": n(st.VisitDays), "visits.nights": n(st.VisitNights),
		"visits.households": n(st.VisitHouseholds),
		"models":            n(st.Models), "models.work_days": n(st.WorkDays), "models.people": n(st.PeopleReached),
		"models.trainings": n(st.Trainings), "models.land": formatAmount(st.LandM2), "models.money": n(int(st.MoneyVND)),
	}
	counts := func(key string, k data.KindCounts) {
		want["concerns."+key+".received"] = n(k.Received)
		want["concerns."+key+".resolved"] = n(k.Resolved)
		want["concerns."+key+".forwarded"] = n(k.Forwarded)
		want["concerns."+key+".open"] = n(k.Open)
		want["concerns."+key+".overdue"] = n(k.Overdue)
	}
	for _, k := range data.ConcernKinds {
		counts(string(k), st.ByKind[k])
	}
	counts("total", st.Concerns)
	for _, k := range data.MeetingKindsCounted {
		want["meetings."+string(k)] = n(st.MeetingsByKind[k])
	}
	for _, it := range list.Cung {
		want["cung."+it.ID] = n(st.Cung[it.ID])
	}
	for _, it := range list.Bam {
		want["bam."+it.ID] = n(st.Bam[it.ID])
	}
	for _, f := range data.ModelFields {
		want["models."+f] = n(st.ModelsByField[f])
		for _, s := range data.ModelStatuses {
			want["models."+f+"."+string(s)] = n(st.ModelsFieldStatus[f][s])
		}
	}
	for _, s := range data.ModelStatuses {
		want["models.status."+string(s)] = n(st.ModelsByStatus[s])
	}
	return want
}

// checkFigures compares the page with data.Stats for its selection.
func checkFigures(t *testing.T, sh *Shell, r *ReportsScreen) *data.Stats {
	t.Helper()
	village, from, to := r.Selection()
	st, err := sh.Store().Stats(village, from, to, demoDay)
	if err != nil {
		t.Fatal(err)
	}
	if r.Progress.Visible() {
		t.Error("the progress bar should be hidden once the figures are in")
	}
	want := expectedFigures(st, sh.Store().Checklist())
	for k, w := range want {
		l, ok := r.Values[k]
		if !ok {
			t.Errorf("%s..%s: the page does not show %q", from, to, k)
			continue
		}
		if l.Text != w {
			t.Errorf("%s..%s village %q: %s shows %s, Stats say %s", from, to, village, k, l.Text, w)
		}
	}
	if len(r.Values) != len(want) {
		t.Errorf("the page shows %d figures, want %d", len(r.Values), len(want))
	}
	return st
}

func TestReportFiguresEqualStats(t *testing.T) {
	sh := openDemo(t)
	r := showScreen[*ReportsScreen](t, sh, "reports")

	// This month, for the whole commune.
	if from, to := r.From.Date(), r.To.Date(); from != "2026-03-01" || to != "2026-03-31" || r.Village.Value() != "" {
		t.Fatalf("default period %s..%s village %q, want March 2026, whole commune", from, to, r.Village.Value())
	}
	st := checkFigures(t, sh, r)
	if st.Concerns.Received == 0 || st.Visits == 0 {
		t.Fatalf("the demo month should have concerns and visits: %+v", st.Concerns)
	}
	if !hasLabel(r.Figures, sh.T("reports.col.overdue")) || !hasLabel(r.Figures, "cùng ăn") {
		t.Error("the figures should be labelled, the checklist items by their labels")
	}

	// This year.
	r.Period.SetSelected(sh.T("reports.period.year"))
	sh.wait()
	if r.From.Date() != "2026-01-01" || r.To.Date() != "2026-12-31" {
		t.Errorf("this year: %s..%s", r.From.Date(), r.To.Date())
	}
	checkFigures(t, sh, r)

	// One village, then a custom period typed by hand.
	r.Village.SetSelectedIndex(1)
	sh.wait()
	if r.Village.Value() == "" {
		t.Fatal("choosing a village")
	}
	checkFigures(t, sh, r)
	r.From.SetText("")
	test.Type(r.From.Entry, "15/06/2025")
	sh.wait()
	if r.Period.Selected != sh.T("reports.period.custom") {
		t.Errorf("typing a date should switch to a custom period, not %q", r.Period.Selected)
	}
	if r.From.Date() != "2025-06-15" {
		t.Fatalf("custom from %q", r.From.Date())
	}
	checkFigures(t, sh, r)

	// Dates out of order give a message, not figures.
	r.To.SetText("")
	test.Type(r.To.Entry, "01/01/2025")
	sh.wait()
	if r.Note.Text != "Đến ngày phải sau hoặc bằng Từ ngày" {
		t.Errorf("note for dates out of order: %q", r.Note.Text)
	}
}

func TestReportExtensionsGetActionsAndStats(t *testing.T) {
	got := map[*ReportsScreen]*data.Stats{}
	added := widget.NewButton("Nút thử", nil)
	RegisterReportExtension(func(r *ReportsScreen) {
		r.Actions.Add(added)
		r.OnStats(func(st *data.Stats) { got[r] = st })
	})
	t.Cleanup(func() {
		reportExtMu.Lock()
		reportExts = reportExts[:len(reportExts)-1]
		reportExtMu.Unlock()
	})
	sh := fieldShell(t)
	r := showScreen[*ReportsScreen](t, sh, "reports")
	found := false
	for _, o := range r.Actions.Objects {
		found = found || o == fyne.CanvasObject(added)
	}
	if !found {
		t.Error("an extension should be able to add to Actions")
	}
	if r.Stats == nil || got[r] != r.Stats {
		t.Error("an extension should get the figures each time they are computed")
	}
}

func TestPeriodRange(t *testing.T) {
	for _, c := range []struct {
		period   string
		today    data.Date
		from, to data.Date
	}{
		{PeriodMonth, "2026-02-11", "2026-02-01", "2026-02-28"},
		{PeriodLastMonth, "2026-01-05", "2025-12-01", "2025-12-31"},
		{PeriodQuarter, "2026-05-20", "2026-04-01", "2026-06-30"},
		{PeriodHalf, "2026-08-02", "2026-07-01", "2026-12-31"},
		{PeriodHalf, "2026-06-30", "2026-01-01", "2026-06-30"},
		{PeriodYear, "2024-02-29", "2024-01-01", "2024-12-31"},
	} {
		if from, to := PeriodRange(c.period, c.today); from != c.from || to != c.to {
			t.Errorf("PeriodRange(%s, %s) = %s..%s, want %s..%s", c.period, c.today, from, to, c.from, c.to)
		}
	}
}
