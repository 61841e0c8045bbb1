package data

import "testing"

// TestAssemblyVotes: a hội nghị thôn's votes are counted in households:
// negative votes, or more votes than households represented, are refused
// naming "Nội dung và biểu quyết"; votes within the households present
// pass.
func TestAssemblyVotes(t *testing.T) {
	cases := []struct {
		name         string
		present      int
		forV, agains int
		msg          string
	}{
		{"within the households present", 66, 40, 20, ""},
		{"all present vote", 66, 60, 6, ""},
		{"negative votes", 66, -3, 0, MsgNegative},
		{"more votes than households present", 66, 50, 20, MsgTooMany},
		{"present not recorded", 0, 50, 20, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := &Meeting{MeetingKind: MeetingAssembly, Date: "2026-03-10", Village: "v1", Chair: "A Blúi", HouseholdsTotal: 80, HouseholdsPresent: tc.present,
				Agenda: []AgendaItem{{ID: "a1", Category: "ban_quyet_dinh", Title: "Làm đường bê tông", VotesFor: tc.forV, VotesAgainst: tc.agains}}}
			err := Validate(m, nil)
			v, isV := AsValidation(err)
			got := ""
			if isV {
				for _, f := range v.Fields {
					if f.Field == FieldAgendaVotes {
						got = f.Msg
					}
				}
			}
			if got != tc.msg {
				t.Errorf("votes %d/%d of %d present: %q (%v), want %q", tc.forV, tc.agains, tc.present, got, err, tc.msg)
			}
		})
	}
}

// TestMinutesSentThenRecognised: a hội nghị thôn's minutes go to the
// commune on or after the assembly, and the commune recognises them on or
// after it received them; a recognition without the date sent is
// refused, naming the field.
func TestMinutesSentThenRecognised(t *testing.T) {
	for _, c := range []struct {
		name                  string
		forwarded, recognised Date
		field, msg            string
	}{
		{"sent and recognised", "2026-03-12", "2026-03-19", "", ""},
		{"sent, not yet recognised", "2026-03-12", "", "", ""},
		{"sent the same day", "2026-03-10", "2026-03-10", "", ""},
		{"sent before the assembly", "2026-03-09", "", "meetings.field.forwarded", MsgDateOrder},
		{"recognised before it was sent", "2026-03-12", "2026-03-11", "meetings.field.recognised", MsgDateOrder},
		{"recognised, never sent", "", "2026-03-19", "meetings.field.forwarded", MsgRequired},
		{"not a date", "2026-02-30", "", "meetings.field.forwarded", MsgInvalid},
	} {
		m := &Meeting{MeetingKind: MeetingAssembly, Date: "2026-03-10", Village: "v1", HouseholdsTotal: 80, HouseholdsPresent: 50,
			Forwarded: c.forwarded, Recognised: c.recognised}
		err := Validate(m, nil)
		v, _ := AsValidation(err)
		field, msg := "", ""
		if v != nil && len(v.Fields) > 0 {
			field, msg = v.Fields[0].Field, v.Fields[0].Msg
		}
		if field != c.field || msg != c.msg {
			t.Errorf("%s: %v, want %s %s", c.name, err, c.field, c.msg)
		}
	}
}
