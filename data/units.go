package data

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"

	"danvan/assets"
)

// Province is one of Vietnam's 34 provinces and centrally-run cities in
// force from 1 July 2025 (QĐ 19/2025/QĐ-TTg).
type Province struct {
	Code string // 2-digit code, e.g. "51"
	Name string // full name with its prefix, e.g. "Tỉnh Quảng Ngãi"
}

// Commune is one of the 3,321 commune-level units (xã, phường, đặc khu) in
// force from 1 July 2025.
type Commune struct {
	Code         string // 5-digit code, e.g. "23368"
	Name         string // full name with its prefix, e.g. "Xã Đăk Long"
	ProvinceCode string // 2-digit code of its province, e.g. "51"
	ProvinceName string // full name of its province, e.g. "Tỉnh Quảng Ngãi"
}

// Label returns the commune's name followed by its province's name, e.g.
// "Xã Đăk Long, Tỉnh Quảng Ngãi".
func (c Commune) Label() string {
	if c.ProvinceName == "" {
		return c.Name
	}
	return c.Name + ", " + c.ProvinceName
}

// unitIndex is the parsed form of the embedded unit CSVs, built once.
type unitIndex struct {
	provinces      []Province
	provinceByCode map[string]int
	communes       []Commune
	communeByCode  map[string]int
	// Per commune, same index as communes:
	folded     []string // Fold(Name), e.g. "xa dak long"
	bare       []string // folded name without its kind word, e.g. "dak long"
	lower      []string // lower-cased NFC name, for a diacritic-exact tie-break
	provFolded []string // folded province name, e.g. "tinh quang ngai"
	provBare   []string // folded province name without its kind word, e.g. "quang ngai"
}

var (
	unitsOnce sync.Once
	units     *unitIndex
)

func loadUnits() *unitIndex {
	unitsOnce.Do(func() {
		idx, err := parseUnits(assets.ProvincesCSV, assets.CommunesCSV)
		if err != nil {
			// The CSVs are embedded at build time and covered by tests.
			panic("data: embedded administrative units: " + err.Error())
		}
		units = idx
	})
	return units
}

func readCSV(b []byte, header string, fields int) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord = fields
	var rows [][]string
	first := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if first {
			first = false
			if strings.Join(rec, ",") != header {
				return nil, fmt.Errorf("unexpected header %q", strings.Join(rec, ","))
			}
			continue
		}
		for i := range rec {
			rec[i] = NFC(strings.TrimSpace(rec[i]))
		}
		rows = append(rows, rec)
	}
	return rows, nil
}

func parseUnits(provincesCSV, communesCSV []byte) (*unitIndex, error) {
	prov, err := readCSV(provincesCSV, "province_code,province_name", 2)
	if err != nil {
		return nil, fmt.Errorf("provinces: %w", err)
	}
	comm, err := readCSV(communesCSV, "commune_code,commune_name,province_code", 3)
	if err != nil {
		return nil, fmt.Errorf("communes: %w", err)
	}
	idx := &unitIndex{
		provinces:      make([]Province, 0, len(prov)),
		provinceByCode: make(map[string]int, len(prov)),
		communes:       make([]Commune, 0, len(comm)),
		communeByCode:  make(map[string]int, len(comm)),
		folded:         make([]string, 0, len(comm)),
		bare:           make([]string, 0, len(comm)),
		lower:          make([]string, 0, len(comm)),
		provFolded:     make([]string, 0, len(comm)),
		provBare:       make([]string, 0, len(comm)),
	}
	for _, r := range prov {
		if _, dup := idx.provinceByCode[r[0]]; dup {
			return nil, fmt.Errorf("duplicate province code %s", r[0])
		}
		idx.provinceByCode[r[0]] = len(idx.provinces)
		idx.provinces = append(idx.provinces, Province{Code: r[0], Name: r[1]})
	}
	for _, r := range comm {
		pi, ok := idx.provinceByCode[r[2]]
		if !ok {
			return nil, fmt.Errorf("commune %s: unknown province code %s", r[0], r[2])
		}
		if _, dup := idx.communeByCode[r[0]]; dup {
			return nil, fmt.Errorf("duplicate commune code %s", r[0])
		}
		c := Commune{Code: r[0], Name: r[1], ProvinceCode: r[2], ProvinceName: idx.provinces[pi].Name}
		idx.communeByCode[c.Code] = len(idx.communes)
		idx.communes = append(idx.communes, c)
		f := normSpace(Fold(c.Name))
		idx.folded = append(idx.folded, f)
		idx.bare = append(idx.bare, stripUnitKind(f))
		idx.lower = append(idx.lower, strings.ToLower(c.Name))
		pf := normSpace(Fold(c.ProvinceName))
		idx.provFolded = append(idx.provFolded, pf)
		idx.provBare = append(idx.provBare, stripProvinceKind(pf))
	}
	return idx, nil
}

// unitKinds are the folded kind words that begin unit names.
var unitKinds = []string{"xa ", "phuong ", "dac khu ", "thi tran "}

// stripUnitKind removes a leading folded kind word ("xa ", "phuong ",
// "dac khu ") from a folded name.
func stripUnitKind(folded string) string {
	for _, k := range unitKinds {
		if rest, ok := strings.CutPrefix(folded, k); ok {
			return rest
		}
	}
	return folded
}

