package i18n

import (
	"danvan/data"

	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// fileMessages decodes an embedded message file into id → text, where a
// plural message's text is its "other" form.
func fileMessages(t *testing.T, lang Lang) map[string]map[string]string {
	t.Helper()
	data, err := messageFiles.ReadFile("active." + string(lang) + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	out := map[string]map[string]string{}
	for id, v := range raw {
		switch v := v.(type) {
		case string:
			out[id] = map[string]string{"other": v}
		case map[string]any:
			forms := map[string]string{}
			for k, s := range v {
				str, ok := s.(string)
				if !ok {
					t.Errorf("%s: %s.%s is %T, want string", lang, id, k, s)
				}
				forms[k] = str
			}
			out[id] = forms
		default:
			t.Errorf("%s: %s is %T; use flat quoted ids", lang, id, v)
		}
	}
	return out
}

func TestMessageFilesMatch(t *testing.T) {
	vi, en := fileMessages(t, VI), fileMessages(t, EN)
	if len(vi) < 50 {
		t.Errorf("only %d Vietnamese messages", len(vi))
	}
	for _, pair := range []struct {
		name     string
		from, to map[string]map[string]string
	}{{"en", vi, en}, {"vi", en, vi}} {
		for id := range pair.from {
			if _, ok := pair.to[id]; !ok {
				t.Errorf("%s is missing %q", pair.name, id)
			}
		}
	}
	for lang, msgs := range map[Lang]map[string]map[string]string{VI: vi, EN: en} {
		for id, forms := range msgs {
			if strings.TrimSpace(forms["other"]) == "" {
				t.Errorf("%s: %q has no (other) text", lang, id)
			}
			for form, s := range forms {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %q form %s is empty", lang, id, form)
				}
			}
			// Both languages use the same placeholders.
			if other := map[Lang]map[string]map[string]string{VI: en, EN: vi}[lang][id]; other != nil {
				if a, b := placeholders(forms["other"]), placeholders(other["other"]); !slices.Equal(a, b) {
					t.Errorf("%q: placeholders %s %v differ from the other language's %v", id, lang, a, b)
				}
			}
		}
	}
	ids := IDs()
	if len(ids) != len(vi) || !slices.IsSorted(ids) {
		t.Errorf("IDs() has %d sorted=%v, file has %d", len(ids), slices.IsSorted(ids), len(vi))
	}
	for _, id := range ids {
		if _, ok := vi[id]; !ok {
			t.Errorf("IDs() has %q, not in the vi file", id)
		}
		for _, l := range Langs() {
			if got := Translate(l, id); got == id || got == "" {
				t.Errorf("Translate(%s, %q) = %q", l, id, got)
			}
		}
	}
}

func placeholders(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			break
		}
		out = append(out, strings.TrimSpace(s[i+2:i+j]))
		s = s[i+j+2:]
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestRequiredIDs(t *testing.T) {
	for _, id := range []string{
		"app.title", "btn.save", "btn.cancel", "btn.delete", "btn.restore", "btn.ok", "btn.yes", "btn.no",
		"btn.search", "btn.new", "btn.edit", "btn.close", "confirm.delete", "err.wrong_passphrase",
		"err.already_open", "err.newer_version", "err.generic", "err.not_connected", "status.loading",
		"screen.dashboard", "screen.concerns", "screen.meetings", "screen.visits", "screen.villages",
		"screen.models", "screen.reports", "screen.settings", "screen.trash", "screen.sync",
		"validation.required", "validation.date_order", "validation.too_many", "validation.unknown_village",
		"validation.invalid", "validation.negative",
		"field.village.name", "field.village.kind", "field.household.head", "field.household.members",
		"field.person.name", "field.person.role", "field.concern.summary", "field.concern.kind",
		"field.concern.received", "field.concern.accepted", "field.concern.village", "field.concern.people",
		"field.meeting.date", "field.meeting.village", "field.meeting.kind", "field.meeting.households_total",
		"field.meeting.households_present", "field.visit.from", "field.visit.to", "field.visit.village",
		"field.visit.cadres", "field.model.name", "field.model.field", "field.commune",
	} {
		if !slices.Contains(IDs(), id) {
			t.Errorf("missing id %q", id)
		}
	}
}

func TestTranslate(t *testing.T) {
	vi, en := New(VI), New(EN)
	for _, tc := range []struct {
		tr   Translator
		id   string
		args []any
		want string
	}{
		{vi, "app.title", nil, "Sổ tay Dân vận"},
		{en, "app.title", nil, "Sổ tay Dân vận"},
		{vi, "btn.save", nil, "Lưu"},
		{en, "btn.save", nil, "Save"},
		{vi, "btn.ok", nil, "Đồng ý"},
		{vi, "screen.concerns", nil, "Ý kiến – Kiến nghị"},
		{vi, "err.not_connected", nil, "Không kết nối máy chủ"},
		{en, "err.not_connected", nil, "Not connected to a server"},
		{vi, "validation.required", []any{"Field", "Tóm tắt"}, "Tóm tắt: không được để trống"},
		{en, "validation.required", []any{"Field", "Summary"}, "Summary: is required"},
		{vi, "validation.date_order", []any{"Field", "Ngày thụ lý", "Other", "Ngày tiếp nhận"}, "Ngày thụ lý phải sau hoặc bằng Ngày tiếp nhận"},
		{en, "validation.too_many", []any{"Field", "Households present", "Other", "Total households"}, "Households present cannot be greater than Total households"},
		{en, "validation.negative", []any{map[string]any{"Field": "Members"}}, "Members cannot be negative"},
		{vi, "confirm.delete", []any{"Name", "Thôn 1"}, "Xóa “Thôn 1”? Bản ghi sẽ được chuyển vào Thùng rác và có thể khôi phục."},
		{en, "count.records", []any{"Count", 1}, "1 record"},
		{en, "count.records", []any{"Count", 3}, "3 records"},
		{en, "count.records", []any{"Count", "many"}, "many records"},
		{vi, "count.records", []any{"Count", 1}, "1 bản ghi"},
		{vi, "no.such.id", nil, "no.such.id"},
		{en, "no.such.id", []any{"Field", "x"}, "no.such.id"},
		{(*Localizer)(nil), "btn.cancel", nil, "Hủy"},
	} {
		if got := tc.tr.T(tc.id, tc.args...); got != tc.want {
			t.Errorf("T(%q, %v) = %q, want %q", tc.id, tc.args, got, tc.want)
		}
	}
	if got := Translate(EN, "btn.delete"); got != "Delete" {
		t.Errorf("Translate(EN, btn.delete) = %q", got)
	}
	if New(EN).Lang() != EN || New(VI).Lang() != VI || New("fr").Lang() != VI || New("en-US").Lang() != EN || (*Localizer)(nil).Lang() != VI {
		t.Error("Lang() wrong")
	}
	if VI.Name() != "Tiếng Việt" || EN.Name() != "English" {
		t.Errorf("Name() = %q, %q", VI.Name(), EN.Name())
	}
	for in, want := range map[string]Lang{"": VI, "vi": VI, "vi_VN.UTF-8": VI, "en": EN, "EN-gb": EN, "en_US.UTF-8": EN, "fr": VI} {
		if got := ParseLang(in); got != want {
			t.Errorf("ParseLang(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFallbackToVietnamese checks that an id missing in English falls back
// to the Vietnamese text.
func TestFallbackToVietnamese(t *testing.T) {
	c := loadCatalogue()
	if err := c.bundle.AddMessages(language.Vietnamese, &goi18n.Message{ID: "test.only_vi", Other: "Chỉ có tiếng Việt {{.X}}"}); err != nil {
		t.Fatal(err)
	}
	if got := Translate(EN, "test.only_vi", "X", 1); got != "Chỉ có tiếng Việt 1" {
		t.Errorf("fallback = %q", got)
	}
}

// fyneKeys returns the keys of Fyne's base.en.json: from the module cache
// when fyne.io/fyne/v2 is in go.mod, else from testdata.
func fyneKeys(t *testing.T) (keys []string, source string) {
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if data, err := os.ReadFile(filepath.Join(dir, "lang", "translations", "base.en.json")); err == nil {
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			for k := range m {
				keys = append(keys, k)
			}
			return keys, dir
		}
	}
	data, err := os.ReadFile(filepath.Join("testdata", "fyne-base-keys.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			keys = append(keys, line)
		}
	}
	return keys, "testdata"
}

func TestFyneTranslations(t *testing.T) {
	data, err := FyneTranslations.ReadFile(FyneTranslationsDir + "/base.vi.json")
	if err != nil {
		t.Fatal(err)
	}
	var vi map[string]any
	if err := json.Unmarshal(data, &vi); err != nil {
		t.Fatalf("base.vi.json: %v", err)
	}
	keys, src := fyneKeys(t)
	t.Logf("Fyne keys from %s", src)
	if len(keys) < 30 {
		t.Fatalf("only %d Fyne keys from %s", len(keys), src)
	}
	for _, k := range keys {
		v, ok := vi[k]
		if !ok {
			t.Errorf("base.vi.json is missing %q (keys from %s)", k, src)
			continue
		}
		switch v := v.(type) {
		case string:
			if v == "" {
				t.Errorf("%q is empty", k)
			}
		case map[string]any:
			if s, _ := v["other"].(string); s == "" {
				t.Errorf("%q has no other form", k)
			}
		default:
			t.Errorf("%q has type %T", k, v)
		}
	}
	for k, want := range map[string]string{"OK": "Đồng ý", "Cancel": "Hủy", "Save": "Lưu", "Open": "Mở", "Yes": "Có", "No": "Không", "Quit": "Thoát"} {
		if vi[k] != want {
			t.Errorf("%s = %v, want %q", k, vi[k], want)
		}
	}
	entries, err := FyneTranslations.ReadDir(FyneTranslationsDir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("ReadDir(%s): %v, %d entries", FyneTranslationsDir, err, len(entries))
	}
}

// TestDataMessagesTranslated checks that every validation message and
// field label the data package can return has a text in both languages.
func TestDataMessagesTranslated(t *testing.T) {
	for _, lang := range []Lang{VI, EN} {
		loc := New(lang)
		for _, id := range data.MessageIDs() {
			if got := loc.T(id, "Field", "x", "Other", "y"); got == id || got == "" {
				t.Errorf("%s: no text for %s", lang, id)
			}
		}
	}
}
