package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/bot/telegramtest"
)

// fakeClock is the injected clock of the digest tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// digestHarness is a Main on an injected clock, with one user.
type digestHarness struct {
	*chatHarness
	clk  *fakeClock
	u    telegramtest.User
	chat telegramtest.Chat
	n    int // feed items added
}

var kyiv = func() *time.Location {
	l, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		panic(err)
	}
	return l
}()

func newDigestHarness(t *testing.T, start time.Time) *digestHarness {
	tg := newFake(t)
	fs := newFeedServer(t)
	cfg := testConfig(t, tg, fs, configFeed("site-en", "/en", "en"))
	clk := &fakeClock{t: start}
	m := startMainClock(t, cfg, clk.Now)
	waitSeeded(t, m, 1)
	cat, err := i18n.New(i18n.Config{})
	if err != nil {
		t.Fatal(err)
	}
	u := telegramtest.User{ID: 5001, FirstName: "Olena", LanguageCode: "en"}
	return &digestHarness{chatHarness: &chatHarness{t, tg, fs, m, cat}, clk: clk, u: u, chat: telegramtest.PrivateChat(u)}
}

func (h *digestHarness) cmd(text string) telegramtest.SentMessage {
	h.t.Helper()
	return h.say(h.chat, h.u, text)
}

// publish adds a NATO story and waits until the matcher handled it.
func (h *digestHarness) publish(title string) {
	h.t.Helper()
	h.n++
	before := h.count(`SELECT count(*) FROM articles`)
	h.fs.add("/en", testItem{fmt.Sprintf("en-%d", h.n), title, "NATO news.", fmt.Sprintf("https://news.example/en/%d", h.n)})
	h.waitUntil("the story matched", func() bool {
		return h.count(`SELECT count(*) FROM articles`) > before && h.count(`SELECT count(*) FROM articles WHERE matched = 0`) == 0
	})
}

func (h *digestHarness) count(q string, args ...any) int {
	var n int
	if err := h.m.DB.QueryRow(q, args...).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *digestHarness) waitUntil(what string, ok func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// advance moves the clock to t, runs the digest runner and waits until
// what it queued was sent.
func (h *digestHarness) advance(t time.Time) {
	h.t.Helper()
	h.clk.Set(t)
	if err := h.m.Digests.Step(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	h.m.Queue.Wake()
	// A 429 puts a row off by a second of the queue's clock: move it on a
	// second at a time until everything went out.
	deadline := time.Now().Add(20 * time.Second)
	for tick := time.Now(); h.count(`SELECT count(*) FROM digest_parts WHERE status = 'pending'`) > 0 ||
		h.count(`SELECT count(*) FROM outbox WHERE status = 'pending'`) > 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			h.t.Fatal("timed out waiting for the queue to send")
		}
		if time.Since(tick) > 500*time.Millisecond {
			h.clk.Set(h.clk.Now().Add(time.Second))
			h.m.Queue.Wake()
			tick = time.Now()
		}
	}
}

// digests are the digest messages the user got, as the local time each was
// sent at (by the injected clock) → its text.
func (h *digestHarness) digests(prefix string) []telegramtest.SentMessage {
	var out []telegramtest.SentMessage
	for _, m := range h.tg.Sent(h.u.ID) {
		if strings.HasPrefix(m.Text, prefix) {
			out = append(out, m)
		}
	}
	return out
}

