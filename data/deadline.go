package data

// DefaultPetitionDays is the commune's default time to resolve a kiến nghị,
// phản ánh or ý kiến, when the commune sets none. No statute sets it: it is
// the commune's own rule ("quy định của xã"), and shown as such.
const DefaultPetitionDays = 15

// Intake periods, counted from receipt.
const (
	// ComplaintIntakeDays: a khiếu nại is accepted (thụ lý) or refused
	// within 10 days of receipt (Luật Khiếu nại 2011 Đ.27 for the first
	// instance, Đ.36 for the second).
	ComplaintIntakeDays = 10
	// DenunciationScreenDays: a tố cáo is registered and screened within
	// 7 working days of receipt (Luật Tố cáo 2018 Đ.24 khoản 1), then
	// accepted or not (Đ.29).
	DenunciationScreenDays = 7
	// DenunciationScreenMaxDays: when it must be checked at several
	// places, screening may take up to 10 working days (Đ.24 khoản 1).
	DenunciationScreenMaxDays = 10
	// LetterIntakeDays: every petition letter is handled (xử lý đơn)
	// within 10 working days of receipt (Thông tư 05/2021/TT-TTCP Đ.4).
	LetterIntakeDays = 10
	// DenunciationDays is a tố cáo's time to resolve without an extension
	// decision (Luật Tố cáo 2018 Đ.30 khoản 1).
	DenunciationDays = 30
	// ExtensionMaxDays is the length of one tố cáo extension (Đ.30).
	ExtensionMaxDays = 30
)

// DeadlineDays returns the time, in calendar days from acceptance (thụ
// lý), to resolve a concern, before any extension:
//   - ý kiến, kiến nghị, phản ánh: the commune's own rule (petitionDays;
//     15 if ≤ 0); no statute sets one;
//   - khiếu nại lần đầu: 30, complex 45; remote area 45, complex 60
//     (Luật Khiếu nại 2011 Đ.28);
//   - khiếu nại lần hai: 45, complex 60; remote area 60, complex 70 (Đ.37);
//   - tố cáo: 30 (Luật Tố cáo 2018 Đ.30 khoản 1); a complex one is
//     extended only by a written decision (see ExtensionLimit).
//
// Especially complex khiếu nại are treated as complex: the law knows only
// one extension for them.
func DeadlineDays(kind ConcernKind, cx Complexity, remote bool, petitionDays int) int {
	complex := cx == ComplexityComplex || cx == ComplexityEspecially
	switch kind {
	case ConcernComplaint1:
		switch {
		case remote && complex:
			return 60
		case remote, complex:
			return 45
		}
		return 30
	case ConcernComplaint2:
		switch {
		case remote && complex:
			return 70
		case remote, complex:
			return 60
		}
		return 45
	case ConcernDenunciation:
		return DenunciationDays
	}
	if petitionDays <= 0 {
		return DefaultPetitionDays
	}
	return petitionDays
}

// ExtensionLimit returns how many extension decisions a tố cáo of
// complexity cx may have: none for an ordinary case, one for a complex
// one, two for an especially complex one, each of at most 30 days
// (Luật Tố cáo 2018 Đ.30 khoản 1).
func ExtensionLimit(kind ConcernKind, cx Complexity) int {
	if kind != ConcernDenunciation {
		return 0
	}
	switch cx {
	case ComplexityComplex:
		return 1
	case ComplexityEspecially:
		return 2
	}
	return 0
}

// ExtensionDays returns the days the extension decisions add to a tố
// cáo's time: the decisions that the law allows (ExtensionLimit, the
// first ones by date), each counted up to 30 days; a decision without a
// number, a date or a length counts for nothing.
func ExtensionDays(kind ConcernKind, cx Complexity, ext []Extension) int {
	limit := ExtensionLimit(kind, cx)
	total, n := 0, 0
	for _, e := range ext {
		if n >= limit {
			break
		}
		if !e.Complete() {
			continue
		}
		total += min(e.Days, ExtensionMaxDays)
		n++
	}
	return total
}

// LegalDeadline returns the date by which a concern accepted on accepted
// must be resolved (with no extension, on the embedded holiday table), or
// "" when it has not been accepted yet.
func LegalDeadline(kind ConcernKind, cx Complexity, remote bool, accepted Date, petitionDays int) Date {
	return DeadlineOf(DeadlineInput{Kind: kind, Complexity: cx, Remote: remote, Accepted: accepted, PetitionDays: petitionDays}, nil).Due
}

// DeadlineBasis says which rule set a deadline.
type DeadlineBasis string

// The deadline bases.
const (
	BasisNone DeadlineBasis = ""
	// BasisComplaintIntake: thụ lý a khiếu nại within 10 days of receipt
	// (Luật Khiếu nại 2011 Đ.27, Đ.36).
	BasisComplaintIntake DeadlineBasis = "khieu_nai_thu_ly"
	// BasisDenunciationIntake: screen a tố cáo within 7 working days, 10
	// at most (Luật Tố cáo 2018 Đ.24), then accept it or not (Đ.29).
	BasisDenunciationIntake DeadlineBasis = "to_cao_thu_ly"
	// BasisLetterIntake: handle the letter within 10 working days
	// (Thông tư 05/2021/TT-TTCP).
	BasisLetterIntake DeadlineBasis = "xu_ly_don"
	// BasisLaw: resolution within the time the law sets, from thụ lý.
	BasisLaw DeadlineBasis = "luat"
	// BasisCommune: resolution within the commune's own rule, from thụ
	// lý (or from receipt for an ý kiến never accepted).
	BasisCommune DeadlineBasis = "quy_dinh_xa"
)

