package sync

import (
	"testing"

	"danvan/data"
)

// TestConcernDeadlineFieldsValidWireSync: the new concern kind (ý kiến)
// and the deadline fields (tố cáo screening and extension decisions, the
// forwarding date and body) pass the server's checks (data.Validate and
// data.CheckWire) and reach the other laptop; a village's remote flag
// changed on one laptop changes the other laptop's existing khiếu nại
// deadline once it arrives (deadlines are computed from their inputs).
func TestConcernDeadlineFieldsValidWireSync(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	b := enrolledLaptop(t, ts, dakLong)
	v := seedVillages(t, a, 1)[0]
	concerns := []*data.Concern{
		{ConcernKind: data.ConcernOpinion, Received: "2026-03-02", Village: v, Summary: "Ý kiến về lịch họp thôn"},
		{ConcernKind: data.ConcernDenunciation, Complexity: data.ComplexityComplex, Received: "2026-03-02", Accepted: "2026-03-05",
			Village: v, Summary: "Tố cáo thu tiền sai quy định", Status: data.StatusHandling, ScreeningExtended: true,
			Extensions: []data.Extension{{ID: data.NewID(), Number: "12/QĐ-UBND", Date: "2026-03-30", Days: 30}}},
		{ConcernKind: data.ConcernReport, Received: "2026-03-02", Village: v, Summary: "Phản ánh ô nhiễm suối",
			Status: data.StatusForwarded, ForwardedOn: "2026-03-04", ForwardedTo: "Sở Nông nghiệp và Môi trường"},
		{ConcernKind: data.ConcernComplaint1, Received: "2026-03-02", Accepted: "2026-03-02", Village: v, Summary: "Khiếu nại bồi thường"},
	}
	for _, c := range concerns {
		mustSave(t, a, c)
	}
	if rep := syncNow(t, a); rep.Pushed != 5 || a.Pending() != 0 {
		t.Fatalf("pushed %d, pending %d: the server refused a record with the new fields", rep.Pushed, a.Pending())
	}
	if rep := syncNow(t, b); rep.Pulled != 5 {
		t.Fatalf("second laptop pulled %d, want 5", rep.Pulled)
	}
	for _, c := range concerns {
		var got data.Concern
		if err := b.Load(c.ID, &got); err != nil {
			t.Fatal(err)
		}
		if got.ConcernKind != c.ConcernKind || got.ForwardedTo != c.ForwardedTo || got.ForwardedOn != c.ForwardedOn ||
			got.ScreeningExtended != c.ScreeningExtended || len(got.Extensions) != len(c.Extensions) || got.Deadline != c.Deadline {
			t.Errorf("%s arrived as %+v", c.ConcernKind, got)
		}
	}
	// 05/03 + 30 + 30 (one decision) = 04/05/2026.
	if concerns[1].Deadline != "2026-05-04" {
		t.Errorf("extended tố cáo deadline %s, want 2026-05-04", concerns[1].Deadline)
	}
	kn := concerns[3]
	if kn.Deadline != "2026-04-01" {
		t.Fatalf("khiếu nại deadline %s, want 2026-04-01", kn.Deadline)
	}
	var village data.Village
	if err := a.Load(v, &village); err != nil {
		t.Fatal(err)
	}
	village.Remote = true
	mustSave(t, a, &village)
	syncNow(t, a)
	syncNow(t, b)
	var got data.Concern
	if err := b.Load(kn.ID, &got); err != nil {
		t.Fatal(err)
	}
	if r, _ := b.Row(kn.ID); got.Deadline != "2026-04-16" || r.Deadline != "2026-04-16" {
		t.Errorf("after the village became remote elsewhere: deadline %s (index %s), want 2026-04-16 (45 days)", got.Deadline, r.Deadline)
	}
}
