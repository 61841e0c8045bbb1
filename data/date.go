package data

import (
	"fmt"
	"time"
	// The zone is embedded: Windows laptops often lack a zone database.
	_ "time/tzdata"
)

// Date is a civil date written "2006-01-02"; the empty string is no date.
// Dates compare correctly as strings.
type Date string

const dateLayout = "2006-01-02"

// Vietnam is the location of every civil date the app records: dates are
// local to Asia/Ho_Chi_Minh whatever the machine's own zone (see
// docs/domain.md). The zone data is embedded with time/tzdata.
var Vietnam = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// time/tzdata is embedded, so this cannot happen; fall back to
		// the fixed offset Vietnam has used since 1975.
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
}

// DateOf returns the civil date of the instant t in Vietnam
// (Asia/Ho_Chi_Minh): 17:05 UTC on 02/12 is 03/12.
func DateOf(t time.Time) Date { return civil(t.In(Vietnam)) }

// civil returns the date t shows in its own location; date arithmetic on
// midnight-UTC values uses it.
func civil(t time.Time) Date { return Date(t.Format(dateLayout)) }

// Today returns today's date in Vietnam.
func Today() Date { return DateOf(time.Now()) }

// ParseDate parses "2006-01-02" or the Vietnamese display form "02/01/2006".
func ParseDate(s string) (Date, error) {
	for _, layout := range []string{dateLayout, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return civil(t), nil
		}
	}
	return "", fmt.Errorf("parse date %q: want dd/mm/yyyy", s)
}

// Time returns midnight UTC of d, or the zero time for no date.
func (d Date) Time() time.Time {
	t, err := time.Parse(dateLayout, string(d))
	if err != nil {
		return time.Time{}
	}
	return t
}

// Valid reports whether d is a real date.
func (d Date) Valid() bool {
	_, err := time.Parse(dateLayout, string(d))
	return err == nil
}

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date {
	if d == "" {
		return ""
	}
	return civil(d.Time().AddDate(0, 0, n))
}

// Display formats d as dd/MM/yyyy, or "" for no date.
func (d Date) Display() string {
	if !d.Valid() {
		return ""
	}
	return d.Time().Format("02/01/2006")
}

// DaysBetween returns the number of days from a to b (negative if b is
// earlier).
func DaysBetween(a, b Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}
