package data

import (
	"time"

	"github.com/google/uuid"
)

// Meta is the bookkeeping every domain object carries. It is filled in by
// the store and is not part of the object's versioned fields.
type Meta struct {
	ID        string     `json:"-"`
	Commune   string     `json:"-"`
	Created   time.Time  `json:"-"`
	Updated   time.Time  `json:"-"`
	Author    string     `json:"-"`
	Deleted   bool       `json:"-"`
	Conflicts []Conflict `json:"-"`
	// resolve names review fields to write even when their value is
	// unchanged: picking the current value resolves a conflict.
	resolve map[string]bool
}

func (m *Meta) meta() *Meta { return m }

// Object is a domain object that the store can save: a *Village,
// *Household, *Person, *Concern, *Meeting, *FieldVisit, *Model or
// *Checklist.
type Object interface {
	meta() *Meta
	// Kind returns the object's record kind.
	Kind() Kind
}

// MetaOf returns the bookkeeping of obj.
func MetaOf(obj Object) *Meta { return obj.meta() }

// VillageKind is the local name of a village-level unit.
type VillageKind string

// The village kinds.
const (
	VillageThon     VillageKind = "thon"
	VillageLang     VillageKind = "lang"
	VillageBuon     VillageKind = "buon"
	VillageBan      VillageKind = "ban"
	VillageToDanPho VillageKind = "to_dan_pho"
)

// VillageKinds lists the village kinds in display order.
var VillageKinds = []VillageKind{VillageThon, VillageLang, VillageBuon, VillageBan, VillageToDanPho}

// Hotspot reasons ("địa bàn trọng điểm").
const (
	HotspotEthnic   = "dan_toc"
	HotspotReligion = "ton_giao"
	HotspotLand     = "dat_dai"
	HotspotSecurity = "an_ninh"
)

// HotspotReasons lists the reasons a village can be a hotspot.
var HotspotReasons = []string{HotspotEthnic, HotspotReligion, HotspotLand, HotspotSecurity}

// Village is a thôn, làng, buôn, bản or tổ dân phố of the commune.
type Village struct {
	Meta
	Name           string      `json:"name"`
	VillageKind    VillageKind `json:"kind"`
	Remote         bool        `json:"remote"`
	Hotspot        bool        `json:"hotspot"`
	HotspotReasons []string    `json:"hotspot_reasons,omitempty"`
	Households     int         `json:"households"`
	Ethnicities    []string    `json:"ethnicities,omitempty"`
	Notes          string      `json:"notes,omitempty"`
}

// Kind returns KindVillage.
func (*Village) Kind() Kind { return KindVillage }

// Household is one household of a village. Ethnicity and Religion are
// sensitive personal data (Law 91/2025/QH15).
type Household struct {
	Meta
	Head      string `json:"head"`
	Village   string `json:"village"`
	Members   int    `json:"members"`
	Ethnicity string `json:"ethnicity,omitempty" sensitive:"true"`
	Religion  string `json:"religion,omitempty" sensitive:"true"`
	Phone     string `json:"phone,omitempty"`
	Notes     string `json:"notes,omitempty"`
}

// Kind returns KindHousehold.
func (*Household) Kind() Kind { return KindHousehold }

// PersonRole is the standing of a key person in the village.
type PersonRole string

// The key-person roles.
const (
	RoleElder     PersonRole = "gia_lang"
	RoleHead      PersonRole = "truong_thon"
	RolePrestige  PersonRole = "nguoi_uy_tin"
	RoleReligious PersonRole = "chuc_sac"
	RoleSecretary PersonRole = "bi_thu"
	RoleOtherRole PersonRole = "khac"
)

// PersonRoles lists the roles in display order.
var PersonRoles = []PersonRole{RoleElder, RoleHead, RolePrestige, RoleReligious, RoleSecretary, RoleOtherRole}

