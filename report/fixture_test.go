package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"danvan/data"
)

// Planted names: the key person the PDF must show exactly, and the
// denouncer that must never appear anywhere.
const (
	keyPerson     = "Nguyễn Thị Hưởng"
	denouncerName = "Đinh Văn Tố Mật"
	secretEthnic  = "Giẻ Triêng"
	secretFaith   = "Phật giáo Hòa Hảo"
)

// testNow is the printing time of the tests' reports: after the period,
// so open and overdue are judged on 30/06/2026.
var testNow = time.Date(2026, 7, 5, 9, 30, 0, 0, time.Local)

var h1 = HalfPeriod(2026, 1)

func openStore(t testing.TB) *data.Store {
	t.Helper()
	s, err := data.Open(t.TempDir(), data.Options{Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	return s
}

type fixture struct {
	s              *data.Store
	village, other *data.Village
	denunciation   string // id of the planted tố cáo
}

func at(d data.Date) time.Time { return d.Time().Add(9 * time.Hour) }

// history builds a status history that reaches each status on its date.
func history(received data.Date, steps ...any) []data.StatusChange {
	h := []data.StatusChange{{ID: data.NewID(), To: data.StatusNew, By: "Y Sáng", At: at(received)}}
	from := data.StatusNew
	for i := 0; i+1 < len(steps); i += 2 {
		to := steps[i].(data.ConcernStatus)
		h = append(h, data.StatusChange{ID: data.NewID(), From: from, To: to, By: "Y Sáng", At: at(steps[i+1].(data.Date)), Note: "Cập nhật"})
		from = to
	}
	return h
}

func mustSaveMany(t testing.TB, s *data.Store, objs ...data.Object) {
	t.Helper()
	if err := s.SaveMany(objs, nil); err != nil {
		t.Fatal(err)
	}
}

// newFixture fills a store with one well-known village and a second one.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	s := openStore(t)
	f := &fixture{s: s}
	f.village = &data.Village{Name: "Làng Đăk Ang", VillageKind: data.VillageLang, Remote: true, Hotspot: true,
		HotspotReasons: []string{data.HotspotLand}, Households: 126, Ethnicities: []string{"Xơ Đăng", "Ba Na"},
		Notes: "Làng ở cuối tuyến đường liên xã, mùa mưa thường bị chia cắt; bà con chủ yếu trồng sâm dây và cà phê."}
	f.other = &data.Village{Name: "Thôn Kon Pao", VillageKind: data.VillageThon, Households: 88, Ethnicities: []string{"Xơ Đăng"}}
	mustSaveMany(t, s, f.village, f.other)
	v := f.village.ID

	var objs []data.Object
	objs = append(objs,
		&data.Person{Name: keyPerson, Village: v, Role: data.RolePrestige, Languages: []string{"Xơ Đăng", "Kinh"}, Phone: "0912345678"},
		&data.Person{Name: "A Blúi", Village: v, Role: data.RoleElder, Languages: []string{"Xơ Đăng"}},
		&data.Person{Name: "Y Hoa", Village: v, Role: data.RoleHead},
		&data.Household{Head: "A Thuận", Village: v, Members: 5, Ethnicity: secretEthnic, Religion: secretFaith},
		&data.Household{Head: "Y Liên", Village: v, Members: 4, Ethnicity: secretEthnic, Religion: secretFaith},
		&data.Household{Head: "A Nhát", Village: f.other.ID, Members: 6, Ethnicity: "Xơ Đăng"},
	)
	// Concerns of the period.
	objs = append(objs,
		&data.Concern{ConcernKind: data.ConcernPetition, Channel: data.ChannelReception, Received: "2026-02-03", Accepted: "2026-02-03",
			Village: v, RaiserKind: data.RaiserText, RaiserText: "A Thuận", Topic: "ha_tang", People: 1,
			Summary: "Kiến nghị sửa cầu tràn qua suối Đăk Ang trước mùa mưa", Status: data.StatusResolved,
			History: history("2026-02-03", data.StatusHandling, data.Date("2026-02-05"), data.StatusResolved, data.Date("2026-02-14"))},
		&data.Concern{ConcernKind: data.ConcernComplaint1, Channel: data.ChannelReception, Received: "2026-03-02", Accepted: "2026-03-02",
			Village: v, RaiserKind: data.RaiserText, RaiserText: "Y Liên", Topic: "dat_dai", People: 7,
			Summary: "Khiếu nại việc đo đạc, cấp giấy chứng nhận quyền sử dụng đất rẫy của 7 hộ giáp ranh với công ty lâm nghiệp; các hộ đề nghị đo lại có mặt già làng và trưởng thôn",
			Status:  data.StatusHandling, Assignee: "Y Sáng",
			History: history("2026-03-02", data.StatusHandling, data.Date("2026-03-04"))},
		&data.Concern{ConcernKind: data.ConcernReport, Channel: data.ChannelVisit, Received: "2026-05-20", Accepted: "2026-05-21",
			Village: v, RaiserKind: data.RaiserAnonymous, Topic: "moi_truong", People: 2,
			Summary: "Phản ánh xe chở gỗ làm hỏng đường vào làng", Status: data.StatusHandling, Assignee: "A Tuấn",
			History: history("2026-05-20", data.StatusHandling, data.Date("2026-05-21"))},
		&data.Concern{ConcernKind: data.ConcernReport, Channel: data.ChannelMeeting, Received: "2026-06-25", Accepted: "2026-06-26",
			Village: v, RaiserKind: data.RaiserAnonymous, Topic: "y_te", People: 1,
			Summary: "Phản ánh trạm y tế thiếu thuốc", Status: data.StatusForwarded,
			History: history("2026-06-25", data.StatusForwarded, data.Date("2026-06-27"))},
		&data.Concern{ConcernKind: data.ConcernPetition, Channel: data.ChannelPhone, Received: "2026-04-10",
			Village: v, RaiserKind: data.RaiserAnonymous, Topic: "giao_duc", Summary: "Kiến nghị mở thêm lớp mẫu giáo ở điểm trường làng"},
	)
	den := &data.Concern{ConcernKind: data.ConcernDenunciation, Channel: data.ChannelLetter, Received: "2026-04-02", Accepted: "2026-04-03",
		Village: v, RaiserKind: data.RaiserText, RaiserText: denouncerName, Topic: "an_ninh_trat_tu", People: 1,
		Summary: "Tố cáo hành vi khai thác gỗ trái phép ở khu rừng cộng đồng", Assignee: "Y Sáng", Status: data.StatusHandling,
		History: history("2026-04-02", data.StatusHandling, data.Date("2026-04-03"))}
	objs = append(objs, den,
		// Outside the period, and in the other village.
		&data.Concern{ConcernKind: data.ConcernPetition, Received: "2026-08-10", Village: v, Summary: "Sau kỳ báo cáo"},
		&data.Concern{ConcernKind: data.ConcernPetition, Received: "2026-03-05", Village: f.other.ID, Summary: "Thôn khác"},
	)
	ck := data.DefaultChecklist()
	visit := func(from, to data.Date, hh int, cadres ...string) *data.FieldVisit {
		fv := &data.FieldVisit{Cadres: cadres, Unit: "Đồn Biên phòng Đăk Long", Village: v, From: from, To: to, HouseholdCount: hh,
			Activities:   "Cùng bà con làm cỏ rẫy cà phê, hướng dẫn ủ phân chuồng; họp tổ tự quản về phòng chống cháy rừng.",
			Observations: "Tình hình an ninh ổn định; một số hộ còn băn khoăn về ranh giới đất rẫy."}
		for _, it := range ck.Cung {
			fv.Cung = append(fv.Cung, data.CheckItem{Key: it.ID, Label: it.Label, Done: it.ID != "cung_o" || hh > 5})
		}
		for _, it := range ck.Bam {
			fv.Bam = append(fv.Bam, data.CheckItem{Key: it.ID, Label: it.Label, Done: it.ID == "bam_dia_ban"})
		}
		return fv
	}
	objs = append(objs,
		visit("2026-01-12", "2026-01-15", 9, "Y Sáng", keyPerson),
		visit("2026-03-30", "2026-04-02", 4, "Y Sáng"),
		visit("2026-06-10", "2026-06-10", 6, "A Tuấn"),
		&data.Meeting{MeetingKind: data.MeetingAssembly, Date: "2026-03-10", Village: v, Chair: "Y Hoa", HeadCount: 95,
			HouseholdsTotal: 126, HouseholdsPresent: 104, Language: "Xơ Đăng", Interpreter: "A Blúi",
			Topics: []string{"Làm đường bê tông nội làng"},
			Agenda: []data.AgendaItem{{ID: data.NewID(), Category: data.AgendaDecide, Title: "Góp ngày công làm đường bê tông", VotesFor: 98, VotesAgainst: 6}},
			Actions: []data.Action{
				{ID: data.NewID(), Text: "Lập danh sách hộ góp ngày công", Owner: "Y Hoa", Due: "2026-03-20", Done: true},
				{ID: data.NewID(), Text: "Đề nghị xã hỗ trợ xi măng", Owner: "Y Sáng", Due: "2026-04-15"},
			}},
		&data.Meeting{MeetingKind: data.MeetingElders, Date: "2026-05-06", Village: v, Chair: "Y Sáng", HeadCount: 8,
			Attendees: []data.Attendee{{ID: data.NewID(), Name: keyPerson}, {ID: data.NewID(), Name: "A Blúi"}},
			Topics:    []string{"Vận động bà con không nghe theo đối tượng xấu"},
			Actions:   []data.Action{{ID: data.NewID(), Text: "Già làng nói chuyện với các hộ còn băn khoăn", Owner: "A Blúi", Due: "2026-07-30"}}},
		&data.Meeting{MeetingKind: data.MeetingDialogue, Date: "2026-06-18", Village: v, Chair: "Chủ tịch UBND xã", HeadCount: 60, Topics: []string{"Đền bù đất làm đường"}},
		&data.Model{Name: "Hiến đất làm đường giao thông nông thôn", Field: data.FieldEconomy, ModelKind: data.ModelCollective, Status: data.ModelRecognised,
			Village: v, Registered: "2026-01-05", LandM2: 1250.5, WorkDays: 340, PeopleReached: 126, Results: "Đã làm 1,2 km đường bê tông."},
		&data.Model{Name: "Già làng " + keyPerson + " vận động bà con bỏ hủ tục", Field: data.FieldCulture, ModelKind: data.ModelIndividual,
			Status: data.ModelRegistered, Village: v, Registered: "2026-04-01", Trainings: 3},
	)
	mustSaveMany(t, s, objs...)
	f.denunciation = den.ID
	return f
}

// needTool skips the test when a poppler tool is missing and cannot be
// installed.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed (apt-get install -y poppler-utils)", name)
	}
	return p
}

