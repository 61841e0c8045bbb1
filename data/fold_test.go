package data

import (
	"strings"
	"testing"
)

func TestMatchSnippet(t *testing.T) {
	fold := Fold("Kiến nghị sửa đường A Thuận kiến nghị sửa cầu tràn qua suối Đăk Ang trước mùa mưa lũ năm nay")
	for _, c := range []struct{ title, query, want string }{
		{"Kiến nghị sửa đường", "sua duong", ""},                            // the title says it
		{"Kiến nghị sửa đường", "cau tran", "…nghi sua cau tran qua suoi…"}, // the content does
		{"Kiến nghị sửa đường", "khong co", ""},                             // no match at all
		{"Kiến nghị sửa đường", "", ""},
	} {
		if got := MatchSnippet(c.title, fold, c.query, 24); got != c.want {
			t.Errorf("MatchSnippet(%q, %q) = %q, want %q", c.title, c.query, got, c.want)
		}
	}
}

// Persons are listed by given name, then family name (Vietnamese lists).
func TestNamesSortGivenNameFirst(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Nguyễn Thị Hưởng", "Hưởng Nguyễn Thị"}, {"A Thuận", "Thuận A"}, {"Hưởng", "Hưởng"}, {"  Trần   Văn An ", "An Trần Văn"},
	} {
		if got := NameOrder(c.in); got != c.want {
			t.Errorf("NameOrder(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	v := &Village{Name: "Làng Đăk Ang", VillageKind: VillageLang}
	if err := s.Save(v); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"Nguyễn Thị Bình", "Trần Văn An", "A Thuận", "Lê Văn Bình"} {
		if err := s.Save(&Household{Head: n, Village: v.ID, Members: 3}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, r := range s.Find(Filter{Kind: KindHousehold}, ByTitle) {
		got = append(got, r.Title)
	}
	want := "Trần Văn An, Lê Văn Bình, Nguyễn Thị Bình, A Thuận"
	if strings.Join(got, ", ") != want {
		t.Errorf("households in order %q, want %q", strings.Join(got, ", "), want)
	}
}
