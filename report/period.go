package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"danvan/data"
	"danvan/i18n"
)

// PeriodKind is how a reporting period was chosen.
type PeriodKind int

// The period kinds of the reports that go upward.
const (
	// Range is any range of days.
	Range PeriodKind = iota
	// Month is a calendar month ("2026-05").
	Month
	// Quarter is a calendar quarter ("2026-Q2").
	Quarter
	// Half is the first or second half of a year ("2026-H1", "2026-H2").
	Half
	// NineMonths is January to September ("2026-9M").
	NineMonths
	// Year is a calendar year ("2026").
	Year
)

// Period is a reporting period, both ends included.
type Period struct {
	From, To data.Date
	Kind     PeriodKind
	// Year and N say which month (1–12), quarter (1–4) or half (1–2) the
	// period is; N is unused for NineMonths, Year and Range.
	Year, N int
}

func ymd(y int, m time.Month, d int) data.Date {
	return data.DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// lastDay returns the last day of month m of year y.
func lastDay(y int, m time.Month) data.Date {
	return data.DateOf(time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC))
}

// MonthPeriod returns month m (1–12) of year y.
func MonthPeriod(y, m int) Period {
	return Period{From: ymd(y, time.Month(m), 1), To: lastDay(y, time.Month(m)), Kind: Month, Year: y, N: m}
}

// QuarterPeriod returns quarter q (1–4) of year y.
func QuarterPeriod(y, q int) Period {
	return Period{From: ymd(y, time.Month(3*q-2), 1), To: lastDay(y, time.Month(3*q)), Kind: Quarter, Year: y, N: q}
}

// HalfPeriod returns half h (1 or 2) of year y.
func HalfPeriod(y, h int) Period {
	return Period{From: ymd(y, time.Month(6*h-5), 1), To: lastDay(y, time.Month(6*h)), Kind: Half, Year: y, N: h}
}

// NineMonthsPeriod returns January to September of year y.
func NineMonthsPeriod(y int) Period {
	return Period{From: ymd(y, time.January, 1), To: ymd(y, time.September, 30), Kind: NineMonths, Year: y}
}

// YearPeriod returns the whole of year y.
func YearPeriod(y int) Period {
	return Period{From: ymd(y, time.January, 1), To: ymd(y, time.December, 31), Kind: Year, Year: y}
}

// RangePeriod returns the days from from to to, both included. It fails
// when a date is not a real date or to is before from.
func RangePeriod(from, to data.Date) (Period, error) {
	if !from.Valid() {
		return Period{}, fmt.Errorf("ngày bắt đầu %q không hợp lệ, cần dạng 2026-01-31", string(from))
	}
	if !to.Valid() {
		return Period{}, fmt.Errorf("ngày kết thúc %q không hợp lệ, cần dạng 2026-01-31", string(to))
	}
	if to < from {
		return Period{}, fmt.Errorf("ngày kết thúc %s trước ngày bắt đầu %s", to.Display(), from.Display())
	}
	return Period{From: from, To: to, Kind: Range}, nil
}

var periodRE = regexp.MustCompile(`^(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])|[Hh]([12])|(9[Mm])))?$`)

// ParsePeriod parses a period written as "2026-05" (month), "2026-Q2"
// (quarter), "2026-H1" (half year), "2026-9M" (nine months) or "2026"
// (year). The error message is in Vietnamese, for the command line.
func ParsePeriod(s string) (Period, error) {
	m := periodRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Period{}, fmt.Errorf("kỳ báo cáo %q không hợp lệ: dùng 2026-05 (tháng), 2026-Q2 (quý), 2026-H1 (6 tháng), 2026-9M (9 tháng) hoặc 2026 (năm)", s)
	}
	y, _ := strconv.Atoi(m[1])
	if y < 2000 || y > 2100 {
		return Period{}, fmt.Errorf("kỳ báo cáo %q: năm %d ngoài khoảng 2000–2100", s, y)
	}
	switch {
	case m[2] != "":
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			return Period{}, fmt.Errorf("kỳ báo cáo %q: tháng %d không hợp lệ", s, mo)
		}
		return MonthPeriod(y, mo), nil
	case m[3] != "":
		q, _ := strconv.Atoi(m[3])
		return QuarterPeriod(y, q), nil
	case m[4] != "":
		h, _ := strconv.Atoi(m[4])
		return HalfPeriod(y, h), nil
	case m[5] != "":
		return NineMonthsPeriod(y), nil
	}
	return YearPeriod(y), nil
}

