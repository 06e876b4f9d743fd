// Package config reads and checks newsalert's YAML configuration file.
//
// It is the one source of truth an operator edits: Load returns either a
// Config whose every value has been checked, or an error listing each problem
// with its key and line. It does not know how the values are used.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"
)

// TokenEnv, when set, overrides telegram.token, so the secret can stay out of
// the file.
const TokenEnv = "NEWSALERT_TELEGRAM_TOKEN"

// Config is the whole configuration file.
type Config struct {
	Telegram      Telegram      `yaml:"telegram"`
	Database      Database      `yaml:"database"`
	Fetch         Fetch         `yaml:"fetch"`
	HTTP          HTTP          `yaml:"http"`
	Defaults      Defaults      `yaml:"defaults"`
	Delivery      Delivery      `yaml:"delivery"`
	Subscriptions Subscriptions `yaml:"subscriptions"`
	Retention     Retention     `yaml:"retention"`
	Log           Log           `yaml:"log"`
	Topics        []Topic       `yaml:"topics"`
	Feeds         []Feed        `yaml:"feeds"`

	// Editions (issue 8): per-outlet pairing settings, keyed by the name
	// feeds give in their edition key; and the optional translator.
	Editions  map[string]Edition `yaml:"editions"`
	Translate Translate          `yaml:"translate"`

	// Path is the file the config was loaded from ("" when built in code).
	Path string `yaml:"-"`
}

// Telegram is how the bot reaches Telegram and who administers it.
type Telegram struct {
	Token       Secret   `yaml:"token"`
	APIURL      string   `yaml:"api_url"`
	Admins      []int64  `yaml:"admins"` // Telegram user ids; empty: nobody is admin
	PollTimeout Duration `yaml:"poll_timeout"`
	Rate        Rate     `yaml:"rate"`
	Webhook     Webhook  `yaml:"webhook"`
	// NotifyAfterFailures: a feed failing this many polls in a row gets one
	// message to the admins, and its recovery one more. 0: never.
	NotifyAfterFailures int `yaml:"notify_after_failures"`
}

// Webhook, when PublicURL is set, makes Telegram push updates to us instead
// of the bot long-polling getUpdates.
type Webhook struct {
	Listen      string `yaml:"listen"`       // address our HTTP server listens on, e.g. 127.0.0.1:8443
	PublicURL   string `yaml:"public_url"`   // https URL Telegram posts to (your reverse proxy)
	SecretToken Secret `yaml:"secret_token"` // checked on every request (X-Telegram-Bot-Api-Secret-Token)
}

// Enabled reports whether updates come by webhook.
func (w Webhook) Enabled() bool { return w.PublicURL != "" }

// Rate is Telegram's broadcast limits, which the delivery queue keeps under.
type Rate struct {
	GlobalPerSecond   int `yaml:"global_per_second"`
	PerChatPerSecond  int `yaml:"per_chat_per_second"`
	PerGroupPerMinute int `yaml:"per_group_per_minute"`
}

// Database is where the SQLite file lives.
type Database struct {
	Path string `yaml:"path"`
}

// Fetch is how feeds are polled.
type Fetch struct {
	Schedule             string   `yaml:"schedule"` // cron spec or "@every 5m"
	Timeout              Duration `yaml:"timeout"`
	ConnectTimeout       Duration `yaml:"connect_timeout"`
	MaxBody              Size     `yaml:"max_body"`
	Concurrency          int      `yaml:"concurrency"`
	MaxRedirects         int      `yaml:"max_redirects"`
	AllowPrivateNetworks bool     `yaml:"allow_private_networks"`
	UserAgent            string   `yaml:"user_agent"`
}

// HTTP is the operator's endpoint for health and metrics ("" turns it off).
type HTTP struct {
	Listen string `yaml:"listen"`
}

// Defaults apply to a chat until it says otherwise.
type Defaults struct {
	Language string `yaml:"language"`
	Timezone string `yaml:"timezone"`
}

// Delivery shapes how alerts reach a chat.
type Delivery struct {
	// MaxAlertsPerHour caps alerts to one chat in an hour; the rest go out as a
	// digest at the end of the hour. 0 turns the cap off.
	MaxAlertsPerHour int `yaml:"max_alerts_per_hour"`
	// EditionWait is how long an alert in a language the chat prefers less
	// may wait for the chat's own edition of the story. 0: no wait.
	EditionWait Duration `yaml:"edition_wait"`
}

// Subscriptions are the per-chat limits.
type Subscriptions struct {
	MaxPerChat  int `yaml:"max_per_chat"`
	MaxQueryLen int `yaml:"max_query_length"`
}

// Retention is how long stored data is kept.
type Retention struct {
	Articles   Duration `yaml:"articles"`    // articles are pruned after this age
	DedupKeys  Duration `yaml:"dedup_keys"`  // identities remembered longer, so old items never come back as new
	SentAlerts Duration `yaml:"sent_alerts"` // delivered alerts kept for statistics
}

// Log is the log format and level.
type Log struct {
	Format string `yaml:"format"` // text or json
	Level  string `yaml:"level"`  // debug, info, warn, error
}

// Topic is a curated concept across languages: subscribing to its name or
// any alias subscribes to all of them.
type Topic struct {
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
}

