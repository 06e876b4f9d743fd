package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/config"
	"github.com/newsalert/newsalert/feeds"
)

// shiftClock is the real clock plus an offset a test moves forward: the
// bot runs on real time, and an edition wait passes without waiting.
type shiftClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *shiftClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *shiftClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

// fakeLibreTranslate speaks LibreTranslate's POST /translate: q as an
// array, answered with {"translatedText": [...]}, each text prefixed with
// the target language.
type fakeLibreTranslate struct {
	*httptest.Server
	mu    sync.Mutex
	calls int
	// mode: "" answers; "down" closes connections; "429" and "slow" as named.
	mode string
	slow chan struct{} // "slow": answer when closed
}

func newFakeLibreTranslate(t *testing.T) *fakeLibreTranslate {
	f := &fakeLibreTranslate{slow: make(chan struct{})}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		f.mu.Lock()
		select {
		case <-f.slow:
		default:
			close(f.slow)
		}
		f.mu.Unlock()
		f.Close()
	})
	return f
}

func (f *fakeLibreTranslate) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls++
	mode := f.mode
	f.mu.Unlock()
	switch mode {
	case "down":
		if hj, ok := w.(http.Hijacker); ok {
			c, _, _ := hj.Hijack()
			c.Close()
		}
		return
	case "429":
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error":"Too many request limits violations"}`)
		return
	case "slow":
		select {
		case <-f.slow:
		case <-r.Context().Done():
			return
		}
	}
	var req struct {
		Q      []string `json:"q"`
		Source string   `json:"source"`
		Target string   `json:"target"`
		Format string   `json:"format"`
	}
	if r.URL.Path != "/translate" || r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil || req.Target == "" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"Invalid request"}`)
		return
	}
	out := make([]string, len(req.Q))
	for i, q := range req.Q {
		out[i] = "[" + req.Target + "] " + q
	}
	json.NewEncoder(w).Encode(map[string]any{"translatedText": out})
}

// storyFixture is one story of the outlet, shaped like Ukrainska Pravda's
// links (the key pairs them).
func pravdaLink(lang string, id int) string {
	prefix := map[string]string{"uk": "", "ru": "rus/", "en": "eng/"}[lang]
	return fmt.Sprintf("https://www.pravda.com.ua/%snews/2026/12/01/%d/", prefix, id)
}

var storyTitles = map[string]string{
	"uk": "Міністри НАТО погодили нову ППО для України %d",
	"ru": "Министры НАТО согласовали новую ПВО для Украины %d",
	"en": "NATO ministers agree new air defence for Ukraine %d",
}

func publishEdition(t *testing.T, m *Main, fs *feedServer, lang string, id int) {
	t.Helper()
	link := pravdaLink(lang, id)
	fs.add("/"+lang, testItem{guid: link, title: fmt.Sprintf(storyTitles[lang], id), desc: "…", link: link})
	waitUntil(t, "edition "+link+" matched", func() bool {
		var n int
		err := m.DB.QueryRow(`SELECT count(*) FROM articles WHERE link = ? AND matched = 1`, link).Scan(&n)
		return err == nil && n == 1
	})
}

// idle waits until nothing is queued: no pending outbox row.
func idle(t *testing.T, m *Main) {
	t.Helper()
	waitUntil(t, "the outbox to drain", func() bool {
		var n int
		err := m.DB.QueryRow(`SELECT count(*) FROM outbox WHERE status = 'pending'`).Scan(&n)
		return err == nil && n == 0
	})
}

// TestStoryOneAlertPerChat is issue 8's end-to-end test: one outlet in three
// editions, readers of each language and one with /newslang uk en.
func TestStoryOneAlertPerChat(t *testing.T) {
	t.Parallel()
	for _, translator := range []bool{false, true} {
		t.Run(fmt.Sprintf("translator=%v", translator), func(t *testing.T) {
			t.Parallel()
			testStoryOneAlertPerChat(t, translator)
		})
	}
}

func testStoryOneAlertPerChat(t *testing.T, withTranslator bool) {
	tg := newFake(t)
	fs := newFeedServer(t)
	cfg := testConfig(t, tg, fs,
		config.Feed{ID: "up-uk", Name: "Українська правда", URL: "/uk", Lang: "uk", Edition: "pravda"},
		config.Feed{ID: "up-ru", Name: "Украинская правда", URL: "/ru", Lang: "ru", Edition: "pravda"},
		config.Feed{ID: "up-en", Name: "Ukrainska Pravda", URL: "/en", Lang: "en", Edition: "pravda"},
	)
	cfg.Editions = map[string]config.Edition{"pravda": {Key: `^https://www\.pravda\.com\.ua/(?:rus/|eng/)?news/\d{4}/\d{2}/\d{2}/(\d+)/$`}}
	cfg.Delivery.EditionWait = config.Duration(3 * time.Minute)
	cfg.Topics = []config.Topic{{Name: "NATO", Aliases: []string{"NATO", "НАТО"}}}
	var lt *fakeLibreTranslate
	if withTranslator {
		lt = newFakeLibreTranslate(t)
		cfg.Translate = config.Translate{Provider: "libretranslate", URL: lt.URL, Timeout: config.Duration(2 * time.Second)}
	}
	clock := &shiftClock{}
	m := startMainClock(t, cfg, clock.Now)
	waitSeeded(t, m, 3)

	users := map[string]telegramtest.User{
		"uk":   {ID: 2001, FirstName: "Оксана", LanguageCode: "uk"},
		"ru":   {ID: 2002, FirstName: "Олег", LanguageCode: "ru"},
		"en":   {ID: 2003, FirstName: "Ann", LanguageCode: "en"},
		"uken": {ID: 2004, FirstName: "Тарас", LanguageCode: "uk"},
	}
	replies := map[string]int{"uk": 1, "ru": 1, "en": 1, "uken": 2}
	for name, u := range users {
		tg.SendText(telegramtest.PrivateChat(u), u, "/subscribe NATO")
		if name == "uken" {
			if _, ok := tg.WaitSent(u.ID, 1, 10*time.Second); !ok {
				t.Fatal("no reply to /subscribe")
			}
			tg.SendText(telegramtest.PrivateChat(u), u, "/newslang uk en")
		}
	}
	for name, u := range users {
		if _, ok := tg.WaitSent(u.ID, replies[name], 10*time.Second); !ok {
			t.Fatalf("%s: no reply to the commands", name)
		}
	}
	// alerts are the messages sent to a chat after its replies (edits aside).
	alerts := func(name string) []telegramtest.SentMessage {
		var out []telegramtest.SentMessage
		for _, m := range tg.Sent(users[name].ID)[replies[name]:] {
			if m.Method == "sendMessage" {
				out = append(out, m)
			}
		}
		return out
	}
	expect := func(name string, n int) []telegramtest.SentMessage {
		t.Helper()
		waitUntil(t, fmt.Sprintf("%d alerts to %s", n, name), func() bool { return len(alerts(name)) >= n })
		return alerts(name)
	}

	// Story 1: ru first, uk a second later, en two seconds later.
	publishEdition(t, m, fs, "ru", 1)
	if a := expect("ru", 1); !strings.Contains(a[0].Text, fmt.Sprintf(storyTitles["ru"], 1)) {
		t.Errorf("ru chat got %q", a[0].Text)
	}
	clock.Add(time.Second)
	publishEdition(t, m, fs, "uk", 1)
	a := expect("uk", 1)
	if !strings.Contains(a[0].Text, fmt.Sprintf(storyTitles["uk"], 1)) || !strings.Contains(a[0].Raw, pravdaLink("ru", 1)) {
		t.Errorf("uk chat got %q, want the Ukrainian edition linking the Russian one", a[0].Raw)
	}
	if a := expect("uken", 1); !strings.Contains(a[0].Text, fmt.Sprintf(storyTitles["uk"], 1)) {
		t.Errorf("/newslang uk en chat got %q", a[0].Text)
	}
	clock.Add(time.Second)
	publishEdition(t, m, fs, "en", 1)
	a = expect("en", 1)
	if !strings.Contains(a[0].Text, fmt.Sprintf(storyTitles["en"], 1)) ||
		!strings.Contains(a[0].Raw, pravdaLink("uk", 1)) || !strings.Contains(a[0].Raw, pravdaLink("ru", 1)) {
		t.Errorf("en chat got %q, want the English edition linking UK and RU", a[0].Raw)
	}
	if !strings.Contains(a[0].Text, "Also in: RU · UK") {
		t.Errorf("en chat: no editions line in %q", a[0].Text)
	}
	// The uk and ru alerts, sent before the English edition existed, are
	// edited to link it too.
	edits := func(name string) []telegramtest.SentMessage {
		var out []telegramtest.SentMessage
		for _, msg := range tg.AllSent() {
			if msg.ChatID == users[name].ID && msg.Method == "editMessageText" {
				out = append(out, msg)
			}
		}
		return out
	}
	for _, name := range []string{"uk", "ru", "uken"} {
		waitUntil(t, name+"'s alert edited to link EN", func() bool {
			e := edits(name)
			return len(e) > 0 && strings.Contains(e[len(e)-1].Raw, pravdaLink("en", 1))
		})
	}
	if e := edits("uk"); e[len(e)-1].MessageID != alerts("uk")[0].MessageID || !strings.Contains(e[len(e)-1].Text, "Також: RU · EN") {
		t.Errorf("uk chat's edited alert: %q; want its alert, linking RU and EN", e[len(e)-1].Text)
	}
	idle(t, m)
	for name := range users {
		if n := len(alerts(name)); n != 1 {
			t.Errorf("story 1: %s got %d alerts, want 1", name, n)
		}
	}

	// Story 2 exists only in English: after the wait the Ukrainian and
	// Russian readers get it, translated when a translator is configured.
	publishEdition(t, m, fs, "en", 2)
	expect("en", 2)
	clock.Add(4 * time.Minute)
	m.Queue.Wake()
	for _, name := range []string{"uk", "ru", "uken"} {
		a := expect(name, 2)[1]
		lang := name[:2]
		title := fmt.Sprintf(storyTitles["en"], 2)
		if withTranslator {
			if !strings.Contains(a.Text, "["+lang+"] "+title) || !strings.Contains(a.Text, "EN") {
				t.Errorf("%s: %q; want the translation into %s, marked", name, a.Text, lang)
			}
		} else if !strings.Contains(a.Text, title) {
			t.Errorf("%s: %q; want the English edition", name, a.Text)
		}
	}

	// Story 3: ru and uk; the English reader gets the first after the
	// wait, and the English edition arriving later sends nothing new.
	publishEdition(t, m, fs, "ru", 3)
	publishEdition(t, m, fs, "uk", 3)
	clock.Add(4 * time.Minute)
	m.Queue.Wake()
	if a := expect("en", 3)[2]; !strings.Contains(a.Text, fmt.Sprintf(storyTitles["ru"], 3)) {
		t.Errorf("en chat after the wait: %q; want the Russian edition, first to arrive", a.Text)
	}
	publishEdition(t, m, fs, "en", 3)
	idle(t, m)
	want := map[string]int{"uk": 3, "ru": 3, "en": 3, "uken": 3}
	for name, n := range want {
		if got := alerts(name); len(got) != n {
			for _, g := range got {
				t.Logf("%s: %q", name, g.Text)
			}
			t.Errorf("%s: %d alerts, want %d", name, len(got), n)
		}
	}
	if v := tg.Violations(); len(v) > 0 {
		t.Errorf("rate-limit violations: %+v", v)
	}
}

