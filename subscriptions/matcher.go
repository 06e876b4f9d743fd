package subscriptions

import (
	"slices"
	"strings"
	"sync"
)

// Match is what one article means for one chat: every query of the chat
// that matched (as the chat typed it, or the topic's name) and the words of
// the article that made them match, as the article wrote them.
type Match struct {
	ChatID  int64
	Queries []string
	Words   []string
}

// Matcher is a percolator: an inverted index over queries. Identical
// queries are stored once with their subscribers; each is indexed under a
// few terms of which at least one occurs in any article it matches. An
// article is read once, its terms look up candidate queries, and only those
// are evaluated. It is safe for concurrent use; Match runs under a read lock.
//
// The Matcher holds no database: Service keeps it in step with the store.
type Matcher struct {
	mu       sync.RWMutex
	entries  map[string]*entry
	terms    *dict
	postings [][]posting                // by termID: the queries anchored on the term
	prefixes map[uint64][]prefixPosting // by prefixKey: the prefix's first minPrefixRunes letters
	chats    map[int64]*chatState
	nums     int32   // chat numbers given out so far
	freeNums []int32 // numbers of removed chats, to give out again
}

// posting is a query in the list of a term it is anchored on, with the
// filter of its second required word, kept here so that a failing AND is
// rejected without a look at the query itself.
type posting struct {
	e      *entry
	q      *cnode // copy of e.q: a candidate is evaluated without reading e
	filter [maxFilter]termID
	nf     uint8
	direct bool // copy of e.direct
}

// entry is one distinct query and everyone subscribed to it.
type entry struct {
	direct  bool     // a word, or words ORed: an anchor present is a match
	anchors []anchor // where it is indexed
	filter  []termID // see posting
	q       *cnode
	subs    []subscriber
	key     string
}

type subscriber struct {
	label string // the query as the chat typed it, or the topic name
	// The chat's id, number and filter, copied and kept in step by
	// setFilter: Match reaches thousands of subscribers an article and
	// looks the chat up only for a language list.
	id    int64
	num   int32
	flags chatFlags
}

type chatFlags uint8

const (
	chatOff   chatFlags = 1 << iota // paused or inactive
	chatLangs                       // takes only the languages in chat.langs
)

func (c *chatState) flags() chatFlags {
	var f chatFlags
	if c.paused || c.inactive {
		f |= chatOff
	}
	if len(c.langs) > 0 {
		f |= chatLangs
	}
	return f
}

// setFilter changes what c receives. The caller holds the write lock.
func (m *Matcher) setFilter(c *chatState, paused, inactive bool, langs []string) {
	c.paused, c.inactive, c.langs = paused, inactive, langs
	f := c.flags()
	for _, ce := range c.entries {
		for i := range ce.e.subs {
			if ce.e.subs[i].id == c.id {
				ce.e.subs[i].flags = f
				break
			}
		}
	}
}

// chatState is what matching needs to know of a chat.
type chatState struct {
	id       int64
	num      int32 // dense, below Matcher.nums: Match's slot for the chat
	paused   bool
	inactive bool
	langs    []string // feed languages it receives; empty: all
	entries  []chatEntry
}

type chatEntry struct {
	e *entry
	n int32 // rows of this chat that resolve to e (a topic typed two ways)
}

// ChatFilter is the part of a chat's settings the matcher applies.
type ChatFilter struct {
	Paused        bool
	Inactive      bool
	NewsLanguages []string // empty: every language
}

// NewMatcher returns an empty matcher.
func NewMatcher() *Matcher {
	return &Matcher{
		entries:  make(map[string]*entry),
		terms:    newDict(),
		prefixes: make(map[uint64][]prefixPosting),
		chats:    make(map[int64]*chatState),
	}
}

// SetChat records a chat's filter; a chat the matcher has not seen is
// created.
func (m *Matcher) SetChat(id int64, f ChatFilter) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.chat(id)
	langs := c.langs[:0]
	for _, l := range f.NewsLanguages {
		langs = append(langs, strings.ToLower(l))
	}
	m.setFilter(c, f.Paused, f.Inactive, langs)
}

func (m *Matcher) chat(id int64) *chatState {
	c := m.chats[id]
	if c == nil {
		c = &chatState{id: id}
		if n := len(m.freeNums); n > 0 {
			c.num = m.freeNums[n-1]
			m.freeNums = m.freeNums[:n-1]
		} else {
			c.num = m.nums
			m.nums++
		}
		m.chats[id] = c
	}
	return c
}

// Add subscribes chat id to query q, stored under key (its canonical form,
// or a topic's key), shown as label.
func (m *Matcher) Add(id int64, key, label string, q *Query) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.add(m.chat(id), key, label, q)
}