// String returns the period in the form ParsePeriod reads, or
// "2026-01-05..2026-02-10" for a range.
func (p Period) String() string {
	switch p.Kind {
	case Month:
		return fmt.Sprintf("%d-%02d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%d-Q%d", p.Year, p.N)
	case Half:
		return fmt.Sprintf("%d-H%d", p.Year, p.N)
	case NineMonths:
		return fmt.Sprintf("%d-9M", p.Year)
	case Year:
		return strconv.Itoa(p.Year)
	}
	return string(p.From) + ".." + string(p.To)
}

var roman = []string{"", "I", "II", "III", "IV"}

// Label names the period for a report title, e.g. "quý II/2026" or
// "6 tháng đầu năm 2026".
func (p Period) Label(lang i18n.Lang) string {
	switch p.Kind {
	case Month:
		return tr(lang, "period.month", p.N, p.Year)
	case Quarter:
		return tr(lang, "period.quarter", roman[p.N], p.Year)
	case Half:
		if p.N == 1 {
			return tr(lang, "period.h1", p.Year)
		}
		return tr(lang, "period.h2", p.Year)
	case NineMonths:
		return tr(lang, "period.9m", p.Year)
	case Year:
		return tr(lang, "period.year", p.Year)
	}
	return tr(lang, "period.range", p.From.Display(), p.To.Display())
}

// Previous returns the period of the same length just before p: the
// previous month, quarter or half, the previous year's nine months or
// year, or the same number of days before a range.
func (p Period) Previous() Period {
	switch p.Kind {
	case Month:
		if p.N == 1 {
			return MonthPeriod(p.Year-1, 12)
		}
		return MonthPeriod(p.Year, p.N-1)
	case Quarter:
		if p.N == 1 {
			return QuarterPeriod(p.Year-1, 4)
		}
		return QuarterPeriod(p.Year, p.N-1)
	case Half:
		if p.N == 1 {
			return HalfPeriod(p.Year-1, 2)
		}
		return HalfPeriod(p.Year, 1)
	case NineMonths:
		return NineMonthsPeriod(p.Year - 1)
	case Year:
		return YearPeriod(p.Year - 1)
	}
	days := data.DaysBetween(p.From, p.To) + 1
	return Period{From: p.From.AddDays(-days), To: p.From.AddDays(-1), Kind: Range}
}

// LastYear returns the same period one year earlier ("cùng kỳ năm trước").
func (p Period) LastYear() Period {
	switch p.Kind {
	case Month:
		return MonthPeriod(p.Year-1, p.N)
	case Quarter:
		return QuarterPeriod(p.Year-1, p.N)
	case Half:
		return HalfPeriod(p.Year-1, p.N)
	case NineMonths:
		return NineMonthsPeriod(p.Year - 1)
	case Year:
		return YearPeriod(p.Year - 1)
	}
	back := func(d data.Date) data.Date { return data.DateOf(d.Time().AddDate(-1, 0, 0)) }
	return Period{From: back(p.From), To: back(p.To), Kind: Range}
}

// Preset is a period the Báo cáo screen offers with one tap.
type Preset int

// The presets of the Báo cáo screen.
const (
	ThisMonth Preset = iota
	LastMonth
	ThisQuarter
	SixMonths
	ThisYear
)

// Presets lists the presets in the order the screen shows them.
var Presets = []Preset{ThisMonth, LastMonth, ThisQuarter, SixMonths, ThisYear}

var presetLabels = map[i18n.Lang][]string{
	i18n.VI: {"Tháng này", "Tháng trước", "Quý này", "6 tháng", "Năm nay"},
	i18n.EN: {"This month", "Last month", "This quarter", "6 months", "This year"},
}

// Label names the preset for a button.
func (p Preset) Label(lang i18n.Lang) string {
	l, ok := presetLabels[lang]
	if !ok {
		l = presetLabels[i18n.VI]
	}
	if int(p) < 0 || int(p) >= len(l) {
		return ""
	}
	return l[p]
}

// Period returns the preset's period around today: the month, last
// month, the quarter, the half year (the "6-month report") or the year
// that holds today.
func (p Preset) Period(today data.Date) Period {
	t := today.Time()
	y, m := t.Year(), int(t.Month())
	switch p {
	case LastMonth:
		return MonthPeriod(y, m).Previous()
	case ThisQuarter:
		return QuarterPeriod(y, (m+2)/3)
	case SixMonths:
		return HalfPeriod(y, (m+5)/6)
	case ThisYear:
		return YearPeriod(y)
	}
	return MonthPeriod(y, m)
}
