package delivery

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/telegramtest"
)

// TestLoad measures delivery against Telegram's default limits: a backlog of
// 10 alerts for each of 1,000 chats (a tenth of them groups), sent over a
// link with a round-trip time, while a command reply is asked for every
// second (every other one to the chat that just got an alert). It reports alerts/s, utilisation of the global limit, rate-limit
// violations and reply latency. It runs only when asked:
//
//	DELIVERY_LOAD=1 go test -run TestLoad -v ./bot/delivery
//
// DELIVERY_LOAD_SECONDS (default 30) and DELIVERY_LOAD_RTT (default 50ms)
// tune it.
func TestLoad(t *testing.T) {
	if os.Getenv("DELIVERY_LOAD") == "" {
		t.Skip("set DELIVERY_LOAD=1 to run the load test")
	}
	seconds, _ := strconv.Atoi(os.Getenv("DELIVERY_LOAD_SECONDS"))
	if seconds <= 0 {
		seconds = 30
	}
	rtt, err := time.ParseDuration(os.Getenv("DELIVERY_LOAD_RTT"))
	if err != nil {
		rtt = 50 * time.Millisecond
	}
	lim := Limits{GlobalPerSecond: 30, PerChatPerSecond: 1, PerGroupPerMinute: 20}
	tg := newFake(t, lim)
	db := openDB(t, "")
	const chats, perChat = 1000, 10
	var ids []int64
	for c := int64(1); c <= chats; c++ {
		if c%10 == 0 {
			ids = append(ids, -c)
		} else {
			ids = append(ids, c)
		}
	}
	q := backlogQueue(t, tg, db, lim, rtt, ids, perChat)
	ctx := context.Background()
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- q.Run(runCtx) }()

	rng := rand.New(rand.NewPCG(3, 4))
	var latencies, worst []time.Duration // replies to any chat; to the chat just alerted
	end := start.Add(time.Duration(seconds) * time.Second)
	for time.Now().Before(end) {
		time.Sleep(time.Second)
		// Every other reply goes to the chat that got an alert last: it
		// waits for that chat's 1 s window, the worst case.
		chat := ids[rng.IntN(len(ids))]
		justAlerted := len(latencies) > len(worst)
		if sent := tg.AllSent(); justAlerted && len(sent) > 0 {
			chat = sent[len(sent)-1].ChatID
		}
		t0 := time.Now()
		if _, err := q.Reply(ctx, chat, Message{HTML: "<b>help</b>"}); err != nil {
			t.Errorf("reply to %d: %v", chat, err)
			continue
		}
		if justAlerted {
			worst = append(worst, time.Since(t0))
		} else {
			latencies = append(latencies, time.Since(t0))
		}
	}
	elapsed := time.Since(start)
	cancel()
	<-done
	var alerts, replies int
	for _, m := range tg.AllSent() {
		if m.Text == "help" {
			replies++
		} else {
			alerts++
		}
	}
	st, _ := q.Stats(ctx)
	rate := float64(alerts) / elapsed.Seconds()
	all := float64(alerts+replies) / elapsed.Seconds()
	t.Logf("backlog %d alerts to %d chats; ran %.1fs with RTT %v", chats*perChat, chats, elapsed.Seconds(), rtt)
	t.Logf("alerts delivered %d (%.1f/s), replies %d; all messages %.1f/s = %.0f%% of the %d/s limit",
		alerts, rate, replies, all, 100*all/float64(lim.GlobalPerSecond), lim.GlobalPerSecond)
	t.Logf("rate-limit violations %d; 429s seen %d; still pending %d", len(tg.Violations()), st.RateLimited, st.Pending)
	for _, l := range []struct {
		what string
		d    []time.Duration
	}{{"to a random chat", latencies}, {"to the chat alerted last (waits for its 1 s window)", worst}} {
		slices.Sort(l.d)
		if n := len(l.d); n > 0 {
			t.Logf("reply latency %s, %d replies: p50 %v, p90 %v, max %v", l.what, n,
				l.d[n/2].Round(time.Millisecond), l.d[n*9/10].Round(time.Millisecond), l.d[n-1].Round(time.Millisecond))
			if l.d[n-1] > 2*time.Second {
				t.Errorf("a reply %s took %v, over 2 s", l.what, l.d[n-1])
			}
		}
	}
	noViolations(t, tg)
}

