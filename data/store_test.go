package data

import (
	"github.com/google/uuid"

	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// openTest opens a fresh store bound to Xã Đăk Long.
func openTest(t testing.TB, pass string) *Store {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir, Options{Passphrase: pass, Actor: "Y Sáng"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	return s
}

func mustSave(t testing.TB, s *Store, obj Object) {
	t.Helper()
	if err := s.Save(obj); err != nil {
		t.Fatalf("save %T: %v", obj, err)
	}
}

func newVillage(t testing.TB, s *Store, name string, remote bool) *Village {
	v := &Village{Name: name, VillageKind: VillageLang, Remote: remote, Households: 120, Ethnicities: []string{"Xơ Đăng"}}
	mustSave(t, s, v)
	return v
}

func TestSaveGetRoundTrip(t *testing.T) {
	s := openTest(t, "mật khẩu dài")
	v := newVillage(t, s, "Làng Đăk Ang", true)
	if v.ID == "" || v.Commune != "23368" || v.Author != s.Device() {
		t.Fatalf("meta not filled: %+v", v.Meta)
	}
	c := &Concern{ConcernKind: ConcernComplaint1, Channel: ChannelVisit, Received: "2026-03-01", Accepted: "2026-03-03",
		Village: v.ID, RaiserKind: RaiserText, RaiserText: "Nguyễn Thị Hưởng", Topic: "dat_dai",
		Summary: "Nguyễn Thị Hưởng đã phản ánh việc cấp giấy chứng nhận quyền sử dụng đất chậm", People: 6}
	mustSave(t, s, c)
	var got Concern
	if err := s.Load(c.ID, &got); err != nil {
		t.Fatal(err)
	}
	if got.Summary != c.Summary || got.RaiserText != "Nguyễn Thị Hưởng" || !got.Mass() {
		t.Fatalf("round trip lost data: %+v", got)
	}
	// remote village, complaint first instance: 45 days from acceptance
	if got.Deadline != "2026-04-17" {
		t.Fatalf("deadline = %s, want 2026-04-17", got.Deadline)
	}
	if len(got.History) != 1 || got.History[0].To != StatusNew || got.History[0].By != "Y Sáng" {
		t.Fatalf("history on create = %+v", got.History)
	}
}

func TestValidationNamesFields(t *testing.T) {
	s := openTest(t, "")
	err := s.Save(&Concern{ConcernKind: ConcernPetition, Received: "2026-01-05", Village: "khong-co"})
	ve, ok := AsValidation(err)
	if !ok {
		t.Fatalf("want validation error, got %v", err)
	}
	if f, ok := ve.For("field.concern.summary"); !ok || f.Msg != MsgRequired {
		t.Errorf("empty summary not reported: %v", err)
	}
	if f, ok := ve.For("field.concern.village"); !ok || f.Msg != MsgUnknownVillage {
		t.Errorf("unknown village not reported: %v", err)
	}
	v := newVillage(t, s, "Thôn Kon Pao", false)
	err = s.Save(&FieldVisit{Village: v.ID, Cadres: []string{"A"}, From: "2026-05-10", To: "2026-05-08"})
	if ve, ok := AsValidation(err); !ok {
		t.Fatalf("visit dates: %v", err)
	} else if f, ok := ve.For("field.visit.to"); !ok || f.Msg != MsgDateOrder || f.Other != "field.visit.from" {
		t.Errorf("to before from not reported: %v", err)
	}
	err = s.Save(&Meeting{MeetingKind: MeetingAssembly, Date: "2026-05-01", Village: v.ID, HouseholdsTotal: 80, HouseholdsPresent: 81})
	if ve, ok := AsValidation(err); !ok {
		t.Fatalf("meeting: %v", err)
	} else if f, ok := ve.For("field.meeting.households_present"); !ok || f.Msg != MsgTooMany {
		t.Errorf("present > total not reported: %v", err)
	}
	if n := s.Count(Filter{}); n != 1 {
		t.Errorf("invalid saves stored records: count %d, want 1", n)
	}
}

func TestDeleteRestoreAndAudit(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Bản Nà Lừa", false)
	h := &Household{Head: "A Thuý", Village: v.ID, Members: 5, Ethnicity: "Xơ Đăng"}
	mustSave(t, s, h)
	h.Members = 6
	mustSave(t, s, h)
	if err := s.Delete(h.ID); err != nil {
		t.Fatal(err)
	}
	if n := s.Count(Filter{Kind: KindHousehold}); n != 0 {
		t.Fatalf("deleted household still listed: %d", n)
	}
	if rows := s.Find(Filter{Kind: KindHousehold, Deleted: true}, ByTitle); len(rows) != 1 || rows[0].Title != "A Thuý" {
		t.Fatalf("trash = %+v", rows)
	}
	if err := s.Restore(h.ID); err != nil {
		t.Fatal(err)
	}
	var got Household
	if err := s.Load(h.ID, &got); err != nil || got.Deleted || got.Members != 6 {
		t.Fatalf("restore: %+v %v", got, err)
	}
	trail, err := s.AuditTrail(h.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action)
		if e.Who != "Y Sáng" || e.Device != s.Device() || e.At.IsZero() {
			t.Errorf("audit entry lacks who/when: %+v", e)
		}
	}
	if strings.Join(actions, ",") != "create,update,delete,restore" {
		t.Fatalf("audit actions = %v", actions)
	}
	if trail[1].Fields[0] != "members" || len(trail[1].Fields) != 1 {
		t.Errorf("update audit fields = %v, want [members]", trail[1].Fields)
	}
	if n := outboxLen(t, s); n != 5 { // village + 4 household changes
		t.Errorf("outbox = %d, want 5", n)
	}
	if n := s.Pending(); n != 2 { // the village and the household
		t.Errorf("pending = %d records, want 2", n)
	}
}

func TestStatusChangeKeepsHistory(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Thôn Đăk Mế", false)
	c := &Concern{ConcernKind: ConcernPetition, Received: "2026-02-01", Accepted: "2026-02-01", Village: v.ID, Summary: "Đường vào thôn sạt lở", Topic: "ha_tang"}
	mustSave(t, s, c)
	if err := s.ChangeStatus(c.ID, StatusHandling, ""); err == nil {
		t.Fatal("status change without a note was accepted")
	}
	if err := s.ChangeStatus(c.ID, StatusHandling, "Đã giao cho công chức địa chính"); err != nil {
		t.Fatal(err)
	}
	s.SetActor("Trần Văn Bình")
	if err := s.ChangeStatus(c.ID, StatusResolved, "Đã sửa xong đường"); err != nil {
		t.Fatal(err)
	}
	var got Concern
	if err := s.Load(c.ID, &got); err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusResolved || len(got.History) != 3 {
		t.Fatalf("status %s, history %+v", got.Status, got.History)
	}
	h := got.History[2]
	if h.From != StatusHandling || h.To != StatusResolved || h.By != "Trần Văn Bình" || h.Note != "Đã sửa xong đường" {
		t.Fatalf("last history entry = %+v", h)
	}
}

func TestSearchFoldsDiacritics(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Đăk Long", false)
	mustSave(t, s, &Person{Name: "Nguyễn Văn A", Village: v.ID, Role: RoleElder})
	mustSave(t, s, &Person{Name: "Nguyễn Văn Bảy", Village: v.ID, Role: RoleHead})
	cases := map[string]int{"nguyen van a": 1, "NGUYEN": 2, "Nguye\u0302\u0303n": 2, "dak long": 1, "đăk": 1, "xyz": 0}
	for q, want := range cases {
		if got := len(s.Find(Filter{Query: q}, ByTitle)); got != want {
			t.Errorf("search %q: %d results, want %d", q, got, want)
		}
	}
}

func TestVietnameseCollation(t *testing.T) {
	s := openTest(t, "")
	for _, n := range []string{"Đào", "Dung", "Ánh", "An", "Bình", "Ấn"} {
		newVillage(t, s, n, false)
	}
	var got []string
	for _, r := range s.Find(Filter{Kind: KindVillage}, ByTitle) {
		got = append(got, r.Title)
	}
	if strings.Join(got, ",") != "An,Ánh,Ấn,Bình,Dung,Đào" {
		t.Fatalf("order = %v", got)
	}
}

func TestWrongPassphraseRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Passphrase: "đúng rồi"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	newVillage(t, s, "Làng Kon Rế", false)
	s.Close()
	if _, err := Open(dir, Options{Passphrase: "sai rồi"}); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: got %v", err)
	}
	if _, err := Open(dir, Options{Passphrase: ""}); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("empty passphrase: got %v", err)
	}
	s, err = Open(dir, Options{Passphrase: "đúng rồi"})
	if err != nil {
		t.Fatalf("right passphrase after wrong ones: %v", err)
	}
	defer s.Close()
	if rows := s.Find(Filter{Kind: KindVillage}, ByTitle); len(rows) != 1 || rows[0].Title != "Làng Kon Rế" {
		t.Fatalf("data after wrong attempts: %+v", rows)
	}
}

func TestSecondOpenIsAlreadyOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Passphrase: "x"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Open(dir, Options{Passphrase: "x"}); !errors.Is(err, ErrAlreadyOpen) {
		t.Fatalf("second open: %v", err)
	}
}

func TestNoPlaintextOnDisk(t *testing.T) {
	for _, pass := range []string{"một cụm mật khẩu", ""} {
		dir := t.TempDir()
		s, err := Open(dir, Options{Passphrase: pass})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetCommune("23368"); err != nil {
			t.Fatal(err)
		}
		const secret = "BIMATKHONGDUOCLO-Nguyễn Thị Hưởng"
		v := newVillage(t, s, "Làng "+secret, false)
		for i := 0; i < 50; i++ {
			mustSave(t, s, &Household{Head: secret, Village: v.ID, Members: i, Religion: "Công giáo " + secret})
		}
		s.Close()
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			b, _ := os.ReadFile(p)
			if strings.Contains(string(b), "BIMATKHONGDUOCLO") || strings.Contains(string(b), "Hưởng") {
				t.Errorf("passphrase %q: plaintext found in %s", pass, p)
			}
			return nil
		})
	}
}

func TestChangePassphrase(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Passphrase: "cũ cũ cũ cũ"})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.SetCommune("23368")
	newVillage(t, s, "Làng Kon Hring", false)
	s.Close()
	if err := ChangePassphrase(dir, "sai", "mới mới mới"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong old passphrase: %v", err)
	}
	if err := ChangePassphrase(dir, "cũ cũ cũ cũ", "mới mới mới"); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{Passphrase: "cũ cũ cũ cũ"}); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase still opens: %v", err)
	}
	s, err = Open(dir, Options{Passphrase: "mới mới mới"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rows := s.Find(Filter{Kind: KindVillage}, ByTitle); len(rows) != 1 {
		t.Fatalf("villages after re-keying: %d", len(rows))
	}
}

func TestProfileAndChecklist(t *testing.T) {
	s := openTest(t, "")
	if _, ok := s.Profile(); ok {
		t.Fatal("new store has a profile")
	}
	if err := s.SetProfile(Profile{Name: " "}); err == nil {
		t.Fatal("empty cadre name accepted")
	}
	if err := s.SetProfile(Profile{Name: "Nguyễn Thị Hưởng", Unit: "Ban Dân vận xã", Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if p, ok := s.Profile(); !ok || p.Name != "Nguyễn Thị Hưởng" || p.Lang != "en" || s.Actor() != "Nguyễn Thị Hưởng" {
		t.Fatalf("profile = %+v", p)
	}
	c := s.Checklist()
	if len(c.Cung) != 4 || c.Cung[3].Label != "cùng nói tiếng dân tộc" || len(c.Bam) != 3 {
		t.Fatalf("default checklist = %+v", c)
	}
	c.Bam = append(c.Bam, ChecklistItem{ID: "bam_dan", Label: "bám dân"})
	if err := s.SaveChecklist(c); err != nil {
		t.Fatal(err)
	}
	if got := s.Checklist(); len(got.Bam) != 4 || got.Bam[3].Label != "bám dân" {
		t.Fatalf("edited checklist = %+v", got.Bam)
	}
}

// TestChecklistIDIsSyncable: the server accepts only canonical UUIDs, and
// every device of a commune must name the checklist alike.
func TestChecklistIDIsSyncable(t *testing.T) {
	id := ChecklistID("23368")
	u, err := uuid.Parse(id)
	if err != nil || u.String() != id {
		t.Fatalf("checklist id %q is not a canonical UUID", id)
	}
	if ChecklistID("23368") != id || ChecklistID("23536") == id {
		t.Fatal("checklist ids are not per-commune and stable")
	}
}
