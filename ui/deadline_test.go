package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"danvan/data"
)

// TestConcernOverdueFilterMostOverdueFirst: the overdue filter shows the
// most overdue case first (not the newest, not "quá hạn 1 ngày"), then
// the less overdue ones; a case never accepted is overdue on its intake
// deadline, and a forwarded one leaves the overdue list and reads "đã
// chuyển, chờ phản hồi".
func TestConcernOverdueFilterMostOverdueFirst(t *testing.T) {
	sh := fieldShell(t) // today is 18/03/2026
	p := newConcernPlace(t, sh)
	mk := func(kind data.ConcernKind, summary string, received, accepted data.Date, st data.ConcernStatus) *data.Concern {
		c := &data.Concern{ConcernKind: kind, Received: received, Accepted: accepted, Village: p.near.ID, Summary: summary, Status: st}
		if st == data.StatusForwarded {
			c.ForwardedOn, c.ForwardedTo = received, "Thanh tra tỉnh"
		}
		mustSave(t, sh, c)
		return c
	}
	// 10/02 + 30 = 12/03: 6 days overdue.
	mk(data.ConcernComplaint1, "Khiếu nại quá hạn 6 ngày", "2026-02-09", "2026-02-10", data.StatusHandling)
	// Received 16/03, due 26/03: not overdue.
	mk(data.ConcernComplaint1, "Khiếu nại mới, chưa thụ lý", "2026-03-16", "", data.StatusNew)
	// Never accepted: xử lý đơn within 10 working days, due 19/01: 58 days overdue.
	most := mk(data.ConcernReport, "Phản ánh chưa thụ lý từ tháng 1", "2026-01-05", "", data.StatusNew)
	// 06/01 + 30 = 05/02: 41 days overdue.
	mk(data.ConcernComplaint1, "Khiếu nại quá hạn 41 ngày", "2026-01-05", "2026-01-06", data.StatusHandling)
	mk(data.ConcernComplaint1, "Khiếu nại đã chuyển", "2026-01-02", "2026-01-02", data.StatusForwarded)

	s := openConcernsScreen(t, sh)
	s.Overdue.SetChecked(true)
	sh.wait()
	rows := listTexts(s.List, len(s.Rows()))
	if len(rows) != 3 {
		t.Fatalf("overdue list %q, want 3 cases", rows)
	}
	if s.Rows()[0].ID != most.ID {
		t.Errorf("first row %q, want the most overdue case", rows[0])
	}
	for i, want := range []string{"Quá hạn 58 ngày", "Quá hạn 41 ngày", "Quá hạn 6 ngày"} {
		if !strings.HasSuffix(rows[i], want) {
			t.Errorf("row %d %q, want %q", i, rows[i], want)
		}
	}
	s.Overdue.SetChecked(false)
	sh.wait()
	rows = listTexts(s.List, len(s.Rows()))
	if len(rows) != 5 || !strings.Contains(rows[3], "Còn 8 ngày") || !strings.HasSuffix(rows[4], "Đã chuyển, chờ phản hồi") {
		t.Errorf("whole list %q: want the overdue ones, then the one due in 8 days, then the forwarded one", rows)
	}
}

