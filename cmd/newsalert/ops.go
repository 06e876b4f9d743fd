package main

import (
	"context"
	"errors"
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
	return metrics.New(metrics.Config{
		DB:              m.DB,
		State:           m.metricsState,
		TelegramSeen:    m.telegramSeen,
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
	st.ChatsActive, st.ChatsBlocked, err = m.chatCounts(ctx)
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

// lastPoll is when the scheduler last polled a feed, from the database.
func (m *Main) lastPoll() time.Time {
	var last int64
	m.DB.QueryRow(`SELECT coalesce(max(last_attempt), 0) FROM feeds`).Scan(&last)
	if last == 0 {
		return time.Time{}
	}
	return time.Unix(last, 0)
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
	inbox := bot.NewInbox(bot.InboxConfig{DB: m.DB, Handle: m.Bot.Handle, Logger: m.Logger})
	ictx, stopInbox := context.WithCancel(ctx)
	inboxDone := make(chan error, 1)
	go func() { inboxDone <- inbox.Run(ictx) }()
	defer func() { stopInbox(); <-inboxDone }()
	m.webhook = &bot.Webhook{Secret: string(wh.SecretToken), Inbox: inbox, Handle: m.Bot.Handle, Logger: m.Logger}
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.Handle(path, m.webhook)
	ln, err := net.Listen("tcp", wh.Listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := bot.SetWebhook(m.Updates.API, wh.PublicURL, string(wh.SecretToken)); err != nil {
		ln.Close()
		return err
	}
	m.Logger.Info("receiving updates by webhook", "listen", wh.Listen, "path", path)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
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
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		m.checkFeedHealth(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (m *Main) checkFeedHealth(ctx context.Context) {
	limit := m.Config().Telegram.NotifyAfterFailures
	if limit == 0 {
		return
	}
	hs, err := m.FeedStore.Health(ctx)
	if err != nil {
		return
	}
	names := map[string]string{}
	for _, s := range m.Sources() {
		names[s.ID] = s.DisplayName()
	}
	for _, h := range hs {
		name, configured := names[h.ID]
		if !configured {
			continue
		}
		key := "notice.feed_failing." + h.ID
		var told int
		m.DB.QueryRowContext(ctx, `SELECT count(*) FROM kv WHERE key = ?`, key).Scan(&told)
		switch {
		case h.Failures >= limit && told == 0:
			m.notifyAdmins(ctx, i18n.MsgNoticeFeedFailing, h.Failures, map[string]any{"ID": h.ID, "Name": name, "Error": h.LastError})
			m.DB.ExecContext(ctx, `INSERT OR IGNORE INTO kv(key, value) VALUES(?, '1')`, key)
		case h.Failures == 0 && told > 0:
			m.notifyAdmins(ctx, i18n.MsgNoticeFeedRecovered, 0, map[string]any{"ID": h.ID, "Name": name})
			m.DB.ExecContext(ctx, `DELETE FROM kv WHERE key = ?`, key)
		}
	}
}
