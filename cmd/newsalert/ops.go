package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/metrics"
)

// newMetrics builds the metrics and health checks of a Main.
func (m *Main) newMetrics() *metrics.Metrics {
	maxInterval := time.Duration(0)
	for _, s := range m.Sources() {
		maxInterval = max(maxInterval, s.Interval)
	}
	if d, err := feeds.SpecInterval(m.Config().Fetch.Schedule); err == nil {
		maxInterval = max(maxInterval, d)
	}
	// Polling: an answer at least every poll_timeout. Webhook: the
	// getWebhookInfo probe answers every webhookProbe, updates or not.
	telegramAge := max(2*time.Minute, m.Config().Telegram.PollTimeout.D()+time.Minute)
	if m.webhook != nil {
		telegramAge = max(2*time.Minute, 4*m.webhookProbe())
	}
	return metrics.New(metrics.Config{
		DB:              m.DB,
		State:           m.metricsState,
		TelegramSeen:    m.telegramSeen,
		TelegramMaxAge:  telegramAge,
		Workers:         func() error { return m.workers.Load().Health() },
		SchedulerTick:   m.lastPoll,
		SchedulerMaxAge: 2*maxInterval + time.Minute,
		Now:             m.Now,
		Logger:          m.Logger,
	})
}

func (m *Main) metricsState(ctx context.Context) (metrics.State, error) {
	var st metrics.State
	q, err := m.Queue.Stats(ctx)
	if err != nil {
		return st, err
	}
	st.QueueDepth, st.OldestPending = int(q.Pending+q.Held), q.OldestPending
	tot, err := m.Subs.Totals(ctx)
	st.ChatsActive, st.ChatsBlocked = tot.ChatsActive, tot.ChatsBlocked
	return st, err
}

// telegramSeen is when Telegram last answered: a getUpdates, or a webhook call.
func (m *Main) telegramSeen() time.Time {
	t := m.Updates.LastContact()
	if m.webhook != nil {
		if w := m.webhook.LastContact(); w.After(t) {
			t = w
		}
	}
	return t
}

// webhookProbe is how often webhook mode asks Telegram for the webhook's
// state (tests make it short).
func (m *Main) webhookProbe() time.Duration {
	if m.WebhookProbe > 0 {
		return m.WebhookProbe
	}
	return 30 * time.Second
}

// lastPoll is when the scheduler last polled a feed, from the database.
func (m *Main) lastPoll() time.Time {
	last, err := m.FeedStore.LastAttempt(context.Background())
	if err != nil {
		m.Logger.Warn("health: last feed poll", "err", err)
	}
	return last
}

// serveWebhook registers the webhook with Telegram and serves it until ctx
// ends.
func (m *Main) serveWebhook(ctx context.Context) error {
	wh := m.Config().Telegram.Webhook
	u, err := url.Parse(wh.PublicURL)
	if err != nil {
		return err
	}
	// Updates are stored, answered, then handled concurrently across chats.
	ictx, stopInbox := context.WithCancel(ctx)
	inboxDone := make(chan error, 1)
	go func() { inboxDone <- m.webhook.Inbox.Run(ictx) }()
	defer func() { stopInbox(); <-inboxDone }()
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.Handle(path, m.webhook)
	ln, err := net.Listen("tcp", wh.Listen)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := bot.SetWebhook(m.Updates.API, wh.PublicURL, m.Config().Telegram.WebhookSecret()); err != nil {
		ln.Close()
		return err
	}
	m.Logger.Info("receiving updates by webhook", "listen", wh.Listen, "path", path)
	go m.webhook.Watch(ctx, m.Updates.API, m.webhookProbe())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("webhook server: %w", err)
	}
	return nil
}

// receive gets updates by webhook or by long polling, as configured.
func (m *Main) receive(ctx context.Context) error {
	if m.Config().Telegram.Webhook.Enabled() {
		return m.serveWebhook(ctx)
	}
	// A webhook left from an earlier webhook run makes getUpdates fail.
	if err := bot.DeleteWebhook(m.Updates.API); err != nil {
		m.Logger.Warn("could not delete the webhook", "err", err)
	}
	return m.Updates.Run(ctx)
}

// watchFeedHealth tells the admins, once, when a feed has failed
// notify_after_failures polls in a row, and once more when it recovers.
func (m *Main) watchFeedHealth(ctx context.Context) error {
	return m.feedNotices().Run(ctx, 30*time.Second)
}

func (m *Main) feedNotices() *feeds.FailureNotices {
	return &feeds.FailureNotices{
		Store:     m.FeedStore,
		Threshold: func() int { return m.Config().Telegram.NotifyAfterFailures },
		Name: func(id string) (string, bool) {
			for _, s := range m.Sources() {
				if s.ID == id {
					return s.DisplayName(), true
				}
			}
			return "", false
		},
		Notify: func(ctx context.Context, h feeds.FeedHealth, name string, recovered bool) {
			if recovered {
				m.notifyAdmins(ctx, i18n.MsgNoticeFeedRecovered, 0, map[string]any{"ID": h.ID, "Name": name})
				return
			}
			m.notifyAdmins(ctx, i18n.MsgNoticeFeedFailing, h.Failures, map[string]any{"ID": h.ID, "Name": name, "Error": h.LastError})
		},
		Logger: m.Logger,
	}
}
