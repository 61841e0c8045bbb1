package data

import (
	"slices"
	"testing"
)

// TestSuggestUnit: the name and heading a unit of each kind most likely
// has, from the commune's name (a phường and a đặc khu too).
func TestSuggestUnit(t *testing.T) {
	for _, c := range []struct {
		kind                    UnitKind
		commune                 string
		unit, parent, symbol    string
		headParent, headingBody string
	}{
		{UnitParty, "Xã Đăk Long", "Ban Xây dựng Đảng Đảng ủy xã Đăk Long", "Đảng bộ xã Đăk Long", "BXDĐ", "Đảng bộ xã Đăk Long", "Ban Xây dựng Đảng"},
		{UnitParty, "Phường Kon Tum", "Ban Xây dựng Đảng Đảng ủy phường Kon Tum", "Đảng bộ phường Kon Tum", "BXDĐ", "Đảng bộ phường Kon Tum", "Ban Xây dựng Đảng"},
		{UnitState, "Đặc khu Lý Sơn", "Ủy ban nhân dân đặc khu Lý Sơn", "", "UBND", "", "Ủy ban nhân dân đặc khu Lý Sơn"},
		{UnitMass, "Xã Sa Loong", "Ủy ban Mặt trận Tổ quốc Việt Nam xã Sa Loong", "", "MTTQ", "", "Ủy ban Mặt trận Tổ quốc Việt Nam xã Sa Loong"},
	} {
		unit, is := SuggestUnit(c.kind, c.commune)
		if unit != c.unit || is.Parent != c.parent || is.Symbol != c.symbol || is.UnitKind != c.kind {
			t.Errorf("SuggestUnit(%s, %q) = %q, %+v", c.kind, c.commune, unit, is)
		}
		if p, b := is.HeadingBodies(unit); p != c.headParent || b != c.headingBody {
			t.Errorf("%s heading: %q / %q, want %q / %q", c.kind, p, b, c.headParent, c.headingBody)
		}
	}
}

// TestRecipientLines: each recipient as "- name,", the last with a full
// stop, whatever dashes and commas the user typed.
func TestRecipientLines(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Ban Thường vụ Đảng ủy xã (b/c)\nLưu", []string{"- Ban Thường vụ Đảng ủy xã (b/c),", "- Lưu."}},
		{"- Thường trực Đảng ủy,\n\n  – Lưu: VT.  ", []string{"- Thường trực Đảng ủy,", "- Lưu: VT."}},
		{"", nil},
	} {
		if got := (Issuer{Recipients: c.in}).RecipientLines(); !slices.Equal(got, c.want) {
			t.Errorf("RecipientLines(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestProfileKeepsTheIssuer: the issuer is stored with the profile, and
// an unknown unit kind is refused, naming the field.
func TestProfileKeepsTheIssuer(t *testing.T) {
	s := openAt(t, t.TempDir(), "")
	defer s.Close()
	unit, is := SuggestUnit(UnitParty, "Xã Đăk Long")
	is.Signer = " Trần Văn Hùng "
	if err := s.SetProfile(Profile{Name: "Nguyễn Văn An", Unit: unit, Issuer: is}); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Profile()
	if p.UnitKind != UnitParty || p.Parent != "Đảng bộ xã Đăk Long" || p.Signer != "Trần Văn Hùng" || p.Recipients != is.Recipients {
		t.Errorf("stored profile %+v", p)
	}
	err := s.SetProfile(Profile{Name: "Nguyễn Văn An", Issuer: Issuer{UnitKind: "ban"}})
	ve, ok := AsValidation(err)
	if !ok || len(ve.Fields) != 1 || ve.Fields[0].Field != "field.profile.unit_kind" {
		t.Errorf("an unknown unit kind: %v", err)
	}
}
