package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
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
