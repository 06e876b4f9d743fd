package delivery

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// noSender is a Sender for benchmarks that never send.
type noSender struct{}

func (noSender) MakeRequest(string, tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	return nil, errors.New("not sending")
}
func (noSender) Request(tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	return nil, errors.New("not sending")
}

// BenchmarkEnqueueStory is the cost of queueing one edition of a story that
// 6,294 chats matched (what an article reaches at 1M subscriptions): the
// first edition, in a language half of them prefer (the other half is
// held); BenchmarkEnqueueFanout is the same fan-out as plain alerts.
//
//	go test ./bot/delivery -run '^$' -bench 'EnqueueStory|EnqueueFanout' -benchtime 20x
func BenchmarkEnqueueStory(b *testing.B)  { benchEnqueue(b, true) }
func BenchmarkEnqueueFanout(b *testing.B) { benchEnqueue(b, false) }

func benchEnqueue(b *testing.B, story bool) {
	const chats = 6294
	db := openDB(b, "")
	q, err := New(Config{EditionWait: 3 * time.Minute}, db, noSender{}, textRenderer{}, &chatLog{}, quietLog(), nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for i := 1; i <= b.N; i++ {
		if _, err := db.Exec(`INSERT INTO articles(id, feed_id, lang, title, link, published, seen) VALUES(?, 'f', 'uk', ?, ?, 0, 0)`,
			i, fmt.Sprint("T", i), fmt.Sprint("https://x.example/", i)); err != nil {
			b.Fatal(err)
		}
	}
	prefs := []Prefs{{Langs: []string{"uk"}, Any: true}, {Langs: []string{"ru"}, Any: true}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		if story {
			alerts := make([]StoryAlert, chats)
			for c := range alerts {
				alerts[c] = StoryAlert{Alert: Alert{ChatID: int64(c + 1), Topics: []string{"NATO"}}, Prefs: prefs[c%2]}
			}
			st := Story{ID: int64(i), Langs: []string{"uk", "ru"}, Editions: []StoryEdition{{int64(i), "uk"}}}
			if err := q.EnqueueStory(ctx, int64(i), st, alerts); err != nil {
				b.Fatal(err)
			}
		} else {
			alerts := make([]Alert, chats)
			for c := range alerts {
				alerts[c] = Alert{ChatID: int64(c + 1), Topics: []string{"NATO"}}
			}
			if err := q.Enqueue(ctx, int64(i), alerts); err != nil {
				b.Fatal(err)
			}
		}
	}
}
