package data

import (
	"reflect"
	"testing"
)

// StatsMany must give exactly what Stats gives, query by query.
func TestStatsManyEqualsStats(t *testing.T) {
	s := openTest(t, "")
	if _, err := GenerateDemo(s, DemoOptions{Scale: 1, Seed: 3, Today: "2026-07-05"}); err != nil {
		t.Fatal(err)
	}
	var qs []StatsQuery
	periods := [][2]Date{{"2026-01-01", "2026-06-30"}, {"2025-07-06", "2026-07-05"}, {"2026-04-01", "2026-04-30"}, {"2024-01-01", "2024-12-31"}}
	for _, p := range periods {
		qs = append(qs, StatsQuery{From: p[0], To: p[1]})
		for _, v := range s.Find(Filter{Kind: KindVillage}, ByTitle) {
			qs = append(qs, StatsQuery{Village: v.ID, From: p[0], To: p[1]})
		}
	}
	got, err := s.StatsMany(qs, "2026-06-15")
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range qs {
		want, err := s.Stats(q.Village, q.From, q.To, "2026-06-15")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[i], want) {
			t.Fatalf("query %+v:\n StatsMany %+v\n Stats     %+v", q, got[i], want)
		}
	}
	if none, err := s.StatsMany(nil, ""); err != nil || len(none) != 0 {
		t.Errorf("no queries: %v, %v", none, err)
	}
}