// TestDailyDigestAcrossDST: a daily digest at 08:00 Europe/Kyiv goes out
// exactly once each day across both daylight-saving changes of 2026
// (29 March 03:00 → 04:00, 25 October 04:00 → 03:00), and a change of
// /timezone neither repeats nor skips a day.
func TestDailyDigestAcrossDST(t *testing.T) {
	h := newDigestHarness(t, time.Date(2026, 3, 26, 10, 0, 0, 0, kyiv))
	h.cmd("/timezone Europe/Kyiv")
	h.cmd("/subscribe NATO")
	if got := h.cmd("/digest daily 08:00"); !strings.Contains(got.Text, "every day at 08:00") {
		t.Fatalf("/digest reply: %q", got.Text)
	}
	if got := h.cmd("/digest"); !strings.Contains(got.Text, "every day at 08:00") || !strings.Contains(got.Text, "Europe/Kyiv") {
		t.Fatalf("/digest shows: %q", got.Text)
	}

	sentOn := map[string]int{} // local date → digests sent that day
	run := func(from time.Time, days int) {
		now := from
		for d := 0; d < days; d++ {
			h.publish(fmt.Sprintf("NATO story %d", h.n+1))
			dayEnd := now.Add(24 * time.Hour)
			for ; now.Before(dayEnd); now = now.Add(20 * time.Minute) {
				before := len(h.digests("Daily digest"))
				h.advance(now)
				if got := h.digests("Daily digest"); len(got) > before {
					local := now.In(h.m.Routes.Location)
					if c, err := h.m.Subs.Chat(context.Background(), h.u.ID); err == nil && c.Timezone != "" {
						loc, _ := time.LoadLocation(c.Timezone)
						local = now.In(loc)
					}
					if local.Hour() != 8 || local.Minute() >= 20 {
						t.Errorf("digest at %v local, want 08:00", local)
					}
					sentOn[local.Format("2006-01-02")] += len(got) - before
				}
			}
		}
	}
	run(time.Date(2026, 3, 26, 10, 0, 0, 0, kyiv), 5) // through 31 March
	// Months later (as if the bot had been stopped): the missed days are
	// caught up with one digest, then the schedule goes on.
	h.advance(time.Date(2026, 10, 22, 10, 0, 0, 0, kyiv))
	run(time.Date(2026, 10, 22, 10, 0, 0, 0, kyiv), 5) // through 27 October
	for _, days := range [][2]int{{27, 31}} {
		for d := days[0]; d <= days[1]; d++ {
			if k := fmt.Sprintf("2026-03-%02d", d); sentOn[k] != 1 {
				t.Errorf("%s: %d digests, want 1", k, sentOn[k])
			}
		}
	}
	for d := 23; d <= 27; d++ {
		if k := fmt.Sprintf("2026-10-%02d", d); sentOn[k] != 1 {
			t.Errorf("%s: %d digests, want 1", k, sentOn[k])
		}
	}
	// The header counts articles and topics; titles are numbered links.
	last := h.digests("Daily digest")
	if len(last) == 0 {
		t.Fatal("no digest")
	}
	if m := last[len(last)-1]; !strings.HasPrefix(m.Text, "Daily digest: 1 article on 1 topic") || !strings.Contains(m.Text, "1. NATO story") {
		t.Errorf("digest text: %q", m.Text)
	}

	// After today's 08:00 Kyiv digest the chat moves to Toronto (02:00
	// there): Toronto's 08:00 of the same date sends nothing; the next
	// day's does.
	clear(sentOn)
	h.publish("NATO after the move")
	now := time.Date(2026, 10, 28, 9, 0, 0, 0, kyiv)
	h.advance(now)
	before := len(h.digests("Daily digest"))
	h.cmd("/timezone America/Toronto")
	h.publish("NATO in Toronto")
	toronto, _ := time.LoadLocation("America/Toronto")
	for end := now.Add(48 * time.Hour); now.Before(end); now = now.Add(30 * time.Minute) {
		h.advance(now)
		if got := len(h.digests("Daily digest")); got > before {
			sentOn[now.In(toronto).Format("2006-01-02 15")] += got - before
			before = got
		}
	}
	if len(sentOn) != 1 || sentOn["2026-10-29 08"] != 1 {
		t.Errorf("after the move to Toronto: %v, want one digest on 2026-10-29 at 08", sentOn)
	}
}

// pressed presses a button and waits for its answer.
func (h *digestHarness) press(msgID int, data string) telegramtest.CallbackAnswer {
	h.t.Helper()
	q, err := h.tg.PressButton(h.chat, h.u, msgID, data)
	if err != nil {
		h.t.Fatal(err)
	}
	var a telegramtest.CallbackAnswer
	h.waitUntil("the callback answered", func() bool {
		var ok bool
		a, ok = h.tg.Answer(q.ID)
		return ok
	})
	return a
}

func buttonWithPrefix(m telegramtest.Message, prefix string) string {
	if m.ReplyMarkup == nil {
		return ""
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData != nil && strings.HasPrefix(*b.CallbackData, prefix) {
				return *b.CallbackData
			}
		}
	}
	return ""
}

