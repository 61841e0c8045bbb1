package data

import "testing"

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
