package data

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// noon returns noon of d in Vietnam, the instant a test's status change
// is dated.
func noon(d Date) time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC).Add(-7 * time.Hour)
}

// statusPath builds a concern's history from received through the given
// (status, day) steps, and sets its status to the last.
func statusPath(c *Concern, steps ...any) {
	c.History = []StatusChange{{ID: NewID(), To: StatusNew, By: "Y Sáng", At: noon(c.Received)}}
	from := StatusNew
	for i := 0; i+1 < len(steps); i += 2 {
		to, day := steps[i].(ConcernStatus), steps[i+1].(Date)
		c.History = append(c.History, StatusChange{ID: NewID(), From: from, To: to, By: "Y Sáng", At: noon(day), Note: "cập nhật"})
		from = to
	}
	c.Status = from
}

// period is a test's reporting period, both ends included.
type period struct{ from, to Date }

func month(y, m int) period {
	first := Date(fmt.Sprintf("%04d-%02d-01", y, m))
	return period{first, DateOf(first.Time().AddDate(0, 1, -1))}
}

func span(a, b period) period { return period{a.from, b.to} }

// additive returns the figures of st that must add up over sub-periods.
func additive(st *Stats) map[string]int {
	out := map[string]int{
		"mass": st.Mass, "receptions": st.Receptions, "received_ppl": st.Received,
		"meetings": st.Meetings, "assembly_total": st.AssemblyTotal, "assembly_present": st.AssemblyPresent,
		"visits": st.Visits, "visit_days": st.VisitDays, "visit_nights": st.VisitNights, "visit_hh": st.VisitHouseholds,
	}
	for k, c := range st.ByKind {
		out["received/"+string(k)] += c.Received
		out["resolved/"+string(k)] += c.Resolved
		out["closed/"+string(k)] += c.Closed
		out["ontime/"+string(k)] += c.OnTime
		out["late/"+string(k)] += c.Late
		out["forwarded/"+string(k)] += c.Forwarded
	}
	for k, n := range st.MeetingsByKind {
		out["meeting/"+string(k)] += n
	}
	for k, n := range st.ByTopic {
		out["topic/"+k] += n
	}
	for k, n := range st.Cung {
		out["cung/"+k] += n
	}
	for k, n := range st.Bam {
		out["bam/"+k] += n
	}
	for _, m := range st.Monthly {
		out["month/"+m.Month+"/received"] += m.Received
		out["month/"+m.Month+"/resolved"] += m.Resolved
		out["month/"+m.Month+"/visit_days"] += m.VisitDays
	}
	for k, v := range out {
		if v == 0 {
			delete(out, k)
		}
	}
	return out
}

func sumFigures(sts ...*Stats) map[string]int {
	out := map[string]int{}
	for _, st := range sts {
		for k, v := range additive(st) {
			out[k] += v
		}
	}
	return out
}

