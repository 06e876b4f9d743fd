package subscriptions

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// The entity table: the common news entities (countries, Ukraine's regions
// and cities, world capitals, international organisations, heads of state
// and government) with their Ukrainian, Russian and English names and the
// other spellings readers meet. A query word that is one of an entity's
// names also finds the others, so Україна finds Украина and Ukraine: one
// topic, every language. An admin's curated topics come first; /newslang
// still narrows which articles arrive.
//
// The table is data this project writes (entities.tsv), one entity a line:
//
//	id <TAB> uk names <TAB> ru names <TAB> en names <TAB> other spellings
//
// names separated by ";", each in the query language (a hyphenated or
// quoted name is a phrase). A name written ^Суми is only a way in: typing it
// finds the entity, but it is not searched for when another name was typed,
// because as an ordinary word it means something else (суми: sums; Того:
// of that; US: us).
//
//go:embed entities.tsv
var entitiesTSV string

// entityTable is the parsed table: compact, as it lives for the life of
// the process. Names are kept as one string an entity and parsed when a
// query uses it, which happens once per distinct query.
type entityTable struct {
	byForm map[string]int32 // canonical form of a name → entity
	names  []string         // per entity: its names, "\x1f"-separated; ^ marks a way in only
}

var (
	entitiesOnce sync.Once
	entities     *entityTable
	entitiesErr  error
)

func loadEntities() (*entityTable, error) {
	entitiesOnce.Do(func() { entities, entitiesErr = parseEntities(entitiesTSV) })
	return entities, entitiesErr
}

func parseEntities(src string) (*entityTable, error) {
	t := &entityTable{byForm: make(map[string]int32)}
	for ln, line := range strings.Split(src, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 4 || len(cols) > 5 {
			return nil, fmt.Errorf("subscriptions: entities.tsv line %d: %d columns, want 4 or 5", ln+1, len(cols))
		}
		var names []string
		idx := int32(len(t.names))
		for _, c := range cols[1:] {
			for name := range strings.SplitSeq(c, ";") {
				name = strings.TrimSpace(name)
				if name == "" {
					continue
				}
				q, err := Parse(strings.TrimPrefix(name, "^"), unlimited)
				if err != nil {
					return nil, fmt.Errorf("subscriptions: entities.tsv line %d: name %q: %w", ln+1, name, err)
				}
				if k := q.Root.Kind; k != KindWord && k != KindPhrase {
					return nil, fmt.Errorf("subscriptions: entities.tsv line %d: name %q is not a word or a phrase", ln+1, name)
				}
				f := q.String()
				if prev, ok := t.byForm[f]; ok && prev != idx {
					return nil, fmt.Errorf("subscriptions: entities.tsv line %d: %q is also entity %d's", ln+1, name, prev)
				}
				t.byForm[f] = idx
				names = append(names, name)
			}
		}
		if len(names) < 2 {
			return nil, fmt.Errorf("subscriptions: entities.tsv line %d: %s has fewer than two names", ln+1, cols[0])
		}
		t.names = append(t.names, strings.Join(names, "\x1f"))
	}
	return t, nil
}

// lookup returns the entity a query node names: an unquoted word, or a
// hyphenated name (Нью-Йорк). A quoted phrase asks for exactly itself.
func (t *entityTable) lookup(n *Node) (int32, bool) {
	if t == nil || !(n.Kind == KindWord || n.Kind == KindPhrase && n.hyphen) {
		return 0, false
	}
	i, ok := t.byForm[n.String()]
	return i, ok
}

// others returns an entity's names other than the one typed (by canonical
// form), as written in the table, leaving out the ways in only.
func (t *entityTable) others(i int32, typed string) []string {
	var out []string
	for name := range strings.SplitSeq(t.names[i], "\x1f") {
		if strings.HasPrefix(name, "^") {
			continue
		}
		q, err := Parse(name, unlimited)
		if err != nil || q.String() == typed {
			continue
		}
		out = append(out, name)
	}
	return out
}

// expand returns n with every word that names an entity replaced by the OR
// of the word and the entity's other names. It does not change n.
func (t *entityTable) expand(n *Node) *Node {
	if i, ok := t.lookup(n); ok {
		or := &Node{Kind: KindOr, Children: []*Node{n}}
		for _, name := range t.others(i, n.String()) {
			q, _ := Parse(name, unlimited) // parsed once by others already
			or.Children = append(or.Children, q.Root)
		}
		return or
	}
	switch n.Kind {
	case KindAnd, KindOr, KindNot:
		kids := make([]*Node, len(n.Children))
		changed := false
		for j, c := range n.Children {
			kids[j] = t.expand(c)
			changed = changed || kids[j] != c
		}
		if changed {
			return &Node{Kind: n.Kind, Children: kids}
		}
	}
	return n
}

// alsoFinds lists, for each word of q that names an entity, the other
// names it also finds, in the table's order.
func (t *entityTable) alsoFinds(n *Node, out []string) []string {
	if i, ok := t.lookup(n); ok {
		for _, name := range t.others(i, n.String()) {
			if !containsString(out, name) {
				out = append(out, name)
			}
		}
		return out
	}
	if n.Kind == KindNot { // an excluded entity: its names are excluded too, but not "looked for"
		return out
	}
	for _, c := range n.Children {
		out = t.alsoFinds(c, out)
	}
	return out
}

func containsString(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// withEntities returns q with its entity names expanded (see expand).
func withEntities(q *Query) *Query {
	t, err := loadEntities()
	if err != nil || t == nil {
		return q
	}
	root := t.expand(q.Root)
	if root == q.Root {
		return q
	}
	return &Query{Root: simplify(root), typed: q.typed, sugar: q.sugar}
}

// AlsoFinds returns the other spellings a query also looks for, from the
// built-in entity table: for "Україна", Украина and Ukraine. A query that
// names a curated topic gets none (the topic's aliases are the admin's).
func (s *Service) AlsoFinds(query string) []string {
	q, err := Parse(query, unlimited)
	if err != nil {
		return nil
	}
	if s.topics.Load().byQuery[q.String()] != nil {
		return nil
	}
	t, err := loadEntities()
	if err != nil || t == nil {
		return nil
	}
	// Names the query itself has are not "also" looked for: NATO, НАТО.
	var typed []*Node
	positiveLeaves(q.Root, &typed)
	var out []string
	for _, name := range t.alsoFinds(q.Root, nil) {
		if n, err := Parse(name, unlimited); err == nil && slices.ContainsFunc(typed, func(l *Node) bool { return l.String() == n.String() }) {
			continue
		}
		out = append(out, strings.Trim(name, `"`)) // a reply lists names, not query syntax
	}
	return out
}
