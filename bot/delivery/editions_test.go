package delivery

import (
	"context"
	"testing"
	"time"
)

// outboxArticles is chat → the article ids of its outbox rows.
func outboxArticles(t *testing.T, f *fixture) map[int64][]int64 {
	t.Helper()
	rows, err := f.db.Query(`SELECT chat_id, article_id FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var c, a int64
		if err := rows.Scan(&c, &a); err != nil {
			t.Fatal(err)
		}
		out[c] = append(out[c], a)
	}
	return out
}

var ukReader = Prefs{Langs: []string{"uk"}, Any: true}

// story builds the Story with editions (article, lang) in arrival order.
func story(editions ...any) Story {
	st := Story{ID: 1, Langs: []string{"uk", "ru", "en"}}
	for i := 0; i < len(editions); i += 2 {
		st.Editions = append(st.Editions, StoryEdition{ArticleID: int64(editions[i].(int)), Lang: editions[i+1].(string)})
	}
	return st
}

func storyAlert(chat int64, p Prefs) StoryAlert {
	return StoryAlert{Alert: Alert{ChatID: chat, Topics: []string{"NATO"}}, Prefs: p}
}

func TestEditionHeldThenReplaced(t *testing.T) {
	clock := newClock()
	f := newFixture(t, Config{EditionWait: 3 * time.Minute}, clock.Now)
	addArticles(t, f.db, 1, 3)
	ctx := context.Background()
	enq := func(article int64, st Story, alerts ...StoryAlert) {
		t.Helper()
		if err := f.q.EnqueueStory(ctx, article, st, alerts); err != nil {
			t.Fatal(err)
		}
	}
	// ru first: a Ukrainian reader's alert waits; a Russian reader's does not.
	enq(1, story(1, "ru"), storyAlert(10, ukReader), storyAlert(11, Prefs{Langs: []string{"ru"}, Any: true}))
	if got := outboxArticles(t, f); len(got[10]) != 0 || len(got[11]) != 1 {
		t.Fatalf("after ru: %v; want the ru reader's alert only", got)
	}
	// uk: the held alert becomes the uk edition, at once.
	enq(2, story(1, "ru", 2, "uk"), storyAlert(10, ukReader), storyAlert(11, Prefs{Langs: []string{"ru"}, Any: true}))
	enq(2, story(1, "ru", 2, "uk"), storyAlert(10, ukReader)) // again: nothing more
	// en: nothing new for anyone.
	enq(3, story(1, "ru", 2, "uk", 3, "en"), storyAlert(10, ukReader), storyAlert(11, Prefs{Langs: []string{"ru"}, Any: true}))
	got := outboxArticles(t, f)
	if len(got[10]) != 1 || got[10][0] != 2 || len(got[11]) != 1 || got[11][0] != 1 {
		t.Errorf("outbox %v; want chat 10: [2], chat 11: [1]", got)
	}
}

// A held chat gets the better edition even when its text did not match
// the chat's query: the story matched it already.
func TestEditionReplacesWithoutItsOwnMatch(t *testing.T) {
	clock := newClock()
	f := newFixture(t, Config{EditionWait: 3 * time.Minute}, clock.Now)
	addArticles(t, f.db, 1, 2)
	ctx := context.Background()
	if err := f.q.EnqueueStory(ctx, 1, story(1, "en"), []StoryAlert{storyAlert(10, ukReader)}); err != nil {
		t.Fatal(err)
	}
	if err := f.q.EnqueueStory(ctx, 2, story(1, "en", 2, "uk"), nil); err != nil {
		t.Fatal(err)
	}
	if got := outboxArticles(t, f); len(got[10]) != 1 || got[10][0] != 2 {
		t.Errorf("outbox %v; want chat 10: [2]", got)
	}
}

func TestEditionWaitOver(t *testing.T) {
	clock := newClock()
	f := newFixture(t, Config{EditionWait: 3 * time.Minute}, clock.Now)
	addArticles(t, f.db, 1, 2)
	ctx := context.Background()
	if err := f.q.EnqueueStory(ctx, 1, story(1, "ru"), []StoryAlert{storyAlert(10, ukReader), storyAlert(12, ukReader)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.q.DropPending(ctx, 12); err != nil { // chat 12 pauses meanwhile
		t.Fatal(err)
	}
	clock.Add(2 * time.Minute)
	if rel, err := f.q.releaseDue(ctx); err != nil || len(rel) != 0 {
		t.Fatalf("before the wait: released %v, %v", rel, err)
	}
	clock.Add(2 * time.Minute)
	if rel, err := f.q.releaseDue(ctx); err != nil || len(rel) != 1 {
		t.Fatalf("after the wait: released %v, %v", rel, err)
	}
	// The uk edition after the alert went out sends nothing.
	if err := f.q.EnqueueStory(ctx, 2, story(1, "ru", 2, "uk"), []StoryAlert{storyAlert(10, ukReader)}); err != nil {
		t.Fatal(err)
	}
	if got := outboxArticles(t, f); len(got[10]) != 1 || got[10][0] != 1 || len(got[12]) != 0 {
		t.Errorf("outbox %v; want chat 10: [1] (the ru edition after the wait), chat 12 nothing", got)
	}
}

func TestEditionChoice(t *testing.T) {
	for _, tt := range []struct {
		name    string
		wait    time.Duration
		st      Story
		article int64
		prefs   Prefs
		want    []int64 // outbox articles of the chat right away
	}{
		{"own edition already stored: not held", 3 * time.Minute, story(1, "uk", 2, "ru"), 2, ukReader, []int64{1}},
		{"newslang order when no own edition", 3 * time.Minute, Story{ID: 1, Langs: []string{"ru", "en"},
			Editions: []StoryEdition{{1, "ru"}, {2, "en"}}}, 2, Prefs{Langs: []string{"uk", "en", "ru"}}, []int64{2}},
		{"outside /newslang: nothing", 3 * time.Minute, story(1, "ru"), 1, Prefs{Langs: []string{"uk", "en"}}, nil},
		{"no wait: first acceptable at once", 0, story(1, "ru"), 1, ukReader, []int64{1}},
		{"first to arrive among equals", 3 * time.Minute, Story{ID: 1, Langs: []string{"ru", "de"},
			Editions: []StoryEdition{{1, "de"}, {2, "ru"}}}, 2, Prefs{Langs: []string{"en"}, Any: true}, []int64{1}},
		{"outlet has no edition in the chat's language", 3 * time.Minute, Story{ID: 1, Langs: []string{"en", "ru"},
			Editions: []StoryEdition{{1, "en"}}}, 1, Prefs{Langs: []string{"uk"}, Any: true}, []int64{1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Config{EditionWait: tt.wait}, newClock().Now)
			addArticles(t, f.db, 1, 2)
			if err := f.q.EnqueueStory(context.Background(), tt.article, tt.st, []StoryAlert{storyAlert(10, tt.prefs)}); err != nil {
				t.Fatal(err)
			}
			got := outboxArticles(t, f)[10]
			if len(got) != len(tt.want) || len(got) > 0 && got[0] != tt.want[0] {
				t.Errorf("outbox of the chat %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPrefsRoundTrip(t *testing.T) {
	for _, p := range []Prefs{{Langs: []string{"uk"}, Any: true}, {Langs: []string{"uk", "en"}}, {Any: true}} {
		if got := parsePrefs(p.String()); got.String() != p.String() {
			t.Errorf("%q → %q", p.String(), got.String())
		}
	}
}

// A chat whose query matched only an edition outside its /newslang waits
// for one it takes; if none comes, it gets nothing.
func TestEditionOutsideNewsLangWaits(t *testing.T) {
	clock := newClock()
	f := newFixture(t, Config{EditionWait: 3 * time.Minute}, clock.Now)
	addArticles(t, f.db, 1, 3)
	ctx := context.Background()
	ukOnly := Prefs{Langs: []string{"uk"}}
	// Story 1: en matches both chats; uk arrives and matches neither.
	if err := f.q.EnqueueStory(ctx, 1, story(1, "en"), []StoryAlert{storyAlert(10, ukOnly)}); err != nil {
		t.Fatal(err)
	}
	if err := f.q.EnqueueStory(ctx, 2, story(1, "en", 2, "uk"), nil); err != nil {
		t.Fatal(err)
	}
	// Story 2: en only; the wait ends with nothing the chat takes.
	st2 := Story{ID: 2, Langs: []string{"uk", "en"}, Editions: []StoryEdition{{3, "en"}}}
	if err := f.q.EnqueueStory(ctx, 3, st2, []StoryAlert{storyAlert(11, ukOnly)}); err != nil {
		t.Fatal(err)
	}
	clock.Add(4 * time.Minute)
	if _, err := f.q.releaseDue(ctx); err != nil {
		t.Fatal(err)
	}
	got := outboxArticles(t, f)
	if len(got[10]) != 1 || got[10][0] != 2 || len(got[11]) != 0 {
		t.Errorf("outbox %v; want chat 10: [2] (uk), chat 11: nothing", got)
	}
	var held int
	f.db.QueryRow(`SELECT count(*) FROM outbox_stories WHERE released = 0`).Scan(&held)
	if held != 0 {
		t.Errorf("%d rows still held", held)
	}
}

func TestPruneForgetsOldStoryAlerts(t *testing.T) {
	clock := newClock()
	f := newFixture(t, Config{EditionWait: 3 * time.Minute}, clock.Now)
	addArticles(t, f.db, 1, 2)
	ctx := context.Background()
	if err := f.q.EnqueueStory(ctx, 1, story(1, "uk"), []StoryAlert{storyAlert(10, ukReader)}); err != nil {
		t.Fatal(err)
	}
	st2 := Story{ID: 2, Langs: []string{"uk", "ru"}, Editions: []StoryEdition{{2, "ru"}}}
	if err := f.q.EnqueueStory(ctx, 2, st2, []StoryAlert{storyAlert(10, ukReader)}); err != nil {
		t.Fatal(err)
	}
	clock.Add(31 * 24 * time.Hour)
	if _, err := f.q.Prune(ctx, 30*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	var released, held int
	f.db.QueryRow(`SELECT count(*) FROM outbox_stories WHERE released = 1`).Scan(&released)
	f.db.QueryRow(`SELECT count(*) FROM outbox_stories WHERE released = 0`).Scan(&held)
	if released != 0 || held != 1 {
		t.Errorf("after prune: %d released, %d held rows; want 0 and 1 (held rows wait for their release)", released, held)
	}
}

// A story alert routed to a chat's digest (quiet hours, /digest) joins it
// once released, in the edition the chat prefers.
func TestEditionJoinsTheChatsDigest(t *testing.T) {
	clock := newClock()
	f := newFixture(t, Config{EditionWait: 3 * time.Minute}, clock.Now)
	addArticles(t, f.db, 1, 2)
	ctx := context.Background()
	a := storyAlert(10, ukReader)
	a.Batch = "quiet"
	if err := f.q.EnqueueStory(ctx, 1, story(1, "ru"), []StoryAlert{a}); err != nil {
		t.Fatal(err)
	}
	if err := f.q.EnqueueStory(ctx, 2, story(1, "ru", 2, "uk"), nil); err != nil {
		t.Fatal(err)
	}
	var article int64
	var n int
	f.db.QueryRow(`SELECT count(*), max(article_id) FROM digest_items WHERE chat_id = 10 AND batch = 'quiet'`).Scan(&n, &article)
	if n != 1 || article != 2 {
		t.Errorf("digest items %d (article %d); want 1, the uk edition", n, article)
	}
	if got := outboxArticles(t, f); len(got[10]) != 0 {
		t.Errorf("outbox %v; want nothing sent now", got)
	}
}