// stripProvinceKind removes a leading folded "tinh " or "thanh pho " from a
// folded province name.
func stripProvinceKind(folded string) string {
	for _, k := range []string{"tinh ", "thanh pho "} {
		if rest, ok := strings.CutPrefix(folded, k); ok {
			return rest
		}
	}
	return folded
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// Provinces returns the 34 provinces in file order.
// The slice is a copy and may be modified by the caller.
func Provinces() []Province { return slices.Clone(loadUnits().provinces) }

// ProvinceByCode returns the province with the given 2-digit code.
func ProvinceByCode(code string) (Province, bool) {
	idx := loadUnits()
	i, ok := idx.provinceByCode[strings.TrimSpace(code)]
	if !ok {
		return Province{}, false
	}
	return idx.provinces[i], true
}

// Communes returns all 3,321 commune-level units in file order (grouped by
// province). The slice is a copy and may be modified by the caller.
func Communes() []Commune { return slices.Clone(loadUnits().communes) }

// CommunesOf returns the communes of the province with the given code, in
// file order, or nil if there is no such province.
func CommunesOf(provinceCode string) []Commune {
	var out []Commune
	for _, c := range loadUnits().communes {
		if c.ProvinceCode == provinceCode {
			out = append(out, c)
		}
	}
	return out
}

// CommuneByCode returns the commune with the given 5-digit code.
func CommuneByCode(code string) (Commune, bool) {
	idx := loadUnits()
	i, ok := idx.communeByCode[strings.TrimSpace(code)]
	if !ok {
		return Commune{}, false
	}
	return idx.communes[i], true
}

// Match tiers for FindCommunes, best first.
const (
	rankCode       = iota // code equals the query
	rankExactName         // folded name equals the query, with or without its kind word
	rankNamePrefix        // folded name starts with the query, with or without its kind word
	rankCodePrefix        // code starts with the query
	rankWordPrefix        // every query word starts a word of the name
	rankContains          // every query word occurs in the name
	rankProvince          // leading or trailing query words name the province, the rest match the name
)

// FindCommunes returns up to limit communes (all if limit <= 0) whose name
// matches query, ignoring case and Vietnamese diacritics ("dak long" and
// "Đăk Long" both find "Xã Đăk Long"), or whose code starts with query.
// NFC and NFD input give the same result.
//
// Results are ranked: exact code; exact name; name prefix (both ignoring the
// "Xã"/"Phường"/"Đặc khu" kind word); code prefix; names in which every query
// word starts a word; names containing every query word; and last, matches
// that name the province too, before or after the commune ("dak long quang
// ngai", "quảng ngãi đăk long"). Within a tier,
// names matching the query's diacritics exactly come first, then file order.
// An empty query returns nil.
func FindCommunes(query string, limit int) []Commune {
	query = strings.NewReplacer(",", " ", ";", " ").Replace(query)
	q := normSpace(Fold(query))
	if q == "" {
		return nil
	}
	qLower := normSpace(strings.ToLower(NFC(query)))
	qWords := strings.Fields(q)
	qDigits := isDigits(q)
	idx := loadUnits()

	type hit struct {
		i, rank int
		exact   bool
	}
	var hits []hit
	for i, c := range idx.communes {
		rank := -1
		switch {
		case qDigits && c.Code == q:
			rank = rankCode
		case idx.folded[i] == q || idx.bare[i] == q:
			rank = rankExactName
		case strings.HasPrefix(idx.folded[i], q) || strings.HasPrefix(idx.bare[i], q):
			rank = rankNamePrefix
		case qDigits && strings.HasPrefix(c.Code, q):
			rank = rankCodePrefix
		case wordPrefixes(idx.folded[i], qWords):
			rank = rankWordPrefix
		case MatchFolded(idx.folded[i], q):
			rank = rankContains
		case idx.matchWithProvince(i, qWords):
			rank = rankProvince
		}
		if rank < 0 {
			continue
		}
		hits = append(hits, hit{i: i, rank: rank, exact: strings.Contains(idx.lower[i], qLower)})
	}
	sort.SliceStable(hits, func(a, b int) bool {
		if hits[a].rank != hits[b].rank {
			return hits[a].rank < hits[b].rank
		}
		return hits[a].exact && !hits[b].exact
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Commune, len(hits))
	for k, h := range hits {
		out[k] = idx.communes[h.i]
	}
	return out
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// wordPrefixes reports whether every query word is the prefix of some word
// of the folded text.
func wordPrefixes(folded string, qWords []string) bool {
	words := strings.Fields(folded)
	for _, q := range qWords {
		if !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, q) }) {
			return false
		}
	}
	return true
}

// matchWithProvince reports whether qWords split into a commune part that
// matches commune i's name (every word occurs in it) and a province part,
// before or after it, whose words begin its province's name (with or without
// "tỉnh"/"thành phố").
func (idx *unitIndex) matchWithProvince(i int, qWords []string) bool {
	// prov matches whole words; a trailing province part may end in a
	// partly typed word of at least 3 letters.
	prov := func(ws []string, trailing bool) bool {
		p := strings.Join(ws, " ")
		for _, pn := range []string{idx.provBare[i], idx.provFolded[i]} {
			if pn == p || strings.HasPrefix(pn, p+" ") ||
				(trailing && len(ws[len(ws)-1]) >= 3 && strings.HasPrefix(pn, p)) {
				return true
			}
		}
		return false
	}
	name := func(ws []string) bool { return MatchFolded(idx.folded[i], strings.Join(ws, " ")) }
	n := len(qWords)
	for k := 1; k < n; k++ {
		if name(qWords[:k]) && prov(qWords[k:], true) {
			return true
		}
		if prov(qWords[:k], false) && name(qWords[k:]) {
			return true
		}
	}
	return false
}
