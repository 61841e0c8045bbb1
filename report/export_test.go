package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"danvan/data"
	"danvan/i18n"
)

// xlsxText returns every XML part of an XLSX, uncompressed, to search.
func xlsxText(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(&out, rc)
		rc.Close()
	}
	return out.Bytes()
}

func villageXLSX(t testing.TB, f *fixture, o Options) []byte {
	t.Helper()
	o.Now = testNow
	v, err := NewVillageSummary(f.s, f.village.ID, h1, o)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := v.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func communeXLSX(t testing.TB, f *fixture, compare bool) []byte {
	t.Helper()
	var prev *Period
	if compare {
		p := h1.LastYear()
		prev = &p
	}
	c, err := NewCommuneReport(f.s, h1, prev, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func exportAll(t testing.TB, s *data.Store, o Options) map[List][]byte {
	t.Helper()
	out := map[List][]byte{}
	for _, l := range Lists {
		var buf bytes.Buffer
		if _, err := ExportCSV(&buf, s, l, data.Filter{}, o); err != nil {
			t.Fatalf("export %s: %v", l, err)
		}
		out[l] = buf.Bytes()
	}
	return out
}

// numberCell reads a cell that must hold a number (not text).
func numberCell(t testing.TB, x *excelize.File, sheet, cell string) float64 {
	t.Helper()
	typ, err := x.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Fatalf("%s!%s has type %v, want a number", sheet, cell, typ)
	}
	raw, err := x.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q, not a number", sheet, cell, raw)
	}
	return v
}

func rowIndex(t testing.TB, x *excelize.File, sheet, label string) int {
	t.Helper()
	rows, _ := x.GetRows(sheet)
	for i, r := range rows {
		if len(r) > 0 && r[0] == label || len(r) > 1 && r[1] == label {
			return i + 1
		}
	}
	t.Fatalf("sheet %s has no row %q", sheet, label)
	return 0
}

func TestVillageXLSXNumbersAndDates(t *testing.T) {
	f := newFixture(t)
	b := villageXLSX(t, f, Options{})
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	l := i18n.VI
	want := []string{"sheet.general", "sheet.persons", "sheet.visits", "sheet.cungbam", "sheet.meetings", "sheet.actions",
		"sheet.kinds", "sheet.open", "sheet.models", "sheet.monthly", "sheet.hh"}
	sheets := x.GetSheetList()
	for _, id := range want {
		if !slices.Contains(sheets, tr(l, id)) {
			t.Errorf("no sheet %q in %v", tr(l, id), sheets)
		}
	}
	st, _ := f.s.Stats(f.village.ID, h1.From, h1.To, data.DateOf(testNow))
	gen := tr(l, "sheet.general")
	for _, fg := range append(append(visitFigures(l, st), meetingFigures(l, st)...), concernFigures(l, st)...) {
		r := rowIndex(t, x, gen, fg.label)
		if got := numberCell(t, x, gen, "B"+strconv.Itoa(r)); got != float64(fg.n) {
			t.Errorf("%s = %v in the XLSX, store counts %d", fg.label, got, fg.n)
		}
	}
	// Concerns by kind: numbers equal to the store's.
	kinds := tr(l, "sheet.kinds")
	r := rowIndex(t, x, kinds, tr(l, "total"))
	for i, w := range []int{st.Concerns.Received, st.Concerns.Resolved, st.Concerns.Forwarded, st.Concerns.Open, st.Concerns.Overdue} {
		cell, _ := excelize.CoordinatesToCellName(i+2, r)
		if got := numberCell(t, x, kinds, cell); got != float64(w) {
			t.Errorf("total %s = %v, store counts %d", cell, got, w)
		}
	}
	// Dates are real dates: a number with a date format, reading back as the date.
	open := tr(l, "sheet.open")
	serial := numberCell(t, x, open, "B5")
	if serial < 46000 || serial > 46300 {
		t.Errorf("received date serial %v", serial)
	}
	styleID, _ := x.GetCellStyle(open, "B5")
	style, _ := x.GetStyle(styleID)
	if style.CustomNumFmt == nil || *style.CustomNumFmt != "dd/mm/yyyy" {
		t.Errorf("date cell format %+v", style.CustomNumFmt)
	}
	if got, _ := x.GetCellValue(open, "B5"); got != "02/03/2026" { // the most overdue comes first
		t.Errorf("first open concern received %q", got)
	}
	// Models keep the decimal land area as a number.
	models := tr(l, "sheet.models")
	if got := numberCell(t, x, models, "G5"); got != 1250.5 {
		t.Errorf("land %v, want 1250.5", got)
	}
}

func TestCommuneXLSX(t *testing.T) {
	f := newFixture(t)
	b := communeXLSX(t, f, true)
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	l := i18n.VI
	for _, id := range []string{"sheet.ind", "sheet.kinds", "sheet.villages", "sheet.vcompare", "sheet.hotspots", "sheet.models", "sheet.monthly"} {
		if idx, _ := x.GetSheetIndex(tr(l, id)); idx < 0 {
			t.Errorf("no sheet %q", tr(l, id))
		}
	}
	vs := tr(l, "sheet.villages")
	for _, name := range []string{"Làng Đăk Ang", "Thôn Kon Pao"} {
		var id string
		if name == f.village.Name {
			id = f.village.ID
		} else {
			id = f.other.ID
		}
		st, _ := f.s.Stats(id, h1.From, h1.To, data.DateOf(testNow))
		r := rowIndex(t, x, vs, name)
		for i, vc := range villageColumns {
			cell, _ := excelize.CoordinatesToCellName(5+i, r)
			if got := numberCell(t, x, vs, cell); got != float64(vc.f(st)) {
				t.Errorf("%s %s = %v, store counts %d", name, vc.id, got, vc.f(st))
			}
		}
	}
	total, _ := f.s.Stats("", h1.From, h1.To, data.DateOf(testNow))
	ind := tr(l, "sheet.ind")
	r := rowIndex(t, x, ind, tr(l, "ind.c_received"))
	if got := numberCell(t, x, ind, "B"+strconv.Itoa(r)); got != float64(total.Concerns.Received) {
		t.Errorf("received %v, store counts %d", got, total.Concerns.Received)
	}
	if got := numberCell(t, x, ind, "D"+strconv.Itoa(r)); got != float64(total.Concerns.Received) {
		t.Errorf("change %v, want %d (nothing a year before)", got, total.Concerns.Received)
	}
	// A province can add the village rows up: the sum equals the total
	// (concerns received are additive).
	sum := 0.0
	for _, name := range []string{"Làng Đăk Ang", "Thôn Kon Pao"} {
		sum += numberCell(t, x, vs, "F"+strconv.Itoa(rowIndex(t, x, vs, name)))
	}
	if sum != float64(total.Concerns.Received) {
		t.Errorf("villages add up to %v, total %d", sum, total.Concerns.Received)
	}
	// Months are dates.
	if v := numberCell(t, x, tr(l, "sheet.monthly"), "A5"); v != 46023 { // 2026-01-01
		t.Errorf("first month serial %v, want 46023", v)
	}
}

func TestCSVBOMAndRoundTrip(t *testing.T) {
	f := newFixture(t)
	files := exportAll(t, f.s, Options{Now: testNow})
	wantRows := map[List]int{ListConcerns: 8, ListMeetings: 3, ListVisits: 3, ListHouseholds: 3, ListModels: 2}
	for list, b := range files {
		if !bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
			t.Errorf("%s: no UTF-8 BOM", list)
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte(utf8BOM))))
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", list, err)
		}
		if len(recs)-1 != wantRows[list] {
			t.Errorf("%s: %d rows, want %d", list, len(recs)-1, wantRows[list])
		}
		// Writing the records back gives the same bytes.
		var again bytes.Buffer
		again.WriteString(utf8BOM)
		w := csv.NewWriter(&again)
		w.UseCRLF = true
		w.WriteAll(recs)
		if !bytes.Equal(again.Bytes(), b) {
			t.Errorf("%s: CSV does not round-trip", list)
		}
	}
	text := string(files[ListConcerns])
	mustContain(t, "concerns CSV", text, "Làng Đăk Ang", "Khiếu nại lần đầu", "2026-03-02", data.RedactedIdentity, "A Thuận")
	mustContain(t, "meetings CSV", string(files[ListMeetings]), "Góp ngày công làm đường bê tông", "tán thành 98 hộ")
	mustContain(t, "visits CSV", string(files[ListVisits]), "cùng nói tiếng dân tộc", keyPerson)
	// Filtered export: one village, one period.
	var buf bytes.Buffer
	n, err := ExportCSV(&buf, f.s, ListConcerns, data.Filter{Village: f.other.ID}, Options{})
	if err != nil || n != 1 {
		t.Errorf("filtered export: %d rows, %v", n, err)
	}
	if _, err := ParseList("tat-ca"); err == nil {
		t.Error("ParseList accepted an unknown list")
	}
	if l, err := ParseList("y-kien"); err != nil || l != ListConcerns {
		t.Errorf("ParseList(y-kien) = %v, %v", l, err)
	}
}

