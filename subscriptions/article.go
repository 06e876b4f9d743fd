package subscriptions

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/newsalert/newsalert/feeds"
)

// doc is an article read once for matching: its words in order, and for
// every known key (exact form or stem) the positions it occurs at. Positions
// are kept as linked lists in two flat slices, so a doc costs no allocation
// per word once its buffers have grown; docs are pooled.
type doc struct {
	lang    string
	toks    []token // fields separated by a token with an empty form
	heads   map[termID]int32
	present []termID // keys of heads, in order of first occurrence
	pos     []int32  // occurrence i: token position
	next    []int32  // occurrence i: next occurrence of the same key, or -1
	bits    *presence

	// per-match scratch
	seen  map[*entry]int32 // candidates so far: -1, or a direct query's index in dents
	cands []candidate      // candidates to evaluate, in order
	dents []*entry         // direct queries hit
	dhead []int32          // per direct query: its last hit in dhits
	dhits []directHit
	hits  []int32
	keys  []termKey
	fids  []formIDs // per token: its known keys, or missing
	pkeys []uint64  // per token: its prefixKey, once prefixKeys ran

	// Match's scratch
	found  []foundQuery
	words  []string
	pairs  []matchPair
	nq, nw []int32
	slot   []int32 // by chat number: index in the result, if it holds that chat
}

var docPool = sync.Pool{New: func() any {
	return &doc{heads: make(map[termID]int32, 256), bits: new(presence), seen: make(map[*entry]int32, 64)}
}}

func getDoc() *doc { return docPool.Get().(*doc) }

func putDoc(d *doc) {
	if len(d.toks) > 1<<16 || cap(d.pairs) > 1<<18 { // do not keep huge buffers alive
		return
	}
	d.toks = d.toks[:0]
	for _, id := range d.present {
		d.bits.unset(id)
	}
	clear(d.heads)
	clear(d.seen)
	clear(d.cands)
	clear(d.found)
	clear(d.words)
	clear(d.pairs)
	d.found, d.words, d.pairs, d.nq, d.nw = d.found[:0], d.words[:0], d.pairs[:0], d.nq[:0], d.nw[:0]
	clear(d.dents)
	d.cands, d.dents, d.dhead, d.dhits = d.cands[:0], d.dents[:0], d.dhead[:0], d.dhits[:0]
	d.present, d.pos, d.next, d.hits, d.keys = d.present[:0], d.pos[:0], d.next[:0], d.hits[:0], d.keys[:0]
	d.fids, d.pkeys = d.fids[:0], d.pkeys[:0]
	docPool.Put(d)
}

// readArticle fills d with the words of the fields of a that are matched:
// title, summary, each category, and the content when matchContent is set.
// A phrase never spans two fields. It needs no lock; index does.
func (d *doc) readArticle(a *feeds.Article, matchContent bool) {
	d.lang = a.Lang
	d.addField(a.Title)
	d.addField(a.Summary)
	for _, c := range a.Categories {
		d.addField(c)
	}
	if matchContent {
		d.addField(a.Content)
	}
}

func (d *doc) addField(s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	if len(d.toks) > 0 {
		d.toks = append(d.toks, token{})
	}
	d.toks = tokenize(d.toks, s)
}

// index records, for every token, the keys the dictionary knows: its exact
// form, and its stems for the article's language (Latin words as English
// in any article). The caller holds whatever lock guards t.
func (d *doc) index(t *dict) {
	uk, ru := articleStemmers(d.lang)
	cyr := uint8(0)
	if uk {
		cyr |= 2
	}
	if ru {
		cyr |= 4
	}
	// Known words under one read lock of the form cache, not one a word;
	// the few new forms are worked out after, each under its own.
	d.fids = slices.Grow(d.fids[:0], len(d.toks))[:len(d.toks)]
	missing := false
	t.formsMu.RLock()
	for i := range d.toks {
		tk := &d.toks[i]
		if tk.form == "" {
			d.fids[i] = formIDs{}
			continue
		}
		f, ok := t.forms[(tokenClass(tk.script, cyr)|capitalBit(tk.surface))&15][tk.form]
		if !ok {
			f.n, missing = formMissing, true
		}
		d.fids[i] = f
	}
	t.formsMu.RUnlock()
	if missing {
		for i := range d.fids {
			if d.fids[i].n == formMissing {
				tk := &d.toks[i]
				d.fids[i] = t.known(tokenClass(tk.script, cyr)|capitalBit(tk.surface), tk.form, d.keys)
			}
		}
	}
	for i := range d.fids {
		f := &d.fids[i]
		for _, id := range f.ids[:f.n] {
			d.addOcc(id, int32(i))
		}
	}
}

// formMissing marks a word the form cache does not hold yet.
const formMissing = 0xff

// tokenClass is the stemmer class of a word: bit 0 English, 1 Ukrainian,
// 2 Russian; cyr holds the bits of the article's Cyrillic stemmers. Bit 3
// (capitalBit) marks a capitalised word.
func tokenClass(s script, cyr uint8) uint8 {
	switch s {
	case scriptCyrillic:
		return cyr
	case scriptLatin:
		return 1
	}
	return 0
}

