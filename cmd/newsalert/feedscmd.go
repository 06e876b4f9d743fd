package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/newsalert/newsalert/config"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/store"
)

const feedsUsage = `Usage:
  newsalert feeds list    -config F                  the feeds, with their health when the database exists
  newsalert feeds add     -config F URL [-lang uk] [-id x] [-name N]
                                                     fetch the feed, and add it if it parses
  newsalert feeds remove  -config F ID
  newsalert feeds pause   -config F ID
  newsalert feeds resume  -config F ID
  newsalert feeds export  -config F                  the feeds as OPML 2.0, on stdout
  newsalert feeds import  -config F FILE.opml        add the feeds of an OPML file ("-": stdin)

Edits rewrite the config file in place, keeping its comments; a running bot
follows within seconds.
`

// errHelp is a -h: the usage is out, nothing else to do.
var errHelp = errors.New("help")

// parseArgs parses flags found anywhere among args (flag stops at the first
// positional argument; "feeds add URL -lang uk" has flags after it) and
// returns the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// feedsCmd runs "newsalert feeds ...".
func feedsCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, feedsUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs, path := flags("feeds "+sub, stderr)
	fs.Usage = func() { fmt.Fprint(stderr, feedsUsage) }
	var lang, id, name *string
	if sub == "add" {
		lang = fs.String("lang", "", "language of the feed's articles (default: the one the feed declares)")
		id = fs.String("id", "", "feed id (default: made from the feed's title)")
		name = fs.String("name", "", "name shown in alerts (default: the feed's title)")
	}
	pos, err := parseArgs(fs, args)
	if errors.Is(err, errHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	want := map[string]int{"list": 0, "export": 0, "add": 1, "remove": 1, "pause": 1, "resume": 1, "import": 1}
	n, known := want[sub]
	if !known {
		fmt.Fprintf(stderr, "newsalert feeds: unknown command %q\n\n%s", sub, feedsUsage)
		return errUsage
	}
	if len(pos) != n {
		fmt.Fprintf(stderr, "newsalert feeds %s: want %d argument(s), got %d\n\n%s", sub, n, len(pos), feedsUsage)
		return errUsage
	}
	cfg, err := loadConfig(*path, stderr)
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		return listFeeds(ctx, cfg, stdout)
	case "export":
		return config.WriteOPML(stdout, "newsalert feeds", cfg.Feeds)
	case "import":
		return importOPML(cfg, pos[0], stdin, stdout)
	case "add":
		return addFeed(ctx, cfg, config.Feed{ID: *id, Name: *name, URL: pos[0], Lang: *lang}, stdout)
	case "remove":
		if err := config.RemoveFeed(cfg.Path, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed feed %s (its stored articles stay, for de-duplication)\n", pos[0])
	case "pause", "resume":
		if err := config.SetFeedPaused(cfg.Path, pos[0], sub == "pause"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "feed %s: %sd\n", pos[0], sub)
	}
	return nil
}

// listFeeds prints the configured feeds and, when the database exists,
// how each one fares.
func listFeeds(ctx context.Context, cfg *config.Config, stdout io.Writer) error {
	health := map[string]feeds.FeedHealth{}
	haveDB := false
	if _, err := os.Stat(cfg.Database.Path); err == nil {
		db, err := store.Open(ctx, cfg.Database.Path)
		if err != nil {
			return err
		}
		defer db.Close()
		hs, err := feeds.NewStore(db).Health(ctx)
		if err != nil {
			return err
		}
		for _, h := range hs {
			health[h.ID] = h
		}
		haveDB = true
	}
	loc := cfg.Location()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	if haveDB {
		fmt.Fprintln(tw, "ID\tLANG\tSTATE\tLAST SUCCESS\tFAILURES\tARTICLES\tURL")
	} else {
		fmt.Fprintln(tw, "ID\tLANG\tSTATE\tURL")
	}
	for _, f := range cfg.Feeds {
		state := "active"
		if f.Paused {
			state = "paused"
		}
		lang := f.Lang
		if lang == "" {
			lang = "-"
		}
		if !haveDB {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.ID, lang, state, f.URL)
			continue
		}
		h, ok := health[f.ID]
		last := "never"
		if !h.LastSuccess.IsZero() {
			last = h.LastSuccess.In(loc).Format("2006-01-02 15:04")
		}
		if !ok {
			last = "not polled yet"
		}
		if h.Failures > 0 && state == "active" {
			state = "failing"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\n", f.ID, lang, state, last, h.Failures, h.Articles, f.URL)
		if h.LastError != "" {
			fmt.Fprintf(tw, "\t\tlast error:\t%s\t\t\t\n", h.LastError)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !haveDB {
		fmt.Fprintf(stdout, "(no database at %s yet: no health to show)\n", cfg.Database.Path)
	}
	return nil
}

// addCheckedFeed fetches and parses f.URL with the bot's own fetcher and
// parser under cfg's limits and refuses what does not parse; empty Lang,
// Name and ID are taken from the feed. It then adds the feed to cfg.Path.
// It serves both "newsalert feeds add" and the /addfeed command; the checks
// are config's (CheckNewFeed, CompleteNewFeed) and feeds' (Probe).
func addCheckedFeed(ctx context.Context, cfg *config.Config, f config.Feed) (config.Feed, *feeds.Feed, error) {
	f, err := cfg.CheckNewFeed(f)
	if err != nil {
		return f, nil, err
	}
	parsed, err := feeds.Probe(ctx, feeds.NewFetcher(fetcherConfig(cfg)), feeds.NewParser(), f.URL, time.Now())
	if err != nil {
		return f, nil, err
	}
	if f, err = cfg.CompleteNewFeed(f, parsed.Title, parsed.Language); err != nil {
		return f, parsed, err
	}
	if err := config.AddFeed(cfg.Path, f); err != nil {
		return f, parsed, err
	}
	return f, parsed, nil
}

// addFeed is "newsalert feeds add".
func addFeed(ctx context.Context, cfg *config.Config, f config.Feed, stdout io.Writer) error {
	f, parsed, err := addCheckedFeed(ctx, cfg, f)
	if errors.Is(err, config.ErrFeedNoLanguage) {
		return fmt.Errorf("feeds add: %s does not say its language: give one with -lang", f.URL)
	}
	if err != nil {
		return fmt.Errorf("feeds add: %w%s", err, privateHint(err))
	}
	fmt.Fprintf(stdout, "added feed %s (%q, %s, %d items now; they are not alerted, only what comes next)\n",
		f.ID, f.Name, f.Lang, parsed.Items)
	return nil
}

// importOPML adds the feeds of an OPML file in one edit. They are not
// fetched first (a list may hold hundreds): "feeds list" shows how they fare
// once the bot has polled them.
func importOPML(cfg *config.Config, file string, stdin io.Reader, stdout io.Writer) error {
	r := stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	res, err := config.ReadOPML(r, cfg.Feeds)
	if err != nil {
		return err
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(stdout, "skipped %s\n", s)
	}
	if len(res.Feeds) == 0 {
		fmt.Fprintln(stdout, "no new feeds")
		return nil
	}
	if err := config.AddFeeds(cfg.Path, res.Feeds); err != nil {
		return err
	}
	for _, f := range res.Feeds {
		fmt.Fprintf(stdout, "added %s\t%s\n", f.ID, f.URL)
	}
	fmt.Fprintf(stdout, "%d feed(s) added\n", len(res.Feeds))
	return nil
}
