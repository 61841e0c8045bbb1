package ui

import (
	"errors"
	"strconv"
	"strings"

	"danvan/data"
	"danvan/i18n"
)

// minPassphrase is the shortest passphrase a new store accepts.
const minPassphrase = 8

// texts translates ids through the i18n catalogue in one language. The
// shell swaps it (on the UI goroutine) when the user changes language.
type texts struct{ loc *i18n.Localizer }

// T returns the text of id with the given key/value template arguments.
func (t texts) T(id string, args ...any) string { return t.loc.T(id, args...) }

// lang returns the language of the texts.
func (t texts) lang() i18n.Lang { return t.loc.Lang() }

// errorText is the message the user sees for an error from the store.
func (t texts) errorText(err error) string {
	switch {
	case errors.Is(err, data.ErrWrongPassphrase):
		return t.T("err.wrong_passphrase")
	case errors.Is(err, data.ErrAlreadyOpen):
		return t.T("err.already_open")
	case errors.Is(err, data.ErrNewerSchema):
		return t.T("err.newer_version")
	default:
		return t.T("err.generic") + "\n" + t.T("err.detail", "Detail", err.Error())
	}
}

// formatCount writes n with dots between thousands, as Vietnamese does:
// 12345 → "12.345".
func formatCount(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatMB writes a size in bytes as megabytes with one decimal, with the
// decimal comma in Vietnamese ("12,5 MB") and a point in English.
func formatMB(bytes int64, l i18n.Lang) string {
	mb := float64(bytes) / (1 << 20)
	s := strconv.FormatFloat(mb, 'f', 1, 64) + " MB"
	if mb < 0.1 {
		s = "< 0.1 MB" // a new store, or one Badger has not measured yet
	}
	if l == i18n.VI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Tn returns the message id for the count n: "N" is n as the user reads
// it (thousands separated) and "Count" picks the plural form, so English
// says "1 member" and "2 members"; Vietnamese has one form.
func (sh *Shell) Tn(id string, n int, args ...any) string {
	return sh.T(id, append([]any{"Count", n, "N", formatCount(n)}, args...)...)
}
