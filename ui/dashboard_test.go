package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"danvan/data"
)

// demoDay is the fixed "today" of the demo stores in these tests.
const demoDay data.Date = "2026-03-18" // a Wednesday

// demoStore makes a store without a passphrase, bound to Xã Đăk Long,
// filled with demo data for demoDay and with a cadre profile, and returns
// its directory.
func demoStore(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	st, err := data.Open(dir, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	if _, err := data.GenerateDemo(st, data.DemoOptions{Scale: 1, Seed: 7, Today: demoDay}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetProfile(data.Profile{Name: "Nguyễn Văn An", Unit: "Ban Dân vận", Lang: "vi"}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openDemo opens a demo store in a shell whose today is demoDay, on the
// main window.
func openDemo(t *testing.T) *Shell {
	t.Helper()
	dir := demoStore(t)
	sh := newTestShell(t, dir)
	sh.opts.Today = demoDay
	sh.Start()
	sh.wait()
	if sh.Main == nil {
		t.Fatal("a demo store with a profile should open on the main window")
	}
	return sh
}

func TestMonthAndWeek(t *testing.T) {
	from, to := MonthRange("2026-02-11")
	if from != "2026-02-01" || to != "2026-02-28" {
		t.Errorf("MonthRange = %s..%s", from, to)
	}
	for day, want := range map[data.Date]data.Date{
		"2026-03-16": "2026-03-22", // Monday
		"2026-03-18": "2026-03-22",
		"2026-03-22": "2026-03-22", // Sunday ends its own week
		"2026-03-23": "2026-03-29",
	} {
		if got := WeekEnd(day); got != want {
			t.Errorf("WeekEnd(%s) = %s, want %s", day, got, want)
		}
	}
}

func TestDashboardOnDemoData(t *testing.T) {
	sh := openDemo(t)
	d := dashboard(t, sh)
	st := sh.Store()

	from, to := MonthRange(demoDay)
	want, err := st.Stats("", from, to, demoDay)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		got  string
		want int
	}{
		"visits":   {d.Visits.Text, want.Visits},
		"meetings": {d.Meetings.Text, want.Meetings},
		"received": {d.Received.Text, want.Concerns.Received},
		"resolved": {d.Resolved.Text, want.Concerns.Resolved},
	} {
		if c.got != formatCount(c.want) {
			t.Errorf("%s shows %q, want %d (data.Stats)", name, c.got, c.want)
		}
	}
	// The quick figures, shown before Stats is done, are the same.
	quick := loadDashboard(st, demoDay)
	if quick.visits != want.Visits || quick.meetings != want.Meetings || quick.received != want.Concerns.Received {
		t.Errorf("quick figures %d/%d/%d differ from data.Stats %d/%d/%d", quick.visits, quick.meetings, quick.received,
			want.Visits, want.Meetings, want.Concerns.Received)
	}
	if want.Visits+want.Meetings+want.Concerns.Received == 0 {
		t.Error("the demo month has no activity: the check proves little")
	}
	if !strings.Contains(d.Month.Text, "03/2026") {
		t.Errorf("month label %q", d.Month.Text)
	}

	// Overdue concerns: the same as Find, most overdue first, in red.
	rows := st.Find(data.Filter{Kind: data.KindConcern, Overdue: true, Today: demoDay}, data.ByDateDesc)
	all := d.OverdueItems()
	var items, soon []OverdueItem
	for _, it := range all {
		if it.Days > 0 {
			items = append(items, it)
		} else {
			soon = append(soon, it)
		}
	}
	if len(rows) == 0 || len(items) != len(rows) {
		t.Fatalf("dashboard lists %d overdue concerns, Find gives %d", len(items), len(rows))
	}
	// Then those due within 3 working days, soonest first, after the
	// overdue ones.
	limit := st.Calendar().AddWorkingDays(demoDay, ReminderDays)
	for i, it := range soon {
		r, _ := st.Row(it.ID)
		if r.Deadline < demoDay || r.Deadline > limit || !data.ConcernStatus(r.Status).Clocked() {
			t.Errorf("%s listed as due soon with deadline %s (limit %s)", it.Title, r.Deadline, limit)
		}
		if i > 0 && soon[i-1].Deadline > it.Deadline {
			t.Error("concerns due soon are not sorted soonest first")
		}
	}
	if len(all) > 0 && all[len(all)-1].Days > 0 && len(soon) > 0 {
		t.Error("an overdue concern is listed after one not yet due")
	}
	wantSoon := 0
	for _, r := range st.Find(data.Filter{Kind: data.KindConcern}, data.ByDateDesc) {
		if r.Deadline >= demoDay && r.Deadline <= limit && data.ConcernStatus(r.Status).Clocked() {
			wantSoon++
		}
	}
	if len(soon) != wantSoon || wantSoon == 0 {
		t.Errorf("%d concerns listed as due soon, want %d (and some, or the check proves little)", len(soon), wantSoon)
	}
	var wantIDs, gotIDs []string
	for _, r := range rows {
		wantIDs = append(wantIDs, r.ID)
	}
	for i, it := range items {
		gotIDs = append(gotIDs, it.ID)
		r, _ := st.Row(it.ID)
		if it.Days != data.DaysBetween(r.Deadline, demoDay) || it.Days <= 0 {
			t.Errorf("%s: %d days overdue, deadline %s", it.Title, it.Days, r.Deadline)
		}
		if i > 0 && items[i-1].Days < it.Days {
			t.Error("overdue concerns are not sorted most overdue first")
		}
	}
	slices.Sort(wantIDs)
	slices.Sort(gotIDs)
	if !slices.Equal(wantIDs, gotIDs) {
		t.Error("overdue concerns differ from Find(Overdue)")
	}
	if !strings.Contains(d.OverdueTitle.Text, "("+formatCount(len(all))+")") {
		t.Errorf("reminders title %q lacks the count %d", d.OverdueTitle.Text, len(all))
	}
	red := theme.Color(theme.ColorNameError)
	first := sh.T("dashboard.overdue_days", "Count", items[0].Days)
	found := false
	for _, o := range test.LaidOutObjects(d.Overdue) {
		if tx, ok := o.(*canvas.Text); ok && tx.Text == first {
			found = true
			if tx.Color != red {
				t.Errorf("%q is not red", tx.Text)
			}
		}
	}
	if !found {
		t.Errorf("the list does not show %q", first)
	}

	// Agreed actions due this week (overdue ones included), as Actions gives.
	wantActions := st.Actions("", WeekEnd(demoDay))
	gotActions := d.ActionItems()
	if len(wantActions) == 0 || len(gotActions) != len(wantActions) {
		t.Fatalf("dashboard lists %d actions, Actions gives %d", len(gotActions), len(wantActions))
	}
	for i := range wantActions {
		if gotActions[i].ID != wantActions[i].ID || gotActions[i].Due > "2026-03-22" {
			t.Errorf("action %d: %+v, want %+v", i, gotActions[i], wantActions[i])
		}
	}

	// The sync line: not enrolled (a state, not an error), and the outbox count.
	if d.Sync.Status.Text != "Chưa đăng ký đồng bộ" {
		t.Errorf("sync status %q", d.Sync.Status.Text)
	}
	if n := st.Pending(); !strings.Contains(d.Sync.Pending.Text, sh.T("dashboard.pending", "Count", n)) {
		t.Errorf("pending %q, want %d", d.Sync.Pending.Text, n)
	}
	sh.SetSyncStatus("Đồng bộ lần cuối: 10:42")
	if d.Sync.Status.Text != "Đồng bộ lần cuối: 10:42" {
		t.Errorf("SetSyncStatus did not reach the line: %q", d.Sync.Status.Text)
	}
	sh.SetSyncStatus("")
	if d.Sync.Status.Text != "Chưa đăng ký đồng bộ" {
		t.Errorf("empty sync status shows %q", d.Sync.Status.Text)
	}

	if min := d.Content().MinSize(); min.Width > 900-navWidth || min.Height > 640 {
		t.Errorf("dashboard needs %v, more than the window leaves", min)
	}

	// Tapping an overdue concern opens the concerns screen.
	d.Overdue.Select(0)
	sh.wait()
	if slices.ContainsFunc(Screens(), func(s ScreenDef) bool { return s.ID == "concerns" }) {
		if sh.CurrentID() != "concerns" {
			t.Errorf("tapping an overdue concern shows %q, want concerns", sh.CurrentID())
		}
	}
}
