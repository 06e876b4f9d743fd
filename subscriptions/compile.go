package subscriptions

import (
	"strings"
	"unicode/utf8"
)

// cnode is a query node ready to evaluate: unquoted words carry their
// index keys, computed once when the query is added. The nodes of a query
// sit in one array and its keys in another, so evaluating a candidate
// touches a few adjacent cache lines rather than a pointer per node.
type cnode struct {
	kind  Kind
	pos   bool // positive: can match on what an article contains
	words []string
	ids   []termID // KindWord: its keys (any one in the article is a hit); KindPhrase: every word's, in order
	ends  []uint16 // KindPhrase: where each word's keys end in ids
	kids  []cnode
}

// compile prepares n for evaluation, numbering its keys in t.
func compile(n *Node, t *dict) *cnode {
	nodes := make([]cnode, countNodes(n))
	c := compiler{nodes: nodes[1:], t: t}
	c.fill(&nodes[0], n)
	ids := make([]termID, len(c.ids))
	copy(ids, c.ids)
	for _, s := range c.spans {
		s.c.ids = ids[s.start:s.end:s.end]
	}
	return &nodes[0]
}

func countNodes(n *Node) int {
	k := 1
	for _, c := range n.Children {
		k += countNodes(c)
	}
	return k
}

type compiler struct {
	nodes []cnode // not yet used
	t     *dict
	ids   []termID
	spans []idSpan
}

type idSpan struct {
	c          *cnode
	start, end int
}

func (cp *compiler) fill(c *cnode, n *Node) {
	*c = cnode{kind: n.Kind, words: n.Words, pos: positive(n)}
	var keys []termKey
	switch n.Kind {
	case KindWord:
		keys = nameQueryKeys(nil, n.Words[0], isCapitalised(n.Typed))
		if isCapitalised(n.Typed) { // a name: also in the other script
			keys = appendNameKeys(keys, n.Words[0])
		}
	case KindPhrase:
		c.ends = make([]uint16, len(n.Words))
		for i, w := range n.Words {
			keys = phraseWordKeys(keys, w, isCapitalised(n.Typed) && i == 0)
			c.ends[i] = uint16(len(keys))
		}
	case KindAnd, KindOr, KindNot:
		c.kids = cp.nodes[:len(n.Children):len(n.Children)]
		cp.nodes = cp.nodes[len(n.Children):]
		for i, k := range n.Children {
			cp.fill(&c.kids[i], k)
		}
	}
	if len(keys) == 0 {
		return
	}
	start := len(cp.ids)
	for _, k := range keys {
		cp.ids = append(cp.ids, cp.t.id(k))
	}
	cp.spans = append(cp.spans, idSpan{c, start, len(cp.ids)})
}

// eval reports whether the node matches d. With collect set, the positions
// of the words that made a positive match are appended to d.hits; a failed
// branch leaves no positions behind.
func (c *cnode) eval(d *doc, collect bool) bool {
	switch c.kind {
	case KindWord:
		found := false
		for _, k := range c.ids {
			if d.has(k, collect) {
				if !collect {
					return true
				}
				found = true
			}
		}
		return found
	case KindPhrase:
		return d.phrase(c, collect)
	case KindPrefix:
		return d.prefix(c.words[0], collect)
	case KindNot:
		return !c.kids[0].eval(d, false)
	case KindAnd:
		mark := len(d.hits)
		for i := range c.kids {
			if !c.kids[i].eval(d, collect) {
				d.hits = d.hits[:mark]
				return false
			}
		}
		return true
	case KindOr:
		found := false
		for i := range c.kids {
			if c.kids[i].eval(d, collect) {
				if !collect {
					return true
				}
				found = true
			}
		}
		return found
	}
	return false
}

// anchor is one place a query is indexed under: a term, or a prefix.
type anchor struct {
	id     termID
	s      string // the term's text, for anchorCost
	prefix string // set for a prefix anchor
}

