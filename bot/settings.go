package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/subscriptions"
)

// The chat's settings: /language, /newslang, /timezone, /pause and /resume.

func (b *Bot) language(ctx context.Context, r *request, arg string) {
	if arg == "" {
		b.reply(ctx, r, b.t(r, i18n.MsgLanguagePick, nil), b.languageKeyboard(r))
		return
	}
	lang := i18n.LanguageCode(arg)
	if !b.cfg.Catalog.Supported(lang) {
		b.reply(ctx, r, b.t(r, i18n.MsgLanguageUnknown, map[string]any{
			"Lang": arg, "Available": b.cfg.Catalog.LanguageList(r.lang, b.cfg.Catalog.Languages(), true)})+
			"\n"+b.t(r, i18n.MsgUsageLanguage, nil), nil)
		return
	}
	chat, err := b.cfg.Subs.SetLanguage(ctx, r.chat.ID, lang)
	if err != nil {
		b.internalError(ctx, r, "set language", err)
		return
	}
	r.chat, r.lang = chat, lang
	b.followLanguage(ctx, r, lang)
	b.reply(ctx, r, b.t(r, i18n.MsgLanguageChanged, nil), nil)
}

// newsLang sets which feed languages the chat receives: "/newslang uk en",
// "/newslang all", or without arguments, the current setting.
func (b *Bot) newsLang(ctx context.Context, r *request, arg string) {
	available := b.feedLanguages()
	names := func(langs []string) string { return b.cfg.Catalog.LanguageList(r.lang, langs, false) }
	fields := strings.FieldsFunc(strings.ToLower(arg), func(c rune) bool { return c == ' ' || c == ',' || c == ';' })
	for i, f := range fields {
		if code := i18n.LanguageCode(f); code != "" {
			fields[i] = code
		} else if i18n.IsAllLanguages(f) {
			fields[i] = "all"
		}
	}
	if len(fields) > 1 && slices.Contains(fields, "all") {
		fields = []string{"all"}
	}
	fields = dedup(fields)
	switch {
	case len(fields) == 0:
		b.reply(ctx, r, b.newsLangText(r)+"\n\n"+b.t(r, i18n.MsgNewsLangPick, nil), b.newsLangKeyboard(r))
		return
	case len(fields) == 1 && (fields[0] == "all" || fields[0] == "*"):
		if _, err := b.cfg.Subs.SetNewsLanguages(ctx, r.chat.ID, nil); err != nil {
			b.internalError(ctx, r, "set news languages", err)
			return
		}
		b.reply(ctx, r, b.t(r, i18n.MsgNewsLangReset, nil), nil)
		return
	}
	for _, f := range fields {
		if !slices.Contains(available, f) {
			b.reply(ctx, r, b.t(r, i18n.MsgNewsLangUnknown, map[string]any{
				"Lang": f, "Available": b.cfg.Catalog.LanguageList(r.lang, available, true)}), nil)
			return
		}
	}
	chat, err := b.cfg.Subs.SetNewsLanguages(ctx, r.chat.ID, fields)
	if err != nil {
		b.internalError(ctx, r, "set news languages", err)
		return
	}
	b.reply(ctx, r, b.t(r, i18n.MsgNewsLangChanged, map[string]any{"Langs": names(chat.NewsLanguages)}), nil)
}

// feedLanguages are the languages of the configured feeds.
func (b *Bot) feedLanguages() []string {
	var langs []string
	for _, s := range b.cfg.Sources() {
		if s.Lang != "" && !slices.Contains(langs, s.Lang) {
			langs = append(langs, s.Lang)
		}
	}
	slices.Sort(langs)
	return langs
}

