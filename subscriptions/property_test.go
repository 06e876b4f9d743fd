package subscriptions

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/feeds"
)

// refEval is the brute-force reference: it evaluates a query node by
// scanning the article's words, with no index, no anchors, no candidates.
func refEval(n *Node, toks []token, lang string) bool {
	switch n.Kind {
	case KindWord:
		want := refQueryKeys(n.Words[0], isCapitalised(n.Typed))
		for _, t := range toks {
			if t.form == "" {
				continue
			}
			for _, k := range refTokenKeys(t, lang) {
				if slices.Contains(want, k) {
					return true
				}
			}
		}
		return false
	case KindPrefix:
		for _, t := range toks {
			if t.form != "" && strings.HasPrefix(t.form, n.Words[0]) {
				return true
			}
		}
		return false
	case KindPhrase:
	outer:
		for i := range toks {
			if i+len(n.Words) > len(toks) {
				break
			}
			for j, w := range n.Words {
				tk := toks[i+j]
				if tk.form == "" {
					continue outer
				}
				want := refPhraseKeys(w, isCapitalised(n.Typed) && j == 0)
				if !slices.ContainsFunc(refTokenKeys(tk, lang), func(k termKey) bool { return slices.Contains(want, k) }) {
					continue outer
				}
			}
			return true
		}
		return false
	case KindNot:
		return !refEval(n.Children[0], toks, lang)
	case KindAnd:
		for _, c := range n.Children {
			if !refEval(c, toks, lang) {
				return false
			}
		}
		return true
	case KindOr:
		for _, c := range n.Children {
			if refEval(c, toks, lang) {
				return true
			}
		}
	}
	return false
}

// refKeys caches refTokenKeys: the reference is slow enough without
// transliterating every word for every query.
var refKeys = map[[3]string][]termKey{}

// The reference's query-side keys, computed once a word: the dictionaries
// make each computation cost a few lookups, and the reference asks for
// them once per (subscription, article) pair.
var (
	refWordKeys   = map[[2]string][]termKey{}
	refPhraseWord = map[string][]termKey{}
)

func refQueryKeys(w string, capitalised bool) []termKey {
	ck := [2]string{w, "0"}
	if capitalised {
		ck[1] = "1"
	}
	if k, ok := refWordKeys[ck]; ok {
		return k
	}
	k := nameQueryKeys(nil, w, capitalised)
	if capitalised {
		k = appendNameKeys(k, w)
	}
	refWordKeys[ck] = k
	return k
}

func refPhraseKeys(w string, name bool) []termKey {
	if k, ok := refPhraseWord[w]; ok && !name {
		return k
	}
	k := phraseWordKeys(nil, w, name)
	if !name {
		refPhraseWord[w] = k
	}
	return k
}

func refTokenKeys(t token, lang string) []termKey {
	ck := [3]string{t.form, lang, string(rune('0' + capitalBit(t.surface)))}
	if k, ok := refKeys[ck]; ok {
		return k
	}
	k := refTokenKeysUncached(t, lang)
	refKeys[ck] = k
	return k
}

func refTokenKeysUncached(t token, lang string) []termKey {
	keys := []termKey{{stemExact, t.form}}
	uk, ru := articleStemmers(lang)
	switch t.script {
	case scriptCyrillic:
		var class uint8
		if uk {
			class |= 2
		}
		if ru {
			class |= 4
		}
		keys = appendArticleKeys(keys, class|capitalBit(t.surface), t.form)
	case scriptLatin:
		keys = appendStems(keys, stemEnglish, t.form)
	}
	if isCapitalised(t.surface) {
		keys = appendNameKeys(keys, t.form)
	}
	return keys
}

