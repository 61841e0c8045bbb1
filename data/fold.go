package data

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normalisation form C, the form every stored
// string uses, so that text typed as NFD (macOS, some IMEs) compares equal.
func NFC(s string) string { return norm.NFC.String(s) }

var foldPool = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Fold returns s lower-cased and stripped of Vietnamese diacritics
// ("Đăk Long" → "dak long"), for diacritic- and case-insensitive search.
// NFC and NFD input give the same result.
func Fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	t := foldPool.Get().(transform.Transformer)
	t.Reset()
	out, _, err := transform.String(t, s)
	foldPool.Put(t)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		switch r {
		case 'đ', 'Đ':
			return 'd'
		}
		return unicode.ToLower(r)
	}, out)
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// MatchFolded reports whether every space-separated word of the folded
// query starts a word of the folded text ("van a" finds "Văn A" but not
// "Văn Bảy").
func MatchFolded(foldedText, foldedQuery string) bool {
	for _, w := range strings.Fields(foldedQuery) {
		if !hasWordPrefix(foldedText, w) {
			return false
		}
	}
	return true
}

// MatchSnippet explains a match that is not in title: when every word of
// query matches foldedText (a row's Fold) but not title, it returns the
// words around the first query word that title lacks, in the folded
// form, about width bytes; else "".
func MatchSnippet(title, foldedText, query string, width int) string {
	fq := Fold(query)
	if fq == "" || !MatchFolded(foldedText, fq) || MatchFolded(Fold(title), fq) {
		return ""
	}
	ft := Fold(title)
	for _, w := range strings.Fields(fq) {
		if hasWordPrefix(ft, w) {
			continue
		}
		i := wordPrefixAt(foldedText, w)
		if i < 0 {
			continue
		}
		from, to := max(0, i-width/3), min(len(foldedText), i+width*2/3)
		for from > 0 && isWordByte(foldedText[from-1]) {
			from--
		}
		for to < len(foldedText) && isWordByte(foldedText[to]) {
			to++
		}
		out := strings.TrimSpace(foldedText[from:to])
		if from > 0 {
			out = "…" + out
		}
		if to < len(foldedText) {
			out += "…"
		}
		return out
	}
	return ""
}

// wordPrefixAt returns where w starts a word of text, or -1.
func wordPrefixAt(text, w string) int {
	for off := 0; ; {
		i := strings.Index(text[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		if i == 0 || !isWordByte(text[i-1]) {
			return i
		}
		off = i + 1
	}
}

func hasWordPrefix(text, w string) bool { return wordPrefixAt(text, w) >= 0 }

func isWordByte(b byte) bool {
	return b >= 0x80 || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
}

var viCollator = struct {
	sync.Mutex
	c *collate.Collator
}{c: collate.New(language.Vietnamese, collate.IgnoreCase)}

// SortKey returns the Vietnamese collation key of s: comparing keys with
// bytes.Compare orders Đ after D and tones in dictionary order.
func SortKey(s string) []byte {
	viCollator.Lock()
	defer viCollator.Unlock()
	var buf collate.Buffer
	k := viCollator.c.KeyFromString(&buf, NFC(s))
	return append([]byte(nil), k...)
}

// CompareVietnamese compares a and b in Vietnamese dictionary order.
func CompareVietnamese(a, b string) int {
	viCollator.Lock()
	defer viCollator.Unlock()
	return viCollator.c.CompareString(NFC(a), NFC(b))
}

// NameOrder is a person's name as Vietnamese lists sort it: the given
// name (the last word) first, then the rest from the family name on:
// "Nguyễn Thị Hưởng" sorts as "Hưởng Nguyễn Thị", "A Thuận" as "Thuận A".
func NameOrder(name string) string {
	w := strings.Fields(name)
	if len(w) < 2 {
		return strings.Join(w, " ")
	}
	return w[len(w)-1] + " " + strings.Join(w[:len(w)-1], " ")
}

// CompareNames compares two persons' names in Vietnamese list order:
// given name first, then family name (NameOrder).
func CompareNames(a, b string) int { return CompareVietnamese(NameOrder(a), NameOrder(b)) }

// Slug turns a name into a file-name part: "Làng Đăk Ang" → "lang-dak-ang".
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range Fold(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