// TestStatusDialogAsksAcceptedDate: moving a case to "đang xử lý" asks for
// the thụ lý date, today by default; without it the error names "Ngày
// thụ lý"; the time to resolve then counts from it. Forwarding asks for
// the body it goes to.
func TestStatusDialogAsksAcceptedDate(t *testing.T) {
	sh := fieldShell(t) // today is 18/03/2026
	p := newConcernPlace(t, sh)
	c := &data.Concern{ConcernKind: data.ConcernComplaint1, Received: "2026-03-02", Village: p.near.ID, Summary: "Khiếu nại việc cấp giấy chứng nhận"}
	mustSave(t, sh, c)
	s := openConcernsScreen(t, sh)
	s.Open(c.ID)
	sh.wait()
	d := s.Detail
	if d == nil {
		t.Fatal("the concern did not open")
	}
	// Not yet accepted: the intake deadline, 10 days from receipt.
	if !strings.Contains(d.Deadline.Text, "12/03/2026") || !strings.Contains(d.Deadline.Text, "Đ.27") {
		t.Errorf("intake deadline %q, want 12/03/2026 (Luật Khiếu nại Đ.27)", d.Deadline.Text)
	}
	test.Tap(d.ChangeStatus)
	sd := d.StatusDialog
	if sd.acceptedBox.Visible() {
		t.Error("the thụ lý date shows before a status is chosen")
	}
	choose(t, sh, sd.Status, sh.EnumText("status", string(data.StatusHandling)))
	if !sd.acceptedBox.Visible() || sd.Accepted.Text != "18/03/2026" {
		t.Fatalf("đang xử lý: thụ lý date shown %v with %q, want today", sd.acceptedBox.Visible(), sd.Accepted.Text)
	}
	sd.Accepted.SetText("")
	test.Type(sd.Note, "Đã thụ lý, giao địa chính xác minh")
	test.Tap(sd.Form.Save)
	sh.wait()
	if msg := sd.Form.ErrorText(data.FieldAccepted); !strings.Contains(msg, "Ngày thụ lý") {
		t.Errorf("error under the thụ lý date %q, want it to name Ngày thụ lý", msg)
	}
	var got data.Concern
	if err := sh.Store().Load(c.ID, &got); err != nil || got.Status != data.StatusNew {
		t.Fatalf("status changed without a thụ lý date: %s (%v)", got.Status, err)
	}
	test.Type(sd.Accepted.Entry, "10/03/2026")
	test.Tap(sd.Form.Save)
	sh.wait()
	if err := sh.Store().Load(c.ID, &got); err != nil {
		t.Fatal(err)
	}
	// 10/03 + 30 days = 09/04/2026 (Luật Khiếu nại 2011 Đ.28).
	if got.Status != data.StatusHandling || got.Accepted != "2026-03-10" || got.Deadline != "2026-04-09" {
		t.Fatalf("after the change: %s accepted %s deadline %s", got.Status, got.Accepted, got.Deadline)
	}
	d = s.Detail
	if !strings.Contains(d.Deadline.Text, "09/04/2026") || !strings.Contains(d.Deadline.Text, "Đ.28") {
		t.Errorf("deadline shown %q, want 09/04/2026 (Đ.28)", d.Deadline.Text)
	}

	test.Tap(d.ChangeStatus)
	sd = d.StatusDialog
	choose(t, sh, sd.Status, sh.EnumText("status", string(data.StatusForwarded)))
	if !sd.forwardBox.Visible() || sd.ForwardedOn.Text != "18/03/2026" {
		t.Fatalf("đã chuyển: date shown %v with %q", sd.forwardBox.Visible(), sd.ForwardedOn.Text)
	}
	test.Type(sd.Note, "Chuyển theo thẩm quyền")
	test.Tap(sd.Form.Save)
	sh.wait()
	if msg := sd.Form.ErrorText(data.FieldForwardedTo); !strings.Contains(msg, "Cơ quan nhận") {
		t.Errorf("error under the body %q, want it to name Cơ quan nhận", msg)
	}
	test.Type(sd.ForwardedTo, "Thanh tra tỉnh Quảng Ngãi")
	test.Tap(sd.Form.Save)
	sh.wait()
	d = s.Detail
	if !strings.Contains(d.Deadline.Text, "Đã chuyển Thanh tra tỉnh Quảng Ngãi ngày 18/03/2026, chờ phản hồi") {
		t.Errorf("forwarded case shows %q", d.Deadline.Text)
	}
}

