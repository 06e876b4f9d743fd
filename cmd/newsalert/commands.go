package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsalert/newsalert/config"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/subscriptions"
)

// loadConfig loads the file named by -config, printing every problem.
func loadConfig(path string, stderr io.Writer) (*config.Config, error) {
	cfg, err := config.Load(path)
	var problems config.FileErrors
	if errors.As(err, &problems) {
		fmt.Fprintln(stderr, problems)
		fmt.Fprintf(stderr, "%s: %s; nothing was started\n", path, count(len(problems.Errors), "problem", "problems"))
		return nil, errReported
	}
	return cfg, err
}

// openExisting opens, for a command that only reads (match, stories), the
// database the bot already made: a missing one is an error, not a new empty
// database that would answer "nothing found".
func openExisting(ctx context.Context, path string, stderr io.Writer) (*Main, *config.Config, error) {
	cfg, err := loadConfig(path, stderr)
	if err != nil {
		return nil, nil, err
	}
	if _, err := os.Stat(cfg.Database.Path); err != nil {
		return nil, nil, fmt.Errorf("no database at %s yet: run `newsalert poll -once` or the bot first", cfg.Database.Path)
	}
	m := NewMain(cfg, newLogger(config.Log{Format: "text", Level: "error"}, stderr))
	if err := m.Open(ctx); err != nil {
		m.Close()
		return nil, nil, err
	}
	return m, cfg, nil
}

func runBot(ctx context.Context, args []string, stderr io.Writer) error {
	fs, path := flags("run", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path, stderr)
	if err != nil {
		return err
	}
	if cfg.Telegram.Token == "" {
		return fmt.Errorf("no Telegram token: set telegram.token in %s or %s", *path, config.TokenEnv)
	}
	m := NewMain(cfg, newLogger(cfg.Log, stderr))
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	if err := m.OpenBot(ctx); err != nil {
		return err
	}
	return m.Run(ctx)
}

// pollOnce polls every configured feed once and prints what is new, and
// why each failing feed fails.
func pollOnce(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("poll", stderr)
	fs.Bool("once", true, "poll every feed once and exit (the only mode)")
	only := fs.String("feed", "", "poll only the feed with this id")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path, stderr)
	if err != nil {
		return err
	}
	m := NewMain(cfg, newLogger(config.Log{Format: cfg.Log.Format, Level: "error"}, stderr))
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	var sources []feeds.Source
	for _, s := range m.Sources() {
		if *only == "" || s.ID == *only {
			s.Paused = false
			sources = append(sources, s)
		}
	}
	if len(sources) == 0 {
		return fmt.Errorf("no feed to poll (%d configured)", len(m.Sources()))
	}
	results := m.Poller.PollAll(ctx, sources)
	failed := printPoll(stdout, results, cfg.Location())
	if failed > 0 {
		fmt.Fprintf(stderr, "%d of %s failed\n", failed, count(len(results), "feed", "feeds"))
		return errReported
	}
	return nil
}

func printPoll(w io.Writer, results []feeds.PollResult, loc *time.Location) (failed int) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range results {
		id := r.Source.ID
		switch {
		case r.Err != nil:
			failed++
			fmt.Fprintf(tw, "%s\tFAILED\t%s%s\n", id, oneLine(r.Reason), privateHint(r.Err))
		case r.NotModified:
			fmt.Fprintf(tw, "%s\tnot modified\n", id)
		case r.Seeded:
			fmt.Fprintf(tw, "%s\tfirst poll: %d items recorded, not reported as new\n", id, len(r.Parsed))
			printArticles(tw, r.Source, r.Parsed, loc)
		default:
			fmt.Fprintf(tw, "%s\t%d new of %d items%s\n", id, len(r.New), r.Items, whyNotNew(r, loc))
			printArticles(tw, r.Source, r.New, loc)
		}
	}
	tw.Flush()
	return failed
}

// whyNotNew says why the items of a poll that are not new are not: seen on
// an earlier poll, or published too long before they were first seen to be
// news (recorded all the same, so they never alert later either).
func whyNotNew(r feeds.PollResult, loc *time.Location) string {
	key := func(a feeds.Article) string { return a.GUID + "\x00" + a.Link + "\x00" + a.Title }
	isNew := make(map[string]bool, len(r.New))
	for _, a := range r.New {
		isNew[key(a)] = true
	}
	old, known := 0, 0
	for _, a := range r.Parsed {
		switch {
		case isNew[key(a)]:
		case !r.StaleBefore.IsZero() && !a.Published.IsZero() && a.Published.Before(r.StaleBefore):
			old++
		default:
			known++
		}
	}
	var parts []string
	if old > 0 {
		parts = append(parts, fmt.Sprintf("%d published before %s: recorded, but too old to be news",
			old, r.StaleBefore.In(loc).Format("2006-01-02 15:04")))
	}
	if known > 0 {
		parts = append(parts, fmt.Sprintf("%d already seen on an earlier poll", known))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func printArticles(w io.Writer, src feeds.Source, arts []feeds.Article, loc *time.Location) {
	for _, a := range arts {
		lang := a.Lang
		if lang == "" {
			lang = "?"
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", src.ID, lang, a.Published.In(loc).Format("2006-01-02 15:04"), oneLine(a.Title))
	}
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:119]) + "…"
	}
	return s
}

// matchQuery prints what a subscription query would have matched among the
// stored articles of the last -since.
func matchQuery(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("match", stderr)
	since := fs.String("since", "7d", "how far back to look (e.g. 24h, 7d)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	query := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(query) == "" {
		fmt.Fprintln(stderr, "usage: newsalert match -config F [-since 7d] QUERY")
		return errUsage
	}
	d, err := config.ParseDuration(*since)
	if err != nil {
		return fmt.Errorf("-since: %w", err)
	}
	m, cfg, err := openExisting(ctx, *path, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	hits, err := m.Subs.DryRun(ctx, query, m.Now().Add(-d), m.matchContent)
	if code := subscriptions.CodeOf(err); code != "" {
		return fmt.Errorf("query %q: %s", query, strings.ReplaceAll(strings.TrimPrefix(string(code), "query_"), "_", " "))
	}
	if err != nil {
		return err
	}
	loc := cfg.Location()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, h := range hits {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t[%s]\n", h.Article.Published.In(loc).Format("2006-01-02 15:04"),
			h.Article.FeedID, h.Article.Lang, oneLine(h.Article.Title), strings.Join(h.Words, ", "))
		// Why: which words matched which part of the query.
		if why := m.Subs.Explain(query, h.Article, m.matchContent(h.Article.FeedID)); len(why) > 0 {
			fmt.Fprintf(tw, "\t\t\t  why: %s\t\n", subscriptions.FormatReasons(why))
		}
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%s in the last %s\n", count(len(hits), "match", "matches"), *since)
	return nil
}

// count is "1 feed", "2 feeds": the command line speaks English to operators.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// privateHint names the key that lets a refused private address through:
// a newcomer's first feed is often their own server on 127.0.0.1.
func privateHint(err error) string {
	if errors.Is(err, feeds.ErrPrivateAddress) {
		return " (your own feed server? set fetch.allow_private_networks: true)"
	}
	return ""
}
