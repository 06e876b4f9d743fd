package subscriptions

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/kljensen/snowball/russian"

	"github.com/newsalert/newsalert/morphology"
)

// stemmer names the stem a word is indexed under. An unquoted query word and
// an article word match when they have the same stem for the same stemmer.
type stemmer uint8

const (
	stemExact      stemmer = iota // no stemming: the normalized form itself
	stemEnglish                   // plural and possessive
	stemRussian                   // Snowball
	stemUkrainian                 // stemUK, this package's light stemmer
	lemmaUkrainian                // a lemma of the Ukrainian dictionary (package morphology)
	lemmaRussian                  // a lemma of the Russian dictionary
	lemmaEnglish                  // a lemma of the English dictionary (suffix rules only)
)

// termKey is what the matcher's index is keyed by.
type termKey struct {
	stemmer stemmer
	s       string
}

// queryKeys appends the keys an unquoted query word may match under: a
// Cyrillic word as Ukrainian and as Russian (a query does not say its
// language), a Latin word as English, anything else (numbers) exactly.
// A Cyrillic word has the lemmas the dictionaries give it (see
// queryLemmas) and its stems, which find the article words the
// dictionaries do not know (an article word they know has only its
// lemmas, so Трамп does not find трамплін).
//
// It stems without the cache: queries are stemmed once, when added, and
// their words should not crowd the article words out of it.
func queryKeys(dst []termKey, form string) []termKey { return nameQueryKeys(dst, form, false) }

// nameQueryKeys is queryKeys for a word typed with a capital when name is
// set: a name in -ов, -ин is then not read as a common word (see
// queryLemmas).
func nameQueryKeys(dst []termKey, form string, name bool) []termKey {
	add := func(s stemmer) {
		p := stemWord(s, form)
		dst = append(dst, termKey{s, p.a})
		if p.b != "" {
			dst = append(dst, termKey{s, p.b})
		}
	}
	switch scriptOf(form) {
	case scriptCyrillic:
		exact := false
		for _, l := range []struct {
			lang string
			s    stemmer
		}{{"uk", lemmaUkrainian}, {"ru", lemmaRussian}} {
			lemmas, ex := queryLemmas(morphology.For(l.lang), form, name)
			for _, w := range lemmas {
				dst = append(dst, termKey{l.s, w})
			}
			exact = exact || ex
		}
		if exact {
			dst = append(dst, termKey{stemExact, form})
		}
		add(stemUkrainian)
		add(stemRussian)
	case scriptLatin:
		// An English word means all its lemmas: hunspell-en-us lists many
		// forms as words of their own (meeting, claimed, earnings) that
		// are also forms of another word, and English has few homographs
		// across paradigms of the рада/радий kind.
		if d := morphology.For("en"); d != nil {
			var buf [8]morphology.Lemma
			for _, lm := range d.Lemmas(buf[:0], form) {
				dst = append(dst, termKey{lemmaEnglish, lm.Word})
			}
		}
		if s, ok := irregularEN[form]; ok {
			dst = append(dst, termKey{lemmaEnglish, s})
		}
		add(stemEnglish)
	default:
		dst = append(dst, termKey{stemExact, form})
	}
	return dst
}

// queryLemmas returns the lemmas a query word stands for. A word that is
// itself a dictionary word with a paradigm means that word (рада is the
// council, not also a form of радий, glad); another form, or a word listed
// bare (все, всі; посла), means all its lemmas (України: Україна). A name typed with a capital in -ов, -ев, -ін, -ин (Лавров,
// Песков) that the dictionary reads only as a form of a common word (the
// genitive plural of лавры, песок) means none of them: the word is then
// matched by its own form and stems, and exact reports that its own form
// must be a key. (Typed in lower case, лавров is the laurels'.)
func queryLemmas(d *morphology.Dictionary, form string, name bool) (lemmas []string, exact bool) {
	if d == nil {
		return nil, false
	}
	var buf [8]morphology.Lemma
	ls := d.Lemmas(buf[:0], form)
	if len(ls) == 0 {
		return nil, false
	}
	for _, l := range ls {
		if l.Headword && l.Inflects {
			lemmas = append(lemmas, l.Word)
		}
	}
	if len(lemmas) > 0 {
		return lemmas, false
	}
	if name && isSurnameLike(form) {
		for _, l := range ls {
			if l.Proper {
				lemmas = append(lemmas, l.Word)
			}
		}
		return lemmas, true
	}
	for _, l := range ls {
		lemmas = append(lemmas, l.Word)
	}
	return lemmas, false
}

