package subscriptions
import "testing"
func BenchmarkDbgCands(b *testing.B) {
	bm := buildMatcher(b, 100_000)
	arts := getCorpus().articles
	cands, hits, toks, present := 0, 0, 0, 0
	big := map[int]int{}
	for i := range 300 {
		d := getDoc()
		d.readArticle(&arts[i], false)
		bm.m.mu.RLock()
		bm.m.matchQueries(d, func(*entry, []int32) { hits++ })
		for _, id := range d.present { if id < termID(len(bm.m.postings)) { n := len(bm.m.postings[id]); if n > 50 { big[n]++ } } }
		bm.m.mu.RUnlock()
		cands += len(d.cands); toks += len(d.toks); present += len(d.present)
		putDoc(d)
	}
	b.Logf("per article: cands %d hits %d toks %d present %d; queries %d terms %d", cands/300, hits/300, toks/300, present/300, len(bm.m.entries), len(bm.m.terms.ids))
	b.Logf("big postings seen: %v", len(big))
}
