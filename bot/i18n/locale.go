package i18n

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
)

// Native typography and wording that needs code (issue 12): quotes inside
// quotes, relative dates, durations, language names in lists.

// quotePairs are each language's outer and inner quotation marks. A value
// shown inside the outer ones (a query the user typed with quotes) has its
// own quotes turned into the inner ones: «„Верховна Рада“ -Трамп», never
// ««…»» or «"…"».
var quotePairs = map[string]struct{ outerOpen, outerClose, innerOpen, innerClose string }{
	"en": {"“", "”", "‘", "’"},
	"uk": {"«", "»", "„", "“"},
	"ru": {"«", "»", "„", "“"},
}

// quotedKeyRE finds a data key a template shows inside quotation marks.
var quotedKeyRE = regexp.MustCompile(`[«“]\{\{\.([A-Za-z]+)\}\}[»”]`)

// quotedKeys reads the locale files once: for each language and message id,
// the data keys its text puts in quotes.
func quotedKeys() (map[string]map[string][]string, error) {
	out := map[string]map[string][]string{}
	for _, l := range languages {
		path := "locales/active." + l + ".yaml"
		buf, err := localeFS.ReadFile(path)
		if err != nil {
			return nil, err
		}
		mf, err := goi18n.ParseMessageFileBytes(buf, path, map[string]goi18n.UnmarshalFunc{"yaml": yaml.Unmarshal})
		if err != nil {
			return nil, err
		}
		ids := map[string][]string{}
		for _, m := range mf.Messages {
			for _, form := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
				for _, sm := range quotedKeyRE.FindAllStringSubmatch(form, -1) {
					if !contains(ids[m.ID], sm[1]) {
						ids[m.ID] = append(ids[m.ID], sm[1])
					}
				}
			}
		}
		out[l] = ids
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// NestQuotes returns s with its own quotation marks (", «», “”, „“) turned
// into lang's inner quotes, for showing s inside lang's outer quotes.
func NestQuotes(lang, s string) string {
	qp, ok := quotePairs[lang]
	if !ok {
		qp = quotePairs["en"]
	}
	if !strings.ContainsAny(s, "\"«»“”„") {
		return s
	}
	var b strings.Builder
	open := false
	for _, r := range s {
		switch {
		case open && strings.ContainsRune("\"»”“", r):
			b.WriteString(qp.innerClose)
			open = false
		case !open && strings.ContainsRune("\"«“„", r):
			b.WriteString(qp.innerOpen)
			open = true
		case strings.ContainsRune("«»„", r): // a stray one, inside a phrase
			b.WriteString(qp.innerOpen)
		default:
			b.WriteRune(r)
		}
	}
	if open {
		b.WriteString(qp.innerClose)
	}
	return b.String()
}

// FormatTimeAt writes t relative to now, both in the chat's zone:
// "today, 21:35" / "сьогодні, 21:35", "yesterday, 08:10", "28 Nov, 14:05"
// this year, "28 Nov 2025, 14:05" before. A time ahead of now on a later
// day (a feed's clock running fast) is written as a date.
func (c *Catalog) FormatTimeAt(lang string, t, now time.Time) string {
	now = now.In(t.Location())
	hm := t.Format("15:04")
	ty, tm, td := t.Date()
	ny, nm, nd := now.Date()
	day := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)
	today := time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)
	switch today.Sub(day) {
	case 0:
		return c.Plain(lang, MsgDateToday, map[string]any{"Time": hm})
	case 24 * time.Hour:
		return c.Plain(lang, MsgDateYesterday, map[string]any{"Time": hm})
	}
	if ty == ny {
		return c.Plain(lang, MsgDateThisYear, map[string]any{"Day": td, "Month": c.Month(lang, tm), "Time": hm})
	}
	return c.FormatTime(lang, t)
}

// Duration writes d for people, in units of lang, to the second at most
// and with at most two units: "1 min 30 s", "1 хв 30 с", "2 ч 5 мин".
func (c *Catalog) Duration(lang string, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	parts := []struct {
		n  int64
		id string
	}{
		{int64(d / (24 * time.Hour)), MsgDurationDays},
		{int64(d % (24 * time.Hour) / time.Hour), MsgDurationHours},
		{int64(d % time.Hour / time.Minute), MsgDurationMinutes},
		{int64(d % time.Minute / time.Second), MsgDurationSeconds},
	}
	first := len(parts) - 1 // "0 s" for zero
	for i, p := range parts {
		if p.n != 0 {
			first = i
			break
		}
	}
	out := []string{c.Plain(lang, parts[first].id, map[string]any{"N": parts[first].n})}
	if next := first + 1; next < len(parts) && parts[next].n != 0 {
		out = append(out, c.Plain(lang, parts[next].id, map[string]any{"N": parts[next].n}))
	}
	return strings.Join(out, " ")
}

// LanguageList names codes in lang for running text, in the bot's order
// (English, Ukrainian, Russian, then the rest as they come), each with its
// code: "англійська (en), українська (uk)". With codes false, names only.
func (c *Catalog) LanguageList(lang string, codes []string, withCodes bool) string {
	var ordered []string
	for _, l := range languages {
		if contains(codes, l) {
			ordered = append(ordered, l)
		}
	}
	for _, l := range codes {
		if !contains(ordered, l) {
			ordered = append(ordered, l)
		}
	}
	out := make([]string, len(ordered))
	for i, l := range ordered {
		name := c.LanguageName(lang, l)
		if withCodes && name != l {
			name = fmt.Sprintf("%s (%s)", name, l)
		}
		out[i] = name
	}
	return strings.Join(out, ", ")
}

// languageAliases are what people type for a language: codes, the common
// mistake "ua", and the names in each of the bot's languages.
var languageAliases = map[string]string{
	"en": "en", "eng": "en", "english": "en", "англійська": "en", "английский": "en", "англ": "en",
	"англійською": "en", "по-английски": "en", "английская": "en",
	"uk": "uk", "ua": "uk", "ukr": "uk", "ukrainian": "uk", "українська": "uk", "украинский": "uk",
	"укр": "uk", "українською": "uk", "по-украински": "uk", "украинская": "uk", "украiнська": "uk",
	"ru": "ru", "rus": "ru", "russian": "ru", "російська": "ru", "русский": "ru", "рус": "ru",
	"російською": "ru", "по-русски": "ru", "русская": "ru",
}

// allAliases mean "every language".
var allAliases = map[string]bool{"all": true, "*": true, "усі": true, "всі": true, "все": true, "any": true, "будь-які": true, "любые": true}

// LanguageCode maps what a user typed for a language ("ua", "Українська",
// "russian", "EN") to its code, or "" when it names none the catalog knows.
func LanguageCode(s string) string {
	return languageAliases[strings.ToLower(strings.TrimSpace(s))]
}

// IsAllLanguages reports whether s means every language ("all", "усі", "все").
func IsAllLanguages(s string) bool { return allAliases[strings.ToLower(strings.TrimSpace(s))] }
