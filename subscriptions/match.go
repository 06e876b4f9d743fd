package subscriptions

import (
	"slices"
	"strings"

	"github.com/newsalert/newsalert/feeds"
)

// Match returns one Match per chat that article a concerns, in no
// particular order. Content is matched only when matchContent is set (the
// feed's match_content). Paused and inactive chats, and chats that do not
// take the article's language, are left out. Queries of one Match are
// sorted; Words are in the article's order.
func (m *Matcher) Match(a feeds.Article, matchContent bool) []Match {
	return m.match(a, matchContent, nil)
}

// MatchStory is Match for an article that is one edition of a story in
// langs: a chat with a language list is reached when it takes any of them
// (its query may match only the edition it does not take).
func (m *Matcher) MatchStory(a feeds.Article, matchContent bool, langs []string) []Match {
	return m.match(a, matchContent, langs)
}

func (m *Matcher) match(a feeds.Article, matchContent bool, storyLangs []string) []Match {
	d := getDoc()
	defer putDoc(d)
	d.readArticle(&a, matchContent)
	lang := strings.ToLower(a.Lang)

	m.mu.RLock()
	defer m.mu.RUnlock()
	// The queries that match, and the words that made each match.
	nsubs := 0
	m.matchQueries(d, func(e *entry, hits []int32) {
		start := len(d.words)
		d.words = d.surfaces(d.words, start, hits)
		d.found = append(d.found, foundQuery{e: e, start: int32(start), end: int32(len(d.words))})
		nsubs += len(e.subs)
	})
	if nsubs == 0 {
		return nil
	}
	// Who gets what. The result is written into three arrays (matches,
	// queries, words), each chat a window of them, so that a popular query
	// reaching thousands of chats costs three allocations, not some per chat.
	out := make([]Match, 0, nsubs)
	if len(d.slot) < int(m.nums) {
		d.slot = make([]int32, m.nums+m.nums/8)
	}
	for fi, f := range d.found {
		for _, s := range f.e.subs {
			if s.flags != 0 && (s.flags&chatOff != 0 || !m.takes(s.id, lang) && !m.takesAny(s.id, storyLangs)) {
				continue
			}
			// A slot left by an earlier article is recognized as not this
			// chat's: no clearing between articles.
			i := d.slot[s.num]
			if i < 0 || int(i) >= len(out) || out[i].ChatID != s.id {
				i = int32(len(out))
				d.slot[s.num] = i
				out = append(out, Match{ChatID: s.id})
				d.nq = append(d.nq, 0)
				d.nw = append(d.nw, 0)
			}
			d.pairs = append(d.pairs, matchPair{match: i, query: int32(fi), label: s.label})
			d.nq[i]++
			d.nw[i] += f.end - f.start
		}
	}
	if len(out) == 0 {
		return nil
	}
	total := 0
	for _, n := range d.nw {
		total += int(n)
	}
	queries := make([]string, len(d.pairs))
	words := make([]string, total)
	qoff, woff := 0, 0
	for i := range out {
		out[i].Queries = queries[qoff : qoff : qoff+int(d.nq[i])]
		out[i].Words = words[woff : woff : woff+int(d.nw[i])]
		qoff += int(d.nq[i])
		woff += int(d.nw[i])
	}
	for _, p := range d.pairs {
		mt := &out[p.match]
		mt.Queries = append(mt.Queries, p.label)
		f := d.found[p.query]
		for _, w := range d.words[f.start:f.end] {
			if !slices.Contains(mt.Words, w) {
				mt.Words = append(mt.Words, w)
			}
		}
	}
	for i := range out {
		if len(out[i].Queries) > 1 {
			slices.Sort(out[i].Queries)
		}
	}
	return out
}

// takes reports whether chat id, which has a language list, takes lang.
func (m *Matcher) takes(id int64, lang string) bool {
	c := m.chats[id]
	return c != nil && slices.Contains(c.langs, lang)
}

// takesAny reports whether chat id takes one of langs.
func (m *Matcher) takesAny(id int64, langs []string) bool {
	for _, l := range langs {
		if m.takes(id, l) {
			return true
		}
	}
	return false
}

// matchPair is one subscriber reached by one matching query.
type matchPair struct {
	match int32 // index in the result
	query int32 // index in found
	label string
}

// foundQuery is a query that matched an article, and the words that made
// it match (a window of doc.words).
type foundQuery struct {
	e          *entry
	start, end int32
}

// matchQueries calls f for every distinct query that matches d, with the
// positions of the words that made it match. The caller holds the read lock.
func (m *Matcher) matchQueries(d *doc, f func(e *entry, hits []int32)) {
	d.index(m.terms)
	m.candidates(d)
	// A direct query that is a candidate matches: its words are those of
	// its terms that brought it here, and the query itself is not read.
	for gi, e := range d.dents {
		d.hits = d.hits[:0]
		for h := d.dhead[gi]; h >= 0; h = d.dhits[h].next {
			d.has(d.dhits[h].id, true)
		}
		f(e, d.hits)
	}
	for _, c := range d.cands {
		d.hits = d.hits[:0]
		if c.q.eval(d, true) {
			f(c.e, d.hits)
		}
	}
}

// candidates collects into d.cands the queries anchored on the article's
// terms and prefixes.
func (m *Matcher) candidates(d *doc) {
	for _, id := range d.present {
		if int(id) < len(m.postings) {
			for i := range m.postings[id] {
				p := &m.postings[id][i]
				if p.direct {
					d.directHit(p.e, id)
					continue
				}
				if p.nf > 0 && !d.hasAny(p.filter[:p.nf]) {
					continue
				}
				d.candidate(p.e, p.q)
			}
		}
	}
	if len(m.prefixes) == 0 {
		return
	}
	d.prefixKeys()
	for i, k := range d.pkeys {
		if k == 0 {
			continue
		}
		form := d.toks[i].form
		for _, p := range m.prefixes[k] {
			if strings.HasPrefix(form, p.prefix) {
				d.candidate(p.e, p.q)
			}
		}
	}
}

// candidate is a query to evaluate, and its compiled form.
type candidate struct {
	e *entry
	q *cnode
}

func (d *doc) candidate(e *entry, q *cnode) {
	if _, ok := d.seen[e]; !ok {
		d.seen[e] = -1
		d.cands = append(d.cands, candidate{e, q})
	}
}

// directHit records that term id of the article is an anchor of the direct
// query e.
func (d *doc) directHit(e *entry, id termID) {
	gi, ok := d.seen[e]
	if !ok {
		gi = int32(len(d.dents))
		d.seen[e] = gi
		d.dents = append(d.dents, e)
		d.dhead = append(d.dhead, -1)
	}
	d.dhits = append(d.dhits, directHit{id: id, next: d.dhead[gi]})
	d.dhead[gi] = int32(len(d.dhits) - 1)
}
