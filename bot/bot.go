package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/subscriptions"
)

// Outbox is what the bot needs of the delivery queue.
type Outbox interface {
	Reply(ctx context.Context, chatID int64, m delivery.Message) (int, error)
	Edit(ctx context.Context, chatID int64, messageID int, m delivery.Message) error
	EditMarkup(ctx context.Context, chatID int64, messageID int, markup any) error
	Request(ctx context.Context, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error)
	DropPending(ctx context.Context, chatID int64) (int64, error)
}

// Admin is what admin commands change; package main implements it over the
// config file (the one source of truth) and the running services.
type Admin interface {
	AddFeed(ctx context.Context, rawURL, lang, id string) (feeds.Source, error)
	RemoveFeed(ctx context.Context, id string) error
	SetFeedPaused(ctx context.Context, id string, paused bool) error
	Stats(ctx context.Context) (map[string]any, error)
	FeedHealth(ctx context.Context) ([]feeds.FeedHealth, error)
}

// Errors an Admin returns that the bot tells apart.
var (
	ErrFeedExists   = errors.New("bot: feed exists")
	ErrNoSuchFeed   = errors.New("bot: no such feed")
	ErrFeedBadURL   = errors.New("bot: bad feed URL")
	ErrFeedBadLang  = errors.New("bot: bad feed language")
	ErrFeedBadID    = errors.New("bot: bad feed id")
	ErrFeedNoChange = errors.New("bot: feed already in that state")
	ErrNoConfigFile = errors.New("bot: the config was not loaded from a file: nothing to edit")
)

// FetchError is a feed /addfeed could not fetch or parse; Reason is for the admin.
type FetchError struct{ Reason string }

func (e *FetchError) Error() string { return "bot: fetch feed: " + e.Reason }

// Config wires a Bot.
type Config struct {
	API      *tgbotapi.BotAPI // for getChatMember and setMyCommands; its Self names the bot
	Outbox   Outbox
	Subs     *subscriptions.Service
	Catalog  *i18n.Catalog
	Admin    Admin
	IsAdmin  func(userID int64) bool // the config's telegram.admins, read live
	Sources  func() []feeds.Source   // the configured feeds, read live
	Location *time.Location          // default time zone
	// DefaultLocation, when set, is the default time zone in force (a
	// config reload may change it); it takes precedence over Location.
	DefaultLocation func() *time.Location
	Logger          *slog.Logger
	Now             func() time.Time
	MaxPerChat      int // unused: the refusal's text reads Subs.MaxPerChat, which a reload changes
	// MatchContent reports whether a feed matches on full content (for dry runs).
	MatchContent func(feedID string) bool

	// Digests, quiet hours, mutes (issue 10); nil: those commands answer
	// with an internal error.
	Batches Batches
	Routes  *Routes

	// StoryOf, when set, names the story an article is an edition of (ID 0:
	// none), so a dry run counts a story in three languages once, as its
	// alerts come (issue 8).
	StoryOf func(ctx context.Context, articleID int64) (int64, error)
}

// Bot handles Telegram updates: commands in, replies out through the
// delivery queue (ahead of queued alerts).
type Bot struct {
	cfg      Config
	username string
	log      *slog.Logger
	handled  atomic.Int64
	conv     *conversations // questions, offers, undo, list numbers (conversation.go)
	dryRuns  chan struct{}  // dry runs (/subscribe, backfill) in progress, at most two
}

// New builds a Bot.
func New(cfg Config) *Bot {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.IsAdmin == nil {
		cfg.IsAdmin = func(int64) bool { return false }
	}
	if cfg.Sources == nil {
		cfg.Sources = func() []feeds.Source { return nil }
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	b := &Bot{cfg: cfg, log: cfg.Logger, conv: newConversations(), dryRuns: make(chan struct{}, 2)}
	if cfg.API != nil {
		b.username = cfg.API.Self.UserName
	}
	return b
}

// Handled is how many updates the bot has handled.
func (b *Bot) Handled() int64 { return b.handled.Load() }

// Handle handles one update. It never panics on hostile input, and errors are
// logged: a failing update must not block the ones after it.
func (b *Bot) Handle(ctx context.Context, up tgbotapi.Update) {
	defer b.handled.Add(1)
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("bot: panic handling update", "update", up.UpdateID, "panic", r)
		}
	}()
	switch {
	case up.Message != nil:
		b.onMessage(ctx, up.Message, false)
	case up.ChannelPost != nil:
		b.onMessage(ctx, up.ChannelPost, true)
	case up.EditedMessage != nil:
		b.onEdit(ctx, up.EditedMessage, false)
	case up.CallbackQuery != nil:
		b.onCallback(ctx, up.CallbackQuery)
	case up.MyChatMember != nil:
		b.onMembership(ctx, up.MyChatMember)
	}
}

// request is one command being handled.
type request struct {
	chat    subscriptions.Chat
	lang    string
	msg     *tgbotapi.Message
	from    int64 // sender's user id; 0 in channels
	channel bool
	// editReply, when set, is a bot message the answer replaces instead of
	// a new reply (an offer that was accepted, an edited /subscribe).
	editReply int
	edited    *sent // what the first version of an edited message did
}

