package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/config"
)

// startFromFile writes a config file and runs a Main loaded from it.
func startFromFile(t *testing.T, tg *telegramtest.Server, fs *feedServer, extra string) (*Main, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	text := fmt.Sprintf(`# The operator's comment at the top.
telegram:
  token: %q
  api_url: %q
  poll_timeout: 1s
  admins: [777]   # the admin
  rate: {global_per_second: 300, per_chat_per_second: 20, per_group_per_minute: 600} # fastRate
database:
  path: %q
fetch:
  schedule: "@every 1s"
  allow_private_networks: true
delivery:
  max_alerts_per_hour: 0
feeds:
  # the first feed
  - {id: site-en, url: %q, lang: en}
%s`, tg.Token(), tg.URL(), filepath.Join(dir, "newsalert.db"), fs.URL+"/en", extra)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return startMain(t, cfg), path
}

func TestAdminCommands(t *testing.T) {
	t.Parallel()
	tg := newFake(t)
	fs := newFeedServer(t)
	fs.add("/en", testItem{"en-1", "Old story", "Old.", "https://news.example/en/1"})
	fs.add("/extra", testItem{"x-1", "Старий сюжет про НАТО", "Старе.", "https://news.example/x/1"})
	m, path := startFromFile(t, tg, fs, "")
	waitSeeded(t, m, 1)
	cat, _ := i18n.New(i18n.Config{})
	before, _ := os.ReadFile(path)

	stranger := telegramtest.User{ID: 555, FirstName: "Mallory", LanguageCode: "en"}
	admin := telegramtest.User{ID: 777, FirstName: "Admin", LanguageCode: "uk"}
	say := func(u telegramtest.User, text string) string { t.Helper(); return sayPrivately(t, tg, u, text) }

	// A stranger's admin commands change nothing.
	for _, cmd := range []string{"/addfeed " + fs.URL + "/extra uk extra", "/removefeed site-en", "/pausefeed site-en", "/stats"} {
		if got := say(stranger, cmd); got != cat.T("en", i18n.MsgAdminOnly, nil) {
			t.Errorf("%s by a stranger: %q", cmd, got)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatalf("config changed by a stranger:\n%s", after)
	}

	// The admin adds a local feed; its items present now are not alerted,
	// new ones are.
	got := say(admin, "/addfeed "+fs.URL+"/extra uk extra")
	if want := cat.T("uk", i18n.MsgFeedAdded, map[string]any{"ID": "extra", "Name": "Test", "Lang": cat.LanguageName("uk", "uk")}); got != want {
		t.Errorf("/addfeed:\n got %q\nwant %q", got, want)
	}
	after, _ := os.ReadFile(path)
	for _, keep := range []string{"# The operator's comment at the top.", "# the admin", "# the first feed", "id: extra"} {
		if !bytes.Contains(after, []byte(keep)) {
			t.Errorf("config after /addfeed lacks %q:\n%s", keep, after)
		}
	}
	if len(m.Sources()) != 2 {
		t.Fatalf("running config has %d feeds after /addfeed", len(m.Sources()))
	}
	if got := say(admin, "/subscribe НАТО"); !strings.Contains(got, "НАТО") {
		t.Errorf("/subscribe: %q", got)
	}
	waitSeeded(t, m, 2)
	fs.add("/extra", testItem{"x-2", "Новий сюжет про НАТО", "Нове.", "https://news.example/x/2"})
	msgs, ok := tg.WaitSent(admin.ID, 3, 15*time.Second)
	if !ok || !strings.Contains(msgs[2].Text, "Новий сюжет про НАТО") {
		t.Fatalf("no alert from the added feed: %+v", msgs)
	}
	// /stats: the figures are the state of the bot (two chats wrote, one
	// subscription, two healthy feeds, one alert sent), and the reply is
	// exactly those figures in the admin's language.
	queueEmpty := func() bool {
		q, err := m.Queue.Stats(context.Background())
		return err == nil && q.Pending+q.Held == 0
	}
	waitUntil(t, "the alert marked sent", queueEmpty) // the fake has it before the bot knows
	got = say(admin, "/stats")
	waitUntil(t, "the reply marked sent", queueEmpty)
	stats, err := m.admin().Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{"ChatsActive": 2, "ChatsBlocked": 0, "Subscriptions": 1,
		"FeedsHealthy": 2, "FeedsFailing": 0, "QueueDepth": int64(0)} {
		if fmt.Sprint(stats[key]) != fmt.Sprint(want) {
			t.Errorf("/stats %s = %v, want %v", key, stats[key], want)
		}
	}
	stats["OldestPending"] = "—" // the bot writes durations for people; the queue is empty
	if want := cat.T("uk", i18n.MsgStats, stats); got != want {
		t.Errorf("/stats:\n got %q\nwant %q", got, want)
	}
	// The dry run from the command line sees the stored articles.
	var out, errOut strings.Builder
	if err := run(context.Background(), []string{"match", "-config", path, "-since", "7d", "нато"}, nil, &out, &errOut); err != nil {
		t.Fatalf("match: %v %s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "Новий сюжет про НАТО") || !strings.Contains(out.String(), "2 matches in the last 7d") ||
		!strings.Contains(out.String(), "why: НАТО → нато") {
		t.Errorf("match output:\n%s", out.String())
	}

	// A hand edit that breaks the YAML is rejected; the bot runs on.
	good, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append(good, []byte("feeds: [unclosed\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	notice, ok := tg.WaitSent(admin.ID, len(tg.Sent(admin.ID))+1, 10*time.Second)
	if !ok || !strings.Contains(notice[len(notice)-1].Text, "config") {
		t.Errorf("admin not told of the rejected config: %+v", notice[len(notice)-1].Text)
	}
	if len(m.Sources()) != 2 {
		t.Errorf("running config lost its feeds: %d", len(m.Sources()))
	}
	if got := say(admin, "/help"); !strings.Contains(got, "/addfeed") {
		t.Errorf("bot not answering after a bad edit: %q", got)
	}
	// A good hand edit is followed: pause a feed by editing the file.
	if err := os.WriteFile(path, bytes.Replace(good, []byte("lang: uk\n"), []byte("lang: uk\n    paused: true\n"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && !m.Sources()[1].Paused {
		time.Sleep(50 * time.Millisecond)
	}
	if !m.Sources()[1].Paused {
		t.Errorf("hand edit not followed: %+v", m.Sources())
	}
	if got := say(admin, "/removefeed extra"); got != cat.T("uk", i18n.MsgFeedRemoved, map[string]any{"ID": "extra"}) {
		t.Errorf("/removefeed: %q", got)
	}
	if len(m.Sources()) != 1 {
		t.Errorf("feed not removed: %+v", m.Sources())
	}
}

// sayPrivately sends text to the bot from u's private chat and returns the
// raw text of the bot's reply.
func sayPrivately(t *testing.T, tg *telegramtest.Server, u telegramtest.User, text string) string {
	t.Helper()
	n := len(tg.Sent(u.ID))
	tg.SendText(telegramtest.PrivateChat(u), u, text)
	got, ok := tg.WaitSent(u.ID, n+1, 10*time.Second)
	if !ok {
		t.Fatalf("no reply to %q", text)
	}
	return got[n].Raw
}
