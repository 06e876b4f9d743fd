package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"golang.org/x/text/language"
)

// BotLanguages are the languages the bot speaks.
var BotLanguages = []string{"en", "uk", "ru"}

var (
	feedIDPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	secretTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// checkValues validates what decoded well but may still be wrong.
func checkValues(c *Config, l lines) error {
	var errs Errors
	bad := func(path, format string, args ...any) {
		errs = append(errs, Problem{Line: l.line(path), Key: path, Msg: fmt.Sprintf(format, args...)})
	}

	if err := CheckHTTPURL(c.Telegram.APIURL); err != nil {
		bad("telegram.api_url", "%v", err)
	}
	if c.Telegram.PollTimeout.D() < time.Second || c.Telegram.PollTimeout.D() > 10*time.Minute {
		bad("telegram.poll_timeout", "must be between 1s and 10m")
	}
	for i, id := range c.Telegram.Admins {
		if id <= 0 {
			bad(fmt.Sprintf("telegram.admins[%d]", i), "%d is not a Telegram user id", id)
		}
	}
	if c.Telegram.NotifyAfterFailures < 0 {
		bad("telegram.notify_after_failures", "must be 0 (never) or more")
	}
	if wh := c.Telegram.Webhook; wh.Enabled() {
		if u, err := url.Parse(wh.PublicURL); err != nil || u.Scheme != "https" || u.Host == "" {
			bad("telegram.webhook.public_url", "must be an https URL (Telegram only posts to https)")
		} else if p := u.Port(); p != "" && p != "443" && p != "80" && p != "88" && p != "8443" {
			bad("telegram.webhook.public_url", "port %s: Telegram only posts to ports 443, 80, 88 and 8443", p)
		}
		if wh.SecretToken != "" && !secretTokenPattern.MatchString(string(wh.SecretToken)) {
			bad("telegram.webhook.secret_token", "1-256 characters A-Z a-z 0-9 _ - (or leave it empty: one is derived from the bot token)")
		}
	}
	positive := func(path string, v int) {
		if v <= 0 {
			bad(path, "must be a positive number")
		}
	}
	positive("telegram.rate.global_per_second", c.Telegram.Rate.GlobalPerSecond)
	positive("telegram.rate.per_chat_per_second", c.Telegram.Rate.PerChatPerSecond)
	positive("telegram.rate.per_group_per_minute", c.Telegram.Rate.PerGroupPerMinute)

	if strings.TrimSpace(c.Database.Path) == "" {
		bad("database.path", "must not be empty")
	}

	if _, err := cron.ParseStandard(c.Fetch.Schedule); err != nil {
		bad("fetch.schedule", "invalid cron spec %q: %v", c.Fetch.Schedule, err)
	}
	if c.Fetch.Timeout.D() < time.Second {
		bad("fetch.timeout", "must be at least 1s")
	}
	if c.Fetch.ConnectTimeout.D() <= 0 || c.Fetch.ConnectTimeout.D() > c.Fetch.Timeout.D() {
		bad("fetch.connect_timeout", "must be positive and at most fetch.timeout (%s)", c.Fetch.Timeout)
	}
	if c.Fetch.MaxBody < 1024 {
		bad("fetch.max_body", "must be at least 1KiB")
	}
	positive("fetch.concurrency", c.Fetch.Concurrency)
	if c.Fetch.MaxRedirects < 0 || c.Fetch.MaxRedirects > 20 {
		bad("fetch.max_redirects", "must be between 0 and 20")
	}

	if !isBotLanguage(c.Defaults.Language) {
		bad("defaults.language", "unknown language %q (the bot speaks %s)", c.Defaults.Language, strings.Join(BotLanguages, ", "))
	}
	if _, err := time.LoadLocation(c.Defaults.Timezone); err != nil || c.Defaults.Timezone == "" {
		bad("defaults.timezone", "unknown time zone %q (want e.g. Europe/Kyiv, UTC)", c.Defaults.Timezone)
	}
	if c.Delivery.MaxAlertsPerHour < 0 {
		bad("delivery.max_alerts_per_hour", "must be 0 (no cap) or more")
	}
	positive("subscriptions.max_per_chat", c.Subscriptions.MaxPerChat)
	positive("subscriptions.max_query_length", c.Subscriptions.MaxQueryLen)
	if c.Retention.Articles.D() < time.Hour {
		bad("retention.articles", "must be at least 1h")
	}
	if c.Retention.DedupKeys.D() < c.Retention.Articles.D() {
		bad("retention.dedup_keys", "must be at least retention.articles (%s), or old items come back as new", c.Retention.Articles)
	}
	// Names a newcomer writes in another case, or slog's "warning", mean the same.
	c.Log.Format = strings.ToLower(strings.TrimSpace(c.Log.Format))
	c.Log.Level = strings.ToLower(strings.TrimSpace(c.Log.Level))
	if c.Log.Level == "warning" {
		c.Log.Level = "warn"
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		bad("log.format", "must be text or json")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "must be debug, info, warn or error")
	}

	topics := map[string]string{}
	for i, t := range c.Topics {
		p := fmt.Sprintf("topics[%d]", i)
		if strings.TrimSpace(t.Name) == "" {
			bad(p+".name", "must not be empty")
		}
		for _, a := range append([]string{t.Name}, t.Aliases...) {
			k := strings.ToLower(strings.TrimSpace(a))
			if prev, ok := topics[k]; ok && prev != t.Name {
				bad(p, "%q is also in topic %q", a, prev)
			}
			topics[k] = t.Name
		}
	}

	ids := map[string]int{}
	for i := range c.Feeds {
		f := &c.Feeds[i]
		p := fmt.Sprintf("feeds[%d]", i)
		f.ID = strings.TrimSpace(f.ID)
		switch {
		case f.ID == "":
			bad(p+".id", "missing (a short unique name such as rbc-uk)")
		case !feedIDPattern.MatchString(f.ID):
			bad(p+".id", "%q: use lowercase letters, digits, '.', '_' and '-' (at most 64)", f.ID)
		default:
			if j, dup := ids[f.ID]; dup {
				bad(p+".id", "duplicate feed id %q (also feeds[%d])", f.ID, j)
			}
			ids[f.ID] = i
		}
		if err := CheckHTTPURL(f.URL); err != nil {
			bad(p+".url", "%v", err)
		}
		if f.Lang != "" {
			norm, err := NormalizeLanguage(f.Lang)
			if err != nil {
				bad(p+".lang", "%v", err)
			}
			f.Lang = norm
		}
		if f.Interval != 0 && f.Interval.D() < 30*time.Second {
			bad(p+".interval", "must be at least 30s")
		}
	}
	errs = append(errs, checkEditions(c, l)...)
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// CheckHTTPURL accepts only absolute http and https URLs with a host.
func CheckHTTPURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return fmt.Errorf("missing URL")
	}
	if !strings.Contains(raw, "://") && !strings.HasPrefix(strings.ToLower(raw), "file:") {
		// www.pravda.com.ua/rss/ or 127.0.0.1:8765/feed.xml, copied from an address bar.
		return fmt.Errorf("URL %q has no scheme: write it as %q", raw, "https://"+strings.TrimLeft(raw, "/"))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("invalid URL %q", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("URL %q: scheme must be http or https", raw)
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("URL %q has no host", raw)
	}
	if u.User != nil {
		return fmt.Errorf("URL %q: credentials in URLs are not allowed", raw)
	}
	return nil
}

// NormalizeLanguage turns a BCP 47 tag ("uk", "ru-RU", "EN") into its base
// language ("uk", "ru", "en"), or says it is not a language.
func NormalizeLanguage(tag string) (string, error) {
	t, err := language.Parse(strings.TrimSpace(tag))
	if err != nil {
		return "", fmt.Errorf("unknown language tag %q (want e.g. uk, ru, en)", tag)
	}
	base, conf := t.Base()
	if conf == language.No || base.String() == "und" {
		return "", fmt.Errorf("unknown language tag %q (want e.g. uk, ru, en)", tag)
	}
	return base.String(), nil
}

func isBotLanguage(lang string) bool {
	for _, l := range BotLanguages {
		if l == lang {
			return true
		}
	}
	return false
}