// isSurnameLike reports the endings of Slavic family and place names
// (Лавров, Медведев, Путин, Кличко's Віталій aside).
func isSurnameLike(form string) bool {
	for _, end := range []string{"ов", "ев", "ин", "ын", "ін", "їн"} {
		if strings.HasSuffix(form, end) && utf8.RuneCountInString(form) > 3 {
			return true
		}
	}
	return false
}

// appendArticleKeys appends the keys of an article word beyond its exact
// form, for the stemmers of class (see tokenClass): in each Cyrillic
// language, its lemmas when the dictionary knows the word and its stems
// when it does not.
func appendArticleKeys(keys []termKey, class uint8, form string) []termKey {
	if class&1 != 0 {
		// As in Ukrainian and Russian: a word hunspell-en-us knows has its
		// lemmas (walked, walking: walk; trumpet is not Trump), another
		// word its plural-and-possessive stem.
		n := len(keys)
		if d := morphology.For("en"); d != nil {
			var buf [8]morphology.Lemma
			for _, lm := range d.Lemmas(buf[:0], form) {
				keys = append(keys, termKey{lemmaEnglish, lm.Word})
			}
		}
		if len(keys) == n {
			keys = appendStems(keys, stemEnglish, form)
		} else if s, ok := irregularEN[form]; ok {
			// hunspell lists children, crises as words of their own.
			keys = append(keys, termKey{lemmaEnglish, s})
		}
	}
	for _, l := range []struct {
		bit        uint8
		lang       string
		lemma, stm stemmer
	}{{2, "uk", lemmaUkrainian, stemUkrainian}, {4, "ru", lemmaRussian, stemRussian}} {
		if class&l.bit == 0 {
			continue
		}
		n := len(keys)
		if d := morphology.For(l.lang); d != nil {
			var buf [8]morphology.Lemma
			for _, lm := range d.Lemmas(buf[:0], form) {
				keys = append(keys, termKey{l.lemma, lm.Word})
			}
		}
		if len(keys) == n {
			keys = appendStems(keys, l.stm, form)
		} else if class&capitalClass != 0 {
			// A name the dictionary reads as a common word (Лавровым, the
			// adjective лавровый) is still found by its stem when the stem
			// is a name's (лавров).
			p := stemCached(l.stm, form)
			if isSurnameLike(p.a) {
				keys = append(keys, termKey{l.stm, p.a})
			}
		}
	}
	return keys
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
		// Snowball reads the -ов, -ин of a name as an ending (Лавров:
		// лавр, Лаврова: лавров): such a word has its whole form as a
		// second stem.
		p := stemPair{a: russian.Stem(form, true)}
		if isSurnameLike(form) && p.a != form {
			p.b = form
		}
		return p
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
	if s, ok := irregularEN[w]; ok {
		return s
	}
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

// irregularEN is the English plurals that no ending rule makes, as news
// writes them. Ambiguous ones (bases: base or basis, leaves: leaf or to
// leave, media, data) are left out.
var irregularEN = map[string]string{
	"children": "child", "men": "man", "women": "woman", "people": "person",
	"crises": "crisis", "analyses": "analysis", "theses": "thesis", "hypotheses": "hypothesis",
	"diagnoses": "diagnosis", "oases": "oasis", "mice": "mouse", "geese": "goose", "feet": "foot",
	"teeth": "tooth", "lives": "life", "wives": "wife", "knives": "knife", "wolves": "wolf",
	"halves": "half", "thieves": "thief", "criteria": "criterion", "phenomena": "phenomenon",
	"indices": "index", "oxen": "ox", "policemen": "policeman", "chairmen": "chairman",
	"spokesmen": "spokesman", "businessmen": "businessman", "congressmen": "congressman",
	"servicemen": "serviceman", "spokeswomen": "spokeswoman", "businesswomen": "businesswoman",
}
