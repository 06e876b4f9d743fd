package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/config"
	"github.com/newsalert/newsalert/feeds"
)

// cliEnv is a config file and a database path in a temp dir.
type cliEnv struct {
	dir, config, db string
}

func newCLIEnv(t *testing.T, feedsYAML string) cliEnv {
	t.Helper()
	dir := t.TempDir()
	e := cliEnv{dir: dir, config: filepath.Join(dir, "config.yaml"), db: filepath.Join(dir, "bot.db")}
	body := fmt.Sprintf("# test bot\ndatabase:\n  path: %s\nfetch:\n  allow_private_networks: true # feeds on 127.0.0.1\n%s", e.db, feedsYAML)
	if err := os.WriteFile(e.config, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e cliEnv) feeds(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := feedsCmd(context.Background(), append(args[:1:1], append([]string{"-config", e.config}, args[1:]...)...), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

func (e cliEnv) cfg(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load(e.config)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

const cliRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Тестові новини</title><language>uk-UA</language>
<item><title>Перша новина</title><link>https://news.example/1</link><guid>1</guid></item>
<item><title>Друга новина</title><link>https://news.example/2</link><guid>2</guid></item>
</channel></rss>`

func cliFeedServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/uk.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, cliRSS)
		case "/nolang.xml":
			fmt.Fprint(w, strings.Replace(cliRSS, "<language>uk-UA</language>", "", 1))
		case "/page.html":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<!doctype html><html><body>not a feed</body></html>")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFeedsAddFetchesFirst(t *testing.T) {
	srv := cliFeedServer(t)
	e := newCLIEnv(t, "feeds: [] # none yet\n")
	before, _ := os.ReadFile(e.config)

	for _, tt := range []struct{ url, want string }{
		{srv.URL + "/page.html", "not a feed"},
		{srv.URL + "/missing.xml", "HTTP 404"},
		{srv.URL + "/nolang.xml", "-lang"},
		{"ftp://x.example/feed", "scheme"},
	} {
		_, _, err := e.feeds(t, "add", tt.url)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("add %s: %v, want %q", tt.url, err, tt.want)
		}
	}
	if after, _ := os.ReadFile(e.config); !bytes.Equal(before, after) {
		t.Errorf("refused adds changed the file:\n%s", after)
	}

	out, _, err := e.feeds(t, "add", srv.URL+"/uk.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "added feed") {
		t.Errorf("out: %s", out)
	}
	// Flags after the URL; the language given wins over none declared.
	if _, _, err := e.feeds(t, "add", srv.URL+"/nolang.xml", "-lang", "ru", "-id", "ru-news", "-name", "Ru News"); err != nil {
		t.Fatal(err)
	}
	cfg := e.cfg(t)
	want := []config.Feed{
		{ID: "127.0.0.1", Name: "Тестові новини", URL: srv.URL + "/uk.xml", Lang: "uk"},
		{ID: "ru-news", Name: "Ru News", URL: srv.URL + "/nolang.xml", Lang: "ru"},
	}
	if len(cfg.Feeds) != 2 || cfg.Feeds[0] != want[0] || cfg.Feeds[1] != want[1] {
		t.Errorf("feeds %+v\nwant %+v", cfg.Feeds, want)
	}
	if b, _ := os.ReadFile(e.config); !strings.Contains(string(b), "# feeds on 127.0.0.1") || !strings.Contains(string(b), "# test bot") {
		t.Errorf("comments lost:\n%s", b)
	}
	if _, _, err := e.feeds(t, "add", srv.URL+"/uk.xml"); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("second add: %v", err)
	}
}

func TestFeedsAddHonoursPrivateNetworks(t *testing.T) {
	srv := cliFeedServer(t)
	e := newCLIEnv(t, "")
	b, _ := os.ReadFile(e.config)
	os.WriteFile(e.config, bytes.Replace(b, []byte("allow_private_networks: true"), []byte("allow_private_networks: false"), 1), 0o600)
	_, _, err := e.feeds(t, "add", srv.URL+"/uk.xml")
	if err == nil || !strings.Contains(err.Error(), "private") {
		t.Errorf("add of a loopback feed: %v", err)
	}
}

func TestFeedsListPauseRemove(t *testing.T) {
	e := newCLIEnv(t, "feeds:\n  - id: a\n    url: https://a.example/rss\n    lang: uk\n  - id: b\n    url: https://b.example/rss\n")
	out, _, err := e.feeds(t, "list")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "no database") || !strings.Contains(out, "https://b.example/rss") {
		t.Errorf("list without db:\n%s", out)
	}
	if _, _, err := e.feeds(t, "pause", "a"); err != nil {
		t.Fatal(err)
	}
	if !e.cfg(t).Feeds[0].Paused {
		t.Error("not paused")
	}
	if _, _, err := e.feeds(t, "resume", "a"); err != nil || e.cfg(t).Feeds[0].Paused {
		t.Errorf("resume: %v", err)
	}
	if _, _, err := e.feeds(t, "remove", "b"); err != nil || len(e.cfg(t).Feeds) != 1 {
		t.Errorf("remove: %v", err)
	}
	if _, _, err := e.feeds(t, "remove", "b"); !errors.Is(err, config.ErrNoSuchFeed) {
		t.Errorf("remove again: %v", err)
	}

	// With a database, the list shows health.
	seedFeedState(t, e.db)
	out, _, err = e.feeds(t, "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LAST SUCCESS", "failing", "last error:", "HTTP 503"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
}

func TestFeedsUsage(t *testing.T) {
	e := newCLIEnv(t, "")
	for _, args := range [][]string{{}, {"frobnicate"}, {"add"}, {"remove", "a", "b"}} {
		var out, errb bytes.Buffer
		if err := feedsCmd(context.Background(), args, strings.NewReader(""), &out, &errb); !errors.Is(err, errUsage) {
			t.Errorf("%q: %v, want errUsage", args, err)
		}
	}
	if _, _, err := e.feeds(t, "list", "-h"); err != nil {
		t.Errorf("-h: %v", err)
	}
}

func TestFeedsOPML(t *testing.T) {
	e := newCLIEnv(t, "feeds:\n  - {id: a, name: Alpha, url: \"https://a.example/rss\", lang: uk}\n")
	out, _, err := e.feeds(t, "export")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `xmlUrl="https://a.example/rss"`) || !strings.Contains(out, `language="uk"`) {
		t.Errorf("export:\n%s", out)
	}
	opml := filepath.Join(e.dir, "in.opml")
	os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="Folder">
		<outline type="rss" text="Alpha" xmlUrl="https://a.example/rss"/>
		<outline type="rss" text="Beta News" xmlUrl="https://b.example/rss" language="en"/>
		<outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>
	</outline></body></opml>`), 0o600)
	out, _, err = e.feeds(t, "import", opml)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "1 feed(s) added") || strings.Count(out, "skipped") != 2 {
		t.Errorf("import:\n%s", out)
	}
	cfg := e.cfg(t)
	if len(cfg.Feeds) != 2 || cfg.Feeds[1].ID != "beta-news" || cfg.Feeds[1].Lang != "en" {
		t.Errorf("feeds %+v", cfg.Feeds)
	}
}

