package report

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"danvan/data"
	"danvan/i18n"
)

// ErrUnknownVillage: no live village has that id or name.
var ErrUnknownVillage = errors.New("no such village")

// ErrAmbiguousVillage: more than one village has that name.
var ErrAmbiguousVillage = errors.New("more than one village has that name")

// FindVillage returns the id of the live village whose id is ref, or whose
// name is ref (compared without diacritics or case: "dak ang" finds "Làng
// Đăk Ang"). An exact name beats a name that only matches folded.
func FindVillage(s *data.Store, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", fmt.Errorf("find village: empty name: %w", ErrUnknownVillage)
	}
	if r, ok := s.Row(ref); ok && r.Kind == data.KindVillage && !r.Deleted {
		return r.ID, nil
	}
	rows := s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)
	var exact, folded []data.Row
	want, wantFold := nfc(ref), data.Fold(nfc(ref))
	for _, r := range rows {
		switch {
		case strings.EqualFold(r.Title, want):
			exact = append(exact, r)
		case data.Fold(r.Title) == wantFold:
			folded = append(folded, r)
		}
	}
	if len(exact) == 0 {
		exact = folded
	}
	switch len(exact) {
	case 0:
		return "", fmt.Errorf("find village %q: %w", ref, ErrUnknownVillage)
	case 1:
		return exact[0].ID, nil
	}
	return "", fmt.Errorf("find village %q: %d villages: %w", ref, len(exact), ErrAmbiguousVillage)
}

// ActionItem is an action agreed at a meeting of the period.
type ActionItem struct {
	data.Action
	MeetingDate data.Date
	MeetingKind data.MeetingKind
	// Overdue is true for an open action whose due date has passed.
	Overdue bool
}

// OpenConcern is a concern still open at the end of the period (received
// or being handled on AsOf, judged from its history), as the report
// prints it: it holds no raiser or denouncer field at all. Status is its
// status on AsOf.
type OpenConcern struct {
	ID       string
	Received data.Date
	Kind     data.ConcernKind
	Topic    string
	Summary  string
	Assignee string
	Status   data.ConcernStatus
	Deadline data.Date
	// DaysLeft is the days from the report's day to the deadline,
	// negative when overdue; meaningless without a deadline.
	DaysLeft int
	Overdue  bool
	People   int
}

// CheckItemCount is one "cùng" or "bám" item with the visits that
// practised it.
type CheckItemCount struct {
	Key, Label string
	Times      int
}

// VillageSummary is the gathered content of a village summary: print it
// with WritePDF or WriteXLSX, or show its figures as a preview.
type VillageSummary struct {
	Commune data.Commune
	Village data.Village
	Period  Period
	// AsOf is the day open concerns and actions are judged against: the
	// period's end, or the printing day if earlier.
	AsOf    data.Date
	Printed time.Time
	Cadre   string
	Unit    string
	// Issuer heads and signs the printed report (the profile's).
	Issuer data.Issuer
	// Stats are the store's figures for the village and period.
	Stats *data.Stats
	// Persons are the village's key persons, by role then name.
	Persons []data.Person
	// Households are the village's households by head's name. Their
	// Ethnicity and Religion are blank unless Sensitive.
	// Persons' languages and a religious role likewise (data.RedactPerson).
	Households []data.Household
	// Visits are the field visits that overlap the period, earliest first.
	Visits []data.FieldVisit
	// Meetings are the meetings held in the period, earliest first.
	Meetings []data.Meeting
	// Actions are the actions agreed at those meetings: overdue, then
	// open by due date, then done.
	Actions []ActionItem
	// Open are the concerns still open at AsOf (data.Stats's Open): overdue
	// first (most overdue first), then by deadline, then without one.
	Open []OpenConcern
	// Models are the village's "Dân vận khéo" models registered by the
	// end of the period.
	Models []data.Model
	// Cung and Bam count the "cùng" and "bám" items practised, in the
	// commune's checklist order.
	Cung, Bam []CheckItemCount
	// Sensitive says the summary holds households' ethnicity and religion.
	Sensitive bool

	opts Options
}

// Lang returns the language the summary is printed in.
func (v *VillageSummary) Lang() i18n.Lang { return v.opts.lang() }

