package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"danvan/data"
	"danvan/i18n"
)

// List names a list that exports as CSV.
type List string

// The lists that export as CSV.
const (
	ListConcerns   List = "concerns"
	ListMeetings   List = "meetings"
	ListVisits     List = "visits"
	ListHouseholds List = "households"
	ListModels     List = "models"
)

// Lists are the exportable lists, in the order the app shows them.
var Lists = []List{ListConcerns, ListMeetings, ListVisits, ListHouseholds, ListModels}

var listKinds = map[List]data.Kind{
	ListConcerns: data.KindConcern, ListMeetings: data.KindMeeting, ListVisits: data.KindVisit,
	ListHouseholds: data.KindHousehold, ListModels: data.KindModel,
}

// Vietnamese names of the lists, accepted by ParseList as well.
var listAliases = map[string]List{
	"y-kien": ListConcerns, "ykien": ListConcerns, "concern": ListConcerns,
	"hoi-nghi": ListMeetings, "gap-go": ListMeetings, "meeting": ListMeetings,
	"di-co-so": ListVisits, "visit": ListVisits,
	"ho": ListHouseholds, "ho-gia-dinh": ListHouseholds, "household": ListHouseholds,
	"mo-hinh": ListModels, "dan-van-kheo": ListModels, "model": ListModels,
}

// ParseList reads a list name: concerns, meetings, visits, households or
// models (or their Vietnamese names: y-kien, hoi-nghi, di-co-so, ho,
// mo-hinh). The error message is in Vietnamese, for the command line.
func ParseList(s string) (List, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Lists {
		if string(l) == s {
			return l, nil
		}
	}
	if l, ok := listAliases[s]; ok {
		return l, nil
	}
	return "", fmt.Errorf("danh sách %q không có: chọn concerns (ý kiến), meetings (gặp gỡ, hội nghị), visits (đi cơ sở), households (hộ gia đình) hoặc models (Dân vận khéo)", s)
}

// utf8BOM starts every CSV so that Excel on Windows reads it as UTF-8.
const utf8BOM = "\ufeff"

// ExportCSV writes list as CSV (UTF-8 with a BOM, a header row, one
// record a row, dates as yyyy-mm-dd, plain numbers) and returns the rows
// written. filter selects the records as the app's list does (its Kind is
// set from list). A tố cáo's raiser is always data.RedactedIdentity;
// households' ethnicity and religion are only written with
// o.IncludeSensitive, which is recorded in the audit trail (against the
// village when filter.Village is set, else against the commune).
func ExportCSV(w io.Writer, s *data.Store, list List, filter data.Filter, o Options) (int, error) {
	kind, ok := listKinds[list]
	if !ok {
		_, err := ParseList(string(list))
		return 0, err
	}
	l := o.lang()
	filter.Kind = kind
	if filter.Today == "" {
		filter.Today = data.DateOf(o.now())
	}
	if list == ListHouseholds && o.IncludeSensitive {
		rec, k := s.Commune(), data.KindHousehold
		if filter.Village != "" {
			rec, k = filter.Village, data.KindVillage
		}
		if err := s.LogAudit(rec, k, data.AuditSensitive); err != nil {
			return 0, fmt.Errorf("export %s: record the sensitive export: %w", list, err)
		}
	}
	o.progress(0, "stage.gather")
	rows := s.Find(filter, data.ByDateDesc)
	x := &exporter{s: s, l: l, sensitive: o.IncludeSensitive, names: map[string]string{}}
	// Oldest first; households by village, then head.
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := &rows[i], &rows[j]
		if list == ListHouseholds {
			if a.Village != b.Village {
				return data.CompareVietnamese(x.name(a.Village), x.name(b.Village)) < 0
			}
			return data.CompareNames(a.Title, b.Title) < 0
		}
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return a.ID < b.ID
	})

	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return 0, fmt.Errorf("export %s: %w", list, err)
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true // what Excel on Windows writes
	if err := cw.Write(nfcAll(x.header(list))); err != nil {
		return 0, fmt.Errorf("export %s: %w", list, err)
	}
	n := 0
	for i, r := range rows {
		rec, err := x.row(list, r, filter.Today)
		if err != nil {
			return n, fmt.Errorf("export %s: %w", list, err)
		}
		if err := cw.Write(nfcAll(rec)); err != nil {
			return n, fmt.Errorf("export %s: %w", list, err)
		}
		n++
		if i%500 == 0 {
			o.progress(float64(i)/float64(len(rows)), "stage.write")
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("export %s: %w", list, err)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("export %s: %w", list, err)
	}
	o.progress(1, "stage.done")
	return n, nil
}

func nfcAll(rec []string) []string {
	for i := range rec {
		rec[i] = nfc(rec[i])
	}
	return rec
}

func villageName(s *data.Store, id string) string {
	if r, ok := s.Row(id); ok {
		return r.Title
	}
	return id
}

type exporter struct {
	s         *data.Store
	l         i18n.Lang
	sensitive bool
	names     map[string]string // record id → display name, cached
}

func (x *exporter) name(id string) string {
	if id == "" {
		return ""
	}
	if n, ok := x.names[id]; ok {
		return n
	}
	n := villageName(x.s, id)
	x.names[id] = n
	return n
}

