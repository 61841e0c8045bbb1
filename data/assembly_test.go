package data

import (
	"errors"
	"testing"
)

// TestAssemblyQuorumAndDecisions: a hội nghị thôn is valid with more than
// 50% of the village's households represented, and a decision passes with
// more than 50% of all the village's households in favour, not of those
// present (Luật Thực hiện dân chủ ở cơ sở 2022).
func TestAssemblyQuorumAndDecisions(t *testing.T) {
	for _, c := range []struct {
		name                  string
		kind                  MeetingKind
		total, present        int
		forVotes, against     int
		quorate, passed, know bool
	}{
		{"most households, most of all in favour", MeetingAssembly, 126, 104, 98, 6, true, true, true},
		{"exactly half present: no quorum", MeetingAssembly, 100, 50, 50, 0, false, false, true},
		{"one more than half present", MeetingAssembly, 100, 51, 51, 0, true, true, true},
		{"most of those present but not of all", MeetingAssembly, 100, 60, 45, 15, true, false, true},
		{"exactly half of all in favour: not passed", MeetingAssembly, 100, 80, 50, 30, true, false, true},
		{"no quorum, whatever the votes", MeetingAssembly, 100, 40, 40, 0, false, false, true},
		{"no votes recorded", MeetingAssembly, 100, 80, 0, 0, true, false, false},
		{"households not recorded", MeetingAssembly, 0, 0, 10, 0, false, false, false},
		{"not a hội nghị thôn", MeetingElders, 100, 80, 70, 0, false, false, false},
	} {
		m := &Meeting{MeetingKind: c.kind, HouseholdsTotal: c.total, HouseholdsPresent: c.present}
		q, qk := m.Quorate()
		if q != c.quorate || qk != (c.kind == MeetingAssembly && c.total > 0) {
			t.Errorf("%s: quorate %v (known %v), want %v", c.name, q, qk, c.quorate)
		}
		p, pk := m.Passed(AgendaItem{VotesFor: c.forVotes, VotesAgainst: c.against})
		if p != c.passed || pk != c.know {
			t.Errorf("%s: passed %v (known %v), want %v (known %v)", c.name, p, pk, c.passed, c.know)
		}
	}
}

// The form of the vote is one of the law's three, or not given.
func TestVoteForm(t *testing.T) {
	for _, c := range []struct {
		form string
		ok   bool
	}{{"", true}, {VoteAtMeeting, true}, {VoteBallot, true}, {VoteOnline, true}, {"gio_tay", false}} {
		m := &Meeting{MeetingKind: MeetingAssembly, Date: "2026-03-10", Village: "v", HouseholdsTotal: 10, HouseholdsPresent: 8, VoteForm: c.form}
		err := Validate(m, func(string) bool { return true })
		var ve *ValidationError
		bad := false
		if errors.As(err, &ve) {
			_, bad = ve.For("field.meeting.vote_form")
		}
		if bad == c.ok {
			t.Errorf("vote form %q: error %v", c.form, err)
		}
	}
}
