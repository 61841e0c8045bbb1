package data

import (
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
	if calls == 0 || last != sum.Total()+1 { // +1: the checklist
		t.Errorf("progress ended at %d after %d calls, want %d", last, calls, sum.Total()+1)
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
	var cl Checklist
	if err := s.Load(ChecklistID("23368"), &cl); err != nil || len(cl.Cung) != 4 || len(cl.Bam) != 3 {
		t.Errorf("checklist: %+v %v", cl, err)
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
			if err := s.Load(c.MeetingID, &m); err != nil || m.Village != c.Village || m.Date != c.Received {
				t.Errorf("concern from meeting %s: %v, village %s/%s, date %s/%s", c.MeetingID, err, m.Village, c.Village, m.Date, c.Received)
			}
			if want := map[bool]string{true: ChannelDialogue, false: ChannelMeeting}[m.MeetingKind == MeetingDialogue]; c.Channel != want {
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
