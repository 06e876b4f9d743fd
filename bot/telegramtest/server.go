// Package telegramtest is a fake Telegram Bot API server for tests and for
// the terminal demo. It speaks HTTP to the real client library
// (go-telegram-bot-api v5), keeps the state a bot can observe (updates,
// chats, sent messages, command menus, webhook), and enforces what the real
// server enforces: HTML parse-mode rules, text length, rate limits, blocked
// and migrated chats, and the error envelope with its descriptions.
//
// Use: start it with NewServer (or New in a test), point the client at it
// with tgbotapi.NewBotAPIWithClient(s.Token(), s.Endpoint(), client), play
// the users with SendText, PressButton, Block, AddBot, MigrateToSupergroup,
// and read what the bot did with Sent, WaitSent, AllSent, Message,
// Commands, Unanswered and Violations. Fail, Throttle and the chat states
// make calls fail the ways Telegram's do.
//
// Where Telegram is lenient in a way that hides a bug (a bare "&" in HTML
// is shown literally), the fake is strict by default (Options.LenientHTML).
//
// It is not a Telegram client, not a production webhook receiver, and it
// does not implement media, inline mode, payments or MarkdownV2.
//
// It deliberately does not import package testing: the demo runs it inside
// the real binary. New is a convenience for tests.
package telegramtest

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultToken is the token the server accepts when Options.Token is empty.
const DefaultToken = "7000000001:AAtelegramtest-fake-token-0123456789"

// Options configures a Server. The zero value is usable.
type Options struct {
	// Token is the only bot token accepted; others get 401 Unauthorized.
	// The bot's user ID is the number before the colon.
	Token string
	// BotUsername and BotName describe the bot in getMe.
	BotUsername string
	BotName     string
	// Now is the clock for message dates, rate-limit windows and callback
	// expiry. Long-poll timeouts always use real time.
	Now func() time.Time
	// Limits are the rate limits; zero fields take DefaultLimits' values.
	Limits Limits
	// LenientHTML makes HTML parsing exactly as permissive as Telegram's,
	// which shows a bare "&" or an unknown entity such as "&nbsp;"
	// literally. By default both are rejected, so that a bot that forgets to
	// escape text fails in tests instead of showing "&amp;" to users.
	LenientHTML bool
	// GroupPrivacyOff makes the bot receive every group message; by default
	// privacy mode is on, as BotFather sets it, and only commands reach it
	// (all messages when it is an administrator).
	GroupPrivacyOff bool
	// OnMessage, when set, is called (outside the server's lock, in the
	// request's goroutine) after every message the bot sends, edits or
	// deletes. The demo prints them.
	OnMessage func(SentMessage)
	// Logger receives one line per request at debug level; nil discards.
	Logger *slog.Logger
}

// Server is a running fake Bot API. All methods are safe for concurrent use.
type Server struct {
	opts   Options
	srv    *httptest.Server
	bot    User
	now    func() time.Time
	logger *slog.Logger

	mu       sync.Mutex
	requests map[string]int
	faults   []Fault
	unknown  map[string]int // "method.param" never documented
	upd      updateQueue
	chats    map[int64]*chatState
	sent     []SentMessage
	sentWake chan struct{} // closed and replaced on every recorded call
	msgs     map[msgKey]*storedMessage
	lim      limiter
	queries  map[string]*callbackState
	commands map[commandKey][]BotCommand
	webhook  WebhookInfo
}

// NewServer starts a server on 127.0.0.1 with a random port.
func NewServer(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	if opts.BotUsername == "" {
		opts.BotUsername = "newsalert_test_bot"
	}
	if opts.BotName == "" {
		opts.BotName = "NewsAlert"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Limits = opts.Limits.withDefaults()
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	id, _ := strconv.ParseInt(strings.SplitN(opts.Token, ":", 2)[0], 10, 64)
	s := &Server{
		opts:     opts,
		bot:      User{ID: id, IsBot: true, FirstName: opts.BotName, Username: opts.BotUsername},
		now:      opts.Now,
		logger:   logger,
		requests: map[string]int{},
		unknown:  map[string]int{},
		chats:    map[int64]*chatState{},
		msgs:     map[msgKey]*storedMessage{},
		queries:  map[string]*callbackState{},
		commands: map[commandKey][]BotCommand{},
		sentWake: make(chan struct{}),
	}
	s.upd.init()
	s.lim.limits = opts.Limits
	s.srv = httptest.NewServer(s)
	return s
}

// TB is the part of testing.TB that New needs.
type TB interface {
	Helper()
	Cleanup(func())
}

// New starts a server and closes it when the test ends.
func New(t TB, opts Options) *Server {
	t.Helper()
	s := NewServer(opts)
	t.Cleanup(s.Close)
	return s
}

// URL is the server's base URL, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return s.srv.URL }

// Endpoint is the format string for tgbotapi.NewBotAPIWithClient.
func (s *Server) Endpoint() string { return s.srv.URL + "/bot%s/%s" }

// Token is the token the server accepts.
func (s *Server) Token() string { return s.opts.Token }

// Bot is the bot's own user, as getMe returns it.
func (s *Server) Bot() User { return s.bot }

// Client is an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close ends pending long polls and shuts the server down.
func (s *Server) Close() {
	s.mu.Lock()
	s.upd.closeAll()
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Requests is how many requests with the right token named method (any
// case) the server received, including failed ones.
func (s *Server) Requests(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[strings.ToLower(method)]
}

// UnknownParams lists "method.param" pairs the bot sent that the Bot API
// does not define for that method (Telegram ignores them silently, so they
// are usually typos), with their counts.
func (s *Server) UnknownParams() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.unknown))
	for k, v := range s.unknown {
		out[k] = v
	}
	return out
}

// ServeHTTP routes /bot<token>/<method> like api.telegram.org.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, name, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || name == "" || strings.Contains(name, "/") {
		writeEnvelope(w, errNotFound.envelope())
		return
	}
	if token != s.opts.Token {
		writeEnvelope(w, errUnauthorized.envelope())
		return
	}
	spec, ok := methods[strings.ToLower(name)]
	if !ok {
		writeEnvelope(w, errNotFound.envelope())
		return
	}
	p, err := readParams(r)
	s.mu.Lock()
	s.requests[strings.ToLower(spec.name)]++
	fault, faulted := s.takeFault(spec.name, p["chat_id"])
	s.mu.Unlock()
	if faulted && s.applyFault(w, r, fault, p["chat_id"]) {
		return
	}
	if err != nil {
		writeEnvelope(w, badRequest("%s", err.Error()).envelope())
		return
	}
	s.noteUnknown(spec, p)
	result, apiErr := spec.handle(s, r, p)
	s.logger.Debug("telegramtest: request", "method", spec.name, "ok", apiErr == nil)
	if apiErr != nil {
		writeEnvelope(w, apiErr.envelope())
		return
	}
	writeEnvelope(w, envelope{OK: true, Result: result})
}

func (s *Server) noteUnknown(spec *methodSpec, p params) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range p {
		if !spec.known(k) {
			s.unknown[spec.name+"."+k]++
		}
	}
}
