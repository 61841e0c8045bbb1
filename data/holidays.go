package data

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// holidayTable is the embedded table of Vietnamese public holidays,
// 2025–2030 (data/holidays_vn.tsv): edit that file to correct a year once
// the Government announces its days off.
//
//go:embed holidays_vn.tsv
var holidayTable string

// Holiday kinds in the table.
const (
	// HolidayOff is a public holiday (Bộ luật Lao động 2019 Đ.112).
	HolidayOff = "nghi"
	// HolidayCompensatory is a day off given for a holiday that fell on a
	// weekly rest day (Bộ luật Lao động 2019 Đ.111 khoản 3), or swapped.
	HolidayCompensatory = "nghi_bu"
	// HolidayWorked is a Saturday or Sunday worked in exchange for a
	// swapped day off: a working day.
	HolidayWorked = "lam_bu"
	// HolidayLocal is a day off a cadre added in Settings.
	HolidayLocal = "xa_them"
)

// Holiday is one day of the holiday table.
type Holiday struct {
	Date Date
	Kind string
	Name string
}

// Holidays returns the embedded table, in date order.
func Holidays() []Holiday { return builtinHolidays }

var builtinHolidays = parseHolidays(holidayTable)

// parseHolidays reads the table: "date<TAB>kind<TAB>name" lines, "#"
// comments. A malformed line is a bug in the embedded file, so it panics
// at start-up (and in TestHolidayTable).
func parseHolidays(s string) []Holiday {
	var out []Holiday
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 || !Date(f[0]).Valid() || (f[1] != HolidayOff && f[1] != HolidayCompensatory && f[1] != HolidayWorked) {
			panic(fmt.Sprintf("holidays_vn.tsv line %d: %q: want date<TAB>nghi|nghi_bu|lam_bu<TAB>name", i+1, line))
		}
		out = append(out, Holiday{Date: Date(f[0]), Kind: f[1], Name: f[2]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

// Calendar says which days are working days: Monday to Friday, less the
// public holidays of the table and the days off the commune added, plus
// the weekend days worked in exchange. The zero value and nil use the
// table alone. It keeps one flag per day over the years it covers, so
// that the index can date 100k concerns in a few milliseconds.
type Calendar struct {
	base int32  // day number (days since 1970-01-01) of off[0]
	off  []bool // off[n-base]: day n is not a working day
}

var defaultCalendar = NewCalendar(nil)

// NewCalendar returns the calendar of the embedded table with extra days
// off added (a commune's own, from Settings).
func NewCalendar(extra []Date) *Calendar {
	lo, hi := dayNum("2020-01-01"), dayNum("2036-01-01")
	for _, d := range extra {
		if n := dayNum(d); n != 0 {
			lo, hi = min(lo, n), max(hi, n+1)
		}
	}
	c := &Calendar{base: lo, off: make([]bool, hi-lo)}
	for i := range c.off {
		c.off[i] = weekend(lo + int32(i))
	}
	for _, h := range builtinHolidays {
		if n := dayNum(h.Date); n >= lo && n < hi {
			c.off[n-lo] = h.Kind != HolidayWorked
		}
	}
	for _, d := range extra {
		if n := dayNum(d); n != 0 {
			c.off[n-lo] = true
		}
	}
	return c
}

// weekend reports whether day number n (days since Thursday 1970-01-01)
// is a Saturday or a Sunday.
func weekend(n int32) bool {
	wd := ((n % 7) + 7 + 4) % 7 // 0 is Sunday
	return wd == 0 || wd == 6
}

func (c *Calendar) orDefault() *Calendar {
	if c == nil || c.off == nil {
		return defaultCalendar
	}
	return c
}

// offN reports whether day number n is not a working day.
func (c *Calendar) offN(n int32) bool {
	if i := n - c.base; i >= 0 && int(i) < len(c.off) {
		return c.off[i]
	}
	return weekend(n)
}

// DayOff reports whether d is not a working day: a Saturday or Sunday
// (unless worked in exchange), a public holiday or an added day off.
func (c *Calendar) DayOff(d Date) bool { return c.orDefault().offN(dayNum(d)) }

// NextWorkingDay returns d when it is a working day, else the first
// working day after it. Bộ luật Dân sự 2015 Đ.148 khoản 5: when the last
// day of a period is a weekly rest day or a public holiday, the period
// ends on the next working day.
func (c *Calendar) NextWorkingDay(d Date) Date {
	if !d.Valid() {
		return d
	}
	return dayDate(c.orDefault().nextN(dayNum(d)))
}

func (c *Calendar) nextN(n int32) int32 {
	for i := 0; i < 60 && c.offN(n); i++ {
		n++
	}
	return n
}

// AddWorkingDays returns the n-th working day after d (d itself not
// counted: Bộ luật Dân sự 2015 Đ.147, a period counted in days starts the
// day after the event).
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	if !d.Valid() {
		return d
	}
	return dayDate(c.orDefault().addN(dayNum(d), n))
}

func (c *Calendar) addN(d int32, n int) int32 {
	for n > 0 {
		d++
		if !c.offN(d) {
			n--
		}
	}
	return d
}

// metaDaysOff keeps the days off a cadre added in Settings (this device
// only: they are not synced).
const metaDaysOff = "days_off"

// DaysOff returns the days off added in Settings, in date order.
func (s *Store) DaysOff() []Date {
	var out []Date
	if b := s.Meta(metaDaysOff); b != nil {
		_ = json.Unmarshal(b, &out)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// SetDaysOff stores the added days off and recomputes every concern's
// deadline with them. An invalid date gives a *ValidationError naming
// the field "field.settings.day_off".
func (s *Store) SetDaysOff(days []Date) error {
	seen := map[Date]bool{}
	var keep []Date
	for _, d := range days {
		if !d.Valid() {
			return &ValidationError{Kind: "settings", Fields: []FieldError{{Field: FieldDayOff, Msg: MsgInvalid}}}
		}
		if !seen[d] {
			seen[d] = true
			keep = append(keep, d)
		}
	}
	sort.Slice(keep, func(i, j int) bool { return keep[i] < keep[j] })
	b, _ := json.Marshal(keep)
	if err := s.SetMeta(metaDaysOff, b); err != nil {
		return err
	}
	s.refreshRules()
	return nil
}

// Calendar returns the working-day calendar of this store: the embedded
// table and the days off added in Settings.
func (s *Store) Calendar() *Calendar {
	if r := s.idx.rules(); r.cal != nil {
		return r.cal
	}
	return NewCalendar(s.DaysOff())
}
