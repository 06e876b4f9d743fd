package bot

import "context"

// NotifyAdmins sends a notice (an i18n message id, plural on n when n > 0)
// to each admin's private chat, in the language that chat uses, or the
// bot's default for an admin who never wrote to the bot. A failed send is
// logged; the others still go out.
func (b *Bot) NotifyAdmins(ctx context.Context, admins []int64, id string, n int, data map[string]any) {
	cat := b.cfg.Catalog
	for _, admin := range admins {
		lang := cat.Default()
		if c, err := b.cfg.Subs.Chat(ctx, admin); err == nil && cat.Supported(c.Language) {
			lang = c.Language
		}
		text := cat.T(lang, id, data)
		if n > 0 {
			text = cat.N(lang, id, n, data)
		}
		if _, err := b.cfg.Outbox.Reply(ctx, admin, Notice(text)); err != nil {
			b.log.Warn("bot: could not notify an admin", "admin", admin, "err", err)
		}
	}
}
