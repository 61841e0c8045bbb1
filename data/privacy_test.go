package data

import (
	"testing"
	"time"
)

// TestBreachNotice: a breach must be notified within 72 hours of its
// discovery (Nghị định 356/2025/NĐ-CP); the log keeps each breach, latest
// first, refuses one without a time or a description, and audits it.
func TestBreachNotice(t *testing.T) {
	found := time.Date(2026, 12, 1, 9, 0, 0, 0, Vietnam)
	for _, c := range []struct {
		name     string
		notified time.Time
		now      time.Time
		late     bool
	}{
		{"not notified, within 72 h", time.Time{}, found.Add(71 * time.Hour), false},
		{"not notified, at 72 h", time.Time{}, found.Add(72 * time.Hour), false},
		{"not notified, past 72 h", time.Time{}, found.Add(73 * time.Hour), true},
		{"notified in time", found.Add(48 * time.Hour), found.Add(200 * time.Hour), false},
		{"notified late", found.Add(80 * time.Hour), found.Add(200 * time.Hour), true},
	} {
		b := Breach{Discovered: found, Notified: c.notified}
		if got := b.Late(c.now); got != c.late {
			t.Errorf("%s: late %v, want %v", c.name, got, c.late)
		}
	}
	s := openAt(t, t.TempDir(), "")
	defer s.Close()
	if err := s.SaveBreach(Breach{What: "Mất máy tính xách tay"}); err == nil {
		t.Error("a breach without a discovery time was logged")
	}
	if err := s.SaveBreach(Breach{Discovered: found, What: "x", Notified: found.Add(-time.Hour)}); err == nil {
		t.Error("a notice before the discovery was logged")
	}
	if err := s.SaveBreach(Breach{Discovered: found, What: "Gửi nhầm tệp danh sách hộ", People: 40}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveBreach(Breach{Discovered: found.Add(24 * time.Hour), What: "Mất máy tính xách tay"}); err != nil {
		t.Fatal(err)
	}
	log, err := s.Breaches()
	if err != nil || len(log) != 2 || log[0].What != "Mất máy tính xách tay" || log[1].People != 40 || log[1].By != "Y Sáng" {
		t.Fatalf("log %+v (%v)", log, err)
	}
	b := log[1]
	b.Notified, b.To = found.Add(30*time.Hour), "A05"
	if err := s.SaveBreach(b); err != nil {
		t.Fatal(err)
	}
	if log, _ = s.Breaches(); len(log) != 2 || log[1].To != "A05" {
		t.Errorf("after the notice: %+v", log)
	}
	trail, err := s.AuditTrail(b.ID)
	if err != nil || len(trail) != 2 || trail[0].Action != AuditBreach {
		t.Errorf("audit of the breach %+v (%v)", trail, err)
	}
}