func (m *Matcher) add(c *chatState, key, label string, q *Query) {
	e := m.entries[key]
	if e == nil {
		e = &entry{key: key, q: compile(q.Root, m.terms)}
		e.anchors, e.filter = indexPlan(e.q, m.terms)
		for i := range e.anchors {
			e.anchors[i].s = "" // only indexPlan needed it
		}
		e.direct = isDirect(e.q)
		m.entries[key] = e
		m.indexEntry(e)
	}
	for i := range c.entries {
		if c.entries[i].e == e {
			c.entries[i].n++
			return
		}
	}
	c.entries = append(c.entries, chatEntry{e: e, n: 1})
	if n := len(e.subs); n > 0 && e.subs[n-1].label == label {
		label = e.subs[n-1].label // share the string
	}
	e.subs = append(e.subs, subscriber{label: label, id: c.id, num: c.num, flags: c.flags()})
}

func (m *Matcher) indexEntry(e *entry) {
	for _, a := range e.anchors {
		if a.prefix != "" {
			k := prefixKey(a.prefix)
			if !slices.Contains(m.prefixes[k], prefixPosting{a.prefix, e, e.q}) {
				m.prefixes[k] = append(m.prefixes[k], prefixPosting{a.prefix, e, e.q})
			}
			continue
		}
		if int(a.id) >= len(m.postings) {
			m.postings = append(m.postings, make([][]posting, int(a.id)+1-len(m.postings))...)
		}
		if !slices.ContainsFunc(m.postings[a.id], func(p posting) bool { return p.e == e }) {
			p := posting{e: e, q: e.q, nf: uint8(len(e.filter)), direct: e.direct}
			copy(p.filter[:], e.filter)
			m.postings[a.id] = append(m.postings[a.id], p)
		}
	}
}

func (m *Matcher) unindexEntry(e *entry) {
	for _, a := range e.anchors {
		if a.prefix != "" {
			k := prefixKey(a.prefix)
			l := m.prefixes[k]
			if i := slices.Index(l, prefixPosting{a.prefix, e, e.q}); i >= 0 {
				l = slices.Delete(l, i, i+1)
				if len(l) == 0 {
					delete(m.prefixes, k)
				} else {
					m.prefixes[k] = l
				}
			}
			continue
		}
		l := m.postings[a.id]
		if i := slices.IndexFunc(l, func(p posting) bool { return p.e == e }); i >= 0 {
			l[i] = l[len(l)-1]
			l[len(l)-1] = posting{}
			if l = l[:len(l)-1]; len(l) == 0 {
				l = nil
			}
			m.postings[a.id] = l
		}
	}
}

// Remove drops one subscription of chat id to the query stored under key.
func (m *Matcher) Remove(id int64, key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.chats[id]
	e := m.entries[key]
	if c == nil || e == nil {
		return
	}
	m.remove(c, e, false)
}

// remove drops one reference of c to e, or all of them.
func (m *Matcher) remove(c *chatState, e *entry, all bool) {
	i := slices.IndexFunc(c.entries, func(ce chatEntry) bool { return ce.e == e })
	if i < 0 {
		return
	}
	if c.entries[i].n--; c.entries[i].n > 0 && !all {
		return
	}
	c.entries = slices.Delete(c.entries, i, i+1)
	j := slices.IndexFunc(e.subs, func(s subscriber) bool { return s.id == c.id })
	if j >= 0 {
		e.subs[j] = e.subs[len(e.subs)-1]
		e.subs[len(e.subs)-1] = subscriber{}
		e.subs = e.subs[:len(e.subs)-1]
	}
	if len(e.subs) == 0 {
		m.unindexEntry(e)
		delete(m.entries, e.key)
	}
}

// RemoveChat forgets a chat and all its subscriptions.
func (m *Matcher) RemoveChat(id int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.chats[id]
	if c == nil {
		return
	}
	for len(c.entries) > 0 {
		m.remove(c, c.entries[0].e, true)
	}
	delete(m.chats, id)
	m.freeNums = append(m.freeNums, c.num)
}

// Stats counts what the matcher holds.
type Stats struct {
	Chats, Queries, Subscriptions int
}

// Stats returns the matcher's size.
func (m *Matcher) Stats() Stats {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s := Stats{Chats: len(m.chats), Queries: len(m.entries)}
	for _, e := range m.entries {
		s.Subscriptions += len(e.subs)
	}
	return s
}

// prefixPosting is a prefix query under the key of its first letters.
type prefixPosting struct {
	prefix string
	e      *entry
	q      *cnode // copy of e.q
}

// prefixKey packs the first minPrefixRunes letters of a word or prefix
// into a number (21 bits a rune), or is 0 when it is shorter: one look-up
// per article word finds every prefix query that could match it, without
// hashing a string.
func prefixKey(s string) uint64 {
	var k uint64
	n := 0
	for _, r := range s {
		if n == minPrefixRunes {
			return k
		}
		k = k<<21 | uint64(r)
		n++
	}
	if n == minPrefixRunes {
		return k
	}
	return 0
}

// A key holds minPrefixRunes runes of 21 bits.
var _ [64 - 21*minPrefixRunes]struct{}
