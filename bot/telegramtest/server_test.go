package telegramtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// fakeClock is a settable Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newBot connects the real client library to s. Every parameter the
// library sends must be one the Bot API documents for the method.
func newBot(t *testing.T, s *Server) *tgbotapi.BotAPI {
	t.Helper()
	bot, err := tgbotapi.NewBotAPIWithClient(s.Token(), s.Endpoint(), &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("NewBotAPIWithClient: %v", err)
	}
	t.Cleanup(func() {
		if u := s.UnknownParams(); len(u) > 0 {
			t.Errorf("the client sent parameters the fake does not know: %v", u)
		}
	})
	return bot
}

// apiErr asserts err is a *tgbotapi.Error with code and description.
func apiErr(t *testing.T, err error, code int, desc string) *tgbotapi.Error {
	t.Helper()
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *tgbotapi.Error %d %q", err, err, code, desc)
	}
	if e.Code != code || e.Message != desc {
		t.Fatalf("err = %d %q, want %d %q", e.Code, e.Message, code, desc)
	}
	return e
}

var (
	alice   = User{ID: 111, FirstName: "Alice", Username: "alice", LanguageCode: "uk"}
	bob     = User{ID: 222, FirstName: "Bob", LanguageCode: "en"}
	aliceDM = PrivateChat(alice)
	group   = Chat{ID: -4001, Type: ChatGroup, Title: "News group"}
	super   = Chat{ID: -1001234567890, Type: ChatSupergroup, Title: "Big group", Username: "biggroup"}
	channel = Chat{ID: -1009876543210, Type: ChatChannel, Title: "Channel", Username: "newschan"}
)

func TestGetMe(t *testing.T) {
	s := New(t, Options{BotUsername: "demo_bot"})
	bot := newBot(t, s)
	if bot.Self.UserName != "demo_bot" || !bot.Self.IsBot || bot.Self.ID != 7000000001 {
		t.Errorf("Self = %+v", bot.Self)
	}
	if got := s.Requests("getMe"); got != 1 {
		t.Errorf("Requests(getMe) = %d, want 1", got)
	}
}

func TestWrongTokenAndUnknownMethod(t *testing.T) {
	s := New(t, Options{})
	_, err := tgbotapi.NewBotAPIWithClient("7000000001:wrong", s.Endpoint(), s.Client())
	apiErr(t, err, 401, "Unauthorized")

	bot := newBot(t, s)
	_, err = bot.MakeRequest("sendTelepathy", nil)
	apiErr(t, err, 404, "Not Found")
	// Method names are case-insensitive, as in Telegram.
	if _, err := bot.MakeRequest("GETME", nil); err != nil {
		t.Errorf("GETME: %v", err)
	}
}

func TestUnknownParamsAreReported(t *testing.T) {
	s := New(t, Options{})
	bot, err := tgbotapi.NewBotAPIWithClient(s.Token(), s.Endpoint(), s.Client())
	if err != nil {
		t.Fatal(err)
	}
	s.AddChat(aliceDM)
	_, err = bot.MakeRequest("sendMessage", tgbotapi.Params{"chat_id": "111", "text": "hi", "parse_mod": "HTML"})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.UnknownParams(); got["sendMessage.parse_mod"] != 1 || len(got) != 1 {
		t.Errorf("UnknownParams = %v", got)
	}
}

// TestFidelity checks the implemented methods against an extract of the Bot
// API 10.1 description (testdata/api_methods.json: method → fields, "*" for
// required), made once from the official machine-readable spec.
func TestFidelity(t *testing.T) {
	data, err := os.ReadFile("testdata/api_methods.json")
	if err != nil {
		t.Fatal(err)
	}
	var spec map[string][]string
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	for key, m := range methods {
		want, ok := spec[m.name]
		if !ok {
			t.Errorf("%s: not a Bot API method", m.name)
			continue
		}
		if key != strings.ToLower(m.name) {
			t.Errorf("%s registered as %q", m.name, key)
		}
		if got := strings.Fields(m.fields); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s fields:\n got %v\nwant %v", m.name, got, want)
		}
	}
}
