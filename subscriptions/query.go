package subscriptions

import (
	"slices"
	"strings"
)

// Kind is the type of a query node.
type Kind uint8

// Query node kinds.
const (
	KindWord   Kind = iota + 1 // an unquoted word: matches its inflected forms
	KindPrefix                 // Україн*: any word starting with the prefix
	KindPhrase                 // "foreign minister": words in a row, each in any form; !Київ: that form only
	KindAnd                    // every child
	KindOr                     // any child
	KindNot                    // the child must not match
)

// Node is one node of a parsed query. Words hold normalized forms.
type Node struct {
	Kind     Kind
	Words    []string // KindWord, KindPrefix: one word; KindPhrase: one or more
	Children []*Node  // KindAnd, KindOr: two or more; KindNot: one
	Typed    string   // KindWord, KindPrefix, KindPhrase: as the user typed it, for Reading
	hyphen   bool     // a phrase typed as NATO-Russia, without quotes
}

// Query is a parsed, normalized subscription query.
type Query struct {
	Root *Node

	typed *Node // Root before simplify: in the user's order, for Reading
	sugar bool  // an operator word (OR, АБО, AND, НЕ, ...), | or a comma was read
}

// Limits bound what Parse accepts. Zero fields take the defaults.
type Limits struct {
	MaxLen   int // characters of the query as typed; default 200
	MaxTerms int // words, counting each word of a phrase; default 20
}

// Default limits.
const (
	DefaultMaxQueryLen = 200
	DefaultMaxTerms    = 20
	minPrefixRunes     = 3
	maxDepth           = 16
)

func (l Limits) withDefaults() Limits {
	if l.MaxLen <= 0 {
		l.MaxLen = DefaultMaxQueryLen
	}
	if l.MaxTerms <= 0 {
		l.MaxTerms = DefaultMaxTerms
	}
	return l
}

// String returns the canonical form of the query: normalized words, children
// of AND and OR sorted. Parsing it gives the same query again, so it is the
// key under which identical subscriptions are stored once.
func (q *Query) String() string {
	var b strings.Builder
	writeNode(&b, q.Root)
	return b.String()
}

func (n *Node) String() string {
	var b strings.Builder
	writeNode(&b, n)
	return b.String()
}

func writeNode(b *strings.Builder, n *Node) {
	switch n.Kind {
	case KindWord:
		b.WriteString(n.Words[0])
	case KindPrefix:
		b.WriteString(n.Words[0])
		b.WriteByte('*')
	case KindPhrase:
		if len(n.Words) == 1 && strings.HasPrefix(n.Words[0], exactMark) {
			b.WriteString(n.Words[0]) // !київ
			return
		}
		b.WriteByte('"')
		b.WriteString(strings.Join(n.Words, " "))
		b.WriteByte('"')
	case KindNot:
		b.WriteByte('-')
		c := n.Children[0]
		if c.Kind == KindAnd || c.Kind == KindOr || c.Kind == KindNot {
			b.WriteByte('(')
			writeNode(b, c)
			b.WriteByte(')')
		} else {
			writeNode(b, c)
		}
	case KindAnd:
		for i, c := range n.Children {
			if i > 0 {
				b.WriteByte(' ')
			}
			if c.Kind == KindOr {
				b.WriteByte('(')
				writeNode(b, c)
				b.WriteByte(')')
			} else {
				writeNode(b, c)
			}
		}
	case KindOr:
		for i, c := range n.Children {
			if i > 0 {
				b.WriteString(" OR ")
			}
			writeNode(b, c)
		}
	}
}

// positive reports whether a node can match on what an article contains,
// not only on what it lacks: an AND needs one positive child, an OR needs
// every child positive.
func positive(n *Node) bool {
	switch n.Kind {
	case KindNot:
		return false
	case KindAnd:
		return slices.ContainsFunc(n.Children, positive)
	case KindOr:
		for _, c := range n.Children {
			if !positive(c) {
				return false
			}
		}
	}
	return true
}

// simplify flattens nested AND/OR, sorts and dedups their children, drops
// double negation and collapses one-child groups, so that equal queries
// have equal strings.
func simplify(n *Node) *Node {
	switch n.Kind {
	case KindNot:
		c := simplify(n.Children[0])
		if c.Kind == KindNot {
			return c.Children[0]
		}
		return &Node{Kind: KindNot, Children: []*Node{c}}
	case KindAnd, KindOr:
		var kids []*Node
		for _, c := range n.Children {
			c = simplify(c)
			if c.Kind == n.Kind {
				kids = append(kids, c.Children...)
			} else {
				kids = append(kids, c)
			}
		}
		type keyed struct {
			s string
			n *Node
		}
		ks := make([]keyed, len(kids))
		for i, c := range kids {
			ks[i] = keyed{c.String(), c}
		}
		// Exclusions last, for readability: "nato -trump".
		slices.SortFunc(ks, func(a, b keyed) int {
			if na, nb := a.n.Kind == KindNot, b.n.Kind == KindNot; na != nb {
				if na {
					return 1
				}
				return -1
			}
			return strings.Compare(a.s, b.s)
		})
		ks = slices.CompactFunc(ks, func(a, b keyed) bool { return a.s == b.s })
		if len(ks) == 1 {
			return ks[0].n
		}
		out := &Node{Kind: n.Kind, Children: make([]*Node, len(ks))}
		for i, k := range ks {
			out.Children[i] = k.n
		}
		return out
	}
	return n
}
