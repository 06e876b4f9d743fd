package subscriptions

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/newsalert/newsalert/feeds"
)

func TestWhy(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Config{Topics: []Topic{natoTopic}})
	if _, err := s.UpsertChat(ctx, 1, Private, "uk"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"Україна санкції -Трамп", "Sybiha", "NATO", "Польща"} {
		if _, err := s.Subscribe(ctx, 1, q); err != nil {
			t.Fatal(err)
		}
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO articles(feed_id, lang, guid, title, summary, categories, published, seen)
		VALUES('f', 'en', 'g1', 'Ukraine: new sanctions', 'Sybiha met NATO allies. Sybiha''s plan.', '[]', 1, 1)`)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	got, err := s.Why(ctx, 1, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Україна санкції -Трамп is not there: санкції is no English word.
	wantLabels := map[string][]Reason{
		"Sybiha": {{Part: "Sybiha", Words: []string{"Sybiha", "Sybiha's"}}},
		"NATO":   {{Part: "NATO", Words: []string{"NATO"}}},
	}
	gotLabels := map[string][]Reason{}
	for _, w := range got {
		gotLabels[w.Label] = w.Reasons
	}
	if diff := cmp.Diff(wantLabels, gotLabels); diff != "" {
		t.Errorf("Why (-want +got):\n%s", diff)
	}
	if _, err := s.Why(ctx, 1, id+100, nil); !errors.Is(err, ErrArticleNotFound) {
		t.Errorf("a missing article: %v", err)
	}

	// Explain, as `newsalert match` prints it: through the entity table
	// and across scripts.
	a := feeds.Article{Lang: "uk", Title: "Україна і санкції", Summary: "Заява Сибіги щодо України"}
	tests := []struct {
		query, want string
	}{
		{"Ukraine санкції -Trump", "Україна, України → Ukraine; санкції → санкції"},
		{"Sybiha", "Сибіги → Sybiha"},
		{"NATO OR Sybiha", "Сибіги → Sybiha"},
		{"Sybiha -Україна", ""},
		{"НАТО", ""},
	}
	for _, tt := range tests {
		if got := FormatReasons(s.Explain(tt.query, a, false)); got != tt.want {
			t.Errorf("Explain(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}
