package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/config"
)

// everyKey is each settable key with values a newcomer would write, each
// tried in a file of its own. {api} and {token} are the fake Telegram's.
var everyKey = map[string][]string{
	"telegram.token":                     {"{token}"},
	"telegram.api_url":                   {"{api}"},
	"telegram.admins":                    {"[123456789]", "[123456789, 987654321]"},
	"telegram.poll_timeout":              {"30s", "1m", "10m"},
	"telegram.rate.global_per_second":    {"10", "1", "100"},
	"telegram.rate.per_chat_per_second":  {"2", "30"},
	"telegram.rate.per_group_per_minute": {"10", "60"},
	"telegram.notify_after_failures":     {"0", "3", "100"},
	"telegram.webhook.listen":            {"127.0.0.1:8443", `":8443"`},
	"telegram.webhook.public_url":        {"https://bot.example.org/telegram", "https://bot.example.org:8443/"},
	"telegram.webhook.secret_token":      {"my-secret_42"},
	"database.path":                      {"bot.db", "data.sqlite"},
	"fetch.schedule":                     {`"*/10 * * * *"`, "\"@hourly\"", `"@every 1m"`, `"@every 30m"`},
	"fetch.timeout":                      {"5s", "1s", "2m"},
	"fetch.connect_timeout":              {"3s", "30s", "1m"},
	"fetch.max_body":                     {"1MiB", "50MiB", "512KiB", "100MB"},
	"fetch.concurrency":                  {"1", "32"},
	"fetch.max_redirects":                {"0", "10"},
	"fetch.allow_private_networks":       {"true"},
	"fetch.user_agent":                   {`"mybot/1.0 (+mailto:me@example.org)"`},
	"http.listen":                        {"127.0.0.1:8080", `":9090"`},
	"defaults.language":                  {"uk", "ru"},
	"defaults.timezone":                  {"UTC", "America/New_York", "Europe/Warsaw"},
	"delivery.max_alerts_per_hour":       {"0", "5", "1000"},
	"subscriptions.max_per_chat":         {"1", "500"},
	"subscriptions.max_query_length":     {"50", "1000"},
	"retention.articles":                 {"7d", "1d", "365d", "2h"},
	"retention.dedup_keys":               {"14d", "1d", "3650d"},
	"retention.sent_alerts":              {"7d", "1h", "365d"},
	"log.format":                         {"json"},
	"log.level":                          {"debug", "warn", "error"},
	"topics":                             {"[]"},
	"topics[].name":                      {"\n  - name: Climate"},
	"topics[].aliases":                   {"\n  - name: Climate\n    aliases: [climate, клімат, климат]"},
	"feeds":                              {"[]"},
	"feeds[].id":                         {"\n  - id: news\n    url: https://news.example.org/rss"},
	"feeds[].url":                        {"\n  - id: news\n    url: http://news.example.org/feed.xml"},
	"feeds[].name":                       {"\n  - id: news\n    name: My News\n    url: https://news.example.org/rss"},
	"feeds[].lang":                       {"\n  - id: news\n    url: https://news.example.org/rss\n    lang: uk-UA"},
	"feeds[].interval":                   {"\n  - id: news\n    url: https://news.example.org/rss\n    interval: 30s", "\n  - {id: news, url: \"https://news.example.org/rss\", interval: 1h}"},
	"feeds[].match_content":              {"\n  - id: news\n    url: https://news.example.org/rss\n    match_content: true"},
	"feeds[].paused":                     {"\n  - id: news\n    url: https://news.example.org/rss\n    paused: true"},

	// Editions of an outlet (issue 8).
	"delivery.edition_wait": {"0", "90s", "5m"},
	"feeds[].edition": {"\n  - {id: rbc-uk, url: \"https://www.rbc.ua/static/rss/all.ukr.rss.xml\", lang: uk, edition: rbc}" +
		"\n  - {id: rbc-ru, url: \"https://www.rbc.ua/static/rss/all.rus.rss.xml\", lang: ru, edition: rbc}"},
	"editions":           {"{}"},
	"translate.provider": {`""`, "libretranslate\n  url: http://127.0.0.1:5000"},
	"translate.url":      {"http://127.0.0.1:5000"},
	"translate.api_key":  {`""`, "secret-key"},
	"translate.timeout":  {"3s", "10s"},
}

