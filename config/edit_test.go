package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(body), 0o640); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const commented = `# newsalert config: edited by hand and by /addfeed
telegram:
  admins: [42] # Olena
  poll_timeout: 30s

# Feeds, Ukrainian first
feeds:
  # the main one
  - id: rbc-uk # RBC
    url: "https://www.rbc.ua/static/rss/all.ukr.rss.xml"
    lang: uk
  - id: pravda-en
    url: https://www.pravda.com.ua/eng/rss/
# end of feeds
`

func TestAddFeedKeepsComments(t *testing.T) {
	path := writeConfig(t, commented)
	err := AddFeed(path, Feed{ID: "new-en", Name: "New one", URL: "https://example.com/rss", Lang: "en", Interval: Duration(2 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	got := readFile(t, path)
	for _, want := range []string{
		"# newsalert config: edited by hand and by /addfeed", "# Olena", "# Feeds, Ukrainian first",
		"# the main one", "# RBC", "# end of feeds", `"https://www.rbc.ua/static/rss/all.ukr.rss.xml"`,
		"poll_timeout: 30s",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lost %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "telegram:") > strings.Index(got, "feeds:") {
		t.Errorf("key order changed:\n%s", got)
	}
	cfg, err := Parse([]byte(got))
	if err != nil {
		t.Fatalf("edited file invalid: %v\n%s", err, got)
	}
	if len(cfg.Feeds) != 3 || cfg.Feeds[2].ID != "new-en" || cfg.Feeds[2].Name != "New one" ||
		cfg.Feeds[2].Interval.D() != 2*time.Minute || cfg.Feeds[2].Lang != "en" {
		t.Errorf("feeds: %+v", cfg.Feeds)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", info.Mode().Perm())
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp*")); len(m) > 0 {
		t.Errorf("temp files left: %v", m)
	}
}

func TestRefusedEditLeavesBytes(t *testing.T) {
	path := writeConfig(t, commented)
	before := readFile(t, path)
	tests := []struct {
		name string
		do   func() error
		is   error
	}{
		{"duplicate id", func() error { return AddFeed(path, Feed{ID: "rbc-uk", URL: "https://x.example/rss"}) }, ErrFeedExists},
		{"duplicate url", func() error {
			return AddFeed(path, Feed{ID: "other", URL: "https://www.pravda.com.ua/eng/rss/"})
		}, ErrFeedExists},
		{"bad id", func() error { return AddFeed(path, Feed{ID: "Bad ID!", URL: "https://x.example/rss"}) }, nil},
		{"bad url", func() error { return AddFeed(path, Feed{ID: "x", URL: "file:///etc/passwd"}) }, nil},
		{"bad lang", func() error { return AddFeed(path, Feed{ID: "x", URL: "https://x.example/rss", Lang: "klingonese"}) }, nil},
		{"remove unknown", func() error { return RemoveFeed(path, "nope") }, ErrNoSuchFeed},
		{"pause unknown", func() error { return SetFeedPaused(path, "nope", true) }, ErrNoSuchFeed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err %v, want %v", err, tt.is)
			}
			if got := readFile(t, path); got != before {
				t.Errorf("file changed:\n%s", got)
			}
		})
	}
}

func TestEditOfInvalidFileRefused(t *testing.T) {
	body := "feeds:\n  - id: a\n    url: ftp://x\n"
	path := writeConfig(t, body)
	if err := AddFeed(path, Feed{ID: "b", URL: "https://b.example/rss"}); err == nil {
		t.Fatal("edit of an invalid file accepted")
	}
	if readFile(t, path) != body {
		t.Error("file changed")
	}
}

func TestEditShapes(t *testing.T) {
	tests := []struct{ name, body string }{
		{"flow list", "telegram: {admins: [1]}\nfeeds: [{id: a, url: \"https://a.example/rss\"}] # two more soon\n"},
		{"empty flow list", "feeds: []\n"},
		{"empty key", "# my feeds\nfeeds:\n"},
		{"missing key", "log: {level: debug}\n"},
		{"empty file", ""},
		{"only comments", "# nothing yet\n"},
		{"four spaces", "telegram:\n    admins:\n        - 1\nfeeds:\n    - id: a\n      url: https://a.example/rss\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.body)
			if err := AddFeed(path, Feed{ID: "b", URL: "https://b.example/rss", Lang: "uk"}); err != nil {
				t.Fatal(err)
			}
			got := readFile(t, path)
			cfg, err := Parse([]byte(got))
			if err != nil {
				t.Fatalf("%v\n%s", err, got)
			}
			last := cfg.Feeds[len(cfg.Feeds)-1]
			if last.ID != "b" || last.URL != "https://b.example/rss" || last.Lang != "uk" {
				t.Errorf("added %+v\n%s", last, got)
			}
			if strings.HasPrefix(tt.body, "#") && !strings.Contains(got, strings.SplitN(tt.body, "\n", 2)[0]) {
				t.Errorf("comment lost:\n%s", got)
			}
			if strings.Contains(tt.body, "# two more soon") && !strings.Contains(got, "# two more soon") {
				t.Errorf("comment lost:\n%s", got)
			}
			if err := SetFeedPaused(path, "b", true); err != nil {
				t.Fatal(err)
			}
			if cfg, _ := Parse([]byte(readFile(t, path))); !cfg.Feeds[len(cfg.Feeds)-1].Paused {
				t.Error("not paused")
			}
			if err := RemoveFeed(path, "b"); err != nil {
				t.Fatal(err)
			}
			cfg, err = Parse([]byte(readFile(t, path)))
			if err != nil || len(cfg.Feeds) > 0 && cfg.Feeds[len(cfg.Feeds)-1].ID == "b" {
				t.Errorf("remove: %v %+v", err, cfg)
			}
		})
	}
}

