package imports

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"danvan/data"
	"danvan/i18n"
)

// ErrNoVillage is returned by PlanHouseholds when the village column is
// not mapped and no village is given for the whole list.
var ErrNoVillage = errors.New("no village column and no village for the whole list")

// RowError is why a row of the file cannot be taken: its line, the
// column and field, and the message id (data.Msg…) with its argument.
type RowError struct {
	Line    int
	Column  string // "C", or "" for the row as a whole
	LabelID string // the field's label id
	Msg     string // data.MsgRequired, MsgInvalid, MsgUnknownVillage, …
	Value   string // what the cell held
}

func (e RowError) Error() string {
	return fmt.Sprintf("line %d, column %s (%s): %s %q", e.Line, e.Column, e.LabelID, e.Msg, e.Value)
}

// Planned is a row of the file as the import would take it: the
// household, or the errors that keep it out, or the record or line it
// duplicates.
type Planned struct {
	Line      int
	Household *data.Household
	Errors    []RowError
	// Duplicate says what the row repeats: "" for nothing, else the
	// stored household's id, or "line N" for an earlier row of the file.
	Duplicate string
}

// OK reports whether the row would be saved.
func (p *Planned) OK() bool { return len(p.Errors) == 0 && p.Duplicate == "" }

// Plan is an import planned and not yet saved.
type Plan struct {
	Rows []Planned
}

// Counts returns how many rows would be saved, are duplicates, and have
// errors.
func (p *Plan) Counts() (ok, duplicates, bad int) {
	for i := range p.Rows {
		r := &p.Rows[i]
		switch {
		case len(r.Errors) > 0:
			bad++
		case r.Duplicate != "":
			duplicates++
		default:
			ok++
		}
	}
	return
}

// villageKinds are the words a village's name may start with, which a
// list may leave out ("Đăk Ang" for "Làng Đăk Ang").
var villageKinds = []string{"thon ", "lang ", "ban ", "buon ", "ap ", "to dan pho ", "plei ", "bon "}

// bareName is a village name folded, without its kind word.
func bareName(s string) string {
	f := data.Fold(strings.TrimSpace(s))
	for _, k := range villageKinds {
		if rest, ok := strings.CutPrefix(f, k); ok {
			return rest
		}
	}
	return f
}