// Person is a key person: a village elder, head, prestigious person,
// religious dignitary or party-cell secretary.
type Person struct {
	Meta
	Name      string     `json:"name"`
	Village   string     `json:"village"`
	Role      PersonRole `json:"role"`
	Phone     string     `json:"phone,omitempty"`
	Languages []string   `json:"languages,omitempty"`
	Notes     string     `json:"notes,omitempty"`
	// The recognition of a người có uy tín trong đồng bào dân tộc thiểu
	// số (Quyết định 12/2018/QĐ-TTg, amended by Quyết định 28/2023/QĐ-TTg):
	// the decision's number and day, and the term it covers.
	DecisionNo   string `json:"decision_no,omitempty"`
	DecisionDate Date   `json:"decision_date,omitempty"`
	TermFrom     Date   `json:"term_from,omitempty"`
	TermTo       Date   `json:"term_to,omitempty"`
	// Support is what the person was given under those decisions
	// (visits at Tết, gifts, support when ill, training trips…).
	Support []PersonSupport `json:"support,omitempty"`
}

// PersonSupport is one support given to a người có uy tín.
type PersonSupport struct {
	ID       string `json:"id"`
	Date     Date   `json:"date"`
	What     string `json:"what"`
	ValueVND int64  `json:"value_vnd,omitempty"`
}

// Recognised reports whether the person is a người có uy tín recognised
// by decision, or recorded with that role.
func (p *Person) Recognised() bool { return p.Role == RolePrestige || p.DecisionNo != "" }

// Kind returns KindPerson.
func (*Person) Kind() Kind { return KindPerson }

// ConcernKind is the legal kind of a citizen concern.
type ConcernKind string

// The concern kinds.
const (
	ConcernPetition     ConcernKind = "kien_nghi"
	ConcernReport       ConcernKind = "phan_anh"
	ConcernComplaint1   ConcernKind = "khieu_nai_1"
	ConcernComplaint2   ConcernKind = "khieu_nai_2"
	ConcernDenunciation ConcernKind = "to_cao"
	// ConcernOpinion is an ý kiến: an opinion or suggestion. No law times
	// it; the commune's own rule applies (see DeadlineOf).
	ConcernOpinion ConcernKind = "y_kien"
)

// ConcernKinds lists the kinds in display order. Ý kiến comes last so
// that older code indexing the first five (demo weights) keeps its kinds.
var ConcernKinds = []ConcernKind{ConcernPetition, ConcernReport, ConcernComplaint1, ConcernComplaint2, ConcernDenunciation, ConcernOpinion}

// Channels by which a concern arrives.
const (
	ChannelReception = "tiep_cong_dan"
	ChannelVisit     = "di_co_so"
	ChannelMeeting   = "hoi_nghi"
	ChannelDialogue  = "doi_thoai"
	ChannelPhone     = "dien_thoai"
	ChannelLetter    = "don_thu"
)

// Channels lists the channels in display order.
var Channels = []string{ChannelReception, ChannelVisit, ChannelMeeting, ChannelDialogue, ChannelPhone, ChannelLetter}

// Topics lists the usual concern topics.
var Topics = []string{"dat_dai", "chinh_sach_xa_hoi", "ha_tang", "moi_truong", "an_ninh_trat_tu", "y_te", "giao_duc", "dan_toc_ton_giao", "khac"}

// Complexity is how complex a case is; it lengthens the legal deadline.
type Complexity string

// The complexity levels.
const (
	ComplexityNormal     Complexity = "thuong"
	ComplexityComplex    Complexity = "phuc_tap"
	ComplexityEspecially Complexity = "dac_biet_phuc_tap"
)

// Complexities lists the levels in order.
var Complexities = []Complexity{ComplexityNormal, ComplexityComplex, ComplexityEspecially}

// ConcernStatus is where a concern is on its path to closure.
type ConcernStatus string

// The statuses, in path order.
const (
	StatusNew       ConcernStatus = "moi_tiep_nhan"
	StatusHandling  ConcernStatus = "dang_xu_ly"
	StatusForwarded ConcernStatus = "da_chuyen"
	StatusResolved  ConcernStatus = "da_giai_quyet"
	StatusClosed    ConcernStatus = "dong"
)

