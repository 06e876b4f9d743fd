package subscriptions

import (
	"strings"
	"sync"

	"github.com/kljensen/snowball/russian"
)

// stemmer names the stem a word is indexed under. An unquoted query word and
// an article word match when they have the same stem for the same stemmer.
type stemmer uint8

const (
	stemExact     stemmer = iota // no stemming: the normalized form itself
	stemEnglish                  // plural and possessive
	stemRussian                  // Snowball
	stemUkrainian                // stemUK, this package's light stemmer
)

// termKey is what the matcher's index is keyed by.
type termKey struct {
	stemmer stemmer
	s       string
}

// queryKeys appends the keys an unquoted query word may match under: a
// Cyrillic word as Ukrainian and as Russian (a query does not say its
// language), a Latin word as English, anything else (numbers) exactly.
//
// It stems without the cache: queries are stemmed once, when added, and
// their words should not crowd the article words out of it.
func queryKeys(dst []termKey, form string) []termKey {
	add := func(s stemmer) {
		p := stemWord(s, form)
		dst = append(dst, termKey{s, p.a})
		if p.b != "" {
			dst = append(dst, termKey{s, p.b})
		}
	}
	switch scriptOf(form) {
	case scriptCyrillic:
		add(stemUkrainian)
		add(stemRussian)
	case scriptLatin:
		add(stemEnglish)
	default:
		dst = append(dst, termKey{stemExact, form})
	}
	return dst
}

// articleStemmers returns which stemmers read a Cyrillic word of an article
// in language lang. A feed in another language (be, kk, ...) gets both, so
// either kind of query word can find it.
func articleStemmers(lang string) (uk, ru bool) {
	switch strings.ToLower(lang) {
	case "uk":
		return true, false
	case "ru":
		return false, true
	}
	return true, true
}

// stemPair is one or two stems of a word (see stemUK).
type stemPair struct{ a, b string }

func stemWord(s stemmer, form string) stemPair {
	switch s {
	case stemEnglish:
		return stemPair{a: stemEN(form)}
	case stemRussian:
		return stemPair{a: russian.Stem(form, true)}
	case stemUkrainian:
		a, b := stemUK(form)
		return stemPair{a, b}
	}
	return stemPair{a: form}
}

// stemCache remembers stems: news repeats its words, and the Snowball
// stemmer allocates on every call. It has two generations: when the current
// one is full it becomes the old one, and words still in use are copied
// forward on their next lookup. Memory stays bounded, frequent words stay.
type stemCache struct {
	mu       sync.RWMutex
	cur, old map[termKey]stemPair
}

const stemCacheGen = 100_000 // entries in one generation

var stems = stemCache{cur: make(map[termKey]stemPair)}

// appendStems appends the keys of form under stemmer s.
func appendStems(dst []termKey, s stemmer, form string) []termKey {
	p := stemCached(s, form)
	dst = append(dst, termKey{s, p.a})
	if p.b != "" {
		dst = append(dst, termKey{s, p.b})
	}
	return dst
}

func stemCached(s stemmer, form string) stemPair {
	switch s {
	case stemExact:
		return stemPair{a: form}
	case stemEnglish: // cheaper than a cache lookup
		return stemPair{a: stemEN(form)}
	}
	k := termKey{s, form}
	stems.mu.RLock()
	v, ok := stems.cur[k]
	if ok {
		stems.mu.RUnlock()
		return v
	}
	v, ok = stems.old[k]
	stems.mu.RUnlock()
	if !ok {
		// Cloned: form and its stems may be slices of a whole article's text.
		v = stemWord(s, form)
		v.a, v.b = strings.Clone(v.a), strings.Clone(v.b)
	}
	k.s = strings.Clone(form)
	stems.mu.Lock()
	if _, in := stems.cur[k]; !in {
		if len(stems.cur) >= stemCacheGen {
			stems.old, stems.cur = stems.cur, make(map[termKey]stemPair, stemCacheGen)
		}
		stems.cur[k] = v
	}
	stems.mu.Unlock()
	return v
}

// stemEN removes the English possessive and plural, nothing else: it is
// Harman's S-stemmer with a few guards for the proper nouns news is full
// of (Paris, Davos keep their s) and the -es plurals.
func stemEN(w string) string {
	w = strings.TrimSuffix(w, "'s")
	w = strings.TrimSuffix(w, "'")
	n := len(w)
	if n <= 3 || w[n-1] != 's' {
		return w
	}
	switch {
	case w == "news" || w == "series" || w == "species":
		return w
	case strings.HasSuffix(w, "ies") && n > 4 && !strings.HasSuffix(w, "eies") && !strings.HasSuffix(w, "aies"):
		return w[:n-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"),
		strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"):
		return w[:n-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"),
		strings.HasSuffix(w, "os") && n <= 5:
		return w
	}
	return w[:n-1]
}
