package ui

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// openMeetingsScreen shows the meetings screen with its list loaded.
func openMeetingsScreen(t *testing.T, sh *Shell) *MeetingsScreen {
	t.Helper()
	s := showScreen[*MeetingsScreen](t, sh, "meetings")
	s.Refresh()
	sh.wait()
	return s
}

// newMeetingForm opens an empty meeting form with Ctrl+N.
func newMeetingForm(t *testing.T, sh *Shell) *MeetingForm {
	t.Helper()
	press(sh, fyne.KeyN)
	sh.wait()
	f, ok := sh.ActiveForm().(*MeetingForm)
	if !ok || f.Dialog == nil {
		t.Fatalf("Ctrl+N on the meetings screen should open the meeting form (active form %T)", sh.ActiveForm())
	}
	return f
}

func TestMeetingWithAttendeesAgendaActionsAndARaisedConcern(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	s := openMeetingsScreen(t, sh)
	f := newMeetingForm(t, sh)

	f.Kind.SetValue(string(data.MeetingAssembly))
	f.Village.SetValue(p.remote.ID)
	sh.wait()
	if len(f.Persons.Options) != 2 {
		t.Fatalf("attendees offered %v, want the village's 2 key persons", f.Persons.Options)
	}
	if f.Total.Text != "80" {
		t.Errorf("households total %q, want the village's 80", f.Total.Text)
	}
	f.Persons.SetSelected(f.Persons.Options)
	test.Type(f.Names, "Y Sáng, Đinh Văn Hùng")
	f.Date.SetText("")
	test.Type(f.Date.Entry, "15/03/2026")
	test.Type(f.Chair, "A Thoong")
	test.Type(f.Present, "62")
	f.VoteForm.SetValue(data.VoteBallot)
	test.Type(f.Language, "Tiếng Xơ Đăng")

	test.Tap(f.AddAgenda)
	a := f.Agenda.items[0]
	test.Type(a.Title, "Làm đường bê tông vào khu sản xuất")
	test.Type(a.Decision, "Mỗi hộ góp 3 ngày công")
	test.Type(a.For, "55")
	test.Type(a.Against, "4")
	test.Type(a.Dissent, "Hai hộ xin góp tiền thay ngày công")
	test.Tap(f.AddAction)
	act := f.Actions.items[0]
	test.Type(act.Text, "Lập danh sách hộ góp ngày công")
	test.Type(act.Owner, "Y Blưm")
	test.Type(act.Due.Entry, "25/03/2026")

	// Raise a concern from the unsaved meeting: it is saved first.
	test.Tap(f.RaiseConcern)
	sh.wait()
	if f.base.ID == "" || f.RaisedForm == nil {
		t.Fatal("raising a concern from a new meeting should save the meeting and open the concern form")
	}
	meetingID := f.base.ID
	cf := f.RaisedForm
	if cf.Village.Value() != p.remote.ID || cf.Channel.Value() != data.ChannelMeeting || cf.Received.Text != "15/03/2026" {
		t.Errorf("the concern form is not prefilled from the meeting: village %q, channel %q, received %q",
			cf.Village.Value(), cf.Channel.Value(), cf.Received.Text)
	}
	cf.Kind.SetValue(string(data.ConcernPetition))
	test.Type(cf.Summary, "Đề nghị hỗ trợ xi măng làm đường")
	test.Tap(cf.Form.Save)
	sh.wait()
	if sh.ActiveForm() != f {
		t.Fatal("after the concern is saved, the meeting form should be active again")
	}
	test.Tap(f.Form.Save)
	sh.wait()
	if sh.ActiveForm() != nil {
		t.Fatal("the meeting form should close on save")
	}

	st := sh.Store()
	if n := st.Count(data.Filter{Kind: data.KindMeeting}); n != 1 {
		t.Fatalf("%d meetings stored, want 1 (saved once, then updated)", n)
	}
	var m data.Meeting
	if err := st.Load(meetingID, &m); err != nil {
		t.Fatal(err)
	}
	var linked []string
	for _, at := range m.Attendees {
		if at.PersonID != "" {
			linked = append(linked, at.Name)
		}
	}
	slices.Sort(linked)
	if !slices.Equal(linked, []string{"A Thoong", "Y Blưm"}) || len(m.Attendees) != 4 || m.HeadCount != 4 {
		t.Errorf("attendees %+v, head count %d", m.Attendees, m.HeadCount)
	}
	if len(m.Agenda) != 1 || m.Agenda[0].VotesFor != 55 || m.Agenda[0].VotesAgainst != 4 || m.Agenda[0].Category != data.AgendaDecide {
		t.Errorf("agenda %+v", m.Agenda)
	}
	if len(m.Actions) != 1 || m.Actions[0].Due != "2026-03-25" || m.Actions[0].Owner != "Y Blưm" || m.Actions[0].Done {
		t.Errorf("actions %+v", m.Actions)
	}
	if m.HouseholdsTotal != 80 || m.HouseholdsPresent != 62 || m.Date != "2026-03-15" || m.Chair != "A Thoong" || m.VoteForm != data.VoteBallot {
		t.Errorf("meeting %+v", m)
	}
	concerns := st.Find(data.Filter{Kind: data.KindConcern}, data.ByTitle)
	if len(concerns) != 1 {
		t.Fatalf("%d concerns stored, want 1", len(concerns))
	}
	var c data.Concern
	if err := st.Load(concerns[0].ID, &c); err != nil {
		t.Fatal(err)
	}
	if c.MeetingID != meetingID || c.Channel != data.ChannelMeeting || c.Received != "2026-03-15" {
		t.Errorf("concern not linked to the meeting: %+v", c)
	}

	s.Refresh()
	sh.wait()
	if len(s.Rows()) != 1 {
		t.Fatalf("meeting list shows %d", len(s.Rows()))
	}
	row := listTexts(s.List, 1)[0]
	for _, want := range []string{"Hội nghị thôn", p.remoteName, "15/03/2026", "A Thoong", "1 việc chưa xong"} {
		if !strings.Contains(row, want) {
			t.Errorf("list row %q lacks %q", row, want)
		}
	}
	s.Open(meetingID)
	sh.wait()
	d := s.Detail
	shown := allTexts(d.Content)
	for _, want := range []string{"Tán thành: 55 hộ · Không tán thành: 4 hộ", "62/80 hộ", "đủ điều kiện (trên 50% số hộ dự)",
		"Thông qua: 55/80 hộ của thôn tán thành", "Phát phiếu lấy ý kiến hộ gia đình", "Lập danh sách hộ góp ngày công", "Người tham dự (4)"} {
		if !strings.Contains(shown, want) {
			t.Errorf("meeting detail lacks %q:\n%s", want, shown)
		}
	}
	if len(d.Concerns) != 1 || !strings.Contains(d.Concerns[0].Text, "Đề nghị hỗ trợ xi măng") {
		t.Fatalf("the meeting should list the concern raised there: %v", d.Concerns)
	}
	// The concern links back to the meeting.
	tapLink(d.Concerns[0])
	sh.wait()
	cs, ok := sh.Current().(*ConcernsScreen)
	if !ok || cs.Detail == nil || cs.Detail.Source == nil {
		t.Fatal("tapping the concern should open it, with a link to the meeting")
	}
	tapLink(cs.Detail.Source)
	sh.wait()
	if sh.Current() != s || s.Detail == nil || s.Detail.Meeting.ID != meetingID {
		t.Error("the concern's link should lead back to the meeting")
	}
	// Ticking the action done from the detail saves it.
	test.Tap(s.Detail.Actions[0])
	sh.wait()
	if err := st.Load(meetingID, &m); err != nil || !m.Actions[0].Done {
		t.Errorf("ticking the action should save it done: %+v, %v", m.Actions, err)
	}
}