// Statuses lists the statuses in path order.
var Statuses = []ConcernStatus{StatusNew, StatusHandling, StatusForwarded, StatusResolved, StatusClosed}

// Done reports whether a concern in status s is finished: resolved or
// closed.
func (s ConcernStatus) Done() bool { return s == StatusResolved || s == StatusClosed }

// Clocked reports whether the commune's deadline runs for a concern in
// status s: not finished, and not forwarded to the competent body (a
// forwarded case is followed as "đã chuyển, chờ phản hồi" and leaves the
// commune's overdue count).
func (s ConcernStatus) Clocked() bool { return !s.Done() && s != StatusForwarded }

// Raiser kinds: who brought a concern.
const (
	RaiserPerson    = "person"
	RaiserHousehold = "household"
	RaiserText      = "text"
	RaiserAnonymous = "anonymous"
	// RaiserConfidential marks a tố cáo whose denouncer identity is kept
	// apart, on this device only.
	RaiserConfidential = "confidential"
)

// MassThreshold is the number of people from which a case is "đông người".
const MassThreshold = 5

// StatusChange is one entry of a concern's status history.
type StatusChange struct {
	ID   string        `json:"id"`
	From ConcernStatus `json:"from,omitempty"`
	To   ConcernStatus `json:"to"`
	By   string        `json:"by"`
	At   time.Time     `json:"at"`
	Note string        `json:"note,omitempty"`
}

// Extension is a written decision extending the time to resolve a tố
// cáo (Luật Tố cáo 2018 Đ.30): its number, date and length in days. A
// complex case may have one, an especially complex one two, each of at
// most 30 days; without one the limit stays 30 days.
type Extension struct {
	ID     string `json:"id"`
	Number string `json:"number"`
	Date   Date   `json:"date"`
	Days   int    `json:"days"`
}

// Complete reports whether the decision has its number, a valid date and
// a positive length: only then does it extend the deadline.
func (e Extension) Complete() bool { return e.Number != "" && e.Date.Valid() && e.Days > 0 }

// The label ids (i18n) of the deadline fields of a concern. The form,
// validation and exports name a field by these ids, declared once here.
const (
	FieldAccepted          = "field.concern.accepted"
	FieldExtensionNumber   = "field.concern.extension_number"
	FieldExtensionDate     = "field.concern.extension_date"
	FieldExtensionDays     = "field.concern.extension_days"
	FieldExtensions        = "field.concern.extensions"
	FieldScreeningExtended = "field.concern.screening_extended"
	FieldForwardedOn       = "field.concern.forwarded_on"
	FieldForwardedTo       = "field.concern.forwarded_to"
	FieldDayOff            = "field.settings.day_off"
	FieldPetitionDays      = "field.settings.petition_days"
)

// ConcernDeadlineFields lists the deadline fields' label ids in the order
// a form or an export shows them.
var ConcernDeadlineFields = []string{FieldAccepted, FieldScreeningExtended, FieldExtensionNumber, FieldExtensionDate, FieldExtensionDays, FieldForwardedOn, FieldForwardedTo}

