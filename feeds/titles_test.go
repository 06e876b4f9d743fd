package feeds

import "testing"

func TestTitleStoredAndKept(t *testing.T) {
	s := NewStore(openDB(t, ""))
	ctx := t.Context()
	if err := s.SaveState(ctx, FeedState{ID: "a", URL: "https://a.example/rss", Title: " Alpha News "}); err != nil {
		t.Fatal(err)
	}
	// A later state without a title (a failed or unmodified poll) keeps it.
	if err := s.SaveState(ctx, FeedState{ID: "a", URL: "https://a.example/rss", Failures: 1}); err != nil {
		t.Fatal(err)
	}
	titles, err := s.Titles(ctx)
	if err != nil || titles["a"] != "Alpha News" {
		t.Errorf("titles %v %v", titles, err)
	}
	if n := (Source{ID: "a", Title: titles["a"]}).DisplayName(); n != "Alpha News" {
		t.Errorf("DisplayName %q", n)
	}
	if n := (Source{ID: "a", Name: "Mine", Title: "Alpha News"}).DisplayName(); n != "Mine" {
		t.Errorf("configured name not first: %q", n)
	}
}
