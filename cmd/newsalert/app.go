package main

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/config"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/metrics"
	"github.com/newsalert/newsalert/store"
	"github.com/newsalert/newsalert/subscriptions"
	"github.com/newsalert/newsalert/translate"
)

// shutdownWait is how long a stopping bot lets Telegram requests in flight
// finish: the whole stop takes under 10 s.
const shutdownWait = 7 * time.Second

// Main is the whole program: the config, the database and the services
// wired together. The end-to-end tests and the demo run exactly this.
type Main struct {
	Logger *slog.Logger
	Now    func() time.Time
	// WebhookProbe is how often webhook mode asks Telegram for the webhook's
	// state, so /healthz sees Telegram reachable on a quiet day (default 30s).
	WebhookProbe time.Duration

	cfg      atomic.Pointer[config.Config]
	sources  atomic.Pointer[[]feeds.Source]
	titlesMu sync.Mutex                        // serializes changes of titles
	titles   atomic.Pointer[map[string]string] // feeds' own titles, by id
	loc      atomic.Pointer[time.Location]     // defaults.timezone in force

	DB        *sql.DB
	FeedStore *feeds.Store
	Fetcher   *feeds.Fetcher
	Poller    *feeds.Poller
	Scheduler *feeds.Scheduler
	Subs      *subscriptions.Service
	Catalog   *i18n.Catalog
	// Translator is set when the config has a translator (editions.go).
	Translator *translate.Translator

	// Set by OpenBot.
	Queue   *delivery.Queue
	Bot     *bot.Bot
	Updates *bot.Updates
	Alerter *bot.Alerter
	Routes  *bot.Routes  // digests, quiet hours, mutes: which alerts wait
	Digests *bot.Digests // sends digests when due, ends timed pauses
	Metrics *metrics.Metrics
	webhook *bot.Webhook               // set in webhook mode
	workers atomic.Pointer[supervisor] // set by Run

	sendCtx    context.Context // the sending client's requests; ends after the queue drained
	sendCancel context.CancelFunc
	pollCtx    context.Context // getUpdates; ends as soon as Run is told to stop
	pollCancel context.CancelFunc
}

// NewMain returns a Main for cfg; nothing is opened yet.
func NewMain(cfg *config.Config, logger *slog.Logger) *Main {
	m := &Main{Logger: logger, Now: time.Now}
	m.setConfig(cfg)
	return m
}

// Config is the configuration in force.
func (m *Main) Config() *config.Config { return m.cfg.Load() }

// Sources are the configured feeds in force.
func (m *Main) Sources() []feeds.Source { return *m.sources.Load() }

func (m *Main) setConfig(cfg *config.Config) {
	m.titlesMu.Lock()
	defer m.titlesMu.Unlock()
	m.cfg.Store(cfg)
	m.buildSources()
}

// buildSources makes the sources of the config in force, each with the
// feed's own title (shown when the config gives no name). The caller holds
// titlesMu.
func (m *Main) buildSources() {
	cfg := m.Config()
	var titles map[string]string
	if t := m.titles.Load(); t != nil {
		titles = *t
	}
	srcs := make([]feeds.Source, len(cfg.Feeds))
	for i, f := range cfg.Feeds {
		srcs[i] = feeds.Source{ID: f.ID, Name: f.Name, Title: titles[f.ID], URL: f.URL, Lang: f.Lang,
			Interval: f.Interval.D(), MatchContent: f.MatchContent, Paused: f.Paused,
			Edition: f.Edition}
	}
	m.sources.Store(&srcs)
	m.loc.Store(cfg.Location())
	m.applyOutlets()
}

// location is the default time zone in force.
func (m *Main) location() *time.Location { return m.loc.Load() }

// setTitles replaces the feeds' titles (from the database, at start).
func (m *Main) setTitles(titles map[string]string) {
	m.titlesMu.Lock()
	defer m.titlesMu.Unlock()
	m.titles.Store(&titles)
	m.buildSources()
}

