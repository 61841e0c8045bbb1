package data

import (
	"errors"
	"strconv"
	"strings"
)

// Validation message ids; their texts live in the i18n package.
const (
	MsgRequired       = "validation.required"
	MsgDateOrder      = "validation.date_order"
	MsgTooMany        = "validation.too_many"
	MsgUnknownVillage = "validation.unknown_village"
	MsgInvalid        = "validation.invalid"
	MsgNegative       = "validation.negative"
	// MsgExtensionCount: more tố cáo extension decisions than the law
	// allows for the case's complexity (Luật Tố cáo 2018 Đ.30).
	MsgExtensionCount = "validation.extension_count"
	// MsgExtensionDays: an extension longer than 30 days (Đ.30).
	MsgExtensionDays = "validation.extension_days"
)

// FieldError is one invalid field. Field and Other are i18n message ids of
// field labels (such as "field.concern.summary"); Msg is the id of the
// message, which takes the translated labels as {{.Field}} and {{.Other}}.
type FieldError struct {
	Field string
	Msg   string
	Other string
}

// Error returns a developer-readable form; the UI translates Msg instead.
func (e FieldError) Error() string {
	s := e.Field + ": " + e.Msg
	if e.Other != "" {
		s += " (" + e.Other + ")"
	}
	return s
}

// ValidationError lists every invalid field of an object.
type ValidationError struct {
	Kind   Kind
	Fields []FieldError
}

// Error joins the field errors.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return "invalid " + string(e.Kind) + ": " + strings.Join(parts, "; ")
}

// For returns the error for the field with label id field, if any.
func (e *ValidationError) For(field string) (FieldError, bool) {
	for _, f := range e.Fields {
		if f.Field == field {
			return f, true
		}
	}
	return FieldError{}, false
}

// AsValidation returns err as a *ValidationError when it is one.
func AsValidation(err error) (*ValidationError, bool) {
	var v *ValidationError
	ok := errors.As(err, &v)
	return v, ok
}

// MessageIDs lists every message id the data package may return, so the
// i18n tests can check that each has a translation.
func MessageIDs() []string {
	ids := []string{MsgRequired, MsgDateOrder, MsgTooMany, MsgUnknownVillage, MsgInvalid, MsgNegative, MsgExtensionCount, MsgExtensionDays}
	ids = append(ids, ConcernDeadlineFields...)
	ids = append(ids, FieldExtensions, FieldDayOff, FieldPetitionDays)
	return append(ids, fieldLabels...)
}

var fieldLabels = []string{
	"field.village.name", "field.village.kind", "field.village.households",
	"field.household.head", "field.household.village", "field.household.members",
	"field.person.name", "field.person.village", "field.person.role",
	"field.concern.kind", "field.concern.summary", "field.concern.received", "field.concern.accepted",
	"field.concern.village", "field.concern.people", "field.concern.status", "field.concern.complexity",
	"field.meeting.kind", "field.meeting.date", "field.meeting.village",
	"field.meeting.households_total", "field.meeting.households_present", "field.meeting.head_count",
	"field.visit.from", "field.visit.to", "field.visit.village", "field.visit.cadres",
	"field.model.name", "field.model.field", "field.model.kind", "field.model.status", "field.model.village",
}

type checker struct{ errs []FieldError }

func (c *checker) add(field, msg, other string) {
	c.errs = append(c.errs, FieldError{Field: field, Msg: msg, Other: other})
}

func (c *checker) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		c.add(field, MsgRequired, "")
	}
}

func (c *checker) nonNegative(field string, n int) {
	if n < 0 {
		c.add(field, MsgNegative, "")
	}
}

func (c *checker) date(field string, d Date, required bool) {
	switch {
	case d == "" && required:
		c.add(field, MsgRequired, "")
	case d != "" && !d.Valid():
		c.add(field, MsgInvalid, "")
	}
}

func (c *checker) oneOf(field, value string, allowed []string) {
	if value == "" {
		c.add(field, MsgRequired, "")
		return
	}
	for _, a := range allowed {
		if a == value {
			return
		}
	}
	c.add(field, MsgInvalid, "")
}

