package main

import (
	"context"
	"errors"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/config"
	"github.com/newsalert/newsalert/feeds"
)

// adminActions is the bot.Admin of a running Main: every change is an edit
// of config.yaml (the one source of truth), then a reload of it.
type adminActions struct{ m *Main }

func (m *Main) admin() bot.Admin { return adminActions{m} }

func (a adminActions) AddFeed(ctx context.Context, rawURL, lang, id string) (feeds.Source, error) {
	cfg := a.m.Config()
	if cfg.Path == "" {
		return feeds.Source{}, bot.ErrNoConfigFile
	}
	f, _, err := addCheckedFeed(ctx, cfg, config.Feed{URL: rawURL, Lang: lang, ID: id})
	var fe *feeds.ProbeError
	switch {
	case errors.As(err, &fe):
		return feeds.Source{}, &bot.FetchError{Reason: fe.Reason}
	case errors.Is(err, config.ErrFeedBadURL):
		return feeds.Source{}, bot.ErrFeedBadURL
	case errors.Is(err, config.ErrFeedBadLang), errors.Is(err, config.ErrFeedNoLanguage):
		return feeds.Source{}, bot.ErrFeedBadLang
	case errors.Is(err, config.ErrFeedBadID):
		return feeds.Source{}, bot.ErrFeedBadID
	case errors.Is(err, config.ErrFeedExists):
		return feeds.Source{}, bot.ErrFeedExists
	case err != nil:
		return feeds.Source{}, err
	}
	if err := a.m.reloadFile(ctx); err != nil {
		return feeds.Source{}, err
	}
	return feeds.Source{ID: f.ID, Name: f.Name, URL: f.URL, Lang: f.Lang}, nil
}

func (a adminActions) RemoveFeed(ctx context.Context, id string) error {
	if a.m.Config().Path == "" {
		return bot.ErrNoConfigFile
	}
	if err := config.RemoveFeed(a.m.Config().Path, id); err != nil {
		if errors.Is(err, config.ErrNoSuchFeed) {
			return bot.ErrNoSuchFeed
		}
		return err
	}
	return a.m.reloadFile(ctx)
}

func (a adminActions) SetFeedPaused(ctx context.Context, id string, paused bool) error {
	if a.m.Config().Path == "" {
		return bot.ErrNoConfigFile
	}
	for _, s := range a.m.Sources() {
		if s.ID == id && s.Paused == paused {
			return bot.ErrFeedNoChange
		}
	}
	if err := config.SetFeedPaused(a.m.Config().Path, id, paused); err != nil {
		if errors.Is(err, config.ErrNoSuchFeed) {
			return bot.ErrNoSuchFeed
		}
		return err
	}
	return a.m.reloadFile(ctx)
}

func (a adminActions) FeedHealth(ctx context.Context) ([]feeds.FeedHealth, error) {
	return a.m.FeedStore.Health(ctx)
}

// Stats are the figures of /stats, keyed as the i18n message wants them.
func (a adminActions) Stats(ctx context.Context) (map[string]any, error) {
	m := a.m
	tot, err := m.Subs.Totals(ctx)
	if err != nil {
		return nil, err
	}
	hs, err := m.FeedStore.Health(ctx)
	if err != nil {
		return nil, err
	}
	healthy, failing := 0, 0
	for _, h := range hs {
		if h.Failures > 0 {
			failing++
		} else {
			healthy++
		}
	}
	q, err := m.Queue.Stats(ctx)
	if err != nil {
		return nil, err
	}
	oldest := q.OldestPending // the bot writes it in the admin's language
	return map[string]any{
		"ChatsActive": tot.ChatsActive, "ChatsBlocked": tot.ChatsBlocked, "Subscriptions": tot.Subscriptions,
		"FeedsHealthy": healthy, "FeedsFailing": failing, "Sent24h": q.Sent24h,
		"QueueDepth": q.Pending + q.Held, "OldestPending": oldest, "RateLimited24h": q.RateLimited24h,
	}, nil
}

// reloadFile loads config.yaml again and applies it.
func (m *Main) reloadFile(ctx context.Context) error {
	cfg, err := config.Load(m.Config().Path)
	if err != nil {
		return err
	}
	m.apply(ctx, cfg)
	return nil
}

// apply makes a checked config the one in force: feeds added, removed,
// paused or rescheduled, curated topics re-indexed when they changed, the
// poll schedule, rate limits, flood cap, default time zone and admins
// applied live. What only a restart can change is said in the log.
func (m *Main) apply(ctx context.Context, cfg *config.Config) {
	old := m.Config()
	if keys := restartKeys(old, cfg); len(keys) > 0 {
		m.Logger.Warn("config: changed keys take effect only after a restart", "keys", keys)
	}
	m.setConfig(cfg)
	if m.Scheduler != nil {
		m.Scheduler.Update(m.Sources())
	}
	m.applyLive(ctx, old, cfg)
	ids := make([]string, len(cfg.Feeds))
	for i, f := range cfg.Feeds {
		ids[i] = f.ID
	}
	// Removed feeds leave /feeds; their articles stay for dedup.
	if err := m.FeedStore.ForgetFeeds(ctx, ids); err != nil {
		m.Logger.Error("config: forgetting removed feeds", "err", err)
	}
	if err := m.Subs.SetTopics(ctx, topics(cfg)); err != nil {
		m.Logger.Error("config: curated topics", "err", err)
	}
	m.Logger.Info("config reloaded", "feeds", len(cfg.Feeds), "topics", len(cfg.Topics))
}

// onConfigChange is called when config.yaml changed on disk or on SIGHUP.
func (m *Main) onConfigChange(ctx context.Context, cfg *config.Config, err error) {
	if err != nil {
		m.Logger.Error("config: rejected the changed file; running on the previous one", "err", err)
		m.notifyAdmins(ctx, i18n.MsgNoticeConfigRejected, 0, map[string]any{"Reason": err.Error()})
		return
	}
	m.apply(ctx, cfg)
}

// notifyAdmins sends a notice to every admin's private chat, in its language.
func (m *Main) notifyAdmins(ctx context.Context, id string, n int, data map[string]any) {
	if m.Bot == nil {
		return
	}
	m.Bot.NotifyAdmins(ctx, m.Config().Telegram.Admins, id, n, data)
}
