package subscriptions

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/newsalert/newsalert/feeds"
)

func TestMatchFieldsAndWords(t *testing.T) {
	m := NewMatcher()
	add := func(chat int64, query string) {
		q, err := Parse(query, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		m.Add(chat, q.Key(), query, q)
	}
	add(1, "NATO")
	add(1, `"Foreign Minister"`)
	add(2, "Ukraine")
	add(3, "Kyiv")
	a := feeds.Article{
		Lang:       "en",
		Title:      "NATO foreign",
		Summary:    "minister says NATO’s aims are clear",
		Categories: []string{"Ukraine's war"},
		Content:    "Reporting from Kyiv.",
	}
	want := []Match{
		// "foreign" ends the title and "minister" starts the summary: a
		// phrase never spans fields.
		{ChatID: 1, Queries: []string{"NATO"}, Words: []string{"NATO", "NATO’s"}},
		{ChatID: 2, Queries: []string{"Ukraine"}, Words: []string{"Ukraine's"}},
	}
	sortWords := cmp.Transformer("sort", func(in []string) []string { out := append([]string(nil), in...); sortStrings(out); return out })
	byChat := cmpopts.SortSlices(func(a, b Match) bool { return a.ChatID < b.ChatID })
	if diff := cmp.Diff(want, m.Match(a, false), sortWords, byChat); diff != "" {
		t.Errorf("without content (-want +got):\n%s", diff)
	}
	got := m.Match(a, true)
	if ids := chatIDs(got); !slices.Equal(ids, []int64{1, 2, 3}) {
		t.Errorf("with content: %+v, want chat 3 too", got)
	}
}

// TestConcurrentSubscribeAndMatch is for -race: the bot subscribes while the
// pipeline matches.
func TestConcurrentSubscribeAndMatch(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Config{})
	for id := int64(1); id <= 4; id++ {
		if _, err := s.UpsertChat(ctx, id, Private, "en"); err != nil {
			t.Fatal(err)
		}
	}
	a := feeds.Article{Lang: "en", Title: "word1 word2 word3 word4 word5"}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					s.Match(a, false)
				}
			}
		}()
	}
	for i := range 20 {
		id := int64(i%4) + 1
		q := fmt.Sprintf("word%d", i%6)
		if _, err := s.Subscribe(ctx, id, q); err != nil && err != ErrAlreadySubscribed {
			t.Error(err)
		}
		if i%3 == 0 {
			s.Unsubscribe(ctx, id, q)
		}
		if _, err := s.SetPaused(ctx, id, i%2 == 0); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
}

func TestDryRun(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Config{Topics: []Topic{natoTopic}})
	now := time.Now()
	for i, a := range []struct {
		lang, title, content string
		age                  time.Duration
	}{
		{"uk", "Саміт НАТО у Вашингтоні", "", time.Hour},
		{"en", "NATO-Russia council", "", 2 * time.Hour},
		{"en", "Weather", "NATO jets seen", 3 * time.Hour},
		{"en", "Old NATO news", "", 30 * 24 * time.Hour},
	} {
		seen := now.Add(-a.age).Unix()
		if _, err := s.db.ExecContext(ctx, `INSERT INTO articles(feed_id, lang, guid, title, content, categories, published, seen)
			VALUES(?, ?, ?, ?, ?, '["world"]', ?, ?)`, "feed"+a.lang, a.lang, fmt.Sprint(i), a.title, a.content, seen, seen); err != nil {
			t.Fatal(err)
		}
	}
	since := now.Add(-7 * 24 * time.Hour)
	hits, err := DryRun(ctx, feeds.NewStore(s.db), "NATO", since, nil)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, h := range hits {
		titles = append(titles, h.Article.Title)
	}
	if diff := cmp.Diff([]string{"NATO-Russia council"}, titles); diff != "" {
		t.Errorf("DryRun NATO (-want +got):\n%s", diff)
	}
	if len(hits) == 1 && (len(hits[0].Article.Categories) != 1 || hits[0].Words[0] != "NATO") {
		t.Errorf("hit = %+v", hits[0])
	}
	// Through the service, NATO is the topic: НАТО matches too; with
	// match_content on the en feed, so does the content.
	hits, err = s.DryRun(ctx, "NATO", since, func(feed string) bool { return feed == "feeden" })
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 3 {
		t.Errorf("service DryRun: %d hits, want 3: %+v", len(hits), hits)
	}
	if _, err := DryRun(ctx, feeds.NewStore(s.db), "-NATO", since, nil); CodeOf(err) != ErrOnlyExclusions {
		t.Errorf("bad query: %v", err)
	}
}
