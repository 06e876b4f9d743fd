package subscriptions

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/newsalert/newsalert/feeds"
)

// doc is an article read once for matching: its words in order, and for
// every key (exact form or stem) the positions it occurs at. Positions are
// kept as linked lists in two flat slices so a doc costs no allocation per
// word once its buffers have grown; docs are pooled.
type doc struct {
	lang  string
	toks  []token // fields separated by a token with an empty form
	heads map[termKey]int32
	pos   []int32 // occurrence i: token position
	next  []int32 // occurrence i: next occurrence of the same key, or -1

	// per-match scratch
	cands map[*entry]struct{}
	hits  []int32
	keys  []termKey
}

var docPool = sync.Pool{New: func() any {
	return &doc{heads: make(map[termKey]int32, 512), cands: make(map[*entry]struct{}, 64)}
}}

func getDoc() *doc { return docPool.Get().(*doc) }

func putDoc(d *doc) {
	if len(d.toks) > 1<<16 { // do not keep a huge article's buffers alive
		return
	}
	d.toks = d.toks[:0]
	clear(d.heads)
	clear(d.cands)
	d.pos, d.next, d.hits, d.keys = d.pos[:0], d.next[:0], d.hits[:0], d.keys[:0]
	docPool.Put(d)
}

// readArticle fills d with the fields of a that are matched: title,
// summary, each category, and the content when matchContent is set. A
// phrase never spans two fields.
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
	d.index()
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

// index computes every token's keys: its exact form, and its stems for the
// article's language (Latin words as English in any article).
func (d *doc) index() {
	uk, ru := articleStemmers(d.lang)
	for i := range d.toks {
		t := &d.toks[i]
		if t.form == "" {
			continue
		}
		d.keys = append(d.keys[:0], termKey{stemExact, t.form})
		switch t.script {
		case scriptCyrillic:
			if uk {
				d.keys = appendStems(d.keys, stemUkrainian, t.form)
			}
			if ru {
				d.keys = appendStems(d.keys, stemRussian, t.form)
			}
		case scriptLatin:
			d.keys = appendStems(d.keys, stemEnglish, t.form)
		}
		for _, k := range d.keys {
			d.addOcc(k, int32(i))
		}
	}
}

func (d *doc) addOcc(k termKey, p int32) {
	head, ok := d.heads[k]
	if !ok {
		head = -1
	} else if d.pos[head] == p { // two stems that coincide
		return
	}
	d.pos = append(d.pos, p)
	d.next = append(d.next, head)
	d.heads[k] = int32(len(d.pos) - 1)
}

// has reports whether key occurs, appending its positions to hits when
// collect is set.
func (d *doc) has(k termKey, collect bool) bool {
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

// phrase reports whether words occur in a row.
func (d *doc) phrase(words []string, collect bool) bool {
	o, ok := d.heads[termKey{stemExact, words[0]}]
	if !ok {
		return false
	}
	found := false
	for ; o >= 0; o = d.next[o] {
		p := int(d.pos[o])
		if p+len(words) > len(d.toks) {
			continue
		}
		match := true
		for j := 1; j < len(words); j++ {
			if d.toks[p+j].form != words[j] {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		found = true
		if !collect {
			return true
		}
		for j := range words {
			d.hits = append(d.hits, int32(p+j))
		}
	}
	return found
}

// prefix reports whether a word starts with pre.
func (d *doc) prefix(pre string, collect bool) bool {
	found := false
	for i, t := range d.toks {
		if strings.HasPrefix(t.form, pre) {
			if !collect {
				return true
			}
			found = true
			d.hits = append(d.hits, int32(i))
		}
	}
	return found
}

// prefixesOf calls f with every prefix of form that is at least
// minPrefixRunes and at most maxRunes long.
func prefixesOf(form string, maxRunes int, f func(string)) {
	n := 0
	for i := range form {
		if n >= minPrefixRunes {
			f(form[:i])
		}
		n++
		if n > maxRunes {
			return
		}
	}
	if n >= minPrefixRunes && n <= maxRunes {
		f(form)
	}
}

// surfaces returns the distinct surface forms at the collected positions,
// appended to dst.
func (d *doc) surfaces(dst []string, hits []int32) []string {
	for _, p := range hits {
		s := d.toks[p].surface
		dup := false
		for _, w := range dst {
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
