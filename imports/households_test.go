package imports

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"danvan/data"
)

func openStore(t *testing.T) *data.Store {
	t.Helper()
	s, err := data.Open(t.TempDir(), data.Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	return s
}

// commune's list as communes keep it: two title lines, then the header,
// columns in their own order, a blank line, and the errors a typed list
// has.
var list = [][]string{
	{"DANH SÁCH HỘ GIA ĐÌNH NĂM 2026"},
	{"Xã Đăk Long"},
	{"STT", "Họ và tên chủ hộ", "Số nhân khẩu", "Thôn", "Số điện thoại"},
	{"1", "A Thút", "5", "Đăk Ang", "0912 345 678"}, // line 4: the village without "Làng"
	{"2", "Y Hoa", "1.250", "Làng Đăk Ang", ""},     // line 5: a number the Vietnamese way
	{"3", "Đinh Văn Hùng", "năm", "Kon Pao", ""},    // line 6: members not a number
	{"4", "A Blúi", "3", "Thôn Ngọc Hồi", ""},       // line 7: no such village
	{"", "", "", "", ""},                    // line 8: blank
	{"5", "", "4", "Kon Pao", ""},           // line 9: no head
	{"6", "Y Sơn", "6", "Thôn Kon Pao", ""}, // line 10: already stored as "Y Sơn" (folded)
	{"7", "a thut", "2", "Đăk Ang", ""},     // line 11: the same head as line 4
}

func writeXLSX(t *testing.T, rows [][]string) string {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "danh-sach-ho.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPlanHouseholdsFromAnExcelList: the header is found under the title
// lines and its columns guessed; each bad row is named by its line and
// column; duplicates of stored households and of earlier rows are found
// without diacritics; nothing is saved until Save.
func TestPlanHouseholdsFromAnExcelList(t *testing.T) {
	s := openStore(t)
	dakAng := &data.Village{Name: "Làng Đăk Ang", VillageKind: data.VillageLang}
	konPao := &data.Village{Name: "Thôn Kon Pao", VillageKind: data.VillageThon}
	for _, v := range []data.Object{dakAng, konPao} {
		if err := s.Save(v); err != nil {
			t.Fatal(err)
		}
	}
	stored := &data.Household{Head: "Y Sơn", Village: konPao.ID, Members: 6}
	if err := s.Save(stored); err != nil {
		t.Fatal(err)
	}
	tab, err := ReadTable(writeXLSX(t, list), HouseholdFields)
	if err != nil {
		t.Fatal(err)
	}
	if tab.HeaderLine != 3 {
		t.Errorf("header on line %d, want 3", tab.HeaderLine)
	}
	m := Guess(tab.Header, HouseholdFields)
	if m["head"] != 1 || m["members"] != 2 || m["village"] != 3 || m["phone"] != 4 {
		t.Errorf("guessed %v", m)
	}
	plan, err := PlanHouseholds(s, tab, m, "")
	if err != nil {
		t.Fatal(err)
	}
	byLine := map[int]Planned{}
	for _, p := range plan.Rows {
		byLine[p.Line] = p
	}
	if _, ok := byLine[8]; ok {
		t.Error("the blank line was planned")
	}
	check := func(line int, wantOK bool, dup string, column, msg string) {
		t.Helper()
		p, ok := byLine[line]
		if !ok {
			t.Fatalf("line %d not planned", line)
		}
		if p.OK() != wantOK || p.Duplicate != dup {
			t.Errorf("line %d: ok %v, duplicate %q; want %v, %q (errors %v)", line, p.OK(), p.Duplicate, wantOK, dup, p.Errors)
		}
		if msg != "" && (len(p.Errors) != 1 || p.Errors[0].Column != column || p.Errors[0].Msg != msg) {
			t.Errorf("line %d: errors %v, want column %s %s", line, p.Errors, column, msg)
		}
	}
	check(4, true, "", "", "")
	check(5, true, "", "", "")
	check(6, false, "", "C", data.MsgInvalid)
	check(7, false, "", "D", data.MsgUnknownVillage)
	check(9, false, "", "B", data.MsgRequired)
	check(10, false, stored.ID, "", "")
	check(11, false, "line 4", "", "")
	if h := byLine[4].Household; h.Village != dakAng.ID || h.Members != 5 || h.Phone != "0912 345 678" {
		t.Errorf("line 4 planned as %+v", h)
	}
	if byLine[5].Household.Members != 1250 {
		t.Errorf("1.250 read as %d", byLine[5].Household.Members)
	}
	if ok, dup, bad := plan.Counts(); ok != 2 || dup != 2 || bad != 3 {
		t.Errorf("counts %d ok, %d duplicates, %d bad; want 2, 2, 3", ok, dup, bad)
	}
	if n := s.Count(data.Filter{Kind: data.KindHousehold}); n != 1 {
		t.Fatalf("planning saved households: %d stored", n)
	}
	n, err := plan.Save(s, nil)
	if err != nil || n != 2 {
		t.Fatalf("saved %d (%v), want 2", n, err)
	}
	if got := s.Count(data.Filter{Kind: data.KindHousehold, Village: dakAng.ID}); got != 2 {
		t.Errorf("Làng Đăk Ang has %d households after the import, want 2", got)
	}
}

// TestReadCSVWithSemicolonsAndBOM: a CSV saved by Excel in Vietnamese
// (BOM, semicolons) reads like the workbook; a list without a village
// column takes the village given for the whole list, and a file of
// another kind is refused.
func TestReadCSVWithSemicolonsAndBOM(t *testing.T) {
	s := openStore(t)
	v := &data.Village{Name: "Làng Đăk Ang", VillageKind: data.VillageLang}
	if err := s.Save(v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ho.csv")
	if err := os.WriteFile(path, []byte("\ufeffChủ hộ;Nhân khẩu\nA Thút;5\nY Hoa;4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tab, err := ReadTable(path, HouseholdFields)
	if err != nil {
		t.Fatal(err)
	}
	m := Guess(tab.Header, HouseholdFields)
	if _, err := PlanHouseholds(s, tab, m, ""); err == nil {
		t.Error("a list without villages was planned without a village")
	}
	plan, err := PlanHouseholds(s, tab, m, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := plan.Counts(); ok != 2 || plan.Rows[1].Household.Head != "Y Hoa" || plan.Rows[1].Line != 3 {
		t.Errorf("planned %+v", plan.Rows)
	}
	other := filepath.Join(t.TempDir(), "ho.ods")
	os.WriteFile(other, []byte("x"), 0o644)
	if _, err := ReadTable(other, HouseholdFields); err == nil {
		t.Error("an .ods file was read")
	}
}

// TestColumnName: columns as Excel names them.
func TestColumnName(t *testing.T) {
	for col, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := ColumnName(col); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", col, got, want)
		}
	}
}