// TestStoriesCommand: the operator's view of how editions were paired.
func TestStoriesCommand(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/config.yaml"
	text := `database: {path: "` + dir + `/news.db"}
editions:
  pravda: {key: '^https://www\.pravda\.com\.ua/(?:rus/|eng/)?news/\d{4}/\d{2}/\d{2}/(\d+)/$'}
feeds:
  - {id: up-uk, url: "https://www.pravda.com.ua/rss/", lang: uk, edition: pravda}
  - {id: up-en, url: "https://www.pravda.com.ua/eng/rss/", lang: en, edition: pravda}
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, lang := range []string{"uk", "en"} {
		a := feeds.Article{FeedID: "up-" + lang, Lang: lang, GUID: lang, Link: pravdaLink(lang, 42),
			Title: fmt.Sprintf(storyTitles[lang], 42), Published: now, Seen: now}
		if _, err := m.FeedStore.SavePoll(ctx, feeds.FeedState{ID: a.FeedID, URL: "https://x.example/", Seeded: true},
			[]feeds.Article{a}, false, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	m.Close()
	var out, errOut strings.Builder
	if err := run(ctx, []string{"stories", "-config", path}, nil, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for _, want := range []string{"pravda", "2 editions", "first", "key with", "1 story, 2 editions"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stories output lacks %q:\n%s", want, out.String())
		}
	}
	// A mistyped outlet is named, with the outlets there are.
	err = run(ctx, []string{"stories", "-config", path, "-outlet", "pravad"}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), `-outlet "pravad": no feed has edition: pravad (outlets: pravda)`) {
		t.Errorf("stories -outlet pravad: %v", err)
	}
}

// TestTranslatorTroubleDeliversUntranslated: a translator that is down,
// answers 429 or is slower than its timeout delays alerts by at most the
// timeout, and every alert goes out untranslated.
func TestTranslatorTroubleDeliversUntranslated(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"down", "429", "slow"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			tg := newFake(t)
			fs := newFeedServer(t)
			cfg := testConfig(t, tg, fs,
				config.Feed{ID: "up-uk", URL: "/uk", Lang: "uk", Edition: "pravda"},
				config.Feed{ID: "up-en", URL: "/en", Lang: "en", Edition: "pravda"},
			)
			cfg.Editions = map[string]config.Edition{"pravda": {Key: `^https://www\.pravda\.com\.ua/(?:rus/|eng/)?news/\d{4}/\d{2}/\d{2}/(\d+)/$`}}
			cfg.Delivery.EditionWait = 0
			lt := newFakeLibreTranslate(t)
			lt.mu.Lock()
			lt.mode = mode
			lt.mu.Unlock()
			cfg.Translate = config.Translate{Provider: "libretranslate", URL: lt.URL, Timeout: config.Duration(300 * time.Millisecond)}
			m := startMain(t, cfg)
			waitSeeded(t, m, 2)
			users := []telegramtest.User{{ID: 3001, FirstName: "Оксана", LanguageCode: "uk"}, {ID: 3002, FirstName: "Іван", LanguageCode: "uk"}}
			for _, u := range users {
				tg.SendText(telegramtest.PrivateChat(u), u, "/subscribe NATO")
				if _, ok := tg.WaitSent(u.ID, 1, 10*time.Second); !ok {
					t.Fatal("no reply to /subscribe")
				}
			}
			for id := 10; id < 13; id++ {
				publishEdition(t, m, fs, "en", id)
			}
			for _, u := range users {
				got, ok := tg.WaitSent(u.ID, 4, 20*time.Second)
				if !ok {
					t.Fatalf("chat %d: %d alerts, want 3", u.ID, len(got)-1)
				}
				for i, msg := range got[1:] {
					if !strings.Contains(msg.Text, fmt.Sprintf(storyTitles["en"], 10+i)) || strings.Contains(msg.Text, "[uk]") {
						t.Errorf("chat %d alert %d: %q; want the English edition untranslated", u.ID, i, msg.Text)
					}
				}
			}
		})
	}
}