// pdfText runs pdftotext -layout on pdf and returns the text of each page.
func pdfText(t testing.TB, pdf []byte) []string {
	t.Helper()
	tool := needTool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

// savePNG renders page 1 of pdf as a PNG next to the test's output when
// REPORT_PNG_DIR is set, to look at.
func savePNG(t testing.TB, pdf []byte, name string) {
	dir := testPNGDir()
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pdftoppm", "-png", "-r", "60", filepath.Join(dir, name+".pdf"), filepath.Join(dir, name))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Logf("pdftoppm: %v %s", err, out)
	}
}

func villagePDF(t testing.TB, s *data.Store, village string, p Period, o Options) ([]byte, *VillageSummary) {
	t.Helper()
	if o.Now.IsZero() {
		o.Now = testNow
	}
	v, err := NewVillageSummary(s, village, p, o)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := v.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), v
}

func mustContain(t testing.TB, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func mustLack(t testing.TB, what string, blob []byte, bads ...string) {
	t.Helper()
	for _, b := range bads {
		if bytes.Contains(blob, []byte(b)) {
			t.Errorf("%s contains %q", what, b)
		}
	}
}

// testPNGDir is where tests leave PDFs and PNGs to look at
// (REPORT_PNG_DIR), or "".
func testPNGDir() string { return os.Getenv("REPORT_PNG_DIR") }

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
