package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

const demoToday Date = "2026-06-15"

// demoTargets are the scale-1 sizes GenerateDemo aims at.
var demoTargets = DemoSummary{Villages: 12, Households: 1500, Persons: 60, Concerns: 400, Meetings: 120, Visits: 200, Models: 30}

func generateDemo(t *testing.T, s *Store, seed int64) DemoSummary {
	t.Helper()
	last, calls := 0, 0
	start := time.Now()
	sum, err := GenerateDemo(s, DemoOptions{Scale: 1, Seed: seed, Today: demoToday, Progress: func(done, total int) {
		calls++
		if done < last || done > total {
			t.Errorf("progress %d/%d after %d", done, total, last)
		}
		last = done
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("scale 1: %d records in %v", sum.Total(), time.Since(start))
	if calls == 0 || last != sum.Total() {
		t.Errorf("progress ended at %d after %d calls, want %d", last, calls, sum.Total())
	}
	return sum
}

func TestDemoSentences(t *testing.T) {
	text, err := loadDemoText()
	if err != nil {
		t.Fatal(err)
	}
	var seeds strings.Builder
	for _, name := range []string{"000_ef7539507eef2fde", "001_0242b91b1a87c6e3", "002_054d4c0633b05464", "003_2aa6b797fc740f8d", "004_a4c7e6690dadddbc"} {
		b, err := demoSeeds.ReadFile("demo/seeds/" + name + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		seeds.WriteString(strings.Join(strings.Fields(NFC(string(b))), " "))
	}
	if len(text.sentences) < 40 || len(text.short) < 20 {
		t.Errorf("%d sentences, %d short ones: too few", len(text.sentences), len(text.short))
	}
	for _, s := range append(append([]string{}, text.sentences...), text.short...) {
		if s != NFC(s) || wordCount(s) < 6 || strings.Contains(s, "Email") || strings.Contains(s, "kontumtv") {
			t.Errorf("bad sentence %q", s)
		}
		if !strings.Contains(seeds.String(), s) {
			t.Errorf("sentence not cut from the seeds as it is: %q", s)
		}
	}
	for _, s := range text.short {
		t.Logf("short: %s", s)
	}
}

func TestDemoGenerate(t *testing.T) {
	s := openTest(t, "")
	sum := generateDemo(t, s, 42)

	// counts: what the summary says, what the store holds, near the targets
	got := map[string][3]int{
		"villages":   {sum.Villages, s.Count(Filter{Kind: KindVillage}), demoTargets.Villages},
		"households": {sum.Households, s.Count(Filter{Kind: KindHousehold}), demoTargets.Households},
		"persons":    {sum.Persons, s.Count(Filter{Kind: KindPerson}), demoTargets.Persons},
		"concerns":   {sum.Concerns, s.Count(Filter{Kind: KindConcern}), demoTargets.Concerns},
		"meetings":   {sum.Meetings, s.Count(Filter{Kind: KindMeeting}), demoTargets.Meetings},
		"visits":     {sum.Visits, s.Count(Filter{Kind: KindVisit}), demoTargets.Visits},
		"models":     {sum.Models, s.Count(Filter{Kind: KindModel}), demoTargets.Models},
	}
	for kind, c := range got {
		if c[0] != c[1] {
			t.Errorf("%s: summary says %d, store holds %d", kind, c[0], c[1])
		}
		if d := c[1] - c[2]; d*10 > c[2] || -d*10 > c[2] {
			t.Errorf("%s: %d, want %d ± 10%%", kind, c[1], c[2])
		}
	}
	if n := s.Count(Filter{}); n != sum.Total() {
		t.Errorf("store lists %d records, summary %d", n, sum.Total())
	}
	// The demo writes no checklist (it would be a real record, synced):
	// the commune's is the default.
	if _, ok := s.Row(ChecklistID("23368")); ok {
		t.Error("GenerateDemo stored a checklist record")
	}
	if cl := s.Checklist(); len(cl.Cung) != 4 || len(cl.Bam) != 3 {
		t.Errorf("checklist: %+v", cl)
	}

	// villages: households add up, several remote, some hotspots with reasons
	villages := map[string]Village{}
	remote, hot, hh := 0, 0, 0
	for _, r := range s.Find(Filter{Kind: KindVillage}, ByTitle) {
		var v Village
		if err := s.Load(r.ID, &v); err != nil {
			t.Fatal(err)
		}
		villages[v.ID] = v
		hh += v.Households
		if n := s.Count(Filter{Kind: KindHousehold, Village: v.ID}); n != v.Households {
			t.Errorf("%s: %d households listed, %d recorded", v.Name, n, v.Households)
		}
		if v.Remote {
			remote++
		}
		if v.Hotspot {
			hot++
			if len(v.HotspotReasons) == 0 || v.Notes == "" {
				t.Errorf("hotspot %s without a reason", v.Name)
			}
		}
	}
	if hh != sum.Households || remote < 3 || hot < 2 {
		t.Errorf("villages: %d households, %d remote, %d hotspots", hh, remote, hot)
	}
	if _, ok := findTitle(s, KindVillage, "Làng Đăk Ang"); !ok {
		t.Error("Làng Đăk Ang missing")
	}

	// every role, concern kind, status, meeting kind, model field and status
	for _, role := range PersonRoles {
		if role != RoleOtherRole && role != RoleReligious && s.Count(Filter{Kind: KindPerson, Sub: string(role)}) != 12 {
			t.Errorf("role %s: %d persons, want one per village", role, s.Count(Filter{Kind: KindPerson, Sub: string(role)}))
		}
	}
	for _, k := range ConcernKinds {
		if s.Count(Filter{Kind: KindConcern, Sub: string(k)}) == 0 {
			t.Errorf("no concern of kind %s", k)
		}
	}
	for _, st := range Statuses {
		if s.Count(Filter{Kind: KindConcern, Status: string(st)}) == 0 {
			t.Errorf("no concern in status %s", st)
		}
	}
	for _, tp := range Topics {
		if s.Count(Filter{Kind: KindConcern, Topic: tp}) == 0 {
			t.Errorf("no concern on topic %s", tp)
		}
	}
	for _, k := range MeetingKinds {
		if s.Count(Filter{Kind: KindMeeting, Sub: string(k)}) == 0 {
			t.Errorf("no meeting of kind %s", k)
		}
	}
	for _, f := range ModelFields {
		if s.Count(Filter{Kind: KindModel, Sub: f}) == 0 {
			t.Errorf("no model in field %s", f)
		}
	}
	for _, st := range ModelStatuses {
		if s.Count(Filter{Kind: KindModel, Status: string(st)}) == 0 {
			t.Errorf("no model in status %s", st)
		}
	}

	// overdue and mass cases
	overdue := s.Count(Filter{Kind: KindConcern, Overdue: true, Today: demoToday})
	mass := s.Count(Filter{Kind: KindConcern, Mass: true})
	t.Logf("overdue %d, mass %d of %d concerns", overdue, mass, sum.Concerns)
	if overdue < 10 || overdue > sum.Concerns/4 {
		t.Errorf("%d overdue concerns, want some but not most", overdue)
	}
	if mass < 10 || mass > sum.Concerns/4 {
		t.Errorf("%d mass concerns, want some", mass)
	}

	// every concern: history consistent with its status, dates in the
	// year before today, links to meetings and visits of its village
	yearAgo := demoToday.AddDays(-365)
	cx, linkedM, linkedV, confidential := map[Complexity]int{}, 0, 0, 0
	for _, r := range s.Find(Filter{Kind: KindConcern}, ByDateDesc) {
		var c Concern
		if err := s.Load(r.ID, &c); err != nil {
			t.Fatal(err)
		}
		cx[c.Complexity]++
		if c.Received < yearAgo || c.Received > demoToday {
			t.Errorf("concern received %s, outside the year before %s", c.Received, demoToday)
		}
		if len(c.History) == 0 || c.History[0].From != "" || c.History[0].To != StatusNew {
			t.Fatalf("history does not start at %s: %+v", StatusNew, c.History)
		}
		if c.History[len(c.History)-1].To != c.Status {
			t.Errorf("history ends at %s, status %s", c.History[len(c.History)-1].To, c.Status)
		}
		for i, h := range c.History {
			if h.By == "" || h.At.IsZero() || h.Note == "" || h.At.After(demoToday.Time().AddDate(0, 0, 1)) {
				t.Errorf("history entry without who, when or why: %+v", h)
			}
			if i > 0 && (h.From != c.History[i-1].To || h.At.Before(c.History[i-1].At.Truncate(24*time.Hour))) {
				t.Errorf("history out of order: %+v", c.History)
			}
		}
		// Every concern has a deadline: before thụ lý its intake deadline.
		if (c.Status == StatusNew) != (c.Accepted == "") || c.Deadline == "" {
			t.Errorf("status %s, accepted %q, deadline %q", c.Status, c.Accepted, c.Deadline)
		}
		if c.MeetingID != "" {
			linkedM++
			var m Meeting
			// A reception session is held at the commune's office (no
			// village); any other meeting in the concern's village.
			if err := s.Load(c.MeetingID, &m); err != nil || (m.Village != c.Village && m.MeetingKind != MeetingReception) || m.Date != c.Received {
				t.Errorf("concern from meeting %s: %v, village %s/%s, date %s/%s", c.MeetingID, err, m.Village, c.Village, m.Date, c.Received)
			}
			want := map[bool]string{true: ChannelDialogue, false: ChannelMeeting}[m.MeetingKind == MeetingDialogue]
			if m.MeetingKind == MeetingReception {
				want = ChannelReception
			}
			if c.Channel != want {
				t.Errorf("concern from a %s meeting came by %s", m.MeetingKind, c.Channel)
			}
		}
		if c.VisitID != "" {
			linkedV++
			var v FieldVisit
			if err := s.Load(c.VisitID, &v); err != nil || v.Village != c.Village || c.Received < v.From || c.Received > v.To || c.Channel != ChannelVisit {
				t.Errorf("concern from visit %s: %v, %+v", c.VisitID, err, c)
			}
		}
		if c.ConcernKind == ConcernDenunciation {
			if c.RaiserText != "" || c.RaiserID != "" || c.Denouncer != "" {
				t.Errorf("tố cáo shows its raiser: %+v", c)
			}
			if c.RaiserKind == RaiserConfidential {
				confidential++
			}
		}
	}
	if linkedM == 0 || linkedV == 0 || confidential < 5 {
		t.Errorf("%d concerns from meetings, %d from visits, %d confidential denouncers", linkedM, linkedV, confidential)
	}
	for _, k := range Complexities {
		if cx[k] == 0 {
			t.Errorf("no concern of complexity %s", k)
		}
	}

	// open agreed actions: some overdue, some due this week
	week := demoToday.AddDays(7)
	actions := s.Actions("", week)
	late, thisWeek := 0, 0
	for _, a := range actions {
		if a.Done || a.Owner == "" || a.Text == "" {
			t.Errorf("bad open action %+v", a)
		}
		if a.Due < demoToday {
			late++
		} else {
			thisWeek++
		}
	}
	t.Logf("open actions due by %s: %d overdue, %d this week", week, late, thisWeek)
	if late == 0 || thisWeek == 0 {
		t.Errorf("open actions: %d overdue, %d due this week", late, thisWeek)
	}

	// village assemblies: household votes that add up
	for _, r := range s.Find(Filter{Kind: KindMeeting, Sub: string(MeetingAssembly)}, ByDateDesc) {
		var m Meeting
		if err := s.Load(r.ID, &m); err != nil {
			t.Fatal(err)
		}
		if m.HouseholdsTotal != villages[m.Village].Households || m.HouseholdsPresent == 0 || len(m.Agenda) < 2 {
			t.Errorf("assembly %s: %d/%d households, %d agenda items", m.Date, m.HouseholdsPresent, m.HouseholdsTotal, len(m.Agenda))
		}
		for _, a := range m.Agenda {
			if a.VotesFor+a.VotesAgainst > m.HouseholdsPresent {
				t.Errorf("agenda %q: %d+%d votes of %d households", a.Title, a.VotesFor, a.VotesAgainst, m.HouseholdsPresent)
			}
		}
	}

	// field visits: 1–7 days, households of the village, checklists ticked
	households := map[string]string{}
	for _, r := range s.Find(Filter{Kind: KindHousehold}, ByTitle) {
		households[r.ID] = r.Village
	}
	ticked := 0
	for _, r := range s.Find(Filter{Kind: KindVisit}, ByDateDesc) {
		var v FieldVisit
		if err := s.Load(r.ID, &v); err != nil {
			t.Fatal(err)
		}
		if d := v.Days(); d < 1 || d > 7 || v.To > demoToday || v.From < yearAgo {
			t.Errorf("visit %s–%s", v.From, v.To)
		}
		if len(v.Cung) != 4 || len(v.Bam) != 3 || len(v.Households) == 0 || v.Activities == "" || v.Observations == "" {
			t.Errorf("visit lacks checklists, households or text: %+v", v)
		}
		for _, h := range v.Households {
			if households[h.HouseholdID] != v.Village {
				t.Errorf("visit to %s lists household %s of another village", v.Village, h.HouseholdID)
			}
		}
		for _, c := range append(v.Cung, v.Bam...) {
			if c.Done {
				ticked++
			}
		}
	}
	if ticked == 0 {
		t.Error("no cùng/bám item ticked")
	}

	// models: counted results
	var land float64
	var days, trainings int
	for _, r := range s.Find(Filter{Kind: KindModel}, ByDateDesc) {
		var m Model
		if err := s.Load(r.ID, &m); err != nil {
			t.Fatal(err)
		}
		land += m.LandM2
		days += m.WorkDays
		trainings += m.Trainings
	}
	if land == 0 || days == 0 || trainings == 0 {
		t.Errorf("models count %v m², %d work-days, %d trainings", land, days, trainings)
	}
}

// TestDemoDenouncersRedacted reads every denouncer the generator planted,
// as the cadre who holds the case, and checks that none of them appears in
// any row of the index: titles and search text alike.
func TestDemoDenouncersRedacted(t *testing.T) {
	s := openTest(t, "")
	generateDemo(t, s, 7)
	rows := s.Find(Filter{}, ByTitle)
	var names []string
	for _, r := range s.Find(Filter{Kind: KindConcern, Sub: string(ConcernDenunciation)}, ByTitle) {
		var c Concern
		if err := s.Load(r.ID, &c); err != nil {
			t.Fatal(err)
		}
		if c.RaiserKind != RaiserConfidential {
			continue
		}
		name, err := s.Denouncer(c.ID, c.Assignee)
		if err != nil || name == "" {
			t.Fatalf("denouncer of %s: %q, %v", c.ID, name, err)
		}
		if _, err := s.Denouncer(c.ID, "Người khác"); err == nil {
			t.Errorf("denouncer of %s readable by another cadre", c.ID)
		}
		names = append(names, name)
	}
	if len(names) < 5 {
		t.Fatalf("only %d denouncers planted", len(names))
	}
	for _, name := range names {
		folded := Fold(name)
		for _, r := range rows {
			if strings.Contains(r.Title, name) || strings.Contains(r.Fold, folded) {
				t.Fatalf("denouncer %q appears in %s row %s: %q / %q", name, r.Kind, r.ID, r.Title, r.Fold)
			}
		}
	}
}

// TestDemoDeterministic generates the same seed twice and compares every
// row, with record ids replaced by what they point to.
func TestDemoDeterministic(t *testing.T) {
	fingerprint := func(seed int64) []string {
		s := openTest(t, "")
		generateDemo(t, s, seed)
		rows := s.Find(Filter{}, ByTitle)
		village := map[string]string{}
		for _, r := range rows {
			if r.Kind == KindVillage {
				village[r.ID] = r.Title
			}
		}
		out := make([]string, len(rows))
		for i, r := range rows {
			acts := make([]string, len(r.Actions))
			for j, a := range r.Actions {
				acts[j] = fmt.Sprint(a.Text, a.Owner, a.Due, a.Done)
			}
			sort.Strings(acts)
			out[i] = strings.Join([]string{string(r.Kind), village[r.Village], r.Title, string(r.Date), string(r.End), r.Sub, r.Status,
				r.Topic, string(r.Deadline), strconv.Itoa(r.N), r.Fold, strings.Join(acts, "|")}, "\x1f")
		}
		sort.Strings(out)
		return out
	}
	a, b, c := fingerprint(3), fingerprint(3), fingerprint(4)
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		for i := range a {
			if i < len(b) && a[i] != b[i] {
				t.Fatalf("same seed, different data:\n%q\n%q", a[i], b[i])
			}
		}
		t.Fatalf("same seed, %d and %d rows", len(a), len(b))
	}
	if strings.Join(a, "\n") == strings.Join(c, "\n") {
		t.Fatal("different seeds gave the same data")
	}
}

// TestDemoScale generates DANVAN_DEMO_SCALE scale units (skipped when
// unset), e.g. DANVAN_DEMO_SCALE=43 for about 100,000 records, and reports
// the time it took.
func TestDemoScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DANVAN_DEMO_SCALE"))
	if n <= 0 {
		t.Skip("set DANVAN_DEMO_SCALE to run")
	}
	s := openTest(t, "một cụm mật khẩu")
	start := time.Now()
	sum, err := GenerateDemo(s, DemoOptions{Scale: n, Seed: 1, Today: demoToday})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var size int64
	filepath.Walk(s.Dir(), func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			size += info.Size()
		}
		return nil
	})
	t.Logf("scale %d: %+v = %d records in %v (%.0f records/s), %d MB on disk",
		n, sum, sum.Total(), took, float64(sum.Total())/took.Seconds(), size>>20)
	if got := s.Count(Filter{}); got != sum.Total() {
		t.Errorf("store lists %d records, summary %d", got, sum.Total())
	}
}