// NewVillageSummary gathers the summary of village (an id, see
// FindVillage) over period p. With o.IncludeSensitive it also gathers the
// households' ethnicity and religion and records that in the audit trail.
func NewVillageSummary(s *data.Store, village string, p Period, o Options) (*VillageSummary, error) {
	if !p.From.Valid() || !p.To.Valid() || p.To < p.From {
		return nil, fmt.Errorf("village summary: bad period %s", p)
	}
	o.progress(0, "stage.gather")
	now := o.now()
	today := data.DateOf(now)
	v := &VillageSummary{Period: p, Printed: now, Cadre: o.Cadre, Unit: o.Unit, Issuer: o.Issuer, opts: o, Sensitive: o.IncludeSensitive}
	if v.Cadre == "" {
		v.Cadre = s.Actor()
	}
	v.Commune, _ = data.CommuneByCode(s.Commune())
	if err := s.Load(village, &v.Village); err != nil {
		return nil, fmt.Errorf("village summary: village %s: %w", village, err)
	}
	if v.Village.Deleted {
		return nil, fmt.Errorf("village summary: village %s is in the trash: %w", village, ErrUnknownVillage)
	}
	if o.IncludeSensitive {
		if err := s.LogAudit(village, data.KindVillage, data.AuditSensitive); err != nil {
			return nil, fmt.Errorf("village summary: record the sensitive print: %w", err)
		}
	}
	st, err := s.Stats(village, p.From, p.To, today)
	if err != nil {
		return nil, fmt.Errorf("village summary: %w", err)
	}
	v.Stats, v.AsOf = st, st.AsOf
	o.progress(0.3, "stage.gather")

	// The same selections as data.Store.Stats, so lists and figures agree.
	rows := s.Find(data.Filter{Village: village}, data.ByDateDesc)
	for i := len(rows) - 1; i >= 0; i-- { // earliest first
		r := rows[i]
		switch r.Kind {
		case data.KindPerson:
			var x data.Person
			if err := s.Load(r.ID, &x); err != nil {
				return nil, fmt.Errorf("village summary: %w", err)
			}
			if !o.IncludeSensitive {
				data.RedactPerson(&x)
			}
			v.Persons = append(v.Persons, x)
		case data.KindHousehold:
			var x data.Household
			if err := s.Load(r.ID, &x); err != nil {
				return nil, fmt.Errorf("village summary: %w", err)
			}
			if !o.IncludeSensitive {
				x.Ethnicity, x.Religion = "", ""
			}
			v.Households = append(v.Households, x)
		case data.KindVisit:
			if r.Date == "" || r.Date > p.To || r.End < p.From {
				continue
			}
			var x data.FieldVisit
			if err := s.Load(r.ID, &x); err != nil {
				return nil, fmt.Errorf("village summary: %w", err)
			}
			v.Visits = append(v.Visits, x)
		case data.KindMeeting:
			if r.Date == "" || r.Date < p.From || r.Date > p.To {
				continue
			}
			var x data.Meeting
			if err := s.Load(r.ID, &x); err != nil {
				return nil, fmt.Errorf("village summary: %w", err)
			}
			v.Meetings = append(v.Meetings, x)
		case data.KindModel:
			if r.Date > p.To {
				continue
			}
			var x data.Model
			if err := s.Load(r.ID, &x); err != nil {
				return nil, fmt.Errorf("village summary: %w", err)
			}
			v.Models = append(v.Models, x)
		case data.KindConcern:
			// Open as of the summary's day, as data.Stats counts them: a
			// case resolved since was still open then.
			status := r.StatusOn(v.AsOf)
			if r.Date == "" || r.Date > v.AsOf || !status.Clocked() {
				continue
			}
			var c data.Concern
			if err := s.Load(r.ID, &c); err != nil {
				return nil, fmt.Errorf("village summary: %w", err)
			}
			c.Status = status
			v.Open = append(v.Open, openConcern(&c, v.AsOf))
		}
	}
	o.progress(0.5, "stage.gather")
	sort.SliceStable(v.Persons, func(i, j int) bool {
		a, b := &v.Persons[i], &v.Persons[j]
		if ra, rb := roleRank(a.Role), roleRank(b.Role); ra != rb {
			return ra < rb
		}
		return data.CompareNames(a.Name, b.Name) < 0
	})
	sort.SliceStable(v.Households, func(i, j int) bool {
		return data.CompareNames(v.Households[i].Head, v.Households[j].Head) < 0
	})
	sort.SliceStable(v.Models, func(i, j int) bool { return v.Models[i].Registered < v.Models[j].Registered })
	sortOpen(v.Open)
	v.Actions = actionsOf(v.Meetings, v.AsOf)
	v.Cung, v.Bam = checkCounts(s, v.Visits, st)
	return v, nil
}