var propWords = []string{
	"NATO", "НАТО", "Ukraine", "Ukraine's", "sanctions", "sanction", "minister", "foreign",
	"Україна", "України", "Україною", "Українськi", "українські", "Київ", "Києві", "Києва",
	"Росія", "Росії", "Украина", "Украине", "на", "у", "Зеленський", "Зеленського",
	"Trump", "Трамп", "Трампа", "senator", "Donato", "NATO-Russia", "санкції", "санкцій", "EU", "ЄС",
	"Zelensky", "Zelenskyy", "Зеленским", "Sybiha", "Сибіги", "Сибига", "Kharkiv", "Харкові", "kharkiv",
}

func randQuery(r *rand.Rand, depth int) string {
	pick := func() string { return propWords[r.IntN(len(propWords))] }
	atom := func() string {
		switch r.IntN(6) {
		case 0:
			return `"` + pick() + " " + pick() + `"`
		case 1:
			return `"` + pick() + `"`
		case 2:
			w := []rune(strings.ToLower(pick()))
			if len(w) > 4 {
				return string(w[:3+r.IntN(len(w)-3)]) + "*"
			}
		}
		return pick()
	}
	var parts []string
	for range 1 + r.IntN(3) {
		p := atom()
		if depth < 2 && r.IntN(5) == 0 {
			p = "(" + randQuery(r, depth+1) + ")"
		}
		if r.IntN(5) == 0 {
			p = "-" + p
		}
		parts = append(parts, p)
		if r.IntN(4) == 0 {
			parts = append(parts, "OR")
		}
	}
	return strings.Join(parts, " ")
}

func randArticle(r *rand.Rand) feeds.Article {
	langs := []string{"uk", "ru", "en", "de"}
	words := func(n int) string {
		var b []string
		for range n {
			b = append(b, propWords[r.IntN(len(propWords))])
		}
		return strings.Join(b, " ")
	}
	return feeds.Article{Lang: langs[r.IntN(len(langs))], Title: words(1 + r.IntN(6)), Summary: words(r.IntN(12)),
		Categories: []string{words(1)}, Content: words(r.IntN(20))}
}

// TestMatcherAgreesWithReference builds a matcher of random queries and
// checks, for random articles, that it reports exactly the queries the
// reference evaluator says match.
func TestMatcherAgreesWithReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	m := NewMatcher()
	type sub struct {
		chat int64
		q    *Query
		text string
	}
	var subs []sub
	for i := range 400 {
		text := randQuery(r, 0)
		q, err := Parse(text, Limits{})
		if err != nil {
			continue
		}
		chat := int64(i % 97)
		m.SetChat(chat, ChatFilter{})
		m.Add(chat, q.Key(), text, q)
		subs = append(subs, sub{chat, q, text})
	}
	// Remove some, to exercise removal too.
	for i := 0; i < len(subs); i += 7 {
		m.Remove(subs[i].chat, subs[i].q.Key())
		subs[i].q = nil
	}
	if len(subs) < 200 {
		t.Fatalf("only %d queries parsed", len(subs))
	}
	for range 1000 {
		a := randArticle(r)
		content := r.IntN(2) == 0
		d := getDoc()
		d.readArticle(&a, content)
		toks := slices.Clone(d.toks)
		putDoc(d)
		want := map[int64][]string{}
		for _, s := range subs {
			if s.q != nil && refEval(s.q.Root, toks, a.Lang) && !slices.Contains(want[s.chat], s.text) {
				want[s.chat] = append(want[s.chat], s.text)
			}
		}
		got := map[int64][]string{}
		for _, mt := range m.Match(a, content) {
			got[mt.ChatID] = mt.Queries
			if len(mt.Words) == 0 {
				t.Errorf("match without words: %+v on %+v", mt, a)
			}
		}
		for chat, qs := range want {
			slices.Sort(qs)
			if !slices.Equal(qs, got[chat]) {
				t.Fatalf("article %+v content=%v chat %d: matcher %q, reference %q", a, content, chat, got[chat], qs)
			}
		}
		for chat, qs := range got {
			if _, ok := want[chat]; !ok {
				t.Fatalf("article %+v chat %d: matcher %q, reference none", a, chat, qs)
			}
		}
	}
}
