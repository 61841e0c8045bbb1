package data

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestConcurrentTextEditsConflict (issue 9, part 2): two cadres change a
// concern's free text while neither has seen the other's write; both
// texts are kept as a conflict for a person to resolve. An edit made after
// seeing the other's write, or a concurrent edit of another field, is not
// a conflict.
func TestConcurrentTextEditsConflict(t *testing.T) {
	base := &Concern{ConcernKind: ConcernPetition, Received: "2026-02-01", Village: "v1", Summary: "Thiếu nước sinh hoạt",
		Content: "Bà con phản ánh giếng chung cạn."}
	a := NewClock("dev-a", HLC{})
	orig, _, err := stamp(nil, base, "23368", a)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(prev Record, dev string, f func(*Concern)) Record {
		t.Helper()
		var c Concern
		if err := Decode(&prev, &c); err != nil {
			t.Fatal(err)
		}
		f(&c)
		rec, _, err := stamp(&prev, &c, "23368", NewClock(dev, prev.Updated()))
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	const textA, textB = "Thiếu nước sinh hoạt mùa khô", "Giếng chung của làng cạn nước"
	cases := []struct {
		name      string
		a, b      func(*Concern)
		sequence  bool // b edits after seeing a's write
		conflicts map[string][2]string
	}{
		{"both change the summary", func(c *Concern) { c.Summary = textA }, func(c *Concern) { c.Summary = textB }, false,
			map[string][2]string{"summary": {textA, textB}}},
		{"both change the content", func(c *Concern) { c.Content = "Nội dung A" }, func(c *Concern) { c.Content = "Nội dung B" }, false,
			map[string][2]string{"content": {"Nội dung A", "Nội dung B"}}},
		{"the second saw the first", func(c *Concern) { c.Summary = textA }, func(c *Concern) { c.Summary = textB }, true, nil},
		{"different fields", func(c *Concern) { c.Summary = textA }, func(c *Concern) { c.Content = "Nội dung B" }, false, nil},
		{"the same new text", func(c *Concern) { c.Summary = textA }, func(c *Concern) { c.Summary = textA }, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ra := edit(orig, "dev-a", tc.a)
			from := orig
			if tc.sequence {
				from = ra
			}
			rb := edit(from, "dev-b", tc.b)
			for _, m := range []Record{Merge(ra, rb), Merge(rb, ra)} {
				got := map[string][2]string{}
				for _, c := range m.Conflicts() {
					var v, cur string
					_ = json.Unmarshal(c.Value, &v)
					_ = json.Unmarshal(c.Current, &cur)
					pair := [2]string{v, cur}
					if pair[0] > pair[1] {
						pair[0], pair[1] = pair[1], pair[0]
					}
					got[c.Field] = pair
				}
				want := map[string][2]string{}
				for f, p := range tc.conflicts {
					if p[0] > p[1] {
						p[0], p[1] = p[1], p[0]
					}
					want[f] = p
				}
				if len(got) != len(want) {
					t.Fatalf("conflicts %v, want %v", got, want)
				}
				for f, p := range want {
					if got[f] != p {
						t.Errorf("conflict on %s: %v, want both texts %v", f, got[f], p)
					}
				}
			}
		})
	}
}

// A concern stored before free texts became review fields (its summary a
// plain field) still conflicts when two devices edit it concurrently.
func TestLegacyTextFieldConflicts(t *testing.T) {
	legacy := Record{ID: NewID(), Kind: KindConcern, Commune: "23368", Created: HLC{Wall: 1_780_000_000_000, Device: "dev-old"},
		Fields: map[string]Field{
			"concern_kind": {V: json.RawMessage(`"kien_nghi"`), S: HLC{Wall: 1_780_000_000_000, Device: "dev-old"}},
			"summary":      {V: json.RawMessage(`"Đường sạt lở"`), S: HLC{Wall: 1_780_000_000_000, Device: "dev-old"}},
		}}
	var c Concern
	if err := Decode(&legacy, &c); err != nil {
		t.Fatal(err)
	}
	ca, cb := c, c
	ca.Summary, cb.Summary = "Đường vào làng sạt lở", "Đường liên thôn sạt lở"
	ra, _, _ := stamp(&legacy, &ca, "23368", NewClock("dev-a", legacy.Updated()))
	rb, _, _ := stamp(&legacy, &cb, "23368", NewClock("dev-b", legacy.Updated()))
	m := Merge(ra, rb)
	if cs := m.Conflicts(); len(cs) != 1 || cs[0].Field != "summary" {
		t.Fatalf("conflicts %+v, want one on summary", cs)
	}
	var got Concern
	if err := Decode(&m, &got); err != nil {
		t.Fatal(err)
	}
	if got.Summary != ca.Summary && got.Summary != cb.Summary {
		t.Errorf("decoded summary %q is neither edit", got.Summary)
	}
}

// TestReplacedTextLeavesTheRecord: a free text edited twenty times keeps
// one write, and the wording its author replaced is in no byte of the
// record (which syncs); two concurrent versions stay until a person
// picks one, and then only the picked one remains.
func TestReplacedTextLeavesTheRecord(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Kon Von", false)
	c := &Concern{ConcernKind: ConcernPetition, Channel: ChannelReception, Received: Today(), Village: v.ID,
		RaiserKind: RaiserText, RaiserText: "A Thủy", Topic: "ha_tang", Summary: "Bản nháp đầu tiên có tên riêng", Complexity: ComplexityNormal, People: 1}
	mustSave(t, s, c)
	for i := 0; i < 20; i++ {
		c.Summary = "Đường vào làng sạt lở, lần sửa " + string(rune('A'+i))
		mustSave(t, s, c)
	}
	rec, err := s.Record(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rec.Reviews["summary"]); n != 1 {
		t.Errorf("%d writes of the summary kept after 21 saves", n)
	}
	js, _ := json.Marshal(rec)
	if strings.Contains(string(js), "Bản nháp đầu tiên") || strings.Contains(string(js), "lần sửa A") {
		t.Error("a replaced text is still in the record")
	}

	// concurrent versions are both kept, until resolved
	a, b := NewClock("dev-a", rec.Updated()), NewClock("dev-b", rec.Updated())
	edit := func(clock *Clock, text string) Record {
		var cc Concern
		if err := Decode(rec, &cc); err != nil {
			t.Fatal(err)
		}
		cc.Summary = text
		out, _, err := stamp(rec, &cc, "23368", clock)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	m := Merge(edit(a, "Phiên bản của cán bộ A"), edit(b, "Phiên bản của cán bộ B"))
	if n := len(m.Conflicts()); n != 1 || len(m.Reviews["summary"]) != 2 {
		t.Fatalf("%d conflicts, %d writes: the concurrent versions are not both kept", n, len(m.Reviews["summary"]))
	}
	var picked Concern
	if err := Decode(&m, &picked); err != nil {
		t.Fatal(err)
	}
	picked.Summary = "Phiên bản của cán bộ B"
	picked.meta().resolve = map[string]bool{"summary": true}
	done, _, err := stamp(&m, &picked, "23368", NewClock("dev-a", m.Updated()))
	if err != nil {
		t.Fatal(err)
	}
	if len(done.Conflicts()) != 0 || len(done.Reviews["summary"]) != 1 {
		t.Errorf("after the pick: %d conflicts, %d writes", len(done.Conflicts()), len(done.Reviews["summary"]))
	}
}
