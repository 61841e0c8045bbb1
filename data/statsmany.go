package data

import (
	"fmt"
	"runtime"
	"sort"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
)

// StatsQuery names one set of figures for StatsMany: a village ("" for
// the whole commune) and a period, both ends included.
type StatsQuery struct {
	Village  string
	From, To Date
}

// StatsMany computes, for each query, the same figures as Stats, in one
// pass over the store: every record is read and decoded once (in
// parallel), however many villages and periods ask for it. The commune
// report uses it for every village and the whole commune, this period and
// an earlier one. today is as for Stats.
func (s *Store) StatsMany(queries []StatsQuery, today Date) ([]*Stats, error) {
	if today == "" {
		today = Today()
	}
	accs := make([]*statsAcc, len(queries))
	var whole []int
	byVillage := map[string][]int{}
	for i, q := range queries {
		accs[i] = newStatsAcc(q.Village, q.From, q.To, today)
		if q.Village == "" {
			whole = append(whole, i)
		} else {
			byVillage[q.Village] = append(byVillage[q.Village], i)
		}
	}
	matching := func(r *Row) []int {
		v := byVillage[r.Village]
		if len(whole) == 0 {
			return v
		}
		return append(append(make([]int, 0, len(whole)+len(v)), whole...), v...)
	}
	// Select the rows some query needs, as Stats does before loading.
	rows := s.Find(Filter{}, ByDateDesc)
	var need []Row
	for i := range rows {
		r := &rows[i]
		if r.Kind == KindConcern {
			for _, q := range matching(r) {
				accs[q].addConcern(r)
			}
			continue
		}
		for _, q := range matching(r) {
			if accs[q].wants(r) {
				need = append(need, *r)
				break
			}
		}
	}
	objs, err := s.loadParallel(need)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	for i := range need {
		for _, q := range matching(&need[i]) {
			accs[q].add(&need[i], objs[i])
		}
	}
	out := make([]*Stats, len(accs))
	for i, a := range accs {
		out[i] = a.finish()
	}
	return out, nil
}

// loadParallel reads and decodes the records of rows, in their order,
// with one read transaction per worker.
func (s *Store) loadParallel(rows []Row) ([]Object, error) {
	objs := make([]Object, len(rows))
	workers := max(1, min(runtime.GOMAXPROCS(0), 8, len(rows)/256+1))
	chunk := (len(rows) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(rows))
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func(w, lo, hi int) {
			defer wg.Done()
			errs[w] = s.db.View(func(txn *badger.Txn) error {
				for i := lo; i < hi; i++ {
					rec, err := readRecord(txn, rows[i].ID)
					if err != nil {
						return err
					}
					obj, err := DecodeRecord(rec)
					if err != nil {
						return err
					}
					objs[i] = obj
				}
				return nil
			})
		}(w, lo, hi)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return objs, nil
}

// statsAcc accumulates one query's figures. Its rules are those of
// Stats, record for record (TestStatsManyEqualsStats keeps them so).
type statsAcc struct {
	st            *Stats
	from, to      Date
	months        map[string]*MonthCounts
	receptionDays map[Date]bool // days of concerns received by tiếp công dân
	sessionDays   map[Date]bool // days of reception sessions recorded
	sessions      int
}

func newStatsAcc(village string, from, to, today Date) *statsAcc {
	asOf := to
	if asOf == "" || asOf > today {
		asOf = today
	}
	a := &statsAcc{from: from, to: to, months: map[string]*MonthCounts{}, receptionDays: map[Date]bool{}, sessionDays: map[Date]bool{}}
	a.st = &Stats{Village: village, From: from, To: to, AsOf: asOf,
		ByKind: map[ConcernKind]KindCounts{}, ByStatus: map[ConcernStatus]int{}, ByTopic: map[string]int{},
		MeetingsByKind: map[MeetingKind]int{}, Cung: map[string]int{}, Bam: map[string]int{},
		ModelsByField: map[string]int{}, ModelsByStatus: map[ModelStatus]int{}, ModelsReached: map[ModelStatus]int{}, ModelsFieldStatus: map[string]map[ModelStatus]int{}}
	for d := from; d != "" && to != "" && d <= to; d = d.AddDays(1) {
		a.month(d)
	}
	return a
}