func (b *Bot) onMessage(ctx context.Context, m *tgbotapi.Message, channel bool) {
	if m.Chat == nil {
		return
	}
	if m.MigrateToChatID != 0 {
		if _, err := b.cfg.Subs.MigrateChat(ctx, m.Chat.ID, m.MigrateToChatID); err != nil && !errors.Is(err, subscriptions.ErrChatNotFound) {
			b.log.Error("bot: migrate chat", "chat", m.Chat.ID, "to", m.MigrateToChatID, "err", err)
		}
		return
	}
	if m.MigrateFromChatID != 0 {
		return // the same migration, seen from the new supergroup
	}
	name, at := commandOf(m)
	if name == "" {
		b.onText(ctx, m, channel) // an answer, an offer to subscribe, a hint
		return
	}
	if at != "" && !strings.EqualFold(at, b.username) {
		return // addressed to another bot in the group
	}
	r, ok := b.request(ctx, m, channel)
	if !ok {
		return
	}
	b.forgetAsk(r.chat.ID, r.from) // a new command replaces a question
	b.command(ctx, r, name, strings.TrimSpace(m.CommandArguments()))
}

// commandOf returns the command of a message ("subscribe") and the bot it
// is addressed to ("" when none), or "" when it is not a command.
func commandOf(m *tgbotapi.Message) (name, at string) {
	if !m.IsCommand() {
		return "", ""
	}
	full := m.CommandWithAt()
	name, at, _ = strings.Cut(full, "@")
	// Telegram marks only Latin commands; anything else (a cut Cyrillic
	// letter from a client that marked more) is text.
	for _, c := range name {
		if c > unicode.MaxASCII {
			return "", ""
		}
	}
	return strings.ToLower(name), at
}

// request records the chat (in the sender's language) and wakes
// an inactive one: a chat that talks to the bot again gets alerts again.
func (b *Bot) request(ctx context.Context, m *tgbotapi.Message, channel bool) (*request, bool) {
	r := &request{msg: m, channel: channel}
	code := ""
	if m.From != nil {
		r.from = m.From.ID
		code = m.From.LanguageCode
	}
	// A private chat follows its user's Telegram language until /language;
	// without a language_code, it keeps what it has.
	lang := ""
	if code != "" {
		lang = b.cfg.Catalog.Lang(code)
	}
	typ := subscriptions.ChatType(m.Chat.Type)
	chat, err := b.cfg.Subs.UpsertChat(ctx, m.Chat.ID, typ, lang)
	if err != nil {
		b.log.Error("bot: record chat", "chat", m.Chat.ID, "err", err)
		return nil, false
	}
	if chat.Inactive {
		if chat, err = b.cfg.Subs.SetInactive(ctx, chat.ID, false); err != nil {
			b.log.Error("bot: reactivate chat", "chat", m.Chat.ID, "err", err)
		}
	}
	r.chat = chat
	r.lang = b.chatLang(chat)
	return r, true
}

func (b *Bot) chatLang(c subscriptions.Chat) string {
	if c.Language != "" && b.cfg.Catalog.Supported(c.Language) {
		return c.Language
	}
	return b.cfg.Catalog.Default()
}

func (b *Bot) t(r *request, id string, data map[string]any) string {
	return b.cfg.Catalog.T(r.lang, id, data)
}

func (b *Bot) n(r *request, id string, n int, data map[string]any) string {
	return b.cfg.Catalog.N(r.lang, id, n, data)
}

// reply sends html to the request's chat ahead of queued alerts (or
// rewrites r.editReply) and returns the message's id, 0 when it failed.
func (b *Bot) reply(ctx context.Context, r *request, html string, markup any) int {
	if r.editReply != 0 {
		b.edit(ctx, r, r.editReply, html, markup)
		return r.editReply
	}
	msg := delivery.Message{HTML: html, NoPreview: true}
	if markup != nil {
		msg.Markup = markup
	}
	id, err := b.cfg.Outbox.Reply(ctx, r.chat.ID, msg)
	if err != nil && !errors.Is(err, delivery.ErrChatInactive) {
		b.log.Error("bot: reply", "chat", r.chat.ID, "err", err, "text", html)
	}
	return id
}

// internalError tells the user something failed, and logs the detail.
func (b *Bot) internalError(ctx context.Context, r *request, what string, err error) {
	b.log.Error("bot: "+what, "chat", r.chat.ID, "err", err)
	b.reply(ctx, r, b.t(r, i18n.MsgInternalError, nil), nil)
}

func (b *Bot) onMembership(ctx context.Context, u *tgbotapi.ChatMemberUpdated) {
	switch u.NewChatMember.Status {
	case "kicked", "left":
		if _, err := b.cfg.Subs.SetInactive(ctx, u.Chat.ID, true); err != nil && !errors.Is(err, subscriptions.ErrChatNotFound) {
			b.log.Error("bot: mark chat inactive", "chat", u.Chat.ID, "err", err)
		}
		if _, err := b.cfg.Outbox.DropPending(ctx, u.Chat.ID); err != nil {
			b.log.Error("bot: drop pending", "chat", u.Chat.ID, "err", err)
		}
	case "member", "administrator":
		lang := b.cfg.Catalog.Lang(u.From.LanguageCode)
		chat, err := b.cfg.Subs.UpsertChat(ctx, u.Chat.ID, subscriptions.ChatType(u.Chat.Type), lang)
		if err == nil && chat.Inactive {
			_, err = b.cfg.Subs.SetInactive(ctx, u.Chat.ID, false)
		}
		if err != nil {
			b.log.Error("bot: record chat", "chat", u.Chat.ID, "err", err)
		}
	}
}
