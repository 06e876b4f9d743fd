package delivery

import (
	"context"
	"testing"
)

// BenchmarkReadSnapshots is the cost of one refill's outbox reads with a
// backlog of 10,000 pending alerts over 1,000 chats.
func BenchmarkReadSnapshots(b *testing.B) {
	db := openDB(b, "")
	ctx := context.Background()
	for a := int64(1); a <= 10; a++ {
		if _, err := db.Exec(`INSERT INTO articles(id, feed_id, lang, published, seen) VALUES(?, 'f', 'en', 0, 0)`, a); err != nil {
			b.Fatal(err)
		}
	}
	var chats []int64
	for c := int64(1); c <= 1000; c++ {
		chats = append(chats, c)
	}
	tx, _ := db.Begin()
	for a := int64(1); a <= 10; a++ {
		for _, c := range chats {
			if _, err := tx.Exec(`INSERT INTO outbox(chat_id, article_id, created) VALUES(?, ?, 0)`, c, a); err != nil {
				b.Fatal(err)
			}
		}
	}
	tx.Commit()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snaps, err := readSnapshots(ctx, db)
		if err != nil || len(snaps) != 1000 {
			b.Fatal(len(snaps), err)
		}
	}
}
