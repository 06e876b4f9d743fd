// Package delivery is the outbox between the matcher and Telegram: it stores
// every (chat, article) alert in SQLite, in the transaction that marks the
// article matched, and sends the rows to Telegram under Telegram's rate
// limits, with retries, per-chat order, flood control (hourly digests) and
// priority for interactive replies.
//
// It is not the renderer (the caller injects a Renderer), nor the keeper of
// chat state (the caller injects Chats), nor the Telegram update loop.
package delivery

import (
	"context"
	"database/sql"
	"errors"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/feeds"
)

// Alert is one article to tell one chat about.
type Alert struct {
	ChatID    int64
	ArticleID int64
	Topics    []string // the chat's topics that matched
	Words     []string // the words that matched, to highlight
	// Batch, when set, holds the alert for a scheduled digest of the chat
	// (see FlushBatch) instead of sending it now.
	Batch string

	// Article is loaded by the queue before it calls the Renderer; it is
	// ignored by Enqueue.
	Article *feeds.Article
}

// Message is one Telegram text message.
type Message struct {
	HTML      string // text in Telegram's HTML parse mode
	Plain     string // the same text without markup; derived from HTML when empty
	NoPreview bool   // no link preview
	Silent    bool   // disable_notification: no sound (quiet hours)
	// Markup is the reply_markup (e.g. tgbotapi.InlineKeyboardMarkup); nil for none.
	Markup any
}

// Renderer turns alerts into messages in the chat's language and style.
type Renderer interface {
	Alert(ctx context.Context, a Alert) (Message, error)
	// Digest renders the alerts held back by flood control as one message,
	// split into several when it would not fit 4096 characters.
	Digest(ctx context.Context, chatID int64, alerts []Alert) ([]Message, error)
}

// Chats keeps chat state for the queue.
type Chats interface {
	// MarkInactive records that the chat blocked or removed the bot: nothing
	// is sent to it until it talks to the bot again.
	MarkInactive(ctx context.Context, chatID int64) error
	// Migrate moves a group's state to the supergroup it was upgraded to.
	Migrate(ctx context.Context, from, to int64) error
}

// Articles is what the queue needs of the articles table, which the feeds
// package owns (*feeds.Store satisfies it).
type Articles interface {
	// Article loads one article for the renderer; feeds.ErrNoArticle when
	// it was pruned.
	Article(ctx context.Context, id int64) (feeds.Article, error)
	// MarkMatched marks articles handled inside the enqueue transaction;
	// feeds.ErrNoArticle for an id not stored.
	MarkMatched(ctx context.Context, tx *sql.Tx, ids ...int64) error
}

// Observer is told what happens to alerts; *metrics.Metrics satisfies it.
type Observer interface {
	AlertSent(latency time.Duration) // since its article was first seen
	AlertFailed(reason string)       // a fixed word: chat_inactive, rejected, too_long, bad_html...
	TooManyRequests()                // a 429 from Telegram
}

// Sender is the Telegram Bot API client; *tgbotapi.BotAPI satisfies it. Its
// HTTP client must have a timeout: the library takes no context.
type Sender interface {
	MakeRequest(endpoint string, params tgbotapi.Params) (*tgbotapi.APIResponse, error)
	Request(c tgbotapi.Chattable) (*tgbotapi.APIResponse, error)
}

var (
	// ErrChatInactive: the chat blocked, left or deleted the bot; nothing was sent.
	ErrChatInactive = errors.New("delivery: chat is inactive")
	// ErrRejected: Telegram refused the message for a reason retrying does not fix.
	ErrRejected = errors.New("delivery: message rejected by Telegram")
	// ErrUnknownArticle: Enqueue was given an article id that is not stored.
	ErrUnknownArticle = errors.New("delivery: unknown article")
	// ErrClosed: the queue is not running.
	ErrClosed = errors.New("delivery: queue is not running")
)