// timezone shows or sets the zone alert times are written in:
// "/timezone America/Toronto", "/timezone default".
func (b *Bot) timezone(ctx context.Context, r *request, arg string) {
	data := func() map[string]any {
		loc := b.chatLocation(r)
		now := b.cfg.Now()
		return map[string]any{"Zone": zoneLabel(loc, now), "Time": now.In(loc).Format("15:04"),
			"Default": zoneLabel(b.cfg.Location, now)}
	}
	if arg == "" {
		at := b.cfg.Now()
		id := b.reply(ctx, r, b.t(r, i18n.MsgTimezoneCurrent, data())+"\n"+b.t(r, i18n.MsgAskTimezone, nil), b.timezoneKeyboard(r))
		b.expectAt(r, "timezone", id, at)
		return
	}
	zone, fixed := arg, false
	if isDefaultWord(arg) {
		zone = ""
	} else if z, f, ok := resolveZone(arg); ok {
		zone, fixed = z, f
	}
	chat, err := b.cfg.Subs.SetTimezone(ctx, r.chat.ID, zone)
	if errors.Is(err, subscriptions.ErrBadTimezone) {
		b.reply(ctx, r, b.t(r, i18n.MsgTimezoneUnknown, map[string]any{"Zone": arg}), nil)
		return
	}
	if err != nil {
		b.internalError(ctx, r, "set time zone", err)
		return
	}
	r.chat = chat
	b.zoneChanged(ctx, r)
	text := b.t(r, i18n.MsgTimezoneChanged, data())
	if fixed && zone != "UTC" {
		text += "\n" + b.t(r, i18n.MsgTimezoneFixed, nil)
	}
	b.reply(ctx, r, text, nil)
}

// isDefaultWord reports whether arg asks for the default setting.
func isDefaultWord(arg string) bool {
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "default", "reset", "за замовчуванням", "типовий", "скинути", "по умолчанию", "сбросить":
		return true
	}
	return false
}

// canonicalZone accepts a zone name in any case ("europe/kyiv") and the old
// spelling Europe/Kiev.
func canonicalZone(name string) (string, bool) {
	if strings.EqualFold(name, "Europe/Kiev") {
		return "Europe/Kyiv", true
	}
	if _, err := time.LoadLocation(name); err == nil {
		return name, true
	}
	parts := strings.Split(name, "/")
	for i, p := range parts {
		words := strings.Split(strings.ToLower(p), "_")
		for j, w := range words {
			if len(w) > 0 {
				words[j] = strings.ToUpper(w[:1]) + w[1:]
			}
		}
		parts[i] = strings.Join(words, "_")
	}
	z := strings.Join(parts, "/")
	if strings.EqualFold(name, "utc") {
		z = "UTC"
	}
	if _, err := time.LoadLocation(z); err == nil {
		return z, true
	}
	return "", false
}

func (b *Bot) pause(ctx context.Context, r *request, pause bool) {
	if r.chat.Paused == pause {
		if pause {
			b.reply(ctx, r, b.t(r, i18n.MsgAlreadyPaused, nil), nil)
		} else {
			b.reply(ctx, r, b.t(r, i18n.MsgNotPaused, nil), nil)
		}
		return
	}
	if _, err := b.cfg.Subs.SetPaused(ctx, r.chat.ID, pause); err != nil {
		b.internalError(ctx, r, "pause", err)
		return
	}
	if !pause {
		b.reply(ctx, r, b.t(r, i18n.MsgResumed, nil), nil)
		return
	}
	// What was queued before the pause is not sent after it either.
	if _, err := b.cfg.Outbox.DropPending(ctx, r.chat.ID); err != nil {
		b.log.Error("bot: drop pending on pause", "chat", r.chat.ID, "err", err)
	}
	b.reply(ctx, r, b.t(r, i18n.MsgPaused, nil), b.pauseMarkup(r.lang))
}

// zoneLabel names a zone for people: "Europe/Kyiv (UTC+2)", and a fixed
// offset as "UTC+2" alone.
func zoneLabel(loc *time.Location, now time.Time) string {
	off := utcOffset(now.In(loc))
	name := loc.String()
	if name == "UTC" || strings.HasPrefix(name, "Etc/") || name == off {
		return off
	}
	return name + " (" + off + ")"
}

// utcOffset is t's offset from UTC: "UTC", "UTC+2", "UTC-3:30".
func utcOffset(t time.Time) string {
	_, off := t.Zone()
	if off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s := "UTC" + sign + strconv.Itoa(off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}

// dedup keeps the first of each repeated string.
func dedup(in []string) []string {
	var out []string
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