// Concern is a citizen's ý kiến, kiến nghị, phản ánh, khiếu nại or tố cáo.
// For a tố cáo, Denouncer holds the confidential identity: it is never
// part of the synced record, never listed, exported or logged.
type Concern struct {
	Meta
	ConcernKind ConcernKind   `json:"kind"`
	Channel     string        `json:"channel"`
	Received    Date          `json:"received"`
	Accepted    Date          `json:"accepted,omitempty"`
	Village     string        `json:"village"`
	RaiserKind  string        `json:"raiser_kind"`
	RaiserID    string        `json:"raiser_id,omitempty"`
	RaiserText  string        `json:"raiser_text,omitempty"`
	Denouncer   string        `json:"-"`
	Topic       string        `json:"topic"`
	Summary     string        `json:"summary"`
	Content     string        `json:"content,omitempty"`
	Complexity  Complexity    `json:"complexity"`
	People      int           `json:"people"`
	Assignee    string        `json:"assignee,omitempty"`
	Status      ConcernStatus `json:"status"`
	// Deadline is the deadline as computed when the concern was last
	// saved. The store's Load replaces it with the one computed from the
	// current inputs (Store.DeadlineFor).
	Deadline Date           `json:"deadline,omitempty"`
	History  []StatusChange `json:"history,omitempty"`
	// Extensions are a tố cáo's written extension decisions (Luật Tố
	// cáo 2018 Đ.30).
	Extensions []Extension `json:"extensions,omitempty"`
	// ScreeningExtended says a tố cáo must be checked at several places,
	// so screening may take 10 working days instead of 7 (Đ.24).
	ScreeningExtended bool `json:"screening_extended,omitempty"`
	// ForwardedOn and ForwardedTo are the date a case was forwarded
	// ("đã chuyển") and the body it went to.
	ForwardedOn Date   `json:"forwarded_on,omitempty"`
	ForwardedTo string `json:"forwarded_to,omitempty"`
	MeetingID   string `json:"meeting_id,omitempty"`
	VisitID     string `json:"visit_id,omitempty"`
}

// Kind returns KindConcern.
func (*Concern) Kind() Kind { return KindConcern }

// Mass reports whether the case is "đông người" (5 or more people).
func (c *Concern) Mass() bool { return c.People >= MassThreshold }

// Overdue reports whether the deadline has passed on day today and the
// commune's clock still runs (not resolved, closed or forwarded).
func (c *Concern) Overdue(today Date) bool {
	return c.Deadline != "" && c.Status.Clocked() && c.Deadline < today
}

// DaysLeft returns the days from today to the deadline: negative when
// overdue. ok is false when there is no deadline.
func (c *Concern) DaysLeft(today Date) (days int, ok bool) {
	if c.Deadline == "" {
		return 0, false
	}
	return DaysBetween(today, c.Deadline), true
}

// MeetingKind is the kind of a meeting.
type MeetingKind string

// The meeting kinds.
const (
	MeetingElders   MeetingKind = "gap_go_uy_tin"
	MeetingAssembly MeetingKind = "hoi_nghi_thon"
	MeetingDialogue MeetingKind = "doi_thoai"
	// MeetingReception is a citizen-reception session (buổi tiếp công
	// dân, Luật Tiếp công dân 2013: the commune chairman receives
	// citizens at least one day a month, Đ.15; each session is entered in
	// the sổ tiếp công dân, Thông tư 04/2021/TT-TTCP). It counts as a
	// reception session, not as a meeting.
	MeetingReception MeetingKind = "tiep_cong_dan"
	MeetingOther     MeetingKind = "khac"
)

// MeetingKinds lists the kinds in display order.
var MeetingKinds = []MeetingKind{MeetingElders, MeetingAssembly, MeetingDialogue, MeetingReception, MeetingOther}

// MeetingKindsCounted lists the kinds counted as meetings (Stats.Meetings
// and MeetingsByKind): every kind but the reception session, which counts
// in Stats.Receptions.
var MeetingKindsCounted = []MeetingKind{MeetingElders, MeetingAssembly, MeetingDialogue, MeetingOther}

// Agenda categories under the Law on Grassroots Democracy 2022.
const (
	AgendaDisclose = "cong_khai"
	AgendaDecide   = "ban_quyet_dinh"
	AgendaConsult  = "tham_gia_y_kien"
	AgendaOversee  = "kiem_tra_giam_sat"
)

// How a hội nghị thôn's households vote (Luật Thực hiện dân chủ ở cơ sở
// 2022: at the meeting, by ballot, or online).
const (
	VoteAtMeeting = "tai_hoi_nghi"
	VoteBallot    = "phieu_lay_y_kien"
	VoteOnline    = "truc_tuyen"
)

