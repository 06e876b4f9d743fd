package feeds

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
)

type noticeLog struct{ got []string }

func (l *noticeLog) notices(s *Store, threshold int) *FailureNotices {
	return &FailureNotices{
		Store:     s,
		Threshold: func() int { return threshold },
		Name: func(id string) (string, bool) {
			return "Feed " + id, id != "gone"
		},
		Notify: func(_ context.Context, h FeedHealth, name string, recovered bool) {
			l.got = append(l.got, fmt.Sprintf("%s %s failures=%d recovered=%v", h.ID, name, h.Failures, recovered))
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func setFailures(t *testing.T, s *Store, id string, n int) {
	t.Helper()
	if err := s.SaveState(t.Context(), FeedState{ID: id, URL: "https://" + id + ".example/rss", Failures: n, LastError: "HTTP 500"}); err != nil {
		t.Fatal(err)
	}
}

func TestFailureNoticesOnceEachWay(t *testing.T) {
	db := openDB(t, "")
	s := NewStore(db)
	log := &noticeLog{}
	n := log.notices(s, 3)
	check := func() {
		t.Helper()
		if err := n.Check(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	setFailures(t, s, "a", 2)
	setFailures(t, s, "gone", 9) // no longer configured: never told
	check()
	setFailures(t, s, "a", 3)
	check()
	check()
	// A restart (a new FailureNotices over the same database) does not repeat it.
	log.notices(s, 3).Check(t.Context())
	setFailures(t, s, "a", 0)
	check()
	check()
	want := []string{"a Feed a failures=3 recovered=false", "a Feed a failures=0 recovered=true"}
	if fmt.Sprint(log.got) != fmt.Sprint(want) {
		t.Errorf("notices:\n got %q\nwant %q", log.got, want)
	}
}

// The old loop ignored database errors: a kv table it could not read made
// every check (each 30 s) look like "not told yet" and message the admins
// again. Now a database error sends nothing and is returned.
func TestFailureNoticesSilentOnDatabaseErrors(t *testing.T) {
	db := openDB(t, "")
	s := NewStore(db)
	log := &noticeLog{}
	n := log.notices(s, 1)
	setFailures(t, s, "a", 5)
	if _, err := db.Exec(`ALTER TABLE kv RENAME TO kv_away`); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := n.Check(t.Context()); err == nil {
			t.Error("database error not returned")
		}
	}
	if len(log.got) != 0 {
		t.Errorf("notices sent while the database fails: %q", log.got)
	}
}
