package data

import "testing"

// A record a colleague changed is marked until it is opened, the mark
// survives a restart, and a record changed here is never marked.
func TestColleagueMarks(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	v := newVillage(t, s, "Làng Đăk Xú", false)
	c := &Concern{ConcernKind: ConcernPetition, Received: "2026-02-01", Village: v.ID, Summary: "Thiếu nước sinh hoạt"}
	mustSave(t, s, c)
	if s.FromColleague(c.ID) || s.FromColleague(v.ID) {
		t.Fatal("a record saved here is marked as from a colleague")
	}
	rec, _ := s.Record(c.ID)
	other := NewClock("dev-colleague", rec.Updated())
	var x Concern
	_ = Decode(rec, &x)
	x.Summary = "Thiếu nước sinh hoạt mùa khô"
	remote, _, _ := stamp(rec, &x, "23368", other)
	if err := s.ApplyRemote([]Record{remote}, nil); err != nil {
		t.Fatal(err)
	}
	if !s.FromColleague(c.ID) {
		t.Fatal("a concern changed by a colleague is not marked")
	}
	if s.FromColleague(v.ID) {
		t.Fatal("the untouched village is marked")
	}
	s.Close()
	if s, err = Open(dir, Options{Actor: "Y Sáng"}); err != nil {
		t.Fatal(err)
	}
	if !s.FromColleague(c.ID) {
		t.Fatal("the colleague mark was lost on restart")
	}
	if err := s.MarkSeen(c.ID); err != nil {
		t.Fatal(err)
	}
	if s.FromColleague(c.ID) {
		t.Fatal("the mark stays after the record was opened")
	}
	s.Close()
	if s, err = Open(dir, Options{Actor: "Y Sáng"}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.FromColleague(c.ID) {
		t.Fatal("an opened record is marked again after a restart")
	}
	// A pulled copy of this laptop's own latest write is not a colleague's.
	own, _ := s.Record(v.ID)
	if err := s.ApplyRemote([]Record{*own}, nil); err != nil {
		t.Fatal(err)
	}
	if s.FromColleague(v.ID) {
		t.Fatal("this laptop's own record came back marked")
	}
}
