package data

// DefaultPetitionDays is the commune's default time to resolve a kiến nghị
// or phản ánh, when the commune sets none.
const DefaultPetitionDays = 15

// DeadlineDays returns the legal time, in days from acceptance (thụ lý),
// to resolve a concern:
//   - kiến nghị / phản ánh: set by the commune (petitionDays; 15 if ≤ 0);
//   - khiếu nại lần đầu: 30, complex 45; remote area 45, complex 60
//     (Luật Khiếu nại 2011, Art. 28);
//   - khiếu nại lần hai: 45, complex 60; remote area 60, complex 70 (Art. 37);
//   - tố cáo: 30; a complex case is extended once by 30, an especially
//     complex one twice, 90 at most (Luật Tố cáo 2018, Art. 30).
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
		switch cx {
		case ComplexityComplex:
			return 60
		case ComplexityEspecially:
			return 90
		}
		return 30
	}
	if petitionDays <= 0 {
		return DefaultPetitionDays
	}
	return petitionDays
}

// LegalDeadline returns the date by which a concern accepted on accepted
// must be resolved, or "" when it has not been accepted yet.
func LegalDeadline(kind ConcernKind, cx Complexity, remote bool, accepted Date, petitionDays int) Date {
	if !accepted.Valid() {
		return ""
	}
	return accepted.AddDays(DeadlineDays(kind, cx, remote, petitionDays))
}
