package data

import "testing"

// TestHolidayTable: the embedded table covers 2025–2030 with the public
// holidays of Bộ luật Lao động 2019 Đ.112 (Tết by the lunar calendar,
// Giỗ Tổ 10/3 lunar, 30/4, 1/5, 2/9 and its adjacent day, 1/1), and a
// Saturday worked in exchange is a working day.
func TestHolidayTable(t *testing.T) {
	if n := len(Holidays()); n < 70 {
		t.Fatalf("holiday table has %d days, want 2025–2030", n)
	}
	var cal *Calendar // nil: the embedded table
	cases := []struct {
		day  Date
		off  bool
		what string
	}{
		{"2025-01-01", true, "Tết Dương lịch 2025"},
		{"2025-01-29", true, "mùng 1 Tết Ất Tỵ"},
		{"2025-04-07", true, "Giỗ Tổ 2025 (10/3 âm lịch)"},
		{"2025-04-26", false, "Saturday worked for 02/5/2025"},
		{"2025-05-02", true, "day off swapped for 26/4/2025"},
		{"2025-09-01", true, "Quốc khánh, adjacent day 2025"},
		{"2026-01-01", true, "Tết Dương lịch 2026"},
		{"2026-01-02", false, "an ordinary Friday"},
		{"2026-02-16", true, "29 Tết Bính Ngọ"},
		{"2026-02-17", true, "mùng 1 Tết Bính Ngọ"},
		{"2026-02-20", true, "mùng 4 Tết Bính Ngọ"},
		{"2026-02-23", false, "first Monday after Tết 2026"},
		{"2026-04-27", true, "Giỗ Tổ 2026 falls on Sunday 26/4: Monday off in lieu"},
		{"2026-04-30", true, "30/4/2026"},
		{"2026-05-01", true, "1/5/2026"},
		{"2026-09-02", true, "Quốc khánh 2026"},
		{"2027-02-06", true, "mùng 1 Tết Đinh Mùi"},
		{"2027-02-10", true, "Tết 2027 day in lieu"},
		{"2027-04-16", true, "Giỗ Tổ 2027"},
		{"2028-01-26", true, "mùng 1 Tết Mậu Thân"},
		{"2028-04-04", true, "Giỗ Tổ 2028"},
		{"2029-02-13", true, "mùng 1 Tết Kỷ Dậu"},
		{"2029-04-23", true, "Giỗ Tổ 2029"},
		{"2030-02-03", true, "mùng 1 Tết Canh Tuất"},
		{"2030-04-12", true, "Giỗ Tổ 2030"},
		{"2030-09-02", true, "Quốc khánh 2030"},
		{"2026-12-05", true, "a Saturday"},
		{"2026-12-06", true, "a Sunday"},
		{"2026-12-07", false, "a Monday"},
	}
	for _, c := range cases {
		if got := cal.DayOff(c.day); got != c.off {
			t.Errorf("%s (%s): day off %v, want %v", c.day, c.what, got, c.off)
		}
	}
	for y := 2025; y <= 2030; y++ {
		for _, md := range []string{"-01-01", "-04-30", "-05-01", "-09-02"} {
			d := Date(itoa(y) + md)
			if !cal.DayOff(d) {
				t.Errorf("%s is not a day off", d)
			}
		}
		tet := 0
		for _, h := range Holidays() {
			if h.Date[:4] == Date(itoa(y)) && h.Name == "Tết Nguyên đán" {
				tet++
			}
		}
		if tet < 5 {
			t.Errorf("%d has %d Tết days, want 5", y, tet)
		}
	}
}

// TestNextWorkingDay: a period whose last day is a weekly rest day or a
// public holiday ends on the next working day (BLDS 2015 Đ.148 khoản 5).
func TestNextWorkingDay(t *testing.T) {
	extra := NewCalendar([]Date{"2026-12-07"})
	cases := []struct {
		cal  *Calendar
		day  Date
		want Date
	}{
		{nil, "2026-02-01", "2026-02-02"}, // Sunday → Monday
		{nil, "2026-12-05", "2026-12-07"}, // Saturday → Monday
		{nil, "2026-02-14", "2026-02-23"}, // the Saturday before Tết → after Tết
		{nil, "2026-04-30", "2026-05-04"}, // 30/4, 1/5, weekend
		{nil, "2026-12-03", "2026-12-03"}, // a working Thursday stays
		{extra, "2026-12-05", "2026-12-08"},
	}
	for _, c := range cases {
		if got := c.cal.NextWorkingDay(c.day); got != c.want {
			t.Errorf("NextWorkingDay(%s) = %s, want %s", c.day, got, c.want)
		}
	}
}

