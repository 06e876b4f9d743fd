//go:build !nodemo

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsalert/newsalert/bot/telegramtest"
	"github.com/newsalert/newsalert/config"
)

// runDemo runs the real bot against the Telegram fake in this process, with
// a local news site that publishes a story (in en, uk and ru) every few
// seconds and a temporary database. The terminal is a private chat.
func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, _ := flags("demo", stderr)
	lang := fs.String("lang", "en", "your Telegram language: en, uk or ru")
	every := fs.Duration("every", 8*time.Second, "how often the demo site publishes a story")
	duration := fs.Duration("duration", 0, "stop after this long (0: at end of input or Ctrl-C)")
	verbose := fs.Bool("v", false, "show the bot's log")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *every < time.Second {
		*every = time.Second
	}
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	dir, err := os.MkdirTemp("", "newsalert-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	term := &terminal{w: stdout, ansi: isTerminal(stdout)}
	tg := telegramtest.NewServer(telegramtest.Options{BotUsername: "newsalert_demo_bot", BotName: "newsalert", OnMessage: term.show})
	defer tg.Close()
	site := newDemoFeeds(2)
	feedSrv := httptest.NewServer(site)
	defer feedSrv.Close()

	cfg := config.Default()
	cfg.Database.Path = filepath.Join(dir, "demo.db")
	cfg.Telegram.Token = config.Secret(tg.Token())
	cfg.Telegram.APIURL = tg.URL()
	cfg.Telegram.PollTimeout = config.Duration(2 * time.Second)
	cfg.Telegram.Admins = []int64{demoUser.ID}
	cfg.Fetch.Schedule = "@every 2s"
	cfg.Fetch.AllowPrivateNetworks = true // the demo site is on 127.0.0.1
	cfg.Topics = []config.Topic{{Name: "NATO", Aliases: []string{"NATO", "НАТО"}}}
	for _, f := range []config.Feed{
		{ID: "demo-en", Name: "Demo News", Lang: "en"},
		{ID: "demo-uk", Name: "Демо Новини", Lang: "uk"},
		{ID: "demo-ru", Name: "Демо Новости", Lang: "ru"},
	} {
		f.URL = feedSrv.URL + "/" + f.Lang
		f.Edition = "demo" // one outlet in three editions: one alert per story, in your language
		cfg.Feeds = append(cfg.Feeds, f)
	}
	cfg.Editions = map[string]config.Edition{"demo": {Key: `^https://demo\.newsalert\.example/(?:en|uk|ru)/news/(\d+)$`}}
	logOut := io.Discard
	if *verbose {
		logOut = stderr
	}
	m := NewMain(&cfg, slog.New(slog.NewTextHandler(logOut, nil)))
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	if err := m.OpenBot(ctx); err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); m.Run(runCtx) }()
	defer wg.Wait()
	defer stop()

	fmt.Fprintf(stdout, `newsalert demo: you are a Telegram user chatting with the bot (a local fake
Telegram, a local news site, a temporary database; nothing leaves this machine).
The site publishes a story in English, Ukrainian and Russian every %s: one outlet
in three editions, so each story reaches you once, in your language (/language),
with links to the other editions.
Try:  /subscribe NATO    /subscribe Україна    /subscribe "foreign minister" -Trump
      /subscribe (then the word)   a plain word   /timezone Київ   /list   /unsubscribe 1
      /language uk   /newslang   /help   /feeds
      /digest hourly   /quiet 23:00-07:00 silent   /pause 2m   (each alert has mute/unsubscribe buttons)
      /subscribe Kyiv або Харків   /subscribe Zelensky не NATO   (and "Why this alert?" under each alert)
Press button [1 ...] by typing !1. Quit with Ctrl-D or Ctrl-C.

`, *every)
	user := demoUser
	user.LanguageCode = *lang
	chat := telegramtest.PrivateChat(user)

	go publish(runCtx, site, *every, term)
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdin)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	for {
		select {
		case <-runCtx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				if *duration > 0 { // scripted input: let the alerts come
					<-runCtx.Done()
				}
				return nil
			}
			term.input(tg, chat, user, strings.TrimSpace(line))
		}
	}
}

var demoUser = telegramtest.User{ID: 4242, FirstName: "Demo", Username: "demo_user"}

func publish(ctx context.Context, site *demoFeeds, every time.Duration, term *terminal) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s, ok := site.publish()
			if !ok {
				term.note("(the demo site has published all its stories)")
				return
			}
			term.note("(news site published: " + s.en[0] + ")")
		}
	}
}

// terminal prints the bot's messages and remembers the last inline keyboard.
type terminal struct {
	mu      sync.Mutex
	w       io.Writer
	ansi    bool // bold and links as ANSI styles
	buttons []button
}

type button struct {
	messageID int
	data      string
}

func (t *terminal) note(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, "\n%s\n", s)
}

func (t *terminal) show(m telegramtest.SentMessage) {
	if m.Method == "deleteMessage" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	prefix := "bot"
	switch {
	case m.Method == "editMessageText":
		prefix = "bot (edited)"
	case m.Method == "editMessageReplyMarkup":
		// The buttons under a message changed (mute, undo...): its first
		// line is enough to say which message.
		prefix = "bot (new buttons)"
		first, _, more := strings.Cut(m.Text, "\n")
		if more {
			first += " …"
		}
		m.Text, m.Entities = first, nil
	case m.DisableNotification:
		prefix = "bot (silent)"
	}
	// Text as Telegram shows it (bold, links...), buttons numbered [1 ...].
	fmt.Fprintf(t.w, "\n%s › %s\n", prefix, strings.ReplaceAll(m.Terminal(t.ansi), "\n", "\n      "))
	if buttons := m.Buttons(); len(buttons) > 0 {
		t.buttons = t.buttons[:0]
		for _, b := range buttons {
			data := ""
			if b.CallbackData != nil {
				data = *b.CallbackData
			}
			t.buttons = append(t.buttons, button{m.MessageID, data})
		}
	}
}

func (t *terminal) input(tg *telegramtest.Server, chat telegramtest.Chat, user telegramtest.User, line string) {
	if line == "" {
		return
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(line, "!")); strings.HasPrefix(line, "!") && err == nil {
		t.mu.Lock()
		if n < 1 || n > len(t.buttons) || t.buttons[n-1].data == "" {
			t.mu.Unlock()
			t.note("(no such button)")
			return
		}
		b := t.buttons[n-1]
		t.mu.Unlock()
		q, err := tg.PressButton(chat, user, b.messageID, b.data)
		if err != nil {
			t.note("(" + err.Error() + ")")
			return
		}
		// Show the bot's answer as Telegram shows it: a short notice.
		go func() {
			for range 50 {
				if a, ok := tg.Answer(q.ID); ok {
					if a.Text != "" {
						t.note("(bot: " + a.Text + ")")
					}
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
		return
	}
	tg.SendText(chat, user, line)
}

// isTerminal reports whether w is a terminal, which shows ANSI styles.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb"
}