// configKeys lists every key of config.Config ("feeds[].url" for a field of
// a list's items), so a new key cannot miss the table above.
func configKeys(t reflect.Type, prefix string) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		key := prefix + tag
		ft := f.Type
		switch {
		case ft.Kind() == reflect.Struct && ft.PkgPath() == t.PkgPath() && ft.NumField() > 0 && ft.Name() != "Duration":
			out = append(out, configKeys(ft, key+".")...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			out = append(out, key)
			out = append(out, configKeys(ft.Elem(), key+"[].")...)
		default:
			out = append(out, key)
		}
	}
	return out
}

// keyYAML writes one key of a dotted path as a nested YAML document.
func keyYAML(key, value string) string {
	key = strings.TrimSuffix(strings.Split(key, "[]")[0], ".")
	parts := strings.Split(key, ".")
	var b strings.Builder
	for i, p := range parts {
		b.WriteString(strings.Repeat("  ", i) + p + ":")
		if i < len(parts)-1 {
			b.WriteString("\n")
		}
	}
	if strings.HasPrefix(value, "\n") { // a list of items, indented under the key
		value = strings.ReplaceAll(value, "\n", "\n"+strings.Repeat("  ", len(parts)-1))
		return b.String() + value + "\n"
	}
	return b.String() + " " + value + "\n"
}

func TestEveryConfigKeyOnItsOwnStarts(t *testing.T) {
	var missing []string
	for _, k := range configKeys(reflect.TypeOf(config.Config{}), "") {
		if _, ok := everyKey[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("keys without a case in everyKey: %s", strings.Join(missing, ", "))
	}
	tg := telegramtest.New(t, telegramtest.Options{BotUsername: "newsalert_bot"})
	keys := make([]string, 0, len(everyKey))
	for k := range everyKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		for _, v := range everyKey[key] {
			v = strings.NewReplacer("{api}", tg.URL(), "{token}", tg.Token()).Replace(v)
			t.Run(key+"="+strings.TrimSpace(v), func(t *testing.T) {
				startsWith(t, tg, key, keyYAML(key, v))
			})
		}
	}
}

// startsWith checks a config file the way an operator meets it: check-config
// says OK, then the bot opens everything run, poll and feeds open.
func startsWith(t *testing.T, tg *telegramtest.Server, key, text string) {
	dir := t.TempDir()
	t.Chdir(dir) // database.path is relative to where the operator runs it
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	token := tg.Token()
	if key == "telegram.token" {
		token = ""
	}
	t.Setenv(config.TokenEnv, token)
	var out, errOut strings.Builder
	if err := checkConfig([]string{"-config", path}, &out, &errOut); err != nil {
		t.Fatalf("check-config of\n%s: %v\n%s", text, err, errOut.String())
	}
	cfg, err := loadConfig(path, &errOut)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, errOut.String())
	}
	cfg.Telegram.APIURL = tg.URL() // the file's own api_url, when set, is the fake's too
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer m.Close()
	ctx := context.Background()
	if err := m.Open(ctx); err != nil {
		t.Fatalf("open with\n%s: %v", text, err)
	}
	if err := m.OpenBot(ctx); err != nil {
		t.Fatalf("open the bot with\n%s: %v", text, err)
	}
	var list strings.Builder
	if err := feedsCmd(ctx, []string{"list", "-config", path}, strings.NewReader(""), &list, &errOut); err != nil {
		t.Fatalf("feeds list: %v\n%s", err, errOut.String())
	}
	_ = fmt.Sprint()
}
