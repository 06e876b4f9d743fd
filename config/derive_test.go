package config

import (
	"strings"
	"testing"
	"time"
)

func TestDependentDefaultsFollow(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		yaml  string
		check func(c *Config) bool
	}{
		{"fetch:\n  timeout: 5s\n", func(c *Config) bool { return c.Fetch.ConnectTimeout.D() == 2500*time.Millisecond }},
		{"fetch:\n  timeout: 1m\n", func(c *Config) bool { return c.Fetch.ConnectTimeout.D() == 10*time.Second }},
		{"fetch:\n  connect_timeout: 30s\n", func(c *Config) bool { return c.Fetch.Timeout.D() == time.Minute }},
		{"fetch:\n  connect_timeout: 3s\n", func(c *Config) bool { return c.Fetch.Timeout.D() == 20*time.Second }},
		{"retention:\n  articles: 365d\n", func(c *Config) bool { return c.Retention.DedupKeys.D() == 365*day }},
		{"retention:\n  dedup_keys: 14d\n", func(c *Config) bool { return c.Retention.Articles.D() == 14*day }},
		{"telegram:\n  webhook:\n    public_url: https://bot.example.org/hook\n", func(c *Config) bool {
			return c.Telegram.Webhook.Listen == DefaultWebhookListen
		}},
	}
	for _, tt := range tests {
		c, err := Parse([]byte(tt.yaml))
		if err != nil {
			t.Errorf("%s: %v", tt.yaml, err)
			continue
		}
		if !tt.check(c) {
			t.Errorf("%s: dependent default did not follow: %+v %+v", tt.yaml, c.Fetch, c.Retention)
		}
	}
	// What the operator wrote is kept, and a contradiction still reported.
	_, err := Parse([]byte("fetch:\n  timeout: 5s\n  connect_timeout: 10s\n"))
	if err == nil || !strings.Contains(err.Error(), "at most fetch.timeout (5s)") {
		t.Errorf("contradiction: %v", err)
	}
}

func TestWebhookSecretDerived(t *testing.T) {
	a := Telegram{Token: "123:abc"}
	b := Telegram{Token: "123:abd"}
	if a.WebhookSecret() == b.WebhookSecret() || a.WebhookSecret() != a.WebhookSecret() {
		t.Error("secret not derived from the token")
	}
	if s := a.WebhookSecret(); !secretTokenPattern.MatchString(s) || strings.Contains(s, "abc") {
		t.Errorf("bad secret %q", s)
	}
	a.Webhook.SecretToken = "mine"
	if a.WebhookSecret() != "mine" {
		t.Error("written secret not used")
	}
}
