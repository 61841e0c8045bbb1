package data

import (
	"fmt"
	"sort"
)

// KindCounts are a concern kind's figures for a period.
type KindCounts struct {
	// Received counts concerns received in the period.
	Received int
	// Resolved counts concerns moved to "đã giải quyết" or "đóng" in the period.
	Resolved int
	// Forwarded counts concerns moved to "đã chuyển" in the period.
	Forwarded int
	// Open counts concerns received by the end of the period and not resolved.
	Open int
	// Overdue counts open concerns whose deadline passed by the end of the period.
	Overdue int
}

// MonthCounts are one month's figures, for charts.
type MonthCounts struct {
	Month     string // "2026-03"
	Received  int
	Resolved  int
	VisitDays int
}

// Stats are the figures a village summary or a periodic report prints,
// for a village (or the whole commune) over a period.
type Stats struct {
	Village  string
	From, To Date
	// AsOf is the day open and overdue are judged on: To, or today if earlier.
	AsOf Date

	Concerns   KindCounts
	ByKind     map[ConcernKind]KindCounts
	ByStatus   map[ConcernStatus]int // concerns received in the period, by current status
	ByTopic    map[string]int
	Mass       int // "đông người" concerns received in the period
	Receptions int // citizen-reception sessions (days with a concern by tiếp công dân)
	Received   int // people received at those sessions

	Meetings          int
	MeetingsByKind    map[MeetingKind]int
	ActionsOpen       int
	ActionsDone       int
	ActionsOverdue    int
	AssemblyTotal     int // households total, over the period's village assemblies
	AssemblyPresent   int // households present, likewise
	Visits            int
	VisitDays         int
	VisitNights       int
	VisitHouseholds   int
	Cung              map[string]int // check-item key → visits that practised it
	Bam               map[string]int
	Models            int
	ModelsByField     map[string]int
	ModelsByStatus    map[ModelStatus]int
	ModelsFieldStatus map[string]map[ModelStatus]int
	LandM2            float64
	WorkDays          int
	MoneyVND          int64
	PeopleReached     int
	Trainings         int

	Monthly []MonthCounts
}

func inPeriod(d, from, to Date) bool {
	return d != "" && (from == "" || d >= from) && (to == "" || d <= to)
}

// Stats computes the figures for village ("" for the whole commune) from
// from to to inclusive. today is the day "open" and "overdue" are judged
// against when the period runs past it ("" means today).
func (s *Store) Stats(village string, from, to, today Date) (*Stats, error) {
	if today == "" {
		today = Today()
	}
	asOf := to
	if asOf == "" || asOf > today {
		asOf = today
	}
	st := &Stats{Village: village, From: from, To: to, AsOf: asOf,
		ByKind: map[ConcernKind]KindCounts{}, ByStatus: map[ConcernStatus]int{}, ByTopic: map[string]int{},
		MeetingsByKind: map[MeetingKind]int{}, Cung: map[string]int{}, Bam: map[string]int{},
		ModelsByField: map[string]int{}, ModelsByStatus: map[ModelStatus]int{}, ModelsFieldStatus: map[string]map[ModelStatus]int{}}
	months := map[string]*MonthCounts{}
	month := func(d Date) *MonthCounts {
		k := string(d)[:7]
		m := months[k]
		if m == nil {
			m = &MonthCounts{Month: k}
			months[k] = m
		}
		return m
	}
	for d := from; d != "" && to != "" && d <= to; d = d.AddDays(1) {
		month(d)
	}
	receptionDays := map[Date]bool{}
	rows := s.Find(Filter{Village: village}, ByDateDesc)
	for _, r := range rows {
		switch r.Kind {
		case KindConcern:
			if r.Date == "" || (to != "" && r.Date > to) {
				continue
			}
			var c Concern
			if err := s.Load(r.ID, &c); err != nil {
				return nil, fmt.Errorf("stats: %w", err)
			}
			k := st.ByKind[c.ConcernKind]
			if inPeriod(c.Received, from, to) {
				k.Received++
				st.ByStatus[c.Status]++
				st.ByTopic[c.Topic]++
				if c.Mass() {
					st.Mass++
				}
				if c.Channel == ChannelReception {
					receptionDays[c.Received] = true
					st.Received += max(c.People, 1)
				}
				month(c.Received).Received++
			}
			for _, h := range c.History {
				d := DateOf(h.At)
				if !inPeriod(d, from, to) {
					continue
				}
				switch h.To {
				case StatusResolved:
					k.Resolved++
					month(d).Resolved++
				case StatusForwarded:
					k.Forwarded++
				}
			}
			if !c.Status.Done() {
				k.Open++
				if c.Overdue(asOf) {
					k.Overdue++
				}
			}
			st.ByKind[c.ConcernKind] = k
		case KindMeeting:
			if !inPeriod(r.Date, from, to) {
				continue
			}
			var m Meeting
			if err := s.Load(r.ID, &m); err != nil {
				return nil, fmt.Errorf("stats: %w", err)
			}
			st.Meetings++
			st.MeetingsByKind[m.MeetingKind]++
			if m.MeetingKind == MeetingAssembly {
				st.AssemblyTotal += m.HouseholdsTotal
				st.AssemblyPresent += m.HouseholdsPresent
			}
			for _, a := range m.Actions {
				switch {
				case a.Done:
					st.ActionsDone++
				case a.Due != "" && a.Due < asOf:
					st.ActionsOverdue++
					st.ActionsOpen++
				default:
					st.ActionsOpen++
				}
			}
		case KindVisit:
			if r.Date == "" || (to != "" && r.Date > to) || (from != "" && r.End < from) {
				continue
			}
			var v FieldVisit
			if err := s.Load(r.ID, &v); err != nil {
				return nil, fmt.Errorf("stats: %w", err)
			}
			st.Visits++
			st.VisitDays += v.Days()
			st.VisitNights += v.Nights()
			st.VisitHouseholds += v.Reached()
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
			for d := v.From; d <= v.To && d != ""; d = d.AddDays(1) {
				if inPeriod(d, from, to) {
					month(d).VisitDays++
				}
			}
		case KindModel:
			if to != "" && r.Date > to {
				continue
			}
			var m Model
			if err := s.Load(r.ID, &m); err != nil {
				return nil, fmt.Errorf("stats: %w", err)
			}
			st.Models++
			st.ModelsByField[m.Field]++
			st.ModelsByStatus[m.Status]++
			if st.ModelsFieldStatus[m.Field] == nil {
				st.ModelsFieldStatus[m.Field] = map[ModelStatus]int{}
			}
			st.ModelsFieldStatus[m.Field][m.Status]++
			st.LandM2 += m.LandM2
			st.WorkDays += m.WorkDays
			st.MoneyVND += m.MoneyVND
			st.PeopleReached += m.PeopleReached
			st.Trainings += m.Trainings
		}
	}
	for _, k := range st.ByKind {
		st.Concerns.Received += k.Received
		st.Concerns.Resolved += k.Resolved
		st.Concerns.Forwarded += k.Forwarded
		st.Concerns.Open += k.Open
		st.Concerns.Overdue += k.Overdue
	}
	st.Receptions = len(receptionDays)
	for _, m := range months {
		st.Monthly = append(st.Monthly, *m)
	}
	sort.Slice(st.Monthly, func(i, j int) bool { return st.Monthly[i].Month < st.Monthly[j].Month })
	return st, nil
}
