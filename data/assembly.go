package data

// The households' vote at a hội nghị thôn, by the Law on Grassroots
// Democracy (Luật Thực hiện dân chủ ở cơ sở 2022, Luật 10/2022/QH15, on
// what the people discuss and decide; domain.md, Meetings): the household
// is the voting unit; the assembly is valid with more than 50% of the
// village's households represented; a decision passes with more than 50%
// of ALL the village's households in favour, not of those present.

// Quorate reports whether a village assembly had its quorum: more than
// half of HouseholdsTotal represented. known is false when the meeting
// is not a hội nghị thôn or the village's households are not recorded.
func (m *Meeting) Quorate() (ok, known bool) {
	if m.MeetingKind != MeetingAssembly || m.HouseholdsTotal <= 0 {
		return false, false
	}
	return 2*m.HouseholdsPresent > m.HouseholdsTotal, true
}

// Passed reports whether agenda item a of a village assembly passed: more
// than half of all the village's households (HouseholdsTotal) in favour,
// at an assembly that had its quorum. known is false when there is no
// vote to judge (not a hội nghị thôn, no households recorded, no votes).
func (m *Meeting) Passed(a AgendaItem) (ok, known bool) {
	quorate, k := m.Quorate()
	if !k || a.VotesFor+a.VotesAgainst == 0 {
		return false, false
	}
	return quorate && 2*a.VotesFor > m.HouseholdsTotal, true
}