// TestAddWorkingDays: working days skip weekends and holidays; counting
// starts the day after (BLDS 2015 Đ.147).
func TestAddWorkingDays(t *testing.T) {
	cases := []struct {
		from Date
		n    int
		want Date
	}{
		{"2026-03-02", 7, "2026-03-11"},  // Monday + 7 working days
		{"2026-02-12", 7, "2026-03-02"},  // across Tết 2026
		{"2026-08-08", 10, "2026-08-21"}, // received on a Saturday
		{"2026-04-24", 3, "2026-05-04"},  // across 27/4 in lieu and 30/4–1/5
	}
	for _, c := range cases {
		if got := (*Calendar)(nil).AddWorkingDays(c.from, c.n); got != c.want {
			t.Errorf("%s + %d working days = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

// TestDeadlineOf: intake deadlines before thụ lý, resolution periods from
// thụ lý, each with its legal basis.
func TestDeadlineOf(t *testing.T) {
	cases := []struct {
		name  string
		in    DeadlineInput
		want  Date
		basis DeadlineBasis
		moved bool
	}{
		// Resolution from thụ lý; 02/01/2026 + 30 = 01/02/2026, a Sunday
		// (Luật Khiếu nại 2011 Đ.28; BLDS 2015 Đ.148).
		{"khieu nai 30 days ending on Sunday", DeadlineInput{Kind: ConcernComplaint1, Received: "2025-12-29", Accepted: "2026-01-02"}, "2026-02-02", BasisLaw, true},
		{"khieu nai remote 45 days", DeadlineInput{Kind: ConcernComplaint1, Remote: true, Received: "2026-03-02", Accepted: "2026-03-02"}, "2026-04-16", BasisLaw, false},
		{"kien nghi: the commune's rule", DeadlineInput{Kind: ConcernPetition, Received: "2026-03-02", Accepted: "2026-03-03"}, "2026-03-18", BasisCommune, false},
		{"phan anh: commune's 20 days", DeadlineInput{Kind: ConcernReport, Received: "2026-03-02", Accepted: "2026-03-03", PetitionDays: 20}, "2026-03-23", BasisCommune, false},
		// Intake (Luật Khiếu nại 2011 Đ.27): 10 days from receipt.
		{"khieu nai intake", DeadlineInput{Kind: ConcernComplaint1, Received: "2026-03-02"}, "2026-03-12", BasisComplaintIntake, false},
		{"khieu nai lan 2 intake (Đ.36)", DeadlineInput{Kind: ConcernComplaint2, Received: "2026-03-02"}, "2026-03-12", BasisComplaintIntake, false},
		{"khieu nai intake ending on 30/4", DeadlineInput{Kind: ConcernComplaint1, Received: "2026-04-20"}, "2026-05-04", BasisComplaintIntake, true},
		// Luật Tố cáo 2018 Đ.24: 7 working days, 10 when checked at several places.
		{"to cao screening", DeadlineInput{Kind: ConcernDenunciation, Received: "2026-03-02"}, "2026-03-11", BasisDenunciationIntake, false},
		{"to cao screening extended", DeadlineInput{Kind: ConcernDenunciation, Received: "2026-03-02", ScreeningExtended: true}, "2026-03-16", BasisDenunciationIntake, false},
		// Thông tư 05/2021/TT-TTCP: xử lý đơn within 10 working days. The
		// issue's row: a phản ánh received 08/08, still new on 02/12.
		{"phan anh never accepted", DeadlineInput{Kind: ConcernReport, Received: "2026-08-08"}, "2026-08-21", BasisLetterIntake, false},
		{"kien nghi never accepted", DeadlineInput{Kind: ConcernPetition, Received: "2026-03-02"}, "2026-03-16", BasisLetterIntake, false},
		// Ý kiến: no law; the commune's rule from receipt.
		{"y kien", DeadlineInput{Kind: ConcernOpinion, Received: "2026-03-02"}, "2026-03-17", BasisCommune, false},
		{"no dates", DeadlineInput{Kind: ConcernPetition}, "", BasisNone, false},
	}
	for _, c := range cases {
		d := DeadlineOf(c.in, nil)
		if d.Due != c.want || d.Basis != c.basis || d.Moved != c.moved {
			t.Errorf("%s: %s %s moved=%v, want %s %s moved=%v", c.name, d.Due, d.Basis, d.Moved, c.want, c.basis, c.moved)
		}
	}
}

// TestDenunciationExtension: a tố cáo is extended only by a written
// decision, once if complex, twice if especially complex, 30 days each
// (Luật Tố cáo 2018 Đ.30); without one the limit stays 30 days.
func TestDenunciationExtension(t *testing.T) {
	dec := func(n string, days int) Extension {
		return Extension{ID: NewID(), Number: n, Date: "2026-03-20", Days: days}
	}
	cases := []struct {
		name string
		cx   Complexity
		ext  []Extension
		want Date
	}{
		{"complex, no decision", ComplexityComplex, nil, "2026-04-01"},
		{"complex, one decision", ComplexityComplex, []Extension{dec("12/QĐ-UBND", 30)}, "2026-05-04"},
		{"complex, a second decision counts for nothing", ComplexityComplex, []Extension{dec("12/QĐ-UBND", 30), dec("15/QĐ-UBND", 30)}, "2026-05-04"},
		{"especially complex, two decisions", ComplexityEspecially, []Extension{dec("12/QĐ-UBND", 30), dec("15/QĐ-UBND", 30)}, "2026-05-31"},
		{"especially complex, 20 + 30 days", ComplexityEspecially, []Extension{dec("12/QĐ-UBND", 20), dec("15/QĐ-UBND", 30)}, "2026-05-21"},
		{"decision without a number", ComplexityComplex, []Extension{{Date: "2026-03-20", Days: 30}}, "2026-04-01"},
		{"ordinary: no extension", ComplexityNormal, []Extension{dec("12/QĐ-UBND", 30)}, "2026-04-01"},
		{"a decision over 30 days counts 30", ComplexityComplex, []Extension{dec("12/QĐ-UBND", 45)}, "2026-05-04"},
	}
	for _, c := range cases {
		ext := ExtensionDays(ConcernDenunciation, c.cx, c.ext)
		d := DeadlineOf(DeadlineInput{Kind: ConcernDenunciation, Complexity: c.cx, Received: "2026-03-02", Accepted: "2026-03-02", ExtensionDays: ext}, nil)
		// 2026-05-31 is a Sunday: the 90-day case ends Monday 01/06.
		want := (*Calendar)(nil).NextWorkingDay(c.want)
		if d.Due != want {
			t.Errorf("%s: deadline %s, want %s", c.name, d.Due, want)
		}
	}
	// Validation names the wrong field.
	vcases := []struct {
		name  string
		cx    Complexity
		ext   []Extension
		field string
		msg   string
	}{
		{"ordinary case with a decision", ComplexityNormal, []Extension{dec("12/QĐ-UBND", 30)}, FieldExtensions, MsgExtensionCount},
		{"complex case with two", ComplexityComplex, []Extension{dec("1", 30), dec("2", 30)}, FieldExtensions, MsgExtensionCount},
		{"no number", ComplexityComplex, []Extension{{ID: "a", Date: "2026-03-20", Days: 30}}, FieldExtensionNumber, MsgRequired},
		{"no date", ComplexityComplex, []Extension{{ID: "a", Number: "1", Days: 30}}, FieldExtensionDate, MsgRequired},
		{"before thụ lý", ComplexityComplex, []Extension{{ID: "a", Number: "1", Date: "2026-03-01", Days: 30}}, FieldExtensionDate, MsgDateOrder},
		{"no length", ComplexityComplex, []Extension{{ID: "a", Number: "1", Date: "2026-03-20"}}, FieldExtensionDays, MsgRequired},
		{"31 days", ComplexityComplex, []Extension{dec("1", 31)}, FieldExtensionDays, MsgExtensionDays},
		{"especially complex, two", ComplexityEspecially, []Extension{dec("1", 30), dec("2", 30)}, "", ""},
	}
	for _, c := range vcases {
		con := &Concern{ConcernKind: ConcernDenunciation, Summary: "Tố cáo", Village: "v1", Received: "2026-03-02", Accepted: "2026-03-02",
			Status: StatusHandling, Complexity: c.cx, RaiserKind: RaiserAnonymous, Extensions: c.ext}
		err := Validate(con, nil)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		ve, ok := AsValidation(err)
		if !ok {
			t.Errorf("%s: error %v, want a validation error", c.name, err)
			continue
		}
		if fe, ok := ve.For(c.field); !ok || fe.Msg != c.msg {
			t.Errorf("%s: %v, want %s %s", c.name, ve, c.field, c.msg)
		}
	}
}

// TestDeadlineStoreNeverAccepted: the row: a phản ánh received
// 08/08 and still "Mới tiếp nhận" on 02/12 shows its intake deadline
// (Thông tư 05/2021/TT-TTCP) and is overdue.
func TestDeadlineStoreNeverAccepted(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Kon Dơ", false)
	c := &Concern{ConcernKind: ConcernReport, Received: "2026-08-08", Village: v.ID, Summary: "Phản ánh đường vào làng sạt lở"}
	mustSave(t, s, c)
	if c.Deadline != "2026-08-21" {
		t.Errorf("saved deadline %q, want 2026-08-21", c.Deadline)
	}
	today := Date("2026-12-02")
	rows := s.Find(Filter{Kind: KindConcern, Overdue: true, Today: today}, ByUrgency)
	if len(rows) != 1 || rows[0].ID != c.ID || rows[0].Basis != BasisLetterIntake {
		t.Fatalf("overdue rows %+v, want the phản ánh", rows)
	}
	if n := rows[0].DaysOverdue(today); n != 103 {
		t.Errorf("days overdue %d, want 103", n)
	}
}

// TestDeadlineStatusChange: going to "đang xử lý" needs the thụ lý date,
// and resolution counts from it; forwarding needs its date and body and
// takes the case out of the commune's overdue count.
func TestDeadlineStatusChange(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Đăk Mế", false)
	c := &Concern{ConcernKind: ConcernComplaint1, Received: "2025-12-29", Village: v.ID, Summary: "Khiếu nại việc thu hồi đất"}
	mustSave(t, s, c)
	err := s.ChangeStatusWith(c.ID, StatusHandling, "Đã thụ lý", StatusDetails{})
	if ve, ok := AsValidation(err); !ok || len(ve.Fields) != 1 || ve.Fields[0].Field != FieldAccepted {
		t.Fatalf("no thụ lý date: %v, want %s required", err, FieldAccepted)
	}
	if err := s.ChangeStatusWith(c.ID, StatusHandling, "Đã thụ lý", StatusDetails{Accepted: "2026-01-02"}); err != nil {
		t.Fatal(err)
	}
	var got Concern
	if err := s.Load(c.ID, &got); err != nil {
		t.Fatal(err)
	}
	if got.Accepted != "2026-01-02" || got.Deadline != "2026-02-02" {
		t.Fatalf("accepted %s deadline %s, want 2026-01-02 → 2026-02-02", got.Accepted, got.Deadline)
	}
	today := Date("2026-03-01")
	if n := s.Count(Filter{Kind: KindConcern, Overdue: true, Today: today}); n != 1 {
		t.Fatalf("overdue %d, want 1", n)
	}
	err = s.ChangeStatusWith(c.ID, StatusForwarded, "Chuyển theo thẩm quyền", StatusDetails{ForwardedOn: "2026-02-20"})
	if ve, ok := AsValidation(err); !ok || len(ve.Fields) != 1 || ve.Fields[0].Field != FieldForwardedTo {
		t.Fatalf("no body: %v, want %s required", err, FieldForwardedTo)
	}
	if err := s.ChangeStatusWith(c.ID, StatusForwarded, "Chuyển theo thẩm quyền", StatusDetails{ForwardedOn: "2026-02-20", ForwardedTo: "Thanh tra tỉnh"}); err != nil {
		t.Fatal(err)
	}
	if n := s.Count(Filter{Kind: KindConcern, Overdue: true, Today: today}); n != 0 {
		t.Errorf("forwarded case still overdue (%d)", n)
	}
	if err := s.Load(c.ID, &got); err != nil {
		t.Fatal(err)
	}
	if got.Overdue(today) || got.ForwardedTo != "Thanh tra tỉnh" || got.ForwardedOn != "2026-02-20" {
		t.Errorf("forwarded: overdue %v, to %q on %s", got.Overdue(today), got.ForwardedTo, got.ForwardedOn)
	}
}

// TestDeadlineFollowsInputs: deadlines are computed from their inputs when
// read, so changing a village's remote flag, the commune's petition days
// or the days off changes existing concerns' deadlines, also after the
// store is reopened.
func TestDeadlineFollowsInputs(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	v := newVillage(t, s, "Làng Tu Rét", false)
	kn := &Concern{ConcernKind: ConcernComplaint1, Received: "2026-03-02", Accepted: "2026-03-02", Village: v.ID, Summary: "Khiếu nại bồi thường"}
	pa := &Concern{ConcernKind: ConcernReport, Received: "2026-03-02", Accepted: "2026-03-03", Village: v.ID, Summary: "Phản ánh điện chập chờn"}
	mustSave(t, s, kn)
	mustSave(t, s, pa)
	check := func(step string, s *Store, id string, want Date) {
		t.Helper()
		var c Concern
		if err := s.Load(id, &c); err != nil {
			t.Fatal(err)
		}
		r, _ := s.Row(id)
		if c.Deadline != want || r.Deadline != want {
			t.Errorf("%s: Load %s, index %s, want %s", step, c.Deadline, r.Deadline, want)
		}
	}
	check("ordinary village", s, kn.ID, "2026-04-01")
	v.Remote = true
	mustSave(t, s, v)
	check("village now remote (45 days)", s, kn.ID, "2026-04-16")
	check("commune default 15 days", s, pa.ID, "2026-03-18")
	if err := s.SetPetitionDays(20); err != nil {
		t.Fatal(err)
	}
	check("commune sets 20 days", s, pa.ID, "2026-03-23")
	if err := s.SetDaysOff([]Date{"2026-03-23"}); err != nil {
		t.Fatal(err)
	}
	check("23/3 made a day off", s, pa.ID, "2026-03-24")
	if err := s.SetDaysOff([]Date{"bad"}); err == nil {
		t.Error("an invalid day off was stored")
	}
	s.Close()
	s, err = Open(dir, Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check("reopened", s, pa.ID, "2026-03-24")
	check("reopened, remote", s, kn.ID, "2026-04-16")
	if err := s.Load(v.ID, v); err != nil {
		t.Fatal(err)
	}
	v.Remote = false
	mustSave(t, s, v)
	check("village no longer remote", s, kn.ID, "2026-04-01")
}

// TestConcernUrgencyOrder: ByUrgency puts the most overdue first, then the
// nearest deadline, then cases without a running deadline.
func TestConcernUrgencyOrder(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Đăk Rơ Wang", false)
	mk := func(summary string, received, accepted Date, st ConcernStatus) *Concern {
		c := &Concern{ConcernKind: ConcernComplaint1, Received: received, Accepted: accepted, Village: v.ID, Summary: summary, Status: st}
		if st == StatusForwarded {
			c.ForwardedOn, c.ForwardedTo = received, "Thanh tra tỉnh"
		}
		mustSave(t, s, c)
		return c
	}
	little := mk("quá hạn ít", "2026-10-20", "2026-10-26", StatusHandling)  // due 25/11
	most := mk("quá hạn nhiều", "2026-05-01", "2026-05-04", StatusHandling) // due 03/06
	soon := mk("sắp đến hạn", "2026-11-20", "2026-11-23", StatusHandling)   // due 23/12
	fw := mk("đã chuyển", "2026-01-05", "2026-01-06", StatusForwarded)
	today := Date("2026-12-02")
	rows := s.Find(Filter{Kind: KindConcern, Today: today}, ByUrgency)
	want := []string{most.ID, little.ID, soon.ID, fw.ID}
	for i, id := range want {
		if i >= len(rows) || rows[i].ID != id {
			t.Fatalf("order %v, want most overdue, less overdue, soon, forwarded", titles(rows))
		}
	}
}

func titles(rows []Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Title+" "+string(r.Deadline))
	}
	return out
}

// TestConcernValidWire: the new kind and fields pass Validate and
// CheckWire (the server's checks), so a laptop's record syncs.
func TestConcernValidWire(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Kon Hia", false)
	cs := []*Concern{
		{ConcernKind: ConcernOpinion, Received: "2026-03-02", Village: v.ID, Summary: "Ý kiến về lịch họp thôn"},
		{ConcernKind: ConcernDenunciation, Complexity: ComplexityEspecially, Received: "2026-03-02", Accepted: "2026-03-05", Village: v.ID,
			Summary: "Tố cáo sai phạm", ScreeningExtended: true, Status: StatusHandling,
			Extensions: []Extension{{ID: NewID(), Number: "12/QĐ-UBND", Date: "2026-03-30", Days: 30}}},
		{ConcernKind: ConcernReport, Received: "2026-03-02", Village: v.ID, Summary: "Phản ánh", Status: StatusForwarded,
			ForwardedOn: "2026-03-04", ForwardedTo: "UBND tỉnh"},
	}
	for _, c := range cs {
		mustSave(t, s, c)
		rec, err := s.Record(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckWire(rec); err != nil {
			t.Errorf("%s: CheckWire: %v", c.ConcernKind, err)
		}
	}
	bad := &Concern{ConcernKind: ConcernReport, Received: "2026-03-02", Village: v.ID, Summary: "x", ForwardedOn: "2026-03-01"}
	if err := s.Save(bad); err == nil {
		t.Error("forwarded before receipt was saved")
	} else if ve, ok := AsValidation(err); !ok {
		t.Error(err)
	} else if _, ok := ve.For(FieldForwardedOn); !ok {
		t.Errorf("error %v does not name %s", err, FieldForwardedOn)
	}
	if err := s.SetPetitionDays(-1); err == nil {
		t.Error("negative petition days stored")
	}
}
