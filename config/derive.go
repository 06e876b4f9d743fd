package config

import (
	"crypto/sha256"
	"encoding/hex"
)

// Defaults that depend on another key follow it when the file does not set
// them: an operator who writes only `fetch.timeout: 5s` means the connect
// timeout to fit inside it, not an error about a key they never wrote.
//
// Each rule applies only to a key absent from the file; a value the operator
// did write is kept and checked as written.

// DefaultWebhookListen is where the webhook server listens when public_url is
// set alone: behind a reverse proxy on the same host (Telegram only posts to
// https, which the proxy terminates).
const DefaultWebhookListen = "127.0.0.1:8443"

// deriveDefaults fills the dependent defaults of the keys absent from the file
// (given is the set of key paths the file wrote).
func deriveDefaults(c *Config, given lines) {
	set := func(path string) bool { _, ok := given[path]; return ok }
	def := Default()

	// fetch.connect_timeout <= fetch.timeout: the connect timeout is half the
	// whole request's, at most its default; a long connect timeout alone
	// stretches the request timeout to twice it.
	switch {
	case set("fetch.timeout") && !set("fetch.connect_timeout"):
		c.Fetch.ConnectTimeout = Duration(min(def.Fetch.ConnectTimeout.D(), c.Fetch.Timeout.D()/2))
	case set("fetch.connect_timeout") && !set("fetch.timeout"):
		c.Fetch.Timeout = Duration(max(def.Fetch.Timeout.D(), 2*c.Fetch.ConnectTimeout.D()))
	}

	// retention.dedup_keys >= retention.articles: identities are kept at
	// least as long as the articles they identify.
	switch {
	case set("retention.articles") && !set("retention.dedup_keys"):
		c.Retention.DedupKeys = Duration(max(def.Retention.DedupKeys.D(), c.Retention.Articles.D()))
	case set("retention.dedup_keys") && !set("retention.articles"):
		c.Retention.Articles = Duration(min(def.Retention.Articles.D(), c.Retention.DedupKeys.D()))
	}

	// A webhook's public_url alone (or with the example file's listen: ""): listen where a reverse proxy on this host
	// forwards to. The secret token, when not written, is derived from the
	// bot token (see Telegram.WebhookSecret).
	if c.Telegram.Webhook.Enabled() && c.Telegram.Webhook.Listen == "" {
		c.Telegram.Webhook.Listen = DefaultWebhookListen
	}
}

// WebhookSecret is the secret Telegram sends back on every webhook request:
// telegram.webhook.secret_token, or when that is empty one derived from the
// bot token, so it stays the same across restarts and never shows the token.
func (t Telegram) WebhookSecret() string {
	if t.Webhook.SecretToken != "" {
		return string(t.Webhook.SecretToken)
	}
	sum := sha256.Sum256([]byte("newsalert webhook secret\x00" + string(t.Token)))
	return hex.EncodeToString(sum[:20])
}