func TestAddCheckedFeedErrors(t *testing.T) {
	srv := cliFeedServer(t)
	e := newCLIEnv(t, "feeds:\n  - {id: a, url: \"https://a.example/rss\"}\n")
	cfg := e.cfg(t)
	ctx := context.Background()
	var fe *feeds.ProbeError
	for _, tt := range []struct {
		f    config.Feed
		is   error
		as   any
		name string
	}{
		{name: "url", f: config.Feed{URL: "gopher://x"}, is: config.ErrFeedBadURL},
		{name: "lang", f: config.Feed{URL: srv.URL + "/uk.xml", Lang: "elvish!"}, is: config.ErrFeedBadLang},
		{name: "id", f: config.Feed{URL: srv.URL + "/uk.xml", ID: "No Spaces"}, is: config.ErrFeedBadID},
		{name: "exists", f: config.Feed{URL: "https://a.example/rss"}, is: config.ErrFeedExists},
		{name: "id exists", f: config.Feed{URL: srv.URL + "/uk.xml", ID: "a"}, is: config.ErrFeedExists},
		{name: "no lang", f: config.Feed{URL: srv.URL + "/nolang.xml"}, is: config.ErrFeedNoLanguage},
		{name: "fetch", f: config.Feed{URL: srv.URL + "/page.html"}, as: &fe},
	} {
		_, _, err := addCheckedFeed(ctx, cfg, tt.f)
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.is)
		}
		if tt.as != nil && (!errors.As(err, &fe) || !strings.Contains(fe.Reason, "not a feed")) {
			t.Errorf("%s: %v, want a feeds.ProbeError", tt.name, err)
		}
	}
	f, parsed, err := addCheckedFeed(ctx, cfg, config.Feed{URL: srv.URL + "/uk.xml", Lang: "uk-UA"})
	if err != nil || f.Lang != "uk" || parsed.Items != 2 || f.Name != "Тестові новини" {
		t.Errorf("add: %v %+v", err, f)
	}
}
