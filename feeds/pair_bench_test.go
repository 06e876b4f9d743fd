package feeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// synthText is a made-up sentence of n words in lang's script, words drawn
// with a skew like a news vocabulary's (a few very common, most rare).
func synthText(r *rand.Rand, lang string, n int) string {
	cyr := []string{"ба", "ві", "го", "ду", "же", "зо", "ки", "ла", "мо", "ну", "пе", "ро", "сі", "ти", "фу", "хо", "ци", "ча", "ша"}
	lat := []string{"ba", "vi", "go", "du", "ze", "zo", "ki", "la", "mo", "nu", "pe", "ro", "si", "ti", "fu", "ho", "tsi", "cha", "sha"}
	syl := lat
	if isCyrillicLang(lang) {
		syl = cyr
	}
	words := make([]string, n)
	for i := range words {
		k := int(r.ExpFloat64()*400) % 20000 // word number: skewed
		rr := rand.New(rand.NewPCG(uint64(k), 7))
		var b strings.Builder
		for range 2 + rr.IntN(3) {
			b.WriteString(syl[rr.IntN(len(syl))])
		}
		w := b.String()
		if rr.IntN(6) == 0 {
			w = strings.ToUpper(w[:1]) + w[1:] // names; Cyrillic first byte is fine for the bench
		}
		if r.IntN(15) == 0 {
			w = fmt.Sprint(r.IntN(5000))
		}
		words[i] = w
	}
	return strings.Join(words, " ")
}

// pairingStore is a store whose outlet has n articles in the window, in
// three languages, stored through SavePoll (so paired as they came).
func pairingStore(b *testing.B, n int) (*Store, time.Time) {
	b.Helper()
	db := openDB(b, "")
	st := NewStore(db)
	base := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	langs := []string{"uk", "ru", "en"}
	var srcs []Source
	for _, l := range langs {
		srcs = append(srcs, Source{ID: "o-" + l, Lang: l, Edition: "o"})
	}
	st.SetOutlets(srcs, []Outlet{{Name: "o", Window: 12 * time.Hour, Content: true, Langs: langs}})
	r := rand.New(rand.NewPCG(1, 2))
	step := 6 * time.Hour / time.Duration(n) // all n inside one window
	const batch = 100
	for i := 0; i < n; i += batch {
		lang := langs[(i/batch)%3]
		var arts []Article
		for j := i; j < min(i+batch, n); j++ {
			at := base.Add(time.Duration(j) * step)
			arts = append(arts, Article{FeedID: "o-" + lang, Lang: lang, GUID: fmt.Sprint(j),
				Link:  fmt.Sprintf("https://o.example/%s/%d", lang, j),
				Title: synthText(r, lang, 10), Summary: synthText(r, lang, 25), Published: at, Seen: at})
		}
		st.Now = func() time.Time { return arts[len(arts)-1].Seen }
		if _, err := st.SavePoll(context.Background(), FeedState{ID: "o-" + lang, URL: "https://o.example/", Seeded: true},
			arts, false, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	return st, base.Add(6 * time.Hour)
}

// BenchmarkPairArticle is the cost of storing one article of an outlet
// with 10,000 of its articles in the pairing window: the SQLite insert and
// its dedup keys, and finding its story by content.
//
//	go test ./feeds -run '^$' -bench PairArticle -benchtime 2000x
func BenchmarkPairArticle(b *testing.B) {
	st, at := pairingStore(b, 10000)
	stories := readFixtureStories(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := stories[i%len(stories)]
		e := s.eds[i%len(s.eds)]
		a := Article{FeedID: "o-" + e.lang, Lang: e.lang, GUID: fmt.Sprint("b", i), Link: fmt.Sprintf("https://o.example/b/%d", i),
			Title: e.title + fmt.Sprint(" ", i), Summary: e.summary, Published: at, Seen: at}
		if _, err := st.SavePoll(context.Background(), FeedState{ID: a.FeedID, URL: "https://o.example/", Seeded: true},
			[]Article{a}, false, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPairIndexBest is content pairing alone: finding the best
// candidate among 10,000 indexed articles of the outlet.
//
//	go test ./feeds -run '^$' -bench PairIndexBest
func BenchmarkPairIndexBest(b *testing.B) {
	st, at := pairingStore(b, 10000)
	o := st.outlets.Load().byName["o"]
	idx := o.idx
	b.Logf("index: %d articles, %d features", len(idx.docs), len(idx.post))
	stories := readFixtureStories(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := stories[i%len(stories)]
		e := s.eds[i%len(s.eds)]
		a := Article{Lang: e.lang, Title: e.title, Summary: e.summary, Published: at}
		idx.best(&a, false)
	}
}
