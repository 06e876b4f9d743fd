package bot

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/subscriptions"
)

// Buttons of the settings: /language marks the current language, /newslang
// toggles languages on and off, /timezone offers the common zones.

const checkMark = "✅ "

func (b *Bot) languageKeyboard(r *request) tgbotapi.InlineKeyboardMarkup {
	var row []tgbotapi.InlineKeyboardButton
	for _, l := range b.cfg.Catalog.Languages() {
		label := b.cfg.Catalog.Plain(l, i18n.MsgLanguageName, nil)
		if l == r.lang {
			label = checkMark + label
		}
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(label, "lang:"+l))
	}
	return tgbotapi.NewInlineKeyboardMarkup(row)
}

// capitalize writes a language name as a button label: "Українська".
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// newsLangText is the current /newslang setting.
func (b *Bot) newsLangText(r *request) string {
	if len(r.chat.NewsLanguages) == 0 {
		return b.t(r, i18n.MsgNewsLangAll, nil)
	}
	return b.t(r, i18n.MsgNewsLangCurrent, map[string]any{"Langs": b.cfg.Catalog.LanguageList(r.lang, r.chat.NewsLanguages, false)})
}

// newsLangKeyboard has a toggle per feed language, "all" and "done".
func (b *Bot) newsLangKeyboard(r *request) tgbotapi.InlineKeyboardMarkup {
	cat := b.cfg.Catalog
	var rows [][]tgbotapi.InlineKeyboardButton
	var row []tgbotapi.InlineKeyboardButton
	for _, l := range b.orderedFeedLanguages() {
		label := capitalize(cat.LanguageName(r.lang, l))
		if len(r.chat.NewsLanguages) == 0 || slices.Contains(r.chat.NewsLanguages, l) {
			label = checkMark + label
		}
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(label, "nl:"+l))
		if len(row) == 3 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	all := cat.Plain(r.lang, i18n.MsgButtonAllLangs, nil)
	if len(r.chat.NewsLanguages) == 0 {
		all = checkMark + all
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(all, "nl:all"),
		tgbotapi.NewInlineKeyboardButtonData(cat.Plain(r.lang, i18n.MsgButtonDone, nil), "done")))
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

// orderedFeedLanguages are the feed languages in the bot's order (en, uk,
// ru, then the others).
func (b *Bot) orderedFeedLanguages() []string {
	avail := b.feedLanguages()
	var out []string
	for _, l := range b.cfg.Catalog.Languages() {
		if slices.Contains(avail, l) {
			out = append(out, l)
		}
	}
	for _, l := range avail {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// newsLangByButton turns one language on or off, or takes every language.
func (b *Bot) newsLangByButton(ctx context.Context, r *request, arg string) string {
	avail := b.orderedFeedLanguages()
	var langs []string
	switch {
	case arg == "all":
	case !slices.Contains(avail, arg):
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackStale, nil)
	default:
		cur := r.chat.NewsLanguages
		if len(cur) == 0 {
			cur = avail
		}
		if slices.Contains(cur, arg) {
			for _, l := range cur {
				if l != arg {
					langs = append(langs, l)
				}
			}
		} else {
			langs = append(slices.Clone(cur), arg)
		}
		if len(langs) == 0 || len(langs) == len(avail) {
			langs = nil // none or every one: all languages
		}
	}
	chat, err := b.cfg.Subs.SetNewsLanguages(ctx, r.chat.ID, langs)
	if err != nil {
		b.log.Error("bot: set news languages", "chat", r.chat.ID, "err", err)
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgInternalError, nil)
	}
	r.chat = chat
	b.edit(ctx, r, r.msg.MessageID, b.newsLangText(r)+"\n\n"+b.t(r, i18n.MsgNewsLangPick, nil), b.newsLangKeyboard(r))
	return PlainText(b.newsLangText(r))
}

// settingsText is what a settings message says once closed with "Done".
func (b *Bot) settingsText(ctx context.Context, r *request) string {
	return b.newsLangText(r)
}

// timezoneKeyboard offers the common zones, named in the chat's language.
func (b *Bot) timezoneKeyboard(r *request) tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	var row []tgbotapi.InlineKeyboardButton
	current := b.chatLocation(r).String()
	for _, z := range commonZones {
		label := zoneButtonName(r.lang, z)
		if z == current {
			label = checkMark + label
		}
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(label, "tz:"+z))
		if len(row) == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

// timezoneByButton sets one of the common zones.
func (b *Bot) timezoneByButton(ctx context.Context, r *request, zone string) string {
	if !slices.Contains(commonZones, zone) {
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackStale, nil)
	}
	chat, err := b.cfg.Subs.SetTimezone(ctx, r.chat.ID, zone)
	if err != nil {
		b.log.Error("bot: set time zone", "chat", r.chat.ID, "err", err)
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgInternalError, nil)
	}
	r.chat = chat
	b.forgetAsk(r.chat.ID, r.from)
	loc := b.chatLocation(r)
	now := b.cfg.Now()
	b.edit(ctx, r, r.msg.MessageID, b.t(r, i18n.MsgTimezoneChanged, map[string]any{
		"Zone": zoneLabel(loc, now), "Time": now.In(loc).Format("15:04")}), nil)
	return strings.TrimPrefix(zoneButtonName(r.lang, zone), checkMark)
}

// followLanguage makes a private chat's command menu speak the language
// the chat chose with /language, whatever the app's language: a menu for
// that chat in every language code (admins keep their admin commands).
func (b *Bot) followLanguage(ctx context.Context, r *request, lang string) {
	if r.chat.Type != subscriptions.Private || r.from == 0 {
		return
	}
	var cmds []tgbotapi.BotCommand
	for _, e := range b.cfg.Catalog.Menu(lang, b.cfg.IsAdmin(r.from)) {
		cmds = append(cmds, tgbotapi.BotCommand{Command: e.Command, Description: e.Description})
	}
	for _, code := range append([]string{""}, b.cfg.Catalog.Languages()...) {
		cfg := tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeChat(r.chat.ID), code, cmds...)
		if _, err := b.cfg.Outbox.Request(ctx, cfg); err != nil {
			b.log.Warn("bot: chat command menu", "chat", r.chat.ID, "err", err)
			return
		}
	}
}