func findTitle(s *Store, kind Kind, title string) (Row, bool) {
	for _, r := range s.Find(Filter{Kind: kind}, ByTitle) {
		if r.Title == title {
			return r, true
		}
	}
	return Row{}, false
}

func TestDemoIDMarker(t *testing.T) {
	for _, tc := range []struct {
		name string
		id   string
		demo bool
	}{
		{"NewDemoID", NewDemoID(), true},
		{"NewID (a real record)", NewID(), false},
		{"the commune's checklist", ChecklistID("23368"), false},
		{"upper case", strings.ToUpper(NewDemoID()), false},
		{"not a UUID", "demo-8de3-ffff", false},
		{"mark in another group", "8de30000-0000-7000-8000-000000000000", false},
		{"empty", "", false},
	} {
		if got := IsDemoID(tc.id); got != tc.demo {
			t.Errorf("%s: IsDemoID(%q) = %v, want %v", tc.name, tc.id, got, tc.demo)
		}
	}
	a, b := NewDemoID(), NewDemoID()
	if a == b || a[14:18] != DemoMark {
		t.Errorf("demo ids %s, %s", a, b)
	}
}

// demoRecord returns a stored demo record's wire form.
func demoRecord(t *testing.T, s *Store, kind Kind) Record {
	t.Helper()
	rows := s.Find(Filter{Kind: kind}, ByTitle)
	for _, r := range rows {
		if IsDemoID(r.ID) {
			rec, err := s.Record(r.ID)
			if err != nil {
				t.Fatal(err)
			}
			return *rec
		}
	}
	t.Fatalf("no demo %s among %d rows", kind, len(rows))
	return Record{}
}

