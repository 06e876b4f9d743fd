package subscriptions

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// Every setting a chat made survives export and import: the language it
// picked with /language (and that it picked it), /newslang, /timezone,
// /pause.
func TestBackupKeepsEveryChatSetting(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Config{})
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.UpsertChat(ctx, 7, Private, "en"))
	must(s.SetLanguage(ctx, 7, "uk"))
	must(s.SetTimezone(ctx, 7, "America/New_York"))
	must(s.SetNewsLanguages(ctx, 7, []string{"ru", "uk"}))
	must(s.SetPaused(ctx, 7, true))
	must(s.Subscribe(ctx, 7, "NATO"))
	dump := backupExport(t, s.db)

	db := backupDB(t)
	if _, err := Import(ctx, db, strings.NewReader(dump), s.Limits()); err != nil {
		t.Fatal(err)
	}
	r, err := New(ctx, db, Config{})
	if err != nil {
		t.Fatal(err)
	}
	// The user writes again, their Telegram still in English: the language
	// they picked stays.
	c, err := r.UpsertChat(ctx, 7, Private, "en")
	if err != nil {
		t.Fatal(err)
	}
	if c.Language != "uk" || c.Timezone != "America/New_York" || !slices.Equal(c.NewsLanguages, []string{"ru", "uk"}) || !c.Paused {
		t.Errorf("settings after a restore: %+v", c)
	}
	if again := backupExport(t, db); again != dump {
		t.Errorf("export of the restore differs:\n%s\nwant\n%s", again, dump)
	}
}

// Old backups, written before language_chosen, still import.
func TestOldBackupStillImports(t *testing.T) {
	db := backupDB(t)
	old := `{"chat_id":7,"chat_type":"private","language":"uk","timezone":"Europe/Kyiv","paused":true,"query":"NATO"}` + "\n"
	st, err := Import(context.Background(), db, strings.NewReader(old), Limits{})
	if err != nil || st.Chats != 1 || st.Subscriptions != 1 {
		t.Fatalf("%+v %v", st, err)
	}
}

// A column added to chats is a setting the backup must carry: this lists
// the ones it does, so a new one cannot be forgotten.
func TestBackupCoversEveryChatColumn(t *testing.T) {
	db := backupDB(t)
	rows, err := db.Query(`SELECT name FROM pragma_table_info('chats')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	covered := []string{"id", "type", "language", "language_chosen", "timezone", "news_languages", "paused", "inactive",
		"created", "paused_until", "digest", "quiet"} // created: the restore's own time
	for rows.Next() {
		var name string
		rows.Scan(&name)
		if !slices.Contains(covered, name) {
			t.Errorf("chats.%s is not in the backup (BackupLine, Export, Import)", name)
		}
	}
}

// The delivery settings (issue 10) survive a backup and its restore.
func TestBackupKeepsDeliverySettings(t *testing.T) {
	ctx := context.Background()
	db := backupDB(t)
	s, err := New(ctx, db, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertChat(ctx, 7, Private, "uk"); err != nil {
		t.Fatal(err)
	}
	sub, err := s.Subscribe(ctx, 7, "NATO")
	if err != nil {
		t.Fatal(err)
	}
	s.SetDigest(ctx, 7, "weekly mon 08:00")
	s.SetQuiet(ctx, 7, "23:00-07:00 hold")
	s.SetPausedUntil(ctx, 7, time.Unix(2000000000, 0))
	s.SetSubDigest(ctx, 7, sub.ID, "daily 19:00")
	dump := backupExport(t, db)
	db2 := backupDB(t)
	if _, err := Import(ctx, db2, strings.NewReader(dump), Limits{}); err != nil {
		t.Fatal(err)
	}
	if again := backupExport(t, db2); again != dump {
		t.Errorf("restore differs:\n%s\nwant\n%s", again, dump)
	}
	if !strings.Contains(dump, `"digest":"weekly mon 08:00"`) || !strings.Contains(dump, `"query_digest":"daily 19:00"`) {
		t.Errorf("backup: %s", dump)
	}
	bad := `{"chat_id":8,"chat_type":"private","language":"uk","digest":"<script>","query":"NATO"}` + "\n"
	if _, err := Import(ctx, db2, strings.NewReader(bad), Limits{}); err == nil || !strings.Contains(err.Error(), "digest") {
		t.Errorf("bad digest spec: %v", err)
	}
}
