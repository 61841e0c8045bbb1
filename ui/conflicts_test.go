package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"danvan/data"
	dsync "danvan/sync"
)

// twoLaptopsOneConcern enrolls this laptop (Y Sáng, through the Đồng bộ
// page) and another one (Y Blếch) of Xã Đăk Long with one real server;
// both hold the same concern of Làng Kon Dồn.
func twoLaptopsOneConcern(t *testing.T) (*Shell, *SyncScreen, *data.Store, *data.Store, *data.Concern) {
	t.Helper()
	ts := startSyncServer(t)
	sh := newTestShell(t, "")
	firstRun(t, sh, "Y Sáng")
	s := enrollFromScreen(t, sh, ts)
	a := sh.Store()
	v := &data.Village{Name: "Làng Kon Dồn", VillageKind: data.VillageLang}
	if err := a.Save(v); err != nil {
		t.Fatal(err)
	}
	c := &data.Concern{ConcernKind: data.ConcernPetition, Channel: data.ChannelReception, Received: data.Today(), Village: v.ID,
		RaiserKind: data.RaiserText, RaiserText: "A Thủy", Topic: "ha_tang", Summary: "Đường vào làng sạt lở", Complexity: data.ComplexityNormal, People: 1}
	if err := a.Save(c); err != nil {
		t.Fatal(err)
	}
	tapSyncNow(t, sh, s)
	b, err := data.Open(t.TempDir(), data.Options{Actor: "Y Blếch"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	ctx := context.Background()
	if _, err := dsync.Enroll(ctx, b, ts.URL, ts.code(t, "Cán bộ B")); err != nil {
		t.Fatal(err)
	}
	if _, err := dsync.RunOnce(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	return sh, s, a, b, c
}

// TestConflictsViewPickResolvesAndSyncs: two laptops of Xã Đăk Long change
// the status of the same concern while neither has seen the other's
// change; the Xung đột view lists the concern with both values, who set
// them and when, and picking one resolves the conflict with an audited
// edit that reaches the other laptop.
func TestConflictsViewPickResolvesAndSyncs(t *testing.T) {
	sh, s, a, b, c := twoLaptopsOneConcern(t)
	ctx := context.Background()
	if err := b.ChangeStatus(c.ID, data.StatusForwarded, "Chuyển UBND huyện"); err != nil {
		t.Fatal(err)
	}
	if _, err := dsync.RunOnce(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	// meanwhile, on this laptop, without b's change
	if err := a.ChangeStatus(c.ID, data.StatusHandling, "Đang xác minh"); err != nil {
		t.Fatal(err)
	}
	tapSyncNow(t, sh, s)
	syncUntil(t, sh, "the conflict", func() bool { return s.Status().Conflicts == 1 })
	if !s.ShowConflicts.Visible() {
		t.Error("the Đồng bộ page does not offer the conflicts")
	}

	test.Tap(s.ShowConflicts)
	sh.wait()
	cv, ok := sh.Current().(*ConflictsScreen)
	if !ok {
		t.Fatalf("Xem xung đột shows %T", sh.Current())
	}
	items := cv.Items()
	if len(items) != 1 || items[0].ID != c.ID || items[0].Title != "Đường vào làng sạt lở" || items[0].Village != "Làng Kon Dồn" {
		t.Fatalf("conflicts listed: %+v", items)
	}
	if rows := listRows(cv.List); len(rows) != 1 || !strings.Contains(rows[0], "Đường vào làng sạt lở") {
		t.Errorf("the list shows %q", rows)
	}
	f := items[0].Fields
	if len(f) != 1 || f[0].Field != "status" || f[0].Label != sh.T("field.concern.status") || len(f[0].Choices) != 2 {
		t.Fatalf("conflicted fields: %+v", f)
	}
	byText := map[string]ConflictChoice{}
	for _, ch := range f[0].Choices {
		byText[ch.Text] = ch
	}
	mine, theirs := byText[sh.EnumText("status", string(data.StatusHandling))], byText[sh.EnumText("status", string(data.StatusForwarded))]
	if mine.Value == nil || theirs.Value == nil {
		t.Fatalf("the choices do not show both statuses by their labels: %+v", f[0].Choices)
	}
	if !strings.Contains(mine.Who, "Y Sáng") || !strings.Contains(mine.Who, sh.T("conflicts.device_this")) {
		t.Errorf("this laptop's value set by %q", mine.Who)
	}
	if !strings.Contains(theirs.Who, "Y Blếch") || !strings.Contains(theirs.Who, shortDevice(b.Device())) {
		t.Errorf("the other laptop's value set by %q", theirs.Who)
	}
	shown := allTexts(cv.Detail)
	for _, want := range []string{mine.Text, theirs.Text, formatDateTime(theirs.When), "Y Blếch", sh.T("conflicts.pick"), sh.T("conflicts.keep")} {
		if !strings.Contains(shown, want) {
			t.Errorf("the detail does not show %q:\n%s", want, shown)
		}
	}

	// pick the other laptop's value
	i := slices.IndexFunc(f[0].Choices, func(ch ConflictChoice) bool { return ch.Text == theirs.Text })
	test.Tap(cv.Picks[i])
	sh.wait()
	if n := len(a.Conflicted()); n != 0 {
		t.Fatalf("%d conflicts left after the pick", n)
	}
	if len(cv.Items()) != 0 || !cv.Empty.Visible() {
		t.Errorf("the view still lists %d conflicts", len(cv.Items()))
	}
	if !strings.Contains(cv.Done.Text, theirs.Text) {
		t.Errorf("the pick is not confirmed: %q", cv.Done.Text)
	}
	var got data.Concern
	if err := a.Load(c.ID, &got); err != nil || got.Status != data.StatusForwarded {
		t.Fatalf("status after the pick: %q, %v", got.Status, err)
	}
	trail, err := a.AuditTrail(c.ID)
	if err != nil || len(trail) == 0 {
		t.Fatal(err)
	}
	last := trail[len(trail)-1]
	if last.Action != data.AuditUpdate || !slices.Contains(last.Fields, "status") || last.Who != "Y Sáng" {
		t.Errorf("the pick is not audited as an edit of the status by the cadre: %+v", last)
	}

	// the pick syncs: the other laptop has it, without a conflict
	tapSyncNow(t, sh, s)
	if _, err := dsync.RunOnce(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	var onB data.Concern
	if err := b.Load(c.ID, &onB); err != nil || onB.Status != data.StatusForwarded || len(b.Conflicted()) != 0 {
		t.Fatalf("the other laptop has status %q and %d conflicts (%v)", onB.Status, len(b.Conflicted()), err)
	}
}

// TestConflictsViewShowsBothTexts (issue 9, part 2): two cadres rewrite
// the same concern's summary offline; neither text vanishes. The Xung đột
// view shows both side by side, each with who wrote it and its own button,
// and the text picked is the one both laptops keep.
func TestConflictsViewShowsBothTexts(t *testing.T) {
	sh, s, a, b, c := twoLaptopsOneConcern(t)
	ctx := context.Background()
	const mineText, theirsText = "Đường vào làng sạt lở sau mưa lũ, xe máy không qua được", "Sạt lở 30 m đường liên thôn, cần kè gấp"
	rewrite := func(st *data.Store, text string) {
		t.Helper()
		var cc data.Concern
		if err := st.Load(c.ID, &cc); err != nil {
			t.Fatal(err)
		}
		cc.Summary = text
		if err := st.Save(&cc); err != nil {
			t.Fatal(err)
		}
	}
	rewrite(b, theirsText)
	if _, err := dsync.RunOnce(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	rewrite(a, mineText)
	tapSyncNow(t, sh, s)
	syncUntil(t, sh, "the conflict", func() bool { return s.Status().Conflicts == 1 })

	test.Tap(s.ShowConflicts)
	sh.wait()
	cv, ok := sh.Current().(*ConflictsScreen)
	if !ok {
		t.Fatalf("Xem xung đột shows %T", sh.Current())
	}
	items := cv.Items()
	if len(items) != 1 || len(items[0].Fields) != 1 {
		t.Fatalf("conflicts listed: %+v", items)
	}
	f := items[0].Fields[0]
	if f.Field != "summary" || f.Label != sh.T("field.concern.summary") || len(f.Choices) != 2 {
		t.Fatalf("conflicted field: %+v", f)
	}
	shown := allTexts(cv.Detail)
	for _, want := range []string{mineText, theirsText, shortDevice(b.Device()), sh.T("conflicts.device_this"), sh.T("field.concern.summary")} {
		if !strings.Contains(shown, want) {
			t.Errorf("the detail does not show %q:\n%s", want, shown)
		}
	}
	// side by side: one grid of two columns holds both texts
	var grid *fyne.Container
	for _, o := range cv.Detail.Objects {
		if g, ok := o.(*fyne.Container); ok && len(g.Objects) == 2 && strings.Contains(allTexts(g), mineText) && strings.Contains(allTexts(g), theirsText) {
			grid = g
		}
	}
	if grid == nil {
		t.Fatal("the two texts are not shown side by side")
	}
	if l, r := grid.Objects[0].Position(), grid.Objects[1].Position(); r.X <= l.X || r.Y != l.Y {
		t.Errorf("the columns are at %v and %v, not side by side", l, r)
	}
	i := slices.IndexFunc(f.Choices, func(ch ConflictChoice) bool { return ch.Text == theirsText })
	test.Tap(cv.Picks[i])
	sh.wait()
	if n := len(a.Conflicted()); n != 0 {
		t.Fatalf("%d conflicts left after the pick", n)
	}
	tapSyncNow(t, sh, s)
	if _, err := dsync.RunOnce(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	for name, st := range map[string]*data.Store{"this laptop": a, "the other laptop": b} {
		var got data.Concern
		if err := st.Load(c.ID, &got); err != nil || got.Summary != theirsText {
			t.Errorf("%s keeps the summary %q (%v)", name, got.Summary, err)
		}
	}
}
