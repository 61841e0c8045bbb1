package data

import (
	"testing"
	"time"
)

// TestDateOfVietnam checks that an instant is dated in Asia/Ho_Chi_Minh,
// whatever the zone it is given in (docs/domain.md: dates are Vietnam's
// local time).
func TestDateOfVietnam(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	cases := []struct {
		name string
		at   time.Time
		want Date
	}{
		{"00:05 on 03/12 Vietnam, given in UTC", time.Date(2026, 12, 2, 17, 5, 0, 0, time.UTC), "2026-12-03"},
		{"23:59 on 02/12 Vietnam, given in UTC", time.Date(2026, 12, 2, 16, 59, 0, 0, time.UTC), "2026-12-02"},
		{"same instant given in New York", time.Date(2026, 12, 2, 17, 5, 0, 0, time.UTC).In(ny), "2026-12-03"},
		{"midnight UTC stays the same date", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "2026-01-01"},
	}
	for _, c := range cases {
		if got := DateOf(c.at); got != c.want {
			t.Errorf("%s: DateOf(%s) = %s, want %s", c.name, c.at, got, c.want)
		}
	}
	if Vietnam.String() != "Asia/Ho_Chi_Minh" {
		t.Errorf("Vietnam zone is %q, want the embedded Asia/Ho_Chi_Minh", Vietnam)
	}
}
