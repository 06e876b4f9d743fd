package bot

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/subscriptions"
)

// Alerter turns stored articles into queued alerts: it takes the articles
// waiting for the matcher, matches each against every subscription, and
// queues one alert per chat in the transaction that marks the article
// matched. A crash at any point loses nothing: unmatched articles stay
// pending in the database.
type Alerter struct {
	Articles interface {
		Pending(ctx context.Context, limit int) ([]feeds.Article, error)
	}
	Subs  *subscriptions.Service
	Queue interface {
		Enqueue(ctx context.Context, articleID int64, alerts []delivery.Alert) error
	}
	MatchContent func(feedID string) bool
	Logger       *slog.Logger
	// OnMatched, when set, is told how many chats each article matched.
	OnMatched func(a feeds.Article, chats int)
	// Stories, when set, makes the editions of one story one alert per
	// chat (stories.go).
	Stories StoryAlerts
	// Routes, when set, holds alerts for digests and leaves out muted topics.
	Routes *Routes

	kick chan struct{}
}

// NewAlerter returns an Alerter; set its fields before Run.
func NewAlerter() *Alerter { return &Alerter{kick: make(chan struct{}, 1)} }

// Kick says new articles were stored.
func (a *Alerter) Kick() {
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// Run drains pending articles whenever kicked, and every few seconds in
// case a kick was missed, until ctx ends.
func (a *Alerter) Run(ctx context.Context) error {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		if _, err := a.Drain(ctx); err != nil && ctx.Err() == nil {
			a.Logger.Error("bot: matching pending articles", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-a.kick:
		case <-t.C:
		}
	}
}

// Drain matches and queues every pending article; it returns how many.
func (a *Alerter) Drain(ctx context.Context) (int, error) {
	done := 0
	for ctx.Err() == nil {
		arts, err := a.Articles.Pending(ctx, 200)
		if err != nil || len(arts) == 0 {
			return done, err
		}
		for _, art := range arts {
			content := a.MatchContent != nil && a.MatchContent(art.FeedID)
			n, err := a.matchAndQueue(ctx, art, content)
			if err != nil {
				return done, err
			}
			if a.OnMatched != nil {
				a.OnMatched(art, n)
			}
			done++
		}
	}
	return done, ctx.Err()
}

// AlertRenderer is the delivery queue's Renderer: each chat gets its alerts
// in its own language and time zone.
type AlertRenderer struct {
	Renderer *Renderer
	Subs     *subscriptions.Service
	Catalog  *i18n.Catalog
	Sources  func() []feeds.Source
	Location *time.Location // default time zone
	// DefaultLocation, when set, is the default time zone in force (a
	// config reload may change it); it takes precedence over Location.
	DefaultLocation func() *time.Location
	// Editions, when set, links each alert to its story's other editions
	// and translates it when needed (stories.go).
	Editions *EditionRenderer
	Now      func() time.Time // for quiet hours; nil: time.Now
}

func (r *AlertRenderer) chat(ctx context.Context, id int64) (string, *time.Location) {
	lang, loc := r.Catalog.Default(), r.Location
	if r.DefaultLocation != nil {
		loc = r.DefaultLocation()
	}
	c, err := r.Subs.Chat(ctx, id)
	if err != nil {
		return lang, loc
	}
	if c.Language != "" && r.Catalog.Supported(c.Language) {
		lang = c.Language
	}
	if c.Timezone != "" {
		if l, err := time.LoadLocation(c.Timezone); err == nil {
			loc = l
		}
	}
	return lang, loc
}

func (r *AlertRenderer) source(feedID string) string {
	for _, s := range r.Sources() {
		if s.ID == feedID {
			return s.DisplayName()
		}
	}
	return feedID // a feed since removed from the config
}

func (r *AlertRenderer) bot(a delivery.Alert) Alert {
	if a.Article == nil {
		return Alert{Topics: a.Topics, Words: a.Words}
	}
	return ArticleAlert(a.Article, r.source(a.Article.FeedID), a.Topics, a.Words)
}

// Alert renders one alert.
func (r *AlertRenderer) Alert(ctx context.Context, a delivery.Alert) (delivery.Message, error) {
	lang, loc := r.chat(ctx, a.ChatID)
	ba := r.bot(a)
	if r.Editions != nil && a.Article != nil {
		r.Editions.apply(ctx, lang, a.Article, &ba)
	}
	html := r.Renderer.Render(lang, loc, ba)
	m := delivery.Message{HTML: html, Plain: PlainText(html)}
	r.decorate(ctx, &m, lang, a)
	return m, nil
}

// whyRows is the "Why this alert?" row under an alert (nil without an
// article). Callback data carries the article's id, never query text: it
// is limited to 64 bytes, and a query is the chat's own business.
func whyRows(cat *i18n.Catalog, lang string, a delivery.Alert) [][]tgbotapi.InlineKeyboardButton {
	if a.ArticleID <= 0 {
		return nil
	}
	return [][]tgbotapi.InlineKeyboardButton{tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(cat.Plain(lang, i18n.MsgButtonWhy, nil), "why:"+strconv.FormatInt(a.ArticleID, 10)),
	)}
}

