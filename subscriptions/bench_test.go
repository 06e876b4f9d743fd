package subscriptions

// Benchmarks of the matcher on synthetic data. Results and the command that
// reproduces them are in docs/benchmarks.md (## Matcher). The 1M cases only
// run with -bench (never in a plain go test) and are skipped with -short.

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/morphology"
	"github.com/newsalert/newsalert/store"
)

const (
	benchDistinctQueries = 50_000
	benchVocabulary      = 20_000 // lemmas per language
	benchArticles        = 1000
)

var benchSizes = []struct {
	name string
	n    int
}{{"1k", 1_000}, {"100k", 100_000}, {"1M", 1_000_000}}

type builtMatcher struct {
	m         *Matcher
	heapBytes int64 // heap the matcher holds, labels excluded (noise at 1k)
	dictBytes int64 // heap of the dictionaries (package morphology), apart
	build     time.Duration
}

var (
	builtMu sync.Mutex
	built   = map[int]*builtMatcher{}
)

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// buildMatcher builds (once per size) a matcher of n subscriptions, each
// label its own string, as when loaded from SQLite.
func buildMatcher(b *testing.B, n int) *builtMatcher {
	builtMu.Lock()
	defer builtMu.Unlock()
	if bm := built[n]; bm != nil {
		return bm
	}
	getCorpus()
	// The dictionaries are loaded once a process, before the matcher is
	// built, and counted on their own.
	dictBefore := heapInUse()
	if err := morphology.Preload(); err != nil {
		b.Fatal(err)
	}
	dictBytes := int64(heapInUse()) - int64(dictBefore)
	parsed := map[string]*Query{}
	for _, q := range getCorpus().queries {
		p, err := Parse(q, Limits{})
		if err != nil {
			b.Fatalf("synthetic query %q: %v", q, err)
		}
		parsed[q] = p
	}
	before := heapInUse()
	start := time.Now()
	m := NewMatcher()
	benchSubs(n, func(chat int64, q string) {
		p := parsed[q]
		m.Add(chat, p.Key(), strings.Clone(q), p)
	})
	bm := &builtMatcher{m: m, build: time.Since(start), dictBytes: dictBytes}
	after := heapInUse()
	runtime.KeepAlive(parsed)
	// The text the matcher keeps: each distinct label string once (it
	// shares a label typed alike by consecutive subscribers).
	textBytes := 0
	seenText := map[*byte]bool{}
	for _, e := range m.entries {
		for _, s := range e.subs {
			if p := unsafe.StringData(s.label); !seenText[p] {
				seenText[p] = true
				textBytes += len(s.label)
			}
		}
	}
	bm.heapBytes = int64(after) - int64(before) - int64(textBytes)
	built[n] = bm
	return bm
}

// warmStems matches every article once, as a running bot has: the stem
// cache then holds the corpus's words (it is sized for a day of news).
func warmStems(m *Matcher, arts []feeds.Article) {
	for i := range arts {
		m.Match(arts[i], false)
	}
}

func BenchmarkMatch(b *testing.B) {
	for _, size := range benchSizes {
		b.Run("subs="+size.name, func(b *testing.B) {
			if size.n >= 1_000_000 && testing.Short() {
				b.Skip("1M subscriptions: not in -short")
			}
			bm := buildMatcher(b, size.n)
			arts := getCorpus().articles
			warmStems(bm.m, arts)
			b.ReportAllocs()
			b.ResetTimer()
			matches := 0
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				for _, mt := range bm.m.Match(arts[i%len(arts)], false) {
					matches += len(mt.Queries)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(matches)/float64(b.N), "matches/article")
			b.ReportMetric(float64(matches)/b.Elapsed().Seconds(), "matches/s")
			st := bm.m.Stats()
			b.ReportMetric(float64(bm.heapBytes)/float64(st.Subscriptions), "heapB/sub")
			b.ReportMetric(float64(st.Queries), "queries")
			b.ReportMetric(float64(bm.dictBytes)/(1<<20), "dictMB")
		})
	}
}

