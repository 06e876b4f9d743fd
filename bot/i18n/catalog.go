// Package i18n holds every text the bot writes, in English, Ukrainian and
// Russian, and picks a chat's language from Telegram's language_code.
//
// Messages live in embedded YAML files (locales/active.<lang>.yaml) read by
// github.com/nicksnyder/go-i18n/v2, with CLDR plural rules. The ids and the
// template data each one reads are the constants in messages.go.
//
// It is not a formatting layer for alerts: bot.Renderer builds alert HTML and
// asks this package only for its labels, month names and dates.
package i18n

import (
	"embed"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

//go:embed locales/active.*.yaml
var localeFS embed.FS

// languages are the bot's languages; English is the source and the fallback
// of a message missing in another locale.
var languages = []string{"en", "uk", "ru"}

// ErrUnknownLanguage is returned by New for a default language the bot does
// not speak.
var ErrUnknownLanguage = errors.New("i18n: unknown language")

// Config configures a Catalog. The zero value is usable.
type Config struct {
	// DefaultLanguage is used when a chat's language_code matches none of
	// the bot's languages (config defaults.language). Empty means "en".
	DefaultLanguage string
	// Logger receives broken-template reports. Nil means slog.Default().
	Logger *slog.Logger
}

// Catalog renders messages. It is safe for concurrent use.
type Catalog struct {
	def        string
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	matcher    language.Matcher
	matchTags  []string // language of each tag given to matcher
	log        *slog.Logger
	// quoted lists, per language and message, the data keys its text shows
	// in quotation marks: their own quotes become inner ones (NestQuotes).
	quoted map[string]map[string][]string
}

// HTML marks a data value as Telegram HTML already: T inserts it unescaped.
type HTML string

// strictParser makes a template that reads a key missing from its data fail
// instead of printing "<no value>" (which would also break parse_mode HTML).
// It is the only parser used: go-i18n caches parsed templates per message.
var strictParser = &template.TextParser{Option: "missingkey=error"}

// New loads the embedded locale files.
func New(cfg Config) (*Catalog, error) {
	def := cfg.DefaultLanguage
	if def == "" {
		def = "en"
	}
	c := &Catalog{
		bundle:     goi18n.NewBundle(language.English),
		localizers: map[string]*goi18n.Localizer{},
		log:        cfg.Logger,
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	c.bundle.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	for _, l := range languages {
		path := "locales/active." + l + ".yaml"
		if _, err := c.bundle.LoadMessageFileFS(localeFS, path); err != nil {
			return nil, fmt.Errorf("i18n: load %s: %w", path, err)
		}
		c.localizers[l] = goi18n.NewLocalizer(c.bundle, l)
	}
	q, err := quotedKeys()
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	c.quoted = q
	if !c.Supported(def) {
		return nil, fmt.Errorf("%w: default %q (have %s)", ErrUnknownLanguage, def, strings.Join(languages, ", "))
	}
	c.def = def
	// The matcher's first tag is its answer when nothing matches.
	tags := []language.Tag{language.Make(def)}
	c.matchTags = []string{def}
	for _, l := range languages {
		if l != def {
			tags = append(tags, language.Make(l))
			c.matchTags = append(c.matchTags, l)
		}
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// Languages returns the bot's languages, English first.
func (c *Catalog) Languages() []string { return append([]string(nil), languages...) }

// Default returns the configured default language.
func (c *Catalog) Default() string { return c.def }

// Supported reports whether lang is exactly one of Languages.
func (c *Catalog) Supported(lang string) bool {
	_, ok := c.localizers[lang]
	return ok
}

// Lang maps a Telegram language_code ("uk", "ru-RU", "en-GB", "") to one of
// Languages: the closest by golang.org/x/text/language (CLDR data, so "be"
// and "kk" give "ru"), or the default when none is close ("de", "pt-BR").
func (c *Catalog) Lang(code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return c.def
	}
	tag, err := language.Parse(code)
	if err != nil {
		return c.def
	}
	_, i, conf := c.matcher.Match(tag)
	if conf == language.No || i < 0 || i >= len(c.matchTags) {
		return c.def
	}
	return c.matchTags[i]
}

// T returns message id in lang as Telegram HTML. String values in data are
// HTML-escaped (values of type HTML are not); numbers print as they are.
func (c *Catalog) T(lang, id string, data map[string]any) string {
	return c.render(lang, id, nil, data, true)
}

// N is T for a plural message: n picks the plural form and is .Count.
func (c *Catalog) N(lang, id string, n int, data map[string]any) string {
	return c.render(lang, id, &n, data, true)
}

// Plain returns message id in lang with data inserted as it is: for button
// labels, command menus and callback answers, which are not parsed as HTML.
func (c *Catalog) Plain(lang, id string, data map[string]any) string {
	return c.render(lang, id, nil, data, false)
}

// PlainN is Plain for a plural message.
func (c *Catalog) PlainN(lang, id string, n int, data map[string]any) string {
	return c.render(lang, id, &n, data, false)
}

// LanguageName returns the name of a news language in running text of lang
// ("українська" for code "uk" in Ukrainian), or the code itself when the
// catalog has no name for it.
func (c *Catalog) LanguageName(lang, code string) string {
	id := "langname." + code
	if _, ok := specs[id]; !ok {
		return code
	}
	return c.Plain(lang, id, nil)
}

// render never fails: a broken message is logged and replaced by the
// English one, and failing that by its id, so a user always gets an answer.
func (c *Catalog) render(lang, id string, n *int, data map[string]any, escape bool) string {
	s, err := c.localize(lang, id, n, data, escape)
	if err == nil {
		return s
	}
	c.log.Error("i18n: broken message", "lang", lang, "id", id, "err", err)
	if s != "" {
		return s
	}
	if lang != "en" {
		if s, err := c.localize("en", id, n, data, escape); err == nil {
			return s
		}
	}
	if escape {
		return html.EscapeString(id)
	}
	return id
}

// localize renders one message and reports any problem, including a message
// that exists only in English (the English text comes back with the error).
func (c *Catalog) localize(lang, id string, n *int, data map[string]any, escape bool) (string, error) {
	loc, ok := c.localizers[lang]
	if !ok {
		lang = c.Lang(lang)
		loc = c.localizers[lang]
	}
	td := make(map[string]any, len(data)+1)
	quoted := c.quoted[lang][id]
	for k, v := range data {
		if str, ok := v.(string); ok && contains(quoted, k) {
			v = NestQuotes(lang, str)
		}
		if escape {
			v = escapeValue(v)
		} else if str, ok := v.(string); ok {
			v = strings.ToValidUTF8(str, "\uFFFD")
		}
		td[k] = v
	}
	// A caller that forgets a field gets an empty value and a log line
	// rather than a broken message.
	for _, k := range specs[id].data {
		if _, ok := td[k]; !ok {
			c.log.Warn("i18n: missing template data", "lang", lang, "id", id, "key", k)
			td[k] = ""
		}
	}
	lc := &goi18n.LocalizeConfig{MessageID: id, TemplateData: td, TemplateParser: strictParser}
	if n != nil {
		lc.PluralCount = *n
		td["Count"] = *n
	}
	return loc.Localize(lc)
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// escapeText escapes s for Telegram HTML; invalid UTF-8, which Telegram
// refuses, becomes U+FFFD.
func escapeText(s string) string { return htmlEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD")) }

// escapeValue makes a data value safe to insert into Telegram HTML.
func escapeValue(v any) any {
	switch x := v.(type) {
	case HTML:
		return string(x)
	case string:
		return escapeText(x)
	case error:
		return escapeText(safeString(x.Error))
	case fmt.Stringer:
		return escapeText(safeString(x.String))
	case []string:
		out := make([]string, len(x))
		for i, s := range x {
			out[i] = escapeText(s)
		}
		return out
	default:
		return v
	}
}

// safeString calls f, turning a panic (a nil pointer's method) into "".
func safeString(f func() string) (s string) {
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	return f()
}
