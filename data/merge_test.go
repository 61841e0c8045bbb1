package data

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
)

// randRecord makes a version of record "r1" as if edited by several
// devices: random fields, list entries (some removed) and review writes,
// with stamps drawn from a small range so that ties between devices occur.
func randRecord(rng *rand.Rand) Record {
	devs := []string{"dev-a", "dev-b", "dev-c"}
	st := func() HLC {
		return HLC{Wall: 1000 + rng.Int64N(6), Counter: uint32(rng.IntN(2)), Device: devs[rng.IntN(len(devs))]}
	}
	val := func() json.RawMessage { return json.RawMessage(fmt.Sprintf(`"v%d"`, rng.IntN(4))) }
	r := Record{ID: "r1", Kind: KindConcern, Commune: "23368", Created: HLC{Wall: 900 + rng.Int64N(3), Device: devs[rng.IntN(3)]}}
	r.Fields = map[string]Field{}
	for _, f := range []string{"summary", "topic", "content", deletedField} {
		if rng.IntN(3) > 0 {
			r.Fields[f] = Field{V: val(), S: st()}
		}
	}
	r.Lists = map[string]map[string]Entry{"history": {}}
	for i := 0; i < rng.IntN(5); i++ {
		id := fmt.Sprintf("e%d", rng.IntN(6))
		r.Lists["history"][id] = Entry{V: val(), S: st(), D: rng.IntN(4) == 0}
	}
	r.Reviews = map[string][]Write{}
	for _, f := range []string{"status", "assignee"} {
		var ws []Write
		for i := 0; i < rng.IntN(4); i++ {
			ws = append(ws, Write{V: val(), S: st(), B: st()})
		}
		if len(ws) > 0 {
			r.Reviews[f] = mergeReviews(map[string][]Write{f: ws}, nil)[f]
		}
	}
	return r
}

func canon(t testing.TB, r Record) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMergeProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		a, b, c := randRecord(rng), randRecord(rng), randRecord(rng)
		if x, y := canon(t, Merge(a, b)), canon(t, Merge(b, a)); x != y {
			t.Fatalf("not commutative:\n a⊔b=%s\n b⊔a=%s", x, y)
		}
		if x, y := canon(t, Merge(Merge(a, b), c)), canon(t, Merge(a, Merge(b, c))); x != y {
			t.Fatalf("not associative:\n (a⊔b)⊔c=%s\n a⊔(b⊔c)=%s", x, y)
		}
		ab := Merge(a, b)
		if x, y := canon(t, Merge(ab, ab)), canon(t, ab); x != y {
			t.Fatalf("not idempotent:\n m⊔m=%s\n m=%s", x, y)
		}
		if x, y := canon(t, Merge(ab, a)), canon(t, ab); x != y {
			t.Fatalf("replaying a merged input changed the result:\n %s\n %s", x, y)
		}
	}
}

func TestMergeDoesNotModifyInputs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := randRecord(rng), randRecord(rng)
	before := canon(t, a) + canon(t, b)
	_ = Merge(a, b)
	if canon(t, a)+canon(t, b) != before {
		t.Fatal("Merge modified its arguments")
	}
}