func TestDemoRecordsCarryTheMarker(t *testing.T) {
	s := openTest(t, "")
	sum := generateDemo(t, s, 11)
	ids, err := s.RecordIDs()
	if err != nil {
		t.Fatal(err)
	}
	demo := 0
	for _, id := range ids {
		if IsDemoID(id) {
			demo++
		} else {
			t.Errorf("record %s written by GenerateDemo has no demo mark", id)
		}
	}
	if demo != sum.Total() {
		t.Errorf("%d demo records of %d generated", demo, sum.Total())
	}
	if d, o := s.DemoCount(); d != sum.Total() || o != 0 {
		t.Errorf("DemoCount = %d demo, %d other; want %d, 0", d, o, sum.Total())
	}
	// The wire check (the server's on pushes, the laptop's on pulls)
	// refuses every demo record, naming the id.
	for _, k := range []Kind{KindVillage, KindConcern, KindHousehold} {
		rec := demoRecord(t, s, k)
		err := CheckWire(&rec)
		var we *WireError
		if !errors.As(err, &we) || we.Field != "id" || !strings.Contains(we.Reason, "demo") {
			t.Errorf("CheckWire on a demo %s = %v, want a refusal of the id as demo", k, err)
		}
		rec.ID = NewID()
		if err := CheckWire(&rec); err != nil {
			t.Errorf("the same %s with a real id is refused: %v", k, err)
		}
	}
}

