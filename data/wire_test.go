package data

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestCheckWire: a record as the store writes it passes; each fault of
// the hostile-client list is refused with a *WireError naming the field.
func TestCheckWire(t *testing.T) {
	s := openTest(t, "")
	v := newVillage(t, s, "Làng Kon Von", false)
	h := &Household{Head: "A Thiết", Village: v.ID, Members: 4}
	mustSave(t, s, h)
	good, err := s.Record(h.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckWire(good); err != nil {
		t.Fatalf("a stored record is refused: %v", err)
	}
	cases := []struct {
		name, field string
		mut         func(r *Record)
	}{
		{"nil UUID", "id", func(r *Record) { r.ID = "00000000-0000-0000-0000-000000000000" }},
		{"upper-case id", "id", func(r *Record) { r.ID = strings.ToUpper(r.ID) }},
		{"no commune", "commune", func(r *Record) { r.Commune = "" }},
		{"commune not digits", "commune", func(r *Record) { r.Commune = "23368\x00" }},
		{"negative created", "created", func(r *Record) { r.Created.Wall = -1 }},
		{"negative field stamp", "f.head", func(r *Record) { f := r.Fields["head"]; f.S.Wall = -9; r.Fields["head"] = f }},
		{"negative members", "f.members", func(r *Record) { r.Fields["members"] = Field{V: json.RawMessage(`-2`), S: r.Created} }},
		{"unknown field", "f.spaceship", func(r *Record) { r.Fields["spaceship"] = Field{V: json.RawMessage(`1`), S: r.Created} }},
		{"invalid UTF-8", "f.head", func(r *Record) { r.Fields["head"] = Field{V: json.RawMessage("\"A \xff\""), S: r.Created} }},
		{"NUL escaped", "f.head", func(r *Record) { r.Fields["head"] = Field{V: json.RawMessage(`"A\u0000"`), S: r.Created} }},
		{"3.9 MB", "f.head", func(r *Record) {
			r.Fields["head"] = Field{V: json.RawMessage(`"` + strings.Repeat("x", 3_900_000) + `"`), S: r.Created}
		}},
		{"empty head", "f.head", func(r *Record) { r.Fields["head"] = Field{V: json.RawMessage(`""`), S: r.Created} }},
		{"wrong type", "record", func(r *Record) { r.Fields["members"] = Field{V: json.RawMessage(`"bốn"`), S: r.Created} }},
		{"long device", "f.head", func(r *Record) {
			f := r.Fields["head"]
			f.S.Device = strings.Repeat("d", 100)
			r.Fields["head"] = f
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := *good
			r.Fields = map[string]Field{}
			for k, f := range good.Fields {
				r.Fields[k] = f
			}
			tc.mut(&r)
			err := CheckWire(&r)
			var we *WireError
			if !errors.As(err, &we) {
				t.Fatalf("%v, want a *WireError", err)
			}
			if we.Field != tc.field {
				t.Errorf("field %q (%v), want %q", we.Field, err, tc.field)
			}
			if strings.Contains(err.Error(), "xxxx") {
				t.Error("the error holds the value")
			}
		})
	}
	// Validate's rules name the field's label too.
	r := *good
	r.Fields = map[string]Field{}
	for k, f := range good.Fields {
		r.Fields[k] = f
	}
	r.Fields["members"] = Field{V: json.RawMessage(`-2`), S: r.Created}
	var we *WireError
	if errors.As(CheckWire(&r), &we); we == nil || we.Label != "field.household.members" || we.Reason != MsgNegative {
		t.Errorf("negative members: %+v", we)
	}
}
