package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/subscriptions"
)

// The chat's settings: /language, /newslang, /timezone, /pause and /resume.

func (b *Bot) language(ctx context.Context, r *request, arg string) {
	if arg == "" {
		var row []tgbotapi.InlineKeyboardButton
		for _, l := range b.cfg.Catalog.Languages() {
			row = append(row, tgbotapi.NewInlineKeyboardButtonData(b.cfg.Catalog.Plain(l, i18n.MsgLanguageName, nil), "lang:"+l))
		}
		b.reply(ctx, r, b.t(r, i18n.MsgLanguagePick, nil), tgbotapi.NewInlineKeyboardMarkup(row))
		return
	}
	lang := strings.ToLower(arg)
	if !b.cfg.Catalog.Supported(lang) {
		b.reply(ctx, r, b.t(r, i18n.MsgLanguageUnknown, map[string]any{
			"Lang": arg, "Available": strings.Join(b.cfg.Catalog.Languages(), ", ")}), nil)
		return
	}
	chat, err := b.cfg.Subs.SetLanguage(ctx, r.chat.ID, lang)
	if err != nil {
		b.internalError(ctx, r, "set language", err)
		return
	}
	r.chat, r.lang = chat, lang
	b.reply(ctx, r, b.t(r, i18n.MsgLanguageChanged, nil), nil)
}

// newsLang sets which feed languages the chat receives: "/newslang uk en",
// "/newslang all", or without arguments, the current setting.
func (b *Bot) newsLang(ctx context.Context, r *request, arg string) {
	available := b.feedLanguages()
	names := func(langs []string) string {
		out := make([]string, len(langs))
		for i, l := range langs {
			out[i] = b.cfg.Catalog.LanguageName(r.lang, l)
		}
		return strings.Join(out, ", ")
	}
	fields := strings.FieldsFunc(strings.ToLower(arg), func(c rune) bool { return c == ' ' || c == ',' })
	switch {
	case len(fields) == 0 && len(r.chat.NewsLanguages) == 0:
		b.reply(ctx, r, b.t(r, i18n.MsgNewsLangAll, nil), nil)
		return
	case len(fields) == 0:
		b.reply(ctx, r, b.t(r, i18n.MsgNewsLangCurrent, map[string]any{"Langs": names(r.chat.NewsLanguages)})+
			"\n\n"+b.t(r, i18n.MsgUsageNewsLang, nil), nil)
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
				"Lang": f, "Available": strings.Join(available, ", ")}), nil)
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
		return map[string]any{"Zone": loc.String(), "Time": b.cfg.Now().In(loc).Format("15:04")}
	}
	if arg == "" {
		b.reply(ctx, r, b.t(r, i18n.MsgTimezoneCurrent, data()), nil)
		return
	}
	zone := arg
	if strings.EqualFold(arg, "default") || strings.EqualFold(arg, "reset") {
		zone = ""
	} else if z, ok := canonicalZone(arg); ok {
		zone = z
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
	b.reply(ctx, r, b.t(r, i18n.MsgTimezoneChanged, data()), nil)
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
	b.reply(ctx, r, b.t(r, i18n.MsgPaused, nil)+" "+b.t(r, i18n.MsgPauseNote, nil), nil)
}
