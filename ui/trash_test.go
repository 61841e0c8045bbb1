package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// findButton returns the visible button labelled text under the list, or nil.
func findButton(l *widget.List, text string) *widget.Button {
	for _, o := range test.LaidOutObjects(l) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.Text == text {
			return b
		}
	}
	return nil
}

func TestTrashRestore(t *testing.T) {
	sh := newTestShell(t, "")
	firstRun(t, sh, "Nguyễn Văn An")
	st := sh.Store()
	v := &data.Village{Name: "Làng Kon Gu", VillageKind: data.VillageLang}
	if err := st.Save(v); err != nil {
		t.Fatal(err)
	}
	live := func() bool {
		return slices.ContainsFunc(st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle), func(r data.Row) bool { return r.ID == v.ID })
	}

	tr, ok := sh.ShowScreen("trash").(*Trash)
	if !ok {
		t.Fatal("no trash screen")
	}
	sh.wait()
	if len(tr.IDs()) != 0 || !tr.Empty.Visible() {
		t.Fatalf("a new store's trash lists %v", tr.IDs())
	}

	if err := st.Delete(v.ID); err != nil {
		t.Fatal(err)
	}
	if live() {
		t.Fatal("a deleted village is still found")
	}
	sh.ShowScreen("dashboard")
	if sh.ShowScreen("trash") != tr {
		t.Error("screens should be built once and kept")
	}
	sh.wait()
	if got := tr.IDs(); len(got) != 1 || got[0] != v.ID {
		t.Fatalf("trash lists %v, want the deleted village", got)
	}
	shown := allTexts(tr.List)
	for _, want := range []string{"Thôn, làng", "Làng Kon Gu", "Xóa lúc"} {
		if !strings.Contains(shown, want) {
			t.Errorf("trash row does not show %q; it shows:\n%s", want, shown)
		}
	}
	if tr.Count.Text != "1 bản ghi" {
		t.Errorf("count %q", tr.Count.Text)
	}

	// Search without diacritics, then clear it.
	test.Type(tr.Search, "kon gu")
	sh.wait()
	if len(tr.IDs()) != 1 {
		t.Error("searching the trash without diacritics loses the village")
	}
	tr.Search.SetText("zzz")
	sh.wait()
	if len(tr.IDs()) != 0 {
		t.Error("a search matching nothing should list nothing")
	}
	tr.Search.SetText("")
	sh.wait()

	b := findButton(tr.List, "Khôi phục")
	if b == nil {
		t.Fatal("no Restore button on the row")
	}
	test.Tap(b)
	sh.wait()
	if !live() {
		t.Fatal("Restore did not bring the village back into Find results")
	}
	if len(tr.IDs()) != 0 || !tr.Status.Visible() || tr.Status.Text != "Đã khôi phục" {
		t.Errorf("after restore the trash lists %v, status %q", tr.IDs(), tr.Status.Text)
	}
}
