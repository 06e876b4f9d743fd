// Package store opens newsalert's SQLite database and applies its schema.
//
// It owns the file, the connection settings and the migrations (the schema
// of every table, and its indexes); it owns no table's queries. Each table
// has one owner package, the only one whose code has SQL for it:
//
//	articles, article_keys, feeds   package feeds (articles, dedup keys, poll state)
//	stories, story_editions         package feeds (an outlet's editions of a story)
//	chats, subscriptions            package subscriptions
//	outbox, outbox_windows,
//	outbox_stories                  package bot/delivery
//	translations                    package translate
//
// Other packages use the owner's API through small interfaces they declare
// (delivery.Articles, subscriptions.Articles); TestOneOwnerPerTable holds
// the code to this. kv is the exception: a key-value table shared by
// design, each key prefixed by the package that writes it (the Telegram
// update offset, health checks, admin notices).
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open opens (creating if needed) the database file at path and brings its
// schema up to date. Every pooled connection gets the same pragmas: WAL,
// a busy timeout, foreign keys, and immediate write transactions, so two
// writers queue on the lock instead of failing with SQLITE_BUSY.
func Open(ctx context.Context, path string) (*sql.DB, error) {
	if path == "" {
		return nil, fmt.Errorf("store: empty database path")
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// SQLite has one writer at a time; a small pool serves concurrent readers
	// while writers queue on the immediate-transaction lock.
	db.SetMaxOpenConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Migrate applies, in name order, every embedded migration not yet recorded in
// schema_migrations, each in its own transaction.
func Migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("store: list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := apply(ctx, db, name); err != nil {
			return err
		}
	}
	return nil
}

func apply(ctx context.Context, db *sql.DB, path string) error {
	name := strings.TrimSuffix(strings.TrimPrefix(path, "migrations/"), ".sql")
	body, err := migrations.ReadFile(path)
	if err != nil {
		return fmt.Errorf("store: read migration %s: %w", name, err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&done); err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(name, applied_at) VALUES(?, ?)`, name, time.Now().Unix()); err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	return nil
}