// BenchmarkMatchQueries is the matcher without writing out the matches:
// tokenizing, candidates and verification only. Its time per article is
// what must not grow with the number of subscriptions.
func BenchmarkMatchQueries(b *testing.B) {
	for _, size := range benchSizes {
		b.Run("subs="+size.name, func(b *testing.B) {
			if size.n >= 1_000_000 && testing.Short() {
				b.Skip("1M subscriptions: not in -short")
			}
			bm := buildMatcher(b, size.n)
			arts := getCorpus().articles
			warmStems(bm.m, arts)
			b.ReportAllocs()
			b.ResetTimer()
			queries := 0
			cpu := cpuTime()
			defer func() { b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op") }()
			for i := 0; b.Loop(); i++ {
				d := getDoc()
				d.readArticle(&arts[i%len(arts)], false)
				bm.m.mu.RLock()
				bm.m.matchQueries(d, func(*entry, []int32) { queries++ })
				bm.m.mu.RUnlock()
				putDoc(d)
			}
			b.ReportMetric(float64(queries)/float64(b.N), "queries/article")
		})
	}
}

// BenchmarkRegexpBaseline is how common bots filter: every subscription
// has a compiled regexp, and each article is tried against all of them.
// One regexp is compiled per distinct query (a real bot compiles one per
// subscription: the loop costs the same, the memory more).
func BenchmarkRegexpBaseline(b *testing.B) {
	for _, size := range benchSizes[:2] {
		b.Run("subs="+size.name, func(b *testing.B) {
			compiled := map[string]*regexp.Regexp{}
			var subs []*regexp.Regexp
			benchSubs(size.n, func(_ int64, q string) {
				re := compiled[q]
				if re == nil {
					re = regexp.MustCompile(baselineRegexp(q))
					compiled[q] = re
				}
				subs = append(subs, re)
			})
			arts := getCorpus().articles
			b.ResetTimer()
			matches := 0
			for i := 0; b.Loop(); i++ {
				a := arts[i%len(arts)]
				text := a.Title + "\n" + a.Summary + "\n" + strings.Join(a.Categories, "\n")
				for _, re := range subs {
					if re.MatchString(text) {
						matches++
					}
				}
			}
			b.ReportMetric(float64(matches)/float64(b.N), "matches/article")
		})
	}
}

// baselineRegexp turns a query into the regexp a typical bot would use:
// case-insensitive, Unicode word boundaries, every positive word required.
// It ignores stemming, OR and exclusions; it is here for its speed only.
func baselineRegexp(q string) string {
	var parts []string
	for _, w := range strings.Fields(strings.NewReplacer(`"`, "", "*", "", "-", "").Replace(q)) {
		if w == "OR" {
			continue
		}
		parts = append(parts, `(?:^|[^\p{L}\p{N}])`+regexp.QuoteMeta(w)+`(?:[^\p{L}\p{N}]|$)`)
	}
	if len(parts) == 1 {
		return "(?i)" + parts[0]
	}
	return "(?is)" + strings.Join(parts, ".*")
}

// BenchmarkLoad measures New: reading every chat and subscription from
// SQLite into a matcher.
func BenchmarkLoad(b *testing.B) {
	for _, size := range benchSizes[1:] {
		b.Run("subs="+size.name, func(b *testing.B) {
			if size.n >= 1_000_000 && testing.Short() {
				b.Skip("1M subscriptions: not in -short")
			}
			ctx := context.Background()
			db, err := store.Open(ctx, filepath.Join(b.TempDir(), "load.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			fillDB(b, db, size.n)
			var rows int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM subscriptions`).Scan(&rows); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu := cpuTime()
			for b.Loop() {
				s, err := New(ctx, db, Config{})
				if err != nil {
					b.Fatal(err)
				}
				if got := s.Stats().Subscriptions; got != rows {
					b.Fatalf("loaded %d subscriptions, want %d", got, rows)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

func fillDB(b *testing.B, db *sql.DB, n int) {
	ctx := context.Background()
	norm := map[string]string{}
	for _, q := range getCorpus().queries {
		p, err := Parse(q, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		norm[q] = p.String()
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	chat, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO chats(id, type, created) VALUES(?, 'private', 0)`)
	if err != nil {
		b.Fatal(err)
	}
	// Two typed queries may normalize alike ("Nato", "nato"): one row each chat.
	sub, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO subscriptions(chat_id, query, normalized, created) VALUES(?, ?, ?, 0)`)
	if err != nil {
		b.Fatal(err)
	}
	benchSubs(n, func(c int64, q string) {
		if _, err := chat.ExecContext(ctx, c); err != nil {
			b.Fatal(err)
		}
		if _, err := sub.ExecContext(ctx, c, q, norm[q]); err != nil {
			b.Fatal(err)
		}
	})
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSetTopics measures a config reload's topic step at 100k
// subscriptions: "unchanged" is every reload that edits no topic (feed
// edits, the watcher seeing the file the bot just wrote), "one-edited" a
// topic gaining an alias. Before, both rebuilt the whole matcher
// (BenchmarkLoad).
func BenchmarkSetTopics(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "topics.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	fillDB(b, db, benchSizes[1].n)
	qs := getCorpus().queries
	topic := func(extra string) []Topic {
		return []Topic{{Name: "T", Aliases: []string{qs[0], qs[1], extra}}, {Name: "U", Aliases: []string{qs[2]}}}
	}
	s, err := New(ctx, db, Config{Topics: topic("zzzalias")})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("unchanged", func(b *testing.B) {
		for b.Loop() {
			if err := s.SetTopics(ctx, topic("zzzalias")); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-edited", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			if err := s.SetTopics(ctx, topic(fmt.Sprint("zzzalias", i))); err != nil {
				b.Fatal(err)
			}
		}
		_, subs := s.TopicReindexes()
		b.ReportMetric(float64(subs)/float64(i), "subs-reindexed/op")
	})
}