func (a *statsAcc) month(d Date) *MonthCounts {
	k := string(d)[:7]
	m := a.months[k]
	if m == nil {
		m = &MonthCounts{Month: k}
		a.months[k] = m
	}
	return m
}

// wants reports whether Stats would load the record of r.
func (a *statsAcc) wants(r *Row) bool {
	from, to := a.from, a.to
	switch r.Kind {
	case KindMeeting:
		return inPeriod(r.Date, from, to)
	case KindVisit:
		return !(r.Date == "" || (to != "" && r.Date > to) || (from != "" && r.End < from))
	case KindModel:
		return !(to != "" && r.Date > to)
	}
	return false
}

// addConcern counts a concern from its index row, from its status
// history as of the period's end (AsOf): received in the period (by kind,
// status at AsOf, topic, đông người, reception, and where it stood at
// AsOf), resolved, closed and forwarded in the period (by the day each
// happened), open and overdue at AsOf.
func (a *statsAcc) addConcern(r *Row) {
	if r.Date == "" || (a.to != "" && r.Date > a.to) {
		return
	}
	st := a.st
	kind := ConcernKind(r.Sub)
	h := r.History
	if len(h) == 0 {
		h = []StatusAt{{Status: ConcernStatus(r.Status)}}
	}
	status := StatusOn(h, "", st.AsOf)
	k := st.ByKind[kind]
	if inPeriod(r.Date, a.from, a.to) {
		k.Received++
		st.ByStatus[status]++
		st.ByTopic[r.Topic]++
		switch status {
		case StatusResolved:
			k.Outcome.Resolved++
		case StatusClosed:
			k.Outcome.Closed++
		case StatusForwarded:
			k.Outcome.Forwarded++
		default:
			k.Outcome.Open++
		}
		if r.N >= MassThreshold {
			st.Mass++
		}
		if r.Channel == ChannelReception {
			a.receptionDays[r.Date] = true
			st.Received += max(r.N, 1)
		}
		a.month(r.Date).Received++
	}
	for i := range h {
		// A status from before the first dated change, or dated before
		// receipt, counts from the day of receipt.
		day := h[i].Day
		if day == "" || day < r.Date {
			day = r.Date
		}
		if !inPeriod(day, a.from, a.to) {
			continue
		}
		resolved, closed, forwarded := resolutionOn(h, i)
		if resolved {
			k.Resolved++
			if closed {
				k.Closed++
			}
			if r.Deadline == "" || day <= r.Deadline {
				k.OnTime++
			} else {
				k.Late++
			}
			a.month(day).Resolved++
		}
		if forwarded {
			k.Forwarded++
		}
	}
	if r.Date <= st.AsOf && status.Clocked() {
		k.Open++
		if OverdueOn(status, r.Deadline, st.AsOf) {
			k.Overdue++
		}
	}
	st.ByKind[kind] = k
}

// addVisit counts a visit from its first to its last day that reached
// households: the visit itself, its households and (so reports true) its
// checklist when it began in the period; each of its days in the period,
// and each night that began on one, whatever period the visit began in.
// It reports whether the visit began in the period.
func (a *statsAcc) addVisit(from, to Date, households int) bool {
	began := inPeriod(from, a.from, a.to)
	if began {
		a.st.Visits++
		a.st.VisitHouseholds += households
	}
	for d := from; d != "" && d <= to; d = d.AddDays(1) {
		if a.to != "" && d > a.to {
			break
		}
		if inPeriod(d, a.from, a.to) {
			a.st.VisitDays++
			a.month(d).VisitDays++
			if d < to {
				a.st.VisitNights++
			}
		}
	}
	return began
}

// IndexStats returns the figures the index alone gives, without reading a
// record: every concern figure, meetings by kind, and visits with their
// days, nights and households reached. Agreed actions, assembly
// households, the cùng/bám counts and models are left at zero: Stats has
// them. The dashboard uses it to stay quick on a large store.
func (s *Store) IndexStats(village string, from, to, today Date) *Stats {
	if today == "" {
		today = Today()
	}
	a := newStatsAcc(village, from, to, today)
	s.each(Filter{Village: village}, func(r *Row) {
		switch {
		case r.Kind == KindConcern:
			a.addConcern(r)
		case r.Kind == KindMeeting && a.wants(r) && MeetingKind(r.Sub) == MeetingReception:
			a.session(r.Date, r.N)
		case r.Kind == KindMeeting && a.wants(r):
			a.st.Meetings++
			a.st.MeetingsByKind[MeetingKind(r.Sub)]++
		case r.Kind == KindVisit && a.wants(r):
			a.addVisit(r.Date, r.End, r.N)
		}
	})
	return a.finish()
}

