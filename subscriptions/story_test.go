package subscriptions

import (
	"context"
	"slices"
	"testing"

	"github.com/newsalert/newsalert/feeds"
)

// A chat that takes only Ukrainian news is reached by the English edition
// of a story that has (or may have) a Ukrainian one: the queue then gives it
// the Ukrainian edition.
func TestMatchStoryTakesAnyOfTheStorysLanguages(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Config{})
	for _, id := range []int64{1, 2} {
		if _, err := s.UpsertChat(ctx, id, Private, "uk"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Subscribe(ctx, id, "Sybiha"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetNewsLanguages(ctx, id, []string{"uk"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetPaused(ctx, 2, true); err != nil {
		t.Fatal(err)
	}
	a := feeds.Article{ID: 1, Lang: "en", Title: "Sybiha arrives in Brussels"}
	if got := chatIDs(s.Match(a, false)); len(got) != 0 {
		t.Errorf("Match: %v; the chat does not take English", got)
	}
	if got := chatIDs(s.MatchStory(a, false, []string{"uk", "ru", "en"})); !slices.Equal(got, []int64{1}) {
		t.Errorf("MatchStory: %v; want [1] (paused chat 2 left out)", got)
	}
	if got := chatIDs(s.MatchStory(a, false, []string{"ru", "en"})); len(got) != 0 {
		t.Errorf("MatchStory without a uk edition: %v", got)
	}
}
