package subscriptions

// The synthetic workload of the benchmarks: see docs/benchmarks.md (## Matcher).

import (
	"math/rand"
	"strings"
	"sync"

	"github.com/newsalert/newsalert/feeds"
)

// synthLang makes pseudo-words that inflect like the language: the stemmers
// and the normalizer do the work they do on real text.
type synthLang struct {
	code       string
	consonants []rune
	vowels     []rune
	endings    []string
	lemmas     []string
}

func newSynthLang(r *rand.Rand, code, cons, vow string, endings []string) *synthLang {
	l := &synthLang{code: code, consonants: []rune(cons), vowels: []rune(vow), endings: endings}
	seen := map[string]bool{}
	for len(l.lemmas) < benchVocabulary {
		var b strings.Builder
		for range 2 + r.Intn(3) {
			b.WriteRune(l.consonants[r.Intn(len(l.consonants))])
			b.WriteRune(l.vowels[r.Intn(len(l.vowels))])
		}
		b.WriteRune(l.consonants[r.Intn(len(l.consonants))])
		if w := b.String(); !seen[w] {
			seen[w] = true
			l.lemmas = append(l.lemmas, w)
		}
	}
	return l
}

func (l *synthLang) inflect(r *rand.Rand, lemma string) string {
	w := lemma + l.endings[r.Intn(len(l.endings))]
	if r.Intn(8) == 0 { // capitalized, as names and sentence starts are
		rs := []rune(w)
		return strings.ToUpper(string(rs[:1])) + string(rs[1:])
	}
	return w
}

type benchCorpus struct {
	queries  []string // distinct
	articles []feeds.Article
}

var (
	corpusOnce sync.Once
	corpus     benchCorpus
)

func getCorpus() benchCorpus {
	corpusOnce.Do(func() {
		r := rand.New(rand.NewSource(42))
		langs := []*synthLang{
			newSynthLang(r, "uk", "бвгджзклмнпрстхцчш", "аеиіоуяю", []string{"", "а", "и", "і", "у", "ою", "ів", "ами", "ий", "ого"}),
			newSynthLang(r, "ru", "бвгджзклмнпрстхцчш", "аеиоуыя", []string{"", "а", "ы", "е", "у", "ой", "ов", "ами", "ый", "ого"}),
			newSynthLang(r, "en", "bcdfghklmnprstvwz", "aeiou", []string{"", "", "", "s", "'s", "’s"}),
		}
		// Article words follow Zipf over the whole vocabulary; query words
		// skip the 100 commonest (the, і, и: nobody subscribes to them).
		articleRank := rand.NewZipf(r, 1.07, 1, benchVocabulary-1)
		queryRank := rand.NewZipf(r, 1.01, 10, benchVocabulary-101)
		qword := func(l *synthLang) string { return l.lemmas[100+queryRank.Uint64()] }
		seen := map[string]bool{}
		for len(corpus.queries) < benchDistinctQueries {
			l := langs[r.Intn(len(langs))]
			var q string
			switch k := r.Intn(100); {
			case k < 48:
				q = qword(l)
			case k < 80:
				q = qword(l) + " " + qword(l)
			case k < 85:
				q = `"` + qword(l) + " " + qword(l) + `"`
			case k < 90:
				q = qword(l) + " OR " + qword(langs[r.Intn(len(langs))])
			case k < 95:
				q = qword(l) + " -" + qword(l)
			default:
				w := []rune(qword(l))
				q = string(w[:min(len(w), 5)]) + "*"
			}
			if r.Intn(3) == 0 {
				rs := []rune(q)
				q = strings.ToUpper(string(rs[:1])) + string(rs[1:])
			}
			if !seen[q] {
				seen[q] = true
				corpus.queries = append(corpus.queries, q)
			}
		}
		for i := range benchArticles {
			l := langs[i%len(langs)]
			words := func(n int) string {
				ws := make([]string, n)
				for j := range ws {
					ws[j] = l.inflect(r, l.lemmas[articleRank.Uint64()])
				}
				return strings.Join(ws, " ")
			}
			corpus.articles = append(corpus.articles, feeds.Article{
				Lang: l.code, Title: words(10), Summary: words(105) + ".", Categories: []string{words(1), words(2)},
			})
		}
	})
	return corpus
}

// benchSubs draws n (chat, query) subscriptions: Zipf over the distinct
// queries, five subscriptions a chat on average, no chat twice on a query.
func benchSubs(n int, f func(chat int64, query string)) {
	c := getCorpus()
	r := rand.New(rand.NewSource(int64(n)))
	pick := rand.NewZipf(r, 1.1, 10, benchDistinctQueries-1)
	chats := max(1, n/5)
	type key struct {
		chat int64
		q    uint64
	}
	seen := make(map[key]struct{}, n)
	for len(seen) < n {
		k := key{int64(r.Intn(chats)) + 1, pick.Uint64()}
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		f(k.chat, c.queries[k.q])
	}
}
