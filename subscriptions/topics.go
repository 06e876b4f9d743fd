package subscriptions

import (
	"fmt"
	"strings"
)

// Topic is a concept an admin curates across languages. A chat that
// subscribes to its name or to any alias gets every alias (an OR of them);
// listings show the name. Aliases use the query language: a multi-word
// alias without quotes needs all its words.
type Topic struct {
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
}

// topicSet resolves canonical queries to topics.
type topicSet struct {
	byQuery map[string]*compiledTopic // canonical form of the name and each alias
}

type compiledTopic struct {
	name string
	key  string // the matcher's key for the topic
	q    *Query // OR of the aliases
}

// topicKeyPrefix cannot start a canonical query: '#' is not a word character.
const topicKeyPrefix = "#topic "

var unlimited = Limits{MaxLen: 1 << 20, MaxTerms: 1 << 20}

func compileTopics(topics []Topic) (*topicSet, error) {
	ts := &topicSet{byQuery: make(map[string]*compiledTopic)}
	for _, t := range topics {
		name := strings.TrimSpace(t.Name)
		if name == "" {
			return nil, fmt.Errorf("subscriptions: topic without a name")
		}
		aliases := t.Aliases
		if len(aliases) == 0 {
			aliases = []string{name}
		}
		or := &Node{Kind: KindOr}
		var forms []string
		for _, a := range aliases {
			q, err := Parse(a, unlimited)
			if err != nil {
				return nil, fmt.Errorf("subscriptions: topic %q alias %q: %w", name, a, err)
			}
			or.Children = append(or.Children, q.Root)
			forms = append(forms, q.String())
		}
		if q, err := Parse(name, unlimited); err == nil {
			forms = append(forms, q.String())
		}
		ct := &compiledTopic{name: name, key: topicKeyPrefix + name, q: &Query{Root: simplify(or)}}
		for _, f := range forms {
			if prev, ok := ts.byQuery[f]; ok && prev.name != name {
				return nil, fmt.Errorf("subscriptions: %q is in both topic %q and %q", f, prev.name, name)
			}
			ts.byQuery[f] = ct
		}
	}
	return ts, nil
}

// resolved is where a stored subscription lives in the matcher.
type resolved struct {
	norm  string // the canonical query it was resolved from (addRows' cache)
	key   string // matcher key: Query.Key, or the topic's key
	topic string // topic name, or ""
	q     *Query
	base  *Query // q before the entity table: as typed (nil for a topic)
}

// resolve maps a canonical query to its topic, if it names one, or to
// itself. typed is the query as the chat typed it: its capitalised words
// are names (see Query.Key). It parses without limits: stored queries were
// checked when typed, and the limits may have changed since.
func (ts *topicSet) resolve(normalized, typed string) (resolved, error) {
	if t := ts.byQuery[normalized]; t != nil {
		return resolved{key: t.key, topic: t.name, q: t.q}, nil
	}
	q, err := Parse(typed, unlimited)
	if err != nil || q.String() != normalized { // typed by an older parser
		if q, err = Parse(normalized, unlimited); err != nil {
			return resolved{}, err
		}
	}
	return resolved{key: q.Key(), q: withEntities(q), base: q}, nil
}