func (d *doc) addOcc(id termID, p int32) {
	head, ok := d.heads[id]
	if !ok {
		head = -1
		d.present = append(d.present, id)
		d.bits.set(id)
	} else if d.pos[head] == p { // two stems that coincide
		return
	}
	d.pos = append(d.pos, p)
	d.next = append(d.next, head)
	d.heads[id] = int32(len(d.pos) - 1)
}

// has reports whether key occurs, appending its positions to hits when
// collect is set.
func (d *doc) has(k termID, collect bool) bool {
	if !d.bits.maybe(k) {
		return false
	}
	o, ok := d.heads[k]
	if !ok {
		return false
	}
	if collect {
		for ; o >= 0; o = d.next[o] {
			d.hits = append(d.hits, d.pos[o])
		}
	}
	return true
}

// presence is a bit per key number modulo its size, set for the keys an
// article has: most keys a query asks for are absent, and one bit in 8 KB
// that stays in the cache answers that before the map does. A set bit only
// says "maybe" (two keys share it); heads decides.
type presence [presenceWords]uint64

const presenceWords = 1 << 10

func (p *presence) set(id termID) { p[id>>6&(presenceWords-1)] |= 1 << (id & 63) }

// unset clears id's word: the caller clears every key of the article.
func (p *presence) unset(id termID) { p[id>>6&(presenceWords-1)] = 0 }

func (p *presence) maybe(id termID) bool { return p[id>>6&(presenceWords-1)]&(1<<(id&63)) != 0 }

// directHit is one term of the article that anchors a direct query; next
// chains the query's other hits.
type directHit struct {
	id   termID
	next int32
}

// hasAny reports whether any of ids occurs.
func (d *doc) hasAny(ids []termID) bool {
	for _, id := range ids {
		if !d.bits.maybe(id) {
			continue
		}
		if _, ok := d.heads[id]; ok {
			return true
		}
	}
	return false
}

// phrase reports whether the words of phrase c occur in a row, each in
// one of its forms (any of its keys at that position).
func (d *doc) phrase(c *cnode, collect bool) bool {
	found := false
	n := len(c.ends)
	for _, first := range c.wordIDs(0) {
		if !d.bits.maybe(first) {
			continue
		}
		o, ok := d.heads[first]
		if !ok {
			continue
		}
	occurrences:
		for ; o >= 0; o = d.next[o] {
			p := int(d.pos[o])
			if p+n > len(d.toks) {
				continue
			}
			for j := 1; j < n; j++ {
				if !d.tokenHas(p+j, c.wordIDs(j)) {
					continue occurrences
				}
			}
			found = true
			if !collect {
				return true
			}
			for j := range n {
				d.hits = append(d.hits, int32(p+j))
			}
		}
	}
	return found
}

// tokenHas reports whether the token at p has one of ids among its keys.
func (d *doc) tokenHas(p int, ids []termID) bool {
	f := &d.fids[p]
	for _, id := range f.ids[:f.n] {
		for _, w := range ids {
			if id == w {
				return true
			}
		}
	}
	return false
}

// prefixKeys fills d.pkeys, once a doc.
func (d *doc) prefixKeys() {
	if len(d.pkeys) == len(d.toks) && len(d.toks) > 0 {
		return
	}
	d.pkeys = d.pkeys[:0]
	for i := range d.toks {
		d.pkeys = append(d.pkeys, prefixKey(d.toks[i].form))
	}
}

// prefix reports whether a word starts with pre.
func (d *doc) prefix(pre string, collect bool) bool {
	if k := prefixKey(pre); k != 0 {
		// Only words with pre's first letters can start with it.
		d.prefixKeys()
		found := false
		for i, wk := range d.pkeys {
			if wk == k && strings.HasPrefix(d.toks[i].form, pre) {
				if !collect {
					return true
				}
				found = true
				d.hits = append(d.hits, int32(i))
			}
		}
		return found
	}
	found := false
	n := len(pre)
	var last byte
	if n > 0 {
		last = pre[n-1]
	}
	for i := range d.toks {
		// The byte at the prefix's end differs for most words: a cheap
		// test before comparing the whole prefix.
		if f := d.toks[i].form; len(f) >= n && (n == 0 || f[n-1] == last && f[:n] == pre) {
			if !collect {
				return true
			}
			found = true
			d.hits = append(d.hits, int32(i))
		}
	}
	return found
}

// surfaces appends to dst the distinct surface forms at the collected
// positions, in the article's order. Only dst[from:] counts for distinct.
func (d *doc) surfaces(dst []string, from int, hits []int32) []string {
	slices.Sort(hits)
	for _, p := range hits {
		s := d.toks[p].surface
		dup := false
		for _, w := range dst[from:] {
			if w == s {
				dup = true
				break
			}
		}
		if !dup && utf8.ValidString(s) {
			dst = append(dst, s)
		}
	}
	return dst
}
