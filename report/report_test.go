package report

import (
	"bytes"
	"errors"
	"image/png"
	"strings"
	"sync"
	"testing"

	"danvan/data"
	"danvan/i18n"
)

func TestParsePeriod(t *testing.T) {
	cases := []struct {
		in       string
		from, to data.Date
		label    string
		prev     string
	}{
		{"2026-05", "2026-05-01", "2026-05-31", "tháng 5/2026", "2026-04"},
		{"2026-02", "2026-02-01", "2026-02-28", "tháng 2/2026", "2026-01"},
		{"2026-01", "2026-01-01", "2026-01-31", "tháng 1/2026", "2025-12"},
		{"2026-Q2", "2026-04-01", "2026-06-30", "quý II/2026", "2026-Q1"},
		{"2026-q1", "2026-01-01", "2026-03-31", "quý I/2026", "2025-Q4"},
		{"2026-H1", "2026-01-01", "2026-06-30", "6 tháng đầu năm 2026", "2025-H2"},
		{"2026-H2", "2026-07-01", "2026-12-31", "6 tháng cuối năm 2026", "2026-H1"},
		{"2026-9M", "2026-01-01", "2026-09-30", "9 tháng năm 2026", "2025-9M"},
		{"2026", "2026-01-01", "2026-12-31", "năm 2026", "2025"},
		{"2028-02", "2028-02-01", "2028-02-29", "tháng 2/2028", "2028-01"},
	}
	for _, c := range cases {
		p, err := ParsePeriod(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if p.From != c.from || p.To != c.to || p.Label(i18n.VI) != c.label || p.Previous().String() != c.prev {
			t.Errorf("%s: %s–%s %q prev %s", c.in, p.From, p.To, p.Label(i18n.VI), p.Previous())
		}
		if q, _ := ParsePeriod(p.String()); q != p {
			t.Errorf("%s: String %q does not parse back", c.in, p.String())
		}
	}
	for _, bad := range []string{"", "2026-13", "2026-Q5", "2026-H3", "26-05", "2026-05-01", "quý 2", "1999"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	r, err := RangePeriod("2026-01-10", "2026-01-19")
	if err != nil || r.Previous().From != "2025-12-31" || r.Previous().To != "2026-01-09" || r.LastYear().From != "2025-01-10" {
		t.Errorf("range %v prev %v, %v", r, r.Previous(), err)
	}
	if _, err := RangePeriod("2026-02-01", "2026-01-01"); err == nil {
		t.Error("a backwards range was accepted")
	}
	if _, err := RangePeriod("01/02/2026", "2026-03-01"); err == nil {
		t.Error("a malformed date was accepted")
	}
	today := data.Date("2026-05-14")
	want := map[Preset]string{ThisMonth: "2026-05", LastMonth: "2026-04", ThisQuarter: "2026-Q2", SixMonths: "2026-H1", ThisYear: "2026"}
	for _, p := range Presets {
		if got := p.Period(today).String(); got != want[p] {
			t.Errorf("preset %s: %s, want %s", p.Label(i18n.VI), got, want[p])
		}
	}
	if LastMonth.Period("2026-01-03").String() != "2025-12" || SixMonths.Period("2026-11-23").String() != "2026-H2" {
		t.Error("presets at year edges")
	}
}

func TestNumbers(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{num(i18n.VI, 0), "0"}, {num(i18n.VI, 999), "999"}, {num(i18n.VI, 1000), "1.000"}, {num(i18n.VI, 1234567), "1.234.567"},
		{num(i18n.VI, -1234), "-1.234"}, {num(i18n.VI, -123), "-123"}, {num(i18n.EN, 12345), "12,345"},
		{decimal(i18n.VI, 1250.5), "1.250,5"}, {decimal(i18n.VI, 3.96), "4"}, {decimal(i18n.EN, 1250.25), "1,250.3"},
		{signed(i18n.VI, 3), "+3"}, {signed(i18n.VI, -3), "-3"}, {percent(2, 3), "67%"}, {percent(1, 0), ""},
		{dateSpan("2026-03-30", "2026-04-02"), "30/03–02/04/2026"}, {dateSpan("2025-12-30", "2026-01-02"), "30/12/2025–02/01/2026"},
		{dateSpan("2026-06-10", "2026-06-10"), "10/06/2026"}, {placeName("Xã Đăk Long"), "Đăk Long"}, {placeName("Phường Kon Tum"), "Kon Tum"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	// Labels are NFC, and every Vietnamese label has an English one.
	for l, m := range labels {
		for id, s := range m {
			if nfc(s) != s {
				t.Errorf("%s label %q is not NFC", l, id)
			}
		}
	}
	for id := range labels[i18n.VI] {
		if _, ok := labels[i18n.EN][id]; !ok {
			t.Errorf("label %q has no English text", id)
		}
	}
}

func TestFindVillage(t *testing.T) {
	f := newFixture(t)
	for ref, want := range map[string]string{f.village.ID: f.village.ID, "Làng Đăk Ang": f.village.ID, "lang dak ang": f.village.ID,
		"  Thôn Kon Pao ": f.other.ID} {
		if got, err := FindVillage(f.s, ref); err != nil || got != want {
			t.Errorf("FindVillage(%q) = %q, %v", ref, got, err)
		}
	}
	if _, err := FindVillage(f.s, "Làng Không Có"); !errors.Is(err, ErrUnknownVillage) {
		t.Errorf("unknown village: %v", err)
	}
	mustSaveMany(t, f.s, &data.Village{Name: "Thôn Kon Páo", VillageKind: data.VillageThon})
	if got, err := FindVillage(f.s, "Thôn Kon Pao"); err != nil || got != f.other.ID {
		t.Errorf("exact name should win: %q, %v", got, err)
	}
	if _, err := FindVillage(f.s, "thon kon pao"); !errors.Is(err, ErrAmbiguousVillage) {
		t.Errorf("two folded matches: %v", err)
	}
}

func TestChartPNG(t *testing.T) {
	f := newFixture(t)
	st, err := f.s.Stats(f.village.ID, h1.From, h1.To, data.DateOf(testNow))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ChartPNG(st, 800, 420, i18n.VI)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 800 || img.Bounds().Dy() != 420 {
		t.Fatalf("size %v", img.Bounds())
	}
	// The bars are there: blue (received) and orange (visit days) pixels.
	var blue, orange int
	for y := 0; y < 420; y++ {
		for x := 0; x < 800; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			switch {
			case r>>8 == 0x2b && g>>8 == 0x6c && b>>8 == 0xb0:
				blue++
			case r>>8 == 0xdd && g>>8 == 0x7a && b>>8 == 0x1f:
				orange++
			}
		}
	}
	if blue < 500 || orange < 500 {
		t.Errorf("bars missing: %d blue, %d orange pixels", blue, orange)
	}
	if dir := testPNGDir(); dir != "" {
		writeFile(t, dir+"/chart.png", b)
	}
	// An empty period and a tiny size still draw.
	empty, _ := f.s.Stats(f.village.ID, "2030-01-01", "2030-01-31", "2030-02-01")
	if _, err := ChartImage(empty, 10, 10, ""); err != nil {
		t.Fatal(err)
	}
	long, _ := f.s.Stats("", "2023-01-01", "2026-12-31", data.DateOf(testNow))
	if _, err := ChartImage(long, 640, 360, i18n.EN); err != nil {
		t.Fatal(err)
	}
}

func TestProgress(t *testing.T) {
	f := newFixture(t)
	var mu sync.Mutex
	var got []float64
	var stages []string
	o := Options{Now: testNow, Progress: func(p float64, stage string) {
		mu.Lock()
		got = append(got, p)
		stages = append(stages, stage)
		mu.Unlock()
	}}
	v, err := NewVillageSummary(f.s, f.village.ID, h1, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.WritePDF(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if len(got) < 5 || got[0] != 0 || got[len(got)-1] != 1 {
		t.Fatalf("progress %v", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i] < got[i-1] {
			t.Errorf("progress went back: %v", got)
		}
	}
	if stages[0] != "Đang tổng hợp số liệu" || stages[len(stages)-1] != "Xong" {
		t.Errorf("stages %q", stages)
	}
	// Commune report and CSV report progress as well.
	got = nil
	c, err := NewCommuneReport(f.s, h1, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WriteXLSX(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if len(got) < 4 || got[len(got)-1] != 1 {
		t.Errorf("commune progress %v", got)
	}
	got = nil
	if _, err := ExportCSV(&bytes.Buffer{}, f.s, ListConcerns, data.Filter{}, o); err != nil || len(got) < 2 || got[len(got)-1] != 1 {
		t.Errorf("CSV progress %v, %v", got, err)
	}
}

// Reports can be made while the app keeps writing.
func TestConcurrentWithWrites(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			c := &data.Concern{ConcernKind: data.ConcernPetition, Received: "2026-05-05", Village: f.village.ID, Summary: "Ý kiến thêm"}
			if err := f.s.Save(c); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 3; i++ {
			v, err := NewVillageSummary(f.s, f.village.ID, h1, Options{Now: testNow})
			if err != nil {
				t.Error(err)
				return
			}
			if err := v.WritePDF(&bytes.Buffer{}); err != nil {
				t.Error(err)
			}
		}
	}()
	wg.Wait()
}

func TestBadArguments(t *testing.T) {
	f := newFixture(t)
	if _, err := NewVillageSummary(f.s, "khong-co", h1, Options{}); err == nil {
		t.Error("unknown village id accepted")
	}
	if _, err := NewVillageSummary(f.s, f.village.ID, Period{From: "2026-02-01", To: "2026-01-01"}, Options{}); err == nil {
		t.Error("backwards period accepted")
	}
	if _, err := NewCommuneReport(f.s, Period{}, nil, Options{}); err == nil {
		t.Error("empty period accepted")
	}
	if _, err := ExportCSV(&bytes.Buffer{}, f.s, List("ho-so"), data.Filter{}, Options{}); err == nil || !strings.Contains(err.Error(), "không có") {
		t.Errorf("unknown list: %v", err)
	}
}
