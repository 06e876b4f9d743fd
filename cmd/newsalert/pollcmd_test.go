package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// poll -once on a feed whose new items are all over 7 days old says they
// were recorded and why they are not news, instead of a bare "0 new".
func TestPollOnceSaysWhyOldItemsAreNotNew(t *testing.T) {
	var old atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Archive</title><language>en</language>`)
		fmt.Fprintf(w, `<item><title>Recent</title><link>https://news.example/0</link><guid>0</guid><pubDate>%s</pubDate></item>`,
			time.Now().Add(-time.Hour).Format(time.RFC1123Z))
		if old.Load() {
			for i := 1; i <= 20; i++ {
				fmt.Fprintf(w, `<item><title>Archived %d</title><link>https://news.example/%d</link><guid>%d</guid><pubDate>%s</pubDate></item>`,
					i, i, i, time.Now().Add(-time.Duration(10+i)*24*time.Hour).Format(time.RFC1123Z))
			}
		}
		fmt.Fprint(w, `</channel></rss>`)
	}))
	defer srv.Close()
	e := newCLIEnv(t, fmt.Sprintf("feeds:\n  - {id: archive, url: %q}\n", srv.URL+"/rss"))
	poll := func() string {
		var out, errb bytes.Buffer
		if err := pollOnce(context.Background(), []string{"-config", e.config}, &out, &errb); err != nil {
			t.Fatalf("poll: %v\n%s", err, errb.String())
		}
		return out.String()
	}
	if out := poll(); !strings.Contains(out, "first poll") {
		t.Fatalf("first poll: %s", out)
	}
	old.Store(true) // the feed wakes up with its archive
	out := poll()
	for _, want := range []string{"0 new of 21 items", "20 published before", "recorded, but too old to be news", "1 already seen"} {
		if !strings.Contains(out, want) {
			t.Errorf("second poll says\n%s\nwithout %q", out, want)
		}
	}
}

// A newcomer's first config points at their own feed server on 127.0.0.1:
// check-config notes it, and poll -once says which key lets it through.
func TestPollOnceNamesTheKeyForAPrivateFeed(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/config.yaml"
	body := fmt.Sprintf("database:\n  path: %s/bot.db\nfeeds:\n  - id: local\n    url: http://127.0.0.1:8765/feed.xml\n", dir)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := checkConfig([]string{"-config", path}, &out, &errb); err != nil {
		t.Fatalf("check-config: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "note: feeds[0] (local): 127.0.0.1 is a private address, refused while fetch.allow_private_networks is false") {
		t.Errorf("check-config says\n%s", out.String())
	}
	out.Reset()
	errb.Reset()
	if err := pollOnce(context.Background(), []string{"-config", path}, &out, &errb); err == nil {
		t.Fatal("poll of a refused feed succeeded")
	}
	if !strings.Contains(out.String(), "refused private address 127.0.0.1 (your own feed server? set fetch.allow_private_networks: true)") {
		t.Errorf("poll says\n%s", out.String())
	}
	err := run(context.Background(), []string{"feeds", "add", "-config", path, "http://127.0.0.1:8765/other.xml"}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "refused private address 127.0.0.1 (your own feed server? set fetch.allow_private_networks: true)") {
		t.Errorf("feeds add: %v", err)
	}
}
