package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

type change struct {
	cfg *Config
	err error
}

func startWatch(t *testing.T, path string) <-chan change {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ch := make(chan change, 10)
	if err := Watch(ctx, path, func(c *Config, err error) { ch <- change{c, err} }); err != nil {
		t.Fatal(err)
	}
	return ch
}

func next(t *testing.T, ch <-chan change) change {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("no change reported")
		return change{}
	}
}

// replace writes path the way editors do: a new file renamed over the old.
func replace(t *testing.T, path, body string) {
	t.Helper()
	tmp := path + ".swp"
	if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func TestWatchReportsChanges(t *testing.T) {
	path := writeConfig(t, "feeds: []\n")
	ch := startWatch(t, path)

	// Another file in the directory is not ours.
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	replace(t, path, "feeds:\n  - {id: a, url: \"https://a.example/rss\"}\n")
	c := next(t, ch)
	if c.err != nil || len(c.cfg.Feeds) != 1 || c.cfg.Path != path {
		t.Fatalf("got %+v", c)
	}

	replace(t, path, "feeds:\n  - {id: a, url: ftp://a}\n")
	c = next(t, ch)
	var fe FileErrors
	if c.cfg != nil || !errors.As(c.err, &fe) {
		t.Fatalf("invalid file: got %+v", c)
	}

	// In-place write, and an edit by AddFeed.
	if err := os.WriteFile(path, []byte("feeds: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c = next(t, ch); c.err != nil || len(c.cfg.Feeds) != 0 {
		t.Fatalf("got %+v", c)
	}
	if err := AddFeed(path, Feed{ID: "b", URL: "https://b.example/rss"}); err != nil {
		t.Fatal(err)
	}
	if c = next(t, ch); c.err != nil || len(c.cfg.Feeds) != 1 || c.cfg.Feeds[0].ID != "b" {
		t.Fatalf("got %+v", c)
	}
}

func TestWatchStopsWithContext(t *testing.T) {
	path := writeConfig(t, "feeds: []\n")
	ctx, cancel := context.WithCancel(context.Background())
	called := make(chan struct{}, 10)
	if err := Watch(ctx, path, func(*Config, error) { called <- struct{}{} }); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := Watch(context.Background(), filepath.Join(t.TempDir(), "missing", "c.yaml"), nil); err == nil {
		t.Error("watch of a missing directory: no error")
	}
}