// TestMergeConcurrentEdits edits one concern on two devices from a common
// version, through the same stamping the store uses, and merges.
func TestMergeConcurrentEdits(t *testing.T) {
	ca, cb := NewClock("dev-a", HLC{}), NewClock("dev-b", HLC{})
	base := &Meeting{MeetingKind: MeetingAssembly, Date: "2026-04-02", Village: "v1", Chair: "A Blúi",
		Actions: []Action{{ID: "act-1", Text: "Sửa đường vào làng", Owner: "Trưởng thôn"}}}
	rec0, _, err := stamp(nil, base, "23368", ca)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(clock *Clock, f func(m *Meeting)) Record {
		var m Meeting
		if err := Decode(&rec0, &m); err != nil {
			t.Fatal(err)
		}
		f(&m)
		r, _, err := stamp(&rec0, &m, "23368", clock)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	ra := edit(ca, func(m *Meeting) {
		m.Chair = "Y Sáng"
		m.Actions = append(m.Actions, Action{ID: "act-a", Text: "Vận động hiến đất làm đường", Owner: "Chi hội Nông dân"})
	})
	rb := edit(cb, func(m *Meeting) {
		m.Language = "Xơ Đăng"
		m.Actions[0].Done = true
		m.Actions = append(m.Actions, Action{ID: "act-b", Text: "Tổ chức lớp học tiếng Xơ Đăng", Owner: "Đồn Biên phòng"})
	})
	merged := Merge(ra, rb)
	var m Meeting
	if err := Decode(&merged, &m); err != nil {
		t.Fatal(err)
	}
	if m.Chair != "Y Sáng" || m.Language != "Xơ Đăng" {
		t.Errorf("field edits lost: chair %q language %q", m.Chair, m.Language)
	}
	if len(m.Actions) != 3 {
		t.Fatalf("actions = %+v, want the base one and both additions", m.Actions)
	}
	if !m.Actions[0].Done {
		t.Errorf("done flag on shared action lost")
	}
	// Removing an entry is a tombstone that wins over the stale copy.
	var m2 Meeting
	_ = Decode(&merged, &m2)
	m2.Actions = m2.Actions[1:]
	removed, _, _ := stamp(&merged, &m2, "23368", ca)
	again := Merge(removed, rb)
	var m3 Meeting
	_ = Decode(&again, &m3)
	for _, a := range m3.Actions {
		if a.ID == "act-1" {
			t.Errorf("removed action came back after merging an older copy")
		}
	}
}

func TestMergeFlagsReviewConflicts(t *testing.T) {
	ca, cb := NewClock("dev-a", HLC{}), NewClock("dev-b", HLC{})
	c := &Concern{ConcernKind: ConcernPetition, Received: "2026-01-01", Village: "v1", Summary: "Thiếu nước sinh hoạt", Status: StatusNew, Complexity: ComplexityNormal}
	rec0, _, _ := stamp(nil, c, "23368", ca)
	set := func(clock *Clock, from Record, f func(*Concern)) Record {
		var x Concern
		_ = Decode(&from, &x)
		f(&x)
		r, _, _ := stamp(&from, &x, "23368", clock)
		return r
	}
	ra := set(ca, rec0, func(x *Concern) { x.Status = StatusHandling; x.Assignee = "Y Sáng" })
	rb := set(cb, rec0, func(x *Concern) { x.Status = StatusForwarded; x.Assignee = "Y Sáng" })
	m := Merge(ra, rb)
	conf := m.Conflicts()
	if len(conf) != 1 || conf[0].Field != "status" {
		t.Fatalf("conflicts = %+v, want one on status", conf)
	}
	// Sequential edits are not conflicts.
	rc := set(ca, m, func(x *Concern) { x.Status = string2status(conf[0].Value) })
	if got := mergedConflicts(rc, m); len(got) != 0 {
		t.Fatalf("resolved conflict still flagged: %+v", got)
	}
	seq := set(cb, ra, func(x *Concern) { x.Status = StatusResolved })
	if got := mergedConflicts(seq, ra); len(got) != 0 {
		t.Fatalf("a sequential edit was flagged: %+v", got)
	}
}

func string2status(v json.RawMessage) ConcernStatus {
	var s ConcernStatus
	_ = json.Unmarshal(v, &s)
	return s
}

func FuzzMerge(f *testing.F) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 8; i++ {
		a, b := randRecord(rng), randRecord(rng)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		f.Add(ja, jb)
	}
	f.Fuzz(func(t *testing.T, ja, jb []byte) {
		var a, b Record
		if json.Unmarshal(ja, &a) != nil || json.Unmarshal(jb, &b) != nil {
			return
		}
		b.ID = a.ID
		for _, r := range []*Record{&a, &b} {
			for n, ws := range r.Reviews {
				r.Reviews[n] = mergeReviews(map[string][]Write{n: ws}, nil)[n]
			}
		}
		if canon(t, Merge(a, b)) != canon(t, Merge(b, a)) {
			t.Fatal("not commutative")
		}
		m := Merge(a, b)
		if canon(t, Merge(m, m)) != canon(t, m) {
			t.Fatal("not idempotent")
		}
	})
}

func mergedConflicts(a, b Record) []Conflict {
	m := Merge(a, b)
	return m.Conflicts()
}

// TestUnrelatedSaveKeepsConflict: editing another field of a conflicted
// concern must not silently pick the current value.
func TestUnrelatedSaveKeepsConflict(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Đăk Xú", false)
	c := &Concern{ConcernKind: ConcernPetition, Received: "2026-02-01", Village: v.ID, Summary: "Thiếu nước"}
	mustSave(t, s, c)
	rec, _ := s.Record(c.ID)
	other := NewClock("dev-other", rec.Updated())
	var x Concern
	_ = Decode(rec, &x)
	x.Status = StatusForwarded
	remote, _, _ := stamp(rec, &x, "23368", other)
	if err := s.ChangeStatus(c.ID, StatusHandling, "Đang xác minh"); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyRemote([]Record{remote}, nil); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Conflicted()); n != 1 {
		t.Fatalf("conflicted after concurrent status edits: %d, want 1", n)
	}
	var edit Concern
	_ = s.Load(c.ID, &edit)
	edit.Content = "Bổ sung nội dung"
	mustSave(t, s, &edit)
	if n := len(s.Conflicted()); n != 1 {
		t.Fatalf("an unrelated edit resolved the conflict: %d left", n)
	}
	var now Concern
	_ = s.Load(c.ID, &now)
	cur, _ := json.Marshal(now.Status)
	if err := s.ResolveConflict(c.ID, "status", cur); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Conflicted()); n != 0 {
		t.Fatalf("picking the current value left %d conflicts", n)
	}
}

func TestApplyRemoteReplayWritesNothing(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Măng Rương", false)
	rec, _ := s.Record(v.ID)
	before, _ := s.AuditTrail(v.ID)
	if err := s.ApplyRemote([]Record{*rec, *rec}, nil); err != nil {
		t.Fatal(err)
	}
	after, _ := s.AuditTrail(v.ID)
	if len(after) != len(before) {
		t.Fatalf("replaying a held version added %d audit entries", len(after)-len(before))
	}
}