func (a *statsAcc) add(r *Row, obj Object) {
	if !a.wants(r) {
		return
	}
	st := a.st
	switch o := obj.(type) {
	case *Meeting:
		m := o
		if m.MeetingKind == MeetingReception {
			a.session(m.Date, len(m.Received))
		} else {
			st.Meetings++
			st.MeetingsByKind[m.MeetingKind]++
		}
		if m.MeetingKind == MeetingAssembly {
			st.AssemblyTotal += m.HouseholdsTotal
			st.AssemblyPresent += m.HouseholdsPresent
		}
		for _, x := range m.Actions {
			// As the action stood at AsOf: one done later was open then.
			switch {
			case x.DoneBy(st.AsOf):
				st.ActionsDone++
			case x.Due != "" && x.Due < st.AsOf:
				st.ActionsOverdue++
				st.ActionsOpen++
			default:
				st.ActionsOpen++
			}
		}
	case *FieldVisit:
		v := o
		if !a.addVisit(v.From, v.To, v.Reached()) {
			return
		}
		for _, it := range v.Cung {
			if it.Done {
				st.Cung[it.Key]++
			}
		}
		for _, it := range v.Bam {
			if it.Done {
				st.Bam[it.Key]++
			}
		}
	case *Model:
		// Each model at the step it stood at on AsOf, and the steps
		// reached in the period (modelsteps.go).
		m := o
		status, ok := m.StatusOn(st.AsOf)
		if !ok {
			return
		}
		st.Models++
		st.ModelsByField[m.Field]++
		st.ModelsByStatus[status]++
		if st.ModelsFieldStatus[m.Field] == nil {
			st.ModelsFieldStatus[m.Field] = map[ModelStatus]int{}
		}
		st.ModelsFieldStatus[m.Field][status]++
		for _, s := range m.History() {
			if inPeriod(s.Date, a.from, a.to) && s.Date <= st.AsOf {
				st.ModelsReached[s.Status]++
			}
		}
		st.LandM2 += m.LandM2
		st.WorkDays += m.WorkDays
		st.MoneyVND += m.MoneyVND
		st.PeopleReached += m.PeopleReached
		st.Trainings += m.Trainings
	}
}

// session counts a citizen-reception session held on day with answered
// people received without a concern (those with one count by their
// concern's people).
func (a *statsAcc) session(day Date, answered int) {
	a.sessions++
	a.sessionDays[day] = true
	a.st.Received += answered
}

func (a *statsAcc) finish() *Stats {
	st := a.st
	for _, k := range st.ByKind {
		st.Concerns.Received += k.Received
		st.Concerns.Resolved += k.Resolved
		st.Concerns.Closed += k.Closed
		st.Concerns.OnTime += k.OnTime
		st.Concerns.Late += k.Late
		st.Concerns.Outcome.Resolved += k.Outcome.Resolved
		st.Concerns.Outcome.Forwarded += k.Outcome.Forwarded
		st.Concerns.Outcome.Closed += k.Outcome.Closed
		st.Concerns.Outcome.Open += k.Outcome.Open
		st.Concerns.Forwarded += k.Forwarded
		st.Concerns.Open += k.Open
		st.Concerns.Overdue += k.Overdue
	}
	// Reception sessions: those recorded, and each other day a concern
	// was received by tiếp công dân (records kept before sessions were).
	st.Receptions = a.sessions
	for d := range a.receptionDays {
		if !a.sessionDays[d] {
			st.Receptions++
		}
	}
	for _, m := range a.months {
		st.Monthly = append(st.Monthly, *m)
	}
	sort.Slice(st.Monthly, func(i, j int) bool { return st.Monthly[i].Month < st.Monthly[j].Month })
	return st
}