// Intake reports whether the basis is an intake (before thụ lý) deadline.
func (b DeadlineBasis) Intake() bool {
	return b == BasisComplaintIntake || b == BasisDenunciationIntake || b == BasisLetterIntake
}

// DeadlineInput is what a concern's deadline depends on. Everything
// outside the concern (the village's remote flag, the commune's
// petition-days setting, the calendar) is read when the deadline is
// computed, never frozen at save.
type DeadlineInput struct {
	Kind       ConcernKind
	Complexity Complexity
	Remote     bool
	Received   Date
	Accepted   Date
	// ExtensionDays is what the tố cáo's extension decisions add
	// (ExtensionDays of its Extensions).
	ExtensionDays     int
	ScreeningExtended bool
	PetitionDays      int
}

// Deadline is a computed deadline and how it was reached.
type Deadline struct {
	// Due is the last day; "" when there is none.
	Due   Date
	Basis DeadlineBasis
	// From is the day counting starts after (receipt or thụ lý).
	From Date
	// Days is the length of the period; Working says it counts working
	// days, else calendar days.
	Days    int
	Working bool
	// Extended is the days added by tố cáo extension decisions.
	Extended int
	// Moved says the last day fell on a day off and was moved to the
	// next working day (Bộ luật Dân sự 2015 Đ.148).
	Moved bool
}

// DeadlineOf computes a concern's deadline on calendar cal (nil: the
// embedded table):
//   - accepted (thụ lý): Accepted + DeadlineDays, plus a tố cáo's
//     extension decisions (Luật Tố cáo 2018 Đ.30), in calendar days;
//   - not accepted: the intake deadline from receipt: khiếu nại 10 days
//     (Luật Khiếu nại 2011 Đ.27, Đ.36); tố cáo 7 working days, 10 when
//     screening was extended (Luật Tố cáo 2018 Đ.24); kiến nghị, phản ánh
//     10 working days (Thông tư 05/2021/TT-TTCP); an ý kiến, which no law
//     times, the commune's rule from receipt.
//
// A period in calendar days that ends on a day off ends on the next
// working day (Bộ luật Dân sự 2015 Đ.148 khoản 5).
func DeadlineOf(in DeadlineInput, cal *Calendar) Deadline {
	n := deadlineN(in.Kind, in.Complexity, in.Remote, dayNum(in.Received), dayNum(in.Accepted), in.ExtensionDays, in.ScreeningExtended, in.PetitionDays, cal)
	return Deadline{Due: dayDate(n.due), Basis: n.basis, From: dayDate(n.from), Days: n.days, Working: n.working, Extended: n.extended, Moved: n.moved}
}

// deadlineNum is a Deadline with its dates as day numbers (0: none).
type deadlineNum struct {
	due, from      int32
	basis          DeadlineBasis
	days, extended int
	working, moved bool
}

// deadlineN is DeadlineOf on day numbers: the index dates every concern
// with it, without parsing or formatting a date.
func deadlineN(kind ConcernKind, cx Complexity, remote bool, received, accepted int32, extDays int, screen bool, petition int, cal *Calendar) deadlineNum {
	cal = cal.orDefault()
	var d deadlineNum
	switch {
	case accepted != 0:
		d.from, d.basis = accepted, BasisLaw
		d.days = DeadlineDays(kind, cx, remote, petition)
		switch kind {
		case ConcernComplaint1, ConcernComplaint2:
		case ConcernDenunciation:
			d.extended = max(extDays, 0)
		default:
			d.basis = BasisCommune
		}
	case received == 0 || kind == "":
		return deadlineNum{}
	case kind == ConcernComplaint1 || kind == ConcernComplaint2:
		d.from, d.basis, d.days = received, BasisComplaintIntake, ComplaintIntakeDays
	case kind == ConcernDenunciation:
		d.from, d.basis, d.days, d.working = received, BasisDenunciationIntake, DenunciationScreenDays, true
		if screen {
			d.days = DenunciationScreenMaxDays
		}
	case kind == ConcernOpinion:
		d.from, d.basis = received, BasisCommune
		d.days = DeadlineDays(kind, cx, remote, petition)
	default:
		d.from, d.basis, d.days, d.working = received, BasisLetterIntake, LetterIntakeDays, true
	}
	if d.working {
		d.due = cal.addN(d.from, d.days)
		return d
	}
	end := d.from + int32(d.days+d.extended)
	d.due = cal.nextN(end)
	d.moved = d.due != end
	return d
}

// DeadlineInputOf returns the concern's own inputs; remote and
// petitionDays come from its village and the commune's setting.
func DeadlineInputOf(c *Concern, remote bool, petitionDays int) DeadlineInput {
	return DeadlineInput{Kind: c.ConcernKind, Complexity: c.Complexity, Remote: remote, Received: c.Received,
		Accepted: c.Accepted, ExtensionDays: ExtensionDays(c.ConcernKind, c.Complexity, c.Extensions), ScreeningExtended: c.ScreeningExtended, PetitionDays: petitionDays}
}

// DeadlineFor computes c's deadline now, from its village's remote flag,
// the commune's petition-days setting and the store's calendar.
func (s *Store) DeadlineFor(c *Concern) Deadline {
	r := s.idx.rules()
	return DeadlineOf(DeadlineInputOf(c, s.villageRemote(c.Village), r.petition), r.cal)
}

// villageRemote reports whether village id is flagged remote.
func (s *Store) villageRemote(id string) bool {
	if v, ok := s.idx.get(id); ok && v.Kind == KindVillage {
		return v.Remote
	}
	return false
}
