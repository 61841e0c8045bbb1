package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"testing"

	"danvan/data"
)

// last12 is the demo data's year: the 12 months before demoDay.
var last12 = Period{From: demoDay.AddDays(-364), To: demoDay, Kind: Range}

func benchOptions() Options {
	return Options{Now: demoDay.Time().Add(10 * 3600e9), Unit: "Đồn Biên phòng Đăk Long"}
}

// BenchmarkVillageSummaryPDF makes the village summary of the busiest
// village of the demo data (scale 1: 12 villages, 2,322 records) over
// the demo's 12 months: gathering plus PDF.
func BenchmarkVillageSummaryPDF(b *testing.B) {
	s := demoStore(b)
	v := busiestVillage(s)
	b.Logf("village %s: %d records", v.Title, s.Count(data.Filter{Village: v.ID}))
	b.ResetTimer()
	for b.Loop() {
		sum, err := NewVillageSummary(s, v.ID, last12, benchOptions())
		if err != nil {
			b.Fatal(err)
		}
		if err := sum.WritePDF(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVillageSummaryXLSX is the same summary as XLSX.
func BenchmarkVillageSummaryXLSX(b *testing.B) {
	s := demoStore(b)
	v := busiestVillage(s)
	b.ResetTimer()
	for b.Loop() {
		sum, err := NewVillageSummary(s, v.ID, last12, benchOptions())
		if err != nil {
			b.Fatal(err)
		}
		if err := sum.WriteXLSX(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// bigVillage fills a store with one village of n records: concerns (a
// third of them open), meetings with actions, visits, households, and a
// few key persons and models.
func bigVillage(b *testing.B, n int) (*data.Store, string) {
	s := openStore(b)
	v := &data.Village{Name: "Làng Kon Hia", VillageKind: data.VillageLang, Remote: true, Households: 900, Ethnicities: []string{"Xơ Đăng"}}
	mustSaveMany(b, s, v)
	ck := data.DefaultChecklist()
	objs := make([]data.Object, 0, n)
	text := "Bà con phản ánh đường vào khu sản xuất bị sạt lở sau mưa lớn, đề nghị xã sớm khắc phục để kịp mùa thu hoạch cà phê."
	for i := 0; len(objs) < n; i++ {
		d := data.Date("2025-07-06").AddDays(i % 365)
		switch i % 10 {
		case 0, 1, 2, 3, 4, 5:
			c := &data.Concern{ConcernKind: data.ConcernKinds[i%4], Channel: data.Channels[i%len(data.Channels)], Received: d, Accepted: d,
				Village: v.ID, Topic: data.Topics[i%len(data.Topics)], People: 1 + i%8, Summary: fmt.Sprintf("Ý kiến %d: %s", i, text)}
			if i%3 != 0 {
				c.Status = data.StatusResolved
				c.History = history(d, data.StatusResolved, d.AddDays(5))
			}
			objs = append(objs, c)
		case 6:
			objs = append(objs, &data.Meeting{MeetingKind: data.MeetingKinds[i%3], Date: d, Village: v.ID, Chair: "Trưởng thôn", HeadCount: 40,
				Topics:  []string{"Giao thông nông thôn"},
				Actions: []data.Action{{ID: data.NewID(), Text: "Sửa đoạn đường sạt lở", Owner: "Tổ tự quản", Due: d.AddDays(20), Done: i%4 == 0}}})
		case 7:
			fv := &data.FieldVisit{Cadres: []string{"Y Sáng"}, Unit: "Đồn BP Đăk Long", Village: v.ID, From: d, To: d.AddDays(i % 4), HouseholdCount: 5 + i%10,
				Activities: text, Observations: text}
			for _, it := range ck.Cung {
				fv.Cung = append(fv.Cung, data.CheckItem{Key: it.ID, Label: it.Label, Done: i%2 == 0})
			}
			objs = append(objs, fv)
		default:
			objs = append(objs, &data.Household{Head: fmt.Sprintf("Hộ A %d", i), Village: v.ID, Members: 4, Ethnicity: "Xơ Đăng"})
		}
	}
	mustSaveMany(b, s, objs...)
	return s, v.ID
}

// BenchmarkVillageSummaryPDF5000 is the target: a village summary
// PDF for a village with 5,000 records in ≤ 1 s.
func BenchmarkVillageSummaryPDF5000(b *testing.B) {
	s, v := bigVillage(b, 5000)
	b.ResetTimer()
	for b.Loop() {
		sum, err := NewVillageSummary(s, v, last12, benchOptions())
		if err != nil {
			b.Fatal(err)
		}
		if err := sum.WritePDF(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPass is the passphrase of the data package's 100k fixture store.
const benchPass = "mật khẩu đo hiệu năng"

// open100k opens the 100,000-record store: the one in
// $DANVAN_BENCH_STORE when it exists (the data package's fixture, shared
// with `make bench`, or any store without a passphrase), else a fresh
// demo store at scale 43. It returns the store and the 12 months
// that end on its latest concern.
func open100k(b *testing.B) (*data.Store, Period) {
	dir := os.Getenv("DANVAN_BENCH_STORE")
	var s *data.Store
	if dir != "" && data.StoreExists(dir) {
		var err error
		s, err = data.Open(dir, data.Options{Passphrase: benchPass, Actor: "Y Sáng"})
		if errors.Is(err, data.ErrWrongPassphrase) { // a store made without one
			s, err = data.Open(dir, data.Options{Actor: "Y Sáng"})
		}
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
	} else {
		s = openStore(b)
		if _, err := data.GenerateDemo(s, data.DemoOptions{Scale: 43, Seed: 7, Today: demoDay}); err != nil {
			b.Fatal(err)
		}
	}
	last := s.Find(data.Filter{Kind: data.KindConcern}, data.ByDateDesc)[0].Date
	return s, Period{From: last.AddDays(-364), To: last, Kind: Range}
}

// BenchmarkCommuneAnnualXLSX100k is the other target: the
// commune's annual report as XLSX from a 100,000-record store in ≤ 3 s,
// with a comparison to the year before.
func BenchmarkCommuneAnnualXLSX100k(b *testing.B) {
	if testing.Short() {
		b.Skip("needs a 100,000-record store")
	}
	s, year := open100k(b)
	b.Logf("store: %d records; year %s", s.Count(data.Filter{}), year)
	prev := year.Previous()
	b.ResetTimer()
	for b.Loop() {
		c, err := NewCommuneReport(s, year, &prev, benchOptions())
		if err != nil {
			b.Fatal(err)
		}
		if err := c.WriteXLSX(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommuneAnnualPDF100k is the same report as PDF, without the
// comparison.
func BenchmarkCommuneAnnualPDF100k(b *testing.B) {
	if testing.Short() {
		b.Skip("needs a 100,000-record store")
	}
	s, year := open100k(b)
	b.ResetTimer()
	for b.Loop() {
		c, err := NewCommuneReport(s, year, nil, benchOptions())
		if err != nil {
			b.Fatal(err)
		}
		if err := c.WritePDF(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChartPNG draws the preview chart of the Báo cáo screen.
func BenchmarkChartPNG(b *testing.B) {
	s := demoStore(b)
	st, err := s.Stats("", last12.From, last12.To, demoDay)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := ChartPNG(st, 900, 480, ""); err != nil {
			b.Fatal(err)
		}
	}
}