// slowLink delays every request by the round-trip time, as a real network
// between the bot and Telegram does.
// backlogQueue is a queue sending to tg over a link of round-trip time rtt,
// with perChat articles already queued for each chat of ids.
func backlogQueue(t *testing.T, tg *telegramtest.Server, db *sql.DB, lim Limits, rtt time.Duration, ids []int64, perChat int64) *Queue {
	t.Helper()
	addChats(tg, ids...)
	addArticles(t, db, 1, perChat)
	client := &http.Client{Timeout: 30 * time.Second, Transport: slowLink{rtt}}
	bot, err := tgbotapi.NewBotAPIWithClient(tg.Token(), tg.Endpoint(), client)
	if err != nil {
		t.Fatal(err)
	}
	q, err := New(Config{Limits: lim}, db, bot, textRenderer{}, &chatLog{}, quietLog(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for a := int64(1); a <= perChat; a++ {
		if err := q.Enqueue(context.Background(), a, alertsFor(ids)); err != nil {
			t.Fatal(err)
		}
	}
	return q
}

type slowLink struct{ rtt time.Duration }

func (l slowLink) RoundTrip(r *http.Request) (*http.Response, error) {
	time.Sleep(l.rtt)
	return http.DefaultTransport.RoundTrip(r)
}

// TestLoad429 measures a wave of alerts while Telegram answers a share of
// the sends 429 for their own chat (scattered per-chat flood control): 100
// private chats, 10 alerts each, 2% of sends answered "retry after 3". The
// chat answered 429 must wait; the others must not. It reports the wave's
// duration, alerts/s and calls/s against the 30/s limit, violations and
// what was lost. It runs only when asked:
//
//	DELIVERY_LOAD=1 go test -run TestLoad429 -v ./bot/delivery
//
// DELIVERY_LOAD_RTT (default 0: loopback), DELIVERY_LOAD_429 (the share,
// default 0.02) and DELIVERY_LOAD_RETRY (seconds, default 3) tune it.
func TestLoad429(t *testing.T) {
	if os.Getenv("DELIVERY_LOAD") == "" {
		t.Skip("set DELIVERY_LOAD=1 to run the load test")
	}
	rtt, _ := time.ParseDuration(os.Getenv("DELIVERY_LOAD_RTT"))
	share, err := strconv.ParseFloat(os.Getenv("DELIVERY_LOAD_429"), 64)
	if err != nil {
		share = 0.02
	}
	retry, _ := strconv.Atoi(os.Getenv("DELIVERY_LOAD_RETRY"))
	if retry <= 0 {
		retry = 3
	}
	lim := Limits{GlobalPerSecond: 30, PerChatPerSecond: 1, PerGroupPerMinute: 20}
	tg := newFake(t, lim)
	tg.FloodChats(share, retry, 7)
	db := openDB(t, "")
	const chats, perChat = 100, 10
	var ids []int64
	for c := int64(1); c <= chats; c++ {
		ids = append(ids, c)
	}
	q := backlogQueue(t, tg, db, lim, rtt, ids, perChat)
	ctx := context.Background()
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- q.Run(runCtx) }()
	waitFor(t, "the wave", func() bool { return len(tg.AllSent()) >= chats*perChat })
	elapsed := time.Since(start)
	cancel()
	<-done
	calls := tg.Requests("sendMessage")
	got := delivered(tg)
	lost, dup := 0, 0
	for _, id := range ids {
		seen := map[string]int{}
		for _, text := range got[id] {
			seen[text]++
		}
		for a := 1; a <= perChat; a++ {
			switch n := seen[fmt.Sprintf("<b>Title %d</b>", a)] + seen[fmt.Sprintf("Title %d", a)]; {
			case n == 0:
				lost++
			case n > 1:
				dup += n - 1
			}
		}
	}
	// The steady rate, before the wave's tail: at the end the last few
	// chats wait out their own 1 s windows (and any 429 of the last
	// seconds), with nothing else left to send.
	sentAll := tg.AllSent()
	steadyN := chats * perChat * 9 / 10
	steady := sentAll[steadyN-1].Time.Sub(start)
	ideal := float64(chats*perChat) / float64(lim.GlobalPerSecond)
	t.Logf("%d alerts to %d chats, %.0f%% of sends answered 429 (retry after %d s), RTT %v", chats*perChat, chats, 100*share, retry, rtt)
	t.Logf("wave took %.1fs (%.1fs at the full %d/s): alerts %.1f/s = %.0f%% of the limit; calls %d (%.1f/s = %.0f%%), 429s answered %d",
		elapsed.Seconds(), ideal, lim.GlobalPerSecond, float64(chats*perChat)/elapsed.Seconds(),
		100*ideal/elapsed.Seconds(), calls, float64(calls)/elapsed.Seconds(),
		100*float64(calls)/elapsed.Seconds()/float64(lim.GlobalPerSecond), tg.FloodedChats())
	t.Logf("steady rate (first %d alerts in %.1fs): %.1f/s = %.0f%% of the limit", steadyN, steady.Seconds(),
		float64(steadyN)/steady.Seconds(), 100*float64(steadyN)/steady.Seconds()/float64(lim.GlobalPerSecond))
	t.Logf("rate-limit violations %d; lost %d; duplicated %d", len(tg.Violations()), lost, dup)
	if lost > 0 || dup > 0 {
		t.Errorf("lost %d, duplicated %d", lost, dup)
	}
	noViolations(t, tg)
}