func roleRank(r data.PersonRole) int {
	for i, x := range data.PersonRoles {
		if x == r {
			return i
		}
	}
	return len(data.PersonRoles)
}

// openConcern copies what the report may print of c. A tố cáo's
// denouncer is never read; the raiser fields are not copied for any kind.
func openConcern(c *data.Concern, asOf data.Date) OpenConcern {
	oc := OpenConcern{ID: c.ID, Received: c.Received, Kind: c.ConcernKind, Topic: c.Topic, Summary: c.Summary,
		Assignee: c.Assignee, Status: c.Status, Deadline: c.Deadline, Overdue: data.OverdueOn(c.Status, c.Deadline, asOf), People: c.People}
	if d, ok := c.DaysLeft(asOf); ok {
		oc.DaysLeft = d
	}
	return oc
}

func sortOpen(cs []OpenConcern) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := &cs[i], &cs[j]
		if (a.Deadline == "") != (b.Deadline == "") {
			return a.Deadline != ""
		}
		if a.Deadline != b.Deadline {
			return a.Deadline < b.Deadline
		}
		return a.Received < b.Received
	})
}

// actionsOf lists the meetings' agreed actions: overdue first, then open
// by due date (undated last), then done.
func actionsOf(ms []data.Meeting, asOf data.Date) []ActionItem {
	var out []ActionItem
	for _, m := range ms {
		for _, a := range m.Actions {
			// As it stood on asOf: an action done later was open then.
			a.Done = a.DoneBy(asOf)
			out = append(out, ActionItem{Action: a, MeetingDate: m.Date, MeetingKind: m.MeetingKind,
				Overdue: !a.Done && a.Due != "" && a.Due < asOf})
		}
	}
	rank := func(a *ActionItem) int {
		switch {
		case a.Overdue:
			return 0
		case !a.Done:
			return 1
		}
		return 2
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if (a.Due == "") != (b.Due == "") {
			return a.Due != ""
		}
		return a.Due < b.Due
	})
	return out
}

// checklistID is the id GenerateDemo and the settings screen give the
// commune's checklist.
func checklistID(commune string) string { return data.ChecklistID(commune) }

// checklist returns the commune's "cùng"/"bám" list, or the default one.
func checklist(s *data.Store) *data.Checklist {
	if _, ok := s.Row(checklistID(s.Commune())); ok {
		var c data.Checklist
		if err := s.Load(checklistID(s.Commune()), &c); err == nil && !c.Deleted {
			return &c
		}
	}
	return data.DefaultChecklist()
}

// checkCounts lists the "cùng" and "bám" items with the times the visits
// practised them (st.Cung, st.Bam): the commune's items first, in its
// order, then any other item a visit recorded. A label a visit stored
// wins over none.
func checkCounts(s *data.Store, visits []data.FieldVisit, st *data.Stats) (cung, bam []CheckItemCount) {
	cl := checklist(s)
	build := func(items []data.ChecklistItem, pick func(*data.FieldVisit) []data.CheckItem, counts map[string]int) []CheckItemCount {
		var out []CheckItemCount
		seen := map[string]int{}
		for _, it := range items {
			seen[it.ID] = len(out)
			out = append(out, CheckItemCount{Key: it.ID, Label: it.Label})
		}
		for i := range visits {
			for _, it := range pick(&visits[i]) {
				j, ok := seen[it.Key]
				if !ok {
					j = len(out)
					seen[it.Key] = j
					out = append(out, CheckItemCount{Key: it.Key, Label: it.Label})
				}
				if out[j].Label == "" {
					out[j].Label = it.Label
				}
			}
		}
		var extra []string
		for k := range counts {
			if _, ok := seen[k]; !ok {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		for _, k := range extra {
			out = append(out, CheckItemCount{Key: k, Label: k})
		}
		for i := range out {
			out[i].Times = counts[out[i].Key]
			if out[i].Label == "" {
				out[i].Label = out[i].Key
			}
		}
		return out
	}
	cung = build(cl.Cung, func(v *data.FieldVisit) []data.CheckItem { return v.Cung }, st.Cung)
	bam = build(cl.Bam, func(v *data.FieldVisit) []data.CheckItem { return v.Bam }, st.Bam)
	return cung, bam
}
