package data

import (
	"errors"
	"testing"
	"time"
)

// TestCheckStamps: the bounds the server applies to pushes and the
// laptop to pulls, one row per case of issue 9.
func TestCheckStamps(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	ok := HLC{Wall: now.UnixMilli(), Device: "d1"}
	cases := []struct {
		name   string
		stamp  HLC
		bad    bool
		future bool
	}{
		{"now", ok, false, false},
		{"23 h ahead", HLC{Wall: now.Add(23 * time.Hour).UnixMilli(), Device: "d1"}, false, false},
		{"2100-01-01", HLC{Wall: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), Device: "d1"}, true, true},
		{"a year ahead", HLC{Wall: now.AddDate(1, 0, 0).UnixMilli(), Device: "d1"}, true, true},
		{"negative wall", HLC{Wall: -5, Device: "d1"}, true, false},
		{"before 2020", HLC{Wall: 1000, Device: "d1"}, true, false},
		{"counter 4294967295", HLC{Wall: ok.Wall, Counter: 4294967295, Device: "d1"}, true, false},
		{"counter at the bound", HLC{Wall: ok.Wall, Counter: MaxCounter, Device: "d1"}, false, false},
	}
	for _, c := range cases {
		for _, where := range []string{"created", "field", "list", "review", "base"} {
			r := Record{ID: "x", Kind: KindVillage, Commune: "23368", Created: ok}
			switch where {
			case "created":
				r.Created = c.stamp
			case "field":
				r.Fields = map[string]Field{"name": {V: []byte(`"a"`), S: c.stamp}}
			case "list":
				r.Lists = map[string]map[string]Entry{"l": {"e": {S: c.stamp, O: ok}}}
			case "review":
				r.Reviews = map[string][]Write{"status": {{V: []byte(`"new"`), S: c.stamp}}}
			case "base":
				r.Reviews = map[string][]Write{"status": {{V: []byte(`"new"`), S: ok, B: c.stamp}}}
			}
			err := CheckStamps(&r, now)
			var se *StampError
			if (err != nil) != c.bad || (c.bad && (!errors.As(err, &se) || se.Future != c.future)) {
				t.Errorf("%s in %s: CheckStamps = %v, want bad=%v future=%v", c.name, where, err, c.bad, c.future)
			}
		}
	}
}

// TestClockBounds: the local clock never runs more than MaxClockLead
// past the machine's clock, whatever it observes or was saved with, and
// its counter never wraps.
func TestClockBounds(t *testing.T) {
	wall := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	fixed := func() time.Time { return wall }
	limit := wall.Add(MaxClockLead).UnixMilli()
	y2100 := HLC{Wall: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), Device: "other"}
	cases := []struct {
		name string
		run  func(c *Clock) HLC
	}{
		{"observe 2100", func(c *Clock) HLC { c.Observe(y2100); return c.Now() }},
		{"observe 2100 then 1000 stamps", func(c *Clock) HLC {
			c.Observe(y2100)
			var h HLC
			for range 1000 {
				h = c.Now()
			}
			return h
		}},
		{"restart from a poisoned store", func(c *Clock) HLC {
			c2 := &Clock{device: "me", now: fixed}
			c2.last = c2.bound(y2100)
			return c2.Now()
		}},
		{"observe a huge counter", func(c *Clock) HLC {
			c.Observe(HLC{Wall: wall.UnixMilli(), Counter: 4294967295, Device: "other"})
			return c.Now()
		}},
	}
	for _, tc := range cases {
		c := &Clock{device: "me", now: fixed}
		h := tc.run(c)
		if h.Wall > limit+1 || h.Counter > MaxCounter {
			t.Errorf("%s: clock at %s counter %d, beyond the machine's clock + %s", tc.name, h.Time().UTC(), h.Counter, MaxClockLead)
		}
		if h.Wall < wall.UnixMilli() {
			t.Errorf("%s: clock went back to %s", tc.name, h.Time().UTC())
		}
	}
	// The counter moves the wall on instead of wrapping.
	c := &Clock{device: "me", now: fixed, last: HLC{Wall: wall.UnixMilli(), Counter: MaxCounter, Device: "me"}}
	if h := c.Now(); h.Counter != 0 || h.Wall != wall.UnixMilli()+1 {
		t.Errorf("at MaxCounter, Now = %+v; want the next millisecond, counter 0", h)
	}
}

// TestPoisonedStoreRepairsItselfAtOpen: a store whose clock took a 2100
// stamp (as before the bounds) saved a village with it and a later edit.
// On the next open every stamp is back within MaxClockLead of the
// machine's clock, the values are those the user saved, the record is
// queued again, and a new edit wins over the repaired ones.
func TestPoisonedStoreRepairsItselfAtOpen(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir, Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	y2100 := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	st.clock.mu.Lock()
	st.clock.last = HLC{Wall: y2100, Device: st.device}
	st.clock.mu.Unlock()
	v := &Village{Name: "Làng Kon Skôi", VillageKind: VillageLang, Households: 40}
	if err := st.Save(v); err != nil {
		t.Fatal(err)
	}
	v.Households = 41
	if err := st.Save(v); err != nil {
		t.Fatal(err)
	}
	recs, _ := st.Records([]string{v.ID})
	if recs[0].Updated().Wall < y2100 {
		t.Fatal("fixture: the village was not stamped in 2100")
	}
	st.Close()

	st, err = Open(dir, Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	limit := time.Now().Add(MaxClockLead + time.Second).UnixMilli()
	recs, _ = st.Records([]string{v.ID})
	if err := CheckStamps(&recs[0], time.Now()); err != nil || recs[0].Updated().Wall > limit {
		t.Fatalf("after reopening, the village still holds a future stamp: %v, %s", err, recs[0].Updated().Time().UTC())
	}
	if w := st.Clock().Last().Wall; w > limit {
		t.Fatalf("the clock is still at %s", time.UnixMilli(w).UTC())
	}
	var got Village
	if err := st.Load(v.ID, &got); err != nil || got.Name != v.Name || got.Households != 41 {
		t.Fatalf("the user's edits were lost: %+v, %v", got, err)
	}
	if st.Pending() == 0 {
		t.Fatal("the repaired village is not queued to be sent")
	}
	got.Households = 42
	if err := st.Save(&got); err != nil {
		t.Fatal(err)
	}
	var again Village
	if err := st.Load(v.ID, &again); err != nil || again.Households != 42 {
		t.Fatalf("a new edit after the repair did not win: %d", again.Households)
	}
}
