package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"danvan/data"
	"danvan/i18n"
)

// figureIn finds the line of text that starts with label and returns the
// number at its end ("Số lượt đi cơ sở      3" → 3).
func figureIn(text, label string) (int, bool) {
	re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(label) + `\s{2,}([0-9.]+)\s*$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
	return n, err == nil
}

// numbersAfter returns the numbers that follow label on its line.
func numbersAfter(text, label string) []int {
	re := regexp.MustCompile(`(?m)^\s*(?:\d+\s+)?` + regexp.QuoteMeta(label) + `((?:\s+[+-]?[0-9.]+)+)\s*$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	var out []int
	for _, f := range strings.Fields(m[1]) {
		n, _ := strconv.Atoi(strings.NewReplacer(".", "", "+", "").Replace(f))
		out = append(out, n)
	}
	return out
}

func TestVillagePDFVietnameseText(t *testing.T) {
	f := newFixture(t)
	pdf, v := villagePDF(t, f.s, f.village.ID, h1, Options{Unit: "Đồn Biên phòng Đăk Long"})
	savePNG(t, pdf, "village")
	pages := pdfText(t, pdf)
	text := strings.Join(pages, "\n")
	l := i18n.VI
	mustContain(t, "village PDF", text,
		"Làng Đăk Ang", keyPerson, "cùng nói tiếng dân tộc", "bám bản (bám trụ)",
		"Xã Đăk Long, Tỉnh Quảng Ngãi", "ĐỒN BIÊN PHÒNG ĐĂK LONG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Đăk Long, ngày 05 tháng 7 năm 2026", "BÁO CÁO TÓM TẮT", "Tình hình Làng Đăk Ang",
		"từ ngày 01/01/2026 đến ngày 30/06/2026 (6 tháng đầu năm 2026)",
		tr(l, "sec.general"), tr(l, "sec.chart"), tr(l, "sec.visits"), tr(l, "sec.meetings"), tr(l, "sec.concerns"), tr(l, "sec.models"),
		tr(l, "sub.key_persons"), tr(l, "sub.cung_bam"), tr(l, "sub.visit_list"), tr(l, "sub.actions"), tr(l, "sub.open"),
		"Tiếp nhận", "Đã giải quyết", "Ngày đi cơ sở", // chart legend
		"Tố cáo hành vi khai thác gỗ", // wrapped in its cell
		"Hiến đất làm đường giao", "hiến 1.250,5 m² đất",
		"NGƯỜI LẬP BÁO CÁO", "XÁC NHẬN CỦA LÃNH ĐẠO ĐƠN VỊ", "Y Sáng",
	)
	// Page numbers: "Trang i/n" on every page.
	for i, p := range pages {
		if want := fmt.Sprintf("Trang %d/%d", i+1, len(pages)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	// The text is NFC: the decomposed form of a name never comes back.
	if strings.Contains(text, "Hu\u031bo\u031b\u0309ng") {
		t.Error("decomposed text in the PDF")
	}
	// The forwarded phản ánh left the commune's clock: 4 are open.
	if v.Stats.Concerns.Open != 4 || len(v.Open) != 4 {
		t.Errorf("open concerns: stats %d, listed %d, want 4", v.Stats.Concerns.Open, len(v.Open))
	}
}

func TestVillagePDFFiguresEqualStoreCounts(t *testing.T) {
	f := newFixture(t)
	for _, p := range []Period{h1, QuarterPeriod(2026, 2), MonthPeriod(2026, 3)} {
		pdf, v := villagePDF(t, f.s, f.village.ID, p, Options{})
		text := strings.Join(pdfText(t, pdf), "\n")
		st, err := f.s.Stats(f.village.ID, p.From, p.To, data.DateOf(testNow))
		if err != nil {
			t.Fatal(err)
		}
		l := i18n.VI
		var figs []figure
		figs = append(figs, visitFigures(l, st)...)
		figs = append(figs, meetingFigures(l, st)...)
		figs = append(figs, concernFigures(l, st)...)
		for _, fg := range figs {
			got, ok := figureIn(text, fg.label)
			if !ok {
				t.Errorf("%s: no line %q in the PDF", p, fg.label)
				continue
			}
			if got != fg.n {
				t.Errorf("%s: %q = %d in the PDF, store counts %d", p, fg.label, got, fg.n)
			}
		}
		if got, ok := figureIn(text, tr(l, "v.households")); !ok || got != f.village.Households {
			t.Errorf("%s: households %d, want %d", p, got, f.village.Households)
		}
		c := st.Concerns
		want := []int{c.Received, c.Resolved, c.Forwarded, c.Open, c.Overdue}
		if got := numbersAfter(text, tr(l, "total")); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: concern totals %v in the PDF, store counts %v", p, got, want)
		}
		for _, k := range data.ConcernKinds {
			kc := st.ByKind[k]
			want := []int{kc.Received, kc.Resolved, kc.Forwarded, kc.Open, kc.Overdue}
			if got := numbersAfter(text, enum(l, "concern_kind", string(k))); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: %s %v in the PDF, store counts %v", p, k, got, want)
			}
		}
		for _, it := range v.Cung {
			re := regexp.MustCompile(`(?m)^\s*Cùng\s+` + regexp.QuoteMeta(it.Label) + `\s+(\d+)\s`)
			m := re.FindStringSubmatch(text)
			if got := ""; m == nil || m[1] != strconv.Itoa(st.Cung[it.Key]) {
				if m != nil {
					got = m[1]
				}
				t.Errorf("%s: %q practised %v in the PDF, store counts %d", p, it.Label, got, st.Cung[it.Key])
			}
		}
	}
	// The figures are the fixture's, too (the store's count is not trivially zero).
	// Overdue: 3 past their resolution deadline, and the kiến nghị of
	// 10/04 never accepted, past its intake deadline (24/04).
	st, _ := f.s.Stats(f.village.ID, h1.From, h1.To, data.DateOf(testNow))
	if st.Concerns.Received != 6 || st.Visits != 3 || st.Meetings != 3 || st.Concerns.Overdue != 4 || st.Cung["cung_noi"] != 3 {
		t.Errorf("fixture figures changed: %+v", st.Concerns)
	}
}

