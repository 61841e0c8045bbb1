package data

import (
	"fmt"
	"time"
)

// Date is a civil date written "2006-01-02"; the empty string is no date.
// Dates compare correctly as strings.
type Date string

const dateLayout = "2006-01-02"

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date { return Date(t.Format(dateLayout)) }

// Today returns today's date in local time.
func Today() Date { return DateOf(time.Now()) }

// ParseDate parses "2006-01-02" or the Vietnamese display form "02/01/2006".
func ParseDate(s string) (Date, error) {
	for _, layout := range []string{dateLayout, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return DateOf(t), nil
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
	return DateOf(d.Time().AddDate(0, 0, n))
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
