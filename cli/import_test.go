package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"danvan/data"
)

// TestImportHouseholds: "danvan import households" shows the columns it
// recognised, a preview and every bad row by line and column, saves
// nothing without --yes, and the good rows with it.
func TestImportHouseholds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	s, err := data.Open(dir, data.Options{Passphrase: "mật khẩu", Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	v := &data.Village{Name: "Làng Đăk Ang", VillageKind: data.VillageLang}
	if err := s.Save(v); err != nil {
		t.Fatal(err)
	}
	s.Close()

	x := excelize.NewFile()
	for i, r := range [][]any{{"DANH SÁCH HỘ"}, {"STT", "Tên chủ hộ", "Nhân khẩu", "Thôn"},
		{1, "A Thút", 5, "Đăk Ang"}, {2, "Y Hoa", "bốn", "Đăk Ang"}, {3, "A Nhát", 6, "Kon Pao"}, {4, "A Thut", 2, "Làng Đăk Ang"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "ho.xlsx")
	if err := x.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		s, err := data.Open(dir, data.Options{Passphrase: "mật khẩu"})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		return s.Count(data.Filter{Kind: data.KindHousehold})
	}

	code, out, errs := runCmd(t, (*Env).runImport, dir, "households", file)
	if code != 0 {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	for _, want := range []string{"Chủ hộ = cột B (Tên chủ hộ)", "Số nhân khẩu = cột C (Nhân khẩu)", "A Thút",
		"Dòng 4, cột C: Số nhân khẩu: giá trị không hợp lệ (“bốn”)", "Dòng 5, cột D: Thôn, làng: thôn/làng không có trong xã (“Kon Pao”)",
		"Dòng 6: A Thut trùng với dòng 3, bỏ qua", "1 hộ sẽ được thêm, 1 dòng trùng, 2 dòng lỗi.", "Chưa lưu gì"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("without --yes %d households were saved", n)
	}
	if code, out, errs := runCmd(t, (*Env).runImport, dir, "households", file, "--yes"); code != 0 || !strings.Contains(out, "Đã thêm 1 hộ vào sổ.") {
		t.Fatalf("import --yes: %d %q %q", code, out, errs)
	}
	if n := count(); n != 1 {
		t.Errorf("after --yes %d households, want 1", n)
	}
	// A second run finds the household already there.
	if _, out, _ := runCmd(t, (*Env).runImport, dir, "households", file); !strings.Contains(out, "Dòng 3: A Thút đã có trong sổ ở Làng Đăk Ang, bỏ qua") {
		t.Errorf("the second run does not find the stored household:\n%s", out)
	}
	// Bad arguments say so.
	if code, _, errs := runCmd(t, (*Env).runImport, dir, "households", file, "--map", "head=Q"); code != 2 || !strings.Contains(errs, "không có cột") {
		t.Errorf("--map head=Q: %d %q", code, errs)
	}
}
