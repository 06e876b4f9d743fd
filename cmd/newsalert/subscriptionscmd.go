package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/newsalert/newsalert/store"
	"github.com/newsalert/newsalert/subscriptions"
)

const subscriptionsUsage = `Usage:
  newsalert subscriptions export -config F [FILE]   every chat and subscription as JSON lines (default: stdout)
  newsalert subscriptions import -config F [FILE]   load a backup (default: stdin), in one transaction

Import is idempotent: what a chat already has is kept. A bad line stops the
whole import, with every bad line named. The running bot does not see
imported subscriptions: import with the bot stopped, or restart it after.
`

// subscriptionsCmd runs "newsalert subscriptions export|import".
func subscriptionsCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, subscriptionsUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs, path := flags("subscriptions "+sub, stderr)
	fs.Usage = func() { fmt.Fprint(stderr, subscriptionsUsage) }
	pos, err := parseArgs(fs, args)
	if errors.Is(err, errHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if sub != "export" && sub != "import" {
		fmt.Fprintf(stderr, "newsalert subscriptions: unknown command %q\n\n%s", sub, subscriptionsUsage)
		return errUsage
	}
	if len(pos) > 1 {
		fmt.Fprint(stderr, subscriptionsUsage)
		return errUsage
	}
	file := "-"
	if len(pos) == 1 {
		file = pos[0]
	}
	cfg, err := loadConfig(*path, stderr)
	if err != nil {
		return err
	}
	if sub == "export" {
		// Exporting from a database that is not there would create an empty
		// one and a confident, empty backup.
		if _, err := os.Stat(cfg.Database.Path); err != nil {
			return fmt.Errorf("subscriptions export: database: %w", err)
		}
	}
	db, err := store.Open(ctx, cfg.Database.Path)
	if err != nil {
		return err
	}
	defer db.Close()

	if sub == "export" {
		return exportSubscriptions(ctx, db, file, stdout)
	}
	r := stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	lim := subscriptions.Limits{MaxLen: cfg.Subscriptions.MaxQueryLen}
	st, err := subscriptions.Import(ctx, db, bufio.NewReaderSize(r, 1<<20), lim)
	var bad *subscriptions.ImportError
	if errors.As(err, &bad) {
		fmt.Fprintln(stderr, bad)
		return errReported
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d line(s): %d new chat(s), %d new subscription(s), %d already there\n",
		st.Lines, st.Chats, st.Subscriptions, st.Existing)
	fmt.Fprintln(stdout, "a running bot does not see them until it restarts")
	return nil
}

// exportSubscriptions writes the backup to file ("-": stdout); a file is
// written beside itself and renamed, so a failed export never leaves half a
// backup under the name of a whole one.
func exportSubscriptions(ctx context.Context, db *sql.DB, file string, stdout io.Writer) error {
	if file == "-" {
		return subscriptions.Export(ctx, db, stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".subscriptions-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := subscriptions.Export(ctx, db, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
