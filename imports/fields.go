package imports

import (
	"strings"

	"danvan/data"
)

// Field is a field an import fills, with the column names lists use for
// it (compared without diacritics or case).
type Field struct {
	// Key names the field in a mapping ("head"); LabelID is its label
	// in the app's catalogue.
	Key, LabelID string
	// Names are the column headings it is known by.
	Names []string
	// Required fields must be mapped and filled in every row.
	Required bool
}

// HouseholdFields are the household list's fields.
var HouseholdFields = []Field{
	{Key: "head", LabelID: "field.household.head", Required: true,
		Names: []string{"chủ hộ", "họ tên chủ hộ", "họ và tên chủ hộ", "tên chủ hộ", "họ và tên", "họ tên"}},
	{Key: "village", LabelID: "field.household.village",
		Names: []string{"thôn", "làng", "thôn, làng", "thôn làng", "thôn/làng", "thôn, bản", "bản", "buôn", "ấp", "tổ dân phố", "địa chỉ"}},
	{Key: "members", LabelID: "field.household.members",
		Names: []string{"số nhân khẩu", "nhân khẩu", "số khẩu", "số người", "khẩu"}},
	{Key: "phone", LabelID: "villages.field.phone",
		Names: []string{"số điện thoại", "điện thoại", "sđt", "đt"}},
	{Key: "ethnicity", LabelID: "villages.field.ethnicity", Names: []string{"dân tộc"}},
	{Key: "religion", LabelID: "villages.field.religion", Names: []string{"tôn giáo"}},
	{Key: "notes", LabelID: "villages.field.notes", Names: []string{"ghi chú", "hoàn cảnh"}},
}

// Mapping is which column holds each field, by field key.
type Mapping map[string]int

// normName is a heading compared: folded, without punctuation runs.
func normName(s string) string {
	s = data.Fold(strings.TrimSpace(s))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '.' || r == ':' || r == '(' || r == ')' || r == '*'
	}), " ")
}

// Guess maps the fields whose names header uses, each to its first
// column; a column is used for one field only.
func Guess(header []string, fields []Field) Mapping {
	m := Mapping{}
	used := map[int]bool{}
	for _, f := range fields {
		for col, h := range header {
			if used[col] {
				continue
			}
			hn := normName(h)
			for _, n := range f.Names {
				if hn == normName(n) {
					m[f.Key] = col
					used[col] = true
					break
				}
			}
			if _, ok := m[f.Key]; ok {
				break
			}
		}
	}
	return m
}
