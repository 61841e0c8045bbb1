package data

// KindCounts are a concern kind's figures for a period. Every figure is
// judged from the concerns' status history as of the period's end (AsOf),
// so that reprinting a past period gives the same figures whatever was
// done since (domain.md: "Figures of a period are as of its last day").
// Received, Resolved, Closed, OnTime, Late and Forwarded are additive:
// the figures of a period's months add up to the period's.
type KindCounts struct {
	// Received counts concerns received in the period.
	Received int
	// Resolved counts the concerns that reached "đã giải quyết" or "đóng"
	// in the period, from a status that was neither, by the day it
	// happened; a case closed straight to "đóng" counts too.
	Resolved int
	// Closed counts, of Resolved, those that went straight to "đóng".
	Closed int
	// OnTime and Late split Resolved: on or before the deadline (or with
	// none), and after it.
	OnTime, Late int
	// Forwarded counts concerns moved to "đã chuyển" in the period.
	Forwarded int
	// Open counts concerns received by AsOf and still on the commune's
	// clock then: neither resolved, closed nor forwarded.
	Open int
	// Overdue counts, of Open, those whose deadline passed before AsOf.
	Overdue int
	// Outcome splits the concerns received in the period by their status
	// at AsOf: Received = Outcome.Resolved + Forwarded + Closed + Open.
	Outcome Outcome
}

// Outcome is where the concerns received in a period stood at its end.
type Outcome struct {
	// Resolved are "đã giải quyết", Closed "đóng", Forwarded "đã chuyển";
	// Open are the rest (received, being handled).
	Resolved, Forwarded, Closed, Open int
}

// Total returns the concerns the outcome accounts for.
func (o Outcome) Total() int { return o.Resolved + o.Forwarded + o.Closed + o.Open }

// OnTimeRate returns the share of resolutions made on time, in percent,
// and false when nothing was resolved.
func (k KindCounts) OnTimeRate() (float64, bool) {
	if k.Resolved == 0 {
		return 0, false
	}
	return 100 * float64(k.OnTime) / float64(k.Resolved), true
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

	Concerns KindCounts
	ByKind   map[ConcernKind]KindCounts
	ByStatus map[ConcernStatus]int // concerns received in the period, by status at AsOf
	ByTopic  map[string]int
	Mass     int // "đông người" concerns received in the period
	// Receptions counts citizen-reception sessions: those recorded
	// (MeetingReception), and each other day with a concern received by
	// tiếp công dân. Received counts the people received: a concern's
	// people when it came by tiếp công dân, and each citizen a session
	// answered without a concern.
	Receptions int
	Received   int

	Meetings        int
	MeetingsByKind  map[MeetingKind]int
	ActionsOpen     int
	ActionsDone     int
	ActionsOverdue  int
	AssemblyTotal   int // households total, over the period's village assemblies
	AssemblyPresent int // households present, likewise
	// Visits counts the visits that began in the period, with their
	// households and "cùng"/"bám" items; VisitDays and VisitNights count
	// the days of the period spent in a village and the nights that
	// began on them, so a visit across two periods splits by date.
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
	// ModelsReached counts, by step, the models that reached the step in
	// the period (registrations under ModelRegistered): additive over
	// sub-periods, unlike ModelsByStatus, which is where the models stood
	// at AsOf.
	ModelsReached map[ModelStatus]int
	LandM2        float64
	WorkDays      int
	MoneyVND      int64
	PeopleReached int
	Trainings     int

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
