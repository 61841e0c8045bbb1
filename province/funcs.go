package province

import (
	"html/template"
	"strconv"
	"strings"

	"danvan/data"
	"danvan/i18n"
)

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"T": func(l i18n.Lang, id string, args ...any) string { return i18n.Translate(l, id, args...) },
	"num": func(l i18n.Lang, n int) string {
		return groupDigits(n, l)
	},
	"pct": func(l i18n.Lang, x float64, ok bool) string {
		if !ok {
			return "–"
		}
		s := strconv.FormatFloat(x, 'f', 1, 64)
		if l != i18n.EN {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s + " %"
	},
	"date": func(d data.Date) string { return d.Display() },
	"add":  func(a, b float64) float64 { return a + b },
	// periodArgs gives the period bar its language with the content.
	"periodArgs": func(l i18n.Lang, c *provinceContent) map[string]any {
		return map[string]any{"Lang": l, "Presets": c.Presets, "PeriodS": c.PeriodS}
	},
	"enum": func(l i18n.Lang, group, v string) string {
		if v == "" {
			return ""
		}
		return i18n.Translate(l, "enum."+group+"."+v)
	},
}

// groupDigits writes n with thousands separators: "1.250" in Vietnamese,
// "1,250" in English.
func groupDigits(n int, l i18n.Lang) string {
	sep := "."
	if l == i18n.EN {
		sep = ","
	}
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
