package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"danvan/data"

	"github.com/xuri/excelize/v2"
)

func communeReportPDF(t *testing.T, s *data.Store, p Period) ([]byte, *CommuneReport) {
	t.Helper()
	c, err := NewCommuneReport(s, p, nil, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), c
}

// adjustmentRow finds "Toàn xã  <label>  locked  now  diff" in text.
func adjustmentRow(text, scope, label string) []string {
	re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(scope) + `\s+` + regexp.QuoteMeta(label) + `\s+([0-9.]+)\s+([0-9.]+)\s+([+-]?[0-9.]+)\s*$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	return m[1:]
}

// TestLockedCommuneReport: "Chốt số liệu" keeps the report sent upward;
// reprinting the period prints the locked figures, and after a late entry
// of a record of the period an "điều chỉnh" section with the difference.
// Read back from the real PDF with pdftotext.
func TestLockedCommuneReport(t *testing.T) {
	f := newFixture(t)
	p := QuarterPeriod(2026, 1)
	pdf, c := communeReportPDF(t, f.s, p)
	received := c.Total.Concerns.Received
	if received == 0 {
		t.Fatal("the fixture's Q1 has no concern")
	}
	lk, err := LockCommuneReport(f.s, c, pdf, "Y Sáng")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pdf)
	if lk.PDFSHA256 != hex.EncodeToString(sum[:]) || lk.By != "Y Sáng" || lk.Period != "2026-Q1" || lk.At.IsZero() {
		t.Errorf("lock %+v", lk)
	}
	if _, err := LockCommuneReport(f.s, c, pdf, ""); !errors.Is(err, data.ErrReportLocked) {
		t.Errorf("second lock: %v, want ErrReportLocked", err)
	}
	reg, err := f.s.ReportLocks()
	if err != nil || len(reg) != 1 || reg[0].PDFSHA256 != lk.PDFSHA256 {
		t.Fatalf("register %+v, %v", reg, err)
	}

	// Reprinted unchanged: the lock is named, there is no adjustment.
	again, c2 := communeReportPDF(t, f.s, p)
	text := strings.Join(pdfText(t, again), "\n")
	mustContain(t, "reprint", text, "Số liệu đã chốt ngày", "người gửi: Y Sáng", lk.PDFSHA256[:16])
	if strings.Contains(text, "ĐIỀU CHỈNH") || len(c2.Adjustments) != 0 {
		t.Errorf("unchanged period reprinted with adjustments %+v", c2.Adjustments)
	}

	// A concern of February entered after the lock.
	mustSaveMany(t, f.s, &data.Concern{ConcernKind: data.ConcernReport, Channel: data.ChannelPhone, Received: "2026-02-20",
		Village: f.other.ID, Topic: "moi_truong", Summary: "Phản ánh nước suối đục, nhập muộn"})
	late, c3 := communeReportPDF(t, f.s, p)
	text = strings.Join(pdfText(t, late), "\n")
	if n, ok := figureIn(text, "Ý kiến, kiến nghị tiếp nhận"); !ok || n != received {
		t.Errorf("reprint after a late entry prints %d received (found %v), want the locked %d", n, ok, received)
	}
	mustContain(t, "reprint after a late entry", text, "VII. ĐIỀU CHỈNH SỐ LIỆU SAU KHI CHỐT")
	want := []string{num("vi", received), num("vi", received+1), "+1"}
	if got := adjustmentRow(text, "Toàn xã", "Ý kiến, kiến nghị tiếp nhận"); !slices.Equal(got, want) {
		t.Errorf("commune adjustment row %v, want %v", got, want)
	}
	var village bool
	for _, a := range c3.Adjustments {
		if a.Village == f.other.Name && a.Now == a.Locked+1 {
			village = true
		}
	}
	if !village || !strings.Contains(text, f.other.Name) {
		t.Errorf("adjustments %+v lack the village's received +1", c3.Adjustments)
	}

	// The workbook too: locked figures, an adjustments sheet.
	var buf bytes.Buffer
	if err := c3.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(x.GetSheetList(), "Điều chỉnh") {
		t.Errorf("workbook sheets %v lack Điều chỉnh", x.GetSheetList())
	}
	// Another period is not locked.
	_, c4 := communeReportPDF(t, f.s, QuarterPeriod(2026, 2))
	if c4.Locked != nil {
		t.Error("Q2 printed as locked")
	}
}

// TestVillageSummaryAsOfPeriodEnd: the summary headed "Tính đến ngày
// 31/03/2026" lists what was open on that day, a case resolved in April
// included, and resolving a Q1 case today changes neither its list nor
// its figures (issue 10, first row).
func TestVillageSummaryAsOfPeriodEnd(t *testing.T) {
	f := newFixture(t)
	late := &data.Concern{ConcernKind: data.ConcernPetition, Channel: data.ChannelPhone, Received: "2026-03-10", Accepted: "2026-03-10",
		Village: f.village.ID, Topic: "ha_tang", Summary: "Nạo vét mương", Status: data.StatusResolved,
		History: history("2026-03-10", data.StatusHandling, data.Date("2026-03-11"), data.StatusResolved, data.Date("2026-04-05"))}
	mustSaveMany(t, f.s, late)
	q1 := QuarterPeriod(2026, 1)
	pdf, v := villagePDF(t, f.s, f.village.ID, q1, Options{})
	text := strings.Join(pdfText(t, pdf), "\n")
	mustContain(t, "Q1 summary", text, "Tính đến ngày 31/03/2026", "Nạo vét mương")
	var listed []string
	for _, c := range v.Open {
		listed = append(listed, c.ID)
		if c.Status != data.StatusHandling {
			t.Errorf("%s listed as %s, want its status on 31/03", c.Summary, c.Status)
		}
	}
	if !slices.Contains(listed, late.ID) || v.Stats.Concerns.Open != len(v.Open) {
		t.Fatalf("open on 31/03: %d listed %v, stats %d; want the case resolved in April among them", len(v.Open), listed, v.Stats.Concerns.Open)
	}
	// Resolve every Q1 case still open, today.
	for _, id := range listed {
		if id == late.ID {
			continue
		}
		if err := f.s.ChangeStatus(id, data.StatusResolved, "Đã giải quyết xong"); err != nil {
			t.Fatal(err)
		}
	}
	again, v2 := villagePDF(t, f.s, f.village.ID, q1, Options{})
	if len(v2.Open) != len(v.Open) || !reflect.DeepEqual(v2.Stats, v.Stats) {
		t.Errorf("Q1 changed after resolving its cases today: %d open, stats %+v; was %d, %+v", len(v2.Open), v2.Stats.Concerns, len(v.Open), v.Stats.Concerns)
	}
	if a, b := pdfText(t, pdf), pdfText(t, again); len(a) != len(b) || !strings.Contains(strings.Join(b, ""), "Nạo vét mương") {
		t.Errorf("reprinted Q1 summary differs: %d pages, was %d", len(b), len(a))
	}
}
