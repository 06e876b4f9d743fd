package delivery

import (
	"context"
	"errors"
	"testing"
)

func TestEnqueueIsIdempotentAndMarksMatched(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 2)
	f.enqueue(1, 10, 11)
	f.enqueue(1, 10, 11, 12) // a re-run after a crash, with one chat more
	var rows, matched int
	if err := f.db.QueryRow(`SELECT count(*) FROM outbox WHERE article_id = 1`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 3 {
		t.Errorf("rows for article 1 = %d, want 3", rows)
	}
	if err := f.db.QueryRow(`SELECT matched FROM articles WHERE id = 1`).Scan(&matched); err != nil {
		t.Fatal(err)
	}
	if matched != 1 {
		t.Errorf("article 1 matched = %d, want 1", matched)
	}
	// No alerts: the article is still marked matched.
	if err := f.q.Enqueue(context.Background(), 2, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.db.QueryRow(`SELECT matched FROM articles WHERE id = 2`).Scan(&matched); err != nil || matched != 1 {
		t.Errorf("article 2 matched = %d (%v), want 1", matched, err)
	}
	var topics string
	if err := f.db.QueryRow(`SELECT topics FROM outbox WHERE chat_id = 10`).Scan(&topics); err != nil || topics != `["nato"]` {
		t.Errorf("topics = %q (%v)", topics, err)
	}
}

func TestEnqueueRejectsBadInputWithoutWriting(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	addArticles(t, f.db, 1, 1)
	ctx := context.Background()
	if err := f.q.Enqueue(ctx, 99, []Alert{{ChatID: 1}}); !errors.Is(err, ErrUnknownArticle) {
		t.Errorf("unknown article: err = %v, want ErrUnknownArticle", err)
	}
	if err := f.q.Enqueue(ctx, 1, []Alert{{ChatID: 0}}); err == nil {
		t.Error("alert without chat: no error")
	}
	if err := f.q.Enqueue(ctx, 1, []Alert{{ChatID: 5, ArticleID: 2}}); err == nil {
		t.Error("alert for another article: no error")
	}
	var n, matched int
	f.db.QueryRow(`SELECT count(*) FROM outbox`).Scan(&n)
	f.db.QueryRow(`SELECT matched FROM articles WHERE id = 1`).Scan(&matched)
	if n != 0 || matched != 0 {
		t.Errorf("after failed enqueues: %d rows, matched = %d; want 0, 0", n, matched)
	}
}

func TestDropPendingAndPrune(t *testing.T) {
	c := newClock()
	f := newFixture(t, Config{}, c.Now)
	addArticles(t, f.db, 1, 3)
	f.enqueue(1, 7, 8)
	f.enqueue(2, 7)
	n, err := f.q.DropPending(context.Background(), 7)
	if err != nil || n != 2 {
		t.Fatalf("DropPending = %d, %v; want 2", n, err)
	}
	f.start()
	f.waitStatus("sent", 1)
	if got := delivered(f.tg); len(got[7]) != 0 || len(got[8]) != 1 {
		t.Errorf("delivered %v; want nothing to paused chat 7, one alert to 8", got)
	}
	st, err := f.q.Stats(context.Background())
	if err != nil || st.Pending != 0 || st.Sent24h != 1 {
		t.Errorf("Stats = %+v, %v", st, err)
	}
	c.Add(48 * 60 * 60 * 1e9)
	if n, err := f.q.Prune(context.Background(), 24*60*60*1e9); err != nil || n != 3 {
		t.Errorf("Prune = %d, %v; want 3", n, err)
	}
}
