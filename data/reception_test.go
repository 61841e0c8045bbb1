package data

import "testing"

// A reception session (Luật Tiếp công dân 2013, Đ.15) names who received
// and may be held at the commune's office; each citizen answered without
// a concern has a name and what they brought.
func TestReceptionValidation(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Đăk Ang", true)
	ok := func(id string) bool { return id == v.ID }
	cases := []struct {
		name  string
		m     Meeting
		field string // the invalid field, "" when valid
	}{
		{"at the office", Meeting{MeetingKind: MeetingReception, Date: "2026-03-02", Chair: "Nguyễn Hữu Phước"}, ""},
		{"in a village", Meeting{MeetingKind: MeetingReception, Date: "2026-03-02", Chair: "Nguyễn Hữu Phước", Village: v.ID}, ""},
		{"no receiver", Meeting{MeetingKind: MeetingReception, Date: "2026-03-02"}, "meetings.field.receiver"},
		{"unknown village", Meeting{MeetingKind: MeetingReception, Date: "2026-03-02", Chair: "A", Village: "x"}, "field.meeting.village"},
		{"citizen without content", Meeting{MeetingKind: MeetingReception, Date: "2026-03-02", Chair: "A",
			Received: []ReceivedCitizen{{ID: "1", Name: "Y Blim"}}}, FieldReceived},
		{"citizen without name", Meeting{MeetingKind: MeetingReception, Date: "2026-03-02", Chair: "A",
			Received: []ReceivedCitizen{{ID: "1", Content: "Hỏi thủ tục"}}}, FieldReceived},
		{"answered citizen", Meeting{MeetingKind: MeetingReception, Date: "2026-03-02", Chair: "A",
			Received: []ReceivedCitizen{{ID: "1", Name: "Y Blim", Content: "Hỏi thủ tục"}}}, ""},
		{"an assembly still needs its village", Meeting{MeetingKind: MeetingAssembly, Date: "2026-03-02", Chair: "A"}, "field.meeting.village"},
	}
	for _, c := range cases {
		err := Validate(&c.m, ok)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: refused: %v", c.name, err)
			}
			continue
		}
		ve, isVE := err.(*ValidationError)
		if !isVE {
			t.Errorf("%s: got %v, want an error on %s", c.name, err, c.field)
			continue
		}
		if _, found := ve.For(c.field); !found {
			t.Errorf("%s: got %v, want an error on %s", c.name, err, c.field)
		}
	}
}

// Reception sessions count as recorded, each other day a concern came by
// tiếp công dân counts as one more, and a session is not a meeting; the
// people received are the concerns' people and the citizens answered.
// The index's figures (the dashboard) agree.
func TestReceptionSessionsCount(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Đăk Ang", true)
	session := &Meeting{MeetingKind: MeetingReception, Date: "2026-03-02", Chair: "Nguyễn Hữu Phước",
		Received: []ReceivedCitizen{{ID: NewID(), Name: "Y Blim", Content: "Hỏi thủ tục đất"}, {ID: NewID(), Name: "A Thuyên", Content: "Hỏi hỗ trợ nhà ở"}}}
	mustSave(t, s, session)
	mustSave(t, s, &Meeting{MeetingKind: MeetingReception, Date: "2026-03-02", Chair: "Phó Chủ tịch", Village: v.ID})
	mustSave(t, s, &Concern{ConcernKind: ConcernPetition, Channel: ChannelReception, Received: "2026-03-02", Village: v.ID, Summary: "Kiến nghị làm cầu tràn", People: 3, MeetingID: session.ID})
	mustSave(t, s, &Concern{ConcernKind: ConcernPetition, Channel: ChannelReception, Received: "2026-03-09", Village: v.ID, Summary: "Kiến nghị sửa đường"})
	mustSave(t, s, &Meeting{MeetingKind: MeetingReception, Date: "2026-04-01", Chair: "Nguyễn Hữu Phước"})

	st, err := s.Stats("", "2026-03-01", "2026-03-31", "2026-06-01")
	if err != nil {
		t.Fatal(err)
	}
	// Two sessions on 2/3 and the day 9/3; 2 answered + 3 + 1 people.
	if st.Receptions != 3 || st.Received != 6 || st.Meetings != 0 || len(st.MeetingsByKind) != 0 {
		t.Errorf("sessions %d people %d meetings %d %v, want 3, 6, 0", st.Receptions, st.Received, st.Meetings, st.MeetingsByKind)
	}
	ix := s.IndexStats("", "2026-03-01", "2026-03-31", "2026-06-01")
	if ix.Receptions != st.Receptions || ix.Received != st.Received {
		t.Errorf("index: sessions %d people %d, records %d %d", ix.Receptions, ix.Received, st.Receptions, st.Received)
	}
	// The village: its own session and its day 9/3 (the office's session
	// is the commune's).
	vs, _ := s.Stats(v.ID, "2026-03-01", "2026-03-31", "2026-06-01")
	if vs.Receptions != 2 || vs.Received != 4 {
		t.Errorf("village: sessions %d people %d, want 2 and 4", vs.Receptions, vs.Received)
	}
}
