package main

import (
	"context"
	"reflect"
	"slices"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/config"
)

// restartKeys lists the keys whose change a running bot cannot apply: they
// are read once, at start (docs/operations.md, "Reloading the config").
func restartKeys(old, cur *config.Config) []string {
	var keys []string
	diff := func(key string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			keys = append(keys, key)
		}
	}
	diff("database.path", old.Database.Path, cur.Database.Path)
	diff("telegram.token", old.Telegram.Token, cur.Telegram.Token)
	diff("telegram.api_url", old.Telegram.APIURL, cur.Telegram.APIURL)
	diff("telegram.poll_timeout", old.Telegram.PollTimeout, cur.Telegram.PollTimeout)
	diff("telegram.webhook", old.Telegram.Webhook, cur.Telegram.Webhook)
	diff("http.listen", old.HTTP.Listen, cur.HTTP.Listen)
	diff("defaults.language", old.Defaults.Language, cur.Defaults.Language)
	diff("log", old.Log, cur.Log)
	diff("delivery.edition_wait", old.Delivery.EditionWait, cur.Delivery.EditionWait)
	diff("translate", old.Translate, cur.Translate)
	f, g := old.Fetch, cur.Fetch
	f.Schedule, g.Schedule = "", "" // live
	diff("fetch (all but schedule)", f, g)
	return keys
}

// applyLive hands what a reload changed to the running workers: the poll
// schedule, rate limits and flood cap, per-chat subscription limits, and
// the admins' command menu. The
// default time zone, the admins' rights and the feeds are read live anyway.
func (m *Main) applyLive(ctx context.Context, old, cfg *config.Config) {
	if m.Scheduler != nil && cfg.Fetch.Schedule != old.Fetch.Schedule {
		if err := m.Scheduler.SetSpec(cfg.Fetch.Schedule); err != nil {
			m.Logger.Error("config: fetch.schedule", "err", err)
		} else {
			m.Logger.Info("config: new poll schedule", "schedule", cfg.Fetch.Schedule)
		}
	}
	if m.Queue != nil && (cfg.Telegram.Rate != old.Telegram.Rate || cfg.Delivery.MaxAlertsPerHour != old.Delivery.MaxAlertsPerHour) {
		if err := m.Queue.SetLimits(rateLimits(cfg), cfg.Delivery.MaxAlertsPerHour); err != nil {
			m.Logger.Error("config: telegram.rate", "err", err)
		}
	}
	if cfg.Subscriptions != old.Subscriptions {
		m.Subs.SetLimits(cfg.Subscriptions.MaxPerChat, cfg.Subscriptions.MaxQueryLen, 0)
	}
	if m.Bot != nil && !slices.Equal(cfg.Telegram.Admins, old.Telegram.Admins) {
		// A new admin gets the admin commands in the menu at once.
		if err := m.Bot.RegisterCommands(ctx, cfg.Telegram.Admins); err != nil {
			m.Logger.Warn("config: could not update the admins' command menu", "err", err)
		}
	}
}

// rateLimits is the config's telegram.rate, for the delivery queue.
func rateLimits(cfg *config.Config) delivery.Limits {
	return delivery.Limits{
		GlobalPerSecond:   cfg.Telegram.Rate.GlobalPerSecond,
		PerChatPerSecond:  cfg.Telegram.Rate.PerChatPerSecond,
		PerGroupPerMinute: cfg.Telegram.Rate.PerGroupPerMinute,
	}
}