func TestDemoTargetRefusals(t *testing.T) {
	s := openTest(t, "")
	for _, tc := range []struct {
		name            string
		enrolled, force bool
		want            error
	}{
		{"empty store", false, false, nil},
		{"empty store, forced", false, true, nil},
		{"empty enrolled store", true, false, ErrDemoEnrolled},
		{"empty enrolled store, forced", true, true, ErrDemoEnrolled},
	} {
		if err := CheckDemoTarget(s, tc.enrolled, tc.force); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// The default checklist alone (first run) is no record of anyone's.
	if err := s.SaveChecklist(DefaultChecklist()); err != nil {
		t.Fatal(err)
	}
	if err := CheckDemoTarget(s, false, false); err != nil {
		t.Errorf("a store holding only the default checklist is refused: %v", err)
	}
	newVillage(t, s, "Làng Kon Gu", false)
	for _, tc := range []struct {
		name            string
		enrolled, force bool
		want            error
	}{
		{"one real village", false, false, ErrDemoNotEmpty},
		{"one real village, forced", false, true, nil},
		{"one real village, enrolled, forced", true, true, ErrDemoEnrolled},
	} {
		if err := CheckDemoTarget(s, tc.enrolled, tc.force); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestRemoveDemo(t *testing.T) {
	s := openTest(t, "")
	real := newVillage(t, s, "Làng Kon Gu", true)
	sum := generateDemo(t, s, 5)
	c := &Concern{ConcernKind: ConcernDenunciation, Channel: ChannelVisit, Received: "2026-03-01",
		Village: real.ID, Summary: "Tố cáo việc thu tiền trái phép", Topic: "dat_dai", Denouncer: "Người tố cáo thật"}
	mustSave(t, s, c)
	trashedReal := newVillage(t, s, "Thôn Đã Xóa", false)
	if err := s.Delete(trashedReal.ID); err != nil {
		t.Fatal(err)
	}
	demoConcern := demoRecord(t, s, KindConcern)
	inDemo := &Household{Head: "Hộ thật", Village: demoRecord(t, s, KindVillage).ID, Members: 3}
	mustSave(t, s, inDemo)
	if n := s.DemoReferenced(); n != 1 {
		t.Errorf("DemoReferenced = %d, want the real household in a demo village", n)
	}
	if err := s.Delete(demoConcern.ID); err != nil { // a demo record in the trash goes too
		t.Fatal(err)
	}
	if err := s.SaveDraft("concern/"+demoConcern.ID, []byte(`{"summary":"nháp"}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft("concern/new", []byte(`{"summary":"nháp thật"}`)); err != nil {
		t.Fatal(err)
	}
	cl := s.Checklist()
	cl.Cung = append(cl.Cung, ChecklistItem{ID: "cung_hoc_chu", Label: "cùng học chữ"})
	if err := s.SaveChecklist(cl); err != nil {
		t.Fatal(err)
	}
	demoBefore, _ := s.DemoCount()
	if demoBefore != sum.Total() {
		t.Fatalf("%d demo records before, want %d", demoBefore, sum.Total())
	}
	realPending := 0
	entries, _ := s.Outbox(0, 0)
	for _, e := range entries {
		if IsDemoID(e.Record) {
			t.Fatalf("demo record %s waits in the outbox: the cadre would read it as a change to send", e.Record)
		}
		realPending++
	}

	n, err := s.RemoveDemo()
	if err != nil {
		t.Fatal(err)
	}
	if n != sum.Total() {
		t.Errorf("RemoveDemo removed %d, want %d", n, sum.Total())
	}
	check := func(s *Store, when string) {
		t.Helper()
		if d, o := s.DemoCount(); d != 0 || o != 4 {
			t.Errorf("%s: DemoCount = %d demo, %d other; want 0, 4 (two villages, a concern, a household)", when, d, o)
		}
		if _, err := s.Get(inDemo.ID); err != nil {
			t.Errorf("%s: the real household in a demo village went too: %v", when, err)
		}
		ids, _ := s.RecordIDs()
		for _, id := range ids {
			if IsDemoID(id) {
				t.Errorf("%s: demo record %s still stored", when, id)
			}
		}
		if got := s.Count(Filter{Kind: KindVillage}); got != 1 {
			t.Errorf("%s: %d live villages, want the real one", when, got)
		}
		if got := s.Count(Filter{Kind: KindVillage, Deleted: true}); got != 1 {
			t.Errorf("%s: %d villages in the trash, want the real one", when, got)
		}
		if got := s.Count(Filter{Kind: KindConcern, Deleted: true}); got != 0 {
			t.Errorf("%s: %d concerns in the trash, want none (the demo one is gone)", when, got)
		}
		var got Concern
		if err := s.Load(c.ID, &got); err != nil || got.Summary != c.Summary {
			t.Errorf("%s: the real concern: %v, %q", when, err, got.Summary)
		}
		if who, err := s.Denouncer(c.ID, "Y Sáng"); err != nil || who != "Người tố cáo thật" {
			t.Errorf("%s: the real denouncer: %q, %v", when, who, err)
		}
		if _, err := s.Record(demoConcern.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: the demo concern: %v, want ErrNotFound", when, err)
		}
		if trail, _ := s.AuditTrail(demoConcern.ID); len(trail) != 0 {
			t.Errorf("%s: the demo concern keeps %d audit entries", when, len(trail))
		}
		if trail, _ := s.AuditTrail(c.ID); len(trail) == 0 {
			t.Errorf("%s: the real concern lost its audit trail", when)
		}
		if s.Draft("concern/"+demoConcern.ID) != nil || s.Draft("concern/new") == nil {
			t.Errorf("%s: drafts: demo %q, real %q", when, s.Draft("concern/"+demoConcern.ID), s.Draft("concern/new"))
		}
		entries, _ := s.Outbox(0, 0)
		for _, e := range entries {
			if IsDemoID(e.Record) {
				t.Errorf("%s: outbox still holds demo record %s", when, e.Record)
			}
		}
		if len(entries) != realPending {
			t.Errorf("%s: %d outbox entries, want the %d of real records", when, len(entries), realPending)
		}
		if cl := s.Checklist(); len(cl.Cung) != 5 || cl.Cung[4].Label != "cùng học chữ" {
			t.Errorf("%s: the commune's edited checklist went with the demo data: %+v", when, cl.Cung)
		}
	}
	check(s, "after removing")
	if n, err := s.RemoveDemo(); err != nil || n != 0 {
		t.Errorf("removing again: %d, %v", n, err)
	}

	// And after reopening: the index on disk lost the demo rows too.
	dir := s.Dir()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(dir, Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	check(s2, "after reopening")
	if err := CheckDemoTarget(s2, false, false); !errors.Is(err, ErrDemoNotEmpty) {
		t.Errorf("the store keeps real records, demo must still be refused: %v", err)
	}
}