// tapLink taps a link on its text, as a user would.
func tapLink(l *widget.Hyperlink) {
	test.TapAt(l, fyne.NewPos(theme.InnerPadding()+2, l.MinSize().Height/2))
}

func TestAssemblyHouseholdsPresentOverTotalIsRefused(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	openMeetingsScreen(t, sh)
	f := newMeetingForm(t, sh)
	f.Kind.SetValue(string(data.MeetingAssembly))
	f.Village.SetValue(p.near.ID)
	sh.wait()
	f.Total.SetText("")
	test.Type(f.Total, "40")
	test.Type(f.Present, "45")
	msg := f.Form.ErrorText("field.meeting.households_present")
	if !strings.Contains(msg, "không được lớn hơn Tổng số hộ") {
		t.Fatalf("inline error %q", msg)
	}
	test.Tap(f.Form.Save)
	sh.wait()
	if n := sh.Store().Count(data.Filter{Kind: data.KindMeeting}); n != 0 {
		t.Fatalf("%d meetings saved despite the error", n)
	}
	if sh.ActiveForm() != f || f.Form.ErrorText("field.meeting.households_present") == "" {
		t.Error("the form should stay open, showing the error")
	}
	// Another kind of meeting has no household count.
	f.Kind.SetValue(string(data.MeetingElders))
	if f.Form.ErrorText("field.meeting.households_present") != "" {
		t.Error("the households error should go with the households fields")
	}
}

