package subscriptions

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/newsalert/newsalert/feeds"
)

// A reload that changes no topic leaves the matcher alone; a topic edit
// re-indexes only the subscriptions it concerns, once, and the matcher then
// answers as one built from scratch would.
func TestSetTopicsReindexesOnlyWhatChanged(t *testing.T) {
	ctx := context.Background()
	eu := Topic{Name: "EU", Aliases: []string{"EU", "Євросоюз"}}
	s, _ := newService(t, Config{Topics: []Topic{natoTopic, eu}})
	for chat, q := range map[int64]string{1: "NATO", 2: "НАТО", 3: "Євросоюз", 4: "weather", 5: "sanctions", 6: "погода"} {
		if _, err := s.UpsertChat(ctx, chat, Private, "uk"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Subscribe(ctx, chat, q); err != nil {
			t.Fatal(err)
		}
	}
	articles := []feeds.Article{
		{Lang: "uk", Title: "Саміт НАТО"}, {Lang: "en", Title: "NATO summit"},
		{Lang: "uk", Title: "ЄС і Євросоюз"}, {Lang: "uk", Title: "Рішення ЄС"},
		{Lang: "en", Title: "The weather and sanctions"}, {Lang: "uk", Title: "Погода"},
	}
	// asFromScratch compares s with a service loaded from the database
	// with the same topics.
	asFromScratch := func(step string, topics []Topic) {
		t.Helper()
		fresh, err := New(ctx, s.db, Config{Topics: topics})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range articles {
			if diff := cmp.Diff(matchSummary(fresh.Match(a, false)), matchSummary(s.Match(a, false))); diff != "" {
				t.Errorf("%s: %q (-from scratch +incremental):\n%s", step, a.Title, diff)
			}
		}
		if got, want := s.Stats(), fresh.Stats(); got != want {
			t.Errorf("%s: stats %+v, from scratch %+v", step, got, want)
		}
	}
	reindexes := func(step string, wantTimes, wantSubs int64) {
		t.Helper()
		if n, subs := s.TopicReindexes(); n != wantTimes || subs != wantSubs {
			t.Errorf("%s: %d re-indexes of %d subscriptions, want %d of %d", step, n, subs, wantTimes, wantSubs)
		}
	}

	// The same topics (a reload for a feed edit, or the watcher seeing the
	// file the bot itself just wrote): nothing is rebuilt.
	same := []Topic{{Name: "NATO", Aliases: append([]string(nil), natoTopic.Aliases...)}, {Name: "EU", Aliases: []string{"EU", "Євросоюз"}}}
	for range 2 {
		if err := s.SetTopics(ctx, same); err != nil {
			t.Fatal(err)
		}
	}
	reindexes("unchanged topics", 0, 0)

	// EU gains an alias: only chat 3's subscription is re-read.
	eu2 := Topic{Name: "EU", Aliases: []string{"EU", "Євросоюз", "ЄС"}}
	topics := []Topic{natoTopic, eu2}
	if err := s.SetTopics(ctx, topics); err != nil {
		t.Fatal(err)
	}
	reindexes("EU edited", 1, 1)
	asFromScratch("EU edited", topics)
	if got := s.Match(feeds.Article{Lang: "uk", Title: "Рішення ЄС"}, false); len(got) != 1 || got[0].ChatID != 3 {
		t.Errorf("new alias: %+v", got)
	}

	// NATO goes: its two subscriptions become plain queries.
	topics = []Topic{eu2}
	if err := s.SetTopics(ctx, topics); err != nil {
		t.Fatal(err)
	}
	reindexes("NATO removed", 2, 3)
	asFromScratch("NATO removed", topics)

	// A new topic takes in plain queries that are its aliases.
	topics = []Topic{eu2, {Name: "Weather", Aliases: []string{"weather", "погода"}}}
	if err := s.SetTopics(ctx, topics); err != nil {
		t.Fatal(err)
	}
	reindexes("Weather added", 3, 5)
	asFromScratch("Weather added", topics)
}

func matchSummary(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprint(m.ChatID, m.Queries))
	}
	sort.Strings(out)
	return out
}