// VoteForms lists the forms of the vote in display order.
var VoteForms = []string{VoteAtMeeting, VoteBallot, VoteOnline}

// AgendaCategories lists the categories in display order.
var AgendaCategories = []string{AgendaDisclose, AgendaDecide, AgendaConsult, AgendaOversee}

// Attendee is a person at a meeting: a linked key person or a name.
type Attendee struct {
	ID       string `json:"id"`
	PersonID string `json:"person_id,omitempty"`
	Name     string `json:"name"`
}

// FieldPersonSupport is the label id of a person's support list.
const FieldPersonSupport = "field.person.support"

// FieldAgendaVotes is the label id of an agenda item's votes (the form's
// "Nội dung và biểu quyết").
const FieldAgendaVotes = "meetings.field.agenda"

// AgendaItem is one item of a village assembly, with its household votes.
type AgendaItem struct {
	ID           string `json:"id"`
	Category     string `json:"category"`
	Title        string `json:"title"`
	Decision     string `json:"decision,omitempty"`
	VotesFor     int    `json:"votes_for"`
	VotesAgainst int    `json:"votes_against"`
	Dissent      string `json:"dissent,omitempty"`
}

// FieldReceived is the label id of a reception session's list of the
// citizens received without a concern of their own.
const FieldReceived = "meetings.field.received"

// ReceivedCitizen is a citizen received at a reception session who was
// answered or guided there, without a concern recorded for it (a
// concern raised at the session links to the session instead, and a tố
// cáo is always recorded as a concern, whose denouncer stays on this
// laptop: Luật Tố cáo 2018, Điều 47).
type ReceivedCitizen struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
	// Content is what the citizen brought; Guidance how it was answered
	// (hướng dẫn, giải thích, trả lời).
	Content  string `json:"content"`
	Guidance string `json:"guidance,omitempty"`
}

// Action is an action agreed at a meeting.
type Action struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Owner string `json:"owner"`
	Due   Date   `json:"due,omitempty"`
	Done  bool   `json:"done"`
	// DoneOn is the day the action was marked done, set by the store
	// (see Store.Save); empty when not known (done before it was kept).
	DoneOn Date `json:"done_on,omitempty"`
}

// DoneBy reports whether the action was done by the end of day d: done,
// on or before d (an action done on an unknown day counts as done).
func (a *Action) DoneBy(d Date) bool {
	return a.Done && (a.DoneOn == "" || a.DoneOn <= d)
}

// Meeting is a meeting with elders and prestigious persons, a village
// assembly (hội nghị thôn) or a dialogue.
type Meeting struct {
	Meta
	MeetingKind       MeetingKind `json:"kind"`
	Date              Date        `json:"date"`
	Village           string      `json:"village"`
	Chair             string      `json:"chair"`
	Attendees         []Attendee  `json:"attendees,omitempty"`
	HeadCount         int         `json:"head_count"`
	HouseholdsTotal   int         `json:"households_total,omitempty"`
	HouseholdsPresent int         `json:"households_present,omitempty"`
	// VoteForm is how a hội nghị thôn's households voted (VoteForms).
	VoteForm    string       `json:"vote_form,omitempty"`
	Language    string       `json:"language,omitempty"`
	Interpreter string       `json:"interpreter,omitempty"`
	Topics      []string     `json:"topics,omitempty"`
	Agenda      []AgendaItem `json:"agenda,omitempty"`
	Actions     []Action     `json:"actions,omitempty"`
	Signatories []string     `json:"signatories,omitempty"`
	// Received lists a reception session's citizens answered without a
	// concern (MeetingReception only).
	Received []ReceivedCitizen `json:"received,omitempty"`
	// Forwarded is when a hội nghị thôn's minutes went to the commune;
	// Recognised when the commune People's Committee recognised what the
	// assembly decided (Luật Thực hiện dân chủ ở cơ sở 2022).
	Forwarded  Date   `json:"forwarded,omitempty"`
	Recognised Date   `json:"recognised,omitempty"`
	Notes      string `json:"notes,omitempty"`
}