func (c *checker) village(field, id string, known func(string) bool) {
	if id == "" {
		c.add(field, MsgRequired, "")
	} else if known != nil && !known(id) {
		c.add(field, MsgUnknownVillage, "")
	}
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// Validate checks obj. knownVillage reports whether a village id exists
// in the commune; nil skips that check. It returns a *ValidationError
// naming every invalid field, or nil.
func Validate(obj Object, knownVillage func(id string) bool) error {
	var c checker
	switch o := obj.(type) {
	case *Village:
		c.required("field.village.name", o.Name)
		c.oneOf("field.village.kind", string(o.VillageKind), strs(VillageKinds))
		c.nonNegative("field.village.households", o.Households)
	case *Household:
		c.required("field.household.head", o.Head)
		c.village("field.household.village", o.Village, knownVillage)
		c.nonNegative("field.household.members", o.Members)
	case *Person:
		c.required("field.person.name", o.Name)
		c.village("field.person.village", o.Village, knownVillage)
		c.oneOf("field.person.role", string(o.Role), strs(PersonRoles))
		c.date("field.person.decision_date", o.DecisionDate, false)
		c.date("field.person.term_from", o.TermFrom, false)
		c.date("field.person.term_to", o.TermTo, false)
		if o.TermFrom.Valid() && o.TermTo.Valid() && o.TermTo < o.TermFrom {
			c.add("field.person.term_to", MsgDateOrder, "field.person.term_from")
		}
		for _, s := range o.Support {
			switch {
			case !s.Date.Valid() || strings.TrimSpace(s.What) == "":
				c.add(FieldPersonSupport, MsgInvalid, "")
			case s.ValueVND < 0:
				c.add(FieldPersonSupport, MsgNegative, "")
			default:
				continue
			}
			break
		}
	case *Concern:
		c.oneOf("field.concern.kind", string(o.ConcernKind), strs(ConcernKinds))
		c.required("field.concern.summary", o.Summary)
		c.date("field.concern.received", o.Received, true)
		c.date("field.concern.accepted", o.Accepted, false)
		if o.Received.Valid() && o.Accepted.Valid() && o.Accepted < o.Received {
			c.add("field.concern.accepted", MsgDateOrder, "field.concern.received")
		}
		c.village("field.concern.village", o.Village, knownVillage)
		c.nonNegative("field.concern.people", o.People)
		c.oneOf("field.concern.status", string(o.Status), strs(Statuses))
		c.oneOf("field.concern.complexity", string(o.Complexity), strs(Complexities))
		c.concernDeadline(o)
	case *Meeting:
		c.oneOf("field.meeting.kind", string(o.MeetingKind), strs(MeetingKinds))
		c.date("field.meeting.date", o.Date, true)
		if o.MeetingKind == MeetingReception {
			c.reception(o, knownVillage)
		} else {
			c.village("field.meeting.village", o.Village, knownVillage)
		}
		c.nonNegative("field.meeting.head_count", o.HeadCount)
		if o.VoteForm != "" {
			c.oneOf("field.meeting.vote_form", o.VoteForm, VoteForms)
		}
		// The minutes go to the commune after the assembly, and the
		// commune recognises them after it received them.
		c.date("meetings.field.forwarded", o.Forwarded, false)
		c.date("meetings.field.recognised", o.Recognised, false)
		if o.Forwarded.Valid() && o.Date.Valid() && o.Forwarded < o.Date {
			c.add("meetings.field.forwarded", MsgDateOrder, "field.meeting.date")
		}
		if o.Recognised.Valid() && o.Forwarded.Valid() && o.Recognised < o.Forwarded {
			c.add("meetings.field.recognised", MsgDateOrder, "meetings.field.forwarded")
		}
		if o.Recognised.Valid() && !o.Forwarded.Valid() {
			c.add("meetings.field.forwarded", MsgRequired, "")
		}
		c.nonNegative("field.meeting.households_total", o.HouseholdsTotal)
		c.nonNegative("field.meeting.households_present", o.HouseholdsPresent)
		if o.HouseholdsPresent > o.HouseholdsTotal && o.HouseholdsTotal >= 0 && o.MeetingKind == MeetingAssembly {
			c.add("field.meeting.households_present", MsgTooMany, "field.meeting.households_total")
		}
		// Votes are counted in households (Luật Thực hiện dân chủ ở cơ sở
		// 2022: the household is the voting unit of a hội nghị thôn, see
		// docs/domain.md): never negative, never more than the households
		// represented at the assembly.
		for _, a := range o.Agenda {
			if a.VotesFor < 0 || a.VotesAgainst < 0 {
				c.add(FieldAgendaVotes, MsgNegative, "")
				break
			}
			if o.MeetingKind == MeetingAssembly && o.HouseholdsPresent > 0 && a.VotesFor+a.VotesAgainst > o.HouseholdsPresent {
				c.add(FieldAgendaVotes, MsgTooMany, "field.meeting.households_present")
				break
			}
		}
	case *FieldVisit:
		c.date("field.visit.from", o.From, true)
		c.date("field.visit.to", o.To, true)
		if o.From.Valid() && o.To.Valid() && o.To < o.From {
			c.add("field.visit.to", MsgDateOrder, "field.visit.from")
		}
		c.village("field.visit.village", o.Village, knownVillage)
		if len(o.Cadres) == 0 || strings.TrimSpace(strings.Join(o.Cadres, "")) == "" {
			c.add("field.visit.cadres", MsgRequired, "")
		}
	case *Model:
		c.required("field.model.name", o.Name)
		c.oneOf("field.model.field", o.Field, ModelFields)
		c.oneOf("field.model.kind", o.ModelKind, []string{ModelCollective, ModelIndividual})
		c.oneOf("field.model.status", string(o.Status), strs(ModelStatuses))
		c.checkSteps(o)
		if o.Village != "" && knownVillage != nil && !knownVillage(o.Village) {
			c.add("field.model.village", MsgUnknownVillage, "")
		}
	}
	if len(c.errs) == 0 {
		return nil
	}
	return &ValidationError{Kind: obj.Kind(), Fields: c.errs}
}

// reception checks a citizen-reception session: it names who received
// (the chairman or the person he charged, Luật Tiếp công dân 2013, Đ.15)
// and may be held in a village or at the commune's office (no village);
// each citizen received without a concern has a name and what they
// brought.
func (c *checker) reception(o *Meeting, known func(string) bool) {
	c.required("meetings.field.receiver", strings.TrimSpace(o.Chair))
	if o.Village != "" && known != nil && !known(o.Village) {
		c.add("field.meeting.village", MsgUnknownVillage, "")
	}
	for _, r := range o.Received {
		if strings.TrimSpace(r.Name) == "" || strings.TrimSpace(r.Content) == "" {
			c.add(FieldReceived, MsgRequired, "")
			break
		}
	}
}

// concernDeadline checks a concern's deadline fields. A tố cáo's
// extension decisions need a number, a date on or after thụ lý and a
// length of 1 to 30 days, and there may be no more of them than the law
// allows: none for an ordinary case, one for a complex one, two for an
// especially complex one (Luật Tố cáo 2018 Đ.30). The forwarding date
// may not precede receipt. Missing thụ lý or forwarding details are not
// refused here (records written before these fields existed carry none):
// the status dialog asks for them.
func (c *checker) concernDeadline(o *Concern) {
	c.date(FieldForwardedOn, o.ForwardedOn, false)
	if o.ForwardedOn.Valid() && o.Received.Valid() && o.ForwardedOn < o.Received {
		c.add(FieldForwardedOn, MsgDateOrder, "field.concern.received")
	}
	if len(o.Extensions) == 0 {
		return
	}
	if len(o.Extensions) > ExtensionLimit(o.ConcernKind, o.Complexity) {
		c.add(FieldExtensions, MsgExtensionCount, "field.concern.complexity")
	}
	for _, e := range o.Extensions {
		c.required(FieldExtensionNumber, strings.TrimSpace(e.Number))
		c.date(FieldExtensionDate, e.Date, true)
		if e.Date.Valid() && o.Accepted.Valid() && e.Date < o.Accepted {
			c.add(FieldExtensionDate, MsgDateOrder, FieldAccepted)
		}
		switch {
		case e.Days <= 0:
			c.add(FieldExtensionDays, MsgRequired, "")
		case e.Days > ExtensionMaxDays:
			c.add(FieldExtensionDays, MsgExtensionDays, "")
		}
	}
}

// itoa is strconv.Itoa, short for building keys and labels.
func itoa(n int) string { return strconv.Itoa(n) }
