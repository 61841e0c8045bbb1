package data

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
// against when the period runs past it ("" means today). Concerns are
// counted from the index; meetings, visits and models of the period are
// read.
func (s *Store) Stats(village string, from, to, today Date) (*Stats, error) {
	out, err := s.StatsMany([]StatsQuery{{Village: village, From: from, To: to}}, today)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}