func TestQuietHoursSilent(t *testing.T) {
	h := newDigestHarness(t, time.Date(2026, 6, 10, 22, 30, 0, 0, kyiv))
	h.cmd("/subscribe NATO")
	if got := h.cmd("/quiet 23:00-07:00 silent"); !strings.Contains(got.Text, "23:00–07:00") {
		t.Fatalf("/quiet reply: %q", got.Text)
	}
	h.publish("NATO before the night")
	h.advance(h.clk.Now())
	h.advance(time.Date(2026, 6, 10, 23, 30, 0, 0, kyiv))
	for i := 0; i < 3; i++ {
		h.publish(fmt.Sprintf("NATO at night %d", i))
		h.advance(h.clk.Now()) // sent during the night (the flag is set when it is sent)
	}
	h.advance(time.Date(2026, 6, 11, 7, 30, 0, 0, kyiv))
	h.publish("NATO in the morning")
	h.advance(h.clk.Now())
	var silent, loud []string
	for _, m := range h.tg.Sent(h.u.ID) {
		if !strings.Contains(m.Text, "NATO ") || strings.HasPrefix(m.Text, "Subscribed") {
			continue
		}
		title := strings.SplitN(m.Text, "\n", 2)[0]
		if m.DisableNotification {
			silent = append(silent, title)
		} else {
			loud = append(loud, title)
		}
	}
	if len(silent) != 3 || len(loud) != 2 {
		t.Errorf("silent %q, with sound %q; want the 3 night alerts silent", silent, loud)
	}
	if got := h.cmd("/quiet off"); !strings.Contains(got.Text, "no more quiet hours") {
		t.Errorf("/quiet off: %q", got.Text)
	}
}

func TestQuietHoursHold(t *testing.T) {
	h := newDigestHarness(t, time.Date(2026, 6, 10, 22, 30, 0, 0, kyiv))
	h.cmd("/subscribe NATO")
	h.cmd("/quiet 23:00-07:00 hold")
	h.publish("NATO before the night")
	h.advance(time.Date(2026, 6, 10, 23, 30, 0, 0, kyiv))
	n := len(h.tg.Sent(h.u.ID))
	for i := 0; i < 3; i++ {
		h.publish(fmt.Sprintf("NATO at night %d", i))
		h.advance(h.clk.Now().Add(time.Hour))
	}
	h.advance(time.Date(2026, 6, 11, 6, 59, 0, 0, kyiv))
	if got := h.tg.Sent(h.u.ID)[n:]; len(got) != 0 {
		t.Fatalf("sent during quiet hours: %q", got[0].Text)
	}
	h.advance(time.Date(2026, 6, 11, 7, 0, 0, 0, kyiv))
	h.advance(time.Date(2026, 6, 11, 7, 20, 0, 0, kyiv))
	got := h.tg.Sent(h.u.ID)[n:]
	if len(got) != 1 || !strings.HasPrefix(got[0].Text, "During quiet hours: 3 articles on 1 topic") {
		t.Fatalf("after quiet hours: %d messages %+v", len(got), got)
	}
	for i := 0; i < 3; i++ {
		if !strings.Contains(got[0].Text, fmt.Sprintf("NATO at night %d", i)) {
			t.Errorf("digest lacks night story %d: %q", i, got[0].Text)
		}
	}
	h.publish("NATO in the morning")
	h.advance(h.clk.Now())
	if got := h.tg.Sent(h.u.ID)[n:]; len(got) != 2 || !strings.Contains(got[1].Text, "NATO in the morning") {
		t.Errorf("morning alert: %d messages", len(got))
	}
}

func TestTimedPauseEndsByItself(t *testing.T) {
	h := newDigestHarness(t, time.Date(2026, 6, 10, 10, 0, 0, 0, kyiv))
	h.cmd("/subscribe NATO")
	got := h.cmd("/pause 2h")
	if !strings.Contains(got.Text, "until 12:00") || !strings.Contains(got.Text, "will not be sent later") {
		t.Fatalf("/pause 2h: %q", got.Text)
	}
	if got := h.cmd("/list"); !strings.Contains(got.Text, "paused until 12:00") {
		t.Errorf("/list: %q", got.Text)
	}
	n := len(h.tg.Sent(h.u.ID))
	h.publish("NATO during the pause")
	h.advance(time.Date(2026, 6, 10, 11, 59, 0, 0, kyiv))
	if c, _ := h.m.Subs.Chat(context.Background(), h.u.ID); !c.Paused {
		t.Fatal("the pause ended early")
	}
	h.advance(time.Date(2026, 6, 10, 12, 0, 0, 0, kyiv))
	if c, _ := h.m.Subs.Chat(context.Background(), h.u.ID); c.Paused {
		t.Fatal("the pause did not end by itself")
	}
	h.publish("NATO after the pause")
	h.advance(h.clk.Now())
	sent := h.tg.Sent(h.u.ID)[n:]
	if len(sent) != 2 || !strings.Contains(sent[0].Text, "pause is over") || !strings.Contains(sent[1].Text, "NATO after the pause") {
		t.Errorf("after the pause: %+v", sent)
	}
	if got := h.cmd("/pause until 9:30"); !strings.Contains(got.Text, "until") || !strings.Contains(got.Text, "09:30") {
		t.Errorf("/pause until 9:30: %q", got.Text)
	}
	if got := h.cmd("/pause soon"); !strings.Contains(got.Text, "did not understand") {
		t.Errorf("/pause soon: %q", got.Text)
	}
}