// noteTitle records a feed's title from a poll, when it changed.
func (m *Main) noteTitle(id, title string) {
	if title == "" {
		return
	}
	m.titlesMu.Lock()
	defer m.titlesMu.Unlock()
	old := map[string]string{}
	if t := m.titles.Load(); t != nil {
		old = *t
	}
	if old[id] == title {
		return
	}
	titles := make(map[string]string, len(old)+1)
	for k, v := range old {
		titles[k] = v
	}
	titles[id] = title
	m.titles.Store(&titles)
	m.buildSources()
}

func (m *Main) matchContent(feedID string) bool {
	for _, s := range m.Sources() {
		if s.ID == feedID {
			return s.MatchContent
		}
	}
	return false
}

// Open opens the database and the feed and subscription services: all that
// runs without Telegram (poll -once, match).
func (m *Main) Open(ctx context.Context) error {
	cfg := m.Config()
	db, err := store.Open(ctx, cfg.Database.Path)
	if err != nil {
		return err
	}
	m.DB = db
	m.FeedStore = feeds.NewStore(db)
	m.FeedStore.Now = m.Now
	titles, err := m.FeedStore.Titles(ctx)
	if err != nil {
		return err
	}
	m.setTitles(titles)
	fc := fetcherConfig(cfg)
	fc.Now = m.Now
	m.Fetcher = feeds.NewFetcher(fc)
	interval, err := feeds.SpecInterval(cfg.Fetch.Schedule)
	if err != nil {
		return err
	}
	m.Poller = feeds.NewPoller(feeds.PollerConfig{
		Fetcher: m.Fetcher, Parser: feeds.NewParser(), Store: m.FeedStore,
		Interval: interval, Concurrency: cfg.Fetch.Concurrency, Now: m.Now, Logger: m.Logger,
	})
	m.Subs, err = subscriptions.New(ctx, db, subscriptions.Config{
		MaxPerChat: cfg.Subscriptions.MaxPerChat, MaxQueryLen: cfg.Subscriptions.MaxQueryLen,
		Topics: topics(cfg), Now: m.Now, Logger: m.Logger,
	})
	if err != nil {
		return err
	}
	m.Catalog, err = i18n.New(i18n.Config{DefaultLanguage: cfg.Defaults.Language, Logger: m.Logger})
	return err
}

// fetcherConfig is the config's fetch section, for the feeds package.
func fetcherConfig(cfg *config.Config) feeds.FetcherConfig {
	return feeds.FetcherConfig{
		Timeout:              cfg.Fetch.Timeout.D(),
		ConnectTimeout:       cfg.Fetch.ConnectTimeout.D(),
		MaxBody:              int64(cfg.Fetch.MaxBody),
		UserAgent:            cfg.Fetch.UserAgent,
		AllowPrivateNetworks: cfg.Fetch.AllowPrivateNetworks,
		MaxRedirects:         cfg.Fetch.MaxRedirects,
	}
}

func topics(cfg *config.Config) []subscriptions.Topic {
	out := make([]subscriptions.Topic, len(cfg.Topics))
	for i, t := range cfg.Topics {
		out[i] = subscriptions.Topic{Name: t.Name, Aliases: t.Aliases}
	}
	return out
}