func TestSetFeedPaused(t *testing.T) {
	path := writeConfig(t, "feeds:\n  - id: a\n    url: https://a.example/rss\n    paused: true # broken since May\n")
	if err := SetFeedPaused(path, "a", false); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, path)
	if !strings.Contains(got, "paused: false # broken since May") {
		t.Errorf("got:\n%s", got)
	}
	if err := SetFeedPaused(path, "a", true); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := Parse([]byte(readFile(t, path))); !cfg.Feeds[0].Paused {
		t.Error("not paused")
	}
}

func TestConcurrentEditsSerialized(t *testing.T) {
	path := writeConfig(t, "feeds: []\n")
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := "f" + string(rune('a'+i))
			if err := AddFeed(path, Feed{ID: id, URL: "https://" + id + ".example/rss"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	cfg, err := Parse([]byte(readFile(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Feeds) != 20 {
		t.Errorf("%d feeds, want 20 (an edit was lost)", len(cfg.Feeds))
	}
}

func TestEditThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.yaml")
	if err := os.WriteFile(real, []byte("feeds: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "config.yaml")
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	if err := AddFeed(link, Feed{ID: "a", URL: "https://a.example/rss"}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("symlink replaced by a file")
	}
	if !strings.Contains(readFile(t, real), "a.example") {
		t.Error("target not edited")
	}
}

func TestAddFeedsAllOrNothing(t *testing.T) {
	path := writeConfig(t, "feeds: []\n")
	err := AddFeeds(path, []Feed{{ID: "a", URL: "https://a.example/"}, {ID: "b", URL: "https://a.example/"}})
	if !errors.Is(err, ErrFeedExists) {
		t.Fatalf("err %v", err)
	}
	if readFile(t, path) != "feeds: []\n" {
		t.Error("file changed")
	}
	if err := AddFeeds(path, []Feed{{ID: "a", URL: "https://a.example/"}, {ID: "b", URL: "https://b.example/"}}); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := Parse([]byte(readFile(t, path))); len(cfg.Feeds) != 2 {
		t.Errorf("%+v", cfg)
	}
}