func (x *exporter) header(list List) []string {
	l := x.l
	h := func(ids ...string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = tr(l, id)
		}
		return out
	}
	switch list {
	case ListConcerns:
		return h("x.id", "x.village", "x.received", "x.accepted", "x.kind", "x.channel", "x.topic", "x.summary", "x.content",
			"x.raiser", "x.people", "x.complexity", "x.status", "x.deadline", "x.overdue", "x.assignee")
	case ListMeetings:
		return h("x.id", "x.village", "x.date", "x.kind", "x.chair", "x.head_count", "x.hh_total", "x.hh_present", "x.language",
			"x.interpreter", "x.topics", "x.agenda", "x.actions", "x.forwarded", "x.notes")
	case ListVisits:
		return h("x.id", "x.village", "x.from", "x.to", "x.days", "x.nights", "x.unit", "x.cadres", "x.households", "x.cung", "x.bam",
			"vis.activities", "vis.observations")
	case ListHouseholds:
		out := h("x.id", "x.village", "hh.head", "hh.members", "hh.phone", "hh.notes")
		if x.sensitive {
			out = append(out, h("hh.ethnicity", "hh.religion")...)
		}
		return out
	}
	return h("x.id", "x.village", "mo.name", "mo.field", "mo.kind", "mo.status", "mo.registered", "ind.land", "ind.workdays",
		"ind.money", "ind.people", "ind.trainings", "x.content", "mo.results")
}

func itoa(n int) string { return strconv.Itoa(n) }

func doneLabels(items []data.CheckItem) string {
	var out []string
	for _, it := range items {
		if it.Done {
			out = append(out, it.Label)
		}
	}
	return strings.Join(out, "; ")
}

func (x *exporter) row(list List, r data.Row, today data.Date) ([]string, error) {
	l := x.l
	switch list {
	case ListConcerns:
		var c data.Concern
		if err := x.s.Load(r.ID, &c); err != nil {
			return nil, err
		}
		return []string{c.ID, x.name(c.Village), string(c.Received), string(c.Accepted), enum(l, "concern_kind", string(c.ConcernKind)),
			enum(l, "channel", c.Channel), enum(l, "topic", c.Topic), c.Summary, c.Content, x.raiser(&c), itoa(c.People),
			enum(l, "complexity", string(c.Complexity)), enum(l, "status", string(c.Status)), string(c.Deadline),
			yesNo(l, c.Overdue(today)), c.Assignee}, nil
	case ListMeetings:
		var m data.Meeting
		if err := x.s.Load(r.ID, &m); err != nil {
			return nil, err
		}
		var agenda, actions []string
		for _, a := range m.Agenda {
			agenda = append(agenda, fmt.Sprintf("%s [%s; %s]", a.Title, enum(l, "agenda", a.Category), tr(l, "x.votes", a.VotesFor, a.VotesAgainst)))
		}
		for _, a := range m.Actions {
			state := tr(l, "a.open")
			if a.Done {
				state = tr(l, "a.done")
			}
			actions = append(actions, fmt.Sprintf("%s (%s; %s; %s)", a.Text, a.Owner, a.Due, state))
		}
		return []string{m.ID, x.name(m.Village), string(m.Date), enum(l, "meeting_kind", string(m.MeetingKind)), m.Chair,
			itoa(m.HeadCount), itoa(m.HouseholdsTotal), itoa(m.HouseholdsPresent), m.Language, m.Interpreter,
			topicList(l, m.Topics), strings.Join(agenda, "\n"), strings.Join(actions, "\n"), string(m.Forwarded), m.Notes}, nil
	case ListVisits:
		var v data.FieldVisit
		if err := x.s.Load(r.ID, &v); err != nil {
			return nil, err
		}
		return []string{v.ID, x.name(v.Village), string(v.From), string(v.To), itoa(v.Days()), itoa(v.Nights()), v.Unit,
			strings.Join(v.Cadres, "; "), itoa(v.Reached()), doneLabels(v.Cung), doneLabels(v.Bam), v.Activities, v.Observations}, nil
	case ListHouseholds:
		var h data.Household
		if err := x.s.Load(r.ID, &h); err != nil {
			return nil, err
		}
		out := []string{h.ID, x.name(h.Village), h.Head, itoa(h.Members), h.Phone, h.Notes}
		if x.sensitive {
			out = append(out, h.Ethnicity, h.Religion)
		}
		return out, nil
	}
	var m data.Model
	if err := x.s.Load(r.ID, &m); err != nil {
		return nil, err
	}
	return []string{m.ID, x.name(m.Village), m.Name, enum(l, "field", m.Field), enum(l, "model_kind", m.ModelKind),
		enum(l, "model_status", string(m.Status)), string(m.Registered), strconv.FormatFloat(m.LandM2, 'f', -1, 64),
		itoa(m.WorkDays), strconv.FormatInt(m.MoneyVND, 10), itoa(m.PeopleReached), itoa(m.Trainings), m.Description, m.Results}, nil
}

// raiser names who brought a concern. For a tố cáo it is always the
// redaction marker: the denouncer is never read, and should a raiser
// field still hold a value (the data package moves it away on save) it
// is not written either.
func (x *exporter) raiser(c *data.Concern) string {
	if c.ConcernKind == data.ConcernDenunciation || c.RaiserKind == data.RaiserConfidential {
		return data.RedactedIdentity
	}
	switch {
	case c.RaiserText != "":
		return c.RaiserText
	case c.RaiserID != "":
		return x.name(c.RaiserID)
	}
	return tr(x.l, "x.anonymous")
}