// Digest renders the alerts flood control held back.
func (r *AlertRenderer) Digest(ctx context.Context, chatID int64, alerts []delivery.Alert) ([]delivery.Message, error) {
	lang, loc := r.chat(ctx, chatID)
	in := make([]Alert, len(alerts))
	for i, a := range alerts {
		in[i] = r.bot(a)
	}
	var out []delivery.Message
	for _, html := range r.Renderer.RenderDigest(lang, loc, in) {
		out = append(out, delivery.Message{HTML: html, Plain: PlainText(html), NoPreview: true})
	}
	return out, nil
}

// ChatState is the delivery queue's Chats over the subscriptions store.
type ChatState struct{ Subs *subscriptions.Service }

// MarkInactive records a chat that blocked or removed the bot.
func (c ChatState) MarkInactive(ctx context.Context, chatID int64) error {
	_, err := c.Subs.SetInactive(ctx, chatID, true)
	if err == subscriptions.ErrChatNotFound {
		return nil
	}
	return err
}

// Migrate follows a group upgraded to a supergroup.
func (c ChatState) Migrate(ctx context.Context, from, to int64) error {
	_, err := c.Subs.MigrateChat(ctx, from, to)
	return err
}

func (b *Bot) chatLocation(r *request) *time.Location {
	if r.chat.Timezone != "" {
		if l, err := time.LoadLocation(r.chat.Timezone); err == nil {
			return l
		}
	}
	return b.defaultLocation()
}

// defaultLocation is the bot's default zone in force.
func (b *Bot) defaultLocation() *time.Location {
	if b.cfg.DefaultLocation != nil {
		return b.cfg.DefaultLocation()
	}
	return b.cfg.Location
}

// RegisterCommands publishes the command menu in every language, and the
// admin commands for each admin's private chat.
func (b *Bot) RegisterCommands(ctx context.Context, admins []int64) error {
	// lang "" is the menu for users whose language has none of its own.
	set := func(scope tgbotapi.BotCommandScope, lang string, admin bool) error {
		menuLang := lang
		if menuLang == "" {
			menuLang = b.cfg.Catalog.Default()
		}
		var cmds []tgbotapi.BotCommand
		for _, e := range b.cfg.Catalog.Menu(menuLang, admin) {
			cmds = append(cmds, tgbotapi.BotCommand{Command: e.Command, Description: e.Description})
		}
		_, err := b.cfg.Outbox.Request(ctx, tgbotapi.NewSetMyCommandsWithScopeAndLanguage(scope, lang, cmds...))
		return err
	}
	if err := set(tgbotapi.NewBotCommandScopeDefault(), "", false); err != nil {
		return err
	}
	for _, l := range b.cfg.Catalog.Languages() {
		if err := set(tgbotapi.NewBotCommandScopeDefault(), l, false); err != nil {
			return err
		}
	}
	for _, id := range admins {
		for _, l := range b.cfg.Catalog.Languages() {
			if err := set(tgbotapi.NewBotCommandScopeChat(id), l, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// Notice is a message the bot sends of its own accord (admin notices).
func Notice(html string) delivery.Message { return delivery.Message{HTML: html, NoPreview: true} }
