package translate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/store"
)

// fake speaks LibreTranslate's JSON on 127.0.0.1.
type fake struct {
	*httptest.Server
	calls   atomic.Int64
	mode    atomic.Value // "", "429", "403", "down", "slow", "garbage"
	release chan struct{}
	lastKey atomic.Value
}

func newFake(t *testing.T) *fake {
	f := &fake{release: make(chan struct{})}
	f.mode.Store("")
	f.lastKey.Store("")
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		switch f.mode.Load().(string) {
		case "429":
			w.WriteHeader(429)
			fmt.Fprint(w, `{"error":"Too many request limits violations"}`)
			return
		case "403":
			w.WriteHeader(403)
			fmt.Fprint(w, `{"error":"Invalid API key"}`)
			return
		case "garbage":
			fmt.Fprint(w, `<html>proxy error</html>`)
			return
		case "down":
			c, _, _ := w.(http.Hijacker).Hijack()
			c.Close()
			return
		case "slow":
			select {
			case <-f.release:
			case <-r.Context().Done():
				return
			}
		}
		var req struct {
			Q      []string `json:"q"`
			Source string   `json:"source"`
			Target string   `json:"target"`
			Format string   `json:"format"`
			APIKey string   `json:"api_key"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.URL.Path != "/translate" || req.Format != "text" {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"Invalid request"}`)
			return
		}
		f.lastKey.Store(req.APIKey)
		out := make([]string, len(req.Q))
		for i, q := range req.Q {
			out[i] = "[" + req.Source + ">" + req.Target + "] " + q
		}
		json.NewEncoder(w).Encode(map[string]any{"translatedText": out})
	}))
	t.Cleanup(func() { close(f.release); f.Close() })
	return f
}

func setup(t *testing.T, f *fake, timeout time.Duration) (*Translator, *feeds.Article, *time.Time) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var id int64
	if err := db.QueryRow(`INSERT INTO articles(feed_id, lang, title, summary, published, seen) VALUES('up-en', 'en', 'NATO ministers meet', 'They agreed.', 1, 1) RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tr := New(Config{URL: f.URL, APIKey: "k3y", Timeout: timeout, Now: func() time.Time { return now }}, db)
	return tr, &feeds.Article{ID: id, Lang: "en", Title: "NATO ministers meet", Summary: "They agreed."}, &now
}

func TestTranslateAndCache(t *testing.T) {
	f := newFake(t)
	tr, art, _ := setup(t, f, time.Second)
	ctx := context.Background()
	for range 3 {
		title, summary, err := tr.Translate(ctx, art, "uk")
		if err != nil || title != "[en>uk] NATO ministers meet" || summary != "[en>uk] They agreed." {
			t.Fatalf("Translate = %q, %q, %v", title, summary, err)
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d requests; want 1 (cached per article and target)", n)
	}
	if k := f.lastKey.Load(); k != "k3y" {
		t.Errorf("api_key sent %q", k)
	}
	if _, _, err := tr.Translate(ctx, art, "ru"); err != nil || f.calls.Load() != 2 {
		t.Errorf("another target: %v, %d requests", err, f.calls.Load())
	}
}

func TestConcurrentRequestsShareOneCall(t *testing.T) {
	f := newFake(t)
	tr, art, _ := setup(t, f, 5*time.Second)
	f.mode.Store("slow")
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := tr.Translate(context.Background(), art, "uk")
			errs <- err
		}()
	}
	// Wait until the one request is at the server, then let it answer.
	for f.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	f.mode.Store("")
	f.release <- struct{}{}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d requests for one article and language; want 1", n)
	}
}

// A translator that is down, rate limited, refusing, answering garbage or
// slow gives an error within its timeout; then it is left alone for the
// cooldown, so that the next alerts are not delayed at all.
func TestTranslatorFailures(t *testing.T) {
	for _, mode := range []string{"down", "429", "403", "garbage", "slow"} {
		t.Run(mode, func(t *testing.T) {
			f := newFake(t)
			tr, art, now := setup(t, f, 200*time.Millisecond)
			f.mode.Store(mode)
			_, _, err := tr.Translate(context.Background(), art, "uk")
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "k3y") {
				t.Errorf("the API key in an error: %v", err)
			}
			if _, _, err := tr.Translate(context.Background(), art, "uk"); !errors.Is(err, ErrUnavailable) || f.calls.Load() != 1 {
				t.Errorf("during the cooldown: %v after %d requests; want ErrUnavailable without asking", err, f.calls.Load())
			}
			*now = now.Add(time.Minute)
			f.mode.Store("")
			if _, _, err := tr.Translate(context.Background(), art, "uk"); err != nil {
				t.Errorf("after the cooldown: %v", err)
			}
		})
	}
}