// anchors returns a set of anchors of which at least one occurs in every
// article the node matches: for AND the cheapest positive child's, for OR
// all children's. Negated nodes have none, which is why a query needs a
// positive part.
func anchors(c *cnode, t *dict) []anchor {
	switch c.kind {
	case KindWord:
		out := make([]anchor, len(c.ids))
		for i, id := range c.ids {
			out[i] = anchor{id: id, s: c.words[0]}
		}
		return out
	case KindPhrase:
		// The longest word is the likeliest to be rare; an exact one is
		// rarer than one in any form.
		best := 0
		for i, w := range c.words {
			if len(w) > len(c.words[best]) {
				best = i
			}
		}
		ids := c.wordIDs(best)
		out := make([]anchor, len(ids))
		for i, id := range ids {
			out[i] = anchor{id: id, s: c.words[best]}
		}
		return out
	case KindPrefix:
		return []anchor{{prefix: c.words[0]}}
	case KindOr:
		var out []anchor
		for i := range c.kids {
			out = append(out, anchors(&c.kids[i], t)...)
		}
		return out
	case KindAnd:
		var best []anchor
		bestCost := -1
		for i := range c.kids {
			k := &c.kids[i]
			if !k.pos {
				continue
			}
			a := anchors(k, t)
			if cost := anchorCost(a); bestCost < 0 || cost < bestCost {
				best, bestCost = a, cost
			}
		}
		return best
	}
	return nil
}

// indexPlan returns where to index a query and, for an AND, a filter: the
// ids of a second required word (any one of them present) that postings
// check before the query is evaluated, so most AND candidates that fail are
// rejected without touching the query.
func indexPlan(c *cnode, t *dict) (as []anchor, filter []termID) {
	if c.kind != KindAnd {
		return anchors(c, t), nil
	}
	best, bestCost := -1, -1
	for i := range c.kids {
		k := &c.kids[i]
		if !k.pos {
			continue
		}
		if cost := anchorCost(anchors(k, t)); best < 0 || cost < bestCost {
			best, bestCost = i, cost
		}
	}
	as = anchors(&c.kids[best], t)
	for i := range c.kids {
		k := &c.kids[i]
		if i == best || len(k.ids) == 0 || len(k.ids) > maxFilter {
			continue
		}
		if k.kind == KindWord {
			return as, k.ids
		}
		if k.kind == KindPhrase && len(k.wordIDs(0)) <= maxFilter {
			return as, k.wordIDs(0)
		}
	}
	return as, nil
}

const maxFilter = 3

// anchorCost guesses how many articles an anchor set lets through: short
// words are common, prefixes match many words, and every alternative adds.
func anchorCost(as []anchor) int {
	cost := 0
	for _, a := range as {
		if a.prefix != "" {
			cost += 2000 / (1 + utf8.RuneCountInString(a.prefix))
			continue
		}
		cost += 1000 / (1 + utf8.RuneCountInString(a.s))
	}
	return cost
}

// isDirect reports a query that its anchors say everything about: a word,
// or an OR of words. Such a query matches every article it is a candidate
// for, and needs no evaluation.
func isDirect(c *cnode) bool {
	switch c.kind {
	case KindWord:
		return true
	case KindOr:
		for i := range c.kids {
			if c.kids[i].kind != KindWord {
				return false
			}
		}
		return true
	}
	return false
}

// wordIDs returns the keys of a phrase's word i.
func (c *cnode) wordIDs(i int) []termID {
	start := uint16(0)
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.ids[start:c.ends[i]]
}

// phraseWordKeys appends the keys of one word of a phrase: its own form
// when it is marked exact (!word), else those of an unquoted word (name:
// typed with a capital).
func phraseWordKeys(dst []termKey, w string, name bool) []termKey {
	if exact, ok := strings.CutPrefix(w, exactMark); ok {
		return append(dst, termKey{stemExact, exact})
	}
	return nameQueryKeys(dst, w, name)
}
