package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"danvan/data"
)

// assembly saves a hội nghị thôn of the village v (120 households) with
// present households represented and three items: a road levy 61 for
// (more than half of 120: passes), a meeting-house repair 60 for (half:
// does not pass), a disclosure without a vote.
func assembly(t *testing.T, s *data.Store, v string, present int) *data.Meeting {
	t.Helper()
	return assemblyVotes(t, s, v, present, 61, 4)
}

// assemblyVotes is assembly with the first item's votes given.
func assemblyVotes(t *testing.T, s *data.Store, v string, present, votesFor, against int) *data.Meeting {
	t.Helper()
	m := &data.Meeting{MeetingKind: data.MeetingAssembly, Date: "2026-06-14", Village: v, Chair: "A Blúi",
		HouseholdsTotal: 120, HouseholdsPresent: present, HeadCount: present + 9, VoteForm: data.VoteAtMeeting,
		Language: "Xơ Đăng", Interpreter: "Y Hoa", Signatories: []string{"A Blúi", "Y Hoa"},
		Forwarded: "2026-06-16", Recognised: "2026-06-23", Notes: "Bà con đề nghị làm đường trước mùa mưa.",
		Agenda: []data.AgendaItem{
			{Category: data.AgendaDecide, Title: "Đóng góp làm đường bê tông nội thôn", Decision: "Mỗi hộ góp 5 ngày công", VotesFor: votesFor, VotesAgainst: against},
			{Category: data.AgendaDecide, Title: "Sửa nhà rông", VotesFor: min(60, present-5), VotesAgainst: 5, Dissent: "Hai hộ đề nghị để sang năm."},
			{Category: data.AgendaDisclose, Title: "Công khai danh sách hộ nghèo"},
		}}
	mustSaveMany(t, s, m)
	return m
}

func minutesText(t *testing.T, s *data.Store, id, name string) string {
	t.Helper()
	mn, err := NewMinutes(s, id, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := mn.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	savePNG(t, buf.Bytes(), name)
	return strings.Join(strings.Fields(strings.Join(pdfText(t, buf.Bytes()), "\n")), " ")
}

// TestMinutesOfAVillageAssembly: the biên bản says whether the assembly
// had its quorum and, for each item, the households in favour out of all
// the village's and whether it passed (Luật Thực hiện dân chủ ở cơ sở
// 2022: more than half of all households, not of those present), with
// the dates the commune received and recognised it.
func TestMinutesOfAVillageAssembly(t *testing.T) {
	s := openStore(t)
	v := &data.Village{Name: "Thôn Kon Hring", VillageKind: data.VillageThon, Households: 120}
	mustSaveMany(t, s, v)
	m := assembly(t, s, v.ID, 70)
	text := minutesText(t, s, m.ID, "minutes")
	mustContain(t, "minutes", text, "ỦY BAN NHÂN DÂN XÃ ĐĂK LONG", "THÔN KON HRING", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"BIÊN BẢN", "Hội nghị Thôn Kon Hring", "Ngày 14/06/2026, tại Thôn Kon Hring.", "Tổng số hộ gia đình trong thôn 120",
		"Số hộ có đại diện tham dự 70/120 = 58,3%", "đủ điều kiện tiến hành", "Biểu quyết tại hội nghị",
		"Đóng góp làm", "61 4 61/120 = 50,8% Thông qua", "60 5 60/120 = 50% Không thông qua",
		"Không biểu quyết", "Hai hộ đề nghị để sang năm.", "Ngày gửi biên bản về Ủy ban nhân dân xã 16/06/2026",
		"Ngày Ủy ban nhân dân xã công nhận 23/06/2026", "THƯ KÝ", "CHỦ TRÌ HỘI NGHỊ", "Y Hoa", "A Blúi")

	// 60 of 120 represented is not more than half: no quorum, nothing passes.
	m2 := assemblyVotes(t, s, v.ID, 60, 58, 2)
	text = minutesText(t, s, m2.ID, "minutes-no-quorum")
	mustContain(t, "minutes without a quorum", text, "60/120 = 50%", "chưa đủ điều kiện để quyết định", "58 2 58/120 = 48,3% Không thông qua")
	if strings.Contains(text, " Thông qua") {
		t.Error("an item passed at an assembly without its quorum")
	}

	// Only a hội nghị thôn has minutes in this form.
	other := &data.Meeting{MeetingKind: data.MeetingElders, Date: "2026-06-14", Village: v.ID}
	mustSaveMany(t, s, other)
	if _, err := NewMinutes(s, other.ID, Options{}); !errors.Is(err, ErrNotAssembly) {
		t.Errorf("minutes of a meeting with elders: %v, want ErrNotAssembly", err)
	}
}
