package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"danvan/data"
)

// TestPrestigeRegister: the register lists each người có uy tín (by role
// or by decision) with the decision and its term, the meetings of the
// period they attended, and the support of the period, totalled; others
// are not on it.
func TestPrestigeRegister(t *testing.T) {
	s := openStore(t)
	v := &data.Village{Name: "Làng Đăk Ang", VillageKind: data.VillageLang}
	mustSaveMany(t, s, v)
	thoong := &data.Person{Name: "A Thoong", Village: v.ID, Role: data.RolePrestige, DecisionNo: "15/QĐ-UBND", DecisionDate: "2023-02-10",
		TermFrom: "2023-01-01", TermTo: "2027-12-31", Support: []data.PersonSupport{
			{ID: "s1", Date: "2026-01-20", What: "Thăm, tặng quà Tết", ValueVND: 500000},
			{ID: "s2", Date: "2026-03-05", What: "Hỗ trợ khi ốm đau", ValueVND: 1000000},
			{ID: "s3", Date: "2025-12-01", What: "Tập huấn", ValueVND: 200000},
		}}
	elder := &data.Person{Name: "A Blúi", Village: v.ID, Role: data.RoleElder}
	byDecision := &data.Person{Name: "Y Hoa", Village: v.ID, Role: data.RoleOtherRole, DecisionNo: "16/QĐ-UBND", TermFrom: "2021-01-01", TermTo: "2025-12-31"}
	mustSaveMany(t, s, thoong, elder, byDecision)
	mustSaveMany(t, s,
		&data.Meeting{MeetingKind: data.MeetingElders, Date: "2026-02-14", Village: v.ID, Attendees: []data.Attendee{{ID: "a1", PersonID: thoong.ID, Name: thoong.Name}}},
		&data.Meeting{MeetingKind: data.MeetingElders, Date: "2026-03-20", Village: v.ID, Attendees: []data.Attendee{{ID: "a2", PersonID: thoong.ID, Name: thoong.Name}, {ID: "a3", PersonID: elder.ID, Name: elder.Name}}},
		&data.Meeting{MeetingKind: data.MeetingElders, Date: "2026-04-02", Village: v.ID, Attendees: []data.Attendee{{ID: "a4", PersonID: thoong.ID, Name: thoong.Name}}},
	)
	r, err := NewPrestigeRegister(s, "", QuarterPeriod(2026, 1), Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	// Vietnamese order, by given name: Hoa before Thoong.
	if len(r.Rows) != 2 || r.Rows[0].Person.Name != "Y Hoa" || r.Rows[1].Person.Name != "A Thoong" {
		t.Fatalf("rows %+v", r.Rows)
	}
	a := r.Rows[1]
	if a.Meetings != 2 || a.Last != "2026-03-20" || len(a.Support) != 2 || a.Total != 1500000 || !a.InTerm {
		t.Errorf("A Thoong: %d meetings, last %s, %d supports, %d đ, in term %v", a.Meetings, a.Last, len(a.Support), a.Total, a.InTerm)
	}
	if r.Rows[0].InTerm {
		t.Error("Y Hoa's term ended in 2025 but counts as in term")
	}
	var buf bytes.Buffer
	if err := r.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	savePNG(t, buf.Bytes(), "prestige")
	text := strings.Join(strings.Fields(strings.Join(pdfText(t, buf.Bytes()), "\n")), " ")
	mustContain(t, "register", text, "SỔ THEO DÕI NGƯỜI CÓ UY TÍN", "trong đồng bào dân tộc thiểu số – Xã Đăk Long", "A Thoong",
		"Số 15/QĐ-UBND ngày", "10/02/2023", "01/01/2023 –", "31/12/2027", "gần nhất", "20/03/2026", "1.500.000 đ", "(hết thời hạn)", "Thăm, tặng quà Tết", "Hỗ trợ khi ốm đau",
		"Quyết định 12/2018/QĐ-TTg")
	for _, bad := range []string{"A Blúi", "Tập huấn"} {
		if strings.Contains(text, bad) {
			t.Errorf("the register has %q", bad)
		}
	}
	buf.Reset()
	if err := r.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if sheets := x.GetSheetList(); len(sheets) != 2 {
		t.Errorf("sheets %v", sheets)
	}
}

// TestPersonSupportValidated: support must be dated, say what it was,
// and not be negative; the term ends after it starts.
func TestPersonSupportValidated(t *testing.T) {
	for _, c := range []struct {
		name string
		p    data.Person
		bad  string
	}{
		{"fine", data.Person{Support: []data.PersonSupport{{ID: "1", Date: "2026-01-02", What: "Quà Tết", ValueVND: 1}}}, ""},
		{"undated", data.Person{Support: []data.PersonSupport{{ID: "1", What: "Quà Tết"}}}, data.FieldPersonSupport},
		{"nothing said", data.Person{Support: []data.PersonSupport{{ID: "1", Date: "2026-01-02"}}}, data.FieldPersonSupport},
		{"negative", data.Person{Support: []data.PersonSupport{{ID: "1", Date: "2026-01-02", What: "x", ValueVND: -5}}}, data.FieldPersonSupport},
		{"term backwards", data.Person{TermFrom: "2026-01-01", TermTo: "2025-01-01"}, "field.person.term_to"},
	} {
		p := c.p
		p.Name, p.Village, p.Role = "A Thoong", "v1", data.RolePrestige
		got := ""
		if ve, ok := data.AsValidation(data.Validate(&p, nil)); ok {
			got = ve.Fields[0].Field
		}
		if got != c.bad {
			t.Errorf("%s: %q, want %q", c.name, got, c.bad)
		}
	}
}
