package feeds

import (
	"context"
	"errors"
	"testing"
	"time"
)

func markMatched(t *testing.T, r *rig, ids ...int64) {
	t.Helper()
	ctx := context.Background()
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := r.store.MarkMatched(ctx, tx, ids...); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// storeArticles saves arts as new (not seeded) articles of feed "f".
func storeArticles(t *testing.T, r *rig, arts ...Article) []Article {
	t.Helper()
	for i := range arts {
		arts[i].FeedID, arts[i].Lang = "f", "en"
		if arts[i].Seen.IsZero() {
			arts[i].Seen = testNow
		}
	}
	fresh, err := r.store.SavePoll(context.Background(), FeedState{ID: "f", URL: "http://x/"}, arts, false, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return fresh
}

// The articles API is the only way into the table: look up, pending, the
// dry-run corpus, marking matched inside the caller's transaction.
func TestArticlesAPI(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	h := time.Hour
	arts := storeArticles(t, r,
		Article{GUID: "a", Title: "old seen", Published: testNow.Add(-1 * h), Seen: testNow.Add(-72 * h)},
		Article{GUID: "b", Title: "older published", Published: testNow.Add(-5 * h), Categories: []string{"x"}},
		Article{GUID: "c", Title: "newest", Published: testNow.Add(-2 * h)},
	)
	if len(arts) != 3 {
		t.Fatalf("stored %d, want 3", len(arts))
	}
	var titles []string
	if err := r.store.Since(ctx, testNow.Add(-24*h), func(a Article) error {
		titles = append(titles, a.Title)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"newest", "older published"}; !equalStrings(titles, want) {
		t.Errorf("Since = %q, want %q (first seen in the window, newest published first)", titles, want)
	}
	stop := errors.New("stop")
	n := 0
	if err := r.store.Since(ctx, time.Time{}, func(Article) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("Since stopped by fn: err %v after %d articles", err, n)
	}
	got, err := r.store.Article(ctx, arts[1].ID)
	if err != nil || got.Title != "older published" || len(got.Categories) != 1 || !got.Published.Equal(arts[1].Published) {
		t.Errorf("Article = %+v, %v", got, err)
	}

	// A missing id fails the whole mark, so the caller's transaction (which
	// queued alerts for it) rolls back.
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.store.MarkMatched(ctx, tx, arts[0].ID, 1<<40); !errors.Is(err, ErrNoArticle) {
		t.Errorf("MarkMatched(missing) = %v, want ErrNoArticle", err)
	}
	tx.Rollback()
	if pend, _ := r.store.Pending(ctx, 10); len(pend) != 3 {
		t.Errorf("pending after a rolled back mark = %d, want 3", len(pend))
	}
	markMatched(t, r, arts[0].ID, arts[2].ID)
	if pend, _ := r.store.Pending(ctx, 10); len(pend) != 1 || pend[0].ID != arts[1].ID {
		t.Errorf("pending = %v, want only %q", pend, arts[1].Title)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
