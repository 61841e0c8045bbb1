// Package i18n holds the user-interface strings of Sổ tay Dân vận in
// Vietnamese (the default) and English, and looks them up by id.
//
// Messages live in the embedded TOML files active.vi.toml and
// active.en.toml (go-i18n v2 format, flat quoted ids such as "btn.save").
// A message missing in English falls back to Vietnamese; an id missing
// everywhere is returned as is, so a forgotten string is visible but never
// fatal.
//
// The package also embeds a Vietnamese translation of Fyne's own dialog
// strings (FyneTranslations) without importing Fyne; the UI registers it
// with fyne.io/fyne/v2/lang.AddTranslationsFS(FyneTranslations,
// FyneTranslationsDir).
package i18n

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang is a user-interface language, as a BCP 47 tag.
type Lang string

// The supported languages.
const (
	VI Lang = "vi" // Vietnamese, the default
	EN Lang = "en" // English
)

// Default is the language used when none or an unsupported one is chosen.
const Default = VI

// Langs returns the supported languages, the default first.
func Langs() []Lang { return []Lang{VI, EN} }

// ParseLang maps a language tag or locale such as "en", "en-US", "en_GB.UTF-8"
// or "vi-VN" to a supported Lang, and anything else (including "") to Default.
func ParseLang(s string) Lang {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_.@"); i >= 0 {
		s = s[:i]
	}
	switch Lang(s) {
	case EN:
		return EN
	default:
		return VI
	}
}

// Name returns the language's own name ("Tiếng Việt", "English"), for a
// language picker.
func (l Lang) Name() string { return Translate(l, "lang."+string(ParseLang(string(l)))) }

// Translator looks up a user-interface string by id; args are optional
// key/value pairs for the message's template data. *Localizer implements
// it; packages that produce user-visible text accept a Translator.
type Translator interface {
	T(id string, args ...any) string
}

//go:embed active.vi.toml active.en.toml
var messageFiles embed.FS

// FyneTranslations holds Vietnamese translations of Fyne's built-in strings
// (dialog buttons, file picker, weekday names) as FyneTranslationsDir/base.vi.json,
// in the format of fyne.io/fyne/v2/lang.AddTranslationsFS.
//
//go:embed fyne
var FyneTranslations embed.FS

// FyneTranslationsDir is the directory of FyneTranslations that holds the
// translation files: pass it with FyneTranslations to lang.AddTranslationsFS.
const FyneTranslationsDir = "fyne"

type catalogue struct {
	bundle *goi18n.Bundle
	ids    []string // ids of the default-language file, sorted
	byLang map[Lang]*Localizer
}

var loadCatalogue = sync.OnceValue(func() *catalogue {
	b := goi18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &catalogue{bundle: b, byLang: map[Lang]*Localizer{}}
	for _, l := range Langs() {
		name := "active." + string(l) + ".toml"
		data, err := messageFiles.ReadFile(name)
		if err != nil {
			panic("i18n: " + err.Error())
		}
		f, err := b.ParseMessageFileBytes(data, name)
		if err != nil {
			// The files are embedded at build time and covered by tests.
			panic(fmt.Sprintf("i18n: %s: %v", name, err))
		}
		if l == Default {
			for _, m := range f.Messages {
				c.ids = append(c.ids, m.ID)
			}
			slices.Sort(c.ids)
		}
	}
	for _, l := range Langs() {
		c.byLang[l] = &Localizer{lang: l, loc: goi18n.NewLocalizer(b, string(l), string(Default))}
	}
	return c
})

// Localizer translates message ids into one language. It is safe for
// concurrent use; a nil *Localizer translates into Default.
type Localizer struct {
	lang Lang
	loc  *goi18n.Localizer
}

var _ Translator = (*Localizer)(nil)

// New returns the Localizer for lang; an unsupported lang gives Default's.
func New(lang Lang) *Localizer {
	c := loadCatalogue()
	if l, ok := c.byLang[lang]; ok {
		return l
	}
	return c.byLang[ParseLang(string(lang))]
}

// Lang returns the localizer's language.
func (l *Localizer) Lang() Lang {
	if l == nil {
		return Default
	}
	return l.lang
}

// T returns the message id in the localizer's language, or in Vietnamese if
// it has no translation, or id itself if the id is unknown.
//
// args are optional key/value pairs of template data, e.g.
// T("validation.required", "Field", "Tóm tắt"); a single map[string]any
// argument is used as the template data directly. A "Count" value also
// selects the plural form (e.g. "1 record" / "2 records" in English).
func (l *Localizer) T(id string, args ...any) string {
	if l == nil {
		l = New(Default)
	}
	data := templateData(args)
	lc := &goi18n.LocalizeConfig{MessageID: id}
	if data != nil {
		lc.TemplateData = data
		if n, ok := data["Count"]; ok && n != nil {
			lc.PluralCount = n
		}
	}
	msg, err := l.loc.Localize(lc)
	if msg == "" && err != nil {
		if lc.PluralCount != nil {
			// A Count that is not a number: retry without plural selection.
			lc.PluralCount = nil
			if msg, err = l.loc.Localize(lc); msg != "" || err == nil {
				return msg
			}
		}
		return id
	}
	return msg
}

func templateData(args []any) map[string]any {
	if len(args) == 0 {
		return nil
	}
	if len(args) == 1 {
		if m, ok := args[0].(map[string]any); ok {
			return m
		}
	}
	data := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		data[fmt.Sprint(args[i])] = args[i+1]
	}
	return data
}

// Translate is New(lang).T(id, args...).
func Translate(lang Lang, id string, args ...any) string { return New(lang).T(id, args...) }

// IDs returns the sorted ids of all messages in the Vietnamese (default)
// file. The slice is a copy.
func IDs() []string { return slices.Clone(loadCatalogue().ids) }