// A village with 2,000 concerns: the open-concerns table runs over many
// pages, its header repeats on each, page numbers count right, and a
// summary longer than a page is split between lines, never cut.
func TestVillagePDFLongTable(t *testing.T) {
	s := openStore(t)
	v := &data.Village{Name: "Thôn Đăk Wơk", VillageKind: data.VillageThon, Households: 300}
	mustSaveMany(t, s, v)
	var long strings.Builder
	for i := 1; i <= 450; i++ {
		fmt.Fprintf(&long, "đoạn%d ", i)
	}
	objs := make([]data.Object, 0, 2000)
	for i := 0; i < 2000; i++ {
		d := data.Date("2026-01-01").AddDays(i % 180)
		c := &data.Concern{ConcernKind: data.ConcernKinds[i%4], Channel: data.ChannelReception, Received: d, Accepted: d, Village: v.ID,
			Topic: data.Topics[i%len(data.Topics)], People: 1 + i%7, Summary: fmt.Sprintf("Ý kiến số %d của bà con về đường, điện, trường, trạm", i+1)}
		if i == 1000 {
			c.Summary = "Bản kiến nghị rất dài: " + long.String() + "hết."
		}
		objs = append(objs, c)
	}
	mustSaveMany(t, s, objs...)
	pdf, sum := villagePDF(t, s, v.ID, h1, Options{})
	savePNG(t, pdf, "long")
	pages := pdfText(t, pdf)
	if len(pages) < 20 {
		t.Fatalf("%d pages for 2,000 open concerns, want many", len(pages))
	}
	if len(sum.Open) != 2000 {
		t.Fatalf("%d open concerns listed, want 2000", len(sum.Open))
	}
	header := tr(i18n.VI, "c.summary")
	first := -1
	for i, p := range pages {
		if want := fmt.Sprintf("Trang %d/%d", i+1, len(pages)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
		if first < 0 && strings.Contains(p, tr(i18n.VI, "sub.open")) {
			first = i
		}
	}
	if first < 0 {
		t.Fatal("no open-concerns table")
	}
	// From the table's first page to the one before the models section,
	// every page repeats the header.
	last := first
	for i := first; i < len(pages); i++ {
		if strings.Contains(pages[i], tr(i18n.VI, "sec.models")) {
			last = i
			break
		}
	}
	if last-first < 15 {
		t.Fatalf("table spans pages %d–%d only", first+1, last+1)
	}
	for i := first; i <= last; i++ {
		if !strings.Contains(pages[i], header) || !strings.Contains(pages[i], tr(i18n.VI, "c.date")) || !strings.Contains(pages[i], tr(i18n.VI, "c.left")) {
			t.Errorf("page %d of the table lacks the repeated header", i+1)
		}
	}
	text := strings.Join(pages, "\n")
	if !strings.Contains(text, "Ý kiến số 2000 của bà con") || !regexp.MustCompile(`(?m)^\s*2\.000\s`).MatchString(text) {
		t.Error("the last row is missing")
	}
	for i := 1; i <= 450; i++ {
		if w := fmt.Sprintf("đoạn%d ", i); !strings.Contains(text+" ", w) && !strings.Contains(text, fmt.Sprintf("đoạn%d\n", i)) {
			t.Fatalf("the long summary was cut: %q is missing", w)
		}
	}
}

// utf16BE encodes s as PDF text strings in metadata are.
func utf16BE(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r>>8), byte(r))
	}
	return b
}