func TestMuteFromAlertThenUndo(t *testing.T) {
	h := newDigestHarness(t, time.Date(2026, 6, 10, 10, 0, 0, 0, kyiv))
	h.cmd("/subscribe NATO")
	n := len(h.tg.Sent(h.u.ID))
	h.publish("NATO one")
	h.advance(h.clk.Now())
	alert := h.tg.Sent(h.u.ID)[n]
	msg, _ := h.tg.Message(h.u.ID, alert.MessageID)
	mute := buttonWithPrefix(msg, "mute:")
	if mute == "" || buttonWithPrefix(msg, "usub:") == "" {
		t.Fatalf("alert buttons: %+v", msg.ReplyMarkup)
	}
	if a := h.press(alert.MessageID, mute); !strings.Contains(a.Text, "muted until") {
		t.Errorf("answer: %q", a.Text)
	}
	msg, _ = h.tg.Message(h.u.ID, alert.MessageID)
	undo := buttonWithPrefix(msg, "unmute:")
	if undo == "" || buttonWithPrefix(msg, "mute:") != "" || !strings.Contains(msg.ReplyMarkup.InlineKeyboard[0][0].Text, "muted until") {
		t.Fatalf("keyboard after mute: %+v", msg.ReplyMarkup)
	}
	if msg.Text != alert.Text {
		t.Error("the alert's text changed")
	}
	h.publish("NATO while muted")
	h.advance(h.clk.Now())
	if got := len(h.tg.Sent(h.u.ID)); got != n+1 {
		t.Fatalf("alert while muted: %d messages", got-n)
	}
	if a := h.press(alert.MessageID, undo); !strings.Contains(a.Text, "on again") {
		t.Errorf("undo answer: %q", a.Text)
	}
	msg, _ = h.tg.Message(h.u.ID, alert.MessageID)
	if buttonWithPrefix(msg, "mute:") != mute {
		t.Errorf("keyboard after undo: %+v", msg.ReplyMarkup)
	}
	h.publish("NATO after undo")
	h.advance(h.clk.Now())
	if got := len(h.tg.Sent(h.u.ID)); got != n+2 {
		t.Fatalf("after undo: %d alerts, want 2", got-n)
	}

	// A mute ends by itself after 24 hours.
	h.press(alert.MessageID, mute)
	h.advance(h.clk.Now().Add(24*time.Hour + time.Minute))
	h.publish("NATO the next day")
	h.advance(h.clk.Now())
	if got := len(h.tg.Sent(h.u.ID)); got != n+3 {
		t.Fatalf("after 24 h: %d alerts, want 3", got-n)
	}

	// Unsubscribe from the alert, then undo.
	last := h.tg.Sent(h.u.ID)[n+2]
	msg, _ = h.tg.Message(h.u.ID, last.MessageID)
	if a := h.press(last.MessageID, buttonWithPrefix(msg, "usub:")); !strings.Contains(a.Text, "Unsubscribed") {
		t.Errorf("unsubscribe answer: %q", a.Text)
	}
	if subs, _ := h.m.Subs.List(context.Background(), h.u.ID); len(subs) != 0 {
		t.Errorf("still subscribed: %+v", subs)
	}
	msg, _ = h.tg.Message(h.u.ID, last.MessageID)
	if a := h.press(last.MessageID, buttonWithPrefix(msg, "resub:")); !strings.Contains(a.Text, "again") {
		t.Errorf("resubscribe answer: %q", a.Text)
	}
	if subs, _ := h.m.Subs.List(context.Background(), h.u.ID); len(subs) != 1 || subs[0].Query != "NATO" {
		t.Errorf("after undo: %+v", subs)
	}
	if len(h.tg.Unanswered()) > 0 || len(h.tg.UnknownParams()) > 0 {
		t.Errorf("unanswered %v, unknown params %v", h.tg.Unanswered(), h.tg.UnknownParams())
	}
}