func TestMeetingDraftSurvivesEsc(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	openMeetingsScreen(t, sh)
	f := newMeetingForm(t, sh)
	f.Kind.SetValue(string(data.MeetingElders))
	f.Village.SetValue(p.remote.ID)
	sh.wait()
	f.Persons.SetSelected(f.Persons.Options[:1])
	test.Tap(f.AddAgenda)
	test.Type(f.Agenda.items[0].Title, "Bàn việc giữ rừng đầu nguồn")
	test.Tap(f.AddAction)
	test.Type(f.Actions.items[0].Text, "Họp lại sau mùa rẫy")
	f.Topics["moi_truong"].SetChecked(true)
	sh.wait()
	pressEsc(sh) // closes the form without saving
	sh.wait()
	if sh.Win.Canvas().Overlays().Top() != nil || sh.ActiveForm() != nil {
		t.Fatal("Esc should close the meeting form")
	}
	if n := sh.Store().Count(data.Filter{Kind: data.KindMeeting}); n != 0 {
		t.Fatalf("Esc saved %d meetings", n)
	}

	f2 := newMeetingForm(t, sh)
	if f2.DraftPrompt == nil {
		t.Fatal("the draft should be offered back")
	}
	f2.DraftPrompt.Confirm()
	sh.wait()
	if len(f2.Agenda.items) != 1 || f2.Agenda.items[0].Title.Text != "Bàn việc giữ rừng đầu nguồn" ||
		len(f2.Actions.items) != 1 || f2.Actions.items[0].Text.Text != "Họp lại sau mùa rẫy" ||
		f2.Village.Value() != p.remote.ID || len(f2.Persons.Selected) != 1 || !f2.Topics["moi_truong"].Checked {
		t.Fatalf("restored agenda %d, actions %d, village %q, persons %v", len(f2.Agenda.items), len(f2.Actions.items), f2.Village.Value(), f2.Persons.Selected)
	}
	test.Tap(f2.Form.Save)
	sh.wait()
	var m data.Meeting
	rows := sh.Store().Find(data.Filter{Kind: data.KindMeeting}, data.ByTitle)
	if len(rows) != 1 || sh.Store().Load(rows[0].ID, &m) != nil || len(m.Agenda) != 1 || len(m.Attendees) != 1 || m.Topics[0] != "moi_truong" {
		t.Fatalf("saved meeting %+v", m)
	}
	if sh.Store().Draft("meeting/new") != nil {
		t.Error("saving should drop the draft")
	}
}

// A decision backed by most of those present but not by more than half of
// all the village's households does not pass, and says so in red.
func TestAssemblyDecisionNeedsMostOfAllHouseholds(t *testing.T) {
	sh := fieldShell(t)
	m := &data.Meeting{MeetingKind: data.MeetingAssembly, HouseholdsTotal: 100, HouseholdsPresent: 60}
	a := data.AgendaItem{Category: data.AgendaDecide, Title: "Góp tiền làm đường", VotesFor: 45, VotesAgainst: 15}
	shown := allTexts(agendaView(sh, m, a))
	if !strings.Contains(shown, "Không thông qua: 45/100 hộ tán thành") {
		t.Errorf("45 of 100 households in favour (of 60 present) shown as:\n%s", shown)
	}
	a.VotesFor, a.VotesAgainst = 51, 9
	if shown := allTexts(agendaView(sh, m, a)); !strings.Contains(shown, "Thông qua: 51/100") {
		t.Errorf("51 of 100 households in favour shown as:\n%s", shown)
	}
}

// TestAssemblyMinutesSavedAsPDF: a hội nghị thôn's page prints its biên
// bản (report.Minutes) to the file chosen and says where it is; other
// meetings have no such button.
func TestAssemblyMinutesSavedAsPDF(t *testing.T) {
	sh := fieldShell(t)
	p := newConcernPlace(t, sh)
	dir, names := fakeSaveDialog(t)
	m := &data.Meeting{MeetingKind: data.MeetingAssembly, Date: "2026-03-15", Village: p.remote.ID, Chair: "A Thoong",
		HouseholdsTotal: 80, HouseholdsPresent: 62, VoteForm: data.VoteBallot, Signatories: []string{"A Thoong", "Y Blưm"},
		Agenda: []data.AgendaItem{{Category: data.AgendaDecide, Title: "Góp ngày công làm đường", VotesFor: 55, VotesAgainst: 4}}}
	elders := &data.Meeting{MeetingKind: data.MeetingElders, Date: "2026-03-16", Village: p.remote.ID}
	mustSave(t, sh, m)
	mustSave(t, sh, elders)
	s := openMeetingsScreen(t, sh)
	s.Open(elders.ID)
	sh.wait()
	if s.Detail.Minutes != nil {
		t.Error("a meeting with elders offers minutes of a hội nghị thôn")
	}
	s.Open(m.ID)
	sh.wait()
	d := s.Detail
	if d.Minutes == nil {
		t.Fatal("the hội nghị thôn's page has no In biên bản")
	}
	test.Tap(d.Minutes)
	sh.wait()
	if len(*names) != 1 || !strings.HasPrefix((*names)[0], "bien-ban-hoi-nghi-lang-dak-me-2026-03-15") {
		t.Fatalf("names suggested %v", *names)
	}
	path := filepath.Join(dir, (*names)[0])
	if got := topDialogText(sh); !strings.Contains(got, path) {
		t.Errorf("the saved message %q does not say where", got)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Skipf("pdftotext: %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"BIÊN BẢN", "Hội nghị Làng Đăk Mế", "62/80 = 77,5%", "55 4 55/80 = 68,7% Thông qua", "Phát phiếu lấy ý kiến"} {
		if !strings.Contains(text, want) {
			t.Errorf("the minutes lack %q", want)
		}
	}
}
