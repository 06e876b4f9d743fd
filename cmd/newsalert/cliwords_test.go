package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The command line counts in English ("1 feed", "1 match"), and a query
// error says what is wrong without repeating "query".
func TestCommandLineCountsAndQueryErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><language>en</language>`+
			`<item><title>NATO summit opens</title><link>https://news.example/1</link><guid>1</guid><pubDate>%s</pubDate></item>`+
			`</channel></rss>`, time.Now().Add(-time.Hour).Format(time.RFC1123Z))
	}))
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	body := fmt.Sprintf("database:\n  path: %s\nfetch:\n  allow_private_networks: true\ntelegram:\n  admins: [1]\nfeeds:\n  - {id: a, url: %q}\n", filepath.Join(dir, "bot.db"), srv.URL+"/rss")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	if err := run(context.Background(), []string{"check-config", "-config", path}, nil, &out, &errb); err != nil {
		t.Fatalf("check-config: %v %s", err, errb.String())
	}
	if want := "OK: 1 feed, 0 topics, 1 admin, schedule"; !strings.Contains(out.String(), want) {
		t.Errorf("check-config says %q, want %q", out.String(), want)
	}

	if err := run(context.Background(), []string{"poll", "-once", "-config", path}, nil, &out, &errb); err != nil {
		t.Fatalf("poll: %v %s", err, errb.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"match", "-config", path, "NATO"}, nil, &out, &errb); err != nil {
		t.Fatalf("match: %v %s", err, errb.String())
	}
	if want := "1 match in the last 7d"; !strings.Contains(out.String(), want) {
		t.Errorf("match says %q, want %q", out.String(), want)
	}
	err := run(context.Background(), []string{"match", "-config", path, `"foreign`}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), `query "\"foreign": unbalanced quote`) {
		t.Errorf("match of an unclosed quote: %v", err)
	}

	if err := os.WriteFile(path, []byte("fetch:\n  timeout: soon\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	_ = run(context.Background(), []string{"check-config", "-config", path}, nil, &out, &errb)
	if want := ": 1 problem; nothing was started"; !strings.Contains(errb.String(), want) {
		t.Errorf("check-config says %q, want %q", errb.String(), want)
	}
}
