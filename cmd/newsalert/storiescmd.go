package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/newsalert/newsalert/config"
)

// storiesCmd prints the recent stories of outlets with their editions, and
// how each edition was paired (key, or content with its score): what an
// operator looks at to tune an outlet's key or trust its content pairing.
func storiesCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("stories", stderr)
	since := fs.String("since", "24h", "stories with an edition published this recently (e.g. 6h, 7d)")
	outlet := fs.String("outlet", "", "only this outlet (an edition: name)")
	limit := fs.Int("n", 50, "at most this many stories, newest first")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: newsalert stories -config F [-since 24h] [-outlet NAME] [-n 50]")
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
	sts, err := m.FeedStore.Stories(ctx, *outlet, m.Now().Add(-d), *limit)
	if err != nil {
		return err
	}
	if len(sts) == 0 && *outlet != "" && !hasOutlet(cfg, *outlet) {
		// A typo would otherwise read as "this outlet had no stories".
		return fmt.Errorf("-outlet %q: no feed has edition: %s (outlets: %s)", *outlet, *outlet, orNone(outletNames(cfg)))
	}
	loc := cfg.Location()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	editions := 0
	for _, st := range sts {
		fmt.Fprintf(tw, "story %d\t%s\t%d editions\t\t\n", st.ID, st.Outlet, len(st.Editions))
		for _, e := range st.Editions {
			how := e.How
			switch e.How {
			case "content":
				how = fmt.Sprintf("content %.2f with %d", e.Score, e.PairedWith)
			case "key":
				how = fmt.Sprintf("key with %d", e.PairedWith)
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\n", e.ArticleID, e.Lang, e.Published.In(loc).Format("2006-01-02 15:04"),
				how, oneLine(e.Title))
			editions++
		}
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%s, %s in the last %s\n", count(len(sts), "story", "stories"), count(editions, "edition", "editions"), strings.TrimSpace(*since))
	return nil
}

func hasOutlet(cfg *config.Config, name string) bool {
	return slices.Contains(outletNames(cfg), name)
}

// outletNames are the edition: names of the configured feeds, sorted.
func outletNames(cfg *config.Config) []string {
	var names []string
	for _, f := range cfg.Feeds {
		if f.Edition != "" && !slices.Contains(names, f.Edition) {
			names = append(names, f.Edition)
		}
	}
	slices.Sort(names)
	return names
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none configured"
	}
	return strings.Join(names, ", ")
}