// parseCount reads a whole non-negative number written the Vietnamese
// way ("1.250", "1 250") or plainly.
func parseCount(s string) (int, bool) {
	s = strings.NewReplacer(".", "", " ", "", "\u00a0", "", ",", "").Replace(strings.TrimSpace(s))
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// PlanHouseholds plans the import of t's rows as households of s: each
// row's fields by m, in the village its village column names (matched
// without diacritics, with or without "Thôn", "Làng"…), or village (an
// id) when the list has no such column. A row whose head is already a
// household of that village (compared without diacritics), in the store
// or earlier in the file, is a duplicate. Every household planned passes
// data.Validate as a form's would.
func PlanHouseholds(s *data.Store, t *Table, m Mapping, village string) (*Plan, error) {
	if _, ok := m["head"]; !ok {
		return nil, fmt.Errorf("plan households: the head of household's column is not mapped")
	}
	_, hasVillageCol := m["village"]
	if !hasVillageCol && village == "" {
		return nil, fmt.Errorf("plan households: %w", ErrNoVillage)
	}
	byName := map[string][]string{} // bare name → village ids
	known := map[string]bool{}
	for _, r := range s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
		byName[bareName(r.Title)] = append(byName[bareName(r.Title)], r.ID)
		known[r.ID] = true
	}
	seen := map[string]string{} // village + folded head → stored id or "line N"
	for _, r := range s.Find(data.Filter{Kind: data.KindHousehold}, data.ByTitle) {
		seen[r.Village+"\x00"+data.Fold(r.Title)] = r.ID
	}
	col := func(key string) (int, bool) { c, ok := m[key]; return c, ok }
	label := map[string]string{}
	for _, f := range HouseholdFields {
		label[f.Key] = f.LabelID
	}
	plan := &Plan{}
	for i := range t.Rows {
		get := func(key string) string {
			if c, ok := col(key); ok {
				return t.Cell(i, c)
			}
			return ""
		}
		blank := true
		for _, c := range m {
			if t.Cell(i, c) != "" {
				blank = false
			}
		}
		if blank {
			continue // an empty line, or a sheet's trailing rows
		}
		p := Planned{Line: t.Line(i)}
		bad := func(key, msg string) {
			c, _ := col(key)
			p.Errors = append(p.Errors, RowError{Line: p.Line, Column: ColumnName(c), LabelID: label[key], Msg: msg, Value: get(key)})
		}
		h := &data.Household{Head: get("head"), Phone: get("phone"), Ethnicity: get("ethnicity"), Religion: get("religion"), Notes: get("notes")}
		if h.Head == "" {
			bad("head", data.MsgRequired)
		}
		h.Village = village
		if hasVillageCol {
			switch name := get("village"); {
			case name == "" && village == "":
				bad("village", data.MsgRequired)
			case name == "":
			default:
				ids := byName[bareName(name)]
				if len(ids) == 1 {
					h.Village = ids[0]
				} else {
					bad("village", data.MsgUnknownVillage)
				}
			}
		}
		if v := get("members"); v != "" {
			if n, ok := parseCount(v); ok {
				h.Members = n
			} else {
				bad("members", data.MsgInvalid)
			}
		}
		if len(p.Errors) == 0 {
			if err := data.Validate(h, func(id string) bool { return known[id] }); err != nil {
				if ve, ok := data.AsValidation(err); ok {
					for _, fe := range ve.Fields {
						p.Errors = append(p.Errors, RowError{Line: p.Line, LabelID: fe.Field, Msg: fe.Msg})
					}
				} else {
					return nil, err
				}
			}
		}
		if len(p.Errors) == 0 {
			key := h.Village + "\x00" + data.Fold(h.Head)
			if prev, ok := seen[key]; ok {
				p.Duplicate = prev
			} else {
				seen[key] = fmt.Sprintf("line %d", p.Line)
			}
			p.Household = h
		}
		plan.Rows = append(plan.Rows, p)
	}
	return plan, nil
}

// Save stores the rows that would be saved, in one batch, and returns
// how many.
func (p *Plan) Save(s *data.Store, progress func(done int)) (int, error) {
	var objs []data.Object
	for i := range p.Rows {
		if r := &p.Rows[i]; r.OK() {
			objs = append(objs, r.Household)
		}
	}
	if len(objs) == 0 {
		return 0, nil
	}
	if err := s.SaveMany(objs, progress); err != nil {
		return 0, fmt.Errorf("save the imported households: %w", err)
	}
	return len(objs), nil
}

// Text is the row error in the user's language: "Dòng 6, cột C: Số nhân
// khẩu: giá trị không hợp lệ (“năm”)".
func (e RowError) Text(l *i18n.Localizer) string {
	msg := l.T(e.Msg, "Field", l.T(e.LabelID))
	if e.Value != "" {
		msg += " (“" + e.Value + "”)"
	}
	if e.Column == "" {
		return l.T("import.row_error_line", "Line", e.Line, "Message", msg)
	}
	return l.T("import.row_error", "Line", e.Line, "Column", e.Column, "Message", msg)
}

// DuplicateText says, in the user's language, what row p repeats; the
// name of a stored household's village is given by villageName.
func (p *Planned) DuplicateText(l *i18n.Localizer, villageName func(id string) string) string {
	if rest, ok := strings.CutPrefix(p.Duplicate, "line "); ok {
		return l.T("import.duplicate_line", "Line", p.Line, "Other", rest, "Head", p.Household.Head)
	}
	return l.T("import.duplicate_stored", "Line", p.Line, "Head", p.Household.Head, "Village", villageName(p.Household.Village))
}
