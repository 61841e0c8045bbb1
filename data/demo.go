package data

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/google/uuid"
)

// demoSeeds holds news articles about dân vận work in the former Kon Tum
// province; the demo data's free text is cut from them.
//
//go:embed demo/seeds/*.txt
var demoSeeds embed.FS

// DemoOptions tune GenerateDemo.
type DemoOptions struct {
	// Scale multiplies the size of the commune: at 1 it has 12 villages,
	// 1,500 households, 60 key persons, 400 concerns, 120 meetings, 200
	// field visits and 30 "Dân vận khéo" models (2,322 records); at 43
	// about 100,000 records. Zero or less means 1.
	Scale int
	// Seed makes the data reproducible: the same seed, scale and day give
	// the same records (record ids excepted, which are always new).
	Seed int64
	// Today is the day the data is generated for: every date falls in the
	// 12 months before it. "" means Today().
	Today Date
	// Progress, if not nil, is called as records are stored with the
	// count stored so far and the total to store.
	Progress func(done, total int)
}

// DemoSummary counts the records GenerateDemo wrote, by kind.
type DemoSummary struct {
	Villages, Households, Persons, Concerns, Meetings, Visits, Models int
}

// Total returns the number of records counted in the summary.
func (d DemoSummary) Total() int {
	return d.Villages + d.Households + d.Persons + d.Concerns + d.Meetings + d.Visits + d.Models
}

// Records of each kind per unit of DemoOptions.Scale.
const (
	demoVillages   = 12
	demoHouseholds = 1500
	demoPersons    = 5 // per village
	demoConcerns   = 400
	demoMeetings   = 120 // of which demoReceptions reception sessions
	demoReceptions = 6
	demoVisits     = 200
	demoModels     = 30
	demoDays       = 365 // dates fall in the 12 months before today
)

// GenerateDemo fills s, which must be bound to a commune, with a realistic
// demo data set for that commune: villages, households, key persons,
// concerns (with status histories, deadlines, mass and overdue cases and
// confidential denouncers of tố cáo), meetings with their agreed actions,
// "4 cùng, 4 bám" field visits and "Dân vận khéo" models. Free text is cut from
// the embedded news articles. Records are stored with SaveMany, villages
// first, then one chunk of about 2,300 records per scale unit. It returns
// the counts written; on error, the records of the chunks before the
// failing one stay stored.
//
// Every record it writes carries the demo marker (its id is a NewDemoID),
// so that demo data never reach the province (IsDemoID); it writes no
// other record (the visits use the commune's checklist, the stored one or
// the default, without storing it). It does not check whether the store may take demo data: the
// caller does, with CheckDemoTarget.
func GenerateDemo(s *Store, o DemoOptions) (DemoSummary, error) {
	var sum DemoSummary
	commune := s.Commune()
	if commune == "" {
		return sum, fmt.Errorf("demo: %w", ErrNoCommune)
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	if o.Today == "" {
		o.Today = Today()
	}
	if !o.Today.Valid() {
		return sum, fmt.Errorf("demo: today %q is not a date", o.Today)
	}
	text, err := loadDemoText()
	if err != nil {
		return sum, fmt.Errorf("demo: read seed articles: %w", err)
	}
	g := newDemoGen(commune, o, text, s.PetitionDays())

	// The visits tick the commune's "cùng"/"bám" items: the stored ones,
	// or the defaults, which Store.Checklist gives as well while none is
	// stored. No checklist record is written: it would be a real record.
	g.checklist = s.Checklist()

	perBlock := demoHouseholds + demoVillages*demoPersons + demoConcerns + demoMeetings + demoVisits + demoModels
	total := o.Scale * (demoVillages + perBlock)
	done := 0
	progress := func(n int) {
		if o.Progress != nil {
			o.Progress(done+n, total)
		}
	}

	villages := g.villages(o.Scale * demoVillages)
	objs := make([]Object, len(villages))
	for i, v := range villages {
		objs[i] = v.v
	}
	if err := s.SaveMany(objs, progress); err != nil {
		return sum, fmt.Errorf("demo: save villages: %w", err)
	}
	done += len(objs)
	sum.Villages = len(objs)

	for b := 0; b < o.Scale; b++ {
		block := villages[b*demoVillages : (b+1)*demoVillages]
		objs := g.block(block)
		if err := s.SaveMany(objs, progress); err != nil {
			return sum, fmt.Errorf("demo: save records of villages %d–%d: %w", b*demoVillages+1, (b+1)*demoVillages, err)
		}
		done += len(objs)
		for _, obj := range objs {
			switch obj.Kind() {
			case KindHousehold:
				sum.Households++
			case KindPerson:
				sum.Persons++
			case KindConcern:
				sum.Concerns++
			case KindMeeting:
				sum.Meetings++
			case KindVisit:
				sum.Visits++
			case KindModel:
				sum.Models++
			}
		}
	}
	return sum, nil
}

// ---- seed text ----

// demoText is the seed articles cut into sentences.
type demoText struct {
	// sentences are whole sentences, for content, activities,
	// observations and descriptions.
	sentences []string
	// short are sentences of at most demoShortWords words, or the leading
	// clause (up to the first ";") of longer ones: for summaries.
	short []string
	// folded is every sentence folded, to keep names out of the text.
	folded string
}

const (
	demoMinWords   = 8
	demoShortWords = 32
)

// demoBoilerplate marks lines of the saved pages that are not article text.
var demoBoilerplate = []string{"Email của bạn", "Trả lời", "Gửi cho bạn bè", "Phản hồi", "Thông tin người gửi", "Xem nhiều nhất", "Ý kiến bạn đọc", "Bình luận"}

func loadDemoText() (*demoText, error) {
	names, err := fs.Glob(demoSeeds, "demo/seeds/*.txt")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no seed articles embedded")
	}
	t := &demoText{}
	var folded []string
	for _, name := range names { // fs.Glob returns names sorted
		b, err := demoSeeds.ReadFile(name)
		if err != nil {
			return nil, err
		}
		for _, sent := range articleSentences(string(b)) {
			t.sentences = append(t.sentences, sent)
			folded = append(folded, Fold(sent))
			if wordCount(sent) <= demoShortWords {
				t.short = append(t.short, sent)
			} else if i := strings.Index(sent, ";"); i > 0 {
				if lead := strings.TrimSpace(sent[:i]); wordCount(lead) >= 6 && wordCount(lead) <= demoShortWords {
					t.short = append(t.short, lead)
				}
			}
		}
	}
	if len(t.sentences) == 0 || len(t.short) == 0 {
		return nil, fmt.Errorf("seed articles hold no usable sentence")
	}
	t.folded = strings.Join(folded, "\n")
	return t, nil
}