// TestConcernFormDeadlineBasis: the form says which rule sets the
// deadline: the commune's own rule for a kiến nghị (not the law), and a
// tố cáo keeps 30 days until an extension decision is entered.
func TestConcernFormDeadlineBasis(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	OpenConcernForm(sh, nil, nil)
	f := activeConcernForm(t, sh)
	f.Kind.SetValue(string(data.ConcernPetition))
	f.Village.SetValue(p.near.ID)
	sh.wait()
	f.Received.SetText("02/03/2026")
	f.Accepted.SetText("03/03/2026")
	if !strings.Contains(f.Deadline.Text, "18/03/2026") || !strings.Contains(f.Deadline.Text, "quy định của xã") {
		t.Errorf("kiến nghị deadline %q, want 18/03/2026 as the commune's rule", f.Deadline.Text)
	}
	f.Kind.SetValue(string(data.ConcernDenunciation))
	f.Complexity.SetValue(string(data.ComplexityComplex))
	// 03/03 + 30 = 02/04/2026.
	if !strings.Contains(f.Deadline.Text, "02/04/2026") || !strings.Contains(f.Deadline.Text, "30 ngày") {
		t.Errorf("complex tố cáo without a decision %q, want 30 days, 02/04/2026", f.Deadline.Text)
	}
	if !f.ExtNumber[0].Visible() || f.ExtNumber[1].Visible() {
		t.Error("a complex tố cáo offers one extension decision")
	}
	test.Type(f.ExtNumber[0], "15/QĐ-UBND")
	test.Type(f.ExtDate[0].Entry, "30/03/2026")
	test.Type(f.ExtDays[0], "30")
	// 03/03 + 60 = 02/05/2026, a Saturday after 30/4–1/5: Monday 04/05.
	if !strings.Contains(f.Deadline.Text, "04/05/2026") {
		t.Errorf("extended tố cáo %q, want 04/05/2026", f.Deadline.Text)
	}
	f.Complexity.SetValue(string(data.ComplexityNormal))
	if msg := f.Form.ErrorText(data.FieldExtensions); !strings.Contains(msg, "gia hạn") {
		t.Errorf("an ordinary tố cáo with an extension: error %q", msg)
	}
}

// TestSettingsDayOffMovesDeadline: a day off added in Cài đặt moves an
// existing concern's deadline that ended on it to the next working day
// (BLDS 2015 Đ.148), and the commune's petition days change a kiến
// nghị's deadline; an invalid date names the field.
func TestSettingsDayOffMovesDeadline(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	// 03/03/2026 + 15 = 18/03/2026, a Wednesday.
	c := &data.Concern{ConcernKind: data.ConcernPetition, Received: "2026-03-02", Accepted: "2026-03-03", Village: p.near.ID, Summary: "Kiến nghị sửa cầu treo"}
	mustSave(t, sh, c)
	s := showScreen[*Settings](t, sh, "settings")
	s.Refresh()
	sh.wait()
	ds := s.Deadlines
	test.Type(ds.DayOff.Entry, "31/02/2026")
	test.Tap(ds.AddDay)
	sh.wait()
	if msg := ds.DayOffForm.ErrorText(data.FieldDayOff); !strings.Contains(msg, "Ngày nghỉ") {
		t.Errorf("invalid day off: error %q, want it to name Ngày nghỉ", msg)
	}
	ds.DayOff.SetText("")
	test.Type(ds.DayOff.Entry, "18/03/2026")
	test.Tap(ds.AddDay)
	sh.wait()
	deadline := func() data.Date {
		var got data.Concern
		if err := sh.Store().Load(c.ID, &got); err != nil {
			t.Fatal(err)
		}
		return got.Deadline
	}
	if d := deadline(); d != "2026-03-19" {
		t.Errorf("after adding 18/03 as a day off: deadline %s, want 2026-03-19", d)
	}
	if texts := allTexts(ds.Days); !strings.Contains(texts, "18/03/2026") {
		t.Errorf("added days off show %q", texts)
	}
	ds.PetitionDays.SetText("20")
	test.Tap(ds.Petition.Save)
	sh.wait()
	// 03/03 + 20 = 23/03/2026, a Monday.
	if d := deadline(); d != "2026-03-23" {
		t.Errorf("with 20 days: deadline %s, want 2026-03-23", d)
	}
}
