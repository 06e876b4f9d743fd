package feeds

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkHealth and BenchmarkPrune time the feed-health view and the
// prune's unlinking of dedup keys on 100,000 stored articles (50 feeds, three
// keys each), with the indexes of migration 0005 and without them:
//
//	go test ./feeds -run '^$' -bench 'Health|Prune' -benchtime 20x
const indexBenchArticles = 100_000

func indexBenchRig(b *testing.B) *rig {
	b.Helper()
	r := newRig(b, nil)
	ctx := context.Background()
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for f := range 50 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO feeds(id, url) VALUES(?, ?)`, fmt.Sprint("feed", f), "http://x/"); err != nil {
			b.Fatal(err)
		}
	}
	art, err := tx.PrepareContext(ctx, `INSERT INTO articles(id, feed_id, lang, title, published, seen, matched) VALUES(?, ?, 'uk', 'title', ?, ?, 1)`)
	if err != nil {
		b.Fatal(err)
	}
	key, err := tx.PrepareContext(ctx, `INSERT INTO article_keys(key, article_id, seen) VALUES(?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	for i := range indexBenchArticles {
		seen := testNow.Unix() - int64(indexBenchArticles-i)*60 // one a minute: the oldest ~70 days ago
		if _, err := art.ExecContext(ctx, i+1, fmt.Sprint("feed", i%50), seen, seen); err != nil {
			b.Fatal(err)
		}
		for _, k := range []string{"g:", "l:", "h:"} {
			if _, err := key.ExecContext(ctx, fmt.Sprint(k, i), i+1, seen); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return r
}

// withAndWithoutIndexes runs run as "indexed", then drops the indexes of
// migration 0005 and runs it as "before".
func withAndWithoutIndexes(b *testing.B, run func(b *testing.B, r *rig, before bool)) {
	r := indexBenchRig(b)
	b.Run("indexed", func(b *testing.B) { run(b, r, false) })
	for _, ix := range []string{"articles_feed", "article_keys_article"} {
		if _, err := r.db.Exec(`DROP INDEX ` + ix); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("before", func(b *testing.B) { run(b, r, true) })
}

// oldHealthQuery is the health query before the index: one GROUP BY over
// every article, the best plan without an index on feed_id.
const oldHealthQuery = `SELECT f.id, f.url, f.last_success, f.last_attempt, f.last_error,
	f.failures, f.next_check, coalesce(c.n, 0)
	FROM feeds f LEFT JOIN (SELECT feed_id, count(*) AS n FROM articles GROUP BY feed_id) c ON c.feed_id = f.id
	ORDER BY f.id`

func BenchmarkHealth(b *testing.B) {
	withAndWithoutIndexes(b, func(b *testing.B, r *rig, before bool) {
		q := healthQuery
		if before {
			q = oldHealthQuery
		}
		for b.Loop() {
			rows, err := r.db.Query(q)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if n != 50 {
				b.Fatal(n)
			}
		}
	})
}

// BenchmarkPrune unlinks the keys of one day's articles (1,440), in a
// transaction rolled back so that every iteration has the same work.
func BenchmarkPrune(b *testing.B) {
	withAndWithoutIndexes(b, func(b *testing.B, r *rig, _ bool) {
		ctx := context.Background()
		cut := testNow.Unix() - int64(indexBenchArticles)*60 + 86400
		for b.Loop() {
			tx, err := r.db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			res, err := tx.ExecContext(ctx, pruneUnlinkKeys, cut)
			if err != nil {
				b.Fatal(err)
			}
			if n, _ := res.RowsAffected(); n < 3*1400 {
				b.Fatalf("unlinked %d keys", n)
			}
			tx.Rollback()
		}
	})
}