// articleSentences returns the sentences of a saved news page: the
// paragraphs that end like prose (not headlines, bylines, dates or page
// furniture), without their "(source) –" dateline, split at sentence ends,
// with runs of spaces collapsed, in NFC.
func articleSentences(page string) []string {
	var out []string
	for _, par := range strings.Split(page, "\n") {
		par = strings.Join(strings.Fields(par), " ")
		if par == "" || isBoilerplate(par) {
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(par)
		if !strings.ContainsRune(".…!?”\"", last) {
			continue // headline, byline, caption or date
		}
		if strings.HasPrefix(par, "(") {
			if i := strings.Index(par, ")"); i > 0 {
				par = strings.TrimLeft(par[i+1:], " –-")
			}
		}
		for _, s := range splitSentences(par) {
			s = strings.TrimSuffix(s, "/.") // the "./." end-of-article mark
			if wordCount(s) >= demoMinWords && !isUpperLine(s) {
				out = append(out, NFC(s))
			}
		}
	}
	return out
}

func isBoilerplate(line string) bool {
	for _, b := range demoBoilerplate {
		if strings.HasPrefix(line, b) {
			return true
		}
	}
	return false
}

func isUpperLine(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// splitSentences splits a paragraph after ".", "…", "!" or "?" (and any
// closing quotes or dots after it) followed by a space and a capital letter
// or an opening quote.
func splitSentences(par string) []string {
	var out []string
	rs := []rune(par)
	start := 0
	for i := 0; i < len(rs); i++ {
		if !strings.ContainsRune(".…!?", rs[i]) {
			continue
		}
		j := i + 1
		for j < len(rs) && strings.ContainsRune(".…/”\")", rs[j]) {
			j++
		}
		if j >= len(rs) || rs[j] != ' ' {
			continue
		}
		k := j + 1
		if k < len(rs) && (unicode.IsUpper(rs[k]) || rs[k] == '“' || rs[k] == '"') {
			out = append(out, strings.TrimSpace(string(rs[start:j])))
			start = k
			i = k - 1
		}
	}
	if tail := strings.TrimSpace(string(rs[start:])); tail != "" {
		out = append(out, tail)
	}
	return out
}

func wordCount(s string) int { return len(strings.Fields(s)) }

// ---- generator ----

// demoCadre is a commune or Border Guard cadre of the demo commune.
type demoCadre struct {
	name string
	unit int // index into demoGen.units
}

// demoVillage is a village with the plan of its population.
type demoVillage struct {
	v         *Village
	main      string   // main ethnic group
	mix       []string // groups present, main first
	weights   []int    // share of each group, in percent
	christian int      // percent of ethnic-minority households that are Christian
	weight    int      // how often things happen here (hotspots more)
	hh        []*Household
	persons   map[PersonRole]*Person
	roles     []*Person
}

type demoGen struct {
	r     *rand.Rand
	today Date
	// prestigeSeen are the người có uy tín given a decision so far.
	prestigeSeen []string
	place        string // commune name without its kind, e.g. "Đăk Long"
	level        string // "xã", "phường" or "đặc khu"
	text         *demoText
	petition     int
	checklist    *Checklist
	units        []string
	cadres       []demoCadre
	bdbp         int // index of the Border Guard post in units
	chairman     string
	handlers     []string // cadres who hold concerns
	vnames       map[string]bool
	nameSeq      int
	// per block
	meetings []*Meeting
	mvillage []*demoVillage
	visits   []*FieldVisit
	vvillage []*demoVillage
}

func newDemoGen(commune string, o DemoOptions, text *demoText, petitionDays int) *demoGen {
	seed := uint64(o.Seed)
	g := &demoGen{
		r:        rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		today:    o.Today,
		text:     text,
		petition: petitionDays,
		vnames:   map[string]bool{},
		place:    "Đăk Long",
		level:    "xã",
	}
	if c, ok := CommuneByCode(commune); ok {
		for _, k := range []string{"Xã ", "Phường ", "Đặc khu "} {
			if rest, ok := strings.CutPrefix(c.Name, k); ok {
				g.place, g.level = rest, strings.ToLower(strings.TrimSpace(k))
			}
		}
	}
	p, l := g.place, g.level
	g.units = []string{
		"Đồn Biên phòng " + p,
		"Ban Dân vận Đảng ủy " + l + " " + p,
		"Ủy ban MTTQ Việt Nam " + l + " " + p,
		"Hội Nông dân " + l + " " + p,
		"Hội Liên hiệp Phụ nữ " + l + " " + p,
		"Đoàn Thanh niên " + l + " " + p,
		"Hội Cựu chiến binh " + l + " " + p,
		"Công an " + l + " " + p,
	}
	g.bdbp = 0
	g.cadres = []demoCadre{
		{"Trung tá Nguyễn Văn Quyết", 0}, {"Thiếu tá A Biên", 0}, {"Đại úy Trịnh Công Luận", 0},
		{"Thượng úy Hồ Minh Tú", 0}, {"Trung úy A Dương", 0}, {"Đại úy Y Nhơn", 0},
		{"Lê Thị Hồng", 1}, {"A Khánh", 1},
		{"Y Hoa", 2}, {"Vũ Văn Cường", 2},
		{"Đinh Văn Toàn", 3}, {"A Lềnh", 3},
		{"Y Lan", 4}, {"Phạm Thị Thanh Tâm", 4},
		{"A Tuyên", 5}, {"Y Vân", 5},
		{"Trần Văn Thắng", 6},
		{"Phạm Quang Huy", 7}, {"A Dũng", 7},
	}
	g.chairman = "Nguyễn Hữu Phước"
	g.handlers = []string{"Lê Thị Hồng", "A Khánh", "Y Hoa", "Phạm Quang Huy", "Phạm Thị Thanh Tâm"}
	return g
}

func (g *demoGen) n(k int) int            { return g.r.IntN(k) }
func (g *demoGen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }
func (g *demoGen) chance(pct int) bool    { return g.r.IntN(100) < pct }

func pick[T any](g *demoGen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// weighted returns an index of weights, each chosen in proportion to its weight.
func (g *demoGen) weighted(weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := g.r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// pastDay returns a number of days ago within the 12 months before today.
func (g *demoGen) pastDay() int { return g.r.IntN(demoDays) }

// day returns the date ago days before today.
func (g *demoGen) day(ago int) Date { return g.today.AddDays(-ago) }

// at returns a time during office hours (Indochina time) of d.
func (g *demoGen) at(d Date) time.Time {
	return d.Time().Add(time.Duration(g.between(1, 9))*time.Hour + time.Duration(g.n(60))*time.Minute)
}

func (g *demoGen) sentence() string { return pick(g, g.text.sentences) }

func (g *demoGen) sentences(lo, hi int) string {
	n := g.between(lo, hi)
	parts := make([]string, 0, n)
	for i := 0; i < n; i++ {
		s := g.sentence()
		if len(parts) > 0 && s == parts[len(parts)-1] {
			continue
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func (g *demoGen) phone() string {
	b := []byte(pick(g, []string{"03", "08", "09", "07"}))
	for i := 0; i < 8; i++ {
		b = append(b, byte('0'+g.n(10)))
	}
	return string(b)
}

// ---- names ----

var (
	demoKinhFamilies = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương"}
	demoMaleMiddles  = []string{"Văn", "Văn", "Văn", "Đức", "Quang", "Minh", "Hữu", "Công", "Xuân"}
	demoFemMiddles   = []string{"Thị", "Thị", "Thị", "Thị Thu", "Thị Hồng", "Thị Kim", "Thị Minh"}
	demoMaleGiven    = []string{"Hùng", "Dũng", "Tuấn", "Bình", "Hải", "Sơn", "Long", "Thắng", "Phúc", "Nam", "Quân", "Toàn", "Hòa", "Trung", "Cường", "Thành", "Vinh", "Tài", "Hiếu", "Đạt", "Kiên", "Nghĩa", "Tùng", "Hưng"}
	demoFemGiven     = []string{"Hưởng", "Lan", "Hoa", "Mai", "Hương", "Nga", "Hằng", "Thảo", "Trang", "Hạnh", "Yến", "Loan", "Dung", "Phượng", "Nhung", "Hiền", "Tuyết", "Vân", "Liên", "Oanh"}
	// Xơ Đăng, Ba Na, Giẻ Triêng, Brâu and Rơ Măm names: "A" for men,
	// "Y" for women, and a personal name.
	demoMinMale = []string{"Thuý", "Hiu", "Blai", "Pớt", "Kiên", "Nhá", "Rin", "Lâm", "Tiêng", "Nhong", "Bay", "Khang", "Dưm", "Pháo", "Hên", "Lư", "Ghế", "Vương", "Thiết", "Chiến", "Phai", "Ren", "Gur", "Ró", "Nhưng", "Hmun", "Blong", "Khởi", "Tơ", "Bút", "Nhiên", "Brông", "Xíu", "Đức", "Mớ", "Rít", "Sơ", "Hăm", "Jơ", "Quynh"}
	demoMinFem  = []string{"Sáng", "Ngọc", "Loan", "Blơ", "Hơn", "Nhung", "Thu", "Lan", "Phương", "Đa", "Mai", "Xuân", "Hiên", "Sinh", "Ba", "Ngơi", "Vy", "Hạ", "Dên", "Nga", "Rưng", "Pơ", "Nhít", "Bông", "Ngân", "Hlia", "Duých", "Đưn", "Kiều", "Mơ", "Thanh", "Bơ"}
	// Gia Rai names: family name, then the personal name ("H'" for women).
	demoJraiFamilies = []string{"Rơ Mah", "Ksor", "Siu", "Rơ Châm", "Nay", "Kpă", "Puih", "Rah Lan"}
	demoJraiMale     = []string{"Blin", "Hlim", "Thoan", "Kher", "Djek", "Gơl", "Khuin", "Tư", "Nghiêm", "Jang"}
	demoJraiFem      = []string{"H'Bia", "H'Nhi", "H'Vơn", "H'Lê", "H'Prang", "H'Yăm", "H'Mai", "H'Dơn"}
	// Migrant groups with Kinh-style names.
	demoOtherFamilies = map[string][]string{
		"Mường": {"Đinh", "Bùi", "Quách", "Hà"},
		"Tày":   {"Hoàng", "Nông", "Lương", "Ma"},
		"Thái":  {"Lò", "Lường", "Cầm", "Vi"},
		"Nùng":  {"Hoàng", "Nông", "Lăng", "Vy"},
	}
	// Denouncers get names from pools no household, person or cadre uses,
	// so that a leak of one is easy to see.
	demoDenFamilies = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Võ", "Đoàn", "Tạ", "La"}
	demoDenMiddles  = []string{"Đình", "Như", "Khắc", "Thị Diệu", "Thị Bích"}
	demoDenGiven    = []string{"Khải", "Triều", "Thiện", "Xuyến", "Thoa", "Diệp", "Quế", "Khuê", "Sương", "Nhàn", "Lụa", "Vỹ", "Khoa", "Tường", "Uyên"}
)

var (
	demoMinorities = []string{"Xơ Đăng", "Ba Na", "Giẻ Triêng", "Gia Rai", "Brâu", "Rơ Măm"}
	demoMigrants   = []string{"Mường", "Tày", "Thái", "Nùng"}
)

func (g *demoGen) personName(eth string, male bool) string {
	switch eth {
	case "Kinh":
		if male {
			return pick(g, demoKinhFamilies) + " " + pick(g, demoMaleMiddles) + " " + pick(g, demoMaleGiven)
		}
		return pick(g, demoKinhFamilies) + " " + pick(g, demoFemMiddles) + " " + pick(g, demoFemGiven)
	case "Gia Rai":
		if male {
			return pick(g, demoJraiFamilies) + " " + pick(g, demoJraiMale)
		}
		return pick(g, demoJraiFamilies) + " " + pick(g, demoJraiFem)
	}
	if fams, ok := demoOtherFamilies[eth]; ok {
		if male {
			return pick(g, fams) + " " + pick(g, demoMaleMiddles) + " " + pick(g, demoMaleGiven)
		}
		return pick(g, fams) + " " + pick(g, demoFemMiddles) + " " + pick(g, demoFemGiven)
	}
	if male {
		return "A " + pick(g, demoMinMale)
	}
	return "Y " + pick(g, demoMinFem)
}

func (g *demoGen) denouncerName() string {
	for {
		name := pick(g, demoDenFamilies) + " " + pick(g, demoDenMiddles) + " " + pick(g, demoDenGiven)
		if !strings.Contains(g.text.folded, Fold(name)) {
			return name
		}
	}
}

// ---- villages ----

// demoPlaces are the first villages, Kon Tum-area names with their kind.
var demoPlaces = []struct {
	name string
	kind VillageKind
}{
	{"Làng Đăk Ang", VillageLang}, {"Thôn Đăk Long", VillageThon}, {"Làng Kon Pao", VillageLang},
	{"Làng Đăk Ba", VillageLang}, {"Làng Đăk Dung", VillageLang}, {"Làng Đăk Giá", VillageLang},
	{"Thôn Đăk Lang", VillageThon}, {"Làng Đăk Xia", VillageLang}, {"Làng Kon Tu Dốp", VillageLang},
	{"Thôn Măng Khên", VillageThon}, {"Làng Đăk Rơ Mao", VillageLang}, {"Làng Tu Rơ Băng", VillageLang},
}

var (
	demoPlaceHeads   = []string{"Đăk", "Kon", "Tu", "Măng", "Plei", "Ngọc", "Đăk Rơ", "Kon Hơ", "Pờ", "Đăk Tơ"}
	demoPlaceTails   = []string{"Ang", "Bla", "Blô", "Chè", "Dơn", "Gấm", "Hring", "Kan", "Kơ Xô", "Lây", "Mế", "Nhoong", "Pét", "Plô", "Rế", "Sút", "Trâm", "Wấk", "Xú", "Ven", "Mông", "Wang", "Ring", "Hniêng", "Pao", "Choong", "Năng", "Mốt", "Pxi", "Kơ Đeh", "Túc", "Rang", "Brỏi", "Lếch", "Hơ Drông", "Năk", "Pling", "Ta Ba", "Dục", "Tôn"}
	demoHotspotNotes = map[string]string{
		HotspotEthnic:   "Một số hộ còn duy trì hủ tục, tảo hôn; cần vận động thường xuyên.",
		HotspotReligion: "Có điểm nhóm sinh hoạt tôn giáo chưa đăng ký; chức sắc hợp tác với chính quyền.",
		HotspotLand:     "Tranh chấp đất sản xuất giữa các hộ giáp ranh, có đơn khiếu nại đông người.",
		HotspotSecurity: "Giáp biên giới, có người qua lại đường mòn; phối hợp Đồn Biên phòng tuần tra.",
	}
)

func (g *demoGen) villageName(i int) (string, VillageKind) {
	if i < len(demoPlaces) {
		g.vnames[demoPlaces[i].name] = true
		return demoPlaces[i].name, demoPlaces[i].kind
	}
	for try := 0; try < 20; try++ {
		base := pick(g, demoPlaceHeads) + " " + pick(g, demoPlaceTails)
		kind, prefix := VillageLang, "Làng "
		if g.chance(30) {
			kind, prefix = VillageThon, "Thôn "
		}
		if g.vnames["Làng "+base] || g.vnames["Thôn "+base] {
			continue
		}
		g.vnames[prefix+base] = true
		return prefix + base, kind
	}
	for {
		g.nameSeq++
		name := "Thôn " + strconv.Itoa(g.nameSeq)
		if !g.vnames[name] {
			g.vnames[name] = true
			return name, VillageThon
		}
	}
}

// villages plans n villages, demoVillages per block, with households
// apportioned so that each block has exactly demoHouseholds.
func (g *demoGen) villages(n int) []*demoVillage {
	out := make([]*demoVillage, 0, n)
	for b := 0; b*demoVillages < n; b++ {
		block := make([]*demoVillage, demoVillages)
		for i := range block {
			name, kind := g.villageName(b*demoVillages + i)
			block[i] = &demoVillage{v: &Village{Name: name, VillageKind: kind}, weight: 2}
			block[i].v.ID = NewDemoID()
		}
		// several remote villages, làng first; some hotspots
		remote := 4 + g.n(3)
		for _, i := range g.r.Perm(demoVillages) {
			if remote > 0 && (block[i].v.VillageKind == VillageLang || g.chance(20)) {
				block[i].v.Remote = true
				block[i].weight++
				remote--
			}
		}
		hot := 3 + g.n(2)
		for _, i := range g.r.Perm(demoVillages)[:hot] {
			v := block[i].v
			v.Hotspot = true
			block[i].weight += 2
			chosen := g.r.Perm(len(HotspotReasons))[:1+g.weighted(70, 30)]
			var notes []string
			for ri, r := range HotspotReasons { // in their listed order
				if containsInt(chosen, ri) {
					v.HotspotReasons = append(v.HotspotReasons, r)
					notes = append(notes, demoHotspotNotes[r])
				}
			}
			v.Notes = strings.Join(notes, " ")
		}
		// households: thôn are larger, sums are exact
		shares := make([]int, demoVillages)
		sumShares := 0
		for i, dv := range block {
			shares[i] = g.between(60, 140)
			if dv.v.VillageKind == VillageThon {
				shares[i] += 40
			}
			sumShares += shares[i]
		}
		left := demoHouseholds
		for i, dv := range block {
			h := demoHouseholds * shares[i] / sumShares
			if i == len(block)-1 {
				h = left
			}
			left -= h
			dv.v.Households = h
			g.planPeople(dv)
		}
		out = append(out, block...)
	}
	return out[:n]
}

// planPeople picks a village's ethnic mix and religion.
func (g *demoGen) planPeople(dv *demoVillage) {
	dv.main = demoMinorities[g.weighted(58, 16, 16, 6, 2, 2)]
	if dv.v.VillageKind == VillageThon {
		dv.mix = []string{"Kinh", dv.main}
		dv.weights = []int{55, 37}
	} else {
		dv.mix = []string{dv.main, "Kinh"}
		dv.weights = []int{90, 5}
	}
	if g.chance(60) {
		other := pick(g, demoMinorities)
		if g.chance(35) {
			other = pick(g, demoMigrants)
		}
		if other != dv.main {
			dv.mix = append(dv.mix, other)
			dv.weights = append(dv.weights, 8)
		}
	}
	dv.christian = g.between(10, 45)
	if dv.v.Hotspot && containsString(dv.v.HotspotReasons, HotspotReligion) {
		dv.christian = g.between(55, 85)
	}
	dv.v.Ethnicities = append([]string(nil), dv.mix...)
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// ---- one block of villages ----

// block returns the records of one block of villages, in an order
// SaveMany accepts: households, persons, meetings, visits, concerns, models.
func (g *demoGen) block(vs []*demoVillage) []Object {
	var objs []Object
	for _, dv := range vs {
		dv.hh = g.households(dv)
		for _, h := range dv.hh {
			objs = append(objs, h)
		}
	}
	for _, dv := range vs {
		for _, p := range g.persons(dv) {
			objs = append(objs, p)
		}
	}
	weights := make([]int, len(vs))
	for i, dv := range vs {
		weights[i] = dv.weight
	}
	pickVillage := func() *demoVillage { return vs[g.weighted(weights...)] }

	g.meetings, g.mvillage = g.meetings[:0], g.mvillage[:0]
	for i := 0; i < demoMeetings-demoReceptions; i++ {
		dv := pickVillage()
		kind := MeetingKindsCounted[i%len(MeetingKindsCounted)]
		if i >= len(MeetingKindsCounted) {
			kind = MeetingKindsCounted[g.weighted(30, 40, 18, 12)]
		}
		m := g.meeting(dv, kind)
		g.meetings, g.mvillage = append(g.meetings, m), append(g.mvillage, dv)
		objs = append(objs, m)
	}
	g.visits, g.vvillage = g.visits[:0], g.vvillage[:0]
	for i := 0; i < demoVisits; i++ {
		dv := pickVillage()
		if dv.v.Remote && g.chance(20) {
			dv = pickVillage() // remote villages are harder to reach
		}
		v := g.visit(dv)
		g.visits, g.vvillage = append(g.visits, v), append(g.vvillage, dv)
		objs = append(objs, v)
	}
	var concerns []*Concern
	for i := 0; i < demoConcerns; i++ {
		kind := ConcernKinds[i%len(ConcernKinds)]
		if i >= len(ConcernKinds) {
			kind = ConcernKinds[g.weighted(35, 30, 15, 7, 13)]
		}
		concerns = append(concerns, g.concern(kind, pickVillage))
	}
	for _, m := range g.receptions(vs, concerns) {
		objs = append(objs, m)
	}
	for _, c := range concerns {
		objs = append(objs, c)
	}
	for i := 0; i < demoModels; i++ {
		field := ModelFields[i%len(ModelFields)]
		if i >= len(ModelFields) {
			field = ModelFields[g.weighted(32, 39, 13, 16)]
		}
		status := ModelStatuses[i%len(ModelStatuses)]
		if i >= len(ModelStatuses) {
			status = ModelStatuses[g.weighted(20, 30, 25, 15, 10)]
		}
		objs = append(objs, g.model(pickVillage(), field, status))
	}
	// drop the per-block state kept for linking
	for _, dv := range vs {
		dv.hh, dv.persons, dv.roles = nil, nil, nil
	}
	g.meetings, g.mvillage, g.visits, g.vvillage = g.meetings[:0], g.mvillage[:0], g.visits[:0], g.vvillage[:0]
	return objs
}

var demoHouseholdNotes = []string{"Hộ nghèo", "Hộ cận nghèo", "Hộ mới tách", "Hộ có người khuyết tật", "Hộ chính sách", "Gia đình văn hóa"}

func (g *demoGen) households(dv *demoVillage) []*Household {
	out := make([]*Household, dv.v.Households)
	for i := range out {
		eth := dv.mix[g.weighted(dv.weights...)]
		if i < len(dv.mix) {
			eth = dv.mix[i] // every listed group has a household
		}
		h := &Household{Head: g.personName(eth, g.chance(78)), Village: dv.v.ID, Members: 1 + g.weighted(6, 12, 20, 22, 18, 11, 6, 3, 2), Ethnicity: eth}
		h.ID = NewDemoID()
		switch {
		case eth == "Kinh" || containsString(demoMigrants, eth):
			h.Religion = []string{"Không", "Phật giáo", "Công giáo"}[g.weighted(70, 18, 12)]
		case g.chance(dv.christian):
			h.Religion = []string{"Công giáo", "Tin lành"}[g.weighted(55, 45)]
		default:
			h.Religion = "Không"
		}
		if g.chance(55) {
			h.Phone = g.phone()
		}
		if g.chance(30) {
			h.Notes = demoHouseholdNotes[g.weighted(40, 25, 10, 8, 7, 10)]
		}
		out[i] = h
	}
	return out
}

var demoRoleNotes = map[PersonRole][]string{
	RoleElder:     {"Già làng, am hiểu luật tục, được bà con tin tưởng.", "Già làng, tham gia hòa giải ở cơ sở."},
	RoleHead:      {"Trưởng thôn, nhiệm kỳ 2025–2027.", "Trưởng thôn kiêm Tổ trưởng tổ hòa giải."},
	RolePrestige:  {"Người có uy tín trong đồng bào dân tộc thiểu số.", "Người có uy tín, vận động con cháu hiến đất làm đường."},
	RoleReligious: {"Chức việc điểm nhóm, phối hợp tốt với chính quyền.", "Chức sắc tôn giáo, tham gia Ban công tác Mặt trận."},
	RoleSecretary: {"Bí thư chi bộ thôn.", "Bí thư chi bộ kiêm Trưởng ban công tác Mặt trận."},
	RoleOtherRole: {"Trưởng ban công tác Mặt trận thôn.", "Công an viên thường trực ở thôn.", "Chi hội trưởng Chi hội Phụ nữ."},
}

func (g *demoGen) persons(dv *demoVillage) []*Person {
	roles := []PersonRole{RoleElder, RoleHead, RolePrestige, RoleSecretary, RoleOtherRole}
	if g.chance(dv.christian + 20) {
		roles[4] = RoleReligious
	}
	dv.persons = map[PersonRole]*Person{}
	used := map[int]bool{}
	for _, role := range roles {
		i := g.n(len(dv.hh))
		for used[i] {
			i = (i + 1) % len(dv.hh)
		}
		used[i] = true
		h := dv.hh[i]
		p := &Person{Name: h.Head, Village: dv.v.ID, Role: role, Phone: h.Phone, Notes: pick(g, demoRoleNotes[role])}
		p.ID = NewDemoID()
		if h.Ethnicity != "Kinh" {
			p.Languages = []string{"Tiếng " + h.Ethnicity, "Tiếng Việt"}
		} else {
			p.Languages = []string{"Tiếng Việt"}
			if g.chance(40) {
				p.Languages = append(p.Languages, "Tiếng "+dv.main)
			}
		}
		if p.Phone == "" && g.chance(70) {
			p.Phone = g.phone()
		}
		if role == RolePrestige {
			// Recognised for the 2023–2027 term by the commune's decision
			// (Quyết định 12/2018/QĐ-TTg), visited at Tết this year and
			// last (no random draw: the rest of the demo stays as it was).
			year := g.today.Time().Year()
			p.DecisionNo = fmt.Sprintf("%d/QĐ-UBND", 10+len(g.prestigeSeen))
			p.DecisionDate, p.TermFrom, p.TermTo = "2023-02-15", "2023-01-01", "2027-12-31"
			for _, y := range []int{year - 1, year} {
				if d := Date(fmt.Sprintf("%d-01-20", y)); d <= g.today {
					p.Support = append(p.Support, PersonSupport{ID: NewID(), Date: d, What: "Thăm hỏi, tặng quà Tết Nguyên đán", ValueVND: 500000})
				}
			}
			g.prestigeSeen = append(g.prestigeSeen, p.ID)
		}
		dv.persons[role] = p
		dv.roles = append(dv.roles, p)
	}
	return dv.roles
}

func (g *demoGen) cadre(unit int) string {
	var names []string
	for _, c := range g.cadres {
		if c.unit == unit {
			names = append(names, c.name)
		}
	}
	return pick(g, names)
}

func (g *demoGen) cadresOf(unit, n int) []string {
	var names []string
	for _, c := range g.cadres {
		if c.unit == unit {
			names = append(names, c.name)
		}
	}
	if n > len(names) {
		n = len(names)
	}
	out := make([]string, 0, n)
	for _, i := range g.r.Perm(len(names))[:n] {
		out = append(out, names[i])
	}
	return out
}

// ---- meetings ----

var (
	demoAgenda = map[string][]string{
		AgendaDisclose: {"Công khai danh sách hộ nghèo, cận nghèo", "Công khai kinh phí hỗ trợ phát triển sản xuất", "Công khai kết quả chi trả tiền dịch vụ môi trường rừng", "Công khai danh sách hộ được hỗ trợ nhà ở", "Công khai kế hoạch sử dụng đất của xã"},
		AgendaDecide:   {"Mức đóng góp ngày công làm đường bê tông nội thôn", "Sửa đổi hương ước, quy ước của thôn", "Chọn hộ nhận bò giống hỗ trợ sinh kế", "Bầu trưởng thôn nhiệm kỳ mới", "Phân công dọn vệ sinh, sửa mái nhà rông", "Vị trí xây bể nước sinh hoạt tập trung"},
		AgendaConsult:  {"Góp ý quy hoạch khu sản xuất tập trung", "Góp ý dự thảo kế hoạch phát triển kinh tế – xã hội của xã", "Góp ý phương án bồi thường, giải phóng mặt bằng tuyến đường liên xã", "Góp ý danh sách giao khoán bảo vệ rừng"},
		AgendaOversee:  {"Giám sát thi công công trình nước sinh hoạt tập trung", "Báo cáo của Ban giám sát đầu tư của cộng đồng", "Kiểm tra việc cấp phát giống cây trồng", "Giám sát việc bình xét hộ nghèo"},
	}
	demoDecisions = []string{"Thống nhất thông qua.", "Thông qua, giao trưởng thôn tổ chức thực hiện.", "Thông qua; hộ nghèo được giảm một nửa mức đóng góp.", "Thống nhất, báo cáo UBND xã xem xét."}
	demoDissents  = []string{"Một số hộ đề nghị giảm mức đóng góp cho hộ nghèo.", "Có hộ đề nghị làm rõ ranh giới đất trước khi thực hiện.", "Một số hộ xin lùi thời gian vì đang mùa thu hoạch.", "Có ý kiến đề nghị chia đều cho các nhóm hộ."}
	demoActions   = []string{
		"Rà soát, lập danh sách hộ đăng ký hiến đất làm đường",
		"Hướng dẫn hộ dân làm hồ sơ cấp giấy chứng nhận quyền sử dụng đất",
		"Kiểm tra, sửa chữa đường ống nước sinh hoạt",
		"Vận động học sinh bỏ học trở lại lớp",
		"Tổ chức tuyên truyền phòng, chống tảo hôn và hôn nhân cận huyết thống",
		"Báo cáo UBND xã kiến nghị về điện sinh hoạt",
		"Phối hợp Đồn Biên phòng tuần tra đường biên, cột mốc",
		"Rà soát, cấp bổ sung thẻ bảo hiểm y tế cho hộ dân",
		"Khơi thông mương thủy lợi trước mùa mưa",
		"Xác minh, trả lời đơn của hộ dân",
		"Hướng dẫn bà con vay vốn chính sách phát triển sản xuất",
		"Tổ chức ngày công dọn vệ sinh khu dân cư",
		"Đo đạc, cắm mốc ranh giới khu đất tranh chấp",
		"Vận động hộ dân tiêm vắc xin cho trẻ em",
	}
	demoOtherMeetingNotes = []string{"Sinh hoạt chi bộ mở rộng, có đại diện các đoàn thể.", "Họp Ban công tác Mặt trận thôn.", "Họp tổ hòa giải ở cơ sở."}
)

func (g *demoGen) meeting(dv *demoVillage, kind MeetingKind) *Meeting {
	ago := g.pastDay()
	m := &Meeting{MeetingKind: kind, Date: g.day(ago), Village: dv.v.ID}
	m.ID = NewDemoID()
	attend := func(p *Person) {
		if p != nil {
			m.Attendees = append(m.Attendees, Attendee{ID: NewID(), PersonID: p.ID, Name: p.Name})
		}
	}
	attendName := func(name string) { m.Attendees = append(m.Attendees, Attendee{ID: NewID(), Name: name}) }
	head := dv.persons[RoleHead]
	if dv.main != "Kinh" && g.chance(70) {
		m.Language = "Tiếng " + dv.main
		if g.chance(60) {
			m.Interpreter = head.Name
		}
	} else {
		m.Language = "Tiếng Việt"
	}
	switch kind {
	case MeetingElders:
		m.Chair = pick(g, []string{g.chairman, g.cadre(1), g.cadre(g.bdbp)})
		for _, r := range []PersonRole{RoleElder, RolePrestige, RoleHead, RoleReligious} {
			attend(dv.persons[r])
		}
		attendName(g.cadre(1))
		if g.chance(50) {
			attendName(g.cadre(g.bdbp))
		}
		m.HeadCount = len(m.Attendees) + g.n(4)
	case MeetingAssembly:
		m.Chair = head.Name
		attend(head)
		attend(dv.persons[RoleSecretary])
		attendName(g.cadre(2))
		m.HouseholdsTotal = dv.v.Households
		m.VoteForm = VoteAtMeeting
		m.HouseholdsPresent = m.HouseholdsTotal * g.between(55, 95) / 100
		m.HeadCount = m.HouseholdsPresent + m.HouseholdsPresent*g.between(0, 40)/100
		for _, cat := range g.agendaCategories() {
			m.Agenda = append(m.Agenda, g.agendaItem(cat, m.HouseholdsPresent))
		}
		m.Signatories = []string{head.Name, dv.persons[RoleSecretary].Name}
		if ago > 3 || g.chance(50) {
			m.Forwarded = g.day(max(0, ago-g.between(1, 5)))
			// The commune recognises the decisions about a week later.
			if r := m.Forwarded.AddDays(7); r <= g.today {
				m.Recognised = r
			}
		}
	case MeetingDialogue:
		m.Chair = g.chairman
		for _, p := range dv.roles {
			attend(p)
		}
		attendName(g.cadre(1))
		attendName(g.cadre(2))
		m.HeadCount = g.between(25, 120)
	default:
		m.Chair = dv.persons[RoleSecretary].Name
		attend(dv.persons[RoleSecretary])
		attend(head)
		attendName(g.cadre(g.n(len(g.units))))
		m.HeadCount = len(m.Attendees) + g.between(3, 20)
		m.Notes = pick(g, demoOtherMeetingNotes) + " "
	}
	for _, i := range g.r.Perm(len(Topics))[:1+g.n(3)] {
		m.Topics = append(m.Topics, Topics[i])
	}
	m.Notes += g.sentences(1, 2)
	nActions := []int{1 + g.n(2), 1 + g.n(3), 1 + g.n(3), g.n(3)}[indexOfMeetingKind(kind)]
	owners := []string{head.Name, dv.persons[RoleSecretary].Name, g.cadre(g.n(len(g.units))), g.cadre(1)}
	for i := 0; i < nActions; i++ {
		a := Action{ID: NewID(), Text: pick(g, demoActions), Owner: pick(g, owners)}
		dueIn := g.between(7, 45) - ago // days from today
		if i == 0 && ago <= 30 {
			dueIn = g.n(7) // due this week
		}
		a.Due = g.today.AddDays(dueIn)
		if dueIn < 0 {
			a.Done = g.chance(85)
		} else {
			a.Done = g.chance(10)
		}
		m.Actions = append(m.Actions, a)
	}
	return m
}

// demoReceived are citizens answered at a reception session without a
// concern of their own: what they asked, and how they were answered.
var demoReceived = [][2]string{
	{"Hỏi thủ tục cấp giấy chứng nhận quyền sử dụng đất lần đầu.", "Hướng dẫn hồ sơ, nộp tại bộ phận một cửa xã."},
	{"Hỏi chế độ hỗ trợ nhà ở cho hộ nghèo.", "Giải thích tiêu chí, hẹn cán bộ đến khảo sát."},
	{"Đề nghị trích lục hồ sơ hộ tịch.", "Hướng dẫn nộp yêu cầu trên Cổng dịch vụ công."},
	{"Hỏi về tiền hỗ trợ trồng rừng năm nay.", "Trả lời: đang chờ tỉnh phân bổ kinh phí, sẽ thông báo tại thôn."},
}

// receptions returns the commune's reception sessions for a block: one
// at the commune office on each of the first days a concern was received
// by tiếp công dân (demoReceptions of them), with the chairman receiving, the
// concerns of that day linked to it, and one or two citizens answered
// without a concern.
func (g *demoGen) receptions(vs []*demoVillage, concerns []*Concern) []*Meeting {
	byDay := map[Date]*Meeting{}
	var out []*Meeting
	for _, c := range concerns {
		if c.Channel != ChannelReception || c.MeetingID != "" {
			continue
		}
		m := byDay[c.Received]
		if m == nil {
			if len(out) == demoReceptions {
				continue
			}
			m = &Meeting{MeetingKind: MeetingReception, Date: c.Received, Chair: g.chairman, Language: "Tiếng Việt"}
			m.ID = NewDemoID()
			m.Attendees = []Attendee{{ID: NewID(), Name: g.cadre(1)}}
			for i := 0; i < 1+len(out)%2; i++ {
				dv := vs[(len(out)+i)%len(vs)]
				if len(dv.hh) == 0 {
					continue
				}
				h := dv.hh[(len(out)*7+i)%len(dv.hh)]
				x := demoReceived[(len(out)+i)%len(demoReceived)]
				m.Received = append(m.Received, ReceivedCitizen{ID: NewID(), Name: h.Head, Address: dv.v.Name, Content: x[0], Guidance: x[1]})
			}
			m.HeadCount = len(m.Attendees)
			byDay[c.Received] = m
			out = append(out, m)
		}
		c.MeetingID = m.ID
	}
	return out
}

func indexOfMeetingKind(k MeetingKind) int {
	for i, x := range MeetingKindsCounted {
		if x == k {
			return i
		}
	}
	return len(MeetingKindsCounted) - 1
}

// agendaCategories returns 2–4 categories for an assembly, always with a
// matter to decide.
func (g *demoGen) agendaCategories() []string {
	cats := []string{AgendaDecide}
	for _, c := range []string{AgendaDisclose, AgendaConsult, AgendaOversee} {
		if g.chance(55) {
			cats = append(cats, c)
		}
	}
	if len(cats) == 1 {
		cats = append(cats, AgendaDisclose)
	}
	return cats
}

func (g *demoGen) agendaItem(cat string, present int) AgendaItem {
	a := AgendaItem{ID: NewID(), Category: cat, Title: pick(g, demoAgenda[cat])}
	if cat == AgendaDecide || cat == AgendaConsult {
		a.VotesAgainst = present * g.weighted(50, 30, 15, 5) * g.between(1, 5) / 100
		a.VotesFor = present - a.VotesAgainst - present*g.n(6)/100
		if a.VotesFor*2 <= present {
			a.VotesFor = present - a.VotesAgainst
		}
		a.Decision = pick(g, demoDecisions)
		if a.VotesAgainst > 0 && g.chance(60) {
			a.Dissent = pick(g, demoDissents)
		}
	}
	return a
}

// ---- field visits ----

func (g *demoGen) visit(dv *demoVillage) *FieldVisit {
	unit := g.weighted(40, 15, 10, 10, 8, 7, 5, 5)
	days := 1 + g.weighted(20, 20, 15, 15, 10, 10, 10)
	ago := g.pastDay()
	if ago < days-1 {
		ago = days - 1
	}
	v := &FieldVisit{Unit: g.units[unit], Village: dv.v.ID, From: g.day(ago), To: g.day(ago - days + 1)}
	v.ID = NewDemoID()
	n := 1
	if unit == g.bdbp {
		n = 1 + g.weighted(40, 40, 20)
	} else if g.chance(40) {
		n = 2
	}
	v.Cadres = g.cadresOf(unit, n)
	nh := g.between(3, 8) + days*g.between(0, 2)
	if nh > len(dv.hh) {
		nh = len(dv.hh)
	}
	for _, i := range g.r.Perm(len(dv.hh))[:nh] {
		h := dv.hh[i]
		v.Households = append(v.Households, VisitedHousehold{ID: NewID(), HouseholdID: h.ID, Name: h.Head})
	}
	v.HouseholdCount = nh + g.weighted(60, 20, 10, 10)*g.between(1, 3)
	nights := days - 1
	for _, it := range g.checklist.Cung {
		done := g.chance(80)
		switch it.ID {
		case "cung_o":
			done = nights > 0 && g.chance(90)
		case "cung_noi":
			done = g.chance(45)
		}
		v.Cung = append(v.Cung, CheckItem{Key: it.ID, Label: it.Label, Done: done})
	}
	for _, it := range g.checklist.Bam {
		v.Bam = append(v.Bam, CheckItem{Key: it.ID, Label: it.Label, Done: g.chance(85)})
	}
	v.Activities = g.sentences(1, 2)
	v.Observations = g.sentences(1, 2)
	return v
}

// ---- concerns ----

var (
	demoChannelNote = map[string]string{
		ChannelReception: "Tiếp nhận tại buổi tiếp công dân.",
		ChannelVisit:     "Tiếp nhận khi đi cơ sở.",
		ChannelMeeting:   "Tiếp nhận tại hội nghị ở thôn.",
		ChannelDialogue:  "Tiếp nhận tại buổi đối thoại.",
		ChannelPhone:     "Tiếp nhận qua điện thoại.",
		ChannelLetter:    "Tiếp nhận đơn gửi đến UBND xã.",
	}
	demoForwardTo = []string{"Thanh tra tỉnh", "Sở Nông nghiệp và Môi trường", "Chi nhánh Văn phòng đăng ký đất đai", "Công an tỉnh", "Sở Dân tộc và Tôn giáo", "Sở Xây dựng", "Điện lực Quảng Ngãi"}
	demoResolved  = []string{"Đã trả lời công dân bằng văn bản.", "Đã giải quyết, công dân đồng ý với kết quả.", "Đã tổ chức đối thoại, các bên thống nhất phương án.", "Đã có kết luận nội dung tố cáo, thông báo cho người tố cáo.", "Đã hòa giải thành ở cơ sở."}
	demoClosed    = []string{"Lưu hồ sơ, kết thúc vụ việc.", "Công dân không còn ý kiến; đóng hồ sơ.", "Đóng hồ sơ sau khi kiểm tra việc thực hiện."}
)

func (g *demoGen) concern(kind ConcernKind, pickVillage func() *demoVillage) *Concern {
	c := &Concern{ConcernKind: kind, Complexity: Complexities[g.weighted(75, 20, 5)]}
	c.ID = NewDemoID()
	var dv *demoVillage
	received := -1 // days ago
	channel := Channels[g.weighted(25, 18, 15, 7, 15, 20)]
	if kind == ConcernDenunciation {
		channel = []string{ChannelReception, ChannelLetter, ChannelPhone}[g.weighted(35, 55, 10)]
	}
	switch channel {
	case ChannelMeeting, ChannelDialogue:
		var cands []int
		for i, m := range g.meetings {
			if (m.MeetingKind == MeetingDialogue) == (channel == ChannelDialogue) {
				cands = append(cands, i)
			}
		}
		if len(cands) > 0 {
			i := pick(g, cands)
			c.MeetingID, dv, received = g.meetings[i].ID, g.mvillage[i], DaysBetween(g.meetings[i].Date, g.today)
		} else {
			channel = ChannelReception
		}
	case ChannelVisit:
		if len(g.visits) > 0 {
			i := g.n(len(g.visits))
			v := g.visits[i]
			c.VisitID, dv = v.ID, g.vvillage[i]
			received = DaysBetween(v.From, g.today) - g.n(v.Days())
		} else {
			channel = ChannelReception
		}
	}
	if dv == nil {
		dv = pickVillage()
		received = g.pastDay()
	}
	c.Channel, c.Village, c.Received = channel, dv.v.ID, g.day(received)
	c.Topic = Topics[g.weighted(30, 16, 16, 8, 9, 6, 5, 6, 4)]
	if dv.v.Hotspot && g.chance(30) {
		switch dv.v.HotspotReasons[0] {
		case HotspotLand:
			c.Topic = "dat_dai"
		case HotspotReligion, HotspotEthnic:
			c.Topic = "dan_toc_ton_giao"
		case HotspotSecurity:
			c.Topic = "an_ninh_trat_tu"
		}
	}
	c.Summary = pick(g, g.text.short)
	c.Content = g.sentences(1, 3)

	// who brought it, and how many
	switch g.weighted(60, 27, 13) {
	case 0:
		c.People = 1
	case 1:
		c.People = g.between(2, 4)
	default:
		c.People = g.between(MassThreshold, 60)
		if c.Complexity == ComplexityNormal && g.chance(50) {
			c.Complexity = ComplexityComplex
		}
	}
	h := pick(g, dv.hh)
	switch {
	case kind == ConcernDenunciation && g.chance(15):
		c.RaiserKind = RaiserAnonymous
	case kind == ConcernDenunciation:
		c.RaiserKind = RaiserConfidential
		c.Denouncer = g.denouncerName()
	case c.People >= MassThreshold:
		c.RaiserKind, c.RaiserText = RaiserText, "Đại diện "+strconv.Itoa(c.People)+" hộ dân "+dv.v.Name
	case channel == ChannelPhone && kind == ConcernReport && g.chance(40):
		c.RaiserKind = RaiserAnonymous
	case g.chance(8):
		p := pick(g, dv.roles)
		c.RaiserKind, c.RaiserID = RaiserPerson, p.ID
	default:
		c.RaiserKind, c.RaiserID = RaiserHousehold, h.ID
	}

	// status, by age
	age := received
	var status ConcernStatus
	switch {
	case age <= 7:
		status = []ConcernStatus{StatusNew, StatusHandling, StatusForwarded}[g.weighted(55, 40, 5)]
	case age <= 45:
		status = Statuses[g.weighted(5, 35, 15, 30, 15)]
	default:
		status = Statuses[g.weighted(1, 5, 6, 30, 58)]
	}
	c.Status = status
	if status != StatusNew || g.chance(50) {
		c.Assignee = pick(g, g.handlers)
	}
	if kind == ConcernDenunciation && c.Assignee == "" {
		c.Assignee = pick(g, g.handlers) // the cadre who holds the case
	}
	g.history(c, dv, received)
	return c
}

// history fills a concern's acceptance date and a status history that
// follows the status path up to its status, every step dated in order
// and no later than today.
func (g *demoGen) history(c *Concern, dv *demoVillage, received int) {
	by := c.Assignee
	if by == "" {
		by = pick(g, g.handlers)
	}
	day := received // days ago of the last step
	step := func(from, to ConcernStatus, after int, note string) {
		day -= after
		if day < 0 {
			day = 0
		}
		c.History = append(c.History, StatusChange{ID: NewID(), From: from, To: to, By: by, At: g.at(g.day(day)), Note: note})
	}
	step("", StatusNew, 0, demoChannelNote[c.Channel])
	if c.Status == StatusNew {
		return
	}
	step(StatusNew, StatusHandling, g.n(min(received, 7)+1), "Đã thụ lý, giao "+by+" xác minh.")
	c.Accepted = g.day(day)
	accepted := day
	last := StatusHandling
	if c.Status == StatusForwarded || (c.Status.Done() && g.chance(20)) {
		step(last, StatusForwarded, g.between(1, 10), "Chuyển "+pick(g, demoForwardTo)+" theo thẩm quyền.")
		last = StatusForwarded
	}
	if !c.Status.Done() {
		return
	}
	limit := DeadlineDays(c.ConcernKind, c.Complexity, dv.v.Remote, g.petition)
	took := g.between(3, limit)
	if g.chance(15) {
		took = limit + g.between(1, 30) // resolved late
	}
	if spent := accepted - day; took < spent {
		took = spent
	}
	step(last, StatusResolved, took-(accepted-day), pick(g, demoResolved))
	if c.Status == StatusClosed {
		step(StatusResolved, StatusClosed, g.between(1, 20), pick(g, demoClosed))
	}
}

// ---- models ----

var demoModelNames = map[string][]string{
	FieldEconomy:  {"Vận động hiến đất làm đường giao thông nông thôn", "Tổ hợp tác trồng sâm dây", "Nhóm hộ nuôi heo đen địa phương", "Trồng cà phê xen mắc ca", "Tổ vay vốn tiết kiệm", "Dân vận khéo trong xây dựng nông thôn mới", "Tổ đổi công thu hoạch lúa nước"},
	FieldCulture:  {"Câu lạc bộ cồng chiêng", "Vận động xóa bỏ tảo hôn, hôn nhân cận huyết thống", "Nhà sạch, vườn đẹp", "Vận động học sinh đến trường", "Giữ gìn nhà rông văn hóa", "Lớp xóa mù chữ cho phụ nữ"},
	FieldDefence:  {"Tổ tự quản đường biên, cột mốc", "Tổ an ninh tự quản", "Nâng bước em tới trường", "Con nuôi Đồn Biên phòng", "Làng không có người vi phạm pháp luật"},
	FieldPolitics: {"Chi bộ nói đi đôi với làm", "Vận động đoàn viên, hội viên sinh hoạt đều đặn", "Dân vận khéo trong thực hiện dân chủ ở cơ sở", "Đối thoại định kỳ ở thôn", "Hộp thư góp ý của dân"},
}

var demoModelPeople = map[string][]string{
	FieldEconomy:  {"tiên phong hiến đất làm đường", "vận động bà con trồng cây ăn quả", "giúp hộ nghèo con giống"},
	FieldCulture:  {"vận động con cháu bỏ hủ tục", "dạy cồng chiêng cho thanh niên", "vận động trẻ em đến trường"},
	FieldDefence:  {"tố giác người vượt biên trái phép", "vận động bà con giữ gìn cột mốc", "hòa giải mâu thuẫn trong làng"},
	FieldPolitics: {"vận động đoàn viên vào Đảng", "giữ nếp sinh hoạt chi bộ", "vận động bà con bàn việc làng"},
}

func (g *demoGen) model(dv *demoVillage, field string, status ModelStatus) *Model {
	// results grow along the status chain, which takes time to climb
	scale := 1
	for i, s := range ModelStatuses {
		if s == status {
			scale = 1 + i
		}
	}
	m := &Model{Field: field, Status: ModelRegistered, Registered: g.day(g.between(45*(scale-1), demoDays-1)), Village: dv.v.ID}
	m.ID = NewDemoID()
	// One step about every 45 days since registration, up to status.
	for i, s := range ModelStatuses[1:scale] {
		m.Reach(s, min(m.Registered.AddDays(45*(i+1)), g.today))
	}
	if g.chance(30) {
		p := pick(g, dv.roles)
		m.ModelKind = ModelIndividual
		role := map[PersonRole]string{RoleElder: "Già làng", RoleHead: "Trưởng thôn", RolePrestige: "Người có uy tín", RoleReligious: "Chức sắc", RoleSecretary: "Bí thư chi bộ", RoleOtherRole: "Ông/bà"}[p.Role]
		m.Name = role + " " + p.Name + " " + pick(g, demoModelPeople[field])
	} else {
		m.ModelKind = ModelCollective
		m.Name = pick(g, demoModelNames[field]) + " " + dv.v.Name
		if field == FieldDefence && g.chance(40) {
			m.Name = pick(g, demoModelNames[field]) + " – " + g.units[g.bdbp]
		}
		if g.chance(15) {
			m.Village = "" // commune-wide
		}
	}
	m.Description = g.sentences(1, 2)
	if status != ModelRegistered || g.chance(50) {
		if field == FieldEconomy || (field == FieldCulture && g.chance(25)) {
			m.LandM2 = float64(g.between(50, 1500) * scale)
		}
		m.WorkDays = g.between(20, 300) * scale
		m.MoneyVND = int64(g.between(2, 60)*scale) * 1_000_000
		m.PeopleReached = g.between(30, 250) * scale
		m.Trainings = g.n(3 * scale)
	}
	var parts []string
	if m.LandM2 > 0 {
		parts = append(parts, "vận động hiến "+demoThousands(int64(m.LandM2))+" m² đất")
	}
	if m.WorkDays > 0 {
		parts = append(parts, demoThousands(int64(m.WorkDays))+" ngày công")
	}
	if m.MoneyVND > 0 {
		parts = append(parts, demoThousands(m.MoneyVND)+" đồng đóng góp")
	}
	if m.PeopleReached > 0 {
		parts = append(parts, demoThousands(int64(m.PeopleReached))+" lượt người được tuyên truyền")
	}
	if m.Trainings > 0 {
		parts = append(parts, strconv.Itoa(m.Trainings)+" lớp tập huấn")
	}
	if len(parts) > 0 {
		r := strings.Join(parts, ", ") + "."
		m.Results = strings.ToUpper(r[:1]) + r[1:]
	}
	return m
}

// demoThousands writes n with "." between thousands, the Vietnamese way.
func demoThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ---- the demo marker ----

// DemoMark is the third group of a demo record's id: a UUID of version 8
// (RFC 9562's layout for custom ids) whose next three hex digits are
// "de3". The ids of real records are version 7 (NewID) or, for the
// commune's checklist, version 5 (ChecklistID), so no real record is ever
// taken for a demo one. The mark is in the id because the id is the one
// part of a record that no edit, merge or deletion changes.
const DemoMark = "8de3"

// Errors of demo data; the cli and the UI show each as a message of the
// i18n catalogue ("demo.err.*").
var (
	// ErrDemoEnrolled: demo data were asked for in a store enrolled with
	// a sync server, whose records go to the province. Never allowed.
	ErrDemoEnrolled = errors.New("demo data refused: the store is enrolled with a sync server")
	// ErrDemoNotEmpty: demo data were asked for in a store that already
	// holds records (without force).
	ErrDemoNotEmpty = errors.New("demo data refused: the store already holds records")
	// ErrHoldsDemo: the store holds demo records, which must be removed
	// (RemoveDemo) before it is enrolled with a sync server.
	ErrHoldsDemo = errors.New("the store holds demo records")
)

// NewDemoID returns a new id for a demo record: a time-ordered UUIDv7
// turned into version 8 with DemoMark as its third group.
func NewDemoID() string {
	u := uuid.Must(uuid.NewV7())
	u[6], u[7] = 0x8d, 0xe3
	return u.String()
}

// IsDemoID reports whether id is the id of a demo record (NewDemoID): a
// canonical lower-case UUID whose third group is DemoMark. The sync
// server refuses such records, the laptop never pushes them, and its pull
// check refuses them too.
func IsDemoID(id string) bool {
	if len(id) != 36 || id[14:18] != DemoMark {
		return false
	}
	u, err := uuid.Parse(id)
	return err == nil && u.String() == id
}

// DemoCount returns how many records of the store, live or in the trash,
// are demo records, and how many others it holds, the commune's
// "cùng"/"bám" checklist aside (a setting of the commune, no one's data).
func (s *Store) DemoCount() (demo, other int) {
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	for id, r := range s.idx.rows {
		switch {
		case IsDemoID(id):
			demo++
		case r.kind != symChecklist:
			other++
		}
	}
	return demo, other
}

// DemoReferenced returns how many records that are not demo records
// (live or in the trash) belong to a demo village: a concern or a
// household entered in a demo village. RemoveDemo keeps them, pointing at
// a village that is gone; the confirmation says so.
func (s *Store) DemoReferenced() int {
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	n := 0
	for id, r := range s.idx.rows {
		if r.village != "" && !IsDemoID(id) && IsDemoID(r.village) {
			n++
		}
	}
	return n
}

// CheckDemoTarget says whether GenerateDemo may write into s: never into
// a store enrolled with a sync server (ErrDemoEnrolled), even with force,
// because its records go to the province; and into a store that already
// holds records, demo or real (ErrDemoNotEmpty), only with force, since
// a second run would duplicate the whole commune. enrolled is what the
// sync package knows (sync.Enrolled).
func CheckDemoTarget(s *Store, enrolled, force bool) error {
	if enrolled {
		return ErrDemoEnrolled
	}
	if demo, other := s.DemoCount(); demo+other > 0 && !force {
		return fmt.Errorf("%w (%d demo, %d other)", ErrDemoNotEmpty, demo, other)
	}
	return nil
}

// RemoveDemo removes every demo record from the store for good, and
// nothing else: each record with its index row, audit trail, outbox
// entries, confidential field, draft and settings kept under its id (a
// colleague mark, a quarantine). Demo records never left the laptop, so
// no tombstone is needed and they do not go to the trash. A real record
// that pointed at a demo one (a concern entered in a demo village) stays
// as it is. It returns how many records it removed.
func (s *Store) RemoveDemo() (int, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var keys [][]byte
	ids := map[string]bool{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			switch {
			case bytes.HasPrefix(k, pfxOutbox):
				var e OutboxEntry
				if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &e) }); err != nil {
					return fmt.Errorf("outbox entry %x: %w", k, err)
				}
				if !IsDemoID(e.Record) {
					continue
				}
			case bytes.HasPrefix(k, pfxAudit):
				// a/<id>/<8-byte sequence>
				if len(k) < len(pfxAudit)+36 || !IsDemoID(string(k[len(pfxAudit):len(pfxAudit)+36])) {
					continue
				}
			default:
				// r/<id>, x/<id>, c/<id>, d/<kind>/<id>, m/…/<id>
				if len(k) < 37 || k[len(k)-37] != '/' || !IsDemoID(string(k[len(k)-36:])) {
					continue
				}
				if bytes.HasPrefix(k, pfxRecord) {
					ids[string(k[len(pfxRecord):])] = true
				}
			}
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("remove demo records: %w", err)
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, k := range keys {
		if err := wb.Delete(k); err != nil {
			return 0, fmt.Errorf("remove demo records: %w", err)
		}
	}
	if err := wb.Flush(); err != nil {
		return 0, fmt.Errorf("remove demo records: %w", err)
	}
	if err := s.db.Sync(); err != nil {
		return 0, fmt.Errorf("remove demo records: sync: %w", err)
	}
	s.idx.mu.Lock()
	for id := range s.idx.rows {
		if IsDemoID(id) {
			delete(s.idx.rows, id)
			ids[id] = true
		}
	}
	s.idx.mu.Unlock()
	for id := range ids {
		s.unseen.remove(id)
	}
	if len(ids) > 0 {
		s.notify()
	}
	return len(ids), nil
}
