package report

import (
	"math"
	"strconv"
	"strings"
	"time"

	"danvan/data"
	"danvan/i18n"
)

// Options tune how a report or an export is made. The zero value makes a
// Vietnamese report without sensitive fields, printed now, by the store's
// actor.
type Options struct {
	// Lang is the language of the labels; "" means Vietnamese.
	Lang i18n.Lang
	// Cadre is the person who prepares the report (người lập báo cáo);
	// "" means the store's actor.
	Cadre string
	// Unit is the cadre's unit, e.g. "Đồn Biên phòng Đăk Long" or "Ban
	// Dân vận Đảng ủy xã"; it heads the report when set.
	Unit string
	// Issuer is how the unit's documents are headed and signed: the
	// Party heading for a Party body, the national one otherwise, the
	// number line, "Nơi nhận" and the signature (the cadre's profile).
	Issuer data.Issuer
	// Narrative is a commune report's text by section
	// (NarrativeSections); a locked period prints its locked text.
	Narrative map[string]string
	// IncludeSensitive puts individual households' ethnicity and religion
	// into the report or export. It is off by default; turning it on
	// writes a data.AuditSensitive entry to the store's audit trail.
	IncludeSensitive bool
	// Now is the printed date and time, and the day open concerns and
	// actions are judged against when the period runs past it. The zero
	// time means time.Now().
	Now time.Time
	// Progress, if not nil, is called as the work advances, with the
	// fraction done (0 to 1) and a short description of the stage in
	// Lang. It is called from the generating goroutine.
	Progress func(fraction float64, stage string)
}

func (o *Options) lang() i18n.Lang {
	if o.Lang == "" {
		return i18n.Default
	}
	return i18n.ParseLang(string(o.Lang))
}

func (o *Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

func (o *Options) progress(f float64, stage string) {
	if o.Progress != nil {
		o.Progress(math.Min(math.Max(f, 0), 1), tr(o.lang(), stage))
	}
}

// nfc normalises s to NFC (precomposed Vietnamese letters), the form the
// fonts' glyphs and pdftotext agree on.
func nfc(s string) string { return data.NFC(s) }

// groupDigits writes n with a thousands separator sep.
func groupDigits(n int64, sep string) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	if neg {
		b.WriteString("-")
	}
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 && !(neg && b.Len() == len("-")) {
			b.WriteString(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// num formats an integer the way lang writes it: "1.234" in Vietnamese,
// "1,234" in English.
func num(lang i18n.Lang, n int) string {
	if lang == i18n.EN {
		return groupDigits(int64(n), ",")
	}
	return groupDigits(int64(n), ".")
}

// num64 is num for an int64.
func num64(lang i18n.Lang, n int64) string {
	if lang == i18n.EN {
		return groupDigits(n, ",")
	}
	return groupDigits(n, ".")
}

// decimal formats x with at most one decimal: "1.200,5" in Vietnamese.
func decimal(lang i18n.Lang, x float64) string {
	whole := int64(math.Trunc(x))
	frac := int(math.Round(math.Abs(x-float64(whole)) * 10))
	if frac == 10 {
		whole, frac = whole+int64(math.Copysign(1, x)), 0
	}
	s := num64(lang, whole)
	if frac == 0 {
		return s
	}
	if lang == i18n.EN {
		return s + "." + strconv.Itoa(frac)
	}
	return s + "," + strconv.Itoa(frac)
}

// signed formats a change: "+3", "-2" or "0".
func signed(lang i18n.Lang, n int) string {
	if n > 0 {
		return "+" + num(lang, n)
	}
	return num(lang, n)
}

// percent formats part/whole as a whole percentage, "" when whole is 0.
func percent(part, whole int) string {
	if whole == 0 {
		return ""
	}
	return strconv.Itoa(int(math.Round(100*float64(part)/float64(whole)))) + "%"
}

// yesNo returns the label for b.
func yesNo(lang i18n.Lang, b bool) string {
	if b {
		return tr(lang, "yes")
	}
	return tr(lang, "no")
}

// placeName returns a commune's name without its kind word, for the
// "Đăk Long, ngày … tháng … năm …" line.
func placeName(name string) string {
	for _, p := range []string{"Xã ", "Phường ", "Đặc khu ", "Thị trấn "} {
		if strings.HasPrefix(name, p) {
			return strings.TrimPrefix(name, p)
		}
	}
	return name
}

// dateTime converts a civil date to a time for a spreadsheet cell.
func dateTime(d data.Date) (time.Time, bool) {
	if !d.Valid() {
		return time.Time{}, false
	}
	return d.Time(), true
}