// Kind returns KindMeeting.
func (*Meeting) Kind() Kind { return KindMeeting }

// VisitedHousehold is a household reached on a field visit.
type VisitedHousehold struct {
	ID          string `json:"id"`
	HouseholdID string `json:"household_id,omitempty"`
	Name        string `json:"name"`
}

// CheckItem is one "cùng" or "bám" item and whether it was practised.
type CheckItem struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Done  bool   `json:"done"`
}

// FieldVisit is a "4 cùng, 4 bám" stay in a village.
type FieldVisit struct {
	Meta
	Cadres         []string           `json:"cadres"`
	Unit           string             `json:"unit"`
	Village        string             `json:"village"`
	From           Date               `json:"from"`
	To             Date               `json:"to"`
	Households     []VisitedHousehold `json:"households,omitempty"`
	HouseholdCount int                `json:"household_count"`
	Cung           []CheckItem        `json:"cung,omitempty"`
	Bam            []CheckItem        `json:"bam,omitempty"`
	Activities     string             `json:"activities,omitempty"`
	Observations   string             `json:"observations,omitempty"`
}

// Kind returns KindVisit.
func (*FieldVisit) Kind() Kind { return KindVisit }

// Nights returns the nights stayed: the days between From and To.
func (v *FieldVisit) Nights() int {
	if v.From == "" || v.To == "" || v.To < v.From {
		return 0
	}
	return DaysBetween(v.From, v.To)
}

// Days returns the days spent in the village, both ends counted.
func (v *FieldVisit) Days() int {
	if v.From == "" || v.To == "" || v.To < v.From {
		return 0
	}
	return DaysBetween(v.From, v.To) + 1
}

// Reached returns the number of households reached: the linked ones,
// or HouseholdCount when that is larger.
func (v *FieldVisit) Reached() int {
	if v.HouseholdCount > len(v.Households) {
		return v.HouseholdCount
	}
	return len(v.Households)
}

// Model fields of "Dân vận khéo".
const (
	FieldEconomy  = "kinh_te"
	FieldCulture  = "van_hoa_xa_hoi"
	FieldDefence  = "quoc_phong_an_ninh"
	FieldPolitics = "xay_dung_he_thong_chinh_tri"
)

// ModelFields lists the four fields in display order.
var ModelFields = []string{FieldEconomy, FieldCulture, FieldDefence, FieldPolitics}

// Model kinds: collective model or individual example.
const (
	ModelCollective = "mo_hinh"
	ModelIndividual = "dien_hinh"
)

// ModelStatus is a step on a model's status chain.
type ModelStatus string

// The model statuses, in chain order.
const (
	ModelRegistered ModelStatus = "dang_ky"
	ModelEffective  ModelStatus = "trien_khai_hieu_qua"
	ModelRecognised ModelStatus = "duoc_cong_nhan"
	ModelExemplary  ModelStatus = "tieu_bieu"
	ModelAwarded    ModelStatus = "khen_thuong"
)

// ModelStatuses lists the chain in order.
var ModelStatuses = []ModelStatus{ModelRegistered, ModelEffective, ModelRecognised, ModelExemplary, ModelAwarded}

// Next returns the status after s on the chain, and false at its end.
func (s ModelStatus) Next() (ModelStatus, bool) {
	for i, x := range ModelStatuses {
		if x == s && i+1 < len(ModelStatuses) {
			return ModelStatuses[i+1], true
		}
	}
	return s, false
}