// randomStore fills s with villages, concerns with random status
// histories, meetings and visits (many across a month's end) over the
// 400 days before today, and returns the villages' ids.
func randomStore(t *testing.T, s *Store, r *rand.Rand, today Date) []string {
	t.Helper()
	var villages []string
	for i := 0; i < 4; i++ {
		v := newVillage(t, s, fmt.Sprintf("Làng thử %d", i), i%2 == 0)
		villages = append(villages, v.ID)
	}
	day := func() Date { return today.AddDays(-1 - r.IntN(400)) }
	statuses := []ConcernStatus{StatusHandling, StatusForwarded, StatusResolved, StatusClosed}
	for i := 0; i < 220; i++ {
		c := &Concern{ConcernKind: ConcernKinds[r.IntN(len(ConcernKinds))], Channel: Channels[r.IntN(len(Channels))],
			Received: day(), Village: villages[r.IntN(len(villages))], Summary: fmt.Sprintf("Ý kiến %d", i),
			Topic: Topics[r.IntN(len(Topics))], People: 1 + r.IntN(8)}
		var steps []any
		d := c.Received
		for n := r.IntN(5); n > 0; n-- {
			d = d.AddDays(r.IntN(40))
			if d >= today {
				break
			}
			to := statuses[r.IntN(len(statuses))]
			if to != StatusNew && c.Accepted == "" {
				c.Accepted = d
			}
			steps = append(steps, to, d)
		}
		statusPath(c, steps...)
		mustSave(t, s, c)
	}
	for i := 0; i < 60; i++ {
		m := &Meeting{MeetingKind: MeetingKinds[r.IntN(len(MeetingKinds))], Date: day(), Village: villages[r.IntN(len(villages))], Chair: "A Blúi"}
		switch m.MeetingKind {
		case MeetingAssembly:
			m.HouseholdsTotal, m.HouseholdsPresent = 100, 50+r.IntN(50)
		case MeetingReception:
			for j := r.IntN(3); j > 0; j-- {
				m.Received = append(m.Received, ReceivedCitizen{ID: NewID(), Name: "Y Blim", Content: "Hỏi thủ tục"})
			}
			if r.IntN(2) == 0 {
				m.Village = "" // at the commune's office
			}
		}
		mustSave(t, s, m)
	}
	ck := DefaultChecklist()
	for i := 0; i < 80; i++ {
		from := day()
		if i%3 == 0 { // start just before a month's end
			t := from.Time()
			from = DateOf(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)).AddDays(-1 - r.IntN(3))
		}
		v := &FieldVisit{Cadres: []string{"Y Sáng"}, Unit: "Đồn BP", Village: villages[r.IntN(len(villages))],
			From: from, To: from.AddDays(r.IntN(9)), HouseholdCount: r.IntN(12)}
		for _, it := range ck.Cung {
			v.Cung = append(v.Cung, CheckItem{Key: it.ID, Label: it.Label, Done: r.IntN(2) == 0})
		}
		mustSave(t, s, v)
	}
	return villages
}

// TestStatsPropertiesOnRandomStores: on random stores, for every village
// and the whole commune, (1) the additive figures of the months add up to
// the quarter's, the quarters' to the half's and the halves' to the
// year's; (2) for every period and kind, received = resolved + forwarded
// + closed + still open at the period's end; (3) resolving, closing and
// forwarding old cases today leaves every past period's figures as they
// were.
func TestStatsPropertiesOnRandomStores(t *testing.T) {
	today := Today()
	y := today.Time().Year() - 1 // a year wholly past
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			s := openTest(t, "")
			r := rand.New(rand.NewPCG(seed, 99))
			villages := randomStore(t, s, r, today)
			var months, quarters, halves []period
			for m := 1; m <= 12; m++ {
				months = append(months, month(y, m))
			}
			for q := 0; q < 4; q++ {
				quarters = append(quarters, span(months[3*q], months[3*q+2]))
			}
			halves = []period{span(months[0], months[5]), span(months[6], months[11])}
			year := span(months[0], months[11])
			all := append(append(append(append([]period{}, months...), quarters...), halves...), year)
			var qs []StatsQuery
			for _, v := range append([]string{""}, villages...) {
				for _, p := range all {
					qs = append(qs, StatsQuery{Village: v, From: p.from, To: p.to})
				}
			}
			before, err := s.StatsMany(qs, today)
			if err != nil {
				t.Fatal(err)
			}
			n := len(all)
			for vi := range len(villages) + 1 {
				st := before[vi*n : (vi+1)*n]
				m, q, h, yr := st[0:12], st[12:16], st[16:18], st[18]
				for i := 0; i < 4; i++ {
					if got, want := sumFigures(m[3*i:3*i+3]...), additive(q[i]); !reflect.DeepEqual(got, want) {
						t.Errorf("village %d: months of Q%d add up to %v, the quarter has %v", vi, i+1, got, want)
					}
				}
				for i := 0; i < 2; i++ {
					if got, want := sumFigures(q[2*i:2*i+2]...), additive(h[i]); !reflect.DeepEqual(got, want) {
						t.Errorf("village %d: quarters of H%d add up to %v, the half has %v", vi, i+1, got, want)
					}
				}
				if got, want := sumFigures(h...), additive(yr); !reflect.DeepEqual(got, want) {
					t.Errorf("village %d: halves add up to %v, the year has %v", vi, got, want)
				}
				if yr.Concerns.Received == 0 || yr.Concerns.Resolved == 0 || yr.VisitNights == 0 {
					t.Fatalf("village %d: the random year has nothing to check: %+v", vi, yr.Concerns)
				}
				for i, x := range st {
					for k, c := range x.ByKind {
						if c.Received != c.Outcome.Total() {
							t.Errorf("village %d period %v kind %s: received %d ≠ outcomes %+v", vi, all[i], k, c.Received, c.Outcome)
						}
					}
					// The monthly chart agrees with the table.
					var days, rec, res int
					for _, mc := range x.Monthly {
						days, rec, res = days+mc.VisitDays, rec+mc.Received, res+mc.Resolved
					}
					if days != x.VisitDays || rec != x.Concerns.Received || res != x.Concerns.Resolved {
						t.Errorf("village %d period %v: the months give %d visit days, %d received, %d resolved; the period %d, %d, %d",
							vi, all[i], days, rec, res, x.VisitDays, x.Concerns.Received, x.Concerns.Resolved)
					}
				}
			}
			// Edit today: every case still open is resolved, closed or
			// forwarded now; the past must print the same.
			edited := 0
			for _, row := range s.Find(Filter{Kind: KindConcern}, ByDateDesc) {
				if !ConcernStatus(row.Status).Clocked() {
					continue
				}
				to := []ConcernStatus{StatusResolved, StatusClosed, StatusForwarded}[edited%3]
				if err := s.ChangeStatus(row.ID, to, "giải quyết hôm nay"); err != nil {
					t.Fatal(err)
				}
				edited++
			}
			if edited == 0 {
				t.Fatal("no open case to resolve today")
			}
			after, err := s.StatsMany(qs, today)
			if err != nil {
				t.Fatal(err)
			}
			for i := range before {
				if !reflect.DeepEqual(before[i], after[i]) {
					t.Errorf("query %+v changed after resolving %d cases today:\n before %+v\n after  %+v", qs[i], edited, before[i].Concerns, after[i].Concerns)
				}
			}
			// And the index agrees with the records after a reopen.
			s2 := reopen(t, s)
			again, err := s2.StatsMany(qs, today)
			if err != nil {
				t.Fatal(err)
			}
			for i := range after {
				if !reflect.DeepEqual(after[i], again[i]) {
					t.Errorf("query %+v differs after reopening the store", qs[i])
				}
			}
		})
	}
}

