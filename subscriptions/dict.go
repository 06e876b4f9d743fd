package subscriptions

import (
	"strings"
	"sync"
)

// termID numbers the term keys some query uses. A matcher (or a dry run)
// owns the dictionary; article words it does not know are not indexed, as
// no query could ask for them.
type termID = uint32

type dict struct {
	ids map[termKey]termID

	// forms caches, per article word, the ids of its keys that the
	// dictionary knows: one lookup per word instead of a stemmer and three
	// dictionary lookups. Readers fill it concurrently under formsMu; a new
	// id empties it, under the owner's write lock.
	formsMu sync.RWMutex
	forms   [16]map[string]formIDs // by class: bit 0 English, 1 Ukrainian, 2 Russian, 3 capitalised
	nforms  int
	names   bool // some query has a name key (stemName): capitalised words need theirs
}

type formIDs struct {
	n   uint8
	ids [8]termID
}

const formCacheMax = 200_000

func newDict() *dict {
	t := &dict{ids: make(map[termKey]termID)}
	for i := range t.forms {
		t.forms[i] = make(map[string]formIDs)
	}
	return t
}

func (t *dict) clearForms() {
	for _, m := range t.forms {
		clear(m)
	}
	t.nforms = 0
}

// id returns k's number, adding it when new. The caller holds the owner's
// write lock.
func (t *dict) id(k termKey) termID {
	if id, ok := t.ids[k]; ok {
		return id
	}
	id := termID(len(t.ids))
	k.s = strings.Clone(k.s)
	if k.stemmer == stemName {
		t.names = true
	}
	t.ids[k] = id
	if t.nforms > 0 {
		t.clearForms() // a cached word may have this key
	}
	return id
}

// known returns the ids of the keys of an article word: its exact form and
// its lemmas or stems for the languages in class (see appendArticleKeys).
func (t *dict) known(class uint8, form string, scratch []termKey) formIDs {
	t.formsMu.RLock()
	f, ok := t.forms[class&15][form]
	t.formsMu.RUnlock()
	if ok {
		return f
	}
	keys := appendArticleKeys(append(scratch[:0], termKey{stemExact, form}), class, form)
	if class&capitalClass != 0 && t.names {
		keys = appendNameKeys(keys, form)
	}
	for _, k := range keys {
		if id, ok := t.ids[k]; ok && int(f.n) < len(f.ids) {
			f.ids[f.n] = id
			f.n++
		}
	}
	form = strings.Clone(form) // it may be a slice of a whole article
	t.formsMu.Lock()
	if t.nforms >= formCacheMax {
		t.clearForms()
	}
	if _, dup := t.forms[class&15][form]; !dup {
		t.forms[class&15][form] = f
		t.nforms++
	}
	t.formsMu.Unlock()
	return f
}
