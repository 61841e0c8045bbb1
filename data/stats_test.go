package data

import "testing"

func TestStatsForVillageAndPeriod(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Đăk Ang", true)
	other := newVillage(t, s, "Thôn Kon Pao", false)
	mustSave(t, s, &Concern{ConcernKind: ConcernComplaint1, Channel: ChannelReception, Received: "2026-03-02", Accepted: "2026-03-02", Village: v.ID, Summary: "Khiếu nại bồi thường đất", People: 7, Topic: "dat_dai"})
	mustSave(t, s, &Concern{ConcernKind: ConcernPetition, Channel: ChannelReception, Received: "2026-03-02", Accepted: "2026-03-02", Village: v.ID, Summary: "Kiến nghị làm cầu tràn", People: 1, Topic: "ha_tang"})
	mustSave(t, s, &Concern{ConcernKind: ConcernPetition, Received: "2026-05-10", Village: v.ID, Summary: "Ngoài kỳ báo cáo"})
	mustSave(t, s, &Concern{ConcernKind: ConcernPetition, Received: "2026-03-05", Village: other.ID, Summary: "Thôn khác"})
	mustSave(t, s, &Meeting{MeetingKind: MeetingAssembly, Date: "2026-03-10", Village: v.ID, Chair: "A Blúi", HouseholdsTotal: 80, HouseholdsPresent: 66,
		Actions: []Action{{Text: "Làm đường", Owner: "Thôn", Due: "2026-03-20"}, {Text: "Họp lại", Owner: "Thôn", Due: "2026-04-20", Done: true}}})
	ck := DefaultChecklist()
	visit := &FieldVisit{Cadres: []string{"Y Sáng"}, Unit: "Đồn BP Đăk Long", Village: v.ID, From: "2026-03-30", To: "2026-04-02", HouseholdCount: 9}
	for _, it := range ck.Cung {
		visit.Cung = append(visit.Cung, CheckItem{Key: it.ID, Label: it.Label, Done: it.ID != "cung_o"})
	}
	mustSave(t, s, visit)
	mustSave(t, s, &Model{Name: "Hiến đất làm đường", Field: FieldEconomy, ModelKind: ModelCollective, Status: ModelRecognised, Village: v.ID, Registered: "2026-01-01", LandM2: 1200.5, WorkDays: 300})

	st, err := s.Stats(v.ID, "2026-03-01", "2026-03-31", "2026-06-01")
	if err != nil {
		t.Fatal(err)
	}
	if st.Concerns.Received != 2 || st.ByKind[ConcernComplaint1].Received != 1 || st.Mass != 1 {
		t.Errorf("concerns: %+v mass %d", st.Concerns, st.Mass)
	}
	if st.Receptions != 1 || st.Received != 8 {
		t.Errorf("reception sessions %d people %d, want 1 and 8", st.Receptions, st.Received)
	}
	// The petition (15 days) is overdue at the end of March; the remote complaint (45 days) is not.
	if st.Concerns.Overdue != 1 || st.ByKind[ConcernPetition].Overdue != 1 {
		t.Errorf("overdue: %+v", st.ByKind)
	}
	if st.Meetings != 1 || st.AssemblyPresent != 66 || st.ActionsOpen != 1 || st.ActionsOverdue != 1 || st.ActionsDone != 1 {
		t.Errorf("meetings: %+v", st)
	}
	// The visit runs 30/3–2/4: 2 of its 4 days fall in March, and the
	// nights of 30/3 and 31/3.
	if st.Visits != 1 || st.VisitDays != 2 || st.VisitNights != 2 || st.VisitHouseholds != 9 || st.Cung["cung_an"] != 1 || st.Cung["cung_o"] != 0 {
		t.Errorf("visits: %d days %d nights %d hh %d cung %v", st.Visits, st.VisitDays, st.VisitNights, st.VisitHouseholds, st.Cung)
	}
	if len(st.Monthly) != 1 || st.Monthly[0].VisitDays != 2 || st.Monthly[0].Received != 2 {
		t.Errorf("monthly: %+v", st.Monthly)
	}
	if st.Models != 1 || st.LandM2 != 1200.5 || st.ModelsFieldStatus[FieldEconomy][ModelRecognised] != 1 {
		t.Errorf("models: %+v", st.ModelsFieldStatus)
	}
	all, _ := s.Stats("", "2026-03-01", "2026-03-31", "2026-06-01")
	if all.Concerns.Received != 3 {
		t.Errorf("commune-wide received %d, want 3", all.Concerns.Received)
	}
}

// TestIndexStatsAgreesWithStats: the figures the dashboard takes from the
// index equal those Stats reads from the records.
func TestIndexStatsAgreesWithStats(t *testing.T) {
	s := openTest(t, "")
	if _, err := GenerateDemo(s, DemoOptions{Scale: 1, Seed: 7, Today: "2026-06-15"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]Date{{"2026-06-01", "2026-06-30"}, {"2025-07-01", "2026-06-30"}} {
		full, err := s.Stats("", p[0], p[1], "2026-06-15")
		if err != nil {
			t.Fatal(err)
		}
		quick := s.IndexStats("", p[0], p[1], "2026-06-15")
		if quick.Concerns != full.Concerns || quick.Meetings != full.Meetings || quick.Visits != full.Visits ||
			quick.VisitDays != full.VisitDays || quick.VisitNights != full.VisitNights || quick.VisitHouseholds != full.VisitHouseholds {
			t.Errorf("%v: index %+v/%d/%d, records %+v/%d/%d", p, quick.Concerns, quick.Meetings, quick.Visits, full.Concerns, full.Meetings, full.Visits)
		}
		if full.Visits == 0 || full.Concerns.Received == 0 {
			t.Errorf("%v: demo period has no figures to compare", p)
		}
	}
}