// Model is a "Dân vận khéo" model (collective) or example (individual),
// with results both told and counted.
type Model struct {
	Meta
	Name       string      `json:"name"`
	Field      string      `json:"field"`
	ModelKind  string      `json:"kind"`
	Status     ModelStatus `json:"status"`
	Village    string      `json:"village,omitempty"`
	Registered Date        `json:"registered"`
	// Steps are the steps above registration the model reached, dated
	// (see ModelStep); the last is Status.
	Steps         []ModelStep `json:"steps,omitempty"`
	Description   string      `json:"description,omitempty"`
	Results       string      `json:"results,omitempty"`
	LandM2        float64     `json:"land_m2,omitempty"`
	WorkDays      int         `json:"work_days,omitempty"`
	MoneyVND      int64       `json:"money_vnd,omitempty"`
	PeopleReached int         `json:"people_reached,omitempty"`
	Trainings     int         `json:"trainings,omitempty"`
}

// Kind returns KindModel.
func (*Model) Kind() Kind { return KindModel }

// ChecklistItem is an item of the editable "cùng" or "bám" list.
type ChecklistItem struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Checklist holds the commune's editable "cùng" and "bám" items. There is
// one per commune, with id ChecklistID(commune).
type Checklist struct {
	Meta
	Cung []ChecklistItem `json:"cung"`
	Bam  []ChecklistItem `json:"bam"`
}

// Kind returns KindChecklist.
func (*Checklist) Kind() Kind { return KindChecklist }

// ChecklistID returns the id of a commune's checklist record: a name-based
// UUID (v5), the same on every device of the commune, so that their edits
// merge into one record.
func ChecklistID(commune string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("urn:danvan:checklist:"+commune)).String()
}

// DefaultChecklist returns the default 4 cùng and 3 bám items.
func DefaultChecklist() *Checklist {
	return &Checklist{
		Cung: []ChecklistItem{
			{ID: "cung_an", Label: "cùng ăn"},
			{ID: "cung_o", Label: "cùng ở"},
			{ID: "cung_lam", Label: "cùng làm"},
			{ID: "cung_noi", Label: "cùng nói tiếng dân tộc"},
		},
		// The Border Guard's "3 bám" (domain.md, Field visits): bám địa
		// bàn, bám dân, bám bản (bám trụ); units add their own items.
		Bam: []ChecklistItem{
			{ID: "bam_dia_ban", Label: "bám địa bàn"},
			{ID: "bam_dan", Label: "bám dân"},
			{ID: "bam_ban", Label: "bám bản (bám trụ)"},
		},
	}
}

// listFields names, per kind, the lists that merge as sets of entries.
var listFields = map[Kind]map[string]bool{
	KindConcern:   {"history": true},
	KindMeeting:   {"attendees": true, "agenda": true, "actions": true},
	KindVisit:     {"households": true},
	KindChecklist: {"cung": true, "bam": true},
}

// reviewFields names, per kind, the fields whose concurrent writes are
// flagged for a person to resolve: a concern's status, assignee and
// deadline, and its free texts (summary and content), where one cadre's
// wording must not silently replace another's.
var reviewFields = map[Kind]map[string]bool{
	KindConcern: {"status": true, "assignee": true, "deadline": true, "summary": true, "content": true},
}

// textReviewFields are the review fields that hold free text: the Xung
// đột view shows their values side by side.
var textReviewFields = map[Kind]map[string]bool{
	KindConcern: {"summary": true, "content": true},
}

// IsTextReviewField reports whether field of kind is a review field that
// holds free text.
func IsTextReviewField(kind Kind, field string) bool { return textReviewFields[kind][field] }

// IsListField reports whether field of kind merges as a set of entries.
func IsListField(kind Kind, field string) bool { return listFields[kind][field] }

// IsReviewField reports whether field of kind is a review field.
func IsReviewField(kind Kind, field string) bool { return reviewFields[kind][field] }

// NewObject returns an empty object of kind k, or nil for an unknown kind.
func NewObject(k Kind) Object {
	switch k {
	case KindVillage:
		return &Village{}
	case KindHousehold:
		return &Household{}
	case KindPerson:
		return &Person{}
	case KindConcern:
		return &Concern{}
	case KindMeeting:
		return &Meeting{}
	case KindVisit:
		return &FieldVisit{}
	case KindModel:
		return &Model{}
	case KindChecklist:
		return &Checklist{}
	}
	return nil
}