func TestCommunePDF(t *testing.T) {
	f := newFixture(t)
	prev := QuarterPeriod(2026, 1)
	c, err := NewCommuneReport(f.s, QuarterPeriod(2026, 2), &prev, Options{Now: testNow, Unit: "Ban Dân vận Đảng ủy xã"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	savePNG(t, buf.Bytes(), "commune")
	pages := pdfText(t, buf.Bytes())
	text := strings.Join(pages, "\n")
	l := i18n.VI
	mustContain(t, "commune PDF", text, "BÁO CÁO", "Kết quả công tác dân vận quý II/2026", "So sánh với: quý I/2026",
		"Làng Đăk Ang", "Thôn Kon Pao", "Toàn xã", tr(l, "csec.indicators"), tr(l, "csec.kinds"), tr(l, "csec.villages"),
		tr(l, "csec.hotspots"), tr(l, "csec.models"), tr(l, "csec.chart"), "BAN DÂN VẬN ĐẢNG ỦY XÃ", tr(l, "models_reached"))
	for i, p := range pages {
		if want := fmt.Sprintf("Trang %d/%d", i+1, len(pages)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	// Per-village rows equal the store's counts.
	for _, v := range c.Villages {
		st, _ := f.s.Stats(v.Village.ID, c.Period.From, c.Period.To, data.DateOf(testNow))
		var want []int
		for _, vc := range villageColumns {
			want = append(want, vc.f(st))
		}
		if got := numbersAfter(text, v.Village.Name); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: %v in the PDF, store counts %v", v.Village.Name, got, want)
		}
	}
	// The indicators with the earlier period and the change.
	cur, _ := f.s.Stats("", c.Period.From, c.Period.To, data.DateOf(testNow))
	old, _ := f.s.Stats("", prev.From, prev.To, data.DateOf(testNow))
	got := numbersAfter(text, tr(l, "ind.c_received"))
	if len(got) != 3 || got[0] != cur.Concerns.Received || got[1] != old.Concerns.Received {
		t.Errorf("received this/earlier %v, store counts %d/%d", got, cur.Concerns.Received, old.Concerns.Received)
	}
}

func TestPDFEnglish(t *testing.T) {
	f := newFixture(t)
	pdf, _ := villagePDF(t, f.s, f.village.ID, h1, Options{Lang: i18n.EN})
	text := strings.Join(pdfText(t, pdf), "\n")
	mustContain(t, "English PDF", text, "VILLAGE SUMMARY", "SOCIALIST REPUBLIC OF VIETNAM", "I. THE VILLAGE AT A GLANCE", "Page 1/", keyPerson)
}

// A religious dignitary's role and the languages key persons speak tell
// religion and ethnicity: like households' ethnicity and religion, they
// are printed only when sensitive fields are asked for.
func TestKeyPersonsSensitiveFieldsAreGated(t *testing.T) {
	f := newFixture(t)
	mustSaveMany(t, f.s, &data.Person{Name: "Ông Tôn Đức Mạnh", Village: f.village.ID, Role: data.RoleReligious, Languages: []string{"Giẻ Triêng"}})
	pdf, v := villagePDF(t, f.s, f.village.ID, h1, Options{})
	text := strings.Join(pdfText(t, pdf), "\n")
	for _, secret := range []string{"Chức sắc tôn giáo", "Giẻ Triêng"} {
		if strings.Contains(text, secret) {
			t.Errorf("the summary without sensitive fields prints %q", secret)
		}
	}
	if !strings.Contains(text, "Ông Tôn Đức Mạnh") {
		t.Error("the key person is not listed at all")
	}
	for _, p := range v.Persons {
		if len(p.Languages) > 0 || p.Role == data.RoleReligious {
			t.Errorf("person %+v kept a sensitive field", p)
		}
	}
	pdf, _ = villagePDF(t, f.s, f.village.ID, h1, Options{IncludeSensitive: true})
	text = strings.Join(pdfText(t, pdf), "\n")
	for _, want := range []string{"Giẻ Triêng", "Chức sắc tôn giáo"} {
		if !strings.Contains(text, want) {
			t.Errorf("with sensitive fields the summary lacks %q", want)
		}
	}
}
