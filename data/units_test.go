package data

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestUnitsCounts(t *testing.T) {
	ps := Provinces()
	if len(ps) != 34 {
		t.Fatalf("Provinces: got %d, want 34", len(ps))
	}
	if ps[0] != (Province{Code: "01", Name: "Thành phố Hà Nội"}) {
		t.Errorf("first province = %+v", ps[0])
	}
	cs := Communes()
	if len(cs) != 3321 {
		t.Fatalf("Communes: got %d, want 3321", len(cs))
	}
	if cs[0].Code != "00004" || cs[0].Name != "Phường Ba Đình" || cs[0].ProvinceCode != "01" || cs[0].ProvinceName != "Thành phố Hà Nội" {
		t.Errorf("first commune = %+v", cs[0])
	}
	seen := map[string]bool{}
	perProvince := map[string]int{}
	for i, c := range cs {
		if len(c.Code) != 5 || seen[c.Code] {
			t.Errorf("commune %d: bad or duplicate code %q", i, c.Code)
		}
		seen[c.Code] = true
		if !(strings.HasPrefix(c.Name, "Xã ") || strings.HasPrefix(c.Name, "Phường ") || strings.HasPrefix(c.Name, "Đặc khu ")) {
			t.Errorf("commune %s: unexpected name %q", c.Code, c.Name)
		}
		if c.ProvinceName == "" {
			t.Errorf("commune %s: no province name", c.Code)
		}
		perProvince[c.ProvinceCode]++
	}
	for _, p := range ps {
		if len(p.Code) != 2 || perProvince[p.Code] == 0 {
			t.Errorf("province %+v: bad code or no communes", p)
		}
		if got := len(CommunesOf(p.Code)); got != perProvince[p.Code] {
			t.Errorf("CommunesOf(%s) = %d, want %d", p.Code, got, perProvince[p.Code])
		}
	}
	// Returned slices are copies.
	cs[0].Name = "changed"
	if Communes()[0].Name != "Phường Ba Đình" {
		t.Error("Communes() exposes the internal slice")
	}
}

func TestUnitsCommuneByCode(t *testing.T) {
	for _, tc := range []struct {
		code, name, label string
	}{
		{"23368", "Xã Đăk Long", "Xã Đăk Long, Tỉnh Quảng Ngãi"},
		{"23536", "Xã Mô Rai", "Xã Mô Rai, Tỉnh Quảng Ngãi"},
		{"23293", "Phường Kon Tum", "Phường Kon Tum, Tỉnh Quảng Ngãi"},
	} {
		c, ok := CommuneByCode(tc.code)
		if !ok {
			t.Errorf("CommuneByCode(%s): not found", tc.code)
			continue
		}
		if c.Code != tc.code || c.Name != tc.name || c.ProvinceCode != "51" || c.ProvinceName != "Tỉnh Quảng Ngãi" {
			t.Errorf("CommuneByCode(%s) = %+v", tc.code, c)
		}
		if c.Label() != tc.label {
			t.Errorf("Label() = %q, want %q", c.Label(), tc.label)
		}
	}
	for _, code := range []string{"", "99999", "2336", "233680", "xyz"} {
		if c, ok := CommuneByCode(code); ok {
			t.Errorf("CommuneByCode(%q) = %+v, want not found", code, c)
		}
	}
	if p, ok := ProvinceByCode("51"); !ok || p.Name != "Tỉnh Quảng Ngãi" {
		t.Errorf("ProvinceByCode(51) = %+v, %v", p, ok)
	}
	if _, ok := ProvinceByCode("00"); ok {
		t.Error("ProvinceByCode(00) found")
	}
}

func codesOf(cs []Commune) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}

func TestUnitsFindCommunes(t *testing.T) {
	for _, q := range []string{"dak long", "Đăk Long", "ĐĂK LONG", "  dak   LONG ", "xa dak long", "Xã Đăk Long"} {
		got := FindCommunes(q, 5)
		if len(got) == 0 || got[0].Code != "23368" {
			t.Errorf("FindCommunes(%q) = %v, want 23368 first", q, codesOf(got))
		}
	}
	// NFD input (decomposed diacritics, as typed on macOS) gives the same result.
	for _, q := range []string{"Đăk Long", "Mô Rai", "phường kon tum"} {
		nfc := FindCommunes(q, 10)
		nfd := FindCommunes(norm.NFD.String(q), 10)
		if norm.NFD.String(q) == q {
			t.Fatalf("test query %q has no decomposable characters", q)
		}
		if strings.Join(codesOf(nfc), ",") != strings.Join(codesOf(nfd), ",") || len(nfc) == 0 {
			t.Errorf("FindCommunes NFC %v != NFD %v for %q", codesOf(nfc), codesOf(nfd), q)
		}
	}
	if got := FindCommunes("mo rai", 3); len(got) == 0 || got[0].Code != "23536" {
		t.Errorf("FindCommunes(mo rai) = %v", codesOf(got))
	}
	if got := FindCommunes("Kon Tum", 3); len(got) == 0 || got[0].Code != "23293" {
		t.Errorf("FindCommunes(Kon Tum) = %v", codesOf(got))
	}
	// Code: exact first, then prefixes.
	if got := FindCommunes("23368", 0); len(got) != 1 || got[0].Code != "23368" {
		t.Errorf("FindCommunes(23368) = %v", codesOf(got))
	}
	got := FindCommunes("233", 0)
	if len(got) == 0 {
		t.Fatal("FindCommunes(233): no results")
	}
	for _, c := range got {
		if !strings.HasPrefix(c.Code, "233") {
			t.Errorf("FindCommunes(233) returned %s", c.Code)
		}
	}
	// Prefix matches rank before mere substring matches.
	got = FindCommunes("long", 0)
	if len(got) < 2 {
		t.Fatalf("FindCommunes(long) = %v", codesOf(got))
	}
	if !strings.HasPrefix(Fold(got[0].Name), "xa long") && !strings.HasPrefix(Fold(got[0].Name), "phuong long") && !strings.HasPrefix(Fold(got[0].Name), "dac khu long") {
		t.Errorf("FindCommunes(long) first = %q, want a name starting with Long", got[0].Name)
	}
	for _, c := range got {
		if !strings.Contains(Fold(c.Name), "long") {
			t.Errorf("FindCommunes(long) returned %q", c.Name)
		}
	}
	// Limit.
	if got := FindCommunes("long", 3); len(got) != 3 {
		t.Errorf("FindCommunes(long, 3) returned %d", len(got))
	}
	// Province name narrows a query.
	for _, q := range []string{"dak long quang ngai", "Đăk Long, Tỉnh Quảng Ngãi", "quang ngai dak long", "tinh quang ngai dak long"} {
		got = FindCommunes(q, 0)
		if len(got) != 1 || got[0].Code != "23368" {
			t.Errorf("FindCommunes(%q) = %v, want [23368]", q, codesOf(got))
		}
	}
	// ...but a word that merely occurs in a province name does not match.
	for _, c := range FindCommunes("ba dinh", 0) {
		if !strings.Contains(Fold(c.Name), "ba dinh") {
			t.Errorf("FindCommunes(ba dinh) returned %q", c.Label())
		}
	}
	// Nothing / empty.
	for _, q := range []string{"", "   ", "zzzz", "99999"} {
		if got := FindCommunes(q, 10); len(got) != 0 {
			t.Errorf("FindCommunes(%q) = %v, want none", q, codesOf(got))
		}
	}
}