// The denouncer of a tố cáo is in the store, and in no PDF, XLSX or CSV.
func TestDenouncerNeverExported(t *testing.T) {
	f := newFixture(t)
	// The record itself holds no raiser: the data package moved the name
	// to the confidential field on save.
	var den data.Concern
	if err := f.s.Load(f.denunciation, &den); err != nil {
		t.Fatal(err)
	}
	if den.RaiserText != "" || den.RaiserID != "" || den.Denouncer != "" || den.RaiserKind != data.RaiserConfidential {
		t.Fatalf("tố cáo record exposes its raiser: %+v", den)
	}
	// The store does hold the identity, for the cadre holding the case.
	got, err := f.s.Denouncer(f.denunciation, "Y Sáng")
	if err != nil || got != denouncerName {
		t.Fatalf("planted denouncer not stored: %q, %v", got, err)
	}
	bads := []string{denouncerName, strings.ToUpper(denouncerName), string(utf16BE(denouncerName)), "Tố Mật"}
	check := func(what string, blob []byte) {
		t.Helper()
		mustLack(t, what, blob, bads...)
	}
	for _, sensitive := range []bool{false, true} {
		o := Options{IncludeSensitive: sensitive}
		pdf, _ := villagePDF(t, f.s, f.village.ID, h1, o)
		check("village PDF", pdf)
		check("village PDF text", []byte(strings.Join(pdfText(t, pdf), "\n")))
		check("village XLSX", xlsxText(t, villageXLSX(t, f, o)))
		for l, b := range exportAll(t, f.s, o) {
			check(string(l)+" CSV", b)
		}
	}
	c, err := NewCommuneReport(f.s, YearPeriod(2026), nil, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	check("commune PDF", buf.Bytes())
	check("commune PDF text", []byte(strings.Join(pdfText(t, buf.Bytes()), "\n")))
	check("commune XLSX", xlsxText(t, communeXLSX(t, f, true)))
	// The tố cáo itself is reported, with its raiser redacted in the CSV.
	csvText := string(exportAll(t, f.s, Options{})[ListConcerns])
	for _, line := range strings.Split(csvText, "\n") {
		if strings.Contains(line, "Tố cáo hành vi khai thác gỗ") && !strings.Contains(line, data.RedactedIdentity) {
			t.Errorf("tố cáo row without the redaction marker: %s", line)
		}
	}
}

func sensitiveAudits(t testing.TB, s *data.Store, id string) int {
	t.Helper()
	trail, err := s.AuditTrail(id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range trail {
		if e.Action == data.AuditSensitive {
			n++
		}
	}
	return n
}

// Households' ethnicity and religion stay out unless asked for, and
// asking is audited.
func TestSensitiveFields(t *testing.T) {
	f := newFixture(t)
	secrets := []string{secretEthnic, secretFaith}

	pdf, v := villagePDF(t, f.s, f.village.ID, h1, Options{})
	text := strings.Join(pdfText(t, pdf), "\n")
	mustLack(t, "default PDF", []byte(text), secrets...)
	mustLack(t, "default XLSX", xlsxText(t, villageXLSX(t, f, Options{})), secrets...)
	for l, b := range exportAll(t, f.s, Options{}) {
		mustLack(t, "default "+string(l)+" CSV", b, secrets...)
	}
	for _, h := range v.Households {
		if h.Ethnicity != "" || h.Religion != "" {
			t.Errorf("summary holds %s's sensitive fields", h.Head)
		}
	}
	if n := sensitiveAudits(t, f.s, f.village.ID); n != 0 {
		t.Errorf("%d sensitive audits before asking", n)
	}
	mustContain(t, "default PDF", text, "Xơ Đăng, Ba Na") // the village's ethnic groups are not personal data

	o := Options{IncludeSensitive: true}
	pdf, _ = villagePDF(t, f.s, f.village.ID, h1, o)
	text = strings.Join(pdfText(t, pdf), "\n")
	mustContain(t, "sensitive PDF", text, secretEthnic, secretFaith, tr(i18n.VI, "sec.households"), "A Thuận")
	if n := sensitiveAudits(t, f.s, f.village.ID); n != 1 {
		t.Errorf("%d sensitive audits after the PDF, want 1", n)
	}
	mustContain(t, "sensitive XLSX", string(xlsxText(t, villageXLSX(t, f, o))), secretEthnic, secretFaith)
	if n := sensitiveAudits(t, f.s, f.village.ID); n != 2 {
		t.Errorf("%d sensitive audits after the XLSX, want 2", n)
	}
	var buf bytes.Buffer
	if _, err := ExportCSV(&buf, f.s, ListHouseholds, data.Filter{}, o); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "sensitive CSV", buf.String(), secretEthnic, secretFaith)
	if n := sensitiveAudits(t, f.s, f.s.Commune()); n != 1 {
		t.Errorf("%d sensitive audits of the commune after the CSV, want 1", n)
	}
	trail, _ := f.s.AuditTrail(f.village.ID)
	if last := trail[len(trail)-1]; last.Who != "Y Sáng" || last.Kind != data.KindVillage {
		t.Errorf("audit entry %+v", last)
	}
}