// reopen closes s and opens its folder again, so the index is read back
// from disk.
func reopen(t *testing.T, s *Store) *Store {
	t.Helper()
	dir := s.Dir()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(dir, Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	return s2
}

// TestStatsIssueRows: one case per row of issue 10's table that concerns
// figures.
func TestStatsIssueRows(t *testing.T) {
	q1, q2 := span(month(2026, 1), month(2026, 3)), span(month(2026, 4), month(2026, 6))
	h1 := span(q1, q2)
	mar := month(2026, 3)
	const today = Date("2026-12-03")
	type want struct {
		p                                         period
		received, resolved, closed, fwd, open, od int
		ontime, late                              int
		outcome                                   Outcome
	}
	cases := []struct {
		name  string
		build func(v string) Object
		want  []want
	}{
		{"a past period is judged by its end, not today's status",
			func(v string) Object {
				c := &Concern{ConcernKind: ConcernPetition, Received: "2026-02-10", Accepted: "2026-02-10", Village: v, Summary: "Kiến nghị sửa đường"}
				statusPath(c, StatusHandling, Date("2026-02-11"), StatusResolved, Date("2026-04-20"))
				return c
			},
			[]want{
				// Deadline 25/02: open and overdue on 31/03, resolved late in Q2.
				{p: q1, received: 1, open: 1, od: 1, outcome: Outcome{Open: 1}},
				{p: q2, resolved: 1, late: 1},
				{p: h1, received: 1, resolved: 1, late: 1, outcome: Outcome{Resolved: 1}},
			}},
		{"closing straight to đóng counts as resolved and as closed",
			func(v string) Object {
				c := &Concern{ConcernKind: ConcernReport, Received: "2026-01-05", Village: v, Summary: "Phản ánh trùng"}
				statusPath(c, StatusClosed, Date("2026-01-06"))
				return c
			},
			[]want{{p: q1, received: 1, resolved: 1, closed: 1, ontime: 1, outcome: Outcome{Closed: 1}},
				{p: q2}}},
		{"resolved then closed counts one resolution",
			func(v string) Object {
				c := &Concern{ConcernKind: ConcernComplaint1, Received: "2026-03-01", Accepted: "2026-03-05", Village: v, Summary: "Khiếu nại"}
				statusPath(c, StatusHandling, Date("2026-03-05"), StatusResolved, Date("2026-03-20"), StatusClosed, Date("2026-04-02"))
				return c
			},
			[]want{{p: q1, received: 1, resolved: 1, ontime: 1, outcome: Outcome{Resolved: 1}},
				{p: q2},
				{p: h1, received: 1, resolved: 1, ontime: 1, outcome: Outcome{Closed: 1}}}},
		{"a forwarded case leaves open and overdue",
			func(v string) Object {
				c := &Concern{ConcernKind: ConcernComplaint2, Received: "2026-01-10", Accepted: "2026-01-10", Village: v, Summary: "Khiếu nại lần hai"}
				statusPath(c, StatusForwarded, Date("2026-01-12"))
				return c
			},
			[]want{{p: q1, received: 1, fwd: 1, outcome: Outcome{Forwarded: 1}}, {p: q2}}},
		{"a case received in Q1 still open in Q2 is open at both ends",
			func(v string) Object {
				return &Concern{ConcernKind: ConcernPetition, Received: "2026-03-30", Village: v, Summary: "Chưa thụ lý"}
			},
			// never accepted: its intake deadline (10 working days, TT
			// 05/2021/TT-TTCP) falls in April, so it is overdue at Q2's end
			[]want{{p: mar, received: 1, open: 1, outcome: Outcome{Open: 1}}, {p: q2, open: 1, od: 1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t, "")
			v := newVillage(t, s, "Làng Đăk Ang", false)
			mustSave(t, s, tc.build(v.ID))
			for _, w := range tc.want {
				st, err := s.Stats("", w.p.from, w.p.to, today)
				if err != nil {
					t.Fatal(err)
				}
				c := st.Concerns
				got := want{p: w.p, received: c.Received, resolved: c.Resolved, closed: c.Closed, fwd: c.Forwarded, open: c.Open, od: c.Overdue,
					ontime: c.OnTime, late: c.Late, outcome: c.Outcome}
				if got != w {
					t.Errorf("%v:\n got  %+v\n want %+v", w.p, got, w)
				}
			}
		})
	}
}

// TestStatsVisitAcrossPeriods: a visit from 28/03 to 03/04 counts its
// March days and nights in Q1 and its April ones in Q2; it is one visit,
// of Q1, where it began; the monthly chart agrees with the table.
func TestStatsVisitAcrossPeriods(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Đăk Ang", false)
	mustSave(t, s, &FieldVisit{Cadres: []string{"Y Sáng"}, Unit: "Đồn BP", Village: v.ID, From: "2026-03-28", To: "2026-04-03", HouseholdCount: 6,
		Cung: []CheckItem{{Key: "cung_an", Done: true}}})
	q1, q2 := span(month(2026, 1), month(2026, 3)), span(month(2026, 4), month(2026, 6))
	for _, tc := range []struct {
		p                        period
		visits, days, nights, hh int
		cung                     int
	}{
		{q1, 1, 4, 4, 6, 1}, // 28, 29, 30, 31 and their nights
		{q2, 0, 3, 2, 0, 0}, // 1, 2, 3; the nights of 1 and 2
		{span(q1, q2), 1, 7, 6, 6, 1},
		{month(2026, 2), 0, 0, 0, 0, 0},
	} {
		for _, village := range []string{"", v.ID} {
			st, err := s.Stats(village, tc.p.from, tc.p.to, "2026-12-03")
			if err != nil {
				t.Fatal(err)
			}
			quick := s.IndexStats(village, tc.p.from, tc.p.to, "2026-12-03")
			var chart int
			for _, m := range st.Monthly {
				chart += m.VisitDays
			}
			if st.Visits != tc.visits || st.VisitDays != tc.days || st.VisitNights != tc.nights || st.VisitHouseholds != tc.hh || st.Cung["cung_an"] != tc.cung || chart != tc.days {
				t.Errorf("%v: visits %d days %d (chart %d) nights %d hh %d cùng ăn %d, want %+v", tc.p, st.Visits, st.VisitDays, chart, st.VisitNights, st.VisitHouseholds, st.Cung["cung_an"], tc)
			}
			if quick.Visits != st.Visits || quick.VisitDays != st.VisitDays || quick.VisitNights != st.VisitNights {
				t.Errorf("%v: the index says %d/%d/%d", tc.p, quick.Visits, quick.VisitDays, quick.VisitNights)
			}
		}
	}
}

// TestStatusOn: a concern's status on a day, from its history by day; a
// change and its undoing on the same day is no change.
func TestStatusOn(t *testing.T) {
	c := &Concern{Received: "2026-01-05", Status: StatusResolved}
	statusPath(c, StatusHandling, Date("2026-01-10"), StatusResolved, Date("2026-02-01"), StatusHandling, Date("2026-02-01"), StatusResolved, Date("2026-03-01"))
	for _, tc := range []struct {
		day  Date
		want ConcernStatus
	}{{"2026-01-04", StatusNew}, {"2026-01-05", StatusNew}, {"2026-01-10", StatusHandling}, {"2026-02-01", StatusHandling}, {"2026-02-28", StatusHandling}, {"2026-03-01", StatusResolved}, {"2027-01-01", StatusResolved}} {
		if got := c.StatusOn(tc.day); got != tc.want {
			t.Errorf("status on %s = %s, want %s", tc.day, got, tc.want)
		}
	}
	if h := historyOf(c, time.Time{}); len(h) != 3 {
		t.Errorf("history by day %+v, want 3 steps", h)
	}
}

// TestStatsActionsAsOf: an agreed action ticked done today stays open
// and overdue in the past period that held its meeting, and is done in a
// period that runs to today; the store dates the tick.
func TestStatsActionsAsOf(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Đăk Ang", false)
	today := Today()
	held := today.AddDays(-100)
	m := &Meeting{MeetingKind: MeetingAssembly, Date: held, Village: v.ID, Chair: "Y Hoa",
		Actions: []Action{{ID: NewID(), Text: "Sửa máng nước", Owner: "Thôn", Due: held.AddDays(10)}, {ID: NewID(), Text: "Họp lại", Owner: "Thôn", Done: true}}}
	mustSave(t, s, m)
	past := period{held.AddDays(-10), held.AddDays(30)}
	upToNow := period{held.AddDays(-10), today}
	figures := func(p period) [3]int {
		st, err := s.Stats("", p.from, p.to, today)
		if err != nil {
			t.Fatal(err)
		}
		return [3]int{st.ActionsOpen, st.ActionsOverdue, st.ActionsDone}
	}
	before := figures(past)
	if before != [3]int{1, 1, 1} {
		t.Fatalf("past period's actions open/overdue/done %v, want [1 1 1]", before)
	}
	var again Meeting
	if err := s.Load(m.ID, &again); err != nil {
		t.Fatal(err)
	}
	again.Actions[0].Done = true
	mustSave(t, s, &again)
	if again.Actions[0].DoneOn != today || again.Actions[1].DoneOn != "" {
		t.Errorf("done on %q and %q, want today and unknown", again.Actions[0].DoneOn, again.Actions[1].DoneOn)
	}
	if got := figures(past); got != before {
		t.Errorf("ticking the action today changed the past period: %v, was %v", got, before)
	}
	if got := figures(upToNow); got != [3]int{0, 0, 2} {
		t.Errorf("up to today the actions are open/overdue/done %v, want [0 0 2]", got)
	}
	// Saved again by a form that does not carry the day, it stays;
	// unticked, it goes.
	again.Actions[0].DoneOn = ""
	mustSave(t, s, &again)
	if again.Actions[0].DoneOn != today {
		t.Errorf("a second save lost the day: %q", again.Actions[0].DoneOn)
	}
	again.Actions[0].Done = false
	mustSave(t, s, &again)
	if again.Actions[0].DoneOn != "" {
		t.Errorf("an unticked action keeps done on %q", again.Actions[0].DoneOn)
	}
}