// OpenBot connects to Telegram and builds the scheduler, the delivery queue
// and the bot. Open must have succeeded.
func (m *Main) OpenBot(ctx context.Context) error {
	cfg := m.Config()
	m.sendCtx, m.sendCancel = context.WithCancel(context.WithoutCancel(ctx))
	m.pollCtx, m.pollCancel = context.WithCancel(context.WithoutCancel(ctx))
	apiCfg := bot.APIConfig{
		Token: string(cfg.Telegram.Token), APIURL: cfg.Telegram.APIURL,
		PollTimeout: cfg.Telegram.PollTimeout.D(), Logger: m.Logger,
	}
	sender, err := bot.NewAPI(m.sendCtx, apiCfg)
	if err != nil {
		return err
	}
	poller, err := bot.NewAPI(m.pollCtx, apiCfg)
	if err != nil {
		return err
	}
	loc := cfg.Location()
	m.Queue, err = delivery.New(delivery.Config{
		Limits:           rateLimits(cfg),
		MaxAlertsPerHour: cfg.Delivery.MaxAlertsPerHour,
		EditionWait:      cfg.Delivery.EditionWait.D(),
		Observer:         observer{m},
		ShutdownWait:     shutdownWait,
	}, m.DB, sender, &bot.AlertRenderer{
		Renderer: bot.NewRenderer(m.Catalog), Subs: m.Subs, Catalog: m.Catalog,
		Sources: m.Sources, Location: loc, DefaultLocation: m.location, Editions: m.editionRenderer(), Now: m.Now,
	}, bot.ChatState{Subs: m.Subs}, m.Logger, m.Now)
	if err != nil {
		return err
	}
	m.Alerter = bot.NewAlerter()
	m.Alerter.Articles = m.FeedStore
	m.Alerter.Subs = m.Subs
	m.Alerter.Queue = m.Queue
	m.Alerter.MatchContent = m.matchContent
	m.Routes = bot.NewRoutes(m.Subs, loc, m.Now)
	m.Routes.DefaultLocation = m.location
	if err := m.Routes.Load(ctx); err != nil {
		return err
	}
	m.Alerter.Routes = m.Routes
	m.Digests = &bot.Digests{Subs: m.Subs, Queue: m.Queue, Location: loc, DefaultLocation: m.location, Now: m.Now, Logger: m.Logger}
	m.Alerter.Logger = m.Logger
	m.Alerter.Stories = m.storyAlerts()
	m.Alerter.OnMatched = func(_ feeds.Article, chats int) {
		m.Metrics.Matches(chats)
		m.Metrics.AlertQueued(chats)
	}
	m.Scheduler, err = feeds.NewScheduler(feeds.SchedulerConfig{
		Poller: m.Poller, Spec: cfg.Fetch.Schedule, Concurrency: cfg.Fetch.Concurrency,
		Logger: m.Logger, Now: m.Now,
		OnPoll: func(res feeds.PollResult, took time.Duration) {
			m.noteTitle(res.Source.ID, res.Title)
			m.Metrics.FetchDone(res.Result(), took)
		},
		OnNew: func(_ context.Context, _ feeds.Source, arts []feeds.Article) {
			m.Metrics.ArticlesNew(len(arts))
			m.Alerter.Kick()
		},
	})
	if err != nil {
		return err
	}
	m.Bot = bot.New(bot.Config{
		API: sender, Outbox: m.Queue, Subs: m.Subs, Catalog: m.Catalog, Admin: m.admin(),
		IsAdmin: func(id int64) bool { return m.Config().IsAdmin(id) },
		Sources: m.Sources, Location: loc, DefaultLocation: m.location, Logger: m.Logger, Now: m.Now,
		MaxPerChat: cfg.Subscriptions.MaxPerChat, MatchContent: m.matchContent,
		Batches: m.Queue, Routes: m.Routes,
		StoryOf: m.FeedStore.StoryID,
	})
	m.Digests.Resumed = m.Bot.PauseEnded
	m.Updates = &bot.Updates{API: poller, DB: m.DB, Timeout: cfg.Telegram.PollTimeout.D(),
		Handle: m.Bot.Handle, Logger: m.Logger}
	if cfg.Telegram.Webhook.Enabled() {
		m.webhook = &bot.Webhook{Secret: cfg.Telegram.WebhookSecret(), Handle: m.Bot.Handle, Logger: m.Logger, Now: m.Now,
			Inbox: bot.NewInbox(bot.InboxConfig{DB: m.DB, Handle: m.Bot.Handle, Logger: m.Logger})}
	}
	m.Metrics = m.newMetrics()
	m.Logger.Info("connected to Telegram", "bot", sender.Self.UserName)
	return nil
}

// Close releases everything Open and OpenBot took.
func (m *Main) Close() error {
	if m.sendCancel != nil {
		m.sendCancel()
		m.pollCancel()
	}
	if m.DB != nil {
		return m.DB.Close()
	}
	return nil
}

// ensure the library's API type is what the bot package expects.
var _ delivery.Sender = (*tgbotapi.BotAPI)(nil)

// observer hands the delivery queue's events to the metrics, which are built
// after the queue.
type observer struct{ m *Main }

func (o observer) AlertSent(latency time.Duration) { o.m.Metrics.AlertSent(latency) }
func (o observer) AlertFailed(reason string)       { o.m.Metrics.AlertFailed(reason) }
func (o observer) TooManyRequests()                { o.m.Metrics.TooManyRequests() }
