package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"danvan/data"
)

// TestImportHouseholdList: "Nhập danh sách hộ" reads the commune's Excel
// list, guesses its columns, previews it with each bad row by line and
// column, follows a changed column, saves nothing before Lưu, and then
// the good rows.
func TestImportHouseholdList(t *testing.T) {
	sh := fieldShell(t)
	v := addVillage(t, sh, "Làng Kon Klốc")
	x := excelize.NewFile()
	for i, r := range [][]any{{"DANH SÁCH HỘ GIA ĐÌNH"}, {"STT", "Họ tên chủ hộ", "Số khẩu", "Thôn", "Điện thoại"},
		{1, "A Thút", 5, "Kon Klốc", "0912345678"}, {2, "Y Hoa", "bốn", "Kon Klốc", ""}, {3, "Đinh Văn Hùng", 3, "Làng Kon Klốc", ""}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "danh-sach.xlsx")
	if err := x.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	old := chooseImportPath
	chooseImportPath = func(sh *Shell, chosen func(string)) { chosen(file) }
	t.Cleanup(func() { chooseImportPath = old })

	s := showScreen[*VillagesScreen](t, sh, "villages")
	test.Tap(s.ImportList)
	sh.wait()
	imp := s.Import
	if imp == nil {
		t.Fatalf("no import dialog; on top: %q", topDialogText(sh))
	}
	if got := imp.Columns["head"].Selected; got != "B – Họ tên chủ hộ" {
		t.Errorf("head of household's column %q", got)
	}
	if imp.Summary.Text != "2 hộ sẽ được thêm, 0 dòng trùng, 1 dòng lỗi." {
		t.Errorf("summary %q", imp.Summary.Text)
	}
	if !strings.Contains(imp.Problems.Text, "Dòng 4, cột C: Số nhân khẩu: giá trị không hợp lệ (“bốn”)") {
		t.Errorf("problems %q", imp.Problems.Text)
	}
	if !strings.Contains(imp.Preview.Text, "3. A Thút · Làng Kon Klốc · 5 nhân khẩu") {
		t.Errorf("preview %q", imp.Preview.Text)
	}
	// Without the members' column every row goes in.
	imp.Columns["members"].SetSelectedIndex(0)
	sh.wait()
	if imp.Summary.Text != "3 hộ sẽ được thêm, 0 dòng trùng, 0 dòng lỗi." || imp.Save.Text != "Lưu 3 hộ" {
		t.Errorf("after dropping the members' column: %q, %q", imp.Summary.Text, imp.Save.Text)
	}
	if n := sh.Store().Count(data.Filter{Kind: data.KindHousehold}); n != 0 {
		t.Fatalf("%d households saved before Lưu", n)
	}
	test.Tap(imp.Save)
	sh.wait()
	if n := sh.Store().Count(data.Filter{Kind: data.KindHousehold, Village: v.ID}); n != 3 {
		t.Errorf("%d households in the village after Lưu, want 3", n)
	}
	if got := topDialogText(sh); !strings.Contains(got, "Đã thêm 3 hộ vào sổ.") {
		t.Errorf("after saving: %q", got)
	}
}
