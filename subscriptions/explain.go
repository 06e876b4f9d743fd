package subscriptions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/newsalert/newsalert/feeds"
)

// Reason is one part of a query that an article matched, and the words of
// the article that matched it, as the article wrote them: "Києві" for the
// part Київ, "Ukraine" for Україна through the entity table, "Сибіги" for
// Sybiha through its letters.
type Reason struct {
	Part  string   // the word, "phrase" or prefix* as the query has it
	Words []string // in the article's order
}

// WhyMatch is one subscription of a chat that matched an article.
type WhyMatch struct {
	Label   string // the query as typed, or the topic's name
	Reasons []Reason
}

// ErrArticleNotFound is an article id that the store does not hold (any
// more).
var ErrArticleNotFound = errors.New("subscriptions: article not found")

// Why explains an alert: for each subscription of the chat that matches
// the stored article, which words of the article matched which part of the
// query. It reads the article again rather than remembering what the
// matcher saw, so an alert's button needs only the article's id.
func (s *Service) Why(ctx context.Context, chatID, articleID int64, matchContent func(feedID string) bool) ([]WhyMatch, error) {
	a, err := s.cfg.Articles.Article(ctx, articleID)
	if errors.Is(err, feeds.ErrNoArticle) {
		return nil, ErrArticleNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("subscriptions: article %d: %w", articleID, err)
	}
	subs, err := s.List(ctx, chatID)
	if err != nil {
		return nil, err
	}
	content := matchContent != nil && matchContent(a.FeedID)
	ts := s.topics.Load()
	var out []WhyMatch
	for _, sub := range subs {
		r, err := ts.resolve(sub.Normalized, sub.Query)
		if err != nil {
			continue
		}
		if rs := explain(r, &a, content); len(rs) > 0 {
			out = append(out, WhyMatch{Label: sub.Label(), Reasons: rs})
		}
	}
	return out, nil
}

// explain returns the reasons r matches a, or nil when it does not.
func explain(r resolved, a *feeds.Article, matchContent bool) []Reason {
	t := newDict()
	whole := compile(r.q.Root, t)
	// The parts: the words, phrases and prefixes the chat typed (a topic's
	// aliases), each with the other names the entity table gives it.
	root := r.q.Root
	if r.base != nil {
		root = r.base.Root
	}
	var leaves []*Node
	positiveLeaves(root, &leaves)
	tab, _ := loadEntities()
	parts := make([]*cnode, len(leaves))
	for i, l := range leaves {
		n := l
		if r.base != nil && tab != nil {
			n = simplify(tab.expand(l))
		}
		parts[i] = compile(n, t)
	}
	d := getDoc()
	defer putDoc(d)
	d.readArticle(a, matchContent)
	d.index(t)
	if !whole.eval(d, false) {
		return nil
	}
	var out []Reason
	for i, c := range parts {
		d.hits = d.hits[:0]
		if c.eval(d, true) {
			out = append(out, Reason{Part: partText(leaves[i]), Words: d.surfaces(nil, 0, d.hits)})
		}
	}
	return out
}

// positiveLeaves collects the words, phrases and prefixes outside any NOT:
// an exclusion matches by what the article lacks, and has no words to show.
func positiveLeaves(n *Node, out *[]*Node) {
	switch n.Kind {
	case KindNot:
	case KindAnd, KindOr:
		for _, c := range n.Children {
			positiveLeaves(c, out)
		}
	default:
		*out = append(*out, n)
	}
}

func partText(n *Node) string {
	var b strings.Builder
	writeReading(&b, n, ReadingWords{})
	return b.String()
}

// Explain returns which words of article a match which part of query (as
// a chat would type it, with the curated topics and the entity table), or
// nil when it does not match. `newsalert match` prints it under each hit.
func (s *Service) Explain(query string, a feeds.Article, matchContent bool) []Reason {
	q, err := Parse(query, unlimited)
	if err != nil {
		return nil
	}
	r, err := s.topics.Load().resolve(q.String(), query)
	if err != nil {
		return nil
	}
	return explain(r, &a, matchContent)
}

// FormatReasons writes reasons on one line: "Києві → Київ; Ukraine → Україна".
func FormatReasons(rs []Reason) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = strings.Join(r.Words, ", ") + " → " + r.Part
	}
	return strings.Join(parts, "; ")
}
