package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseGoodConfig(t *testing.T) {
	cfg, err := Parse([]byte(`
telegram:
  token: "123:abc"
  admins: [42]
  poll_timeout: 30s
  rate: {global_per_second: 25, per_chat_per_second: 1, per_group_per_minute: 20}
database: {path: /tmp/x.db}
fetch: {schedule: "@every 2m", timeout: 15s, max_body: 5MiB, concurrency: 4}
defaults: {language: uk, timezone: Europe/Kyiv}
retention: {articles: 7d, dedup_keys: 90d}
topics:
  - name: NATO
    aliases: ["NATO", "НАТО"]
feeds:
  - {id: rbc-uk, url: "https://www.rbc.ua/static/rss/all.ukr.rss.xml", lang: uk-UA, interval: 2m}
  - {id: pravda-en, url: "https://www.pravda.com.ua/eng/rss/", lang: EN}
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Fetch.MaxBody != 5<<20 || cfg.Fetch.Timeout.D() != 15*time.Second || cfg.Retention.Articles.D() != 7*24*time.Hour {
		t.Errorf("values: %+v %+v", cfg.Fetch, cfg.Retention)
	}
	if cfg.Feeds[0].Lang != "uk" || cfg.Feeds[1].Lang != "en" {
		t.Errorf("langs not normalized: %q %q", cfg.Feeds[0].Lang, cfg.Feeds[1].Lang)
	}
	// connect_timeout follows timeout: half of it, at most its 10s default.
	if cfg.Fetch.ConnectTimeout.D() != 7500*time.Millisecond || cfg.Delivery.MaxAlertsPerHour != 20 {
		t.Errorf("defaults lost: %+v", cfg)
	}
	if !cfg.IsAdmin(42) || cfg.IsAdmin(43) {
		t.Error("IsAdmin")
	}
}

func TestParseErrorsNameKeyAndLine(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "telegram:\n  tokn: x\n", []string{"line 2: telegram.tokn: unknown key"}},
		{"bad duration", "fetch:\n  timeout: 5 minutes\n", []string{`line 2: fetch.timeout: invalid duration "5 minutes"`}},
		{"bad size", "fetch:\n  max_body: lots\n", []string{`line 2: fetch.max_body: invalid size "lots"`}},
		{"bad cron", "fetch:\n  schedule: every now and then\n", []string{`line 2: fetch.schedule: invalid cron spec`}},
		{"bad int", "fetch:\n  concurrency: many\n", []string{`line 2: fetch.concurrency: "many" is not a valid whole number`}},
		{"scheme", "feeds:\n  - id: a\n    url: ftp://example.com/rss\n", []string{`line 3: feeds[0].url: URL "ftp://example.com/rss": scheme must be http or https`}},
		{"no scheme", "feeds:\n  - id: a\n    url: www.pravda.com.ua/rss/\n", []string{`line 3: feeds[0].url: URL "www.pravda.com.ua/rss/" has no scheme: write it as "https://www.pravda.com.ua/rss/"`}},
		{"host and port", "feeds:\n  - id: a\n    url: 127.0.0.1:8765/feed.xml\n", []string{`line 3: feeds[0].url: URL "127.0.0.1:8765/feed.xml" has no scheme`}},
		{"file url", "feeds:\n  - {id: a, url: \"file:///etc/passwd\"}\n", []string{`feeds[0].url: URL "file:///etc/passwd": scheme must be http or https`}},
		{"duplicate ids", "feeds:\n  - {id: a, url: \"https://a.example/rss\"}\n  - {id: a, url: \"https://b.example/rss\"}\n",
			[]string{`line 3: feeds[1].id: duplicate feed id "a" (also feeds[0])`}},
		{"language", "feeds:\n  - {id: a, url: \"https://a.example/rss\", lang: klingonese}\n", []string{`feeds[0].lang: unknown language tag "klingonese"`}},
		{"bot language", "defaults:\n  language: de\n", []string{`line 2: defaults.language: unknown language "de"`}},
		{"timezone", "defaults:\n  timezone: Mars/Olympus\n", []string{`defaults.timezone: unknown time zone`}},
		{"not yaml", "feeds: [\n", []string{"not valid YAML"}},
		{"two errors", "fetch:\n  timeout: x\n  concurrency: y\n", []string{"line 2: fetch.timeout", "line 3: fetch.concurrency"}},
		{"list expected", "feeds: hello\n", []string{"line 1: feeds: want a list"}},
		{"key twice", "fetch:\n  timeout: 5s\n  timeout: 6s\n", []string{"line 3: fetch.timeout: key given twice"}},
		{"admin by name", "telegram:\n  admins: [\"@someone\"]\n", []string{`line 2: telegram.admins[0]: "@someone" is not a valid whole number; admins are numeric Telegram user ids`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\n does not contain %q", err, w)
				}
			}
		})
	}
}

func TestEmptyFileIsDefaults(t *testing.T) {
	for _, in := range []string{"", "# nothing\n", "~\n"} {
		cfg, err := Parse([]byte(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if cfg.Fetch.Schedule != "@every 5m" {
			t.Errorf("%q: defaults not applied", in)
		}
	}
}

func TestTokenFromEnvAndNeverPrinted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("telegram: {token: file-token}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(TokenEnv, "123456:SECRET")
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Telegram.Token != "123456:SECRET" {
		t.Errorf("env override not applied")
	}
	for _, s := range []string{
		fmtAll(cfg), fmtAll(cfg.Telegram), fmtAll(*cfg),
	} {
		if strings.Contains(s, "SECRET") {
			t.Errorf("token printed: %s", s)
		}
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	cfg, err := Load("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n := cfg.Notes(); len(n) > 0 {
		t.Errorf("check-config notes on the example: %q", n)
	}
}

func TestWebhookChecks(t *testing.T) {
	_, err := Parse([]byte("telegram:\n  webhook:\n    public_url: http://bot.example.org/hook\n    secret_token: \"not a token!\"\n"))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"telegram.webhook.public_url: must be an https URL", "telegram.webhook.secret_token"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %q", err, want)
		}
	}
	if _, err := Parse([]byte("telegram:\n  webhook:\n    public_url: https://bot.example.org:9999/hook\n")); err == nil || !strings.Contains(err.Error(), "port 9999") {
		t.Errorf("port not checked: %v", err)
	}
	cfg, err := Parse([]byte("telegram:\n  webhook: {listen: \"127.0.0.1:8443\", public_url: \"https://bot.example.org/hook\", secret_token: s3cr3t_-}\n"))
	if err != nil || !cfg.Telegram.Webhook.Enabled() {
		t.Fatalf("%v %+v", err, cfg)
	}
	if s := fmtAll(cfg.Telegram.Webhook); strings.Contains(s, "s3cr3t") {
		t.Errorf("secret printed: %s", s)
	}
}

// TestQuotedNumbersAreNumbers: a newcomer who quotes an id or a count
// (admins: ["123456789"], concurrency: "4") means the number.
func TestQuotedNumbersAreNumbers(t *testing.T) {
	cfg, err := Parse([]byte("telegram:\n  admins: [\"123456789\", '42', 7]\nfetch:\n  concurrency: \"4\"\nfeeds:\n  - {id: a, url: \"https://a.example/rss\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Telegram.Admins; len(got) != 3 || got[0] != 123456789 || got[1] != 42 || got[2] != 7 {
		t.Errorf("admins = %v", got)
	}
	if cfg.Fetch.Concurrency != 4 {
		t.Errorf("concurrency = %d", cfg.Fetch.Concurrency)
	}
	if !cfg.IsAdmin(123456789) {
		t.Error("123456789 is not admin")
	}
}