// Feed is one news feed.
type Feed struct {
	ID           string   `yaml:"id"`
	Name         string   `yaml:"name"`
	URL          string   `yaml:"url"`
	Lang         string   `yaml:"lang"`     // language of its articles; the feed's own when empty
	Interval     Duration `yaml:"interval"` // 0: the global schedule
	MatchContent bool     `yaml:"match_content"`
	Paused       bool     `yaml:"paused"`
	// Edition names the outlet this feed is one language edition of; the
	// feeds of one outlet have different languages.
	Edition string `yaml:"edition"`
}

// Edition is how the editions of one outlet are paired into stories.
type Edition struct {
	// Key is a regular expression over the canonical link with exactly one
	// capture group: two articles of the outlet with the same captured key
	// are editions of one story. Empty: pairing by content only.
	Key string `yaml:"key"`
	// Window: content pairing only looks at articles of the outlet
	// published this close to each other. Default 12h.
	Window Duration `yaml:"window"`
	// Content: pair by content the articles the key does not pair (default
	// true; false: key only).
	Content *bool `yaml:"content"`
}

// ContentPairing reports whether articles the key leaves unpaired are paired
// by content.
func (e Edition) ContentPairing() bool { return e.Content == nil || *e.Content }

// Translate is the optional machine translator for stories with no edition
// in a chat's language.
type Translate struct {
	Provider string   `yaml:"provider"` // "" (off), libretranslate or deepl
	URL      string   `yaml:"url"`      // e.g. http://127.0.0.1:5000; deepl: https://api-free.deepl.com when empty
	APIKey   Secret   `yaml:"api_key"`
	Timeout  Duration `yaml:"timeout"` // default 10s
}

// Enabled reports whether a translator is configured.
func (t Translate) Enabled() bool { return t.Provider != "" }

// Default is the configuration an empty file gives.
func Default() Config {
	return Config{
		Telegram: Telegram{
			APIURL:      "https://api.telegram.org",
			PollTimeout: Duration(50 * time.Second),
			Rate:        Rate{GlobalPerSecond: 30, PerChatPerSecond: 1, PerGroupPerMinute: 20},

			NotifyAfterFailures: 5,
		},
		Database: Database{Path: "newsalert.db"},
		Fetch: Fetch{
			Schedule:       "@every 5m",
			Timeout:        Duration(20 * time.Second),
			ConnectTimeout: Duration(10 * time.Second),
			MaxBody:        10 << 20,
			Concurrency:    8,
			MaxRedirects:   5,
			UserAgent:      "newsalert/1.0 (+https://github.com/newsalert/newsalert)",
		},
		Defaults:      Defaults{Language: "en", Timezone: "Europe/Kyiv"},
		Delivery:      Delivery{MaxAlertsPerHour: 20, EditionWait: Duration(3 * time.Minute)},
		Subscriptions: Subscriptions{MaxPerChat: 50, MaxQueryLen: 200},
		Retention: Retention{
			Articles:   Duration(30 * 24 * time.Hour),
			DedupKeys:  Duration(180 * 24 * time.Hour),
			SentAlerts: Duration(30 * 24 * time.Hour),
		},
		Log:       Log{Format: "text", Level: "info"},
		Translate: Translate{Timeout: Duration(10 * time.Second)},
	}
}

// Load reads, decodes and checks the file at path, then applies the
// environment override of the token.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		// The first thing a newcomer runs, before they made one.
		return nil, missingFileError{path: path, err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return loadBytes(path, data)
}

// Location is the default time zone, already checked by Parse.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Defaults.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// IsAdmin reports whether the Telegram user id is one of the admins.
func (c *Config) IsAdmin(userID int64) bool {
	for _, id := range c.Telegram.Admins {
		if id == userID {
			return true
		}
	}
	return false
}

// Secret is a string that never prints.
type Secret string

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString keeps %#v from printing the secret too.
func (s Secret) GoString() string { return `config.Secret("` + s.String() + `")` }

// Problem is one thing wrong in a config file.
type Problem struct {
	Line int    // 0 when unknown
	Key  string // e.g. "feeds[2].url"
	Msg  string
}

func (p Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("line %d: %s: %s", p.Line, p.Key, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.Key, p.Msg)
}

// Errors is every problem found in one file.
type Errors []Problem

func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, p := range e {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}

// FileErrors is Errors with the file's name, written the way compilers do:
// one "file:line: key: problem" per line.
type FileErrors struct {
	Path   string
	Errors Errors
}

func (e FileErrors) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, p := range e.Errors {
		if p.Line > 0 {
			msgs[i] = fmt.Sprintf("%s:%d: %s: %s", e.Path, p.Line, p.Key, p.Msg)
		} else {
			msgs[i] = fmt.Sprintf("%s: %s: %s", e.Path, p.Key, p.Msg)
		}
	}
	return strings.Join(msgs, "\n")
}

func (e FileErrors) Unwrap() error { return e.Errors }

// missingFileError says how to make the file; errors.Is(err, fs.ErrNotExist) holds.
type missingFileError struct {
	path string
	err  error
}

func (e missingFileError) Error() string {
	return fmt.Sprintf("config: %s does not exist (start from the example: cp config.example.yaml %s)", e.path, e.path)
}

func (e missingFileError) Unwrap() error { return e.err }
