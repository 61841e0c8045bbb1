package data

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDeadlineRules(t *testing.T) {
	cases := []struct {
		kind   ConcernKind
		cx     Complexity
		remote bool
		want   int
	}{
		{ConcernPetition, ComplexityNormal, false, 15},
		{ConcernReport, ComplexityComplex, true, 15},
		{ConcernComplaint1, ComplexityNormal, false, 30},
		{ConcernComplaint1, ComplexityComplex, false, 45},
		{ConcernComplaint1, ComplexityNormal, true, 45},
		{ConcernComplaint1, ComplexityComplex, true, 60},
		{ConcernComplaint1, ComplexityEspecially, true, 60},
		{ConcernComplaint2, ComplexityNormal, false, 45},
		{ConcernComplaint2, ComplexityComplex, false, 60},
		{ConcernComplaint2, ComplexityNormal, true, 60},
		{ConcernComplaint2, ComplexityComplex, true, 70},
		{ConcernDenunciation, ComplexityNormal, false, 30},
		// A complex tố cáo is extended only by a written decision (Luật Tố
		// cáo 2018 Đ.30): without one the limit stays 30 days.
		{ConcernDenunciation, ComplexityComplex, false, 30},
		{ConcernDenunciation, ComplexityEspecially, false, 30},
		{ConcernDenunciation, ComplexityEspecially, true, 30}, // remote does not lengthen tố cáo
		{ConcernOpinion, ComplexityNormal, false, 15},         // the commune's rule
	}
	for _, c := range cases {
		if got := DeadlineDays(c.kind, c.cx, c.remote, 0); got != c.want {
			t.Errorf("%s/%s/remote=%v: %d days, want %d", c.kind, c.cx, c.remote, got, c.want)
		}
	}
	if got := DeadlineDays(ConcernPetition, ComplexityNormal, false, 10); got != 10 {
		t.Errorf("commune-set petition days: %d, want 10", got)
	}
	// 01/12/2026 + 70 = 09/02/2027, a Tết holiday (then two days off in
	// lieu): the deadline moves to Friday 12/02/2027 (BLDS 2015 Đ.148).
	if got := LegalDeadline(ConcernComplaint2, ComplexityComplex, true, "2026-12-01", 0); got != "2027-02-12" {
		t.Errorf("deadline across the new year: %s", got)
	}
	if got := LegalDeadline(ConcernComplaint1, ComplexityNormal, false, "", 0); got != "" {
		t.Errorf("no acceptance date gave deadline %s", got)
	}
}

func TestOverdueQuery(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Đăk Rế", true)
	old := &Concern{ConcernKind: ConcernComplaint1, Received: "2026-01-02", Accepted: "2026-01-05", Village: v.ID, Summary: "Khiếu nại quyết định thu hồi đất"}
	mustSave(t, s, old)
	fresh := &Concern{ConcernKind: ConcernPetition, Received: "2026-06-20", Accepted: "2026-06-20", Village: v.ID, Summary: "Đề nghị sửa máng nước"}
	mustSave(t, s, fresh)
	today := Date("2026-07-01")
	rows := s.Find(Filter{Kind: KindConcern, Overdue: true, Today: today}, ByDateDesc)
	if len(rows) != 1 || rows[0].ID != old.ID {
		t.Fatalf("overdue = %+v", rows)
	}
	if err := s.ChangeStatus(old.ID, StatusResolved, "Đã ban hành quyết định giải quyết"); err != nil {
		t.Fatal(err)
	}
	if n := s.Count(Filter{Kind: KindConcern, Overdue: true, Today: today}); n != 0 {
		t.Fatalf("resolved concern still overdue: %d", n)
	}
	var c Concern
	_ = s.Load(fresh.ID, &c)
	// 20/06 + 15 = 05/07/2026, a Sunday: the deadline is Monday 06/07.
	if d, ok := c.DaysLeft(today); !ok || d != 5 {
		t.Errorf("days left = %d, %v; want 5", d, ok)
	}
}

func TestDenouncerIdentityStaysConfidential(t *testing.T) {
	s := openTest(t, "khóa")
	v := newVillage(t, s, "Làng Tu Rét", true)
	p := &Person{Name: "Đinh Văn Mật", Village: v.ID, Role: RolePrestige}
	mustSave(t, s, p)
	const secret = "Hồ Thị Kín Đáo"
	c := &Concern{ConcernKind: ConcernDenunciation, Received: "2026-03-02", Accepted: "2026-03-04", Village: v.ID,
		RaiserKind: RaiserText, RaiserText: secret, Summary: "Tố cáo cán bộ thôn thu tiền sai quy định", Assignee: "Y Sáng"}
	mustSave(t, s, c)
	c2 := &Concern{ConcernKind: ConcernDenunciation, Received: "2026-03-02", Village: v.ID,
		RaiserKind: RaiserPerson, RaiserID: p.ID, Summary: "Tố cáo lấn chiếm đất rừng", Assignee: "Y Sáng"}
	mustSave(t, s, c2)

	// Lists and search.
	for _, r := range s.Find(Filter{}, ByTitle) {
		b, _ := json.Marshal(r)
		if strings.Contains(string(b), "Kín") || strings.Contains(Fold(string(b)), "kin dao") {
			t.Errorf("denouncer in list row %s", b)
		}
	}
	if rows := s.Find(Filter{Kind: KindConcern, Query: "kin dao"}, ByTitle); len(rows) != 0 {
		t.Errorf("search by denouncer name found %d concerns", len(rows))
	}
	// The synced and exported form: the record and the outbox.
	for _, id := range []string{c.ID, c2.ID} {
		rec, err := s.Record(id)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(rec)
		if strings.Contains(string(b), "Kín Đáo") || strings.Contains(string(b), p.ID) {
			t.Errorf("denouncer identity in the synced record: %s", b)
		}
		var got Concern
		_ = s.Load(id, &got)
		if got.Denouncer != "" || got.RaiserKind != RaiserConfidential {
			t.Errorf("Load exposed the identity: %+v", got)
		}
		trail, _ := s.AuditTrail(id)
		tb, _ := json.Marshal(trail)
		if strings.Contains(string(tb), "Kín") {
			t.Errorf("denouncer in audit trail")
		}
	}
	// Only the case holder reads it, and the read is audited.
	if _, err := s.Denouncer(c.ID, "Người khác"); !errors.Is(err, ErrNotPermitted) {
		t.Fatalf("another cadre read the identity: %v", err)
	}
	got, err := s.Denouncer(c.ID, "Y Sáng")
	if err != nil || got != secret {
		t.Fatalf("case holder reads %q, %v", got, err)
	}
	if got, _ := s.Denouncer(c2.ID, "Y Sáng"); got != "Đinh Văn Mật" {
		t.Fatalf("linked person's identity not kept confidential: %q", got)
	}
	trail, _ := s.AuditTrail(c.ID)
	if last := trail[len(trail)-1]; last.Action != AuditViewDenouncer || last.Who != "Y Sáng" {
		t.Fatalf("identity read not audited: %+v", last)
	}
	// Editing the case keeps the identity.
	var edit Concern
	_ = s.Load(c.ID, &edit)
	edit.Content = "Bổ sung tài liệu"
	mustSave(t, s, &edit)
	if got, _ := s.Denouncer(c.ID, "Y Sáng"); got != secret {
		t.Fatalf("identity lost on edit: %q", got)
	}
}
