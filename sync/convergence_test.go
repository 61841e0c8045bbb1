package sync

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"danvan/data"
)

// TestConvergence: two laptops of one commune, both offline, each edit
// 500 records (many the same records, different fields), change some
// concern statuses (some to different values: conflicts) and delete
// some. They then sync in a random order until nothing changes. Both
// laptops and the server must end identical; every non-conflicting edit
// must survive; every conflicting review field must be flagged.
func TestConvergence(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) { convergence(t, seed) })
	}
}

func convergence(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 99))
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	b := enrolledLaptop(t, ts, dakLong)
	villages := seedVillages(t, a, 3)
	households := seedHouseholds(t, a, villages, 400)
	concerns := make([]data.Object, 400)
	for i := range concerns {
		concerns[i] = &data.Concern{ConcernKind: data.ConcernPetition, Channel: data.ChannelVisit, Received: "2026-03-02",
			Village: villages[i%3], Topic: "ha_tang", Summary: fmt.Sprintf("Đường liên thôn hư hỏng %d", i), People: 1 + i%7}
	}
	if err := a.SaveMany(concerns, nil); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	if rep := syncNow(t, b); rep.Pulled != 803 {
		t.Fatalf("b pulled %d, want 803", rep.Pulled)
	}

	type fieldEdit struct{ id, field, value string }
	var edits []fieldEdit // non-conflicting edits that must survive
	all := append([]string{}, households...)
	for _, c := range concerns {
		all = append(all, data.MetaOf(c).ID)
	}
	isConcern := map[string]bool{}
	for _, c := range concerns {
		isConcern[data.MetaOf(c).ID] = true
	}
	pick := func(n int) map[string]bool {
		out := map[string]bool{}
		for _, i := range rng.Perm(len(all))[:n] {
			out[all[i]] = true
		}
		return out
	}
	setA, setB := pick(500), pick(500)
	both := 0
	for id := range setA {
		if setB[id] {
			both++
		}
	}
	t.Logf("seed %d: a edits 500, b edits 500, %d records by both", seed, both)

	// status plans for concerns edited by both: conflict or agreement
	conflict, agree := map[string]bool{}, map[string]bool{}
	statusOnlyA := map[string]bool{}
	for id := range setA {
		if !isConcern[id] {
			continue
		}
		switch {
		case setB[id] && rng.IntN(2) == 0:
			conflict[id] = true
		case setB[id] && rng.IntN(3) == 0:
			agree[id] = true
		case !setB[id] && rng.IntN(3) == 0:
			statusOnlyA[id] = true
		}
	}
	edit := func(st *data.Store, who string, set map[string]bool) {
		for _, id := range all {
			if !set[id] {
				continue
			}
			obj, err := st.Get(id)
			if err != nil {
				t.Fatal(err)
			}
			switch o := obj.(type) {
			case *data.Household:
				if who == "a" {
					o.Notes = "a: đã thăm hộ " + id[len(id)-6:]
					edits = append(edits, fieldEdit{id, "notes", o.Notes})
				} else {
					o.Phone = "b-" + id[len(id)-6:]
					edits = append(edits, fieldEdit{id, "phone", o.Phone})
				}
			case *data.Concern:
				if who == "a" {
					o.Summary = "a: " + o.Summary
					edits = append(edits, fieldEdit{id, "summary", o.Summary})
				} else {
					o.Content = "b: đã báo cáo UBND xã " + id[len(id)-6:]
					edits = append(edits, fieldEdit{id, "content", o.Content})
				}
				switch {
				case conflict[id] && who == "a", agree[id], statusOnlyA[id] && who == "a":
					o.Status = data.StatusHandling
				case conflict[id] && who == "b":
					o.Status = data.StatusForwarded
				}
				if statusOnlyA[id] && who == "a" {
					edits = append(edits, fieldEdit{id, "status", string(data.StatusHandling)})
				}
			}
			mustSave(t, st, obj)
		}
	}
	edit(a, "a", setA)
	edit(b, "b", setB)

	// deletes: some by a alone, some by b alone, some by a of records b edits
	deleted := map[string]bool{}
	var delA, delB []string
	for _, id := range all {
		switch {
		case !setA[id] && !setB[id] && len(delA) < 25:
			delA = append(delA, id)
		case !setA[id] && !setB[id] && len(delB) < 25:
			delB = append(delB, id)
		case !setA[id] && setB[id] && len(delA) < 30:
			delA = append(delA, id) // b edited it: deleted, with b's edit kept inside
		}
	}
	for _, id := range delA {
		if err := a.Delete(id); err != nil {
			t.Fatal(err)
		}
		deleted[id] = true
	}
	for _, id := range delB {
		if err := b.Delete(id); err != nil {
			t.Fatal(err)
		}
		deleted[id] = true
	}

	// sync in a random order until both laptops and the server agree
	order := ""
	for i := 0; ; i++ {
		if i >= 12 {
			t.Fatalf("no convergence after syncs %s", order)
		}
		if rng.IntN(2) == 0 {
			syncNow(t, a)
			order += "a"
		} else {
			syncNow(t, b)
			order += "b"
		}
		if i < 2 {
			continue
		}
		sa, sb := snapshot(t, a), snapshot(t, b)
		if diffSnapshots(sa, sb) == "" && diffSnapshots(sa, serverSnapshot(t, ts.st, dakLong)) == "" {
			break
		}
	}
	t.Logf("converged after syncs %q", order)
	if a.Pending()+b.Pending() != 0 {
		t.Fatalf("pending after convergence: a %d, b %d", a.Pending(), b.Pending())
	}

	final := snapshot(t, a)
	if len(final) != 803 {
		t.Fatalf("%d records after sync, want 803 (none lost, none duplicated)", len(final))
	}
	rec := func(id string) data.Record {
		var r data.Record
		if err := json.Unmarshal([]byte(final[id]), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, e := range edits {
		r := rec(e.id)
		var got string
		if f, ok := r.Fields[e.field]; ok {
			_ = json.Unmarshal(f.V, &got)
		} else if ws := r.Reviews[e.field]; len(ws) > 0 {
			_ = json.Unmarshal(ws[len(ws)-1].V, &got)
		}
		if got != e.value {
			t.Fatalf("edit lost: %s.%s = %q, want %q", e.id, e.field, got, e.value)
		}
	}
	for id := range deleted {
		if r := rec(id); !r.Deleted() {
			t.Fatalf("deleted record %s is alive", id)
		}
	}
	for id, s := range final {
		var r data.Record
		_ = json.Unmarshal([]byte(s), &r)
		if r.Deleted() != deleted[id] {
			t.Fatalf("record %s deleted=%v, want %v", id, r.Deleted(), deleted[id])
		}
		cs := r.Conflicts()
		switch {
		case conflict[id]:
			if len(cs) != 1 || cs[0].Field != "status" {
				t.Fatalf("conflicting status of %s not flagged: %+v", id, cs)
			}
			vals := map[string]bool{string(cs[0].Value): true, string(cs[0].Current): true}
			if !vals[`"`+string(data.StatusHandling)+`"`] || !vals[`"`+string(data.StatusForwarded)+`"`] {
				t.Fatalf("conflict of %s does not keep both values: %+v", id, cs[0])
			}
		case len(cs) > 0:
			t.Fatalf("record %s flagged without a conflict: %+v", id, cs)
		}
	}
	for name, st := range map[string]interface{ Conflicted() []data.Row }{"a": a, "b": b} {
		if n := len(st.Conflicted()); n != len(conflict) {
			t.Fatalf("laptop %s lists %d conflicted records, want %d", name, n, len(conflict))
		}
	}
	t.Logf("%d non-conflicting edits kept, %d deletes, %d conflicts flagged", len(edits), len(deleted), len(conflict))
}
