package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"danvan/data"
	"danvan/i18n"
)

// TestPlaceDate: days below 10 and the months 1 and 2 take a leading
// zero, the other months none (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục
// I.4); the date is the one in Vietnam.
func TestPlaceDate(t *testing.T) {
	for _, c := range []struct {
		when  time.Time
		place string
		want  string
	}{
		{time.Date(2026, 12, 4, 9, 0, 0, 0, data.Vietnam), "Đăk Long", "Đăk Long, ngày 04 tháng 12 năm 2026"},
		{time.Date(2026, 2, 15, 9, 0, 0, 0, data.Vietnam), "Đăk Long", "Đăk Long, ngày 15 tháng 02 năm 2026"},
		{time.Date(2026, 1, 9, 9, 0, 0, 0, data.Vietnam), "Đăk Long", "Đăk Long, ngày 09 tháng 01 năm 2026"},
		{time.Date(2026, 3, 10, 9, 0, 0, 0, data.Vietnam), "Sa Thầy", "Sa Thầy, ngày 10 tháng 3 năm 2026"},
		{time.Date(2026, 7, 5, 9, 0, 0, 0, data.Vietnam), "", "ngày 05 tháng 7 năm 2026"},
		// 20:00 UTC on 30 September is 1 October in Vietnam.
		{time.Date(2026, 9, 30, 20, 0, 0, 0, time.UTC), "Đăk Long", "Đăk Long, ngày 01 tháng 10 năm 2026"},
	} {
		if got := placeDate(i18n.VI, c.place, c.when); got != c.want {
			t.Errorf("placeDate(%v, %q) = %q, want %q", c.when, c.place, got, c.want)
		}
	}
	if got := placeDate(i18n.EN, "Đăk Long", time.Date(2026, 4, 3, 9, 0, 0, 0, data.Vietnam)); got != "Đăk Long, 03/04/2026" {
		t.Errorf("English place and date %q", got)
	}
}

// TestNumberLine: a Party body's number is "Số   -BC/BXDĐ" (Hướng dẫn
// 36-HD/VPTW), a state body's and the Front's "Số:   /BC-UBND" (Nghị
// định 30/2020/NĐ-CP); none without a symbol.
func TestNumberLine(t *testing.T) {
	for _, c := range []struct {
		is   data.Issuer
		want string
	}{
		{data.Issuer{UnitKind: data.UnitParty, Symbol: "BXDĐ"}, "Số      -BC/BXDĐ"},
		{data.Issuer{UnitKind: data.UnitState, Symbol: "UBND"}, "Số:      /BC-UBND"},
		{data.Issuer{UnitKind: data.UnitMass, Symbol: "MTTQ"}, "Số:      /BC-MTTQ"},
		{data.Issuer{UnitKind: data.UnitParty}, ""},
	} {
		if got := numberLine(i18n.VI, c.is); got != c.want {
			t.Errorf("numberLine(%+v) = %q, want %q", c.is, got, c.want)
		}
	}
}

// issuerPDF prints the fixture's commune report for the issuer of kind k
// in the commune, as suggested, with a signer.
func issuerPDF(t *testing.T, f *fixture, k data.UnitKind) string {
	t.Helper()
	unit, is := data.SuggestUnit(k, communeName(t, f.s))
	is.Signer = "Y Blưm"
	c, err := NewCommuneReport(f.s, QuarterPeriod(2026, 2), nil, Options{Now: testNow, Cadre: "Nguyễn Văn An", Unit: unit, Issuer: is})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	savePNG(t, buf.Bytes(), "commune-"+string(k))
	return strings.Join(pdfText(t, buf.Bytes()), "\n")
}

// TestReportHeadingFollowsTheUnitKind is issue 16's "today every report
// uses the state heading, even for the Ban Dân vận": a Party body's
// report carries the Party heading, a state body's and the Front's the
// national one, each with its number line, "Nơi nhận" and signature.
func TestReportHeadingFollowsTheUnitKind(t *testing.T) {
	f := newFixture(t)
	commune := strings.ToUpper(placeName(communeName(t, f.s)))
	words := func(s string) string { return strings.Join(strings.Fields(s), " ") }

	party := words(issuerPDF(t, f, data.UnitParty))
	mustContain(t, "Party report", party, "ĐẢNG BỘ XÃ "+commune, "BAN XÂY DỰNG ĐẢNG", "ĐẢNG CỘNG SẢN VIỆT NAM",
		"Số -BC/BXDĐ", "Nơi nhận:", "- Ban Thường vụ Đảng ủy xã", "(b/c),", "- Lưu Văn phòng Đảng ủy.", "TRƯỞNG BAN", "Y Blưm",
		"Người lập báo cáo: Nguyễn Văn An")
	for _, bad := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BAN XÂY DỰNG ĐẢNG ĐẢNG ỦY"} {
		if strings.Contains(party, bad) {
			t.Errorf("the Party body's report has %q", bad)
		}
	}

	state := words(issuerPDF(t, f, data.UnitState))
	mustContain(t, "state report", state, "ỦY BAN NHÂN DÂN XÃ "+commune, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc", "Số: /BC-UBND", "Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Y Blưm")
	if strings.Contains(state, "ĐẢNG CỘNG SẢN VIỆT NAM") {
		t.Error("the state body's report has the Party heading")
	}

	mass := words(issuerPDF(t, f, data.UnitMass))
	mustContain(t, "Front report", mass, "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: /BC-MTTQ",
		"TM. BAN THƯỜNG TRỰC")
}

// TestNoEmptyPreparedBy: a report made without a cadre's name (a store
// whose profile was never set) does not print "Người lập báo cáo:" with
// nothing after it.
func TestNoEmptyPreparedBy(t *testing.T) {
	f := newFixture(t)
	f.s.SetActor("")
	c, err := NewCommuneReport(f.s, QuarterPeriod(2026, 2), nil, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.Join(pdfText(t, buf.Bytes()), "\n"), "\n") {
		if strings.TrimSpace(line) == "Người lập báo cáo:" {
			t.Errorf("an empty %q line", line)
		}
	}
}

// communeName is the official name of the store's commune.
func communeName(t *testing.T, s *data.Store) string {
	t.Helper()
	c, ok := data.CommuneByCode(s.Commune())
	if !ok {
		t.Fatalf("no commune %q in the unit list", s.Commune())
	}
	return c.Name
}
